"""The timeline verdict a consultant leads with: where the audit period stands, whether the target
report date is met, and the options with their dates.

Built on the roadmap estimate (roadmap.plan, docs/report.md "The roadmap estimate"), run once for
the assessment as it is and once per alternative: a Type I report first, and (for a longer Type
II period) a first period of three months. Pure functions: `today` is an input, nothing is read.

The options (each only where it means something):
- keep the planned period: its report date, and the controls that will be exceptions because
  they are not operating with evidence from the period's first day;
- move the period to start when the open work is done (the estimate's own plan);
- a Type I report first, as of the day the open work is done: design only, the quickest report
  a customer deadline can get; a Type II follows;
- a first Type II period of three months (the shortest commonly accepted), then a full one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from soc2_tui import roadmap, scoring
from soc2_tui.model import Answer, Assessment, Item, Questionnaire, parse_date

SHORT_PERIOD_MONTHS = 3


@dataclass(frozen=True)
class Option:
    key: str  # keep, move, type1, short
    title: str
    report_date: date
    note: str  # what it costs or means, one sentence


@dataclass(frozen=True)
class Verdict:
    period: str  # where the audit period stands, one sentence
    target: date | None
    estimate: date  # the estimate's earliest report date (roadmap.plan)
    weeks_late: int  # 0 when the target is met or none is set
    options: tuple[Option, ...]
    exceptions: tuple[Item, ...]  # not operating with evidence from the period's start (Type II)

    @property
    def target_met(self) -> bool | None:
        return None if self.target is None else self.weeks_late == 0


def not_operating_at(q: Questionnaire, result: scoring.Result, answers: Mapping[str, Answer],
                     start: date | None) -> list[Item]:
    """The applicable controls and policies (not marked not applicable) that are not operating
    with evidence from `start`: not operating yet, or operating only since a later day. Each one
    is an exception in a Type II report whose period begins on `start`."""
    if start is None:
        return []
    out = []
    for item in q.scored_items:
        if item.id not in result.applicable_ids:
            continue
        ans = answers.get(item.id) or Answer(item.id)
        if ans.status == "not_applicable":
            continue
        since = parse_date(ans.operating_since)
        if ans.status != "operating" or (since is not None and since > start):
            out.append(item)
    return out


def verdict(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer], result: scoring.Result,
            plan: roadmap.Plan, today: date, target: date | None) -> Verdict:
    type2 = a.report_type == "type2"
    planned = parse_date(a.period_start)
    exceptions = tuple(not_operating_at(q, result, answers, planned)) if type2 else ()
    options: list[Option] = []
    if planned is not None and plan.moved_from is not None and plan.planned_report and not plan.planned_over:
        options.append(Option("keep", "Keep the planned period" if type2 else "Keep the planned as-of date",
                              plan.planned_report, _keep_note(type2, len(exceptions))))
    if plan.moved_from is not None or planned is None:
        what = "period" if type2 else "as-of date"
        options.append(Option("move", f"Start the {what} when the open work is done", plan.report_date,
                              f"the {what} from about {plan.period_start.isoformat() if plan.period_start else '?'}"
                              + (f" for {plan.period_months} months" if type2 and plan.period_months else "")
                              + ", with no exception expected from work still open"))
    if type2:
        t1 = _alternative(q, a, answers, today, report_type="type1")
        if t1.report_date < plan.report_date:
            options.append(Option("type1", "A Type I report first", t1.report_date,
                                  f"as of about {t1.period_start.isoformat() if t1.period_start else '?'}: the "
                                  "design only, which many customers accept as a first step; the Type II "
                                  "period follows"))
        months = plan.period_months or roadmap.DEFAULT_PERIOD_MONTHS
        if months > SHORT_PERIOD_MONTHS:
            short = _alternative(q, a, answers, today, period_months=SHORT_PERIOD_MONTHS)
            options.append(Option("short", f"A first Type II period of {SHORT_PERIOD_MONTHS} months",
                                  short.report_date,
                                  f"instead of {months}: a shorter first report, then a full period"))
    weeks = 0
    if target is not None and plan.report_date > target:
        weeks = max(1, round((plan.report_date - target).days / 7))
    return Verdict(_period_state(a, plan, today, type2), target, plan.report_date, weeks, tuple(options),
                   exceptions)


def _keep_note(type2: bool, exceptions: int) -> str:
    if not exceptions:
        return "no exception expected from work still open"
    if not type2:
        return "controls not in place on that date are exceptions"
    return (f"{exceptions} applicable item{'s are' if exceptions != 1 else ' is'} not operating with evidence "
            "from its first day: each is a likely exception in the report")


def _alternative(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer], today: date,
                 **changes: object) -> roadmap.Plan:
    """The estimate for the assessment with other choices (another report type or period length),
    its period starting whenever the open work is done."""
    other = replace(a, period_start=None, **changes)  # type: ignore[arg-type]
    return roadmap.plan(q, other, answers, scoring.score(q, other, answers, today=today), today)


def _period_state(a: Assessment, plan: roadmap.Plan, today: date, type2: bool) -> str:
    planned = parse_date(a.period_start)
    if planned is None:
        return ("No audit period is planned yet." if type2 else "No as-of date is planned yet.")
    if not type2:
        if planned <= today:
            return f"The planned as-of date ({planned.isoformat()}) has passed."
        return f"The planned as-of date is {planned.isoformat()}, in {(planned - today).days} days."
    months = a.period_months or plan.period_months or roadmap.DEFAULT_PERIOD_MONTHS
    end = roadmap.period_end(planned, months)
    if planned > today:
        return (f"The planned audit period ({planned.isoformat()} to {end.isoformat()}) starts in "
                f"{(planned - today).days} days.")
    if end < today:
        return f"The planned audit period ({planned.isoformat()} to {end.isoformat()}) is over."
    return (f"The audit period started on {planned.isoformat()} ({(today - planned).days} days ago) and "
            f"runs to {end.isoformat()}.")
