"""JSON and CSV documents: the question bank, an assessment and its gaps.

The columns and keys here are a contract (docs/data-formats.md); add, never rename.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from soc2_tui import __version__, scoring
from soc2_tui.model import ANSWER_FIELDS, Answer, Assessment, Item, Questionnaire

FORMAT_VERSION = 1

_FIRST_COLUMNS = (
    "id", "kind", "section", "question", "criteria", "status", "value", "notes", "evidence", "owner",
    "due_date", "operating_since",
    # added after the first twelve (the contract allows more columns, never fewer):
    "last_reviewed", "approver", "flagged", "title", "severity", "applicable", "answered_by", "answered_at",
)
# Who set the notes and the other fields (answered_by is who set the status), and when the file was
# made: the same time in every row, so rows pasted from several exports keep their own (import
# compares it with the history to find conflicts).
AUTHOR_KEYS = ("notes_by", "notes_at", "details_by", "details_at")
_LATER_COLUMNS = (*AUTHOR_KEYS, "exported_at")
# A field added to answers later (model.ANSWER_FIELDS) becomes a column at the end by itself.
CSV_COLUMNS = _FIRST_COLUMNS + _LATER_COLUMNS + tuple(f for f in ANSWER_FIELDS if f not in _FIRST_COLUMNS)
# Columns `import` reads back: the answer fields. The others are for people and ignored on import.
CSV_ANSWER_COLUMNS = ANSWER_FIELDS
GAP_COLUMNS = (
    "priority", "id", "title", "status", "target", "severity", "weight", "effort", "principles",
    "criteria", "points_overall", "points_by_principle", "owner", "due_date", "notes", "remediation",
)
QUESTION_FIELDS = (
    "id", "kind", "section", "title", "question", "guidance", "evidence", "remediation", "criteria",
    "principles", "severity", "weight", "effort", "frequency", "references", "condition", "purpose",
    "contents", "type", "options", "field", "source",
    # added with issue 17 (more columns, never fewer): import-bank reads every one of them back
    "replaces", "metadata",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_OR_APOSTROPHE = (*_FORMULA_START, "'")


def _needs_apostrophe(text: str) -> bool:
    """Formula-like after any leading apostrophes, or only whitespace (a blank-looking cell that
    import would otherwise skip). Leading apostrophes are looked past so `'=x` becomes `''=x`."""
    rest = text.lstrip("'")
    return rest.startswith(_FORMULA_START) or rest.isspace()


def safe_cell(value: Any) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ tab or CR (after any
    apostrophes), or holding only whitespace, gets a leading apostrophe. `unsafe_cell` undoes it."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_OR_APOSTROPHE):
        return "'" + text if _needs_apostrophe(text) else text
    return "'" + text if text.isspace() else text  # the same rule, faster for the usual cell


def unsafe_cell(text: str) -> str:
    """Undo `safe_cell` on import: exactly one apostrophe comes off, only where `safe_cell` adds one."""
    return text[1:] if text.startswith("'") and _needs_apostrophe(text) else text


def encode_value(item: Item | None, value: Any) -> str:
    """A scope answer as one CSV cell (lossless: see `importer.decode_value`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _csv(rows: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    # A row with a NUL is written with every cell quoted: import accepts NUL only inside quotes
    # (a NUL anywhere else means a binary or UTF-16 file).
    quote_all = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        cells = [safe_cell(c) for c in row]
        (quote_all if "\x00" in "".join(cells) else w).writerow(cells)
    return buf.getvalue()


# ----------------------------------------------------------------------------- the question bank


def question_record(item: Item) -> dict[str, Any]:
    return {
        "id": item.id, "kind": item.kind, "section": item.section, "title": item.title,
        "question": item.question, "guidance": item.guidance, "evidence": list(item.evidence),
        "remediation": item.remediation, "criteria": list(item.criteria), "principles": list(item.principles),
        "severity": item.severity or None, "weight": item.weight if item.scored else None,
        "effort": item.effort or None, "frequency": item.frequency,
        "references": {k: list(v) for k, v in item.references.items()},
        "condition": item.condition.describe() if item.condition else None,
        "purpose": item.purpose or None, "contents": list(item.contents),
        "type": item.type or None, "options": [{"value": o.value, "label": o.label} for o in item.options],
        "field": item.assessment_field, "source": item.source,
        "replaces": list(item.replaces), "metadata": dict(item.metadata),
    }


def questions_json(q: Questionnaire) -> str:
    doc = {"format": "soc2-tui-questions", "format_version": FORMAT_VERSION, "banks": dict(q.banks),
           "items": [question_record(i) for i in q.items.values()]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def questions_csv(q: Questionnaire) -> str:
    def cell(v: Any, name: str = "") -> Any:
        if name == "metadata":  # free data: JSON, as import-bank reads it
            return json.dumps(v, ensure_ascii=False, default=str) if v else ""
        if isinstance(v, list):
            return "; ".join(json.dumps(x) if isinstance(x, dict) else str(x) for x in v)
        if isinstance(v, dict):
            return "; ".join(f"{k}: {', '.join(x)}" for k, x in v.items())
        return v

    rows = [QUESTION_FIELDS] + [[cell(question_record(i)[f], f) for f in QUESTION_FIELDS] for i in q.items.values()]
    return _csv(rows)


# ----------------------------------------------------------------------------- assessments


def assessment_record(a: Assessment) -> dict[str, Any]:
    return {
        "name": a.name, "organisation": a.organisation, "report_type": a.report_type,
        "principles": list(a.principles), "period_start": a.period_start, "period_months": a.period_months,
        "bank_versions": dict(a.bank_versions), "created_at": a.created_at, "updated_at": a.updated_at,
    }


def item_rows(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer]) -> list[dict[str, Any]]:
    scope = scoring.scope_values(q, a, answers)
    rows = []
    for item in q.items.values():
        ans = answers.get(item.id) or Answer(item.id)
        value = ans.value
        if item.assessment_field:
            value = a.scope_fields[item.assessment_field]
        rows.append({
            "id": item.id, "kind": item.kind, "section": item.section, "title": item.title,
            "question": item.question, "criteria": list(item.criteria), "principles": list(item.principles),
            "severity": item.severity or None, "weight": item.weight if item.scored else None,
            "applicable": scoring.applies(item, a.principles, scope),
            **{f: getattr(ans, f) for f in ANSWER_FIELDS}, "value": value,
            "answered_by": ans.answered_by or None, "answered_at": ans.answered_at or None,
            **{k: getattr(ans, k) or None for k in AUTHOR_KEYS},
        })
    return rows


def result_json(q: Questionnaire, result: scoring.Result) -> dict[str, Any]:
    """The scores in the shape used by `score --json` and the JSON export."""

    def s(sc: scoring.Score) -> dict[str, Any]:
        return {
            "score": sc.score, "band": sc.band, "coverage": sc.coverage, "applicable": sc.applicable,
            "answered": sc.answered, "not_applicable": sc.not_applicable, "gaps": sc.gaps,
            "critical_gaps": sc.critical_gaps,
        }

    return {
        "report_type": result.report_type,
        "target_status": result.target,
        "overall": s(result.overall),
        "principles": {p: s(v) for p, v in result.principles.items()},
        "series": {k: s(v) for k, v in result.series.items()},
        "criteria": {k: s(v) for k, v in result.criteria.items()},
        "gaps": [
            {"id": g.item.id, "title": g.item.title, "status": g.status, "severity": g.item.severity,
             "weight": g.item.weight, "effort": g.item.effort, "criteria": list(g.item.criteria),
             "principles": list(g.item.principles), "points_if_closed": dict(g.points)}
            for g in result.gaps
        ],
        "not_assessed": [i.id for i in result.not_assessed],
        "warnings": [{"kind": w.kind, "item": w.item_id, "message": w.message} for w in result.warnings],
    }


def orphaned(q: Questionnaire, answers: Mapping[str, Answer]) -> list[Answer]:
    """Answers to items no longer in the question bank: kept, never deleted, reported."""
    return [a for iid, a in sorted(answers.items()) if iid not in q.items]


_HASHED_ANSWER_FIELDS = ("item_id", *ANSWER_FIELDS)  # what was answered, not who or when


def answers_hash(a: Assessment, answers: Mapping[str, Answer]) -> str:
    """A short content hash of the assessment's fields and answers (not of who/when)."""
    doc = {
        "assessment": {k: v for k, v in assessment_record(a).items() if k not in ("created_at", "updated_at")},
        "answers": {iid: {k: getattr(ans, k) for k in _HASHED_ANSWER_FIELDS}
                    for iid, ans in sorted(answers.items())},
    }
    blob = json.dumps(doc, sort_keys=True, ensure_ascii=False, check_circular=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def exported_now() -> str:
    """The time an export is made, UTC, in the form the history's times have (they compare as text)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def assessment_doc(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer],
                   today: date | None = None, exported_at: str | None = None) -> dict[str, Any]:
    result = scoring.score(q, a, answers, today=today)
    return {
        "format": "soc2-tui-assessment",
        "format_version": FORMAT_VERSION,
        "generator": f"soc2-tui {__version__}",
        "exported_at": exported_at or exported_now(),
        "assessment": assessment_record(a),
        "answers_hash": answers_hash(a, answers),
        "items": item_rows(q, a, answers),
        "orphaned": [o.as_dict() for o in orphaned(q, answers)],
        "scores": result_json(q, result),
    }


def assessment_json(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer],
                    today: date | None = None, exported_at: str | None = None) -> str:
    return json.dumps(assessment_doc(q, a, answers, today, exported_at), indent=2, ensure_ascii=False) + "\n"


def assessment_csv(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer],
                   exported_at: str | None = None) -> str:
    items = q.items
    stamp = exported_at or exported_now()
    rows: list[list[Any]] = [list(CSV_COLUMNS)]
    for r in item_rows(q, a, answers):
        item = items[r["id"]]
        cells = dict(r)
        cells["criteria"] = " ".join(r["criteria"])
        cells["status"] = r["status"] or ""
        cells["value"] = "" if item.assessment_field else encode_value(item, r["value"])
        cells["flagged"] = "yes" if r["flagged"] else ""
        cells["applicable"] = "yes" if r["applicable"] else "no"
        for k in ("due_date", "operating_since", "last_reviewed", "answered_by", "answered_at", "severity",
                  *AUTHOR_KEYS):
            cells[k] = cells[k] or ""
        cells["exported_at"] = stamp
        rows.append([cells[c] for c in CSV_COLUMNS])
    return _csv(rows)


def gaps_csv(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer], today: date | None = None) -> str:
    result = scoring.score(q, a, answers, today=today)
    rows: list[list[Any]] = [list(GAP_COLUMNS)]
    for n, g in enumerate(result.gaps, 1):
        ans = answers.get(g.item.id) or Answer(g.item.id)
        rows.append([
            n, g.item.id, g.item.title, g.status, result.target, g.item.severity, f"{g.item.weight:g}",
            g.item.effort, " ".join(g.item.principles), " ".join(g.item.criteria),
            f"{g.points.get(scoring.OVERALL, 0.0):.2f}",
            "; ".join(f"{k} +{v:.2f}" for k, v in g.points.items() if k != scoring.OVERALL),
            ans.owner, ans.due_date or "", ans.notes, g.item.remediation,
        ])
    return _csv(rows)
