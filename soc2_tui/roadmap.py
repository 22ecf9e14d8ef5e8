"""The road to the report: open gaps in four phases and the earliest report date.

The estimate is deliberately simple and documented in docs/report.md ("The roadmap estimate"):

- effort in weeks: S = 1, M = 4, L = 12 (M assumed for an item whose bank gives no effort; the
  report says so); an item already in progress counts half, an item already implemented counts
  nothing (it only has to keep operating);
- a phase lasts as long as its longest item, or its total work spread over parallel work
  streams, whichever is longer: weeks = max(longest, ceil(total / streams)); the streams follow
  the company's size (1–10 people: 2, 11–50: 3, 51–200: 4, more: 6; not answered: 3);
- preparation (policies, the auditor, unanswered questions), then implementation (controls not
  yet in place), then the audit period (Type II: the period length; Type I: one day), then
  six weeks of auditor fieldwork and report writing;
- the audit period starts on the planned start date if that is late enough, otherwise as soon
  as implementation ends.

Pure functions: no I/O, `today` is an input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from soc2_tui.labels import plural
from soc2_tui.model import (  # the period's dates live with the records; part of this module's API too
    Answer,
    Assessment,
    Item,
    Questionnaire,
    parse_date,
    period_end,
)
from soc2_tui.scoring import Result

EFFORT_WEEKS = {"S": 1.0, "M": 4.0, "L": 12.0}
ASSUMED_EFFORT = "M"  # for an item whose bank gives no effort (the report marks it assumed)
EFFORT_FACTOR = {"not_started": 1.0, "in_progress": 0.5, "implemented": 0.0}
PARALLEL_STREAMS = 3  # when the company's size is not answered
# How many pieces of work a company can push at once, by its size (the scope answer company_size):
# a ten-person start-up has one or two people for this next to their day jobs.
STREAMS_BY_SIZE = {"1-10": 2, "11-50": 3, "51-200": 4, "201+": 6}
FIELDWORK_WEEKS = 6
DEFAULT_PERIOD_MONTHS = 3  # a common first Type II period; used when none is set
AUDITOR_WEEKS = 4.0  # choosing and engaging a CPA firm
QUESTIONS_WEEKS = 1.0  # answering the questions still open

PHASES = ("preparation", "implementation", "audit_period", "formal_audit")
PHASE_NAMES = {
    "preparation": "Preparation",
    "implementation": "Implementation",
    "audit_period": "Audit period",
    "formal_audit": "Formal audit",
}


@dataclass(frozen=True)
class Task:
    id: str  # item id, or a short key for tasks that are not items (auditor, questions)
    title: str
    weeks: float
    item: Item | None = None
    status: str | None = None


@dataclass
class Phase:
    key: str
    name: str
    what: str
    tasks: list[Task]
    weeks: float
    start: date
    end: date  # exclusive: the day after the last day of the phase

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass
class Plan:
    phases: list[Phase]
    report_date: date
    period_start: date | None  # Type II: the (estimated) audit period; Type I: the "as of" date
    period_end: date | None  # inclusive last day of the period
    period_months: int | None
    period_assumed: bool  # True when the period length was not set and DEFAULT_PERIOD_MONTHS is used
    moved_from: date | None  # the planned period start when the estimate had to move it later
    open_questions: int
    planned_report: date | None = None  # report date if the planned period is kept (when moved)
    planned_over: bool = False  # the planned period (or as-of date) is already in the past
    streams: int = PARALLEL_STREAMS  # parallel work streams, by the company's size

    def phase(self, key: str) -> Phase:
        return next(p for p in self.phases if p.key == key)


def task_weeks(item: Item, status: str | None) -> float:
    return EFFORT_WEEKS.get(item.effort, EFFORT_WEEKS[ASSUMED_EFFORT]) * EFFORT_FACTOR.get(status or "not_started", 1.0)


def phase_weeks(tasks: list[Task], streams: int = PARALLEL_STREAMS) -> float:
    """max(longest task, total / parallel streams), rounded up to whole weeks (0 when no work)."""
    if not tasks:
        return 0.0
    longest = max(t.weeks for t in tasks)
    total = sum(t.weeks for t in tasks)
    return float(math.ceil(max(longest, total / streams) - 1e-9))


def streams_for(answers: Mapping[str, Answer]) -> int:
    """The parallel work streams for the company's size (PARALLEL_STREAMS when not answered)."""
    ans = answers.get("company_size")
    size = ans.value if ans is not None else None
    return STREAMS_BY_SIZE.get(size, PARALLEL_STREAMS) if isinstance(size, str) else PARALLEL_STREAMS


def _auditor_chosen(answers: Mapping[str, Answer]) -> bool | None:
    ans = answers.get("auditor_selected")
    return None if ans is None or ans.value is None else bool(ans.value)


def plan(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer], result: Result,
         today: date) -> Plan:
    type2 = a.report_type == "type2"
    prep, impl, period = _tasks(q, answers, result)
    open_questions = len(result.not_assessed)
    streams = streams_for(answers)
    prep_weeks = phase_weeks(prep, streams)
    impl_weeks = phase_weeks(impl, streams)
    prep_end = today + timedelta(weeks=prep_weeks)
    ready = prep_end + timedelta(weeks=impl_weeks)
    planned = parse_date(a.period_start)
    moved_from = None
    if planned is None:
        start = ready
    elif planned >= ready or (not prep and not impl):
        start = planned
    else:
        start = ready
        moved_from = planned

    months = a.period_months
    assumed = False
    if type2:
        if not months:
            months, assumed = DEFAULT_PERIOD_MONTHS, True
        end_incl = period_end(start, months)
        period_stop = end_incl + timedelta(days=1)
        what_period = (f"{months} months of operating every control and keeping the evidence"
                       + (" (length assumed: no period length is set)" if assumed else ""))
    else:
        end_incl = start
        period_stop = start + timedelta(days=1)
        what_period = "Type I: the controls are examined as of one date"
    fieldwork_start = max(period_stop, today)
    report = fieldwork_start + timedelta(weeks=FIELDWORK_WEEKS)
    planned_report = None
    planned_over = False
    if moved_from is not None:
        planned_stop = (period_end(moved_from, months) if type2 and months else moved_from) + timedelta(days=1)
        if planned_stop <= today:
            planned_over = True
        else:
            planned_report = planned_stop + timedelta(weeks=FIELDWORK_WEEKS)

    phases = [
        Phase("preparation", "Preparation", "Policies written and approved, auditor engaged, open questions answered",
              prep, prep_weeks, today, prep_end),
        Phase("implementation", "Implementation", "Controls not yet in place are built and switched on",
              impl, impl_weeks, prep_end, ready),
        Phase("audit_period", "Audit period" if type2 else "As-of date", what_period, period, 0.0, start,
              period_stop),
        Phase("formal_audit", "Formal audit", f"About {FIELDWORK_WEEKS} weeks of auditor fieldwork and report writing",
              [], float(FIELDWORK_WEEKS), fieldwork_start, report),
    ]
    return Plan(phases, report, start, end_incl, months if type2 else None, assumed, moved_from,
                open_questions, planned_report, planned_over, streams)


def _tasks(q: Questionnaire, answers: Mapping[str, Answer], result: Result
           ) -> tuple[list[Task], list[Task], list[Task]]:
    """The gaps (and the auditor and open questions) sorted into preparation, implementation and
    the audit period: policies are prepared, missing controls built, implemented ones run."""
    prep: list[Task] = []
    impl: list[Task] = []
    period: list[Task] = []
    for g in result.gaps:
        t = Task(g.item.id, g.item.title, task_weeks(g.item, g.status), g.item, g.status)
        if g.item.kind == "policy":
            prep.append(t)
        elif g.status in ("not_started", "in_progress"):
            impl.append(t)
        else:
            period.append(t)
    if "auditor_selected" in q.items and not _auditor_chosen(answers):
        prep.append(Task("auditor", "Choose and engage a licensed CPA firm", AUDITOR_WEEKS))
    if result.not_assessed:
        prep.append(Task("questions", f"Answer the {plural(len(result.not_assessed), 'open question')}",
                         QUESTIONS_WEEKS))
    return prep, impl, period


def gantt(p: Plan, report_type: str) -> str:
    """A Mermaid gantt chart of the phases (no user text: task names are fixed)."""
    lines = ["gantt", "    title Road to the SOC 2 report", "    dateFormat YYYY-MM-DD",
             "    axisFormat %Y-%m"]
    for ph in p.phases:
        if ph.days <= 0:
            continue
        if ph.key == "audit_period" and report_type != "type2":
            continue
        lines.append(f"    section {ph.name}")
        # Mermaid end dates are exclusive, like Phase.end.
        lines.append(f"    {ph.name} :{ph.key}, {ph.start.isoformat()}, {ph.end.isoformat()}")
    lines.append("    section Report")
    lines.append(f"    Earliest report :milestone, report, {p.report_date.isoformat()}, 0d")
    return "\n".join(lines)
