"""One line per assessment (list command, home screen): scores and counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from soc2_tui import scoring
from soc2_tui.model import Assessment, Questionnaire

if TYPE_CHECKING:
    from soc2_tui.store import Store


def assessment_rows(q: Questionnaire | Callable[[Assessment], Questionnaire], store: Store) -> list[dict[str, Any]]:
    """`q`: the banks, or a function giving each assessment's banks (its own set: `startup.assessment_banks`)."""
    rows = []
    for a in store.assessments():
        banks = q(a) if callable(q) else q
        answers = store.answers(a.id)
        result = scoring.score(banks, a, answers)
        rows.append({
            "id": a.id, "name": a.name, "organisation": a.organisation, "report_type": a.report_type,
            "principles": list(a.principles), "period_start": a.period_start,
            "period_months": a.period_months, "applicable": result.overall.applicable,
            "answered": result.overall.answered, "coverage": result.overall.coverage,
            "score": result.overall.score, "band": result.overall.band,
            "critical_gaps": result.overall.critical_gaps, "updated_at": a.updated_at,
            "bank_warnings": [message for _kind, _subject, message in banks.notices],
        })
    return rows
