"""Import conflicts (issue 15): a field changed in the assessment after the export a file came
from, and changed in the file too, is a conflict: listed, nothing written, unless --overwrite."""

from __future__ import annotations

import csv
import io
import json

import pytest

from soc2_tui.cli import main
from soc2_tui.store import Store


@pytest.fixture
def exported(tmp_path, capsys):
    """A file with CC6-03 operating by alice, and its JSON and CSV exports made now."""
    db = tmp_path / "w.db"
    with Store(db) as s:
        aid = s.create("Acme").id
        s.set_answer(aid, "CC6-03", status="operating", notes="MFA everywhere", by="alice")
        s.set_answer(aid, "CC6-05", status="in_progress", by="alice")
    files = {}
    for fmt in ("json", "csv"):
        files[fmt] = tmp_path / f"export.{fmt}"
        assert main(["--db", str(db), "export", "Acme", "--format", fmt, "-o", str(files[fmt])]) == 0
    capsys.readouterr()
    return db, files


def _edit(path, item, **fields):
    if path.suffix == ".json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        next(i for i in doc["items"] if i["id"] == item).update(fields)
        path.write_text(json.dumps(doc), encoding="utf-8")
        return
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    next(r for r in rows if r["id"] == item).update(fields)
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _answer(db, item):
    with Store(db) as s:
        return s.answer(s.get("Acme").id, item)


def _later(db, item, by="bob", **fields):
    with Store(db) as s:
        s.set_answer(s.get("Acme").id, item, by=by, **fields)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_field_changed_on_both_sides_is_a_conflict_and_nothing_is_written(exported, capsys, fmt):
    db, files = exported
    _later(db, "CC6-03", notes="not on the legacy console")
    _edit(files[fmt], "CC6-03", notes="MFA everywhere, audited", evidence="IdP report")
    _edit(files[fmt], "CC6-05", status="implemented")
    with Store(db) as s:
        before = len(s.history(s.get("Acme").id))
    assert main(["--db", str(db), "--as", "carol", "import", str(files[fmt]), "--into", "Acme"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert "nothing imported, 1 conflict(s)" in err[0] and "--overwrite" in err[0]
    assert len(err) == 2 and f"{files[fmt]}:" in err[1]
    line = err[1]
    assert "CC6-03 notes: the file has 'MFA everywhere, audited', the assessment has " \
           "'not on the legacy console', set by bob at" in line
    with Store(db) as s:
        assert len(s.history(s.get("Acme").id)) == before  # not even the fields without a conflict
    assert _answer(db, "CC6-05").status == "in_progress"
    # --overwrite takes the file's rows anyway
    assert main(["--db", str(db), "--as", "carol", "import", str(files[fmt]), "--into", "Acme", "--overwrite"]) == 0
    ans = _answer(db, "CC6-03")
    assert (ans.notes, ans.evidence, ans.notes_by) == ("MFA everywhere, audited", "IdP report", "carol")
    assert _answer(db, "CC6-05").status == "implemented"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_field_the_file_did_not_change_keeps_the_newer_value(exported, capsys, fmt):
    db, files = exported
    _later(db, "CC6-03", status="implemented")  # after the export; the file still says operating
    _edit(files[fmt], "CC6-05", status="operating")  # the file's own change, nothing here since
    assert main(["--db", str(db), "--as", "carol", "import", str(files[fmt]), "--into", "Acme"]) == 0
    out = capsys.readouterr()
    assert "1 field changed here after the export and not in the file kept their newer value (CC6-03 status)" \
        in out.err
    assert _answer(db, "CC6-03").status == "implemented" and _answer(db, "CC6-03").answered_by == "bob"
    assert _answer(db, "CC6-05").status == "operating"
    # importing the same file again changes nothing and finds no conflict
    assert main(["--db", str(db), "import", str(files[fmt]), "--into", "Acme"]) == 0
    assert "0 fields changed" in capsys.readouterr().out


def test_a_file_without_an_export_time_imports_as_before(exported, tmp_path, capsys):
    db, _files = exported
    _later(db, "CC6-03", notes="changed after")
    sheet = tmp_path / "hand.csv"
    sheet.write_text("id,status,notes\r\nCC6-03,Implemented,from the sheet\r\n", encoding="utf-8")
    assert main(["--db", str(db), "import", str(sheet), "--into", "Acme"]) == 0
    assert (_answer(db, "CC6-03").status, _answer(db, "CC6-03").notes) == ("implemented", "from the sheet")


def test_an_export_time_that_is_not_one_is_a_bad_row(exported, capsys):
    db, files = exported
    _edit(files["csv"], "CC6-03", exported_at="yesterday")
    assert main(["--db", str(db), "import", str(files["csv"]), "--into", "Acme"]) == 2
    assert "CC6-03: bad exported_at 'yesterday'" in capsys.readouterr().err


def test_rows_pasted_from_two_exports_keep_their_own_times(exported, capsys):
    db, files = exported
    _later(db, "CC6-03", notes="bob's note")
    # this row comes from an export made after bob's change: not a conflict
    _edit(files["csv"], "CC6-03", notes="newer sheet", exported_at="2999-01-01T00:00:00.000000Z")
    assert main(["--db", str(db), "import", str(files["csv"]), "--into", "Acme"]) == 0
    assert _answer(db, "CC6-03").notes == "newer sheet"
