"""Typed access to the running app: `self.soc2` is the Soc2App, for screens, dialogs and widgets.

Textual types `self.app` as a plain `App`, so `self.app.store` or `self.app.save_answer(...)`
could not be checked, and screens used to copy the app into an `Any`. Here:

    class DashboardScreen(Soc2Screen): ...       # a screen
    class NewAssessmentScreen(Soc2ModalScreen[int | None]): ...   # a dialog
    class ItemPane(Soc2Access, VerticalScroll): ...                # a widget

and then `self.soc2.store`, `self.soc2.q`, `self.soc2.save_answer(...)` are typed from the key
press to the store. `self.app` stays for what Textual's App itself offers (push_screen, notify,
size …). The app module is imported for type checking only: it imports the screens itself
(lazily), so a run-time import here would be a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from textual.screen import ModalScreen, Screen

from soc2_tui.terminal import safe

if TYPE_CHECKING:
    from textual.app import App

    from soc2_tui.tui.app import Soc2App

ResultT = TypeVar("ResultT")


class _HasApp(Protocol):
    @property
    def app(self) -> App[Any]: ...


class Soc2Access:
    """Mixin for any Textual node of this app (put it before the Textual class)."""

    @property
    def soc2(self: _HasApp) -> Soc2App:
        """The running app, typed (the same object as `self.app`)."""
        return cast("Soc2App", self.app)


class Soc2Screen(Soc2Access, Screen[ResultT]):
    """A screen of the app. Its title and sub-title (an assessment name, a file name) show
    every control character visibly (`terminal.safe`): the header draws them as given."""

    def validate_title(self, title: Any) -> str | None:
        return None if title is None else safe(str(title))

    def validate_sub_title(self, sub_title: Any) -> str | None:
        return None if sub_title is None else safe(str(sub_title))


class Soc2ModalScreen(Soc2Access, ModalScreen[ResultT]):
    """A dialog of the app that needs the app's data (the store, the question bank …)."""
