"""One line of readiness: label, bar, score, band and coverage (the band is always written out)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from soc2_tui.labels import band_label, fmt_pct, fmt_score
from soc2_tui.scoring import Score

LABEL_WIDTH = 21
SCORE_WIDTH = 6
BAND_WIDTH = 13
COVERAGE_WIDTH = 15
MIN_BAR = 6


class PrincipleBar(Widget):
    """`Security  ██████████░░░░░  72.5  Nearly ready  coverage 80 %`.

    The bar's colour follows the band (theme colours, readable in light and dark themes), but
    the band is also written in words, so colour never carries the meaning alone.
    """

    COMPONENT_CLASSES = {"bar--ready", "bar--nearly_ready", "bar--needs_work", "bar--not_ready",
                         "bar--empty", "bar--label"}

    DEFAULT_CSS = """
    PrincipleBar {
        height: 1;
        width: 1fr;
    }
    PrincipleBar > .bar--ready { color: $text-success; }
    PrincipleBar > .bar--nearly_ready { color: $text-primary; }
    PrincipleBar > .bar--needs_work { color: $text-warning; }
    PrincipleBar > .bar--not_ready { color: $text-error; }
    PrincipleBar > .bar--empty { color: $foreground 30%; }
    PrincipleBar > .bar--label { text-style: bold; }
    PrincipleBar.-overall > .bar--label { text-style: bold reverse; }
    """

    def __init__(self, label: str, score: Score | None = None, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.label = label
        self.score: Score | None = score

    def set_score(self, score: Score | None) -> None:
        self.score = score
        self.refresh()

    def render(self) -> Text:
        s = self.score
        value = s.score if s else None
        width = self.content_size.width or 80
        bar_width = max(MIN_BAR, width - LABEL_WIDTH - SCORE_WIDTH - BAND_WIDTH - COVERAGE_WIDTH - 4)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(self.label[:LABEL_WIDTH - 1].ljust(LABEL_WIDTH),
                    self.get_component_rich_style("bar--label", partial=True))
        full = 0 if value is None else int(round(value / 100 * bar_width))
        band_style = self.get_component_rich_style(f"bar--{s.band}" if s and s.band else "bar--empty",
                                                   partial=True)
        empty_style = self.get_component_rich_style("bar--empty", partial=True)
        text.append("█" * full, band_style)
        text.append(("░" if value is not None else "·") * (bar_width - full), empty_style)
        text.append(" " + fmt_score(value).rjust(SCORE_WIDTH - 1))
        text.append("  " + band_label(s.band if s else None).ljust(BAND_WIDTH - 1), band_style)
        coverage = f"coverage {fmt_pct(s.coverage if s else None)}"
        text.append("  " + coverage.rjust(COVERAGE_WIDTH - 1))
        return text
