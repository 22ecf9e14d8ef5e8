"""What a senior consultant leads with (issue 19): the timeline verdict and its options, the
exceptions a running period has already incurred, what the auditor needs beyond the controls
(the system description, bridge letters, the opinion's risk, a budget range), and the scope
answers that change the advice (company size, a board, health or card data)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from soc2_tui import budget, roadmap, scoring, timeline
from soc2_tui.model import Answer, Assessment
from soc2_tui.reports import markdown
from soc2_tui.reports.markdown.context import ReportContext

TODAY = date(2026, 11, 26)


def _assessment(**kw) -> Assessment:
    base = dict(id=1, name="Acme", report_type="type2", principles=("security",), period_start=None,
                period_months=6)
    base.update(kw)
    return Assessment(**base)


def _section(text: str, title: str) -> str:
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 3)
    return text[start:end if end > 0 else None]


def _sub(text: str, title: str) -> str:
    start = text.index(f"### {title}")
    end = text.find("\n##", start + 4)
    return text[start:end if end > 0 else None]


# ----------------------------------------------------------------------------- the timeline


def test_a_running_period_missing_its_target_gets_dated_options(q):
    a = _assessment(period_start=(TODAY - timedelta(days=30)).isoformat(), period_months=6)
    answers = {"target_report_date": Answer("target_report_date", value=(TODAY + timedelta(days=200)).isoformat())}
    ctx = ReportContext(q, a, answers, TODAY)
    t = ctx.timeline
    assert t.period.startswith(f"The audit period started on {a.period_start} (30 days ago)")
    assert t.target_met is False and t.weeks_late >= 1
    assert t.weeks_late == max(1, round((t.estimate - t.target).days / 7))
    keys = [o.key for o in t.options]
    assert keys == ["keep", "move", "type1", "short"]
    by = {o.key: o for o in t.options}
    assert by["move"].report_date == t.estimate
    assert by["type1"].report_date < by["move"].report_date  # no period to run: sooner
    assert by["short"].report_date < by["move"].report_date  # three months instead of six
    # Nothing answered: every applicable item is a likely exception of the kept period.
    assert len(t.exceptions) == len(ctx.in_force)
    assert f"{len(t.exceptions)} applicable items are not operating" in by["keep"].note
    summary = _section(markdown.render(q, a, answers, today=TODAY), "Executive summary")
    assert "### Timeline" in summary
    assert f"misses the target report date ({t.target.isoformat()}) by about" in summary
    assert "| A Type I report first |" in summary and "| A first Type II period of 3 months |" in summary


def test_no_period_and_no_target_say_so(q):
    ctx = ReportContext(q, _assessment(period_months=3), {}, TODAY)
    t = ctx.timeline
    assert t.period == "No audit period is planned yet." and t.target is None and t.target_met is None
    assert [o.key for o in t.options] == ["move", "type1"]  # already three months: no shorter one
    assert "no target report date is set" in markdown.render(q, ctx.a, {}, today=TODAY)


def test_an_item_operating_since_before_the_start_is_no_exception(q):
    start = TODAY - timedelta(days=10)
    answers = {"CC6-03": Answer("CC6-03", status="operating", operating_since=(start - timedelta(days=5)).isoformat()),
               "CC6-04": Answer("CC6-04", status="operating", operating_since=(start + timedelta(days=2)).isoformat()),
               "CC6-02": Answer("CC6-02", status="not_applicable", notes="no")}
    a = _assessment(period_start=start.isoformat())
    result = scoring.score(q, a, answers, today=TODAY)
    late = {i.id for i in timeline.not_operating_at(q, result, answers, start)}
    assert "CC6-03" not in late and "CC6-04" in late and "CC6-02" not in late
    assert "CC6-05" in late  # unanswered


# ----------------------------------------------------------------------------- the report's other fixes


def test_a_criterion_with_nothing_answered_is_not_assessed(q):
    text = markdown.render(q, _assessment(), {"CC6-03": Answer("CC6-03", status="operating")}, today=TODAY)
    crit = _section(text, "Readiness by criterion")
    row = next(line for line in crit.splitlines() if line.startswith("| CC1.1 |"))
    assert "not assessed" in row and "0.0" not in row


def test_policies_marked_not_applicable_are_not_counted_as_applying(q):
    policies = [i.id for i in q.of_kind("policy")]
    answers = {policies[0]: Answer(policies[0], status="not_applicable", notes="no office"),
               policies[1]: Answer(policies[1], status="operating")}
    text = _section(markdown.render(q, _assessment(), answers, today=TODAY), "Policy checklist")
    applicable = [i for i in q.of_kind("policy")
                  if i.id in scoring.score(q, _assessment(), answers, today=TODAY).applicable_ids]
    assert f"{len(applicable) - 1} policies apply: 1 current," in text
    assert "; 1 more is marked not applicable by the team." in text


@pytest.mark.parametrize("chosen, says", [(True, False), (False, True)])
def test_preparation_names_the_auditor_only_when_none_is_chosen(q, chosen, says):
    answers = {"auditor_selected": Answer("auditor_selected", value=chosen)}
    prep = _sub(markdown.render(q, _assessment(), answers, today=TODAY), "Preparation")
    assert ("engage an auditor" in prep) is says
    assert "answer the open questions" in prep.lower()


def test_planned_changes_in_the_period_are_a_scope_creep_signal_and_laptops_are_not_tools(q):
    answers = {"significant_changes": Answer("significant_changes", value="A second cluster in eu-west in March"),
               "CC6-01": Answer("CC6-01", status="not_started")}
    pitfalls = _section(markdown.render(q, _assessment(), answers, today=TODAY), "Common pitfalls")
    creep = next(line for line in pitfalls.splitlines() if line.startswith("| Scope creep"))
    assert "significant changes made or planned during the period" in creep
    assert "CC6-01" not in pitfalls
    none = {"significant_changes": Answer("significant_changes", value="None.")}
    assert "| Scope creep" not in _section(markdown.render(q, _assessment(), none, today=TODAY), "Common pitfalls")


# ----------------------------------------------------------------------------- what the auditor also needs


def test_the_system_description_elements_are_counted_from_the_scope(q):
    answers = {"system_description": Answer("system_description", value="Analytics for shops"),
               "uses_subservice_orgs": Answer("uses_subservice_orgs", value=False)}
    part = _sub(markdown.render(q, _assessment(), answers, today=TODAY), "System description")
    assert "| The services the system provides | System description | answered |" in part
    assert "| Infrastructure | Component: infrastructure | **missing** |" in part
    assert "not needed (by the scope answers)" in part  # no subservice organisation: nothing to list
    assert "The description is written from the scope answers: 1 of 12 of its elements are answered." in part


def test_a_bridge_letter_is_planned_per_subservice_organisation_and_names_are_escaped(q):
    start = date(2027, 1, 1)
    answers = {"uses_subservice_orgs": Answer("uses_subservice_orgs", value=True),
               "subservice_orgs": Answer("subservice_orgs", value=["AWS: hosting", "Evil | <b>x</b>"])}
    part = _sub(markdown.render(q, _assessment(period_start=start.isoformat()), answers, today=TODAY),
                "Bridge letters")
    end = roadmap.period_end(start, 6).isoformat()
    assert "| AWS: hosting | its latest SOC 2 report" in part and f"a bridge letter to {end}" in part
    assert "Evil \\| &lt;b&gt;x&lt;/b&gt;" in part and "<b>" not in part
    assert "a representation, not audited" in part


def test_criteria_whose_every_control_is_an_exception_are_the_opinion_risk(q):
    a = _assessment(period_start=(TODAY - timedelta(days=5)).isoformat())
    cc12 = [i for i in q.scored_items if i.kind == "control" and "CC1.2" in i.criteria]
    answers = {i.id: Answer(i.id, status="operating", operating_since="2020-01-01") for i in q.scored_items
               if i.kind == "control" and "CC1.2" not in i.criteria}
    answers[cc12[0].id] = Answer(cc12[0].id, status="in_progress", notes="An exception in October", flagged=True)
    part = _sub(markdown.render(q, a, answers, today=TODAY), "Likely exceptions")
    assert "(CC1.2)" in part and "close them now, or move the period" in part
    assert "1 item flagged for follow-up" in part and f"whose notes mention an exception ({cc12[0].id})" in part


def test_only_criteria_in_scope_are_an_opinion_risk(q):
    """CC9-06 supports P6.5 too; with privacy out of scope, its being late puts no privacy criterion
    at risk (the report once listed P6.5 and P4.2 for a security-only demo)."""
    a = _assessment(period_start=(TODAY - timedelta(days=5)).isoformat())
    answers = {i.id: Answer(i.id, status="operating", operating_since="2020-01-01") for i in q.scored_items
               if i.kind == "control" and i.id != "CC9-06"}
    assert "P6.5" in q.items["CC9-06"].criteria
    part = _sub(markdown.render(q, a, answers, today=TODAY), "Likely exceptions")
    assert "No criterion has all of its controls among the likely exceptions." in part


def test_the_budget_range_follows_the_documented_formula():
    b = budget.estimate("type2", ("security", "availability", "confidentiality"), 12, "51-200", 80.0)
    # 25,000-50,000 × 1.30 (two more principles) × 1.10 (12 months) × 1.5 (51-200 people)
    assert (b.low, b.high) == (50_000, 110_000)
    assert not b.readiness_work
    small = budget.estimate("type1", ("security",), None, "1-10", 40.0)
    assert (small.low, small.high) == (15_000, 30_000) and small.readiness_work
    unknown = budget.estimate("type2", ("security",), 3, None, None)
    assert (unknown.low, unknown.high) == (25_000, 75_000)
    assert any("not answered" in d for d in unknown.drivers)


# ----------------------------------------------------------------------------- scope answers that change the advice


@pytest.mark.parametrize("kinds, expected", [
    (["health", "card"], ["SOC 2 does not cover HIPAA", "SOC 2 does not cover PCI DSS"]),
    (["card"], ["SOC 2 does not cover PCI DSS"]),
    (["financial"], ["SOC 2 does not cover your customers' financial reporting", "SOC 1 report"]),
    (["personal"], []),
])
def test_health_or_card_data_gets_a_note_on_what_soc2_does_not_cover(q, kinds, expected):
    text = _section(markdown.render(q, _assessment(), {"data_kinds": Answer("data_kinds", value=kinds)},
                                    today=TODAY), "Scope")
    for phrase in expected:
        assert phrase in text
    assert ("### Beyond SOC 2" in text) is bool(expected)


@pytest.mark.parametrize("size, streams", [("1-10", 2), ("11-50", 3), ("51-200", 4), ("201+", 6), (None, 3)])
def test_company_size_sets_the_parallel_work_streams(q, size, streams):
    answers = {"company_size": Answer("company_size", value=size)} if size else {}
    a = _assessment()
    plan = roadmap.plan(q, a, answers, scoring.score(q, a, answers, today=TODAY), TODAY)
    assert plan.streams == streams
    t = roadmap.Task("x", "x", 4.0)
    assert roadmap.phase_weeks([t] * 6, streams) == max(4, -(-24 // streams))


@pytest.mark.parametrize("board, status, warned", [
    (False, "operating", True), (False, "not_started", False), (True, "not_started", True), (True, "operating", False),
])
def test_a_board_answer_that_contradicts_cc1_02_is_a_warning(q, board, status, warned):
    answers = {"has_board": Answer("has_board", value=board), "CC1-02": Answer("CC1-02", status=status)}
    result = scoring.score(q, _assessment(), answers, today=TODAY)
    found = [w for w in result.warnings if w.kind == "scope_contradiction"]
    assert bool(found) is warned
    if warned:
        assert found[0].item_id == "CC1-02"


# ----------------------------------------------------------------------------- the evidence window


def test_exceptions_already_incurred_come_first_in_the_evidence_window(q):
    start = TODAY - timedelta(days=20)
    answers = {"CC6-03": Answer("CC6-03", status="operating", operating_since="2020-01-01"),
               "CC6-04": Answer("CC6-04", status="operating", operating_since=(start + timedelta(days=3)).isoformat()),
               "CC6-05": Answer("CC6-05", status="implemented"),
               "CC6-06": Answer("CC6-06", status="operating", operating_since="2020-01-01", flagged=True)}
    window = _section(markdown.render(q, _assessment(period_start=start.isoformat()), answers, today=TODAY),
                      "Type II evidence window")
    assert window.index("### Exceptions already incurred") < window.index("### Controls that started after")
    assert "| CC6-04 | " in window and f"operating only since {(start + timedelta(days=3)).isoformat()} |" in window
    assert "| CC6-05 | " in window and "| not operating yet |" in window
    assert "| CC6-06 | " in window and "recorded by the team (flagged)" in window
    assert "| CC6-03 | " not in window.split("### Controls that started")[0]
    later = _section(markdown.render(q, _assessment(period_start=(TODAY + timedelta(days=9)).isoformat()), answers,
                                     today=TODAY), "Type II evidence window")
    assert "### Exceptions if the period started today" in later


def test_too_few_occurrences_are_grouped_and_a_run_due_in_the_period_counts(q):
    start = date(2027, 1, 1)
    annual = [i for i in q.scored_items if i.kind == "control" and i.frequency == "annually"][:3]
    policy = next(i for i in q.of_kind("policy") if i.frequency == "annually")
    answers = {annual[0].id: Answer(annual[0].id, status="operating"),
               annual[1].id: Answer(annual[1].id, status="operating", due_date="2027-03-01"),  # next run inside
               annual[2].id: Answer(annual[2].id, status="implemented", due_date="2028-01-01"),  # after the period
               policy.id: Answer(policy.id, status="operating", last_reviewed="2026-12-01")}  # in force to the end
    a = _assessment(period_start=start.isoformat(), period_months=6)
    warned = {w.item_id for w in scoring.score(q, a, answers, today=TODAY).warnings
              if w.kind in ("too_few_occurrences", "policy_review_outside_period")}
    assert warned == {annual[0].id, annual[2].id}
    window = _section(markdown.render(q, a, answers, today=TODAY), "Type II evidence window")
    assert f"| annually | {annual[0].id}, {annual[2].id} | 0.5 | 1 |" in window


@pytest.mark.parametrize("size, shown", [("1-10", True), ("11-50", False), (None, False)])
def test_a_small_team_is_told_what_auditors_accept_instead(q, size, shown):
    answers = {"company_size": Answer("company_size", value=size), "has_board": Answer("has_board", value=False)}
    text = _section(markdown.render(q, _assessment(), answers, today=TODAY), "What the auditor will also need")
    assert ("### A team of ten or fewer" in text) is shown
    if shown:
        assert "advisory body with at least one member independent of management" in text
        assert "compensating controls" in text


def test_many_orphaned_answers_are_one_warning_line(q):
    answers = {f"OLD-{n:03d}": Answer(f"OLD-{n:03d}", status="operating") for n in range(40)}
    warnings = _section(markdown.render(q, _assessment(), answers, today=TODAY), "Warnings")
    lines = [line for line in warnings.splitlines() if "question bank" in line and "OLD-" in line]
    assert len(lines) == 1 and "(40)" in lines[0] and "OLD-000" in lines[0] and "OLD-039" in lines[0]
    few = _section(markdown.render(q, _assessment(), dict(list(answers.items())[:2]), today=TODAY), "Warnings")
    assert sum("OLD-" in line for line in few.splitlines()) == 2
