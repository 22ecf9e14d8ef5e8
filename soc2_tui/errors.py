"""Every error type of soc2-tui. The CLI shows a `UserError` as one line (and a line per detail)
with exit code 2."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class UserError(Exception):
    """A problem the user can fix (bad input, bad file, bad name). Shown as one line, then each of
    `details` (if any: every bad row of an import) on a line of its own."""

    exit_code = 2
    details: tuple[str, ...] = ()


class StoreBusy(UserError):
    """A write asked not to wait (`wait=False`) found another connection holding the write lock.
    Nothing was written; the caller can retry with `wait=True` (the app does, off its UI thread)."""


class ImportConflicts(UserError):
    """An import found fields changed both in the file and in the assessment since the file was
    exported (`conflicts`: model.Conflict each). Nothing was written; `--overwrite` takes the file's."""

    def __init__(self, conflicts: Sequence[Any], details: Sequence[str] = ()):
        self.conflicts = tuple(conflicts)
        self.details = tuple(details) or tuple(f"{c.item_id} {c.field}" for c in self.conflicts)
        super().__init__(f"nothing imported, {len(self.conflicts)} conflict(s): changed here after the file was "
                         "exported, and changed in the file too (import --overwrite takes the file's values):")


@dataclass(frozen=True)
class Problem:
    """One problem found in a question bank or the criteria catalog, as FILE:LINE: message."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(Exception):
    """One or more problems in the question banks or the criteria catalog."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def one_line(self) -> str:
        """The first problem as FILE:LINE: message, and how many more there are."""
        if not self.problems:
            return "the question banks could not be loaded"
        more = len(self.problems) - 1
        first = str(self.problems[0]).replace("\n", " ")
        return first + (f" (and {more} more problem{'s' if more != 1 else ''})" if more else "")
