"""What every section of the gap report reads: the inputs of `render` and the values derived
from them once per report (the scores, the roadmap plan, the scope answers, the gap ids, …).

A value more than one section needs is computed here, once, so that two sections cannot apply
a rule in two different ways. Values only some reports need (the Type II checks, the answers
hash) are computed on first use and then kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cached_property
from typing import Any

from soc2_tui import roadmap, scoring, timeline
from soc2_tui.interchange.export import answers_hash
from soc2_tui.model import Answer, Assessment, Change, Disagreement, Item, Questionnaire, TrailVerdict, parse_date


def mentions_exception(ans: Answer) -> bool:
    """The team wrote in the notes that something was an exception."""
    return "exception" in (ans.notes or "").lower()


class ReportContext:
    """The inputs of one report and what its sections share. Sections only read it."""

    def __init__(self, q: Questionnaire, a: Assessment, answers: Mapping[str, Answer], today: date,
                 history: Sequence[Change] = (), compare: Mapping[str, Any] | None = None,
                 trail: TrailVerdict | None = None, disagreements: Sequence[Disagreement] = ()):
        self.q, self.a, self.answers, self.today = q, a, answers, today
        self.disagreements = list(disagreements)  # unresolved (Store.disagreements)
        self.trail = trail  # the audit trail's check (Store.verify); None: the report does not state it
        self.history = list(history)
        self.compare = compare  # the snapshot to show progress since (Store.snapshot), or None
        self.result = scoring.score(q, a, answers, today=today)
        self.scope_vals = scoring.scope_values(q, a, answers)
        self.plan = roadmap.plan(q, a, answers, self.result, today)
        self.type2 = a.report_type == "type2"
        self.gap_ids = {g.item.id for g in self.result.gaps}
        self.period_start = parse_date(a.period_start)
        # The last day of the planned audit period, when both its start and its length are set.
        self.period_end = (roadmap.period_end(self.period_start, a.period_months)
                           if self.period_start and a.period_months else None)
        # The assessment was started with other question-bank versions than the ones loaded now.
        # (Said once: not when a bank of the assessment's set is reported not found or changed.)
        self.banks_changed = bool(a.bank_versions) and dict(a.bank_versions) != dict(q.banks) \
            and not any(kind in ("bank_missing", "bank_changed") for kind, _i, _m in q.notices)
        # The ids of answers to items that are not in the loaded banks, sorted.
        self.orphans = sorted(set(answers) - set(q.items))

    # -- lookups

    def ans(self, item_id: str) -> Answer:
        """The answer to an item; an empty Answer when there is none."""
        return self.answers.get(item_id) or Answer(item_id)

    def scope_answer(self, item: Item) -> Any:
        """A scope item's value: an assessment field (report type, period …) or the answer's value."""
        if item.assessment_field:
            return self.a.scope_fields[item.assessment_field]
        return self.ans(item.id).value

    def scope_applies(self, item: Item) -> bool:
        """A scope question applies when it has no condition or its condition holds."""
        return item.condition is None or item.condition.holds(self.scope_vals)

    def warnings_of(self, kind: str) -> list[scoring.ScoreWarning]:
        """The scoring warnings of one kind, in the order scoring gives them."""
        return self.warnings_by_kind.get(kind, [])

    # -- computed on first use

    @cached_property
    def timeline(self) -> timeline.Verdict:
        """Where the period stands, the target date met or not, and the options with their dates."""
        target = parse_date(self.ans("target_report_date").value) if "target_report_date" in self.q.items else None
        return timeline.verdict(self.q, self.a, self.answers, self.result, self.plan, self.today, target)

    @cached_property
    def answers_hash(self) -> str:
        return answers_hash(self.a, self.answers)

    @cached_property
    def warnings_by_kind(self) -> dict[str, list[scoring.ScoreWarning]]:
        """The scoring warnings grouped by kind; kinds in the order they first occur."""
        by_kind: dict[str, list[scoring.ScoreWarning]] = {}
        for w in self.result.warnings:
            by_kind.setdefault(w.kind, []).append(w)
        return by_kind

    @cached_property
    def in_force(self) -> list[tuple[Item, Answer]]:
        """The applicable controls and policies not marked not applicable, with their answers,
        in question-bank order."""
        applicable = self.result.applicable_ids
        pairs = ((item, self.ans(item.id)) for item in self.q.scored_items if item.id in applicable)
        return [(item, ans) for item, ans in pairs if ans.status != "not_applicable"]

    @cached_property
    def recorded_exceptions(self) -> list[tuple[Item, Answer]]:
        """The items in force the team flagged for follow-up or whose notes mention an exception:
        what the evidence window and the likely-exceptions paragraph count besides the dates."""
        return [(item, ans) for item, ans in self.in_force if ans.flagged or mentions_exception(ans)]

    @cached_property
    def late_starts(self) -> list[tuple[Item, date]]:
        """The items in force whose operating-since date is after the planned period start, with
        that date (none when the period start is not set)."""
        return self._operating_since[0]

    @cached_property
    def undated_operating(self) -> int:
        """How many items in force are marked operating without an operating-since date."""
        return self._operating_since[1]

    @cached_property
    def _operating_since(self) -> tuple[list[tuple[Item, date]], int]:
        # One pass over the items in force for both values above.
        start = self.period_start
        late: list[tuple[Item, date]] = []
        undated = 0
        for item, ans in self.in_force:
            since = parse_date(ans.operating_since)
            if since is None:
                undated += ans.status == "operating"
            elif start and since > start:
                late.append((item, since))
        return late, undated
