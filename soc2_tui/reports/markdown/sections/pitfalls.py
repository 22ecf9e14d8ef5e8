"""11. Common pitfalls: which of six mistakes that often delay a first SOC 2 audit the answers
point to, why, and what to do (docs/report.md, "Pitfall signals")."""

from __future__ import annotations

from collections.abc import Callable

from soc2_tui.labels import plural
from soc2_tui.model import Item
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.text import id_list
from soc2_tui.reports.tables import table


def render(ctx: ReportContext) -> str:
    found = [(name, advice, signals(ctx)) for name, advice, signals in PITFALLS]
    hit = [(name, advice, why) for name, advice, why in found if why]
    clear = [name for name, _advice, why in found if not why]
    pointed = ("The answers point to none of them." if not hit
               else f"The answers point to {'one' if len(hit) == 1 else len(hit)} of them.")
    out = ["## Common pitfalls", "Six mistakes often delay a first SOC 2 audit. " + pointed]
    if hit:
        rows = [[name, "; ".join(why), advice] for name, advice, why in hit]
        out.append(table(["Pitfall", "What the answers show", "What to do"], rows))
    if clear:
        out.append("No sign of: " + ", ".join(n.lower() for n in clear) + ".")
    return "\n\n".join(out)


# -- the signals: each returns why the answers point to the pitfall (empty: no sign of it)


def _gaps_where(ctx: ReportContext, pred: Callable[[Item], bool]) -> list[str]:
    return [g.item.id for g in ctx.result.gaps if pred(g.item)]


def _incomplete_evidence(ctx: ReportContext) -> list[str]:
    why = []
    late = [item.id for item, _since in ctx.late_starts] if ctx.type2 else []
    if late:
        why.append(f"{plural(len(late), 'control')} started after the period start ({id_list(late)})")
    na = [w.item_id for w in ctx.warnings_of("na_without_note")]
    if na:
        why.append(f"{plural(len(na), 'item')} marked not applicable without a reason ({id_list(na)})")
    return why


def _scope_creep(ctx: ReportContext) -> list[str]:
    why = []
    changes = [c for c in ctx.history if c.item_id == "principles" and c.field == "principles"]
    if changes:
        why.append(f"the principles in scope changed {plural(len(changes), 'time')}")
    sv, principles = ctx.scope_vals, ctx.a.principles
    kinds = sv.get("data_kinds")
    if "availability" in principles and sv.get("has_uptime_sla") is False:
        why.append("availability is in scope without an uptime or recovery commitment")
    if "confidentiality" in principles and isinstance(kinds, list) and "customer_confidential" not in kinds:
        why.append("confidentiality is in scope but no customer confidential data is handled")
    if "privacy" in principles and isinstance(kinds, list) and not {"personal", "employee"} & set(kinds):
        why.append("privacy is in scope but no personal or employee data is handled")
    planned = sv.get("significant_changes")
    if isinstance(planned, str) and planned.strip().strip(".").lower() not in ("", "none", "no", "n/a"):
        why.append("the scope answers list significant changes made or planned during the period; each "
                   "must be in the system description and covered by the controls before and after it")
    return why


def _tool_sprawl(ctx: ReportContext) -> list[str]:
    # The system inventory, single sign-on, the review before adopting a tool (not the laptop
    # inventory: devices are not tools).
    tool_ids = [i for i in ("CC2-01", "CC6-02", "CC5-04") if i in ctx.q.items]
    sprawl = [i for i in tool_ids if i in ctx.gap_ids]
    if not sprawl:
        return []
    return [f"gaps in the system inventory, single sign-on or the review before adopting new tools "
            f"({id_list(sprawl)})"]


def _undocumented_changes(ctx: ReportContext) -> list[str]:
    cc8 = _gaps_where(ctx, lambda i: any(c.startswith("CC8.") for c in i.criteria))
    return [f"{plural(len(cc8), 'change-management gap')} ({id_list(cc8)})"] if cc8 else []


def _unassessed_vendors(ctx: ReportContext) -> list[str]:
    why = []
    vendors = _gaps_where(ctx, lambda i: "CC9.2" in i.criteria)
    if vendors:
        why.append(f"{plural(len(vendors), 'vendor-management gap')} ({id_list(vendors)})")
    if ctx.scope_vals.get("uses_subservice_orgs") is True and not ctx.scope_vals.get("subservice_orgs"):
        why.append("subservice organisations are used but none is listed")
    return why


def _too_little_testing(ctx: ReportContext) -> list[str]:
    testing = _gaps_where(ctx, lambda i: "CC4.1" in i.criteria)
    return [f"{plural(len(testing), 'monitoring gap')} ({id_list(testing)})"] if testing else []


# The pitfalls in the order the report lists them: name, what to do, the signal.
PITFALLS: tuple[tuple[str, str, Callable[[ReportContext], list[str]]], ...] = (
    ("Incomplete evidence", "Collect evidence from the first day of the period and write down why each "
     "not-applicable item does not apply.", _incomplete_evidence),
    ("Scope creep", "Keep only the principles customers ask for; each one adds controls to run and evidence "
     "to keep for the whole period. Plan each significant change inside the period: describe it and keep "
     "the controls' evidence on both sides of it.", _scope_creep),
    ("Tool sprawl", "Keep one inventory of systems and tools, put every tool behind single sign-on, and review "
     "a tool before adopting it: each extra tool is one more system to evidence.", _tool_sprawl),
    ("Undocumented changes", "Route every production change through a reviewed pull request or ticket, so "
     "each sampled change has a record.", _undocumented_changes),
    ("Unassessed vendors", "List every vendor with a risk rating, review the SOC reports of the critical ones "
     "each year and keep the review.", _unassessed_vendors),
    ("Too little control testing", "Test your own controls each quarter before the auditor does, and track "
     "what fails to closure.", _too_little_testing),
)
