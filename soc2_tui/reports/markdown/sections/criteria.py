"""4. Readiness by criterion: per principle in scope, every criterion of the Trust Services
Criteria with its readiness, answered/applicable questions and gaps."""

from __future__ import annotations

from soc2_tui.labels import DASH
from soc2_tui.model import PRINCIPLE_LABELS
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.text import score_cell
from soc2_tui.reports.tables import esc, table


def render(ctx: ReportContext) -> str:
    out = ["## Readiness by criterion",
           "Each question supports one or more criteria of the Trust Services Criteria; a criterion's "
           "readiness counts the questions that support it. *Not assessed*: none of its questions is "
           "answered yet, so it has no readiness and no gaps to show."]
    for p in ctx.result.principles:
        out.append(f"### {PRINCIPLE_LABELS[p]}")
        rows = []
        for cid, crit in ctx.q.criteria.items():
            if crit.principle != p:
                continue
            s = ctx.result.criteria.get(cid)
            if s is None:
                rows.append([esc(cid), esc(crit.title), "no questions apply", DASH, DASH])
            elif s.answered == 0:  # a score of 0 and no gaps would read as judged and empty
                rows.append([esc(cid), esc(crit.title), "not assessed", f"0/{s.applicable}", DASH])
            else:
                rows.append([esc(cid), esc(crit.title), score_cell(s.score), f"{s.answered}/{s.applicable}",
                             str(s.gaps)])
        out.append(table(["Criterion", "Title", "Readiness", "Answered", "Gaps"], rows, "lllrr"))
    return "\n\n".join(out)
