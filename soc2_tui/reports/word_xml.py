"""WordprocessingML for the Word report's body, written as text (no python-docx import here).

Every piece of text goes through `text`, which escapes `&`, `<` and `>` and drops the characters
XML 1.0 cannot hold: text is always character data inside <w:t>, never markup. Paragraph and
table styles are referred to by style id (word_parts.style_ids).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
USABLE_WIDTH = 9360  # twips (6.5 inches): what a Letter or A4 page with 2.5 cm margins has, about


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


@dataclass(frozen=True)
class Cell:
    runs: Sequence[Run]
    right: bool = False  # right-aligned (numbers)
    fill: str | None = None  # background colour, hex


def wrap(fragment: str) -> str:
    """A fragment of body content as one parseable element (its children are the content)."""
    return f'<w:body xmlns:w="{W_NS}">{fragment}</w:body>'


def text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def run(r: Run) -> str:
    props = ""
    if r.code:
        props += '<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas" w:cs="Consolas"/>'
    if r.bold:
        props += "<w:b/><w:bCs/>"
    if r.italic:
        props += "<w:i/><w:iCs/>"
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{text(r.text)}</w:t></w:r>'


def paragraph(runs: Sequence[Run], style: str | None = None, right: bool = False) -> str:
    props = ""
    if style:
        props += f'<w:pStyle w:val="{text(style)}"/>'
    if right:
        props += '<w:jc w:val="right"/>'
    props = f"<w:pPr>{props}</w:pPr>" if props else ""
    return f"<w:p>{props}{''.join(run(r) for r in runs)}</w:p>"


def table(rows: Sequence[Sequence[Cell]], style: str | None) -> str:
    """A table whose first row is a header Word repeats on every page (w:tblHeader); no row is
    split across two pages (w:cantSplit); columns fit their content (autofit)."""
    cols = len(rows[0])
    width = USABLE_WIDTH // cols
    out = ["<w:tbl><w:tblPr>"]
    if style:
        out.append(f'<w:tblStyle w:val="{text(style)}"/>')
    out.append('<w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="autofit"/>'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
               'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>')
    out.append(f'<w:gridCol w:w="{width}"/>' * cols)
    out.append("</w:tblGrid>")
    for n, row in enumerate(rows):
        if len(row) != cols:
            raise ValueError(f"table row has {len(row)} cells, the header has {cols}")
        out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if n == 0 else "") + "</w:trPr>")
        for cell in row:
            shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{text(cell.fill)}"/>' if cell.fill else ""
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/>{shade}</w:tcPr>'
                       f"{paragraph(cell.runs, right=cell.right)}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)
