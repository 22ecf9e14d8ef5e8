"""The Textual app: one store, one questionnaire, a stack of screens.

Every answer is written the moment it is given: on the UI thread when the file is free (a
commit takes well under a millisecond), otherwise on one dedicated writer thread (in the order
given, waiting for another program's lock without freezing the screen). Other writes (assessment
fields, snapshots) always use the writer thread. When a write is done the app tells every screen
that follows saves, at once, with a `messages.Saved` (the saved answer, when it was one), and
bumps `revision`:

    self.soc2.follow_saves(self, self._reload)

A write the store refuses (read-only file, disk full, a deleted assessment …) raises
`errors.UserError`; the app shows it as an error notification and carries on.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen

from soc2_tui import startup
from soc2_tui.errors import StoreBusy, UserError
from soc2_tui.model import Answer, Assessment, Questionnaire
from soc2_tui.terminal import safe, shown_questionnaire
from soc2_tui.tui.messages import Saved

if TYPE_CHECKING:
    from argparse import Namespace

    from soc2_tui.store import Store

SAVED_NOTE_SECONDS = 1.5
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"

P = ParamSpec("P")
T = TypeVar("T")


class Soc2App(App):
    """SOC 2 readiness: assessments, scope, gap analysis, policies and reports."""

    TITLE = "SOC 2 readiness"
    # The home screen's styles load with the app's: it is the base screen (see
    # get_default_screen), and a screen's own CSS_PATH would cost a full CSS re-parse there.
    CSS_PATH = ["app.tcss", "screens/home.tcss"]
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
    ]

    revision: reactive[int] = reactive(0)
    """Incremented after every successful write; screens follow it through follow_saves."""

    def __init__(self, store: Store, q: Questionnaire, respondent: str | None = None,
                 open_name: str | None = None, today: date | None = None, tune_gc: bool = False) -> None:
        super().__init__()
        self.tune_gc = tune_gc  # only for a process of its own (run_app), not an app in tests
        self.store = store
        self.q = shown_questionnaire(q)  # a custom bank's texts with their controls shown visibly
        self.respondent: str = respondent or ""
        self.asking_respondent = respondent is None  # until answered, home shows no welcome panel
        self.open_name = open_name
        self.today: date = today or date.today()
        self.last_error: str | None = None
        self.last_save: Saved | None = None  # the latest write, as told to the screens
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="soc2-writer")
        self._pending: set[Future] = set()
        self._saved_note: str | None = None  # a "Saved …" note waiting to be shown

    # ------------------------------------------------------------------ set-up

    @property
    def file_label(self) -> str:
        """The assessment file as shown in headers (its name; the full path is in help)."""
        return safe(Path(self.store.path).name)

    def validate_title(self, title: Any) -> str:
        return safe(str(title))

    def validate_sub_title(self, sub_title: Any) -> str:
        return safe(str(sub_title))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification (a name, a path, a store error quoted in it) with its control
        characters shown visibly; screens and widgets notify through here too."""
        super().notify(safe(message, multiline=True), title=safe(title), severity=severity, timeout=timeout,
                       markup=markup)

    def get_default_screen(self) -> Screen:
        """The home screen is the base of the stack, not pushed over Textual's blank default
        screen: one screen fewer to build and style at start-up."""
        return _home_screen()

    def on_ready(self) -> None:
        if self.tune_gc:
            # Everything loaded so far (Textual, the question bank, the first screen) lives as
            # long as the app: move it out of the cyclic collector's way, or every collection
            # walks it again (measured: a third of start-up time; docs/performance.md).
            # `soc2-tui` turns collection off while starting (cli.cmd_open); back on from here.
            gc.freeze()
            gc.enable()

    def on_mount(self) -> None:
        self.sub_title = self.file_label
        if self.open_name:
            found = self.store.find(self.open_name)
            if found is None:
                self.notify(f"No assessment named {self.open_name!r} in {self.file_label}.",
                            severity="error", markup=False)
            else:
                self.open_assessment(found.id)
        if self.store.world_readable:
            self.notify(f"{self.store.path} is readable by other users; run: chmod 600 {self.store.path}",
                        severity="warning", timeout=10, markup=False)
        if self.store.network_filesystem:
            self.notify(startup.network_warning(self.store).removeprefix("soc2-tui: warning: "),
                        severity="warning", timeout=20, markup=False)
        if self.asking_respondent:
            from soc2_tui.tui.dialogs.respondent import ask_respondent

            ask_respondent(self, startup.login_name())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from self._screen_commands(screen)
        yield SystemCommand("Light or dark theme", "Switch between the light and the dark theme (ctrl+t)",
                            self.action_toggle_theme)
        yield SystemCommand("Help", "Keys and how the readiness score works (? or F1)", self.action_help)
        yield SystemCommand("Who is answering", "Change the name stored with each answer",
                            self.action_change_respondent)

    def _screen_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The keys of the current screen, by name, so the palette reaches every action."""
        inherited = {b.action for b in Screen.BINDINGS if isinstance(b, Binding)}
        seen: set[str] = set()
        for _key, active in screen.active_bindings.items():
            b = active.binding
            if active.node is self or not b.description or b.action in seen or b.action in inherited:
                continue
            if not active.enabled or (not b.show and active.node is not screen):
                continue
            seen.add(b.action)
            title = b.tooltip or b.description
            yield SystemCommand(title, f"{b.description} (key: {self.get_key_display(b)})",
                                partial(self.run_action, b.action, active.node))

    # ------------------------------------------------------------------ actions

    def action_toggle_theme(self) -> None:
        self.theme = DARK_THEME if self.theme == LIGHT_THEME else LIGHT_THEME

    def action_help(self) -> None:
        from soc2_tui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen())

    def action_change_respondent(self) -> None:
        from soc2_tui.tui.dialogs.respondent import ask_respondent

        ask_respondent(self, self.respondent)

    async def action_quit(self) -> None:
        """Quit once every answer given so far is on disk."""
        await self.wait_for_saves()
        self.exit()

    def open_assessment(self, assessment_id: int) -> None:
        """Show the dashboard of one assessment (on top of the home screen)."""
        from soc2_tui.tui.screens.dashboard import DashboardScreen

        try:
            self.store.by_id(assessment_id)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.push_screen(DashboardScreen(assessment_id))

    # ------------------------------------------------------------------ saving

    @property
    def last_saved(self) -> str | None:
        """The note of the latest write ("Saved “MFA on production”"), None before the first."""
        return self.last_save.note if self.last_save else None

    def save_answer(self, assessment_id: int, item_id: str, **fields: Any) -> None:
        """Save fields of one answer now; then tell the screens (Saved with the answer).

        The commit normally happens right here on the UI thread: it takes well under a
        millisecond, while a hand-off to the writer thread cost 20-90 ms a key press (the writer
        waits for the GIL while the UI thread lays out the screen). If an earlier write is still
        queued, or another program holds the file's write lock, the answer goes to the writer
        thread instead, which keeps the order and waits for the lock without freezing the screen.
        """
        by = self.respondent
        item = self.q.items.get(item_id)
        note = f"Saved “{item.title}”" if item is not None else "Saved the answer"  # a title, not an id
        if not self._pending:
            try:
                answer = self.store.set_answer(assessment_id, item_id, by=by, wait=False, **fields)
            except StoreBusy:
                pass  # another program is writing: wait for it off the UI thread
            except Exception as exc:  # noqa: BLE001 - a save must never take the app down
                self._not_saved(exc)
                return
            else:
                self._saved(Saved(note, assessment_id, answer))
                return

        def queued() -> Saved:
            return Saved(note, assessment_id, self.store.set_answer(assessment_id, item_id, by=by, **fields))

        self._submit(queued)

    def update_assessment(self, assessment_id: int, **fields: Any) -> None:
        """Change assessment fields (name, principles, period …), same pattern as save_answer."""
        by = self.respondent
        what = ", ".join(k.replace("_", " ") for k in fields) or "assessment"

        def job() -> Saved:
            self.store.update_assessment(assessment_id, by=by, **fields)
            return Saved(f"Saved {what}", assessment_id)

        self._submit(job)

    def follow_saves(self, screen: Screen, handler: Callable[[Saved], object]) -> None:
        """Call `handler(saved)` after every write, for as long as `screen` is mounted.

        The handlers run at once, inside the call that saved, in the order the screens asked
        (see messages.py). They ride on Textual's watchers of `revision`, which drop a screen
        when it is unmounted. Every screen follows saves through this, not a bare `watch`:
        Textual stops calling the remaining watchers when one raises, so one screen failing to
        redraw would leave the others (the one on top included) stale. Here a failure stays with
        its screen.
        """
        def safe(_revision: int) -> None:
            if self.last_save is None:
                return  # only _saved moves the revision, after setting last_save
            try:
                handler(self.last_save)
            except Exception as exc:  # noqa: BLE001 - one screen's redraw must not stop the others
                self.log.error(f"{type(screen).__name__} failed to refresh after a save: {exc!r}")
                self.notify(f"The {getattr(screen, 'HELP_NAME', 'screen')} view could not refresh; "
                            "leave it and come back to see the latest answers.",
                            severity="warning", markup=False)

        _ = self.revision  # the first read of a reactive runs its watchers: do it before adding ours
        screen.watch(self, "revision", safe, init=False)

    def write(self, job: Callable[[], object], done_message: str) -> None:
        """Run another store write (a snapshot, say) on the writer thread, like save_answer."""

        def written() -> Saved:
            job()
            return Saved(done_message)

        self._submit(written)

    def _submit(self, job: Callable[[], Saved]) -> None:
        """Run `job` (a store write that returns what it saved) on the writer thread."""
        # Submitted here, on the UI thread, so writes reach the writer thread in the order given.
        future = self._writer.submit(job)
        self._pending.add(future)
        self._finish_save(future)

    @work(group="save", exit_on_error=False)
    async def _finish_save(self, future: Future[Saved]) -> None:
        try:
            saved = await asyncio.wrap_future(future)
        except Exception as exc:  # noqa: BLE001 - a save must never take the app down
            self._not_saved(exc)
            return
        finally:
            self._pending.discard(future)
        self._saved(saved)

    def _not_saved(self, exc: Exception) -> None:
        self.last_error = str(exc) or exc.__class__.__name__
        self.notify(f"Not saved: {self.last_error}", severity="error", timeout=8, markup=False)

    def _saved(self, saved: Saved) -> None:
        self.last_save = saved
        try:
            self.revision += 1  # the screens' follow_saves handlers run now, with last_save
        except Exception as exc:  # noqa: BLE001 - the answer IS saved; a screen failing to redraw must not hide that
            self.log.error(f"refresh after save failed: {exc!r}")
        # The note is shown once the current key is handled: several saves in one go (or keys
        # typed faster than the screen redraws) leave one note, the latest.
        if self._saved_note is None:
            self.call_later(self._show_saved_note)
        self._saved_note = saved.note

    def _show_saved_note(self) -> None:
        message, self._saved_note = self._saved_note, None
        if message:
            self._drop_saved_notes()
            self.notify(message, timeout=SAVED_NOTE_SECONDS, markup=False)

    def _drop_saved_notes(self) -> None:
        """Keep one "Saved …" note on screen, not a pile of them while answering fast."""
        try:
            old = [n for n in self._notifications if n.severity == "information"
                   and str(n.message).startswith("Saved ")]
            for n in old:
                self._unnotify(n, refresh=False)
            if old:
                self._refresh_notifications()
        except AttributeError:  # Textual's internals moved: a few extra notes are harmless
            pass

    async def wait_for_saves(self) -> None:
        """Wait until every save submitted so far is written and reported (tests use this too)."""
        pending = [asyncio.wrap_future(f) for f in list(self._pending)]
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        await self.workers.wait_for_complete([w for w in self.workers if w.group == "save"])

    def call_store(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        """Run a quick store call on the UI thread; a UserError becomes a notification (None)."""
        try:
            return fn(*args, **kwargs)
        except UserError as exc:
            self.last_error = str(exc)
            self.notify(str(exc), severity="error", timeout=8, markup=False)
            return None

    def assessment(self, assessment_id: int) -> Assessment | None:
        """The assessment, or None (with a notification) if it no longer exists."""
        return self.call_store(self.store.by_id, assessment_id)

    def load_state(self, assessment_id: int, gone: Callable[[], Any] | None = None
                   ) -> tuple[Assessment, dict[str, Answer]] | None:
        """The assessment and its answers, read now, for a screen to show and score.

        None when they cannot be read (the app has said why, and the screen keeps what it
        shows); when the assessment no longer exists `gone()` runs too (a screen passes the
        call that closes it)."""
        a = self.assessment(assessment_id)
        if a is None:
            if gone is not None:
                gone()
            return None
        answers = self.call_store(self.store.answers, assessment_id)
        return None if answers is None else (a, answers)

    def on_unmount(self) -> None:
        self._writer.shutdown(wait=True)


def _home_screen() -> Screen:
    from soc2_tui.tui.screens.home import AssessmentsScreen

    return AssessmentsScreen()


def run_app(args: Namespace) -> int:
    """Entry point for `soc2-tui` / `soc2-tui open [NAME]`."""

    q = startup.load_banks(getattr(args, "questionnaires", None))
    store = startup.open_store(getattr(args, "db", None), warn_readable=False, later=True)  # made by the first write
    try:
        name = getattr(args, "name", None)
        if name:
            store.get(name)  # an unknown name is a one-line error before the screen opens
        respondent = startup.given_respondent(getattr(args, "respondent", None))
        app = Soc2App(store, q, respondent=respondent, open_name=name, tune_gc=True)
        app.run()
    finally:
        store.close()
    return app.return_code or 0
