"""Reads for following the file while it is open: what another program changed since we last looked.

The app polls these (tui/live.py), so every one of them is read-only and cheap:

- `data_version(store)`: SQLite's `PRAGMA data_version` on this thread's connection. It changes
  only when ANOTHER connection committed (a write through this very connection does not move
  it), so an idle app reads one integer and stops there.
- `changes_since(store, after)`: the history rows after one id, by the rowid (no scan).
- `own_write(store, seal)`: whether this store wrote a row (its seal was recorded as it was
  written), so the app never mistakes another terminal's row for its own, same name or not.
- `last_history_id`, `recent_authors` (who changed something lately, newest rows first, stopping
  at the first older one) and `field_change` (who last changed one field of one answer).

Nothing here writes, so nothing here can disturb the other engineer's or the other terminal's
transactions; a file that is still pending (`Store(path, later=True)`, no file yet) reads as
empty until another program makes it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from soc2_tui.model import Change

if TYPE_CHECKING:
    from soc2_tui.store import Store

SMALLEST_DATABASE = 512  # bytes: a file smaller than one SQLite page is still being made


@dataclass(frozen=True)
class Seen:
    """One history row, with the id of its assessment (Change names it only by its name)."""

    assessment_id: int
    change: Change
    seal: str = ""  # the row's hash in the audit trail: unique, so it tells whose write it was


def _absent(store: Store) -> bool:
    """True while a pending store has no file to read, or one another program is still making."""
    if not store.pending:
        return False
    try:
        return os.path.getsize(store.path) < SMALLEST_DATABASE
    except OSError:
        return True


def data_version(store: Store) -> tuple[int, int] | None:
    """(this thread's connection, its data_version): moves when another connection commits.

    The connection is part of the value: a pending store switches from its empty in-memory
    database to the file when another program makes it, and the counters of two connections
    cannot be compared. None while there is no file to read.
    """
    if _absent(store):
        return None
    conn = store.conn
    return id(conn), conn.execute("PRAGMA data_version").fetchone()[0]


def last_history_id(store: Store) -> int:
    if _absent(store):
        return 0
    row = store.conn.execute("SELECT max(id) FROM history").fetchone()
    return row[0] or 0


def changes_since(store: Store, after: int, limit: int = 2000) -> list[Seen]:
    """History rows with an id above `after`, oldest first (at most `limit`)."""
    if _absent(store):
        return []
    rows = store.conn.execute(
        "SELECT h.id, h.assessment_id, a.name, h.item_id, h.field, h.old_value, h.new_value, h.changed_by,"
        " h.changed_at, h.hash FROM history h JOIN assessments a ON a.id = h.assessment_id"
        " WHERE h.id > ? ORDER BY h.id LIMIT ?", (after, limit)).fetchall()
    return [Seen(aid, Change(rid, name, item, field, old, new, by, at), seal)
            for rid, aid, name, item, field, old, new, by, at, seal in rows]


def own_write(store: Store, seal: str) -> bool:
    """Whether this store (any of its connections: the screen's, the writer thread's) wrote the
    history row with this seal; a row is answered once, then forgotten."""
    from soc2_tui.store import trail

    for conn in list(store._conns):
        mine = trail._WRITTEN.get(id(conn))
        if mine and seal in mine:
            mine.discard(seal)
            return True
    return False


def recent_authors(store: Store, since: str, limit: int = 5000) -> dict[str, str]:
    """Who changed something after the ISO UTC stamp `since`: name → their latest stamp.

    Walks the history from its newest row and stops at the first older than `since` (ids grow
    with time), so a file with 200,000 rows costs what its last few minutes cost.
    """
    found: dict[str, str] = {}
    if _absent(store):
        return found
    for by, at in _newest_first(store, limit):
        if at <= since:
            break
        if by and by not in found:
            found[by] = at
    return found


def _newest_first(store: Store, limit: int) -> Iterator[tuple[str, str]]:
    cursor = store.conn.execute("SELECT changed_by, changed_at FROM history ORDER BY id DESC LIMIT ?", (limit,))
    while rows := cursor.fetchmany(200):
        yield from rows


def field_change(store: Store, assessment_id: int, item_id: str, field: str) -> Change | None:
    """The last change of one field of one answer (who wrote the value there now), or None."""
    if _absent(store):
        return None
    row = store.conn.execute(
        "SELECT h.id, a.name, h.old_value, h.new_value, h.changed_by, h.changed_at FROM history h"
        " JOIN assessments a ON a.id = h.assessment_id"
        " WHERE h.assessment_id = ? AND h.item_id = ? AND h.field = ? ORDER BY h.id DESC LIMIT 1",
        (assessment_id, item_id, field)).fetchone()
    if row is None:
        return None
    rid, name, old, new, by, at = row
    return Change(rid, name, item_id, field, old, new, by, at)
