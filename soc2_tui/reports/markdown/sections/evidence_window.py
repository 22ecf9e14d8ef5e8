"""8. Type II evidence window (Type II reports only): controls that started after the period
begins, recurring controls with too few occurrences in the period, and the samples an auditor
is likely to take per frequency."""

from __future__ import annotations

from datetime import date

from soc2_tui import scoring
from soc2_tui.labels import DASH, plural
from soc2_tui.model import FREQUENCIES, Answer, parse_date
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.text import FREQUENCY_LABELS, status_label, title_text
from soc2_tui.reports.tables import esc, table


def render(ctx: ReportContext) -> str | None:
    if not ctx.type2:
        return None
    out = ["## Type II evidence window", _intro(ctx), *_incurred(ctx),
           "### Controls that started after the period begins"]
    out += _late_starts(ctx)
    out.append("### Recurring controls with too few occurrences")
    out.append(_too_few(ctx))
    out.append("### Likely samples per frequency")
    out.append("Applicable controls and policies by how often they run. For each one an auditor picks samples "
               "from its occurrences in the period. The figures are typical of most service auditors, not a "
               "rule: each firm sets its own. By frequency: annual 1, quarterly 2, monthly 2, weekly 5–15, "
               "daily 20–40, many times a day 25–60; for events (new hires, changes, leavers) by their "
               "number: up to 5 all of them, up to 50 5–10, up to 250 10–25, more 25–60.")
    out.append(_samples(ctx))
    return "\n\n".join(out)


def _intro(ctx: ReportContext) -> str:
    start, months = ctx.period_start, ctx.a.period_months
    if start and ctx.period_end:  # period_end is set when the start and the length both are
        return (f"The audit period runs from {start.isoformat()} to {ctx.period_end.isoformat()} ({months} months). "
                "A Type II report needs evidence that every control operated for the whole period.")
    missing = " and ".join(w for w, v in (("start date", start), ("length", months)) if not v)
    return (f"The audit period's {missing} {'is' if ' and ' not in missing else 'are'} not set, so "
            "parts of this check cannot be made. Set the period in the scope questions.")


def _incurred(ctx: ReportContext) -> list[str]:
    """Every applicable item not operating with evidence from the period's first day, and what the
    team recorded as exceptions (a flag, a note): first, because they are already in the report
    once the period runs."""
    start = ctx.period_start
    if start is None:
        return []
    running = start <= ctx.today
    items = ctx.timeline.exceptions
    answers = {item.id: ctx.ans(item.id) for item in items}
    recorded = [item for item, _ans in ctx.recorded_exceptions if item.id not in answers]
    title = "### Exceptions already incurred" if running else "### Exceptions if the period started today"
    if not items and not recorded:
        return [title, "None: every applicable item is operating with evidence from the period's first day."]
    lead = (f"The period started on {start.isoformat()}. " if running
            else f"The period starts on {start.isoformat()}; as things stand, ")
    out = [title, lead + f"{plural(len(items), 'applicable item')} {'is' if len(items) == 1 else 'are'} not "
           "operating with evidence from its first day. An auditor reports each as an exception, with "
           "management's response; closing it now limits it to the part of the period already gone."]
    rows = [[esc(item.id), title_text(item), status_label(item, answers[item.id].status),
             _why_exception(answers[item.id], start)] for item in items]
    rows += [[esc(item.id), title_text(item), status_label(item, ctx.ans(item.id).status),
              "recorded by the team (" + ("flagged" if ctx.ans(item.id).flagged else "a note mentions an exception")
              + ")"] for item in recorded]
    out.append(table(["Id", "Title", "Status", "Why"], rows, "llll"))
    return out


def _why_exception(ans: Answer, start: date) -> str:
    since = parse_date(ans.operating_since)
    if ans.status == "operating" and since is not None and since > start:
        return f"operating only since {since.isoformat()}"
    if ans.status is None:
        return "not answered"
    return "not operating yet"


def _late_starts(ctx: ReportContext) -> list[str]:
    """Controls whose operating-since date is after the period start, and undated operating ones."""
    start = ctx.period_start
    late = ctx.late_starts
    out = []
    if not start:
        out.append("Cannot be checked until the period start is set.")
    elif late:
        out.append(f"{plural(len(late), 'control')} started operating after {start.isoformat()}: the evidence "
                   "cannot cover the start of the period. Expect an exception in the report for each, or "
                   "move the period start.")
        out.append(table(["Id", "Title", "Operating since", "Days of the period without evidence"],
                         [[esc(i.id), title_text(i), since.isoformat(), str((since - start).days)]
                          for i, since in late], "lllr"))
    else:
        out.append("None: no control's operating-since date is after the period start.")
    undated = ctx.undated_operating
    if undated:
        out.append(f"{plural(undated, 'control')} marked operating {'has' if undated == 1 else 'have'} no "
                   "operating-since date; record it to show the control ran for the whole period.")
    return out


def _too_few(ctx: ReportContext) -> str:
    """Recurring controls that will not happen often enough in the period (a scoring warning)."""
    months = ctx.a.period_months
    few = ctx.warnings_of("too_few_occurrences")
    if not months:
        return "Cannot be checked until the period length is set."
    if not few:
        return "None: every recurring control happens often enough in the period."
    by_frequency: dict[str, list[str]] = {}
    for w in few:
        item = ctx.q.items[w.item_id]
        by_frequency.setdefault(item.frequency or "", []).append(item.id)
    rows = []
    for f in (*FREQUENCIES, ""):
        ids = by_frequency.get(f)
        if ids:
            n = scoring.occurrences(f, months) or 0
            rows.append([FREQUENCY_LABELS.get(f, DASH), ", ".join(esc(i) for i in ids), f"{n:g}",
                         str(scoring.MIN_OCCURRENCES.get(f, 1))])
    return "\n\n".join([
        f"{plural(len(few), 'control')} will not happen as often in a {months}-month period as most "
        f"auditors firmly prefer before testing {'it' if len(few) == 1 else 'them'} as operating. Give each "
        "its next run inside the period as its due date (it then leaves this list), or choose a longer "
        "period. A control whose due date is already inside the period, and a policy reviewed within the "
        "12 months before the period ends, are not listed.",
        table(["Frequency", "Controls", "Expected in the period", "Auditors prefer"], rows, "llrr"),
    ])


def _samples(ctx: ReportContext) -> str:
    """Per frequency: the items in force, their occurrences in the period and the likely samples."""
    counts: dict[str, int] = {}
    for item, _ans in ctx.in_force:
        if item.frequency:
            counts[item.frequency] = counts.get(item.frequency, 0) + 1
    rows = []
    for f in FREQUENCIES:
        if counts.get(f):
            occurrences, sample = _occurrences_and_sample(f, ctx.a.period_months)
            rows.append([FREQUENCY_LABELS[f], str(counts[f]), occurrences, sample])
    if not rows:
        return "No applicable control has a frequency."
    return table(["Frequency", "Items", "Occurrences per item", "Likely samples per item"], rows, "lrrr")


def _occurrences_and_sample(frequency: str, months: int | None) -> tuple[str, str]:
    """The occurrences of one item of `frequency` in the period, and the samples likely taken."""
    n = scoring.occurrences(frequency, months)
    if frequency == "continuous":
        return "all the time", "usually an inspection of the setting and its change history"
    if frequency == "per_event":
        return "as many as happen", "by the number of events (see above)"
    if n is None:
        return "period length not set", DASH
    if n < 1:
        return f"{n:g} (it may not happen at all)", "1, if it happens in the period"
    low, high = scoring.typical_samples(frequency, n)
    return (f"{n:.0f}" if n >= 10 else f"{n:g}"), (str(low) if low == high else f"{low}–{high}")
