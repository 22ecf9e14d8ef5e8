"""Export and import: lossless round trips, validated imports, safe CSV cells."""

from __future__ import annotations

import csv
import io
import json

import pytest

from soc2_tui.cli import main
from soc2_tui.interchange.export import CSV_COLUMNS, safe_cell
from soc2_tui.store import Store

NOTES = 'Needs work | see "ticket" =SUM(A1) \n second line, <b>bold</b> `code` ünïcødé'


@pytest.fixture
def filled(db_path):
    with Store(db_path) as s:
        a = s.create("Acme & Co / 2026", organisation="Acme", principles=["availability"],
                     period_start="2026-10-01", period_months=6)
        s.set_answer(a.id, "CC6-03", status="operating", notes=NOTES, owner="CTO", evidence="JIRA-1",
                     operating_since="2026-09-01", by="dana")
        s.set_answer(a.id, "CC6-09", status="implemented", due_date="2027-01-31", flagged=True, by="lee")
        s.set_answer(a.id, "POL-01", status="operating", last_reviewed="2026-05-02", approver="CEO")
        s.set_answer(a.id, "uses_subservice_orgs", value=True)
        s.set_answer(a.id, "subservice_orgs", value=["AWS: hosting", "Stripe; payments"])
        s.set_answer(a.id, "company_size", value="11-50")
        s.set_answer(a.id, "A1-01", status="not_applicable", notes="-not needed")
    return db_path


def _answers(db_path, name="Acme & Co / 2026"):
    with Store(db_path) as s:
        a = s.get(name)
        return {k: {f: v for f, v in x.as_dict().items() if not f.endswith(("_by", "_at"))}
                for k, x in s.answers(a.id).items()}, len(s.history(a.id))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_round_trip_is_lossless(filled, tmp_path, fmt, capsys):
    out = tmp_path / f"export.{fmt}"
    assert main(["--db", str(filled), "export", "Acme & Co / 2026", "--format", fmt, "-o", str(out)]) == 0
    before, history_before = _answers(filled)
    # importing an unchanged export changes nothing
    assert main(["--db", str(filled), "import", str(out), "--into", "Acme & Co / 2026"]) == 0
    after, history_after = _answers(filled)
    assert after == before and history_after == history_before
    # into a fresh assessment it recreates every answer exactly
    assert main(["--db", str(filled), "new", "Copy", "--principles", "availability"]) == 0
    assert main(["--db", str(filled), "import", str(out), "--into", "Copy", "--as", "importer"]) == 0
    copy, _ = _answers(filled, "Copy")
    assert copy == before


def test_csv_has_the_documented_columns_and_blank_unanswered(filled, capsys):
    assert main(["--db", str(filled), "export", "Acme & Co / 2026", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    by_id = {r["id"]: r for r in rows}
    assert by_id["CC1-01"]["status"] == "" and by_id["CC1-01"]["notes"] == ""
    assert by_id["CC6-03"]["status"] == "operating" and by_id["uses_subservice_orgs"]["value"] == "yes"
    assert by_id["A1-01"]["notes"] == "'-not needed"  # formula-like cell neutralised


def test_json_export_shape(filled, capsys):
    assert main(["--db", str(filled), "export", "Acme & Co / 2026"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["assessment"]["principles"] == ["security", "availability"]
    item = next(i for i in doc["items"] if i["id"] == "CC6-03")
    for key in ("id", "kind", "section", "question", "criteria", "principles", "severity", "weight",
                "applicable", "status", "value", "notes", "evidence", "owner", "due_date",
                "operating_since", "answered_by", "answered_at"):
        assert key in item
    assert item["answered_by"] == "dana" and doc["scores"]["overall"]["applicable"] > 100
    assert next(i for i in doc["items"] if i["id"] == "CC1-01")["status"] is None


def test_bad_rows_are_all_listed_and_nothing_is_written(filled, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,status,due_date,notes\n"
                   "CC6-03,not_started,,changed\n"
                   "NOPE-1,operating,,\n"
                   "CC6-09,finished,,\n"
                   "CC6-10,operating,31/12/2026,\n", encoding="utf-8")
    before, hist = _answers(filled)
    assert main(["--db", str(filled), "import", str(bad), "--into", "Acme & Co / 2026"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "soc2-tui: error: nothing imported, 3 problem(s):"
    assert lines[1] == f"soc2-tui: error: {bad}:3: unknown item id 'NOPE-1'"  # each bad row on its own line
    assert lines[2].startswith(f"soc2-tui: error: {bad}:4: CC6-09: bad status 'finished': expected a status")
    assert lines[3] == f"soc2-tui: error: {bad}:5: CC6-10: bad due_date '31/12/2026': expected a date YYYY-MM-DD"
    assert len(lines) == 4
    assert _answers(filled) == (before, hist)


def test_a_last_review_after_today_is_a_bad_row(filled, tmp_path, capsys):
    # It was accepted, and the policy then counted as current.
    f = tmp_path / "future.csv"
    f.write_text("id,last_reviewed\nPOL-01,2999-01-15\nPOL-02,2026-01-15\n", encoding="utf-8")
    before = _answers(filled)
    assert main(["--db", str(filled), "import", str(f), "--into", "Acme & Co / 2026"]) == 2
    err = capsys.readouterr().err
    assert f"{f}:2: POL-01: bad last_reviewed '2999-01-15': 2999-01-15 is in the future (today is " in err
    assert _answers(filled) == before


@pytest.mark.parametrize("text, message", [
    ("name,colour\nx,y\n", "unknown column(s) 'name', 'colour'"),
    ("id,status\nCC6-03,operating\nCC6-03,operating\n", "appears twice"),
    ("", "empty file"),
])
def test_bad_files(filled, tmp_path, capsys, text, message):
    f = tmp_path / "x.csv"
    f.write_text(text, encoding="utf-8")
    assert main(["--db", str(filled), "import", str(f), "--into", "Acme & Co / 2026"]) == 2
    assert message in capsys.readouterr().err


def test_wrong_encoding_and_bom(filled, tmp_path, capsys):
    f = tmp_path / "latin.csv"
    f.write_bytes("id,notes\nCC6-03,caf\xe9\n".encode("latin-1"))
    assert main(["--db", str(filled), "import", str(f), "--into", "Acme & Co / 2026"]) == 2
    assert "not UTF-8" in capsys.readouterr().err
    f.write_bytes("\ufeffid,notes\nCC6-03,café\n".encode("utf-8"))
    assert main(["--db", str(filled), "import", str(f), "--into", "Acme & Co / 2026"]) == 0
    answers, _ = _answers(filled)
    assert answers["CC6-03"]["notes"] == "café"


def test_safe_cell():
    assert [safe_cell(x) for x in ("=1+1", "+1", "-1", "@x", "ok", None)] == \
        ["'=1+1", "'+1", "'-1", "'@x", "ok", ""]


def test_history_command(filled, capsys):
    assert main(["--db", str(filled), "history", "Acme & Co / 2026", "--item", "CC6-09", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["field"] for r in rows} == {"status", "due_date", "flagged"}
    assert all(r["changed_by"] == "lee" for r in rows)


def test_unknown_assessment_is_one_line(filled, capsys):
    assert main(["--db", str(filled), "score", "Nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no assessment named 'Nope'" in err


def test_export_refuses_to_overwrite(filled, tmp_path, capsys):
    out = tmp_path / "e.json"
    out.write_text("keep me")
    assert main(["--db", str(filled), "export", "Acme & Co / 2026", "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err and out.read_text() == "keep me"
    assert main(["--db", str(filled), "export", "Acme & Co / 2026", "-o", str(out), "--force"]) == 0
    assert (out.stat().st_mode & 0o777) == 0o600


def test_score_json_has_all_levels(filled, capsys):
    assert main(["--db", str(filled), "score", "Acme & Co / 2026", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc["principles"]) == {"security", "availability"}
    assert "CC6" in doc["series"] and "CC6.1" in doc["criteria"]
    gap = next(g for g in doc["gaps"] if g["id"] == "CC6-09")
    assert gap["points_if_closed"]["security"] > 0 and gap["severity"] == "critical"
