"""Quick mode driven through its real questionary prompts (prompt_toolkit pipe input)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from soc2_tui import cli, quick, startup
from soc2_tui.store import Store

DOWN, UP, CTRL_C, BACKSPACE = "\x1b[B", "\x1b[A", "\x03", "\x7f"


REAL_OFFER = quick.Session.offer_report


@pytest.fixture(autouse=True)
def _env(monkeypatch, q):
    for var in ("SOC2_TUI_AS", "SOC2_TUI_DB", "SOC2_TUI_QUESTIONNAIRES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LOGNAME", "tester")  # the login name getpass finds first
    monkeypatch.setenv("USER", "tester")
    # Load the banks once per session, and keep the report offer out of the way unless a test
    # asks for it.
    monkeypatch.setattr(startup, "load_banks", lambda dirs: q)
    monkeypatch.setattr(quick.Session, "offer_report", lambda self: None)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "q.db"


def make(db, name="acme", **fields):
    with Store(db) as s:
        return s.create(name, by="setup", **fields)


def answers(db, name="acme"):
    with Store(db) as s:
        return s.answers(s.get(name).id)


def drive(db, argv, keys):
    """Run `soc2-tui --db DB quick ARGV…` typing KEYS; returns (exit code, printed text)."""
    args = cli.build_parser().parse_args(["--db", str(db), "quick", *argv])
    out = io.StringIO()
    with create_pipe_input() as inp:
        inp.send_text(keys)
        inp.close()  # end of input after the keys: a prompt left waiting stops the run
        rc = quick.run(args, quick.Prompter(input=inp, output=DummyOutput(), out=out, width=100))
    return rc, out.getvalue()


def flat(text):
    return " ".join(text.split())


def headers(text):
    return [line for line in text.splitlines() if line.startswith("[")]


# ----------------------------------------------------------------------------- answering


def test_answers_land_in_store_with_respondent_and_notes(db):
    make(db)
    keys = ("1\r" "Policy approved in March\r"   # CC3-01 operating, with a note
            "5\r" "No board yet\r"               # CC3-02 not applicable, with the reason
            "s\r"                                # CC3-03 skipped
            "3\r" "\r"                           # CC3-04 in progress, no note
            "q\r")                               # CC3-05: save and quit
    rc, out = drive(db, ["acme", "--section", "CC3", "--as", "alice"], keys)
    assert rc == 0
    got = answers(db)
    assert set(got) == {"CC3-01", "CC3-02", "CC3-04"}
    assert (got["CC3-01"].status, got["CC3-01"].notes) == ("operating", "Policy approved in March")
    assert (got["CC3-02"].status, got["CC3-02"].notes) == ("not_applicable", "No board yet")
    assert (got["CC3-04"].status, got["CC3-04"].notes) == ("in_progress", "")
    assert {a.answered_by for a in got.values()} == {"alice"}
    with Store(db) as s:
        assert {c.changed_by for c in s.history(s.get("acme").id) if c.item_id.startswith("CC3")} == {"alice"}
    assert headers(out) == [
        "[1/8] CC3-01 · Security and service objectives defined",
        "[2/8] CC3-02 · Annual risk assessment",
        "[3/8] CC3-03 · Risk register with scores, owners and treatment",
        "[4/8] CC3-04 · Fraud risk considered in the assessment",
        "[5/8] CC3-05 · Risk assessed for significant changes",
    ]
    assert "3 answers saved in" in out
    assert "acme: readiness for a SOC 2 Type II report" in out  # the readiness table on quit
    assert "Stopped." not in out


def test_question_and_one_guidance_line_are_shown(db, q):
    make(db)
    rc, out = drive(db, ["acme", "--section", "CC3", "--as", "alice"], CTRL_C)
    item = q.items["CC3-01"]
    flat = " ".join(out.split())
    assert " ".join(item.question.split()) in flat
    assert quick.first_sentence(item.guidance) in flat
    assert " ".join(item.guidance.split()) not in flat  # only the short line, not the whole text


def test_not_applicable_without_reason_warns(db):
    make(db)
    rc, out = drive(db, ["acme", "--section", "CC3", "--as", "alice"], "5\r\r" + CTRL_C)
    assert answers(db)["CC3-01"].status == "not_applicable"
    assert answers(db)["CC3-01"].notes == ""
    assert "No reason given: reports will flag this item until a note says why." in out


def test_interrupt_then_resume_keeps_answers_and_starts_at_next_unanswered(db):
    make(db)
    argv = ["acme", "--section", "CC3", "--as", "alice"]
    rc, out = drive(db, argv, "2\r\r" "4\rnot yet\r" + CTRL_C)
    assert rc == 0
    assert out.rstrip().splitlines()[-1] == (
        f"Stopped. 2 answers saved in {db}; run the same command to continue.")
    assert "readiness for a SOC 2" not in out  # Ctrl-C: one line, no table
    got = answers(db)
    assert (got["CC3-01"].status, got["CC3-02"].status, got["CC3-02"].notes) == (
        "implemented", "not_started", "not yet")

    # Run again: starts at CC3-03; the input simply ends there (same clean stop).
    rc, out = drive(db, argv, "1\r\r")
    assert rc == 0
    assert headers(out)[0].startswith("[3/8] CC3-03 ")
    assert headers(out)[1].startswith("[4/8] CC3-04 ")
    assert "Stopped. 1 answer saved in" in out
    got = answers(db)
    assert got["CC3-01"].status == "implemented" and got["CC3-02"].notes == "not yet"
    assert got["CC3-03"].status == "operating"


def test_default_run_without_section_resumes_with_unanswered_items_only(db, q):
    make(db, period_start="2026-01-01", period_months=6)
    with Store(db) as s:
        a = s.get("acme")
        for item in q.scope_items:  # scope done, so no scope offer
            if not item.assessment_field:
                s.set_answer(a.id, item.id, value=[] if item.type in ("multi", "list") else
                             (False if item.type == "bool" else "x"))
        s.set_answer(a.id, "CC1-01", status="operating")
    rc, out = drive(db, ["acme", "--as", "alice"], "s\r" + CTRL_C)
    assert "about the scope" not in out
    first, second = headers(out)[:2]
    assert first.startswith("[1/") and " CC1-02 · " in first
    assert second.startswith("[2/") and " CC1-03 · " in second


def test_back_guidance_and_enter_keeps_the_current_answer(db, q):
    make(db)
    keys = ("g\r"          # show guidance and evidence for CC3-01
            "3\r\r"        # then answer it: in progress, no note
            "b\r"          # at CC3-02: back to CC3-01
            "\r\r"         # Enter keeps "In progress", Enter keeps the (empty) note
            + CTRL_C)
    rc, out = drive(db, ["acme", "--section", "CC3", "--as", "alice"], keys)
    item = q.items["CC3-01"]
    assert "Evidence an auditor will ask for" in out
    assert f"• {item.evidence[0]}" in " ".join(out.split())
    assert "How to close the gap" in out
    assert "Criteria CC3.1 · severity medium · effort S · runs annually" in out
    assert [h.split(" · ")[0] for h in headers(out)] == [
        "[1/8] CC3-01", "[2/8] CC3-02", "[1/8] CC3-01", "[2/8] CC3-02"]
    assert "Current answer (alice): In progress" in out
    with Store(db) as s:
        changes = s.history(s.get("acme").id, "CC3-01")
    assert [(c.field, c.new) for c in changes] == [("status", "in_progress")]  # kept, not rewritten
    assert "Stopped. 1 answer saved" in out


def test_status_choices_controls_and_policies(db, q, monkeypatch):
    offered = []
    real_select = quick.Prompter.select

    def spy(self, message, choices, **kw):
        offered.append([getattr(c, "title", None) for c in choices])
        return real_select(self, message, choices, **kw)

    monkeypatch.setattr(quick.Prompter, "select", spy)
    make(db)
    drive(db, ["acme", "--section", "CC3", "--as", "alice"], "s\r" + CTRL_C)
    assert offered[0] == [
        "Operating — in place and evidenced for the period",
        "Implemented — in place, not yet evidenced over time",
        "In progress", "Not started", "Not applicable", "---------------",
        "Skip", "Show guidance and evidence", "Save and quit"]
    assert offered[1][6:] == ["Skip", "Back", "Show guidance and evidence", "Save and quit"]

    offered.clear()
    rc, out = drive(db, ["acme", "--section", "POL", "--as", "alice"], "2\r\r" + CTRL_C)
    first_policy = q.sections_of("policy")[0].items[0]
    assert answers(db)[first_policy.id].status == "implemented"
    assert headers(out)[0].startswith(f"[1/22] {first_policy.id} · {first_policy.title}")
    assert offered[0][:4] == [
        "Operating — approved, published and reviewed within 12 months",
        "Implemented — approved, not yet published or reviewed",
        "In progress — a draft exists", "Not started — no policy yet"]


# ----------------------------------------------------------------------------- filters


def _gap_answers(db):
    with Store(db) as s:
        a = s.get("acme")
        for iid, status in {"CC1-01": "in_progress", "CC3-01": "operating", "CC3-02": "implemented",
                            "CC3-03": "not_applicable", "CC3-04": "not_started"}.items():
            s.set_answer(a.id, iid, status=status, by="setup")


def test_only_gaps_type2_asks_answered_items_below_operating_in_bank_order(db):
    make(db)
    _gap_answers(db)
    rc, out = drive(db, ["acme", "--only", "gaps", "--as", "alice"], "s\rs\rs\rs\r")
    assert [h.split(" · ")[0] for h in headers(out)] == ["[1/3] CC1-01", "[2/3] CC3-02", "[3/3] CC3-04"]
    assert "about the scope" not in out


def test_only_gaps_type1_counts_implemented_as_met(db):
    make(db, report_type="type1")
    _gap_answers(db)
    rc, out = drive(db, ["acme", "--only", "gaps", "--section", "CC3", "--as", "alice"],
                    "1\r\r")  # close the first gap: not started -> operating
    ids = [h.split(" · ")[0].split()[1] for h in headers(out)]
    assert ids == ["CC3-04"]
    assert answers(db)["CC3-04"].status == "operating"


def test_only_gaps_with_none_left_says_so(db):
    make(db)
    with Store(db) as s:
        s.set_answer(s.get("acme").id, "CC3-01", status="operating")
    rc, out = drive(db, ["acme", "--only", "gaps", "--section", "CC3", "--as", "alice"], "")
    assert rc == 0
    assert "No gaps in CC3: every answered question is at the Type II target (operating) or not applicable." in out
    assert "readiness for a SOC 2 Type II report" in out


def test_only_unanswered_in_section(db):
    make(db)
    with Store(db) as s:
        a = s.get("acme")
        s.set_answer(a.id, "CC3-01", status="operating")
        s.set_answer(a.id, "CC3-03", status="operating")
    rc, out = drive(db, ["acme", "--section", "cc3", "--only", "unanswered", "--as", "alice"], "s\rs\rs\r")
    ids = [h.split(" · ")[0] for h in headers(out)]
    assert ids == ["[1/6] CC3-02", "[2/6] CC3-04", "[3/6] CC3-05", "[4/6] CC3-06"]  # the input ends there


# ----------------------------------------------------------------------------- assessments


def test_create_assessment_through_prompts(db):
    keys = ("Beta\r" "Beta Inc\r"
            + DOWN + "\r"                         # Type I
            + " " + DOWN + DOWN + " \r"           # availability and confidentiality
            + "2026-13-01\r"                      # refused by the date check …
            + BACKSPACE * 10 + "2026-03-01\r"     # … corrected
            + UP + "\r"                           # 12 months (the default for Type I is "not decided")
            + CTRL_C)
    rc, out = drive(db, ["--section", "CC3", "--as", "bob"], keys)
    assert rc == 0
    assert f"There is no assessment in {db} yet, so let's create one." in flat(out)
    with Store(db) as s:
        a = s.get("Beta")
        assert (a.organisation, a.report_type, a.principles, a.period_start, a.period_months) == (
            "Beta Inc", "type1", ("security", "availability", "confidentiality"), "2026-03-01", 12)
        assert s.history(a.id)[0].changed_by == "bob"
    assert "Assessment 'Beta' (Type I, Security, Availability, Confidentiality)" in out
    assert headers(out)[0].startswith("[1/8] CC3-01")


def test_pick_an_existing_assessment_and_ask_the_respondent(db):
    make(db, "alpha")
    make(db, "zeta")
    rc, out = drive(db, ["--section", "CC3"], "\r" + DOWN + "\r" + "1\r\r" + CTRL_C)
    assert rc == 0
    assert "Assessment 'zeta'" in out
    assert answers(db, "zeta")["CC3-01"].answered_by == "tester"  # the default: the login name
    assert answers(db, "alpha") == {}


def test_unknown_assessment_is_one_line_exit_2(db, capsys):
    make(db)
    rc, out = drive(db, ["nope", "--as", "alice"], "")
    err = capsys.readouterr().err
    assert rc == 2
    assert err == f"soc2-tui: error: no assessment named 'nope' in {db} (assessments: acme)\n"


def test_unknown_section_is_one_line_exit_2(db, capsys):
    make(db)
    rc, out = drive(db, ["acme", "--section", "XX9", "--as", "alice"], "")
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("soc2-tui: error: no section 'XX9'; the sections are: SCOPE-AUDIT,")
    assert err.count("\n") == 1


# ----------------------------------------------------------------------------- scope questions


def test_scope_section_sets_assessment_fields_and_answers(db):
    make(db)
    keys = (" \r"                   # principles: add availability (security is fixed)
            "\r"                    # report type: keep Type II
            "2026-04-01\r"          # period start
            + DOWN + DOWN + "\r"    # period length: 12 months
            "\r"                    # target report date: skipped
            "y")                    # auditor chosen: yes
    rc, out = drive(db, ["acme", "--section", "SCOPE-AUDIT", "--as", "carol"], keys)
    assert rc == 0
    with Store(db) as s:
        a = s.get("acme")
        assert (a.principles, a.report_type, a.period_start, a.period_months) == (
            ("security", "availability"), "type2", "2026-04-01", 12)
        assert {c.changed_by for c in s.history(a.id) if c.field != "created"} == {"carol"}
    got = answers(db)
    assert got["auditor_selected"].value is True and got["auditor_selected"].answered_by == "carol"
    assert "target_report_date" not in got
    assert "Scope · The audit" in out
    assert "4 answers saved" in out  # the report type was kept, so not saved again


def test_scope_conditions_follow_earlier_answers_and_lists_split_on_semicolons(db):
    make(db)
    keys = ("y"                                   # uses subservice organisations
            "AWS: hosting; Stripe: payments\r"    # now asked: the list
            "\r"                                  # method: carve-out
            "Customers manage their users\r"      # CUECs (a list of one)
            "\r"                                  # commitments: skipped
            "n")                                  # no uptime SLA
    rc, out = drive(db, ["acme", "--section", "SCOPE-PARTIES", "--as", "carol"], keys)
    got = answers(db)
    assert got["uses_subservice_orgs"].value is True
    assert got["subservice_orgs"].value == ["AWS: hosting", "Stripe: payments"]
    assert got["subservice_method"].value == "carve_out"
    assert got["cuecs"].value == ["Customers manage their users"]
    assert "customer_commitments" not in got
    assert got["has_uptime_sla"].value is False

    # Answered "no": the two dependent questions are not asked.
    make(db, "other")
    rc, out = drive(db, ["other", "--section", "SCOPE-PARTIES", "--as", "carol"], "n" + CTRL_C)
    assert "\nSubservice organisations\n" not in out and "\nSubservice method\n" not in out
    assert "\nComplementary user entity controls\n" in out


def test_default_run_offers_the_unanswered_scope_questions_first(db, q):
    make(db)
    rc, out = drive(db, ["acme", "--as", "alice"], "n" + "s\r" + CTRL_C)
    assert "questions about the scope of the audit are unanswered" in out
    first_control = next(i for i in q.scored_items if "security" in i.principles and i.condition is None)
    assert headers(out)[0].startswith("[1/") and f" {first_control.id} · " in headers(out)[0]

    rc, out = drive(db, ["acme", "--as", "alice"], "y" + "2026-05-01\r" + CTRL_C)
    with Store(db) as s:
        assert s.get("acme").period_start == "2026-05-01"
    assert "Scope · The audit" in out


# ----------------------------------------------------------------------------- the report offer


def test_report_offer_writes_markdown_and_asks_before_overwriting(db, tmp_path, monkeypatch):
    from soc2_tui.reports import markdown

    monkeypatch.setattr(quick.Session, "offer_report", REAL_OFFER)  # not the autouse stub ...
    seen = {}
    render = markdown.render

    def spy(q, a, answers, today=None, history=(), trail=None, disagreements=()):
        seen["args"] = (a.name, dict(answers), list(history), trail)
        return render(q, a, answers, today=today, history=history, trail=trail, disagreements=disagreements)

    monkeypatch.setattr(markdown, "render", spy)  # ... with the real report, watched
    make(db, "Acme Ltd / EU")
    with Store(db) as s:  # a principle change: the report's scope-creep signal reads it
        a = s.get("Acme Ltd / EU")
        s.update_assessment(a.id, by="t", principles=["security", "availability"])
    monkeypatch.chdir(tmp_path)
    argv = ["Acme Ltd / EU", "--section", "CC3", "--as", "alice"]
    rc, out = drive(db, argv, "1\r\r" "q\r" "y" "\r")
    assert rc == 0
    report = tmp_path / "Acme-Ltd-EU-gap-report.md"
    text = report.read_text()
    assert text.startswith("# SOC 2 readiness report: Acme Ltd / EU")
    assert "the principles in scope changed 1 time" in text  # same inputs as `soc2-tui report`
    assert os.stat(report).st_mode & 0o777 == 0o600
    assert seen["args"][1]["CC3-01"].status == "operating"
    assert [c.field for c in seen["args"][2]] == ["principles"]
    assert seen["args"][3].problem is None and "changes, verified" in text  # the trail, as `report` states it
    assert "Wrote the gap report to Acme-Ltd-EU-gap-report.md." in out

    report.write_text("keep me\n")
    rc, out = drive(db, argv, "q\r" "y" "\r" "n")
    assert report.read_text() == "keep me\n"
    assert "Report not written." in out

    rc, out = drive(db, argv, "q\r" "y" "\r" "y")
    assert report.read_text().startswith("# SOC 2 readiness report: Acme Ltd / EU")


# ----------------------------------------------------------------------------- outside prompts


def test_first_sentence():
    assert quick.first_sentence("One thing. Two things.") == "One thing."
    long = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda; " + "mu " * 60
    assert quick.first_sentence(long) == "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda."
    assert len(quick.first_sentence("word " * 100)) <= 162


def test_without_a_terminal_it_says_so_and_exits_2(tmp_path):
    db = tmp_path / "none.db"
    proc = subprocess.run([sys.executable, "-m", "soc2_tui", "--db", str(db), "quick"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == quick.NO_TTY + "\n"
    assert proc.stdout == ""
    assert not db.exists()


def test_score_command_does_not_import_questionary(tmp_path):
    db = str(tmp_path / "a.db")
    code = ("import sys; from soc2_tui import cli; "
            f"cli.main(['--db', {db!r}, 'new', 'A']); cli.main(['--db', {db!r}, 'score', 'A']); "
            "print('MODULES', 'questionary' in sys.modules, 'soc2_tui.quick' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "MODULES False False"


def test_the_apps_status_letters_answer_and_the_counts_match_the_apps(db, q):
    # Quick mode took only 1 to 5; the app's o i w n x now answer too (1 to 5 still do).
    make(db)
    keys = ("o\r\r" "x\rNo board yet\r" "w\r\r" "i\r\r" "n\r\r" "s\rs\rs\r")  # CC3-06 to CC3-08 skipped
    rc, out = drive(db, ["acme", "--section", "CC3", "--as", "alice"], keys)
    assert rc == 0
    got = {k: a.status for k, a in answers(db).items() if k.startswith("CC3")}
    assert got == {"CC3-01": "operating", "CC3-02": "not_applicable", "CC3-03": "in_progress",
                   "CC3-04": "implemented", "CC3-05": "not_started"}
    from soc2_tui.summary import assessment_rows

    with Store(db) as s:
        row = assessment_rows(q, s)[0]  # what the app's home screen and `list` show
    left = row["applicable"] - row["answered"]
    assert f"{left} applicable questions still have no answer" in flat(out)
    assert "5 answers saved in" in out
