"""Readiness scoring: pure functions over (questionnaire, assessment, answers). No I/O.

The formula is a contract, documented with a worked example in docs/scoring.md.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from soc2_tui import score_warnings
from soc2_tui.model import PRINCIPLES, SEVERITIES, Answer, Assessment, Item, Questionnaire, parse_date
from soc2_tui.scope_answers import in_force
from soc2_tui.score_warnings import (  # defined there (the warnings need them); part of this module's API
    MIN_OCCURRENCES as MIN_OCCURRENCES,
)
from soc2_tui.score_warnings import PER_MONTH as PER_MONTH
from soc2_tui.score_warnings import POLICY_MAX_AGE_DAYS as POLICY_MAX_AGE_DAYS
from soc2_tui.score_warnings import ScoreWarning as ScoreWarning
from soc2_tui.score_warnings import occurrences as occurrences
from soc2_tui.score_warnings import policy_review_due as policy_review_due

CREDIT = {
    "type1": {"operating": 1.0, "implemented": 1.0, "in_progress": 0.5, "not_started": 0.0},
    "type2": {"operating": 1.0, "implemented": 0.5, "in_progress": 0.25, "not_started": 0.0},
}
TARGET = {"type1": "implemented", "type2": "operating"}
BANDS = ("ready", "nearly_ready", "needs_work", "not_ready")  # best first
OVERALL = "overall"

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


def scope_values(q: Questionnaire, assessment: Assessment, answers: Mapping[str, Answer]) -> dict[str, Any]:
    """The scope answers conditions are tested against, including the assessment's own fields;
    an answer to a scope question hidden by its own condition counts as unanswered (in_force)."""
    values = {iid: a.value for iid, a in answers.items() if a.value is not None}
    values.update(assessment.scope_fields)
    return in_force(q.items, values)


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
    scope = scope_values(q, assessment, answers)
    return [i for i in q.scored_items if applies(i, assessment.principles, scope)]


def sample_size(population: int) -> int:
    """A common auditor sampling table: ≤5 all; 6–50 → 5; 51–250 → ~10 %; more → 25."""
    if population <= 5:
        return max(population, 0)
    if population <= 50:
        return 5
    if population <= 250:
        return math.ceil(population * 0.10)
    return 25


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
    scope = scope_values(q, assessment, answers)
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
        warnings=tuple(score_warnings.warnings(q, assessment, answers, items, today)),
        applicable_ids=frozenset(i.id for i in items),
    )
