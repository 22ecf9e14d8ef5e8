"""Disagreements, derived from the audit trail.

An item is a disagreement when, since it was last resolved, two or more respondents set its status
(a scope question: its value) and their latest values differ. Each respondent's latest value
counts: one who later sets the value another gave, or clears the answer, takes their position
back. (Setting the value already stored writes no history row, so it changes nothing: agreeing
with the stored answer is what resolving is for.) Resolving is a history row of its own, field
`resolved`: `old_value` the positions resolved (a JSON object, respondent → value as the history
writes it), `new_value` the note. From then on the value stored at that moment is the resolver's
position, and only what is set after it counts. It is in the audit trail like every other change, and `verify`
ignores it (it is not an answer field).

An answer moved to the item that `replaces` its id (store/banksets.py) brings its positions along:
from the `replaces` row on, what respondents said under the old id counts for the new one, and the
rows of the move itself (the old id emptied, the new one set, by whoever loaded the new bank) are
nobody's position. An answer that did not move (the new id had one of its own, so the old one
stays, orphaned) counts for the new id too, through the renames of the banks loaded
(`Store.renamed`, set with the basis when a front end loads an assessment's banks).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from soc2_tui.model import Disagreement, Position
from soc2_tui.store import codec
from soc2_tui.store.banksets import REPLACES, former_ids

RESOLVED = "resolved"  # the history field of a resolution
# A `replaces` row (item: the new id) gives the old id in place of its new value.
_ROWS = (f"SELECT item_id, field, CASE field WHEN '{REPLACES}' THEN old_value ELSE new_value END,"
         " changed_by, changed_at FROM history"
         f" WHERE assessment_id = ? AND field IN ('status', 'value', '{RESOLVED}', '{REPLACES}')")
_ALL = _ROWS + " AND changed_at <= ? ORDER BY id"
# One item: its rows and those of the ids it replaced, and any move away from them (each {}: one
# placeholder per id, nothing else).
_ONE = _ROWS + f" AND (item_id IN ({{}}) OR (field = '{REPLACES}' AND old_value IN ({{}}))) ORDER BY id"
_FAR_FUTURE = "9999"  # compares after every stamp


def derive(rows: Iterable[tuple[str, str, str | None, str, str]], renamed: Mapping[str, str] | None = None
           ) -> list[Disagreement]:
    """The unresolved disagreements in history rows (item, field, new value, by, at), oldest first;
    sorted by item id. A `replaces` row carries the old id as its value. `renamed` (old id → new,
    the loaded banks' `replaces:`): rows of an old id count for the new one even where no answer
    moved (the new id had an answer already)."""
    rows = list(rows)
    renamed = renamed or {}
    moving = {(i, by, at) for item, field, old, by, at in rows if field == REPLACES for i in (item, old)}
    positions: dict[str, dict[str, tuple[str, str, str]]] = {}  # item → respondent → (field, value, at)
    resolved: dict[str, str] = {}
    current: dict[str, tuple[str, str | None]] = {}  # item → (field, value) as last set, by anyone
    for item, field, new, by, at in rows:
        if field == REPLACES:  # the old id's positions are the new id's from now on
            _follow(new or "", item, positions, resolved, current)
            continue
        if (item, by, at) in moving:  # the move's own rows: nobody answered
            continue
        item = _current_id(item, renamed)
        if field == RESOLVED:  # the value agreed (the one stored) is the resolver's position
            agreed = current.get(item)
            positions[item] = {by: (agreed[0], agreed[1], at)} if agreed and agreed[1] is not None else {}
            resolved[item] = at
            continue
        current[item] = (field, new)
        if new is None:
            positions.get(item, {}).pop(by, None)
        else:
            mine = positions.setdefault(item, {})
            mine.pop(by, None)  # re-inserted: the respondents stay in the order of their latest word
            mine[by] = (field, new, at)
    found = []
    for item, mine in sorted(positions.items()):
        if len({value for _f, value, _at in mine.values()}) < 2:
            continue
        field = next(reversed(mine.values()))[0]
        found.append(Disagreement(item, field, tuple(Position(by, _decoded(f, v), at)
                                                     for by, (f, v, at) in mine.items()), resolved.get(item)))
    return found


def _current_id(item: str, renamed: Mapping[str, str]) -> str:
    """The id an item has now, through renames of renames."""
    seen = {item}
    while item in renamed and renamed[item] not in seen:
        item = renamed[item]
        seen.add(item)
    return item


def _follow(old: str, new: str, positions: dict[str, dict[str, tuple[str, str, str]]], resolved: dict[str, str],
            current: dict[str, tuple[str, str | None]]) -> None:
    """Carry the old id's positions, last resolution and stored value over to the new id."""
    if old in positions:
        positions[new] = {**positions.get(new, {}), **positions.pop(old)}
    if old in resolved:
        resolved[new] = resolved.pop(old)
    if old in current:
        current[new] = current.pop(old)


def _decoded(field: str, text: str) -> Any:
    if field != "value":
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def unresolved(conn: sqlite3.Connection, assessment_id: int, until: str | None = None,
               renamed: Mapping[str, str] | None = None) -> list[Disagreement]:
    """Every unresolved disagreement of the assessment (as it was at `until`, a UTC stamp)."""
    return derive(conn.execute(_ALL, (assessment_id, until or _FAR_FUTURE)), renamed)


def of_item(conn: sqlite3.Connection, assessment_id: int, item_id: str,
            renamed: Mapping[str, str] | None = None) -> Disagreement | None:
    """The item's unresolved disagreement, counting what was said under the ids it replaced."""
    renamed = renamed or {}
    ids = former_ids(conn, assessment_id, item_id)
    ids += [old for old in renamed if old not in ids and _current_id(old, renamed) == item_id]
    marks = ", ".join("?" * len(ids))
    found = [d for d in derive(conn.execute(_ONE.format(marks, marks), (assessment_id, *ids, *ids)), renamed)
             if d.item_id == item_id]
    return found[0] if found else None


def resolution(d: Disagreement, note: str, by: str, stamp: str) -> tuple[str, str, str, str, str, str]:
    """The history row that resolves `d` (trail.Row): the positions it settles, the note, who, when."""
    settled = {p.respondent: codec.history_text(d.field, p.value) for p in d.positions}
    return (d.item_id, RESOLVED, codec.encode(settled) or "{}", note, by, stamp)
