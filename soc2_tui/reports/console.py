"""Rich renderables for the console (score table). Rich only; no Textual."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from soc2_tui.model import PRINCIPLE_LABELS, Assessment
from soc2_tui.scoring import BAND_LABELS, Result, Score


def bar(score: float | None, width: int = 10) -> str:
    """A text bar such as ████████░░ (no colour needed to read it)."""
    if score is None:
        return "·" * width
    full = int(score / 100 * width + 0.5)  # half up: 5.0 of 100 draws one block at width 10
    return "█" * full + "░" * (width - full)


def fmt_score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def fmt_pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def band_label(band: str | None) -> str:
    return BAND_LABELS.get(band or "", "–")


def score_table(a: Assessment, result: Result) -> Table:
    kind = "Type I" if a.report_type == "type1" else "Type II"
    table = Table(title=f"{escape(a.name)}: readiness for a SOC 2 {kind} report")
    table.add_column("principle", no_wrap=True, min_width=20)
    table.add_column("score", justify="right")
    table.add_column("", no_wrap=True)
    table.add_column("band")
    table.add_column("coverage", justify="right")
    table.add_column("gaps", justify="right")
    table.add_column("critical gaps", justify="right")

    def row(label: str, s: Score, style: str = "") -> None:
        table.add_row(label, fmt_score(s.score), bar(s.score), band_label(s.band), fmt_pct(s.coverage),
                      str(s.gaps), str(s.critical_gaps), style=style)

    for key, s in result.principles.items():
        row(PRINCIPLE_LABELS[key], s)
    table.add_section()
    row("Overall", result.overall, "bold")
    return table
