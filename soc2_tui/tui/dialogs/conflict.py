"""No silent overwrites: a text field typed into while someone else saved that field.

Every text field (notes, evidence, owner, due date, operating since, the policy editor's fields)
remembers the stored value it started from. When it is saved, the stored value is read again; if
another person changed it meanwhile (and not to what was typed), nothing is written and
`ConflictScreen` shows both values: keep mine, keep theirs, or keep both (notes: both texts, each
with its author; evidence, owner and approver: both, joined). A date is one value: mine or theirs.

`split` sorts typed changes into those safe to save and those that conflict; `ask` shows the
dialog and saves the choice through `app.save_answer`. While the app closes (quit, SIGHUP,
SIGTERM) there is no one to ask: `closing_value` keeps both where it can, else what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from soc2_tui.errors import UserError
from soc2_tui.model import Answer
from soc2_tui.terminal import safe
from soc2_tui.tui import key_tables
from soc2_tui.tui.keys import bindings
from soc2_tui.tui.widgets.footer import KeyFooter
from soc2_tui.tui.widgets.item_text import FIELD_NAMES, when

if TYPE_CHECKING:
    from soc2_tui.tui.app import Soc2App

JOINERS = {"evidence": "; ", "owner": ", ", "approver": ", "}  # notes: a paragraph each, with its author


def _norm(value: Any) -> Any:
    return "" if value is None else value


@dataclass(frozen=True)
class Conflict:
    """One field that someone else saved while it was being typed into here."""

    assessment_id: int
    item_id: str
    title: str
    field: str
    mine: Any
    theirs: Any
    me: str
    by: str  # who saved theirs ("" when unknown)
    at: str  # when (ISO UTC; "" when unknown)
    joiner: str | None = ""  # "": by the field's name; "paragraphs": as notes; None: one value only
    assessment_field: str | None = None  # a scope answer kept on the assessment (the audit period)

    @property
    def label(self) -> str:
        return FIELD_NAMES.get(self.field, self.field).capitalize()

    def both(self) -> str | None:
        """Both values in one, or None for a field that holds one value (a date)."""
        mine, theirs = _norm(self.mine), _norm(self.theirs)
        if not theirs:
            return mine
        if self.joiner is None:
            return None
        if self.field == "notes" or self.joiner == "paragraphs":
            return f"{self.by or 'Someone'}: {theirs}\n\n{self.me or 'Me'}: {mine}"
        joiner = JOINERS.get(self.field)
        return None if joiner is None else f"{theirs}{joiner}{mine}"

    def value_for(self, choice: str) -> Any:
        if choice == "mine":
            return self.mine
        if choice == "both" and self.both() is not None:
            return self.both()
        return self.theirs

    def closing_value(self) -> Any:
        """Nobody to ask (the app is closing): both where they fit in one field, else mine."""
        both = self.both()
        return self.mine if both is None else both


def split(start: Mapping[str, Any], fresh: Answer | None, changes: Mapping[str, Any]
          ) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """(changes safe to save, fields to refill with the stored value, fields in conflict).

    A field whose text is still what it started from is no change at all, even when the stored
    value moved (someone else's save is then shown, not written back over).
    """
    safe_changes: dict[str, Any] = {}
    refill: dict[str, Any] = {}
    clashes: list[str] = []
    for name, value in changes.items():
        if name not in start:
            safe_changes[name] = value
            continue
        began = _norm(start[name])
        stored = _norm(getattr(fresh, name) if fresh is not None else None)
        if stored == began or stored == _norm(value):
            safe_changes[name] = value
        elif _norm(value) == began:
            refill[name] = stored
        else:
            clashes.append(name)
    return safe_changes, refill, clashes


def conflict_of(app: Soc2App, assessment_id: int, item_id: str, name: str, mine: Any,
                fresh: Answer | None) -> Conflict:
    """The conflict on one field, with who saved the stored value and when (from the history)."""
    from soc2_tui.store import follow

    try:
        last = follow.field_change(app.store, assessment_id, item_id, name)
    except UserError:
        last = None
    item = app.q.items.get(item_id)
    return Conflict(assessment_id, item_id, item.title if item else item_id, name, mine,
                    getattr(fresh, name) if fresh is not None else None, app.respondent,
                    last.changed_by if last else "", last.changed_at if last else "")


def ask(app: Soc2App, conflict: Conflict, done: Callable[[Any], object] | None = None) -> None:
    """Show the choice; save it (mine or both); then `done(value now stored)`."""

    def chosen(choice: str | None) -> None:
        value = conflict.value_for(choice or "theirs")
        if _norm(value) != _norm(conflict.theirs):
            if conflict.assessment_field:
                app.update_assessment(conflict.assessment_id, **{conflict.assessment_field: value})
            else:
                app.save_answer(conflict.assessment_id, conflict.item_id, **{conflict.field: value})
        if done is not None:
            done(value)

    app.push_screen(ConflictScreen(conflict), chosen)


class ConflictScreen(ModalScreen[str | None]):
    """Both values of one field, and the choice: keep mine, keep theirs, keep both."""

    DEFAULT_CSS = """
    ConflictScreen #conflict-values { height: auto; max-height: 16; }
    ConflictScreen #conflict-theirs, ConflictScreen #conflict-mine { margin: 0 0 1 2; }
    """

    HELP_NAME = "Changed meanwhile"
    KEYS = key_tables.CONFLICT
    BINDINGS = [
        *bindings(KEYS),
        Binding("left,up", "app.focus_previous", "Previous", show=False),  # the table's row documents these
        Binding("right,down", "app.focus_next", "Next", show=False),
    ]

    def __init__(self, conflict: Conflict) -> None:
        super().__init__()
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        c = self.conflict
        who = safe(c.by) if c.by else "Someone"
        at = f" ({when(c.at)})" if c.at else ""
        multiline = c.field == "notes"
        with Vertical(classes="dialog", id="conflict-dialog"):
            yield Static(f"{c.label} of “{c.title}” changed meanwhile", classes="dialog-title", markup=False)
            with VerticalScroll(id="conflict-values"):
                yield Static(f"{who} saved{at}:", classes="hint", markup=False)
                yield Static(safe(_norm(c.theirs), multiline=multiline) or "(empty)", id="conflict-theirs",
                             markup=False)
                yield Static("You typed:", classes="hint", markup=False)
                yield Static(safe(_norm(c.mine), multiline=multiline) or "(empty)", id="conflict-mine",
                             markup=False)
            hint = "m keep mine · t keep theirs" + (" · b or escape keep both" if c.both() is not None else "")
            yield Static(hint, classes="hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Keep mine", id="mine", compact=True)
                yield Button("Keep theirs", id="theirs", compact=True)
                if c.both() is not None:
                    yield Button("Keep both", id="both", variant="primary", compact=True)
        yield KeyFooter()

    def save_typed_now(self) -> None:
        """The process is about to end (SIGHUP, SIGTERM) before a choice: both, or mine."""
        c = self.conflict
        app: Soc2App = self.app  # type: ignore[assignment]
        if c.assessment_field:
            app.store.update_assessment(c.assessment_id, by=app.respondent, **{c.assessment_field: c.closing_value()})
        else:
            app.store.set_answer(c.assessment_id, c.item_id, by=app.respondent, **{c.field: c.closing_value()})

    def on_mount(self) -> None:
        self.query_one("#both" if self.conflict.both() is not None else "#theirs", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        if choice == "both" and self.conflict.both() is None:
            self.notify("A date holds one value: keep mine (m) or theirs (t).", severity="warning")
            return
        self.dismiss(choice)
