"""Home: the assessments in the file; new, open, duplicate, rename, delete; first-run offer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, DataTable, Header, Static

from soc2_tui.errors import UserError
from soc2_tui.labels import band_label, fmt_pct, fmt_score, report_type_label, truncate
from soc2_tui.model import PRINCIPLE_LABELS
from soc2_tui.summary import assessment_rows
from soc2_tui.terminal import safe
from soc2_tui.tui import key_tables
from soc2_tui.tui.base import Soc2Screen
from soc2_tui.tui.keys import bindings, widget_binding
from soc2_tui.tui.messages import Saved
from soc2_tui.tui.widgets.footer import KeyFooter


def local_date(stamp: str) -> str:
    """An ISO UTC timestamp from the store as a local date (YYYY-MM-DD)."""
    if not stamp:
        return "–"
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().date().isoformat()
    except ValueError:
        return stamp[:10]


class AssessmentTable(DataTable):
    """The assessments, one row each; enter opens the highlighted one."""

    BINDINGS = [widget_binding(key_tables.ASSESSMENTS, "enter", "select_cursor")]


class Welcome(Center):
    """Shown instead of the list when the file holds no assessment yet (mounted only then:
    its widgets would cost every start-up time for a panel most starts never show)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome"):
            yield Static("Welcome to soc2-tui", id="welcome-title")
            yield Static(
                "It measures how ready your company is for a SOC 2 audit and tells you what to "
                "fix first. There are no assessments in this file yet.", id="welcome-text")
            with Horizontal(id="welcome-buttons"):
                yield Button("Create an assessment  n", id="welcome-new", variant="primary")
                yield Button("Load the demo  d", id="welcome-demo")
            yield Static("The demo is a fictional SaaS company, half-way to its first audit: "
                         "a quick way to see every screen.", classes="hint", id="welcome-hint")

    def on_mount(self) -> None:
        if self.display:
            self.query_one("#welcome-new", Button).focus()


class AssessmentsScreen(Soc2Screen):
    """The app's base screen. Its styles (home.tcss) are loaded by the app (Soc2App.CSS_PATH)."""

    HELP_NAME = "Assessments"
    KEYS = key_tables.ASSESSMENTS
    BINDINGS = bindings(KEYS)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self._told: set[tuple[int, str]] = set()  # the banks that did not load, said once each
        self._shown_layout: tuple[int, int, int] = (0, 0, 0)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="list"):
            yield Static("", id="list-title", markup=False)
            yield AssessmentTable(id="assessments", cursor_type="row", zebra_stripes=True)
            yield Static("", id="details", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = self.app.TITLE
        self.sub_title = self.soc2.file_label
        self.soc2.follow_saves(self, self._on_revision)

    def on_screen_resume(self) -> None:
        # Every return to this screen re-reads the file (another screen or another terminal may
        # have changed it); saves made while it is hidden are picked up then.
        self.reload()

    def _on_revision(self, _saved: Saved) -> None:
        # Only when on top (is_current is also true right under another screen); returning here
        # re-reads anyway (on_screen_resume). Re-scoring every assessment per answer given on
        # another screen cost ~15 ms a key press on a 2,000-item bank.
        if self.app.screen is self:
            self.reload()

    # ------------------------------------------------------------------ data

    def reload(self, select_id: int | None = None) -> None:
        if select_id is None:
            select_id = self._cursor_id()
        rows = self.soc2.call_store(assessment_rows, self.soc2.banks_of, self.soc2.store)
        self.rows = rows if rows is not None else []
        self._render_table(select_id)
        for r in self.rows:
            if r["bank_error"] and (r["id"], r["bank_error"]) not in self._told:
                self._told.add((r["id"], r["bank_error"]))
                self.notify(safe(f"The question banks of {r['name']!r} cannot be loaded: {r['bank_error']}"),
                            severity="warning", timeout=12, markup=False)

    def _cursor_id(self) -> int | None:
        """The id of the assessment under the cursor, to keep it selected across redraws."""
        table = self.query_one(AssessmentTable)
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            return int(key) if key is not None else None
        except Exception:  # noqa: BLE001 - no valid cursor yet
            return None

    def _render_table(self, select_id: int | None = None) -> None:
        """Lay out the rows already read for the current width (no re-reading, no re-scoring)."""
        table = self.query_one(AssessmentTable)
        table.clear(columns=True)
        layout = self._shown_layout = self._layout()
        name_width, org_width, principles_width = layout
        table.add_column("Name", key="name")
        if org_width:
            table.add_column("Organisation", key="organisation")
        if principles_width:
            table.add_column("Principles", key="principles")
        for key, label in (("type", "Type"), ("score", "Score"), ("band", "Band"),
                           ("answered", "Answered"), ("updated", "Updated")):
            table.add_column(label, key=key)
        for r in self.rows:
            # Text, not str: a DataTable reads a str as markup, and a name may hold "[".
            # safe: typed text shows its control characters, never sends them (terminal.py).
            mark = "⚠ " if r["bank_error"] else ""  # its banks did not load: no score, the details say why
            cells: list[Any] = [Text(mark + truncate(safe(r["name"]), name_width - len(mark), strip=False))]
            if org_width:
                cells.append(Text(truncate(safe(r["organisation"]) or "–", org_width, strip=False)))
            if principles_width:
                cells.append(Text(truncate(", ".join(PRINCIPLE_LABELS[p] for p in r["principles"]),
                                       principles_width, strip=False)))
            cells += [Text(report_type_label(r["report_type"])), Text(fmt_score(r["score"]), justify="right"),
                      Text(band_label(r["band"])), Text("–" if r["applicable"] is None else
                                                        f"{r['answered']}/{r['applicable']}", justify="right"),
                      Text(local_date(r["updated_at"]))]
            table.add_row(*cells, key=str(r["id"]))
        empty = not self.rows
        self.query_one("#list").display = not empty
        # One question at a time: the welcome waits until "Who is answering?" is answered.
        greet = empty and not self.soc2.asking_respondent
        welcome = self.query("#empty")
        if welcome:
            welcome.first().display = greet
        elif greet:
            self.mount(Welcome(id="empty"), before=self.query_one(KeyFooter))
        self.query_one("#list-title", Static).update(
            f"{len(self.rows)} assessment{'s' if len(self.rows) != 1 else ''} in {self.soc2.file_label}")
        if greet:
            for button in self.query("#welcome-new"):  # a new panel focuses it once mounted
                button.focus()
        elif not empty:
            index = next((i for i, r in enumerate(self.rows) if r["id"] == select_id), 0)
            table.move_cursor(row=index)
            table.focus()
        self._show_details()
        self.refresh_bindings()

    def _layout(self) -> tuple[int, int, int]:
        """Widths of the name, organisation and principles columns (0: not shown).

        The other columns are fixed (type 7, score 5, band 12, answered 8, updated 10); each
        column has 2 cells of padding; the border and the scrollbar take 4 more. Organisation
        shows from 110 columns, principles from 140.
        """
        free = self.app.size.width - 2 - (7 + 5 + 12 + 8 + 10) - 2 * 5 - 4
        org = principles = 0
        if self.app.size.width >= 140:
            principles = min(70, max(40, (free - 2) // 2))  # 70 fits all five principles
            free -= principles + 2
        if self.app.size.width >= 110:
            org = min(30, (free - 2) // 2)
            free -= org + 2
        return max(12, free - 2), org, principles

    def on_resize(self) -> None:
        if self.rows and self._layout() != self._shown_layout:
            self._render_table(self._cursor_id())

    def selected(self) -> dict[str, Any] | None:
        table = self.query_one(AssessmentTable)
        if not self.rows or table.cursor_row is None or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _show_details(self) -> None:
        r = self.selected()
        details = self.query_one("#details", Static)
        if r is None:
            details.update("")
            return
        if r["bank_error"]:
            details.update(Text(f"⚠ {safe(r['name'])}: its question banks cannot be loaded, so it has no score "
                                f"and does not open: {safe(r['bank_error'])}", style="bold"))
            return
        parts = [safe(r["organisation"]) or "no organisation given",
                 ", ".join(PRINCIPLE_LABELS[p] for p in r["principles"])]
        if r["period_start"]:
            period = f"period from {r['period_start']}"
            if r["period_months"]:
                period += f", {r['period_months']} months"
            parts.append(period)
        parts.append(f"coverage {fmt_pct(r['coverage'])}")
        crit = r["critical_gaps"]
        parts.append(f"{crit} critical gap{'s' if crit != 1 else ''}")
        details.update(Text(f"{safe(r['name'])}: " + " · ".join(parts)))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_details()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:  # every row has its assessment's id as key
            self.soc2.open_assessment(int(event.row_key.value))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("duplicate", "rename", "delete"):
            return True if self.rows else False  # hidden on an empty file
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "welcome-new":
            self.action_new()
        elif event.button.id == "welcome-demo":
            self.action_demo()

    # ------------------------------------------------------------------ actions

    def action_new(self) -> None:
        from soc2_tui.tui.dialogs.new_assessment import NewAssessmentScreen

        def created(assessment_id: int | None) -> None:
            if assessment_id is not None:
                self.reload(select_id=assessment_id)
                self.soc2.open_assessment(assessment_id)

        self.app.push_screen(NewAssessmentScreen(), created)

    def action_demo(self) -> None:
        from soc2_tui import demo

        store, q = self.soc2.store, self.soc2.given_q
        spec = self.soc2.call_store(demo.load_demo, demo.demo_path(), q)
        if spec is None:
            return
        existing = store.find(spec["assessment"]["name"])
        if existing is not None:
            self.notify(f"The demo assessment “{existing.name}” is already here; opening it.", markup=False)
            a = existing
        else:
            created = self.soc2.call_store(demo.create_demo, store, q)
            if created is None:
                return
            self.notify(f"Loaded the demo assessment “{created.name}”: a fictional company part-way to its "
                        "first audit.", markup=False)
            a = created
        self.reload(select_id=a.id)
        self.soc2.open_assessment(a.id)

    def _name_problem(self, text: str, current: str | None = None) -> str | None:
        if not text:
            return "An assessment needs a name."
        if text != current and self.soc2.store.find(text) is not None:
            return f"An assessment named “{text}” already exists."
        return None

    def action_duplicate(self) -> None:
        from soc2_tui.tui.dialogs.prompt import PromptScreen

        r = self.selected()
        if r is None:
            return
        shown = safe(r["name"])  # a name from an older file may hold control characters
        suggestion = f"{shown} (copy)"
        n = 2
        while self.soc2.store.find(suggestion) is not None:
            suggestion = f"{shown} (copy {n})"
            n += 1

        def done(name: str | None) -> None:
            if not name:
                return
            copy = self.soc2.call_store(self.soc2.store.duplicate, r["id"], name, by=self.soc2.respondent)
            if copy is not None:
                self.notify(f"Copied “{r['name']}” with all its answers to “{copy.name}”.", markup=False)
                self.reload(select_id=copy.id)

        self.app.push_screen(PromptScreen(
            f"Copy “{shown}”", suggestion, label="Name of the copy:", ok="Copy",
            hint="The copy gets every answer; its history starts today.",
            check=self._name_problem), done)

    def action_rename(self) -> None:
        from soc2_tui.tui.dialogs.prompt import PromptScreen

        r = self.selected()
        if r is None:
            return

        shown = safe(r["name"])  # a name from an older file may hold control characters

        def done(name: str | None) -> None:
            if name and name not in (r["name"], shown):
                renamed = self.soc2.call_store(self.soc2.store.update_assessment, r["id"],
                                              by=self.soc2.respondent, name=name)
                if renamed is not None:
                    self.notify(f"Renamed “{r['name']}” to “{renamed.name}”.", markup=False)
                    self.reload(select_id=renamed.id)

        self.app.push_screen(PromptScreen(
            f"Rename “{shown}”", shown, label="New name:", ok="Rename",
            check=lambda text: self._name_problem(text, current=r["name"])), done)

    def action_delete(self) -> None:
        from soc2_tui.tui.dialogs.confirm import ConfirmScreen

        r = self.selected()
        if r is None:
            return

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.soc2.store.delete(r["id"])
            except UserError as exc:
                self.notify(f"Not deleted: {exc}", severity="error", markup=False)
                return
            self.notify(f"Deleted “{r['name']}”.", markup=False)
            self.reload()

        self.app.push_screen(ConfirmScreen(
            f"Delete the assessment “{safe(r['name'])}” with all its answers, history and snapshots? "
            "This cannot be undone.", title="Delete an assessment", confirm="Delete", danger=True), done)
