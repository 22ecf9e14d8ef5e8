"""Gap analysis: the controls that apply, section by section, and one item's answer beside them.

Keys (key_tables.GAPS): in the tree, o/i/w/n/x set the status of the highlighted item (then
move on when auto-advance is on), f flags it, a turns auto-advance on or off, 1–6 filter, /
jumps to an item by id or text, tab goes to Notes, escape goes back. In a field every letter
types; esc saves and returns to the tree.

What is shown comes from gap_data.py (the controls that apply, their answers and score, the
filters); the tree (widgets/gap_tree.py) draws the lines; the pane (widgets/item_pane.py) shows
and edits one item; the jump box is dialogs/jump.py. This screen ties them to the keys, decides
where the cursor goes and follows the saves.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Select, Static, Tree
from textual.widgets.tree import TreeNode

from soc2_tui import scoring
from soc2_tui.model import Answer, Assessment, Item
from soc2_tui.tui import key_tables
from soc2_tui.tui.base import Soc2Screen
from soc2_tui.tui.commands import ItemCommands
from soc2_tui.tui.dialogs.jump import JumpScreen
from soc2_tui.tui.gap_data import FILTERS, GapData, Structure
from soc2_tui.tui.keys import FocusKeys, bindings
from soc2_tui.tui.messages import Saved
from soc2_tui.tui.screens.gap_filters import GapFilters
from soc2_tui.tui.widgets.footer import KeyFooter
from soc2_tui.tui.widgets.gap_tree import GapTree, NodeData
from soc2_tui.tui.widgets.item_pane import ItemPane

FILTER_KEYS = dict(zip(FILTERS, "123456", strict=True))
ON_A_SECTION = "Move the cursor onto an item first (it is on a section heading)."


class GapAnalysisScreen(GapFilters, FocusKeys, Soc2Screen):
    """Controls by section with their status; the highlighted item in full on the right."""

    CSS_PATH = "gaps.tcss"
    COMMANDS = {ItemCommands}
    AUTO_FOCUS = "#gap-tree"

    KEYS = key_tables.GAPS  # o i w n x, f, a, /, 1-6 act in the tree only; in a field every letter types
    BINDINGS = bindings(KEYS)
    LIST = "#gap-tree"

    def __init__(self, assessment_id: int, item_id: str | None = None) -> None:
        """The first unanswered control, or `item_id` (a gap chosen on the dashboard)."""
        super().__init__()
        self.assessment_id = assessment_id
        self.opening = item_id
        self.filter = "all"
        self.auto_advance = True
        self.data: GapData | None = None  # None until read
        self._structure: Structure = []  # what the tree shows
        self._shown: NodeData | None = None  # what the pane shows
        self._pane: ItemPane | None = None
        self._advancing = False  # a status key is saving, then moving to the next item

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="gap-body"):
            with Vertical(id="gap-left"):
                yield Select([(f"{FILTER_KEYS[k]} {v}", k) for k, v in FILTERS.items()], value="all",
                             allow_blank=False, id="gap-filter", compact=True)
                yield GapTree(self.soc2.q.items, id="gap-tree")
                yield Static(id="gap-progress")
            yield ItemPane(self.assessment_id, id="gap-pane")
        yield KeyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self._pane = self.pane
        self.soc2.follow_saves(self, self._reload)
        self.watch(self.app, "theme", self._theme_changed, init=False)
        if not self._load():
            return
        self.title = "Gap analysis"
        self.sub_title = self.assessment.name if self.assessment else ""
        if self.opening is not None and self.soc2.q.items.get(self.opening) in self.applicable:
            self._rebuild_tree(prefer=NodeData("item", self.opening))
            return
        first = self.data.first_unanswered(self.filter) if self.data else None
        self._rebuild_tree(prefer=NodeData("item", first.id) if first else None)

    @property
    def tree(self) -> GapTree:  # type: ignore[override]  # DOMNode.tree is Textual's debug view of the DOM
        return self.query_one("#gap-tree", GapTree)

    @property
    def pane(self) -> ItemPane:
        return self.query_one("#gap-pane", ItemPane)

    @property
    def _item_nodes(self) -> dict[str, TreeNode[NodeData]]:
        """The tree's item lines by id (tests read them)."""
        return self.tree.item_nodes

    @property
    def _section_nodes(self) -> dict[str, TreeNode[NodeData]]:
        return self.tree.section_nodes

    @property
    def assessment(self) -> Assessment | None:
        return self.data.assessment if self.data else None

    @property
    def answers(self) -> dict[str, Answer]:
        return self.data.answers if self.data else {}

    @property
    def result(self) -> scoring.Result | None:
        return self.data.result if self.data else None

    @property
    def applicable(self) -> list[Item]:
        """The controls that apply, in order (the palette's ItemCommands goes to them)."""
        return self.data.applicable if self.data else []

    def _load(self) -> bool:
        app = self.soc2
        state = app.load_state(self.assessment_id, gone=self.app.pop_screen)
        if state is None:
            return False
        self.data = GapData(app.q, *state, today=app.today)
        return True

    def _status(self, item_id: str) -> str | None:
        return self.data.status(item_id) if self.data else None

    # ------------------------------------------------------------------ tree

    def _rebuild_tree(self, prefer: NodeData | None = None) -> None:
        """Rebuild the tree for the filter; keep the cursor on the same node, or move it to the
        next visible item after it (an answered item leaving "unanswered", say)."""
        current = prefer or self.tree.current()
        structure = self._shown_now()
        self.tree.rebuild(structure, self.data.sections if self.data else {}, self.answers)
        self._structure = structure
        self._update_progress()
        target = self.tree.landing(current, [i.id for i in self.applicable])
        if target is None:
            self._shown = None
            self.pane.show_message("Nothing to show",
                                   f"No item matches “{FILTERS[self.filter]}”. Press 1 to show all items.")
        else:
            self.call_after_refresh(self._move_to, target.id, target.kind)

    def _relabel(self, only: set[str] | None = None) -> None:
        """Redraw tree labels: all of them, or only these items and their sections."""
        if self.data is not None:
            self.tree.relabel(self.data.sections, self.data.answers, only)
        self._update_progress()

    def _theme_changed(self) -> None:
        self.tree.restyle()  # the status colours come from the theme
        if self.tree.section_nodes:
            self._relabel()

    def _update_progress(self) -> None:
        total = len(self.applicable)
        answered = self.data.answered(self.data.applicable) if self.data else 0
        shown = sum(len(ids) for _s, ids in self._structure)
        text = f"{answered}/{total} answered"
        if self.filter != "all":
            text += f" · {shown} shown"
        progress = self.query_one("#gap-progress", Static)
        if str(progress.content) != text:
            progress.update(text, layout=False)  # one line of fixed height: no re-layout needed

    def on_resize(self) -> None:
        if self.tree.section_nodes:
            self.call_after_refresh(self._relabel)

    def current_item(self) -> Item | None:
        cur = self.tree.current()
        if cur and cur.kind == "item":
            return self.soc2.q.items[cur.id]
        return None

    def _move_to(self, node_id: str, kind: str = "item") -> None:
        node = self.tree.node(kind, node_id)
        if node is None:
            return
        if self.tree.open_section_of(node):
            self.call_after_refresh(self._move_to, node_id, kind)
            return
        self.tree.go_to(node)
        self._show_current()

    # ------------------------------------------------------------------ pane

    def _show_current(self) -> None:
        cur = self.tree.current()
        if cur is None:
            return
        if self._shown != cur:
            self.pane.flush()
        self._shown = cur
        data = self.data
        if data is None:
            return
        if cur.kind == "section":
            if cur.id in data.sections:
                section, items = data.sections[cur.id]
                self.pane.show_section(section, data.answered(items), len(items), data.gaps_among(items))
            return
        app = self.soc2
        try:
            last = app.store.last_change(self.assessment_id, cur.id)
        except Exception:  # noqa: BLE001 - the pane still shows the item
            last = None
        self.pane.show_item(app.q, app.q.items[cur.id], data.answers.get(cur.id), data.result, last)

    @on(Tree.NodeHighlighted, "#gap-tree")
    def _highlighted(self) -> None:
        self._show_current()

    @on(Tree.NodeSelected, "#gap-tree")
    def _selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        node = event.node
        if node.data and node.data.kind == "section":
            node.toggle()

    # ------------------------------------------------------------------ reacting to saves

    def _reload(self, saved: Saved) -> None:
        if not self.is_attached:
            return
        # One answer of this assessment saved: patch it in and redraw its two tree lines
        # (answering must stay instant on a 2,000-item bank). Anything else: read everything.
        answer = saved.answer_for(self.assessment_id)
        changed: set[str] | None
        if answer is not None and self.data is not None and self.data.patch(answer):
            changed = {answer.item_id}
        elif self._load():
            changed = None
        else:
            return
        # With every item shown (or only critical ones), answering a control cannot add or
        # remove a line: skip comparing the whole structure (a 2,000-item walk per key).
        same_lines = changed is not None and self.filter in ("all", "critical")
        if not same_lines and self._shown_now() != self._structure:
            self._rebuild_tree()
        else:
            self._relabel(changed)
            if not self._advancing:  # set_status shows the next item itself
                self._show_current()

    # ------------------------------------------------------------------ actions

    def _next_after(self, item_id: str) -> str | None:
        ids = [i for _s, ids in self._structure for i in ids]
        if item_id not in ids:
            return None
        pos = ids.index(item_id)
        return ids[pos + 1] if pos + 1 < len(ids) else None

    def set_status(self, status: str) -> None:
        item = self.current_item()
        if item is None:
            self.notify(ON_A_SECTION, severity="warning")
            return
        self.pane.flush()
        nxt = self._next_after(item.id) if self.auto_advance else None
        if self._status(item.id) != status:
            self.pane.remember_sent(status=status)
            # Saved (and re-scored) before moving on; the pane is filled once, for the next
            # item, not also for the one just answered.
            self._advancing = nxt is not None
            try:
                self.soc2.save_answer(self.assessment_id, item.id, status=status)
            finally:
                self._advancing = False
        if nxt:
            self._move_to(nxt)
            if self.focused is not self.tree and not isinstance(self.focused, (Input,)):
                self.tree.focus()
        elif self.auto_advance:
            self.notify(f"{item.id} was the last item in this view.", timeout=3)

    def action_status(self, status: str) -> None:
        self.set_status(status)

    def action_flag(self) -> None:
        item = self.current_item()
        if item is None:
            self.notify(ON_A_SECTION, severity="warning")
            return
        ans = self.answers.get(item.id)
        value = not (ans.flagged if ans else False)
        sent = self.pane.sent_values()
        if "flagged" in sent:
            value = not sent["flagged"]
        self.pane.remember_sent(flagged=value)
        self.soc2.save_answer(self.assessment_id, item.id, flagged=value)

    def action_toggle_advance(self) -> None:
        self.auto_advance = not self.auto_advance
        self.pane.set_advance(self.auto_advance)
        self._update_progress()
        self.notify(f"Auto-advance {'on: answering moves to the next item' if self.auto_advance else 'off'}.",
                    timeout=2)

    def action_scroll_pane(self, pages: int) -> None:
        """Read the item's text past the fold without leaving the list (the pane takes no focus)."""
        pane = self.pane
        pane.scroll_relative(y=pages * max(1, pane.size.height - 2), animate=False)

    def action_jump(self) -> None:
        self.pane.flush()
        self.app.push_screen(JumpScreen(self.applicable, self.answers), self._jumped)

    def _jumped(self, item_id: str | None) -> None:
        if item_id:
            self.jump_to(item_id)

    def jump_to(self, item_id: str) -> None:
        """Show an item, switching the filter to "all" when the filter hides it."""
        item = self.soc2.q.items.get(item_id)
        if item is None or item not in self.applicable:
            self.notify(f"{item_id} does not apply to this assessment.", severity="warning")
            return
        if item_id not in self.tree.item_nodes:
            self.notify(f"{item_id} is hidden by the “{FILTERS[self.filter]}” filter; showing all items.",
                        timeout=4)
            self.filter = "all"
            self.query_one("#gap-filter", Select).value = "all"
            self._rebuild_tree(prefer=NodeData("item", item_id))
        else:
            self._move_to(item_id)
        self.tree.focus()

    def select_item(self, item_id: str) -> None:
        """Open on one item (the dashboard uses this for a gap chosen there)."""
        self.jump_to(item_id)

    @on(ItemPane.StatusChosen)
    def _status_chosen(self, event: ItemPane.StatusChosen) -> None:
        self.set_status(event.status)

    @on(ItemPane.FlagToggled)
    def _flag_toggled(self) -> None:
        self.action_flag()

    @on(ItemPane.AdvanceToggled)
    def _advance_toggled(self, event: ItemPane.AdvanceToggled) -> None:
        if event.value != self.auto_advance:
            self.action_toggle_advance()

    def action_to_list(self) -> None:
        """esc in a field: save what was typed, back to the tree."""
        self.pane.flush()
        self.tree.focus()

    def action_back(self) -> None:
        self.pane.flush()
        self.app.pop_screen()

    def on_screen_suspend(self) -> None:
        self.pane.flush(show_errors=False)

    def on_unmount(self) -> None:
        if self._pane is not None:
            self._pane.flush_now()

    def save_typed_now(self) -> None:
        """The process is about to end (SIGHUP, SIGTERM): write what is typed, straight away."""
        self.pane.flush_now()


__all__ = ["GapAnalysisScreen", "FILTERS"]
