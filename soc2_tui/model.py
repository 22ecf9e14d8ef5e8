"""The vocabulary and the plain records every other module shares. No I/O, no imports from soc2_tui.

Bottom layer: question-bank records (`Criterion`, `Item`, `Section`, `Questionnaire`,
`Condition`), assessment records (`Assessment`, `Answer`, `Change`), the fixed vocabularies
(principle keys, statuses, severities, frequencies) and `parse_date`.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any

PRINCIPLES = ("security", "availability", "processing_integrity", "confidentiality", "privacy")
PRINCIPLE_LABELS = {
    "security": "Security",
    "availability": "Availability",
    "processing_integrity": "Processing integrity",
    "confidentiality": "Confidentiality",
    "privacy": "Privacy",
}
STATUSES = ("not_started", "in_progress", "implemented", "operating", "not_applicable")
REPORT_TYPES = ("type1", "type2")
SEVERITY_WEIGHTS = {"critical": 4, "high": 3, "medium": 2, "low": 1}
SEVERITIES = tuple(SEVERITY_WEIGHTS)
EFFORTS = ("S", "M", "L")
FREQUENCIES = ("continuous", "daily", "weekly", "monthly", "quarterly", "annually", "per_event")
BANK_KINDS = {"scope": "scope", "controls": "control", "policies": "policy"}  # file kind -> item kind
SCOPE_TYPES = ("bool", "choice", "multi", "date", "number", "text", "longtext", "list")
ASSESSMENT_FIELDS = ("principles", "report_type", "period_start", "period_months")


# --------------------------------------------------------------------------- question banks


@dataclass(frozen=True)
class Criterion:
    id: str
    principle: str
    series: str
    series_name: str
    title: str


@dataclass(frozen=True)
class Option:
    value: Any
    label: str


@dataclass(frozen=True)
class Condition:
    """A test on scope answers: op is equals/contains/in/all/any/not."""

    op: str
    scope: str | None = None
    value: Any = None
    parts: tuple[Condition, ...] = ()

    def holds(self, scope: Mapping[str, Any]) -> bool:
        if self.op == "all":
            return all(p.holds(scope) for p in self.parts)
        if self.op == "any":
            return any(p.holds(scope) for p in self.parts)
        if self.op == "not":
            return not self.parts[0].holds(scope)
        answer = scope.get(self.scope)  # type: ignore[arg-type]
        if answer is None:
            return False
        if self.op == "equals":
            return answer == self.value
        if self.op == "contains":
            return isinstance(answer, (list, tuple)) and self.value in answer
        if self.op == "in":
            return answer in self.value
        return False

    def describe(self) -> str:
        if self.op in ("all", "any"):
            joiner = " and " if self.op == "all" else " or "
            return "(" + joiner.join(p.describe() for p in self.parts) + ")"
        if self.op == "not":
            return f"not {self.parts[0].describe()}"
        return f"{self.scope} {self.op} {self.value!r}"


@dataclass(frozen=True)
class Item:
    id: str
    kind: str  # scope | control | policy
    section: str
    title: str
    question: str
    guidance: str
    source: str  # FILE:LINE of the item
    evidence: tuple[str, ...] = ()
    remediation: str = ""
    criteria: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()
    severity: str = ""
    weight: float = 0.0
    effort: str = ""
    frequency: str | None = None
    references: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    condition: Condition | None = None
    # policies
    purpose: str = ""
    contents: tuple[str, ...] = ()
    # scope
    type: str = ""
    options: tuple[Option, ...] = ()
    assessment_field: str | None = None  # `field:` in the bank: the assessment field it edits
    # Optional in a bank (docs/questionnaire-format.md): guidance, evidence and remediation are
    # empty and effort is "" when the bank gives none; every screen and report then says so
    # (labels.NOT_PROVIDED) instead of inventing advice.
    replaces: tuple[str, ...] = ()  # ids of retired items this one takes over (their answers follow it)
    metadata: Mapping[str, Any] = field(default_factory=dict)  # the bank's free notes; never scored

    @property
    def scored(self) -> bool:
        return self.kind != "scope"

    def option_label(self, value: Any) -> str:
        for opt in self.options:
            if opt.value == value:
                return opt.label
        return str(value)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    kind: str  # scope | control | policy
    bank: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class BankMeta:
    """One loaded bank: its version, a hash of its content and the files it was read from."""

    version: str
    hash: str  # hex SHA-256 over the SHA-256 of each of its files, sorted: a move keeps it, an edit not
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Questionnaire:
    criteria: Mapping[str, Criterion]
    series: Mapping[str, tuple[str, str]]  # series id -> (principle, name)
    sections: tuple[Section, ...]
    items: Mapping[str, Item]  # in display order
    banks: Mapping[str, str]  # bank name -> version
    files: tuple[str, ...] = ()
    bank_meta: Mapping[str, BankMeta] = field(default_factory=dict)  # bank name -> what was loaded
    # (kind, bank or item id, message): a recorded bank not found or changed, criteria moved since an
    # answer (banks/sets.py); scoring gives each as a warning
    notices: tuple[tuple[str, str, str], ...] = ()
    bank_metadata: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # bank -> its free notes

    def of_kind(self, kind: str) -> list[Item]:
        return [i for i in self.items.values() if i.kind == kind]

    @property
    def scope_items(self) -> list[Item]:
        return self.of_kind("scope")

    @property
    def scored_items(self) -> list[Item]:
        return [i for i in self.items.values() if i.scored]

    def sections_of(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]


# --------------------------------------------------------------------------- assessments

# Answer fields a user sets; the store keeps a history row for each change to one of them.
ANSWER_FIELDS = (
    "status",
    "value",
    "notes",
    "evidence",
    "owner",
    "due_date",
    "operating_since",
    "last_reviewed",
    "approver",
    "flagged",
)
DATE_FIELDS = ("due_date", "operating_since", "last_reviewed")
# Whose name each answer field's change records: the status (or a scope question's value), the
# notes, or the details (everything else). Answer.answered_by/at, notes_by/at, details_by/at.
AUTHOR_GROUPS = {f: "status" if f in ("status", "value") else "notes" if f == "notes" else "details"
                 for f in ANSWER_FIELDS}


@dataclass(frozen=True)
class BankRef:
    """A bank as the assessment recorded it when it was created or the bank added."""

    id: str
    version: str
    hash: str = ""  # '' when not known (an assessment from before schema 4)
    path: str = ""  # where it was found: '' for the built-in banks, else the absolute --bank PATH


@dataclass(frozen=True)
class BankSet:
    """The banks an assessment is scored against (schema 4, `assessments.bank_set`)."""

    builtin: bool = True  # the built-in banks are loaded
    paths: tuple[str, ...] = ()  # files or folders of its own banks, absolute, as given to --bank
    banks: tuple[BankRef, ...] = ()  # every bank recorded, built-in ones included

    def as_json(self) -> dict[str, Any]:
        return {"builtin": self.builtin, "paths": list(self.paths),
                "banks": [{"id": b.id, "version": b.version, "hash": b.hash, "path": b.path} for b in self.banks]}


@dataclass(frozen=True)
class Assessment:
    id: int
    name: str
    organisation: str = ""
    report_type: str = "type2"
    principles: tuple[str, ...] = ("security",)
    period_start: str | None = None
    period_months: int | None = None
    bank_versions: dict[str, str] = field(default_factory=dict)
    created_at: str = ""
    updated_at: str = ""
    bank_set: BankSet = field(default_factory=BankSet)

    @property
    def scope_fields(self) -> dict[str, Any]:
        """The assessment's own fields as scope answers (see `field:` in scope items)."""
        return {
            "principles": list(self.principles),
            "report_type": self.report_type,
            "period_start": self.period_start,
            "period_months": self.period_months,
        }


def normalise_principles(values: Any) -> tuple[str, ...]:
    """Security first and always present; then the others in canonical order."""
    chosen = set(values or ()) | {"security"}
    return tuple(p for p in PRINCIPLES if p in chosen)


@dataclass(frozen=True)
class Answer:
    item_id: str
    status: str | None = None
    value: Any = None
    notes: str = ""
    evidence: str = ""
    owner: str = ""
    due_date: str | None = None
    operating_since: str | None = None
    last_reviewed: str | None = None
    approver: str = ""
    flagged: bool = False
    # Who set each part of the answer, and when (UTC): `answered_*` is who set the status (of a
    # scope question: its value), the one "answered by" every screen, export and report shows; a
    # note or a flag never changes it. `notes_*`: the last author of the notes; `details_*`: the
    # last author of the other fields (evidence, owner, dates, approver, flag). See AUTHOR_GROUPS.
    answered_by: str = ""
    answered_at: str = ""
    notes_by: str = ""
    notes_at: str = ""
    details_by: str = ""
    details_at: str = ""

    @property
    def answered(self) -> bool:
        return self.status is not None or self.value not in (None, "", [])

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _ANSWER_ATTRS}


_ANSWER_ATTRS = tuple(f.name for f in fields(Answer))  # every field, in order (as_dict)


@dataclass(frozen=True)
class Change:
    """One row of the audit trail."""

    id: int
    assessment: str
    item_id: str
    field: str
    old: Any
    new: Any
    changed_by: str
    changed_at: str


@dataclass(frozen=True)
class Position:
    """One respondent's latest answer to an item (a status key, or a scope question's value)."""

    respondent: str
    value: Any
    at: str  # UTC, when they set it


@dataclass(frozen=True)
class Disagreement:
    """An item whose status (or scope value) two or more respondents set to different values since
    it was last resolved: every respondent's latest position, oldest first."""

    item_id: str
    field: str  # "status", or "value" for a scope question
    positions: tuple[Position, ...]
    resolved_at: str | None = None  # when it was last resolved (earlier positions no longer count)


@dataclass(frozen=True)
class Conflict:
    """An imported field the file and the assessment both changed after the file was exported."""

    item_id: str
    field: str
    file_value: str | None  # as the history writes values (codec.history_text)
    current_value: str | None
    changed_by: str  # the last change to the field here, after the export
    changed_at: str
    exported_at: str


@dataclass(frozen=True)
class TrailVerdict:
    """What checking an assessment's audit trail found (store.trail.verify)."""

    changes: int  # history rows of the assessment
    seal: str | None  # the last row's hash: what to keep to show later that nothing changed
    problem: str | None  # None: the chain holds and the answers are what the history says


def add_months(d: date, months: int) -> date:
    """The same day `months` later (clamped to the month's last day)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def period_end(start: date, months: int) -> date:
    """Last day (inclusive) of a period of `months` starting on `start`."""
    return add_months(start, months) - timedelta(days=1)


def parse_date(value: Any) -> date | None:
    """A date from an ISO string or a date; None for anything else."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
