"""10. What the auditor will also need, beyond the controls: the system description behind
management's assertion (DC 200), bridge letters for subservice organisations, the likely
exceptions and what they mean for the opinion, and a rough range for the audit fee
(docs/report.md, "What the auditor will also need")."""

from __future__ import annotations

from soc2_tui import budget
from soc2_tui.labels import plural
from soc2_tui.model import Item
from soc2_tui.reports.markdown.context import ReportContext, mentions_exception
from soc2_tui.reports.markdown.text import id_list
from soc2_tui.reports.tables import bullets, esc, table

# The elements of a system description (DC 200), each with the scope questions that answer it.
ELEMENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("The services the system provides", ("system_description",)),
    ("Principal service commitments", ("customer_commitments",)),
    ("System requirements (laws, regulations, policies)", ("system_requirements",)),
    ("Infrastructure", ("component_infrastructure",)),
    ("Software", ("component_software",)),
    ("People", ("component_people",)),
    ("Procedures", ("component_procedures",)),
    ("Data", ("component_data",)),
    ("Subservice organisations and how the report treats them", ("subservice_orgs", "subservice_method")),
    ("Controls assumed at carved-out subservice organisations (CSOCs)", ("csocs",)),
    ("Controls the customers must operate (CUECs)", ("cuecs",)),
    ("System incidents", ("system_incidents",)),
    ("Significant changes during the period", ("significant_changes",)),
    ("Criteria that do not apply, and why", ("excluded_criteria",)),
)


def render(ctx: ReportContext) -> str:
    out = ["## What the auditor will also need",
           "Controls are most of the work, not all of it. These are the other parts of a SOC 2 report "
           "that the answers already say something about."]
    out += _description(ctx)
    out += _bridge_letters(ctx)
    out += _exceptions(ctx)
    out += _small_team(ctx)
    out += _budget(ctx)
    return "\n\n".join(out)


def _small_team(ctx: ReportContext) -> list[str]:
    """What an auditor accepts from a team of ten or fewer (the scope answer company_size)."""
    if ctx.scope_vals.get("company_size") != "1-10":
        return []
    board = ctx.scope_vals.get("has_board")
    return ["### A team of ten or fewer",
            "Auditors scale what they expect, but not what must be true. Two points come up in every "
            "small company's audit:",
            bullets([
                "**Oversight (CC1.2).** " + ("The scope answers name a board or advisory body: keep the minutes "
                                             "of its yearly security session." if board is True else
                                             "Without a board, an advisory body with at least one member "
                                             "independent of management (an investor, an experienced adviser) "
                                             "meeting at least once a year on security, with minutes, meets it."),
                "**Segregation of duties (CC5.1, CC8.1).** Where one engineer can both write and ship a change, "
                "or grant access and use it, show compensating controls: every change to production reviewed "
                "by someone else (before, or soon after for emergencies), access grants and the logs of "
                "administrator actions reviewed by a second person on a schedule, with the review kept.",
            ])]


def _answered(ctx: ReportContext, item: Item) -> bool:
    value = ctx.scope_answer(item)
    if isinstance(value, str):
        return bool(value.strip())
    return value not in (None, [], ())


def _description(ctx: ReportContext) -> list[str]:
    rows, answered, needed = [], 0, 0
    for element, ids in ELEMENTS:
        items = [ctx.q.items[i] for i in ids if i in ctx.q.items]
        if not items:
            continue
        applies = [i for i in items if ctx.scope_applies(i)]
        if not applies:
            state = "not needed (by the scope answers)"
        elif all(_answered(ctx, i) for i in applies):
            state, answered = "answered", answered + 1
        else:
            state = "**missing**"
        needed += bool(applies)
        rows.append([element, ", ".join(esc(i.title) for i in items), state])
    verb = "operating effectively through the period" if ctx.type2 else "suitably designed on the report date"
    return ["### System description and management's assertion",
            f"Management signs an assertion that the system description is fairly presented and the controls "
            f"are {verb}. The description is written from the scope answers: {answered} of {needed} of "
            "its elements are answered.",
            table(["Element of the description", "Scope question", "State"], rows, "lll")]


def _bridge_letters(ctx: ReportContext) -> list[str]:
    out = ["### Bridge letters for subservice organisations"]
    orgs = ctx.scope_vals.get("subservice_orgs")
    if ctx.scope_vals.get("uses_subservice_orgs") is not True:
        out.append("No subservice organisation is in use (scope answers), so no bridge letter is needed.")
        return out
    if not isinstance(orgs, list) or not orgs:
        out.append("Subservice organisations are used but none is listed in the scope answers: list them, "
                   "then plan a report (and perhaps a bridge letter) for each.")
        return out
    end = ctx.period_end or ctx.plan.period_end
    when = end.isoformat() if end else "your period's end"
    out.append(f"For each provider, get its latest SOC 2 report and read its exceptions and the controls it "
               f"expects of you. When its period ends before yours ({when}), ask it for a **bridge letter** "
               "covering the gap: a written statement by the provider's management that nothing material "
               "changed since its period ended. It is a representation, not audited, so plan it early and "
               "ask for it shortly after your period ends.")
    rows = [[esc(org), "its latest SOC 2 report (or ISO 27001 certificate with its statement of applicability)",
             f"a bridge letter to {when}, if its period ends earlier"] for org in orgs]
    out.append(table(["Subservice organisation", "Collect", "Plan"], rows, "lll"))
    return out


def _exceptions(ctx: ReportContext) -> list[str]:
    out = ["### Likely exceptions and the opinion"]
    t = ctx.timeline
    flagged = [i for i in ctx.recorded_exceptions if i[1].flagged]
    noted = [i for i in ctx.recorded_exceptions if mentions_exception(i[1])]
    if ctx.type2 and ctx.period_start:
        late = {item.id for item in t.exceptions}
        out.append(f"With the period starting on {ctx.period_start.isoformat()}, "
                   f"{plural(len(late), 'applicable item')} {'is' if len(late) == 1 else 'are'} not operating with "
                   "evidence from its first day: each is a likely exception (the evidence window lists them)."
                   + _recorded(flagged, noted))
    elif ctx.type2:
        out.append("No period start is set, so the likely exceptions cannot be counted yet."
                   + _recorded(flagged, noted))
        late = set()
    else:
        late = {g.item.id for g in ctx.result.gaps if g.status in (None, "not_started", "in_progress")}
        out.append(f"{plural(len(late), 'applicable item')} {'is' if len(late) == 1 else 'are'} not in place yet: "
                   "on the report date each would be a design exception." + _recorded(flagged, noted))
    at_risk = _criteria_at_risk(ctx, late)
    out.append("An exception on its own is described in the report with management's response; the "
               "opinion is **qualified** when exceptions mean a criterion is not met, which is what "
               "customers read first. "
               + (f"Every applicable control of {plural(len(at_risk), 'criterion', 'criteria')} "
                  f"({id_list(at_risk)}) is among the likely exceptions: these are the risk of a qualified "
                  f"opinion, so close them {_before(ctx)}, or move the period."
                  if at_risk else "No criterion has all of its controls among the likely exceptions."))
    return out


def _before(ctx: ReportContext) -> str:
    start = ctx.period_start
    if not ctx.type2:
        return "before the report date"
    return "now" if start is not None and start <= ctx.today else "before the period starts"


def _recorded(flagged: list, noted: list) -> str:
    parts = []
    if flagged:
        parts.append(f"{plural(len(flagged), 'item')} flagged for follow-up")
    if noted:
        parts.append(f"{plural(len(noted), 'item')} whose notes mention an exception "
                     f"({id_list([i.id for i, _a in noted])})")
    return (" The team has also recorded " + " and ".join(parts) + ".") if parts else ""


def _criteria_at_risk(ctx: ReportContext, late: set[str]) -> list[str]:
    """Criteria in scope whose every applicable control (policies aside) is a likely exception. A
    control in force may also support criteria of a principle out of scope: those are not counted."""
    in_scope = ctx.result.criteria
    by_criterion: dict[str, list[str]] = {}
    for item, _ans in ctx.in_force:
        if item.kind != "control":
            continue
        for cid in item.criteria:
            if cid in in_scope:
                by_criterion.setdefault(cid, []).append(item.id)
    return sorted(c for c, ids in by_criterion.items() if ids and all(i in late for i in ids))


def _budget(ctx: ReportContext) -> list[str]:
    b = budget.estimate(ctx.a.report_type, ctx.a.principles, ctx.a.period_months,
                        ctx.scope_vals.get("company_size"), ctx.result.overall.score)
    out = ["### The audit budget (a rough range)",
           f"**About {budget.money(b.low)} to {budget.money(b.high)}** for the audit firm's fee: a rough "
           "range to plan with, not a quote. Firms price on their own terms and quotes for the same company "
           "can differ by a factor of two. What drives it here:",
           bullets(list(b.drivers))]
    if b.readiness_work:
        out.append("Closing the gaps first is a cost of its own and not in that range: a readiness "
                   "consultant, a compliance tool, and the engineering time the roadmap estimates.")
    out.append("See docs/report.md for how the range is made.")
    return out
