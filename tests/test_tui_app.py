"""Pilot tests of the app shell: home, new assessment, dashboard, report, help, saving, errors."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Button, DataTable, Input, Select

from soc2_tui import cli, scoring
from soc2_tui.errors import UserError
from soc2_tui.reports.console import fmt_score
from soc2_tui.store import Store
from soc2_tui.tui.app import Soc2App, run_app
from soc2_tui.tui.dialogs.confirm import ConfirmScreen
from soc2_tui.tui.dialogs.new_assessment import NewAssessmentScreen
from soc2_tui.tui.dialogs.prompt import PromptScreen
from soc2_tui.tui.dialogs.respondent import RespondentScreen
from soc2_tui.tui.screens.dashboard import DashboardScreen, GapTable
from soc2_tui.tui.screens.help import HelpScreen
from soc2_tui.tui.screens.home import AssessmentsScreen
from soc2_tui.tui.screens.report import ReportScreen
from soc2_tui.tui.widgets.markdown_page import MarkdownPage
from soc2_tui.tui.widgets.principle_bar import PrincipleBar

SIZE = (100, 30)
TODAY = date(2026, 11, 26)


def make_app(store: Store, q, **kw) -> Soc2App:
    kw.setdefault("respondent", "Tess")
    return Soc2App(store, q, today=TODAY, **kw)


async def settle(app: Soc2App, pilot) -> None:
    await pilot.pause()
    await app.wait_for_saves()
    await pilot.pause()
    await pilot.pause()


def notes(app: Soc2App) -> list[str]:
    return [str(n.message) for n in app._notifications]


def screen_text(app: Soc2App) -> str:
    """What the terminal shows, as plain text."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def bar_text(app: Soc2App, key: str) -> str:
    return str(app.screen.query_one(f"#bar-{key}", PrincipleBar).render())


@pytest.fixture
def acme(store):
    a = store.create("Acme", organisation="Acme Ltd", principles=["security", "availability"],
                     period_start="2026-10-01", period_months=6, by="Setup")
    store.set_answer(a.id, "CC6-01", status="implemented", by="Setup")
    store.set_answer(a.id, "A1-01", status="not_started", by="Setup")
    return a


# --------------------------------------------------------------------------- home and new


async def test_empty_file_offers_new_or_demo(store, q):
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AssessmentsScreen)
        assert screen.query_one("#empty").display and not screen.query_one("#list").display
        labels = [str(b.label) for b in screen.query(Button)]
        assert "Create an assessment  n" in labels and "Load the demo  d" in labels
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        demo = store.find("demo")
        assert demo is not None and store.answers(demo.id)
        await pilot.press("escape")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1 and str(table.get_row_at(0)[0]) == "demo"
        await pilot.press("d")  # the demo is already here: opened, not duplicated
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and len(store.assessments()) == 1


async def test_create_assessment_through_the_form_by_keyboard(store, q):
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewAssessmentScreen)
        await pilot.press(*"Q1", "tab", *"Acme", "tab")
        await pilot.press("tab")  # report type stays Type II
        await pilot.press("space")  # principles: the cursor starts on availability (security is fixed)
        await pilot.press("tab", *"2027-01-01", "tab")
        await pilot.press("enter", "down", "down", "enter")  # period length: 6 months
        await pilot.pause()
        assert app.screen.query_one("#new-months", Select).value == 6
        await pilot.press("ctrl+s")
        await pilot.pause()
        a = store.find("Q1")
        assert a is not None
        assert (a.organisation, a.report_type, a.principles, a.period_start, a.period_months) == (
            "Acme", "type2", ("security", "availability"), "2027-01-01", 6)
        assert store.history(a.id)[0].changed_by == "Tess"
        assert isinstance(app.screen, DashboardScreen) and app.screen.assessment_id == a.id
        assert app.screen.title == "Q1"
        assert [w.id for w in app.screen.query(PrincipleBar)] == ["bar-overall", "bar-security",
                                                                  "bar-availability"]


async def test_form_refuses_a_missing_name_a_taken_name_and_a_bad_date(store, q, acme):
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        error = app.screen.query_one("#new-error")
        assert "Please give the assessment a name." in str(error.render())
        await pilot.press(*"Acme", "enter")
        await pilot.pause()
        assert "already exists" in str(error.render())
        app.screen.query_one("#new-name", Input).value = "Other"
        app.screen.query_one("#new-start", Input).value = "2027-13-45"
        await pilot.press("enter")
        await pilot.pause()
        assert "is not a date" in str(error.render())
        assert isinstance(app.screen, NewAssessmentScreen) and store.find("Other") is None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AssessmentsScreen)


async def test_open_shows_the_dashboard_and_escape_returns_home(store, q, acme):
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        row = [str(c) for c in table.get_row_at(0)]
        result = scoring.score(q, acme, store.answers(acme.id), today=TODAY)
        assert row[:4] == ["Acme", "Type II", fmt_score(result.overall.score), "Not ready"]
        assert row[4] == f"{result.overall.answered}/{result.overall.applicable}"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.sub_title == store.path.name
        security = result.principles["security"]
        text = bar_text(app, "security")
        assert text.startswith("Security") and fmt_score(security.score) in text and "Not ready" in text
        gaps = app.screen.query_one(GapTable)
        # A1-01 (not started) is a gap; CC6-01 implemented is a gap for Type II too.
        assert {str(gaps.get_row_at(i)[1]) for i in range(gaps.row_count)} == {g.item.id for g in result.gaps}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AssessmentsScreen)


async def test_dashboard_score_follows_a_saved_answer(store, q, acme):
    app = make_app(store, q, open_name="Acme")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        before = scoring.score(q, acme, store.answers(acme.id), today=TODAY).overall.score
        assert f"{before:.1f}" in bar_text(app, "overall")
        revision = app.revision
        app.save_answer(acme.id, "CC6-01", status="operating")
        await settle(app, pilot)
        after = scoring.score(q, acme, store.answers(acme.id), today=TODAY).overall.score
        assert after > before
        assert app.revision == revision + 1
        assert f"{after:.1f}" in bar_text(app, "overall")
        assert store.answer(acme.id, "CC6-01").answered_by == "Tess"
        assert f"Saved “{q.items['CC6-01'].title}”" in notes(app)
        app.save_answer(acme.id, "CC6-02", status="implemented")
        app.save_answer(acme.id, "CC6-03", status="in_progress")
        await settle(app, pilot)
        assert [n for n in notes(app) if n.startswith("Saved")] == [f"Saved “{q.items['CC6-03'].title}”"]
        assert app.revision == revision + 3


async def test_messages_name_questions_and_assessments_not_internal_ids(store, q, acme):
    """A scope answer is "Saved “Auditor chosen”", not "Saved auditor_selected"; a deleted
    assessment is named, not "assessment 1" (issue #16)."""
    app = make_app(store, q, open_name="Acme")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.save_answer(acme.id, "auditor_selected", value=True)
        await settle(app, pilot)
        assert app.last_saved == f"Saved “{q.items['auditor_selected'].title}”"
        assert not any("auditor_selected" in n for n in notes(app))
        Store(store.path).delete(acme.id)  # another terminal deletes it
        app.save_answer(acme.id, "CC6-02", status="operating")
        await settle(app, pilot)
        assert "'Acme' no longer exists" in app.last_error
        assert f"assessment {acme.id}" not in app.last_error


async def test_an_answer_is_on_disk_when_save_answer_returns(store, q, acme):
    app = make_app(store, q, open_name="Acme")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        revision = app.revision
        app.save_answer(acme.id, "CC6-02", status="operating")
        # No await: committed (and the screens told) before the key press is over.
        assert Store(store.path).answer(acme.id, "CC6-02").status == "operating"
        assert app.revision == revision + 1 and not app._pending


async def test_answers_wait_off_screen_for_another_programs_lock_and_keep_their_order(store, q, acme):
    import sqlite3

    app = make_app(store, q, open_name="Acme")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        other = sqlite3.connect(store.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another terminal is writing
        try:
            app.save_answer(acme.id, "CC6-02", status="implemented")
            app.save_answer(acme.id, "CC6-02", status="operating")  # queued behind the first
            await pilot.pause()
            assert len(app._pending) == 2 and store.answer(acme.id, "CC6-02") is None
        finally:
            other.execute("ROLLBACK")
            other.close()
        await settle(app, pilot)
        assert store.answer(acme.id, "CC6-02").status == "operating"
        statuses = [c.new for c in store.history(acme.id, "CC6-02") if c.field == "status"]
        assert statuses == ["implemented", "operating"]
        assert not app.last_error


async def test_dashboard_bars_follow_a_principle_change_made_on_another_screen(store, q, acme):
    """Regression: the dashboard under the scope screen re-mounted bars with the same ids."""
    from soc2_tui.tui.screens.scope import ScopeScreen

    app = make_app(store, q, open_name="Acme")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ScopeScreen)
        app.update_assessment(acme.id, principles=["security", "privacy"])
        await settle(app, pilot)
        assert app.last_saved == "Saved principles" and "Saved principles" in notes(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        ids = [w.id for w in app.screen.query(PrincipleBar)]
        assert ids == ["bar-overall", "bar-security", "bar-privacy"]


async def test_a_save_the_store_refuses_is_a_notification_not_a_crash(store, q, acme, monkeypatch):
    def refuse(*_a, **_k):
        raise UserError(f"{store.path}: cannot write to the database (attempt to write a readonly database)")

    monkeypatch.setattr(store, "set_answer", refuse)
    app = make_app(store, q, open_name="Acme")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        revision = app.revision
        app.save_answer(acme.id, "CC6-01", status="operating")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, DashboardScreen)
        assert app.revision == revision
        assert any(n.startswith("Not saved: ") and "readonly database" in n for n in notes(app))
        assert app.last_error and "readonly" in app.last_error
        monkeypatch.undo()
        app.save_answer(acme.id, "CC6-01", status="operating")  # the app carries on saving
        await settle(app, pilot)
        assert store.answer(acme.id, "CC6-01").status == "operating"


async def test_delete_asks_first_and_cancel_keeps_it(store, q, acme):
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Acme" in str(app.screen.query_one("#confirm-message").render())
        assert app.screen.focused.id == "cancel"  # a stray enter does not delete
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AssessmentsScreen) and store.find("Acme") is not None
        await pilot.press("x", "escape")
        await pilot.pause()
        assert store.find("Acme") is not None
        await pilot.press("delete", "y")
        await pilot.pause()
        assert store.find("Acme") is None
        assert app.screen.query_one("#empty").display
        assert "Deleted “Acme”." in notes(app)


async def test_rename_and_duplicate(store, q, acme):
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == "Acme (copy)"
        await pilot.press("enter")
        await pilot.pause()
        copy = store.find("Acme (copy)")
        assert copy is not None and store.answers(copy.id).keys() == store.answers(acme.id).keys()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2 and table.cursor_row == 1
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "Acme"
        await pilot.press("enter")
        await pilot.pause()
        assert "already exists" in str(app.screen.query_one("#prompt-error").render())
        app.screen.query_one(Input).value = "Acme B"
        await pilot.press("enter")
        await pilot.pause()
        assert store.find("Acme B") is not None and store.find("Acme (copy)") is None
        assert str(table.get_row_at(table.cursor_row)[0]) == "Acme B"


async def test_quit_and_reopen_shows_the_data(tmp_path, q):
    path = tmp_path / "keep.db"
    store = Store(path)
    a = store.create("Keep", principles=["security"])
    app = make_app(store, q, open_name="Keep")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.save_answer(a.id, "CC6-01", status="operating", notes="MFA everywhere")
        await pilot.press("q")  # right away: quitting waits for the save
        await pilot.pause()
    assert not app.is_running
    store.close()

    store2 = Store(path)
    answer = store2.answer(a.id, "CC6-01")
    assert (answer.status, answer.notes, answer.answered_by) == ("operating", "MFA everywhere", "Tess")
    app2 = make_app(store2, q)
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        expected = scoring.score(q, store2.by_id(a.id), store2.answers(a.id), today=TODAY)
        assert f"{expected.overall.score:.1f}" in bar_text(app2, "overall")
    store2.close()


# --------------------------------------------------------------------------- help, report, theme


async def test_help_opens_with_question_mark_and_lists_the_screen_keys(store, q, acme):
    app = make_app(store, q, open_name="Acme")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Keys on this screen: Dashboard" in text
        for key, does in (("s", "Scope"), ("g", "Gap analysis"), ("r", "Report"), ("esc", "Back"),
                          ("ctrl+t", "Switch between the light and the dark theme")):
            assert any(line.split()[:1] == [key] and does in line for line in text.splitlines()), key
        await pilot.press("question_mark")  # ? again closes it
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_ctrl_t_switches_between_light_and_dark(store, q):
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "soc2-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "soc2-light"
        await pilot.press("ctrl+t")
        assert app.theme == "soc2-dark"


async def wait_rendered(app: Soc2App, pilot) -> MarkdownPage:
    page = app.screen.query_one(MarkdownPage)
    for _ in range(200):
        await pilot.pause(0.02)
        if page.lines and not page.rendering:
            break
    return page


async def test_the_apps_report_is_the_one_the_command_line_writes(store, q, acme, db_path, capsys):
    """Same file, same day: the same text, history-based signals (scope creep) included."""
    from soc2_tui.reports import markdown

    store.update_assessment(acme.id, by="Tess", principles=["security", "availability", "privacy"])
    store.update_assessment(acme.id, by="Tess", principles=["security", "availability"])
    a = store.by_id(acme.id)
    expected = markdown.render(q, a, store.answers(a.id), today=TODAY,
                               history=markdown.report_history(store, a.id), trail=store.verify(a.id))
    assert "the principles in scope changed 2 times" in expected and "changes, verified" in expected
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(ReportScreen(acme.id))
        await pilot.pause()
        await wait_rendered(app, pilot)
        assert app.screen.text == expected


async def test_report_shows_the_gap_report_and_exports_it(store, q, acme, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click(DataTable, offset=(3, 2))  # the mouse works too: the first row opens
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.click("#go-report")
        page = await wait_rendered(app, pilot)
        assert isinstance(app.screen, ReportScreen)
        text = "\n".join(line.text for line in page.lines)
        assert "Acme" in text and "Executive summary" in text
        titles = [s.title for s in page.sections]
        target = titles.index("Gaps by priority")
        await pilot.press("t", *["down"] * target, "enter")  # the contents list jumps to a section
        await pilot.pause()
        assert page.scroll_offset.y == min(page.sections[target].line, page.max_scroll_y) > 0
        assert app.screen.focused is page
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == "Acme-report.md"
        await pilot.press("enter")
        await pilot.pause()
        written = tmp_path / "Acme-report.md"
        assert written.read_text(encoding="utf-8") == app.screen.text
        assert (written.stat().st_mode & 0o777) == 0o600
        written.write_text("old", encoding="utf-8")
        await pilot.press("e", "enter")  # exists: asks before replacing
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert written.read_text(encoding="utf-8") == "old"
        await pilot.press("e", "enter", "y")
        await pilot.pause()
        assert written.read_text(encoding="utf-8").startswith("# ")


async def test_report_export_never_replaces_the_database_and_refuses_names_too_long(store, q, acme, tmp_path,
                                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = store.path.read_bytes()
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("r")
        await wait_rendered(app, pilot)
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("e")
        await pilot.pause()
        field = app.screen.query_one(Input)
        field.value = "r" * 300  # longer than a file name may be: said in the dialog, no crash
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "too long" in str(app.screen.query_one("#prompt-error").render())
        field.value = str(store.path)  # the open assessment file itself
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert any("Not exported" in m and "SQLite" in m for m in notes(app))
    assert store.path.read_bytes() == before


async def test_a_file_on_a_network_folder_is_a_warning_in_the_app(store, q, acme):
    store.network_filesystem = "nfs4"  # as store.filesys.network_filesystem finds it at open
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("network or synced folder (nfs4)" in m for m in notes(app))


# --------------------------------------------------------------------------- respondent and launch


async def test_respondent_is_asked_once_with_user_prefilled(store, q, acme, monkeypatch):
    monkeypatch.setenv("LOGNAME", "ann")  # getpass reads $LOGNAME before $USER
    monkeypatch.setenv("USER", "ann")
    app = Soc2App(store, q, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RespondentScreen)
        field = app.screen.query_one(Input)
        assert field.value == "ann"
        field.value = "Ann Lee"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AssessmentsScreen) and app.respondent == "Ann Lee"
        await pilot.press("enter")
        await pilot.pause()
        app.save_answer(acme.id, "CC6-02", status="in_progress")
        await settle(app, pilot)
        assert store.answer(acme.id, "CC6-02").answered_by == "Ann Lee"
        assert not any(isinstance(s, RespondentScreen) for s in app.screen_stack)


def test_soc2_tui_with_no_command_starts_the_app(tmp_path, monkeypatch):
    started = []

    def fake_run(self, *a, **k):
        started.append((self.open_name, self.respondent, str(self.store.path)))

    monkeypatch.setattr(Soc2App, "run", fake_run)
    monkeypatch.delenv("SOC2_TUI_AS", raising=False)
    db = tmp_path / "x.db"
    assert cli.main(["--db", str(db), "--as", "Zoe"]) == 0
    assert started == [(None, "Zoe", str(db))]
    Store(db).create("Acme")
    assert cli.main(["open", "Acme", "--db", str(db)]) == 0
    assert started[-1][0] == "Acme" and started[-1][1] == ""


def test_open_with_an_unknown_name_is_a_one_line_error(tmp_path, capsys):
    db = tmp_path / "x.db"
    assert cli.main(["open", "Nope", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("soc2-tui: error: no assessment named 'Nope'") and err.count("\n") == 1


def test_run_app_closes_the_store(tmp_path, monkeypatch):
    import argparse

    monkeypatch.setattr(Soc2App, "run", lambda self, *a, **k: None)
    args = argparse.Namespace(db=str(tmp_path / "y.db"), questionnaires=None, respondent="Q", name=None)
    assert run_app(args) == 0
    assert not (tmp_path / "y.db").exists()  # nothing asked to be written: no file (test_first_run.py)


def test_open_turns_garbage_collection_back_on_even_when_the_app_fails(tmp_path, monkeypatch):
    import argparse
    import gc

    from soc2_tui.tui import app as app_mod

    def boom(self, *a, **k):
        assert not gc.isenabled()  # off while starting (cli.cmd_open) ...
        raise RuntimeError("terminal went away")

    monkeypatch.setattr(app_mod.Soc2App, "run", boom)
    args = argparse.Namespace(db=str(tmp_path / "y.db"), questionnaires=None, respondent="Q", name=None)
    with pytest.raises(RuntimeError):
        cli.cmd_open(args)
    assert gc.isenabled()  # ... and on again whatever happened


async def test_home_builds_the_welcome_panel_only_for_an_empty_file(store, q, acme):
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.screen.query("#welcome-new")  # a file with assessments: no panel at all
        store.delete(acme.id)
        app.screen.reload()
        await pilot.pause()
        assert app.screen.query_one("#empty").display and app.focused.id == "welcome-new"
        assert not app.screen.query_one("#list").display


async def test_command_palette_reaches_the_screen_actions(store, q, acme):
    app = make_app(store, q, open_name="Acme")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Report: read and export the gap report", "Light or dark theme", "Help"} <= set(titles)
        await pilot.press("ctrl+p", *"light or dark")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "soc2-light" and isinstance(app.screen, DashboardScreen)


async def test_names_with_brackets_are_shown_as_typed(store, q):
    store.create("[/b] Acme [v2]", organisation="[x] Ltd")
    app = make_app(store, q)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        row = [str(c) for c in app.screen.query_one(DataTable).get_row_at(0)]
        assert row[:2] == ["[/b] Acme [v2]", "[x] Ltd"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and app.screen.title == "[/b] Acme [v2]"
        assert "[x] Ltd" in screen_text(app)



async def test_snapshot_taken_in_the_app_opens_read_only_as_it_was(store, q, acme):
    from soc2_tui.tui.screens.snapshots import SnapshotsScreen

    app = make_app(store, q, open_name="Acme")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, SnapshotsScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"before workshop")
        await pilot.press("enter")
        await settle(app, pilot)
        snaps = store.snapshots(acme.id)
        assert [s["label"] for s in snaps] == ["before workshop"]
        frozen = scoring.score(q, acme, store.answers(acme.id), today=TODAY).overall.score
        app.save_answer(acme.id, "CC6-03", status="operating")  # the live answers move on
        await settle(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert "snapshot #1" in app.screen.title and "read-only" in app.screen.title
        text = app.screen.text
        assert f"{frozen:.1f}" in text  # the score as it was, not the live one
        live = scoring.score(q, acme, store.answers(acme.id), today=TODAY).overall.score
        assert live != frozen and f"{live:.1f} out of 100" not in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SnapshotsScreen)


async def test_one_screen_failing_to_refresh_does_not_leave_the_others_stale(store, q, acme, monkeypatch):
    """The dashboard under the gap screen raises on refresh; the gap screen still updates."""
    from soc2_tui.tui.screens.gaps import GapAnalysisScreen

    def broken(self, _value):
        raise RuntimeError("boom")

    monkeypatch.setattr(DashboardScreen, "_on_revision", broken)
    app = make_app(store, q, open_name="Acme")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        gaps = app.screen
        assert isinstance(gaps, GapAnalysisScreen)
        app.save_answer(acme.id, "CC6-02", status="operating")
        await settle(app, pilot)
        assert gaps.answers["CC6-02"].status == "operating"  # refreshed despite the dashboard
        assert f"Saved “{q.items['CC6-02'].title}”" in notes(app)
        assert any("could not refresh" in n for n in notes(app))
        assert app.is_running


def typed(app: Soc2App, text: str) -> None:
    """Send `text` key by key as a terminal does: each key with its character. (Pilot's press gives
    no character for a key it cannot name back, the joiners and emoji among them.)"""
    import unicodedata

    from textual import events

    for ch in text:
        key = ch if ch.isalnum() else unicodedata.name(ch).lower().replace(" ", "_").replace("-", "_")
        app.post_message(events.Key(key, ch))


async def test_typed_zero_width_joiner_and_non_joiner_are_kept(store, q):
    # Textual drops typed characters str.isprintable() refuses, U+200C and U+200D among them:
    # 👩‍💻 became 👩💻 and a Persian name lost its non-joiner.
    name = "👩\u200d💻 می\u200cخواهم"
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        typed(app, name)
        await pilot.pause()
        assert app.screen.query_one("#new-name", Input).value == name
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.find(name) is not None
