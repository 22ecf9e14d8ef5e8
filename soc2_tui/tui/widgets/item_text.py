"""The words the app shows about one item: its effort and frequency, a change in its history, and
what closing it would add to the scores. Plain text (no Textual); the item pane and the policy
checklist style it.
"""

from __future__ import annotations

from soc2_tui.labels import points_text as gain_text
from soc2_tui.labels import report_type_label, status_label
from soc2_tui.model import Answer, Change, Item
from soc2_tui.scoring import TARGET, Result, is_gap, points_if_closed
from soc2_tui.terminal import safe

FIELD_NAMES = {
    "status": "status", "notes": "notes", "evidence": "evidence reference", "owner": "owner",
    "due_date": "due date", "operating_since": "operating since", "flagged": "follow-up flag",
    "value": "answer", "last_reviewed": "last reviewed", "approver": "approver",
}
EFFORT_LABEL = {"S": "small effort", "M": "medium effort", "L": "large effort"}
FREQUENCY_LABEL = {
    "continuous": "continuous", "daily": "daily", "weekly": "weekly", "monthly": "monthly",
    "quarterly": "quarterly", "annually": "yearly", "per_event": "per event",
}


def when(stamp: str) -> str:
    """'2026-11-20T14:03:00.123Z' -> '2026-11-20 14:03 UTC'."""
    if len(stamp) >= 16 and stamp[10] == "T":
        return f"{stamp[:10]} {stamp[11:16]} UTC"
    return stamp


def describe_change(change: Change, policy: bool = False) -> str:
    """One line such as "Status set to Operating by Dana, 2026-11-20 14:03 UTC" (its control
    characters shown visibly: the name and the value were typed by someone)."""
    who = change.changed_by or "someone who gave no name"
    f = change.field
    names = {**FIELD_NAMES, "evidence": "document"} if policy else FIELD_NAMES
    if f == "status":
        what = f"Status set to {status_label(change.new, policy)}" if change.new else "Status cleared"
    elif f == "flagged":
        what = "Flagged for follow-up" if change.new == "1" else "Follow-up flag removed"
    elif f == "resolved":  # a disagreement settled (Store.resolve): the note says what was agreed
        what = f"Disagreement resolved: {change.new}"
    elif f in ("notes", "value"):
        what = f"{names[f].capitalize()} edited" if change.new else f"{names[f].capitalize()} cleared"
    elif change.new:
        what = f"{names.get(f, f).capitalize()} set to {change.new}"
    else:
        what = f"{names.get(f, f).capitalize()} cleared"
    return safe(f"{what} by {who}, {when(change.changed_at)}")  # a typed name or value, shown visibly


def points_text(item: Item, answer: Answer | None, result: Result) -> str:
    """What closing this item would add to the scores (the 'points if closed')."""
    status = answer.status if answer else None
    rt = result.report_type
    if status == "not_applicable":
        return "Marked not applicable: it does not count towards the score."
    if status and not is_gap(status, rt):
        return f"At target for a {report_type_label(rt)} report: nothing left to gain."
    gain = gain_text(points_if_closed(item, status, result), capitalised=True)
    target = status_label(TARGET[rt]).lower()
    return f"Reaching {target} would add {gain}." if gain else ""
