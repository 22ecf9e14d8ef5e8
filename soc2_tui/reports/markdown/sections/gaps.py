"""5. Gaps by priority: a summary table, then one block per gap with what it takes to close it."""

from __future__ import annotations

from collections.abc import Mapping

from soc2_tui.labels import NOT_PROVIDED, plural, provided
from soc2_tui.model import parse_date
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.text import effort_text, points_text, status_label, title_text
from soc2_tui.reports.tables import bullets, esc, esc_or_dash, table
from soc2_tui.scoring import Gap


def render(ctx: ReportContext) -> str:
    res = ctx.result
    out = ["## Gaps by priority"]
    if not res.gaps:
        if res.overall.answered:
            out.append("No gaps: every answered question is "
                       + ("operating." if ctx.type2 else "implemented or operating.")
                       + " Questions marked not applicable are left out.")
        else:
            out.append("No gaps yet: no applicable question has an answer.")
        return "\n\n".join(out)
    out.append(f"{plural(len(res.gaps), 'gap')}: answered questions below the target status "
               f"(*{res.target}*), most important first (severity, then weight, then the points "
               "closing it adds). Points if closed: what the overall score rises by, then in brackets what each "
               "principle's score rises by; only the overall points compare across gaps.")
    # Worked out once per gap / criterion, used in the table and the details below.
    points = [points_text(g.points) for g in res.gaps]
    statuses = [status_label(g.item, g.status) for g in res.gaps]
    criteria = {cid: f"{esc(cid)} {esc(c.title)}" for cid, c in ctx.q.criteria.items()}
    rows = [[str(n), esc(g.item.id), title_text(g.item), status, g.item.severity, effort_text(g.item), pts]
            for n, (g, status, pts) in enumerate(zip(res.gaps, statuses, points), 1)]
    out.append(table(["#", "Id", "Title", "Status", "Severity", "Effort", "Points if closed"], rows,
                     "rllllll"))
    for n, (g, status, pts) in enumerate(zip(res.gaps, statuses, points), 1):
        out.append(f"### {n}. {esc(g.item.id)}: {title_text(g.item)}")
        out.append(_details(ctx, g, status, pts, criteria))
    return "\n\n".join(out)


def _details(ctx: ReportContext, g: Gap, status: str, pts: str, criteria: Mapping[str, str]) -> str:
    """One gap's bullet list: the question, what to do, and what the answer records."""
    item, ans = g.item, ctx.ans(g.item.id)
    lines = [
        f"**Question:** {esc(item.question)}",
        f"**Status:** {status} (target: {ctx.result.target})",
        f"**Severity:** {item.severity} · **Effort:** {effort_text(item, weeks=True)}",
        f"**Points if closed:** {pts}",
        "**Criteria:** " + "; ".join(criteria.get(c) or esc(c) for c in item.criteria),
        f"**Remediation:** {esc(provided(item.remediation))}",
    ]
    text = bullets(lines)
    if item.evidence:
        text += "\n- **Typical evidence:**\n" + "\n".join(f"  - {esc(e)}" for e in item.evidence)
    else:
        text += f"\n- **Typical evidence:** {NOT_PROVIDED}"
    extra = []
    if ans.owner.strip() or ans.due_date:
        who = f"**Owner:** {esc_or_dash(ans.owner)}"
        if ans.due_date:
            due = parse_date(ans.due_date)
            late = " (overdue)" if due and due < ctx.today else ""
            who += f" · **Due:** {esc(ans.due_date)}{late}"
        extra.append(who)
    if ans.evidence.strip():
        extra.append(f"**Evidence recorded:** {esc(ans.evidence)}")
    if ans.notes.strip():
        extra.append(f"**Notes:** {esc(ans.notes)}")
    if extra:
        text += "\n" + bullets(extra)
    return text
