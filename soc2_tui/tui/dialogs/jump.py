"""Go to an item (`/` on the gap analysis): type an id or words, pick from the items that match.

`JumpScreen(items, answers)` dismisses with the chosen item's id, or None when closed.
`search_items` ranks the items: by id first (exact, then prefix), then by title, then by text.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from soc2_tui.labels import short_title
from soc2_tui.model import Answer, Item
from soc2_tui.tui.widgets.footer import KeyFooter
from soc2_tui.tui.widgets.marks import mark


def search_items(items: Iterable[Item], query: str, limit: int = 50) -> list[Item]:
    """Items matching `query` by id first (exact, then prefix), then by title, then by question."""
    query = query.strip().lower()
    if not query:
        return list(items)[:limit]
    ranked: list[tuple[int, int, Item]] = []
    for n, item in enumerate(items):
        iid = item.id.lower()
        if iid == query:
            rank = 0
        elif iid.startswith(query):
            rank = 1
        elif query in iid:
            rank = 2
        elif query in item.title.lower():
            rank = 3
        elif query in item.question.lower() or query in item.guidance.lower():
            rank = 4
        else:
            words = query.split()
            hay = f"{iid} {item.title} {item.question}".lower()
            if len(words) > 1 and all(w in hay for w in words):
                rank = 5
            else:
                continue
        ranked.append((rank, n, item))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in ranked[:limit]]


class JumpScreen(ModalScreen[str | None]):
    """`/`: type an id or words; enter goes to the highlighted item, escape closes."""

    DEFAULT_CSS = """
    JumpScreen { align: center top; }
    JumpScreen > Vertical {
        width: 80%; max-width: 90; height: auto; max-height: 80%;
        margin-top: 2; padding: 0 1; border: round $primary; background: $surface;
    }
    JumpScreen #jump-input { margin: 0 0 1 0; }
    JumpScreen #jump-results { height: auto; max-height: 16; }
    JumpScreen #jump-hint { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "go", "Go to item", show=True, priority=True),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, items: list[Item], answers: dict[str, Answer]) -> None:
        super().__init__()
        self.items = items
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Go to an item: type its id (e.g. CC6-03) or words from it", id="jump-hint")
            yield Input(placeholder="id or text", id="jump-input")
            yield OptionList(id="jump-results")
        yield KeyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, query: str) -> None:
        ol = self.query_one(OptionList)
        ol.clear_options()
        found = search_items(self.items, query)
        for item in found:
            status = (self.answers.get(item.id) or Answer(item.id)).status
            ol.add_option(Option(Content(f"{mark(status)} {item.id}  {short_title(item.title)}"), id=item.id))
        if not found:
            ol.add_option(Option(Content("No item matches."), id="", disabled=True))
        ol.highlighted = 0 if found else None

    @on(Input.Changed, "#jump-input")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_go(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            opt = ol.get_option_at_index(ol.highlighted)
            if opt.id:
                self.dismiss(opt.id)
                return
        self.notify("No item matches that text.", severity="warning")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        ol = self.query_one(OptionList)
        if ol.option_count:
            ol.highlighted = ((ol.highlighted or 0) + step) % ol.option_count

    def action_close(self) -> None:
        self.dismiss(None)
