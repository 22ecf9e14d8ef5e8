"""The key tables (key_tables.py) made into Textual bindings, the focus rule, the palette and help.

A screen with a list and fields binds its table and mixes in `FocusKeys`:

    class GapAnalysisScreen(FocusKeys, Soc2Screen):
        KEYS = key_tables.GAPS
        BINDINGS = bindings(KEYS)
        LIST = "#gap-tree"

`FocusKeys.check_action` enables a "list" key only while the list has the focus and a "field"
key only while something else has it; a disabled key leaves the footer too, so the footer
always shows what the keys do where the focus is.

Tab, shift+tab and the esc that leaves a field are priority bindings: Textual decides an
ordinary binding only after the key has travelled to the focused widget and back, so keys typed
after a tab in one burst (a slow SSH link, a macro) used to reach the old field first. Decided
on arrival, the focus moves before the next key is handed to a widget.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, partial
from typing import Any

from textual.actions import parse
from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

from soc2_tui.tui.key_tables import Key


def bindings(keys: tuple[Key, ...]) -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    """The Textual bindings of a table (rows with an action)."""
    return [
        Binding(k.key, k.action, k.label or k.name, show=bool(k.label), key_display=k.footer_key or k.display or None,
                priority=k.priority, tooltip=k.name)
        for k in keys if k.action
    ]


def widget_binding(keys: tuple[Key, ...], key: str, action: str) -> Binding:
    """A documented widget key (a table's enter) bound on the widget with the table's words."""
    row = next(k for k in keys if k.key == key and k.action is None)
    return Binding(key, action, row.label or row.name, show=bool(row.label), key_display=row.display or None,
                   tooltip=row.name)


@cache
def places(keys: tuple[Key, ...]) -> dict[str, frozenset[str]]:
    """The actions that act only in the list, and those only outside it (an action in both
    places, like tab's, acts in both)."""
    found: dict[str, set[str]] = {"list": set(), "field": set()}
    for k in keys:
        if k.action and k.where != "any":
            found[k.where].add(parse(k.action)[1])
    both = found["list"] & found["field"]
    return {place: frozenset(actions - both) for place, actions in found.items()}


def typing_in(widget: Widget | None) -> bool:
    """A text field has the focus: every printable key types there."""
    return isinstance(widget, (Input, TextArea))


class FocusKeys:
    """Mixin for a screen with a list and fields: one-key actions act only in the list."""

    KEYS: tuple[Key, ...] = ()
    LIST = ""  # selector of the list (tree, table)

    def in_list(self) -> bool:
        screen: Any = self
        focused = screen.focused
        return focused is not None and bool(self.LIST) and focused.id == self.LIST.lstrip("#")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        where = places(self.KEYS)
        if action in where["list"]:
            return self.in_list()
        if action in where["field"]:
            return not self.in_list()
        return True

    def action_next(self) -> None:
        screen: Any = self
        screen.focus_next()

    def action_to_fields(self) -> None:
        """tab in the list: the first field after it (the app's own tab binding does the same
        on a key; this one names it in the footer)."""
        self.action_next()

    def action_previous(self) -> None:
        screen: Any = self
        screen.focus_previous()


def palette_commands(screen: Screen, app_node: DOMNode) -> Iterable[SystemCommand]:
    """The current screen's actions by their full names ("Set status: Operating"), one entry
    each, from its key table; a screen without a table offers its described bindings."""
    keys: tuple[Key, ...] = getattr(screen, "KEYS", ())
    if keys:
        seen: set[str] = set()
        for k in keys:
            if not k.action or not k.palette or k.action in seen:
                continue
            seen.add(k.action)
            yield SystemCommand(k.name, f"key: {k.shown}", partial(run_now, screen, k.action))
        return
    inherited = {b.action for b in Screen.BINDINGS if isinstance(b, Binding)}
    seen = set()
    for _key, active in screen.active_bindings.items():
        b = active.binding
        if active.node is app_node or not b.description or b.action in seen or b.action in inherited:
            continue
        if not active.enabled or (not b.show and active.node is not screen):
            continue
        seen.add(b.action)
        yield SystemCommand(b.tooltip or b.description, f"{b.description} (key: {app_node.app.get_key_display(b)})",
                            partial(app_node.app.run_action, b.action, active.node))


def run_now(screen: Screen, action: str) -> Any:
    """Run a screen action by name, wherever the focus is (the palette names it explicitly)."""
    _namespace, name, args = parse(action)
    return screen.call_next(getattr(screen, f"action_{name}"), *args)
