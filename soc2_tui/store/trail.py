"""The audit trail's seal: every history row carries a hash over its own fields and the hash of
the assessment's previous row, so a row changed, removed or inserted afterwards breaks the chain.

What it proves, and what it does not: anyone holding the file can recompute a whole chain, so the
chain shows an edit only against a seal somebody kept: the seal `soc2-tui verify` prints (and the
report can state). Kept by the consultant or the auditor, it shows that the trail they saw is the
trail in the file. Files made before schema 2 are sealed when they are migrated: the chain starts
there (docs/database.md).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring
from operator import attrgetter
from typing import TYPE_CHECKING

from soc2_tui.model import ANSWER_FIELDS, Answer, Assessment
from soc2_tui.model import TrailVerdict as Verdict
from soc2_tui.store import codec

if TYPE_CHECKING:
    import sqlite_utils

INSERT = ("INSERT INTO history (assessment_id, item_id, field, old_value, new_value, changed_by, changed_at, hash)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
_LAST = "SELECT hash FROM history WHERE assessment_id = ? ORDER BY id DESC LIMIT 1"
_ROWS = ("SELECT id, item_id, field, old_value, new_value, changed_by, changed_at, hash FROM history"
         " WHERE assessment_id = ? ORDER BY id")
# One change: item_id, field, old_value, new_value, changed_by, changed_at (as stored).
Row = tuple[str, str, "str | None", "str | None", str, str]


def seal(previous: str | None, assessment_id: int, row: Row) -> str:
    """The hash of one history row, chained to the previous row's.

    The hashed text is the compact JSON array `[previous or "", assessment_id, *row]`, as
    `json.dumps(..., ensure_ascii=False, separators=(",", ":"))` writes it (docs/database.md).
    It is assembled here from json's own string encoder, the same bytes at less than half the
    cost: `verify` and the report recompute every seal (tests/test_trail.py proves the bytes equal).
    """
    item, field, old, new, by, at = row
    blob = (f"[{encode_basestring(previous or '')},{int(assessment_id)},{encode_basestring(item)},"
            f"{encode_basestring(field)},{_NULL if old is None else encode_basestring(old)},"
            f"{_NULL if new is None else encode_basestring(new)},{encode_basestring(by)},{encode_basestring(at)}]")
    return _sha256(blob.encode("utf-8")).hexdigest()


_NULL = "null"
_sha256 = hashlib.sha256


_WRITTEN: dict[int, set[str]] = {}  # id(connection) → seals of the rows it wrote, until a follower sees them


def written(conn: sqlite3.Connection) -> set[str]:
    """The seals of the history rows this connection wrote that no follower has seen yet: how
    the app tells its own rows from another terminal's, even one answering under the same name."""
    return _WRITTEN.setdefault(id(conn), set())


class Chain:
    """Appends sealed history rows for one assessment inside the caller's write transaction."""

    def __init__(self, conn: sqlite3.Connection, assessment_id: int):
        self.conn = conn
        self.assessment_id = assessment_id
        found = conn.execute(_LAST, (assessment_id,)).fetchone()
        self.last: str | None = found[0] if found else None

    def add(self, rows: Iterable[Row]) -> None:
        params = []
        for row in rows:
            self.last = seal(self.last, self.assessment_id, row)
            params.append((self.assessment_id, *row, self.last))
        self.conn.executemany(INSERT, params)
        written(self.conn).update(p[-1] for p in params)


def verify(conn: sqlite3.Connection, a: Assessment, answers: Mapping[str, Answer]) -> Verdict:
    """Check the chain row by row, then the answers and the assessment against the history's end state."""
    last: str | None = None
    count = 0
    final: dict[str, dict[str, str | None]] = {}  # item → field → the value its last change set
    aid = a.id
    for rid, item, field, old, new, by, at, stored in conn.execute(_ROWS, (aid,)):
        count += 1
        try:
            expected = seal(last, aid, (item, field, old, new, by, at))
        except (TypeError, AttributeError, UnicodeEncodeError):  # a value a change can never hold
            return Verdict(count, last, f"change #{rid} holds a value that is not text: it was altered")
        if stored != expected:
            return Verdict(count, last, f"change #{rid} ({at[:19]}, {item} {field}) does not match its seal: "
                                        "it, or a change before it, was altered, inserted or removed")
        last = expected
        fields = final.get(item)
        if fields is None:
            final[item] = {field: new}
        else:
            fields[field] = new
    return Verdict(count, last, _state_problem(a, answers, final))


_answer_fields = attrgetter(*ANSWER_FIELDS)
_DEFAULTS = _answer_fields(Answer(""))


def _state_problem(a: Assessment, answers: Mapping[str, Answer],
                   final: Mapping[str, Mapping[str, str | None]]) -> str | None:
    """Where the answers or the assessment differ from the last value the history gives them."""
    history_text = codec.history_text
    for item_id in sorted(answers):
        values = _answer_fields(answers[item_id])
        changed = final.get(item_id, {})
        if not changed and values == _DEFAULTS:
            continue
        for f, value, default in zip(ANSWER_FIELDS, values, _DEFAULTS):
            now = history_text(f, value)
            if f in changed:
                if changed[f] != now:
                    return f"{item_id} {f} is {now!r} but the history's last change set {changed[f]!r}"
            elif value != default:
                return f"{item_id} {f} is {now!r} but no change in the history set it"
    for item_id, changed in final.items():
        for f, value in changed.items():
            if f in codec.ASSESSMENT_EDITABLE and (item_id == f or item_id == "@assessment"):
                now = codec.assessment_text(getattr(a, f))
                if now != value:
                    return f"the assessment's {f} is {now!r} but the history's last change set {value!r}"
    return None


def seal_existing(db: sqlite_utils.Database) -> None:
    """Migration 1 → 2: add the hash column and its index, and seal every row there is, in order.

    Safe to run again after an interruption: the column is added once and the hashes recomputed.
    """
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        if "hash" not in [r[1] for r in conn.execute("PRAGMA table_info(history)")]:
            conn.execute("ALTER TABLE history ADD COLUMN hash TEXT")
        conn.execute(HISTORY_INDEX)
        for (aid,) in conn.execute("SELECT DISTINCT assessment_id FROM history").fetchall():
            last = None
            rows = conn.execute(_ROWS, (aid,)).fetchall()
            for rid, *fields, _stored in rows:
                last = seal(last, aid, tuple(fields))
                conn.execute("UPDATE history SET hash = ? WHERE id = ?", (last, rid))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


HISTORY_INDEX = "CREATE INDEX IF NOT EXISTS history_by_assessment ON history (assessment_id, id)"
