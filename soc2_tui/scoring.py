"""Readiness scoring: pure functions over (questionnaire, assessment, answers). No I/O.

The formula is a contract, documented with a worked example in docs/scoring.md.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from soc2_tui.model import PRINCIPLES, SEVERITIES, Answer, Assessment, Item, Questionnaire, parse_date

CREDIT = {
    "type1": {"operating": 1.0, "implemented": 1.0, "in_progress": 0.5, "not_started": 0.0},
    "type2": {"operating": 1.0, "implemented": 0.5, "in_progress": 0.25, "not_started": 0.0},
}
TARGET = {"type1": "implemented", "type2": "operating"}
BANDS = ("ready", "nearly_ready", "needs_work", "not_ready")  # best first
OVERALL = "overall"

# How often a recurring control happens per month; the fewest occurrences in the period most auditors
# firmly prefer before testing it as operating (a strong expectation, not a written rule).
PER_MONTH = {"annually": 1 / 12, "quarterly": 1 / 3, "monthly": 1.0, "weekly": 52 / 12, "daily": 365 / 12}
MIN_OCCURRENCES = {"annually": 1, "quarterly": 2, "monthly": 2, "weekly": 2, "daily": 2}
# Typical samples by frequency (each firm sets its own; many times a day, not a bank frequency: 25–60).
TYPICAL_SAMPLES = {"annually": (1, 1), "quarterly": (2, 2), "monthly": (2, 2), "weekly": (5, 15), "daily": (20, 40)}
POLICY_MAX_AGE_DAYS = 365


def credit(status: str | None, report_type: str) -> float:
    """Credit earned by a status; None (unanswered) earns 0. Not for not_applicable."""
    if status is None:
        return 0.0
    return CREDIT[report_type][status]


def is_gap(status: str | None, report_type: str) -> bool:
    """An answered item below the target status of its report type (not applicable is no gap)."""
    if status is None or status == "not_applicable":
        return False
    credit_table = CREDIT[report_type]
    return credit_table[status] < credit_table[TARGET[report_type]]


def policy_review_due(answer: Answer | None, today: date | None) -> bool:
    """An approved or current policy never reviewed, last reviewed more than 12 months ago, or
    with a review date still to come (no review has happened on it yet)."""
    if answer is None or answer.status not in ("implemented", "operating") or today is None:
        return False
    reviewed = parse_date(answer.last_reviewed)
    return reviewed is None or reviewed > today or (today - reviewed).days > POLICY_MAX_AGE_DAYS


def review_date_problem(value: object, today: date) -> str | None:
    """Why `value` cannot be recorded as a last review: a date after today. None otherwise (an
    empty value, a past date, or text that is no date, which the date checks refuse)."""
    reviewed = parse_date(value)
    if reviewed is None or reviewed <= today:
        return None
    return (f"{reviewed.isoformat()} is in the future (today is {today.isoformat()}); "
            "give the date the last review took place")


def points_if_closed(item: Item, status: str | None, result: Result) -> dict[str, float]:
    """How far each principle in scope, and "overall", would rise if `item` went from `status` to the
    target: 100 × weight × (1 − credit) / the group's possible weight (docs/scoring.md)."""
    return _points(item, credit(status, result.report_type), result.principles, result.overall)


def _points(item: Item, earned: float, principles: Mapping[str, Score], overall: Score) -> dict[str, float]:
    pts = {}
    for p in item.principles:
        if p in principles and principles[p].possible:
            pts[p] = 100.0 * item.weight * (1.0 - earned) / principles[p].possible
    if overall.possible:
        pts[OVERALL] = 100.0 * item.weight * (1.0 - earned) / overall.possible
    return pts


def scope_values(assessment: Assessment, answers: Mapping[str, Answer]) -> dict[str, Any]:
    """The scope answers conditions are tested against, including the assessment's own fields."""
    values = {iid: a.value for iid, a in answers.items() if a.value is not None}
    values.update(assessment.scope_fields)
    return values


def applies(item: Item, principles: Iterable[str], scope: Mapping[str, Any]) -> bool:
    """An item applies when one of its principles is in scope and its condition holds."""
    return _applies(item, set(principles) | {"security"}, scope)


def _applies(item: Item, wanted: set[str], scope: Mapping[str, Any]) -> bool:
    """`applies`, given the principles in scope as a set (security always among them)."""
    if item.condition is not None and not item.condition.holds(scope):
        return False
    if item.kind == "scope":
        return True
    return not wanted.isdisjoint(item.principles)


def applicable_items(q: Questionnaire, assessment: Assessment, answers: Mapping[str, Answer]) -> list[Item]:
    scope = scope_values(assessment, answers)
    return [i for i in q.scored_items if applies(i, assessment.principles, scope)]


def occurrences(frequency: str | None, months: int | None) -> float | None:
    """Expected occurrences of a recurring control in a period (None when not countable)."""
    if not frequency or frequency not in PER_MONTH or not months:
        return None
    return PER_MONTH[frequency] * months


def event_samples(population: int) -> tuple[int, int]:
    """Typical samples from a population of events: ≤5 → all; 6–50 → 5–10; 51–250 → 10–25; more → 25–60."""
    n = max(population, 0)
    return (n, n) if n <= 5 else (5, 10) if n <= 50 else (10, 25) if n <= 250 else (25, 60)


def typical_samples(frequency: str, occurrences: float) -> tuple[int, int]:
    """Typical samples of a recurring control happening `occurrences` times: never more than happen."""
    low, high = TYPICAL_SAMPLES[frequency]
    return min(low, int(occurrences)), min(high, int(occurrences))


def band(score: float | None, coverage: float | None, critical_gaps: int) -> str | None:
    if score is None:
        return None
    if score >= 90 and coverage == 1.0 and critical_gaps == 0:
        return "ready"
    if score >= 75:
        return "nearly_ready"
    if score >= 50:
        return "needs_work"
    return "not_ready"


def worst_band(bands: Iterable[str | None]) -> str | None:
    present = [b for b in bands if b]
    return max(present, key=BANDS.index) if present else None


@dataclass(frozen=True)
class Score:
    """Readiness of one group (overall, a principle, a series or a criterion)."""

    key: str
    score: float | None  # 0–100, exact; None when nothing applicable is scored
    coverage: float | None  # answered / applicable, 0–1
    applicable: int
    answered: int
    not_applicable: int
    gaps: int
    critical_gaps: int
    band: str | None
    earned: float = 0.0  # Σ weight × credit
    possible: float = 0.0  # Σ weight over applicable, not-N/A items


@dataclass(frozen=True)
class Gap:
    item: Item
    status: str | None  # None: "not assessed" entries use this type too
    credit: float
    points: Mapping[str, float]  # principle key or "overall" -> score rise if closed

    @property
    def critical(self) -> bool:
        return self.item.severity == "critical"


@dataclass(frozen=True)
class ScoreWarning:
    kind: str  # na_without_note | operating_after_period_start | stale_policy | too_few_occurrences
    #            | policy_review_outside_period (labels.WARNING_COUNTS has a few words for each)
    item_id: str
    message: str


@dataclass(frozen=True)
class Result:
    report_type: str
    target: str
    overall: Score
    principles: Mapping[str, Score]  # principles in scope, canonical order
    series: Mapping[str, Score]
    criteria: Mapping[str, Score]
    gaps: tuple[Gap, ...]  # answered items below target, by priority
    not_assessed: tuple[Item, ...]  # applicable items with no answer
    warnings: tuple[ScoreWarning, ...]
    applicable_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def critical_gaps(self) -> list[Gap]:
        return [g for g in self.gaps if g.critical]


# Per applicable item, computed once per score() and shared by every group it belongs to:
# (weight, credit or None when not applicable, answered, is a gap, is a critical gap).
_Facts = tuple[float, "float | None", bool, bool, bool]


def _facts(item: Item, ans: Answer | None, report_type: str) -> _Facts:
    status = ans.status if ans else None
    if status == "not_applicable":
        return (item.weight, None, True, False, False)
    c = credit(status, report_type)
    gap = is_gap(status, report_type)
    return (item.weight, c, status is not None, gap, gap and item.severity == "critical")


def _group(key: str, members: list[_Facts]) -> Score:
    applicable = len(members)
    answered = na = gaps = crit = 0
    earned = possible = 0.0
    for weight, c, was_answered, gap, critical in members:
        answered += was_answered
        if c is None:
            na += 1
            continue
        possible += weight
        earned += weight * c
        gaps += gap
        crit += critical
    score = None if possible == 0 else 100.0 * earned / possible
    coverage = None if applicable == 0 else answered / applicable
    return Score(key, score, coverage, applicable, answered, na, gaps, crit, band(score, coverage, crit),
                 earned, possible)


@dataclass(frozen=True)
class _Plan:
    """What to score and which group each item counts in. It depends only on the questionnaire,
    the principles in scope and the scope answers, not on control answers: so it is worked out
    once and reused while controls are answered (`_plan`)."""

    items: tuple[Item, ...]  # applicable, in questionnaire order
    principles: Mapping[str, tuple[int, ...]]  # principle in scope -> indexes into items
    series: Mapping[str, tuple[int, ...]]  # in q.series order
    criteria: Mapping[str, tuple[int, ...]]  # in q.criteria order


def _freeze(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(_freeze(v) for v in value)
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    return value


_PLANS: dict[tuple, tuple[weakref.ref, _Plan]] = {}
_PLANS_KEPT = 16


def _plan(q: Questionnaire, assessment: Assessment, answers: Mapping[str, Answer]) -> _Plan:
    """The scoring plan, memoised on (questionnaire, principles, scope answers)."""
    scope = scope_values(assessment, answers)
    try:
        key: tuple | None = (id(q), tuple(sorted(assessment.principles)),
                             tuple(sorted((k, _freeze(v)) for k, v in scope.items())))
        hash(key)
    except TypeError:  # an unhashable scope value: just work it out
        key = None
    if key is not None:
        found = _PLANS.get(key)
        if found is not None and found[0]() is q:  # the id may belong to a freed questionnaire
            return found[1]
    wanted = set(assessment.principles) | {"security"}  # made once, not per item
    items = tuple(i for i in q.scored_items if _applies(i, wanted, scope))
    in_scope = [p for p in PRINCIPLES if p in assessment.principles]
    scoped_series = {sid for sid, (principle, _name) in q.series.items() if principle in in_scope}
    by_principle: dict[str, list[int]] = {p: [] for p in in_scope}
    by_series: dict[str, list[int]] = {}
    by_criterion: dict[str, list[int]] = {}
    series_of = {cid: c.series for cid, c in q.criteria.items()}
    for n, item in enumerate(items):
        for p in item.principles:
            if p in by_principle:
                by_principle[p].append(n)
        seen_series = set()
        for cid in item.criteria:
            sid = series_of[cid]
            if sid in scoped_series:
                by_criterion.setdefault(cid, []).append(n)
                if sid not in seen_series:
                    seen_series.add(sid)
                    by_series.setdefault(sid, []).append(n)
    plan = _Plan(items, {p: tuple(m) for p, m in by_principle.items()},
                 {s: tuple(by_series[s]) for s in q.series if s in by_series},
                 {c: tuple(by_criterion[c]) for c in q.criteria if c in by_criterion})
    if key is not None:
        if len(_PLANS) >= _PLANS_KEPT:
            _PLANS.pop(next(iter(_PLANS)))
        _PLANS[key] = (weakref.ref(q), plan)
    return plan


def score(q: Questionnaire, assessment: Assessment, answers: Mapping[str, Answer],
          today: date | None = None) -> Result:
    """Score an assessment. `today` only matters for the stale-policy warning."""
    rt = assessment.report_type
    target = TARGET[rt]
    plan = _plan(q, assessment, answers)
    items = list(plan.items)
    pairs = [(i, answers.get(i.id)) for i in items]
    facts = [_facts(i, a, rt) for i, a in pairs]

    def members(indexes: tuple[int, ...]) -> list[_Facts]:
        return [facts[n] for n in indexes]

    overall = _group(OVERALL, facts)
    principles = {p: _group(p, members(m)) for p, m in plan.principles.items()}
    series = {s: _group(s, members(m)) for s, m in plan.series.items()}
    criteria = {c: _group(c, members(m)) for c, m in plan.criteria.items()}
    overall_band = worst_band(s.band for s in principles.values())
    overall = Score(**{**overall.__dict__, "band": overall_band})

    gaps = []
    not_assessed = []
    for item, ans in pairs:
        status = ans.status if ans else None
        if status is None:
            not_assessed.append(item)
            continue
        if status == "not_applicable":
            continue
        if not is_gap(status, rt):
            continue
        c = credit(status, rt)
        gaps.append(Gap(item, status, c, _points(item, c, principles, overall)))
    gaps.sort(key=lambda g: (SEVERITIES.index(g.item.severity), -g.item.weight,
                             -g.points.get(OVERALL, 0.0), g.item.id))

    return Result(
        report_type=rt, target=target, overall=overall, principles=principles, series=series,
        criteria=criteria, gaps=tuple(gaps), not_assessed=tuple(not_assessed),
        warnings=tuple(warnings(q, assessment, answers, items, today)),
        applicable_ids=frozenset(i.id for i in items),
    )


def warnings(q: Questionnaire, assessment: Assessment, answers: Mapping[str, Answer],
             items: list[Item], today: date | None = None) -> list[ScoreWarning]:
    out: list[ScoreWarning] = []
    start = parse_date(assessment.period_start)
    months = assessment.period_months
    type2 = assessment.report_type == "type2"
    for item in items:
        ans = answers.get(item.id)
        status = ans.status if ans else None
        if status == "not_applicable":
            if not (ans and ans.notes.strip()):
                out.append(ScoreWarning("na_without_note", item.id,
                                   f"{item.id} is marked not applicable without a note saying why; "
                                   "an auditor will ask for the justification"))
            continue
        if type2 and ans and start:
            since = parse_date(ans.operating_since)
            if since and since > start:
                out.append(ScoreWarning("operating_after_period_start", item.id,
                                   f"{item.id} has operated only since {since.isoformat()}, after the period "
                                   f"starts ({start.isoformat()}): evidence cannot cover the whole period"))
        if item.kind == "policy" and policy_review_due(ans, today):
            reviewed = parse_date(ans.last_reviewed) if ans else None
            when = "no review date recorded" if reviewed is None else f"last reviewed {reviewed.isoformat()}"
            if reviewed and today and reviewed > today:
                when += ", a date still to come"
            out.append(ScoreWarning("stale_policy", item.id,
                                    f"{item.id} ({item.title}): {when}; policies need a review at least "
                                    "every 12 months"))
        # Only for controls that exist (in progress or better): a missing control is a gap already.
        if type2 and status in ("in_progress", "implemented", "operating"):
            found = _too_rare(item, months)
            if found is not None:
                out.append(found)
    return out


def _too_rare(item: Item, months: int | None) -> ScoreWarning | None:
    """A recurring item that happens too rarely in the period: a control that may not operate
    often enough to be tested, or a policy whose review may not fall inside the period."""
    n = occurrences(item.frequency, months)
    need = MIN_OCCURRENCES.get(item.frequency or "")
    if n is None or not need or n >= need:
        return None
    if item.kind == "policy":  # a policy is reviewed; it does not operate
        return ScoreWarning("policy_review_outside_period", item.id,
                            f"{item.id} ({item.title}) is reviewed {item.frequency}, so a {months}-month "
                            "period may hold no review of it: schedule its review inside the period")
    if item.frequency == "annually":
        why = (f"an annual control may not operate at all in a {months}-month period: "
               "schedule its run inside the period")
    else:
        why = (f"about {n:g} time(s) in a {months}-month period, fewer than the {need} most "
               "auditors firmly prefer before testing it as operating")
    return ScoreWarning("too_few_occurrences", item.id, f"{item.id} runs {item.frequency}: {why}")
