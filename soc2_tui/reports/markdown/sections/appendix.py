"""15. Appendix: every answer in question order with its details, who gave it and when; answers
to questions no longer in the banks come last."""

from __future__ import annotations

import json

from soc2_tui.labels import DASH, plural
from soc2_tui.model import Answer
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.text import scope_value_text, stamp, status_label, title_text
from soc2_tui.reports.tables import esc, esc_or_dash, shorten, table

APPENDIX_SCOPE_CHARS = 100  # long scope answers are shown in full in the Scope section


def render(ctx: ReportContext) -> str:
    out = ["## Appendix: every answer"]
    answers = ctx.answers
    known = [i for i in ctx.q.items.values() if i.id in answers and answers[i.id].answered]
    n = len(known) + len(ctx.orphans)
    if not n:
        out.append("No answers yet.")
        return "\n\n".join(out)
    out.append(f"All {plural(n, 'answer')} in question order, with who gave each one (who set the status or "
               "value) and when (UTC). Long scope answers are shortened here; the Scope section shows them in full.")
    rows = []
    for item in known:
        ans = answers[item.id]
        if item.kind == "scope":
            shown = esc_or_dash(shorten(scope_value_text(item, ans.value), APPENDIX_SCOPE_CHARS))
        else:
            shown = status_label(item, ans.status)
        rows.append([esc(item.id), title_text(item), shown, _details(ans), esc_or_dash(ans.answered_by),
                     stamp(ans.answered_at)])
    for iid in ctx.orphans:
        ans = answers[iid]
        shown = status_label(None, ans.status) if ans.status else esc_or_dash(shorten(json.dumps(
            ans.value, ensure_ascii=False), 80) if ans.value is not None else "")
        rows.append([esc(iid), "*no longer in the question bank*", shown, _details(ans),
                     esc_or_dash(ans.answered_by), stamp(ans.answered_at)])
    out.append(table(["Id", "Item", "Answer", "Details", "By", "When"], rows))
    return "\n\n".join(out)


def _details(ans: Answer) -> str:
    """The answer's other fields in one cell: 'owner: …; due: …; flagged for follow-up'. By/When
    are who set the status; notes written by someone else name their author ('notes (by Lee): …')."""
    notes = f"notes (by {esc(ans.notes_by)})" if ans.notes_by and ans.notes_by != ans.answered_by else "notes"
    parts = []
    for label, value in (("owner", ans.owner), ("due", ans.due_date), ("operating since", ans.operating_since),
                         ("last reviewed", ans.last_reviewed), ("approver", ans.approver),
                         ("evidence", ans.evidence), (notes, ans.notes)):
        if value and str(value).strip():
            parts.append(f"{label}: {esc(value)}")
    if ans.flagged:
        parts.append("flagged for follow-up")
    return "; ".join(parts) or DASH
