"""Scope definition: the scope questions as a form, section by section.

Items with `field:` change the assessment itself (principles, report type, audit period) through
app.update_assessment; the others are saved as answer values through app.save_answer. Ticks and
choices save at once; typed text saves when the field loses focus or on enter. Questions with a
condition appear and disappear as the answers change, and after every change the screen says
how many controls and policies started or stopped applying.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Checkbox, Header, Input, Label, Select, SelectionList, Static, TextArea

from soc2_tui import scoring
from soc2_tui.errors import UserError
from soc2_tui.labels import provided
from soc2_tui.model import Answer, Assessment, Condition, Item
from soc2_tui.tui import key_tables
from soc2_tui.tui.base import Soc2Screen
from soc2_tui.tui.dialogs import conflict
from soc2_tui.tui.keys import bindings
from soc2_tui.tui.messages import Saved
from soc2_tui.tui.widgets.date_input import FieldError
from soc2_tui.tui.widgets.footer import KeyFooter
from soc2_tui.tui.widgets.scope_field import make_widget, read_widget, show_value, untouched, widget_id
from soc2_tui.tui.widgets.scope_guard import ASK, REFILL, SAVE, ScopeGuard, same


def scope_change_message(before: set[str], after: set[str]) -> str | None:
    """"Scope changed: +12 items now apply, −3 no longer apply" (None when nothing changed)."""
    added, removed = len(after - before), len(before - after)
    if not added and not removed:
        return None
    parts = []
    if added:
        parts.append(f"+{added} {'item now applies' if added == 1 else 'items now apply'}")
    if removed:
        parts.append(f"−{removed} no longer {'applies' if removed == 1 else 'apply'}")
    return "Scope changed: " + ", ".join(parts)


_same = same


class ScopeScreen(ScopeGuard, Soc2Screen):
    """The scope form of one assessment."""

    CSS_PATH = "scope.tcss"
    AUTO_FOCUS = "#sc-principles"

    KEYS = key_tables.SCOPE
    BINDINGS = bindings(KEYS)

    def __init__(self, assessment_id: int) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.assessment: Assessment | None = None
        self.answers: dict[str, Answer] = {}
        self.items: list[Item] = []
        self._widgets: dict[str, Widget] = {}
        self._item_ids: dict[DOMNode, str] = {}  # each input and its box → the item's id
        self._boxes: dict[str, Vertical] = {}
        self._errors: dict[str, FieldError] = {}
        self._sent: dict[str, Any] = {}  # values sent to the store, not yet seen back
        self._applicable: set[str] = set()

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        app = self.soc2
        self._load()
        self.items = list(app.q.scope_items)
        yield Header()
        with Horizontal(id="scope-body"):
            with VerticalScroll(id="scope-form", can_focus=False):
                yield Static(id="scope-summary")
                for section in app.q.sections_of("scope"):
                    yield Static(section.title, classes="scope-section-title", markup=False)
                    if section.intro:
                        yield Static(section.intro, classes="scope-section-intro", markup=False)
                    for item in section.items:
                        yield self._field_box(item)
            with VerticalScroll(id="scope-help"):
                yield Static(id="scope-help-text")
        yield KeyFooter()

    def _field_box(self, item: Item) -> Vertical:
        widget = make_widget(item, self.stored_value(item))
        widget.id = widget_id(item.id)
        self.began(item, self.stored_value(item))
        question = Static(item.question, classes="scope-question", markup=False)
        if item.type == "bool":
            children: list[Widget] = [widget, question]  # the tick box carries the title
        else:
            children = [Label(item.title, classes="scope-title", markup=False), question, widget]
        error = FieldError()
        children.append(error)
        box = Vertical(*children, classes="scope-field")
        self._item_ids[widget] = self._item_ids[box] = item.id
        self._widgets[item.id] = widget
        self._boxes[item.id] = box
        self._errors[item.id] = error
        box.display = self._shown(item)
        return box

    def on_mount(self) -> None:
        self.soc2.follow_saves(self, self._reload)
        if self.assessment is None:
            self.app.pop_screen()
            return
        self.title = "Scope"
        self.sub_title = self.assessment.name
        self._applicable = self._applicable_ids()
        self._update_summary()
        self._show_help(self._item_of(self.focused))
        self.call_after_refresh(self.query_one("#scope-form").scroll_home, animate=False)

    # ------------------------------------------------------------------ data

    def _load(self) -> bool:
        app = self.soc2
        state = app.load_state(self.assessment_id)
        if state is None:
            return False
        a, answers = state
        self.assessment = a
        self.answers = answers
        return True

    def stored_value(self, item: Item) -> Any:
        if item.assessment_field:
            value = self.assessment.scope_fields.get(item.assessment_field) if self.assessment else None
            return list(value) if isinstance(value, tuple) else value
        ans = self.answers.get(item.id)
        return ans.value if ans else None

    def _scope(self) -> dict[str, Any]:
        return scoring.scope_values(self.soc2.q, self.assessment, self.answers) if self.assessment else {}

    def _shown(self, item: Item) -> bool:
        return item.condition is None or item.condition.holds(self._scope())

    def _applicable_ids(self) -> set[str]:
        app = self.soc2
        if self.assessment is None:
            return set()
        return {i.id for i in scoring.applicable_items(app.q, self.assessment, self.answers)}

    def _update_summary(self) -> None:
        app = self.soc2
        items = [app.q.items[i] for i in self._applicable]
        controls = sum(1 for i in items if i.kind == "control")
        policies = sum(1 for i in items if i.kind == "policy")
        self.query_one("#scope-summary", Static).update(Content.assemble(
            "With these answers ", (f"{controls} controls", "bold"), " and ",
            (f"{policies} policies", "bold"), " apply. Every answer is saved as you give it."))

    # ------------------------------------------------------------------ saving

    def widget_value(self, item: Item) -> tuple[Any, str | None]:
        """(value to store, error message) for the item's widget."""
        return read_widget(item, self._widgets[item.id])

    def _expected(self, item: Item) -> Any:
        return self._sent[item.id] if item.id in self._sent else self.stored_value(item)

    def _unchanged(self, item: Item, value: Any) -> bool:
        """The field holds what is stored, or still shows it as it was drawn (`untouched`)."""
        expected = self._expected(item)
        return _same(value, expected) or _same(value, untouched(item, expected))

    def save_item(self, item_id: str, show_errors: bool = True) -> None:
        app = self.soc2
        item = app.q.items[item_id]
        value, error = self.widget_value(item)
        if show_errors:
            self._errors[item_id].show(error)
        if error or item_id in self.asking():
            return
        if not isinstance(self._widgets[item_id], (Input, TextArea)):  # a tick or a choice: the last one wins
            if not self._unchanged(item, value):
                self._send(item, value)
            return
        action, what = self.check(item, value)  # typed text: never over someone else's save
        if action == REFILL:
            show_value(item, self._widgets[item_id], what)
            self.began(item, what)
        elif action == ASK:
            self.asking().add(item_id)
            conflict.ask(app, what, partial(self._resolved, item))
        elif action == SAVE and not self._unchanged(item, what):
            self._send(item, what)

    def _send(self, item: Item, value: Any) -> None:
        self._sent[item.id] = value
        self.began(item, value)
        if item.assessment_field:
            self.soc2.update_assessment(self.assessment_id, **{item.assessment_field: value})
        else:
            self.soc2.save_answer(self.assessment_id, item.id, value=value)

    def _resolved(self, item: Item, value: Any) -> None:
        """The choice is made (and saved, unless theirs): the field shows the value kept."""
        self.asking().discard(item.id)
        self.began(item, value)
        if self.is_attached:
            show_value(item, self._widgets[item.id], value)

    def _item_of(self, widget: DOMNode | None) -> str | None:
        """The item whose field holds `widget` (a part of a Select, say), or None."""
        while widget is not None:
            iid = self._item_ids.get(widget)
            if iid:
                return iid
            widget = widget.parent
        return None

    @on(Checkbox.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _picked(self, event: Checkbox.Changed | Select.Changed | SelectionList.SelectedChanged) -> None:
        iid = self._item_of(event.control)
        if iid:
            self.save_item(iid)

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _typed(self, event: Input.Submitted | Input.Blurred) -> None:
        iid = self._item_of(event.input)
        if iid:
            self.save_item(iid)

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        iid = self._item_of(event.input)
        if iid and self._errors[iid].has_class("-shown"):
            _value, error = self.widget_value(self.soc2.q.items[iid])
            if error is None:
                self._errors[iid].show(None)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, TextArea):
            iid = self._item_of(event.widget)
            if iid:
                self.save_item(iid)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_help(self._item_of(event.widget))

    def flush(self) -> None:
        for iid in self._widgets:
            if isinstance(self._widgets[iid], (Input, TextArea)):
                self.save_item(iid, show_errors=False)

    def on_screen_suspend(self) -> None:
        self.flush()

    def save_typed_now(self) -> None:
        """The process is about to end (SIGHUP, SIGTERM): what is typed goes to the store now."""
        self.on_unmount()

    def on_unmount(self) -> None:
        """Last-chance save of typed text while the app closes: straight to the store."""
        app = self.soc2
        for iid, w in self._widgets.items():
            if not isinstance(w, (Input, TextArea)):
                continue
            item = app.q.items[iid]
            value, error = self.widget_value(item)
            if error:
                continue
            action, value = self.check(item, value, closing=True)
            if action != SAVE or self._unchanged(item, value):
                continue
            try:
                if item.assessment_field:
                    app.store.update_assessment(self.assessment_id, by=app.respondent, **{item.assessment_field: value})
                else:
                    app.store.set_answer(self.assessment_id, iid, by=app.respondent, value=value)
            except UserError:
                continue
            self.began(item, value)  # saved: a later pass (quit, then a blur, then unmount) sees no change
            show_value(item, w, value)

    # ------------------------------------------------------------------ help

    def _condition_text(self, cond: Condition) -> str:
        target = self.soc2.q.items.get(cond.scope) if cond.scope else None
        if cond.op in ("all", "any", "not") or target is None:
            return "Asked because of your other answers."
        if cond.op == "equals" and isinstance(cond.value, bool):
            return f"Asked because you answered {'yes' if cond.value else 'no'} to “{target.title}”."
        if cond.op == "equals":
            return f"Asked because “{target.title}” is {target.option_label(cond.value)}."
        if cond.op == "contains":
            return f"Asked because “{target.title}” includes {target.option_label(cond.value)}."
        return f"Asked because of your answer to “{target.title}”."

    def _show_help(self, item_id: str | None) -> None:
        app = self.soc2
        out = self.query_one("#scope-help-text", Static)
        if item_id is None:
            out.update(Content.assemble(
                ("About the scope\n\n", "bold"),
                "Scope says what the SOC 2 report will cover. Security is always in; each extra "
                "principle adds controls and policies. Yes/no questions and conditions decide which "
                "further questions and controls apply.\n\n",
                ("Tab", "bold"), " moves to the next field; ", ("space", "bold"), " ticks a box; ",
                ("enter", "bold"), " opens a list. Typed answers are saved when you leave the field."))
            return
        item = app.q.items[item_id]
        parts = [Content.styled(item.title, "bold"), Content(item.question), Content(provided(item.guidance))]
        if item.type == "list":
            parts.append(Content.styled("Separate entries with a semicolon (;).", "$text-muted"))
        if item.type == "date":
            parts.append(Content.styled("Write the date as YYYY-MM-DD.", "$text-muted"))
        if item.condition is not None:
            parts.append(Content.styled(self._condition_text(item.condition), "$text-muted"))
        if item.assessment_field == "principles":
            parts.append(Content.styled("Security cannot be removed: it is part of every SOC 2 report.",
                                        "$text-muted"))
        out.update(Content("\n\n").join(parts))

    # ------------------------------------------------------------------ reacting to saves

    def _reload(self, _saved: Saved) -> None:
        if not self.is_attached or not self._load():
            return
        focused = self.focused
        for item in self.items:
            stored = self.stored_value(item)
            if item.id in self._sent and _same(self._sent[item.id], stored):
                del self._sent[item.id]
            w = self._widgets[item.id]
            if item.id not in self._sent and w is not focused and item.id not in self.asking():
                value, _err = self.widget_value(item)
                # Typed here and its save on the way (focus just left it): not replaced.
                if not (isinstance(w, (Input, TextArea)) and self.edited(item, value)):
                    if not _same(value, stored):
                        show_value(item, w, stored)
                    self.began(item, stored)
            self._boxes[item.id].display = self._shown(item)
        after = self._applicable_ids()
        message = scope_change_message(self._applicable, after)
        self._applicable = after
        if message:
            self.notify(message, title="Scope", timeout=6)
        self._update_summary()

    def action_back(self) -> None:
        self.flush()
        self.app.pop_screen()

    def action_next(self) -> None:
        self.focus_next()

    def action_previous(self) -> None:
        self.focus_previous()


__all__ = ["ScopeScreen", "scope_change_message"]
