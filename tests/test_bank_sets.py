"""Banks belong to the assessment (issue 17): the set recorded by `new --bank … --no-builtin`, used
by every later command and the app without --questionnaires; `soc2-tui banks`; a bank not found
or changed is a warning, never a silent 0.0; `replaces:` moves answers; migration 3 → 4."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from typing import TYPE_CHECKING

import pytest

from soc2_tui import startup
from soc2_tui.cli import main
from soc2_tui.store import Store, schema

if TYPE_CHECKING:
    from soc2_tui.tui.app import Soc2App

BANK = """\
bank: acme
version: "1"
kind: controls
sections:
  - id: AC
    title: Acme controls
    items:
      - id: AC-01
        title: Access reviews
        question: Are access reviews done each quarter?
        guidance: Reviews find access nobody needs any more.
        evidence: [Review records]
        remediation: Start quarterly reviews.
        criteria: [CC6.1]
        severity: high
        effort: S
      - id: AC-02
        title: Multi-factor sign-in
        question: Is multi-factor sign-in enforced for every account?
        guidance: A second factor stops most stolen-password sign-ins.
        evidence: [Identity provider settings]
        remediation: Turn it on for everyone.
        criteria: [CC6.2]
        severity: critical
        effort: S
"""


def write_bank(folder, text=BANK):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "acme.yaml").write_text(text, encoding="utf-8")
    return folder


def run(capsys, db, *argv):
    code = main(["--db", str(db), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def answer(db, name, **status):
    """Answer as a front end does: the assessment's banks first (its basis is recorded)."""
    with Store(db) as s:
        a = s.get(name)
        startup.assessment_banks(a, None, s, by="dana", say=False)
        for item, st in status.items():
            s.set_answer(a.id, item.replace("_", "-"), status=st, by="dana")


@pytest.fixture
def own(tmp_path, capsys):
    """A file with 'Own' (the acme bank alone, AC-01 operating, AC-02 implemented) and 'Soc2' (built-in)."""
    db = tmp_path / "a.db"
    bank = write_bank(tmp_path / "banks")
    assert run(capsys, db, "new", "Own", "--bank", str(bank), "--no-builtin")[0] == 0
    assert run(capsys, db, "new", "Soc2")[0] == 0
    answer(db, "Own", AC_01="operating", AC_02="implemented")
    answer(db, "Soc2", CC6_01="operating")
    return db, bank


def test_an_assessment_with_its_own_bank_scores_only_that_bank_in_every_command(own, capsys, tmp_path):
    db, _bank = own
    code, out, err = run(capsys, db, "score", "Own", "--json")
    doc = json.loads(out)
    # AC-01 operating (3 × 1) and AC-02 implemented, Type II (4 × 0.5): 5 of 7 → 71.4
    assert code == 0 and err == "" and doc["overall"]["applicable"] == 2
    assert doc["overall"]["score"] == pytest.approx(71.43, abs=0.01)
    rows = {r["name"]: r for r in json.loads(run(capsys, db, "list", "--json")[1])}
    assert (rows["Own"]["applicable"], rows["Own"]["answered"], rows["Own"]["bank_warnings"]) == (2, 2, [])
    assert rows["Soc2"]["applicable"] > 100 and rows["Soc2"]["answered"] == 1  # two sets in one file
    report = run(capsys, db, "report", "Own")[1]
    assert "AC-01" in report and "CC6-01" not in report and "71.4" in report
    export = json.loads(run(capsys, db, "export", "Own", "--format", "json")[1])
    assert sorted(i["id"] for i in export["items"]) == ["AC-01", "AC-02"]
    (tmp_path / "in.csv").write_text("id,status\nAC-02,operating\n", encoding="utf-8")
    assert run(capsys, db, "import", str(tmp_path / "in.csv"), "--into", "Own")[0] == 0
    assert json.loads(run(capsys, db, "score", "Own", "--json")[1])["overall"]["score"] == 100.0
    assert run(capsys, db, "snapshot", "Own")[0] == 0
    assert run(capsys, db, "disagreements", "Own")[0] == 0
    soc2 = json.loads(run(capsys, db, "score", "Soc2", "--json")[1])
    assert soc2["overall"]["applicable"] > 100 and soc2["overall"]["answered"] == 1


def test_banks_lists_each_assessments_set(own, capsys):
    db, bank = own
    code, out, _err = run(capsys, db, "banks")
    assert code == 0
    own_part, soc2_part = out.split("'Soc2'")
    assert "without the built-in banks" in own_part and f"acme 1  {bank}  unchanged" in own_part
    from soc2_tui import banks

    version = banks.load_questionnaire().banks["soc2-controls"]
    assert "soc2-controls" not in own_part and f"soc2-controls {version}  built-in  unchanged" in soc2_part
    doc = json.loads(run(capsys, db, "banks", "Own", "--json")[1])
    assert doc["builtin"] is False and doc["paths"] == [str(bank)]
    assert [(b["id"], b["found"], b["changed"]) for b in doc["banks"]] == [("acme", True, False)]


def test_a_moved_bank_is_a_warning_everywhere_never_a_silent_zero(own, capsys, tmp_path):
    db, bank = own
    moved = tmp_path / "elsewhere"
    shutil.move(bank, moved)
    code, out, err = run(capsys, db, "score", "Own")
    assert code == 0 and "bank acme 1 cannot be found (it was at" in err and str(bank) in err
    rows = {r["name"]: r for r in json.loads(run(capsys, db, "list", "--json")[1])}
    assert "cannot be found" in rows["Own"]["bank_warnings"][0] and rows["Soc2"]["bank_warnings"] == []
    assert "Own: bank acme 1 cannot be found" in run(capsys, db, "list")[2]
    warnings = run(capsys, db, "report", "Own")[1].split("## Warnings")[1].split("\n## ")[0]
    assert "**Question bank not found:** bank acme 1 cannot be found" in warnings
    assert "not found" in run(capsys, db, "banks", "Own")[1]
    # Found again: --add records its new place; the history says so and the trail still holds.
    code, out, _err = run(capsys, db, "--as", "Lee", "banks", "Own", "--add", str(moved))
    assert code == 0 and f"acme 1  {moved}  unchanged" in out
    code, out, err = run(capsys, db, "score", "Own", "--json")
    assert err == "" and json.loads(out)["overall"]["score"] == pytest.approx(71.43, abs=0.01)
    with Store(db) as s:
        last = s.history(s.get("Own").id)[-1]
        assert (last.item_id, last.field, last.changed_by) == ("@assessment", "bank_set", "Lee")
        assert str(moved) in last.new and str(bank) in last.old
    assert run(capsys, db, "verify", "Own")[0] == 0


def test_an_edited_bank_is_a_warning_and_lists_items_whose_criteria_moved(own, capsys):
    db, bank = own
    write_bank(bank, BANK.replace("criteria: [CC6.1]", "criteria: [CC6.3]"))
    _code, _out, err = run(capsys, db, "score", "Own")
    assert "bank acme changed since it was added to this assessment (its content differs" in err
    assert "AC-01 was answered under criteria CC6.1; the bank now maps it to CC6.3" in err
    assert "AC-02" not in err  # its criteria did not move
    warnings = run(capsys, db, "report", "Own")[1].split("## Warnings")[1].split("\n## ")[0]
    assert "**Criteria changed since answered:** AC-01 was answered under criteria CC6.1" in warnings
    out = run(capsys, db, "banks", "Own")[1]
    assert "changed since it was added" in out and "changed since 2 answers were given" in out
    assert run(capsys, db, "banks", "Own", "--add", str(bank))[0] == 0  # the new content accepted
    assert "changed since it was added (" not in run(capsys, db, "banks", "Own")[1]


async def test_the_app_scores_the_assessments_own_banks_and_says_when_one_is_missing(own, tmp_path):
    from soc2_tui.tui.app import Soc2App
    from soc2_tui.tui.screens.dashboard import DashboardScreen

    db, bank = own
    store = startup.open_store(str(db))
    try:
        app = Soc2App(store, startup.load_banks(), respondent="Dana", open_name="Own", today=date(2026, 11, 26))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)
            assert sorted(app.q.items) == ["AC-01", "AC-02"]
            assert app.screen.result.overall.score == pytest.approx(71.43, abs=0.01)
            assert "2 of 2 items answered" in str(app.screen.summary_parts)
        shutil.move(bank, tmp_path / "gone")
        app = Soc2App(store, startup.load_banks(), respondent="Dana", open_name="Own", today=date(2026, 11, 26))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            counts = str(app.screen.query_one("#dash-counts").render())
            assert "⚠ bank acme 1 cannot be found" in counts
            assert any("cannot be found" in str(n.message) for n in app._notifications)
    finally:
        store.close()


async def create_in_the_form(store: Store, name: str, **values) -> Soc2App:
    """Create an assessment through the app's new-assessment form: the name, then each field
    id (without its "new-" prefix) set to its value. Returns the app, closed, for its state."""
    from soc2_tui.tui.app import Soc2App
    from soc2_tui.tui.dialogs.new_assessment import NewAssessmentScreen

    app = Soc2App(store, startup.load_banks(), respondent="Dana", today=date(2026, 11, 26))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.screen.action_new()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewAssessmentScreen)
        form.query_one("#new-name").value = name
        for field, value in values.items():
            form.query_one(f"#new-{field}").value = value
        form.action_create()
        await pilot.pause()
        await pilot.pause()
    return app


async def test_the_new_assessment_form_records_the_banks_chosen(tmp_path):
    bank = write_bank(tmp_path / "banks")
    store = Store(tmp_path / "app.db")
    try:
        app = await create_in_the_form(store, "Mine", banks=str(bank), builtin=False)
        a = store.get("Mine")
        assert a.bank_set.builtin is False and [b.id for b in a.bank_set.banks] == ["acme"]
        assert sorted(app.q.items) == ["AC-01", "AC-02"]
    finally:
        store.close()


RENAMED = BANK.replace("      - id: AC-01\n", "      - id: AC-10\n        replaces: [AC-01]\n")


def test_replaces_moves_the_answer_with_its_authors_once_in_the_history(own, capsys):
    db, bank = own
    with Store(db) as s:
        aid = s.get("Own").id
        s.set_answer(aid, "AC-01", notes="checked in March", by="lee")
        before = s.answer(aid, "AC-01")
    write_bank(bank, RENAMED)
    code, out, err = run(capsys, db, "--as", "Mo", "score", "Own", "--json")
    assert code == 0 and "AC-01 → AC-10" in err
    assert json.loads(out)["overall"]["score"] == pytest.approx(71.43, abs=0.01)
    with Store(db) as s:
        answers = s.answers(aid)
        assert "AC-01" not in answers
        moved = answers["AC-10"]
        assert (moved.status, moved.notes, moved.answered_by, moved.notes_by) == (
            "operating", "checked in March", "dana", "lee") and moved.answered_at == before.answered_at
        rows = [(c.item_id, c.field, c.old, c.new, c.changed_by) for c in s.history(aid)[-5:]]
        assert rows == [("AC-01", "status", "operating", None, "Mo"), ("AC-01", "notes", "checked in March", "", "Mo"),
                        ("AC-10", "status", None, "operating", "Mo"), ("AC-10", "notes", "", "checked in March", "Mo"),
                        ("AC-10", "replaces", "AC-01", "AC-10", "Mo")]
        n = len(s.history(aid))
        # The item's history follows the rename: its answers under the old id come with it.
        assert [(c.item_id, c.field, c.changed_by) for c in s.history(aid, "AC-10")][:2] == [
            ("AC-01", "status", "dana"), ("AC-01", "notes", "lee")]
    assert run(capsys, db, "score", "Own")[2].count("→") == 0  # once: nothing left to move
    with Store(db) as s:
        assert len(s.history(aid)) == n
    assert run(capsys, db, "verify", "Own")[0] == 0


def test_replaces_never_double_counts_a_new_answer_wins_and_the_old_stays_orphaned(own, capsys):
    db, bank = own
    with Store(db) as s:
        aid = s.get("Own").id
        s.set_answer(aid, "AC-10", status="not_started", by="dana")  # given under the new id already
    write_bank(bank, RENAMED)
    code, out, err = run(capsys, db, "score", "Own", "--json")
    doc = json.loads(out)
    assert "→" not in err and doc["overall"]["answered"] == 2 and doc["overall"]["applicable"] == 2
    with Store(db) as s:
        answers = s.answers(aid)
        assert answers["AC-01"].status == "operating" and answers["AC-10"].status == "not_started"
    report = run(capsys, db, "report", "Own")[1]
    assert "AC-01 has an answer but is not in the loaded question banks" in report


def _as_schema_3(path):
    """Make a file what schema 3 wrote: no bank set, no basis."""
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE assessments DROP COLUMN bank_set")
    conn.execute("ALTER TABLE answers DROP COLUMN basis")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()


def test_migration_3_to_4_keeps_everything_makes_a_backup_and_warns_of_a_bank_given_once(tmp_path, capsys):
    db = tmp_path / "old.db"
    bank = write_bank(tmp_path / "banks")
    # Before schema 4 a custom bank came with --questionnaires on every command.
    assert run(capsys, db, "--questionnaires", str(bank), "new", "Old")[0] == 0
    assert run(capsys, db, "demo")[0] == 0
    answer(db, "Old", AC_01="operating", CC6_01="implemented")
    with Store(db) as s:
        before = {a.name: (a, s.answers(a.id), len(s.history(a.id))) for a in s.assessments()}
    _as_schema_3(db)
    code, out, err = run(capsys, db, "score", "Old", "--json")
    assert code == 0 and "the previous version is kept in" in err
    # Forgetting --questionnaires no longer scores silently: the bank it was created with is missing.
    assert "bank acme 1 cannot be found" in err
    with Store(db) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 4
        for a in s.assessments():
            old_a, old_answers, rows = before[a.name]
            assert s.answers(a.id) == old_answers and len(s.history(a.id)) == rows
            assert (a.bank_versions, a.bank_set.builtin, a.bank_set.paths) == (old_a.bank_versions, True, ())
            recorded = {b.id: (b.version, b.hash) for b in a.bank_set.banks}
            assert recorded == {k: (v, "") for k, v in a.bank_versions.items()}
            assert s.verify(a.id).problem is None
    backups = list(tmp_path.glob("old.db.v3-*.bak"))
    assert len(backups) == 1
    conn = sqlite3.connect(backups[0])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    conn.close()
    assert run(capsys, db, "verify", "demo")[0] == 0
    # Given its bank again, once, it is part of the assessment from then on.
    assert run(capsys, db, "banks", "Old", "--add", str(bank))[0] == 0
    code, out, err = run(capsys, db, "score", "Old", "--json")
    assert err == "" and json.loads(out)["overall"]["answered"] == 2


def test_questionnaires_still_adds_a_bank_for_one_command(own, capsys, tmp_path):
    db, _bank = own
    extra = write_bank(tmp_path / "extra", BANK.replace("bank: acme", "bank: extra").replace("AC-0", "EX-0")
                       .replace("- id: AC\n", "- id: EX\n"))
    doc = json.loads(run(capsys, db, "--questionnaires", str(extra), "score", "Own", "--json")[1])
    assert doc["overall"]["applicable"] == 4
    assert json.loads(run(capsys, db, "score", "Own", "--json")[1])["overall"]["applicable"] == 2
    out = run(capsys, db, "--questionnaires", str(extra), "banks", "Own")[1]
    assert "extra 1" in out and "for this command only" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["new", "X", "--no-builtin"], "--no-builtin needs at least one --bank PATH"),
    (["banks", "--add", "somewhere"], "name it"),
    (["banks", "Own", "--remove", "nope"], "the assessment has no bank 'nope' (its banks: acme)"),
    (["banks", "Own", "--remove", "acme"], "an assessment needs at least one question bank"),
    (["banks", "Own", "--add", "no/such/folder"], "no such question-bank file or folder: no/such/folder"),
])
def test_bank_set_mistakes_are_one_line_and_change_nothing(own, capsys, argv, message):
    db, _bank = own
    with Store(db) as s:
        before = [s.history(a.id) for a in s.assessments()]
    code, _out, err = run(capsys, db, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    with Store(db) as s:
        assert [s.history(a.id) for a in s.assessments()] == before


def test_removing_the_builtin_banks_leaves_the_assessments_own(tmp_path, capsys):
    db = tmp_path / "b.db"
    bank = write_bank(tmp_path / "banks")
    assert run(capsys, db, "new", "Both", "--bank", str(bank))[0] == 0
    assert json.loads(run(capsys, db, "score", "Both", "--json")[1])["overall"]["applicable"] > 100
    assert run(capsys, db, "banks", "Both", "--remove", "soc2-controls")[0] == 0
    doc = json.loads(run(capsys, db, "banks", "Both", "--json")[1])
    assert doc["builtin"] is False and [b["id"] for b in doc["banks"]] == ["acme"]
    assert json.loads(run(capsys, db, "score", "Both", "--json")[1])["overall"]["applicable"] == 2
    assert run(capsys, db, "banks", "Both", "--add", "built-in")[0] == 0
    assert json.loads(run(capsys, db, "score", "Both", "--json")[1])["overall"]["applicable"] > 100
    assert run(capsys, db, "verify", "Both")[0] == 0


def test_quick_mode_asks_the_assessments_own_bank_without_questionnaires(own, monkeypatch):
    import io

    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from soc2_tui import cli, quick

    db, _bank = own
    monkeypatch.setattr(quick.Session, "offer_report", lambda self: None)
    with Store(db) as s:
        s.set_answer(s.get("Own").id, "AC-02", status=None, by="dana")  # one question left to ask
    args = cli.build_parser().parse_args(["--db", str(db), "quick", "Own", "--as", "kim"])
    out = io.StringIO()
    with create_pipe_input() as inp:
        inp.send_text("1\r\r")  # AC-02 operating, no note
        inp.close()
        assert quick.run(args, quick.Prompter(input=inp, output=DummyOutput(), out=out, width=100)) == 0
    text = out.getvalue()
    assert "[1/1] AC-02 · Multi-factor sign-in" in text and "CC1-01" not in text
    with Store(db) as s:
        got = s.answer(s.get("Own").id, "AC-02")
        assert (got.status, got.answered_by) == ("operating", "kim")
        assert '"bank":"acme"' in s.bases(s.get("Own").id)["AC-02"]


def test_doctor_keeps_the_bank_set_in_a_clean_copy(own, capsys, tmp_path):
    db, bank = own
    assert run(capsys, db, "banks", "Own", "--add", str(bank))[0] == 0  # a bank_set row in the trail
    code, out, _err = run(capsys, db, "doctor", str(db), "-o", str(tmp_path / "clean.db"))
    assert code == 0 and "no problem found" in out
    with Store(tmp_path / "clean.db") as s:
        a = s.get("Own")
        assert (a.bank_set.builtin, [b.id for b in a.bank_set.banks]) == (False, ["acme"])
        assert s.verify(a.id).problem is None


def test_a_bank_added_in_a_copy_comes_with_a_merge(tmp_path, capsys):
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    bank = write_bank(tmp_path / "banks")
    assert run(capsys, here, "new", "Acme")[0] == 0
    shutil.copyfile(here, there)
    assert run(capsys, there, "banks", "Acme", "--add", str(bank))[0] == 0
    assert run(capsys, here, "merge", str(there))[0] == 0
    doc = json.loads(run(capsys, here, "banks", "Acme", "--json")[1])
    assert [b["id"] for b in doc["banks"]] == ["acme", "soc2-controls", "soc2-policies", "soc2-scope"]
    assert run(capsys, here, "verify", "Acme")[0] == 0
