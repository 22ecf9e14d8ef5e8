"""What the dashboard of the demo says about warnings and the points closing a gap adds."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Static

from soc2_tui.tui.app import Soc2App
from soc2_tui.tui.screens.dashboard import DashboardScreen, GapTable

TODAY = date(2026, 11, 26)


async def test_warnings_are_counted_by_kind_on_the_dashboard(demo_store, q):
    """45 warnings in one number said nothing; by kind, the policy reviews stand apart from the
    controls (issue #16). Each one is still listed in the report's Warnings section."""
    app = Soc2App(demo_store, q, respondent="Dana", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        counts = str(app.screen.query_one("#dash-counts", Static).render())
    # 24, not 45 (issue 19): a policy in force to the period's end and a control whose next run is
    # due inside the period are fine.
    assert "24 warnings (r: the report lists each)" in counts
    assert "8 policy reviews may miss the period" in counts and "11 controls too rare in the period" in counts
    assert "3 started mid-period" in counts and "1 N/A without a note" in counts
    assert "1 policy review overdue" in counts


@pytest.mark.parametrize("width", [80, 130])
async def test_if_closed_shows_the_overall_points_first(demo_store, q, width):
    """'+7.5 availability' beside '+0.9 security' compared two scales; the overall points come
    first, a principle's after when there is room (issue #16)."""
    app = Soc2App(demo_store, q, respondent="Dana", today=TODAY)
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one(GapTable)
        cells = {str(table.get_row(key)[1]): str(table.get_row(key)[4]) for key in table.rows}
    if width == 80:
        assert cells["A1-08"] == "+0.8 overall" and cells["CC3-02"] == "+0.8 overall"
    else:
        assert cells["A1-08"] == "+0.8 overall (+7.7 availability)"
        assert cells["C1-09"] == "+0.6 overall (+6.8 confidentiality)"


def test_the_item_pane_says_the_overall_points_first(demo_store, q):
    from soc2_tui import scoring
    from soc2_tui.tui.widgets.item_text import points_text

    a = demo_store.get("demo")
    answers = demo_store.answers(a.id)
    result = scoring.score(q, a, answers, today=TODAY)
    text = points_text(q.items["A1-08"], answers.get("A1-08"), result)
    assert text == "Reaching operating would add +0.8 overall (+7.7 Availability, +0.8 Security)."
