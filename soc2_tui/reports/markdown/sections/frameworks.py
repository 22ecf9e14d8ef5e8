"""14. Coverage of other frameworks: per declared framework, how many of its controls the question
bank's references touch and how many of those the answers make ready (docs/frameworks.md). One
row per framework, never every control; indicative, not a certification."""

from __future__ import annotations

from soc2_tui.crosswalk import coverage, frameworks
from soc2_tui.errors import ContentError
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.tables import esc, table


def render(ctx: ReportContext) -> str | None:
    try:
        declared = frameworks.declared()
    except ContentError as exc:  # a broken framework file must not cost the whole report
        return ("## Coverage of other frameworks\n\nThe framework files could not be read "
                f"({esc(exc.problems[0])}); `soc2-tui validate` lists every problem.")
    if not declared:
        return None
    found = coverage.all_coverage(declared, ctx.q, ctx.answers, ctx.result)
    target = "operating" if ctx.type2 else "implemented or operating"
    out = ["## Coverage of other frameworks",
           "Indicative only: how these answers read against other frameworks, through the references "
           "the question bank's items make to them. A control is *touched* when at least one item references "
           f"it, and *ready* when every referencing item in force is {target}. This is not a certification "
           "or an assessment against those frameworks, and ISO, the CSA and NIST have not endorsed the mapping."]
    shown = [c for c in found if c.touched]
    if shown:
        rows = [[esc(c.framework.name), esc(c.framework.version), f"{c.touched} of {c.total}", str(c.ready),
                 str(c.count("not_ready")), str(c.count("not_applicable"))] for c in shown]
        out.append(table(["Framework", "Version", "Controls touched", "Ready", "Not ready", "Not applicable here"],
                         rows))
    untouched = [esc(c.framework.name) for c in found if not c.touched]
    tail = []
    if untouched:
        tail.append(f"Not referenced by the loaded question banks: {', '.join(untouched)}.")
    tail.append("Control by control: `soc2-tui coverage NAME --framework ID`.")
    out.append(" ".join(tail))
    return "\n\n".join(out)
