"""Writing answers inside the caller's write transaction: the fields that differ, their history
rows and their authors (store/authors.py), and for an import, the fields changed here since the
file was exported (the conflicts)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from soc2_tui.errors import ImportConflicts
from soc2_tui.model import ANSWER_FIELDS, Answer, Conflict
from soc2_tui.store import authors, codec, trail

# The changes of answer fields after a time, oldest first: what an import compares with.
_AFTER = ("SELECT item_id, field, old_value, changed_by, changed_at FROM history"
          " WHERE assessment_id = ? AND changed_at > ? AND field IN ("
          + ", ".join(f"'{f}'" for f in ANSWER_FIELDS) + ") ORDER BY id")
_SET_BASIS = "UPDATE answers SET basis = ? WHERE assessment_id = ? AND item_id = ?"
Diffs = dict[str, list[tuple[str, Any, Any]]]  # item → (field, old, new) of each field that changes


def apply(conn: sqlite3.Connection, assessment_id: int, clean: Mapping[str, Mapping[str, Any]], by: str,
          stamp: str, exported_at: Mapping[str, str] | None = None,
          basis: Mapping[str, str] | None = None) -> tuple[int, list[Conflict]]:
    """Write the fields of `clean` ({item: {field: value}}, checked) that differ from the stored
    answers. Returns the number of fields changed and, for an import (`exported_at`: item → the
    time its row was exported), the fields left as they are: changed here after the export while
    the file still holds the value exported. A field both changed raises ImportConflicts. `basis`
    (item → the bank version and criteria it is asked under, `bankset.basis`) is recorded on an
    answer whose status or value changes: what it was given against."""
    if len(clean) == 1:
        rows = conn.execute(codec.SELECT_ANSWER, (assessment_id, next(iter(clean)))).fetchall()
    else:  # one read for a whole import, not one per row
        rows = conn.execute(codec.SELECT_ANSWERS, (assessment_id,)).fetchall()
    existing = {r[0]: codec.answer_from_row(r) for r in rows}
    diffs: Diffs = {}
    for item_id, ch in clean.items():
        current = existing.get(item_id) or Answer(item_id)
        found = [(f, getattr(current, f), v) for f, v in ch.items() if getattr(current, f) != v]
        if found:
            diffs[item_id] = found
    kept: list[Conflict] = []
    if exported_at and diffs:
        kept = _since_export(conn, assessment_id, diffs, exported_at)
    chain = trail.Chain(conn, assessment_id)
    count = 0
    for item_id, found in diffs.items():
        if not found:
            continue
        current = existing.get(item_id) or Answer(item_id)
        new = {f: getattr(current, f) for f in ANSWER_FIELDS}
        new.update({f: v for f, _o, v in found})
        who = authors.after(authors.of(current), (f for f, _o, _v in found), by, stamp)
        conn.execute(codec.UPSERT_ANSWER, codec.answer_params(assessment_id, item_id, new, who))
        if basis and item_id in basis and any(f in ("status", "value") for f, _o, _v in found):
            conn.execute(_SET_BASIS, (basis[item_id], assessment_id, item_id))
        chain.add([(item_id, f, codec.history_text(f, o), codec.history_text(f, v), by, stamp) for f, o, v in found])
        count += len(found)
    return count, kept


def _since_export(conn: sqlite3.Connection, assessment_id: int, diffs: Diffs,
                  exported_at: Mapping[str, str]) -> list[Conflict]:
    """Sort out the fields changed here after their row was exported (a three-way comparison: the
    value at the export is the old value of the first change after it). The file still holds that
    value: the newer one here stays (dropped from `diffs`, returned). The file changed it too: a
    conflict (ImportConflicts, nothing written). Fields not changed here since stay in `diffs`."""
    times = [exported_at[i] for i in diffs if i in exported_at]
    if not times:
        return []
    after: dict[tuple[str, str], list[tuple[str | None, str, str]]] = {}
    for item, field, old, who, at in conn.execute(_AFTER, (assessment_id, min(times))):
        if item in diffs:
            after.setdefault((item, field), []).append((old, who, at))
    conflicts: list[Conflict] = []
    kept: list[Conflict] = []
    for item_id, found in diffs.items():
        since = exported_at.get(item_id)
        if since is None:
            continue
        for f, old, new in list(found):
            later = [c for c in after.get((item_id, f), ()) if c[2] > since]
            if not later:
                continue
            theirs = Conflict(item_id, f, codec.history_text(f, new), codec.history_text(f, old),
                              later[-1][1], later[-1][2], since)
            if theirs.file_value == later[0][0]:  # the file holds the value exported: not its change
                kept.append(theirs)
                found.remove((f, old, new))
            else:
                conflicts.append(theirs)
    if conflicts:
        raise ImportConflicts(conflicts)
    return kept
