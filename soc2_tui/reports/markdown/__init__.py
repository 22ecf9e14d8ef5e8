"""The Markdown gap report: what a consultant hands over and a founder shows the board.

`render(q, assessment, answers, today=…, compare=…, history=…, trail=…)` returns GitHub-flavoured
Markdown. The sections, the roadmap formula and the escaping rules are in docs/report.md.

The code: `context.py` builds a ReportContext, the inputs and what the sections share, computed
once per report; each section is a module in `sections/` with `render(ctx)`, listed in order in
`sections.SECTIONS`; `text.py` holds the words and formatters several sections use.

Two rules hold for every line written here:
- user text (and question-bank text, since custom banks are user files) only ever reaches the
  output through `tables.esc`, so it cannot break a table or inject HTML;
- the output depends only on the inputs: same data and same `today` give the same bytes. The
  only line that names the day of writing starts with GENERATED_PREFIX.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from soc2_tui import scoring
from soc2_tui.model import (
    PRINCIPLE_LABELS,
    PRINCIPLES,
    Answer,
    Assessment,
    Change,
    Disagreement,
    Questionnaire,
    TrailVerdict,
)
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.sections import SECTIONS
from soc2_tui.reports.markdown.sections.title import GENERATED_PREFIX

# The public API. PRINCIPLES, PRINCIPLE_LABELS and scoring are reached through this module by
# the tests and stay importable from it.
__all__ = ["GENERATED_PREFIX", "PRINCIPLES", "PRINCIPLE_LABELS", "render", "render_context", "render_from",
           "report_history", "scoring"]


def render(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer], today: date | None = None,
           compare: Mapping[str, Any] | None = None, history: Sequence[Change] = (),
           trail: TrailVerdict | None = None, disagreements: Sequence[Disagreement] = ()) -> str:
    """The whole report as Markdown (ends with one newline). `trail`: the audit trail's check
    (Store.verify), stated in the title block; None leaves the line out. `disagreements`: the
    unresolved ones (Store.disagreements), listed in their own section."""
    return render_context(ReportContext(q, a, answers, today or date.today(), history, compare, trail, disagreements))


def render_context(ctx: ReportContext) -> str:
    """The report of a context already built (the Word and HTML writers also read its scores)."""
    parts = (section.render(ctx) for section in SECTIONS)
    return "\n\n".join(p.strip("\n") for p in parts if p is not None) + "\n"


class HistorySource(Protocol):
    """What report_history needs of a Store (the reports layer does not import the store)."""

    def history(self, assessment_id: int, item_id: str | None = None, limit: int | None = None,
                since: str | None = None, until: str | None = None) -> list[Change]: ...

    def verify(self, assessment_id: int) -> TrailVerdict: ...

    def disagreements(self, assessment_id: int, until: str | None = None) -> list[Disagreement]: ...


def report_history(store: HistorySource, assessment_id: int, compare: Mapping[str, Any] | None = None,
                   until: str | None = None) -> list[Change]:
    """The history rows `render` reads, from a Store: changes to the principles in scope (the
    scope-creep signal) and, when comparing with a snapshot, every change since it was taken.
    Not the whole audit trail (100,000 rows cost a second to read). `until`: a snapshot's own
    time, to report on the assessment as it was then."""
    rows = {c.id: c for c in store.history(assessment_id, "principles", until=until)}
    if compare is not None:
        created = str(compare.get("created_at") or "")
        rows.update((c.id, c) for c in store.history(assessment_id, since=created or None, until=until))
    return [rows[k] for k in sorted(rows)]


def render_from(store: HistorySource, q: Questionnaire, a: Assessment, answers: Mapping[str, Answer],
                today: date | None = None, until: str | None = None) -> str:
    """`render` with the history rows it reads taken from `store`: what the app's report screen
    and quick mode's report offer show, the same text `soc2-tui report` writes. A report of the
    assessment as it was (`until`, a snapshot's time) does not state the trail: its check is of
    the file as it is now."""
    trail = store.verify(a.id) if until is None else None
    return render(q, a, answers, today=today, history=report_history(store, a.id, until=until), trail=trail,
                  disagreements=store.disagreements(a.id, until=until))
