"""Writing files safely: atomic replace, owner-only mode, clear errors, special targets respected.

What `write_text_atomic` promises (docs/reliability.md):
- a regular file is replaced atomically (a temp file in the same folder, then a rename), so a
  reader or a crash sees the old complete file or the new complete one; it is created 0600;
- an existing file is replaced only with force=True; a symlink counts as existing even when it
  points nowhere;
- an SQLite database (an assessment file, the one open included) is never overwritten, with
  force or without: exports hold the same answers, and one typo must not lose the database;
- a FIFO or a character device is written to directly, never renamed over (a pipe's reader gets
  the bytes; a device node stays a device node); a block device, a socket or a directory is
  refused;
- a name ending in '/' names a folder, never a file.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from soc2_tui.errors import UserError

SQLITE_MAGIC = b"SQLite format 3\x00"


def write_text_atomic(path: str | os.PathLike[str], text: str, *, force: bool = False) -> None:
    """Write `text` (UTF-8) to `path`; see the module docstring for what is refused and why."""
    write_bytes_atomic(path, text.encode("utf-8"), force=force)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, *, force: bool = False) -> None:
    """Write `data` (a Word or Excel file, or encoded text) to `path` under the same rules."""
    raw = os.fspath(path)
    target = Path(raw)
    if raw.endswith(("/", os.sep)):
        raise UserError(f"{raw}: names a folder; give a file name (for example {raw.rstrip('/')}/report.md)")
    st = _lstat(target)
    if st is not None and stat.S_ISLNK(st.st_mode):
        if not force:
            raise UserError(f"{target}: already exists (a symbolic link; use --force to replace the link)")
        followed = _stat(target)
        if followed is not None and not stat.S_ISREG(followed.st_mode):
            st = followed  # a link to a FIFO or a device: treat it as that
    if st is not None and not stat.S_ISLNK(st.st_mode) and not stat.S_ISREG(st.st_mode):
        _write_special(target, st, data)
        return
    if st is not None and stat.S_ISREG(st.st_mode):
        if is_sqlite(target):
            raise UserError(f"{target}: is an SQLite database (an assessment file?); it is never overwritten, "
                            "even with --force: choose another file name")
        if not force:
            raise UserError(f"{target}: already exists (use --force to overwrite)")
    _replace(target, data)


def folder_problem(path: Path) -> str | None:
    """Why a file cannot be made at `path` because of its folder: 'the folder X does not exist'
    or 'X is not a directory' (a file stands where the folder should be); None when the folder is
    there."""
    parent = path.parent if str(path.parent) else Path(".")
    if parent.is_dir():
        return None
    if os.path.lexists(parent):
        return f"{parent} is not a directory"
    return f"the folder {parent} does not exist"


def _replace(target: Path, data: bytes) -> None:
    parent = target.parent if str(target.parent) else Path(".")
    problem = folder_problem(target)
    if problem:
        raise UserError(f"{target}: cannot write: {problem}")
    tmp = None
    try:
        # A short temp name: the target's own name may already be as long as the system allows.
        fd, tmp = tempfile.mkstemp(prefix=".soc2-tui-", suffix=".tmp", dir=parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise UserError(f"{target}: cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _write_special(target: Path, st: os.stat_result, data: bytes) -> None:
    """Write into a FIFO or a character device as it is; refuse anything else that is not a file."""
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise UserError(f"{target}: is a directory")
    if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        kind = "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a file"
        raise UserError(f"{target}: is {kind}; nothing written")
    try:
        with open(target, "wb") as fh:  # no O_CREAT race: it exists and is not a regular file
            fh.write(data)
            fh.flush()
    except OSError as exc:
        raise UserError(f"{target}: cannot write: {exc.strerror or exc}") from None


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(_explain(path, exc)) from None


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def is_sqlite(path: Path) -> bool:
    """True when the file starts with the SQLite header (False when it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _explain(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return f"{path}: the file name is too long for this system"
    if exc.errno == errno.ENOTDIR:
        return f"{path}: cannot write: a part of the path is a file, not a directory"
    return f"{path}: cannot write: {exc.strerror or exc}"
