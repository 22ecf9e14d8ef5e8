"""Question banks: load, validate and model them. The only module that reads YAML.

Every problem found while loading is collected as a `Problem(file, line, message)`; loading
raises `ContentError` carrying all of them, never only the first.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from soc2_tui import paths

PRINCIPLES = ("security", "availability", "processing_integrity", "confidentiality", "privacy")
PRINCIPLE_LABELS = {
    "security": "Security",
    "availability": "Availability",
    "processing_integrity": "Processing integrity",
    "confidentiality": "Confidentiality",
    "privacy": "Privacy",
}
STATUSES = ("not_started", "in_progress", "implemented", "operating", "not_applicable")
REPORT_TYPES = ("type1", "type2")
SEVERITY_WEIGHTS = {"critical": 4, "high": 3, "medium": 2, "low": 1}
SEVERITIES = tuple(SEVERITY_WEIGHTS)
EFFORTS = ("S", "M", "L")
FREQUENCIES = ("continuous", "daily", "weekly", "monthly", "quarterly", "annually", "per_event")
BANK_KINDS = {"scope": "scope", "controls": "control", "policies": "policy"}  # file kind -> item kind
SCOPE_TYPES = ("bool", "choice", "multi", "date", "number", "text", "longtext", "list")
ASSESSMENT_FIELDS = ("principles", "report_type", "period_start", "period_months")

MAX_FILE_BYTES = 2 * 1024 * 1024
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(Exception):
    """One or more problems in the question banks or the criteria catalog."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Criterion:
    id: str
    principle: str
    series: str
    series_name: str
    title: str


@dataclass(frozen=True)
class Option:
    value: Any
    label: str


@dataclass(frozen=True)
class Condition:
    """A test on scope answers: op is equals/contains/in/all/any/not."""

    op: str
    scope: str | None = None
    value: Any = None
    parts: tuple["Condition", ...] = ()

    def holds(self, scope: Mapping[str, Any]) -> bool:
        if self.op == "all":
            return all(p.holds(scope) for p in self.parts)
        if self.op == "any":
            return any(p.holds(scope) for p in self.parts)
        if self.op == "not":
            return not self.parts[0].holds(scope)
        answer = scope.get(self.scope)  # type: ignore[arg-type]
        if answer is None:
            return False
        if self.op == "equals":
            return answer == self.value
        if self.op == "contains":
            return isinstance(answer, (list, tuple)) and self.value in answer
        if self.op == "in":
            return answer in self.value
        return False

    def scope_ids(self) -> set[str]:
        ids = {self.scope} if self.scope else set()
        for p in self.parts:
            ids |= p.scope_ids()
        return ids

    def describe(self) -> str:
        if self.op in ("all", "any"):
            joiner = " and " if self.op == "all" else " or "
            return "(" + joiner.join(p.describe() for p in self.parts) + ")"
        if self.op == "not":
            return f"not {self.parts[0].describe()}"
        return f"{self.scope} {self.op} {self.value!r}"


@dataclass(frozen=True)
class Item:
    id: str
    kind: str  # scope | control | policy
    section: str
    title: str
    question: str
    guidance: str
    source: str  # FILE:LINE of the item
    evidence: tuple[str, ...] = ()
    remediation: str = ""
    criteria: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()
    severity: str = ""
    weight: float = 0.0
    effort: str = ""
    frequency: str | None = None
    references: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    condition: Condition | None = None
    # policies
    purpose: str = ""
    contents: tuple[str, ...] = ()
    # scope
    type: str = ""
    options: tuple[Option, ...] = ()
    field: str | None = None

    @property
    def scored(self) -> bool:
        return self.kind != "scope"

    def option_label(self, value: Any) -> str:
        for opt in self.options:
            if opt.value == value:
                return opt.label
        return str(value)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    kind: str  # scope | control | policy
    bank: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Questionnaire:
    criteria: Mapping[str, Criterion]
    series: Mapping[str, tuple[str, str]]  # series id -> (principle, name)
    sections: tuple[Section, ...]
    items: Mapping[str, Item]  # in display order
    banks: Mapping[str, str]  # bank name -> version
    files: tuple[str, ...] = ()

    def of_kind(self, kind: str) -> list[Item]:
        return [i for i in self.items.values() if i.kind == kind]

    @property
    def scope_items(self) -> list[Item]:
        return self.of_kind("scope")

    @property
    def scored_items(self) -> list[Item]:
        return [i for i in self.items.values() if i.scored]

    def sections_of(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]


# --------------------------------------------------------------------------- YAML with lines


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _RejectedYAML(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


@functools.cache
def _loader_class() -> type:
    """The safe loader (libyaml's when present) that records lines and refuses aliases.

    Built on first use: a start that finds the banks in the cache never imports PyYAML.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # type: ignore[misc, valid-type]
        def construct_object(self, node, deep=False):  # noqa: ANN001
            if node in self.constructed_objects or node in self.recursive_objects:
                raise _RejectedYAML(node.start_mark.line + 1, "anchors and aliases are not allowed")
            return super().construct_object(node, deep=deep)

    def construct_map(loader: Any, node: Any) -> Iterator[LineDict]:
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        yield mapping
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _RejectedYAML(key_node.start_mark.line + 1, "merge keys (<<) are not allowed")
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise _RejectedYAML(line, "mapping keys must be plain scalars")
            if key in mapping:
                raise _RejectedYAML(line, f"duplicate key {key!r}")
            mapping[key] = loader.construct_object(value_node, deep=True)
            mapping.key_lines[key] = line

    LineLoader.add_constructor("tag:yaml.org,2002:map", construct_map)
    return LineLoader


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Parse one YAML file safely. Returns (data, problems); data is None on failure."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(name, 1, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")]
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 1, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [Problem(name, 0, f"cannot read: {exc.strerror or exc}")]
    import yaml

    try:
        loader = _loader_class()(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except _RejectedYAML as exc:
        return None, [Problem(name, exc.line, exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        return None, [Problem(name, line, f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 1, f"YAML error: {exc}")]
    except RecursionError:
        return None, [Problem(name, 1, "YAML nesting is too deep")]
    return data, []


# --------------------------------------------------------------------------- criteria catalog


def load_criteria(path: Path | None = None) -> tuple[dict[str, Criterion], dict[str, tuple[str, str]]]:
    path = path or paths.data_dir() / "criteria.yaml"
    data, problems = read_yaml(path)
    if problems:
        raise ContentError(problems)
    try:
        series = {sid: (s["principle"], s["name"]) for sid, s in data["series"].items()}
        criteria = {}
        for cid, title in data["criteria"].items():
            sid = cid.split(".")[0]
            principle, name = series[sid]
            criteria[cid] = Criterion(cid, principle, sid, name, title)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ContentError([Problem(str(path), 1, f"malformed criteria catalog: {exc}")]) from None
    return criteria, series


# --------------------------------------------------------------------------- validation


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

    def text(self, m: LineDict, key: str, where: str, required: bool = True, limit: int = 10_000) -> str:
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
        allowed = set(allowed)
        for key in m:
            if key not in allowed:
                self.add(m.line_of(key), f"{where}: unknown field '{key}'")


def _typename(value: Any) -> str:
    return {dict: "a mapping", LineDict: "a mapping", list: "a list", str: "text", type(None): "empty"}.get(
        type(value), type(value).__name__
    )


_COMMON = ("id", "title", "question", "guidance", "condition")
_SCORED = ("evidence", "remediation", "criteria", "severity", "effort", "weight", "frequency", "references")
_FIELDS = {
    "scope": _COMMON + ("type", "options", "field"),
    "control": _COMMON + _SCORED,
    "policy": _COMMON + _SCORED + ("purpose", "contents"),
}


@dataclass
class _RawItem:
    item: dict  # constructor kwargs
    condition: Any
    condition_line: int
    file: str


def _parse_file(path: Path, criteria: Mapping[str, Criterion], out_sections: list, out_raw: list,
                banks: dict, problems: list[Problem]) -> None:
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
    ck.unknown_keys(top, ("bank", "version", "kind", "sections"), "file")
    bank = ck.text(top, "bank", "file")
    version = top.get("version")
    if version is None or isinstance(version, (list, dict, bool)):
        ck.add(top.line_of("version"), "file: missing or bad field 'version' (text such as \"2026.11\")")
        version = ""
    version = str(version)
    file_kind = ck.choice(top, "kind", "file", BANK_KINDS)
    if bank and version:
        seen = banks.get(bank)
        if seen and seen[0] != version:
            ck.add(top.line_of("version"), f"bank '{bank}' has version {version} here but {seen[0]} in {seen[1]}")
        banks.setdefault(bank, (version, name))
    sections = top.get("sections")
    if not isinstance(sections, list) or not sections:
        ck.add(top.line_of("sections"), "file: 'sections' must be a non-empty list")
        sections = []
    kind = BANK_KINDS.get(file_kind or "", None)
    for sec in sections:
        s = ck.mapping(sec, top.line_of("sections"), "a section")
        if s is None:
            continue
        ck.unknown_keys(s, ("id", "title", "intro", "items"), "section")
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
            parsed = _parse_item(ck, m, kind, sid, criteria)
            if parsed:
                parsed.file = name
                out_raw.append(parsed)
                ids.append(parsed.item["id"])
        if kind is not None:
            out_sections.append((sid, title, intro, kind, bank, ids, name, s.line))
    problems.extend(ck.problems)


def _parse_item(ck: _Checker, m: LineDict, kind: str, section: str, criteria: Mapping[str, Criterion]) -> _RawItem | None:
    iid = m.get("id")
    if not isinstance(iid, str) or not _ID_RE.match(iid):
        ck.add(m.line_of("id"), f"item: missing or bad id {iid!r} (letters, digits, '.', '_', '-'; at most 64)")
        return None
    where = f"item {iid}"
    ck.unknown_keys(m, _FIELDS[kind], where)
    kw: dict[str, Any] = {
        "id": iid,
        "kind": kind,
        "section": section,
        "title": ck.text(m, "title", where, limit=80),
        "question": ck.text(m, "question", where),
        "guidance": ck.text(m, "guidance", where),
        "source": f"{ck.file}:{m.line}",
    }
    if kind == "scope":
        kw["type"] = ck.choice(m, "type", where, SCOPE_TYPES) or "text"
        kw["field"] = ck.choice(m, "field", where, ASSESSMENT_FIELDS, required=False)
        kw["options"] = _parse_options(ck, m, where, kw["type"])
    else:
        kw["evidence"] = ck.texts(m, "evidence", where)
        kw["remediation"] = ck.text(m, "remediation", where)
        crit = m.get("criteria")
        good: list[str] = []
        if not isinstance(crit, list) or not crit:
            ck.add(m.line_of("criteria"), f"{where}: 'criteria' must be a non-empty list of criterion ids")
        else:
            for cid in crit:
                if not isinstance(cid, str) or cid not in criteria:
                    ck.add(m.line_of("criteria"), f"{where}: unknown criterion id {cid!r}")
                elif cid in good:
                    ck.add(m.line_of("criteria"), f"{where}: criterion {cid} is listed twice")
                else:
                    good.append(cid)
        kw["criteria"] = tuple(good)
        kw["principles"] = tuple(p for p in PRINCIPLES if any(criteria[c].principle == p for c in good))
        sev = ck.choice(m, "severity", where, SEVERITIES) or "medium"
        kw["severity"] = sev
        weight = m.get("weight", SEVERITY_WEIGHTS[sev])
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 100:
            ck.add(m.line_of("weight"), f"{where}: 'weight' must be a number above 0 and at most 100")
            weight = SEVERITY_WEIGHTS[sev]
        kw["weight"] = float(weight)
        kw["effort"] = ck.choice(m, "effort", where, EFFORTS) or "M"
        kw["frequency"] = ck.choice(m, "frequency", where, FREQUENCIES, required=(kind == "policy"))
        kw["references"] = _parse_references(ck, m, where)
        if kind == "policy":
            kw["purpose"] = ck.text(m, "purpose", where)
            kw["contents"] = ck.texts(m, "contents", where)
    return _RawItem(kw, m.get("condition"), m.line_of("condition"), ck.file)


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


def _parse_condition(raw: Any, line: int, scope_items: Mapping[str, Item], add) -> Condition | None:
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
            subs = [_parse_condition(p, where_line, scope_items, add) for p in parts]
            return None if None in subs else Condition(op, parts=tuple(subs))  # type: ignore[arg-type]
    if "not" in raw:
        if len(raw) != 1:
            add(where_line, "condition 'not' must be the only key")
            return None
        sub = _parse_condition(raw["not"], where_line, scope_items, add)
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


# --------------------------------------------------------------------------- loading


def bank_files(dirs: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        if d.is_file():
            files.append(d)
            continue
        if not d.is_dir():
            raise ContentError([Problem(str(d), 0, "no such questionnaire file or directory")])
        files += sorted(p for p in d.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _display(path: Path) -> str:
    """Show paths relative to the current directory when that is shorter."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if len(rel) < len(str(path)) else str(path)


def load_questionnaire(extra: Iterable[Path] = (), builtin: bool = True, cache: bool = True) -> Questionnaire:
    """Load the built-in banks (unless builtin=False) plus extra files/directories.

    A validated result is cached (see `cache.py`), keyed by the bytes of every file read, so a
    second start with unchanged banks skips parsing. Problems are never cached.
    """
    sources = ([paths.questionnaires_dir()] if builtin else []) + list(extra)
    files = [Path(_display(f)) for f in bank_files(sources)]
    if not cache:
        return _load(files)
    from soc2_tui import cache as cache_mod

    key = cache_mod.key_for([paths.data_dir() / "criteria.yaml", *files])
    found = cache_mod.get(key) if key else None
    if isinstance(found, Questionnaire):
        return found
    q = _load(files)
    if key:
        cache_mod.put(key, q)
    return q


def _load(files: list[Path]) -> Questionnaire:
    criteria, series = load_criteria()
    problems: list[Problem] = []
    raw_sections: list = []
    raw_items: list[_RawItem] = []
    banks: dict[str, tuple[str, str]] = {}
    for f in files:
        _parse_file(f, criteria, raw_sections, raw_items, banks, problems)

    # Ids are unique across every loaded file.
    first_seen: dict[str, str] = {}
    for r in raw_items:
        iid = r.item["id"]
        if iid in first_seen:
            file, line = r.item["source"].rsplit(":", 1)
            problems.append(Problem(file, int(line), f"duplicate item id {iid} (first defined at {first_seen[iid]})"))
        else:
            first_seen[iid] = r.item["source"]
    sec_seen: dict[str, str] = {}
    for sid, _t, _i, _k, _b, _ids, file, line in raw_sections:
        if sid in sec_seen:
            problems.append(Problem(file, line, f"duplicate section id {sid} (first defined in {sec_seen[sid]})"))
        sec_seen.setdefault(sid, f"{file}:{line}")

    # Conditions need every scope item first.
    scope_stub = {r.item["id"]: Item(**r.item) for r in raw_items if r.item["kind"] == "scope"}
    items: dict[str, Item] = {}
    for r in raw_items:
        cond = None
        if r.condition is not None:
            line = r.condition_line

            def add(ln: int, msg: str, _r=r) -> None:
                problems.append(Problem(_r.file, ln, f"item {_r.item['id']}: {msg}"))

            cond = _parse_condition(r.condition, line, scope_stub, add)
        items.setdefault(r.item["id"], Item(**r.item, condition=cond))

    if problems:
        raise ContentError(problems)

    series_rank = {sid: n for n, sid in enumerate(series)}
    kind_rank = {"scope": 0, "control": 1, "policy": 2}
    ordered = sorted(
        enumerate(raw_sections),
        key=lambda e: (kind_rank[e[1][3]], series_rank.get(e[1][0], len(series_rank)), e[0]),
    )
    sections = tuple(
        Section(sid, title, intro, kind, bank, tuple(items[i] for i in ids))
        for _, (sid, title, intro, kind, bank, ids, _f, _l) in ordered
    )
    ordered_items = {it.id: it for s in sections for it in s.items}
    return Questionnaire(
        criteria=criteria,
        series=series,
        sections=sections,
        items=ordered_items,
        banks={name: v for name, (v, _f) in sorted(banks.items())},
        files=tuple(str(f) for f in files),
    )


def validate(paths_: Iterable[Path] = ()) -> list[Problem]:
    """All problems in the built-in banks plus the given files (empty list when all is well)."""
    try:
        load_questionnaire(extra=list(paths_))
    except ContentError as exc:
        return exc.problems
    return []


def parse_date(value: Any) -> date | None:
    """A date from an ISO string or a date; None for anything else."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
