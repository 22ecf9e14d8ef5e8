"""The demo assessment built from data/demo.yaml."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from soc2_tui import cli, demo, scope_answers, scoring
from soc2_tui.banks.yaml_reader import read_yaml
from soc2_tui.errors import UserError
from soc2_tui.model import STATUSES

TODAY = date(2026, 11, 26)


@pytest.fixture
def built(store, q):
    a = demo.create_demo(store, q)
    return a, store.answers(a.id)


def _raw() -> dict:
    data, problems = read_yaml(demo.demo_path())
    assert problems == []
    return data


def test_demo_assessment_fields(built, q):
    a, _answers = built
    assert a.name == "demo"
    assert a.organisation == "Northwind Analytics"
    assert a.report_type == "type2"
    assert a.principles == ("security", "availability", "confidentiality")
    assert a.period_start == "2026-10-01"
    assert a.period_months == 6
    assert a.bank_versions == dict(q.banks)


def test_every_answered_id_exists_and_scope_is_complete(built, q):
    a, answers = built
    assert set(answers) <= set(q.items)
    scope_ids = {i.id for i in q.scope_items if not i.assessment_field}
    answered_scope = {iid for iid, ans in answers.items() if q.items[iid].kind == "scope"}
    assert answered_scope == scope_ids
    for item in q.scope_items:
        if item.assessment_field:
            assert item.id not in answers  # comes from the assessment itself
        else:
            value = answers[item.id].value
            assert scope_answers.problem(item, value) is None, (item.id, value)
            assert answers[item.id].status is None


def test_all_five_statuses_and_details_occur(built, q):
    _a, answers = built
    statuses = {ans.status for ans in answers.values() if ans.status}
    assert statuses == set(STATUSES)
    scored = [ans for ans in answers.values() if ans.status]
    assert sum(1 for ans in scored if ans.notes) >= 15
    assert sum(1 for ans in scored if ans.flagged) == 2
    assert any(ans.owner == "CTO" for ans in scored)
    assert any(ans.due_date and ans.due_date.startswith("2027-") for ans in scored)
    assert any("Jira SEC-142" in ans.evidence for ans in scored)
    assert {ans.answered_by for ans in answers.values()} >= {"Dana (CTO)", "Lee (consultant)"}
    # Privacy is out of scope: no privacy-only item is answered.
    for iid in answers:
        assert q.items[iid].principles != ("privacy",), iid
    # Every policy that counts as approved carries a review date and an approver.
    for iid, ans in answers.items():
        if q.items[iid].kind == "policy" and ans.status in ("implemented", "operating"):
            assert ans.last_reviewed and ans.approver, iid


def test_answers_are_written_by_their_respondents(built):
    a, answers = built
    assert answers["CC6-03"].answered_by == "Dana (CTO)"  # the file's default respondent
    assert answers["CC6-09"].answered_by == "Priya (Head of Ops)"
    assert answers["CC3-02"].answered_by == "Lee (consultant)"


def test_scores_look_part_way_there(built, q):
    a, answers = built
    result = scoring.score(q, a, answers, today=TODAY)
    assert 45 <= result.overall.score <= 75
    assert 0.75 <= result.overall.coverage <= 0.85
    assert set(result.principles) == {"security", "availability", "confidentiality"}
    assert result.gaps and len(result.gaps) >= 20
    critical = {g.item.id for g in result.critical_gaps}
    assert critical == {"CC3-02", "CC6-09"}
    assert result.not_assessed
    gap_status = {g.item.id: g.status for g in result.gaps}
    assert gap_status["A1-08"] == "not_started"
    assert gap_status["CC4-03"] == "implemented"
    assert "CC6-03" not in gap_status  # MFA on production is operating


def test_every_warning_kind_shows(built, q):
    a, answers = built
    result = scoring.score(q, a, answers, today=TODAY)
    kinds: dict[str, set[str]] = {}
    for w in result.warnings:
        kinds.setdefault(w.kind, set()).add(w.item_id)
    assert set(kinds) == {"na_without_note", "operating_after_period_start", "stale_policy",
                          "too_few_occurrences", "policy_review_outside_period"}
    assert all(q.items[i].kind == "control" for i in kinds["too_few_occurrences"])
    assert all(q.items[i].kind == "policy" for i in kinds["policy_review_outside_period"])
    assert kinds["na_without_note"] == {"C1-05"}
    assert kinds["stale_policy"] == {"POL-11"}
    # CC7-12 is not late: extending GuardDuty beyond production widened coverage, it did not
    # restart a control that promises production only (issue 19).
    assert kinds["operating_after_period_start"] == {"CC6-24", "CC6-25", "CC6-33"}


def test_create_twice_without_replace_refuses(built, store, q):
    a, _answers = built
    with pytest.raises(UserError) as exc:
        demo.create_demo(store, q)
    assert str(exc.value) == (f"an assessment named 'demo' already exists in {store.path}; "
                              "use --replace to recreate it")
    assert store.find("demo").id == a.id


def test_replace_recreates_from_scratch(built, store, q):
    a, answers = built
    store.set_answer(a.id, "CC6-03", by="tester", status="not_started")
    store.set_answer(a.id, "CC1-07", by="tester", status="operating")
    again = demo.create_demo(store, q, replace=True)
    fresh = store.answers(again.id)
    assert [x.name for x in store.assessments()] == ["demo"]
    assert fresh["CC6-03"].status == "operating"
    assert "CC1-07" not in fresh
    assert set(fresh) == set(answers)
    assert all(c.changed_by != "tester" for c in store.history(again.id))


def _write_demo(tmp_path: Path, old: str, new: str) -> Path:
    text = demo.demo_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "data" / "demo.yaml"
    path.parent.mkdir()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_unknown_id_is_refused_naming_the_file_and_id(tmp_path, store, q):
    path = _write_demo(tmp_path, "  CC6-03:", "  CC6-99:")
    with pytest.raises(UserError) as exc:
        demo.create_demo(store, q, path=path)
    message = str(exc.value)
    assert "data/demo.yaml:" in message and "'CC6-99'" in message
    assert "\n" not in message
    assert store.assessments() == []  # nothing written


def test_bad_scope_value_is_refused(tmp_path, store, q):
    path = _write_demo(tmp_path, "has_offices: false", "has_offices: sometimes")
    with pytest.raises(UserError, match=r"has_offices: expected true or false"):
        demo.create_demo(store, q, path=path)
    assert store.assessments() == []


def test_assessment_field_under_scope_is_refused(tmp_path, store, q):
    path = _write_demo(tmp_path, "scope:\n", "scope:\n  report_type: type1\n")
    with pytest.raises(UserError, match=r"report_type comes from the assessment's own 'report_type' field"):
        demo.create_demo(store, q, path=path)


def test_bad_status_is_refused(tmp_path, store, q):
    path = _write_demo(tmp_path, "CC6-05: {status: operating", "CC6-05: {status: done")
    with pytest.raises(UserError, match=r"CC6-05: bad status 'done'"):
        demo.create_demo(store, q, path=path)


def test_demo_file_uses_only_known_ids(q):
    data = _raw()
    assert set(data["scope"]) | set(data["answers"]) <= set(q.items)
    assert set(data) <= set(demo.TOP_KEYS)


def test_cli_demo_and_score_json(tmp_path, capsys):
    db = str(tmp_path / "cli.db")
    assert cli.main(["--db", db, "demo"]) == 0
    out = capsys.readouterr().out
    assert "demo assessment 'demo' ready in" in out
    assert cli.main(["--db", db, "demo"]) == 2
    err = capsys.readouterr().err
    assert "use --replace to recreate it" in err
    assert cli.main(["--db", db, "demo", "--replace"]) == 0
    capsys.readouterr()
    assert cli.main(["--db", db, "score", "demo", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["report_type"] == "type2"
    assert set(data["principles"]) == {"security", "availability", "confidentiality"}
    assert 45 <= data["overall"]["score"] <= 75
    assert data["overall"]["critical_gaps"] == 2
    assert {w["kind"] for w in data["warnings"]} >= {"na_without_note", "operating_after_period_start",
                                                     "too_few_occurrences"}


def test_bad_assessment_field_names_the_file(tmp_path, store, q):
    path = _write_demo(tmp_path, "period_months: 6", "period_months: 30")
    with pytest.raises(UserError, match=r"demo\.yaml: bad period length 30"):
        demo.create_demo(store, q, path=path)
    assert store.assessments() == []
