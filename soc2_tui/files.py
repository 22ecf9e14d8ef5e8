"""Writing files safely: atomic replace, owner-only mode, clear errors."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from soc2_tui.errors import UserError


def write_text_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """Write `text` to `path` via a temp file in the same directory and a rename.

    A reader (or a crash) sees either the old complete file or the new complete one. The file is
    created owner-only (0600): exports hold the same sensitive answers as the database.
    """
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path}: is a directory")
    if path.exists() and not force:
        raise UserError(f"{path}: already exists (use --force to overwrite)")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"{path}: cannot write: {parent} is not a directory")
    data = text.encode("utf-8")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise UserError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
