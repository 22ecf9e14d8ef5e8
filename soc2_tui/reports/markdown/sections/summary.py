"""2. Executive summary: the overall band and score, a table per principle and the gaps to
close first."""

from __future__ import annotations

from soc2_tui.labels import band_label, fmt_pct, fmt_score, plural, report_type_label
from soc2_tui.model import PRINCIPLE_LABELS
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.text import effort_text, points_text, score_cell, status_label, title_text
from soc2_tui.reports.tables import esc, table

TOP_GAPS = 5  # gaps listed under "Close these first"


def render(ctx: ReportContext) -> str:
    res = ctx.result
    o = res.overall
    target = ("*operating*: in place and working throughout the audit period, with evidence" if ctx.type2
              else "*implemented*: designed and in place on the report date")
    how = (f"A control counts in full only when it is {target}; anything less is a gap. "
           "Unanswered questions count as not started. Bands: *Ready* is 90 or more with every "
           "question answered and no critical gap; *Nearly ready* is 75 or more; *Needs work* is 50 "
           "or more; below that is *Not ready*. The overall band is the weakest principle's band.")
    rows = [[PRINCIPLE_LABELS[p], score_cell(s.score), band_label(s.band), fmt_pct(s.coverage),
             str(s.gaps), str(s.critical_gaps)] for p, s in res.principles.items()]
    rows.append(["**Overall**", score_cell(o.score), band_label(o.band), fmt_pct(o.coverage),
                 str(o.gaps), str(o.critical_gaps)])
    tbl = table(["Principle", "Readiness", "Band", "Coverage", "Gaps", "Critical gaps"], rows, "llllrr")
    return "\n\n".join(["## Executive summary", _headline(ctx), tbl, how, *_timeline(ctx),
                        "### Close these first", _close_first(ctx)])


def _timeline(ctx: ReportContext) -> list[str]:
    """Where the period stands, the target date met or missed, and the options with their dates."""
    t = ctx.timeline
    line = f"{t.period} The estimate's earliest report date is about {t.estimate.isoformat()}"
    if t.target is None:
        line += "; no target report date is set (a scope question)."
    elif t.target_met:
        line += f", which meets the target report date ({t.target.isoformat()})."
    else:
        line += (f", which **misses the target report date ({t.target.isoformat()}) by about "
                 f"{plural(t.weeks_late, 'week')}**.")
    out = ["### Timeline", line]
    if t.options:
        out.append("The options, each with its likely report date (the roadmap below explains the estimate):")
        out.append(table(["Option", "Report about", "What it means"],
                         [[o.title, o.report_date.isoformat()
                           + (" (meets the target)" if t.target and o.report_date <= t.target else ""), o.note]
                          for o in t.options], "lll"))
    return out


def _headline(ctx: ReportContext) -> str:
    res = ctx.result
    o = res.overall
    kind = report_type_label(ctx.a.report_type)
    if o.score is None:
        return (f"**Overall: not scored yet.** No applicable question has an answer, so there is "
                f"nothing to score for a SOC 2 {kind} report.")
    gaps = (f"{plural(len(res.gaps), 'gap')}, {len(res.critical_gaps)} of them critical" if res.gaps
            else "no gaps so far")
    head = (f"**Overall: {band_label(o.band)}, {fmt_score(o.score)} out of 100** for a SOC 2 {kind} "
            f"report. {o.answered} of {o.applicable} applicable questions are answered; {gaps}.")
    if o.coverage is not None and o.coverage < 0.5:
        head += (f" With only {fmt_pct(o.coverage)} of the questions answered, treat the score as "
                 "provisional.")
    return head


def _close_first(ctx: ReportContext) -> str:
    """The TOP_GAPS highest-priority gaps as a numbered list, with the points closing each adds."""
    res = ctx.result
    top = res.gaps[:TOP_GAPS]
    if not top:
        return ("No gaps: every answered question meets the target."
                + (f" {plural(len(res.not_assessed), 'question')} still "
                   f"need{'s' if len(res.not_assessed) == 1 else ''} an answer."
                   if res.not_assessed else ""))
    lines = []
    for n, g in enumerate(top, 1):
        lines.append(f"{n}. **{esc(g.item.id)}** {title_text(g.item)}: {status_label(g.item, g.status)}, "
                     f"{g.item.severity}, effort {effort_text(g.item)}; closing it adds "
                     f"{points_text(g.points)}.")
    return "\n".join(lines)
