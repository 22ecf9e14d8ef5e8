"""The assessment file: one SQLite database. The only module that touches SQLite.

Design:
- one connection per thread (Textual workers run on other threads), all to the same file;
- WAL mode and a busy timeout, so two processes (two terminals in a workshop) can write at once;
- every write is its own `BEGIN IMMEDIATE … COMMIT` transaction: once a call returns, the answer
  is on disk;
- every change to an answer appends one history row per changed field, in the same transaction;
- the schema version lives in `PRAGMA user_version`; an older file is backed up, then migrated;
  a newer, foreign or corrupt file is refused without being touched.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

from soc2_tui import scope_answers
from soc2_tui.errors import StoreBusy, UserError
from soc2_tui.model import (
    ANSWER_FIELDS,
    DATE_FIELDS,
    PRINCIPLES,
    REPORT_TYPES,
    STATUSES,
    Answer,
    Assessment,
    Change,
    normalise_principles,
    parse_date,
)

SCHEMA_VERSION = 1
APP_ID = "soc2-tui"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000

_SCHEMA = [
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

_ASSESSMENT_EDITABLE = ("name", "organisation", "report_type", "principles", "period_start",
                        "period_months", "bank_versions")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _encode(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _history_text(field: str, value: Any) -> str | None:
    if value is None:
        return None
    if field == "value":
        return _encode(value)
    if field == "flagged":
        return "1" if value else "0"
    return str(value)


class Store:
    """An open assessment file. Safe to use from several threads."""

    def __init__(self, path: str | os.PathLike[str], create: bool = True):
        self.path = Path(path)
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.backup_path: Path | None = None
        self.world_readable = False
        self.read_only = False
        self._open(create)

    # ------------------------------------------------------------------ opening

    def _open(self, create: bool) -> None:
        p = self.path
        if p.is_dir():
            raise UserError(f"{p}: is a directory, not an assessment file")
        if p.exists():
            self._check_existing()
        elif not create:
            raise UserError(f"{p}: no such assessment file")
        else:
            if not p.parent.exists() or not p.parent.is_dir():
                raise UserError(f"{p}: cannot create the file: {p.parent} is not a directory")
            try:
                fd = os.open(p, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                os.close(fd)
            except FileExistsError:
                self._check_existing()
            except OSError as exc:
                raise UserError(f"{p}: cannot create the file: {exc.strerror}") from None
        version = self._version
        if self.read_only:
            if version != SCHEMA_VERSION:
                raise UserError(f"{p}: read-only, and it needs setting up or migrating first; "
                                f"make it writable (chmod 600 {p})")
            return
        if version == 0:
            self._write_script(_SCHEMA + [f"PRAGMA user_version = {SCHEMA_VERSION}"],
                               meta={"app": APP_ID, "created_at": now()})
        elif version < SCHEMA_VERSION:
            self._migrate(version)

    def _check_existing(self) -> None:
        """Refuse foreign, corrupt or newer files without writing a byte to them."""
        p = self.path
        try:
            mode = p.stat().st_mode
            self.world_readable = bool(mode & (stat.S_IRGRP | stat.S_IROTH))
            # Respect a file marked read-only even where we could write anyway (root).
            self.read_only = not (mode & stat.S_IWUSR) or not os.access(p, os.W_OK)
            with open(p, "rb") as fh:
                head = fh.read(100)
        except OSError as exc:
            raise UserError(f"{p}: cannot read the file: {exc.strerror}") from None
        if not head:
            self._version = 0
            return
        if not head.startswith(SQLITE_MAGIC):
            raise UserError(f"{p}: not a soc2-tui assessment file (not an SQLite database)")
        try:
            conn = sqlite3.connect(f"file:{_uri_path(p)}?mode=ro", uri=True)
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                if "meta" in tables:
                    app = conn.execute("SELECT value FROM meta WHERE key='app'").fetchone()
                else:
                    app = None
                if tables:
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    check = conn.execute("PRAGMA quick_check").fetchone()[0]
                    if check != "ok":
                        raise UserError(f"{p}: the database file is corrupt ({check})")
            finally:
                conn.close()
        except sqlite3.OperationalError as exc:
            # The file could not be read or its lock files not made (a full disk, a size limit,
            # a read-only folder): that says nothing about the file itself, so do not call it
            # corrupt.
            raise UserError(f"{p}: cannot open the database: {_explain(exc)}") from None
        except sqlite3.DatabaseError as exc:
            raise UserError(f"{p}: the database file is corrupt or unreadable ({exc})") from None
        if tables and (app is None or app[0] != APP_ID):
            raise UserError(f"{p}: an SQLite database, but not a soc2-tui assessment file")
        if version > SCHEMA_VERSION:
            raise UserError(
                f"{p}: written by a newer soc2-tui (file schema {version}, this version reads up to "
                f"{SCHEMA_VERSION}); upgrade soc2-tui to open it"
            )
        self._version = version

    def _migrate(self, version: int) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.v{version}-{stamp}.bak")
        dest = sqlite3.connect(str(backup))
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        os.chmod(backup, 0o600)
        self.backup_path = backup
        while version < SCHEMA_VERSION:
            steps = MIGRATIONS[version]
            for step in steps:
                if callable(step):
                    step(self.db)
            self._write_script([s for s in steps if isinstance(s, str)]
                               + [f"PRAGMA user_version = {version + 1}"])
            version += 1

    def _write_script(self, statements: list[str], meta: Mapping[str, str] | None = None) -> None:
        with self._write() as conn:
            for sql in statements:
                conn.execute(sql)
            for k, v in (meta or {}).items():
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (k, v))

    _version = 0

    # ------------------------------------------------------------------ connections

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                if self.read_only:
                    conn = sqlite3.connect(f"file:{_uri_path(self.path)}?mode=ro", uri=True,
                                           timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                else:
                    conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000,
                                           isolation_level=None, check_same_thread=True)
                    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                    conn.execute("PRAGMA foreign_keys = ON")
                    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        conn.execute("PRAGMA journal_mode = WAL")
                    conn.execute("PRAGMA synchronous = FULL")
            except sqlite3.Error as exc:
                raise UserError(f"{self.path}: cannot open the database ({exc})") from None
            self._local.conn = conn
            with self._lock:
                self._conns.append(conn)
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection as a sqlite-utils Database (migrations, ad-hoc tooling).

        Imported on first use: sqlite-utils costs about 55 ms to import, which the app's start-up
        and every CLI command would otherwise pay; reads and the per-answer transactions below use
        the connection directly with bound parameters.
        """
        db = getattr(self._local, "db", None)
        if db is None:
            import sqlite_utils

            # No third-party sqlite-utils plugins on this connection: nothing outside this module
            # should run code on the assessment file (and scanning for them costs ~45 ms).
            db = sqlite_utils.Database(self.conn, execute_plugins=False)
            self._local.db = db
        return db

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, tuple(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def close(self) -> None:
        with self._lock:
            for c in self._conns:
                try:
                    c.close()
                except sqlite3.Error:
                    pass
            self._conns.clear()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self, wait: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with the write lock up front (no upgrade deadlocks).

        wait=False: if another connection holds the write lock, raise StoreBusy at once instead
        of waiting up to the busy timeout (nothing is written).
        """
        if self.read_only:
            raise UserError(f"{self.path}: the file is read-only; nothing was saved "
                            f"(make it writable with: chmod 600 {self.path})")
        conn = self.conn
        try:
            if wait:
                conn.execute("BEGIN IMMEDIATE")
            else:
                conn.execute("PRAGMA busy_timeout = 0")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                finally:
                    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except sqlite3.OperationalError as exc:
            if not wait and ("locked" in str(exc) or "busy" in str(exc)):
                raise StoreBusy(f"{self.path}: another program is writing to the file") from None
            raise UserError(f"{self.path}: not saved: {_explain(exc)}") from None
        except sqlite3.Error as exc:
            raise UserError(f"{self.path}: not saved: {_explain(exc)}") from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            if isinstance(exc, sqlite3.Error):
                raise UserError(f"{self.path}: not saved: {_explain(exc)}") from None
            raise

    # ------------------------------------------------------------------ assessments

    def assessments(self) -> list[Assessment]:
        rows = self._query("SELECT * FROM assessments ORDER BY name COLLATE NOCASE")
        return [_assessment(r) for r in rows]

    def find(self, name: str) -> Assessment | None:
        rows = list(self._query("SELECT * FROM assessments WHERE name = ?", [name]))
        return _assessment(rows[0]) if rows else None

    def get(self, name: str) -> Assessment:
        found = self.find(name)
        if found is None:
            names = ", ".join(a.name for a in self.assessments()) or "none yet"
            raise UserError(f"no assessment named {name!r} in {self.path} (assessments: {names})")
        return found

    def by_id(self, assessment_id: int) -> Assessment:
        rows = list(self._query("SELECT * FROM assessments WHERE id = ?", [assessment_id]))
        if not rows:
            raise UserError(f"assessment {assessment_id} no longer exists in {self.path}")
        return _assessment(rows[0])

    def create(self, name: str, *, organisation: str = "", report_type: str = "type2",
               principles: Iterable[str] = ("security",), period_start: str | None = None,
               period_months: int | None = None, bank_versions: Mapping[str, str] | None = None,
               by: str = "") -> Assessment:
        fields = _check_assessment_fields({
            "name": name, "organisation": organisation, "report_type": report_type,
            "principles": principles, "period_start": period_start, "period_months": period_months,
        })
        stamp = now()
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM assessments WHERE name = ?", (fields["name"],)).fetchone():
                raise UserError(f"an assessment named {fields['name']!r} already exists in {self.path}")
            cur = conn.execute(
                "INSERT INTO assessments (name, organisation, report_type, principles, period_start,"
                " period_months, bank_versions, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (fields["name"], fields["organisation"], fields["report_type"],
                 _encode(list(fields["principles"])), fields["period_start"], fields["period_months"],
                 _encode(dict(bank_versions or {})), stamp, stamp),
            )
            aid = cur.lastrowid
            conn.execute(
                "INSERT INTO history (assessment_id, item_id, field, old_value, new_value, changed_by,"
                " changed_at) VALUES (?, '@assessment', 'created', NULL, ?, ?, ?)",
                (aid, fields["name"], by, stamp),
            )
        return self.by_id(aid)  # type: ignore[arg-type]

    def update_assessment(self, assessment_id: int, *, by: str = "", **changes: Any) -> Assessment:
        """Change assessment fields (name, principles, period …); each change goes to history."""
        unknown = set(changes) - set(_ASSESSMENT_EDITABLE)
        if unknown:
            raise ValueError(f"not assessment fields: {sorted(unknown)}")
        current = self.by_id(assessment_id)
        merged = {k: getattr(current, k) for k in _ASSESSMENT_EDITABLE}
        merged.update(changes)
        fields = _check_assessment_fields(merged)
        fields["bank_versions"] = dict(merged["bank_versions"] or {})
        stamp = now()
        with self._write() as conn:
            if fields["name"] != current.name and conn.execute(
                "SELECT 1 FROM assessments WHERE name = ?", (fields["name"],)
            ).fetchone():
                raise UserError(f"an assessment named {fields['name']!r} already exists in {self.path}")
            changed = []
            for key in changes:
                old = getattr(current, key)
                new = fields[key]
                if (list(old) if isinstance(old, tuple) else old) != (list(new) if isinstance(new, tuple) else new):
                    changed.append((key, old, new))
            if not changed:
                return current
            for key, old, new in changed:
                conn.execute(
                    "INSERT INTO history (assessment_id, item_id, field, old_value, new_value, changed_by,"
                    " changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (assessment_id, key if key in ("principles", "report_type", "period_start",
                                                   "period_months") else "@assessment",
                     key, _assessment_text(old), _assessment_text(new), by, stamp),
                )
            conn.execute(
                "UPDATE assessments SET name=?, organisation=?, report_type=?, principles=?, period_start=?,"
                " period_months=?, bank_versions=?, updated_at=? WHERE id=?",
                (fields["name"], fields["organisation"], fields["report_type"],
                 _encode(list(fields["principles"])), fields["period_start"], fields["period_months"],
                 _encode(fields["bank_versions"]), stamp, assessment_id),
            )
        return self.by_id(assessment_id)

    def duplicate(self, assessment_id: int, new_name: str, by: str = "") -> Assessment:
        src = self.by_id(assessment_id)
        copy = self.create(new_name, organisation=src.organisation, report_type=src.report_type,
                           principles=src.principles, period_start=src.period_start,
                           period_months=src.period_months, bank_versions=src.bank_versions, by=by)
        answers = self.answers(assessment_id)
        if answers:
            self.apply_answers(copy.id, {a.item_id: _answer_changes(a) for a in answers.values()}, by=by)
        return self.by_id(copy.id)

    def delete(self, assessment_id: int) -> None:
        """Delete an assessment with its answers, history and snapshots (the UI confirms first)."""
        with self._write() as conn:
            for table in ("answers", "history", "snapshots"):
                conn.execute(f"DELETE FROM {table} WHERE assessment_id = ?", (assessment_id,))
            conn.execute("DELETE FROM assessments WHERE id = ?", (assessment_id,))

    # ------------------------------------------------------------------ answers

    def answers(self, assessment_id: int) -> dict[str, Answer]:
        rows = self.conn.execute(_SELECT_ANSWERS, (assessment_id,)).fetchall()
        return {r[0]: _answer(r) for r in rows}

    def answer(self, assessment_id: int, item_id: str) -> Answer | None:
        row = self.conn.execute(_SELECT_ANSWER, (assessment_id, item_id)).fetchone()
        return _answer(row) if row else None

    def set_answer(self, assessment_id: int, item_id: str, *, by: str = "", wait: bool = True,
                   **changes: Any) -> Answer:
        """Save one answer now, in its own transaction, with a history row per changed field.

        wait=False: raise StoreBusy at once (writing nothing) if another program holds the lock.
        """
        self.apply_answers(assessment_id, {item_id: changes}, by=by, wait=wait)
        return self.answer(assessment_id, item_id) or Answer(item_id)

    def apply_answers(self, assessment_id: int, changes: Mapping[str, Mapping[str, Any]], *,
                      by: str = "", wait: bool = True) -> int:
        """Apply many answer changes in ONE transaction (import, duplicate). Returns fields changed."""
        clean = {iid: _check_answer_fields(iid, ch) for iid, ch in changes.items()}
        stamp = now()
        count = 0
        with self._write(wait) as conn:
            if not conn.execute("SELECT 1 FROM assessments WHERE id = ?", (assessment_id,)).fetchone():
                raise UserError(f"assessment {assessment_id} no longer exists in {self.path}")
            if len(clean) == 1:
                rows = conn.execute(_SELECT_ANSWER, (assessment_id, next(iter(clean)))).fetchall()
            else:  # one read for a whole import, not one per row
                rows = conn.execute(_SELECT_ANSWERS, (assessment_id,)).fetchall()
            existing = {r[0]: r for r in rows}
            for item_id, ch in clean.items():
                row = existing.get(item_id)
                current = _answer(row) if row else Answer(item_id)
                diffs = [(f, getattr(current, f), v) for f, v in ch.items() if getattr(current, f) != v]
                if not diffs:
                    continue
                new = {f: getattr(current, f) for f in ANSWER_FIELDS}
                new.update({f: v for f, _o, v in diffs})
                conn.execute(
                    "INSERT INTO answers (assessment_id, item_id, status, value, notes, evidence, owner,"
                    " due_date, operating_since, last_reviewed, approver, flagged, answered_by, answered_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT (assessment_id, item_id) DO UPDATE SET status=excluded.status,"
                    " value=excluded.value, notes=excluded.notes, evidence=excluded.evidence,"
                    " owner=excluded.owner, due_date=excluded.due_date,"
                    " operating_since=excluded.operating_since, last_reviewed=excluded.last_reviewed,"
                    " approver=excluded.approver, flagged=excluded.flagged,"
                    " answered_by=excluded.answered_by, answered_at=excluded.answered_at",
                    (assessment_id, item_id, new["status"], _encode(new["value"]), new["notes"],
                     new["evidence"], new["owner"], new["due_date"], new["operating_since"],
                     new["last_reviewed"], new["approver"], int(bool(new["flagged"])), by, stamp),
                )
                conn.executemany(
                    "INSERT INTO history (assessment_id, item_id, field, old_value, new_value, changed_by,"
                    " changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(assessment_id, item_id, f, _history_text(f, o), _history_text(f, v), by, stamp)
                     for f, o, v in diffs],
                )
                count += len(diffs)
            if count:
                conn.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", (stamp, assessment_id))
        return count

    # ------------------------------------------------------------------ history and snapshots

    def history(self, assessment_id: int, item_id: str | None = None, limit: int | None = None,
                since: str | None = None, until: str | None = None) -> list[Change]:
        """Changes oldest first (newest first with `limit`); `since`/`until` are ISO UTC stamps
        (changed_at > since, changed_at <= until)."""
        sql = ("SELECT h.*, a.name AS assessment FROM history h JOIN assessments a ON a.id = h.assessment_id"
               " WHERE h.assessment_id = ?")
        params: list[Any] = [assessment_id]
        if item_id:
            sql += " AND h.item_id = ?"
            params.append(item_id)
        if since:
            sql += " AND h.changed_at > ?"
            params.append(since)
        if until:
            sql += " AND h.changed_at <= ?"
            params.append(until)
        sql += " ORDER BY h.id DESC" if limit else " ORDER BY h.id"
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        rows = [
            Change(r["id"], r["assessment"], r["item_id"], r["field"], r["old_value"], r["new_value"],
                   r["changed_by"], r["changed_at"])
            for r in self._query(sql, params)
        ]
        return rows

    def last_change(self, assessment_id: int, item_id: str) -> Change | None:
        found = self.history(assessment_id, item_id, limit=1)
        return found[0] if found else None

    def add_snapshot(self, assessment_id: int, label: str, data: Mapping[str, Any]) -> int:
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO snapshots (assessment_id, label, created_at, data) VALUES (?, ?, ?, ?)",
                (assessment_id, label, now(), json.dumps(data, ensure_ascii=False, sort_keys=True)),
            )
            return cur.lastrowid  # type: ignore[return-value]

    def snapshots(self, assessment_id: int) -> list[dict[str, Any]]:
        rows = self._query(
            "SELECT id, label, created_at FROM snapshots WHERE assessment_id = ? ORDER BY id", [assessment_id]
        )
        return list(rows)

    def snapshot(self, assessment_id: int, ref: str) -> dict[str, Any]:
        """A snapshot by id or label (the newest with that label)."""
        rows = list(self._query(
            "SELECT * FROM snapshots WHERE assessment_id = ? AND (CAST(id AS TEXT) = ? OR label = ?)"
            " ORDER BY CAST(id AS TEXT) = ? DESC, id DESC LIMIT 1",  # an id beats a label "3"
            [assessment_id, str(ref), str(ref), str(ref)]))
        if not rows:
            raise UserError(f"no snapshot {ref!r} for this assessment (see `soc2-tui snapshot NAME --list`)")
        row = rows[0]
        return {"id": row["id"], "label": row["label"], "created_at": row["created_at"],
                "data": json.loads(row["data"])}

    def counts(self) -> dict[int, int]:
        """Answered items per assessment id (for lists)."""
        rows = self._query(
            "SELECT assessment_id, count(*) AS n FROM answers WHERE status IS NOT NULL OR value IS NOT NULL"
            " GROUP BY assessment_id")
        return {r["assessment_id"]: r["n"] for r in rows}


# ---------------------------------------------------------------------- helpers


def _explain(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "disk I/O error" in text or "full" in text:
        return f"{text} (the disk may be full or the file may not be allowed to grow)"
    if "locked" in text or "busy" in text:
        return f"{text} (another program kept the file busy for {BUSY_TIMEOUT_MS // 1000} s; try again)"
    if "readonly" in text:
        return f"{text} (the file or its folder is read-only)"
    return text


def _uri_path(p: Path) -> str:
    from urllib.parse import quote

    return quote(str(p.resolve()))


def _assessment(r: Mapping[str, Any]) -> Assessment:
    return Assessment(
        id=r["id"], name=r["name"], organisation=r["organisation"], report_type=r["report_type"],
        principles=normalise_principles(json.loads(r["principles"])), period_start=r["period_start"],
        period_months=r["period_months"], bank_versions=json.loads(r["bank_versions"] or "{}"),
        created_at=r["created_at"], updated_at=r["updated_at"],
    )


# Columns in Answer's field order, so a row becomes an Answer positionally (`_answer`): no
# dict per row (20,000 answers are read for every report and every screen that scores).
_SELECT_ANSWERS = ("SELECT item_id, status, value, notes, evidence, owner, due_date, operating_since,"
                   " last_reviewed, approver, flagged, answered_by, answered_at"
                   " FROM answers WHERE assessment_id = ?")
_SELECT_ANSWER = _SELECT_ANSWERS + " AND item_id = ?"


def _answer(r: Sequence[Any]) -> Answer:
    """An Answer from a row of _SELECT_ANSWERS / _SELECT_ANSWER."""
    return Answer(r[0], r[1], _decode(r[2]), r[3], r[4], r[5], r[6], r[7], r[8], r[9], bool(r[10]), r[11], r[12])


def _answer_changes(a: Answer) -> dict[str, Any]:
    return {f: getattr(a, f) for f in ANSWER_FIELDS}


def _assessment_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple, dict)):
        return _encode(list(value) if isinstance(value, tuple) else value)
    return str(value)


def _check_assessment_fields(f: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(f)
    name = (f.get("name") or "").strip()
    if not name:
        raise UserError("an assessment needs a name")
    if len(name) > 200 or any(ord(c) < 32 for c in name):
        raise UserError("an assessment name must be one line of at most 200 characters")
    out["name"] = name
    out["organisation"] = (f.get("organisation") or "").strip()
    if f.get("report_type") not in REPORT_TYPES:
        raise UserError(f"bad report type {f.get('report_type')!r} (expected type1 or type2)")
    bad = [p for p in (f.get("principles") or ()) if p not in PRINCIPLES]
    if bad:
        raise UserError(f"unknown principle {bad[0]!r} (expected: {', '.join(PRINCIPLES)})")
    out["principles"] = normalise_principles(f.get("principles"))
    start = f.get("period_start")
    if start in ("", None):
        out["period_start"] = None
    else:
        d = parse_date(start)
        if d is None:
            raise UserError(f"bad period start {start!r} (expected YYYY-MM-DD)")
        out["period_start"] = d.isoformat()
    months = f.get("period_months")
    if months in ("", None):
        out["period_months"] = None
    else:
        try:
            m = int(months)
        except (TypeError, ValueError):
            m = 0
        if not 1 <= m <= 24:
            raise UserError(f"bad period length {months!r} (months, 1 to 24; usually 3, 6 or 12)")
        out["period_months"] = m
    return out


def _check_answer_fields(item_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in ANSWER_FIELDS:
            raise ValueError(f"not an answer field: {key}")
        if key == "status":
            if value not in (None, *STATUSES):
                raise UserError(f"{item_id}: bad status {value!r} (expected one of: {', '.join(STATUSES)})")
        elif key in DATE_FIELDS:
            if value in ("", None):
                value = None
            else:
                d = parse_date(value)
                if d is None:
                    raise UserError(f"{item_id}: bad {key} {value!r} (expected YYYY-MM-DD)")
                value = d.isoformat()
        elif key == "flagged":
            value = bool(value)
        elif key == "value":
            if not scope_answers.storable(value):
                raise UserError(f"{item_id}: bad value {value!r} (expected yes/no, a number, a text, "
                                "a date or a list of texts)")
        else:
            value = "" if value is None else str(value)
        out[key] = value
    return out
