"""Pilot tests of the three flows: gap analysis, policy checklist and scope."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

sys.path.insert(0, str(Path(__file__).parent / "snapshot_apps"))

from flows_app import RESPONDENT, FlowsApp, questionnaire, screen_factory  # noqa: E402

from soc2_tui import scoring  # noqa: E402
from soc2_tui.store import Store  # noqa: E402
from soc2_tui.tui.dialogs.jump import JumpScreen, search_items  # noqa: E402
from soc2_tui.tui.dialogs.policy_edit import PolicyEditScreen  # noqa: E402
from soc2_tui.tui.screens.gaps import GapAnalysisScreen  # noqa: E402
from soc2_tui.tui.screens.policies import PolicyScreen  # noqa: E402
from soc2_tui.tui.screens.scope import ScopeScreen, scope_change_message  # noqa: E402
from soc2_tui.tui.widgets.date_input import FieldError, date_error  # noqa: E402
from soc2_tui.tui.widgets.item_text import describe_change, points_text  # noqa: E402
from soc2_tui.tui.widgets.scope_field import parse_list  # noqa: E402

SIZE = (100, 30)


@pytest.fixture
def db(tmp_path):
    store = Store(tmp_path / "flows.db")
    a = store.create("Acme", organisation="Acme Ltd", principles=["security"], period_start="2026-10-01",
                     period_months=6, by="Setup")
    yield store, a.id
    store.close()


def make_app(store: Store, aid: int, name: str) -> FlowsApp:
    return FlowsApp(store, screen_factory(name, aid))


async def settle(app, pilot) -> None:
    """Wait until every save has been written and the screens have reacted."""
    await pilot.pause()
    await app.wait_for_saves()
    await pilot.pause()
    await pilot.pause()


def tree_ids(screen: GapAnalysisScreen) -> list[str]:
    return [node.data.id for node in screen._item_nodes.values()]


def cursor_id(screen: GapAnalysisScreen) -> str | None:
    node = screen.tree.cursor_node
    return node.data.id if node and node.data else None


async def type_into(pilot, widget: Input, text: str, then: str = "enter") -> None:
    """Focus an input, fill all but the last character, then type that character and `then`."""
    widget.focus()
    await pilot.pause()
    widget.value = text[:-1]
    await pilot.press("end", text[-1], *([then] if then else []))


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


# --------------------------------------------------------------------------- pure helpers


def test_search_items_ranks_id_before_text():
    q = questionnaire()
    items = [i for i in q.items.values() if i.kind == "control"]
    assert search_items(items, "cc6-03")[0].id == "CC6-03"
    found = search_items(items, "MFA")
    assert found and all("mfa" in (i.id + i.title + i.question + i.guidance).lower() for i in found)
    assert search_items(items, "zzzz-no-such-thing") == []


def test_date_error_and_scope_helpers():
    assert date_error("") is None and date_error("2026-02-28") is None
    assert "YYYY-MM-DD" in date_error("28/02/2026")
    assert "not a real date" in date_error("2026-02-30")
    assert scope_change_message({"a"}, {"a"}) is None
    assert scope_change_message({"a", "b", "c"}, {"a", "x", "y"}) == \
        "Scope changed: +2 items now apply, −2 no longer apply"
    assert scope_change_message(set(), {"x"}) == "Scope changed: +1 item now applies"
    assert parse_list(" AWS: hosting ;; Cloudflare: CDN; ") == ["AWS: hosting", "Cloudflare: CDN"]
    assert parse_list(" ; ") is None


def test_last_change_and_points_texts():
    from soc2_tui.model import Answer, Assessment, Change

    stamp = "2026-11-20T09:30:00.000000Z"
    assert describe_change(Change(1, "a", "CC1-01", "status", None, "operating", "Dana", stamp)) == \
        "Status set to Operating by Dana, 2026-11-20 09:30 UTC"
    assert describe_change(Change(1, "a", "POL-01", "status", "in_progress", "implemented", "Dana", stamp),
                           policy=True).startswith("Status set to Approved by Dana")
    assert describe_change(Change(1, "a", "POL-01", "evidence", None, "Wiki", "Dana", stamp), policy=True) \
        .startswith("Document set to Wiki")
    assert describe_change(Change(1, "a", "CC1-01", "flagged", "0", "1", "", stamp)) == \
        "Flagged for follow-up by someone who gave no name, 2026-11-20 09:30 UTC"

    q = questionnaire()
    a = Assessment(1, "t", report_type="type2", principles=("security",))
    item = q.items["CC6-03"]
    result = scoring.score(q, a, {})
    sec = 100 * item.weight / result.principles["security"].possible
    overall = 100 * item.weight / result.overall.possible
    assert points_text(item, None, result) == \
        f"Reaching operating would add +{overall:.1f} overall (+{sec:.1f} Security)."
    half = {"CC6-03": Answer("CC6-03", status="implemented")}
    result = scoring.score(q, a, half)
    assert points_text(item, half["CC6-03"], result) == \
        f"Reaching operating would add +{overall / 2:.1f} overall (+{sec / 2:.1f} Security)."
    done = Answer("CC6-03", status="operating")
    assert points_text(item, done, scoring.score(q, a, {"CC6-03": done})).startswith("At target")
    na = Answer("CC6-03", status="not_applicable")
    assert "does not count" in points_text(item, na, scoring.score(q, a, {"CC6-03": na}))


# --------------------------------------------------------------------------- gap analysis


async def test_answer_items_by_keyboard_saves_status_and_respondent(db):
    store, aid = db
    app = make_app(store, aid, "gaps")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, GapAnalysisScreen)
        assert cursor_id(screen) == "CC1-01"  # the first unanswered item
        for key in "owixn":
            await pilot.press(key)
        await settle(app, pilot)
        answers = store.answers(aid)
        expected = {"CC1-01": "operating", "CC1-02": "in_progress", "CC1-03": "implemented",
                    "CC1-04": "not_applicable", "CC1-05": "not_started"}
        assert {k: answers[k].status for k in expected} == expected
        assert {answers[k].answered_by for k in expected} == {RESPONDENT}
        assert store.last_change(aid, "CC1-04").changed_by == RESPONDENT
        # The tree shows each new mark, and the section its progress.
        labels = {n.data.id: str(n.label) for n in screen._item_nodes.values()}
        assert labels["CC1-01"].startswith("●o CC1-01")
        assert labels["CC1-02"].startswith("◐w CC1-02")
        assert labels["CC1-04"].startswith("–x CC1-04")
        assert str(screen._section_nodes["CC1"].label).endswith(" 5/9")
        # N/A without a note gets a nudge in the pane.
        await pilot.press("up", "up")
        assert cursor_id(screen) == "CC1-04"
        assert "Add a note saying why" in str(screen.query_one("#ip-warning").render())


async def test_auto_advance_moves_to_next_item_and_can_be_turned_off(db):
    store, aid = db
    app = make_app(store, aid, "gaps")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        order = tree_ids(screen)
        assert cursor_id(screen) == order[0]
        await pilot.press("o")
        assert cursor_id(screen) == order[1]
        await pilot.press("a")  # auto-advance off
        assert screen.auto_advance is False
        assert screen.query_one("#ip-advance", Checkbox).value is False
        await pilot.press("i")
        await settle(app, pilot)
        assert cursor_id(screen) == order[1]
        assert store.answers(aid)[order[1]].status == "implemented"
        # The pane shows the saved answer and who gave it.
        assert "Implemented" in str(screen.query_one("#ip-answer").render())
        assert f"by {RESPONDENT}" in str(screen.query_one("#ip-last").render())
        # The status buttons do the same as the keys.
        await pilot.click("#status-operating")
        await settle(app, pilot)
        assert store.answers(aid)[order[1]].status == "operating"
        assert screen.query_one("#status-operating").has_class("-current")


async def test_filters_show_only_gaps_critical_flagged_unanswered(db):
    store, aid = db
    q = questionnaire()
    store.set_answer(aid, "CC6-03", status="in_progress", by="x")  # critical gap
    store.set_answer(aid, "CC1-01", status="not_started", by="x")  # gap
    store.set_answer(aid, "CC1-02", status="operating", flagged=True, by="x")  # at target, flagged
    app = make_app(store, aid, "gaps")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        a = store.by_id(aid)
        result = scoring.score(q, a, store.answers(aid))
        applicable = [i.id for i in scoring.applicable_items(q, a, store.answers(aid)) if i.kind == "control"]
        assert sorted(tree_ids(screen)) == sorted(applicable)

        await pilot.press("3")
        gaps = [g.item.id for g in result.gaps]
        assert sorted(tree_ids(screen)) == sorted(gaps) == ["CC1-01", "CC6-03"]
        assert str(screen.query_one("#gap-filter", Select).value) == "gaps"

        await pilot.press("4")
        ids = tree_ids(screen)
        assert ids and all(q.items[i].severity == "critical" for i in ids)
        assert sorted(ids) == sorted(i for i in applicable if q.items[i].severity == "critical")

        await pilot.press("5")
        assert tree_ids(screen) == ["CC1-02"]

        await pilot.press("2")
        assert set(tree_ids(screen)) == set(applicable) - {"CC6-03", "CC1-01", "CC1-02"}
        # Answering in the "unanswered" view takes the item out of it.
        first = cursor_id(screen)
        await pilot.press("o")
        await settle(app, pilot)
        assert first not in tree_ids(screen)
        assert cursor_id(screen) != first

        await pilot.press("1")
        assert len(tree_ids(screen)) == len(applicable)

        # f flags the highlighted item for follow-up, and again removes the flag.
        first = cursor_id(screen)
        await pilot.press("f")
        await settle(app, pilot)
        assert store.answers(aid)[first].flagged is True
        assert "⚑" in str(screen._item_nodes[first].label)
        await pilot.press("5")
        assert sorted(tree_ids(screen)) == sorted(["CC1-02", first])
        await pilot.press("f")
        await settle(app, pilot)
        assert store.answers(aid)[first].flagged is False
        assert tree_ids(screen) == ["CC1-02"]


async def test_slash_jumps_to_an_item_by_id_even_when_filtered_out(db):
    store, aid = db
    app = make_app(store, aid, "gaps")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("/")
        assert isinstance(app.screen, JumpScreen)
        await pilot.press(*"cc6-03", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert cursor_id(screen) == "CC6-03"
        assert "CC6-03" in str(screen.query_one("#ip-title").render())

        # Filtered out: the jump shows all items again and says so.
        await pilot.press("5")  # flagged: none
        assert tree_ids(screen) == []
        await pilot.press("/")
        app.screen.query_one("#jump-input", Input).value = "CC7-01"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert screen.filter == "all"
        assert cursor_id(screen) == "CC7-01"
        assert any("hidden by" in m for m in notes(app))

        # Text search, and escape closes without moving.
        await pilot.press("/")
        await type_into(pilot, app.screen.query_one("#jump-input", Input), "penetration", then="")
        results = app.screen.query_one("#jump-results")
        assert results.option_count >= 1
        await pilot.press("escape")
        assert cursor_id(screen) == "CC7-01"

        # The command palette finds items the same way.
        from soc2_tui.tui.commands import ItemCommands

        hits = [h async for h in ItemCommands(screen).search("CC6-03")]
        assert hits and hits[0].text.startswith("Go to CC6-03")
        hits[0].command()
        await pilot.pause()
        assert cursor_id(screen) == "CC6-03"


async def test_fields_save_on_enter_and_blur_bad_date_refused_nothing_lost(db):
    store, aid = db
    app = make_app(store, aid, "gaps")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        item = cursor_id(screen)
        app.set_focus(screen.query_one("#f-owner", Input))
        await pilot.press(*"Pri", "enter")
        await settle(app, pilot)
        assert store.answers(aid)[item].owner == "Pri"

        notes_area = screen.query_one("#f-notes", TextArea)
        app.set_focus(notes_area)
        await pilot.press(*"Rolled ")
        notes_area.insert("out in May")
        app.set_focus(screen.query_one("#f-evidence", Input))  # blur saves the notes
        await settle(app, pilot)
        assert store.answers(aid)[item].notes == "Rolled out in May"

        due = screen.query_one("#f-due_date", Input)
        await type_into(pilot, due, "2026-13-01")
        await settle(app, pilot)
        error = screen.query_one("#err-due_date", FieldError)
        assert error.has_class("-shown")
        assert "not a real date" in str(error.render()) and "Not saved" in str(error.render())
        assert store.answers(aid)[item].due_date is None

        await type_into(pilot, due, "2026-12-01", then="tab")
        await settle(app, pilot)
        assert not error.has_class("-shown")
        assert store.answers(aid)[item].due_date == "2026-12-01"
        saved = store.answers(aid)[item]  # notes and a date, no status: not "answered by" anyone yet
        assert (saved.notes_by, saved.details_by, saved.answered_by) == (RESPONDENT, RESPONDENT, "")

        # Moving to another item keeps what was typed: it is saved first.
        since = screen.query_one("#f-operating_since", Input)
        await type_into(pilot, since, "2026-09-15", then="")
        screen.tree.focus()
        await pilot.press("down")
        await settle(app, pilot)
        assert store.answers(aid)[item].operating_since == "2026-09-15"
        nxt = cursor_id(screen)
        assert nxt != item

        # Text typed but not yet saved is written when the app quits.
        app.set_focus(notes_area)
        await pilot.press(*"typed")
        await app.action_quit()
    assert store.answers(aid)[nxt].notes == "typed"


# --------------------------------------------------------------------------- policies


async def test_policy_status_and_owner_are_edited(db):
    store, aid = db
    store.set_answer(aid, "POL-03", status="operating", last_reviewed="2025-01-10", by="x")
    app = make_app(store, aid, "policies")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PolicyScreen)
        table = screen.table
        first = screen.items[0].id
        assert screen.current_item().id == first
        await pilot.press("c")  # current
        await pilot.press("down", "d")  # draft
        await settle(app, pilot)
        answers = store.answers(aid)
        assert answers[first].status == "operating"
        assert answers[screen.items[1].id].status == "in_progress"
        assert str(table.get_cell(first, "status")).endswith("Current")
        assert str(table.get_cell(screen.items[1].id, "status")).endswith("Draft")
        # The gap-analysis keys work too.
        await pilot.press("n")
        await settle(app, pilot)
        assert store.answers(aid)[screen.items[1].id].status == "not_started"
        assert str(table.get_cell(screen.items[1].id, "status")).endswith("Missing")

        # enter opens the editor; ctrl+s saves owner and approver.
        await pilot.press("up", "enter")
        assert isinstance(app.screen, PolicyEditScreen)
        await pilot.press(*"Dana", "tab", *"CEO")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        ans = store.answers(aid)[first]
        assert (ans.owner, ans.approver, ans.answered_by) == ("Dana", "CEO", RESPONDENT)
        assert str(table.get_cell(first, "owner")) == "Dana"

        # A stale review is marked in the table and explained below it.
        ids = [i.id for i in screen.items]
        table.move_cursor(row=ids.index("POL-03"))
        await pilot.pause()
        assert str(table.get_cell("POL-03", "reviewed")) == "2025-01-10 !"
        assert "Review overdue" in str(screen.query_one("#pol-detail-text").render())


async def test_policy_editor_refuses_a_bad_date_escape_saves_and_cancel_drops_the_edits(db):
    store, aid = db
    app = make_app(store, aid, "policies")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        first = screen.items[0].id
        await pilot.press("enter")
        editor = app.screen
        await type_into(pilot, editor.query_one("#pe-last_reviewed", Input), "2026-02-31")
        assert app.screen is editor
        assert editor.query_one("#pe-error", FieldError).has_class("-shown")
        await pilot.press("backspace", "backspace", "2", "8", "enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert store.answers(aid)[first].last_reviewed == "2026-02-28"

        await pilot.press("enter", *"Someone", "escape")  # esc saves, as in the gap analysis and the scope
        await settle(app, pilot)
        assert app.screen is screen
        assert store.answers(aid)[first].owner == "Someone"

        await pilot.press("enter", *" Else", "ctrl+g")  # the explicit cancel key
        await settle(app, pilot)
        assert app.screen is screen and store.answers(aid)[first].owner == "Someone"
        await pilot.press("enter", *" Else")
        await pilot.click("#pe-cancel")  # and the button
        await settle(app, pilot)
        assert app.screen is screen and store.answers(aid)[first].owner == "Someone"


async def test_a_date_field_keeps_what_was_typed_and_quotes_it(db):
    # It used to accept only digits and '-': 30/09/2027 became 30092027 and the error quoted that.
    store, aid = db
    app = make_app(store, aid, "policies")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        editor = app.screen
        field = editor.query_one("#pe-last_reviewed", Input)
        field.focus()
        await pilot.press(*"30/09/2026", "enter")
        assert field.value == "30/09/2026" and app.screen is editor
        error = str(editor.query_one("#pe-error", FieldError).render())
        assert "“30/09/2026” is not a date" in error and "YYYY-MM-DD" in error
        await pilot.press(*"Sept")
        assert field.value == "30/09/2026Sept"


async def test_the_policy_editor_refuses_a_review_date_still_to_come(db):
    store, aid = db
    app = make_app(store, aid, "policies")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = app.screen.items[0].id
        await pilot.press("enter")
        editor = app.screen
        await type_into(pilot, editor.query_one("#pe-last_reviewed", Input), "2030-01-15")
        assert app.screen is editor
        error = str(editor.query_one("#pe-error", FieldError).render())
        assert "2030-01-15 is in the future (today is 2026-11-26)" in error
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is editor and store.answers(aid).get(first) is None


# --------------------------------------------------------------------------- scope


async def test_scope_principles_change_adds_items_and_notifies_counts(db):
    store, aid = db
    q = questionnaire()
    before = {i.id for i in scoring.applicable_items(q, store.by_id(aid), store.answers(aid))}
    app = make_app(store, aid, "scope")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ScopeScreen)
        principles = screen.query_one("#sc-principles", SelectionList)
        assert app.focused is principles
        # Security cannot be unticked.
        assert principles.get_option_at_index(0).disabled
        assert principles.highlighted == 1  # availability: security is skipped
        await pilot.press("space")  # tick availability
        await settle(app, pilot)
        a = store.by_id(aid)
        assert a.principles == ("security", "availability")
        assert store.history(aid, "principles")[-1].changed_by == RESPONDENT
        after = {i.id for i in scoring.applicable_items(q, a, store.answers(aid))}
        added = len(after - before)
        assert added > 0 and not before - after
        assert f"Scope changed: +{added} items now apply" in notes(app)

        await pilot.press("space")  # untick it again
        await settle(app, pilot)
        assert store.by_id(aid).principles == ("security",)
        assert f"Scope changed: −{added} no longer apply" in notes(app)


async def test_scope_conditions_show_questions_and_values_are_saved(db):
    store, aid = db
    app = make_app(store, aid, "scope")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        box = screen._boxes["subservice_orgs"]
        assert box.display is False
        uses = screen.query_one("#sc-uses_subservice_orgs", Checkbox)
        uses.focus()
        await pilot.press("space")
        await settle(app, pilot)
        assert store.answers(aid)["uses_subservice_orgs"].value is True
        assert box.display is True and screen._boxes["subservice_method"].display is True

        orgs = screen.query_one("#sc-subservice_orgs", Input)
        await type_into(pilot, orgs, "AWS: hosting; Cloudflare: CDN")
        method = screen.query_one("#sc-subservice_method", Select)
        method.value = "carve_out"
        await settle(app, pilot)
        answers = store.answers(aid)
        assert answers["subservice_orgs"].value == ["AWS: hosting", "Cloudflare: CDN"]
        assert answers["subservice_method"].value == "carve_out"
        assert answers["subservice_orgs"].answered_by == RESPONDENT

        report = screen.query_one("#sc-report_type", Select)
        report.value = "type1"
        await settle(app, pilot)
        assert store.by_id(aid).report_type == "type1"

        uses.focus()
        await pilot.press("space")
        await settle(app, pilot)
        assert box.display is False


async def test_scope_bad_date_is_refused_and_typed_text_is_kept(db):
    store, aid = db
    app = make_app(store, aid, "scope")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        start = screen.query_one("#sc-period_start", Input)
        await type_into(pilot, start, "2026-1-1")
        await settle(app, pilot)
        assert store.by_id(aid).period_start == "2026-10-01"
        assert screen._errors["period_start"].has_class("-shown")
        assert "YYYY-MM-DD" in str(screen._errors["period_start"].render())
        await type_into(pilot, start, "2027-01-01")
        await settle(app, pilot)
        assert store.by_id(aid).period_start == "2027-01-01"
        assert not screen._errors["period_start"].has_class("-shown")

        # A long answer typed but not yet saved is written when the app quits.
        area = screen.query_one("#sc-system_description", TextArea)
        area.focus()
        await pilot.press(*"Hosted ")
        area.insert("analytics.")
        await app.action_quit()
    assert store.answers(aid)["system_description"].value == "Hosted analytics."


# --------------------------------------------------------------------------- through the real app


async def test_flows_open_from_the_dashboard_and_answers_reach_it(tmp_path):
    from flows_app import TODAY, demo_store

    from soc2_tui.tui.app import Soc2App
    from soc2_tui.tui.screens.dashboard import DashboardScreen

    store, aid = demo_store(tmp_path)
    q = questionnaire()
    app = Soc2App(store, q, respondent=RESPONDENT, open_name="demo", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("g")
        await settle(app, pilot)
        gaps = app.screen
        assert isinstance(gaps, GapAnalysisScreen)
        item = cursor_id(gaps)
        assert store.answers(aid).get(item) is None or store.answers(aid)[item].status is None
        await pilot.press("o")
        await settle(app, pilot)
        assert store.answers(aid)[item].status == "operating"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        expected = scoring.score(q, store.by_id(aid), store.answers(aid), today=TODAY)
        assert app.screen.result.overall.score == expected.overall.score

        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, PolicyScreen)
        await pilot.press("escape", "s")
        await settle(app, pilot)
        assert isinstance(app.screen, ScopeScreen)
    store.close()


async def test_tree_labels_follow_the_theme_and_survive_filter_changes(db):
    """Labels are remembered between tree rebuilds; a theme change must still recolour them."""
    store, aid = db
    store.set_answer(aid, "CC1-01", status="operating", by="x")
    app = make_app(store, aid, "gaps")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        before = screen._item_nodes["CC1-01"].label.copy()
        await pilot.press("3", "1")  # gaps only, then all again: the tree is rebuilt twice
        await settle(app, pilot)
        label = screen._item_nodes["CC1-01"].label
        assert label == before
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        after = screen._item_nodes["CC1-01"].label
        assert after.plain == before.plain and after.spans != before.spans  # the status mark's colour
        await pilot.press("3", "1")
        await settle(app, pilot)
        assert screen._item_nodes["CC1-01"].label.spans == after.spans  # not the old theme's label


async def test_the_pane_says_who_set_the_status_not_who_flagged_or_noted(db):
    """Issue 15: a flag or a note by someone else leaves "answered by" with who set the status."""
    store, aid = db
    app = make_app(store, aid, "gaps")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = tree_ids(app.screen)[0]
    store.set_answer(aid, first, status="in_progress", by="Alice")
    store.set_answer(aid, first, flagged=True, notes="Bob's note", by="Bob")
    app = make_app(store, aid, "gaps")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        while cursor_id(app.screen) != first:  # the cursor starts on the first unanswered item
            await pilot.press("up")
        await settle(app, pilot)
        shown = str(app.screen.query_one("#ip-answer").render())
        assert "answered by Alice" in shown and "Bob" not in shown
