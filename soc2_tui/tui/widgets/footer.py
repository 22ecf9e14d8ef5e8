"""The footer used by every screen: Textual's Footer, compact when the terminal is narrow."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

COMPACT_BELOW = 100


class KeyFooter(Footer):
    """Every key of the screen, spaced out on wide terminals and packed on narrow ones."""

    def on_mount(self) -> None:
        # Decided from the terminal's width before the keys are first drawn (a change after
        # that restyles every key: measurable at start-up).
        self.compact = self.app.size.width < COMPACT_BELOW

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
