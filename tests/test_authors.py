"""Who said what, per field (issue 15): "answered by" is who set the status; notes and the other
fields keep their own author; schema 2 files get theirs from the history."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date

from soc2_tui.cli import main
from soc2_tui.interchange import export
from soc2_tui.reports import markdown
from soc2_tui.store import Store, schema


def _a_then_b(store: Store) -> int:
    a = store.create("Acme")
    store.set_answer(a.id, "CC6-03", status="operating", by="alice")
    store.set_answer(a.id, "CC6-03", flagged=True, by="bob")
    store.set_answer(a.id, "CC6-03", notes="legacy console has no MFA", by="bob")
    store.set_answer(a.id, "CC6-05", notes="only a note", by="carol")
    return a.id


def test_a_flag_or_a_note_never_changes_who_answered(store):
    aid = _a_then_b(store)
    ans = store.answer(aid, "CC6-03")
    assert (ans.answered_by, ans.notes_by, ans.details_by) == ("alice", "bob", "bob")
    assert ans.answered_at < ans.details_at < ans.notes_at
    only_note = store.answer(aid, "CC6-05")
    assert (only_note.answered_by, only_note.answered_at, only_note.notes_by) == ("", "", "carol")
    store.set_answer(aid, "CC6-03", status="implemented", by="bob")
    assert store.answer(aid, "CC6-03").answered_by == "bob"
    assert store.verify(aid).problem is None  # the author columns are not answer fields


def test_exports_and_the_report_name_who_set_the_status(store, q):
    aid = _a_then_b(store)
    a, answers = store.by_id(aid), store.answers(aid)
    doc = json.loads(export.assessment_json(q, a, answers, exported_at="2026-11-30T10:00:00.000000Z"))
    item = next(i for i in doc["items"] if i["id"] == "CC6-03")
    assert (item["answered_by"], item["notes_by"], item["details_by"]) == ("alice", "bob", "bob")
    assert doc["exported_at"] == "2026-11-30T10:00:00.000000Z"
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(export.assessment_csv(q, a, answers)))}
    assert (rows["CC6-03"]["answered_by"], rows["CC6-03"]["notes_by"]) == ("alice", "bob")
    assert rows["CC6-03"]["exported_at"].endswith("Z")
    report = markdown.render(q, a, answers, today=date(2026, 12, 1))
    appendix = report.split("## Appendix: every answer")[1]
    line = next(x for x in appendix.splitlines() if x.startswith("| CC6-03 "))
    assert line.split(" | ")[-2] == "alice" and "notes (by bob): legacy console" in line


def _as_schema_2(path, last_by: dict[str, str]) -> None:
    """Turn a file into what schema 2 wrote: one author per answer, whoever changed it last."""
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE assessments DROP COLUMN bank_set")  # schema 4's columns
    conn.execute("ALTER TABLE answers DROP COLUMN basis")
    for c in ("notes_by", "notes_at", "details_by", "details_at"):
        conn.execute(f"ALTER TABLE answers DROP COLUMN {c}")
    conn.execute("ALTER TABLE answers RENAME COLUMN status_by TO answered_by")
    conn.execute("ALTER TABLE answers RENAME COLUMN status_at TO answered_at")
    for item, who in last_by.items():
        conn.execute("UPDATE answers SET answered_by = ?, answered_at = '2030-01-01T00:00:00.000000Z'"
                     " WHERE item_id = ?", (who, item))
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


def test_a_schema_2_file_gets_its_authors_from_the_history(tmp_path):
    path = tmp_path / "old.db"
    with Store(path) as s:
        aid = _a_then_b(s)
        s.set_answer(aid, "CC7-01", status="in_progress", by="dana")
        expected = {k: (v.answered_by, v.answered_at, v.notes_by, v.notes_at, v.details_by, v.details_at)
                    for k, v in s.answers(aid).items()}
    _as_schema_2(path, {"CC6-03": "bob", "CC6-05": "carol", "CC7-01": "dana"})
    with Store(path) as s:
        assert s.backup_path is not None and s.backup_path.exists()
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 4
        got = {k: (v.answered_by, v.answered_at, v.notes_by, v.notes_at, v.details_by, v.details_at)
               for k, v in s.answers(aid).items()}
        assert got == expected
        assert got["CC6-03"][0] == "alice" and got["CC6-05"][:3] == ("", "", "carol")
        assert s.verify(aid).problem is None
    backup = sqlite3.connect(s.backup_path)
    assert backup.execute("SELECT answered_by FROM answers WHERE item_id = 'CC6-03'").fetchone() == ("bob",)
    backup.close()


def test_a_status_with_no_history_row_keeps_its_name_on_migration(tmp_path):
    path = tmp_path / "hand.db"
    with Store(path) as s:
        aid = s.create("Acme").id
        s.set_answer(aid, "CC6-03", status="operating", by="alice")
        s.conn.execute("DELETE FROM history WHERE item_id = 'CC6-03'")
    _as_schema_2(path, {"CC6-03": "erin"})
    with Store(path) as s:
        assert s.answer(aid, "CC6-03").answered_by == "erin"


def test_the_cli_history_and_export_after_migration(tmp_path, capsys):
    path = tmp_path / "old.db"
    with Store(path) as s:
        _a_then_b(s)
    _as_schema_2(path, {"CC6-03": "bob"})
    assert main(["--db", str(path), "export", "Acme", "--format", "json"]) == 0
    out = capsys.readouterr()
    item = next(i for i in json.loads(out.out)["items"] if i["id"] == "CC6-03")
    assert item["answered_by"] == "alice" and "the previous version is kept in" in out.err
