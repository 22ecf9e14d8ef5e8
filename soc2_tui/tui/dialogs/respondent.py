"""Who is answering? Asked once per session (unless --as was given); stored with each answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from soc2_tui.terminal import has_controls, nfc, safe
from soc2_tui.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from soc2_tui.tui.app import Soc2App


def ask_respondent(app: Soc2App, name: str) -> None:
    """Ask who is answering, offering `name`; Skip keeps the name the app had.

    At start-up this is the one question on screen: the home screen holds its welcome panel back
    while `app.asking_respondent` is true, and shows it once the name is given or skipped.
    """
    def done(given: str | None) -> None:
        if given is not None:
            app.set_respondent(given.strip())  # remembered for the next session
        if app.asking_respondent:
            app.asking_respondent = False
            from soc2_tui.tui.screens.home import AssessmentsScreen

            for screen in app.screen_stack:
                if isinstance(screen, AssessmentsScreen):
                    screen.reload()  # the welcome panel of an empty file, now

    app.push_screen(RespondentScreen(name), done)


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
            yield Input(safe(self.initial), placeholder="your name", id="respondent-input")
            with Horizontal(classes="buttons"):
                yield Button("Skip", id="skip")
                yield Button("Continue", id="ok", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._done(event.value.strip())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._done(self.query_one(Input).value.strip())
        else:
            self.dismiss(None)

    def _done(self, name: str) -> None:
        """The name, unless it holds a control or bidi character (as --as refuses it)."""
        if has_controls(name):
            self.notify("A name must be plain text on one line, without control characters.",
                        severity="error", markup=False)
            return
        self.dismiss(nfc(name))  # stored and compared in NFC, as --as is

    def action_skip(self) -> None:
        self.dismiss(None)
