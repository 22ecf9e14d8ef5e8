"""How far an assessment's answers cover another framework's controls, through the `references`
of the question bank's items (docs/frameworks.md, "How coverage counts").

Per control of the framework:
- *untouched*: no item of the loaded banks references it;
- *not applicable*: items reference it, but none is in force for this assessment (out of its
  principles or scope, or answered not applicable);
- *ready*: every referencing item in force meets its report type's target, as scoring decides it
  (answered and not a gap: operating for Type II, implemented or operating for Type I);
- *not ready*: a referencing item in force is unanswered or below the target.
Nothing here scores: whether an item applies and whether its status is a gap come from
`soc2_tui.scoring` (`Result.applicable_ids`, `is_gap`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from soc2_tui import scoring
from soc2_tui.crosswalk.frameworks import Framework
from soc2_tui.model import Answer, Item, Questionnaire

STATES = ("ready", "not_ready", "not_applicable", "untouched")
STATE_LABELS = {"ready": "ready", "not_ready": "not ready", "not_applicable": "not applicable",
                "untouched": "untouched"}


@dataclass(frozen=True)
class ItemState:
    item: Item
    status: str | None  # the answer's status (None: unanswered)
    in_force: bool  # applies to the assessment and is not answered not applicable
    at_target: bool  # in force, answered and not a gap (scoring.is_gap)


@dataclass(frozen=True)
class ControlCoverage:
    id: str
    title: str  # this project's short title of the control
    items: tuple[ItemState, ...]  # the items referencing it, in question-bank order
    state: str  # one of STATES


@dataclass(frozen=True)
class Coverage:
    framework: Framework
    report_type: str
    controls: tuple[ControlCoverage, ...]  # every control of the framework, in its order
    unknown: tuple[tuple[str, str], ...] = ()  # (item id, reference) naming no control of it

    def count(self, state: str) -> int:
        return sum(c.state == state for c in self.controls)

    @property
    def total(self) -> int:
        return len(self.controls)

    @property
    def touched(self) -> int:
        return self.total - self.count("untouched")

    @property
    def ready(self) -> int:
        return self.count("ready")

    def summary(self, short: bool = False) -> str:
        """'ISO/IEC 27001:2022 Annex A: 61 of 93 controls touched by the bank; 38 ready'."""
        if short:
            return f"{self.framework.short}: {self.touched}/{self.total} touched · {self.ready} ready"
        return (f"{self.framework.name}: {self.touched} of {self.total} controls touched by the bank; "
                f"{self.ready} ready")

    def as_dict(self) -> dict:
        fw = self.framework
        return {
            "framework": {"id": fw.id, "name": fw.name, "version": fw.version},
            "report_type": self.report_type,
            "controls_total": self.total,
            **{state: self.count(state) for state in STATES},
            "touched": self.touched,
            "controls": [{"id": c.id, "title": c.title, "state": c.state,
                          "items": [{"id": s.item.id, "title": s.item.title, "status": s.status,
                                     "in_force": s.in_force, "at_target": s.at_target} for s in c.items]}
                         for c in self.controls],
            "unknown_references": [{"item": i, "id": r} for i, r in self.unknown],
        }


def _state(items: list[ItemState]) -> str:
    if not items:
        return "untouched"
    in_force = [s for s in items if s.in_force]
    if not in_force:
        return "not_applicable"
    return "ready" if all(s.at_target for s in in_force) else "not_ready"


def coverage(framework: Framework, q: Questionnaire, answers: Mapping[str, Answer],
             result: scoring.Result) -> Coverage:
    """The framework's controls with the items referencing them and their readiness; `result`
    is `scoring.score(q, assessment, answers)` (applicability and the report type come from it)."""
    names = {n.casefold() for n in framework.names()}
    by_control: dict[str, list[ItemState]] = {cid: [] for cid in framework.controls}
    unknown: list[tuple[str, str]] = []
    for item in q.scored_items:
        refs = [r for key, ids in item.references.items() if key.casefold() in names for r in ids]
        if not refs:
            continue
        ans = answers.get(item.id)
        status = ans.status if ans else None
        in_force = item.id in result.applicable_ids and status != "not_applicable"
        at_target = in_force and status is not None and not scoring.is_gap(status, result.report_type)
        state = ItemState(item, status, in_force, at_target)
        for ref in dict.fromkeys(refs):  # an id listed twice counts once
            if ref in by_control:
                by_control[ref].append(state)
            else:
                unknown.append((item.id, ref))
    controls = tuple(ControlCoverage(cid, title, tuple(by_control[cid]), _state(by_control[cid]))
                     for cid, title in framework.controls.items())
    return Coverage(framework, result.report_type, controls, tuple(unknown))


def all_coverage(frameworks: tuple[Framework, ...], q: Questionnaire, answers: Mapping[str, Answer],
                 result: scoring.Result) -> list[Coverage]:
    return [coverage(fw, q, answers, result) for fw in frameworks]
