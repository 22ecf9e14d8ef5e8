"""The sections of the gap report, one module each.

Every section module has `render(ctx: ReportContext) -> str | None`: the section's Markdown,
starting with its heading, or None when the section is not part of this report (progress
without a snapshot to compare with, the evidence window in a Type I report).
"""

from __future__ import annotations

from typing import Protocol

from soc2_tui.reports.markdown.context import ReportContext


class Section(Protocol):
    """What a section module provides."""

    def render(self, ctx: ReportContext) -> str | None: ...
