"""Scope answers: one parser and one check for every front end, the importer, the demo and the store.

A scope item knows its type (bool, choice, multi, date, number, text, longtext, list); a value is
stored as JSON in that type's shape:

| type | stored as | typed as text |
|---|---|---|
| bool | true / false | yes, no, true, false |
| choice, multi | an option's value (a list of them for multi) | the value; `a; b` for multi |
| date | "YYYY-MM-DD" | YYYY-MM-DD |
| number | a whole number, or a decimal when it has a fraction | 12, 2.5 |
| list | a list of non-empty texts | `first; second` (or a JSON list) |
| text, longtext | non-empty text | the text |

A multi item's option `none` ("none of these") cannot be combined with its other options.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

from soc2_tui.model import Condition, Item, parse_date

LIST_SEPARATOR = ";"
# The option value that, in a multi item, means "none of the others": it stands alone.
NONE_OPTION = "none"


def parse_text(item: Item, text: str) -> Any:
    """The value a user typed (or a CSV cell held) for `item`, in its stored shape; None when blank.

    Raises ValueError with a short reason ("expected a number") when the text does not fit.
    """
    raw = text.strip()
    if not raw:
        return None
    t = item.type
    value: Any
    if t == "bool":
        low = raw.lower()
        if low not in ("yes", "no", "true", "false"):
            raise ValueError("expected yes or no")
        value = low in ("yes", "true")
    elif t in ("multi", "list"):
        value = json.loads(raw) if raw.startswith("[") else parse_list(raw)
    elif t == "number":
        value = parse_number(raw)
    elif t == "date":
        d = parse_date(raw)
        if d is None:
            raise ValueError("expected a date (YYYY-MM-DD)")
        value = d.isoformat()
    elif t == "choice" and item.options and all(isinstance(o.value, int) for o in item.options):
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"expected one of: {', '.join(str(o.value) for o in item.options)}") from None
    elif t == "longtext":
        value = text.rstrip()
    else:
        value = raw
    return check(item, value)


def parse_list(text: str) -> list[str]:
    """'a; b;; c' → ['a', 'b', 'c']."""
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def parse_number(text: str) -> int | float:
    """A finite number; whole numbers come back as int ('12', '12.0' → 12; '2.5' → 2.5)."""
    try:
        num = float(text.strip())
    except ValueError:
        raise ValueError("expected a number") from None
    if not math.isfinite(num):
        raise ValueError("expected a number")
    return int(num) if num.is_integer() else num


def problem(item: Item, value: Any) -> str | None:
    """Why `value` does not suit `item`'s type, or None when it does."""
    options = [o.value for o in item.options]
    t = item.type
    if t == "bool":
        return None if isinstance(value, bool) else "expected true or false"
    if t == "choice":
        return None if value in options else f"expected one of: {', '.join(map(str, options))}"
    if t == "multi":
        if not isinstance(value, list) or any(v not in options for v in value):
            return f"expected a list of: {', '.join(map(str, options))}"
        if NONE_OPTION in value and len(value) > 1:
            label = next(o.label for o in item.options if o.value == NONE_OPTION)
            return f"“{label}” ({NONE_OPTION}) cannot be combined with other choices"
        return None
    if t == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return "expected a list of text entries"
        return None
    if t == "date":
        return None if isinstance(value, str) and parse_date(value) else "expected a date (YYYY-MM-DD)"
    if t == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        return None if ok else "expected a number"
    return None if isinstance(value, str) and value.strip() else "expected text"


def check(item: Item, value: Any) -> Any:
    """`value` unchanged when it suits `item`; ValueError with the reason otherwise."""
    why = problem(item, value)
    if why:
        raise ValueError(why)
    return value


def storable(value: Any) -> bool:
    """The shapes any scope answer can have (the store's own check, which knows no item types)."""
    if value is None or isinstance(value, (bool, int, str)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value)


def in_force(items: Mapping[str, Item], values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` (scope answers by item id) without the answers of scope items whose own condition
    fails: a hidden question counts as unanswered, so its answer drives no other condition. This
    holds transitively (an answer hidden by a hidden answer is hidden too); in a cycle of
    conditions the items are hidden. Ids that are no item of `items` are kept as they are."""
    state: dict[str, bool | None] = {}  # item id -> shown; None while it is being worked out

    def shown(iid: str) -> bool:
        item = items.get(iid)
        if item is None or item.condition is None:
            return True
        if iid in state:
            return bool(state[iid])  # None: a cycle, so hidden
        state[iid] = None
        deps = {d: values[d] for d in _refs(item.condition) if d in values and shown(d)}
        state[iid] = item.condition.holds(deps)
        return bool(state[iid])

    return {iid: v for iid, v in values.items() if shown(iid)}


def _refs(cond: Condition) -> Iterator[str]:
    """The scope item ids a condition tests."""
    if cond.scope is not None:
        yield cond.scope
    for part in cond.parts:
        yield from _refs(part)
