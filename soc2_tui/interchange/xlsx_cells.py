"""One cell of the Excel workbook, both ways: what export writes for a value, and the text import
hands to the CSV checks (`importer._validate`) for what a spreadsheet program left in a cell.

No openpyxl here: cells are plain Python values (str, int, float, bool, date, datetime, None).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any

from soc2_tui.model import Item

# XML 1.0 cannot hold these characters, and a carriage return in cell text comes back as a line
# feed; the workbook format writes each as _xHHHH_ (as Excel itself does), and a literal
# _xHHHH_ in the text as _x005F_xHHHH_ so that Excel shows it as typed.
_ESCAPED = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
# On the way back: openpyxl reads the strings it wrote (inline) as they are, and Excel's (shared)
# with _x005F_ already turned into "_"; so _x005F_ becomes "_" and the characters above come back,
# in one pass, and nothing else is undone (a literal "_x0041_" stays as typed).
_UNESCAPE = re.compile(r"_x(005[Ff]|000[0-8BbCcDdEeFf]|001[0-9A-Fa-f]|[Ff]{3}[EeFf])_")
EXCEL_EPOCH = datetime(1899, 12, 30)  # serial day 0 of Excel's 1900 date system (after its 1900 leap-day bug)


def escape_text(text: str) -> str:
    """`text` as cell text: every character XML cannot hold, and CR, as _xHHHH_."""
    if not _ESCAPED.search(text):
        return text
    return _ESCAPED.sub(lambda m: "_x005F_" if m.group() == "_" else f"_x{ord(m.group()):04X}_", text)


def unescape_text(text: str) -> str:
    """Undo `escape_text` on text openpyxl read."""
    return _UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


EXCEL_MAX_CHARS = 32_767  # the most a cell holds in Excel (openpyxl cuts longer text silently)
_CUT_NOTE = "[… {n:,} more characters are in the assessment: cut to fit a spreadsheet cell, so not read back]"
_CUT = re.compile(r"\n\[… [\d,]+ more characters are in the assessment: cut to fit a spreadsheet cell, so not "
                  r"read back\]\Z")


def cell_text(text: str) -> str:
    """`text` as a cell holds it (`escape_text`); longer than a cell takes, cut with a note saying
    so, which import recognises (`is_cut`) and skips, so the whole text in the assessment stays."""
    escaped = escape_text(text)
    if len(escaped) <= EXCEL_MAX_CHARS:
        return escaped
    keep = EXCEL_MAX_CHARS - 200
    while True:  # cut the text itself, so that no escape is split; escapes may lengthen it
        head = escape_text(text[:keep]) + "\n" + _CUT_NOTE.format(n=len(text) - keep)
        if len(head) <= EXCEL_MAX_CHARS:
            return head
        keep -= len(head) - EXCEL_MAX_CHARS


def is_cut(value: Any) -> bool:
    return isinstance(value, str) and len(value) > 100 and _CUT.search(value) is not None


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def number_text(value: int | float) -> str:
    """12 and 12.0 → '12', 2.5 → '2.5' (a number a spreadsheet program made of typed text)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def date_text(value: Any) -> Any:
    """A date cell back as YYYY-MM-DD: a date, a datetime (midnight, as openpyxl reads a date cell),
    a serial day number whose date format was lost; text is passed on for the date check."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # 1900-01-01 … 9999-12-31
            return (EXCEL_EPOCH + timedelta(days=int(value))).date().isoformat()
        return number_text(value)
    return unescape_text(value) if isinstance(value, str) else value


def plain_text(value: Any) -> str:
    """Any cell as the text it shows: numbers without a trailing .0, dates as YYYY-MM-DD."""
    if isinstance(value, str):
        return unescape_text(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, (date, datetime)):
        return date_text(value)
    return str(value)


def flag_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return plain_text(value)


# ----------------------------------------------------------------------------- scope answers


def scope_cell(item: Item, value: Any) -> Any:
    """A scope answer as a client reads it: Yes/No, an option's label, labels or entries joined
    by '; ' (a JSON list when an entry holds ';'), a date, a number, or the text."""
    if value is None or value == "" or value == []:
        return None
    t = item.type
    if t == "bool" and isinstance(value, bool):
        return "Yes" if value else "No"
    if t == "choice" and item.options:
        return item.option_label(value)
    if t in ("multi", "list") and isinstance(value, list):
        words = [item.option_label(v) for v in value] if t == "multi" else [str(v) for v in value]
        if any(";" in w for w in words) or (words and words[0].startswith("[")):
            return json.dumps(value, ensure_ascii=False)
        return "; ".join(words)
    if t == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def scope_text(item: Item, value: Any) -> str:
    """A scope answer's cell as the text `scope_answers.parse_text` reads: an option's label
    becomes its value (any case), a date cell YYYY-MM-DD, a number its digits."""
    if item.type == "date":
        return str(date_text(value))
    text = plain_text(value)
    if item.type == "choice" and item.options:
        return _option_value(item, text)
    if item.type == "multi" and item.options and not text.lstrip().startswith("["):
        return "; ".join(_option_value(item, part) for part in text.split(";") if part.strip())
    return text


def _option_value(item: Item, text: str) -> str:
    wanted = text.strip().casefold()
    for opt in item.options:
        if opt.label.casefold() == wanted:
            return str(opt.value)
    return text
