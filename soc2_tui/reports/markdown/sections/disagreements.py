"""13. Unresolved disagreements: items whose status (a scope question: its value) respondents set
differently since it was last resolved, with who said what and when. Left out when there are none."""

from __future__ import annotations

import json

from soc2_tui.labels import plural
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.text import scope_value_text, stamp, status_label, title_text
from soc2_tui.reports.tables import esc, esc_or_dash, table


def render(ctx: ReportContext) -> str | None:
    found = ctx.disagreements
    if not found:
        return None
    out = ["## Unresolved disagreements",
           f"{plural(len(found), 'item')} were answered differently by different respondents and not yet resolved "
           "(resolve one with `soc2-tui disagreements NAME --resolve ITEM --note …`). Each respondent's latest "
           "answer, oldest first; times in UTC."]
    rows = []
    for d in found:
        item = ctx.q.items.get(d.item_id)
        said = []
        for p in d.positions:
            if d.field == "status":
                value = status_label(item, p.value)
            elif item is not None:
                value = esc(scope_value_text(item, p.value))
            else:
                value = esc(json.dumps(p.value, ensure_ascii=False))
            said.append(f"{esc_or_dash(p.respondent)}: {value} ({stamp(p.at)})")
        rows.append([esc(d.item_id), title_text(item) if item else "*no longer in the question bank*",
                     "; ".join(said), stamp(d.resolved_at) if d.resolved_at else "never"])
    out.append(table(["Id", "Item", "Who said what", "Last resolved"], rows))
    return "\n\n".join(out)
