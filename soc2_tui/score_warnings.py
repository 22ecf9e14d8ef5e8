"""The scoring warnings: what an auditor would question in the answers, though it scores nothing
(docs/scoring.md, "Warnings"). `scoring.score` lists them in `Result.warnings`; the counting
rules they share with the report (occurrences in a period, a policy's review age) live here too
and are part of scoring's API.

Kinds: na_without_note, operating_after_period_start, stale_policy, too_few_occurrences,
policy_review_outside_period, scope_contradiction (labels.WARNING_COUNTS has a few words for each).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from soc2_tui.model import Answer, Assessment, Item, Questionnaire, parse_date, period_end

# How often a recurring control happens per month; the fewest occurrences in the period most auditors
# firmly prefer before testing it as operating (a strong expectation, not a written rule).
PER_MONTH = {"annually": 1 / 12, "quarterly": 1 / 3, "monthly": 1.0, "weekly": 52 / 12, "daily": 365 / 12}
MIN_OCCURRENCES = {"annually": 1, "quarterly": 2, "monthly": 2, "weekly": 2, "daily": 2}
POLICY_MAX_AGE_DAYS = 365



@dataclass(frozen=True)
class ScoreWarning:
    kind: str  # na_without_note | operating_after_period_start | stale_policy | too_few_occurrences
    #            | policy_review_outside_period | scope_contradiction (labels.WARNING_COUNTS: a few words each)
    item_id: str
    message: str


def policy_review_due(answer: Answer | None, today: date | None) -> bool:
    """An approved or current policy never reviewed, last reviewed more than 12 months ago, or
    with a review date still to come (no review has happened on it yet)."""
    if answer is None or answer.status not in ("implemented", "operating") or today is None:
        return False
    reviewed = parse_date(answer.last_reviewed)
    return reviewed is None or reviewed > today or (today - reviewed).days > POLICY_MAX_AGE_DAYS


def occurrences(frequency: str | None, months: int | None) -> float | None:
    """Expected occurrences of a recurring control in a period (None when not countable)."""
    if not frequency or frequency not in PER_MONTH or not months:
        return None
    return PER_MONTH[frequency] * months


# A scope answer and a control's answer that cannot both be true: (scope item, its value, the
# control, the statuses that contradict it, what to check). The report and the app list them.
CONTRADICTIONS: tuple[tuple[str, object, str, frozenset[str], str], ...] = (
    ("has_board", False, "CC1-02", frozenset({"implemented", "operating"}),
     "the scope answers say no board or advisory body reviews security, but CC1-02 (board oversight) is "
     "answered as in place: check which is right"),
    ("has_board", True, "CC1-02", frozenset({"not_started"}),
     "the scope answers say a board or advisory body reviews security yearly, but CC1-02 (board oversight) "
     "is answered not started: check which is right"),
)


def contradictions(answers: Mapping[str, Answer], applicable: set[str]) -> list[ScoreWarning]:
    """Scope answers that contradict a control's answer (CONTRADICTIONS)."""
    out = []
    for scope_id, value, item_id, statuses, why in CONTRADICTIONS:
        scope, ans = answers.get(scope_id), answers.get(item_id)
        if item_id in applicable and scope is not None and ans is not None and scope.value is value \
                and ans.status in statuses:
            out.append(ScoreWarning("scope_contradiction", item_id, f"{item_id}: {why}"))
    return out


def warnings(q: Questionnaire, assessment: Assessment, answers: Mapping[str, Answer],
             items: list[Item], today: date | None = None) -> list[ScoreWarning]:
    out = [ScoreWarning(*n) for n in q.notices]  # the assessment's banks: not found, changed (banks/sets.py)
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
        # Not for a control whose next run (its due date) is inside the period, nor for a policy
        # whose last review keeps it in force until the period ends.
        if type2 and status in ("in_progress", "implemented", "operating") \
                and not _covered(item, ans, start, months):
            found = _too_rare(item, months)
            if found is not None:
                out.append(found)
    out += contradictions(answers, {i.id for i in items})
    return out


def _covered(item: Item, ans: Answer | None, start: date | None, months: int | None) -> bool:
    """A recurring item the period will see in order: a control whose next run (due date) falls
    inside the period, or a policy reviewed within the 12 months before the period ends."""
    if ans is None or start is None or not months:
        return False
    end = period_end(start, months)
    if item.kind == "policy":
        reviewed = parse_date(ans.last_reviewed)
        return reviewed is not None and 0 <= (end - reviewed).days <= POLICY_MAX_AGE_DAYS
    due = parse_date(ans.due_date)
    return due is not None and start <= due <= end


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
