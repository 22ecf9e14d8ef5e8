"""12. Warnings: every scoring warning (many of one kind grouped into one line), answers to
questions no longer in the banks, changed bank versions and a planned period that starts too
early."""

from __future__ import annotations

from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.text import MAX_IDS, WARNING_GROUPS, WARNING_LABELS, sentence
from soc2_tui.reports.tables import bullets, esc


def render(ctx: ReportContext) -> str:
    lines = []
    for kind, found in ctx.warnings_by_kind.items():
        label = WARNING_LABELS.get(kind, esc(kind))
        if len(found) <= MAX_IDS or kind not in WARNING_GROUPS:
            lines += [f"**{label}:** {sentence(esc(w.message))}" for w in found]
        else:
            ids = ", ".join(esc(w.item_id) for w in found)
            lines.append(f"**{label} ({len(found)}):** {WARNING_GROUPS[kind]}: {ids}.")
    if len(ctx.orphans) > MAX_IDS:  # one line, as for the scoring warnings (issue 17: 119 lines before)
        lines.append(f"**{WARNING_LABELS['orphaned_answer']} ({len(ctx.orphans)}):** answers to questions not "
                     "in the loaded question banks; they are kept, listed in the appendix and not scored: "
                     + ", ".join(esc(o) for o in ctx.orphans) + ".")
    else:
        for orphan in ctx.orphans:
            lines.append(f"**{WARNING_LABELS['orphaned_answer']}:** {esc(orphan)} has an answer but is not in "
                         "the loaded question banks; it is kept, listed in the appendix and not scored.")
    if ctx.banks_changed:
        lines.append(f"**{WARNING_LABELS['bank_version']}:** the assessment was started with other "
                     "question-bank versions than the ones loaded now; some questions may be new or changed.")
    if ctx.plan.moved_from:
        lines.append(f"**{WARNING_LABELS['period_too_early']}:** the planned start "
                     f"{ctx.plan.moved_from.isoformat()} leaves no time for the open work (see Roadmap).")
    return "\n\n".join(["## Warnings", bullets(lines) if lines else "No warnings."])
