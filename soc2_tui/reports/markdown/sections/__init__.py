"""The sections of the gap report, one module each, and the order the report shows them in.

Every section module has `render(ctx: ReportContext) -> str | None`: the section's Markdown,
starting with its `##` heading (the title block with its `#` heading), or None when the section
is not part of this report (progress without a snapshot to compare with, the evidence window in
a Type I report). To add a section, write a module here and add it to SECTIONS.
"""

from __future__ import annotations

from typing import Protocol

from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.sections import (
    appendix,
    auditor_needs,
    criteria,
    disagreements,
    evidence_window,
    frameworks,
    gaps,
    not_assessed,
    pitfalls,
    policies,
    progress,
    roadmap,
    scope,
    summary,
    title,
    warnings,
)


class Section(Protocol):
    """What a section module provides."""

    def render(self, ctx: ReportContext) -> str | None: ...


SECTIONS: tuple[Section, ...] = (
    title,
    summary,
    progress,
    scope,
    criteria,
    gaps,
    not_assessed,
    policies,
    evidence_window,
    roadmap,
    auditor_needs,
    pitfalls,
    warnings,
    disagreements,
    frameworks,
    appendix,
)
