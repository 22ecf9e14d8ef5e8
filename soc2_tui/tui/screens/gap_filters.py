"""The gap analysis's filters: the keys 1–6 and the list above the tree choose which controls the
tree shows (`gap_data.FILTERS`). A part of GapAnalysisScreen (screens/gaps.py), kept apart so
each module stays readable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Select

from soc2_tui.tui.gap_data import FILTERS, GapData, Structure

if TYPE_CHECKING:
    from soc2_tui.tui.base import Soc2Screen
    from soc2_tui.tui.widgets.gap_tree import GapTree
    from soc2_tui.tui.widgets.item_pane import ItemPane

    _Screen = Soc2Screen
else:
    _Screen = object


class GapFilters(_Screen):
    """Filtering for GapAnalysisScreen, which provides what is declared here."""

    if TYPE_CHECKING:
        assessment_id: int
        filter: str
        data: GapData | None

        @property
        def tree(self) -> GapTree: ...  # type: ignore[override]

        @property
        def pane(self) -> ItemPane: ...

        def _rebuild_tree(self) -> None: ...

    def _shown_now(self) -> Structure:
        """The sections and items the filter keeps now. The disagreements are read again each
        time (one read of the status changes): answers from any terminal change them."""
        if self.data is None:
            return []
        if self.filter == "disagreements":
            found = self.soc2.call_store(self.soc2.store.disagreements, self.assessment_id) or []
            self.data.disagreeing = {d.item_id for d in found}
        return self.data.shown(self.filter)

    def action_filter(self, name: str) -> None:
        select = self.query_one("#gap-filter", Select)
        if select.value != name:
            select.value = name  # the Changed handler applies it
        else:
            self._apply_filter(name)

    def on_select_changed(self, event: Select.Changed) -> None:
        # A handler by name, not `@on`: Textual registers `@on` handlers only on classes made by
        # its own metaclass, and this mixin is a plain class at run time.
        if event.select.id == "gap-filter" and isinstance(event.value, str) and event.value != self.filter:
            self._apply_filter(event.value)

    def _apply_filter(self, name: str) -> None:
        self.filter = name
        self.pane.flush()
        self._rebuild_tree()
        if not self.tree.item_nodes:
            self.notify(f"No items match “{FILTERS[name]}”.", timeout=3)
        self.tree.focus()
