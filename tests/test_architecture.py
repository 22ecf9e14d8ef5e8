"""The layering rules of docs/architecture.md, checked in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = ["soc2_tui.banks", "soc2_tui.model", "soc2_tui.store", "soc2_tui.scoring", "soc2_tui.summary",
        "soc2_tui.interchange.export", "soc2_tui.interchange.importer", "soc2_tui.reports.console", "soc2_tui.cli",
        "soc2_tui.files"]


@pytest.mark.parametrize("module", CORE)
def test_core_modules_import_no_ui(module):
    code = (f"import sys, {module}; bad = [m for m in ('textual', 'questionary') if m in sys.modules]; "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_score_command_does_not_import_textual(tmp_path):
    db = tmp_path / "a.db"
    code = ("import sys; from soc2_tui.cli import main; "
            f"main(['--db', {str(db)!r}, 'new', 'A']); main(['--db', {str(db)!r}, 'score', 'A']); "
            "main(['--db', {0!r}, 'export', 'A']); ".format(str(db)) +
            "print('LOADED', [m for m in ('textual', 'questionary') if m in sys.modules], file=sys.stderr)")
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stderr
    assert "LOADED []" in err


def test_only_content_reads_yaml_and_only_store_touches_sqlite():
    from pathlib import Path

    root = Path(__file__).parent.parent / "soc2_tui"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(root).as_posix()
        if rel != "banks/yaml_reader.py":
            assert "import yaml" not in text, rel
        if rel != "store.py":
            assert "import sqlite3" not in text and "import sqlite_utils" not in text, rel
