"""Input that must not be silently changed (issue #16): names in one Unicode form, export file
names that keep their letters, import reading the labels the app shows, and the warnings that
say when a file does not fit the assessment it is imported into."""

from __future__ import annotations

import sqlite3
import unicodedata

from soc2_tui.cli import main
from soc2_tui.store import Store

NFC = "Café Ñandú"
NFD = unicodedata.normalize("NFD", NFC)


# ----------------------------------------------------------------------------- names in NFC


def test_a_name_typed_decomposed_finds_the_one_stored_composed(db_path, capsys):
    assert NFC != NFD
    assert main(["--db", str(db_path), "new", NFC]) == 0
    assert main(["--db", str(db_path), "score", NFD]) == 0
    assert main(["--db", str(db_path), "new", NFD]) == 2  # the same name: no look-alike second one
    assert "already exists" in capsys.readouterr().err
    with Store(db_path) as s:
        assert [a.name for a in s.assessments()] == [NFC]


def test_names_are_stored_composed_and_an_older_decomposed_one_is_still_found(db_path):
    with Store(db_path) as s:
        assert s.create(NFD).name == NFC
        other = s.create("Other")
    conn = sqlite3.connect(db_path)  # a file written before names were normalised
    conn.execute("UPDATE assessments SET name = ? WHERE id = ?", (unicodedata.normalize("NFD", "Thé Ñandú"), other.id))
    conn.commit()
    conn.close()
    with Store(db_path) as s:
        assert s.find("Thé Ñandú").id == other.id
        assert s.find(unicodedata.normalize("NFD", "Thé Ñandú")).id == other.id
        renamed = s.update_assessment(other.id, name="Thé Ñandú")  # itself, composed: no clash
        assert renamed.name == "Thé Ñandú"


def test_respondent_names_are_stored_composed_and_found_either_way(db_path, capsys):
    assert main(["--db", str(db_path), "new", "Acme", "--as", NFD]) == 0
    with Store(db_path) as s:
        a = s.get("Acme")
        assert s.history(a.id)[0].changed_by == NFC
        assert len(s.history(a.id, who=NFD)) == len(s.history(a.id, who=NFC)) == 1


# ----------------------------------------------------------------------------- default file names


def test_default_file_names_keep_letters_of_any_script():
    from soc2_tui.labels import file_slug

    assert file_slug("Café Ñandú") == "Café-Ñandú"  # was 'Caf-and'
    assert file_slug(NFD) == "Café-Ñandú"  # one form, as the name is stored
    assert file_slug("東京 2026") == "東京-2026"  # was '2026'
    assert file_slug("मराठी नाव") == "मराठी-नाव"  # vowel signs are marks, not letters: kept
    assert file_slug("👩\u200d💻 team") == "👩\u200d💻-team"
    assert file_slug("Acme Ltd (EU)") == "Acme-Ltd-EU"  # ASCII as before
    assert file_slug('a/b\\c:d*e?f"g<h>i|j\x00k\x1bl\u202em') == "a-b-c-d-e-f-g-h-i-j-k-l-m"
    assert file_slug("..hidden.") == "hidden" and file_slug("///") == "assessment"
    long = file_slug("東" * 300)
    assert len(long) <= 80 and len(long.encode()) <= 160 and set(long) == {"東"}


# ----------------------------------------------------------------------------- import reads the app's words


def test_import_reads_the_status_labels_the_app_shows_and_ids_in_any_case(db_path, tmp_path, capsys):
    assert main(["--db", str(db_path), "new", "Acme"]) == 0
    f = tmp_path / "labels.csv"
    f.write_text("id,status,notes\n"
                 "cc1-04,Operating,\n"              # the id as typed in a sheet, the label as shown
                 "CC6-03,N/A,no offices\n"          # the app's short label
                 "CC6-09,In progress,\n"
                 "cc6-10,IMPLEMENTED,\n"
                 "CC6-11,not-started,\n"
                 "POL-01,Current,\n"                # a policy in its own words
                 "POL-02,draft,\n"
                 "POL-03,not_applicable,\n", encoding="utf-8")
    assert main(["--db", str(db_path), "import", str(f), "--into", "Acme"]) == 0
    with Store(db_path) as s:
        got = {k: a.status for k, a in s.answers(s.get("Acme").id).items()}
    assert got == {"CC1-04": "operating", "CC6-03": "not_applicable", "CC6-09": "in_progress",
                   "CC6-10": "implemented", "CC6-11": "not_started", "POL-01": "operating",
                   "POL-02": "in_progress", "POL-03": "not_applicable"}


def test_import_lists_each_bad_row_on_its_own_line(db_path, tmp_path, capsys):
    assert main(["--db", str(db_path), "new", "Acme"]) == 0
    f = tmp_path / "bad.csv"
    f.write_text("id,status\nCC1-04,Done\nCC6-03,Draft\ncc6-03,operating\nNOPE,operating\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(db_path), "import", str(f), "--into", "Acme"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "soc2-tui: error: nothing imported, 4 problem(s):"
    assert lines[1].startswith(f"soc2-tui: error: {f}:2: CC1-04: bad status 'Done': expected a status: ")
    assert "In progress" in lines[1] and "N/A" in lines[1]
    assert lines[2].startswith(f"soc2-tui: error: {f}:3: CC6-03: bad status 'Draft'")  # a policy word
    assert lines[3] == f"soc2-tui: error: {f}:4: item CC6-03 appears twice (first on line 3)"
    assert lines[4] == f"soc2-tui: error: {f}:5: unknown item id 'NOPE'"
    assert len(lines) == 5


# ----------------------------------------------------------------------------- a file of another scope


def test_import_into_an_assessment_of_another_scope_says_so_and_how_to_make_a_matching_one(
        db_path, tmp_path, capsys):
    import shlex

    db = ["--db", str(db_path)]
    assert main([*db, "new", "Source", "--type", "type2", "--principles", "availability",
                 "--period-start", "2026-10-01", "--period-months", "6"]) == 0
    with Store(db_path) as s:
        src = s.get("Source")
        for n, item in enumerate(("CC6-03", "CC6-09", "CC7-01", "A1-01")):
            s.set_answer(src.id, item, status=("operating", "implemented", "in_progress", "implemented")[n])
    out = tmp_path / "source.json"  # the JSON export carries the scope (the CSV leaves those cells blank)
    assert main([*db, "export", "Source", "--format", "json", "-o", str(out)]) == 0
    assert main([*db, "new", "Copy", "--type", "type1"]) == 0
    capsys.readouterr()
    assert main([*db, "import", str(out), "--into", "Copy"]) == 0  # imported anyway
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"soc2-tui: warning: {out} was exported from an assessment with another "
                               "scope than 'Copy' (")
    assert "principles security, availability in the file, security here" in lines[0]
    assert "report type Type II in the file, Type I here" in lines[0]
    assert "period start 2026-10-01 in the file, not set here" in lines[0]
    assert lines[1] == "soc2-tui: warning: for an assessment that matches the file, run:"
    argv = shlex.split(lines[2].removeprefix("soc2-tui: warning:"))
    assert argv[:3] == ["soc2-tui", "--db", str(db_path)]
    assert shlex.split(lines[3].removeprefix("soc2-tui: warning:")) == [
        "soc2-tui", "--db", str(db_path), "import", str(out), "--into", "Copy (source)"]
    assert main(argv[1:]) == 0  # the command given makes an assessment that fits the file
    assert main([*db, "import", str(out), "--into", "Copy (source)"]) == 0
    assert capsys.readouterr().err == ""
    with Store(db_path) as s:
        made = s.get("Copy (source)")
        assert (made.report_type, made.principles, made.period_start, made.period_months) == (
            "type2", ("security", "availability"), "2026-10-01", 6)


def test_import_of_a_matching_file_or_one_without_scope_rows_says_nothing(db_path, tmp_path, capsys):
    assert main(["--db", str(db_path), "new", "Acme", "--type", "type1"]) == 0
    f = tmp_path / "plain.csv"
    f.write_text("id,status\nCC6-03,operating\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(db_path), "import", str(f), "--into", "Acme"]) == 0
    assert capsys.readouterr().err == ""
