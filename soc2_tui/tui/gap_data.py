"""What the gap analysis shows: the controls that apply, by section, with their answers and score,
and which of them each filter keeps. No Textual here: screens/gaps.py draws it.
"""

from __future__ import annotations

from datetime import date
from typing import TypeAlias

from soc2_tui import scoring
from soc2_tui.model import Answer, Assessment, Item, Questionnaire, Section

Structure: TypeAlias = list[tuple[str, tuple[str, ...]]]
"""What the tree shows: (section id, the ids of its items shown), in order."""

FILTERS: dict[str, str] = {
    "all": "All items",
    "unanswered": "Unanswered",
    "gaps": "Gaps (below target)",
    "critical": "Critical severity",
    "flagged": "Flagged for follow-up",
    "disagreements": "Disagreements",  # respondents answered differently (the key table says so)
}


class GapData:
    """One assessment's controls, answers and score, read at once."""

    def __init__(self, q: Questionnaire, assessment: Assessment, answers: dict[str, Answer], today: date) -> None:
        self.q = q
        self.today = today
        self.assessment = assessment
        self.answers = answers
        self.result = scoring.score(q, assessment, answers, today=today)
        self.gap_ids = {g.item.id for g in self.result.gaps}
        # Items respondents answered differently, not yet resolved: set by the screen from the
        # store (Store.disagreements) when the "disagreements" filter is used.
        self.disagreeing: set[str] = set()
        scope = scoring.scope_values(q, assessment, answers)
        self.sections: dict[str, tuple[Section, list[Item]]] = {}  # by id, in the bank's order
        self.applicable: list[Item] = []
        for section in q.sections_of("control"):
            items = [i for i in section.items if scoring.applies(i, assessment.principles, scope)]
            if items:
                self.sections[section.id] = (section, items)
                self.applicable.extend(items)

    def patch(self, answer: Answer) -> bool:
        """Take one saved answer in and re-score; False when everything must be read again."""
        item = self.q.items.get(answer.item_id)
        if item is None or item.kind == "scope":
            return False  # a scope answer can change which controls apply
        self.answers[answer.item_id] = answer
        self.result = scoring.score(self.q, self.assessment, self.answers, today=self.today)
        self.gap_ids = {g.item.id for g in self.result.gaps}
        return True

    def status(self, item_id: str) -> str | None:
        ans = self.answers.get(item_id)
        return ans.status if ans else None

    def matches(self, item: Item, filter_: str) -> bool:
        ans = self.answers.get(item.id)
        if filter_ == "unanswered":
            return ans is None or ans.status is None
        if filter_ == "gaps":
            return item.id in self.gap_ids
        if filter_ == "critical":
            return item.severity == "critical"
        if filter_ == "flagged":
            return bool(ans and ans.flagged)
        if filter_ == "disagreements":
            return item.id in self.disagreeing
        return True

    def shown(self, filter_: str) -> Structure:
        """The sections with an item the filter keeps, and those items' ids."""
        out = []
        for section, items in self.sections.values():
            ids = tuple(i.id for i in items if self.matches(i, filter_))
            if ids:
                out.append((section.id, ids))
        return out

    def first_unanswered(self, filter_: str) -> Item | None:
        return next((i for _s, items in self.sections.values() for i in items
                     if self.matches(i, filter_) and self.status(i.id) is None), None)

    def answered(self, items: list[Item]) -> int:
        """How many of `items` have a status (the progress line counts them after every key)."""
        answers = self.answers
        return sum(1 for i in items if (ans := answers.get(i.id)) is not None and ans.status is not None)

    def gaps_among(self, items: list[Item]) -> int:
        return sum(1 for g in self.result.gaps if g.item in items)
