"""One line of text in a modal: `PromptScreen(title, value)` dismisses with the text or None."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from soc2_tui.tui.widgets.footer import KeyFooter


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line (a new name, a file path). Enter accepts, escape cancels.

    `check(text)` may return an error message, shown under the field while the dialog stays open.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", *, label: str = "", placeholder: str = "",
                 ok: str = "OK", hint: str = "", check: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.label = label
        self.placeholder = placeholder
        self.ok = ok
        self.hint = hint
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="prompt-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            if self.label:
                yield Label(self.label)
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static("", classes="error", id="prompt-error", markup=False)
            if self.hint:
                yield Static(self.hint, classes="hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self.ok, id="ok", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _accept(self) -> None:
        text = self.query_one(Input).value.strip()
        problem = self.check(text) if self.check else (None if text else "Please type something.")
        if problem:
            self.query_one("#prompt-error", Static).update(problem)
            return
        self.dismiss(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._accept()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._accept()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
