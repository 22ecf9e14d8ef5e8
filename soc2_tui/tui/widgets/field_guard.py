"""The item pane's guard against silent overwrites (dialogs/conflict.py says the rule).

`FieldGuard` remembers the stored value each text field was filled from (`_start`); before the
pane saves typed text it reads the answer again and lets through only the fields nobody else
changed meanwhile. A field someone else changed gets the choice (keep mine / theirs / both); a
field whose text was never touched is filled with their value instead of being saved over it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.widgets import TextArea

from soc2_tui.errors import UserError
from soc2_tui.terminal import safe
from soc2_tui.tui.dialogs import conflict

if TYPE_CHECKING:
    from textual.widgets import Input

    from soc2_tui.model import Item
    from soc2_tui.tui.app import Soc2App


class FieldGuard:
    """Mixed into ItemPane: `_guard(changes)` before every save of typed text."""

    soc2: Soc2App
    item: Item | None
    assessment_id: int
    _sent: dict[str, Any]
    _filled: dict[str, str]

    def _field(self, name: str) -> Input | TextArea:
        raise NotImplementedError

    def _started(self) -> dict[str, Any]:
        found: dict[str, Any] | None = self.__dict__.get("_start")
        if found is None:
            found = self.__dict__["_start"] = {}
        return found

    def started_from(self, name: str, value: Any) -> None:
        """The field `name` now shows the stored `value`."""
        self._started()[name] = value

    def _asking(self) -> set[tuple[str, str]]:
        return self.__dict__.setdefault("_asking_fields", set())

    def _guard(self, changes: dict[str, Any], closing: bool = False) -> dict[str, Any]:
        """The changes that can be saved now; the others are asked about (or, closing, merged)."""
        item = self.item
        if item is None:
            return {}
        asking = self._asking()
        changes = {k: v for k, v in changes.items() if (item.id, k) not in asking}
        store = self.soc2.store
        try:
            fresh = store.answer(self.assessment_id, item.id)
        except UserError:
            return changes  # the save will say what is wrong
        start = {k: v for k, v in self._started().items() if k not in self._sent}
        ok, refill, clashes = conflict.split(start, fresh, changes)
        if not closing:
            for name, value in refill.items():
                self._show_value(name, value)
        for name in clashes:
            c = conflict.conflict_of(self.soc2, self.assessment_id, item.id, name, changes[name], fresh)
            if closing:
                ok[name] = c.closing_value()
                continue
            asking.add((item.id, name))
            conflict.ask(self.soc2, c, partial(self._resolved, item.id, name))
        for name, value in ok.items():
            self.started_from(name, value)
        return ok

    def _resolved(self, item_id: str, name: str, value: Any) -> None:
        self._asking().discard((item_id, name))
        if self.item is not None and self.item.id == item_id:
            self._show_value(name, value)

    def _show_value(self, name: str, value: Any) -> None:
        """Fill one field with a stored value (theirs, or the value chosen)."""
        shown = safe(value or "", multiline=name == "notes")
        self.started_from(name, value)
        self._filled[name] = shown
        widget = self._field(name)
        if isinstance(widget, TextArea):
            if widget.text != shown:
                widget.load_text(shown)
        elif widget.value != shown:
            widget.value = shown
