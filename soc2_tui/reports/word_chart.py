"""The Word report's chart: readiness per principle as a bar chart, a PNG drawn with Pillow.

Why a PNG from Pillow: Word shows PNG everywhere (older Word and LibreOffice show no SVG, and
python-docx cannot write native Word charts); Pillow draws bars and, with the font it bundles,
clear labels, in a few milliseconds and without a plotting stack (matplotlib would add tens of
megabytes and about a second of import time). It is imported only here, when a Word report is
written. The PNG holds no timestamp, so the same scores give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from soc2_tui.reports.document import Bar

# Drawn at twice the size it is shown (16 cm wide), so it stays sharp when printed.
SCALE = 2
BAND_COLOURS = {"Ready": (26, 127, 55), "Nearly ready": (77, 143, 0), "Needs work": (179, 89, 0),
                "Not ready": (192, 54, 44)}
GREY, INK, GRID = (140, 149, 159), (31, 35, 40), (208, 215, 222)


def bar_chart_png(bars: Sequence[Bar]) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    s = SCALE
    left, width, row, top = 170 * s, 440 * s, 34 * s, 14 * s
    height = top + row * len(bars) + 30 * s
    image = Image.new("RGB", (left + width + 170 * s, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=14 * s)
    bold = font
    small = ImageFont.load_default(size=11 * s)
    for x in (0, 50, 75, 90, 100):  # the band thresholds
        px = left + width * x // 100
        draw.line([(px, top - 4 * s), (px, height - 24 * s)], fill=GRID, width=s)
        draw.text((px, height - 20 * s), str(x), fill=INK, font=small, anchor="ma")
    for i, bar in enumerate(bars):
        y = top + i * row
        draw.text((left - 10 * s, y + 11 * s), bar.label, fill=INK, font=bold if i == len(bars) - 1 else font,
                  anchor="rm")
        w = round(width * (bar.score or 0) / 100)
        if w:
            draw.rectangle([left, y, left + w, y + 22 * s], fill=BAND_COLOURS.get(bar.band, GREY))
        value = "no score" if bar.score is None else f"{bar.score:.1f}"
        draw.text((left + w + 8 * s, y + 11 * s), f"{value} · {bar.band}", fill=INK, font=font, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
