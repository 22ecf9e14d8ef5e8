"""What the file keeps about an assessment's question banks (schema 4): the basis of each answer
(the bank version and criteria it was given against, `answers.basis`) and answers moved to an
item that replaces an older id (`replaces:` in a bank), recorded in the audit trail.

Why answers are moved once rather than looked up under the old id each time they are read: an
answer lives in one row, so the app's next save of it, the exports, `verify`, `merge` and the
history all see the same item id without each knowing the renames, and the move itself is a
sealed row of the audit trail that says who moved what and when.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence

from soc2_tui.model import ANSWER_FIELDS, Answer
from soc2_tui.store import codec, trail

REPLACES = "replaces"  # the history field of a move: old_value the old id, new_value the new one
_BASES = "SELECT item_id, basis FROM answers WHERE assessment_id = ? AND basis != ''"
_MOVE = "UPDATE answers SET item_id = ? WHERE assessment_id = ? AND item_id = ?"
_DEFAULT = Answer("")


def bases(conn: sqlite3.Connection, assessment_id: int) -> dict[str, str]:
    """item → the basis recorded when its status or value was last set (answers without one left out)."""
    return dict(conn.execute(_BASES, (assessment_id,)).fetchall())


def move(conn: sqlite3.Connection, assessment_id: int, moves: Sequence[tuple[str, str]], by: str,
         stamp: str) -> list[tuple[str, str]]:
    """Move each old item's answer to its new id, inside the caller's write transaction, where the
    old id has an answer and the new one has none (a new answer wins: the old one stays, orphaned).
    The history says it field by field (the old id emptied, the new one set) and with one
    `replaces` row (old → new), so `verify` holds. Returns the moves made."""
    chain = trail.Chain(conn, assessment_id)
    done = []
    for old, new in moves:
        rows = {r[0]: codec.answer_from_row(r) for r in conn.execute(
            codec.SELECT_ANSWERS + " AND item_id IN (?, ?)", (assessment_id, old, new))}
        if old not in rows or new in rows:
            continue
        answer: Answer = rows[old]
        changed = [f for f in ANSWER_FIELDS if getattr(answer, f) != getattr(_DEFAULT, f)]
        conn.execute(_MOVE, (new, assessment_id, old))
        text = codec.history_text
        chain.add([*((old, f, text(f, getattr(answer, f)), text(f, getattr(_DEFAULT, f)), by, stamp) for f in changed),
                   *((new, f, text(f, getattr(_DEFAULT, f)), text(f, getattr(answer, f)), by, stamp) for f in changed),
                   (new, REPLACES, old, new, by, stamp)])
        done.append((old, new))
    return done


_FORMER = "SELECT old_value FROM history WHERE assessment_id = ? AND item_id = ? AND field = 'replaces'"


def former_ids(conn: sqlite3.Connection, assessment_id: int, item_id: str) -> list[str]:
    """The item and every id its answer moved from, through renames of renames."""
    ids = [item_id]
    for current in ids:  # grows while it is walked: each former id's own former ids
        for (old,) in conn.execute(_FORMER, (assessment_id, current)).fetchall():
            if isinstance(old, str) and old not in ids and len(ids) < 100:
                ids.append(old)
    return ids


def planned(replaces: Mapping[str, Sequence[str]], answered: Sequence[str], known: Sequence[str]
            ) -> list[tuple[str, str]]:
    """(old, new) for each answered old id a loaded item replaces that is not an item itself."""
    have, items = set(answered), set(known)
    return [(old, new) for new, olds in replaces.items() for old in olds
            if old in have and old not in items and new not in have]
