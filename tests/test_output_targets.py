"""Where `-o` may write, and what it must never replace (docs/reliability.md, "Output files").

Special files are made here, in the test's own folder (a FIFO, a device node), never taken from
/dev.
"""

from __future__ import annotations

import os
import stat
import threading

import pytest

from soc2_tui.cli import main
from soc2_tui.store import Store


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "a.db"
    assert main(["--db", str(db), "demo"]) == 0
    return db


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


def test_the_open_database_is_never_overwritten_even_with_force(demo_db, capsys):
    before = demo_db.read_bytes()
    capsys.readouterr()
    assert main(["--db", str(demo_db), "report", "demo", "-o", str(demo_db), "--force"]) == 2
    assert "SQLite database" in one_line_error(capsys)
    assert demo_db.read_bytes() == before
    with Store(demo_db) as s:
        assert s.answers(s.get("demo").id)


def test_no_sqlite_file_is_overwritten_by_an_export(demo_db, tmp_path, capsys):
    other = tmp_path / "client.db"
    with Store(other) as s:
        s.create("Client")
    before = other.read_bytes()
    capsys.readouterr()
    for cmd in (["report", "demo"], ["export", "demo", "--format", "csv"], ["questions", "--format", "json"]):
        assert main(["--db", str(demo_db), *cmd, "-o", str(other), "--force"]) == 2
        assert "never overwritten" in one_line_error(capsys)
    assert other.read_bytes() == before


def test_a_fifo_is_written_to_not_replaced(demo_db, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert main(["--db", str(demo_db), "report", "demo", "-o", str(fifo)]) == 0
    reader.join(timeout=20)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0].startswith(b"# SOC 2 readiness")


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_character_device_stays_a_device(demo_db, tmp_path):
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # the null device, as a node of our own
    assert main(["--db", str(demo_db), "report", "demo", "-o", str(node), "--force"]) == 0
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    assert main(["--db", str(demo_db), "export", "demo", "-o", str(node)]) == 0  # nothing replaced: no --force needed
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_a_name_ending_in_a_slash_is_a_folder(demo_db, tmp_path, capsys):
    capsys.readouterr()
    missing = tmp_path / "reports"
    assert main(["--db", str(demo_db), "report", "demo", "-o", f"{missing}/"]) == 2
    assert "folder" in one_line_error(capsys)
    assert not missing.exists()
    missing.mkdir()
    assert main(["--db", str(demo_db), "report", "demo", "-o", f"{missing}/", "--force"]) == 2
    one_line_error(capsys)
    assert list(missing.iterdir()) == []


def test_a_dangling_symlink_is_not_replaced_without_force(demo_db, tmp_path, capsys):
    link = tmp_path / "out.md"
    link.symlink_to(tmp_path / "nowhere" / "x.md")
    capsys.readouterr()
    assert main(["--db", str(demo_db), "report", "demo", "-o", str(link)]) == 2
    assert "already exists" in one_line_error(capsys)
    assert link.is_symlink()
    assert main(["--db", str(demo_db), "report", "demo", "-o", str(link), "--force"]) == 0
    assert not link.is_symlink() and link.read_text(encoding="utf-8").startswith("# SOC 2 readiness")


def test_long_names_work_up_to_the_system_limit_and_fail_in_one_line_past_it(demo_db, tmp_path, capsys):
    longest = tmp_path / ("r" * 250)
    assert main(["--db", str(demo_db), "report", "demo", "-o", str(longest)]) == 0
    assert longest.read_text(encoding="utf-8").startswith("# SOC 2 readiness")
    too_long = str(tmp_path / ("r" * 300))
    capsys.readouterr()
    assert main(["--db", str(demo_db), "report", "demo", "-o", too_long]) == 2
    assert "too long" in one_line_error(capsys)
    assert main(["--db", too_long, "list"]) == 2
    assert "too long" in one_line_error(capsys)
    assert main(["--db", str(demo_db), "--questionnaires", too_long, "list"]) == 2
    assert "too long" in one_line_error(capsys)
    assert main(["--db", str(demo_db), "validate", too_long]) == 2
    err = capsys.readouterr().err
    assert "too long" in err and "Traceback" not in err


def test_dash_still_means_standard_output(demo_db, capsys):
    capsys.readouterr()
    assert main(["--db", str(demo_db), "report", "demo", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("# SOC 2 readiness")
