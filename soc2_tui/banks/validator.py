"""Check one question-bank file and turn it into item and section records.

Every problem is collected as a `Problem(file, line, message)`; nothing stops at the first.
Cross-file checks (unique ids, conditions on scope items) are in `loader.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soc2_tui.banks import fields as F
from soc2_tui.banks.yaml_reader import LineDict, read_yaml
from soc2_tui.errors import Problem
from soc2_tui.model import (
    ASSESSMENT_FIELDS,
    BANK_KINDS,
    EFFORTS,
    FREQUENCIES,
    PRINCIPLES,
    SCOPE_TYPES,
    SEVERITIES,
    SEVERITY_WEIGHTS,
    Condition,
    Criterion,
    Item,
    Option,
)

_ID_RE = re.compile(F.ID_PATTERN)


class _Checker:
    """Collects problems for one file while reading its mappings."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def mapping(self, value: Any, line: int, what: str) -> LineDict | None:
        if isinstance(value, LineDict):
            return value
        self.add(line, f"{what} must be a mapping, not {_typename(value)}")
        return None

    def text(self, m: LineDict, key: str, where: str, required: bool = True, limit: int = F.TEXT_LIMIT) -> str:
        if key not in m:
            if required:
                self.add(m.line, f"{where}: missing field '{key}'")
            return ""
        value = m[key]
        if not isinstance(value, str) or not value.strip():
            self.add(m.line_of(key), f"{where}: '{key}' must be non-empty text")
            return ""
        if len(value) > limit:
            self.add(m.line_of(key), f"{where}: '{key}' is longer than {limit} characters")
        return " ".join(value.split()) if "\n" in value.strip() else value.strip()

    def texts(self, m: LineDict, key: str, where: str, required: bool = True) -> tuple[str, ...]:
        if key not in m:
            if required:
                self.add(m.line, f"{where}: missing field '{key}'")
            return ()
        value = m[key]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            self.add(m.line_of(key), f"{where}: '{key}' must be a non-empty list of texts")
            return ()
        return tuple(" ".join(v.split()) for v in value)

    def choice(self, m: LineDict, key: str, where: str, allowed: Iterable[str], required: bool = True) -> str | None:
        allowed = tuple(allowed)
        if key not in m:
            if required:
                self.add(m.line, f"{where}: missing field '{key}'")
            return None
        value = m[key]
        if value not in allowed:
            self.add(m.line_of(key), f"{where}: bad {key} {value!r} (expected one of: {', '.join(allowed)})")
            return None
        return value

    def unknown_keys(self, m: LineDict, allowed: Iterable[str], where: str) -> None:
        allowed = tuple(allowed)
        for key in m:
            if key not in allowed:
                self.add(m.line_of(key), f"{where}: unknown field '{key}' (allowed: {', '.join(allowed)})")

    def metadata(self, m: LineDict, where: str) -> dict[str, Any]:
        """The free `metadata` block: any mapping, kept as plain data and never read by scoring."""
        if "metadata" not in m:
            return {}
        value = m["metadata"]
        if not isinstance(value, dict):
            self.add(m.line_of("metadata"), f"{where}: 'metadata' must be a mapping, not {_typename(value)}")
            return {}
        return _plain(value)


def _typename(value: Any) -> str:
    return {dict: "a mapping", LineDict: "a mapping", list: "a list", str: "text", type(None): "empty"}.get(
        type(value), type(value).__name__
    )


def _plain(value: Any) -> Any:
    """Metadata as plain dicts and lists (the reader's line-keeping mappings are not needed later)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@dataclass
class RawItem:
    item: dict  # constructor kwargs
    condition: Any
    condition_line: int
    file: str


@dataclass
class BankInfo:
    """What the files of one bank declared: its version, its metadata and the first file seen."""

    version: str
    file: str
    origin: str  # where the file was found (the built-in folder, a given folder or file)
    metadata: dict


def parse_file(path: Path, criteria: Mapping[str, Criterion], out_sections: list, out_raw: list,
               banks: dict[str, BankInfo], problems: list[Problem], *, strict: bool = False,
               origin: str = "") -> None:
    """Check one file; its sections and items go to `out_sections` / `out_raw`, its bank to `banks`.

    `strict`: the fields `fields.STRICT_REQUIRED` names are required too. `origin`: where the file
    was found; a bank id declared by files from two origins is two banks colliding."""
    name = str(path)
    data, errs = read_yaml(path)
    if errs:
        problems.extend(errs)
        return
    ck = _Checker(name)
    top = ck.mapping(data, 1, "the file")
    if top is None:
        problems.extend(ck.problems)
        return
    bank, file_kind = _parse_header(ck, top, banks, origin)
    sections = top.get("sections")
    if not isinstance(sections, list) or not sections:
        ck.add(top.line_of("sections"), "file: 'sections' must be a non-empty list")
        sections = []
    kind = BANK_KINDS.get(file_kind or "", None)
    for sec in sections:
        s = ck.mapping(sec, top.line_of("sections"), "a section")
        if s is None:
            continue
        ck.unknown_keys(s, F.names(F.SECTION_FIELDS, "section"), "section")
        sid = ck.text(s, "id", "section")
        if sid and not _ID_RE.match(sid):
            ck.add(s.line_of("id"), f"section: bad id {sid!r} (letters, digits, '.', '_', '-')")
        where = f"section {sid or '?'}"
        title = ck.text(s, "title", where)
        intro = ck.text(s, "intro", where, required=False)
        items = s.get("items")
        if not isinstance(items, list) or not items:
            ck.add(s.line_of("items"), f"{where}: 'items' must be a non-empty list")
            items = []
        ids: list[str] = []
        for raw in items:
            m = ck.mapping(raw, s.line_of("items"), "an item")
            if m is None or kind is None:
                continue
            parsed = _parse_item(ck, m, kind, sid, criteria, strict)
            if parsed:
                parsed.file = name
                out_raw.append(parsed)
                ids.append(parsed.item["id"])
        if kind is not None:
            out_sections.append((sid, title, intro, kind, bank, ids, name, s.line))
    problems.extend(ck.problems)


def _parse_header(ck: _Checker, top: LineDict, banks: dict[str, BankInfo], origin: str) -> tuple[str, str | None]:
    """The file's bank, version, kind and metadata; the bank recorded in `banks`."""
    ck.unknown_keys(top, F.names(F.FILE_FIELDS, "file"), "file")
    bank = ck.text(top, "bank", "file")
    raw_version = top.get("version")
    version = ""
    if isinstance(raw_version, (int, float)) and not isinstance(raw_version, bool):
        ck.add(top.line_of("version"), f"file: 'version' is the number {raw_version!r}: quote it "
               "(version: \"2026.11\"); unquoted, YAML reads 2024.10 as 2024.1")
    elif not isinstance(raw_version, str) or not raw_version.strip():
        ck.add(top.line_of("version"), "file: missing or bad field 'version' (text such as \"2026.11\")")
    else:
        version = raw_version.strip()
    file_kind = ck.choice(top, "kind", "file", BANK_KINDS)
    metadata = ck.metadata(top, "file")
    if bank:
        seen = banks.get(bank)
        if seen and seen.origin != origin:
            ck.add(top.line_of("bank"), f"bank id '{bank}' is already used by {seen.file} (another bank): "
                   "give this bank an id of its own")
        elif seen and version and seen.version and seen.version != version:
            ck.add(top.line_of("version"),
                   f"bank '{bank}' has version {version} here but {seen.version} in {seen.file}")
        elif seen and metadata:
            seen.metadata.update(metadata)
        if not seen:
            banks[bank] = BankInfo(version, ck.file, origin, metadata)
    return bank, file_kind


def _parse_item(ck: _Checker, m: LineDict, kind: str, section: str,
                criteria: Mapping[str, Criterion], strict: bool = False) -> RawItem | None:
    iid = m.get("id")
    if not isinstance(iid, str) or not _ID_RE.match(iid):
        ck.add(m.line_of("id"), f"item: missing or bad id {iid!r} (letters, digits, '.', '_', '-'; at most 64)")
        return None
    where = f"item {iid}"
    ck.unknown_keys(m, F.names(F.ITEM_FIELDS, kind), where)
    always = F.required(F.ITEM_FIELDS, kind)
    for key in F.required(F.ITEM_FIELDS, kind, strict and iid not in F.FREQUENCY_PENDING):
        if key not in m:
            why = "" if key in always else " (required for controls of the built-in bank and with --strict)"
            ck.add(m.line, f"{where}: missing field '{key}'{why}")
    if not any(k in m for k in F.QUESTION_OR_TITLE):
        ck.add(m.line, f"{where}: missing field 'question' (or 'title'): an item needs at least one")
    title = ck.text(m, "title", where, required=False)
    question = ck.text(m, "question", where, required=False)
    kw: dict[str, Any] = {
        "id": iid,
        "kind": kind,
        "section": section,
        "title": title or question,
        "question": question or title,
        "guidance": ck.text(m, "guidance", where, required=False),
        "source": f"{ck.file}:{m.line}",
        "replaces": _parse_replaces(ck, m, where),
        "metadata": ck.metadata(m, where),
    }
    if kind == "scope":
        kw["type"] = ck.choice(m, "type", where, SCOPE_TYPES, required=False) or "text"
        kw["assessment_field"] = ck.choice(m, "field", where, ASSESSMENT_FIELDS, required=False)
        kw["options"] = _parse_options(ck, m, where, kw["type"])
    else:
        _parse_scored(ck, m, where, kind, criteria, kw)
    return RawItem(kw, m.get("condition"), m.line_of("condition"), ck.file)


def _parse_scored(ck: _Checker, m: LineDict, where: str, kind: str, criteria: Mapping[str, Criterion],
                  kw: dict[str, Any]) -> None:
    """The fields of a control or a policy (required ones are reported missing by the caller)."""
    kw["evidence"] = ck.texts(m, "evidence", where, required=False)
    kw["remediation"] = ck.text(m, "remediation", where, required=False)
    crit = m.get("criteria")
    good: list[str] = []
    if "criteria" in m and (not isinstance(crit, list) or not crit):
        ck.add(m.line_of("criteria"), f"{where}: 'criteria' must be a non-empty list of criterion ids")
    for cid in crit if isinstance(crit, list) else ():
        if not isinstance(cid, str) or cid not in criteria:
            ck.add(m.line_of("criteria"), f"{where}: unknown criterion id {cid!r}")
        elif cid in good:
            ck.add(m.line_of("criteria"), f"{where}: criterion {cid} is listed twice")
        else:
            good.append(cid)
    kw["criteria"] = tuple(good)
    kw["principles"] = tuple(p for p in PRINCIPLES if any(criteria[c].principle == p for c in good))
    sev = ck.choice(m, "severity", where, SEVERITIES, required=False) or "medium"
    kw["severity"] = sev
    weight = m.get("weight", SEVERITY_WEIGHTS[sev])
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 100:
        ck.add(m.line_of("weight"), f"{where}: 'weight' must be a number above 0 and at most 100")
        weight = SEVERITY_WEIGHTS[sev]
    kw["weight"] = float(weight)
    kw["effort"] = ck.choice(m, "effort", where, EFFORTS, required=False) or ""
    kw["frequency"] = ck.choice(m, "frequency", where, FREQUENCIES, required=False)
    kw["references"] = _parse_references(ck, m, where)
    if kind == "policy":
        kw["purpose"] = ck.text(m, "purpose", where, required=False)
        kw["contents"] = ck.texts(m, "contents", where, required=False)


def _parse_replaces(ck: _Checker, m: LineDict, where: str) -> tuple[str, ...]:
    raw = m.get("replaces")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw or not all(isinstance(r, str) and _ID_RE.match(r) for r in raw):
        ck.add(m.line_of("replaces"), f"{where}: 'replaces' must be a non-empty list of item ids")
        return ()
    if len(set(raw)) != len(raw):
        ck.add(m.line_of("replaces"), f"{where}: 'replaces' lists an id twice")
    return tuple(dict.fromkeys(raw))


def _parse_options(ck: _Checker, m: LineDict, where: str, typ: str) -> tuple[Option, ...]:
    raw = m.get("options")
    if typ not in ("choice", "multi"):
        if raw is not None:
            ck.add(m.line_of("options"), f"{where}: 'options' only go with type choice or multi")
        return ()
    if not isinstance(raw, list) or not raw:
        ck.add(m.line_of("options") if "options" in m else m.line, f"{where}: type {typ} needs a list of options")
        return ()
    opts = []
    for o in raw:
        if not isinstance(o, LineDict) or "value" not in o or not isinstance(o.get("label"), str):
            ck.add(getattr(o, "line", m.line_of("options")), f"{where}: each option needs 'value' and 'label'")
            continue
        if not isinstance(o["value"], (str, int)) or isinstance(o["value"], bool):
            ck.add(o.line, f"{where}: option value must be text or a whole number")
            continue
        opts.append(Option(o["value"], o["label"]))
    if len({o.value for o in opts}) != len(opts):
        ck.add(m.line_of("options"), f"{where}: option values must be unique")
    return tuple(opts)


def _parse_references(ck: _Checker, m: LineDict, where: str) -> dict[str, tuple[str, ...]]:
    raw = m.get("references")
    if raw is None:
        return {}
    if not isinstance(raw, LineDict):
        ck.add(m.line_of("references"), f"{where}: 'references' must map a framework to a list of ids")
        return {}
    out = {}
    for fw, ids in raw.items():
        if not isinstance(ids, list) or not all(isinstance(i, str) and i.strip() for i in ids):
            ck.add(raw.line_of(fw), f"{where}: references.{fw} must be a list of ids")
            continue
        out[str(fw)] = tuple(ids)
    return out


def parse_condition(raw: Any, line: int, scope_items: Mapping[str, Item],
                    add: Callable[[int, str], None]) -> Condition | None:
    where_line = getattr(raw, "line", line)
    if not isinstance(raw, LineDict):
        add(where_line, "condition must be a mapping such as {scope: ID, equals: VALUE}")
        return None
    for op in ("all", "any"):
        if op in raw:
            parts = raw[op]
            if len(raw) != 1 or not isinstance(parts, list) or not parts:
                add(where_line, f"condition '{op}' must be the only key and hold a non-empty list")
                return None
            subs = [parse_condition(p, where_line, scope_items, add) for p in parts]
            return None if None in subs else Condition(op, parts=tuple(subs))  # type: ignore[arg-type]
    if "not" in raw:
        if len(raw) != 1:
            add(where_line, "condition 'not' must be the only key")
            return None
        sub = parse_condition(raw["not"], where_line, scope_items, add)
        return None if sub is None else Condition("not", parts=(sub,))
    ops = [k for k in raw if k in ("equals", "contains", "in")]
    extra = [k for k in raw if k not in ("scope", "equals", "contains", "in")]
    if "scope" not in raw or len(ops) != 1 or extra:
        add(where_line, "condition needs 'scope' and exactly one of equals / contains / in (or all / any / not)")
        return None
    sid, op = raw["scope"], ops[0]
    value = raw[op]
    target = scope_items.get(sid) if isinstance(sid, str) else None
    if target is None:
        add(where_line, f"condition refers to unknown scope item {sid!r}")
        return None
    if op == "contains" and target.type not in ("multi", "list"):
        add(where_line, f"condition 'contains' needs a multi or list scope item; {sid} is {target.type}")
        return None
    if op == "in" and not isinstance(value, list):
        add(where_line, "condition 'in' needs a list of values")
        return None
    values = value if op == "in" else [value]
    if target.options:
        allowed = [o.value for o in target.options]
        for v in values:
            if v not in allowed:
                add(where_line, f"condition value {v!r} is not an option of {sid} ({', '.join(map(str, allowed))})")
                return None
    elif target.type == "bool" and any(not isinstance(v, bool) for v in values):
        add(where_line, f"condition on {sid} (a yes/no item) must compare with true or false")
        return None
    return Condition(op, scope=sid, value=tuple(value) if op == "in" else value)
