"""The app's two themes, and the contrast rule they are held to.

Both start from Textual's own dark and light themes and change only the colours that failed:
in the light one the warning, success and accent text and the footer keys (2.8–3.8:1 on its grey
panels), in the dark one the secondary text (3.4:1 on the panel). The rule, checked for every text colour the app
uses on every background it draws on (tests/test_theme.py): WCAG AA, 4.5:1 for text. The status
marks use the same colours, so they pass the 3:1 asked of marks with room to spare.
"""

from __future__ import annotations

from dataclasses import replace

from textual.color import Color
from textual.theme import BUILTIN_THEMES

DARK = "soc2-dark"
LIGHT = "soc2-light"

# The text colours the app's styles and status marks use, and the backgrounds they appear on.
TEXT_VARIABLES = ("foreground", "text-primary", "text-secondary", "text-accent", "text-warning", "text-error",
                  "text-success", "text-muted", "footer-key-foreground", "footer-foreground")
BACKGROUNDS = ("background", "surface", "panel")
TEXT_CONTRAST = 4.5  # WCAG 2 AA for normal text

THEMES = (
    replace(BUILTIN_THEMES["textual-dark"], name=DARK, variables={
        **BUILTIN_THEMES["textual-dark"].variables,
        "text-secondary": "#73A0C2",  # the report's third-level headings; was #5684A5: 3.4:1 on the panel
    }),
    replace(BUILTIN_THEMES["textual-light"], name=LIGHT, variables={
        **BUILTIN_THEMES["textual-light"].variables,
        "text-warning": "#7C4800",  # was #A86D1C: 2.8:1 on the panel
        "text-success": "#106230",  # was #337E4A: 3.2:1
        "text-accent": "#7C4800",  # the report's inline code; was #A86D1C like the warnings
        "text-secondary": "#0053AA",
        "footer-key-foreground": "#0053AA",  # was #0178D4: 2.9:1 on the footer
    }),
)


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of a text colour on a background (colours as Textual writes them;
    "auto N%" is Textual's readable text at N% opacity, blended over the background)."""
    bg = Color.parse(background)
    if foreground.startswith("auto"):
        alpha = float(foreground.split()[1].rstrip("%")) / 100 if " " in foreground else 1.0
        fg = bg + bg.get_contrast_text(alpha)
    else:
        fg = bg + Color.parse(foreground)
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _luminance(c: Color) -> float:
    def channel(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)


def contrast_problems(variables: dict[str, str]) -> list[str]:
    """Every text colour below the rule on one of the backgrounds, as 'name on bg: ratio'."""
    found = []
    for name in TEXT_VARIABLES:
        for bg in BACKGROUNDS:
            ratio = contrast(variables[name], variables[bg])
            if ratio < TEXT_CONTRAST:
                found.append(f"{name} on {bg}: {ratio:.2f}:1")
    return found
