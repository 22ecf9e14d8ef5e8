"""Who said what, per field: the author columns of `answers` and the migration that fills them.

Three authors per answer, each with the UTC time of their change (model.AUTHOR_GROUPS):
- `status_by/status_at`: who set the status (of a scope question: its value). This is the
  "answered by" every screen, export and report shows; a note or a flag never changes it;
- `notes_by/notes_at`: the last author of the notes;
- `details_by/details_at`: the last author of any other field (evidence, owner, due date,
  operating since, last reviewed, approver, flag).

They are not answer fields (model.ANSWER_FIELDS): they have no history rows of their own, since
every change's history row already names its author, and `trail.verify` does not compare them.
"""

from __future__ import annotations

from collections.abc import Iterable

from soc2_tui.model import ANSWER_FIELDS, AUTHOR_GROUPS, Answer

GROUPS = ("status", "notes", "details")
# The columns of `answers` after the answer fields, in the order of Answer's fields
# (answered_by/answered_at are status_by/status_at).
AUTHOR_COLUMNS = ("status_by", "status_at", "notes_by", "notes_at", "details_by", "details_at")
Authors = tuple[str, str, str, str, str, str]


def of(answer: Answer) -> Authors:
    """An answer's authors, in AUTHOR_COLUMNS order."""
    return (answer.answered_by, answer.answered_at, answer.notes_by, answer.notes_at,
            answer.details_by, answer.details_at)


def after(current: Authors, changed: Iterable[str], by: str, stamp: str) -> Authors:
    """The authors once `by` changed these answer fields at `stamp`: only their groups move."""
    groups = {AUTHOR_GROUPS[f] for f in changed}
    out = list(current)
    for n, group in enumerate(GROUPS):
        if group in groups:
            out[2 * n], out[2 * n + 1] = by, stamp
    return (out[0], out[1], out[2], out[3], out[4], out[5])


def _fields(group: str) -> str:
    return ", ".join(f"'{f}'" for f in ANSWER_FIELDS if AUTHOR_GROUPS[f] == group)


def _last(group: str, column: str) -> str:
    """SQL: the `column` of the item's last history row that changed a field of `group`."""
    return (f"(SELECT h.{column} FROM history h WHERE h.assessment_id = answers.assessment_id"
            f" AND h.item_id = answers.item_id AND h.field IN ({_fields(group)}) ORDER BY h.id DESC LIMIT 1)")


# Migration 2 → 3 (after the usual backup, in one transaction): answered_by/answered_at, which went
# to whoever changed the item last, become status_by/status_at, and all six are set from the
# history: the last change of each group of fields. An answer with a status or value but no
# history row for it (a file edited by hand) keeps the name it had.
_KEPT = "CASE WHEN status IS NULL AND value IS NULL THEN '' ELSE {} END"
MIGRATION_2 = (
    "ALTER TABLE answers RENAME COLUMN answered_by TO status_by",
    "ALTER TABLE answers RENAME COLUMN answered_at TO status_at",
    *(f"ALTER TABLE answers ADD COLUMN {c} TEXT NOT NULL DEFAULT ''" for c in AUTHOR_COLUMNS[2:]),
    "UPDATE answers SET"
    f" status_by = COALESCE({_last('status', 'changed_by')}, {_KEPT.format('status_by')}),"
    f" status_at = COALESCE({_last('status', 'changed_at')}, {_KEPT.format('status_at')}),"
    f" notes_by = COALESCE({_last('notes', 'changed_by')}, ''),"
    f" notes_at = COALESCE({_last('notes', 'changed_at')}, ''),"
    f" details_by = COALESCE({_last('details', 'changed_by')}, ''),"
    f" details_at = COALESCE({_last('details', 'changed_at')}, '')",
)
