"""The Excel workbook's layout: its sheets, their columns, and the header words import reads.

Shared by `xlsx_export` (which writes these columns) and `xlsx_import` (which finds the answer
columns again by their header, wherever a client moved them). A contract (docs/data-formats.md):
columns are added, never renamed. No openpyxl here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from soc2_tui.model import ANSWER_FIELDS, DATE_FIELDS

# The hidden sheet with the export's time and what made the file; import reads `exported_at` there.
META_SHEET = "soc2-tui export"
# The hidden sheet holding the options of the scope questions' drop-down lists.
LISTS_SHEET = "soc2-tui lists"
MATRIX_SHEET = "Control matrix"
INSTRUCTIONS_SHEET = "Instructions"
WORKBOOK_FORMAT = "soc2-tui-workbook"


@dataclass(frozen=True)
class Column:
    key: str  # an answer field (model.ANSWER_FIELDS) where `answer`; otherwise what the cell shows
    header: str
    width: int
    answer: bool = False  # unlocked, read back by import

    @property
    def kind(self) -> str:
        """How the cell is written: date, status, flag, value (a scope answer) or text."""
        if self.key in DATE_FIELDS:
            return "date"
        return self.key if self.key in ("status", "flagged", "value") else "text"


def _c(key: str, header: str, width: int) -> Column:
    return Column(key, header, width, answer=key in ANSWER_FIELDS)


_ID = _c("id", "ID", 11)
_SECTION = _c("section", "Section", 10)
_TITLE = _c("title", "Title", 28)
_QUESTION = _c("question", "Question", 48)
_GUIDANCE = _c("guidance", "Guidance", 60)
_IN_SCOPE = _c("applicable", "In scope", 9)
_FLAGGED = _c("flagged", "Follow up", 10)
_NOTES = _c("notes", "Notes", 48)
_BY = _c("answered_by", "Answered by", 16)
_AT = _c("answered_at", "Answered at (UTC)", 18)

SHEETS: dict[str, tuple[Column, ...]] = {
    "scope": (_c("id", "ID", 22), _c("section", "Section", 14), _TITLE, _QUESTION, _GUIDANCE,
              _c("how", "How to answer", 30), _c("value", "Answer", 36), _NOTES, _BY, _AT),
    "control": (_ID, _SECTION, _TITLE, _QUESTION, _c("criteria", "Criteria", 14), _c("severity", "Severity", 10),
                _GUIDANCE, _c("typical_evidence", "Typical evidence", 40), _IN_SCOPE,
                _c("status", "Status", 16), _c("owner", "Owner", 18), _c("due_date", "Due date", 12),
                _c("operating_since", "Operating since", 15), _c("evidence", "Evidence", 40), _NOTES, _FLAGGED,
                _BY, _AT),
    "policy": (_ID, _SECTION, _TITLE, _c("purpose", "Purpose", 40), _QUESTION, _GUIDANCE,
               _c("contents", "What it should cover", 40), _IN_SCOPE, _c("status", "Status", 16),
               _c("owner", "Owner", 18), _c("approver", "Approver", 18), _c("last_reviewed", "Last reviewed", 14),
               _c("evidence", "Document", 36), _c("due_date", "Due date", 12), _NOTES, _FLAGGED, _BY, _AT),
}
SHEET_TITLES = {"scope": "Scope", "control": "Controls", "policy": "Policies"}

MATRIX_COLUMNS = (
    Column("criterion", "Criterion", 11), Column("criterion_title", "Criterion title", 36),
    Column("item", "Item", 11), Column("title", "Item title", 36), Column("kind", "Kind", 9),
    Column("severity", "Severity", 10), Column("owner", "Owner", 18), Column("status", "Status", 16),
    Column("gap_rating", "Gap rating", 14), Column("points", "Points if closed", 12),
    Column("points_text", "Points by principle", 36),
)


def header_word(text: str) -> str:
    """A header as import compares it: any case, `_`, `-` and runs of spaces alike."""
    return " ".join(re.sub(r"[_\-]", " ", text).split()).casefold()


# What import takes for each column it reads: the headers written here, the CSV's column names
# (`due_date`) and a few words people use; every other column is ignored.
HEADER_KEYS: dict[str, str] = {
    **{header_word(f): f for f in ("id", *ANSWER_FIELDS)},
    **{header_word(c.header): c.key for cols in SHEETS.values() for c in cols if c.key == "id" or c.answer},
    "item id": "id", "flagged": "flagged", "value": "value", "document": "evidence",
}
