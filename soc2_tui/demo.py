"""The demo assessment: a fictional SaaS company part-way to SOC 2, read from data/demo.yaml.

The file is checked completely before anything is written: every item id must exist in the
loaded question banks, every field must be an answer field and every value must suit its item.
The assessment is then created and its answers written one respondent at a time, so the
history shows who answered what.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from soc2_tui import paths, scope_answers
from soc2_tui.banks import sets
from soc2_tui.banks.yaml_reader import read_yaml
from soc2_tui.errors import UserError
from soc2_tui.model import ANSWER_FIELDS, DATE_FIELDS, STATUSES, Assessment, BankSet, Item, Questionnaire, parse_date
from soc2_tui.store import Store

DEMO_NAME = "demo"
TOP_KEYS = ("assessment", "respondent", "scope", "answers")
ASSESSMENT_KEYS = ("name", "organisation", "report_type", "principles", "period_start", "period_months")
# Fields an entry under `answers:` may carry: the answer fields except `value` (scope only),
# plus who answered.
CONTROL_KEYS = tuple(f for f in ANSWER_FIELDS if f != "value") + ("answered_by",)
TEXT_FIELDS = ("notes", "evidence", "owner", "approver")


def demo_path() -> Path:
    return paths.data_dir() / "demo.yaml"


def create_demo(store: Store, q: Questionnaire, replace: bool = False,
                path: Path | None = None, bank_set: BankSet | None = None) -> Assessment:
    """Create the demo assessment in `store` and return it.

    Raises UserError when data/demo.yaml is broken, or when an assessment named like the demo
    exists and `replace` is False.
    """
    path = path or demo_path()
    spec = load_demo(path, q)
    fields = spec["assessment"]
    name = fields["name"]
    existing = store.find(name)
    if existing is not None:
        if not replace:
            raise UserError(f"an assessment named {name!r} already exists in {store.path}; "
                            "use --replace to recreate it")
        store.delete(existing.id)

    respondent = spec["respondent"]
    try:
        a = store.create(name, organisation=fields.get("organisation", ""),
                         report_type=fields.get("report_type", "type2"),
                         principles=fields.get("principles", ("security",)),
                         period_start=fields.get("period_start"), period_months=fields.get("period_months"),
                         bank_versions=dict(q.banks), by=respondent,
                         bank_set=bank_set or sets.record(q, True, ()))
    except UserError as exc:
        raise UserError(f"{path}: {exc}") from None
    try:
        for who, changes in _by_respondent(spec).items():
            store.apply_answers(a.id, changes, by=who)
    except BaseException:
        # Leave no half-built demo behind.
        store.delete(a.id)
        raise
    return store.by_id(a.id)


def _by_respondent(spec: Mapping[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """{respondent: {item_id: {field: value}}}, scope answers first, in file order."""
    groups: dict[str, dict[str, dict[str, Any]]] = {}
    default = spec["respondent"]
    for iid, value in spec["scope"].items():
        groups.setdefault(default, {})[iid] = {"value": value}
    for iid, entry in spec["answers"].items():
        changes = dict(entry)
        who = changes.pop("answered_by", None) or default
        groups.setdefault(who, {})[iid] = changes
    return groups


# ----------------------------------------------------------------------------- reading and checking


def load_demo(path: Path, q: Questionnaire) -> dict[str, Any]:
    """Read and check the demo file; return {assessment, respondent, scope, answers}, cleaned."""
    data, problems = read_yaml(path)
    if problems:
        raise UserError(str(problems[0]))
    err = _Errors(path, data)
    if not isinstance(data, dict):
        raise err.at(None, "the demo file must be a mapping with 'assessment', 'scope' and 'answers'")
    for key in data:
        if key not in TOP_KEYS:
            raise err.at(key, f"unknown key {key!r} (expected: {', '.join(TOP_KEYS)})")

    assessment = data.get("assessment")
    if not isinstance(assessment, dict):
        raise err.at("assessment", "'assessment' must be a mapping with the assessment's fields")
    for key in assessment:
        if key not in ASSESSMENT_KEYS:
            raise err.at(key, f"unknown assessment field {key!r} (expected: {', '.join(ASSESSMENT_KEYS)})",
                         assessment)
    if not isinstance(assessment.get("name"), str) or not assessment["name"].strip():
        raise err.at("assessment", "the assessment needs a name")
    fields = {k: _plain(v) for k, v in assessment.items()}

    respondent = data.get("respondent", "")
    if not isinstance(respondent, str):
        raise err.at("respondent", "'respondent' must be a name")

    scope = _mapping(err, data, "scope")
    answers = _mapping(err, data, "answers")
    clean_scope = {iid: _scope_value(err, scope, iid, q) for iid in scope}
    clean_answers = {iid: _answer(err, answers, iid, q) for iid in answers}
    return {"assessment": fields, "respondent": respondent.strip(), "scope": clean_scope,
            "answers": clean_answers}


class _Errors:
    """Builds one-line errors that name the demo file and, where known, the line."""

    def __init__(self, path: Path, data: Any):
        self.path = path
        self.data = data

    def at(self, key: Any, message: str, where: Any = None) -> UserError:
        where = self.data if where is None else where
        line = 0
        if hasattr(where, "line_of") and key is not None:
            line = where.line_of(key)
        elif hasattr(where, "line"):
            line = where.line
        return UserError(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")


def _mapping(err: _Errors, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise err.at(key, f"'{key}' must map item ids to answers")
    return value


def _item(err: _Errors, where: Mapping[str, Any], iid: Any, q: Questionnaire) -> Item:
    item = q.items.get(iid) if isinstance(iid, str) else None
    if item is None:
        raise err.at(iid, f"unknown item id {iid!r}: no question with that id is loaded", where)
    return item


def _scope_value(err: _Errors, scope: Mapping[str, Any], iid: Any, q: Questionnaire) -> Any:
    item = _item(err, scope, iid, q)
    if item.kind != "scope":
        raise err.at(iid, f"{iid} is a {item.kind} item: put it under 'answers', not 'scope'", scope)
    if item.assessment_field:
        raise err.at(iid, f"{iid} comes from the assessment's own '{item.assessment_field}' field: "
                          "set it under 'assessment'", scope)
    value = _plain(scope[iid])
    bad = scope_answers.problem(item, value)
    if bad:
        raise err.at(iid, f"{iid}: {bad}", scope)
    return value


def _answer(err: _Errors, answers: Mapping[str, Any], iid: Any, q: Questionnaire) -> dict[str, Any]:
    item = _item(err, answers, iid, q)
    if item.kind == "scope":
        raise err.at(iid, f"{iid} is a scope item: put its value under 'scope', not 'answers'", answers)
    entry = answers[iid]
    if not isinstance(entry, dict):
        raise err.at(iid, f"{iid}: the answer must be a mapping such as {{status: operating}}", answers)
    out: dict[str, Any] = {}
    for key, raw in entry.items():
        if key not in CONTROL_KEYS:
            raise err.at(iid, f"{iid}: unknown answer field {key!r} (expected: {', '.join(CONTROL_KEYS)})",
                         answers)
        value = _plain(raw)
        if key == "status" and value not in STATUSES:
            raise err.at(iid, f"{iid}: bad status {value!r} (expected one of: {', '.join(STATUSES)})", answers)
        if key in DATE_FIELDS and (not isinstance(value, str) or parse_date(value) is None):
            raise err.at(iid, f"{iid}: bad {key} {value!r} (expected YYYY-MM-DD)", answers)
        if key == "flagged" and not isinstance(value, bool):
            raise err.at(iid, f"{iid}: 'flagged' must be true or false", answers)
        if key in TEXT_FIELDS + ("answered_by",):
            if not isinstance(value, str):
                raise err.at(iid, f"{iid}: '{key}' must be text", answers)
            value = " ".join(value.split())
        out[key] = value
    if "status" not in out:
        raise err.at(iid, f"{iid}: the answer needs a status", answers)
    return out


def _plain(value: Any) -> Any:
    """YAML dates as ISO text; lists and text as they are."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return value.strip()
    return value
