"""A date field (YYYY-MM-DD) and the one-line error shown under it when the text is not a date."""

from __future__ import annotations

import re
from datetime import date

from textual.widgets import Input, Static

from soc2_tui.terminal import safe

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date_error(text: str) -> str | None:
    """None when `text` is empty or a real date written YYYY-MM-DD, else a one-line message that
    quotes the text exactly as typed (control characters shown visibly)."""
    typed = f"“{safe(text)}”"
    text = text.strip()
    if not text:
        return None
    if not _DATE_RE.match(text):
        return f"{typed} is not a date: write it as YYYY-MM-DD (year, month, day), for example 2026-03-31."
    try:
        date.fromisoformat(text)
    except ValueError:
        return f"{typed} is not a real date (check the month and the day)."
    return None


def date_value(text: str) -> str | None:
    """The value to store: None for an empty field, else the date text (call date_error first)."""
    text = text.strip()
    return text or None


class DateInput(Input):
    """An Input for a date written YYYY-MM-DD. It keeps whatever is typed (`30/09/2027` stays as
    typed, not `30092027`): `error` then says what is wrong, quoting it."""

    DEFAULT_CSS = """
    DateInput { width: 17; }  /* 10 characters, the cursor after them, border and padding */
    """

    def __init__(self, value: str | None = "", **kwargs) -> None:
        kwargs.setdefault("placeholder", "YYYY-MM-DD")
        super().__init__(value or "", **kwargs)

    @property
    def error(self) -> str | None:
        return date_error(self.value)


class FieldError(Static):
    """One line under a field saying what is wrong with it; hidden when there is nothing to say."""

    DEFAULT_CSS = """
    FieldError { color: $text-error; height: auto; display: none; }
    FieldError.-shown { display: block; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)

    def show(self, message: str | None) -> None:
        text = message or ""
        if text == getattr(self, "_message", None):
            return  # unchanged: an update would re-lay out the screen for nothing
        self._message = text
        self.update(text)
        self.set_class(bool(message), "-shown")
