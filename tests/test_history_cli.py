"""`soc2-tui history` streams the audit trail with filters, as a table, JSON or CSV."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

import pytest

from soc2_tui.cli import main
from soc2_tui.store import Store


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "a.db"
    assert main(["--db", str(db), "demo"]) == 0
    return db


def run(capsys, *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_json_is_the_same_document_as_a_list_dumped_whole(demo_db, capsys):
    with Store(demo_db) as s:
        expected = json.dumps([asdict(c) for c in s.history(s.get("demo").id)], indent=2, ensure_ascii=False)
    assert run(capsys, "--db", str(demo_db), "history", "demo", "--json") == expected + "\n"
    assert run(capsys, "--db", str(demo_db), "history", "demo", "--format", "json", "--since", "2999-01-01") == "[]\n"


def test_filters_by_item_respondent_day_and_count(demo_db, capsys):
    rows = json.loads(run(capsys, "--db", str(demo_db), "history", "demo", "--json", "--who", "Dana (CTO)"))
    assert rows and {r["changed_by"] for r in rows} == {"Dana (CTO)"}
    rows = json.loads(run(capsys, "--db", str(demo_db), "history", "demo", "--json", "--item", "CC6-03"))
    assert rows and {r["item_id"] for r in rows} == {"CC6-03"}
    newest = json.loads(run(capsys, "--db", str(demo_db), "history", "demo", "--json", "--limit", "3"))
    assert [r["id"] for r in newest] == sorted((r["id"] for r in newest), reverse=True) and len(newest) == 3
    today = newest[0]["changed_at"][:10]
    assert json.loads(run(capsys, "--db", str(demo_db), "history", "demo", "--json", "--since", today))
    capsys.readouterr()
    assert main(["--db", str(demo_db), "history", "demo", "--since", "last week"]) == 2
    assert "bad --since" in capsys.readouterr().err


def test_csv_and_table(demo_db, capsys):
    out = run(capsys, "--db", str(demo_db), "history", "demo", "--format", "csv", "--limit", "2")
    lines = out.split("\r\n")
    assert lines[0] == "id,assessment,item_id,field,old,new,changed_by,changed_at" and len(lines) == 4
    table = run(capsys, "--db", str(demo_db), "history", "demo", "--item", "CC6-03")
    assert table.startswith("History of demo (times in UTC)\n") and "CC6-03" in table and " → " in table


def test_a_terminal_gets_the_table_through_the_pager(demo_db, tmp_path, monkeypatch, capsys):
    seen = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"{sys.executable} -c \"import sys; open({str(seen)!r}, 'w').write(sys.stdin.read())\"")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["--db", str(demo_db), "history", "demo", "--item", "CC6-03"]) == 0
    assert seen.read_text(encoding="utf-8").startswith("History of demo")


def test_the_first_change_comes_before_the_whole_trail_is_read(demo_db):
    """Streamed: the store hands out changes from a cursor, not a list built first."""
    import types

    with Store(demo_db) as s:
        stream = s.iter_history(s.get("demo").id)
        assert isinstance(stream, types.GeneratorType)
        assert next(stream).field == "created"
