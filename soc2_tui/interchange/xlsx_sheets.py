"""The workbook's cells and sheets other than the answer sheets: styles, headers, drop-down lists,
protection, the Instructions sheet and the Control matrix (for `xlsx_export`).

The Control matrix takes the gaps and their points from `scoring` (the report's gap table reads
the same `Result`): nothing is worked out twice.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from typing import TYPE_CHECKING, Any

from soc2_tui import scoring
from soc2_tui.interchange.xlsx_cells import cell_text
from soc2_tui.interchange.xlsx_layout import LISTS_SHEET, MATRIX_COLUMNS, MATRIX_SHEET, Column
from soc2_tui.labels import (
    POLICY_STATUS_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    points_text,
    report_type_label,
    status_label,
)
from soc2_tui.model import PRINCIPLE_LABELS, Answer, Assessment, Item, Questionnaire

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell  # type: ignore[import-untyped]
    from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

__all__ = ["MATRIX_SHEET", "Styles", "header", "instructions", "matrix", "put"]

ANSWER_FILL = "FFF4CC"  # the columns to fill in: a light yellow, in the header and every cell
HEADER_FILL = "D9D9D9"


class Styles:
    """Named styles, made once per workbook: a cell takes one by name (faster than setting fonts,
    fills and protection cell by cell, and one entry each in the file)."""

    def __init__(self) -> None:
        self._made: dict[str, Any] = {}
        self._arrays: dict[str, Any] = {}

    def apply(self, cell: Cell, style: Any) -> None:
        """`cell.style = style`, fast: openpyxl looks a named style up by comparing it with every
        other (a third of the export's time); after the first cell, its style array is copied."""
        array = self._arrays.get(style.name)
        if array is None:
            cell.style = style
            self._arrays[style.name] = copy(cell._style)
        else:
            cell._style = copy(array)

    def _style(self, name: str, *, bold: bool = False, fill: str | None = None, locked: bool = True,
               number_format: str = "General") -> Any:
        if name not in self._made:
            from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill, Protection  # type: ignore[import-untyped]

            st = NamedStyle(name=name)
            st.font = Font(bold=bold)
            st.alignment = Alignment(wrap_text=True, vertical="top")
            st.protection = Protection(locked=locked)
            st.number_format = number_format
            if fill:
                st.fill = PatternFill("solid", start_color=fill, end_color=fill)
            self._made[name] = st
        return self._made[name]

    def header(self, answer: bool) -> Any:
        return self._style("soc2 answer header" if answer else "soc2 header", bold=True,
                           fill=ANSWER_FILL if answer else HEADER_FILL)

    @functools.cache  # noqa: B019 - one Styles per workbook, a handful of keys
    def cell_style(self, col: Column, locked: bool, is_date: bool = False) -> Any:
        """A column's cells; `is_date` for a date in a column of other values (a scope answer)."""
        kind = col.kind
        fmt = "yyyy-mm-dd" if kind == "date" or is_date else "@" if kind == "text" and not locked else "General"
        name = f"soc2 {'locked' if locked else 'answer'} {fmt}"
        return self._style(name, locked=locked, number_format=fmt, fill=None if locked else ANSWER_FILL)

    def plain(self, bold: bool = False, number_format: str = "General") -> Any:
        return self._style(f"soc2 {'bold' if bold else 'plain'} {number_format}", bold=bold,
                           number_format=number_format)


def letter(n: int) -> str:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    return str(get_column_letter(n))


def put(cell: Cell, value: Any) -> None:
    """A value into a cell; text always as text (never a formula, whatever it starts with), with the
    characters XML cannot hold escaped."""
    if isinstance(value, str):
        # Set as text directly: the value setter would take '=…' for a formula, and its checks are
        # cell_text's (escaped, at most a cell's length) at a third of the cost.
        cell._value = cell_text(value)
        cell.data_type = "s"
    else:
        cell.value = value


LINE_POINTS = 15  # one line of the default font (Calibri 11), in points
MAX_ROW_POINTS = 409  # the tallest row Excel allows


def text_lines(value: Any, width: float) -> int:
    """About how many lines `value` wraps to in a column `width` wide (a width unit holds about 1.1
    characters of text). Programs do not grow a row to fit wrapped text written by another program,
    so the export sets each row's height from this."""
    if not isinstance(value, str):
        return 1
    per_line = max(width * 1.1, 1.0)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n"))


def fit_row(ws: Worksheet, n: int, lines: int) -> None:
    if lines > 1:
        ws.row_dimensions[n].height = min(MAX_ROW_POINTS, LINE_POINTS * lines)


def header(ws: Worksheet, cols: Sequence[Column], styles: Styles) -> None:
    for c, col in enumerate(cols, 1):
        cell = ws.cell(1, c)
        put(cell, col.header)
        styles.apply(cell, styles.header(col.answer))
    fit_row(ws, 1, max(text_lines(col.header, col.width) for col in cols))


def finish(ws: Worksheet, cols: Sequence[Column], last: int, freeze: str) -> None:
    """Widths, the frozen header, the filter arrows, and protection (no password: it guards the locked
    cells against slips; filtering, sorting and resizing stay allowed)."""
    for c, col in enumerate(cols, 1):
        ws.column_dimensions[letter(c)].width = col.width
    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{letter(len(cols))}{max(last, 2)}"
    ws.print_title_rows = "1:1"  # printed: the header on every page, the columns fitted to the width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    p = ws.protection
    p.sheet = True
    p.autoFilter = p.sort = p.formatColumns = p.formatRows = False


def drop_down(ws: Worksheet, ref: str, words: Sequence[str], title: str, message: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

    dv = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle=title, error=message)
    dv.add(ref)
    ws.add_data_validation(dv)


def scope_drop_downs(ws: Worksheet, q: Questionnaire, rows: Sequence[Mapping[str, Any]], col: str,
                     lists: Worksheet) -> None:
    """Yes/No, or the item's options (kept on the hidden lists sheet: a label may hold a comma, which a
    list typed into the validation would split), on each scope answer that takes one."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for n, r in enumerate(rows, 2):
        item = q.items[r["id"]]
        if item.assessment_field:
            continue
        if item.type == "bool":
            drop_down(ws, f"{col}{n}", ["Yes", "No"], "Answer", "Yes or No.")
        elif item.type == "choice" and item.options:
            lc = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value is not None else 1
            for k, opt in enumerate(item.options, 1):
                put(lists.cell(k, lc), opt.label)
            ref = f"'{LISTS_SHEET}'!${letter(lc)}$1:${letter(lc)}${len(item.options)}"
            dv = DataValidation(type="list", formula1=ref, allow_blank=True, showErrorMessage=True,
                                errorTitle="Answer", error="Pick one of the answers in the list.")
            dv.add(f"{col}{n}")
            ws.add_data_validation(dv)


def how_to_answer(item: Item) -> str:
    if item.assessment_field:
        return "Set on the assessment by your consultant; shown for reference (changes here are not read)"
    labels = [o.label for o in item.options]
    return {
        "bool": "Yes or No",
        "choice": "Pick one: " + " / ".join(labels),
        "multi": "One or more of: " + "; ".join(labels) + " (separate them with ';')",
        "list": "A list: separate the entries with ';'",
        "date": "A date, for example 2027-03-31",
        "number": "A number",
    }.get(item.type, "Text")


# ----------------------------------------------------------------------------- instructions

_CONTROL_MEANINGS = {
    "not_started": "nothing is in place yet",
    "in_progress": "being put in place",
    "implemented": "in place and written down, but with no record yet of it running over time",
    "operating": "in place, with records (tickets, logs, sign-offs) showing it has run for a while",
    "not_applicable": "does not apply to you; say why in Notes, an auditor will ask",
}
_POLICY_MEANINGS = {
    "not_started": "there is no written policy",
    "in_progress": "written, not yet approved",
    "implemented": "approved by management",
    "operating": "approved, published to staff and reviewed in the last 12 months",
    "not_applicable": "the policy does not apply to the company; say why in Notes",
}


def _instruction_lines(q: Questionnaire, a: Assessment, stamp: str) -> Iterable[tuple[str, bool]]:
    """(text, is a heading) for each line of the Instructions sheet."""
    n = {k: len(q.of_kind(k)) for k in ("scope", "control", "policy")}
    org = f" for {a.organisation}" if a.organisation else ""
    yield f"SOC 2 readiness questionnaire: {a.name}{org}", True
    yield (f"Made by soc2-tui on {stamp[:16].replace('T', ' ')} UTC for a {report_type_label(a.report_type)} report "
           f"covering {', '.join(PRINCIPLE_LABELS[p] for p in a.principles)}."), False
    yield "What to fill in", True
    yield (f"Three sheets hold the questions: Scope ({n['scope']} questions about the audit and your company), "
           f"Controls ({n['control']}) and Policies ({n['policy']}). Answer in the columns with a yellow header; "
           "the others (ID, question, guidance, typical evidence, who answered) are there to read and are "
           "locked."), False
    yield ("Rows with 'No' under 'In scope' belong to principles this audit does not cover: skip them. The "
           "arrows in the header row filter and sort."), False
    yield ("An empty cell leaves that answer as it was: clearing a cell does not erase an answer. To change "
           "one, write the new answer."), False
    yield "Dates: type them as 2027-03-31 (or in your spreadsheet's own date form); those cells take only dates.", False
    yield "Follow up: choose Yes to mark a question you want to talk about.", False
    yield "Status of a control (the Status column of the Controls sheet)", True
    for s, meaning in _CONTROL_MEANINGS.items():
        yield f"{STATUS_LABELS[s]}: {meaning}.", False
    yield "Status of a policy (the Status column of the Policies sheet)", True
    for s, meaning in _POLICY_MEANINGS.items():
        yield f"{POLICY_STATUS_LABELS[s]}: {meaning}.", False
    target = "Operating" if a.report_type == "type2" else "Implemented"
    yield "Control matrix", True
    yield (f"One row per criterion and question, with its owner, status, gap rating and the points the "
           f"readiness score would gain if it reached {target}, as of the export. It is there to read and is not "
           "read back."), False
    yield "Sending it back", True
    yield ("Save the workbook as an Excel workbook (.xlsx) and send it to your consultant, who reads it back "
           "with soc2-tui import FILE.xlsx. Sheets and columns you add are ignored; renaming a sheet or moving "
           "a column is fine, but keep the header words of the answer columns and the IDs as they are."), False
    yield ("If an answer was also changed in the assessment after this file was made, the import stops and "
           "lists it, so nobody's answer is overwritten without a decision."), False
    yield ("The sheets are protected without a password, only against changing a locked cell by accident "
           "(Review > Unprotect Sheet lifts it)."), False


def instructions(ws: Worksheet, q: Questionnaire, a: Assessment, stamp: str, styles: Styles) -> None:
    ws.title = "Instructions"
    ws.column_dimensions["A"].width = 110
    for n, (text, heading) in enumerate(_instruction_lines(q, a, stamp), 1):
        cell = ws.cell(n, 1)
        put(cell, text)
        styles.apply(cell, styles.plain(bold=heading))
        fit_row(ws, n, text_lines(text, 110))
    ws.protection.sheet = True


# ----------------------------------------------------------------------------- control matrix


def gap_rating(item: Item, status: str | None, report_type: str) -> str:
    """'Critical gap' … 'Low gap' (scoring.is_gap, by severity), 'Not assessed', 'Not applicable'
    or 'At target'."""
    if status is None:
        return "Not assessed"
    if status == "not_applicable":
        return "Not applicable"
    if scoring.is_gap(status, report_type):
        return f"{SEVERITY_LABELS.get(item.severity, item.severity)} gap"
    return "At target"


def matrix_rows(q: Questionnaire, answers: Mapping[str, Answer], result: scoring.Result) -> list[list[Any]]:
    """Criterion → item rows for every criterion of a principle in scope and each item that applies."""
    by_criterion: dict[str, list[Item]] = {}
    for item in q.scored_items:
        if item.id in result.applicable_ids:
            for cid in item.criteria:
                by_criterion.setdefault(cid, []).append(item)
    rows = []
    for cid, crit in q.criteria.items():
        if crit.principle not in result.principles:
            continue
        for item in by_criterion.get(cid, ()):
            ans = answers.get(item.id) or Answer(item.id)
            status = ans.status
            counts = status != "not_applicable" and (status is None or scoring.is_gap(status, result.report_type))
            points = scoring.points_if_closed(item, status, result) if counts else {}
            rows.append([cid, crit.title, item.id, item.title, item.kind.capitalize(),
                         SEVERITY_LABELS.get(item.severity, item.severity), ans.owner or None,
                         status_label(status, item.kind == "policy"), gap_rating(item, status, result.report_type),
                         round(points[scoring.OVERALL], 2) if scoring.OVERALL in points else None,
                         points_text(points) or None])
    return rows


def matrix(ws: Worksheet, q: Questionnaire, answers: Mapping[str, Answer], result: scoring.Result,
           styles: Styles) -> None:
    header(ws, MATRIX_COLUMNS, styles)
    text, number = styles.plain(), styles.plain(number_format="0.00")
    rows = matrix_rows(q, answers, result)
    for n, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            if value is None:
                continue
            cell = ws.cell(n, c)
            put(cell, value)
            styles.apply(cell, number if isinstance(value, float) else text)
        fit_row(ws, n, max(text_lines(v, col.width) for v, col in zip(row, MATRIX_COLUMNS)))
    finish(ws, MATRIX_COLUMNS, len(rows) + 1, freeze="C2")
