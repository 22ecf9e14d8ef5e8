"""1. The title block: who and what the report is about, the audit period, the question banks,
the answers hash and whether the audit trail holds."""

from __future__ import annotations

from soc2_tui import __version__
from soc2_tui.labels import DASH, REPORT_TYPE_DESCRIPTIONS, plural
from soc2_tui.model import PRINCIPLE_LABELS
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.tables import bullets, code, esc, esc_or_dash

# The one line of the report that names the day of writing starts with this (see render below).
GENERATED_PREFIX = "- **Generated:** "


def render(ctx: ReportContext) -> str:
    a = ctx.a
    period_label, period = _period(ctx)
    banks = ", ".join(f"{esc(b)} {esc(v)}" for b, v in ctx.q.banks.items()) or DASH
    if ctx.banks_changed:
        started = ", ".join(f"{esc(b)} {esc(v)}" for b, v in sorted(a.bank_versions.items()))
        banks += f" (assessment started with {started})"
    lines = [
        f"**Organisation:** {esc_or_dash(a.organisation)}",
        f"**Assessment:** {esc(a.name)}",
        f"**Report type:** SOC 2 {REPORT_TYPE_DESCRIPTIONS[a.report_type]}",
        f"**Principles in scope:** {', '.join(PRINCIPLE_LABELS[p] for p in a.principles)}",
        f"**{period_label}:** {period}",
        f"**Generated:** {ctx.today.isoformat()} by soc2-tui {esc(__version__)}",
        f"**Question banks:** {banks}",
        f"**Answers hash:** {code(ctx.answers_hash)}",
    ]
    if ctx.trail is not None:
        lines.append(f"**Audit trail:** {_trail(ctx)}")
    return "\n\n".join([
        f"# SOC 2 readiness report: {esc(a.name)}",
        bullets(lines),
        "Two copies of this report with the same answers hash were made from the same answers; "
        "the hash changes whenever an answer or a scope setting changes.",
    ])


def _trail(ctx: ReportContext) -> str:
    """Whether the history of changes holds (`soc2-tui verify`), with its seal or where it breaks."""
    t = ctx.trail
    assert t is not None
    if t.problem:
        return f"**not verified**: {esc(t.problem)}. Run `soc2-tui verify` and `soc2-tui doctor` on the file"
    if not t.changes:
        return "no changes recorded yet"
    return (f"{plural(t.changes, 'change')}, verified: each change is sealed to the one before it, and the "
            f"answers are what the changes say; seal {code(t.seal[:16] if t.seal else '')}")


def _period(ctx: ReportContext) -> tuple[str, str]:
    """The label and the text of the audit period line (the as-of date for Type I)."""
    months = ctx.a.period_months
    start = ctx.period_start
    if ctx.a.report_type == "type1":
        return "As-of date", start.isoformat() if start else "not set"
    if start and ctx.period_end:  # period_end is set when the start and the length both are
        return "Audit period", f"{start.isoformat()} to {ctx.period_end.isoformat()} ({months} months)"
    return "Audit period", (f"starts {start.isoformat()}, length not set" if start
                            else f"{months} months, start not set" if months else "not set")
