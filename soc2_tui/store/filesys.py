"""What the system and SQLite say about an assessment file, in words a user can act on: the
kind of file system it is on, its identity (device, inode), and SQLite's errors explained."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime
from pathlib import Path

from soc2_tui.errors import UserError
from soc2_tui.store import schema
from soc2_tui.store.schema import BUSY_TIMEOUT_MS

# File systems on which SQLite's WAL (shared memory between processes) and its locks are not
# reliable: network shares and the FUSE file systems sync clients and remote mounts use.
_NETWORK_TYPES = ("nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "ceph", "glusterfs", "9p", "lustre",
                  "gpfs", "beegfs")


def mount_table() -> str:
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""  # not Linux, or no /proc: nothing to say


def network_filesystem(path: Path) -> str | None:
    """The type of the network or FUSE file system holding `path` (e.g. "nfs4", "fuse.sshfs"), or None."""
    try:
        where = os.path.realpath(path.parent if str(path.parent) else ".")
    except OSError:
        return None
    best, kind = "", ""
    for line in mount_table().splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount = parts[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
        inside = where == mount or where.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, kind = mount, parts[2]
    if kind in _NETWORK_TYPES or kind.startswith("fuse.") or kind == "fuse":
        return kind
    return None


def identity(path: Path | str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino



CHECK_WAIT_S = 5  # how long opening waits for another program's lock before giving up


def explain(exc: sqlite3.Error, waited_s: int = BUSY_TIMEOUT_MS // 1000) -> str:
    text = str(exc)
    if "disk I/O error" in text or "full" in text:
        return f"{text} (the disk may be full or the file may not be allowed to grow)"
    if "locked" in text or "busy" in text:
        return (f"{text} (another program kept the file locked for {waited_s} s: if an SQLite tool has it "
                "open, close it; then try again)")
    if "readonly" in text:
        return f"{text} (the file or its folder is read-only)"
    return text


def uri_path(p: Path) -> str:
    from urllib.parse import quote

    return quote(str(p.resolve()))


def finish_interrupted_write(p: Path, cannot: str | None) -> Path | None:
    """Undo a write another program left half done (a non-empty `-journal` beside the file);
    the copy of the file as found, or None when there was nothing to undo.

    soc2-tui writes through a write-ahead log and never leaves a rollback journal; one is left by
    an SQLite tool that stopped mid-write, and until it is played back the file cannot be read at
    all. SQLite plays it back on the first connection that may write; a copy of the file and its
    journal as found is kept first (the pair, named so SQLite pairs them again). `cannot`: why
    the file may not be written (then the user is told instead), None when it may.
    """
    journal = Path(f"{p}-journal")
    try:
        if journal.stat().st_size == 0:
            return None
    except OSError:
        return None
    if cannot:
        raise UserError(f"{p}: another program stopped while writing to it and left {journal.name}; undoing "
                        f"that needs write access, but {cannot}")
    import shutil

    backup = p.with_name(f"{p.name}.interrupted-{datetime.now().strftime('%Y%m%d-%H%M%S')}.bak")
    try:
        shutil.copyfile(p, backup)
        shutil.copyfile(journal, f"{backup}-journal")
        os.chmod(backup, 0o600)
        os.chmod(f"{backup}-journal", 0o600)
        conn = sqlite3.connect(str(p), timeout=CHECK_WAIT_S)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # plays the journal back
        finally:
            conn.close()
    except OSError as exc:
        raise UserError(f"{p}: cannot keep a copy before undoing an interrupted write: {exc.strerror}") from None
    except sqlite3.Error as exc:
        raise UserError(f"{p}: cannot undo the write another program left unfinished "
                        f"({explain(exc, CHECK_WAIT_S)}); the file as found is kept in {backup}") from None
    return backup


def check_integrity(p: Path, conn: sqlite3.Connection) -> None:
    """PRAGMA quick_check, reported in one line (SQLite's own report can run to a hundred lines)."""
    problems = schema.integrity_problems(conn)
    if problems:
        more = f"; and {len(problems) - 1} more problems" if len(problems) > 1 else ""
        raise UserError(f"{p}: the database file is corrupt ({problems[0]}{more})")


def open_immutable(path: Path) -> sqlite3.Connection:
    """Another assessment file, opened to be read only and as it is (doctor, merge): a regular
    SQLite file, or a one-line refusal; not even a -wal or -shm is made beside it."""
    from soc2_tui.files import is_sqlite

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise UserError(f"{path}: cannot read the file: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise UserError(f"{path}: not a regular file, so not an assessment file")
    if not is_sqlite(path):
        raise UserError(f"{path}: not a soc2-tui assessment file (not an SQLite database)")
    return sqlite3.connect(f"file:{uri_path(path)}?mode=ro&immutable=1", uri=True)
