"""Load the criteria catalog and every question bank into one validated `Questionnaire`.

Loading raises `ContentError` carrying every problem found, never only the first. A validated
result is cached (see `cache.py`), keyed by the bytes of every file read.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from soc2_tui import paths
from soc2_tui.banks.validator import BankInfo, RawItem, parse_condition, parse_file
from soc2_tui.banks.yaml_reader import read_yaml
from soc2_tui.errors import ContentError, Problem
from soc2_tui.model import BankMeta, Criterion, Item, Questionnaire, Section


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


def bank_files(dirs: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        try:
            os.stat(d)
        except FileNotFoundError:
            pass
        except OSError as exc:  # a name too long for the system, a path through a file …
            raise ContentError([Problem(str(d), 0, f"cannot read: {exc.strerror}")]) from None
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


BUILTIN = "the built-in bank"


def load_questionnaire(extra: Iterable[Path] = (), builtin: bool = True, cache: bool = True) -> Questionnaire:
    """Load the built-in banks (unless builtin=False) plus extra files/directories.

    A validated result is cached (see `cache.py`), keyed by the bytes of every file read, so a
    second start with unchanged banks skips parsing. Problems are never cached.
    """
    groups = _groups(list(extra), builtin)
    if not cache:
        return _load(groups)
    from soc2_tui.banks import cache as cache_mod

    key = cache_mod.key_for([paths.data_dir() / "criteria.yaml", *(f for _o, fs, _s in groups for f in fs)])
    found = cache_mod.get(key) if key else None
    if isinstance(found, Questionnaire):
        return found
    q = _load(groups)
    if key:
        cache_mod.put(key, q)
    return q


Group = tuple[str, list[Path], bool]  # where the files were found, the files, strict or not


def _groups(extra: list[Path], builtin: bool, strict: bool = False, builtin_strict: bool = False) -> list[Group]:
    """The bank files by where they were found: the built-in folder first, then each given path."""
    groups: list[Group] = []
    seen: set[Path] = set()
    sources = [(BUILTIN, paths.questionnaires_dir())] if builtin else []
    # A folder is one place; a file given by itself belongs to its folder (two files of one bank
    # named one by one are still one bank).
    sources += [(_place(p), p) for p in extra]
    for origin, source in sources:
        files = [f for f in bank_files([source]) if f.resolve() not in seen]
        seen.update(f.resolve() for f in files)
        is_builtin = origin == BUILTIN
        groups.append((origin, [Path(_display(f)) for f in files], strict or (is_builtin and builtin_strict)))
    return groups


def _place(path: Path) -> str:
    try:
        return str((path.parent if path.is_file() else path).resolve())
    except (OSError, RuntimeError):  # unreadable: loading says why
        return str(path)


def _load(groups: list[Group]) -> Questionnaire:
    criteria, series = load_criteria()
    problems: list[Problem] = []
    raw_sections: list = []
    raw_items: list[RawItem] = []
    banks: dict[str, BankInfo] = {}
    files = [f for _o, fs, _s in groups for f in fs]
    for origin, group_files, strict in groups:
        for f in group_files:
            parse_file(f, criteria, raw_sections, raw_items, banks, problems, strict=strict, origin=origin)
    problems += _duplicates(raw_items, raw_sections)
    problems += _replaces(raw_items)
    items = _with_conditions(raw_items, problems)
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
        banks={name: b.version for name, b in sorted(banks.items())},
        files=tuple(str(f) for f in files),
        bank_meta=_bank_meta(banks, raw_sections),
        bank_metadata={name: b.metadata for name, b in sorted(banks.items()) if b.metadata},
    )


def _replaces(raw_items: list[RawItem]) -> list[Problem]:
    """`replaces` names retired ids: never an id still in use, never one replaced by two items."""
    problems = []
    current = {r.item["id"] for r in raw_items}
    by: dict[str, str] = {}
    for r in raw_items:
        file, line = r.item["source"].rsplit(":", 1)
        for old in r.item.get("replaces", ()):
            if old in current:
                problems.append(Problem(file, int(line), f"item {r.item['id']}: replaces {old}, which is still an "
                                        "item; an id is replaced only once it is retired"))
            elif old in by:
                problems.append(Problem(file, int(line), f"item {r.item['id']}: replaces {old}, which {by[old]} "
                                        "replaces already"))
            else:
                by[old] = r.item["id"]
    return problems


def _bank_meta(banks: dict[str, BankInfo], raw_sections: list) -> dict[str, BankMeta]:
    """Each bank's version, content hash and files (an assessment records them: `bankset.py`)."""
    files: dict[str, list[str]] = {}
    for _sid, _t, _i, _k, bank, _ids, file, _line in raw_sections:
        if file not in files.setdefault(bank, []):
            files[bank].append(file)
    out = {}
    for name, info in sorted(banks.items()):
        version = info.version
        digests = sorted(hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in files.get(name, ()))
        out[name] = BankMeta(version, hashlib.sha256("\n".join(digests).encode()).hexdigest(),
                             tuple(files.get(name, ())))
    return out


def _duplicates(raw_items: list[RawItem], raw_sections: list) -> list[Problem]:
    """Item and section ids are unique across every loaded file."""
    problems = []
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
    return problems


def _with_conditions(raw_items: list[RawItem], problems: list[Problem]) -> dict[str, Item]:
    """The items, each with its condition parsed (conditions need every scope item first)."""
    scope_stub = {r.item["id"]: Item(**r.item) for r in raw_items if r.item["kind"] == "scope"}
    items: dict[str, Item] = {}
    for r in raw_items:
        cond = None
        if r.condition is not None:
            def add(ln: int, msg: str, _r: RawItem = r) -> None:
                problems.append(Problem(_r.file, ln, f"item {_r.item['id']}: {msg}"))

            cond = parse_condition(r.condition, r.condition_line, scope_stub, add)
        items.setdefault(r.item["id"], Item(**r.item, condition=cond))
    return items


def validate(paths_: Iterable[Path] = (), strict: bool = False, builtin: bool = True) -> list[Problem]:
    """All problems in the built-in banks plus the given files (empty list when all is well)."""
    try:
        check(paths_, strict=strict, builtin=builtin)
    except ContentError as exc:
        return exc.problems
    return []


def check(paths_: Iterable[Path] = (), strict: bool = False, builtin: bool = True) -> Questionnaire:
    """What `soc2-tui validate` checks: the built-in banks (unless builtin=False) and the given
    files and folders, loaded together; every problem raises `ContentError`.

    The built-in bank is checked strictly; `strict` checks the given files so too. A given folder
    holding no bank is a problem; a given folder that is a copy of the built-in one (the
    repository's own `questionnaires/`) is checked as the built-in bank, in its place."""
    given = list(paths_)
    empty = [Problem(str(p), 0, "no question banks here (no .yaml or .yml files below this folder)")
             for p in given if _is_dir(p) and not _has_banks(p)]
    if empty:
        raise ContentError(empty)
    copies = [p for p in given if builtin and _is_builtin_copy(p)]
    if copies:  # checked as the built-in bank, instead of the installed one
        groups = [(BUILTIN, [Path(_display(f)) for f in bank_files(copies)], True)]
        done = {f.resolve() for f in groups[0][1]}
        groups += [(o, [f for f in fs if f.resolve() not in done], s)
                   for o, fs, s in _groups([p for p in given if p not in copies], False, strict=strict)]
    else:
        groups = _groups(given, builtin, strict=strict, builtin_strict=True)
    return _load(groups)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long for the system: loading says so
        return False


def _has_banks(folder: Path) -> bool:
    try:
        return bool(bank_files([folder]))
    except ContentError:
        return True  # unreadable: loading says why


def _is_builtin_copy(folder: Path) -> bool:
    """The built-in folder itself, or a copy of it (every built-in file at the same place inside):
    the repository's `questionnaires/` next to an installed copy, edited or not."""
    if not _is_dir(folder):
        return False
    home = paths.questionnaires_dir()
    if folder.resolve() == home.resolve():
        return True
    try:
        names = [f.relative_to(home) for f in bank_files([home])]
    except (ContentError, ValueError):
        return False
    return bool(names) and all((folder / n).is_file() for n in names)
