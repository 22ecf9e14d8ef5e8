"""Command-palette providers (ctrl+p) of the screens.

`ItemCommands`: go to an item by id or title, on a screen that lists items and can jump to one
(the gap analysis, which lists it in its COMMANDS). The same search as `/` (dialogs/jump.py),
through the palette.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from soc2_tui.labels import short_title, truncate
from soc2_tui.model import Item


@runtime_checkable
class JumpsToItems(Protocol):
    """A screen whose items the palette can go to."""

    applicable: list[Item]

    def jump_to(self, item_id: str) -> None: ...


class ItemCommands(Provider):
    """Command palette: go to an item of the gap analysis by id or title."""

    def _screen(self) -> JumpsToItems | None:
        screen = self.screen
        return screen if isinstance(screen, JumpsToItems) else None

    async def discover(self) -> Hits:
        screen = self._screen()
        if screen is None:
            return
        for item in screen.applicable[:10]:
            yield DiscoveryHit(f"Go to {item.id} {short_title(item.title)}", _go(screen, item.id),
                               help="Gap analysis item")

    async def search(self, query: str) -> Hits:
        screen = self._screen()
        if screen is None:
            return
        matcher = self.matcher(query)
        for item in screen.applicable:
            text = f"Go to {item.id} {short_title(item.title)}"
            score = matcher.match(text)
            if item.id.lower() == query.strip().lower():
                score = 1.0
            if score > 0:
                yield Hit(score, matcher.highlight(text), _go(screen, item.id), text=text,
                          help=truncate(item.question, 90))


def _go(screen: JumpsToItems, item_id: str) -> Callable[[], None]:
    return lambda: screen.jump_to(item_id)
