"""Check boxes that show their state with a symbol, not only with colour.

Textual's Checkbox and SelectionList draw the same "X" whether ticked or not and tell the two
apart by colour alone, which is unreadable on some terminals and themes. These draw "X" when
ticked and a blank when not.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

TICKED = "X"
UNTICKED = " "


class TickBox(Checkbox):
    """A Checkbox whose box holds X when ticked and is empty when not."""

    @property
    def _button(self) -> Content:
        button_style = self.get_visual_style("toggle--button")
        side_style = Style(foreground=button_style.background, background=self.background_colors[1])
        return Content.assemble(
            (self.BUTTON_LEFT, side_style),
            (TICKED if self.value else UNTICKED, button_style),
            (self.BUTTON_RIGHT, side_style),
        )


class TickList(SelectionList):
    """A SelectionList whose boxes hold X when ticked and are empty when not."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        _, scroll_y = self.scroll_offset
        try:
            selection = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if len(segments) > 1 and segments[1].text == ToggleButton.BUTTON_INNER:
            mark = TICKED if selection.value in self._selected else UNTICKED
            segments[1] = Segment(mark, segments[1].style, segments[1].control)
            return Strip(segments, strip.cell_length)
        return strip
