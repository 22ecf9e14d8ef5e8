"""Two writers on one file: what another program changes shows on every open screen without a key
press, and a text field never silently overwrites what someone else saved meanwhile (issue 15)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

sys.path.insert(0, str(Path(__file__).parent / "snapshot_apps"))

from soc2_tui.store import Store, follow  # noqa: E402
from soc2_tui.tui.app import Soc2App  # noqa: E402
from soc2_tui.tui.dialogs.conflict import ConflictScreen  # noqa: E402
from soc2_tui.tui.screens.dashboard import DashboardScreen  # noqa: E402
from soc2_tui.tui.screens.gaps import GapAnalysisScreen  # noqa: E402
from soc2_tui.tui.widgets.principle_bar import PrincipleBar  # noqa: E402

SIZE = (100, 30)
TODAY = date(2026, 11, 26)


async def wait_live(app, pilot, seconds: float = 1.2) -> None:
    """Long enough for the poll (twice a second) to notice, with no key pressed."""
    await pilot.pause(seconds)
    await app.wait_for_saves()
    await pilot.pause()


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def overall(app) -> str:
    return str(app.screen.query_one("#bar-overall", PrincipleBar).render())


async def test_another_programs_change_reaches_tree_pane_and_dashboard_without_a_key(two):
    mine, other, aid = two
    app = Soc2App(mine, _q(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_assessment(aid)
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        before = overall(app)
        other.set_answer(aid, "CC6-01", status="operating", by="Lee")
        await wait_live(app, pilot)
        assert overall(app) != before  # re-scored, no key pressed
        assert any("Lee set" in n and "Operating" in n for n in notes(app))
        assert "Lee" in str(app.screen.query_one("#dash-people").render())

        await pilot.press("g")
        await pilot.pause()
        gaps = app.screen
        assert isinstance(gaps, GapAnalysisScreen)
        gaps.jump_to("CC6-02")
        await pilot.pause()
        other.set_answer(aid, "CC6-02", status="implemented", notes="Checked by Lee", by="Lee")
        await wait_live(app, pilot)
        assert "◑" in str(gaps._item_nodes["CC6-02"].label)
        assert gaps.sub_title.endswith("also here: Lee")  # the header names the participants on every screen
        other.set_answer(aid, "CC6-05", flagged=True, by="Sam")
        await wait_live(app, pilot)
        # Most recent first; not Setup, who wrote before the app opened.
        assert gaps.sub_title.endswith("also here: Sam, Lee")
        assert gaps.pane.query_one("#f-notes", TextArea).text == "Checked by Lee"
        assert "Implemented" in str(gaps.pane.query_one("#ip-answer").render())

        # While typing in a field, a change from elsewhere does not fill over it.
        notes_area = gaps.pane.query_one("#f-notes", TextArea)
        app.set_focus(notes_area)
        await pilot.press(*" and Tess")
        other.set_answer(aid, "CC6-02", owner="Sam", by="Sam")
        await wait_live(app, pilot)
        assert notes_area.text == "Checked by Lee and Tess"
        assert gaps.pane.query_one("#f-owner", Input).value == "Sam"
        gaps.tree.focus()
        await pilot.pause()
        await app.wait_for_saves()
        assert mine.answer(aid, "CC6-02").notes == "Checked by Lee and Tess"

        # The dashboard underneath shows the other program's changes when shown again.
        gaps_seen = overall_before = None
        await pilot.press("escape")
        await pilot.pause()
        overall_before = overall(app)
        await pilot.press("g")
        await pilot.pause()
        gaps_seen = app.screen
        other.set_answer(aid, "CC6-03", status="operating", by="Lee")
        await wait_live(app, pilot)
        assert "●" in str(gaps_seen._item_nodes["CC6-03"].label)
        await pilot.press("escape")
        await pilot.pause()
        assert overall(app) != overall_before


async def test_own_writes_are_not_reported_as_someone_elses(two):
    mine, _other, aid = two
    app = Soc2App(mine, _q(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.save_answer(aid, "CC6-01", status="operating")
        app.update_assessment(aid, organisation="Acme plc")
        await wait_live(app, pilot)
        assert not [n for n in notes(app) if "set" in n or "changed" in n]


async def test_a_write_by_another_process_reaches_the_open_screen(two):
    import subprocess

    mine, _other, aid = two
    app = Soc2App(mine, _q(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        gaps = await _gaps_on(app, pilot, aid, "CC6-02")
        code = ("import sys; from soc2_tui.store import Store; s = Store(sys.argv[1]); "
                "s.set_answer(int(sys.argv[2]), 'CC6-02', status='operating', notes='From Lee', by='Lee'); s.close()")
        subprocess.run([sys.executable, "-c", code, str(mine.path), str(aid)], check=True, timeout=60)
        await wait_live(app, pilot)
        assert "●" in str(gaps._item_nodes["CC6-02"].label)
        assert gaps.pane.query_one("#f-notes", TextArea).text == "From Lee"
        assert any("Lee set" in n for n in notes(app))


async def test_a_second_terminal_under_the_same_name_is_still_followed(two):
    mine, other, aid = two
    app = Soc2App(mine, _q(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.save_answer(aid, "CC6-01", notes="mine")  # a write of ours on the same field is under way
        other.set_answer(aid, "CC6-01", notes="from the other terminal", by="Tess")
        await wait_live(app, pilot)
        assert any("Tess" in n and "notes" in n for n in notes(app))  # not taken for our own row


async def test_a_pending_file_made_by_another_program_is_followed(tmp_path):
    path = tmp_path / "later.db"
    mine = Store(path, later=True)
    app = Soc2App(mine, _q(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.7)
        assert not path.exists()
        other = Store(path)
        other.create("Made elsewhere", by="Lee")
        await wait_live(app, pilot)
        assert "Made elsewhere" in str(app.screen.query_one("#list").render()) or any(
            "Made elsewhere" in str(r) for r in getattr(app.screen, "rows", []))
        other.close()
    mine.close()


def test_the_poll_reads_one_integer_when_nothing_changed(two):
    mine, other, aid = two
    before = follow.data_version(mine)
    assert follow.data_version(mine) == before
    other.set_answer(aid, "CC6-01", status="operating", by="Lee")
    assert follow.data_version(mine) != before
    rows = follow.changes_since(mine, 0)
    assert rows[-1].change.changed_by == "Lee" and rows[-1].assessment_id == aid
    assert "Lee" in follow.recent_authors(mine, "2000-01-01")


def _q():
    from soc2_tui import banks

    return banks.load_questionnaire()


# --------------------------------------------------------------------------- no silent overwrites


async def _gaps_on(app, pilot, aid: int, item_id: str) -> GapAnalysisScreen:
    await pilot.pause()
    app.open_assessment(aid)
    await pilot.pause()
    await pilot.press("g")
    await pilot.pause()
    gaps = app.screen
    assert isinstance(gaps, GapAnalysisScreen)
    gaps.jump_to(item_id)
    await pilot.pause()
    return gaps


@pytest.mark.parametrize("key, expected", [
    ("b", "Lee: Lee's view\n\nTess: Tess's view"),
    ("m", "Tess's view"),
    ("t", "Lee's view"),
])
async def test_concurrent_note_edits_ask_keep_mine_theirs_or_both(two, key, expected):
    mine, other, aid = two
    app = Soc2App(mine, _q(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        gaps = await _gaps_on(app, pilot, aid, "CC6-02")
        area = gaps.pane.query_one("#f-notes", TextArea)
        app.set_focus(area)
        await pilot.press(*"Tess's view")
        other.set_answer(aid, "CC6-02", notes="Lee's view", by="Lee")  # saved while Tess types
        gaps.tree.focus()  # leaving the field saves it: but not over Lee's note
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert mine.answer(aid, "CC6-02").notes == "Lee's view"
        shown = str(app.screen.query_one("#conflict-theirs").render()) + str(
            app.screen.query_one("#conflict-mine").render())
        assert "Lee's view" in shown and "Tess's view" in shown
        await pilot.press(key)
        await pilot.pause()
        await app.wait_for_saves()
        assert mine.answer(aid, "CC6-02").notes == expected
        assert area.text == expected
        await wait_live(app, pilot)
        assert not isinstance(app.screen, ConflictScreen)  # asked once


async def test_an_untouched_field_takes_the_other_value_instead_of_saving_over_it(two):
    mine, other, aid = two
    mine.set_answer(aid, "CC6-02", owner="Pat", by="Setup")
    app = Soc2App(mine, _q(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        gaps = await _gaps_on(app, pilot, aid, "CC6-02")
        owner = gaps.pane.query_one("#f-owner", Input)
        app.set_focus(owner)
        other.set_answer(aid, "CC6-02", owner="Sam", by="Sam")
        await pilot.pause()
        gaps.tree.focus()
        await wait_live(app, pilot)  # the field takes Sam's value at the next poll, which a loaded machine delays
        assert mine.answer(aid, "CC6-02").owner == "Sam"
        assert owner.value == "Sam"
        assert not isinstance(app.screen, ConflictScreen)


async def test_a_date_conflict_offers_mine_or_theirs_only(two):
    mine, other, aid = two
    app = Soc2App(mine, _q(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        gaps = await _gaps_on(app, pilot, aid, "CC6-02")
        due = gaps.pane.query_one("#f-due_date", Input)
        app.set_focus(due)
        await pilot.press(*"2026-12-01")
        other.set_answer(aid, "CC6-02", due_date="2026-12-24", by="Lee")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert not app.screen.query("#both")
        await pilot.press("escape")  # no "both" for a date: asked again
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("m")
        await pilot.pause()
        await app.wait_for_saves()
        assert mine.answer(aid, "CC6-02").due_date == "2026-12-01"


async def test_quitting_with_a_conflicting_note_keeps_both_texts(two):
    mine, other, aid = two
    app = Soc2App(mine, _q(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        gaps = await _gaps_on(app, pilot, aid, "CC6-02")
        app.set_focus(gaps.pane.query_one("#f-notes", TextArea))
        await pilot.press(*"typed")
        other.set_answer(aid, "CC6-02", notes="theirs", by="Lee")
        await app.action_quit()
    assert mine.answer(aid, "CC6-02").notes == "Lee: theirs\n\nTess: typed"


async def test_the_policy_editor_asks_instead_of_overwriting(two):
    from soc2_tui.tui.dialogs.policy_edit import PolicyEditScreen
    from soc2_tui.tui.screens.policies import PolicyScreen

    mine, other, aid = two
    app = Soc2App(mine, _q(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_assessment(aid)
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        policies = app.screen
        assert isinstance(policies, PolicyScreen)
        item = policies.current_item()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PolicyEditScreen)
        await pilot.press(*"Tess")  # the owner field
        await pilot.press("tab", *"Ann")  # the approver
        other.set_answer(aid, item.id, owner="Lee", by="Lee")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert mine.answer(aid, item.id).approver == "Ann"  # no conflict there: saved
        assert mine.answer(aid, item.id).owner == "Lee"
        await pilot.press("b")
        await pilot.pause()
        await app.wait_for_saves()
        assert mine.answer(aid, item.id).owner == "Lee, Tess"
