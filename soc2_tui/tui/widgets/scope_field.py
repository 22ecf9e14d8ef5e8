"""One scope question's input: the widget for its type, the value it holds, and showing a value.

| type | widget | value |
|---|---|---|
| bool | TickBox | true / false |
| choice | Select | the option's value, None when blank |
| multi | TickList | the chosen values in the options' order (principles: normalised, security kept) |
| date | DateInput | YYYY-MM-DD, None when empty; a bad date is an error, not a value |
| number | Input | a number (scope_answers.parse_number), None when empty |
| longtext | TextArea | the text, None when empty |
| list | Input | entries separated by ";" (scope_answers.parse_list), None when empty |
| text | Input | the text, None when empty |
"""

from __future__ import annotations

import re
from typing import Any

from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea
from textual.widgets.selection_list import Selection

from soc2_tui import scope_answers
from soc2_tui.model import Item, normalise_principles
from soc2_tui.terminal import safe
from soc2_tui.tui.widgets.date_input import DateInput, date_error, date_value
from soc2_tui.tui.widgets.tick import TickBox, TickList

LIST_SEPARATOR = "; "  # how a list is shown (any ";" separates entries when typed)


def widget_id(item_id: str) -> str:
    return "sc-" + re.sub(r"[^A-Za-z0-9_-]", "_", item_id)


def shown(item: Item, value: Any) -> Any:
    """A stored value as its field shows it: typed text with its control characters visible
    (`terminal.safe`; Input and TextArea draw them as given)."""
    if isinstance(value, str):
        return safe(value, multiline=item.type == "longtext")
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return [safe(v) for v in value]
    return value


def untouched(item: Item, value: Any) -> Any:
    """What the field of `item` reads back while it still shows the stored `value` unedited: the
    screen saves only a field that differs from both (an edited field saves what was shown)."""
    if item.type == "longtext" and isinstance(value, str):
        return safe(value, multiline=True).rstrip() or None
    if item.type == "list" and isinstance(value, list | tuple):
        return parse_list(LIST_SEPARATOR.join(shown(item, value)))
    if item.type == "text" and isinstance(value, str):
        return safe(value).strip() or None
    return value


def parse_list(text: str) -> list[str] | None:
    """The entries typed in a list field; None (not answered) when there are none."""
    return scope_answers.parse_list(text) or None


def make_widget(item: Item, value: Any) -> Widget:
    """The input for `item`, showing `value` (the stored one, or None)."""
    value = shown(item, value)
    if item.type == "bool":
        return TickBox(item.title, bool(value), compact=True)
    if item.type == "choice":
        options = [(o.label, o.value) for o in item.options]
        if value is not None and value not in [o.value for o in item.options]:
            options.append((f"{value} months" if item.assessment_field == "period_months" else str(value), value))
        blank = item.assessment_field != "report_type"
        return Select(options, value=value if value is not None else Select.NULL, allow_blank=blank,
                      prompt="Not answered", compact=True)
    if item.type == "multi":
        chosen = set(value or ())
        if item.assessment_field == "principles":
            chosen.add("security")
        selections = [Selection(o.label, o.value, o.value in chosen,
                                disabled=item.assessment_field == "principles" and o.value == "security")
                      for o in item.options]
        return TickList(*selections, compact=True)
    if item.type == "date":
        return DateInput(value or "", compact=True)
    if item.type == "number":
        return Input("" if value is None else str(value), type="integer", compact=True,
                     placeholder="a number")
    if item.type == "longtext":
        return TextArea(value or "", soft_wrap=True, tab_behavior="focus", compact=True,
                        classes="scope-longtext")
    if item.type == "list":
        text = LIST_SEPARATOR.join(value) if isinstance(value, list) else (value or "")
        return Input(text, compact=True, placeholder="separate entries with ;")
    return Input(value or "", compact=True)


def read_widget(item: Item, w: Widget) -> tuple[Any, str | None]:
    """(value to store, error message) for what `w`, the input of `item`, holds now."""
    if isinstance(w, Checkbox):
        return w.value, None
    if isinstance(w, Select):
        return (None if w.value is Select.NULL else w.value), None
    if isinstance(w, SelectionList):
        chosen = list(w.selected)
        if item.assessment_field == "principles":
            return list(normalise_principles(chosen)), None
        order = [o.value for o in item.options]
        value = sorted(chosen, key=order.index) or None
        why = scope_answers.problem(item, value) if value else None
        return (None, f"{why[0].upper()}{why[1:]}. Not saved.") if why else (value, None)
    if isinstance(w, DateInput):
        err = date_error(w.value)
        return (None, f"{err} Not saved.") if err else (date_value(w.value), None)
    if isinstance(w, TextArea):
        return (w.text.rstrip() or None), None
    if isinstance(w, Input):
        return _read_input(item, w.value)
    return None, None


def _read_input(item: Item, text: str) -> tuple[Any, str | None]:
    if item.type == "number":
        text = text.strip()
        if not text:
            return None, None
        try:
            return scope_answers.parse_number(text), None
        except ValueError:
            return None, f"“{text}” is not a number. Not saved."
    if item.type == "list":
        return parse_list(text), None
    return (text.strip() or None), None


def show_value(item: Item, w: Widget, value: Any) -> None:
    """Make `w`, the input of `item`, show `value` (a value stored elsewhere, say)."""
    value = shown(item, value)
    if isinstance(w, Checkbox):
        w.value = bool(value)
    elif isinstance(w, Select):
        w.value = value if value is not None else Select.NULL
    elif isinstance(w, SelectionList):
        chosen = set(value or ())
        for o in item.options:
            if o.value in chosen:
                w.select(o.value)
            elif not (item.assessment_field == "principles" and o.value == "security"):
                w.deselect(o.value)
    elif isinstance(w, TextArea):
        w.load_text(value or "")
    elif isinstance(w, Input):
        if item.type == "list" and isinstance(value, list):
            w.value = LIST_SEPARATOR.join(value)
        else:
            w.value = "" if value is None else str(value)
