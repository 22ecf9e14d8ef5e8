"""Import conflicts: the time a file was exported, and the conflicts found against it, as lines.

The store finds them (store/writing.py, inside the import's transaction): a field whose value
differs between the file and the assessment, changed here after the row was exported, and changed
in the file too (the file's value is not the one exported). Nothing is written then, unless
`import --overwrite`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soc2_tui.model import Conflict

if TYPE_CHECKING:
    from soc2_tui.interchange.importer import Imported


def export_time(raw: Any) -> str | None:
    """An export's time as the history writes times (UTC, microseconds, Z), or None if it is none."""
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    try:
        when = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def conflict_lines(path: Path, found: Imported, conflicts: Iterable[Conflict]) -> list[str]:
    """One line per conflict: FILE:LINE: item field: the file's value, the value here, who changed it when."""
    out = []
    for c in conflicts:
        out.append(f"{path}:{found.lines.get(c.item_id, 0)}: {c.item_id} {c.field}: the file has "
                   f"{shown(c.file_value)}, the assessment has {shown(c.current_value)}, set by "
                   f"{c.changed_by or 'someone unnamed'} at {c.changed_at[:19].replace('T', ' ')} UTC, after the "
                   f"export ({c.exported_at[:19].replace('T', ' ')} UTC)")
    return out


def shown(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 80 else text[:79] + "…"
