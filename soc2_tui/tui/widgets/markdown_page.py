"""A long Markdown document (the gap report), rendered fast and scrolled cheaply.

Textual's Markdown widget mounts a widget per block and per table cell: the full gap report of
the demo (≈1,300 lines, 400 table rows) took half a minute to appear. This widget renders the
document with Rich's Markdown on a worker thread, once per width and theme, into lines that
scroll like a log. Headings of level 2 are remembered, so `sections` can drive a contents list.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from rich.console import Console
from rich.markdown import Markdown
from rich.segment import Segment
from rich.style import Style
from rich.theme import Theme
from textual import work
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from soc2_tui.terminal import safe

_SECTION_RE = re.compile(r"^## (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Section:
    title: str
    line: int  # first rendered line of the section


def split_sections(text: str) -> list[tuple[str, str]]:
    """[(title, markdown)] split before each level-2 heading; the part before the first has
    title ''. Headings inside fenced code blocks are ignored."""
    parts: list[tuple[str, str]] = []
    buf: list[str] = []
    title, fenced = "", False
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        m = None if fenced else _SECTION_RE.match(line.rstrip("\n"))
        if m and (buf or title):
            parts.append((title, "".join(buf)))
            buf = []
        if m:
            title = m.group(1).strip()
        buf.append(line)
    if buf or title:
        parts.append((title, "".join(buf)))
    return parts


class MarkdownPage(ScrollView, can_focus=True):
    """Scrollable rendered Markdown; `update(text)` renders off the UI thread."""

    COMPONENT_CLASSES = {"md--h1", "md--h2", "md--h3", "md--h4", "md--code", "md--border",
                         "md--link", "md--quote", "md--bullet", "md--table-header"}
    DEFAULT_CSS = """
    MarkdownPage {
        background: $background;
        color: $foreground;
        padding: 0 1;
        overflow-x: hidden;
        overflow-y: scroll;
    }
    MarkdownPage > .md--h1 { color: $text-primary; text-style: bold; }
    MarkdownPage > .md--h2 { color: $text-primary; text-style: bold underline; }
    MarkdownPage > .md--h3 { color: $text-secondary; text-style: bold; }
    MarkdownPage > .md--h4 { text-style: bold italic; }
    MarkdownPage > .md--code { color: $text-accent; text-style: bold; }
    MarkdownPage > .md--border { color: $foreground 40%; }
    MarkdownPage > .md--link { color: $text-primary; text-style: underline; }
    MarkdownPage > .md--quote { color: $text-muted; text-style: italic; }
    MarkdownPage > .md--bullet { color: $text-primary; text-style: bold; }
    MarkdownPage > .md--table-header { text-style: bold; }
    """

    class Rendered(Message):
        """Posted when the document has been rendered (and the sections are known)."""

        def __init__(self, page: MarkdownPage) -> None:
            super().__init__()
            self.page = page

    def __init__(self, text: str = "", *, placeholder: str = "Preparing…", id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = safe(text, multiline=True)  # what is drawn: typed text's controls shown visibly
        self.placeholder = placeholder
        self.lines: list[Strip] = []
        self.sections: list[Section] = []
        self._rendered_key: tuple | None = None
        self.rendering = False
        self._to_end = False  # `end` was pressed while the rest was still rendering

    def on_mount(self) -> None:
        self.watch(self.app, "theme", lambda _t: self._render_later(force=True), init=False)
        self._render_later()

    def on_resize(self) -> None:
        self._render_later()

    def update(self, text: str) -> None:
        text = safe(text, multiline=True)  # a report quotes names and notes; Rich draws ESC as given
        if text != self.text:
            self.text = text
            self._render_later(force=True)

    # ------------------------------------------------------------------ rendering

    def _theme(self) -> Theme:
        style = self.get_component_rich_style
        code = style("md--code", partial=True)
        return Theme({
            "markdown.h1": style("md--h1", partial=True),
            "markdown.h1.border": style("md--border", partial=True),
            "markdown.h2": style("md--h2", partial=True),
            "markdown.h3": style("md--h3", partial=True),
            "markdown.h4": style("md--h4", partial=True),
            "markdown.h5": style("md--h4", partial=True),
            "markdown.h6": style("md--h4", partial=True),
            "markdown.code": code,
            "markdown.code_block": code,
            "markdown.block_quote": style("md--quote", partial=True),
            "markdown.list": style("md--bullet", partial=True),
            "markdown.item.bullet": style("md--bullet", partial=True),
            "markdown.item.number": style("md--bullet", partial=True),
            "markdown.link": style("md--link", partial=True),
            "markdown.link_url": style("md--link", partial=True),
            "markdown.table.border": style("md--border", partial=True),
            "markdown.table.header": style("md--table-header", partial=True),
            "markdown.hr": style("md--border", partial=True),
            "markdown.kbd": code,
        }, inherit=True)

    def _render_later(self, force: bool = False) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        key = (self.text, width, self.app.theme)
        if not force and key == self._rendered_key:
            return
        self._rendered_key = key
        self.rendering = True
        self._render_off_thread(key, self.text, width, self._theme(), self.rich_style)

    @work(thread=True, exclusive=True, group="markdown-page", exit_on_error=False)
    def _render_off_thread(self, key: tuple, text: str, width: int, theme: Theme, base: Style) -> None:
        console = Console(width=width, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                          theme=theme, legacy_windows=False, safe_box=False, emoji=False,
                          highlight=False)
        options = console.options.update(width=width)
        lines: list[Strip] = []
        sections: list[Section] = []
        shown_early = False
        for title, chunk in split_sections(text):
            if not shown_early and len(lines) >= 100:
                # Show the top of a long document at once; the rest follows.
                shown_early = True
                self.app.call_from_thread(self._show, key, list(lines), list(sections), width, False)
            if title:
                sections.append(Section(title, len(lines)))
            rendered = console.render_lines(Markdown(chunk, hyperlinks=False), options, pad=False)
            for segments in rendered:
                lines.append(Strip(list(Segment.apply_style(segments, base)), Segment.get_line_length(segments)))
            lines.append(Strip.blank(0))
        while lines and lines[-1].cell_length == 0:
            lines.pop()
        self.app.call_from_thread(self._show, key, lines, sections, width, True)

    def _show(self, key: tuple, lines: list[Strip], sections: list[Section], width: int, done: bool) -> None:
        if key != self._rendered_key:
            return  # a newer rendering (text, width or theme changed) is on its way
        at_end = self.scroll_y >= self.max_scroll_y  # still where `end` took it
        self.lines = lines
        self.sections = sections
        self.virtual_size = Size(width, len(lines))
        self.refresh()
        if done:
            self.rendering = False
            if self._to_end and at_end:
                self.scroll_end(animate=False, immediate=True)
            self._to_end = False
            self.post_message(self.Rendered(self))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if not self.lines and index == 0 and self.placeholder:
            return Strip([Segment(self.placeholder, self.rich_style)]).crop_extend(0, width, self.rich_style)
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        line = self.lines[index]
        return line.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def action_scroll_end(self) -> None:
        """The end of the document, not of the part shown so far: while the rest renders, the
        page goes there once it is in."""
        self._to_end = self.rendering
        self.scroll_end(animate=False, immediate=True)

    def action_scroll_home(self) -> None:
        self._to_end = False
        self.scroll_home(animate=False, immediate=True)

    def scroll_to_section(self, index: int) -> None:
        if 0 <= index < len(self.sections):
            self.scroll_to(y=self.sections[index].line, animate=False)

    def current_section(self) -> int:
        """Index of the section at the top of the view (-1 before the first)."""
        y = self.scroll_offset.y
        current = -1
        for i, s in enumerate(self.sections):
            if s.line <= y:
                current = i
        return current
