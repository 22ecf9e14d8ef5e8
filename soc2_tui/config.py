"""What the app remembers between sessions: who is answering, and the theme.

One small JSON file, `config.json`, in the platform's folder for settings (platformdirs:
~/.config/soc2-tui on Linux, ~/Library/Application Support/soc2-tui on macOS, %LOCALAPPDATA%
on Windows), or in $SOC2_TUI_CONFIG_DIR when set (the tests set it, so a test run never touches
the real one). `soc2-tui config` shows where it is and what it holds.

Reading never fails: a missing, unreadable or odd file is an empty one, and a value that could
not have been written by soc2-tui (a name with control characters, say) is left out. Writing is
atomic and owner-only; a failure to write is returned as words, never raised: forgetting a
preference must not stop anyone answering.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from soc2_tui.errors import UserError
from soc2_tui.terminal import has_controls

FILE_NAME = "config.json"
KEYS = ("respondent", "theme")  # what is remembered; nothing else is read or written


def config_dir() -> Path:
    """$SOC2_TUI_CONFIG_DIR, else the platform's config folder for soc2-tui."""
    given = os.environ.get("SOC2_TUI_CONFIG_DIR")
    if given:
        return Path(given)
    import platformdirs  # only here: the app and the `config` command need it, nothing at start-up else

    return Path(platformdirs.user_config_dir("soc2-tui", appauthor=False))


def config_path() -> Path:
    return config_dir() / FILE_NAME


def problem() -> str | None:
    """Why the file cannot be used, in words ('not JSON: …'); None when it is fine or not there.
    `soc2-tui config` says it; the app starts without the file either way."""
    path = config_path()
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    except UnicodeDecodeError:
        return "is not UTF-8 text"
    except ValueError as exc:
        return f"is not JSON ({exc})"
    if not isinstance(data, dict):
        return "does not hold a JSON object"
    kept = load()
    ignored = sorted(k for k in data if k not in kept)
    if ignored:
        return f"has values soc2-tui does not use or could not have written, ignored: {', '.join(ignored)}"
    return None


def load() -> dict[str, str]:
    """The remembered values ({} when there are none or the file cannot be read)."""
    try:
        data: Any = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items()
            if k in KEYS and isinstance(v, str) and v.strip() and not has_controls(v) and len(v) <= 200}


def save(**values: str | None) -> str | None:
    """Remember these values (None forgets one); the problem in words when the file cannot be written."""
    from soc2_tui.files import write_text_atomic

    current = load()
    for key, value in values.items():
        if key not in KEYS:
            raise ValueError(f"not a config key: {key}")
        if value:
            current[key] = value
        else:
            current.pop(key, None)
    path = config_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if problem() and not load():  # a file that cannot be used is kept aside, not lost
            os.replace(path, path.with_name(FILE_NAME + ".unreadable"))
        write_text_atomic(path, json.dumps(current, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                          force=True)
    except (OSError, UserError) as exc:
        return f"could not remember it in {path}: {exc}"
    return None
