"""Policy checklist: the written policies that apply, with status, owner, review date and approver.

Statuses are the shared ones in policy words: missing (not_started), draft (in_progress),
approved (implemented), current (operating: approved, published and reviewed within 12 months).
Keys (key_tables.POLICIES), in the table only: m/d/a/c/x set the status of the highlighted row
(o/i/w/n work too, as in the gap analysis); enter edits owner, approver, last review, document
location and notes in a dialog.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from soc2_tui import scoring
from soc2_tui.errors import UserError
from soc2_tui.labels import NOT_PROVIDED, provided, status_label, truncate
from soc2_tui.model import Answer, Assessment, Item
from soc2_tui.terminal import safe
from soc2_tui.tui import key_tables
from soc2_tui.tui.base import Soc2Screen
from soc2_tui.tui.dialogs import conflict
from soc2_tui.tui.dialogs.policy_edit import PolicyEditScreen
from soc2_tui.tui.keys import FocusKeys, bindings, widget_binding
from soc2_tui.tui.messages import Saved
from soc2_tui.tui.widgets.footer import KeyFooter
from soc2_tui.tui.widgets.item_text import describe_change
from soc2_tui.tui.widgets.marks import POLICY_HELP, mark, rich_style, status_content

COLUMNS = (("status", "Status", 12), ("policy", "Policy", 0), ("owner", "Owner", 12),
           ("reviewed", "Last reviewed", 13), ("approver", "Approver", 12))
EDIT_FIELDS = ("owner", "approver", "last_reviewed", "evidence", "notes")


class PolicyTable(DataTable):
    """The checklist table; enter (edit) is shown in the footer."""

    BINDINGS = [widget_binding(key_tables.POLICIES, "enter", "select_cursor")]


class PolicyScreen(FocusKeys, Soc2Screen):
    """The policy checklist of one assessment."""

    CSS_PATH = "policies.tcss"
    AUTO_FOCUS = "#pol-table"

    HELP_NAME = "Policy checklist"
    KEYS = key_tables.POLICIES  # the status letters act in the table only
    BINDINGS = bindings(KEYS)
    LIST = "#pol-table"

    def __init__(self, assessment_id: int, item_id: str | None = None) -> None:
        """The first policy, or `item_id` (a gap chosen on the dashboard)."""
        super().__init__()
        self.assessment_id = assessment_id
        self.opening = item_id
        self.assessment: Assessment | None = None
        self.answers: dict[str, Answer] = {}
        self.items: list[Item] = []
        self.result: scoring.Result | None = None
        self._width = 0
        self._variables: dict[str, str] = {}
        self._col = {k: w for k, _l, w in COLUMNS}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="pol-summary")
        table = PolicyTable(id="pol-table", cursor_type="row", zebra_stripes=True)
        yield table
        with VerticalScroll(id="pol-detail"):
            yield Static(id="pol-detail-text")
        yield KeyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.soc2.follow_saves(self, self._reload)
        self.watch(self.app, "theme", lambda: self._build_table() if self.items else None, init=False)
        if not self._load():
            return
        self.title = "Policy checklist"
        self.sub_title = self.assessment.name if self.assessment else ""
        self._build_table()
        if self.opening is not None:
            self.select_item(self.opening)

    # ------------------------------------------------------------------ data

    def _load(self) -> bool:
        app = self.soc2
        state = app.load_state(self.assessment_id, gone=self.app.pop_screen)
        if state is None:
            return False
        a, answers = state
        self.assessment = a
        self.answers = answers
        self.result = scoring.score(app.q, a, self.answers, today=app.today)
        scope = scoring.scope_values(app.q, a, self.answers)
        self.items = [i for s in app.q.sections_of("policy") for i in s.items
                      if scoring.applies(i, a.principles, scope)]
        return True

    @property
    def table(self) -> DataTable:
        return self.query_one("#pol-table", DataTable)

    def _widths(self) -> dict[str, int]:
        """Column widths for the screen width: the policy title takes the room, up to a point,
        then owner and approver grow."""
        widths = {k: w for k, _l, w in COLUMNS}
        room = self.size.width - sum(widths.values()) - 2 * len(COLUMNS) - 2
        widths["policy"] = max(16, room)
        if room > 56:
            extra = min((room - 56) // 2, 14)
            widths["owner"] += extra
            widths["approver"] += extra
            widths["policy"] = room - 2 * extra
        return widths

    def _cells(self, item: Item) -> dict[str, Any]:
        ans = self.answers.get(item.id)
        status = ans.status if ans else None
        variables = self._variables
        word = "N/A" if status == "not_applicable" else status_label(status, policy=True)
        status_cell = Text.assemble((mark(status), rich_style(status, variables)), " ", word)
        reviewed = Text(ans.last_reviewed or "—" if ans else "—")
        if scoring.policy_review_due(ans, self.soc2.today):
            reviewed.append(" !", style=f"bold {variables.get('text-warning', '')}")
        return {
            "status": status_cell,
            "policy": Text(truncate(f"{item.id} {item.title}", self._col["policy"])),
            "owner": Text(truncate(safe(ans.owner), self._col["owner"]) if ans and ans.owner else "—"),
            "reviewed": reviewed,
            "approver": Text(truncate(safe(ans.approver), self._col["approver"]) if ans and ans.approver else "—"),
        }

    def _build_table(self) -> None:
        self._variables = self.app.get_css_variables()
        table = self.table
        row = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        self._width = self.size.width
        self._col = self._widths()
        for key, title, _width in COLUMNS:
            table.add_column(title, key=key, width=self._col[key])
        for item in self.items:
            cells = self._cells(item)
            table.add_row(*(cells[k] for k, _t, _w in COLUMNS), key=item.id)
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))
        self._update_summary()
        self._show_detail()

    def _update_summary(self) -> None:
        counts: dict[str | None, int] = {}
        for item in self.items:
            ans = self.answers.get(item.id)
            counts[ans.status if ans else None] = counts.get(ans.status if ans else None, 0) + 1
        order = ("operating", "implemented", "in_progress", "not_started", "not_applicable", None)
        parts = [f"{counts[s]} {status_label(s, policy=True).lower()}" for s in order if counts.get(s)]
        today = self.soc2.today
        overdue = sum(1 for i in self.items if scoring.policy_review_due(self.answers.get(i.id), today))
        text = f"{len(self.items)} policies apply: " + ", ".join(parts)
        if overdue:
            text += f" · {overdue} {'needs' if overdue == 1 else 'need'} a review (!)"
        self.query_one("#pol-summary", Static).update(Content(text))

    def on_resize(self) -> None:
        if self.items and self.size.width != self._width:
            self._build_table()

    def current_item(self) -> Item | None:
        table = self.table
        if not self.items or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.soc2.q.items.get(key) if key else None

    def _show_detail(self) -> None:
        item = self.current_item()
        out = self.query_one("#pol-detail-text", Static)
        if item is None:
            out.update("")
            return
        ans = self.answers.get(item.id)
        status = ans.status if ans else None
        meaning = POLICY_HELP.get(status or "", "not answered yet")
        parts: list[Content] = [
            Content.assemble((f"{item.id}  {item.title}", "bold"), "  ", status_content(status, policy=True),
                             (f" ({meaning})", "$text-muted")),
        ]
        if scoring.policy_review_due(ans, self.soc2.today):
            when = f"last reviewed {ans.last_reviewed}" if ans and ans.last_reviewed else "no review date recorded"
            parts.append(Content.styled(f"! Review overdue ({when}): policies need a review at least every "
                                        "12 months. Press enter to record the latest review.", "$text-warning"))
        parts.append(Content.assemble(("Purpose: ", "bold"), provided(item.purpose)))
        parts.append(Content.assemble(("What it should contain\n", "bold"),
                                      Content("\n").join(Content(f" • {c}") for c in item.contents)
                                      or Content(f" {NOT_PROVIDED}")))
        if ans and ans.evidence:
            parts.append(Content.assemble(("Document: ", "bold"), safe(ans.evidence)))
        if ans and ans.notes:
            parts.append(Content.assemble(("Notes: ", "bold"), safe(ans.notes, multiline=True)))
        try:
            last = self.soc2.store.last_change(self.assessment_id, item.id)
        except UserError:
            last = None
        if last is not None:
            parts.append(Content.assemble(("Last change: ", "bold"),
                                          (describe_change(last, policy=True), "$text-muted")))
        out.update(Content("\n\n").join(parts))

    @on(DataTable.RowHighlighted, "#pol-table")
    def _highlighted(self) -> None:
        self._show_detail()
        self.query_one("#pol-detail", VerticalScroll).scroll_home(animate=False)

    @on(DataTable.RowSelected, "#pol-table")
    def _selected(self) -> None:
        self.action_edit()

    # ------------------------------------------------------------------ reacting to saves

    def _reload(self, _saved: Saved) -> None:
        if not self.is_attached or not self._load():
            return
        table = self.table
        keys = [r.value for r in table.rows]
        if keys != [i.id for i in self.items]:
            self._build_table()
            return
        for item in self.items:
            cells = self._cells(item)
            for key, _t, _w in COLUMNS:
                table.update_cell(item.id, key, cells[key])
        self._update_summary()
        self._show_detail()

    # ------------------------------------------------------------------ actions

    def select_item(self, item_id: str) -> None:
        """Move the cursor to one policy (the dashboard uses this for a gap chosen there)."""
        ids = [i.id for i in self.items]
        if item_id in ids:
            self.table.move_cursor(row=ids.index(item_id))
        else:
            self.notify(f"{item_id} does not apply to this assessment.", severity="warning")

    def action_status(self, status: str) -> None:
        item = self.current_item()
        if item is None:
            return
        ans = self.answers.get(item.id)
        if (ans.status if ans else None) != status:
            self.soc2.save_answer(self.assessment_id, item.id, status=status)

    def action_edit(self) -> None:
        item = self.current_item()
        if item is None:
            return
        start = self.answers.get(item.id) or Answer(item.id)
        self._editor = PolicyEditScreen(item, start, today=self.soc2.today)
        self.app.push_screen(self._editor, partial(self._edited, item.id, start))

    def save_typed_now(self) -> None:
        """The process is about to end (SIGHUP, SIGTERM) with the editor open: save its fields now,
        both values of any someone else saved meanwhile where they fit in one field."""
        editor = getattr(self, "_editor", None)
        if editor is None or not editor.is_attached:
            return
        app = self.soc2
        changes = editor.changes()
        fresh = app.store.answer(self.assessment_id, editor.item.id)
        ok, _untouched, clashes = conflict.split({k: getattr(editor.answer, k) for k in changes}, fresh, changes)
        for name in clashes:
            ok[name] = conflict.conflict_of(app, self.assessment_id, editor.item.id, name, changes[name],
                                            fresh).closing_value()
        if ok:
            app.store.set_answer(self.assessment_id, editor.item.id, by=app.respondent, **ok)

    def _edited(self, item_id: str, start: Answer, changes: dict[str, Any] | None) -> None:
        """Save the editor's changes, except a field someone else saved meanwhile: that one is
        asked about (keep mine, theirs or both; dialogs/conflict.py), never silently overwritten."""
        if not changes:
            return
        app = self.soc2
        fresh = app.call_store(app.store.answer, self.assessment_id, item_id)
        ok, _untouched, clashes = conflict.split({k: getattr(start, k) for k in changes}, fresh, changes)
        if ok:
            app.save_answer(self.assessment_id, item_id, **ok)
        for name in clashes:
            conflict.ask(app, conflict.conflict_of(app, self.assessment_id, item_id, name, changes[name], fresh))

    def action_to_list(self) -> None:
        self.table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()


__all__ = ["PolicyScreen"]
