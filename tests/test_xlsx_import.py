"""Reading an Excel workbook back (issue 18): the edits a client makes come back exactly, with one
history row each; bad rows are listed with sheet and row and nothing is written; the conflict
rule of the CSV import holds; a workbook re-saved by a spreadsheet program still imports; a file
that is no workbook is one line naming it."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from xlsx_helpers import answers, column, demo_copy, export, history, row_of, set_cell

from soc2_tui.cli import main
from soc2_tui.interchange.xlsx_layout import META_SHEET
from soc2_tui.store import Store


@pytest.fixture
def exported(module_demo_db, tmp_path, capsys):
    """(a file of this test's own holding the demo, its workbook just exported)"""
    db = demo_copy(module_demo_db, tmp_path)
    book = export(db, tmp_path / "client.xlsx")
    capsys.readouterr()
    return db, book


def _import(db, book, *extra, who="client"):
    return main(["--db", str(db), "--as", who, "import", str(book), "--into", "demo", *extra])


def _edit(book, edits):
    """edits: (sheet, item, header, value) each, saved with openpyxl as a client's program would."""
    wb = openpyxl.load_workbook(book)
    for sheet, item, header, value in edits:
        set_cell(wb[sheet], item, header, value)
    wb.save(book)


EDITS = [
    ("Controls", "CC6-03", "Status", "Implemented"),  # a label, as the drop-down gives it
    ("Controls", "CC7-01", "Status", "not_started"),  # a key, as a CSV has it
    ("Controls", "CC6-03", "Notes", "MFA on the VPN too\nand the console"),
    ("Controls", "CC8-01", "Due date", datetime(2027, 3, 31)),
    ("Controls", "CC8-01", "Owner", "Lee"),
    ("Policies", "POL-02", "Status", "Draft"),  # a policy's own word
    ("Policies", "POL-02", "Last reviewed", date(2026, 1, 15)),
    ("Controls", "CC1-01", "Follow up", "Yes"),
]
EXPECTED = {("CC6-03", "status"): "implemented", ("CC7-01", "status"): "not_started",
            ("CC6-03", "notes"): "MFA on the VPN too\nand the console", ("CC8-01", "due_date"): "2027-03-31",
            ("CC8-01", "owner"): "Lee", ("POL-02", "status"): "in_progress", ("POL-02", "last_reviewed"): "2026-01-15",
            ("CC1-01", "flagged"): True}


def test_the_edits_come_back_exactly_with_one_history_row_each(exported, capsys):
    db, book = exported
    before, trail = answers(db), len(history(db))
    assert all(before[i].get(f) != v for (i, f), v in EXPECTED.items())  # each edit is a change
    _edit(book, EDITS)
    assert _import(db, book) == 0
    assert f"{len(EXPECTED)} fields changed" in capsys.readouterr().out
    after = answers(db)
    changed = {(i, f) for i in after for f in ("status", "value", "notes", "evidence", "owner", "due_date",
                                               "operating_since", "last_reviewed", "approver", "flagged")
               if after[i][f] != before.get(i, {}).get(f, after[i][f])}
    assert changed == set(EXPECTED)  # nothing else moved
    assert all(after[i][f] == v for (i, f), v in EXPECTED.items())
    new = history(db)[trail:]
    assert sorted((c.item_id, c.field) for c in new) == sorted(EXPECTED)
    assert {c.changed_by for c in new} == {"client"}
    assert _import(db, book) == 0  # the same file again: nothing to do
    assert "0 fields changed" in capsys.readouterr().out


def test_an_unchanged_export_changes_nothing_and_warns_of_nothing(exported, capsys):
    db, book = exported
    assert _import(db, book) == 0
    out = capsys.readouterr()
    assert "0 fields changed" in out.out and out.err == ""


def test_bad_rows_are_listed_with_sheet_and_row_and_nothing_is_written(exported, capsys):
    db, book = exported
    wb = openpyxl.load_workbook(book)
    c, p = wb["Controls"], wb["Policies"]
    set_cell(c, "CC6-03", "Status", "Done")
    set_cell(c, "CC6-05", "Due date", "next week")
    set_cell(p, "POL-03", "Last reviewed", datetime(2099, 1, 1))
    set_cell(c, "CC6-06", "Notes", "fine")  # a good row among the bad: not written either
    c.cell(c.max_row + 2, column(c, "Notes")).value = "a note with no ID"
    wb.save(book)
    trail = len(history(db))
    assert _import(db, book) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "soc2-tui: error: nothing imported, 4 problem(s):"
    rows = {i: row_of(c, i) for i in ("CC6-03", "CC6-05")}
    assert err[1:] == [
        f"soc2-tui: error: {book}:Controls row {rows['CC6-03']}: CC6-03: bad status 'Done': expected a status: "
        "not_started, in_progress, implemented, operating, not_applicable, or the app's label (Not started, "
        "In progress, Implemented, Operating, N/A), in any case",
        f"soc2-tui: error: {book}:Controls row {rows['CC6-05']}: CC6-05: bad due_date 'next week': "
        "expected a date YYYY-MM-DD",
        f"soc2-tui: error: {book}:Controls row {c.max_row}: answers in a row without an item ID",
        f"soc2-tui: error: {book}:Policies row {row_of(p, 'POL-03')}: POL-03: bad last_reviewed '2099-01-01': "
        f"2099-01-01 is in the future (today is {date.today().isoformat()}); give the date the last review "
        "took place",
    ]
    assert len(history(db)) == trail


def test_an_item_on_two_sheets_is_named_with_both_places(exported, capsys):
    db, book = exported
    wb = openpyxl.load_workbook(book)
    extra = wb.create_sheet("Copy")
    extra.append(["ID", "Status"])
    extra.append(["cc6-03", "Operating"])
    wb.save(book)
    assert _import(db, book) == 2
    err = capsys.readouterr().err
    assert f"{book}:Copy row 2: item CC6-03 appears twice (first on Controls row " in err


def test_a_field_changed_here_and_in_the_workbook_is_a_conflict(exported, capsys):
    db, book = exported
    with Store(db) as s:
        s.set_answer(s.get("demo").id, "CC6-03", notes="changed after the export", by="bob")
    _edit(book, [("Controls", "CC6-03", "Notes", "the client's words"), ("Controls", "CC7-01", "Owner", "Kim")])
    assert _import(db, book) == 2
    err = capsys.readouterr().err.splitlines()
    ws = openpyxl.load_workbook(book, read_only=True)["Controls"]
    assert "nothing imported, 1 conflict(s)" in err[0]
    assert err[1].startswith(f"soc2-tui: error: {book}:Controls row {row_of(ws, 'CC6-03')}: CC6-03 notes: the file "
                             "has \"the client's words\", the assessment has 'changed after the export', set by bob at")
    assert answers(db)["CC7-01"]["owner"] != "Kim"
    assert _import(db, book, "--overwrite") == 0
    after = answers(db)
    assert (after["CC6-03"]["notes"], after["CC7-01"]["owner"]) == ("the client's words", "Kim")


def test_without_its_hidden_sheet_a_workbook_imports_as_a_hand_made_one(exported, capsys):
    db, book = exported
    with Store(db) as s:
        s.set_answer(s.get("demo").id, "CC6-03", notes="changed after the export", by="bob")
    wb = openpyxl.load_workbook(book)
    del wb[META_SHEET]
    set_cell(wb["Controls"], "CC6-03", "Notes", "the client's words")
    wb.save(book)
    assert _import(db, book) == 0  # no export time: no conflict check, the file's value is taken
    assert answers(db)["CC6-03"]["notes"] == "the client's words"


def test_a_workbook_saved_again_by_a_spreadsheet_program_still_imports(exported, capsys):
    """Re-saved with openpyxl (every cell rewritten), dates turned to text, statuses to keys, the
    sheet renamed, columns moved, a title row above the header, sheets and columns added."""
    db, book = exported
    wb = openpyxl.load_workbook(book)
    ws = wb["Controls"]
    for name in ("Due date", "Operating since"):
        col = column(ws, name)
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            if cell.value is not None:
                cell.value = cell.value.date().isoformat()  # a date typed as text
    status = column(ws, "Status")
    for (cell,) in ws.iter_rows(min_row=2, min_col=status, max_col=status):
        if cell.value:
            cell.value = cell.value.lower().replace(" ", "_")  # 'Not applicable' → 'not_applicable'
    ws.title = "Our controls"
    ws.move_range(f"A1:A{ws.max_row}", cols=ws.max_column + 1)  # the ID column moved to the far right
    ws.cell(1, ws.max_column + 1).value = "Our remarks"  # a column of the client's own
    ws.cell(2, ws.max_column).value = "ask Dana"
    ws.insert_rows(1)
    ws["B1"] = "Filled in by Northwind"  # a title row above the header
    wb.create_sheet("Scratch").append(["ID", "notes?"])
    wb.save(book)
    again = openpyxl.load_workbook(book)
    again.save(book)
    assert _import(db, book) == 0
    assert "0 fields changed" in capsys.readouterr().out
    _edit(book, [("Policies", "POL-02", "Status", "Approved")])
    assert _import(db, book) == 0
    assert answers(db)["POL-02"]["status"] == "implemented"


def test_a_date_cell_that_lost_its_format_is_read_as_the_date(exported, capsys):
    db, book = exported
    _edit(book, [("Controls", "CC8-01", "Due date", 46477)])  # the serial number of 2027-03-31
    assert _import(db, book) == 0
    assert answers(db)["CC8-01"]["due_date"] == "2027-03-31"


def test_scope_answers_come_back_from_labels_yes_no_and_lists(exported, capsys, q):
    db, book = exported
    scope = {i.type: i for i in q.scope_items if not i.assessment_field and not i.condition}
    choice = scope["choice"]
    edits = [("Scope", scope["bool"].id, "Answer", "No"),
             ("Scope", choice.id, "Answer", choice.options[-1].label.upper()),
             ("Scope", scope["list"].id, "Answer", "first; second")]
    _edit(book, edits)
    assert _import(db, book) == 0
    after = answers(db)
    assert after[scope["bool"].id]["value"] is False
    assert after[choice.id]["value"] == choice.options[-1].value
    assert after[scope["list"].id]["value"] == ["first", "second"]


def _not_a_workbook(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("name", "data", "says"), [
    ("renamed.xlsx", b"id,status\r\nCC6-03,operating\r\n", "not an Excel workbook (.xlsx): it holds text"),
    ("empty.xlsx", b"", "not an Excel workbook (.xlsx): it is empty"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "a password-protected workbook or an old"),
    ("random.xlsx", bytes(range(256)) * 4, "not an Excel workbook (.xlsx): it is not a zip file"),
])
def test_a_file_that_is_no_workbook_is_one_line_naming_it(db_path, tmp_path, capsys, name, data, says):
    assert main(["--db", str(db_path), "new", "demo"]) == 0
    path = _not_a_workbook(tmp_path, name, data)
    capsys.readouterr()
    assert main(["--db", str(db_path), "import", str(path), "--into", "demo"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"soc2-tui: error: {path}: ") and says in err[0]


def test_a_damaged_or_foreign_zip_is_one_line_naming_it(exported, tmp_path, capsys):
    db, book = exported
    data = book.read_bytes()
    cut = _not_a_workbook(tmp_path, "cut.xlsx", data[: len(data) // 2])
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(broken, "w") as zf:
        for info in src.infolist():
            body = src.read(info)
            zf.writestr(info, body[: len(body) // 3] if "worksheets/sheet3" in info.filename else body)
    trail = len(history(db))
    for path, says in ((cut, "a damaged zip file"), (other, "a zip file without a workbook in it"),
                       (broken, "not a readable Excel workbook")):
        assert _import(db, path) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and err[0].startswith(f"soc2-tui: error: {path}: ") and says in err[0], err
    assert len(history(db)) == trail


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (CI does not install it)")
def test_a_workbook_saved_by_libreoffice_imports_the_edits_only(exported, tmp_path, capsys):
    """A real spreadsheet program: LibreOffice opens the export and saves it as .xlsx again."""
    db, book = exported
    _edit(book, [("Controls", "CC6-03", "Status", "Implemented"), ("Policies", "POL-02", "Notes", "=not a formula")])
    out = tmp_path / "resaved"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(book)], check=True, capture_output=True,
                   timeout=120)
    trail = len(history(db))
    assert _import(db, out / book.name) == 0
    assert "2 fields changed" in capsys.readouterr().out
    assert sorted((c.item_id, c.field, c.new) for c in history(db)[trail:]) == [
        ("CC6-03", "status", "implemented"), ("POL-02", "notes", "=not a formula")]


def test_a_workbook_that_unpacks_to_more_than_the_limit_is_refused_unread(exported, capsys, monkeypatch):
    from soc2_tui.interchange import xlsx_import

    db, book = exported
    with zipfile.ZipFile(book) as zf:
        unpacked = sum(i.file_size for i in zf.infolist())
    monkeypatch.setattr(xlsx_import, "MAX_UNPACKED_BYTES", unpacked - 1)
    assert _import(db, book) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"soc2-tui: error: {book}: unpacks to {unpacked:,} bytes, more than the {unpacked - 1:,} "
                   "import accepts"]
