"""Rich renderables for the console (score table) and `cell`, the one way user text enters them.
Rich only; no Textual."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from soc2_tui.labels import band_label, bar, fmt_pct, fmt_score, report_type_label
from soc2_tui.model import PRINCIPLE_LABELS, Assessment
from soc2_tui.scoring import Result, Score
from soc2_tui.terminal import safe


def cell(text: str, multiline: bool = True) -> str:
    """User text for a Rich table cell or title: markup escaped, every control shown visibly
    (Rich itself strips only a few control codes; ESC, C1 and bidi overrides pass through it)."""
    return escape(safe(text, multiline=multiline))


def score_table(a: Assessment, result: Result) -> Table:
    kind = report_type_label(a.report_type)
    table = Table(title=f"{cell(a.name, multiline=False)}: readiness for a SOC 2 {kind} report")
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
