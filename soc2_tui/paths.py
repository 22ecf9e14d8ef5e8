"""Where the built-in content lives, in a checkout and in an installed wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _content_dir(name: str) -> Path:
    # An installed wheel carries the content inside the package; a checkout (editable
    # install or running from source) keeps it at the top of the repository.
    inside = _PKG / name
    if inside.is_dir():
        return inside
    return _PKG.parent / name


def questionnaires_dir() -> Path:
    return _content_dir("questionnaires")


def data_dir() -> Path:
    return _content_dir("data")


def extra_questionnaire_dirs(cli_dirs: list[str] | None = None) -> list[Path]:
    """Custom bank directories: the --questionnaires options, then SOC2_TUI_QUESTIONNAIRES."""
    dirs = [Path(d) for d in (cli_dirs or [])]
    env = os.environ.get("SOC2_TUI_QUESTIONNAIRES", "")
    dirs += [Path(d) for d in env.split(os.pathsep) if d.strip()]
    return dirs
