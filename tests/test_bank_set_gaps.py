"""Gaps left in "Banks belong to the assessment" (issue 17): `list` and the home screen with one
assessment whose bank no longer loads, disagreements that follow a `replaces` rename, the app's
"criteria moved" warnings after an answer is given again, and banks found through
$SOC2_TUI_QUESTIONNAIRES recorded by `new` as paths."""

from __future__ import annotations

import json
from datetime import date

import test_bank_sets
from test_bank_format import shown
from test_bank_sets import BANK, RENAMED, answer, create_in_the_form, run, write_bank

from soc2_tui import startup
from soc2_tui.store import Store

own = test_bank_sets.own  # the fixture: 'Own' (the acme bank alone) and 'Soc2' (built-in) in one file


def test_disagreements_follow_a_replaces_rename(own, capsys):
    db, bank = own
    with Store(db) as s:
        aid = s.get("Own").id
        s.set_answer(aid, "AC-01", status="in_progress", by="lee")  # dana said operating (the fixture)
    assert [d["item"] for d in json.loads(run(capsys, db, "disagreements", "Own", "--json")[1])
            ["disagreements"]] == ["AC-01"]
    write_bank(bank, RENAMED)  # AC-01 is now AC-10, replaces: [AC-01]
    code, out, err = run(capsys, db, "--as", "Mo", "disagreements", "Own", "--json")
    assert code == 0 and "AC-01 → AC-10" in err  # the answer moved as the banks loaded
    found = json.loads(out)["disagreements"]
    assert [d["item"] for d in found] == ["AC-10"]
    # The positions are dana's and lee's, said under the old id; Mo only loaded the new bank.
    assert [(p["respondent"], p["value"]) for p in found[0]["positions"]] == [
        ("dana", "operating"), ("lee", "in_progress")]
    assert found[0]["title"] == "Access reviews"
    with Store(db) as s:
        one = s.disagreement(aid, "AC-10")
        assert one is not None and [p.respondent for p in one.positions] == ["dana", "lee"]
        assert s.disagreement(aid, "AC-01") is None
    # Resolved under its new id, it is settled; the report lists nothing to settle.
    code, out, _err = run(capsys, db, "--as", "Kim", "disagreements", "Own", "--resolve", "AC-10",
                          "--note", "reviews run each quarter since May", "--status", "operating")
    assert code == 0 and "resolved the disagreement on AC-10" in out
    assert json.loads(run(capsys, db, "disagreements", "Own", "--json")[1])["disagreements"] == []
    assert run(capsys, db, "verify", "Own")[0] == 0


def test_a_later_answer_under_the_new_id_still_disagrees_with_one_given_under_the_old(own, capsys):
    db, bank = own
    write_bank(bank, RENAMED)
    with Store(db) as s:
        aid = s.get("Own").id
        startup.assessment_banks(s.get("Own"), None, s, by="Mo", say=False)  # dana's AC-01 answer moves to AC-10
        s.set_answer(aid, "AC-10", status="not_started", by="lee")
        found = s.disagreements(aid)
    assert [(d.item_id, [(p.respondent, p.value) for p in d.positions]) for d in found] == [
        ("AC-10", [("dana", "operating"), ("lee", "not_started")])]


def test_an_answer_left_under_the_old_id_still_counts_for_the_new_one(own, capsys):
    db, bank = own
    with Store(db) as s:
        aid = s.get("Own").id
        s.set_answer(aid, "AC-10", status="not_started", by="lee")  # the new id answered already
    write_bank(bank, RENAMED)
    code, out, err = run(capsys, db, "disagreements", "Own", "--json")
    assert code == 0 and "→" not in err  # nothing moved: dana's answer stays under AC-01, orphaned
    found = json.loads(out)["disagreements"]
    assert [(d["item"], [(p["respondent"], p["value"]) for p in d["positions"]]) for d in found] == [
        ("AC-10", [("dana", "operating"), ("lee", "not_started")])]
    code, out, _err = run(capsys, db, "--as", "Kim", "disagreements", "Own", "--resolve", "AC-10",
                          "--note", "not started: the May review was a one-off")
    assert code == 0 and json.loads(run(capsys, db, "disagreements", "Own", "--json")[1])["disagreements"] == []


def test_new_records_the_banks_of_the_questionnaires_variable_as_absolute_paths(tmp_path, capsys, monkeypatch):
    db = tmp_path / "v.db"
    write_bank(tmp_path / "banks")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOC2_TUI_QUESTIONNAIRES", "banks")  # relative, as people type it
    code, out, _err = run(capsys, db, "new", "Env")
    assert code == 0 and "question banks: acme 1, soc2-controls" in out
    monkeypatch.delenv("SOC2_TUI_QUESTIONNAIRES")
    monkeypatch.chdir(tmp_path.parent)  # another folder, the variable unset
    doc = json.loads(run(capsys, db, "banks", "Env", "--json")[1])
    assert doc["paths"] == [str(tmp_path / "banks")]
    assert [(b["id"], b["found"], b["where"]) for b in doc["banks"]][0] == ("acme", True, str(tmp_path / "banks"))
    code, out, err = run(capsys, db, "score", "Env", "--json")
    assert code == 0 and err == "" and json.loads(out)["overall"]["applicable"] > 100
    export = json.loads(run(capsys, db, "export", "Env", "--format", "json")[1])
    assert {"AC-01", "AC-02"} <= {i["id"] for i in export["items"]}


async def test_the_apps_new_assessment_form_records_the_variables_banks_as_paths(tmp_path, monkeypatch):
    bank = write_bank(tmp_path / "banks")
    monkeypatch.setenv("SOC2_TUI_QUESTIONNAIRES", str(bank))
    store = Store(tmp_path / "app.db")
    try:
        await create_in_the_form(store, "Mine")
        a = store.get("Mine")
        assert a.bank_set.builtin is True and a.bank_set.paths == (str(bank),)
        assert {b.id: b.path for b in a.bank_set.banks}["acme"] == str(bank)
    finally:
        store.close()
    monkeypatch.delenv("SOC2_TUI_QUESTIONNAIRES")
    with Store(tmp_path / "app.db") as s:
        assert {"AC-01", "AC-02"} <= set(startup.assessment_banks(s.get("Mine"), None, s).items)


def _break(bank):
    """The acme bank made invalid YAML at a known line; returns that line's number."""
    text = (bank / "acme.yaml").read_text(encoding="utf-8")
    (bank / "acme.yaml").write_text(text + "  - : [\n", encoding="utf-8")
    return len(text.splitlines()) + 1


def test_list_shows_every_assessment_when_one_bank_does_not_load(own, capsys, monkeypatch):
    db, bank = own
    line = _break(bank)
    monkeypatch.setenv("COLUMNS", "100")
    code, out, err = run(capsys, db, "list")
    assert code == 0 and err == ""
    table, below = out.split("\nSoc2")
    assert "Own" in table and "question banks not loaded (see below)" in flat(table)
    assert " 1/" in below.splitlines()[0]  # the other assessment is listed and scored (one answer)
    reason = f"acme.yaml:{line}: YAML syntax error"
    assert any(ln.startswith("⚠ 'Own': its question banks cannot be loaded: ") and reason in ln
               for ln in out.splitlines())  # the reason on one line, FILE:LINE
    rows = {r["name"]: r for r in json.loads(run(capsys, db, "list", "--json")[1])}
    assert reason in rows["Own"]["bank_error"] and shown(bank) in rows["Own"]["bank_error"]
    assert [rows["Own"][k] for k in ("score", "band", "applicable", "answered")] == [None] * 4
    assert rows["Soc2"]["bank_error"] is None and rows["Soc2"]["answered"] == 1
    assert rows["Soc2"]["score"] is not None
    # The commands on that one assessment stay a one-line error with exit 2.
    code, out, err = run(capsys, db, "score", "Own")
    assert code == 2 and out == "" and reason in err and len(err.strip().splitlines()) == 1


def test_list_exits_2_when_no_assessments_banks_load(own, capsys):
    db, bank = own
    with Store(db) as s:
        s.delete(s.get("Soc2").id)
    _break(bank)
    code, out, err = run(capsys, db, "list", "--json")
    assert code == 2 and json.loads(out)[0]["bank_error"].startswith(shown(bank))
    assert err.startswith("soc2-tui: error: the question banks of no assessment could be loaded: ")
    assert len(err.strip().splitlines()) == 1


def flat(text):
    return " ".join(text.split())


async def test_the_home_screen_lists_the_others_and_says_why_one_does_not_open(own, tmp_path):
    from soc2_tui.tui.app import Soc2App
    from soc2_tui.tui.screens.dashboard import DashboardScreen
    from soc2_tui.tui.screens.home import AssessmentsScreen, AssessmentTable

    db, bank = own
    line = _break(bank)
    reason = f"acme.yaml:{line}: YAML syntax error"
    store = startup.open_store(str(db))
    try:
        app = Soc2App(store, startup.load_banks(), respondent="Dana", today=date(2026, 11, 26))
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            home = app.screen
            assert isinstance(home, AssessmentsScreen)
            assert [r["name"] for r in home.rows] == ["Own", "Soc2"]
            own_row, soc2_row = home.rows
            assert reason in own_row["bank_error"] and own_row["score"] is None
            assert soc2_row["bank_error"] is None and soc2_row["answered"] == 1
            table = home.query_one(AssessmentTable)
            assert str(table.get_row_at(0)[0]).startswith("⚠ Own")
            # name, organisation, type, score, band, answered, updated: no score, band or count
            assert [str(c) for c in table.get_row_at(0)[2:6]] == ["Type II", "–", "–", "–"]
            assert str(table.get_row_at(1)[0]) == "Soc2"
            assert table.cursor_row == 0
            details = str(home.query_one("#details").render())
            assert "its question banks cannot be loaded" in details and reason in details
            assert [str(n.message).count(reason) for n in app._notifications] == [1]
            await pilot.press("enter")  # it does not open against other banks
            await pilot.pause()
            assert app.screen is home
            assert any("'Own' cannot be opened" in str(n.message) and reason in str(n.message)
                       for n in app._notifications)
            await pilot.press("down", "enter")
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen) and app.screen.assessment_id == soc2_row["id"]
    finally:
        store.close()


def test_quick_mode_offers_the_others_and_says_why_one_cannot_be_chosen(own, monkeypatch):
    import io

    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from soc2_tui import cli, quick

    db, bank = own
    line = _break(bank)
    monkeypatch.setattr(quick.Session, "offer_report", lambda self: None)
    offered = []
    real_select = quick.Prompter.select

    def spy(self, message, choices, **kw):
        offered.append(choices)
        return real_select(self, message, choices, **kw)

    monkeypatch.setattr(quick.Prompter, "select", spy)
    args = cli.build_parser().parse_args(["--db", str(db), "quick", "--section", "CC3", "--as", "kim"])
    out = io.StringIO()
    with create_pipe_input() as inp:
        inp.send_text("\r" + "1\r\r" + "\x03")  # enter: the first choice that can be chosen
        inp.close()
        assert quick.run(args, quick.Prompter(input=inp, output=DummyOutput(), out=out, width=100)) == 0
    assert "Assessment 'Soc2'" in out.getvalue()
    first = offered[0][0]
    assert first.disabled and f"Own · Type II · its question banks cannot be loaded: {shown(bank)}" in first.title
    assert f"acme.yaml:{line}: YAML syntax error" in first.title


async def test_criteria_moved_leaves_the_app_once_the_item_is_answered_again(own, capsys):
    from soc2_tui.tui.app import Soc2App
    from soc2_tui.tui.screens.dashboard import DashboardScreen
    from soc2_tui.tui.screens.home import AssessmentsScreen

    db, bank = own
    write_bank(bank, BANK.replace("[CC6.1]", "[CC6.3]").replace("[CC6.2]", "[CC6.3]"))  # both answered items move

    def moved(app):
        return sorted(subject for kind, subject, _m in app.q.notices if kind == "criteria_moved")

    def warned(app):
        return sorted(w.item_id for w in app.screen.result.warnings if w.kind == "criteria_moved")

    store = startup.open_store(str(db))
    try:
        app = Soc2App(store, startup.load_banks(), respondent="Dana", open_name="Own", today=date(2026, 11, 26))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)
            aid = app.screen.assessment_id
            assert moved(app) == warned(app) == ["AC-01", "AC-02"]
            assert "2 items mapped to other criteria" in str(app.screen.query_one("#dash-counts").render())
            app.save_answer(aid, "AC-01", status="operating")  # the status already stored: nothing recorded
            await pilot.pause()
            assert moved(app) == ["AC-01", "AC-02"]
            app.save_answer(aid, "AC-01", status="implemented")  # recorded with the criteria it has now
            await pilot.pause()
            assert moved(app) == warned(app) == ["AC-02"]
            assert "1 item mapped to other criteria" in str(app.screen.query_one("#dash-counts").render())
            # Another program answers AC-02 against the same bank: the live view brings that too.
            answer(db, "Own", AC_02="operating")
            app.follow_file()
            await pilot.pause()
            assert moved(app) == warned(app) == []
            assert [kind for kind, _s, _m in app.q.notices] == ["bank_changed"]  # that one stays
            assert "mapped to other criteria" not in str(app.screen.query_one("#dash-counts").render())
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, AssessmentsScreen)
            app.open_assessment(aid)  # opened again: the same, not the notices as first loaded
            await pilot.pause()
            assert moved(app) == warned(app) == []
    finally:
        store.close()
    assert "was answered under criteria" not in run(capsys, db, "score", "Own")[2]


def test_banks_lists_every_assessment_when_one_set_does_not_load(own, capsys):
    db, bank = own
    line = _break(bank)
    reason = f"acme.yaml:{line}: YAML syntax error"
    code, out, _err = run(capsys, db, "banks")
    own_part, soc2_part = out.split("'Soc2'")
    assert code == 0 and "⚠ its question banks cannot be loaded: " in own_part and reason in own_part
    assert f"acme 1  -  not loaded (recorded at {bank})" in own_part
    assert "soc2-controls" in soc2_part and "unchanged since it was added" in soc2_part
    docs = {d["assessment"]: d for d in json.loads(run(capsys, db, "banks", "--json")[1])}
    assert reason in docs["Own"]["bank_error"] and docs["Soc2"]["bank_error"] is None
    assert [(b["id"], b["found"], b["recorded_path"]) for b in docs["Own"]["banks"]] == [("acme", None, str(bank))]
    code, out, err = run(capsys, db, "banks", "Own")  # named: the one-line error, exit 2
    assert code == 2 and out == "" and reason in err and len(err.strip().splitlines()) == 1


def test_quick_modes_summary_and_report_drop_an_item_answered_again(own, monkeypatch):
    import io

    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from soc2_tui import cli, quick

    db, bank = own
    write_bank(bank, BANK.replace("[CC6.1]", "[CC6.3]").replace("[CC6.2]", "[CC6.3]"))
    reported = []
    monkeypatch.setattr(quick.Session, "offer_report",
                        lambda self: reported.append(sorted(s for k, s, _m in self.q.notices if k == "criteria_moved")))
    args = cli.build_parser().parse_args(["--db", str(db), "quick", "Own", "--section", "AC", "--as", "kim"])
    with create_pipe_input() as inp:
        inp.send_text("2\r\r" + "2\r\r")  # AC-01 implemented (was operating), AC-02 as it was: implemented
        inp.close()
        assert quick.run(args, quick.Prompter(input=inp, output=DummyOutput(), out=io.StringIO(), width=100)) == 0
    assert reported == [["AC-02"]]  # AC-02's status did not change, so nothing was recorded for it
