"""`report --format html`: the gap report as one self-contained HTML file.

The body is the Markdown report (document.build) rendered by markdown-it-py with raw HTML off:
every text token is written with html.escape, so user text that `tables.esc` kept as text in the
Markdown stays text here (no tag, no script, no link gets through). Links and images, which the
report never writes, are rendered as their plain text all the same. On top of the Markdown:
- the charts (charts.py, inline SVG): readiness per principle and the radar of CC1-CC9 at the
  top of the executive summary, the heat map of criteria by status at the top of "Readiness by
  criterion", and the roadmap's Mermaid block replaced by a gantt chart;
- a contents list linking to each section (in-page links only);
- tables inside a scrolling box on narrow screens; a print stylesheet (html_style.py).
Nothing is loaded from anywhere: no scripts, no external style sheets, fonts or images.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

from soc2_tui.model import Answer, Assessment, Change, Disagreement, Questionnaire, TrailVerdict
from soc2_tui.reports import charts, document
from soc2_tui.reports.html_style import CSS

# Charts placed after the heading of a section (its text, as the Markdown writes it).
SUMMARY, CRITERIA = "Executive summary", "Readiness by criterion"
SHORT_CELL = 16  # characters: a table cell this short is never wrapped


def render(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer], today: date,
           compare: Mapping[str, Any] | None = None, history: Sequence[Change] = (),
           trail: TrailVerdict | None = None, disagreements: Sequence[Disagreement] = ()) -> str:
    """The HTML report for the same arguments as markdown.render."""
    report = document.build(q, a, answers, today, compare, history, trail, disagreements)
    return page(report)


def page(report: document.Report) -> str:
    figures = {
        SUMMARY: _figure("charts", charts.bars(report.bars), charts.radar(report.radar)),
        CRITERIA: _figure("heat", charts.heatmap(report.heat),
                          "<figcaption>One column per criterion: the darker a cell, the more of the criterion's "
                          "applicable questions have that status.</figcaption>"),
    }
    body = _body(report, figures)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="soc2-tui">',
        f"<title>{escape(report.title)}</title>",
        f"<style>\n{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        body,
        "</main>",
        "</body>",
        "</html>",
        "",
    ])


def _figure(kind: str, *svgs: str) -> str:
    return f'<figure class="{kind}">\n' + "\n".join(svgs) + "\n</figure>\n"


def _body(report: document.Report, figures: dict[str, str]) -> str:
    md = document.parser()
    tokens = list(report.tokens)
    sections = [(i, document.inline_text(tokens[i + 1])) for i, t in enumerate(tokens)
                if t.type == "heading_open" and t.tag == "h2"]
    for n, (i, _title) in enumerate(sections, 1):
        tokens[i].attrSet("id", f"section-{n}")
    env = {"figures": figures, "gantt": charts.gantt(report.spans, report.report_date,
                                                     document.gantt_months(report.spans, report.report_date))}
    md.add_render_rule("heading_close", _heading_close)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    md.add_render_rule("th_open", _cell_open)
    md.add_render_rule("td_open", _cell_open)
    md.add_render_rule("fence", _fence)
    md.add_render_rule("link_open", _nothing)
    md.add_render_rule("link_close", _nothing)
    md.add_render_rule("image", _image)
    html = md.renderer.render(tokens, md.options, env)
    contents = "".join(f'<li><a href="#section-{n}">{escape(title)}</a></li>'
                       for n, (_i, title) in enumerate(sections, 1))
    nav = f'<nav class="contents" aria-label="Contents"><h2>Contents</h2>\n<ol>{contents}</ol></nav>\n'
    first = html.find("<h2 ")
    return html if first < 0 else html[:first] + nav + html[first:]


def _heading_close(self: Any, tokens: Any, idx: int, options: Any, env: dict[str, Any]) -> str:
    out = self.renderToken(tokens, idx, options, env)
    if tokens[idx].tag == "h2":
        title = document.inline_text(tokens[idx - 1])
        out += env["figures"].get(title, "")
    return out


def _table_open(self: Any, tokens: Any, idx: int, options: Any, env: dict[str, Any]) -> str:
    return '<div class="table-wrap">\n' + self.renderToken(tokens, idx, options, env)


def _table_close(self: Any, tokens: Any, idx: int, options: Any, env: dict[str, Any]) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _cell_open(self: Any, tokens: Any, idx: int, options: Any, env: dict[str, Any]) -> str:
    # Long cells may wrap anywhere (a long word must not widen the table past the page); short
    # ones (ids, numbers, dates, status words, header words) are kept on one line.
    if len(document.inline_text(tokens[idx + 1])) <= SHORT_CELL:
        tokens[idx].attrJoin("class", "short")
    return self.renderToken(tokens, idx, options, env)


def _fence(self: Any, tokens: Any, idx: int, options: Any, env: dict[str, Any]) -> str:
    token = tokens[idx]
    if token.info.strip() == "mermaid":  # the roadmap's gantt chart, drawn here instead
        return _figure("gantt", env["gantt"])
    return f"<pre><code>{escape(token.content)}</code></pre>\n"


def _nothing(self: Any, tokens: Any, idx: int, options: Any, env: dict[str, Any]) -> str:
    return ""


def _image(self: Any, tokens: Any, idx: int, options: Any, env: dict[str, Any]) -> str:
    return escape(tokens[idx].content)
