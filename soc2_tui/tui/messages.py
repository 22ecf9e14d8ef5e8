"""What the app tells its screens: `Saved`, after every write that reached the file.

A screen asks for it once, when it is mounted:

    self.soc2.follow_saves(self, self._reload)

and its handler gets the `Saved` of every later write, in the order written. When the write was
one answer, `Saved.answer` is that answer as now stored, so a screen can patch that one answer in
(the gap analysis does: answering must stay instant on a 2,000-item bank); otherwise (assessment
fields, a snapshot) it re-reads what it shows.

Not a Textual `Message`: a message waits in each screen's queue and is handled later, while
these handlers run at once, inside the save call, before the key press that caused it is over.
The gap analysis counts on that (it re-scores, then moves to the next item and fills its pane
once); so do the answer-latency budget (docs/performance.md) and tests that check a screen right
after `save_answer` returns. The app delivers it through Textual's reactive watchers, one screen
at a time: a screen whose handler fails does not stop the others (Soc2App.follow_saves).
"""

from __future__ import annotations

from dataclasses import dataclass

from soc2_tui.model import Answer


@dataclass(frozen=True)
class Saved:
    """One write is on disk."""

    note: str
    """What the app shows for it: "Saved CC6-01", "Saved principles", "Snapshot taken"."""
    assessment_id: int | None = None
    """The assessment written to (None: a write the app does not describe, such as a snapshot)."""
    answer: Answer | None = None
    """The answer as now stored, when the write was one answer; None for any other write."""
    by: str | None = None
    """None: this app wrote it. Otherwise another program did (another terminal, `import`, quick
    mode) and this is who it named ("" when no name was given): the app noticed it in the file
    (tui/live.py). Screens refresh the same way; the item pane never fills a field being typed in."""

    def answer_for(self, assessment_id: int) -> Answer | None:
        """The saved answer when it belongs to `assessment_id`, else None (re-read instead)."""
        return self.answer if self.assessment_id == assessment_id else None
