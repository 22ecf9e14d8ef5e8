"""A file a client sends is untrusted input: what soc2-tui did not make is refused, in one line,
and the file is left exactly as it was (docs/reliability.md, "A client's file")."""

from __future__ import annotations

import os
import sqlite3
import threading

import pytest

from soc2_tui.cli import main
from soc2_tui.store import Store


@pytest.fixture
def client_db(tmp_path):
    db = tmp_path / "client.db"
    with Store(db) as s:
        a = s.create("Acme")
        s.set_answer(a.id, "CC6-03", status="in_progress", by="client")
    return db


def tamper(db, *statements: str) -> bytes:
    conn = sqlite3.connect(db)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()
    return db.read_bytes()


def refused(db, capsys, *argv: str) -> str:
    capsys.readouterr()
    assert main(["--db", str(db), *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(("statement", "named"), [
    ("CREATE TRIGGER lift AFTER INSERT ON answers BEGIN "
     "UPDATE answers SET status = 'operating' WHERE status = 'not_started'; END", "trigger 'lift'"),
    ("CREATE TRIGGER forget BEFORE DELETE ON history BEGIN SELECT 1; END", "trigger 'forget'"),
    ("CREATE VIEW everything AS SELECT * FROM answers", "view 'everything'"),
    ("CREATE TABLE notes_of_mine (x TEXT)", "table 'notes_of_mine'"),
    ("CREATE INDEX by_owner ON answers (owner)", "index 'by_owner'"),
    ("ALTER TABLE answers ADD COLUMN secret TEXT", "extra column 'secret' in table 'answers'"),
])
def test_what_soc2_tui_did_not_make_is_refused_by_name_and_nothing_changes(client_db, capsys, statement, named):
    before = tamper(client_db, statement)
    for argv in (["list"], ["score", "Acme"], ["export", "Acme"], ["report", "Acme"]):
        err = refused(client_db, capsys, *argv)
        assert named in err and "refused" in err
    assert client_db.read_bytes() == before


def test_a_trigger_cannot_turn_a_typed_answer_into_another(client_db):
    tamper(client_db, "CREATE TRIGGER lift AFTER UPDATE ON answers BEGIN "
                      "UPDATE answers SET status = 'operating' WHERE status = 'not_started'; END")
    with pytest.raises(Exception, match="trigger 'lift'"):
        Store(client_db)


def test_a_fifo_as_the_database_is_refused_at_once(tmp_path, capsys):
    fifo = tmp_path / "db"
    os.mkfifo(fifo)
    codes: list[int] = []
    worker = threading.Thread(target=lambda: codes.append(main(["--db", str(fifo), "list"])), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert codes == [2], "opening a FIFO as the database must not wait for a writer"
    assert "not a regular file" in capsys.readouterr().err


def test_a_badly_corrupted_file_is_one_line(client_db, capsys):
    with Store(client_db) as s:
        a = s.get("Acme")
        for n in range(400):  # enough pages to break many of them
            s.set_answer(a.id, f"X-{n}", notes="n" * 500)
    size = client_db.stat().st_size
    with open(client_db, "r+b") as fh:
        for offset in range(4096 * 3, size - 4096, 4096 * 2):
            fh.seek(offset + 100)
            fh.write(os.urandom(600))
    err = refused(client_db, capsys, "list")
    assert "corrupt" in err


def test_a_refused_file_gets_no_wal_or_shm_beside_it(client_db, capsys):
    tamper(client_db, "CREATE VIEW v AS SELECT 1")
    assert not os.path.exists(f"{client_db}-wal") and not os.path.exists(f"{client_db}-shm")
    err = refused(client_db, capsys, "list")
    assert "a view 'v' (" in err
    assert sorted(p.name for p in client_db.parent.iterdir()) == ["client.db"]


@pytest.mark.parametrize(("statements", "argv", "named"), [
    (["UPDATE answers SET value = 'not json'"], ["score", "Acme"], "table answers, item 'CC6-03', column value"),
    (["PRAGMA ignore_check_constraints = ON", "UPDATE answers SET status = 'operatingg'"], ["list"],
     "table answers, item 'CC6-03', column status"),
    (["UPDATE answers SET notes = X'00ff'"], ["export", "Acme"], "column notes"),
    (["UPDATE answers SET due_date = 'someday'"], ["report", "Acme"], "column due_date"),
    (["UPDATE assessments SET period_months = 99999999"], ["list"], "table assessments, assessment 1, column "
                                                                     "period_months"),
    (["UPDATE assessments SET principles = '{'"], ["score", "Acme"], "column principles"),
    (["PRAGMA ignore_check_constraints = ON", "UPDATE assessments SET report_type = 'type3'"], ["list"],
     "column report_type"),
    (["INSERT INTO snapshots (assessment_id, label, created_at, data) VALUES (1, 'x', '2026', 'garbage')"],
     ["report", "Acme", "--compare", "x"], "table snapshots, snapshot 1, column data"),
    (["PRAGMA user_version = -1"], ["list"], "schema version (-1)"),
])
def test_a_bad_value_read_from_the_file_is_one_line_naming_table_row_and_column(client_db, capsys, statements,
                                                                                argv, named):
    before = tamper(client_db, *statements)
    err = refused(client_db, capsys, *argv)
    assert named in err, err
    assert client_db.read_bytes() == before
