"""Who is answering? Asked once per session (unless --as was given); stored with each answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from soc2_tui.tui.widgets.footer import KeyFooter


class RespondentScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "skip", "Skip")]

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.initial = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="respondent-dialog"):
            yield Static("Who is answering?", classes="dialog-title")
            yield Static("Your name is saved with every answer you give, so a team can see who "
                         "answered what. Change it later from the command palette (ctrl+p).",
                         classes="hint")
            yield Input(self.initial, placeholder="your name", id="respondent-input")
            with Horizontal(classes="buttons"):
                yield Button("Skip", id="skip")
                yield Button("Continue", id="ok", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self.query_one(Input).value.strip() if event.button.id == "ok" else None)

    def action_skip(self) -> None:
        self.dismiss(None)
