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
