"""The question-bank format as one table: every field a file, a section and an item may hold, which
kinds of item take it, whether it is required and what is assumed when it is left out.

The validator (`validator.py`) takes its allowed and required fields from here, and `schema.py`
turns the same table into the JSON Schema `soc2-tui schema` prints: one list, never two.
docs/questionnaire-format.md describes it in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soc2_tui.model import ASSESSMENT_FIELDS, BANK_KINDS, EFFORTS, FREQUENCIES, SCOPE_TYPES, SEVERITIES

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
TEXT_LIMIT = 10_000  # characters in one text field (a title too: the app and report shorten long ones)
ALL_KINDS = ("scope", "control", "policy")
SCORED = ("control", "policy")

_TEXT: Mapping[str, Any] = {"type": "string", "minLength": 1, "maxLength": TEXT_LIMIT, "pattern": r"\S"}
_TEXTS: Mapping[str, Any] = {"type": "array", "minItems": 1, "items": _TEXT}
_ID: Mapping[str, Any] = {"type": "string", "pattern": ID_PATTERN}
_FREE: Mapping[str, Any] = {"type": "object"}


@dataclass(frozen=True)
class Field:
    name: str
    kinds: tuple[str, ...]  # the item kinds that take it (file and section fields: ("file",), ("section",))
    schema: Mapping[str, Any]  # JSON Schema of its value
    required: tuple[str, ...] = ()  # the kinds it is required for
    default: str = ""  # what holds when it is left out, in words (docs and the schema's descriptions)


FILE_FIELDS = (
    Field("bank", ("file",), _ID, ("file",)),
    Field("version", ("file",), {"type": "string", "minLength": 1}, ("file",)),
    Field("kind", ("file",), {"enum": list(BANK_KINDS)}, ("file",)),
    Field("metadata", ("file",), _FREE, default="none: free notes, kept and ignored by scoring"),
    Field("sections", ("file",), {"type": "array", "minItems": 1}, ("file",)),
)
SECTION_FIELDS = (
    Field("id", ("section",), _ID, ("section",)),
    Field("title", ("section",), _TEXT, ("section",)),
    Field("intro", ("section",), _TEXT, default="none"),
    Field("items", ("section",), {"type": "array", "minItems": 1}, ("section",)),
)
ITEM_FIELDS = (
    Field("id", ALL_KINDS, _ID, ALL_KINDS),
    # An item needs a question or a title (or both): `QUESTION_OR_TITLE` below.
    Field("title", ALL_KINDS, _TEXT, default="the question"),
    Field("question", ALL_KINDS, _TEXT, default="the title"),
    Field("guidance", ALL_KINDS, _TEXT, default="none (shown as not provided by the bank)"),
    Field("criteria", SCORED, {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"}},
          SCORED),
    Field("evidence", SCORED, _TEXTS, default="none (shown as not provided by the bank)"),
    Field("remediation", SCORED, _TEXT, default="none (shown as not provided by the bank)"),
    Field("severity", SCORED, {"enum": list(SEVERITIES)}, default="medium"),
    Field("effort", SCORED, {"enum": list(EFFORTS)},
          default="none (the roadmap assumes M, weeks, and says it assumed it)"),
    Field("weight", SCORED, {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
          default="from the severity: critical 4, high 3, medium 2, low 1"),
    Field("frequency", SCORED, {"enum": list(FREQUENCIES)}, ("policy",),
          default="none (required for policies, and for controls in strict mode and the built-in bank)"),
    Field("references", SCORED, {"type": "object", "additionalProperties": {"type": "array", "items": _TEXT}},
          default="none"),
    Field("purpose", ("policy",), _TEXT, default="none"),
    Field("contents", ("policy",), _TEXTS, default="none"),
    Field("type", ("scope",), {"enum": list(SCOPE_TYPES)}, ("scope",)),
    Field("options", ("scope",), {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/option"}},
          default="none (required for type choice and multi)"),
    Field("field", ("scope",), {"enum": list(ASSESSMENT_FIELDS)}, default="none"),
    Field("condition", ALL_KINDS, {"$ref": "#/$defs/condition"}, default="always applies"),
    Field("replaces", ALL_KINDS, {"type": "array", "minItems": 1, "uniqueItems": True, "items": _ID},
          default="none: the ids this item takes over from (their answers follow it)"),
    Field("metadata", ALL_KINDS, _FREE, default="none: free notes, kept and ignored by scoring"),
)
QUESTION_OR_TITLE = ("question", "title")
# Required for controls in strict mode (`validate --strict`) and always for the built-in bank.
STRICT_REQUIRED = {"control": ("frequency",)}
# Issue 19: these built-in controls still have no frequency; the content work that gives them one
# lands on its own. Until then strict mode passes over them. Empty this set when it lands.
FREQUENCY_PENDING = frozenset({"CC5-06", "CC7-04", "CC7-10", "CC8-04", "A1-05"})


def names(fields: tuple[Field, ...], kind: str) -> tuple[str, ...]:
    """The fields `kind` ("file", "section", or an item kind) may hold, in table order."""
    return tuple(f.name for f in fields if kind in f.kinds)


def required(fields: tuple[Field, ...], kind: str, strict: bool = False) -> tuple[str, ...]:
    extra = STRICT_REQUIRED.get(kind, ()) if strict else ()
    return tuple(f.name for f in fields if kind in f.required or f.name in extra)


def item_field(name: str) -> Field:
    return next(f for f in ITEM_FIELDS if f.name == name)


def re_id(text: str) -> bool:
    """Whether `text` is a valid bank, section or item id."""
    import re

    return bool(re.match(ID_PATTERN, text))
