"""Gap analysis: the controls that apply, section by section, and one item's answer beside them.

Keys: o/i/w/n/x set the status of the highlighted item (then move on when auto-advance is on),
f flags it for follow-up, a turns auto-advance on or off, 1–5 filter the tree, / jumps to an
item by id or text (the command palette can do the same), escape goes back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Select, Static, Tree
from textual.widgets.tree import TreeNode

from soc2_tui import scoring
from soc2_tui.labels import truncate
from soc2_tui.model import Answer, Item, Section
from soc2_tui.tui.base import Soc2Screen
from soc2_tui.tui.dialogs.jump import JumpScreen
from soc2_tui.tui.messages import Saved
from soc2_tui.tui.widgets.footer import KeyFooter
from soc2_tui.tui.widgets.item_pane import ItemPane
from soc2_tui.tui.widgets.marks import FLAG_MARK, mark, rich_style

FILTERS: dict[str, str] = {
    "all": "All items",
    "unanswered": "Unanswered",
    "gaps": "Gaps (below target)",
    "critical": "Critical severity",
    "flagged": "Flagged for follow-up",
}
FILTER_KEYS = dict(zip(FILTERS, "12345"))


class GapTree(Tree["NodeData"]):
    """The controls tree. Its labels are always one-line Text built by the screen, so they are
    taken as they are (Tree's default copies and splits every label: a third of the time a
    2,000-item rebuild took)."""

    _batching = False

    def process_label(self, label: str | Text) -> Text:
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Add many nodes, invalidating the tree's caches once at the end instead of per node.

        Tree.add invalidates and refreshes the whole widget for every node (60 % of a
        2,000-node rebuild). `_invalidate` is Textual's own (private) method: if a future
        Textual renames it, this only stops saving time.
        """
        self._batching = True
        try:
            yield
        finally:
            self._batching = False
            self._invalidate()

    def _invalidate(self) -> None:
        if not self._batching:
            super()._invalidate()


@dataclass(frozen=True)
class NodeData:
    kind: str  # section | item
    id: str


class ItemCommands(Provider):
    """Command palette: go to an item of the gap analysis by id or title."""

    def _items(self) -> list[Item]:
        screen = self.screen
        return screen.applicable if isinstance(screen, GapAnalysisScreen) else []

    async def discover(self) -> Hits:
        screen = self.screen
        if not isinstance(screen, GapAnalysisScreen):
            return
        for item in self._items()[:10]:
            yield DiscoveryHit(f"Go to {item.id} {item.title}", lambda i=item.id: screen.jump_to(i),
                               help="Gap analysis item")

    async def search(self, query: str) -> Hits:
        screen = self.screen
        if not isinstance(screen, GapAnalysisScreen):
            return
        matcher = self.matcher(query)
        for item in self._items():
            text = f"Go to {item.id} {item.title}"
            score = matcher.match(text)
            if item.id.lower() == query.strip().lower():
                score = 1.0
            if score > 0:
                yield Hit(score, matcher.highlight(text), lambda i=item.id: screen.jump_to(i), text=text,
                          help=truncate(item.question, 90))


# --------------------------------------------------------------------------- the screen


class GapAnalysisScreen(Soc2Screen):
    """Controls by section with their status; the highlighted item in full on the right."""

    CSS_PATH = "gaps.tcss"
    COMMANDS = {ItemCommands}
    AUTO_FOCUS = "#gap-tree"

    BINDINGS = [
        Binding("o", "status('operating')", "Status", key_display="o i w n x"),
        Binding("i", "status('implemented')", "Implemented", show=False),
        Binding("w", "status('in_progress')", "In progress", show=False),
        Binding("n", "status('not_started')", "Not started", show=False),
        Binding("x", "status('not_applicable')", "Not applicable", show=False),
        Binding("f", "flag", "Flag"),
        Binding("a", "toggle_advance", "Auto"),
        Binding("slash", "jump", "Jump", key_display="/"),
        Binding("1", "filter('all')", "Filter", key_display="1-5"),
        Binding("2", "filter('unanswered')", "Unanswered", show=False),
        Binding("3", "filter('gaps')", "Gaps", show=False),
        Binding("4", "filter('critical')", "Critical", show=False),
        Binding("5", "filter('flagged')", "Flagged", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, assessment_id: int) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.filter = "all"
        self.auto_advance = True
        self.assessment = None
        self.answers: dict[str, Answer] = {}
        self.result: scoring.Result | None = None
        self.applicable: list[Item] = []
        self.sections: list[tuple[Section, list[Item]]] = []
        self._structure: list[tuple[str, tuple[str, ...]]] = []
        self._item_nodes: dict[str, TreeNode] = {}
        self._section_nodes: dict[str, TreeNode] = {}
        self._collapsed: set[str] = set()
        self._shown: tuple[str, str] | None = None  # (kind, id) in the pane
        self._pane: ItemPane | None = None
        self._variables: dict[str, str] = {}
        self._gap_ids: set[str] = set()
        self._labels: dict[tuple[str, str | None, bool, int], Text] = {}  # _item_label's
        self._advancing = False  # a status key is saving, then moving to the next item

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="gap-body"):
            with Vertical(id="gap-left"):
                yield Select([(f"{FILTER_KEYS[k]} {v}", k) for k, v in FILTERS.items()], value="all",
                             allow_blank=False, id="gap-filter", compact=True)
                tree = GapTree("Controls", id="gap-tree")
                tree.show_root = False
                tree.guide_depth = 2
                tree.auto_expand = False
                yield tree
                yield Static(id="gap-progress")
            yield ItemPane(self.assessment_id, id="gap-pane")
        yield KeyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self._pane = self.pane
        self._variables = self.app.get_css_variables()
        self.soc2.follow_saves(self, self._reload)
        self.watch(self.app, "theme", self._theme_changed, init=False)
        if not self._load():
            return
        self.title = "Gap analysis"
        self.sub_title = self.assessment.name if self.assessment else ""
        first = next((i for i in self.visible_items() if self._status(i.id) is None), None)
        self._rebuild_tree(prefer=("item", first.id) if first else None)

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
        self._gap_ids = {g.item.id for g in self.result.gaps}
        scope = scoring.scope_values(a, self.answers)
        self.sections = []
        self.applicable = []
        for section in app.q.sections_of("control"):
            items = [i for i in section.items if scoring.applies(i, a.principles, scope)]
            if items:
                self.sections.append((section, items))
                self.applicable.extend(items)
        return True

    def _status(self, item_id: str) -> str | None:
        ans = self.answers.get(item_id)
        return ans.status if ans else None

    def matches(self, item: Item, filter_: str | None = None) -> bool:
        f = filter_ or self.filter
        ans = self.answers.get(item.id)
        if f == "unanswered":
            return ans is None or ans.status is None
        if f == "gaps":
            return item.id in self._gap_ids
        if f == "critical":
            return item.severity == "critical"
        if f == "flagged":
            return bool(ans and ans.flagged)
        return True

    def visible_items(self) -> list[Item]:
        return [i for _s, items in self.sections for i in items if self.matches(i)]

    def _visible_structure(self) -> list[tuple[str, tuple[str, ...]]]:
        out = []
        for section, items in self.sections:
            ids = tuple(i.id for i in items if self.matches(i))
            if ids:
                out.append((section.id, ids))
        return out

    # ------------------------------------------------------------------ tree

    @property
    def tree(self) -> GapTree:
        return self.query_one("#gap-tree", GapTree)

    _width: int | None = None  # fixed while a batch of labels is drawn

    def _label_width(self) -> int:
        if self._width is not None:
            return self._width
        tree = self.tree
        width = tree.scrollable_content_region.width
        if not tree.show_vertical_scrollbar:
            # Leave room for the scrollbar anyway: labels made for a short list (one filter)
            # must still fit once the long list (another filter) brings the scrollbar back.
            width -= tree.styles.scrollbar_size_vertical
        return width if width > 10 else 40

    def _section_label(self, section: Section, items: list[Item]) -> Text:
        answered = sum(1 for i in items if self._status(i.id) is not None)
        progress = f" {answered}/{len(items)}"
        room = self._label_width() - 2 - len(section.id) - 1 - len(progress)
        text = Text.assemble((section.id, "bold"), " ", truncate(section.title, room), (progress, "bold"))
        if answered == len(items):
            text.append(" ✓")
        return text

    def _item_label(self, item: Item) -> Text:
        ans = self.answers.get(item.id)
        status = ans.status if ans else None
        flagged = bool(ans and ans.flagged)
        width = self._label_width()
        # Labels are kept (never changed once made): a filter change rebuilds the whole tree,
        # and most of its lines look exactly as before.
        key = (item.id, status, flagged, width)
        text = self._labels.get(key)
        if text is not None:
            return text
        variables = self._variables
        tail = f" {FLAG_MARK}" if flagged else ""
        room = width - 2 - 2 - len(item.id) - 1 - len(tail)
        text = Text.assemble((mark(status), rich_style(status, variables)), " ", (item.id, "bold"), " ",
                             truncate(item.title, room))
        if tail:
            text.append(tail, style=variables.get("text-warning", ""))
        if len(self._labels) > 20_000:
            self._labels.clear()
        self._labels[key] = text
        return text

    def _theme_changed(self) -> None:
        self._labels.clear()  # the status colours come from the theme
        self._variables = self.app.get_css_variables()
        if self._section_nodes:
            self._relabel()

    def _rebuild_tree(self, prefer: tuple[str, str] | None = None) -> None:
        """Rebuild the tree for the filter; keep the cursor on the same node, or move it to the
        next visible item after it (an answered item leaving "unanswered", say)."""
        tree = self.tree
        current = prefer or self._current_id()
        tree.clear()
        self._item_nodes = {}
        self._section_nodes = {}
        structure = self._visible_structure()
        by_id = {s.id: (s, items) for s, items in self.sections}
        self._width = self._label_width()
        try:
            with tree.batch():
                for sid, ids in structure:
                    section, items = by_id[sid]
                    node = tree.root.add(self._section_label(section, items), data=NodeData("section", sid),
                                         expand=sid not in self._collapsed)
                    self._section_nodes[sid] = node
                    for iid in ids:
                        self._item_nodes[iid] = node.add_leaf(self._item_label(self.soc2.q.items[iid]),
                                                              data=NodeData("item", iid))
        finally:
            self._width = None
        self._structure = structure
        self._update_progress()
        target = self._target_after_rebuild(current)
        if target is None:
            self._shown = None
            self.pane.show_message("Nothing to show",
                                   f"No item matches “{FILTERS[self.filter]}”. Press 1 to show all items.")
        else:
            self.call_after_refresh(self._move_to, target[1], target[0])

    def _target_after_rebuild(self, current: tuple[str, str] | None) -> tuple[str, str] | None:
        if current is not None:
            kind, cid = current
            if cid in (self._item_nodes if kind == "item" else self._section_nodes):
                return current
            if kind == "item":
                order = [i.id for i in self.applicable]
                if cid in order:
                    after = order[order.index(cid):] + order[: order.index(cid)]
                    for iid in after:
                        if iid in self._item_nodes:
                            return "item", iid
        first = next(iter(self._item_nodes), None)
        return ("item", first) if first else None

    def _relabel(self, only: set[str] | None = None) -> None:
        """Redraw tree labels: all of them, or only these items and their sections."""
        q = self.soc2.q
        by_id = {s.id: (s, items) for s, items in self.sections}
        sections = self._section_nodes if only is None else {
            q.items[i].section: self._section_nodes[q.items[i].section]
            for i in only if q.items[i].section in self._section_nodes}
        items = self._item_nodes if only is None else {
            i: self._item_nodes[i] for i in only if i in self._item_nodes}
        self._width = self._label_width()
        try:
            for sid, node in sections.items():
                label = self._section_label(*by_id[sid])
                if label != node.label:
                    node.set_label(label)
            for iid, node in items.items():
                label = self._item_label(q.items[iid])
                if label != node.label:
                    node.set_label(label)
        finally:
            self._width = None
        self._update_progress()

    def _update_progress(self) -> None:
        total = len(self.applicable)
        answered = sum(1 for i in self.applicable if self._status(i.id) is not None)
        shown = sum(len(ids) for _s, ids in self._structure)
        text = f"{answered}/{total} answered"
        if self.filter != "all":
            text += f" · {shown} shown"
        progress = self.query_one("#gap-progress", Static)
        if str(progress.content) != text:
            progress.update(text, layout=False)  # one line of fixed height: no re-layout needed

    def on_resize(self) -> None:
        if self._section_nodes:
            self.call_after_refresh(self._relabel)

    def _current_id(self) -> tuple[str, str] | None:
        node = self.tree.cursor_node
        if node is None or node.data is None:
            return None
        return node.data.kind, node.data.id

    def current_item(self) -> Item | None:
        cur = self._current_id()
        if cur and cur[0] == "item":
            return self.soc2.q.items[cur[1]]
        return None

    def _move_to(self, node_id: str, kind: str = "item") -> None:
        nodes = self._item_nodes if kind == "item" else self._section_nodes
        node = nodes.get(node_id)
        if node is None:
            return
        if node.parent is not None and not node.parent.is_root and not node.parent.is_expanded:
            node.parent.expand()
            self._collapsed.discard(node.parent.data.id)
            self.call_after_refresh(self._move_to, node_id, kind)
            return
        _ = self.tree.last_line  # builds the tree's lines, so the node knows its line
        self.tree.move_cursor(node)
        self.tree.scroll_to_node(node, animate=False)
        self._show_current()

    # ------------------------------------------------------------------ pane

    @property
    def pane(self) -> ItemPane:
        return self.query_one("#gap-pane", ItemPane)

    def _show_current(self) -> None:
        cur = self._current_id()
        if cur is None:
            return
        kind, cid = cur
        app = self.soc2
        if self._shown != cur:
            self.pane.flush()
        self._shown = cur
        if kind == "section":
            for section, items in self.sections:
                if section.id == cid:
                    answered = sum(1 for i in items if self._status(i.id) is not None)
                    gaps = sum(1 for g in (self.result.gaps if self.result else ()) if g.item in items)
                    self.pane.show_section(section, answered, len(items), gaps)
            return
        item = app.q.items[cid]
        last = None
        try:
            last = app.store.last_change(self.assessment_id, cid)
        except Exception:  # noqa: BLE001 - the pane still shows the item
            last = None
        assert self.result is not None
        self.pane.show_item(app.q, item, self.answers.get(cid), self.result, last)

    @on(Tree.NodeHighlighted, "#gap-tree")
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._show_current()

    @on(Tree.NodeExpanded, "#gap-tree")
    def _expanded(self, event: Tree.NodeExpanded) -> None:
        if event.node.data:
            self._collapsed.discard(event.node.data.id)

    @on(Tree.NodeCollapsed, "#gap-tree")
    def _collapsed_node(self, event: Tree.NodeCollapsed) -> None:
        if event.node.data:
            self._collapsed.add(event.node.data.id)

    @on(Tree.NodeSelected, "#gap-tree")
    def _selected(self, event: Tree.NodeSelected) -> None:
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
        if answer is not None and self._patch(answer):
            changed = {answer.item_id}
        elif self._load():
            changed = None
        else:
            return
        incremental = changed is not None
        # With every item shown (or only critical ones), answering a control cannot add or
        # remove a line: skip comparing the whole structure (a 2,000-item walk per key).
        same_lines = incremental and self.filter in ("all", "critical")
        if not same_lines and self._visible_structure() != self._structure:
            self._rebuild_tree()
        else:
            self._relabel(changed)
            if not self._advancing:  # set_status shows the next item itself
                self._show_current()

    def _patch(self, answer: Answer) -> bool:
        """Take one saved answer in and re-score; False when everything must be re-read."""
        item = self.soc2.q.items.get(answer.item_id)
        if item is None or item.kind == "scope" or self.assessment is None:
            return False  # a scope answer can change which controls apply
        self.answers[answer.item_id] = answer
        self.result = scoring.score(self.soc2.q, self.assessment, self.answers, today=self.soc2.today)
        self._gap_ids = {g.item.id for g in self.result.gaps}
        return True

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
            self.notify("Move the cursor onto an item first (it is on a section heading).",
                        severity="warning")
            return
        self.pane.flush()
        app = self.soc2
        nxt = self._next_after(item.id) if self.auto_advance else None
        if self._status(item.id) != status:
            self.pane.remember_sent(status=status)
            # Saved (and re-scored) before moving on; the pane is filled once, for the next
            # item, not also for the one just answered.
            self._advancing = nxt is not None
            try:
                app.save_answer(self.assessment_id, item.id, status=status)
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
            self.notify("Move the cursor onto an item first (it is on a section heading).",
                        severity="warning")
            return
        ans = self.answers.get(item.id)
        value = not (ans.flagged if ans else False)
        if "flagged" in self.pane._sent:
            value = not self.pane._sent["flagged"]
        self.pane.remember_sent(flagged=value)
        self.soc2.save_answer(self.assessment_id, item.id, flagged=value)

    def action_toggle_advance(self) -> None:
        self.auto_advance = not self.auto_advance
        self.pane.set_advance(self.auto_advance)
        self._update_progress()
        self.notify(f"Auto-advance {'on: answering moves to the next item' if self.auto_advance else 'off'}.",
                    timeout=2)

    def action_filter(self, name: str) -> None:
        select = self.query_one("#gap-filter", Select)
        if select.value != name:
            select.value = name  # the Changed handler applies it
        else:
            self._apply_filter(name)

    @on(Select.Changed, "#gap-filter")
    def _filter_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.filter:
            self._apply_filter(event.value)

    def _apply_filter(self, name: str) -> None:
        self.filter = name
        self.pane.flush()
        self._rebuild_tree()
        if not self._item_nodes:
            self.notify(f"No items match “{FILTERS[name]}”.", timeout=3)
        self.tree.focus()

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
        if item_id not in self._item_nodes:
            self.notify(f"{item_id} is hidden by the “{FILTERS[self.filter]}” filter; showing all items.",
                        timeout=4)
            self.filter = "all"
            self.query_one("#gap-filter", Select).value = "all"
            self._rebuild_tree(prefer=("item", item_id))
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

    def action_back(self) -> None:
        if self.focused is not None and self.focused is not self.tree:
            self.pane.flush()
            self.tree.focus()
            return
        self.pane.flush()
        self.app.pop_screen()

    def on_screen_suspend(self) -> None:
        self.pane.flush(show_errors=False)

    def on_unmount(self) -> None:
        if self._pane is not None:
            self._pane.flush_now()


__all__ = ["GapAnalysisScreen", "ItemCommands", "FILTERS"]
