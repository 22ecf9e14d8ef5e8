"""The gap analysis's tree: one line per section of controls and per control, with its status mark.

The screen decides what is shown (the filter, the answers) and where the cursor goes; the tree
builds the lines, keeps its nodes by id and remembers which sections the user closed. Its labels
are fast to make and kept between rebuilds, because a 2,000-item bank rebuilds the whole tree on
every filter change (docs/performance.md, "The tree with 2,000 items").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeAlias

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from soc2_tui.labels import truncate
from soc2_tui.model import Answer, Item, Section
from soc2_tui.tui.gap_data import Structure
from soc2_tui.tui.widgets.marks import FLAG_MARK, rich_style, tree_mark

Sections: TypeAlias = Mapping[str, tuple[Section, Sequence[Item]]]
"""Section id → the section and its items that apply (all of them, shown or not)."""

MAX_LABELS = 20_000  # labels kept; cleared past this


@dataclass(frozen=True)
class NodeData:
    kind: str  # section | item
    id: str


class GapTree(Tree[NodeData]):
    """The controls by section. Labels are one-line Text made here, so they are taken as they
    are (Tree's default copies and splits every label: a third of the time a 2,000-item rebuild
    took)."""

    _batching = False  # adding nodes (see _adding_nodes); a class default: Tree invalidates from __init__ on

    def __init__(self, items: Mapping[str, Item], *, id: str | None = None) -> None:
        super().__init__("Controls", id=id)
        self.items = items
        self.item_nodes: dict[str, TreeNode[NodeData]] = {}
        self.section_nodes: dict[str, TreeNode[NodeData]] = {}
        self.collapsed: set[str] = set()  # sections the user closed: still closed after a rebuild
        self._labels: dict[tuple[str, str | None, bool, int], Text] = {}  # see _item_label
        self._variables: dict[str, str] | None = None  # the theme's colours, read when first needed
        self._width: int | None = None  # fixed while a batch of labels is made
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False

    # ------------------------------------------------------------------ building

    def rebuild(self, structure: Structure, sections: Sections, answers: Mapping[str, Answer]) -> None:
        """Replace every line: one per section in `structure`, one per item id under it."""
        self.clear()
        self.item_nodes = {}
        self.section_nodes = {}
        with self._one_width(), self._adding_nodes():
            for sid, ids in structure:
                section, items = sections[sid]
                node = self.root.add(self._section_label(section, items, answers), data=NodeData("section", sid),
                                     expand=sid not in self.collapsed)
                self.section_nodes[sid] = node
                for iid in ids:
                    self.item_nodes[iid] = node.add_leaf(self._item_label(self.items[iid], answers),
                                                         data=NodeData("item", iid))

    def relabel(self, sections: Sections, answers: Mapping[str, Answer], only: set[str] | None = None) -> None:
        """Redraw the labels: all of them, or only these items' and their sections'."""
        items = self.items
        section_nodes = self.section_nodes if only is None else {
            items[i].section: self.section_nodes[items[i].section]
            for i in only if items[i].section in self.section_nodes}
        item_nodes = self.item_nodes if only is None else {
            i: self.item_nodes[i] for i in only if i in self.item_nodes}
        with self._one_width():
            for sid, node in section_nodes.items():
                label = self._section_label(*sections[sid], answers)
                if label != node.label:
                    node.set_label(label)
            for iid, node in item_nodes.items():
                label = self._item_label(items[iid], answers)
                if label != node.label:
                    node.set_label(label)

    def restyle(self) -> None:
        """The theme changed: labels are made again, in its colours (relabel to show them)."""
        self._labels.clear()
        self._variables = self.app.get_css_variables()

    def process_label(self, label: str | Text) -> Text:
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    @contextmanager
    def _adding_nodes(self) -> Iterator[None]:
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

    # ------------------------------------------------------------------ labels

    @contextmanager
    def _one_width(self) -> Iterator[None]:
        """Measure the room for labels once for a whole batch of them."""
        self._width = self._label_width()
        try:
            yield
        finally:
            self._width = None

    def _label_width(self) -> int:
        if self._width is not None:
            return self._width
        width = self.scrollable_content_region.width
        if not self.show_vertical_scrollbar:
            # Leave room for the scrollbar anyway: labels made for a short list (one filter)
            # must still fit once the long list (another filter) brings the scrollbar back.
            width -= self.styles.scrollbar_size_vertical
        return width if width > 10 else 40

    def _section_label(self, section: Section, items: Sequence[Item], answers: Mapping[str, Answer]) -> Text:
        answered = sum(1 for i in items if _status(answers, i.id) is not None)
        progress = f" {answered}/{len(items)}"
        tick = " ✓" if answered == len(items) else ""
        room = self._label_width() - 2 - len(section.id) - 1 - len(progress) - len(tick)
        return Text.assemble((section.id, "bold"), " ", truncate(section.title, room), (progress, "bold"), tick)

    def _item_label(self, item: Item, answers: Mapping[str, Answer]) -> Text:
        ans = answers.get(item.id)
        status = ans.status if ans else None
        flagged = bool(ans and ans.flagged)
        width = self._label_width()
        # Labels are kept (never changed once made): a filter change rebuilds the whole tree,
        # and most of its lines look exactly as before.
        key = (item.id, status, flagged, width)
        text = self._labels.get(key)
        if text is not None:
            return text
        if self._variables is None:
            self._variables = self.app.get_css_variables()
        variables = self._variables
        tail = f" {FLAG_MARK}" if flagged else ""
        shown = tree_mark(status)
        room = width - 2 - len(shown) - 1 - len(item.id) - 1 - len(tail)
        text = Text.assemble((shown, rich_style(status, variables)), " ", (item.id, "bold"), " ",
                             truncate(item.title, room))
        if tail:
            text.append(tail, style=variables.get("text-warning", ""))
        if len(self._labels) > MAX_LABELS:
            self._labels.clear()
        self._labels[key] = text
        return text

    # ------------------------------------------------------------------ the cursor

    def current(self) -> NodeData | None:
        """What the cursor is on (None before the first line is drawn)."""
        node = self.cursor_node
        return None if node is None else node.data

    def node(self, kind: str, node_id: str) -> TreeNode[NodeData] | None:
        return (self.item_nodes if kind == "item" else self.section_nodes).get(node_id)

    def landing(self, current: NodeData | None, order: Sequence[str]) -> NodeData | None:
        """Where the cursor goes after a rebuild: the same line if it is still there, else the
        next item shown after it in `order` (all the item ids, shown or not), else the first."""
        shown = self.item_nodes
        if current is not None:
            if self.node(current.kind, current.id) is not None:
                return current
            if current.kind == "item" and current.id in order:
                at = order.index(current.id)
                after = next((iid for iid in [*order[at:], *order[:at]] if iid in shown), None)
                if after is not None:
                    return NodeData("item", after)
        first = next(iter(shown), None)
        return NodeData("item", first) if first else None

    def open_section_of(self, node: TreeNode[NodeData]) -> bool:
        """Open the section holding `node` if it is closed; True when it was (the node gets its
        line on the next refresh: move to it then)."""
        parent = node.parent
        if parent is None or parent.is_root or parent.is_expanded:
            return False
        parent.expand()
        if parent.data is not None:
            self.collapsed.discard(parent.data.id)
        return True

    def go_to(self, node: TreeNode[NodeData]) -> None:
        """Put the cursor on `node` and scroll it into view (its section must be open)."""
        _ = self.last_line  # builds the tree's lines, so the node knows its line
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeData]) -> None:
        if event.node.data:
            self.collapsed.discard(event.node.data.id)

    def on_tree_node_collapsed(self, event: Tree.NodeCollapsed[NodeData]) -> None:
        if event.node.data:
            self.collapsed.add(event.node.data.id)


def _status(answers: Mapping[str, Answer], item_id: str) -> str | None:
    ans = answers.get(item_id)
    return ans.status if ans else None
