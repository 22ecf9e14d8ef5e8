"""The scope form never silently overwrites what someone else saved meanwhile (issue 15): a typed
scope answer remembers the value it started from, as the gap analysis's fields do."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, TextArea

from soc2_tui import banks
from soc2_tui.store import Store
from soc2_tui.tui.app import Soc2App
from soc2_tui.tui.dialogs.conflict import ConflictScreen
from soc2_tui.tui.screens.scope import ScopeScreen
from soc2_tui.tui.widgets.scope_field import widget_id

SIZE = (100, 30)
TODAY = date(2026, 11, 26)


async def _scope(app, pilot, aid: int) -> ScopeScreen:
    await pilot.pause()
    app.open_assessment(aid)
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(app.screen, ScopeScreen)
    return app.screen


def _value(store: Store, aid: int, item_id: str):
    ans = store.answer(aid, item_id)
    return ans.value if ans else None


@pytest.mark.parametrize("key, expected", [
    ("b", "Lee: Runs on AWS.\n\nTess: Runs on GCP."),
    ("m", "Runs on GCP."),
    ("t", "Runs on AWS."),
])
async def test_a_long_scope_answer_saved_meanwhile_asks_and_can_keep_both(two, key, expected):
    mine, other, aid = two
    app = Soc2App(mine, banks.load_questionnaire(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        scope = await _scope(app, pilot, aid)
        area = scope.query_one("#" + widget_id("system_description"), TextArea)
        app.set_focus(area)
        await pilot.press(*"Runs on GCP.")
        other.set_answer(aid, "system_description", value="Runs on AWS.", by="Lee")  # while Tess types
        app.set_focus(scope.query_one("#" + widget_id("system_name"), Input))  # leaving saves: not over Lee's
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert _value(mine, aid, "system_description") == "Runs on AWS."
        await pilot.press(key)
        await pilot.pause()
        await app.wait_for_saves()
        assert _value(mine, aid, "system_description") == expected
        assert area.text == expected
        await pilot.pause(1.2)  # the live poll sees the saves: asked once, the field keeps the choice
        assert not isinstance(app.screen, ConflictScreen)
        assert area.text == expected


async def test_a_short_scope_answer_offers_mine_or_theirs_only(two):
    mine, other, aid = two
    app = Soc2App(mine, banks.load_questionnaire(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        scope = await _scope(app, pilot, aid)
        name = scope.query_one("#" + widget_id("system_name"), Input)
        app.set_focus(name)
        await pilot.press(*"Acme Cloud")
        other.set_answer(aid, "system_name", value="Acme Platform", by="Lee")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert not app.screen.query("#both")
        await pilot.press("t")
        await pilot.pause()
        await app.wait_for_saves()
        assert _value(mine, aid, "system_name") == "Acme Platform"
        assert name.value == "Acme Platform"


async def test_an_untouched_scope_field_takes_the_other_value(two):
    mine, other, aid = two
    mine.set_answer(aid, "system_name", value="Acme", by="Setup")
    app = Soc2App(mine, banks.load_questionnaire(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        scope = await _scope(app, pilot, aid)
        name = scope.query_one("#" + widget_id("system_name"), Input)
        app.set_focus(name)
        other.set_answer(aid, "system_name", value="Acme Platform", by="Lee")
        await pilot.pause()
        app.set_focus(scope.query_one("#" + widget_id("system_description"), TextArea))
        await pilot.pause()
        await app.wait_for_saves()
        assert not isinstance(app.screen, ConflictScreen)
        assert _value(mine, aid, "system_name") == "Acme Platform"
        assert name.value == "Acme Platform"
        assert mine.last_change(aid, "system_name").changed_by == "Lee"  # nothing written back over it


async def test_the_audit_period_start_is_guarded_too(two):
    mine, other, aid = two
    app = Soc2App(mine, banks.load_questionnaire(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        scope = await _scope(app, pilot, aid)
        start = scope.query_one("#" + widget_id("period_start"), Input)
        app.set_focus(start)
        await pilot.press(*"2027-01-01")
        other.update_assessment(aid, period_start="2027-02-01", by="Lee")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("m")
        await pilot.pause()
        await app.wait_for_saves()
        assert mine.by_id(aid).period_start == "2027-01-01"


async def test_closing_with_a_conflicting_description_keeps_both_texts(two):
    mine, other, aid = two
    app = Soc2App(mine, banks.load_questionnaire(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        scope = await _scope(app, pilot, aid)
        app.set_focus(scope.query_one("#" + widget_id("system_description"), TextArea))
        await pilot.press(*"typed")
        other.set_answer(aid, "system_description", value="theirs", by="Lee")
        await app.action_quit()
    assert _value(mine, aid, "system_description") == "Lee: theirs\n\nTess: typed"
