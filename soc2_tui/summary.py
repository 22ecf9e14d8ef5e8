"""One line per assessment (list command, home screen, quick mode's choice): scores and counts.

An assessment whose banks do not load (a file of its set no longer valid) still has its line,
without scores, and `bank_error` says why, so one broken bank never hides the other assessments."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from soc2_tui import scoring
from soc2_tui.errors import ContentError
from soc2_tui.model import Assessment, Questionnaire

if TYPE_CHECKING:
    from soc2_tui.store import Store

SCORES = ("applicable", "answered", "coverage", "score", "band", "critical_gaps")  # None when banks fail


def assessment_rows(q: Questionnaire | Callable[[Assessment], Questionnaire], store: Store) -> list[dict[str, Any]]:
    """`q`: the banks, or a function giving each assessment's banks (its own set: `startup.assessment_banks`).
    A ContentError from it becomes that assessment's `bank_error` (the first problem, FILE:LINE)."""
    rows = []
    for a in store.assessments():
        row: dict[str, Any] = {
            "id": a.id, "name": a.name, "organisation": a.organisation, "report_type": a.report_type,
            "principles": list(a.principles), "period_start": a.period_start, "period_months": a.period_months,
        }
        try:
            banks = q(a) if callable(q) else q
        except ContentError as exc:
            row.update(dict.fromkeys(SCORES), updated_at=a.updated_at, bank_warnings=[], bank_error=exc.one_line())
            rows.append(row)
            continue
        result = scoring.score(banks, a, store.answers(a.id))
        row.update({
            "applicable": result.overall.applicable, "answered": result.overall.answered,
            "coverage": result.overall.coverage, "score": result.overall.score, "band": result.overall.band,
            "critical_gaps": result.overall.critical_gaps, "updated_at": a.updated_at,
            "bank_warnings": [message for _kind, _subject, message in banks.notices], "bank_error": None,
        })
        rows.append(row)
    return rows
