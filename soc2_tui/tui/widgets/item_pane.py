"""The right-hand pane of the gap analysis: one control in full, and its answer fields.

Text fields are saved when they lose focus or on enter (a bad date shows a one-line error and
is not saved); the screen also flushes the pane before it moves to another item or closes, so
nothing typed is lost. Every save goes through `app.save_answer`, after `FieldGuard` checked that
nobody else saved the field meanwhile (else the user chooses: dialogs/conflict.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, Static, TextArea

from soc2_tui.errors import UserError
from soc2_tui.labels import NOT_PROVIDED, SEVERITY_LABELS, STATUS_KEYS, STATUS_LABELS, provided, status_label
from soc2_tui.model import PRINCIPLE_LABELS, Answer, Change, Item, Questionnaire, Section
from soc2_tui.scoring import Result
from soc2_tui.terminal import safe
from soc2_tui.tui.base import Soc2Access
from soc2_tui.tui.widgets.date_input import DateInput, FieldError, date_error, date_value
from soc2_tui.tui.widgets.field_guard import FieldGuard
from soc2_tui.tui.widgets.item_text import EFFORT_LABEL, FREQUENCY_LABEL, describe_change, points_text
from soc2_tui.tui.widgets.marks import FLAG_MARK, status_content, styled_mark
from soc2_tui.tui.widgets.tick import TickBox

TEXT_FIELDS = ("notes", "evidence", "owner", "due_date", "operating_since")
DATE_FIELDS = ("due_date", "operating_since")


def _shown(name: str, value: Any) -> Any:
    """A stored value as its field shows it: control characters visibly (`terminal.safe`), since
    Input and TextArea draw them as given. Saving an edited field saves what was shown."""
    return safe(value, multiline=name == "notes") if isinstance(value, str) else value


class ItemPane(FieldGuard, Soc2Access, VerticalScroll, can_focus=False):
    """Shows one item (or a section summary) and edits its answer.

    Only the answer fields take the focus (tab from the tree lands in Notes): the pane itself,
    the status buttons and the auto-advance box are for the mouse; their keys act in the tree."""

    class StatusChosen(Message):
        def __init__(self, status: str) -> None:
            super().__init__()
            self.status = status

    class FlagToggled(Message):
        pass

    class AdvanceToggled(Message):
        def __init__(self, value: bool) -> None:
            super().__init__()
            self.value = value

    def __init__(self, assessment_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.assessment_id = assessment_id
        self.item: Item | None = None
        self.answer: Answer = Answer("")
        self._sent: dict[str, Any] = {}  # values sent to the store, not yet seen back
        self._filled: dict[str, str] = {}  # what each field was last filled with

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="ip-title", markup=False)
        yield Static(id="ip-meta")
        yield Static(id="ip-answer")
        yield Static(id="ip-question", markup=False)
        with Vertical(id="ip-answer-box"):
            with Grid(id="ip-buttons"):
                for status, key in STATUS_KEYS.items():
                    button = Button(self._button_label(status, key), id=f"status-{status}", compact=True)
                    button.can_focus = False
                    yield button
            advance = TickBox("Auto-advance after answering (a)", True, id="ip-advance", compact=True)
            advance.can_focus = False
            yield advance
            yield Static(id="ip-warning")
        yield Static(id="ip-guidance")
        yield Static(id="ip-evidence")
        yield Static(id="ip-criteria")
        yield Static(id="ip-points")
        yield Static(id="ip-last")
        with Vertical(id="ip-fields"):
            yield Label("Notes", classes="field-label")
            yield TextArea(id="f-notes", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
            yield Label("Evidence reference (a link or where it is kept)", classes="field-label")
            yield Input(id="f-evidence", placeholder="e.g. https://wiki/…/access-review-Q3")
            yield Label("Owner", classes="field-label")
            yield Input(id="f-owner", placeholder="who is responsible")
            with Horizontal(id="ip-dates"):
                with Vertical(classes="date-field"):
                    yield Label("Due date", classes="field-label")
                    yield DateInput(id="f-due_date")
                with Vertical(classes="date-field"):
                    yield Label("Operating since", classes="field-label")
                    yield DateInput(id="f-operating_since")
            yield FieldError(id="err-due_date")
            yield FieldError(id="err-operating_since")
            yield TickBox(f"{FLAG_MARK} Flagged for follow-up (f)", id="f-flagged", compact=True)

    @staticmethod
    def _button_label(status: str, key: str) -> Content:
        name = "N/A" if status == "not_applicable" else STATUS_LABELS[status]
        return Content.assemble(styled_mark(status), f" {name} ", (f"({key})", "dim"))

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        grid = self.query_one("#ip-buttons", Grid)
        grid.styles.grid_size_columns = max(1, min(5, (width + 1) // 20))

    # ------------------------------------------------------------------ showing

    def show_section(self, section: Section, answered: int, applicable: int, gaps: int) -> None:
        self.flush()
        self.item = None
        self.answer = Answer("")
        self._sent = {}
        self.set_class(True, "-section")
        self._set("#ip-title", f"{section.id} {section.title}")
        self._set("#ip-meta",
            Content(f"{answered} of {applicable} answered · {gaps} below target"))
        self._set("#ip-answer", "")
        self._set("#ip-question", section.intro or "")
        for sid in ("#ip-guidance", "#ip-evidence", "#ip-criteria", "#ip-points", "#ip-last"):
            self._set(sid, "")
        self._set("#ip-guidance",
            Content.from_markup("[dim]Press [b]enter[/b] or [b]space[/b] to open or close the section; "
                                "move down to its items.[/]"))
        self.scroll_home(animate=False)

    def show_message(self, title: str, text: str) -> None:
        """No item to show (an empty filter): a title and a hint."""
        self.flush()
        self.item = None
        self.answer = Answer("")
        self._sent = {}
        self.set_class(True, "-section")
        self._set("#ip-title", title)
        for sid in ("#ip-meta", "#ip-answer", "#ip-guidance", "#ip-evidence", "#ip-criteria",
                    "#ip-points", "#ip-last"):
            self._set(sid, "")
        self._set("#ip-question", text)

    def show_item(self, q: Questionnaire, item: Item, answer: Answer | None, result: Result,
                  last: Change | None) -> None:
        """Show an item; when it is already shown, refresh it without touching a focused field."""
        same = self.item is not None and self.item.id == item.id
        self.set_class(False, "-section")
        self.item = item
        answer = answer or Answer(item.id)
        self.answer = answer
        if not same:
            self._sent = {}
        else:
            self._sent = {k: v for k, v in self._sent.items() if getattr(answer, k) != v}
        self._show_heading(item, answer)
        self._show_reference(q, item, answer, result, last)
        self._fill_fields(answer, keep_edits=same)
        if not same:
            self.scroll_home(animate=False)

    def _show_heading(self, item: Item, answer: Answer) -> None:
        """Title, severity and the like, the answer, the question and the status buttons."""
        self._set("#ip-title", f"{item.id}  {item.title}")
        meta = [SEVERITY_LABELS.get(item.severity, item.severity) + " severity",
                EFFORT_LABEL.get(item.effort, item.effort) or f"effort {NOT_PROVIDED}"]
        if item.frequency:
            meta.append(FREQUENCY_LABEL.get(item.frequency, item.frequency))
        meta.append(", ".join(PRINCIPLE_LABELS[p] for p in item.principles))
        sev_style = "bold $text-error" if item.severity == "critical" else "bold"
        self._set("#ip-meta", Content.assemble(
            (meta[0], sev_style), (" · " + " · ".join(meta[1:]), "$text-muted")))

        line = Content.assemble(("Answer: ", "bold"), status_content(answer.status))
        if answer.status and answer.answered_by:
            line = line + Content.styled(f" · answered by {safe(answer.answered_by)}", "$text-muted")
        if answer.flagged:
            line = line + Content.styled(f"  {FLAG_MARK} flagged for follow-up", "$text-warning")
        self._set("#ip-answer", line)
        self._set("#ip-question", item.question)

        for status in STATUS_KEYS:
            btn = self.query_one(f"#status-{status}", Button)
            btn.set_class(answer.status == status, "-current")
            btn.variant = "primary" if answer.status == status else "default"

        warning = ""
        if answer.status == "not_applicable" and not answer.notes.strip():
            warning = "Add a note saying why this does not apply: an auditor will ask."
        self._set("#ip-warning", Content.styled(warning, "$text-warning"))

    def _show_reference(self, q: Questionnaire, item: Item, answer: Answer, result: Result,
                        last: Change | None) -> None:
        """Why it matters, typical evidence, criteria, points if closed, the last change."""
        self._set("#ip-guidance",
            Content.assemble(("Why it matters\n", "bold"), provided(item.guidance)))
        evidence = Content("\n").join(Content(f" • {e}") for e in item.evidence) or Content(f" {NOT_PROVIDED}")
        self._set("#ip-evidence",
            Content.assemble(("Typical evidence\n", "bold"), evidence))
        crit = Content("\n").join(
            Content.assemble((f" {cid}", "bold"), f" {q.criteria[cid].title}")
            for cid in item.criteria if cid in q.criteria)
        self._set("#ip-criteria", Content.assemble(("Criteria\n", "bold"), crit))
        pts = points_text(item, answer, result)
        self._set("#ip-points",
            Content.assemble(("Points if closed: ", "bold"), pts) if pts else Content(""))
        last_text = describe_change(last) if last else "Not answered yet."
        found = self.soc2.call_store(self.soc2.store.disagreement, self.assessment_id, item.id)
        said = "; ".join(f"{p.respondent or 'someone'}: {status_label(p.value) if found.field == 'status' else p.value}"
                         f" ({p.at[:16].replace('T', ' ')})" for p in found.positions) if found else ""
        self._set("#ip-last", Content.assemble(("Last change: ", "bold"), (last_text, "$text-muted"), *(
            (("\nAnswered differently: ", "bold"), (safe(said), "$text-warning")) if said else ())))

    def _fill_fields(self, answer: Answer, keep_edits: bool) -> None:
        """Put the answer in the fields; with keep_edits, not in the focused field, one whose
        typed value is still on its way to the store, or one typed into since it was filled (keys
        typed ahead reach a field before it saves on losing the focus)."""
        focused = self.screen.focused
        for name in TEXT_FIELDS:
            stored = getattr(answer, name)
            value = _shown(name, stored or "")
            widget = self._field(name)
            typed = self._text(name) not in (self._filled.get(name), value)
            if keep_edits and (widget is focused or name in self._sent or typed):
                continue
            self._filled[name] = value
            self.started_from(name, stored)  # what saving it later checks against (FieldGuard)
            if isinstance(widget, TextArea):
                if widget.text != value:
                    widget.load_text(value)
            elif widget.value != value:
                widget.value = value
            if name in DATE_FIELDS:
                self.query_one(f"#err-{name}", FieldError).show(None)
        flag = self.query_one("#f-flagged", Checkbox)
        with flag.prevent(Checkbox.Changed):
            flag.value = answer.flagged

    def _set(self, selector: str, content: Any) -> None:
        """Update a Static only when what it shows changes.

        Static.update always re-lays out the screen; after a save the pane is refreshed with the
        same content, and those needless reflows were most of the time a status key took.
        """
        key = (content.plain, tuple(content.spans)) if isinstance(content, Content) else str(content)
        shown = self.__dict__.setdefault("_shown_content", {})
        if shown.get(selector) == key:
            return
        shown[selector] = key
        self.query_one(selector, Static).update(content)

    def set_advance(self, value: bool) -> None:
        box = self.query_one("#ip-advance", Checkbox)
        with box.prevent(Checkbox.Changed):
            box.value = value

    # ------------------------------------------------------------------ saving

    def on_mount(self) -> None:
        # Kept as references: the last-chance save on exit runs after the widgets are unmounted.
        notes = self.query_one("#f-notes", TextArea)
        self._fields: dict[str, Input | TextArea] = {
            name: notes if name == "notes" else self.query_one(f"#f-{name}", Input) for name in TEXT_FIELDS}

    def _field(self, name: str) -> Input | TextArea:
        return self._fields[name]

    def _text(self, name: str) -> str:
        """What the field `name` holds, as typed."""
        widget = self._field(name)
        return widget.text if isinstance(widget, TextArea) else widget.value

    def _widget_value(self, name: str) -> str | None:
        text = self._text(name)
        if name == "notes":
            return text.rstrip()
        if name in DATE_FIELDS:
            return date_value(text)
        return text.strip()

    def _stored(self, name: str) -> Any:
        if name in self._sent:
            return self._sent[name]
        value = getattr(self.answer, name)
        return value if value is not None or name in DATE_FIELDS else ""

    def pending_changes(self, only: str | None = None, show_errors: bool = True) -> dict[str, Any]:
        """Fields whose text differs from what is stored (bad dates are left out)."""
        if self.item is None:
            return {}
        changes: dict[str, Any] = {}
        for name in (only,) if only else TEXT_FIELDS:
            value = self._widget_value(name)
            if name in DATE_FIELDS:
                err = date_error(self._text(name))
                if show_errors:
                    self.query_one(f"#err-{name}", FieldError).show(
                        f"{'Due date' if name == 'due_date' else 'Operating since'}: {err} Not saved."
                        if err else None)
                if err:
                    continue
            stored = self._stored(name)
            if value != stored and value != _shown(name, stored):  # an untouched field is not a change
                changes[name] = value
        return changes

    def flush(self, only: str | None = None, show_errors: bool = True) -> None:
        """Save what was typed (through app.save_answer)."""
        if self.__dict__.get("_written_at_exit"):
            return  # the app is closing and flush_now wrote it: a blur while closing must not save again
        changes = self.pending_changes(only, show_errors)
        if changes and self.item is not None:
            changes = self._guard(changes)  # someone else saved a field meanwhile: ask, do not overwrite
        if changes and self.item is not None:
            self._sent.update(changes)
            self.soc2.save_answer(self.assessment_id, self.item.id, **changes)

    def flush_now(self) -> None:
        """Last-chance save while the app closes: straight to the store, on this thread."""
        if self.__dict__.get("_written_at_exit"):
            return  # written once already (a hang-up, then the unmount that follows it)
        changes = self.pending_changes(show_errors=False)
        if not changes or self.item is None:
            return
        self.__dict__["_written_at_exit"] = True
        changes = self._guard(changes, closing=True)  # no one to ask: both texts, or mine
        try:
            self.soc2.store.set_answer(self.assessment_id, self.item.id,
                                      by=self.soc2.respondent, **changes)
        except UserError:
            pass

    def remember_sent(self, **fields: Any) -> None:
        self._sent.update(fields)

    def sent_values(self) -> Mapping[str, Any]:
        """Values sent to the store for the shown item and not yet seen back, by field."""
        return MappingProxyType(self._sent)

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _input_done(self, event: Input.Submitted | Input.Blurred) -> None:
        wid = event.input.id or ""
        if wid.startswith("f-"):
            event.stop()
            self.flush(wid[2:])

    def on_descendant_focus(self, event) -> None:  # noqa: ANN001
        """Into Notes from the keyboard: the cursor at the end, to add to what is there."""
        widget = event.widget
        if isinstance(widget, TextArea) and widget.id == "f-notes" and widget.cursor_location == (0, 0):
            widget.move_cursor(widget.document.end)

    def on_descendant_blur(self, event) -> None:  # noqa: ANN001
        if isinstance(event.widget, TextArea) and event.widget.id == "f-notes":
            self.flush("notes")

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        wid = event.input.id or ""
        if wid.startswith("f-") and wid[2:] in DATE_FIELDS and not date_error(event.value):
            self.query_one(f"#err-{wid[2:]}", FieldError).show(None)

    @on(Button.Pressed)
    def _status_button(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        if bid.startswith("status-"):
            event.stop()
            self.post_message(self.StatusChosen(bid[len("status-"):]))

    @on(Checkbox.Changed, "#f-flagged")
    def _flag_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if self.item is not None and event.value != self._stored("flagged"):
            self.post_message(self.FlagToggled())

    @on(Checkbox.Changed, "#ip-advance")
    def _advance_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.post_message(self.AdvanceToggled(event.value))


__all__ = ["ItemPane"]
