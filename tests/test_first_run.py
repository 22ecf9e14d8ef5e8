"""The first start of the app: one question at a time, and no file until there is something to keep."""

from __future__ import annotations

import os
from datetime import date

from soc2_tui import cli, startup
from soc2_tui.store import Store
from soc2_tui.tui.app import Soc2App
from soc2_tui.tui.dialogs.respondent import RespondentScreen
from soc2_tui.tui.screens.dashboard import DashboardScreen
from soc2_tui.tui.screens.home import AssessmentsScreen

SIZE = (100, 30)
TODAY = date(2026, 11, 26)


def screen_text(app: Soc2App) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_first_run_asks_who_first_and_then_welcomes(store, q, monkeypatch):
    """On an empty file the name dialog is the only question on screen; the welcome panel
    comes once it is answered (issue #16: the two were stacked)."""
    monkeypatch.setenv("LOGNAME", "ann")
    app = Soc2App(store, q, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RespondentScreen)
        home = app.screen_stack[0]
        assert isinstance(home, AssessmentsScreen)
        assert not [w for w in home.query("#empty") if w.display]  # no welcome under the dialog
        assert "Welcome" not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is home and app.respondent == "ann"
        assert home.query_one("#empty").display and app.focused.id == "welcome-new"
        assert "Welcome to soc2-tui" in screen_text(app)


def _run_headless(monkeypatch, keys: list[str], seen: list[object] | None = None):
    """Make Soc2App.run a headless run that presses `keys`, then quits; `seen` gets the screen
    shown before quitting."""
    real_run = Soc2App.run

    async def drive(pilot) -> None:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        if seen is not None:
            seen.append(pilot.app.screen)
        await pilot.app.wait_for_saves()
        await pilot.press("q")

    monkeypatch.setattr(Soc2App, "run", lambda self, **kw: real_run(self, headless=True, auto_pilot=drive,
                                                                      size=SIZE))


def test_starting_and_quitting_leaves_no_file(tmp_path, monkeypatch):
    """`soc2-tui` in a folder, then q: no soc2-readiness.db, -wal or -shm left behind (issue #16)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOC2_TUI_DB", raising=False)
    _run_headless(monkeypatch, ["escape"])  # skip the name dialog
    assert cli.main([]) == 0
    assert os.listdir(tmp_path) == []


def test_the_demo_makes_the_file_and_a_second_terminal_sees_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOC2_TUI_DB", raising=False)
    seen: list[object] = []
    _run_headless(monkeypatch, ["escape", "d"], seen)
    assert cli.main(["--as", "Zoe"]) == 0
    assert isinstance(seen[0], DashboardScreen)
    assert (tmp_path / startup.DEFAULT_DB).exists()
    with Store(tmp_path / startup.DEFAULT_DB, create=False) as other:
        assert [a.name for a in other.assessments()] == ["demo"]


async def test_a_pending_file_is_made_by_the_first_write_and_every_answer_after_is_on_disk(tmp_path, q):
    path = tmp_path / "later.db"
    store = Store(path, later=True)
    app = Soc2App(store, q, respondent="Tess", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AssessmentsScreen) and not path.exists()
        a = store.create("Acme", by="Tess")
        assert path.exists() and not store.pending
        app.save_answer(a.id, "CC6-01", status="operating")
        with Store(path, create=False) as other:  # a second terminal, at once
            assert other.answer(a.id, "CC6-01").status == "operating"
    store.close()


def test_a_pending_store_reads_as_empty_and_writes_nothing(tmp_path):
    path = tmp_path / "x.db"
    with Store(path, later=True) as store:
        assert store.pending and store.assessments() == [] and store.find("Acme") is None
    assert os.listdir(tmp_path) == []


def test_a_pending_store_sees_a_file_another_terminal_made(tmp_path):
    path = tmp_path / "x.db"
    with Store(path, later=True) as mine:
        with Store(path) as theirs:
            theirs.create("Theirs")
        assert [a.name for a in mine.assessments()] == ["Theirs"] and not mine.pending
        mine.create("Mine")
        with Store(path, create=False) as again:
            assert sorted(a.name for a in again.assessments()) == ["Mine", "Theirs"]


def test_a_pending_store_still_refuses_a_missing_folder_at_once(tmp_path):
    import pytest

    from soc2_tui.errors import UserError

    with pytest.raises(UserError, match="does not exist"):
        Store(tmp_path / "nope" / "x.db", later=True)
