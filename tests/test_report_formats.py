"""The Word and HTML reports (issue 18), each opened with its own library: python-docx for the
.docx, the standard library's html.parser for the .html. Both must say what the Markdown report
says (same headings in the same order, same tables), show charts with text alternatives, and
keep hostile user text as text. The browser check (print to PDF) is in test_report_browser.py.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from html.parser import HTMLParser

import docx
import pytest
from test_report import HOSTILE, HOSTILE_LINE, LEADING, MD, headings, make

from soc2_tui import cli
from soc2_tui.reports import html as html_report
from soc2_tui.reports import markdown, word
from soc2_tui.reports.tables import normalise

TODAY = date(2026, 11, 26)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def md_tables(text: str) -> list[tuple[int, int]]:
    """(rows with the header, columns) of every table in the Markdown."""
    shapes, rows, cols = [], 0, 0
    for t in MD.parse(text):
        if t.type == "table_open":
            rows = cols = 0
        elif t.type == "tr_open":
            rows += 1
            cols = 0
        elif t.type in ("th_open", "td_open"):
            cols += 1
        elif t.type == "table_close":
            shapes.append((rows, cols))
    return shapes


@pytest.fixture
def demo(demo_store, q):
    a = demo_store.get("demo")
    return q, a, demo_store.answers(a.id)


# ----------------------------------------------------------------------------- Word


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def docx_headings(d) -> list[tuple[int, str]]:
    return [(int(p.style.name[-1]), p.text) for p in d.paragraphs if p.style.name.startswith("Heading ")]


def is_gantt(table) -> bool:
    return table._tbl.find(f".//{W}shd") is not None  # the roadmap's months, filled per phase


def all_texts(d) -> list[str]:
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return [p.text for p in d.paragraphs] + cells


def test_word_report_has_the_markdowns_headings_tables_chart_and_no_markdown(demo):
    q, a, answers = demo
    text = markdown.render(q, a, answers, today=TODAY)
    d = open_docx(word.render(q, a, answers, today=TODAY))
    assert docx_headings(d) == headings(text)  # Heading 1/2/3 in the Markdown's order
    assert [s.name for s in d.styles if s.name.startswith("Heading ")][:3] == ["Heading 1", "Heading 2", "Heading 3"]
    tables = [t for t in d.tables if not is_gantt(t)]
    assert [(len(t.rows), len(t.columns)) for t in tables] == md_tables(text)
    for t in d.tables:  # the header row repeats on every page; no other row is a header
        flags = [r._tr.trPr is not None and r._tr.trPr.find(f"{W}tblHeader") is not None for r in t.rows]
        assert flags == [True] + [False] * (len(t.rows) - 1)
    assert all(c.paragraphs[0].runs[0].bold for c in d.tables[0].rows[0].cells)  # header cells in bold
    summary = d.tables[0]
    assert [c.text for c in summary.rows[1].cells][0] == "Security"
    assert len(d.inline_shapes) == 1  # the readiness bar chart
    png = next(p for p in d.part.package.parts if p.partname.endswith(".png")).blob
    assert png.startswith(b"\x89PNG")
    caption = next(p.text for p in d.paragraphs if p.style.name == "Caption")
    assert caption.startswith("Readiness per principle, 0 to 100: Security 60.4 (Needs work)")
    for line in all_texts(d):
        assert "**" not in line and "|" not in line and "`" not in line and "\\" not in line, line
        assert not re.match(r"#{1,6} |- |```|\d+\. \*", line), line  # ("#" alone heads the gaps' rank column)
    bullets = [p.text for p in d.paragraphs if p.style.name == "List Bullet"]
    assert "Organisation: Northwind Analytics" in bullets
    org = next(p for p in d.paragraphs if p.text == "Organisation: Northwind Analytics")
    assert [(r.text, bool(r.bold)) for r in org.runs] == [("Organisation:", True), (" Northwind Analytics", False)]
    assert any(p.style.name == "List Bullet 2" for p in d.paragraphs)  # the nested evidence lists
    gantt = next(t for t in d.tables if is_gantt(t))
    assert [c.text for c in gantt.columns[0].cells] == ["Phase", "Preparation", "Implementation", "Audit period",
                                                         "Formal audit", "Earliest report"]


def test_word_report_is_the_same_bytes_for_the_same_day(demo):
    q, a, answers = demo
    first = word.render(q, a, answers, today=TODAY)
    assert word.render(q, a, answers, today=TODAY) == first
    d = open_docx(first)
    assert d.core_properties.created.date() == TODAY == d.core_properties.modified.date()
    assert d.core_properties.title == "SOC 2 readiness report: demo"
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 26, 0, 0, 0)}


def test_word_report_keeps_hostile_text_as_plain_runs(store, q):
    a = make(store, q, name=HOSTILE_LINE, org=HOSTILE_LINE, text=HOSTILE, line=HOSTILE_LINE, by=HOSTILE_LINE,
             entries=LEADING)
    data = word.render(q, a, store.answers(a.id), today=TODAY)
    d = open_docx(data)
    texts = all_texts(d)
    assert d.paragraphs[0].text == f"SOC 2 readiness report: {HOSTILE_LINE}"
    assert any(normalise(HOSTILE) in t for t in texts)  # the whole note, literally, as text
    for entry in LEADING:  # list entries that look like Markdown blocks stay text in a bullet
        assert any(p.text == normalise(entry) and p.style.name.startswith("List Bullet") for p in d.paragraphs), entry
    plain = make(store, q, name="Plain", entries=["plain"] * len(LEADING))
    plain_doc = open_docx(word.render(q, plain, store.answers(plain.id), today=TODAY))
    assert [lvl for lvl, _t in docx_headings(d)] == [lvl for lvl, _t in docx_headings(plain_doc)]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode()
    assert "<script" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def make_template(path, drop_style: str | None = None) -> None:
    from docx.shared import RGBColor

    t = docx.Document()
    t.styles["Heading 1"].font.color.rgb = RGBColor(0x12, 0x34, 0x56)
    t.styles["Normal"].font.name = "Georgia"
    t.sections[0].header.paragraphs[0].text = "ACME CONSULTING · confidential"
    t.sections[0].footer.paragraphs[0].text = "Acme Consulting LLP"
    t.add_paragraph("Old body text that must not survive")
    if drop_style:
        el = t.styles[drop_style].element
        el.getparent().remove(el)
    t.save(path)


def test_word_template_gives_styles_header_and_footer_but_not_its_body(demo, tmp_path):
    q, a, answers = demo
    ref = tmp_path / "ref.docx"
    make_template(ref, drop_style="Heading 3")
    d = open_docx(word.render(q, a, answers, today=TODAY, template=str(ref)))
    assert d.sections[0].header.paragraphs[0].text == "ACME CONSULTING · confidential"
    assert d.sections[0].footer.paragraphs[0].text == "Acme Consulting LLP"
    assert str(d.styles["Heading 1"].font.color.rgb) == "123456"
    assert d.styles["Normal"].font.name == "Georgia"
    assert "Old body text that must not survive" not in all_texts(d)
    assert d.paragraphs[0].text == "SOC 2 readiness report: demo"
    assert any(p.style.name == "Heading 3" for p in d.paragraphs)  # missing from the template: added


def test_report_cli_writes_word_and_html_and_checks_the_template(db_path, tmp_path, capsys):
    assert cli.main(["--db", str(db_path), "demo"]) == 0
    out = tmp_path / "r.docx"
    assert cli.main(["--db", str(db_path), "report", "demo", "--format", "docx", "-o", str(out)]) == 0
    assert docx_headings(open_docx(out.read_bytes()))[0][1] == "SOC 2 readiness report: demo"
    page = tmp_path / "r.html"
    assert cli.main(["--db", str(db_path), "report", "demo", "--format", "html", "-o", str(page)]) == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    capsys.readouterr()
    not_docx = tmp_path / "notes.txt"
    not_docx.write_text("hello", encoding="utf-8")
    for args, words in ((["--template", str(not_docx)], "not a Word .docx document"),
                        (["--template", str(tmp_path / "none.docx")], "no such file"),
                        (["--format", "md", "--template", str(not_docx)], "--template is for --format docx")):
        fmt = [] if "--format" in args else ["--format", "docx"]
        target = tmp_path / "x.docx"
        assert cli.main(["--db", str(db_path), "report", "demo", *fmt, *args, "-o", str(target)]) == 2
        err = capsys.readouterr().err
        assert words in err and err.count("\n") == 1 and "Traceback" not in err
        assert not target.exists()


# ----------------------------------------------------------------------------- HTML


class Page(HTMLParser):
    """What the tests look at in the HTML: headings, tables, SVGs, tags, attributes, text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.headings: list[tuple[int, str]] = []
        self.tables: list[list[int]] = []
        self.svgs: list[dict] = []
        self.ids: dict[str, str] = {}
        self.text: list[str] = []
        self._heading: list | None = None
        self._in_nav = False
        self._id: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        if tag == "nav":
            self._in_nav = True
        if re.fullmatch(r"h[1-3]", tag) and not self._in_nav:
            self._heading = [int(tag[1]), ""]
        if tag == "table":
            self.tables.append([])
        if tag == "tr":
            self.tables[-1].append(0)
        if tag in ("th", "td"):
            self.tables[-1][-1] += 1
        if tag == "svg":
            self.svgs.append(a)
        if tag in ("title", "desc") and a.get("id"):
            self._id = a["id"]
            self.ids[self._id] = ""

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav = False
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], self._heading[1]))
            self._heading = None
        if tag in ("title", "desc"):
            self._id = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading:
            self._heading[1] += data
        if self._id:
            self.ids[self._id] += data


def test_html_report_has_the_markdowns_headings_tables_and_charts(demo):
    q, a, answers = demo
    text = markdown.render(q, a, answers, today=TODAY)
    page = Page(html_report.render(q, a, answers, today=TODAY))
    assert page.headings == headings(text)
    assert [(len(rows), max(rows)) for rows in page.tables] == md_tables(text)
    assert all(len(set(rows)) == 1 for rows in page.tables)  # every row as wide as the header
    assert len(page.svgs) == 4  # bars, radar, heat map, gantt
    for svg in page.svgs:
        assert svg["role"] == "img"
        title, desc = svg["aria-labelledby"].split()
        assert page.ids[title].strip() and len(page.ids[desc]) > 20
    descs = [page.ids[s["aria-labelledby"].split()[1]] for s in page.svgs]
    assert descs[0].startswith("Security: 60.4 out of 100, Needs work")
    assert [f"CC{n} " in descs[1] for n in range(1, 10)] == [True] * 9
    assert descs[2].startswith("CC1.1: ")
    assert "Preparation: 2026-11-26" in descs[3] and "earliest report date" in descs[3]
    assert "mermaid" not in "".join(page.text)


def test_html_report_is_self_contained_and_made_for_phones_and_print(demo):
    q, a, answers = demo
    out = html_report.render(q, a, answers, today=TODAY)
    page = Page(out)
    assert not {"script", "link", "img", "iframe", "object", "embed", "base", "form"} & set(page.tags)
    for tag, name, value in page.attrs:
        assert name != "src" and not name.startswith("on"), (tag, name)
        if name == "href":
            assert re.fullmatch(r"#section-\d+", value), value
        assert "url(" not in value and "http:" not in value and "https:" not in value, (tag, name, value)
    style = out.split("<style>")[1].split("</style>")[0]
    assert "url(" not in style and "@import" not in style
    assert ('name', 'viewport') in [(k, v) for _t, k, v in page.attrs if k == "name"]
    assert "overflow-x: auto" in style  # tables scroll in their own box on a phone
    printing = style.split("@media print")[1]
    for rule in ("h2 { break-before: page;", "thead { display: table-header-group; }",
                 "tr, figure, svg, li { break-inside: avoid; }"):
        assert rule in printing


def test_html_report_escapes_hostile_text(store, q):
    a = make(store, q, name=HOSTILE_LINE, org=HOSTILE_LINE, text=HOSTILE, line=HOSTILE_LINE, by=HOSTILE_LINE,
             entries=LEADING)
    plain = make(store, q, name="Plain", entries=["plain"] * len(LEADING))
    bad = html_report.render(q, a, store.answers(a.id), today=TODAY)
    good = html_report.render(q, plain, store.answers(plain.id), today=TODAY)
    page, good_page = Page(bad), Page(good)
    assert page.tags == good_page.tags  # hostile text added no element at all
    assert [h[0] for h in page.headings] == [h[0] for h in good_page.headings]
    assert page.headings[0] == (1, f"SOC 2 readiness report: {HOSTILE_LINE}")
    assert "<script>" not in bad and "<b>" not in bad and "javascript:" not in {v for _t, _k, v in page.attrs}
    shown = "".join(page.text)
    assert normalise(HOSTILE) in shown  # all of it, as text
    assert f"<title>SOC 2 readiness report: {HOSTILE_LINE.replace('<', '&lt;').replace('>', '&gt;')}" in bad


def test_only_the_word_and_html_commands_load_their_libraries(tmp_path):
    """python-docx, Pillow and lxml load only for a Word report; markdown-it only for Word or HTML."""
    import subprocess
    import sys

    db = str(tmp_path / "a.db")
    code = ("import sys; from soc2_tui.cli import main\n"
            "def loaded(): return sorted(m for m in ('docx', 'PIL', 'lxml', 'markdown_it') if m in sys.modules)\n"
            f"main(['--db', {db!r}, 'demo']); main(['--db', {db!r}, 'score', 'demo'])\n"
            f"main(['--db', {db!r}, 'report', 'demo', '-o', {str(tmp_path / 'r.md')!r}]); print('MD', loaded())\n"
            f"main(['--db', {db!r}, 'report', 'demo', '--format', 'html', '-o', {str(tmp_path / 'r.html')!r}])\n"
            "print('HTML', loaded())\n"
            f"main(['--db', {db!r}, 'report', 'demo', '--format', 'docx', '-o', {str(tmp_path / 'r.docx')!r}])\n"
            "print('DOCX', loaded())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    said = [line for line in out.splitlines() if line.startswith(("MD ", "HTML ", "DOCX "))]
    assert said == ["MD []", "HTML ['markdown_it']", "DOCX ['PIL', 'docx', 'lxml', 'markdown_it']"]
