"""Plain records shared by the store, scoring and the front ends (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from soc2_tui.content import PRINCIPLES

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
    answered_by: str = ""
    answered_at: str = ""

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
