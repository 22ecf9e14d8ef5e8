"""What the system and SQLite say about an assessment file, in words a user can act on: the
kind of file system it is on, its identity (device, inode), and SQLite's errors explained."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

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
