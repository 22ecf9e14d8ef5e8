"""The frameworks declared in `data/frameworks/*.yaml`: id, name, version, the keys a bank's
`references` use for them, and every control id with this project's own short title.

Read on first use, never at import: a cached copy (banks.cache, keyed by the files' bytes) means
a warm start never imports PyYAML. A malformed file raises ContentError naming file and line.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soc2_tui import paths
from soc2_tui.errors import ContentError, Problem

_FIELDS = ("id", "name", "short", "version", "keys", "note", "order", "controls")


@dataclass(frozen=True)
class Framework:
    id: str  # e.g. iso27001-2022: what `coverage --framework` takes
    name: str  # e.g. "ISO/IEC 27001:2022 Annex A"
    short: str  # e.g. "ISO 27001:2022": the dashboard's word
    version: str
    keys: tuple[str, ...]  # reference keys that name it in a bank besides its id (e.g. iso27001_2022)
    note: str
    controls: Mapping[str, str]  # control id -> own short title, in the standard's order
    file: str = ""

    def names(self) -> tuple[str, ...]:
        """Every reference key that names this framework: its id first, then its keys."""
        return (self.id, *self.keys)


def framework_files(directory: Path | None = None) -> list[Path]:
    d = directory or paths.data_dir() / "frameworks"
    try:
        return sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    except OSError:
        return []


@functools.cache
def declared(directory: Path | None = None) -> tuple[Framework, ...]:
    """Every declared framework, by `order` then file name (cached per process and, across
    processes, in the bank cache)."""
    files = framework_files(directory)
    from soc2_tui.banks import cache

    key = cache.key_for(files)
    found = cache.get(key) if key else None
    if isinstance(found, tuple) and all(isinstance(f, Framework) for f in found):
        return found
    frameworks = _parse_all(files)
    if key:
        cache.put(key, frameworks)
    return frameworks


def by_name(frameworks: tuple[Framework, ...]) -> dict[str, Framework]:
    """Reference key or id (as written, and case-folded) -> framework."""
    out: dict[str, Framework] = {}
    for fw in frameworks:
        for name in fw.names():
            out.setdefault(name, fw)
            out.setdefault(name.casefold(), fw)
    return out


def find(frameworks: tuple[Framework, ...], name: str) -> Framework | None:
    """The framework an id or reference key names (any letter case), or None."""
    table = by_name(frameworks)
    return table.get(name) or table.get(name.strip().casefold())


def _parse_all(files: list[Path]) -> tuple[Framework, ...]:
    from soc2_tui.banks.yaml_reader import read_yaml

    problems: list[Problem] = []
    out: list[tuple[int, Framework]] = []
    seen: dict[str, str] = {}
    for f in files:
        data, found = read_yaml(f)
        problems += found
        if data is None:
            continue
        fw = _parse(f, data, problems)
        if fw is None:
            continue
        for name in fw.names():
            if name.casefold() in seen:
                problems.append(Problem(str(f), 1, f"framework name {name!r} is already used by "
                                                   f"{seen[name.casefold()]}"))
            seen.setdefault(name.casefold(), str(f))
        out.append((_order(data), fw))
    if problems:
        raise ContentError(problems)
    return tuple(fw for _o, fw in sorted(out, key=lambda e: e[0]))


def _order(data: Any) -> int:
    order = data.get("order", 100)
    return order if isinstance(order, int) and not isinstance(order, bool) else 100


def _parse(f: Path, data: Any, problems: list[Problem]) -> Framework | None:
    name = str(f)
    line = getattr(data, "line_of", lambda _k: 1)
    if not isinstance(data, dict):
        problems.append(Problem(name, 1, "a framework file must be a mapping (id, name, version, controls …)"))
        return None
    before = len(problems)
    for key in data:
        if key not in _FIELDS:
            problems.append(Problem(name, line(key), f"unknown field {key!r} (allowed: {', '.join(_FIELDS)})"))
    text: dict[str, Any] = {k: data.get(k) for k in ("id", "name", "short", "version", "note")}
    for k, value in text.items():
        required = k in ("id", "name", "version")
        if (required or value is not None) and (not isinstance(value, str) or not value.strip()):
            problems.append(Problem(name, line(k), f"'{k}' must be text (quote a number such as \"2.0\")"))
    if "order" in data and (not isinstance(data["order"], int) or isinstance(data["order"], bool)):
        problems.append(Problem(name, line("order"), "'order' must be a whole number (where it is listed)"))
    keys = data.get("keys") or []
    if not isinstance(keys, list) or not all(isinstance(k, str) and k.strip() for k in keys):
        problems.append(Problem(name, line("keys"), "'keys' must be a list of reference keys"))
        keys = []
    controls = data.get("controls")
    if not isinstance(controls, dict) or not controls:
        problems.append(Problem(name, line("controls"), "'controls' must map each control id to a short title"))
        controls = {}
    for cid, title in controls.items():
        if not isinstance(cid, str) or not isinstance(title, str) or not title.strip():
            where = controls.line_of(cid) if hasattr(controls, "line_of") else 1
            problems.append(Problem(name, where, f"control {cid!r} needs an id and a short title (text)"))
    if len(problems) > before:
        return None
    return Framework(id=text["id"], name=text["name"], short=text["short"] or text["name"],
                     version=text["version"], keys=tuple(keys), note=text["note"] or "",
                     controls=dict(controls), file=name)
