"""6. Not assessed: the applicable questions without an answer."""

from __future__ import annotations

from soc2_tui.labels import plural
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.text import effort_text, title_text
from soc2_tui.reports.tables import esc, table


def render(ctx: ReportContext) -> str:
    items = ctx.result.not_assessed
    out = ["## Not assessed"]
    if not items:
        out.append("Every applicable question has an answer.")
        return "\n\n".join(out)
    out.append(f"{plural(len(items), 'applicable question')} {'has' if len(items) == 1 else 'have'} no "
               "answer yet. They count as not started in the scores above, and some of them may be gaps.")
    section_titles = {s.id: s.title for s in ctx.q.sections}
    rows = [[esc(i.id), esc(section_titles.get(i.section, i.section)), title_text(i), i.severity,
             effort_text(i)] for i in items]
    out.append(table(["Id", "Section", "Title", "Severity", "Effort"], rows))
    return "\n\n".join(out)
