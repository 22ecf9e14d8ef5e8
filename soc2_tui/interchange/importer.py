"""Reading answers back from an exported CSV or JSON file.

Everything is validated before anything is written: every bad row is reported with its line
number and nothing changes. A blank cell (or a missing JSON key, or null) leaves that field as it
is, so importing never erases an answer silently.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from soc2_tui import scope_answers
from soc2_tui.errors import UserError
from soc2_tui.interchange.export import CSV_ANSWER_COLUMNS, CSV_COLUMNS, unsafe_cell
from soc2_tui.model import DATE_FIELDS, STATUSES, Answer, Item, Questionnaire, parse_date

MAX_IMPORT_BYTES = 64 * 1024 * 1024
MAX_REPORTED = 20


class ImportProblems(UserError):
    def __init__(self, file: Path, problems: list[tuple[int, str]]):
        self.problems = problems
        shown = "; ".join(f"{file}:{line}: {msg}" for line, msg in problems[:MAX_REPORTED])
        more = f"; … and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
        super().__init__(f"nothing imported, {len(problems)} problem(s): {shown}{more}")


def read_changes(path: Path, q: Questionnaire, current: Mapping[str, Answer]) -> dict[str, dict[str, Any]]:
    """Parse and validate a file; return {item_id: {field: value}} of fields it sets."""
    try:
        if path.is_dir():
            raise UserError(f"{path}: is a directory")
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise UserError(f"{path}: {size} bytes is more than the {MAX_IMPORT_BYTES} bytes import accepts")
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8 CSV") from None
    if "\x00" in text:
        raise UserError(f"{path}: contains NUL bytes; not a text CSV or JSON file")
    stripped = text.lstrip()
    if path.suffix.lower() == ".json" or stripped.startswith("{"):
        rows = _json_rows(path, text)
    else:
        rows = _csv_rows(path, text)
    return _validate(path, rows, q)


def _json_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    items = doc.get("items") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise UserError(f"{path}: not a soc2-tui export (no 'items' list)")
    rows = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise UserError(f"{path}: items[{n - 1}] is not an object")
        fields = {k: item[k] for k in CSV_ANSWER_COLUMNS if k in item and item[k] is not None}
        for k in ("notes", "evidence", "owner", "approver"):
            if fields.get(k) == "":
                fields.pop(k)
        if fields.get("flagged") is False:
            fields.pop("flagged")
        rows.append((n, {"id": item.get("id"), **fields, "_json": True}))
    return rows


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise UserError(f"{path}: empty file") from None
    except csv.Error as exc:
        raise UserError(f"{path}:1: not a valid CSV ({exc})") from None
    header = [h.strip() for h in header]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if "id" not in header or unknown:
        what = f"unknown column(s) {', '.join(map(repr, unknown))}" if unknown else "no 'id' column"
        raise UserError(f"{path}:1: {what}; expected the columns of `soc2-tui export --format csv` "
                        f"({', '.join(CSV_COLUMNS[:12])}, …)")
    if len(set(header)) != len(header):
        raise UserError(f"{path}:1: a column appears twice")
    rows = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                rows.append((line, {"_error": f"{len(cells)} cells, the header has {len(header)}"}))
                continue
            row = dict(zip(header, cells))
            fields = {k: unsafe_cell(row[k]) for k in CSV_ANSWER_COLUMNS if k in row and row[k].strip() != ""}
            rows.append((line, {"id": row["id"].strip(), **fields}))
    except csv.Error as exc:
        raise UserError(f"{path}:{reader.line_num}: not a valid CSV ({exc})") from None
    return rows


def decode_value(item: Item, raw: Any, from_json: bool) -> Any:
    """A scope answer from a cell or JSON value, checked against the item's type (ValueError if bad)."""
    if from_json:
        return scope_answers.check(item, raw)  # JSON keeps the types the export wrote
    return scope_answers.parse_text(item, str(raw))


def _validate(path: Path, rows: list[tuple[int, dict[str, Any]]], q: Questionnaire) -> dict[str, dict[str, Any]]:
    problems: list[tuple[int, str]] = []
    out: dict[str, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    for line, row in rows:
        if "_error" in row:
            problems.append((line, row["_error"]))
            continue
        iid = row.get("id")
        from_json = bool(row.pop("_json", False))
        if not isinstance(iid, str) or iid not in q.items:
            problems.append((line, f"unknown item id {iid!r}"))
            continue
        if iid in seen:
            problems.append((line, f"item {iid} appears twice (first on line {seen[iid]})"))
            continue
        seen[iid] = line
        item = q.items[iid]
        fields: dict[str, Any] = {}
        for key, raw in row.items():
            if key == "id":
                continue
            try:
                fields[key] = _field(item, key, raw, from_json)
            except ValueError as exc:
                problems.append((line, f"{iid}: bad {key} {raw!r}: {exc}"))
        if item.assessment_field and "value" in fields:
            fields.pop("value")  # bound to the assessment itself; change it with the app or `new`
        if fields:
            out[iid] = fields
    if problems:
        raise ImportProblems(path, problems)
    return out


def _field(item: Item, key: str, raw: Any, from_json: bool) -> Any:
    if key == "status":
        if item.kind == "scope":
            raise ValueError("scope questions take a value, not a status")
        if raw not in STATUSES:
            raise ValueError(f"expected one of {', '.join(STATUSES)}")
        return raw
    if key == "value":
        if item.kind != "scope":
            raise ValueError("only scope questions take a value")
        return decode_value(item, raw, from_json)
    if key in DATE_FIELDS:
        d = parse_date(raw)
        if d is None:
            raise ValueError("expected a date YYYY-MM-DD")
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
