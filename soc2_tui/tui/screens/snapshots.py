"""Snapshots of one assessment: freeze the answers now, list earlier ones, open one read-only."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from soc2_tui.labels import band_label, fmt_score
from soc2_tui.terminal import safe
from soc2_tui.tui import key_tables
from soc2_tui.tui.base import Soc2Screen
from soc2_tui.tui.keys import bindings
from soc2_tui.tui.messages import Saved
from soc2_tui.tui.widgets.footer import KeyFooter


class SnapshotsScreen(Soc2Screen):
    CSS_PATH = "snapshots.tcss"
    HELP_NAME = "Snapshots"
    KEYS = key_tables.SNAPSHOTS
    BINDINGS = bindings(KEYS)

    def __init__(self, assessment_id: int) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="snap-intro")
        yield DataTable(id="snap-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label in (("id", "#"), ("label", "Label"), ("when", "Taken (UTC)"), ("score", "Overall"),
                           ("band", "Band"), ("answered", "Answered")):
            table.add_column(label, key=key)
        self.soc2.follow_saves(self, self._on_revision)
        self.reload()

    def _on_revision(self, _saved: Saved) -> None:
        if self.app.screen is self:
            self.reload()

    def reload(self) -> None:
        app = self.soc2
        a = app.assessment(self.assessment_id)
        if a is None:
            self.dismiss()
            return
        self.title = f"{a.name}: snapshots"
        self.sub_title = app.file_label
        listed = app.call_store(app.store.snapshots, a.id) or []
        found = [app.call_store(app.store.snapshot, a.id, str(s["id"])) for s in listed]
        self.rows = [r for r in found if r is not None]
        table = self.query_one(DataTable)
        table.clear()
        for r in reversed(self.rows):  # newest first
            overall = r["data"].get("scores", {}).get("overall", {})
            table.add_row(Text(str(r["id"])), Text(safe(r["label"]) or "–"),
                          Text(r["created_at"][:16].replace("T", " ")), Text(fmt_score(overall.get("score"))),
                          Text(band_label(overall.get("band"))),
                          Text(f"{overall.get('answered', 0)}/{overall.get('applicable', 0)}"),
                          key=str(r["id"]))
        intro = ("A snapshot freezes the answers and scores inside the file, so you can show progress later "
                 "(`soc2-tui report NAME --compare SNAPSHOT`). ")
        intro += (f"{len(self.rows)} snapshot{'s' if len(self.rows) != 1 else ''}: enter opens one read-only, "
                  "n takes a new one." if self.rows else "None yet: press n to take the first.")
        self.query_one("#snap-intro", Static).update(intro)
        table.focus()

    def _selected(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - no valid cursor
            return None
        return next((r for r in self.rows if str(r["id"]) == key), None)

    def action_open(self) -> None:
        from soc2_tui.tui.screens.report import ReportScreen

        snap = self._selected()
        if snap is None:
            self.notify("No snapshot yet: press n to take one.", timeout=4)
            return
        self.app.push_screen(ReportScreen(self.assessment_id, snapshot=snap))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_new(self) -> None:
        from soc2_tui.tui.dialogs.prompt import PromptScreen

        self.app.push_screen(PromptScreen("New snapshot", "", label="A label for it (optional):",
                                          placeholder="e.g. before the workshop", ok="Take snapshot"),
                             self._take)

    def _take(self, label: str | None) -> None:
        if label is None:
            return
        app = self.soc2
        state = app.load_state(self.assessment_id)
        if state is None:
            return
        a, answers = state
        from soc2_tui.interchange.snapshots import freeze

        data = freeze(app.q, a, answers, today=app.today)
        store, aid, text = app.store, a.id, label.strip()
        app.write(lambda: store.add_snapshot(aid, text, data),
                  f"Snapshot taken{f' ({text})' if text else ''}")

    def action_back(self) -> None:
        self.dismiss()
