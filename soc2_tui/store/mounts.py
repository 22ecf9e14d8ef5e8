"""Which file system holds the assessment file: SQLite's WAL is not safe on network or sync
folders, so start-up warns about them (startup.network_warning)."""

from __future__ import annotations

import os
from pathlib import Path

# File systems on which SQLite's WAL (shared memory between processes) and its locks are not
# reliable: network shares and the FUSE file systems sync clients and remote mounts use.
_NETWORK_TYPES = ("nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "ceph", "glusterfs", "9p", "lustre",
                  "gpfs", "beegfs")


def _mount_table() -> str:
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
    for line in _mount_table().splitlines():
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
