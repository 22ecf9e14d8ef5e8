"""Rich renderables for the console (the score and list tables) and `cell`, the one way user
text enters them. Rich only; no Textual.

The tables fit an 80-column terminal without wrapping a header or a band: lines between the
header, the rows and the sections only, two spaces between columns; the list table leaves out
its organisation and principles columns when the terminal is too narrow for them (as the app's
home screen does), and `list --json` has every field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.markup import escape
from rich.table import Table

from soc2_tui.labels import DASH, band_label, bar, fmt_pct, fmt_score, report_type_label
from soc2_tui.model import PRINCIPLE_LABELS, Assessment, Questionnaire
from soc2_tui.scoring import Result, Score
from soc2_tui.terminal import safe


def cell(text: str, multiline: bool = True) -> str:
    """User text for a Rich table cell or title: markup escaped, every control shown visibly
    (Rich itself strips only a few control codes; ESC, C1 and bidi overrides pass through it)."""
    return escape(safe(text, multiline=multiline))


# The list table's principle column: short, and the same letters the criteria ids use.
SHORT_PRINCIPLES = {"security": "Sec", "availability": "Avail", "processing_integrity": "PI",
                    "confidentiality": "Conf", "privacy": "Priv"}
# Terminal widths from which the list table has room for these columns (name at least 20 wide).
LIST_PRINCIPLES_FROM = 100
LIST_ORGANISATION_FROM = 120


def _table(title: str) -> Table:
    """A table 80 columns hold: rules under the header and between sections, no frame."""
    return Table(title=title, box=box.HORIZONTALS, show_edge=False, pad_edge=False, collapse_padding=True)


def score_table(a: Assessment, result: Result) -> Table:
    kind = report_type_label(a.report_type)
    table = _table(f"{cell(a.name, multiline=False)}: readiness for a SOC 2 {kind} report")
    table.add_column("principle", no_wrap=True, min_width=20)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("band", no_wrap=True)
    table.add_column("coverage", justify="right", no_wrap=True)
    table.add_column("gaps", justify="right", no_wrap=True)
    table.add_column("critical", justify="right", no_wrap=True)

    def row(label: str, s: Score, style: str = "") -> None:
        table.add_row(label, fmt_score(s.score), bar(s.score), band_label(s.band), fmt_pct(s.coverage),
                      str(s.gaps), str(s.critical_gaps), style=style)

    for key, s in result.principles.items():
        row(PRINCIPLE_LABELS[key], s)
    table.add_section()
    row("Overall", result.overall, "bold")
    return table


def list_table(rows: Sequence[Mapping[str, Any]], path: str, width: int) -> Table:
    """`soc2-tui list`: one row per assessment (summary.assessment_rows), its columns chosen for
    a terminal `width` wide."""
    principles = width >= LIST_PRINCIPLES_FROM
    organisation = width >= LIST_ORGANISATION_FROM
    table = _table(f"Assessments in {cell(path, multiline=False)}")
    table.add_column("name", ratio=2, min_width=12)
    if organisation:
        table.add_column("organisation", ratio=1)
    table.add_column("type", no_wrap=True)
    if principles:
        table.add_column("principles", no_wrap=True)
    for col in ("answered", "score", "band", "updated"):
        table.add_column(col, justify="right" if col in ("answered", "score") else "left", no_wrap=True)
    for r in rows:
        cells = [cell(r["name"])]
        if r.get("bank_error"):  # its banks did not load: no score; the reason follows the table (list_errors)
            cells[0] += "\n[yellow]⚠ question banks not loaded (see below)[/]"
        if organisation:
            cells.append(cell(r["organisation"]) or DASH)
        cells.append(report_type_label(r["report_type"]))
        if principles:
            cells.append(" ".join(SHORT_PRINCIPLES[p] for p in r["principles"]))
        answered = DASH if r["applicable"] is None else f"{r['answered']}/{r['applicable']}"
        cells += [answered, fmt_score(r["score"]), band_label(r["band"]), r["updated_at"][:10]]
        table.add_row(*cells)
    return table


def list_errors(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Under the list table, a line per assessment whose banks did not load: why, as FILE:LINE."""
    return [cell(f"⚠ {r['name']!r}: its question banks cannot be loaded: {r['bank_error']}", multiline=False)
            for r in rows if r.get("bank_error")]


def questions_table(q: Questionnaire) -> Table:
    """`soc2-tui questions`: every loaded item, one row each."""
    table = Table(title=f"{len(q.items)} questions")
    for col in ("id", "kind", "section", "severity", "criteria", "title"):
        table.add_column(col)
    for it in q.items.values():
        table.add_row(cell(it.id), it.kind, cell(it.section), it.severity, cell(" ".join(it.criteria)),
                      cell(it.title))
    return table


def plain_text(table: Table) -> str:
    """A table as plain text for a file: as wide as its widest row needs, no colours or styles."""
    import io

    from rich.console import Console

    width = Console(width=10_000).measure(table).maximum
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False,
                      legacy_windows=False, soft_wrap=False)
    console.print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
