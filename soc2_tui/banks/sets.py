"""The banks an assessment is scored against (its `BankSet`, schema 4): what to load for it, what
to record when it is created or a bank is added, the basis recorded with each answer, and the
notices when a recorded bank cannot be found or has changed.

The notices are computed when an assessment's banks are loaded and carried on the
`Questionnaire` (`notices`), so scoring gives them as warnings to every front end (score, list,
the report's Warnings section, the app's dashboard) without knowing where banks come from.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from soc2_tui import paths
from soc2_tui.model import Assessment, BankRef, BankSet, Questionnaire

MISSING, CHANGED, MOVED = "bank_missing", "bank_changed", "criteria_moved"  # the notices' kinds


@dataclass(frozen=True)
class Sources:
    """What to load for an assessment: the built-in banks or not, and the folders or files."""

    builtin: bool
    paths: tuple[Path, ...]  # recorded paths that exist, then the ones given for this command
    missing: tuple[str, ...]  # recorded paths not found


def sources(bank_set: BankSet | None, extra: Iterable[Path] = ()) -> Sources:
    """The recorded set (None: the built-in banks alone) plus the paths given for one command."""
    found: list[Path] = []
    missing: list[str] = []
    for p in (bank_set.paths if bank_set else ()):
        if os.path.exists(p):
            found.append(Path(p))
        else:
            missing.append(p)
    return Sources(bank_set.builtin if bank_set else True, tuple(found) + tuple(extra), tuple(missing))


def absolute(path: str | Path) -> str:
    """A --bank PATH as recorded: absolute, so later commands find it from any folder."""
    return os.path.abspath(os.fspath(path))


def where(q: Questionnaire, bank: str) -> str:
    """Where a loaded bank was found: 'built-in', or the folder of its files."""
    meta = q.bank_meta.get(bank)
    if meta is None or not meta.files:
        return "not found"
    builtin = os.path.abspath(paths.questionnaires_dir())
    dirs = sorted({os.path.dirname(os.path.abspath(f)) for f in meta.files})
    if all(d == builtin or d.startswith(builtin + os.sep) for d in dirs):
        return "built-in"
    return os.path.commonpath(dirs) if len(dirs) > 1 else dirs[0]


def record(q: Questionnaire, builtin: bool, given: Iterable[str | Path]) -> BankSet:
    """The set to record for a new assessment: every bank loaded, with its version, content hash
    and where it was found ('' for the built-in banks, else the --bank PATH it came from)."""
    roots = [absolute(p) for p in given]
    return BankSet(builtin=builtin, paths=tuple(dict.fromkeys(roots)),
                   banks=tuple(_ref(q, bank, roots) for bank in sorted(q.bank_meta)))


def _ref(q: Questionnaire, bank: str, roots: list[str]) -> BankRef:
    meta = q.bank_meta[bank]
    found = where(q, bank)
    path = "" if found == "built-in" else next(
        (r for r in roots if any(os.path.abspath(f) == r or os.path.abspath(f).startswith(r + os.sep)
                                 for f in meta.files)), found)
    return BankRef(bank, meta.version, meta.hash, path)


class Basis(Mapping[str, str]):
    """item → what an answer to it is given against: its bank, the bank's version and content hash,
    and the item's criteria (JSON, `answers.basis`). Built per item when asked: a save asks for one."""

    def __init__(self, q: Questionnaire):
        self.q = q
        self._bank = {item.id: s.bank for s in q.sections for item in s.items}

    def __getitem__(self, item_id: str) -> str:
        bank = self._bank[item_id]
        meta = self.q.bank_meta.get(bank)
        return json.dumps({"bank": bank, "version": meta.version if meta else "", "hash": meta.hash if meta else "",
                           "criteria": list(self.q.items[item_id].criteria)}, separators=(",", ":"))

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._bank

    def __iter__(self) -> Iterator[str]:
        return iter(self._bank)

    def __len__(self) -> int:
        return len(self._bank)


def basis(q: Questionnaire) -> Basis:
    return Basis(q)


def read_basis(text: str) -> dict:
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _changed_since(q: Questionnaire, bases: Mapping[str, str]) -> dict[str, str]:
    """The bases not given against a bank content loaded now (an unchanged hash means unchanged
    criteria): only those are decoded, so 20,000 answers on unchanged banks cost a string search each."""
    hashes = [f'"hash":"{m.hash}"' for m in q.bank_meta.values()]
    return {item: text for item, text in bases.items() if not any(h in text for h in hashes)}


def answered_against(q: Questionnaire, bases: Mapping[str, str]) -> dict[str, int]:
    """bank → how many answers were given against another content of it than the one loaded."""
    out: dict[str, int] = {}
    for item_id, text in _changed_since(q, bases).items():
        b = read_basis(text)
        meta = q.bank_meta.get(b.get("bank", ""))
        if item_id in q.items and meta is not None and b.get("hash") and b["hash"] != meta.hash:
            out[b["bank"]] = out.get(b["bank"], 0) + 1
    return out


def notices(q: Questionnaire, a: Assessment, bases: Mapping[str, str], src: Sources | None = None
            ) -> tuple[tuple[str, str, str], ...]:
    """(kind, bank or item, message) for each recorded bank not found or changed, and each answered
    item whose criteria moved since it was answered."""
    out: list[tuple[str, str, str]] = []
    gone = ", ".join(src.missing) if src and src.missing else ""
    for ref in a.bank_set.banks:
        meta = q.bank_meta.get(ref.id)
        if meta is None:
            at = ref.path or gone or "a place this file does not record"
            out.append((MISSING, ref.id, f"bank {ref.id} {ref.version} cannot be found (it was at {at}): its "
                        f"questions are neither asked nor scored; add it again with "
                        f"`soc2-tui banks {a.name!r} --add PATH`"))
        elif (ref.hash and ref.hash != meta.hash) or ref.version != meta.version:
            out.append((CHANGED, ref.id, f"bank {ref.id} changed since it was added to this assessment "
                        f"({versions(ref.version, meta.version)}): answers given before may not fit the "
                        f"questions as they are; `soc2-tui banks {a.name!r} --add PATH` records the new content"))
    return (*out, *moved(q, bases))


def moved(q: Questionnaire, bases: Mapping[str, str]) -> tuple[tuple[str, str, str], ...]:
    """A notice for each answered item whose criteria moved since its status or value was set."""
    out = []
    for item_id, text in sorted(_changed_since(q, bases).items()):
        item = q.items.get(item_id)
        before = read_basis(text).get("criteria")
        if item is not None and item.scored and isinstance(before, list) and before != list(item.criteria):
            out.append((MOVED, item_id, f"{item_id} was answered under criteria {', '.join(map(str, before))}; "
                        f"the bank now maps it to {', '.join(item.criteria)}, so its score counts there"))
    return tuple(out)


def refreshed(q: Questionnaire, bases: Callable[[], Mapping[str, str]]) -> Questionnaire:
    """`q` with its criteria-moved notices computed again from the bases recorded now (an item
    answered again against the loaded bank is no longer listed); `q` itself when they are the same.
    `bases` reads them, and is not called when `q` has no such notice: answering never adds one
    (only a changed bank does, and that loads the banks again)."""
    if not any(kind == MOVED for kind, _subject, _message in q.notices):
        return q
    found = (*(n for n in q.notices if n[0] != MOVED), *moved(q, bases()))
    return q if found == q.notices else replace(q, notices=found)


def versions(then: str, now: str) -> str:
    """How a changed bank's version moved, in words."""
    if then == now:
        return f"its content differs, under the same version {now}"
    return f"version {then} then, {now} now"


def with_notices(q: Questionnaire, found: tuple[tuple[str, str, str], ...]) -> Questionnaire:
    return replace(q, notices=found) if found or q.notices else q


def renames(q: Questionnaire) -> dict[str, tuple[str, ...]]:
    """new item → the older ids it replaces."""
    return {item.id: item.replaces for item in q.items.values() if item.replaces}
