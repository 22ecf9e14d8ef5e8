"""The app never draws typed text's escape sequences raw: headers, tables, the item pane, the policy
checklist and its editor, the scope form, snapshots and the report show them visibly, and a field
that shows a value visibly is not saved back unless it is edited."""

from __future__ import annotations

import io
import sqlite3
import sys
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, TextArea

sys.path.insert(0, str(Path(__file__).parent / "snapshot_apps"))
sys.path.insert(0, str(Path(__file__).parent))
from flows_app import FlowsApp, questionnaire, screen_factory  # noqa: E402

from soc2_tui.store import Store  # noqa: E402
from soc2_tui.tui.app import Soc2App  # noqa: E402

HOSTILE = "A\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED\x9b32m\x9d0;t\x9c\u202eevil\u202c\u2066x\u2069 Z"
RAW = ("\x1b", "\x07", "\x9b", "\x9c", "\x9d", "\u202e", "\u202c", "\u2066", "\u2069")
SIZE = (120, 40)


def assert_clean(text: str) -> None:
    found = sorted({hex(ord(c)) for c in text if c in RAW})
    assert not found, f"raw controls {found} drawn"


def screen_text(app) -> str:
    """What the terminal is sent for the screen, without the app's own style sequences."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


@pytest.fixture
def hostile(tmp_path):
    """Acme: a hostile organisation, answer, policy, scope answers, respondent and snapshot label;
    and an assessment whose name is hostile (a file from before names were checked)."""
    path = tmp_path / "h\x1b]0;F\x07.db"  # the file name is shown in every header
    store = Store(path)
    a = store.create("Acme", organisation=HOSTILE, by=HOSTILE)
    store.set_answer(a.id, "CC6-01", status="in_progress", notes=HOSTILE + "\nline 2", owner=HOSTILE,
                     evidence=HOSTILE, by=HOSTILE)
    store.set_answer(a.id, "POL-01", status="in_progress", notes=HOSTILE, owner=HOSTILE, approver=HOSTILE,
                     evidence=HOSTILE, by=HOSTILE)
    store.set_answer(a.id, "system_name", value=HOSTILE, by=HOSTILE)
    store.set_answer(a.id, "system_description", value=HOSTILE + "\nmore", by=HOSTILE)
    store.set_answer(a.id, "subservice_orgs", value=[HOSTILE, "Cloud"], by=HOSTILE)
    store.add_snapshot(a.id, HOSTILE, {"scores": {}})
    store.create("Other")
    store.close()
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE assessments SET name = ? WHERE name = 'Other'", ("N" + HOSTILE,))
    con.close()
    store = Store(path)
    yield store, a.id
    store.close()


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.wait_for_saves()
    await pilot.pause()
    await pilot.pause()


def history_size(store: Store, aid: int) -> int:
    return len(store.history(aid))


async def test_home_dashboard_snapshots_and_report_show_hostile_text_visibly(hostile):
    store, aid = hostile
    app = Soc2App(store, questionnaire(), respondent="Q")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        seen = [screen_text(app)]
        assert "\\x1b]0;PWNED" in seen[0]  # the organisation and the name, shown visibly
        assert app.sub_title == "h\\x1b]0;F\\x07.db"
        for key in ("enter", "v", "escape", "r", "escape", "escape", "down", "enter", "s"):
            await pilot.press(key)
            await settle(app, pilot)
            seen.append(f"{type(app.screen).__name__}: {app.screen.title} {app.screen.sub_title}\n"
                        + screen_text(app))
        assert any(s.startswith("ReportScreen") for s in seen)
        assert any(s.startswith("DashboardScreen: NA\\x1b]0;PWNED") for s in seen)
        assert_clean("\n".join(seen))


async def test_item_pane_shows_hostile_answers_visibly_and_does_not_save_them_back(hostile):
    store, aid = hostile
    before = history_size(store, aid)
    app = FlowsApp(store, screen_factory("gaps", aid))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("/", *"cc6-01", "enter")
        await settle(app, pilot)
        screen = app.screen
        shown = screen_text(app)
        assert "answered by" in shown and "A\\x1b]0;PWNED" in shown
        notes = screen.query_one("#f-notes", TextArea)
        assert notes.text.startswith("A\\x1b]0;PWNED") and "\nline 2" in notes.text
        for field in ("#f-notes", "#f-owner", "#f-evidence"):
            app.set_focus(screen.query_one(field))
            await settle(app, pilot)
            assert_clean(screen_text(app))
        app.set_focus(screen.query_one("#f-due_date", Input))
        await settle(app, pilot)
        assert history_size(store, aid) == before  # untouched fields: nothing saved
        owner = screen.query_one("#f-owner", Input)
        app.set_focus(owner)
        owner.value = "Dana"
        await pilot.press("enter")
        await settle(app, pilot)
    assert store.answers(aid)["CC6-01"].owner == "Dana"
    assert store.answers(aid)["CC6-01"].notes == HOSTILE + "\nline 2"


async def test_policy_table_and_editor_show_hostile_text_visibly_and_save_only_edits(hostile):
    store, aid = hostile
    before = history_size(store, aid)
    app = FlowsApp(store, screen_factory("policies", aid))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.current_item().id == "POL-01"
        text = screen_text(app)
        assert "A\\x1b]0;PWNE" in text
        assert_clean(text)
        await pilot.press("enter")
        await settle(app, pilot)
        assert_clean(screen_text(app))
        await pilot.press("ctrl+s")  # nothing edited
        await settle(app, pilot)
        assert history_size(store, aid) == before
        await pilot.press("enter")
        await settle(app, pilot)
        app.screen.query_one("#pe-approver", Input).value = "CEO"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    ans = store.answers(aid)["POL-01"]
    assert (ans.approver, ans.owner, ans.notes) == ("CEO", HOSTILE, HOSTILE)


async def test_scope_fields_show_hostile_values_visibly_and_do_not_save_them_back(hostile):
    store, aid = hostile
    before = history_size(store, aid)
    app = FlowsApp(store, screen_factory("scope", aid))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        for iid in ("system_name", "system_description", "subservice_orgs"):
            widget = screen.query_one(f"#sc-{iid}")
            app.set_focus(widget)
            await settle(app, pilot)
            value = widget.text if isinstance(widget, TextArea) else widget.value
            assert "\\x1b]0;PWNED" in value
            assert_clean(value + screen_text(app))
        app.set_focus(screen.query_one("#sc-system_name"))
        await settle(app, pilot)
    assert history_size(store, aid) == before
    assert store.answers(aid)["system_name"].value == HOSTILE


async def test_the_respondent_dialog_refuses_a_name_with_controls(tmp_path, monkeypatch):
    from soc2_tui.tui.dialogs.respondent import RespondentScreen

    monkeypatch.setenv("LOGNAME", "ann\x1b]0;t\x07")
    store = Store(tmp_path / "r.db")
    app = Soc2App(store, questionnaire())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RespondentScreen)
        field = app.screen.query_one(Input)
        assert field.value == "ann\\x1b]0;t\\x07"  # the login name, shown visibly
        field.value = "Eve\x1b[2J\u202e"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RespondentScreen) and app.respondent != field.value
        assert any("control characters" in str(n.message) for n in app._notifications)
        field.value = "Zoe\u0301"  # a decomposed accent: kept in the one form names are compared in
        await pilot.press("enter")
        await pilot.pause()
        assert app.respondent == "Zoé"
    store.close()


async def test_notifications_and_the_rename_dialog_show_a_hostile_name_visibly(hostile):
    store, aid = hostile
    app = Soc2App(store, questionnaire(), respondent="Q")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.notify(f"Deleted “N{HOSTILE}”.", title=HOSTILE, markup=False)
        await pilot.pause()
        assert any("\\x1b]0;PWNED" in str(n.message) for n in app._notifications)
        assert_clean(screen_text(app))
        await pilot.press("down", "r")
        await settle(app, pilot)
        field = app.screen.query_one(Input)
        assert field.value == "N" + "A\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mRED\\x9b32m\\x9d0;t\\x9c" \
            "\\u202eevil\\u202c\\u2066x\\u2069 Z"
        assert_clean(screen_text(app))
        await pilot.press("enter")  # untouched: nothing renamed
        await settle(app, pilot)
    assert store.find("N" + HOSTILE) is not None


async def test_a_custom_banks_texts_are_drawn_visibly(tmp_path):
    from test_terminal import HOSTILE_BANK

    from soc2_tui import banks

    d = tmp_path / "banks"
    d.mkdir()
    bank = HOSTILE_BANK.replace("guidance: Why it matters.", 'guidance: "Why \\e[2J it matters."') \
        .replace(" What the auditor asks for.\n", "\n")
    (d / "hostile.yaml").write_text(bank, encoding="utf-8")
    store = Store(tmp_path / "b.db")
    a = store.create("Acme")
    store.set_answer(a.id, "H-01", status="not_started")
    app = Soc2App(store, banks.load_questionnaire(extra=[d]), respondent="Q")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        seen = []
        for keys in (("enter",), ("g",), ("/", *"h-01", "enter")):
            await pilot.press(*keys)
            await settle(app, pilot)
            seen.append(screen_text(app))
        assert "Evil \\x1b]52;c;" in seen[0] and "Why \\x1b[2J it matters" in seen[-1]
        assert_clean("".join(seen))
    store.close()
