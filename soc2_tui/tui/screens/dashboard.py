"""Dashboard of one assessment: readiness per principle, the gaps to close first, entry points."""

from __future__ import annotations

from collections.abc import Mapping

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Header, Static
from textual.widgets.data_table import ColumnKey

from soc2_tui import scoring
from soc2_tui.labels import plural, points_text, report_type_label, status_label, truncate, warning_counts
from soc2_tui.model import PRINCIPLE_LABELS, Answer, Assessment
from soc2_tui.terminal import safe
from soc2_tui.tui import key_tables
from soc2_tui.tui.base import Soc2Screen
from soc2_tui.tui.keys import bindings, widget_binding
from soc2_tui.tui.messages import Saved
from soc2_tui.tui.widgets.footer import KeyFooter
from soc2_tui.tui.widgets.marks import mark
from soc2_tui.tui.widgets.principle_bar import PrincipleBar

SEVERITY_MARKS = {"critical": "‼", "high": "!", "medium": "·", "low": " "}
# The gap table lists every gap in priority order, up to this many (the table scrolls; a tall
# terminal is filled instead of stopping at a fixed count): beyond it the title says how many more
# the report lists, so a 20,000-item bank does not make thousands of rows on every refresh.
MAX_GAPS = 300
# From this many rows the other frameworks get a line each under the counts; below, one line in
# the border of the score box (80×24 keeps its gap rows).
TALL_ENOUGH = 30


def status_text(status: str | None, policy: bool = False) -> str:
    """'◐ in progress' (controls) or '◐ draft' (policies): a mark and a word."""
    return f"{mark(status)} {status_label(status, policy=policy).lower()}"


class GapTable(DataTable):
    BINDINGS = [widget_binding(key_tables.DASHBOARD, "enter", "select_cursor")]


class DashboardScreen(Soc2Screen):
    CSS_PATH = "dashboard.tcss"
    KEYS = key_tables.DASHBOARD
    BINDINGS = bindings(KEYS)

    def __init__(self, assessment_id: int) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.assessment: Assessment | None = None
        self.result: scoring.Result | None = None
        self.gap_ids: list[str] = []
        self.summary_parts: list[str] = []
        self.framework_lines: list[tuple[str, str, str]] = []  # (full, compact, tiny) per framework the bank touches

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="dash"):
            yield Static("", id="dash-summary")
            with Vertical(id="dash-bars"):
                yield PrincipleBar("Overall", id="bar-overall", classes="-overall")
            yield Static("", id="dash-gaps-title")
            yield GapTable(id="dash-gaps", cursor_type="row", show_header=True)
            yield Static("", id="dash-counts")
            yield Static("", id="dash-frameworks", markup=False)  # other frameworks through the references
            yield Static("", id="dash-people", markup=False)  # who else answers in this file (a workshop)
            with Horizontal(id="dash-actions"):
                yield Button("Scope  s", id="go-scope", compact=True)
                yield Button("Gap analysis  g", id="go-gaps", compact=True)
                yield Button("Policies  p", id="go-policies", compact=True)
                yield Button("Report  r", id="go-report", compact=True)
                yield Button("Snapshots  v", id="go-snapshots", compact=True)
        yield KeyFooter(show_command_palette=False)  # room for every key at 80 columns; ctrl+p still works

    def on_mount(self) -> None:
        table = self.query_one(GapTable)
        table.add_column("Severity", key="severity")
        table.add_column("Item", key="item")
        table.add_column("Title", key="title")
        table.add_column("Status", key="status")
        table.add_column("If closed", key="points")
        self.soc2.follow_saves(self, self._on_revision)
        self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self.reload()

    def _on_revision(self, _saved: Saved) -> None:
        # Re-score now if visible; otherwise once it is shown again.
        self._stale = True
        if self.app.screen is self:  # is_current is also true under a screen pushed on top
            self.reload()

    def on_resize(self) -> None:
        if self.result is not None:
            self._show_summary()
            self._fill_gaps(self.result)
            self._show_frameworks()

    def _show_summary(self) -> None:
        """Organisation · report type · answered · period, dropping what does not fit on one line."""
        width = (self.query_one("#dash").content_size.width or self.app.size.width - 2)
        parts = list(self.summary_parts)
        while len(parts) > 2 and len(" · ".join(parts)) > width:
            parts.pop()
        summary = Text(no_wrap=True, overflow="ellipsis")
        summary.append(parts[0], "bold")
        summary.append("".join(f" · {p}" for p in parts[1:]))
        self.query_one("#dash-summary", Static).update(summary)

    # ------------------------------------------------------------------ data

    def reload(self) -> None:
        self._stale = False
        app = self.soc2
        state = app.load_state(self.assessment_id, gone=self.dismiss)
        if state is None:
            return
        a, answers = state
        self.assessment = a
        result = scoring.score(app.q, a, answers, today=app.today)
        self.result = result
        self.title = a.name
        self.sub_title = app.file_label

        kind = report_type_label(a.report_type)
        o = result.overall
        parts = [f"SOC 2 {kind}", f"{o.answered} of {o.applicable} items answered"]
        if a.period_start:
            parts.append(f"period from {a.period_start}"
                         + (f", {a.period_months} months" if a.period_months else ""))
        elif a.period_months:
            parts.append(f"{a.period_months}-month period")
        self.summary_parts = [safe(a.organisation or a.name)] + parts
        self._show_summary()

        bars = self.query_one("#dash-bars")
        self.query_one("#bar-overall", PrincipleBar).set_score(result.overall)
        wanted = list(result.principles)
        existing = [w for w in bars.query(PrincipleBar) if w.id != "bar-overall"]
        if [w.id for w in existing] != [f"bar-{p}" for p in wanted]:
            self.call_later(self._rebuild_bars, existing, result)
        else:
            for w, p in zip(existing, wanted):  # the same order: checked just above
                w.set_score(result.principles[p])

        self._fill_gaps(result)

        crit = len(result.critical_gaps)
        counts = [f"{plural(len(result.gaps), 'gap')} ({crit} critical)",
                  f"{len(result.not_assessed)} not assessed"]
        disagree = self.soc2.call_store(self.soc2.store.disagreements, self.assessment_id) or []
        if disagree:  # two respondents answered differently: settled with `soc2-tui disagreements`
            counts.append(f"{plural(len(disagree), 'disagreement')} to settle (the report lists them)")
        line = " · ".join(counts)
        if o.answered == 0:
            line += " · start with the scope (s), then the gap analysis (g)"
        if result.warnings:  # by kind: each one is listed in the report's Warnings section
            line += (f"\n{plural(len(result.warnings), 'warning')} (r: the report lists each): "
                     + warning_counts(w.kind for w in result.warnings))
        for kind, _subject, message in app.q.notices:  # its banks: not found or changed (banks/sets.py)
            if kind in ("bank_missing", "bank_changed"):
                line += f"\n⚠ {escape(safe(message))}"
        self.query_one("#dash-counts", Static).update(line)
        self._show_people()
        self._cover_frameworks(answers, result)

    def _cover_frameworks(self, answers: Mapping[str, Answer], result: scoring.Result) -> None:
        """Other frameworks, through the bank's references: read on the first dashboard, not at start-up."""
        from soc2_tui.crosswalk import coverage, frameworks
        from soc2_tui.errors import ContentError

        try:
            found = coverage.all_coverage(frameworks.declared(), self.soc2.q, answers, result)
        except ContentError:  # a broken framework file: `soc2-tui validate` names it; the dashboard goes on
            found = []
        self.framework_lines = [(safe(c.summary(short=True)),
                                 safe(f"{c.framework.short}: {c.touched}/{c.total} · {c.ready} ready"),
                                 safe(f"{c.framework.short} ✓{c.ready}/{c.touched}"))
                                for c in found if c.touched]
        self._show_frameworks()

    def _show_frameworks(self) -> None:
        """One line per framework on a tall terminal; on a short one (80×24) a single line in the
        bottom border of the score box, so the gap table keeps its rows."""
        panel = self.query_one("#dash-frameworks", Static)
        bars = self.query_one("#dash-bars")
        tall = self.app.size.height >= TALL_ENOUGH
        panel.display = tall and bool(self.framework_lines)
        panel.update("\n".join(forms[0] for forms in self.framework_lines))
        if tall or not self.framework_lines:
            bars.border_subtitle = ""
            return
        room = max((bars.size.width or self.app.size.width - 2) - 6, 20)
        for form in range(3):  # the longest wording that fits; "✓14/66" = 14 of the 66 touched ready
            line = "; ".join(forms[form] for forms in self.framework_lines)
            if len(line) <= room:
                break
        bars.border_subtitle = truncate(line, room)

    def _show_people(self) -> None:
        """"Also here: Lee, Sam": who else changed something in this file in the last minutes."""
        others = self.soc2.follower.others_here(self.soc2.respondent)
        people = self.query_one("#dash-people", Static)
        people.display = bool(others)
        if others:
            people.update(safe("Also here (changed this file in the last few minutes): " + ", ".join(others)))

    async def _rebuild_bars(self, existing: list[PrincipleBar], result: scoring.Result) -> None:
        """The principles in scope changed: replace the bars once the old ones are gone.

        Removal is awaited first; mounting new bars with the same ids before it finished
        raised DuplicateIds.
        """
        bars = self.query_one("#dash-bars")
        for w in existing:
            if w.is_attached:
                await w.remove()
        await bars.mount_all(PrincipleBar(PRINCIPLE_LABELS[p], result.principles[p], id=f"bar-{p}")
                             for p in result.principles)

    def _fill_gaps(self, result: scoring.Result) -> None:
        table = self.query_one(GapTable)
        crit = result.critical_gaps
        shown = (crit + [g for g in result.gaps if not g.critical])[:MAX_GAPS]
        if not result.gaps:
            title = ("No gaps: every answered item meets the target." if result.overall.answered
                     else "No gaps yet: answer the controls in the gap analysis (g).")
        else:
            title = "Close these first (critical first; “If closed”: overall points gained)"
            if len(result.gaps) > len(shown):
                title += f"; the first {len(shown)} of {len(result.gaps)}, the report (r) lists all"
        self.query_one("#dash-gaps-title", Static).update(title)
        cursor = table.cursor_row if table.row_count else 0
        table.clear()
        width = max((self.query_one("#dash").content_size.width or self.app.size.width - 2), 60)
        points_width = 36 if width >= 120 else 17  # wide: overall and a principle, '(+6.8 confidentiality)'
        id_width = max([len(g.item.id) for g in shown] + [4])
        # severity 10, status 14, cell padding 2 × 5 columns, 2 for the scrollbar
        title_width = max(12, width - 10 - id_width - 14 - points_width - 10 - 2)
        column = table.columns[ColumnKey("title")]
        column.width = title_width
        column.auto_width = False
        self.gap_ids = []
        for g in shown:
            # Text, not str: a DataTable reads a str as markup, and a custom bank's title may hold "[".
            table.add_row(
                Text(f"{SEVERITY_MARKS.get(g.item.severity, ' ')} {g.item.severity}"),
                Text(g.item.id),
                Text(truncate(g.item.title, title_width, strip=False)),
                Text(status_text(g.status, policy=g.item.kind == "policy")),
                Text(points_text(g.points, width=points_width)),
                key=g.item.id,
            )
            self.gap_ids.append(g.item.id)
        table.display = bool(shown)
        if shown:
            table.move_cursor(row=min(cursor, len(shown) - 1))

    # ------------------------------------------------------------------ actions

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_gaps(str(event.row_key.value))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = {"go-scope": self.action_scope, "go-gaps": self.action_gaps,
                  "go-policies": self.action_policies, "go-report": self.action_report,
                  "go-snapshots": self.action_snapshots}
        action[event.button.id or ""]()

    def _open(self, module: str, cls: str, item_id: str | None = None) -> None:
        import importlib

        try:
            screen_cls = getattr(importlib.import_module(f"soc2_tui.tui.screens.{module}"), cls)
        except (ImportError, AttributeError):
            self.notify("This screen is not available yet.", severity="warning")
            return
        # The item is given to the screen, which opens on it: selecting it once the screen was
        # up raced the screen's own first move (to the first unanswered control) and lost.
        self.app.push_screen(screen_cls(self.assessment_id, item_id) if item_id else screen_cls(self.assessment_id))

    def action_scope(self) -> None:
        self._open("scope", "ScopeScreen")

    def action_gaps(self, item_id: str | None = None) -> None:
        item = self.soc2.q.items.get(item_id) if item_id else None
        if item is not None and item.kind == "policy":
            self._open("policies", "PolicyScreen", item_id)
            return
        self._open("gaps", "GapAnalysisScreen", item_id)

    def action_policies(self) -> None:
        self._open("policies", "PolicyScreen")

    def action_report(self) -> None:
        from soc2_tui.tui.screens.report import ReportScreen

        self.app.push_screen(ReportScreen(self.assessment_id))

    def action_snapshots(self) -> None:
        from soc2_tui.tui.screens.snapshots import SnapshotsScreen

        self.app.push_screen(SnapshotsScreen(self.assessment_id))

    def action_back(self) -> None:
        self.dismiss()
