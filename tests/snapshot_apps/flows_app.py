"""The app opened straight on one of the flow screens (scope, gap analysis, policies).

Used by tests/test_tui_flows.py and by the flows_* snapshot scripts. The demo assessment is
built in a temporary file with the store's clock pinned, so "last change" lines are the same on
every run; today is pinned too and the respondent is fixed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import soc2_tui.store.codec as store_codec
import soc2_tui.tui.app as app_module
from soc2_tui import banks, model
from soc2_tui.demo import create_demo
from soc2_tui.store import Store
from soc2_tui.tui.app import Soc2App

TODAY = date(2026, 11, 26)
RESPONDENT = "Tess"
STAMP = "2026-11-20T09:30:00.000000Z"

_Q: model.Questionnaire | None = None


def questionnaire() -> model.Questionnaire:
    global _Q
    if _Q is None:
        _Q = banks.load_questionnaire()
    return _Q


@contextmanager
def pinned_clock(stamp: str = STAMP) -> Iterator[None]:
    """Make the store write a fixed time (history rows, answered_at)."""
    real = store_codec.now
    store_codec.now = lambda: stamp
    try:
        yield
    finally:
        store_codec.now = real


def demo_store(directory: str | Path) -> tuple[Store, int]:
    q = questionnaire()
    store = Store(Path(directory) / "flows.db")
    with pinned_clock():
        a = create_demo(store, q)
    return store, a.id


class FlowsApp(Soc2App):
    """Soc2App that opens one screen directly instead of the assessments list."""

    CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")

    def __init__(self, store: Store, make_screen: Callable[[], object], today: date = TODAY) -> None:
        super().__init__(store, questionnaire(), respondent=RESPONDENT, today=today)
        self._make_screen = make_screen

    def on_mount(self, event) -> None:  # noqa: ANN001
        event.prevent_default()  # not the assessments list: straight to the screen under test
        self.push_screen(self._make_screen())


def screen_factory(name: str, assessment_id: int) -> Callable[[], object]:
    def make() -> object:
        if name == "gaps":
            from soc2_tui.tui.screens.gaps import GapAnalysisScreen

            return GapAnalysisScreen(assessment_id)
        if name == "policies":
            from soc2_tui.tui.screens.policies import PolicyScreen

            return PolicyScreen(assessment_id)
        from soc2_tui.tui.screens.scope import ScopeScreen

        return ScopeScreen(assessment_id)

    return make


def demo_app(name: str) -> FlowsApp:
    """The app on the demo assessment, opened on screen `name` (for snapshot scripts)."""
    directory = tempfile.mkdtemp(prefix="soc2-flows-")
    store, aid = demo_store(directory)
    return FlowsApp(store, screen_factory(name, aid))
