"""The Excel workbook export (issue 18): opened with openpyxl, its structure is what a client needs
to fill it in alone: sheets per flow, locked read-only columns, status drop-downs with the app's
labels, date cells, frozen headers and filters, a control matrix from the scores."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from openpyxl.worksheet.cell_range import CellRange
from xlsx_helpers import column, demo_copy, export, row_of

from soc2_tui import scoring
from soc2_tui.interchange import xlsx_export
from soc2_tui.interchange.xlsx_layout import META_SHEET, SHEETS
from soc2_tui.labels import POLICY_STATUS_LABELS, STATUS_LABELS
from soc2_tui.model import STATUSES
from soc2_tui.store import Store

FLOWS = {"Scope": "scope", "Controls": "control", "Policies": "policy"}


@pytest.fixture(scope="module")
def book(module_demo_db, tmp_path_factory):
    out = export(module_demo_db, tmp_path_factory.mktemp("xlsx-book") / "demo.xlsx")
    return openpyxl.load_workbook(out)


def test_the_sheets_come_in_order_and_the_export_time_is_on_a_hidden_sheet(book):
    assert book.sheetnames[:5] == ["Instructions", "Scope", "Controls", "Policies", "Control matrix"]
    assert [book[n].sheet_state for n in book.sheetnames[:5]] == ["visible"] * 5
    meta = {k: v for k, v in book[META_SHEET].iter_rows(min_row=2, values_only=True)}
    assert book[META_SHEET].sheet_state == "hidden"
    assert meta["format"] == "soc2-tui-workbook" and meta["assessment"] == "demo"
    stamp = datetime.strptime(meta["exported_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
    assert book.properties.created == book.properties.modified == stamp.replace(microsecond=0)
    text = "\n".join(r[0] for r in book["Instructions"].iter_rows(values_only=True))
    for word in [*(STATUS_LABELS[s] for s in STATUSES), *(POLICY_STATUS_LABELS[s] for s in STATUSES),
                 "locked", "soc2-tui import", "without a password"]:
        assert word in text


@pytest.mark.parametrize("title", FLOWS)
def test_each_flow_sheet_has_its_header_frozen_filtered_and_protected(book, title, q):
    ws = book[title]
    cols = SHEETS[FLOWS[title]]
    assert [c.value for c in ws[1]] == [c.header for c in cols]
    assert ws.max_row == 1 + len(q.of_kind(FLOWS[title]))
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(cols)).column_letter}{ws.max_row}"
    p = ws.protection
    assert p.sheet and p.password is None and p.hashValue is None
    assert not p.autoFilter and not p.sort  # filtering and sorting stay allowed on the locked sheet
    assert all(ws.column_dimensions[ws.cell(1, n).column_letter].width == c.width for n, c in enumerate(cols, 1))
    assert ws.cell(2, column(ws, "Question")).alignment.wrap_text


@pytest.mark.parametrize("title", FLOWS)
def test_ids_and_read_only_columns_are_locked_and_the_answer_columns_open(book, title, q):
    ws = book[title]
    cols = SHEETS[FLOWS[title]]
    for row in ws.iter_rows(min_row=2):
        item = q.items[row[0].value]
        for cell, col in zip(row, cols):
            open_ = col.answer and not item.assessment_field
            assert cell.protection.locked is not open_, (title, cell.coordinate, col.header)
    assert any(c.answer for c in cols) and not next(c for c in cols if c.key == "id").answer


@pytest.mark.parametrize(("title", "words"), [("Controls", STATUS_LABELS), ("Policies", POLICY_STATUS_LABELS)])
def test_the_status_column_is_a_drop_down_of_the_app_labels_on_every_row(book, title, words):
    ws = book[title]
    status = ws.cell(1, column(ws, "Status")).column_letter
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"
             and CellRange(f"{status}2:{status}{ws.max_row}").coord in {str(r) for r in dv.sqref.ranges}]
    assert len(lists) == 1
    dv = lists[0]
    assert dv.formula1 == '"' + ",".join(words[s] for s in STATUSES) + '"'
    assert dv.allow_blank and dv.showErrorMessage and not dv.showDropDown  # showDropDown=True hides the arrow
    for row in ws.iter_rows(min_row=2, min_col=column(ws, "Status"), max_col=column(ws, "Status")):
        value = row[0].value
        assert value is None or value in dv.formula1  # every exported status is one of the list's words


def test_dates_are_date_cells(book, module_demo_db):
    ws = book["Controls"]
    with Store(module_demo_db) as s:
        answers = s.answers(s.get("demo").id)
    since = column(ws, "Operating since")
    dated = [iid for iid, a in answers.items() if a.operating_since and iid.startswith("CC")]
    assert dated
    for iid in dated:
        cell = ws.cell(row_of(ws, iid), since)
        assert cell.is_date and cell.number_format == "yyyy-mm-dd"
        assert cell.value.date() == date.fromisoformat(answers[iid].operating_since)
    empty = [c for (c,) in ws.iter_rows(min_row=2, min_col=since, max_col=since) if c.value is None]
    assert empty and all(c.number_format == "yyyy-mm-dd" for c in empty)  # what a client types is a date
    dvs = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
    assert {str(dv.sqref) for dv in dvs} >= {f"{ws.cell(1, since).column_letter}2:"
                                              f"{ws.cell(1, since).column_letter}{ws.max_row}"}


def test_the_control_matrix_rows_come_from_the_scores(book, module_demo_db, q):
    with Store(module_demo_db) as s:
        a = s.get("demo")
        answers = s.answers(a.id)
    result = scoring.score(q, a, answers)
    ws = book["Control matrix"]
    header = [c.value for c in ws[1]]
    assert header[:10] == ["Criterion", "Criterion title", "Item", "Item title", "Kind", "Severity", "Owner",
                           "Status", "Gap rating", "Points if closed"]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert {r["Item"] for r in rows} == set(result.applicable_ids)
    assert {r["Criterion"] for r in rows} <= set(result.criteria)
    for g in result.gaps:
        mine = [r for r in rows if r["Item"] == g.item.id]
        assert len(mine) == len([c for c in g.item.criteria if c in result.criteria])
        for r in mine:
            assert r["Gap rating"] == f"{g.item.severity.capitalize()} gap"
            assert r["Points if closed"] == round(g.points[scoring.OVERALL], 2)
    at_target = next(r for r in rows if r["Status"] == "Operating")
    assert at_target["Gap rating"] == "At target" and at_target["Points if closed"] is None
    assert ws.protection.sheet and ws.freeze_panes == "C2" and ws.auto_filter.ref.startswith("A1:K")


HOSTILE = ["=HYPERLINK(\"http://x\",\"click\")", "+1+1", "-2", "@SUM(A1)", "\x1b[31mred\x00 and \x07",
           "line one\r\nline two\rthree", "_x0041_ stays", "'=already quoted"]


def test_hostile_text_is_written_as_text_and_reads_back_exactly(tmp_path, module_demo_db, capsys):
    db = demo_copy(module_demo_db, tmp_path)
    with Store(db) as s:
        aid = s.get("demo").id
        for n, text in enumerate(HOSTILE, 1):
            s.set_answer(aid, f"CC6-0{n}", notes=text, owner=text, by="t")
    out = export(db, tmp_path / "h.xlsx")
    with zipfile.ZipFile(out) as zf:
        sheets = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in x or "<f " in x for x in sheets)  # not one formula in the workbook
    ws = openpyxl.load_workbook(out)["Controls"]
    cell = ws.cell(row_of(ws, "CC6-01"), column(ws, "Notes"))
    assert cell.data_type == "s" and cell.value == HOSTILE[0]
    # the same workbook imported: every text comes back exactly, so nothing changes
    capsys.readouterr()
    from soc2_tui.cli import main

    assert main(["--db", str(db), "import", str(out), "--into", "demo"]) == 0
    assert "0 fields changed" in capsys.readouterr().out


def test_the_same_inputs_give_the_same_bytes(module_demo_db, q):
    with Store(module_demo_db) as s:
        a = s.get("demo")
        answers = s.answers(a.id)
    stamp = "2026-11-30T10:00:00.123456Z"
    one = xlsx_export.assessment_xlsx(q, a, answers, date(2026, 11, 30), exported_at=stamp)
    two = xlsx_export.assessment_xlsx(q, a, answers, date(2026, 11, 30), exported_at=stamp)
    assert one == two
    with zipfile.ZipFile(io.BytesIO(one)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2026, 11, 30, 10, 0, 0)}


def test_a_binary_format_is_refused_on_a_terminal_and_written_to_a_file(module_demo_db, tmp_path, capsys, monkeypatch):
    from soc2_tui.cli import main

    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert main(["--db", str(module_demo_db), "export", "demo", "--format", "xlsx"]) == 2
    assert "binary file: give -o FILE" in capsys.readouterr().err
    out = tmp_path / "x.xlsx"
    assert main(["--db", str(module_demo_db), "export", "demo", "--format", "xlsx", "-o", str(out)]) == 0
    assert zipfile.is_zipfile(out) and out.stat().st_mode & 0o077 == 0


def test_rows_are_tall_enough_for_their_wrapped_text_and_print_across_the_page(book):
    ws = book["Controls"]
    guidance = column(ws, "Guidance")
    for n in range(2, 6):
        height = ws.row_dimensions[n].height
        text = ws.cell(n, guidance).value
        assert height and height >= 15 * len(text) / (60 * 1.1 + 1)  # the guidance's lines at least
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.fitToWidth == 1 and ws.page_setup.orientation == "landscape"


def test_openpyxl_is_loaded_only_by_the_workbook_commands(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from soc2_tui.cli import main; from soc2_tui.interchange import importer, export; "
            "import soc2_tui.formats; print('openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"


def test_a_note_longer_than_a_cell_is_cut_with_a_note_locked_and_not_read_back(tmp_path, module_demo_db, capsys):
    from soc2_tui.cli import main
    from soc2_tui.interchange.xlsx_cells import EXCEL_MAX_CHARS

    db = demo_copy(module_demo_db, tmp_path)
    long_note = ("evidence line\x1b " * 4000)[:60_000]  # escapes make it longer still in the file
    with Store(db) as s:
        s.set_answer(s.get("demo").id, "CC6-03", notes=long_note, by="t")
    out = export(db, tmp_path / "long.xlsx")
    ws = openpyxl.load_workbook(out)["Controls"]
    cell = ws.cell(row_of(ws, "CC6-03"), column(ws, "Notes"))
    assert len(cell.value) <= EXCEL_MAX_CHARS and cell.protection.locked
    assert cell.value.endswith("characters are in the assessment: cut to fit a spreadsheet cell, so not read back]")
    capsys.readouterr()
    assert main(["--db", str(db), "import", str(out), "--into", "demo"]) == 0
    assert "0 fields changed" in capsys.readouterr().out  # the whole note stays
    with Store(db) as s:
        assert s.answer(s.get("demo").id, "CC6-03").notes == long_note
