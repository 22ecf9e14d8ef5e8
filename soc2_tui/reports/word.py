"""`report --format docx`: the gap report as a Word document (python-docx, imported here only).

The content is the Markdown report (document.build), read back as markdown-it tokens and
written as Word structure: `#`/`##`/`###` as Heading 1/2/3 (Word's navigation pane and table of
contents use them), tables as Word tables whose header row repeats on every page, bullet lists
in the "List Bullet" styles, bold and italic as runs. Text tokens hold the user's literal text
(the parser undoes `tables.esc`), so it goes into runs as it is: no Markdown syntax is left.

Two things differ from the Markdown, because Word cannot show them: the readiness per principle
is also drawn as a bar chart (a PNG, word_chart.py) at the top of the executive summary, and the
roadmap's Mermaid gantt block becomes a table, one column per month, the phase's months filled.

`template`: a .docx whose styles, header, footer and page set-up the report takes (its body is
dropped), as pandoc's --reference-doc. The output is the same bytes for the same report and day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from soc2_tui.model import Answer, Assessment, Change, Disagreement, Questionnaire, TrailVerdict
from soc2_tui.reports import document, word_parts, word_xml
from soc2_tui.reports.document import Report
from soc2_tui.reports.word_xml import Cell, Run

CHART_AFTER = "Executive summary"  # the bar chart goes after this heading
PHASE_FILLS = ("0969DA", "8250DF", "1A7F37", "B35900", "C0362C")


def render(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer], today: date,
           compare: Mapping[str, Any] | None = None, history: Sequence[Change] = (),
           trail: TrailVerdict | None = None, disagreements: Sequence[Disagreement] = (),
           template: str | None = None) -> bytes:
    """The .docx bytes for the same arguments as markdown.render, styled by `template`."""
    report = document.build(q, a, answers, today, compare, history, trail, disagreements)
    return write(report, template)


def write(report: Report, template: str | None = None) -> bytes:
    doc = word_parts.open_document(template)
    _Writer(doc, report).run()
    word_parts.set_properties(doc, report.title, report.today)
    return word_parts.save(doc, report.today)


class _Writer:
    def __init__(self, doc: Any, report: Report) -> None:
        self.doc, self.report, self.tokens = doc, report, report.tokens
        self.styles = word_parts.style_ids(doc)
        self.xml: list[str] = []  # body content not yet added to the document
        self.lists: list[list[Any]] = []  # open lists: [kind ("b" or "o"), next number]
        self.item_start = False  # the next paragraph starts a list item

    def run(self) -> None:
        i = 0
        while i < len(self.tokens):
            i = self.step(i)
        word_parts.set_body(self.doc, "".join(self.xml))

    def style(self, name: str) -> str | None:
        return self.styles.get(name)

    def step(self, i: int) -> int:
        t = self.tokens[i]
        if t.type == "heading_open":
            self.heading(int(t.tag[1]), self.tokens[i + 1])
            return i + 3
        if t.type == "paragraph_open":
            self.paragraph(self.tokens[i + 1])
            return i + 3
        if t.type in ("bullet_list_open", "ordered_list_open"):
            self.lists.append([t.type[0], int(t.attrGet("start") or 1)])
        elif t.type in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif t.type == "list_item_open":
            self.item_start = True
        elif t.type == "table_open":
            return self.table(i)
        elif t.type in ("fence", "code_block"):
            self.fence(t)
        return i + 1

    # -- blocks

    def heading(self, level: int, inline: Any) -> None:
        self.xml.append(word_xml.paragraph(runs(inline), self.style(f"Heading {level}")))
        if level == 2 and document.inline_text(inline) == CHART_AFTER:
            self.chart()

    def chart(self) -> None:
        from soc2_tui.reports.word_chart import bar_chart_png

        self.xml.append(word_parts.picture_xml(self.doc, bar_chart_png(self.report.bars), 16))
        bars = "; ".join(f"{b.label} {'no score' if b.score is None else f'{b.score:.1f}'} ({b.band})"
                         for b in self.report.bars)
        self.caption(f"Readiness per principle, 0 to 100: {bars}.")

    def caption(self, words: str) -> None:
        self.xml.append(word_xml.paragraph([Run(words)], self.style("Caption")))

    def paragraph(self, inline: Any) -> None:
        content = runs(inline)
        if not self.lists or not self.item_start:  # not in a list, or a second paragraph of an item
            self.xml.append(word_xml.paragraph(content))
            return
        self.item_start = False
        kind, depth = self.lists[-1][0], len(self.lists)
        style = self.style("List Bullet" if depth == 1 else "List Bullet 2")
        if kind == "o":
            content = [Run(f"{self.lists[-1][1]}. "), *content]
            self.lists[-1][1] += 1
            style = None
        elif style is None:  # a template without list styles: the bullet as text
            content = [Run("    " * (depth - 1) + "• "), *content]
        self.xml.append(word_xml.paragraph(content, style))

    def table(self, i: int) -> int:
        rows: list[list[Cell]] = []
        while self.tokens[i].type != "table_close":
            t = self.tokens[i]
            if t.type == "tr_open":
                rows.append([])
            elif t.type in ("th_open", "td_open"):
                right = "right" in str(t.attrGet("style") or "")
                rows[-1].append(Cell(runs(self.tokens[i + 1], bold=t.type == "th_open"), right))
            i += 1
        self.xml.append(word_xml.table(rows, self.style("Table Grid")))
        self.xml.append(word_xml.paragraph([]))
        return i + 1

    def fence(self, token: Any) -> None:
        if token.info.strip() == "mermaid":  # the roadmap's gantt chart: a table Word can show
            self.gantt()
        else:
            self.xml.append(word_xml.paragraph([Run(token.content.rstrip("\n"), code=True)]))

    def gantt(self) -> None:
        spans, report_date = self.report.spans, self.report.report_date
        bounds = document.gantt_months(spans, report_date)
        if not bounds:
            return
        ticks, ends = bounds[:-1], bounds[1:]
        quarters = len(bounds) > 1 and (bounds[1].month - bounds[0].month) % 12 == 3
        header = [Cell([Run("Phase", bold=True)]),
                  *(Cell([Run(document.tick_label(t, quarters, n == 0), bold=True)]) for n, t in enumerate(ticks))]
        rows = [header]
        for n, s in enumerate(spans):
            last = s.end - timedelta(days=1)  # a phase of no length (nothing to implement) fills no month
            colour = PHASE_FILLS[n % len(PHASE_FILLS)]
            rows.append([Cell([Run(s.label)]), *(Cell([], fill=colour if t <= last and s.start < e else None)
                                                for t, e in zip(ticks, ends, strict=True))])
        rows.append([Cell([Run("Earliest report")]), *(Cell([], fill="1F2328" if t <= report_date < e else None)
                                                        for t, e in zip(ticks, ends, strict=True))])
        self.xml.append(word_xml.table(rows, self.style("Table Grid")))
        self.caption(f"Road to the SOC 2 report: the months each phase covers, and the month of the earliest "
                     f"report date ({report_date}).")


def runs(inline: Any, bold: bool = False) -> list[Run]:
    """The runs of an inline token: its literal text, bold and italic as the Markdown had them."""
    out: list[Run] = []
    strong = emphasis = 0
    for child in inline.children or ():
        kind = child.type
        if kind in ("strong_open", "strong_close"):
            strong += 1 if kind == "strong_open" else -1
        elif kind in ("em_open", "em_close"):
            emphasis += 1 if kind == "em_open" else -1
        elif kind in ("text", "code_inline", "softbreak", "hardbreak"):
            text = " " if kind in ("softbreak", "hardbreak") else child.content
            if text:
                out.append(Run(text, bold=bold or strong > 0, italic=emphasis > 0, code=kind == "code_inline"))
    return out
