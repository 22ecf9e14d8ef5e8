"""The HTML report's charts, drawn as inline SVG in pure Python (no plotting library).

Each function returns one `<svg>` element with role="img", a <title> and a <desc> that says in
words what the chart shows (the numbers), so a screen reader or a text-only reader loses nothing.
Every piece of text is escaped with html.escape: criterion ids and titles come from question
banks, which are user files. Sizes are in a viewBox, so a chart scales to the page or the phone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

from soc2_tui.labels import STATUS_LABELS
from soc2_tui.reports import document
from soc2_tui.reports.document import HEAT_STATUSES, Bar, Span

FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'
BAND_COLOURS = {"Ready": "#1a7f37", "Nearly ready": "#4d8f00", "Needs work": "#b35900", "Not ready": "#c0362c"}
GREY = "#8c959f"
INK = "#1f2328"
GRID = "#d0d7de"
PHASE_COLOURS = ("#0969da", "#8250df", "#1a7f37", "#b35900", "#c0362c")


def _svg(key: str, width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    t, d = f"chart-{key}-title", f"chart-{key}-desc"
    return "\n".join([
        f'<svg class="chart" role="img" aria-labelledby="{t} {d}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {FONT} font-size="13">',  # inline in HTML: no xmlns needed
        f'<title id="{t}">{escape(title)}</title>',
        f'<desc id="{d}">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ])


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{INK}"{extra}>{escape(text)}</text>'


def _score(value: float | None) -> str:
    return "no score" if value is None else f"{value:.1f}"


def bars(items: Sequence[Bar]) -> str:
    """Readiness per principle (and overall), 0-100, coloured by band."""
    left, width, row = 120, 300, 30
    height = 34 + row * len(items)
    body = []
    for x in (0, 50, 75, 90, 100):  # the band thresholds
        px = left + width * x / 100
        body.append(f'<line x1="{px:.1f}" y1="8" x2="{px:.1f}" y2="{height - 18}" stroke="{GRID}"/>')
        body.append(_text(px, height - 4, str(x), "middle", ' font-size="11"'))
    for i, b in enumerate(items):
        y = 12 + i * row
        body.append(_text(left - 8, y + 15, b.label, "end", ' font-weight="bold"' if i == len(items) - 1 else ""))
        w = width * (b.score or 0) / 100
        colour = BAND_COLOURS.get(b.band, GREY)
        body.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="20" rx="2" fill="{colour}"/>')
        body.append(_text(left + w + 6, y + 15, f"{_score(b.score)} · {b.band}"))
    desc = "; ".join(f"{b.label}: {_score(b.score)} out of 100, {b.band}" for b in items)
    return _svg("bars", left + width + 140, height, "Readiness per principle", desc + ".", body)


def radar(points: Sequence[tuple[str, str, float | None]]) -> str:
    """The nine common-criteria series on a radar, 0 at the centre, 100 at the rim."""
    cx, cy, r = 230, 185, 130
    n = len(points) or 1

    def at(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return cx + r * value / 100 * math.cos(angle), cy + r * value / 100 * math.sin(angle)

    body = []
    for ring in (25, 50, 75, 100):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(i, ring) for i in range(n)))
        body.append(f'<polygon points="{pts}" fill="none" stroke="{GRID}"/>')
    for i, (key, *_rest) in enumerate(points):
        x, y = at(i, 100)
        body.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        lx, ly = at(i, 116)
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        body.append(_text(lx, ly + 4, key, anchor, ' font-weight="bold"'))
    shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(i, s or 0) for i, (_k, _n, s) in enumerate(points)))
    body.append(f'<polygon points="{shape}" fill="#0969da" fill-opacity="0.25" stroke="#0969da" stroke-width="2"/>')
    for i, (_k, _n, s) in enumerate(points):
        x, y = at(i, s or 0)
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#0969da"/>')
    desc = "; ".join(f"{k} {name}: {_score(s)}" for k, name, s in points)
    return _svg("radar", 460, 370, "Readiness of the nine common-criteria series (CC1 to CC9), 0 to 100",
                desc + ".", body)


def heatmap(rows: Sequence[tuple[str, str, dict[str | None, int]]]) -> str:
    """Criteria (columns) by status (rows): each cell is how many applicable items mapped to the
    criterion have that status, darker for more."""
    left, top, cell = 112, 58, 15
    cols = max(len(rows), 1)
    peak = max((n for _c, _t, counts in rows for n in counts.values()), default=0) or 1
    body = []
    for j, (crit, title, _counts) in enumerate(rows):
        x = left + j * cell + cell / 2
        body.append(f'<text x="{x:.1f}" y="{top - 6}" transform="rotate(-60 {x:.1f} {top - 6})" font-size="10" '
                    f'fill="{INK}"><title>{escape(f"{crit} {title}")}</title>{escape(crit)}</text>')
    for i, status in enumerate(HEAT_STATUSES):
        y = top + i * cell
        body.append(_text(left - 6, y + 11, STATUS_LABELS[status], "end", ' font-size="11"'))
        for j, (_crit, _title, counts) in enumerate(rows):
            n = counts.get(status, 0)
            shade = f'fill="#0969da" fill-opacity="{0.15 + 0.85 * n / peak:.2f}"' if n else 'fill="#f6f8fa"'
            body.append(f'<rect x="{left + j * cell}" y="{y}" width="{cell - 1}" height="{cell - 1}" {shade}/>')
    desc = "; ".join(
        f"{crit}: " + (", ".join(f"{counts[s]} {STATUS_LABELS[s].lower()}" for s in HEAT_STATUSES if counts.get(s))
                       or "no applicable items")
        for crit, _t, counts in rows)
    height = top + cell * len(HEAT_STATUSES) + 6
    title = "Criteria by status: applicable items per criterion and status"
    return _svg("heat", left + cols * cell + 10, height, title, desc + ".", body)


def gantt(spans: Sequence[Span], report_date: date, bounds: Sequence[date]) -> str:
    """The roadmap's phases on a time line (`bounds`: document.gantt_months), with the earliest
    report date marked."""
    left, width, row = 120, 560, 28
    if not spans or len(bounds) < 2:
        return _svg("gantt", 300, 30, "Roadmap", "No phases to show.", [])
    first, last = bounds[0], bounds[-1]
    days = max((last - first).days, 1)
    quarters = (bounds[1].month - bounds[0].month) % 12 == 3

    def x(d: date) -> float:
        return left + width * (d - first).days / days

    height = 40 + row * len(spans) + 20
    body = []
    for n, t in enumerate(bounds):
        body.append(f'<line x1="{x(t):.1f}" y1="22" x2="{x(t):.1f}" y2="{height - 24}" stroke="{GRID}"/>')
        if n < len(bounds) - 1:  # the label sits in the middle of its month (quarter)
            mid = (x(t) + x(bounds[n + 1])) / 2
            body.append(_text(mid, 16, document.tick_label(t, quarters, n == 0), "middle", ' font-size="10"'))
    for i, s in enumerate(spans):
        y = 28 + i * row
        body.append(_text(left - 8, y + 14, s.label, "end"))
        w = max(x(s.end) - x(s.start), 2)
        body.append(f'<rect x="{x(s.start):.1f}" y="{y}" width="{w:.1f}" height="18" rx="2" '
                    f'fill="{PHASE_COLOURS[i % len(PHASE_COLOURS)]}"/>')
    rx = x(report_date)
    body.append(f'<line x1="{rx:.1f}" y1="22" x2="{rx:.1f}" y2="{height - 22}" stroke="{INK}" stroke-width="2" '
                f'stroke-dasharray="4 3"/>')
    body.append(_text(min(rx, left + width - 4), height - 6, f"Earliest report: {report_date}", "end",
                      ' font-weight="bold"'))
    desc = "; ".join(f"{s.label}: {s.start} to {max(s.end - timedelta(days=1), s.start)}" for s in spans)
    return _svg("gantt", left + width + 20, height, "Roadmap to the SOC 2 report",
                f"{desc}; earliest report date {report_date}.", body)
