"""9. Roadmap: the earliest report date, what keeping the planned period would mean, the target
report date, the four phases as a table and a Mermaid gantt chart, and the open items per phase.
The estimate itself is soc2_tui.roadmap.plan (docs/report.md, "The roadmap estimate")."""

from __future__ import annotations

from datetime import timedelta

from soc2_tui import roadmap
from soc2_tui.labels import DASH, plural
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.text import effort_text, status_label, title_text
from soc2_tui.reports.tables import bullets, esc, table

_DAY = timedelta(days=1)
_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 8: "eight"}


def render(ctx: ReportContext) -> str:
    out = ["## Roadmap", bullets(_headlines(ctx)), _phase_table(ctx), _how_estimated(ctx),
           "```mermaid\n" + roadmap.gantt(ctx.plan, ctx.a.report_type) + "\n```"]
    out += _open_items(ctx)
    out.append("### Formal audit")
    out.append("The auditor tests samples from the period, asks follow-up questions and writes the report. "
               "Keep the evidence for every control organised by criterion so requests are answered in days, "
               "not weeks.")
    return "\n\n".join(out)


def _headlines(ctx: ReportContext) -> list[str]:
    """The bullets above the phase table: the dates and the assumptions behind them."""
    p = ctx.plan
    kind = "audit period" if ctx.type2 else "as-of date"
    lines = [f"**Earliest report date: about {p.report_date.isoformat()}**, if the open work starts today "
             f"({ctx.today.isoformat()}) and the {kind} "
             + ("follows it." if p.moved_from or not ctx.a.period_start else "is kept as planned.")]
    planned = _planned_period(ctx)
    if planned:
        lines.append(planned)
    target = _target_date(ctx)
    if target:
        lines.append(target)
    if p.period_assumed:
        lines.append(f"No audit period length is set; the estimate assumes {roadmap.DEFAULT_PERIOD_MONTHS} "
                     "months, a common first period.")
    assumed = sum(1 for ph in p.phases for t in ph.tasks if t.item is not None and not t.item.effort)
    if assumed:
        lines.append(f"{plural(assumed, 'open item')} {'has' if assumed == 1 else 'have'} no effort in "
                     f"{'its' if assumed == 1 else 'their'} question bank; the estimate assumes "
                     f"{roadmap.ASSUMED_EFFORT} ({roadmap.EFFORT_WEEKS[roadmap.ASSUMED_EFFORT]:g} weeks) "
                     f"and marks {'it' if assumed == 1 else 'them'} \"{roadmap.ASSUMED_EFFORT} assumed\".")
    if p.open_questions:
        lines.append(f"{plural(p.open_questions, 'question')} {'is' if p.open_questions == 1 else 'are'} still "
                     "open; any gaps they reveal move the dates later.")
    return lines


def _planned_period(ctx: ReportContext) -> str | None:
    """When the estimate had to move the planned period: that it is over, or what keeping it means."""
    p, type2 = ctx.plan, ctx.type2
    if not p.moved_from:
        return None
    if p.planned_over:
        what = (f"period** ({p.moved_from.isoformat()} to "
                f"{roadmap.period_end(p.moved_from, p.period_months or 0)})" if type2
                else f"as-of date** ({p.moved_from.isoformat()})")
        return (f"**The planned {what} is already over and the open work is not done; the estimate "
                f"plans a new {'period' if type2 else 'date'}.")
    if not p.planned_report:
        return None
    # The period was moved to start when the open work is done: the end of implementation.
    ready = p.phase("implementation").end
    if type2:
        planned = f"{p.moved_from.isoformat()} to {roadmap.period_end(p.moved_from, p.period_months or 0)}"
        return (f"**Keeping the planned period** ({planned}): about {p.planned_report.isoformat()}, but the "
                f"open work needs until about {ready.isoformat()}, and a control switched on after "
                "the period starts cannot be shown to have operated for all of it: expect an exception in "
                "the report for each one.")
    return (f"**Keeping the planned as-of date** ({p.moved_from.isoformat()}): about "
            f"{p.planned_report.isoformat()}, but the open work needs until about "
            f"{ready.isoformat()}; controls not in place on that date are exceptions.")


def _target_date(ctx: ReportContext) -> str | None:
    """Whether the estimate meets the target report date from the scope answers (if one is set):
    the timeline verdict's own figures (soc2_tui.timeline), so the two sections cannot disagree."""
    t, p = ctx.timeline, ctx.plan
    if t.target is None:
        return None
    if t.target_met:
        verdict = "the estimate meets it."
    else:
        verdict = f"the estimate misses it by about {plural(t.weeks_late, 'week')}"
        if p.planned_report and p.planned_report <= t.target:
            verdict += "; only keeping the planned period (with exceptions) would meet it."
        else:
            verdict += "."
    return f"**Target report date:** {t.target.isoformat()} (from the scope answers): {verdict}"


def _phase_table(ctx: ReportContext) -> str:
    p = ctx.plan
    rows = []
    for ph in p.phases:
        if ph.key == "audit_period":
            length = (f"{p.period_months} months" if ctx.type2 else "1 day")
        elif ph.key == "formal_audit":
            length = f"{roadmap.FIELDWORK_WEEKS} weeks"
        else:
            length = plural(int(ph.weeks), "week") if ph.weeks else "nothing open"
        dates = ([ph.start.isoformat(), (ph.end - _DAY).isoformat()] if ph.days > 0 else [DASH, DASH])
        count = str(len(ph.tasks)) if ph.key != "formal_audit" else DASH
        rows.append([ph.name, ph.what, count, length, *dates])
    return table(["Phase", "What happens", "Open items", "Length", "From", "To"], rows, "llrlll")


def _how_estimated(ctx: ReportContext) -> str:
    return ("How this is estimated: each open item takes S = 1 week, M = 4 weeks or L = 12 weeks "
            "(half that when it is in progress; nothing when it is implemented and only has to keep "
            "operating). A phase lasts as long as its longest item, or its total work shared by "
            f"{_WORDS.get(ctx.plan.streams, ctx.plan.streams)} parallel work streams "
            + ("(for the company's size), " if ctx.ans("company_size").value else "(the company's size is not "
               "answered), ")
            + "whichever is longer. Preparation comes "
            "first, then implementation, then the audit period"
            + (" " if ctx.type2 else " (for Type I, a single date) ")
            + f"and about {_WORDS.get(roadmap.FIELDWORK_WEEKS, roadmap.FIELDWORK_WEEKS)} weeks of fieldwork "
            "and report writing. "
            "See docs/report.md for the formula.")


def _open_items(ctx: ReportContext) -> list[str]:
    """A sub-section per phase before the formal audit, listing its open items."""
    explain = {
        "preparation": _preparation(ctx.plan.phases[0].tasks),
        "implementation": "Build and switch on the controls that are not in place yet.",
        "audit_period": ("These controls are in place but not yet operating with evidence: keep them "
                         "running from the first day of the period and keep the evidence."
                         if ctx.type2 else "Nothing to run over time for a Type I report."),
    }
    out = []
    for ph in ctx.plan.phases[:3]:
        out.append(f"### {ph.name} ({len(ph.tasks)})")
        if not ph.tasks:
            out.append("Nothing open.")
            continue
        out.append(explain[ph.key])
        lines = []
        for t in ph.tasks:
            if t.item is None:
                lines.append(f"{esc(t.title)} (about {plural(int(t.weeks), 'week')})")
            else:
                lines.append(f"**{esc(t.id)}** {title_text(t.item)}: {status_label(t.item, t.status)}, "
                             f"{t.item.severity}, effort {effort_text(t.item)}")
        out.append(bullets(lines))
    return out


def _preparation(tasks: list[roadmap.Task]) -> str:
    """What preparation holds here, from its tasks (not a fixed text: an auditor already chosen is
    not to be engaged again)."""
    parts = []
    if any(t.item is not None for t in tasks):
        parts.append("write and approve the missing policies")
    if any(t.id == "auditor" for t in tasks):
        parts.append("choose and engage an auditor")
    if any(t.id == "questions" for t in tasks):
        parts.append("answer the open questions")
    if not parts:
        return "Nothing to prepare."
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text[0].upper() + text[1:] + "."
