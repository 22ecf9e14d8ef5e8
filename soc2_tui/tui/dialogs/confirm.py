"""A yes/no question in a modal: `ConfirmScreen(message)` dismisses with True or False."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from soc2_tui.tui.widgets.footer import KeyFooter


class ConfirmScreen(ModalScreen[bool]):
    """Ask before doing something that cannot be undone.

    `push_screen(ConfirmScreen("Delete …?", confirm="Delete", danger=True), callback)`; the
    callback receives True (confirmed) or False (cancelled with the button, `n` or escape).
    With danger=True the focus starts on Cancel, so a stray enter never destroys anything.
    """

    BINDINGS = [
        Binding("escape", "answer(False)", "Cancel"),
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n", "answer(False)", "No", show=False),
        Binding("left,up", "app.focus_previous", "Previous", show=False),
        Binding("right,down", "app.focus_next", "Next", show=False),
    ]

    def __init__(self, message: str, *, title: str = "Please confirm", confirm: str = "Yes",
                 cancel: str = "Cancel", danger: bool = False) -> None:
        super().__init__()
        self.message = message
        self.title_text = title
        self.confirm_label = confirm
        self.cancel_label = cancel
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.message, id="confirm-message", markup=False)
            yield Static(f"y {self.confirm_label.lower()} · n or escape {self.cancel_label.lower()}",
                         classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(self.cancel_label, id="cancel", variant="default")
                yield Button(self.confirm_label, id="confirm",
                             variant="error" if self.danger else "primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#cancel" if self.danger else "#confirm", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
