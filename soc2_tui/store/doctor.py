"""`soc2-tui doctor FILE`: every way an assessment file differs from what soc2-tui writes, and a
cleaned copy made from the rows that are sound. The file itself is never changed: it is opened
read-only and immutable, so not even a -wal or -shm is made beside it.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soc2_tui.errors import UserError
from soc2_tui.model import ANSWER_FIELDS, Assessment
from soc2_tui.store import authors, codec, filesys, schema, trail

_ASSESSMENT_COLUMNS = ("id", "name", "organisation", "report_type", "principles", "period_start", "period_months",
                       "bank_versions", "created_at", "updated_at")
_HISTORY_COLUMNS = ("id", "assessment_id", "item_id", "field", "old_value", "new_value", "changed_by", "changed_at")
_SNAPSHOT_COLUMNS = ("id", "assessment_id", "label", "created_at", "data")
_MAX_LISTED = 200
# The SQL, built once from the column lists above (only constants go into SQL text).
_SELECT_ASSESSMENTS = f"SELECT {', '.join(_ASSESSMENT_COLUMNS)} FROM assessments ORDER BY id"
_INSERT_ASSESSMENT = (f"INSERT INTO assessments ({', '.join(_ASSESSMENT_COLUMNS)})"
                      f" VALUES ({', '.join('?' * len(_ASSESSMENT_COLUMNS))})")
_SELECT_HISTORY = f"SELECT {', '.join(_HISTORY_COLUMNS[2:])} FROM history WHERE assessment_id = ? ORDER BY id"
_SELECT_SNAPSHOTS = f"SELECT {', '.join(_SNAPSHOT_COLUMNS[2:])} FROM snapshots WHERE assessment_id = ? ORDER BY id"


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    assessments: list[tuple[Assessment, dict[str, Any]]] = field(default_factory=list)  # sound ones, raw rows
    version: int = 0


def _open(path: Path) -> sqlite3.Connection:
    return filesys.open_immutable(path)


def diagnose(path: Path) -> Findings:
    """Read the whole file and list what is wrong with it, one finding a line."""
    conn = _open(path)
    found = Findings()
    journal = Path(f"{path}-journal")
    if journal.is_file() and journal.stat().st_size:
        found.problems.append(f"another program stopped while writing to it and left {journal.name}: what is "
                              "read here is the file without that write undone; opening the file with soc2-tui "
                              "undoes it, after keeping a copy")
    try:
        _check_file(conn, found)
        _check_assessments(conn, found)
    except sqlite3.DatabaseError as exc:
        found.problems.append(f"the file cannot be read any further: {exc}")
    finally:
        conn.close()
    if len(found.problems) > _MAX_LISTED:
        more = len(found.problems) - _MAX_LISTED
        found.problems = found.problems[:_MAX_LISTED] + [f"… and {more} more"]
    return found


def _check_file(conn: sqlite3.Connection, found: Findings) -> None:
    found.problems += [f"corrupt: {line}" for line in schema.integrity_problems(conn)]
    app = None
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
        app = conn.execute("SELECT value FROM meta WHERE key = 'app'").fetchone()
    if app is None or app[0] != schema.APP_ID:
        found.problems.append("not marked as a soc2-tui file (meta.app)")
    found.version = conn.execute("PRAGMA user_version").fetchone()[0]
    if not 1 <= found.version <= schema.SCHEMA_VERSION:
        found.problems.append(f"schema version {found.version} is not one this soc2-tui reads "
                              f"(1 to {schema.SCHEMA_VERSION})")
    found.problems += list(schema.differences(conn, found.version))


def _check_assessments(conn: sqlite3.Connection, found: Findings) -> None:
    sets = found.version >= 4 and any(r[1] == "bank_set" for r in conn.execute("PRAGMA table_info(assessments)"))
    for row in conn.execute(_SELECT_ASSESSMENTS).fetchall():
        raw = dict(zip(_ASSESSMENT_COLUMNS, row))
        if sets:  # schema 4: the bank set, which the audit trail also checks
            raw["bank_set"] = conn.execute("SELECT bank_set FROM assessments WHERE id = ?", (raw["id"],)).fetchone()[0]
        try:
            a = codec.assessment_from_row(raw)
        except UserError as exc:
            found.problems.append(str(exc))
            continue
        answers = {}
        for answer_row in conn.execute(codec.SELECT_ANSWERS, (a.id,)).fetchall():
            try:
                answer = codec.answer_from_row(tuple(answer_row))
            except UserError as exc:
                found.problems.append(f"assessment {a.name!r}: {exc}")
                continue
            answers[answer.item_id] = answer
        if found.version == schema.SCHEMA_VERSION:  # the chain is checked even when some answers are bad
            verdict = trail.verify(conn, a, answers)
            if verdict.problem:
                found.problems.append(f"assessment {a.name!r}: audit trail: {verdict.problem}")
        found.assessments.append((a, raw))


def clean_copy(path: Path, out: Path) -> dict[str, int]:
    """Write a new assessment file at `out` holding the sound rows of `path`; return what was copied.

    The copy's audit trail is sealed anew as it is written: its seal differs from the original's.
    """
    from soc2_tui.store import Store

    if os.path.lexists(out):
        raise UserError(f"{out}: already exists; the clean copy is only written to a new file")
    found = diagnose(path)
    Store(out).close()  # a new, empty file of this version
    src, dst = _open(path), sqlite3.connect(out, isolation_level=None)
    counts = {"assessments": 0, "answers": 0, "history": 0, "snapshots": 0}
    try:
        dst.execute("BEGIN IMMEDIATE")
        for a, raw in found.assessments:
            _copy_assessment(src, dst, a, raw, counts)
        dst.execute("COMMIT")
    except BaseException:
        if dst.in_transaction:
            dst.execute("ROLLBACK")
        raise
    finally:
        src.close()
        dst.close()
    return counts


def _copy_assessment(src: sqlite3.Connection, dst: sqlite3.Connection, a: Assessment, raw: dict[str, Any],
                     counts: dict[str, int]) -> None:
    dst.execute(_INSERT_ASSESSMENT, tuple(raw[c] for c in _ASSESSMENT_COLUMNS))
    dst.execute("UPDATE assessments SET bank_set = ? WHERE id = ?", (codec.assessment_text(a.bank_set), a.id))
    counts["assessments"] += 1
    for answer_row in src.execute(codec.SELECT_ANSWERS, (a.id,)):
        try:
            answer = codec.answer_from_row(tuple(answer_row))
        except UserError:
            continue
        fields = {f: getattr(answer, f) for f in ANSWER_FIELDS}
        dst.execute(codec.UPSERT_ANSWER, codec.answer_params(a.id, answer.item_id, fields, authors.of(answer)))
        counts["answers"] += 1
    rows = src.execute(_SELECT_HISTORY, (a.id,)).fetchall()
    sound = [tuple(r) for r in rows if all(isinstance(v, str) or v is None for v in r)]
    trail.Chain(dst, a.id).add(sound)
    counts["history"] += len(sound)
    for snap in src.execute(_SELECT_SNAPSHOTS, (a.id,)):
        label, created_at, data = snap
        try:
            codec.parse_json(data, "snapshots", "", "data")
        except UserError:
            continue
        dst.execute("INSERT INTO snapshots (assessment_id, label, created_at, data) VALUES (?, ?, ?, ?)",
                    (a.id, str(label), str(created_at), data))
        counts["snapshots"] += 1
