"""The scope form's guard against silent overwrites (the rule is in dialogs/conflict.py).

A typed scope answer (a name, a description, a list, a date) remembers the stored value its field
was filled from. Before the form saves typed text it reads the stored value again:
- nobody changed it meanwhile, or they saved what was typed here: save;
- it changed but the field here was not edited: show their value instead of saving over it;
- it changed and the field was edited here: nothing is written, and the same choice as in the
  gap analysis is asked (keep mine / keep theirs; a long text can keep both, each with its
  author). While the app closes there is no one to ask: both long texts, else what was typed.

Ticks and choices are single values saved the moment they change: the last one wins, as a
status does, and the other terminals are told at once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from soc2_tui.errors import UserError
from soc2_tui.tui.dialogs import conflict
from soc2_tui.tui.widgets.scope_field import untouched

if TYPE_CHECKING:
    from textual.widget import Widget

    from soc2_tui.model import Item
    from soc2_tui.tui.app import Soc2App

SAVE, SKIP, REFILL, ASK = "save", "skip", "refill", "ask"


def same(a: Any, b: Any) -> bool:
    """Equal as answers: '' and [] are no answer, a tuple is a list."""
    norm = lambda v: list(v) if isinstance(v, tuple) else (None if v in ("", []) else v)  # noqa: E731
    return norm(a) == norm(b)


class ScopeGuard:
    """Mixed into ScopeScreen: `began(item, value)` when a field shows a stored value, `check`
    before a typed value is saved."""

    soc2: Soc2App
    assessment_id: int
    _widgets: dict[str, Widget]

    def _starts(self) -> dict[str, Any]:
        return self.__dict__.setdefault("_scope_start", {})

    def began(self, item: Item, value: Any) -> None:
        """The field of `item` now shows the stored `value`."""
        self._starts()[item.id] = value

    def fresh_value(self, item: Item) -> Any:
        """The stored value, read from the file now."""
        store = self.soc2.store
        if item.assessment_field:
            value = store.by_id(self.assessment_id).scope_fields.get(item.assessment_field)
            return list(value) if isinstance(value, tuple) else value
        ans = store.answer(self.assessment_id, item.id)
        return ans.value if ans else None

    def asking(self) -> set[str]:
        """The items whose choice is on screen (a second save of them waits for it)."""
        return self.__dict__.setdefault("_scope_asking", set())

    def edited(self, item: Item, value: Any) -> bool:
        """The field holds text typed here that is not saved yet (a reload must not replace it)."""
        began = self._starts().get(item.id)
        return not (same(value, began) or same(value, untouched(item, began)))

    def check(self, item: Item, value: Any, closing: bool = False) -> tuple[str, Any]:
        """What to do with a typed `value`: (SAVE, value), (SKIP, None), (REFILL, theirs) or
        (ASK, the Conflict). Closing, a conflict is settled without asking (SAVE with both
        texts, or with mine)."""
        starts = self._starts()
        if item.id not in starts:
            return SAVE, value
        began = starts[item.id]
        edited = self.edited(item, value)
        try:
            fresh = self.fresh_value(item)
        except UserError:
            return (SAVE, value) if edited else (SKIP, None)  # the save will say what is wrong
        if same(fresh, began) or same(fresh, value):
            return (SAVE, value) if edited else (SKIP, None)
        if not edited:
            return REFILL, fresh
        c = self._conflict(item, value, fresh)
        return (SAVE, c.closing_value()) if closing else (ASK, c)

    def _conflict(self, item: Item, mine: Any, theirs: Any) -> conflict.Conflict:
        app = self.soc2
        by = at = ""
        if not item.assessment_field:
            from soc2_tui.store import follow

            try:
                last = follow.field_change(app.store, self.assessment_id, item.id, "value")
            except UserError:
                last = None
            by, at = (last.changed_by, last.changed_at) if last else ("", "")
        c = conflict.Conflict(self.assessment_id, item.id, item.title, "value", mine, theirs, app.respondent, by, at)
        # A long text keeps both, as notes do; a name, a list or a date holds one value.
        return replace(c, joiner="paragraphs" if item.type == "longtext" else None,
                       assessment_field=item.assessment_field)
