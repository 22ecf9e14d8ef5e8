"""The form that creates an assessment (a modal; dismisses with the new id or None)."""

from __future__ import annotations

from typing import cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static
from textual.widgets.selection_list import Selection

from soc2_tui import paths, startup
from soc2_tui.banks import sets
from soc2_tui.errors import ContentError, UserError
from soc2_tui.labels import plural
from soc2_tui.model import PRINCIPLE_LABELS, PRINCIPLES, BankSet, Questionnaire, parse_date
from soc2_tui.tui.base import Soc2ModalScreen
from soc2_tui.tui.widgets.footer import KeyFooter
from soc2_tui.tui.widgets.tick import TickList

REPORT_TYPE_OPTIONS = [
    ("Type II: controls operating over a period", "type2"),
    ("Type I: controls in place on one date", "type1"),
]
PERIOD_OPTIONS = [("3 months", 3), ("6 months", 6), ("12 months", 12)]
BUILTIN_OPTIONS = [("with the built-in SOC 2 banks", True), ("without them: only my banks", False)]


class FormScroll(VerticalScroll, can_focus=False):
    """A scrolling form that is not itself a stop for Tab (the fields are)."""


class NewAssessmentScreen(Soc2ModalScreen[int | None]):
    """Name, organisation, report type, principles, audit period. Enter or ctrl+s creates it."""

    CSS_PATH = "new_assessment.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "create", "Create"),
    ]

    def compose(self) -> ComposeResult:
        # The whole form scrolls (the focused field is kept in view): at 60×15 its last fields and
        # buttons would otherwise be cut off with no way to reach them.
        with FormScroll(classes="dialog", id="new-dialog"):
            yield Static("New assessment", classes="dialog-title")
            with Vertical(id="new-form"):
                with Horizontal(classes="field"):
                    yield Label("Name", classes="field-label")
                    yield Input(placeholder="e.g. Acme 2027 Type II", id="new-name", compact=True)
                with Horizontal(classes="field"):
                    yield Label("Organisation", classes="field-label")
                    yield Input(placeholder="your company (optional)", id="new-org", compact=True)
                with Horizontal(classes="field"):
                    yield Label("Report type", classes="field-label")
                    yield Select(REPORT_TYPE_OPTIONS, value="type2", allow_blank=False, id="new-type",
                                 compact=True)
                with Horizontal(classes="field"):
                    yield Label("Principles", classes="field-label")
                    yield TickList(
                        *[Selection(PRINCIPLE_LABELS[p] + (" (always in scope)" if p == "security" else ""),
                                    p, p == "security", disabled=p == "security") for p in PRINCIPLES],
                        id="new-principles", compact=True)
                with Horizontal(classes="field"):
                    yield Label("Period start", classes="field-label")
                    yield Input(placeholder="YYYY-MM-DD (optional)", id="new-start", compact=True)
                with Horizontal(classes="field"):
                    yield Label("Period length", classes="field-label")
                    yield Select(PERIOD_OPTIONS, prompt="not decided yet", id="new-months", compact=True)
                with Horizontal(classes="field"):
                    yield Label("My banks", classes="field-label")
                    yield Input(placeholder="bank folders or files, ; between (optional)", id="new-banks",
                                compact=True)
                with Horizontal(classes="field"):
                    yield Label("Built-in banks", classes="field-label")
                    yield Select(BUILTIN_OPTIONS, value=True, allow_blank=False, id="new-builtin", compact=True)
            yield Static("", classes="error", id="new-error", markup=False)
            yield Static("tab: next field · space: tick a principle · enter: create · all of it can "
                         "be changed later in the scope", classes="hint", id="new-hint")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Create", id="create", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#new-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_create()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "create":
            self.action_create()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _error(self, message: str, focus: str | None = None) -> None:
        # The error takes the place of the hint, so the dialog still fits in 24 lines.
        self.query_one("#new-error", Static).update(message)
        self.query_one("#new-error").display = bool(message)
        self.query_one("#new-hint").display = not message
        if focus:
            self.query_one(focus).focus()

    def action_create(self) -> None:
        app = self.soc2
        name = self.query_one("#new-name", Input).value.strip()
        if not name:
            self._error("Please give the assessment a name.", "#new-name")
            return
        if app.store.find(name) is not None:
            self._error(f"An assessment named “{name}” already exists; choose another name.", "#new-name")
            return
        start = self.query_one("#new-start", Input).value.strip()
        if start and parse_date(start) is None:
            self._error(f"“{start}” is not a date: use YYYY-MM-DD, e.g. 2027-01-01.", "#new-start")
            return
        months = self.query_one("#new-months", Select).value
        report_type = cast(str, self.query_one("#new-type", Select).value)  # allow_blank=False: never blank
        principles = list(self.query_one("#new-principles", TickList).selected)
        chosen = self._banks()
        if chosen is None:
            return
        q, bank_set = chosen
        try:
            a = app.store.create(
                name,
                organisation=self.query_one("#new-org", Input).value.strip(),
                report_type=report_type,
                principles=principles,
                period_start=start or None,
                period_months=months if isinstance(months, int) else None,  # blank: not decided yet
                bank_versions=q.banks,
                by=app.respondent,
                bank_set=bank_set,
            )
        except UserError as exc:
            self._error(f"Not created: {exc}")
            return
        self.app.notify(f"Created “{a.name}”.", markup=False)
        self.dismiss(a.id)

    def _banks(self) -> tuple[Questionnaire, BankSet] | None:
        """The banks chosen and the set to record (the same as `soc2-tui new --bank … --no-builtin`);
        None, with the error shown, when they cannot be loaded."""
        app = self.soc2
        chosen = [p.strip() for p in self.query_one("#new-banks", Input).value.split(";") if p.strip()]
        builtin = self.query_one("#new-builtin", Select).value is not False
        if builtin and not chosen:  # the app's own banks (with --questionnaires and $SOC2_TUI_QUESTIONNAIRES)
            return app.given_q, sets.record(app.given_q, True, paths.extra_questionnaire_dirs(app.extra_banks))
        try:
            return startup.new_banks(chosen, not builtin, app.extra_banks)
        except ContentError as exc:
            first = exc.problems[0] if exc.problems else exc
            self._error(f"Not created: {first} ({plural(len(exc.problems), 'problem')} in the banks)", "#new-banks")
        except UserError as exc:
            self._error(f"Not created: {exc}", "#new-banks")
        return None
