"""Building blocks of the Word report (python-docx, imported by word.py only when it writes):
opening the document (python-docx's own or the consultant's template, emptied), styles a
template lacks, tables with a repeating header row, and a byte-for-byte reproducible save.
"""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from soc2_tui.errors import UserError

# Styles the report uses; a template without one gets python-docx's own definition of it.
NEEDED_STYLES = ("Heading 1", "Heading 2", "Heading 3", "Table Grid", "Caption")


def open_document(template: str | None) -> Any:
    """python-docx's default document, or `template` with its body emptied: its styles,
    headers, footers (logo included), page size and margins stay, as pandoc's --reference-doc."""
    import docx
    from docx.oxml.ns import qn

    if template is None:
        return docx.Document()
    path = Path(template)
    if not path.is_file():
        raise UserError(f"{template}: no such file (--template wants a Word .docx document)")
    try:
        doc = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a file that is not a .docx
        raise UserError(f"{template}: not a Word .docx document ({type(exc).__name__})") from None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # the last section's settings: page, header, footer
            body.remove(child)
    _add_missing_styles(doc)
    return doc


def _add_missing_styles(doc: Any) -> None:
    import docx

    names = {s.name for s in doc.styles}
    missing = [n for n in NEEDED_STYLES if n not in names]
    if not missing:
        return
    default = docx.Document().styles
    for name in missing:
        doc.styles.element.append(copy.deepcopy(default[name].element))


def has_style(doc: Any, name: str) -> bool:
    return any(s.name == name for s in doc.styles)


def style_ids(doc: Any) -> dict[str, str]:
    """Style name -> style id (what the XML names), for every paragraph and table style."""
    return {s.name: s.style_id for s in doc.styles if s.type in (1, 3)}  # WD_STYLE_TYPE.PARAGRAPH, .TABLE


def set_body(doc: Any, fragment: str) -> None:
    """Make `fragment` (WordprocessingML, word_xml.py) the document's body, keeping the final
    section settings (page, header, footer). One parse of the whole body: python-docx's
    one-call-per-run API took seconds for the demo, and moving elements in one by one grows
    with the square of the body's length (20 s for a 2,000-item report)."""
    from docx.oxml import parse_xml
    from lxml import etree

    from soc2_tui.reports.word_xml import wrap

    body = doc.element.body
    sect = body.sectPr
    tail = etree.tostring(sect, encoding="unicode") if sect is not None else ""
    doc.element.replace(body, parse_xml(wrap(fragment + tail)))


def picture_xml(doc: Any, png: bytes, width_cm: float) -> str:
    """A paragraph holding a picture, as WordprocessingML (the image is added to the package)."""
    from docx.shared import Cm
    from lxml import etree

    p = doc.add_paragraph()
    p.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
    p._p.getparent().remove(p._p)
    return etree.tostring(p._p, encoding="unicode")


def set_properties(doc: Any, title: str, day: date) -> None:
    """Core properties that depend only on the report: its title, and its day as the dates."""
    props = doc.core_properties
    when = datetime(day.year, day.month, day.day)
    props.title = title
    props.subject = "SOC 2 readiness"
    props.author = "soc2-tui"
    props.last_modified_by = "soc2-tui"
    props.comments = ""
    props.keywords = "SOC 2; readiness; gap report"
    props.revision = 1
    props.created = props.modified = props.last_printed = when


def save(doc: Any, day: date) -> bytes:
    """The .docx bytes, the same for the same content: python-docx stamps each zip entry with
    the current time; every entry is written again here, in the same order, stamped with the
    report's day."""
    raw = io.BytesIO()
    doc.save(raw)
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
