"""Words and small formatters that more than one section of the gap report uses.

Everything here returns Markdown that is safe to put in a table cell or a list item: user text
goes through `tables.esc` (`scope_value_text` is the one exception and says so).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from soc2_tui import labels, roadmap
from soc2_tui.labels import DASH, bar, fmt_score, status_words
from soc2_tui.model import FREQUENCIES, PRINCIPLE_LABELS, Item
from soc2_tui.reports.tables import esc

MAX_IDS = 5  # ids listed inline before "and N more"

FREQUENCY_LABELS = {f: f.replace("_", " ") for f in FREQUENCIES}
EFFORT_LABELS = {k: f"{k} (about {v:g} week{'s' if v != 1 else ''})" for k, v in roadmap.EFFORT_WEEKS.items()}
ASSUMED_EFFORT = f"{roadmap.ASSUMED_EFFORT} assumed ({labels.NOT_PROVIDED})"


def effort_text(item: Item, weeks: bool = False) -> str:
    """An item's effort ('M', or 'M (about 4 weeks)' with weeks=True); the effort the roadmap
    assumes, marked so, when the bank gives none."""
    if not item.effort:
        return ASSUMED_EFFORT
    return EFFORT_LABELS.get(item.effort, item.effort) if weeks else esc(item.effort)


def title_text(item: Item) -> str:
    """An item's title, shortened for a table or a heading, escaped."""
    return esc(labels.short_title(item.title))
WARNING_LABELS = {
    "na_without_note": "Not applicable without a note",
    "operating_after_period_start": "Started after the period start",
    "stale_policy": "Policy review overdue",
    "too_few_occurrences": "Too few occurrences in the period",
    "policy_review_outside_period": "Policy review may fall outside the period",
    "orphaned_answer": "Answer to a question no longer in the question bank",
    "bank_version": "Question banks changed",
    "period_too_early": "Planned audit period starts too early",
    "scope_contradiction": "An answer contradicts the scope answers",
    "bank_missing": "Question bank not found",
    "bank_changed": "Question bank changed since it was added",
    "criteria_moved": "Criteria changed since answered",
}
# One line for many warnings of a kind (more than MAX_IDS of them).
WARNING_GROUPS = {
    "na_without_note": "marked not applicable without a note saying why; an auditor will ask for the "
                       "justification",
    "operating_after_period_start": "started operating after the audit period starts, so the evidence cannot "
                                    "cover the whole period (see Type II evidence window)",
    "stale_policy": "policies with no review recorded in the last 12 months",
    "too_few_occurrences": "recurring controls that will not happen often enough in the period for an auditor "
                           "to test them; schedule each run inside the period (see Type II evidence window)",
    "policy_review_outside_period": "policies reviewed yearly whose review may not fall inside the period; "
                                    "schedule each review inside it",
    "scope_contradiction": "answers that contradict the scope answers; check which is right",
    "criteria_moved": "answered under other criteria than the bank now maps them to (`soc2-tui banks NAME` "
                      "lists the bank's changes)",
}


def status_label(item: Item | None, status: str | None) -> str:
    """The status in running text, in policy words ('draft', 'current') when `item` is a policy."""
    return status_words(status, policy=item is not None and item.kind == "policy")


def item_ref(item: Item) -> str:
    """'CC6-03 MFA on production and cloud console', escaped."""
    return f"{esc(item.id)} {title_text(item)}"


def points_text(points: Mapping[str, float]) -> str:
    """'+0.8 overall (+2.4 security, +1.0 availability)', or a dash when closing adds nothing."""
    return labels.points_text(points) or DASH


def change_text(then: float | None, now: float | None) -> str:
    """A score change: '+6.8', '−1.2', '0.0', or a dash when one of the two scores is missing."""
    if then is None or now is None:
        return DASH
    delta = round(now - then, 1)
    if delta == 0:
        return "0.0"
    return f"+{delta:.1f}" if delta > 0 else f"−{abs(delta):.1f}"


def score_cell(score: float | None) -> str:
    """A readiness score with its text bar: '████████░░ 78.5'."""
    return DASH if score is None else f"{bar(score)} {fmt_score(score)}"


def stamp(value: str | None) -> str:
    """'2026-05-01T10:11:12.123Z' → '2026-05-01 10:11'."""
    if not value:
        return DASH
    return esc(value[:16].replace("T", " "))


def id_list(ids: Sequence[str]) -> str:
    """The first MAX_IDS ids, escaped, then 'and N more'."""
    shown = ", ".join(esc(i) for i in ids[:MAX_IDS])
    more = len(ids) - MAX_IDS
    return shown + (f" and {more} more" if more > 0 else "")


def sentence(text: str) -> str:
    """`text` ending in a full stop (unless it already ends a sentence)."""
    return text if not text or text[-1] in ".!?" else text + "."


def scope_value_text(item: Item, value: Any) -> str:
    """A scope answer as plain text (escape it before use)."""
    if value is None or value == "" or value == []:
        return ""
    if item.assessment_field == "principles":
        return ", ".join(PRINCIPLE_LABELS.get(p, str(p)) for p in value)
    if item.assessment_field == "period_months":
        return f"{value} months"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (list, tuple)):
        if item.options:
            return ", ".join(item.option_label(v) for v in value)
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if item.options:
        return item.option_label(value)
    return str(value)
