"""A file in a folder that cannot be written, a write another SQLite program left half done, and
a lock another program holds: each is read or explained truthfully (issue 14, "Smaller";
docs/reliability.md)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from soc2_tui.cli import main
from soc2_tui.store import Store


def as_another_user() -> list[str] | None:
    """The prefix that runs a command as a user without root's powers (permissions apply)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def read_only_folder():
    """A demo file in a folder nobody may write to, readable by the user the commands run as.

    pytest's own tmp_path sits under a folder only root may enter, hence a folder of our own."""
    prefix = as_another_user()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    top = Path(tempfile.mkdtemp(prefix="soc2-ro-"))
    try:
        os.chmod(top, 0o755)
        db = top / "a.db"
        assert main(["--db", str(db), "demo"]) == 0
        os.chmod(db, 0o644)
        os.chmod(top, 0o555)
        yield prefix, db
    finally:
        os.chmod(top, 0o755)
        shutil.rmtree(top)


def run(prefix: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "soc2_tui", *args], capture_output=True, text=True,
                          cwd=tempfile.gettempdir(), timeout=60)


def test_read_commands_work_in_a_folder_that_cannot_be_written(read_only_folder):
    prefix, db = read_only_folder
    before = db.read_bytes()
    for args in (["list"], ["score", "demo"], ["verify", "demo"], ["history", "demo", "--limit", "3"],
                 ["report", "demo", "-o", "-"], ["export", "demo", "--format", "csv", "-o", "-"]):
        done = run(prefix, "--db", str(db), *args)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr
    assert "changes, verified" in run(prefix, "--db", str(db), "verify", "demo").stdout
    assert sorted(p.name for p in db.parent.iterdir()) == ["a.db"] and db.read_bytes() == before


def test_a_write_in_a_folder_that_cannot_be_written_says_so_in_one_line(read_only_folder):
    prefix, db = read_only_folder
    done = run(prefix, "--db", str(db), "new", "second")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    error = done.stderr.strip().splitlines()[-1]
    assert "nothing was saved" in error and "copy a.db to a folder you can write to" in error


def half_done_write(db: Path) -> tuple[Path, bytes]:
    """The file and the rollback journal an SQLite tool leaves when it dies mid-write."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA cache_size = 1")  # so pages reach the file before the commit
    conn.execute("BEGIN IMMEDIATE")
    for n in range(100):
        conn.execute("UPDATE answers SET notes = ?", (f"half written {n}" * 40,))
    crashed = db.with_name("crashed.db")
    shutil.copyfile(db, crashed)
    shutil.copyfile(f"{db}-journal", f"{crashed}-journal")
    conn.execute("ROLLBACK")
    conn.close()
    return crashed, Path(f"{crashed}-journal").read_bytes()


def test_a_write_another_program_left_half_done_is_undone_after_keeping_a_copy(tmp_path, capsys):
    db = tmp_path / "a.db"
    assert main(["--db", str(db), "demo"]) == 0
    crashed, journal = half_done_write(db)
    found_bytes = crashed.read_bytes()
    capsys.readouterr()
    assert main(["--db", str(crashed), "verify", "demo"]) == 0  # was: "read-only", exit 2
    out, err = capsys.readouterr()
    assert "changes, verified" in out  # the answers are the ones before the unfinished write
    assert "its unfinished write was undone" in err
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("crashed.db.interrupted-")]
    assert sorted(p.suffix for p in kept) == [".bak", ".bak-journal"]
    backup = next(p for p in kept if p.suffix == ".bak")
    assert backup.read_bytes() == found_bytes and Path(f"{backup}-journal").read_bytes() == journal
    assert not Path(f"{crashed}-journal").exists()
    with Store(crashed) as s:
        assert not any("half written" in (a.notes or "") for a in s.answers(s.get("demo").id).values())


def test_doctor_names_a_half_done_write_and_changes_nothing(tmp_path, capsys):
    db = tmp_path / "a.db"
    assert main(["--db", str(db), "demo"]) == 0
    crashed, journal = half_done_write(db)
    capsys.readouterr()
    main(["doctor", str(crashed)])
    assert "left crashed.db-journal" in capsys.readouterr().out
    assert Path(f"{crashed}-journal").read_bytes() == journal


def test_a_lock_held_by_another_program_says_how_long_it_was_waited_for(tmp_path, capsys):
    db = tmp_path / "a.db"
    assert main(["--db", str(db), "demo"]) == 0
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")  # exclusive mode keeps the lock after the commit
        locked.set()
        release.wait(30)
        conn.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        capsys.readouterr()
        started = time.monotonic()
        assert main(["--db", str(db), "list"]) == 2
        waited = time.monotonic() - started
    finally:
        release.set()
        holder.join()
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "locked for 5 s" in err and "15 s" not in err
    assert 4 < waited < 10
