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
ALSO_HERE = " · also here: "


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
        """As given (made safe), followed by who else is here when anyone is ("· also here: Lee")."""
        if sub_title is None:
            return None
        self._plain_sub_title = safe(str(sub_title))
        people = self.__dict__.get("_people", "")
        return self._plain_sub_title + (f"{ALSO_HERE}{people}" if people else "")

    def show_people(self) -> None:
        """Name in the header who else changed something in this file in the last few minutes while
        this app was open, so a workshop sees its participants on every screen (the dashboard
        also counts changes from before the app started)."""
        try:
            others = self.soc2.follower.others_here(self.soc2.respondent, live=True)
        except Exception:  # noqa: BLE001 - who else is here is a nicety: never stop a screen for it
            return
        people = safe(", ".join(others))
        if people == self.__dict__.get("_people", ""):
            return
        self._people = people
        plain = self.__dict__.get("_plain_sub_title")
        self.sub_title = plain if plain is not None else (self.sub_title or self.app.sub_title or "")

    def on_screen_resume(self) -> None:
        self.show_people()


class Soc2ModalScreen(Soc2Access, ModalScreen[ResultT]):
    """A dialog of the app that needs the app's data (the store, the question bank …)."""
