"""Every error type of soc2-tui. The CLI shows a `UserError` as one line (and a line per detail)
with exit code 2."""

from __future__ import annotations

from dataclasses import dataclass


class UserError(Exception):
    """A problem the user can fix (bad input, bad file, bad name). Shown as one line, then each of
    `details` (if any: every bad row of an import) on a line of its own."""

    exit_code = 2
    details: tuple[str, ...] = ()


class StoreBusy(UserError):
    """A write asked not to wait (`wait=False`) found another connection holding the write lock.
    Nothing was written; the caller can retry with `wait=True` (the app does, off its UI thread)."""


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
