"""The gap report as a model the Word and HTML writers share: the Markdown report parsed back
into tokens, plus the numbers its charts draw.

The Markdown report (reports/markdown) is the one place the report's content is decided. The
other formats read it back with markdown-it-py (CommonMark with GFM tables, raw HTML off), so
they cannot drift from it: `tables.esc` escaped every piece of user text, and the parser undoes
exactly that escaping, so each text token holds the user's literal text again. The Word writer
puts that text in runs as it is; the HTML writer escapes it with html.escape.

Charts are not read from the Markdown (it holds them as text bars and a Mermaid block) but from
the same ReportContext the Markdown sections read: the scores and the roadmap plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from soc2_tui.labels import STATUS_LABELS, band_label
from soc2_tui.model import PRINCIPLE_LABELS, STATUSES

if TYPE_CHECKING:
    from markdown_it.token import Token

    from soc2_tui.model import Answer, Assessment, Change, Disagreement, Questionnaire, TrailVerdict
    from soc2_tui.reports.markdown.context import ReportContext

# The heat map's columns: every status, and no answer yet.
HEAT_STATUSES: tuple[str | None, ...] = ("operating", "implemented", "in_progress", "not_started",
                                         "not_applicable", None)
assert set(HEAT_STATUSES) == {*STATUSES, None}


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None  # 0-100; None when nothing applicable is scored
    band: str  # the band's words ("Needs work"), a dash when there is none


@dataclass(frozen=True)
class Span:
    label: str
    start: date
    end: date  # exclusive: the day after the last day


@dataclass(frozen=True)
class Report:
    """One report: its Markdown, the tokens of it and what the charts draw."""

    title: str  # the text of the one `#` heading
    markdown: str
    tokens: Sequence[Token]
    today: date
    organisation: str
    bars: Sequence[Bar]  # the principles in scope, then the overall score
    radar: Sequence[tuple[str, str, float | None]]  # CC1..CC9: id, name, score
    heat: Sequence[tuple[str, str, dict[str | None, int]]]  # criterion id, title, items per status
    spans: Sequence[Span]  # the roadmap phases
    report_date: date  # the earliest report date


def parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def build(q: Questionnaire, a: Assessment, answers: Mapping[str, Answer], today: date,
          compare: Mapping[str, Any] | None = None, history: Sequence[Change] = (),
          trail: TrailVerdict | None = None, disagreements: Sequence[Disagreement] = ()) -> Report:
    """The Markdown report (the text `markdown.render` returns for the same arguments), its
    tokens and the chart data."""
    from soc2_tui.reports import markdown
    from soc2_tui.reports.markdown.context import ReportContext

    ctx = ReportContext(q, a, answers, today, history, compare, trail, disagreements)
    text = markdown.render_context(ctx)
    tokens = parser().parse(text)
    title = next((inline_text(tokens[i + 1]) for i, t in enumerate(tokens)
                  if t.type == "heading_open" and t.tag == "h1"), "")
    return Report(title, text, tokens, today, a.organisation or a.name, _bars(ctx), _radar(ctx), _heat(ctx),
                  _spans(ctx), ctx.plan.report_date)


def inline_text(token: Token) -> str:
    """The literal text of an inline token (emphasis dropped, code spans kept as their text)."""
    out = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


def headings(tokens: Sequence[Token]) -> list[tuple[int, str]]:
    """(level, text) of every heading, in order."""
    return [(int(t.tag[1]), inline_text(tokens[i + 1])) for i, t in enumerate(tokens) if t.type == "heading_open"]


def gantt_months(spans: Sequence[Span], report_date: date) -> list[date]:
    """The first days of the months (of the quarters, when over 18 months) the roadmap spans,
    and the first day after the last of them: the column boundaries of a time line."""
    if not spans:
        return []
    first, last = min(s.start for s in spans), max(report_date, *(s.end for s in spans))
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = 3 if months > 18 else 1
    start_month = first.month - (first.month - 1) % step
    out, y, m = [], first.year, start_month
    while date(y, m, 1) <= last:
        out.append(date(y, m, 1))
        y, m = (y + 1, m + step - 12) if m + step > 12 else (y, m + step)
    return [*out, date(y, m, 1)]


def tick_label(t: date, quarters: bool, first: bool) -> str:
    """A time line's column: "Nov 2026", "Dec", … "Jan 2027"; or "Q1 2027" by quarter."""
    if quarters:
        return f"Q{(t.month - 1) // 3 + 1} {t.year}"
    return t.strftime("%b %Y") if first or t.month == 1 else t.strftime("%b")


def _bars(ctx: ReportContext) -> list[Bar]:
    r = ctx.result
    out = [Bar(PRINCIPLE_LABELS.get(k, k), sc.score, band_label(sc.band)) for k, sc in r.principles.items()]
    return [*out, Bar("Overall", r.overall.score, band_label(r.overall.band))]


def _radar(ctx: ReportContext) -> list[tuple[str, str, float | None]]:
    series = ctx.result.series
    out = []
    for n in range(1, 10):
        key = f"CC{n}"
        name = ctx.q.series.get(key, ("", key))[1]
        out.append((key, name, series[key].score if key in series else None))
    return out


def _heat(ctx: ReportContext) -> list[tuple[str, str, dict[str | None, int]]]:
    applicable = ctx.result.applicable_ids
    counts: dict[str, dict[str | None, int]] = {c: dict.fromkeys(HEAT_STATUSES, 0) for c in ctx.result.criteria}
    for item in ctx.q.scored_items:
        if item.id not in applicable:
            continue
        status = ctx.ans(item.id).status
        for c in item.criteria:
            if c in counts:
                counts[c][status if status in STATUS_LABELS else None] += 1
    titles = {c: ctx.q.criteria[c].title if c in ctx.q.criteria else "" for c in counts}
    return [(c, titles[c], counts[c]) for c in counts]


def _spans(ctx: ReportContext) -> list[Span]:
    return [Span(p.name, p.start, max(p.end, p.start)) for p in ctx.plan.phases]
