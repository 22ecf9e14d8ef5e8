"""Snapshots: an assessment's answers and scores frozen inside the file, and thawed to compare.

`freeze` makes what `Store.add_snapshot` keeps; `thaw` turns a stored snapshot back into the
assessment and answers the scoring and the report take, so "the report as it was then" is the
same code as the live report.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from soc2_tui import scoring
from soc2_tui.errors import UserError
from soc2_tui.interchange.export import answers_hash, assessment_record, result_json
from soc2_tui.model import Answer, Assessment, Questionnaire, normalise_principles


def freeze(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer],
           today: date | None = None) -> dict[str, Any]:
    """What a snapshot keeps: the assessment, every answer and the scores."""
    result = scoring.score(q, a, answers, today=today)
    return {
        "assessment": assessment_record(a),
        "answers": {iid: ans.as_dict() for iid, ans in sorted(answers.items())},
        "answers_hash": answers_hash(a, answers),
        "scores": result_json(q, result),
    }


def thaw(assessment_id: int, snapshot: Mapping[str, Any]) -> tuple[Assessment, dict[str, Answer]]:
    """The assessment and answers frozen in a snapshot (as `Store.snapshot` returns it)."""
    data = snapshot["data"]
    try:
        fields = dict(data["assessment"])
        fields["principles"] = normalise_principles(fields.get("principles"))
        a = Assessment(id=assessment_id, **fields)
        answers = {iid: Answer(**ans) for iid, ans in data["answers"].items()}
    except (KeyError, TypeError, AttributeError, ValueError):
        raise UserError(f"snapshot {snapshot.get('id')!r} holds data this version cannot read "
                        "(changed outside soc2-tui?)") from None
    return a, answers
