"""The Markdown gap report: what a consultant hands over and a founder shows the board.

`render(q, assessment, answers, today=…, compare=…, history=…)` returns GitHub-flavoured
Markdown. The sections, the roadmap formula and the escaping rules are in docs/report.md.

Two rules hold for every line written here:
- user text (and question-bank text, since custom banks are user files) only ever reaches the
  output through `tables.esc`, so it cannot break a table or inject HTML;
- the output depends only on the inputs: same data and same `today` give the same bytes. The
  only line that names the day of writing starts with GENERATED_PREFIX.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from soc2_tui import scoring
from soc2_tui.labels import (
    DASH,
    plural,
)
from soc2_tui.model import (
    PRINCIPLE_LABELS,
    PRINCIPLES,
    Answer,
    Assessment,
    Change,
    Questionnaire,
    parse_date,
)
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.sections import (
    criteria,
    evidence_window,
    gaps,
    not_assessed,
    policies,
    progress,
    scope,
    summary,
    title,
)
from soc2_tui.reports.markdown.sections import roadmap as roadmap_section
from soc2_tui.reports.markdown.sections.title import GENERATED_PREFIX
from soc2_tui.reports.markdown.text import (
    MAX_IDS,
    WARNING_GROUPS,
    WARNING_LABELS,
    id_list,
    scope_value_text,
    sentence,
    stamp,
    status_label,
)
from soc2_tui.reports.tables import bullets, esc, esc_or_dash, shorten, table

# The public API. PRINCIPLES, PRINCIPLE_LABELS and scoring are reached through this module by
# the tests and stay importable from it.
__all__ = ["GENERATED_PREFIX", "PRINCIPLES", "PRINCIPLE_LABELS", "render", "report_history", "scoring"]

APPENDIX_SCOPE_CHARS = 100  # long scope answers are shown in full in the Scope section


def render(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer], today: date | None = None,
           compare: Mapping[str, Any] | None = None, history: Sequence[Change] = ()) -> str:
    """The whole report as Markdown (ends with one newline)."""
    r = _Report(q, a, answers, today or date.today(), history, compare)
    parts: list[str | None] = [title.render(r), summary.render(r), progress.render(r)]
    parts += [scope.render(r), criteria.render(r), gaps.render(r), not_assessed.render(r),
              policies.render(r)]
    parts += [evidence_window.render(r), roadmap_section.render(r), r.pitfalls(), r.warnings(), r.appendix()]
    return "\n\n".join(p.strip("\n") for p in parts if p is not None) + "\n"


def report_history(store: Any, assessment_id: int, compare: Mapping[str, Any] | None = None,
                   until: str | None = None) -> list[Change]:
    """The history rows `render` reads, from a Store: changes to the principles in scope (the
    scope-creep signal) and, when comparing with a snapshot, every change since it was taken.
    Not the whole audit trail (100,000 rows cost a second to read). `until`: a snapshot's own
    time, to report on the assessment as it was then."""
    rows = {c.id: c for c in store.history(assessment_id, "principles", until=until)}
    if compare is not None:
        created = str(compare.get("created_at") or "")
        rows.update((c.id, c) for c in store.history(assessment_id, since=created or None, until=until))
    return [rows[k] for k in sorted(rows)]


# ----------------------------------------------------------------------------- the report


class _Report(ReportContext):
    # -- 10. common pitfalls

    def pitfalls(self) -> str:
        found = self._pitfall_signals()
        out = ["## Common pitfalls",
               "Six mistakes often delay a first SOC 2 audit. "
               + (f"The answers point to {plural(len([f for f in found if f[2]]), 'of them', 'of them')}."
                  .replace("1 of them", "one of them") if any(f[2] for f in found)
                  else "The answers point to none of them.")]
        hit = [(name, advice, why) for name, advice, why in found if why]
        if hit:
            rows = [[name, "; ".join(why), advice] for name, advice, why in hit]
            out.append(table(["Pitfall", "What the answers show", "What to do"], rows))
        clear = [name for name, _adv, why in found if not why]
        if clear:
            out.append("No sign of: " + ", ".join(n.lower() for n in clear) + ".")
        return "\n\n".join(out)

    def _gaps_where(self, pred) -> list[str]:
        return [g.item.id for g in self.result.gaps if pred(g.item)]

    def _pitfall_signals(self) -> list[tuple[str, str, list[str]]]:
        res, q = self.result, self.q
        out: list[tuple[str, str, list[str]]] = []

        why: list[str] = []
        if self.type2 and self.period_start:
            late = [i.id for i in q.scored_items if i.id in res.applicable_ids
                    and self.ans(i.id).status != "not_applicable"
                    and (d := parse_date(self.ans(i.id).operating_since)) and d > self.period_start]
            if late:
                why.append(f"{plural(len(late), 'control')} started after the period start ({id_list(late)})")
        na = [w.item_id for w in res.warnings if w.kind == "na_without_note"]
        if na:
            why.append(f"{plural(len(na), 'item')} marked not applicable without a reason ({id_list(na)})")
        out.append(("Incomplete evidence", "Collect evidence from the first day of the period and write down "
                    "why each not-applicable item does not apply.", why))

        why = []
        changes = [c for c in self.history if c.item_id == "principles" and c.field == "principles"]
        if changes:
            why.append(f"the principles in scope changed {plural(len(changes), 'time')}")
        sv = self.scope_vals
        kinds = sv.get("data_kinds")
        if "availability" in self.a.principles and sv.get("has_uptime_sla") is False:
            why.append("availability is in scope without an uptime or recovery commitment")
        if "confidentiality" in self.a.principles and isinstance(kinds, list) and "customer_confidential" not in kinds:
            why.append("confidentiality is in scope but no customer confidential data is handled")
        if "privacy" in self.a.principles and isinstance(kinds, list) and "personal" not in kinds:
            why.append("privacy is in scope but no personal data is handled")
        out.append(("Scope creep", "Keep only the principles customers ask for; each one adds controls to run "
                    "and evidence to keep for the whole period.", why))

        why = []
        tool_ids = [i for i in ("CC2-01", "CC6-01", "CC6-02", "CC5-04") if i in q.items]
        sprawl = [i for i in tool_ids if i in self.gap_ids]
        if sprawl:
            why.append(f"gaps in the system inventory, single sign-on or the review before adopting new tools "
                       f"({id_list(sprawl)})")
        out.append(("Tool sprawl", "Keep one inventory of systems and tools, put every tool behind single "
                    "sign-on, and review a tool before adopting it: each extra tool is one more system to "
                    "evidence.", why))

        why = []
        cc8 = self._gaps_where(lambda i: any(c.startswith("CC8.") for c in i.criteria))
        if cc8:
            why.append(f"{plural(len(cc8), 'change-management gap')} ({id_list(cc8)})")
        out.append(("Undocumented changes", "Route every production change through a reviewed pull request or "
                    "ticket, so each sampled change has a record.", why))

        why = []
        vendors = self._gaps_where(lambda i: "CC9.2" in i.criteria)
        if vendors:
            why.append(f"{plural(len(vendors), 'vendor-management gap')} ({id_list(vendors)})")
        if sv.get("uses_subservice_orgs") is True and not sv.get("subservice_orgs"):
            why.append("subservice organisations are used but none is listed")
        out.append(("Unassessed vendors", "List every vendor with a risk rating, review the SOC reports of the "
                    "critical ones each year and keep the review.", why))

        why = []
        testing = self._gaps_where(lambda i: "CC4.1" in i.criteria)
        if testing:
            why.append(f"{plural(len(testing), 'monitoring gap')} ({id_list(testing)})")
        out.append(("Too little control testing", "Test your own controls each quarter before the auditor does, "
                    "and track what fails to closure.", why))
        return out

    # -- 11. warnings and appendix

    def warnings(self) -> str:
        out = ["## Warnings"]
        lines = []
        by_kind: dict[str, list] = {}
        for w in self.result.warnings:
            by_kind.setdefault(w.kind, []).append(w)
        for kind, found in by_kind.items():
            label = WARNING_LABELS.get(kind, esc(kind))
            if len(found) <= MAX_IDS or kind not in WARNING_GROUPS:
                lines += [f"**{label}:** {sentence(esc(w.message))}" for w in found]
            else:
                ids = ", ".join(esc(w.item_id) for w in found)
                lines.append(f"**{label} ({len(found)}):** {WARNING_GROUPS[kind]}: {ids}.")
        for orphan in sorted(set(self.answers) - set(self.q.items)):
            lines.append(f"**{WARNING_LABELS['orphaned_answer']}:** {esc(orphan)} has an answer but is not in the "
                         "loaded question banks; it is kept, listed in the appendix and not scored.")
        if self.a.bank_versions and dict(self.a.bank_versions) != dict(self.q.banks):
            lines.append(f"**{WARNING_LABELS['bank_version']}:** the assessment was started with other "
                         "question-bank versions than the ones loaded now; some questions may be new or changed.")
        if self.plan.moved_from:
            lines.append(f"**{WARNING_LABELS['period_too_early']}:** the planned start "
                         f"{self.plan.moved_from.isoformat()} leaves no time for the open work (see Roadmap).")
        out.append(bullets(lines) if lines else "No warnings.")
        return "\n\n".join(out)

    def appendix(self) -> str:
        out = ["## Appendix: every answer"]
        known = [i for i in self.q.items.values() if i.id in self.answers and self.answers[i.id].answered]
        orphans = sorted(set(self.answers) - set(self.q.items))
        n = len(known) + len(orphans)
        if not n:
            out.append("No answers yet.")
            return "\n\n".join(out)
        out.append(f"All {plural(n, 'answer')} in question order, with who gave each one and when (UTC). Long "
                   "scope answers are shortened here; the Scope section shows them in full.")
        rows = []
        for item in known:
            ans = self.answers[item.id]
            if item.kind == "scope":
                shown = esc_or_dash(shorten(scope_value_text(item, ans.value), APPENDIX_SCOPE_CHARS))
            else:
                shown = status_label(item, ans.status)
            rows.append([esc(item.id), esc(item.title), shown, self._details(ans), esc_or_dash(ans.answered_by),
                         stamp(ans.answered_at)])
        for iid in orphans:
            ans = self.answers[iid]
            shown = status_label(None, ans.status) if ans.status else esc_or_dash(shorten(json.dumps(
                ans.value, ensure_ascii=False), 80) if ans.value is not None else "")
            rows.append([esc(iid), "*no longer in the question bank*", shown, self._details(ans),
                         esc_or_dash(ans.answered_by), stamp(ans.answered_at)])
        out.append(table(["Id", "Item", "Answer", "Details", "By", "When"], rows))
        return "\n\n".join(out)

    def _details(self, ans: Answer) -> str:
        parts = []
        for label, value in (("owner", ans.owner), ("due", ans.due_date), ("operating since", ans.operating_since),
                             ("last reviewed", ans.last_reviewed), ("approver", ans.approver),
                             ("evidence", ans.evidence), ("notes", ans.notes)):
            if value and str(value).strip():
                parts.append(f"{label}: {esc(value)}")
        if ans.flagged:
            parts.append("flagged for follow-up")
        return "; ".join(parts) or DASH

