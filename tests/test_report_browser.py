"""The HTML report in a real browser (issue 18): headless Chromium prints the demo's report to
PDF, and poppler's pdfinfo / pdftotext read the pages back.

- Page count: at least one page per `##` section (each starts a page) plus the title page, and
  not absurdly many.
- Headings start pages: for every `##` heading, one page begins with it, in report order.
- No table wider than the page. Chromium does not let a wide table run off the page: it shrinks
  the whole page to fit, or clips what still sticks out, so the PDF alone cannot show the
  problem reliably. The test therefore lays the report out in Chromium once more with the print
  rules applied on screen at the printed page's content width (A4 less the margins, 182 mm), and
  a small script added to that test copy (the report itself has none) lists every table, chart
  and code block wider than the text column; `--dump-dom` hands the list back. A control page
  with a deliberately wide table proves the check catches one. As a second check on the real
  print, every word pdftotext finds lies inside the page's margins.

Skipped, with the reason, when Chromium or poppler-utils is not installed (`.ci/run` installs
both on Debian).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from test_report_formats import Page

from soc2_tui.reports import html as html_report
from soc2_tui.reports.html_style import CSS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None,
    reason="needs Debian's chromium and poppler-utils (apt-get install chromium poppler-utils; .ci/run does)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGE_MM, MARGIN_MM = 210, 14  # A4 and the print stylesheet's left/right margins
PT_PER_MM = 72 / 25.4
# The measuring copy: the print rules on screen, at the width of the printed text column.
MEASURE_CSS = "\n@media screen { body { width: %dmm; margin: 0; } main { padding: 0; } %s }\n"
MEASURE_JS = """<script>
const column = document.querySelector('main').clientWidth;
const wide = [...document.querySelectorAll('table, svg, pre, figure')]
  .filter(e => e.getBoundingClientRect().width > column + 0.5)
  .map(e => e.tagName + ': ' + (e.textContent || '').trim().slice(0, 60));
document.body.dataset.column = column;
document.body.dataset.wide = JSON.stringify(wide);
</script>"""


def chromium(tmp_path: Path, *args: str) -> str:
    run = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                         capture_output=True, text=True, timeout=120, check=True)
    return run.stdout


def print_rules() -> str:
    rules = CSS.split("@media print {", 1)[1].rsplit("}", 1)[0]
    return re.sub(r"@page \{[^}]*\}", "", rules)


def too_wide(tmp_path: Path, page: str) -> tuple[float, list[str]]:
    copy = page.replace("</style>", MEASURE_CSS % (PAGE_MM - 2 * MARGIN_MM, print_rules()) + "</style>", 1)
    copy = copy.replace("</body>", MEASURE_JS + "</body>", 1)
    path = tmp_path / "measure.html"
    path.write_text(copy, encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", path.as_uri())
    column = float(re.search(r'data-column="([\d.]+)"', dom).group(1))
    wide = re.search(r'data-wide="([^"]*)"', dom).group(1)
    return column, json.loads(wide.replace("&quot;", '"').replace("&amp;", "&"))


def top_lines(pdf: Path) -> list[str]:
    """Per page, the words of its topmost line, by position (the heat map's rotated labels come
    first in pdftotext's reading order, so the order of the text is not used)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = []
    for body in out.split("<page ")[1:]:
        words = [(float(y0), float(x0), w) for x0, y0, w in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)<', body)]
        top = min((y for y, _x, _w in words), default=0)
        lines.append(" ".join(w for _y, _x, w in sorted(words, key=lambda t: t[1]) if _y < top + 3))
    return [html.unescape(line) for line in lines]


def words_outside_margins(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    left, right = MARGIN_MM * PT_PER_MM - 1, width - MARGIN_MM * PT_PER_MM + 1
    return [w for x0, x1, w in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<',
                                          out) if float(x0) < left or float(x1) > right]


def test_the_demo_report_prints_to_pdf_as_the_print_stylesheet_says(demo_store, q, tmp_path):
    a = demo_store.get("demo")
    page = html_report.render(q, a, demo_store.answers(a.id), today=date(2026, 11, 26))
    sections = [text for level, text in Page(page).headings if level == 2]
    source = tmp_path / "report.html"
    source.write_text(page, encoding="utf-8")
    pdf = tmp_path / "r.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", source.as_uri())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert "A4" in info
    assert len(sections) + 1 <= pages <= 120, pages
    firsts = top_lines(pdf)
    assert len(firsts) == pages
    starts = [firsts.index(title) + 1 for title in sections]  # raises if a section does not open a page
    assert starts == sorted(starts) and starts[0] >= 2, list(zip(sections, starts, strict=True))
    assert firsts[0].startswith("SOC 2 readiness report: demo")
    assert words_outside_margins(pdf) == []
    column, wide = too_wide(tmp_path, page)
    assert 680 < column < 700  # 182 mm in CSS pixels
    assert wide == []


def test_the_width_check_catches_a_table_wider_than_the_page(tmp_path):
    wide_row = "<tr><td>left</td><td style='white-space: nowrap'>" + "unbreakable-" * 80 + "</td></tr>"
    page = (f"<!DOCTYPE html><html><head><style>{CSS}</style></head><body><main><h1>Control</h1>"
            f"<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody>{wide_row}</tbody></table>"
            "</main></body></html>")
    _column, wide = too_wide(tmp_path, page)
    assert len(wide) == 1 and wide[0].startswith("TABLE: ab")
