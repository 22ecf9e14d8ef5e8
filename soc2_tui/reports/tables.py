"""Markdown building blocks for the gap report: escaping user text and GFM tables.

Rules (docs/report.md, "Escaping"):
- Every piece of text the report did not write itself (names, notes, owners, evidence, scope
  answers, and question-bank text, since custom banks are user files too) goes through `esc`.
- `esc` returns ONE line: runs of whitespace, newlines included, become one space. A note with a
  newline can therefore never end a table row, start a heading or open a code block.
- `<`, `>` and `&` become HTML entities, so no HTML can get through; the characters that start
  Markdown inline syntax (backslash, backtick, `*`, `_`, `[`, `]`, `|`, `~`, `$`, `#`) get a
  backslash (`_` only where it could start or end emphasis); a leading `-`, `+`, `=` or a
  leading `1. ` / `1) ` is escaped so the text cannot start a list, a heading underline or a
  thematic break when it opens a line.
- `table` checks that every row has as many cells as the header and always writes the header
  separator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from soc2_tui.labels import DASH, truncate

_SPACE = re.compile(r"\s+")  # Unicode whitespace: \n, \r, \t, \v, \f, \x1c-\x1f, \x85, \u2028 …
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ALWAYS = frozenset("\\`*[]|~$#")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LEADING_NUMBER = re.compile(r"^(\d{1,9})([.)])(?= |$)")
_LEADING_MARKS = frozenset("-+=")
_BARE_PIPE = re.compile(r"(?<!\\)\|")


def normalise(value: Any) -> str:
    """The text as the report shows it: one line, whitespace runs as one space, no control chars."""
    text = "" if value is None else str(value)
    if text.isprintable():  # the common case: no newline, tab, control or odd space characters
        return (_SPACE.sub(" ", text) if "  " in text else text).strip()
    return _CONTROL.sub("", _SPACE.sub(" ", text)).strip()


# One pass over the text: the always-escaped characters, and `_` unless it sits between two
# alphanumerics (CommonMark forbids intraword `_` emphasis, so ids such as system_name stay
# clean). `[^\W_]` is exactly str.isalnum().
_SPECIAL = re.compile(r"[&<>\\`*\[\]|~$#]|(?<![^\W_])_|_(?![^\W_])")
_REPLACEMENT = {**_ENTITIES, **{ch: "\\" + ch for ch in _ALWAYS}, "_": "\\_"}


def _replace(match: re.Match[str]) -> str:
    return _REPLACEMENT[match.group(0)]


def esc(value: Any) -> str:
    """Escape text for any inline position (table cell, list item, heading, paragraph)."""
    if type(value) is str and len(value) <= 200:
        return _esc_short(value)
    return _esc(value)


@lru_cache(maxsize=1 << 15)
def _esc_short(value: str) -> str:
    # A report escapes the same ids, titles and labels again and again (a 20,000-item report:
    # 315,000 calls); short texts are remembered (long notes are not: bounded memory).
    return _esc(value)


def _esc(value: Any) -> str:
    result = _SPECIAL.sub(_replace, normalise(value))
    if result[:1] in _LEADING_MARKS:
        result = "\\" + result
    else:
        m = _LEADING_NUMBER.match(result)
        if m:
            result = f"{m.group(1)}\\{m.group(2)}{result[m.end():]}"
    return result


def esc_or_dash(value: Any) -> str:
    """`esc`, or a dash when there is nothing to show."""
    text = esc(value)
    return text if text else DASH


def shorten(value: Any, limit: int = 80) -> str:
    """Normalised text cut to `limit` characters with an ellipsis (escape the result)."""
    return truncate(normalise(value), limit)


def code(value: str) -> str:
    """A code span for text the report controls (hashes, commands): never for user text."""
    if "`" in value or "\n" in value or "|" in value:
        raise ValueError("code spans are only for plain, trusted text")
    return f"`{value}`"


def _check_cell(cell: str) -> str:
    if "|" not in cell and "\n" not in cell and "\r" not in cell:  # the common case, checked fast
        return cell if cell and not cell.isspace() else DASH
    if "\n" in cell or "\r" in cell:
        raise ValueError(f"table cell spans lines: {cell!r}")
    # A bare pipe would split the cell; escaped text only ever holds `\|`.
    if _BARE_PIPE.search(cell):
        raise ValueError(f"table cell has an unescaped pipe: {cell!r}")
    return cell if cell.strip() else DASH


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], align: str | None = None) -> str:
    """A GitHub-flavoured table. Cells are Markdown already (escape user text with `esc` first).

    `align` is one letter per column: l (left), r (right) or c (centre); default all left.
    Raises ValueError when a row has the wrong number of cells (a bug, never user input).
    """
    n = len(headers)
    if n == 0:
        raise ValueError("a table needs at least one column")
    align = align or "l" * n
    if len(align) != n:
        raise ValueError("one alignment letter per column")
    sep = {"l": "---", "r": "---:", "c": ":---:"}
    lines = ["| " + " | ".join(_check_cell(h) for h in headers) + " |",
             "| " + " | ".join(sep[a] for a in align) + " |"]
    for row in rows:
        if len(row) != n:
            raise ValueError(f"table row has {len(row)} cells, the header has {n}: {row!r}")
        line = " | ".join(row)
        # The common row, checked as a whole: no pipe but the separators, no line break, no
        # empty or blank cell. Anything else goes through the cell-by-cell check (a 20,000-row
        # table has 120,000 cells).
        if (line.count("|") == n - 1 and "\n" not in line and "\r" not in line and "" not in row
                and not any(map(str.isspace, row))):
            lines.append(f"| {line} |")
        else:
            lines.append("| " + " | ".join(_check_cell(c) for c in row) + " |")
    return "\n".join(lines)


def bullets(lines: Iterable[str]) -> str:
    """A bullet list of Markdown lines (escape user text first)."""
    out = []
    for line in lines:
        if "\n" in line:
            raise ValueError(f"bullet spans lines: {line!r}")
        out.append(f"- {line}")
    return "\n".join(out)
