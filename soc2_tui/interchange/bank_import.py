"""`soc2-tui import-bank`: a spreadsheet (CSV or XLSX, one row per item) made into a valid YAML bank.

The columns are those `soc2-tui questions --format csv` writes (`export.QUESTION_FIELDS`; `principles`
and `source` are read and ignored, being derived); only `id`, `title` or `question`, and `criteria`
(for controls and policies) are needed. Every row is checked, by the same
validator `soc2-tui validate` runs, before anything is written: each bad row is reported with its
line (or sheet row), all at once, and nothing is written.
"""

from __future__ import annotations

import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soc2_tui.banks import fields as F
from soc2_tui.errors import ContentError, UserError
from soc2_tui.interchange import bank_cells
from soc2_tui.interchange.export import QUESTION_FIELDS, unsafe_cell
from soc2_tui.model import BANK_KINDS

MAX_BYTES = 64 * 1024 * 1024
MAX_REPORTED = 50
IGNORED = ("principles", "source")  # derived from other columns by the loader; read, never written
COLUMNS = QUESTION_FIELDS
_KIND_FILES = {kind: file_kind for file_kind, kind in BANK_KINDS.items()}  # control -> controls
_READERS: dict[str, Callable[[str], Any]] = {
    "evidence": bank_cells.texts, "contents": bank_cells.texts, "criteria": bank_cells.ids,
    "replaces": bank_cells.ids, "references": bank_cells.references, "options": bank_cells.options,
    "condition": bank_cells.condition, "metadata": bank_cells.metadata,
}


class BankImportProblems(UserError):
    def __init__(self, problems: list[str]):
        shown = problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            shown.append(f"… and {len(problems) - MAX_REPORTED} more")
        self.details = tuple(shown)
        super().__init__(f"nothing written, {len(problems)} problem(s):")


@dataclass
class Row:
    where: str  # FILE:LINE, or FILE sheet NAME row N
    item: dict[str, Any]  # the YAML item, fields in the table's order
    kind: str
    section: str


def read_sheet(path: Path) -> list[tuple[str, list[str]]]:
    """(where, cells) of every record, the header first."""
    try:
        st = path.stat()
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise UserError(f"{path}: not a regular file")
    if st.st_size > MAX_BYTES:
        raise UserError(f"{path}: more than the {MAX_BYTES} bytes import-bank accepts")
    if path.suffix.lower() == ".xlsx":
        return _xlsx_records(path)
    if path.suffix.lower() != ".csv":
        raise UserError(f"{path}: give a .csv or .xlsx file")
    from soc2_tui.interchange.importer import _csv_records

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (byte {exc.start}); save the sheet as UTF-8 CSV") from None
    return [(f"{path}:{line}", cells) for line, cells in _csv_records(path, text)]


def _xlsx_records(path: Path) -> list[tuple[str, list[str]]]:
    import zipfile

    import openpyxl  # type: ignore[import-untyped]  # only here: reading a workbook needs it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UserError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    try:
        sheet = book.worksheets[0]
        return [(f"{path} sheet {sheet.title} row {n}", [_xlsx_cell(v) for v in values])
                for n, values in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        book.close()


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def parse_rows(records: list[tuple[str, list[str]]]) -> tuple[list[Row], list[str]]:
    """The rows as items, and a problem per cell that cannot be read."""
    if not records:
        raise UserError("the sheet is empty: the first row names the columns (id, title or question, criteria, …)")
    where0, header_cells = records[0]
    header = [h.strip().casefold() for h in header_cells]
    while header and not header[-1]:
        header.pop()
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise UserError(f"{where0}: unknown column(s) {', '.join(map(repr, unknown))}; the columns are those of "
                        f"`soc2-tui questions --format csv`: {', '.join(COLUMNS)}")
    if "id" not in header or not {"question", "title"} & set(header):
        raise UserError(f"{where0}: the sheet needs an 'id' column and a 'question' or 'title' column")
    if len(set(header)) != len(header):
        raise UserError(f"{where0}: a column appears twice")
    rows, problems = [], []
    for where, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        if any(c.strip() for c in cells[len(header):]):
            problems.append(f"{where}: {len(cells)} cells, the header has {len(header)}")
            continue
        cells = [unsafe_cell(c) for c in cells] + [""] * (len(header) - len(cells))
        try:
            rows.append(_row(where, dict(zip(header, cells))))
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
    return rows, problems


def _row(where: str, cells: dict[str, str]) -> Row:
    values = {k: v.strip() for k, v in cells.items() if k not in IGNORED and v.strip()}
    kind = values.pop("kind", "control")
    if kind not in _KIND_FILES:
        raise ValueError(f"kind {kind!r} (expected one of: {', '.join(_KIND_FILES)})")
    section = values.pop("section", "")
    item: dict[str, Any] = {}
    for name in ("id", *(f.name for f in F.ITEM_FIELDS if f.name != "id")):
        if name not in values:
            continue
        raw = values[name]
        if name == "weight":
            value = bank_cells.weight(raw, values.get("severity", "medium"))
            if value is not None:
                item[name] = value
        elif name in _READERS:
            item[name] = _READERS[name](raw)
        else:
            item[name] = raw
    return Row(where, item, kind, section)


Texts = dict[str, tuple[str, dict[int, str]]]  # file name -> (YAML, {line where an item starts: its row})


def bank_texts(rows: list[Row], bank_id: str, version: str, section_titles: dict[str, str]) -> Texts:
    """One YAML text per kind of item present ({file name: (text, {first line of an item: where})})."""
    from soc2_tui.banks.yaml_reader import dump_yaml

    out: Texts = {}
    for kind, file_kind in _KIND_FILES.items():
        mine = [r for r in rows if r.kind == kind]
        if not mine:
            continue
        text = dump_yaml({"bank": bank_id, "version": version, "kind": file_kind}) + "sections:\n"
        lines: dict[int, str] = {}
        for sid in dict.fromkeys(r.section or bank_id.upper() for r in mine):
            text += _indent(dump_yaml([{"id": sid, "title": section_titles.get(sid, sid)}]), 2)
            text += "    items:\n"
            for r in (r for r in mine if (r.section or bank_id.upper()) == sid):
                lines[text.count("\n") + 1] = r.where
                text += _indent(dump_yaml([r.item]), 6)
        out[f"{file_kind}.yaml"] = (text, lines)
    return out


def _indent(text: str, n: int) -> str:
    return "".join(" " * n + line if line.strip() else line for line in text.splitlines(keepends=True))


def check_texts(texts: Texts) -> list[str]:
    """The validator's problems with the bank, each at the row it came from."""
    from soc2_tui import banks

    with tempfile.TemporaryDirectory(prefix="soc2-tui-bank-") as tmp:
        for name, (text, _lines) in texts.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        try:
            banks.check([Path(tmp)], builtin=False)
        except ContentError as exc:
            return [_at_row(p.file, p.line, p.message, texts) for p in exc.problems]
    return []


def _at_row(file: str, line: int, message: str, texts: Texts) -> str:
    _text, lines = texts.get(Path(file).name, ("", {}))
    starts = [n for n in lines if n <= line]
    return f"{lines[max(starts)]}: {message}" if starts else f"{Path(file).name}:{line}: {message}"


def import_bank(path: Path, bank_id: str, version: str, out_dir: Path, section_titles: dict[str, str],
                force: bool = False) -> list[Path]:
    """Read, check, then write the bank's files into `out_dir` (made if missing); the files written."""
    from soc2_tui.files import write_text_atomic

    if not F.re_id(bank_id):
        raise UserError(f"bank id {bank_id!r}: use letters, digits, '.', '_' and '-' (at most 64)")
    rows, problems = parse_rows(read_sheet(path))
    if not rows and not problems:
        raise UserError(f"{path}: no rows below the header")
    texts = bank_texts(rows, bank_id, version, section_titles)
    problems += check_texts(texts)
    if problems:
        raise BankImportProblems(problems)
    targets = [out_dir / name for name in texts]
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"{out_dir}: not a folder")
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise UserError(f"{existing[0]}: already exists (use --force to overwrite)")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{out_dir}: cannot make the folder: {exc.strerror or exc}") from None
    for target in targets:
        write_text_atomic(target, texts[target.name][0], force=force)
    return targets
