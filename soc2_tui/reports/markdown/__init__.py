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
from datetime import date, timedelta
from typing import Any

from soc2_tui import roadmap, scoring
from soc2_tui.labels import (
    DASH,
    plural,
)
from soc2_tui.model import (
    FREQUENCIES,
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
    gaps,
    not_assessed,
    policies,
    progress,
    scope,
    summary,
    title,
)
from soc2_tui.reports.markdown.sections.title import GENERATED_PREFIX
from soc2_tui.reports.markdown.text import (
    FREQUENCY_LABELS,
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
_DAY = timedelta(days=1)
_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 8: "eight"}


def render(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer], today: date | None = None,
           compare: Mapping[str, Any] | None = None, history: Sequence[Change] = ()) -> str:
    """The whole report as Markdown (ends with one newline)."""
    r = _Report(q, a, answers, today or date.today(), history, compare)
    parts: list[str | None] = [title.render(r), summary.render(r), progress.render(r)]
    parts += [scope.render(r), criteria.render(r), gaps.render(r), not_assessed.render(r),
              policies.render(r)]
    if a.report_type == "type2":
        parts.append(r.evidence_window())
    parts += [r.roadmap(), r.pitfalls(), r.warnings(), r.appendix()]
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
    # -- 8. Type II evidence window

    def evidence_window(self) -> str:
        a, res = self.a, self.result
        months = a.period_months
        start = self.period_start
        out = ["## Type II evidence window"]
        if start and months:
            end = roadmap.period_end(start, months)
            out.append(f"The audit period runs from {start.isoformat()} to {end.isoformat()} ({months} months). "
                       "A Type II report needs evidence that every control operated for the whole period.")
        else:
            missing = " and ".join(w for w, v in (("start date", start), ("length", months)) if not v)
            out.append(f"The audit period's {missing} {'is' if ' and ' not in missing else 'are'} not set, so "
                       "parts of this check cannot be made. Set the period in the scope questions.")

        out.append("### Controls that started after the period begins")
        late = []
        undated = 0
        for item in self.q.scored_items:
            if item.id not in res.applicable_ids:
                continue
            ans = self.ans(item.id)
            if ans.status == "not_applicable":
                continue
            since = parse_date(ans.operating_since)
            if since is None:
                undated += ans.status == "operating"
            elif start and since > start:
                late.append((item, since))
        if not start:
            out.append("Cannot be checked until the period start is set.")
        elif late:
            out.append(f"{plural(len(late), 'control')} started operating after {start.isoformat()}: the evidence "
                       "cannot cover the start of the period. Expect an exception in the report for each, or "
                       "move the period start.")
            out.append(table(["Id", "Title", "Operating since", "Days of the period without evidence"],
                             [[esc(i.id), esc(i.title), since.isoformat(), str((since - start).days)]
                              for i, since in late], "lllr"))
        else:
            out.append("None: no control's operating-since date is after the period start.")
        if undated:
            out.append(f"{plural(undated, 'control')} marked operating {'has' if undated == 1 else 'have'} no "
                       "operating-since date; record it to show the control ran for the whole period.")

        out.append("### Recurring controls with too few occurrences")
        few = [w for w in res.warnings if w.kind == "too_few_occurrences"]
        if not months:
            out.append("Cannot be checked until the period length is set.")
        elif few:
            out.append(f"{plural(len(few), 'control')} will not happen often enough in a {months}-month period "
                       f"for an auditor to test {'it' if len(few) == 1 else 'them'} as operating. Schedule each "
                       "run inside the period (for example the annual review) or choose a longer period.")
            rows = []
            for w in few:
                item = self.q.items[w.item_id]
                n = scoring.occurrences(item.frequency, months) or 0
                rows.append([esc(item.id), esc(item.title), FREQUENCY_LABELS.get(item.frequency or "", DASH),
                             f"{n:g}", str(scoring.MIN_OCCURRENCES.get(item.frequency or "", 1))])
            out.append(table(["Id", "Title", "Frequency", "Expected in the period", "An auditor needs"], rows,
                             "lllrr"))
        else:
            out.append("None: every recurring control happens often enough in the period.")

        out.append("### Likely samples per frequency")
        out.append("Applicable controls and policies by how often they run. For each one an auditor picks samples "
                   "from its occurrences in the period, "
                   "using a common sampling table: all of them up to 5, then 5 of up to 50, about 10 % of up "
                   "to 250, and 25 beyond that.")
        counts: dict[str, int] = {}
        for item in self.q.scored_items:
            if item.id in res.applicable_ids and self.ans(item.id).status != "not_applicable" and item.frequency:
                counts[item.frequency] = counts.get(item.frequency, 0) + 1
        rows = []
        for f in FREQUENCIES:
            if not counts.get(f):
                continue
            n = scoring.occurrences(f, months)
            if f == "continuous":
                occ, sample = "all the time", "usually an inspection of the setting and its change history"
            elif f == "per_event":
                occ, sample = "as many as happen", "by the sampling table, from the number of events"
            elif n is None:
                occ, sample = "period length not set", DASH
            elif n < 1:
                occ, sample = f"{n:g} (it may not happen at all)", "1, if it happens in the period"
            else:
                occ = f"{n:.0f}" if n >= 10 else f"{n:g}"
                sample = str(scoring.sample_size(int(n)))
            rows.append([FREQUENCY_LABELS[f], str(counts[f]), occ, sample])
        if rows:
            out.append(table(["Frequency", "Items", "Occurrences per item", "Likely samples per item"],
                             rows, "lrrr"))
        else:
            out.append("No applicable control has a frequency.")
        return "\n\n".join(out)

    # -- 9. roadmap

    def roadmap(self) -> str:
        p, a = self.plan, self.a
        out = ["## Roadmap"]
        kind = "audit period" if self.type2 else "as-of date"
        lines = [f"**Earliest report date: about {p.report_date.isoformat()}**, if the open work starts today "
                 f"({self.today.isoformat()}) and the {kind} "
                 + ("follows it." if p.moved_from or not a.period_start else "is kept as planned.")]
        if p.moved_from and p.planned_over:
            what = (f"period** ({p.moved_from.isoformat()} to "
                    f"{roadmap.period_end(p.moved_from, p.period_months or 0)})" if self.type2
                    else f"as-of date** ({p.moved_from.isoformat()})")
            lines.append(f"**The planned {what} is already over and the open work is not done; the estimate "
                         f"plans a new {'period' if self.type2 else 'date'}.")
        elif p.moved_from and p.planned_report:
            if self.type2:
                planned = f"{p.moved_from.isoformat()} to {roadmap.period_end(p.moved_from, p.period_months or 0)}"
                lines.append(
                    f"**Keeping the planned period** ({planned}): about {p.planned_report.isoformat()}, but the "
                    f"open work needs until about {p.period_start.isoformat()}, and a control switched on after "
                    "the period starts cannot be shown to have operated for all of it: expect an exception in "
                    "the report for each one.")
            else:
                lines.append(
                    f"**Keeping the planned as-of date** ({p.moved_from.isoformat()}): about "
                    f"{p.planned_report.isoformat()}, but the open work needs until about "
                    f"{p.period_start.isoformat()}; controls not in place on that date are exceptions.")
        target = parse_date(self.ans("target_report_date").value) if "target_report_date" in self.q.items else None
        if target:
            weeks = (p.report_date - target).days / 7
            if weeks <= 0:
                verdict = "the estimate meets it."
            else:
                verdict = f"the estimate misses it by about {plural(max(1, round(weeks)), 'week')}"
                if p.planned_report and p.planned_report <= target:
                    verdict += "; only keeping the planned period (with exceptions) would meet it."
                else:
                    verdict += "."
            lines.append(f"**Target report date:** {target.isoformat()} (from the scope answers): {verdict}")
        if p.period_assumed:
            lines.append(f"No audit period length is set; the estimate assumes {roadmap.DEFAULT_PERIOD_MONTHS} "
                         "months, a common first period.")
        if p.open_questions:
            lines.append(f"{plural(p.open_questions, 'question')} {'is' if p.open_questions == 1 else 'are'} still "
                         "open; any gaps they reveal move the dates later.")
        out.append(bullets(lines))
        rows = []
        for ph in p.phases:
            if ph.key == "audit_period":
                length = (f"{p.period_months} months" if self.type2 else "1 day")
            elif ph.key == "formal_audit":
                length = f"{roadmap.FIELDWORK_WEEKS} weeks"
            else:
                length = plural(int(ph.weeks), "week") if ph.weeks else "nothing open"
            dates = ([ph.start.isoformat(), (ph.end - _DAY).isoformat()] if ph.days > 0 else [DASH, DASH])
            count = str(len(ph.tasks)) if ph.key != "formal_audit" else DASH
            rows.append([ph.name, ph.what, count, length, *dates])
        out.append(table(["Phase", "What happens", "Open items", "Length", "From", "To"], rows, "llrlll"))
        out.append("How this is estimated: each open item takes S = 1 week, M = 4 weeks or L = 12 weeks "
                   "(half that when it is in progress; nothing when it is implemented and only has to keep "
                   "operating). A phase lasts as long as its longest item, or its total work shared by "
                   f"{_WORDS.get(roadmap.PARALLEL_STREAMS, roadmap.PARALLEL_STREAMS)} parallel work streams, "
                   "whichever is longer. Preparation comes "
                   "first, then implementation, then the audit period"
                   + (" " if self.type2 else " (for Type I, a single date) ")
                   + f"and about {_WORDS.get(roadmap.FIELDWORK_WEEKS, roadmap.FIELDWORK_WEEKS)} weeks of fieldwork "
                   "and report writing. "
                   "See docs/report.md for the formula.")
        out.append("```mermaid\n" + roadmap.gantt(p, a.report_type) + "\n```")
        explain = {
            "preparation": "Write and approve the missing policies, engage an auditor and answer the open "
                           "questions.",
            "implementation": "Build and switch on the controls that are not in place yet.",
            "audit_period": ("These controls are in place but not yet operating with evidence: keep them "
                             "running from the first day of the period and keep the evidence."
                             if self.type2 else "Nothing to run over time for a Type I report."),
        }
        for ph in p.phases[:3]:
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
                    lines.append(f"**{esc(t.id)}** {esc(t.title)}: {status_label(t.item, t.status)}, "
                                 f"{t.item.severity}, effort {esc(t.item.effort)}")
            out.append(bullets(lines))
        out.append("### Formal audit")
        out.append("The auditor tests samples from the period, asks follow-up questions and writes the report. "
                   "Keep the evidence for every control organised by criterion so requests are answered in days, "
                   "not weeks.")
        return "\n\n".join(out)

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

