"""Opening an assessment file safely, and the connections to it (one per thread)."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from soc2_tui.errors import StoreBusy, UserError
from soc2_tui.files import folder_problem
from soc2_tui.store import codec, filesys, schema
from soc2_tui.store.schema import APP_ID, BUSY_TIMEOUT_MS, SQLITE_MAGIC
from soc2_tui.terminal import nfc

if TYPE_CHECKING:
    import sqlite_utils


class Connection:
    """An open assessment file: opening, checking, migrating, and one connection per thread.

    `Store` adds the reads and writes; this part knows nothing of assessments or answers."""

    def __init__(self, path: str | os.PathLike[str], create: bool = True, *, later: bool = False):
        """Open the file at `path`; a missing one is created (`create`), or with `later` too only
        by the first write: until then reads see an empty file and nothing is on disk (`pending`).
        """
        self.path = Path(path)
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._make_lock = threading.Lock()  # one thread makes the pending file, the others wait
        self.pending = False
        self.backup_path: Path | None = None
        self._names: dict[int, str] = {}  # assessment id -> name, as last read (Store._gone)
        self.world_readable = False
        self.read_only = False
        # Why the file cannot be written, for the messages: the file itself, or its folder (where
        # SQLite must make the -wal and -shm files of a write). None while it can be written.
        self.read_only_why: str | None = None
        self.folder_read_only = False
        self.interrupted_backup: Path | None = None  # the file as found, before a journal was played back
        # (device, inode) of the file and of its write-ahead log as opened: a write is only
        # acknowledged while both are still the ones we write to (see _check_identity).
        self._identity: tuple[int, int] | None = None
        self._wal_identity: tuple[int, int] | None = None
        self.network_filesystem: str | None = None  # e.g. "nfs4": WAL is not safe there (startup warns)
        if later and create and not os.path.lexists(self.path):
            self._check_path()
            self._check_folder()
            self.network_filesystem = filesys.network_filesystem(self.path)
            self.pending = True
            return
        self._open_or_leave(create)

    def _open_or_leave(self, create: bool) -> None:
        """`_open`, leaving a refused file as it was found: no -wal or -shm of ours beside it."""
        sidecars = [Path(f"{self.path}{suffix}") for suffix in ("-wal", "-shm")]
        existed = [os.path.lexists(p) for p in sidecars]
        try:
            self._open(create)
        except UserError:
            self.close()
            for path, was_there in zip(sidecars, existed):
                if not was_there:
                    try:
                        path.unlink(missing_ok=True)
                    except OSError:
                        pass
            raise

    # ------------------------------------------------------------------ opening

    def _check_path(self) -> None:
        p = self.path
        try:
            os.stat(p)
        except FileNotFoundError:
            pass
        except OSError as exc:  # a name too long for the system, a path through a file …
            raise UserError(f"{p}: cannot open the file: {exc.strerror}") from None
        if p.is_dir():
            raise UserError(f"{p}: is a directory, not an assessment file")

    def _check_folder(self) -> None:
        problem = folder_problem(self.path)
        if problem:
            raise UserError(f"{self.path}: cannot create the file: {problem}")

    def _open(self, create: bool) -> None:
        p = self.path
        self._check_path()
        if p.exists():
            self._check_existing()
        elif not create:
            raise UserError(f"{p}: no such assessment file")
        else:
            self._check_folder()
            try:
                fd = os.open(p, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                os.close(fd)
            except FileExistsError:
                self._check_existing()
            except OSError as exc:
                raise UserError(f"{p}: cannot create the file: {exc.strerror}") from None
        self._identity = filesys.identity(p)
        self.network_filesystem = filesys.network_filesystem(p)
        version = self._version
        if self.read_only:
            if version != schema.SCHEMA_VERSION:
                raise UserError(f"{p}: {self.read_only_why}, and the file needs setting up or migrating first; "
                                f"{self._make_writable()}")
            return
        if version == 0:
            self._write_script(schema.SCHEMA + [f"PRAGMA user_version = {schema.SCHEMA_VERSION}"],
                               meta={"app": APP_ID, "created_at": codec.now()})
        elif version < schema.SCHEMA_VERSION:
            self._migrate(version)

    def _check_existing(self) -> None:
        """Refuse foreign, corrupt or newer files without writing a byte to them."""
        p = self.path
        try:
            mode = p.stat().st_mode
            if not stat.S_ISREG(mode):  # a FIFO would block the read below for ever
                raise UserError(f"{p}: not a regular file, so not an assessment file")
            self._note_permissions(mode)
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
            if head.startswith(SQLITE_MAGIC):
                cannot = f"{self.read_only_why} ({self._make_writable()})" if self.read_only else None
                self.interrupted_backup = filesys.finish_interrupted_write(p, cannot)
            conn = sqlite3.connect(self._read_only_uri(), uri=True, timeout=filesys.CHECK_WAIT_S)
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                if "meta" in tables:
                    app = conn.execute("SELECT value FROM meta WHERE key='app'").fetchone()
                else:
                    app = None
                if tables:
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    filesys.check_integrity(p, conn)
                    if app is not None and app[0] == APP_ID:
                        odd = schema.unexpected(conn, version)
                        if odd:
                            raise UserError(f"{p}: refused: the file holds {odd}; it may have been changed "
                                            f"outside soc2-tui. Nothing was read or written (see: soc2-tui "
                                            f"doctor {p})")
            finally:
                conn.close()
        except sqlite3.OperationalError as exc:
            # The file could not be read or its lock files not made (a full disk, a size limit,
            # a read-only folder): that says nothing about the file itself, so do not call it
            # corrupt.
            raise UserError(f"{p}: cannot open the database: {filesys.explain(exc, filesys.CHECK_WAIT_S)}") from None
        except sqlite3.DatabaseError as exc:
            raise UserError(f"{p}: the database file is corrupt or unreadable ({exc})") from None
        if tables and (app is None or app[0] != APP_ID):
            raise UserError(f"{p}: an SQLite database, but not a soc2-tui assessment file")
        if version < 0:
            raise UserError(f"{p}: refused: its schema version ({version}) is not one soc2-tui writes")
        if version > schema.SCHEMA_VERSION:
            raise UserError(
                f"{p}: written by a newer soc2-tui (file schema {version}, this version reads up to "
                f"{schema.SCHEMA_VERSION}); upgrade soc2-tui to open it"
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
        while version < schema.SCHEMA_VERSION:
            steps = schema.MIGRATIONS[version]
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

    def _note_permissions(self, mode: int) -> None:
        """Whether the file can be written, and if not why: the file, or its folder."""
        p = self.path
        self.world_readable = bool(mode & (stat.S_IRGRP | stat.S_IROTH))
        # Respect a file marked read-only even where we could write anyway (root).
        self.folder_read_only = not os.access(p.parent, os.W_OK | os.X_OK)
        if not (mode & stat.S_IWUSR) or not os.access(p, os.W_OK):
            self.read_only, self.read_only_why = True, "the file is read-only"
        elif self.folder_read_only:
            self.read_only, self.read_only_why = True, f"its folder {p.parent} is read-only"

    def _read_only_uri(self) -> str:
        """The URI to read the file without writing anything beside it.

        In a folder that cannot be written SQLite cannot make the -shm file a WAL reader needs;
        with no -wal there (every soc2-tui process removes it on closing), the file alone holds
        every committed change, so it is opened as immutable: read as it is, no lock files. Writes
        are refused in such a folder anyway (see _write), so nothing here can change it meanwhile.
        """
        uri = f"file:{filesys.uri_path(self.path)}?mode=ro"
        if self.folder_read_only and not os.path.exists(f"{self.path}-wal"):
            uri += "&immutable=1"
        return uri

    def _make_writable(self) -> str:
        if self.folder_read_only:
            return f"copy {self.path.name} to a folder you can write to, or make {self.path.parent} writable"
        return f"make it writable with: chmod 600 {self.path}"

    # ------------------------------------------------------------------ connections

    def _make(self, create: bool = True) -> None:
        """Open the pending file: made now (the first write), or made meanwhile by another program."""
        with self._make_lock:
            if not self.pending:
                return  # another thread made it while this one waited
            self._local.making = True  # this thread's writes and reads while making go to the file
            try:
                self._open_or_leave(create)
            finally:
                self._local.making = False
            self.pending = False

    def _empty(self) -> sqlite3.Connection:
        """While the file is pending: an empty database in memory with its schema, for reads."""
        conn = getattr(self._local, "empty", None)
        if conn is None:
            conn = sqlite3.connect(":memory:", isolation_level=None)
            conn.create_function("nfc", 1, _nfc, deterministic=True)
            for sql in schema.SCHEMA:
                conn.execute(sql)
            self._local.empty = conn
            with self._lock:
                self._conns.append(conn)
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        if self.pending and not getattr(self._local, "making", False):
            if not os.path.lexists(self.path):
                return self._empty()
            self._make(create=False)  # another terminal made the file since: read it
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                if self.read_only:
                    conn = sqlite3.connect(self._read_only_uri(), uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                           isolation_level=None)
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
            conn.create_function("nfc", 1, _nfc, deterministic=True)  # names compare in NFC
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_identity(self) -> None:
        """Refuse to acknowledge a write when the file or its -wal is no longer the one opened.

        A file deleted or replaced while open (by a sync client, a copy over it, a clean-up) keeps
        taking writes through the open handle, and they are lost; so is a deleted -wal. The write's
        transaction is rolled back and the user told, instead of saying "saved".
        """
        p = self.path
        now = filesys.identity(p)
        if now != self._identity:
            what = "deleted" if now is None else "replaced by another file"
            raise UserError(f"{p}: the file was {what} after it was opened, so this change was NOT saved; "
                            "quit, check the file, and open it again")
        wal = filesys.identity(f"{p}-wal")
        if self._wal_identity is None:
            self._wal_identity = wal
        elif wal != self._wal_identity:
            raise UserError(f"{p}: its write-ahead log ({p.name}-wal) was deleted or replaced while open, so this "
                            "change was NOT saved; quit and open the file again")

    @contextmanager
    def _write(self, wait: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with the write lock up front (no upgrade deadlocks).

        wait=False: if another connection holds the write lock, raise StoreBusy at once instead
        of waiting up to the busy timeout (nothing is written).
        """
        if self.pending and not getattr(self._local, "making", False):
            self._make()
        if self.read_only:
            raise UserError(f"{self.path}: {self.read_only_why}; nothing was saved ({self._make_writable()})")
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
            raise UserError(f"{self.path}: not saved: {filesys.explain(exc)}") from None
        except sqlite3.Error as exc:
            raise UserError(f"{self.path}: not saved: {filesys.explain(exc)}") from None
        try:
            yield conn
            self._check_identity()
            conn.execute("COMMIT")
        except BaseException as exc:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            if isinstance(exc, sqlite3.Error):
                raise UserError(f"{self.path}: not saved: {filesys.explain(exc)}") from None
            raise



def _nfc(value: Any) -> Any:
    """SQL `nfc(x)`: a text in NFC (terminal.nfc), anything else as it is."""
    return nfc(value) if isinstance(value, str) else value
