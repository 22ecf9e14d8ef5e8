"""The assessment file's schema, its version and the migrations from older versions.

The version lives in `PRAGMA user_version`. To change the schema: add the new statements to
SCHEMA (for new files), bump SCHEMA_VERSION and add MIGRATIONS[old] (for existing files, which
are backed up first); docs/database.md says what changed in each version.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from soc2_tui.files import SQLITE_MAGIC  # noqa: F401  (the header, defined where exports check it)
from soc2_tui.store import authors, trail

if TYPE_CHECKING:
    import sqlite_utils

SCHEMA_VERSION = 4  # 2: history rows are sealed in a hash chain (store/trail.py); 3: authors per field;
#                    4: each assessment's bank set, and the bank each answer was given against
APP_ID = "soc2-tui"
BUSY_TIMEOUT_MS = 15_000

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS assessments (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        organisation TEXT NOT NULL DEFAULT '',
        report_type TEXT NOT NULL CHECK (report_type IN ('type1', 'type2')),
        principles TEXT NOT NULL,
        period_start TEXT,
        period_months INTEGER,
        bank_versions TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        bank_set TEXT NOT NULL DEFAULT '{}'
    )""",
    """CREATE TABLE IF NOT EXISTS answers (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        status TEXT CHECK (status IS NULL OR status IN
            ('not_started', 'in_progress', 'implemented', 'operating', 'not_applicable')),
        value TEXT,
        notes TEXT NOT NULL DEFAULT '',
        evidence TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL DEFAULT '',
        due_date TEXT,
        operating_since TEXT,
        last_reviewed TEXT,
        approver TEXT NOT NULL DEFAULT '',
        flagged INTEGER NOT NULL DEFAULT 0,
        status_by TEXT NOT NULL DEFAULT '',
        status_at TEXT NOT NULL,
        notes_by TEXT NOT NULL DEFAULT '',
        notes_at TEXT NOT NULL DEFAULT '',
        details_by TEXT NOT NULL DEFAULT '',
        details_at TEXT NOT NULL DEFAULT '',
        basis TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (assessment_id, item_id)
    )""",
    """CREATE TABLE IF NOT EXISTS history (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        field TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT,
        changed_by TEXT NOT NULL DEFAULT '',
        changed_at TEXT NOT NULL,
        hash TEXT
    )""",
    """CREATE INDEX IF NOT EXISTS history_by_item ON history (assessment_id, item_id, id)""",
    trail.HISTORY_INDEX,
    """CREATE TABLE IF NOT EXISTS snapshots (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        label TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        data TEXT NOT NULL
    )""",
]

# Migration 3 → 4: every assessment keeps the built-in banks and records the bank versions it
# was created against (hash and place unknown: '' ); answers were given against an unknown basis.
MIGRATION_3 = (
    "ALTER TABLE assessments ADD COLUMN bank_set TEXT NOT NULL DEFAULT '{}'",
    "ALTER TABLE answers ADD COLUMN basis TEXT NOT NULL DEFAULT ''",
    "UPDATE assessments SET bank_set = json_object('builtin', json('true'), 'paths', json_array(), 'banks',"
    " (SELECT json_group_array(json_object('id', key, 'version', value, 'hash', '', 'path', ''))"
    " FROM (SELECT key, value FROM json_each(CASE WHEN json_valid(bank_versions) AND"
    " json_type(bank_versions) = 'object' THEN bank_versions ELSE '{}' END) ORDER BY key)))",
)

# Forward migrations: MIGRATIONS[n] takes a file from schema n to n + 1. A step is SQL run in
# one transaction, or a callable given a sqlite_utils.Database — for changes plain ALTER TABLE
# cannot make, use sqlite-utils' `table.transform()` there (it manages its own transaction).
Migration = str | Callable[["sqlite_utils.Database"], None]
MIGRATIONS: dict[int, list[Migration]] = {
    1: [trail.seal_existing],  # the hash column, its index, and every existing row sealed in order
    2: list(authors.MIGRATION_2),  # who set the status, the notes and the details, from the history
    3: list(MIGRATION_3),  # the bank set (the built-in banks, with the versions recorded), answers' basis
}


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """Every schema object SQLite keeps for this file: (type, name) → its table."""
    rows = conn.execute("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'")
    return {(kind, name): table for kind, name, table in rows}


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    # table_xinfo takes no bound parameter; the name comes from the reference schema, never from the file.
    return [tuple(r) for r in conn.execute(f"PRAGMA table_xinfo({table})")]


@functools.cache
def _reference() -> tuple[dict[tuple[str, str], str], dict[str, list[tuple[object, ...]]]]:
    """The objects and columns of a file this version makes, built once in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        for sql in SCHEMA:
            conn.execute(sql)
        objects = _objects(conn)
        columns = {name: _columns(conn, name) for kind, name in objects if kind == "table"}
    finally:
        conn.close()
    return objects, columns


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """PRAGMA quick_check's findings, one a line ([] when the file is sound). SQLite packs up to a
    hundred lines into its rows under '*** in database main ***' headings; those are dropped."""
    lines = (line.strip() for (row,) in conn.execute("PRAGMA quick_check") for line in str(row).splitlines())
    found = [line for line in lines if line and not line.startswith("***")]
    return [] if found == ["ok"] else found


def unexpected(conn: sqlite3.Connection, version: int) -> str | None:
    """What this file holds that soc2-tui did not make, as a phrase naming the object; None if nothing.

    A client's file is untrusted: a trigger can rewrite answers as they are saved and a view or an
    extra table can hide or change what is read, so any of them makes the file refused. A file of
    this schema version must have exactly our tables, indexes and columns; an older file (about to
    be migrated) only must hold no trigger or view.
    """
    return next(differences(conn, version), None)


def differences(conn: sqlite3.Connection, version: int) -> Iterator[str]:
    """Every way this file's schema differs from the one soc2-tui makes (see `unexpected`)."""
    found = _objects(conn)
    for kind in ("trigger", "view"):
        for (k, name), table in sorted(found.items()):
            if k == kind:
                on = f" on {table!r}" if table != name else ""
                yield f"a {kind} {name!r}{on} (soc2-tui never makes one)"
    if version != SCHEMA_VERSION:
        return
    objects, columns = _reference()
    for kind, name in sorted(set(found) - set(objects)):
        if kind not in ("trigger", "view"):
            yield f"a {kind} {name!r} soc2-tui did not make"
    for kind, name in sorted(set(objects) - set(found)):
        yield f"no {kind} {name!r}"
    for table, expected in columns.items():
        actual = _columns(conn, table)
        if actual and actual != expected:
            names = [c[1] for c in actual]
            extra = [n for n in names if n not in {c[1] for c in expected}]
            what = f"an extra column {extra[0]!r}" if extra else "columns that differ from the ones soc2-tui made"
            yield f"{what} in table {table!r}"
