"""What the dashboard of the demo says about warnings and the points closing a gap adds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Static

from soc2_tui import demo
from soc2_tui.store import Store
from soc2_tui.tui.app import Soc2App
from soc2_tui.tui.screens.dashboard import DashboardScreen

TODAY = date(2026, 11, 26)


@pytest.fixture
def demo_store(tmp_path, q):
    store = Store(Path(tmp_path) / "demo.db")
    demo.create_demo(store, q)
    yield store
    store.close()


async def test_warnings_are_counted_by_kind_on_the_dashboard(demo_store, q):
    """45 warnings in one number said nothing; by kind, the policy reviews stand apart from the
    controls (issue #16). Each one is still listed in the report's Warnings section."""
    app = Soc2App(demo_store, q, respondent="Dana", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        counts = str(app.screen.query_one("#dash-counts", Static).render())
    assert "45 warnings (r: the report lists each)" in counts
    assert "21 policy reviews may miss the period" in counts and "19 controls too rare in the period" in counts
    assert "3 started mid-period" in counts and "1 N/A without a note" in counts
    assert "1 policy review overdue" in counts
