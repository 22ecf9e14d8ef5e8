"""One spreadsheet cell of a question bank read back as the YAML value it stands for: the cells
`soc2-tui questions --format csv` writes (lists joined by "; ", references as "framework: id, id",
options as JSON objects, a condition as `Condition.describe()` text), and what a person types.

Each reader raises ValueError with a message for the row when the cell cannot be read.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

from soc2_tui.model import SEVERITY_WEIGHTS

_LIST_SPLIT = re.compile(r";\s+|\s*[\r\n]+\s*")  # "; " (as questions --format csv writes) or one per line
_ID_SPLIT = re.compile(r"[\s,;]+")
_LEAF = re.compile(r"([A-Za-z0-9][A-Za-z0-9_.\-]*)\s+(equals|contains|in)\s+")


def texts(cell: str) -> list[str]:
    return [t.strip() for t in _LIST_SPLIT.split(cell) if t.strip()]


def ids(cell: str) -> list[str]:
    return [t for t in _ID_SPLIT.split(cell) if t]


def weight(cell: str, severity: str) -> float | None:
    """The weight, or None where it is what the severity gives anyway (it is then left out)."""
    try:
        value = float(cell)
    except ValueError:
        raise ValueError(f"weight {cell!r} is not a number") from None
    if value == SEVERITY_WEIGHTS.get(severity or "medium"):
        return None
    return int(value) if value.is_integer() else value


def references(cell: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in texts(cell):
        framework, sep, rest = part.partition(":")
        refs = [r.strip() for r in rest.split(",") if r.strip()]
        if not sep or not framework.strip() or not refs:
            raise ValueError(f"references {part!r}: write 'framework: id, id' (several joined by '; ')")
        out[framework.strip()] = refs
    return out


def options(cell: str) -> list[dict[str, Any]]:
    """JSON objects {"value": …, "label": …}, one after another (questions --format csv joins them by "; ")."""
    decoder = json.JSONDecoder()
    found, i, text = [], 0, cell.strip()
    while i < len(text):
        try:
            value, i = decoder.raw_decode(text, i)
        except json.JSONDecodeError:
            raise ValueError(f"options: write JSON objects such as {{\"value\": \"x\", \"label\": \"X\"}} "
                             f"joined by '; ' (not readable at character {i + 1})") from None
        if not isinstance(value, dict):
            raise ValueError("options: each option is a JSON object with value and label")
        found.append(value)
        while i < len(text) and text[i] in "; \t\r\n":
            i += 1
    return found


def metadata(cell: str) -> dict[str, Any]:
    try:
        value = json.loads(cell)
    except json.JSONDecodeError as exc:
        raise ValueError(f"metadata: not a JSON object ({exc.msg})") from None
    if not isinstance(value, dict):
        raise ValueError("metadata: write a JSON object such as {\"owner\": \"Risk team\"}")
    return value


def condition(cell: str) -> dict[str, Any]:
    """A condition as `Condition.describe()` writes it (`data_kinds contains 'personal'`,
    `(a equals True and not b equals 'x')`) or as JSON ({"scope": "a", "equals": true})."""
    text = cell.strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"condition: not valid JSON ({exc.msg})") from None
        return value
    try:
        found, end = _condition(text, 0)
    except (ValueError, SyntaxError) as exc:
        raise ValueError(f"condition {text!r}: {exc}") from None
    if text[end:].strip():
        raise ValueError(f"condition {text!r}: unexpected {text[end:].strip()!r}")
    return found


def _condition(s: str, i: int) -> tuple[dict[str, Any], int]:
    i = _skip(s, i)
    if s.startswith("(", i):
        parts, joiner = [], None
        part, i = _condition(s, i + 1)
        parts.append(part)
        while True:
            i = _skip(s, i)
            if s.startswith(")", i):
                i += 1
                break
            word = next((w for w in ("and", "or") if s.startswith(w + " ", i)), None)
            if word is None or joiner not in (None, word):
                raise ValueError(f"expected 'and', 'or' or ')' at character {i + 1}")
            joiner = word
            part, i = _condition(s, i + len(word))
            parts.append(part)
        return (parts[0] if len(parts) == 1 else {"all" if joiner == "and" else "any": parts}), i
    if s.startswith("not ", i):
        part, i = _condition(s, i + 4)
        return {"not": part}, i
    m = _LEAF.match(s, i)
    if not m:
        raise ValueError(f"expected 'SCOPE-ID equals|contains|in VALUE' at character {i + 1}")
    value, i = _literal(s, m.end())
    if m.group(2) == "in":
        if not isinstance(value, (tuple, list)):
            raise ValueError("'in' needs a list of values")
        value = list(value)
    return {"scope": m.group(1), m.group(2): value}, i


def _skip(s: str, i: int) -> int:
    while i < len(s) and s[i] == " ":
        i += 1
    return i


def _literal(s: str, i: int) -> tuple[Any, int]:
    """The value after an operator: 'text', True, 3, ('a', 'b') (Python's way of writing them)."""
    j, depth, quote = i, 0, ""
    while j < len(s):
        ch = s[j]
        if quote:
            j += 2 if ch == "\\" else 1
            if ch == quote:
                quote = ""
                if depth == 0:
                    break
            continue
        if ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            if depth == 0:
                break
            depth -= 1
            if depth == 0:
                j += 1
                break
        elif ch == " " and depth == 0:
            break
        j += 1
    try:
        return ast.literal_eval(s[i:j]), j
    except (ValueError, SyntaxError):
        raise ValueError(f"cannot read the value {s[i:j]!r} (quote text: 'value')") from None
