"""How the screens use the room they have (issue 16, "Looks"): a tall dashboard is filled, a
date fits its field, a small terminal can still reach every field of the new-assessment form,
the principles come in one order, and a finished section's tick is never cut."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widgets import Button

from soc2_tui.model import PRINCIPLES
from soc2_tui.tui.app import Soc2App
from soc2_tui.tui.dialogs.new_assessment import NewAssessmentScreen
from soc2_tui.tui.screens.dashboard import DashboardScreen, GapTable
from soc2_tui.tui.screens.gaps import GapAnalysisScreen
from soc2_tui.tui.widgets.date_input import DateInput
from soc2_tui.tui.widgets.tick import TickList

TODAY = date(2026, 11, 26)


async def open_dashboard(app: Soc2App, pilot) -> DashboardScreen:
    await pilot.pause()
    app.open_assessment(app.store.get("demo").id)
    await pilot.pause()
    assert isinstance(app.screen, DashboardScreen)
    return app.screen


async def open_gaps(app: Soc2App, pilot) -> GapAnalysisScreen:
    """The demo's gap analysis, from its dashboard (g)."""
    await open_dashboard(app, pilot)
    await pilot.press("g")
    await pilot.pause()
    assert isinstance(app.screen, GapAnalysisScreen)
    return app.screen


async def test_a_tall_dashboard_lists_every_gap_instead_of_stopping_at_25(demo_store, q):
    app = Soc2App(demo_store, q, respondent="Dana", today=TODAY)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_dashboard(app, pilot)
        table = screen.query_one(GapTable)
        assert table.row_count == 57 == len(screen.gap_ids)  # the demo's 57 gaps; was 25
        assert table.size.height >= 29  # the table takes the room left by the lines above and below it


async def test_a_whole_date_fits_its_field_at_80_columns(demo_store, q):
    app = Soc2App(demo_store, q, respondent="Dana", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_gaps(app, pilot)
        field = screen.query_one("#f-due_date", DateInput)
        field.focus()
        await pilot.press(*"2027-09-30")
        await pilot.pause()
        assert field.value == "2027-09-30"
        assert field.scroll_offset.x == 0  # was 1: the first digit scrolled out of sight


async def test_the_new_assessment_form_scrolls_to_every_field_at_60_by_15(demo_store, q):
    app = Soc2App(demo_store, q, respondent="Dana", today=TODAY)
    async with app.run_test(size=(60, 15)) as pilot:
        await pilot.pause()
        app.push_screen(NewAssessmentScreen())
        await pilot.pause()
        dialog = app.screen.query_one("#new-dialog")
        seen = []
        for _ in range(9):  # name … period length, my banks, built-in banks, cancel, create
            await pilot.press("tab")
            await pilot.pause()
            focused = app.focused
            assert focused is not None and focused is not dialog  # the scrolling box is no Tab stop
            assert dialog.region.contains_region(focused.region), focused.id  # scrolled into view
            seen.append(focused.id)
        assert seen[-2:] == ["cancel", "create"]
        assert app.screen.query_one("#create", Button).region.bottom <= 15


async def test_principles_come_in_one_order_in_the_form_and_the_scope(demo_store, q):
    app = Soc2App(demo_store, q, respondent="Dana", today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.push_screen(NewAssessmentScreen())
        await pilot.pause()
        form = [app.screen.query_one("#new-principles", TickList).get_option_at_index(i).value
                for i in range(len(PRINCIPLES))]
    scope = [o.value for o in next(i for i in q.items.values() if i.assessment_field == "principles").options]
    assert form == scope == list(PRINCIPLES)


async def test_a_finished_sections_tick_fits_its_line(demo_store, q):
    app = Soc2App(demo_store, q, respondent="Dana", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_gaps(app, pilot)
        tree = screen.tree
        done = [n for n in screen._section_nodes.values() if str(n.label).endswith(" ✓")]
        assert done, "the demo has a finished section (CC4)"
        for node in done:
            label = node.label if isinstance(node.label, Text) else Text(str(node.label))
            assert label.cell_len <= tree._label_width() - 2


async def test_the_item_text_scrolls_from_the_list_with_brackets(demo_store, q):
    """The pane takes no focus (so Tab goes straight to Notes): ] and [ read its text past the
    fold at 80×24 while the list keeps the focus."""
    app = Soc2App(demo_store, q, respondent="Dana", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_gaps(app, pilot)
        pane = screen.pane
        assert pane.scroll_y == 0 and pane.max_scroll_y > 0
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert pane.scroll_y > 0 and app.focused is screen.tree
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert pane.scroll_y == 0


async def test_a_disagreement_shows_on_the_dashboard_and_in_the_item_pane(demo_store, q):
    """Two respondents set CC3-01's status differently (issue 15): the dashboard counts it and the
    pane says who said what, until it is resolved."""
    a = demo_store.get("demo")
    demo_store.set_answer(a.id, "CC3-01", by="Lee", status="operating")
    demo_store.set_answer(a.id, "CC3-01", by="Sam", status="in_progress")
    app = Soc2App(demo_store, q, respondent="Dana", today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_dashboard(app, pilot)
        counts = str(screen.query_one("#dash-counts").render())
        assert "1 disagreement to settle" in counts
        await pilot.press("g")
        await pilot.pause()
        gaps = app.screen
        assert isinstance(gaps, GapAnalysisScreen)  # from the dashboard just read, not open_gaps
        gaps.tree.go_to(gaps.tree.node("item", "CC3-01"))
        await pilot.pause()
        last = str(gaps.pane.query_one("#ip-last").render())
        assert "Answered differently: Lee: Operating (" in last and "; Sam: In progress (" in last
    demo_store.resolve(a.id, "CC3-01", "agreed: quarterly reviews are not yet evidenced", by="Dana")
    app = Soc2App(demo_store, q, respondent="Dana", today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_dashboard(app, pilot)
        assert "disagreement" not in str(screen.query_one("#dash-counts").render())


async def test_filter_6_shows_only_the_disagreements_and_follows_new_ones(demo_store, q):
    a = demo_store.get("demo")
    demo_store.set_answer(a.id, "CC3-01", by="Lee", status="operating")
    demo_store.set_answer(a.id, "CC3-01", by="Sam", status="in_progress")
    app = Soc2App(demo_store, q, respondent="Dana", today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_gaps(app, pilot)
        await pilot.press("6")
        await pilot.pause()
        assert list(screen.tree.item_nodes) == ["CC3-01"]
        await pilot.press("i")  # Dana answers too: still a disagreement (three positions now)
        await app.wait_for_saves()
        await pilot.pause()
        assert "CC3-01" in screen.tree.item_nodes
        demo_store.resolve(a.id, "CC3-01", "agreed: implemented, evidence due in January", by="Dana")
        await pilot.press("1", "6")
        await pilot.pause()
        assert list(screen.tree.item_nodes) == []


def test_a_resolution_reads_as_one_in_the_last_change_line():
    from soc2_tui.model import Change
    from soc2_tui.tui.widgets.item_text import describe_change

    change = Change(1, "demo", "CC3-01", "resolved", '{"Lee": "operating"}', "agreed: implemented", "Dana",
                    "2026-11-30T10:00:00+00:00")
    assert describe_change(change).startswith("Disagreement resolved: agreed: implemented by Dana, ")
