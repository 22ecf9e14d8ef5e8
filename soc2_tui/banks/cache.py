"""A cache of parsed, validated question banks, keyed by the bytes of the files.

Lives in $SOC2_TUI_CACHE_DIR, else $XDG_CACHE_HOME/soc2-tui, else ~/.cache/soc2-tui; a folder
only the user can open. Disable with SOC2_TUI_NO_CACHE=1. Any problem reading or writing the
cache just means parsing again: the cache can never make loading fail.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from soc2_tui import __version__

MAX_ENTRIES = 20
# Where the pickled records live and what they hold: a cache written by a build whose records
# were laid out otherwise (soc2_tui.content.Item, before the move to soc2_tui.model; before
# Questionnaire.bank_meta, Item.replaces and Item.metadata) is never read.
LAYOUT = 4


def cache_dir() -> Path | None:
    if os.environ.get("SOC2_TUI_NO_CACHE"):
        return None
    base = os.environ.get("SOC2_TUI_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "soc2-tui"


def key_for(files: Iterable[Path]) -> str | None:
    h = hashlib.sha256(f"soc2-tui {__version__} records {LAYOUT} pickle {pickle.HIGHEST_PROTOCOL}".encode())
    try:
        for f in files:
            h.update(str(f).encode() + b"\0")
            h.update(Path(f).read_bytes())
            h.update(b"\0")
    except OSError:
        return None
    return h.hexdigest()


def _trusted(path: Path) -> bool:
    """Only our own files that nobody else can write are loaded (pickle runs code)."""
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def get(key: str) -> Any:
    d = cache_dir()
    if d is None:
        return None
    path = d / f"{key}.pickle"
    if not (_trusted(d) and _trusted(path)):
        return None
    enabled = gc.isenabled()
    gc.disable()  # unpickling builds every item at once: collections midway only cost time
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - a stale or broken cache entry just means parsing again
        return None
    finally:
        if enabled:
            gc.enable()


def put(key: str, value: Any) -> None:
    d = cache_dir()
    if d is None:
        return
    tmp: str | None = None
    try:
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(d):
            return
        fd, tmp = tempfile.mkstemp(dir=d, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, d / f"{key}.pickle")
        entries = sorted(d.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-MAX_ENTRIES]:
            old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - never fail a load because the cache could not be written
        try:
            if tmp is not None:
                os.unlink(tmp)
        except Exception:  # noqa: BLE001
            pass
