"""Reading answers back from a workbook made by `soc2-tui export --format xlsx`.

This only turns cells into the rows `importer._validate` checks for CSV and JSON too, so a
workbook passes the same checks, with the same messages, each placed as "SHEET row N". Sheets are
found by their header row (a row within the first ten with an "ID" column), not by name, and
columns by their header words, so a client may rename a sheet, move or add columns, or add
sheets. The export's time is on the hidden "soc2-tui export" sheet.

openpyxl is imported here only, inside `workbook_rows`.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soc2_tui.errors import UserError
from soc2_tui.interchange.xlsx_cells import date_text, flag_text, is_blank, is_cut, plain_text, scope_text
from soc2_tui.interchange.xlsx_layout import HEADER_KEYS, LISTS_SHEET, META_SHEET, header_word
from soc2_tui.model import DATE_FIELDS, Item, Questionnaire

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook  # type: ignore[import-untyped]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted workbook, or an old .xls
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# What the workbook may unpack to: its parts as the zip declares them (Python's zipfile never
# inflates an entry past its declared size). Far above what an export of 20,000 items needs.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
HEADER_ROWS = 10  # the header row is looked for this far down (a client may add a title row)


def is_workbook(path: Path, raw: bytes) -> bool:
    """A file to read as a workbook: its suffix says so, or it is a zip (an .xlsx saved as .csv)."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES or raw.startswith(ZIP_MAGIC)


def workbook_rows(path: Path, raw: bytes, q: Questionnaire) -> list[tuple[Any, dict[str, Any]]]:
    """(place, {field: cell}) for every row with an ID or an answer, as `importer._validate` takes them.
    A file that is not a workbook openpyxl can read is one UserError naming it."""
    _check_container(path, raw)
    try:
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # extensions openpyxl skips (slicers, comments' threads …)
            wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
            try:
                return _rows(path, wb, q)
            finally:
                wb.close()
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged or hostile file can fail anywhere in openpyxl's parsers
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise UserError(f"{path}: not a readable Excel workbook ({reason})") from None


def _check_container(path: Path, raw: bytes) -> None:
    if raw.startswith(OLE_MAGIC):
        raise UserError(f"{path}: a password-protected workbook or an old .xls file; save it as an Excel "
                        "workbook (.xlsx) without a password and import that")
    if not raw.startswith(ZIP_MAGIC):
        what = "it is empty" if not raw else "it holds text (a CSV or JSON export? give it that suffix)" \
            if _looks_like_text(raw) else "it is not a zip file"
        raise UserError(f"{path}: not an Excel workbook (.xlsx): {what}")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UserError(f"{path}: not an Excel workbook (.xlsx): a damaged zip file ({exc})") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UserError(f"{path}: unpacks to {unpacked:,} bytes, more than the {MAX_UNPACKED_BYTES:,} "
                        "import accepts")
    if "xl/workbook.xml" not in names:
        raise UserError(f"{path}: not an Excel workbook (.xlsx): a zip file without a workbook in it")


def _looks_like_text(raw: bytes) -> bool:
    try:
        raw[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > 4090  # cut inside a character at the end of the sample
    return True


def _exported_at(wb: Workbook) -> Any:
    """The export's time from the hidden sheet; None when there is none (a hand-made workbook)."""
    if META_SHEET not in wb.sheetnames:
        return None
    for row in wb[META_SHEET].iter_rows(values_only=True):
        if len(row) >= 2 and row[0] == "exported_at":
            return None if is_blank(row[1]) else plain_text(row[1])
    return None


def _rows(path: Path, wb: Workbook, q: Questionnaire) -> list[tuple[Any, dict[str, Any]]]:
    exported = _exported_at(wb)
    ids = {k.casefold(): q.items[k] for k in q.items}
    out: list[tuple[Any, dict[str, Any]]] = []
    sheets = 0
    for ws in wb.worksheets:
        if ws.title in (META_SHEET, LISTS_SHEET):
            continue
        cells = ws.iter_rows(values_only=True)
        found = _header(path, ws.title, cells)
        if found is None:
            continue
        sheets += 1
        first, columns = found
        for r, row in enumerate(cells, first + 1):
            record = _record(row, columns, ids)
            if record is None:
                continue
            if exported is not None and "_error" not in record:
                record["_exported_at"] = exported
            out.append((f"{ws.title} row {r}", record))
    if not sheets:
        raise UserError(f"{path}: no sheet with an 'ID' column in its header row; expected a workbook made by "
                        "`soc2-tui export --format xlsx`")
    return out


def _header(path: Path, title: str, cells: Iterator[tuple[Any, ...]]) -> tuple[int, dict[int, str]] | None:
    """(the header's row number, {column index: field}) of the first row within HEADER_ROWS that
    names an ID column; None for a sheet without one (Instructions, the Control matrix, a client's own)."""
    for n, row in enumerate(cells, 1):
        keys = {c: HEADER_KEYS.get(header_word(v)) for c, v in enumerate(row) if isinstance(v, str)}
        if "id" in keys.values():
            columns: dict[int, str] = {}
            for c, key in keys.items():
                if key is None:
                    continue
                if key in columns.values():
                    raise UserError(f"{path}: sheet {title!r} row {n}: the column {row[c]!r} appears twice")
                columns[c] = key
            return n, columns
        if n >= HEADER_ROWS:
            break
    return None


def _record(row: tuple[Any, ...], columns: Mapping[int, str], ids: Mapping[str, Item]) -> dict[str, Any] | None:
    """One row's ID and the answers it holds, as text; None for a row with neither."""
    # a cell cut to fit (xlsx_cells.cell_text) is not read: the whole text stays in the assessment
    values = {key: row[c] for c, key in columns.items() if c < len(row) and not is_blank(row[c]) and not is_cut(row[c])}
    if not values:
        return None
    if "id" not in values:
        return {"_error": "answers in a row without an item ID"}
    iid = plain_text(values.pop("id")).strip()
    item = ids.get(iid.casefold())
    record: dict[str, Any] = {"id": iid}
    for key, value in values.items():
        record[key] = _text(key, value, item)
    return record


def _text(key: str, value: Any, item: Item | None) -> Any:
    """A cell as the text the CSV checks read (see xlsx_cells)."""
    if key in DATE_FIELDS:
        return date_text(value)
    if key == "flagged":
        return flag_text(value)
    if key == "value" and item is not None:
        return scope_text(item, value)
    return plain_text(value)
