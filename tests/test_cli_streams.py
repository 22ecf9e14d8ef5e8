"""Standard output that is full, or that cannot show a character, and interrupts: one line, no
traceback, and a message that says what really happened."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from soc2_tui.cli import main


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "a.db"
    assert main(["--db", str(db), "demo"]) == 0
    return db


def soc2(*argv: str, env: dict | None = None, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "soc2_tui", *argv], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, env={**os.environ, **(env or {})})


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_full_standard_output_is_one_line(demo_db, tmp_path):
    full = tmp_path / "full"
    os.mknod(full, stat.S_IFCHR | 0o600, os.makedev(1, 7))  # the full device, as a node of our own
    with open(full, "w") as sink:
        run = soc2("--db", str(demo_db), "questions", "--format", "csv", stdout=sink)
    assert run.returncode == 2
    assert run.stderr.strip() == "soc2-tui: error: writing the output: No space left on device"


def test_an_ascii_terminal_gets_escapes_not_a_crash(demo_db):
    env = {"PYTHONIOENCODING": "ascii"}
    made = soc2("--db", str(demo_db), "new", "Café Ünïcode", env=env)
    assert made.returncode == 0 and "Caf\\xe9" in made.stdout and "Traceback" not in made.stderr
    listed = soc2("--db", str(demo_db), "list", env=env)
    assert listed.returncode == 0 and "Traceback" not in listed.stderr


def test_an_interrupted_import_says_nothing_was_imported(demo_db, tmp_path, monkeypatch, capsys):
    from soc2_tui.interchange import importer

    def interrupted(*_args, **_kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(importer, "read_file", interrupted)
    out = tmp_path / "x.csv"
    assert main(["--db", str(demo_db), "export", "demo", "--format", "csv", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["--db", str(demo_db), "import", str(out), "--into", "demo"]) == 130
    assert "nothing was imported" in capsys.readouterr().err


def test_a_closed_standard_output_is_an_error_not_silence(demo_db, tmp_path):
    closed = subprocess.run(["sh", "-c", f'exec "{sys.executable}" -m soc2_tui --db "{demo_db}" list >&-'],
                            capture_output=True, text=True)
    assert closed.returncode == 2
    assert closed.stderr.strip() == "soc2-tui: error: writing the output: standard output is closed"
    out = tmp_path / "r.md"  # a command that writes its result to a file still works
    wrote = subprocess.run(["sh", "-c", f'exec "{sys.executable}" -m soc2_tui --db "{demo_db}" report demo '
                                        f'-o "{out}" >&-'], capture_output=True, text=True)
    assert wrote.returncode == 0 and out.read_text(encoding="utf-8").startswith("# SOC 2 readiness")
