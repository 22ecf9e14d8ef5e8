"""One line per assessment (list command, home screen): scores and counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from soc2_tui import scoring
from soc2_tui.model import Questionnaire

if TYPE_CHECKING:
    from soc2_tui.store import Store


def assessment_rows(q: Questionnaire, store: Store) -> list[dict[str, Any]]:
    rows = []
    for a in store.assessments():
        answers = store.answers(a.id)
        result = scoring.score(q, a, answers)
        rows.append({
            "id": a.id, "name": a.name, "organisation": a.organisation, "report_type": a.report_type,
            "principles": list(a.principles), "period_start": a.period_start,
            "period_months": a.period_months, "applicable": result.overall.applicable,
            "answered": result.overall.answered, "coverage": result.overall.coverage,
            "score": result.overall.score, "band": result.overall.band,
            "critical_gaps": result.overall.critical_gaps, "updated_at": a.updated_at,
        })
    return rows
