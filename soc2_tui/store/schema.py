"""The assessment file's schema, its version and the migrations from older versions.

The version lives in `PRAGMA user_version`. To change the schema: add the new statements to
SCHEMA (for new files), bump SCHEMA_VERSION and add MIGRATIONS[old] (for existing files, which
are backed up first); docs/database.md says what changed in each version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from soc2_tui.files import SQLITE_MAGIC  # noqa: F401  (the header, defined where exports check it)

if TYPE_CHECKING:
    import sqlite_utils

SCHEMA_VERSION = 1
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
        updated_at TEXT NOT NULL
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
        answered_by TEXT NOT NULL DEFAULT '',
        answered_at TEXT NOT NULL,
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
        changed_at TEXT NOT NULL
    )""",
    """CREATE INDEX IF NOT EXISTS history_by_item ON history (assessment_id, item_id, id)""",
    """CREATE TABLE IF NOT EXISTS snapshots (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        label TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        data TEXT NOT NULL
    )""",
]

# Forward migrations: MIGRATIONS[n] takes a file from schema n to n + 1. A step is SQL run in
# one transaction, or a callable given a sqlite_utils.Database — for changes plain ALTER TABLE
# cannot make, use sqlite-utils' `table.transform()` there (it manages its own transaction).
Migration = str | Callable[["sqlite_utils.Database"], None]
MIGRATIONS: dict[int, list[Migration]] = {}
