"""The policy edit dialog: owner, approver, last review, document location and notes of one policy.

`PolicyEditScreen(item, answer, today)` dismisses with the fields that changed (a dict, possibly
empty) or None when cancelled. A last review dated after `today` is refused, as `import` refuses it.
Esc saves, as it does in the gap analysis and the scope (nothing typed is lost by leaving);
Cancel (the button or ctrl+g) is the one way to drop the edits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from soc2_tui.model import Answer, Item
from soc2_tui.scoring import review_date_problem
from soc2_tui.terminal import safe
from soc2_tui.tui import key_tables
from soc2_tui.tui.keys import bindings
from soc2_tui.tui.widgets.date_input import DateInput, FieldError, date_error, date_value
from soc2_tui.tui.widgets.footer import KeyFooter


class PolicyEditScreen(ModalScreen[dict[str, Any] | None]):
    """Edit a policy's owner, approver, last review, document location and notes."""

    DEFAULT_CSS = """
    PolicyEditScreen { align: center middle; }
    PolicyEditScreen #pe-dialog {
        width: 76; max-width: 95%; height: auto; max-height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    PolicyEditScreen #pe-title { text-style: bold; margin-bottom: 1; }
    PolicyEditScreen #pe-grid {
        grid-size: 2; grid-columns: 15 1fr; grid-rows: 1 1 1 1 4; grid-gutter: 1 1; height: auto;
    }
    PolicyEditScreen #pe-grid Label { text-style: bold; }
    PolicyEditScreen #pe-notes { height: 4; }
    PolicyEditScreen #pe-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    PolicyEditScreen #pe-buttons Button { margin-left: 2; }
    """

    HELP_NAME = "Policy editor"
    KEYS = key_tables.POLICY_EDITOR
    BINDINGS = bindings(KEYS)

    def __init__(self, item: Item, answer: Answer | None, today: date | None = None) -> None:
        super().__init__()
        self.item = item
        self.answer = answer or Answer(item.id)
        self.today = today or date.today()

    def compose(self) -> ComposeResult:
        # The fields show control characters visibly (Input and TextArea draw them as given).
        a = self.answer
        with Vertical(id="pe-dialog"):
            yield Static(f"{self.item.id}  {self.item.title}", id="pe-title", markup=False)
            with Grid(id="pe-grid"):
                yield Label("Owner")
                yield Input(safe(a.owner), id="pe-owner", placeholder="who keeps it up to date", compact=True)
                yield Label("Approver")
                yield Input(safe(a.approver), id="pe-approver", placeholder="who approved it", compact=True)
                yield Label("Last reviewed")
                yield DateInput(a.last_reviewed, id="pe-last_reviewed", compact=True)
                yield Label("Document")
                yield Input(safe(a.evidence), id="pe-evidence", placeholder="link or where it is kept",
                            compact=True)
                yield Label("Notes")
                yield TextArea(safe(a.notes, multiline=True), id="pe-notes", soft_wrap=True, tab_behavior="focus",
                               compact=True)
            yield FieldError(id="pe-error")
            with Horizontal(id="pe-buttons"):
                yield Button("Save (esc)", id="pe-save", variant="primary", compact=True)
                yield Button("Cancel (ctrl+g)", id="pe-cancel", compact=True)
        yield KeyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#pe-owner", Input).focus()

    def values(self) -> dict[str, Any]:
        return {
            "owner": self.query_one("#pe-owner", Input).value.strip(),
            "approver": self.query_one("#pe-approver", Input).value.strip(),
            "last_reviewed": date_value(self.query_one("#pe-last_reviewed", DateInput).value),
            "evidence": self.query_one("#pe-evidence", Input).value.strip(),
            "notes": self.query_one("#pe-notes", TextArea).text.rstrip(),
        }

    def _date_error(self, text: str) -> str | None:
        return date_error(text) or review_date_problem(text, self.today)

    def action_save(self) -> None:
        err = self._date_error(self.query_one("#pe-last_reviewed", DateInput).value)
        if err:
            self.query_one("#pe-error", FieldError).show(f"Last reviewed: {err}")
            self.query_one("#pe-last_reviewed", DateInput).focus()
            return
        self.dismiss(self.changes())

    def changes(self) -> dict[str, Any]:
        """The fields edited here (a bad review date left out): what saving would write."""
        old = self.answer
        changes = {}
        values = self.values()
        if self._date_error(self.query_one("#pe-last_reviewed", DateInput).value):
            del values["last_reviewed"]
        for name, value in values.items():
            before = getattr(old, name)
            shown = safe(before, multiline=name == "notes") if isinstance(before, str) else before
            if (before or None) != (value or None) and value != shown:  # untouched: not a change
                changes[name] = value
        return changes

    def action_close(self) -> None:
        """esc: save and close, like ctrl+s (the footer shows the two keys apart)."""
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Input.Changed, "#pe-last_reviewed")
    def _date_changed(self, event: Input.Changed) -> None:
        if not self._date_error(event.value):
            self.query_one("#pe-error", FieldError).show(None)

    @on(Button.Pressed, "#pe-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#pe-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
