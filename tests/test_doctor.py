"""`soc2-tui doctor FILE` lists what is wrong with a file and writes a clean copy; the file itself
is never changed (docs/reliability.md, "A client's file")."""

from __future__ import annotations

import sqlite3

import pytest

from soc2_tui.cli import main
from soc2_tui.store import Store


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "client.db"
    assert main(["--db", str(db), "demo"]) == 0
    return db


def test_a_sound_file_has_no_problem(demo_db, capsys):
    capsys.readouterr()
    assert main(["doctor", str(demo_db)]) == 0
    assert "no problem found (1 assessment)" in capsys.readouterr().out


def test_every_problem_is_listed_a_clean_copy_written_and_the_file_left_alone(demo_db, tmp_path, capsys):
    conn = sqlite3.connect(demo_db)
    conn.execute("CREATE TRIGGER lift AFTER INSERT ON answers BEGIN SELECT 1; END")
    conn.execute("CREATE VIEW everything AS SELECT * FROM answers")
    conn.execute("UPDATE answers SET value = 'not json' WHERE item_id = 'system_name'")
    conn.execute("UPDATE history SET changed_by = 'Mallory' WHERE id = 9")
    conn.commit()
    conn.close()
    before = demo_db.read_bytes()
    clean = tmp_path / "clean.db"
    capsys.readouterr()
    assert main(["doctor", str(demo_db), "-o", str(clean)]) == 1
    out = capsys.readouterr().out
    for finding in ("a trigger 'lift' on 'answers'", "a view 'everything'", "item 'system_name', column value",
                    "audit trail: change #9 ("):
        assert finding in out, finding
    assert "its audit trail sealed anew" in out
    assert demo_db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.db", "client.db"]  # no -wal/-shm beside it
    assert main(["doctor", str(clean)]) == 0
    assert main(["--db", str(clean), "verify", "demo"]) == 0
    with Store(clean) as s:
        answers = s.answers(s.get("demo").id)
        assert "system_name" not in answers and answers["CC6-03"].status
    capsys.readouterr()
    assert main(["doctor", str(demo_db), "-o", str(clean)]) == 2  # never over an existing file
    assert "already exists" in capsys.readouterr().err


def test_a_file_that_is_not_sqlite_is_one_line(tmp_path, capsys):
    junk = tmp_path / "x.db"
    junk.write_text("hello", encoding="utf-8")
    capsys.readouterr()
    assert main(["doctor", str(junk)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not an SQLite database" in err
