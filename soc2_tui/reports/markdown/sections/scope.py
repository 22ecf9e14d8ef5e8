"""3. Scope: the scope answers by scope section, the five system components, subservice
organisations and complementary user entity controls (CUECs)."""

from __future__ import annotations

from typing import Any

from soc2_tui.model import Item
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.text import scope_value_text, title_text
from soc2_tui.reports.tables import bullets, esc, table

# Scope items shown in sub-sections of their own rather than in the question table.
_OWN_SUBSECTION = {"subservice_orgs", "subservice_method", "uses_subservice_orgs", "cuecs"}


def render(ctx: ReportContext) -> str:
    out = ["## Scope",
           "What the report covers, as answered in the scope questions. The audit settings come from "
           "the assessment itself."]
    for sec in ctx.q.sections_of("scope"):
        out.append(f"### {esc(sec.title)}")
        rows = []
        components = []
        for item in sec.items:
            if item.id.startswith("component_"):
                components.append(item)
                continue
            if item.id in _OWN_SUBSECTION:
                continue
            rows.append([title_text(item), _cell(ctx, item)])
        if rows:
            out.append(table(["Question", "Answer"], rows))
        if components:
            out.append(_components(ctx, components))
        ids = {i.id for i in sec.items}
        if ids & {"uses_subservice_orgs", "subservice_orgs"}:
            out.append(_subservice(ctx))
        if "cuecs" in ids:
            out.append(_cuecs(ctx))
        if "data_kinds" in ids:
            out += _beyond_soc2(ctx)
    return "\n\n".join(out)


# What a SOC 2 report does not show for some kinds of data, and what to consider instead.
_OTHER_DUTIES = {
    "health": ("health data", "HIPAA",
               "if you handle protected health information for US covered entities, you are a business "
               "associate: HIPAA expects a documented risk analysis, business associate agreements and its "
               "own safeguards. Some firms add the HIPAA requirements to the SOC 2 examination (a \"SOC 2+\" "
               "report); HITRUST is the other common route"),
    "card": ("payment card data", "PCI DSS",
             "anyone who stores, processes or transmits card numbers must meet PCI DSS, shown by a "
             "self-assessment questionnaire or an assessment by a Qualified Security Assessor, depending on "
             "the card volume; keeping card numbers out of your systems with a payment provider's hosted "
             "fields shrinks that scope the most"),
    "financial": ("financial data", "your customers' financial reporting",
                  "when what the system does feeds their financial statements (payments, billing, payroll, "
                  "ledgers), their auditors usually ask for a SOC 1 report, on the controls relevant to "
                  "financial reporting, besides or instead of SOC 2; US financial institutions' data may also "
                  "bring GLBA duties"),
}


def _about(key: str, rule: str) -> str:
    return "controls over your customers' financial reporting" if key == "financial" else f"{rule} compliance"


def _beyond_soc2(ctx: ReportContext) -> list[str]:
    """A note per kind of data whose own rules a SOC 2 report does not cover."""
    kinds = ctx.scope_vals.get("data_kinds")
    if not isinstance(kinds, list):
        return []
    notes = [f"- **{what.capitalize()}: SOC 2 does not cover {rule}.** A clean SOC 2 report says nothing about "
             f"{_about(key, rule)}; {advice}." for key, (what, rule, advice) in _OTHER_DUTIES.items() if key in kinds]
    if not notes:
        return []
    return ["### Beyond SOC 2",
            "\n".join(notes) + "\n- Customers outside the US often ask for ISO/IEC 27001 certification "
            "instead of, or beside, a SOC 2 report; most controls assessed here count towards both."]


def _cell(ctx: ReportContext, item: Item) -> str:
    if not ctx.scope_applies(item):
        return "*does not apply*"
    text = scope_value_text(item, ctx.scope_answer(item))
    return esc(text) if text.strip() else "*not answered*"


def _components(ctx: ReportContext, components: list[Item]) -> str:
    rows = []
    for item in components:
        name = item.title.split(":", 1)[1].strip() if ":" in item.title else item.title
        rows.append([esc(name[:1].upper() + name[1:]), _cell(ctx, item)])
    return "\n\n".join(["### System components",
                        "The five components a SOC 2 system description is built around.",
                        table(["Component", "Description"], rows)])


def _entries(value: Any) -> list[str]:
    """A list answer (or a single text) as its non-blank entries."""
    entries = [str(v) for v in value] if isinstance(value, (list, tuple)) else ([str(value)] if value else [])
    return [e for e in entries if e.strip()]


def _subservice(ctx: ReportContext) -> str:
    q = ctx.q
    out = ["### Subservice organisations"]
    uses = ctx.ans("uses_subservice_orgs").value if "uses_subservice_orgs" in q.items else None
    orgs = ctx.ans("subservice_orgs").value if "subservice_orgs" in q.items else None
    method_item = q.items.get("subservice_method")
    method = ctx.ans("subservice_method").value if method_item else None
    if uses is False:
        out.append("The company says no other company operates part of the system.")
        return "\n\n".join(out)
    if uses is None and not orgs:
        out.append("*Not answered yet:* does another company (for example a cloud provider) operate "
                   "part of the system?")
        return "\n\n".join(out)
    method_text = method_item.option_label(method) if (method_item and method is not None) else None
    out.append(f"**Method:** {esc(method_text) if method_text else '*not answered*'}. "
               "With the carve-out method their controls are excluded from the report and you monitor "
               "their own SOC reports; with the inclusive method they are tested as part of it.")
    entries = _entries(orgs)
    if entries:
        out.append(bullets(esc(e) for e in entries))
    else:
        out.append("*None listed yet.* Name each one with the service it provides.")
    return "\n\n".join(out)


def _cuecs(ctx: ReportContext) -> str:
    out = ["### Complementary user entity controls (CUECs)",
           "What customers must do themselves for the controls in this report to work."]
    entries = _entries(ctx.ans("cuecs").value)
    out.append(bullets(esc(e) for e in entries) if entries else "*None listed yet.*")
    return "\n\n".join(out)
