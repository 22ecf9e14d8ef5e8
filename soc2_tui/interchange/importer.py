"""Reading answers back from an exported CSV or JSON file, or a workbook (rows from xlsx_import).

Everything is validated before anything is written: every bad row is reported with its line
number and nothing changes. A blank cell (or a missing JSON key, or null) leaves that field as it
is, so importing never erases an answer silently.
"""

from __future__ import annotations

import csv
import json
import math
import re
import stat
import sys
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from soc2_tui import scope_answers
from soc2_tui.errors import UserError
from soc2_tui.interchange.conflicts import export_time
from soc2_tui.interchange.export import CSV_ANSWER_COLUMNS, CSV_COLUMNS, unsafe_cell
from soc2_tui.labels import POLICY_STATUS_LABELS, STATUS_LABELS, status_from_word
from soc2_tui.model import DATE_FIELDS, STATUSES, Answer, Item, Questionnaire, parse_date
from soc2_tui.scoring import review_date_problem

MAX_IMPORT_BYTES = 64 * 1024 * 1024
# One CSV cell may be as long as the whole file: the store takes notes of any length, so an export
# must read back (Python's csv refuses cells over 128 KiB unless told otherwise).
MAX_CELL_CHARS = MAX_IMPORT_BYTES
MAX_REPORTED = 20
# A quoted CSV cell, only where a cell starts (after a comma or a line break, as Python's csv reads
# it); `close` is None when the file ends inside the quotes. Linear: no backtracking.
# A quoted cell: a quote at the start of a cell (after the delimiter or a line end), to its closing
# quote if there is one. One pattern per delimiter the importer reads.
_QUOTED_CELL = {d: re.compile(rf'(?<![^{d}\r\n])"[^"]*(?:""[^"]*)*(?P<close>")?') for d in (",", ";")}
# One line of a CSV with its ending, the ends csv itself knows (CRLF, CR, LF): feeding the reader
# line by line keeps memory near the file's size (io.StringIO held four bytes a character).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class ImportProblems(UserError):
    """Every bad row: the first line says nothing was imported, then one line per row
    (`FILE:LINE: message`, the first 20, then how many more)."""

    def __init__(self, file: Path, problems: list[tuple[int | str, str]]):
        self.problems = problems
        shown = [f"{file}:{line}: {msg}" for line, msg in problems[:MAX_REPORTED]]
        if len(problems) > MAX_REPORTED:
            shown.append(f"… and {len(problems) - MAX_REPORTED} more")
        self.details = tuple(shown)
        super().__init__(f"nothing imported, {len(problems)} problem(s):")


@dataclass(frozen=True)
class Imported:
    """What a valid file sets: {item_id: {field: value}}, and the assessment fields it was exported
    with ({"principles": [...], "report_type": ..., "period_start": ..., "period_months": ...}, those
    present), which import never changes but compares (`interchange.fit`)."""

    changes: dict[str, dict[str, Any]]
    scope: dict[str, Any] = field(default_factory=dict)
    # item → when its row was exported (UTC, as the history writes times): the JSON export's
    # `exported_at`, a CSV row's own cell; rows without one (a hand-made sheet) are not here.
    exported_at: dict[str, str] = field(default_factory=dict)
    # item → its line in the file (for messages); in a workbook "SHEET row N"
    lines: dict[str, int | str] = field(default_factory=dict)


def read_changes(path: Path, q: Questionnaire, current: Mapping[str, Answer],
                 today: date | None = None) -> dict[str, dict[str, Any]]:
    """Parse and validate a file; return {item_id: {field: value}} of fields it sets."""
    return read_file(path, q, today).changes


def read_file(path: Path, q: Questionnaire, today: date | None = None) -> Imported:
    """Parse and validate a file (every bad row: `ImportProblems`). A last review dated after
    `today` (the system date when not given) is a bad row."""
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise UserError(f"{path}: is a directory")
        if not stat.S_ISREG(mode):  # a FIFO would wait for ever, a device could be endless
            raise UserError(f"{path}: not a regular file; save the export to a file and import that")
        with open(path, "rb") as fh:
            raw = fh.read(MAX_IMPORT_BYTES + 1)  # at most the cap, even if the file grows meanwhile
        if len(raw) > MAX_IMPORT_BYTES:
            raise UserError(f"{path}: more than the {MAX_IMPORT_BYTES} bytes import accepts")
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
    from soc2_tui.interchange import xlsx_import  # openpyxl only once a workbook is read

    if xlsx_import.is_workbook(path, raw):
        return _checked(path, xlsx_import.workbook_rows(path, raw, q), q, today)
    try:
        text = raw.decode("utf-8-sig")
        del raw  # the text is all that is read from here on: don't hold the file twice
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8 CSV") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        if "\x00" in text:
            raise UserError(f"{path}: contains NUL bytes; not a text CSV or JSON file")
        rows = _json_rows(path, text)
    else:
        rows = _csv_rows(path, text)
    return _checked(path, rows, q, today)


def _checked(path: Path, rows: list[tuple[Any, dict[str, Any]]], q: Questionnaire, today: date | None) -> Imported:
    found = Imported({})
    found.changes.update(_validate(path, rows, q, today or date.today(), found))
    return found


class _BadNumber(ValueError):
    pass


def _json_constant(name: str) -> Any:
    raise _BadNumber(f"{name} is not a number JSON allows")


def _json_int(digits: str) -> int:
    try:
        return int(digits)
    except ValueError:  # longer than Python converts (sys.get_int_max_str_digits)
        raise _BadNumber(f"an integer of {len(digits)} digits, more than the "
                         f"{sys.get_int_max_str_digits()} digits import accepts") from None


def _json_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _BadNumber(f"{text[:20]}{'…' if len(text) > 20 else ''} is not a finite number")
    return number


def _json_doc(path: Path, text: str) -> Any:
    """The parsed document; NaN, Infinity, numbers out of range and deep nesting are refused."""
    try:
        return json.loads(text, parse_constant=_json_constant, parse_int=_json_int, parse_float=_json_float)
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except _BadNumber as exc:
        raise UserError(f"{path}: not valid JSON for import ({exc})") from None
    except RecursionError:
        raise UserError(f"{path}: not valid JSON for import (nested too deep)") from None


def _lone_surrogate(value: Any) -> str | None:
    """The first text in `value` (a JSON value, walked without recursion) that is not valid Unicode."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError as exc:
                return ascii(v[exc.start:exc.end])
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
    return None


def _json_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    doc = _json_doc(path, text)
    items = doc.get("items") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise UserError(f"{path}: not a soc2-tui export (no 'items' list)")
    exported = doc.get("exported_at")
    rows = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise UserError(f"{path}: items[{n - 1}] is not an object")
        fields = {k: item[k] for k in CSV_ANSWER_COLUMNS if k in item and item[k] is not None}
        bad = _lone_surrogate([item.get("id"), fields])
        if bad:
            raise UserError(f"{path}: items[{n - 1}] holds a lone surrogate {bad}, not valid Unicode text")
        for k in ("notes", "evidence", "owner", "approver"):
            if fields.get(k) == "":
                fields.pop(k)
        if fields.get("flagged") is False:
            fields.pop("flagged")
        if exported is not None:
            fields["_exported_at"] = exported
        rows.append((n, {"id": item.get("id"), **fields, "_json": True}))
    return rows


def _line_breaks(text: str, start: int, end: int) -> int:
    """Line breaks (CRLF, CR or LF, as csv counts lines) in text[start:end]."""
    return text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)


def _stray_nul(text: str, delimiter: str) -> int | None:
    """Where the first NUL outside a quoted cell is (NUL inside quotes is text the export wrote)."""
    pos = 0
    for m in _QUOTED_CELL[delimiter].finditer(text):
        if text.find("\x00", pos, m.start()) >= 0:
            break
        pos = m.end()
    found = text.find("\x00", pos)
    return found if found >= 0 else None


def _csv_records(path: Path, text: str) -> list[tuple[int, list[str]]]:
    """(line, cells) of every record; refuses a file that ends inside a quoted cell."""
    delimiter = _delimiter(text)
    if "\x00" in text:
        nul = _stray_nul(text, delimiter)
        if nul is not None:
            raise UserError(f"{path}:{_line_breaks(text, 0, nul) + 1}: contains NUL bytes outside a quoted "
                            "cell; not a text CSV or JSON file")
    consumed = [0]  # where the next record starts: the reader asks for no line beyond its record

    def lines() -> Iterator[str]:
        for m in _LINE.finditer(text):
            consumed[0] = m.end()
            yield m.group()

    reader = csv.reader(lines(), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    last_start = next_start = 0
    last_line = next_line = 1
    old_limit = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        for cells in reader:
            last_start, last_line = next_start, next_line
            next_start, next_line = consumed[0], reader.line_num + 1
            records.append((reader.line_num, cells))
    except csv.Error as exc:
        raise UserError(f"{path}:{reader.line_num}: not a valid CSV ({exc})") from None
    finally:
        csv.field_size_limit(old_limit)
    # Python's csv ends an unclosed quoted cell at the end of the file, taking every row after it
    # into that one cell: such a quote can only be in the last record.
    last_quoted = deque(_QUOTED_CELL[delimiter].finditer(text, last_start), maxlen=1)
    if last_quoted and last_quoted[0]["close"] is None:
        opened = last_quoted[0]
        line = last_line + _line_breaks(text, last_start, opened.start())
        raise UserError(f"{path}:{line}: a quote opened here is never closed; nothing imported "
                        "(every row after it would have become part of one cell)")
    return records


def _delimiter(text: str) -> str:
    """',' as exported; ';' when the header says so (spreadsheets set to a European locale save CSV
    with semicolons)."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    records = _csv_records(path, text)
    if not records:
        raise UserError(f"{path}: empty file")
    header = [h.strip() for h in records[0][1]]
    while header and not header[-1]:  # empty columns a spreadsheet left at the end
        header.pop()
    records = [(line, cells[:len(header)] if not any(c.strip() for c in cells[len(header):]) else cells)
               for line, cells in records]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if "id" not in header or unknown:
        what = f"unknown column(s) {', '.join(map(repr, unknown))}" if unknown else "no 'id' column"
        raise UserError(f"{path}:1: {what}; expected the columns of `soc2-tui export --format csv` "
                        f"({', '.join(CSV_COLUMNS[:12])}, …)")
    if len(set(header)) != len(header):
        raise UserError(f"{path}:1: a column appears twice")
    rows = []
    for line, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            rows.append((line, {"_error": f"{len(cells)} cells, the header has {len(header)}"}))
            continue
        row = dict(zip(header, cells))
        fields = {k: unsafe_cell(row[k]) for k in CSV_ANSWER_COLUMNS if k in row and row[k].strip() != ""}
        if row.get("exported_at", "").strip():
            fields["_exported_at"] = row["exported_at"].strip()
        rows.append((line, {"id": row["id"].strip(), **fields}))
    return rows


def decode_value(item: Item, raw: Any, from_json: bool) -> Any:
    """A scope answer from a cell or JSON value, checked against the item's type (ValueError if bad)."""
    if from_json:
        return scope_answers.check(item, raw)  # JSON keeps the types the export wrote
    return scope_answers.parse_text(item, str(raw))


def _validate(path: Path, rows: list[tuple[Any, dict[str, Any]]], q: Questionnaire,
              today: date, found: Imported) -> dict[str, dict[str, Any]]:
    """Every row checked (CSV, JSON and workbook alike); a row's place is its line, or in a workbook
    "SHEET row N"."""
    problems: list[tuple[int | str, str]] = []
    out: dict[str, dict[str, Any]] = {}
    seen: dict[str, int | str] = {}
    ids = {k.casefold(): k for k in q.items}  # ids in any case: cc1-04 is CC1-04
    for line, row in rows:
        if "_error" in row:
            problems.append((line, row["_error"]))
            continue
        raw_id = row.get("id")
        from_json = bool(row.pop("_json", False))
        iid = ids.get(raw_id.strip().casefold()) if isinstance(raw_id, str) else None
        if iid is None:
            problems.append((line, f"unknown item id {_shown(raw_id)}"))
            continue
        if iid in seen:
            problems.append((line, f"item {iid} appears twice (first on {_place(seen[iid])})"))
            continue
        seen[iid] = line
        found.lines[iid] = line
        item = q.items[iid]
        exported = row.pop("_exported_at", None)
        if exported is not None:
            stamp = export_time(exported)
            if stamp is None:
                problems.append((line, f"{iid}: bad exported_at {_shown(exported)}: expected the time the export "
                                       "wrote (YYYY-MM-DDTHH:MM:SS…Z)"))
            else:
                found.exported_at[iid] = stamp
        fields: dict[str, Any] = {}
        for key, raw in row.items():
            if key == "id":
                continue
            try:
                fields[key] = _field(item, key, raw, from_json, today)
            except ValueError as exc:
                problems.append((line, f"{iid}: bad {key} {_shown(raw)}: {exc}"))
        if item.assessment_field and "value" in fields:
            # bound to the assessment itself; change it with the app or `new` (kept to compare)
            found.scope[item.assessment_field] = fields.pop("value")
        if fields:
            out[iid] = fields
    if problems:
        raise ImportProblems(path, problems)
    return out


def _place(where: int | str) -> str:
    return f"line {where}" if isinstance(where, int) else where


def _shown(raw: Any) -> str:
    """A cell or JSON value in an error message: its repr, cut short (a hostile cell can be 64 MiB)."""
    text = repr(raw)
    return text if len(text) <= 80 else text[:79] + "…"


def _labels(policy: bool) -> str:
    words = POLICY_STATUS_LABELS if policy else STATUS_LABELS
    return ", ".join("N/A" if s == "not_applicable" and not policy else words[s] for s in STATUSES)


def _field(item: Item, key: str, raw: Any, from_json: bool, today: date) -> Any:
    if key == "status":
        if item.kind == "scope":
            raise ValueError("scope questions take a value, not a status")
        status = raw if raw in STATUSES else status_from_word(raw, item.kind == "policy") if isinstance(raw, str) \
            else None
        if status is None:
            raise ValueError(f"expected a status: {', '.join(STATUSES)}, or the app's label "
                             f"({_labels(item.kind == 'policy')}), in any case")
        return status
    if key == "value":
        if item.kind != "scope":
            raise ValueError("only scope questions take a value")
        return decode_value(item, raw, from_json)
    if key in DATE_FIELDS:
        d = parse_date(raw)
        if d is None:
            raise ValueError("expected a date YYYY-MM-DD")
        future = review_date_problem(d, today) if key == "last_reviewed" else None
        if future:
            raise ValueError(future)
        return d.isoformat()
    if key == "flagged":
        if isinstance(raw, bool):
            return raw
        low = str(raw).strip().lower()
        if low not in ("yes", "no", "true", "false", "1", "0"):
            raise ValueError("expected yes or no")
        return low in ("yes", "true", "1")
    if not isinstance(raw, str):
        raise ValueError("expected text")
    return raw
