"""Shared by the workbook tests: the demo assessment in a file of the test's own, exported as a
workbook, and small helpers to find a row or a column by what it holds."""

from __future__ import annotations

import shutil
from pathlib import Path

from soc2_tui.cli import main
from soc2_tui.store import Store


def demo_copy(master: Path, tmp_path: Path) -> Path:
    """A copy of the session's demo file (making the demo takes a second; copying it, nothing)."""
    db = tmp_path / "demo.db"
    shutil.copy(master, db)
    return db


def export(db: Path, out: Path) -> Path:
    assert main(["--db", str(db), "export", "demo", "--format", "xlsx", "-o", str(out)]) == 0
    return out


def column(ws, header: str) -> int:
    """The 1-based column whose header (row 1) is `header`."""
    for cell in ws[1]:
        if cell.value == header:
            return cell.column
    raise AssertionError(f"no column {header!r} in {ws.title}")


def row_of(ws, item_id: str) -> int:
    for (cell,) in ws.iter_rows(min_row=2, max_col=1):
        if cell.value == item_id:
            return cell.row
    raise AssertionError(f"no row {item_id!r} in {ws.title}")


def set_cell(ws, item_id: str, header: str, value) -> None:
    """What a client types into a cell (text as text: the answer columns are formatted as text, so
    a spreadsheet program keeps '=…' typed there as text; openpyxl would make it a formula)."""
    cell = ws.cell(row_of(ws, item_id), column(ws, header))
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def answers(db: Path) -> dict:
    with Store(db) as s:
        return {k: v.as_dict() for k, v in s.answers(s.get("demo").id).items()}


def history(db: Path) -> list:
    with Store(db) as s:
        return s.history(s.get("demo").id)
