"""Rows in and out of the file: the checks on what is written, and records built from what is read."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from soc2_tui import scope_answers
from soc2_tui.errors import UserError
from soc2_tui.model import (
    ANSWER_FIELDS,
    DATE_FIELDS,
    PRINCIPLES,
    REPORT_TYPES,
    STATUSES,
    Answer,
    Assessment,
    BankRef,
    BankSet,
    normalise_principles,
    parse_date,
)
from soc2_tui.store.authors import AUTHOR_COLUMNS, Authors
from soc2_tui.terminal import has_controls, nfc

ASSESSMENT_EDITABLE = ("name", "organisation", "report_type", "principles", "period_start",
                        "period_months", "bank_versions", "bank_set")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def encode(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def history_text(field: str, value: Any) -> str | None:
    if value is None:
        return None
    if field == "value":
        return encode(value)
    if field == "flagged":
        return "1" if value else "0"
    return str(value)


def bad_value(table: str, row: str, column: str, value: Any) -> UserError:
    """The one-line error for a value the tool never writes (the file was changed outside it)."""
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:59] + "…"
    return UserError(f"the file holds a bad value in table {table}, {row}, column {column}: {shown} "
                     "(changed outside soc2-tui?)")


def parse_json(text: Any, table: str, row: str, column: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError, RecursionError):
        raise bad_value(table, row, column, text) from None


def assessment_from_row(r: Mapping[str, Any]) -> Assessment:
    """An Assessment from a row of `assessments`, every value checked (a client's file is untrusted)."""
    row = f"assessment {r['id']!r}"

    def check(column: str, ok: bool) -> None:
        if not ok:
            raise bad_value("assessments", row, column, r[column])

    for column in ("name", "organisation", "created_at", "updated_at"):
        check(column, isinstance(r[column], str))
    check("report_type", r["report_type"] in REPORT_TYPES)
    principles = parse_json(r["principles"], "assessments", row, "principles")
    check("principles", isinstance(principles, list) and all(p in PRINCIPLES for p in principles))
    check("period_start", r["period_start"] is None or (isinstance(r["period_start"], str)
                                                         and parse_date(r["period_start"]) is not None))
    months = r["period_months"]
    check("period_months", months is None or (type(months) is int and 1 <= months <= 24))
    banks = parse_json(r["bank_versions"] or "{}", "assessments", row, "bank_versions")
    check("bank_versions", isinstance(banks, dict) and all(isinstance(v, str) for v in banks.values()))
    try:
        raw_set = r["bank_set"]
    except (KeyError, IndexError):  # a row read by column names from an older file (merge, doctor)
        raw_set = "{}"
    return Assessment(
        id=r["id"], name=r["name"], organisation=r["organisation"], report_type=r["report_type"],
        principles=normalise_principles(principles), period_start=r["period_start"],
        period_months=months, bank_versions=banks, created_at=r["created_at"], updated_at=r["updated_at"],
        bank_set=bank_set_from(parse_json(raw_set, "assessments", row, "bank_set"), "assessments", row, raw_set),
    )


def bank_set_from(data: Any, table: str, row: str, raw: Any) -> BankSet:
    """A BankSet from its JSON (`BankSet.as_json`), every value checked; {} is the built-in banks."""
    def text(v: Any) -> bool:
        return isinstance(v, str)

    refs = data.get("banks", []) if isinstance(data, dict) else None
    ok = (isinstance(data, dict) and isinstance(data.get("builtin", True), bool)
          and isinstance(data.get("paths", []), list) and all(text(p) for p in data.get("paths", []))
          and isinstance(refs, list)
          and all(isinstance(b, dict) and all(text(b.get(k, "")) for k in ("id", "version", "hash", "path"))
                  and text(b.get("id")) for b in refs))
    if not ok or refs is None:
        raise bad_value(table, row, "bank_set", raw)
    return BankSet(builtin=data.get("builtin", True), paths=tuple(data.get("paths", [])),
                   banks=tuple(BankRef(b["id"], b.get("version", ""), b.get("hash", ""), b.get("path", ""))
                               for b in refs))


# Columns in Answer's field order, so a row becomes an Answer positionally (`_answer`): no
# dict per row (20,000 answers are read for every report and every screen that scores).
# The columns of `answers` after its key, in the order of Answer's fields. The SQL for answers is
# built from this once, so a new answer field is a name in model.ANSWER_FIELDS, a field of Answer
# and a column in schema.py (with its migration); nothing here changes.
ANSWER_COLUMNS = (*ANSWER_FIELDS, *AUTHOR_COLUMNS)
SELECT_ANSWERS = f"SELECT item_id, {', '.join(ANSWER_COLUMNS)} FROM answers WHERE assessment_id = ?"
SELECT_ANSWER = SELECT_ANSWERS + " AND item_id = ?"
UPSERT_ANSWER = (f"INSERT INTO answers (assessment_id, item_id, {', '.join(ANSWER_COLUMNS)})"
                 f" VALUES ({', '.join('?' * (len(ANSWER_COLUMNS) + 2))})"
                 " ON CONFLICT (assessment_id, item_id) DO UPDATE SET "
                 + ", ".join(f"{c}=excluded.{c}" for c in ANSWER_COLUMNS))
_VALUE = 1 + ANSWER_FIELDS.index("value")  # positions in a row of SELECT_ANSWERS (item_id first)
_FLAGGED = 1 + ANSWER_FIELDS.index("flagged")


_STATUSES = frozenset((None, *STATUSES))
_TEXTS = tuple(1 + ANSWER_FIELDS.index(f) for f in ANSWER_FIELDS
               if f not in ("status", "value", "flagged", *DATE_FIELDS)) \
    + tuple(range(len(ANSWER_FIELDS) + 1, len(ANSWER_COLUMNS) + 1))  # the author columns
_DATES = tuple(1 + ANSWER_FIELDS.index(f) for f in DATE_FIELDS)
_COLUMN = ("item_id", *ANSWER_COLUMNS)


def answer_from_row(r: Sequence[Any]) -> Answer:
    """An Answer from a row of SELECT_ANSWERS / SELECT_ANSWER (columns in Answer's field order),
    every value checked: a client's file is untrusted, and a bad value is one line, not a crash."""
    row = list(r)
    if row[1] not in _STATUSES:
        raise _bad_answer(row, 1)
    if row[_FLAGGED] not in (0, 1):
        raise _bad_answer(row, _FLAGGED)
    if not isinstance(row[0], str):
        raise _bad_answer(row, 0)
    for n in _TEXTS:
        if type(row[n]) is not str:
            raise _bad_answer(row, n)
    for n in _DATES:
        if row[n] is not None and (type(row[n]) is not str or parse_date(row[n]) is None):
            raise _bad_answer(row, n)
    if row[_VALUE] is not None:
        value = parse_json(row[_VALUE], "answers", f"item {row[0]!r}", "value")
        if not scope_answers.storable(value):
            raise _bad_answer(row, _VALUE)
        row[_VALUE] = value
    row[_FLAGGED] = bool(row[_FLAGGED])
    return Answer(*row)


def _bad_answer(row: Sequence[Any], n: int) -> UserError:
    return bad_value("answers", f"item {row[0]!r}", _COLUMN[n], row[n])


def answer_params(assessment_id: int, item_id: str, fields: Mapping[str, Any],
                  authors: Authors) -> tuple[Any, ...]:
    """The parameters of UPSERT_ANSWER for an answer with these field values and authors
    (store.authors: who set the status, the notes and the details, and when)."""
    cells = [encode(fields[f]) if f == "value" else int(bool(fields[f])) if f == "flagged" else fields[f]
             for f in ANSWER_FIELDS]
    return (assessment_id, item_id, *cells, *authors)


def answer_changes(a: Answer) -> dict[str, Any]:
    return {f: getattr(a, f) for f in ANSWER_FIELDS}


def assessment_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, BankSet):
        return encode(value.as_json())
    if isinstance(value, (list, tuple, dict)):
        return encode(list(value) if isinstance(value, tuple) else value)
    return str(value)


def check_assessment_fields(f: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(f)
    name = nfc((f.get("name") or "").strip())  # one form for é, whichever way it was typed
    if not name:
        raise UserError("an assessment needs a name")
    if len(name) > 200 or has_controls(name):  # shown on every screen: no ESC, C1 or bidi override
        raise UserError("an assessment name must be one line of at most 200 characters")
    out["name"] = name
    out["organisation"] = (f.get("organisation") or "").strip()
    if f.get("report_type") not in REPORT_TYPES:
        raise UserError(f"bad report type {f.get('report_type')!r} (expected type1 or type2)")
    bad = [p for p in (f.get("principles") or ()) if p not in PRINCIPLES]
    if bad:
        raise UserError(f"unknown principle {bad[0]!r} (expected: {', '.join(PRINCIPLES)})")
    out["principles"] = normalise_principles(f.get("principles"))
    start = f.get("period_start")
    if start in ("", None):
        out["period_start"] = None
    else:
        d = parse_date(start)
        if d is None:
            raise UserError(f"bad period start {start!r} (expected YYYY-MM-DD)")
        out["period_start"] = d.isoformat()
    months = f.get("period_months")
    if months in ("", None):
        out["period_months"] = None
    else:
        try:
            m = int(months)
        except (TypeError, ValueError):
            m = 0
        if not 1 <= m <= 24:
            raise UserError(f"bad period length {months!r} (months, 1 to 24; usually 3, 6 or 12)")
        out["period_months"] = m
    return out


def check_answer_fields(item_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in ANSWER_FIELDS:
            raise ValueError(f"not an answer field: {key}")
        if key == "status":
            if value not in (None, *STATUSES):
                raise UserError(f"{item_id}: bad status {value!r} (expected one of: {', '.join(STATUSES)})")
        elif key in DATE_FIELDS:
            if value in ("", None):
                value = None
            else:
                d = parse_date(value)
                if d is None:
                    raise UserError(f"{item_id}: bad {key} {value!r} (expected YYYY-MM-DD)")
                value = d.isoformat()
        elif key == "flagged":
            value = bool(value)
        elif key == "value":
            if not scope_answers.storable(value):
                raise UserError(f"{item_id}: bad value {value!r} (expected yes/no, a number, a text, "
                                "a date or a list of texts)")
        else:
            value = "" if value is None else str(value)
        out[key] = value
    return out
