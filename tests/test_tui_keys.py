"""Pilot tests of the keyboard model (issue #16, "a keyboard that cannot surprise"): one-key
actions act only in the list, tab from the list lands in Notes, keys typed in one burst keep
their order, esc saves everywhere, the palette names every action, and help, the footer and
the docs all come from the key tables."""

from __future__ import annotations

import sys
from pathlib import Path

from textual import events
from textual.widgets import DataTable, Input, TextArea

sys.path.insert(0, str(Path(__file__).parent / "snapshot_apps"))

from flows_app import TODAY, FlowsApp, demo_store, questionnaire, screen_factory  # noqa: E402

from soc2_tui.store import Store  # noqa: E402
from soc2_tui.tui import key_tables  # noqa: E402
from soc2_tui.tui.app import Soc2App  # noqa: E402
from soc2_tui.tui.dialogs.new_assessment import NewAssessmentScreen  # noqa: E402
from soc2_tui.tui.dialogs.policy_edit import PolicyEditScreen  # noqa: E402
from soc2_tui.tui.screens.dashboard import DashboardScreen  # noqa: E402
from soc2_tui.tui.screens.gaps import GapAnalysisScreen  # noqa: E402
from soc2_tui.tui.screens.help import HelpScreen  # noqa: E402
from soc2_tui.tui.screens.policies import PolicyScreen  # noqa: E402
from soc2_tui.tui.screens.report import ReportScreen  # noqa: E402
from soc2_tui.tui.widgets.markdown_page import MarkdownPage  # noqa: E402

SIZE = (80, 24)
SENTENCE = "Not yet: we plan quarterly checks"
ROOT = Path(__file__).resolve().parent.parent


def new_store(tmp_path) -> tuple[Store, int]:
    store = Store(tmp_path / "keys.db")
    a = store.create("Acme", principles=["security"], period_start="2026-10-01", period_months=6, by="Setup")
    return store, a.id


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.wait_for_saves()
    await pilot.pause()


async def burst(pilot, *keys: str) -> None:
    """Send keys the way a slow link or a macro delivers them: all at once, no pause between
    (pilot.press waits for the app to go idle after every key)."""
    app = pilot.app
    for key in keys:
        names = {" ": "space", ":": "colon", "-": "minus", "/": "slash"}
        event = events.Key(names.get(key, key), key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()


def screen_text(app) -> str:
    """What the terminal shows, as plain text."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def footer_keys(app) -> dict[str, str]:
    """What the footer shows: key → word."""
    return {app.get_key_display(b.binding): b.binding.description
            for b in app.screen.active_bindings.values() if b.binding.show}


# --------------------------------------------------------------------------- the trap


async def test_tab_then_a_sentence_changes_no_status_does_not_quit_and_is_saved_in_notes(tmp_path):
    store, aid = new_store(tmp_path)
    app = FlowsApp(store, screen_factory("gaps", aid))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, GapAnalysisScreen) and app.focused is screen.tree
        item = screen.current_item().id
        await pilot.press("tab")
        notes = screen.query_one("#f-notes", TextArea)
        assert app.focused is notes  # not an invisible scroll container, not a status button
        await pilot.press(*SENTENCE, "q", "1")
        assert app.is_running
        assert notes.text == SENTENCE + "q1"
        assert screen.current_item().id == item and screen.filter == "all"
        await pilot.press("escape")  # saves and goes back to the list
        await settle(app, pilot)
        assert app.focused is screen.tree
        answers = store.answers(aid)
        assert answers[item].notes == SENTENCE + "q1"
        assert all(a.status is None for a in answers.values())
        await pilot.press("shift+tab", "shift+tab")  # tab order: tree → Notes; back with shift+tab
        await pilot.press("tab", "tab")
        assert app.focused is screen.tree
        await pilot.press("tab")
        assert app.focused is notes
        await pilot.press("shift+tab")
        assert app.focused is screen.tree
    store.close()


async def test_letters_on_a_non_text_field_are_not_shortcuts(tmp_path):
    store, aid = new_store(tmp_path)
    app = FlowsApp(store, screen_factory("gaps", aid))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        flag = screen.query_one("#f-flagged")
        flag.focus()
        await pilot.press(*"oiwnxfa/12345")
        await settle(app, pilot)
        assert app.screen is screen and screen.auto_advance and screen.filter == "all"
        assert all(a.status is None for a in store.answers(aid).values())
        screen.tree.focus()
        await pilot.press("o")  # in the list the letters act
        await settle(app, pilot)
        assert {a.status for a in store.answers(aid).values()} == {"operating"}
    store.close()


async def test_policy_letters_act_in_the_table_only(tmp_path):
    store, aid = new_store(tmp_path)
    app = FlowsApp(store, screen_factory("policies", aid))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PolicyScreen)
        await pilot.press("tab", *"mdacx")
        assert app.focused is screen.query_one("#pol-detail")
        await settle(app, pilot)
        assert not store.answers(aid)
        assert footer_keys(app).get("esc") == "Back to list"
        await pilot.press("escape", "c")
        await settle(app, pilot)
        assert app.screen is screen and app.focused is screen.table
        assert store.answers(aid)[screen.items[0].id].status == "operating"
    store.close()


async def test_footer_while_typing_says_what_the_keys_do_there(tmp_path):
    store, aid = new_store(tmp_path)
    app = FlowsApp(store, screen_factory("gaps", aid))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        in_list = footer_keys(app)
        assert in_list["/"] == "Jump" and in_list["esc"] == "Back" and in_list["tab"] == "Notes"
        await pilot.press("tab")
        typing = footer_keys(app)
        assert "/" not in typing and "q" not in typing and "?" not in typing
        assert typing["esc"] == "Save & back to list" and typing["tab"] == "Next field"
    store.close()


# --------------------------------------------------------------------------- type-ahead


async def test_keys_in_one_burst_follow_the_tabs_in_the_item_pane(tmp_path):
    store, aid = new_store(tmp_path)
    app = FlowsApp(store, screen_factory("gaps", aid))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        item = screen.current_item().id
        await burst(pilot, "tab", *"notes", "tab", *"EV-1", "tab", *"Pri", "tab", *"2027-01-31", "escape")
        await settle(app, pilot)
        assert app.focused is screen.tree
        answer = store.answers(aid)[item]
        assert (answer.notes, answer.evidence, answer.owner, answer.due_date) == ("notes", "EV-1", "Pri", "2027-01-31")
        assert answer.status is None
    store.close()


async def test_keys_in_one_burst_follow_the_tabs_in_the_new_assessment_form(tmp_path):
    store = Store(tmp_path / "new.db")
    app = Soc2App(store, questionnaire(), respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewAssessmentScreen)
        await burst(pilot, *"Q1", "tab", *"Acme Ltd", "tab", "tab", "tab", *"2027-01-01")
        form = app.screen
        assert [form.query_one(f"#new-{name}", Input).value for name in ("name", "org", "start")] == [
            "Q1", "Acme Ltd", "2027-01-01"]
    store.close()


# --------------------------------------------------------------------------- the dashboard, editor, report


async def test_enter_on_a_dashboard_gap_opens_that_item(tmp_path):
    store, aid = demo_store(tmp_path)
    for attempt in range(2):  # every time, each in a fresh app
        app = Soc2App(store, questionnaire(), respondent="Tess", open_name="demo", today=TODAY)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            dash = app.screen
            assert isinstance(dash, DashboardScreen)
            table = dash.query_one(DataTable)
            controls = [i for i, g in enumerate(dash.gap_ids) if not g.startswith("POL")]
            row = controls[attempt + 1]  # not the first: the first unanswered control is elsewhere
            table.move_cursor(row=row)
            table.focus()
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, GapAnalysisScreen)
            assert app.screen.current_item().id == dash.gap_ids[row]
            assert app.screen.pane.item.id == dash.gap_ids[row]
    store.close()


async def test_policy_editor_escape_saves_and_cancel_drops(tmp_path):
    store, aid = new_store(tmp_path)
    app = FlowsApp(store, screen_factory("policies", aid))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = app.screen.items[0].id
        await pilot.press("enter")
        assert isinstance(app.screen, PolicyEditScreen)
        assert footer_keys(app)["esc"] == "Save & close" and footer_keys(app)["^g"] == "Cancel"
        await pilot.press(*"Dana", "escape")
        await settle(app, pilot)
        assert store.answers(aid)[first].owner == "Dana"
        await pilot.press("enter", *"X", "ctrl+g")
        await settle(app, pilot)
        assert isinstance(app.screen, PolicyScreen) and store.answers(aid)[first].owner == "Dana"
    store.close()


async def test_report_end_goes_to_the_real_end_and_esc_closes_the_contents_first(tmp_path):
    store, aid = demo_store(tmp_path)
    app = FlowsApp(store, lambda: ReportScreen(aid))
    async with app.run_test(size=SIZE) as pilot:
        page = app.screen.query_one(MarkdownPage)
        for _ in range(200):  # the top of the report is shown while the rest renders
            await pilot.pause(0.01)
            if page.lines:
                break
        await pilot.press("end")  # right after opening
        for _ in range(300):
            await pilot.pause(0.02)
            if not page.rendering:
                break
        await pilot.pause()
        assert len(page.lines) > 200 and page.scroll_offset.y == page.max_scroll_y > 100
        assert footer_keys(app)["[ ]"] == "Prev/next section"
        await pilot.press("t")
        contents = app.screen.query_one("#report-contents")
        assert contents.display and app.focused is contents
        await pilot.press("escape")
        assert isinstance(app.screen, ReportScreen) and not contents.display and app.focused is page
        await pilot.press("escape")
        assert not isinstance(app.screen, ReportScreen)
    store.close()


# --------------------------------------------------------------------------- palette, help, docs


async def test_palette_names_every_action_and_none_picks_for_you(tmp_path):
    store, aid = new_store(tmp_path)
    app = FlowsApp(store, screen_factory("gaps", aid))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for name in ("Set status: Operating", "Set status: Not applicable", "Filter: all items",
                     "Filter: critical severity", "Auto-advance: on/off (move to the next item after answering)"):
            assert name in titles
        assert not {"Status", "Filter", "Auto", "Critical", "Gaps"} & set(titles)
        await pilot.press("tab")  # from a field too: the palette names the action explicitly
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Set status: Implemented")
        command.callback()
        await settle(app, pilot)
        assert {a.status for a in store.answers(aid).values()} == {"implemented"}
    store.close()


async def test_help_lists_the_screens_key_table(tmp_path):
    store, aid = new_store(tmp_path)
    app = FlowsApp(store, screen_factory("gaps", aid))
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = [" ".join(line.split()) for line in screen_text(app).splitlines()]
        for key, place, does in key_tables.rows(key_tables.GAPS):
            assert any(line.startswith(f"{key} {place}".strip()) and does in line for line in lines), (key, does)
        assert "o in the list Set status: Operating" in lines
        assert "tab in the list To the answer fields, starting with Notes" in lines
    store.close()


def test_every_screen_binds_its_own_table_under_its_help_name():
    from soc2_tui.tui.screens.help import screen_name
    from soc2_tui.tui.screens.home import AssessmentsScreen
    from soc2_tui.tui.screens.scope import ScopeScreen
    from soc2_tui.tui.screens.snapshots import SnapshotsScreen

    screens = (AssessmentsScreen, DashboardScreen, ScopeScreen, GapAnalysisScreen, PolicyScreen,
               PolicyEditScreen, ReportScreen, SnapshotsScreen)
    for cls in screens:
        name = screen_name(cls.__new__(cls))
        assert key_tables.SCREENS[name] is cls.KEYS, cls
        bound = {(b.key, b.action) for b in cls.BINDINGS}
        assert bound == {(k.key, k.action) for k in cls.KEYS if k.action}, cls


def test_the_docs_key_tables_are_the_apps():
    for doc in ("docs/tui.md", "docs/tui-flows.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert key_tables.MARK_CLOSE in text, doc
        assert key_tables.with_key_tables(text) == text, f"{doc}: run python scripts/key_tables.py"
    names = set()
    for line in (ROOT / "docs/tui.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("<!-- keys: "):
            names.add(line.removeprefix("<!-- keys: ").removesuffix(" -->"))
    assert names == set(key_tables.SCREENS)
