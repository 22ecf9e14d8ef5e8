"""7. Policy checklist: every applicable policy with its status, owner, review, approver and
what is still missing."""

from __future__ import annotations

from soc2_tui import scoring
from soc2_tui.labels import plural, status_words
from soc2_tui.model import Answer, parse_date
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.text import item_ref, status_label
from soc2_tui.reports.tables import esc_or_dash, table

# What a policy still needs, by its status (a review, an approver and an owner are checked apart).
_NEEDS: dict[str | None, list[str]] = {
    None: ["an answer (does the policy exist?)"],
    "not_started": ["the policy itself: write it, have it approved and publish it"],
    "in_progress": ["approval and publication to staff"],
    "implemented": ["publication to staff"],
    "operating": [],
}
# The order of the counts in the sentence above the table.
_COUNT_ORDER = ("operating", "implemented", "in_progress", "not_started", "not_applicable", None)


def render(ctx: ReportContext) -> str:
    out = ["## Policy checklist"]
    policies = [i for i in ctx.q.of_kind("policy") if i.id in ctx.result.applicable_ids]
    if not policies:
        out.append("No policy applies to the principles in scope.")
        return "\n\n".join(out)
    answers = [ctx.ans(item.id) for item in policies]
    counts: dict[str | None, int] = {}
    for ans in answers:
        counts[ans.status] = counts.get(ans.status, 0) + 1
    summary = ", ".join(f"{counts[s]} {status_words(s, policy=True)}" for s in _COUNT_ORDER
                        if counts.get(s) and s != "not_applicable")
    marked_na = counts.get("not_applicable", 0)
    head = (f"{plural(len(policies) - marked_na, 'policy', 'policies')} apply: {summary}"
            + (f"; {marked_na} more {'is' if marked_na == 1 else 'are'} marked not applicable by the team"
               if marked_na else ""))
    out.append(f"{head}. A policy is *current* once it "
               "is approved, published to staff and reviewed in the last 12 months; *approved* means "
               "signed off but not yet published or reviewed; *draft* is being written; *missing* does "
               "not exist yet.")
    rows = [[item_ref(item), status_label(item, ans.status), esc_or_dash(ans.owner),
             esc_or_dash(ans.last_reviewed), esc_or_dash(ans.approver),
             "; ".join(_missing(ctx, ans)) or "nothing"]
            for item, ans in zip(policies, answers)]
    out.append(table(["Policy", "Status", "Owner", "Last reviewed", "Approver", "What is missing"], rows))
    return "\n\n".join(out)


def _missing(ctx: ReportContext, ans: Answer) -> list[str]:
    """What the policy still needs before an auditor accepts it, as plain phrases."""
    status = ans.status
    if status == "not_applicable":
        return [] if ans.notes.strip() else ["a note saying why it does not apply"]
    need = list(_NEEDS[status])
    if status in ("implemented", "operating"):
        reviewed = parse_date(ans.last_reviewed)
        if reviewed is None:
            need.append("a recorded review date")
        elif (ctx.today - reviewed).days > scoring.POLICY_MAX_AGE_DAYS:
            need.append(f"a new review (the last was on {reviewed.isoformat()}, over 12 months ago)")
        if not ans.approver.strip():
            need.append("a named approver")
    if status is not None and not ans.owner.strip():
        need.append("an owner")
    return need

