"""`soc2-tui export NAME --format xlsx`: a workbook a client fills in and sends back.

An Instructions sheet, one sheet per flow (Scope, Controls, Policies) with the question, guidance
and typical evidence locked and the answer columns open, a Control matrix (criterion → item →
owner → status → gap rating → points if closed) and a hidden sheet with the export's time, which
`import` compares with the audit trail (the conflict rule of the CSV and JSON exports). The rows
and fields are `export.item_rows`, as in the CSV; the layout is `xlsx_layout`.

openpyxl is imported only here and in `xlsx_import`, inside the functions that use it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from soc2_tui import __version__, scoring
from soc2_tui.interchange import xlsx_sheets
from soc2_tui.interchange.export import answers_hash, exported_now, item_rows
from soc2_tui.interchange.xlsx_cells import EXCEL_MAX_CHARS, escape_text, scope_cell
from soc2_tui.interchange.xlsx_layout import (
    LISTS_SHEET,
    META_SHEET,
    SHEET_TITLES,
    SHEETS,
    WORKBOOK_FORMAT,
    Column,
)
from soc2_tui.labels import POLICY_STATUS_LABELS, STATUS_LABELS
from soc2_tui.model import STATUSES, Answer, Assessment, Item, Questionnaire

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook  # type: ignore[import-untyped]
    from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

DATE_FORMAT = "yyyy-mm-dd"


def status_labels(kind: str) -> list[str]:
    """The drop-down's words, in the app's order: a control's labels, or a policy's own."""
    words = POLICY_STATUS_LABELS if kind == "policy" else STATUS_LABELS
    return [words[s] for s in STATUSES]


def assessment_xlsx(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer], today: date | None = None,
                    exported_at: str | None = None) -> bytes:
    """The workbook's bytes. The same inputs and `exported_at` give the same bytes."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    stamp = exported_at or exported_now()
    when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(microsecond=0)
    result = scoring.score(q, a, answers, today=today)
    rows = item_rows(q, a, answers)
    wb = Workbook()
    styles = xlsx_sheets.Styles()
    xlsx_sheets.instructions(wb.active, q, a, stamp, styles)
    lists = wb.create_sheet(LISTS_SHEET)
    for kind, title in SHEET_TITLES.items():
        kind_rows = [r for r in rows if q.items[r["id"]].kind == kind]
        answer_sheet(wb.create_sheet(title), kind, q, kind_rows, styles, lists)
    xlsx_sheets.matrix(wb.create_sheet(xlsx_sheets.MATRIX_SHEET), q, answers, result, styles)
    _meta(wb.create_sheet(META_SHEET), a, answers, stamp)
    wb.move_sheet(lists, offset=len(wb.sheetnames))
    for hidden in (lists, wb[META_SHEET]):
        hidden.sheet_state = "hidden"
        hidden.protection.sheet = True
    wb.properties.creator = wb.properties.lastModifiedBy = f"soc2-tui {__version__}"
    wb.properties.title = escape_text(f"{a.name}: SOC 2 readiness answers")  # XML takes no control characters
    wb.properties.created = wb.properties.modified = when.replace(tzinfo=None)
    return _save(wb, when)


def _save(wb: Workbook, when: datetime) -> bytes:
    """The workbook zipped with every entry dated `when` (openpyxl's own save dates them now)."""
    from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)

    class FixedTimeZip(zipfile.ZipFile):
        def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None,
                     compresslevel: Any = None) -> None:
            if isinstance(zinfo_or_arcname, str):
                zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=stamp)
                zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
                zinfo_or_arcname.external_attr = 0o600 << 16
            super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

        def write(self, filename: Any, arcname: Any = None, compress_type: Any = None,
                  compresslevel: Any = None) -> None:  # openpyxl writes each sheet from a temporary file
            with open(filename, "rb") as fh:
                self.writestr(arcname or filename, fh.read())

    buf = io.BytesIO()
    ExcelWriter(wb, FixedTimeZip(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return buf.getvalue()


def _meta(ws: Worksheet, a: Assessment, answers: Mapping[str, Answer], stamp: str) -> None:
    """What made the file and when: import reads `exported_at` from here."""
    ws.append(["key", "value"])
    for key, value in (("format", WORKBOOK_FORMAT), ("format_version", 1), ("generator", f"soc2-tui {__version__}"),
                       ("exported_at", stamp), ("assessment", escape_text(a.name)),
                       ("answers_hash", answers_hash(a, answers))):
        ws.append([key, value])
        ws.cell(ws.max_row, 2).data_type = "s" if isinstance(value, str) else "n"


# ----------------------------------------------------------------------------- answer sheets


def _cell_value(col: Column, item: Item, r: Mapping[str, Any]) -> Any:
    """What one cell of an item's row holds (text still to be escaped, a date, a number, or None)."""
    key = col.key
    if key == "status":
        return (POLICY_STATUS_LABELS if item.kind == "policy" else STATUS_LABELS)[r["status"]] if r["status"] else None
    if key == "value":
        return scope_cell(item, r["value"])
    if key in ("due_date", "operating_since", "last_reviewed"):
        return date.fromisoformat(r[key]) if r[key] else None
    if key == "flagged":
        return "Yes" if r["flagged"] else "No"
    if key == "applicable":
        return "Yes" if r["applicable"] else "No"
    if key == "criteria":
        return " ".join(item.criteria)
    if key == "guidance":
        return item.guidance
    if key == "typical_evidence":
        return "\n".join(f"• {e}" for e in item.evidence) or None
    if key == "contents":
        return "\n".join(f"• {e}" for e in item.contents) or None
    if key == "purpose":
        return item.purpose or None
    if key == "how":
        return xlsx_sheets.how_to_answer(item)
    if key == "answered_at":
        return (r["answered_at"] or "")[:19].replace("T", " ") or None
    return r.get(key) or None


def answer_sheet(ws: Worksheet, kind: str, q: Questionnaire, rows: list[dict[str, Any]],
                 styles: xlsx_sheets.Styles, lists: Worksheet) -> None:
    """One flow's sheet: a header row, one row per item, answer columns open, the rest locked."""
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

    cols = SHEETS[kind]
    xlsx_sheets.header(ws, cols, styles)
    last = len(rows) + 1
    for n, r in enumerate(rows, 2):
        item = q.items[r["id"]]
        # assessment fields (principles, report type, period) are shown, set with the app or `new`
        bound = item.assessment_field is not None
        lines = 1
        for c, col in enumerate(cols, 1):
            value = _cell_value(col, item, r)
            lines = max(lines, xlsx_sheets.text_lines(value, col.width))
            # a text too long for a cell is cut (and so not read back): locked
            locked = bound or not col.answer or (isinstance(value, str) and len(value) > EXCEL_MAX_CHARS)
            if value is None and locked:
                continue  # an empty locked cell looks the same unwritten (a fifth of a big workbook)
            cell = ws.cell(n, c)
            xlsx_sheets.put(cell, value)
            styles.apply(cell, styles.cell_style(col, locked=locked, is_date=isinstance(value, date)))
        xlsx_sheets.fit_row(ws, n, lines)
    xlsx_sheets.finish(ws, cols, last, freeze="B2")
    if last < 2:
        return
    letters = {col.key: xlsx_sheets.letter(c) for c, col in enumerate(cols, 1)}
    if "status" in letters:
        xlsx_sheets.drop_down(ws, f"{letters['status']}2:{letters['status']}{last}", status_labels(kind),
                              "Status", "Pick one of the statuses in the list (see Instructions).")
    if "flagged" in letters:
        xlsx_sheets.drop_down(ws, f"{letters['flagged']}2:{letters['flagged']}{last}", ["Yes", "No"],
                              "Follow up", "Yes or No.")
    for key in ("due_date", "operating_since", "last_reviewed"):
        if key in letters:
            dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                                showErrorMessage=True, errorTitle="Date",
                                error="Type a date, for example 2027-03-31.")
            dv.add(f"{letters[key]}2:{letters[key]}{last}")
            ws.add_data_validation(dv)
    if "value" in letters:
        xlsx_sheets.scope_drop_downs(ws, q, rows, letters["value"], lists)
