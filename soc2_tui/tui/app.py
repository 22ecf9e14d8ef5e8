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

import gc
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from textual import events
from textual.app import SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen

from soc2_tui import startup
from soc2_tui.errors import ContentError, UserError
from soc2_tui.model import Answer, Assessment, BankSet, Questionnaire
from soc2_tui.terminal import safe, shown_questionnaire
from soc2_tui.tui import key_tables, keys, live, theme
from soc2_tui.tui.joiners import typed_key
from soc2_tui.tui.saving import SavingApp

if TYPE_CHECKING:
    from argparse import Namespace

    from soc2_tui.store import Store
    from soc2_tui.tui.messages import Saved

DARK_THEME = theme.DARK
LIGHT_THEME = theme.LIGHT

P = ParamSpec("P")
T = TypeVar("T")


class Soc2App(SavingApp):
    """SOC 2 readiness: assessments, scope, gap analysis, policies and reports."""

    TITLE = "SOC 2 readiness"
    # The home screen's styles load with the app's: it is the base screen (see
    # get_default_screen), and a screen's own CSS_PATH would cost a full CSS re-parse there.
    CSS_PATH = ["app.tcss", "screens/home.tcss"]
    BINDINGS = keys.bindings(key_tables.GLOBAL)  # q and ? act outside text fields; tab decided on arrival

    def __init__(self, store: Store, q: Questionnaire, respondent: str | None = None,
                 open_name: str | None = None, today: date | None = None, tune_gc: bool = False,
                 remember: bool = False, theme_name: str | None = None, remembered: bool = False,
                 extra_banks: list[str] | None = None) -> None:
        """`q`: the built-in banks plus `extra_banks` (--questionnaires), for assessments with the
        built-in banks alone; one with its own set gets its banks when opened (`banks_of`).
        `remember`: keep the respondent and theme chosen here for the next session (config.py);
        `remembered`: the respondent came from there (the app says so once)."""
        super().__init__(store)
        for t in theme.THEMES:
            self.register_theme(t)
        self.theme = theme_name if theme_name in (DARK_THEME, LIGHT_THEME) else DARK_THEME
        self.tune_gc = tune_gc  # only for a process of its own (run_app), not an app in tests
        self.remember = remember
        self.remembered = remembered
        self.given_q = q
        self.extra_banks = extra_banks
        self.q = shown_questionnaire(q)  # a custom bank's texts with their controls shown visibly
        self._banks: dict[tuple[int, BankSet], Questionnaire] = {}  # banks_of, per assessment and set
        self._open: tuple[int, BankSet] | None = None  # the assessment and set `q` is for, once one is opened
        self.respondent = respondent or ""
        self.asking_respondent = respondent is None  # until answered, home shows no welcome panel
        self.open_name = open_name
        self.today: date = today or date.today()
        self.last_error: str | None = None

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

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            event = typed_key(event)  # U+200C and U+200D, which Textual drops when typed (tui/joiners.py)
        await super().on_event(event)

    def get_default_screen(self) -> Screen:
        """The home screen is the base of the stack, not pushed over Textual's blank default
        screen: one screen fewer to build and style at start-up."""
        return _home_screen()

    def on_ready(self) -> None:
        # Follow the file: what another terminal changes shows here (tui/live.py). The first
        # look only notes where the history ends; an idle look reads one integer.
        self.follow_file()
        self.follow_timer = live.Ticker(live.POLL_SECONDS, self.follower.has_news,
                                        lambda: self.call_next(self.follow_file))
        self.follow_timer.start()
        if self.catch_signals:
            self.catch_hangups()  # SIGHUP, SIGTERM: what was typed is saved first (saving.py)
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
        if self.remembered and self.respondent:
            self.notify(f"Answering as {self.respondent}, as last time (change it: ctrl+p, “Who is answering”).",
                        timeout=6, markup=False)
        if self.asking_respondent:
            from soc2_tui.tui.dialogs.respondent import ask_respondent

            ask_respondent(self, startup.login_name())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from keys.palette_commands(screen, self)
        yield SystemCommand("Light or dark theme", "Switch between the light and the dark theme (ctrl+t)",
                            self.action_toggle_theme)
        yield SystemCommand("Help", "Keys and how the readiness score works (? or F1)", self.action_help)
        yield SystemCommand("Who is answering", "Change the name stored with each answer",
                            self.action_change_respondent)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`q` and `?` are letters in a text field (and leave the footer there)."""
        return not (action in ("quit_outside_fields", "help_outside_fields") and keys.typing_in(self.focused))

    async def action_quit_outside_fields(self) -> None:
        await self.action_quit()

    def action_help_outside_fields(self) -> None:
        self.action_help()

    def action_toggle_theme(self) -> None:
        self.theme = DARK_THEME if self.theme == LIGHT_THEME else LIGHT_THEME
        self._remember(theme=self.theme)

    def set_respondent(self, name: str) -> None:
        """Who answers from now on; remembered for the next session (config.py)."""
        self.respondent = name
        self._remember(respondent=name)

    def _remember(self, **values: str) -> None:
        if self.remember:
            from soc2_tui import config

            problem = config.save(**values)
            if problem:
                self.notify(problem, severity="warning", timeout=6, markup=False)

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
        """Quit once every answer given so far, and whatever is typed in a field, is on disk."""
        self.save_typed_now()  # a field, the policy editor, an open "changed meanwhile" choice
        await self.wait_for_saves()
        self.exit()

    def open_assessment(self, assessment_id: int) -> None:
        """Show the dashboard of one assessment (on top of the home screen)."""
        from soc2_tui.tui.screens.dashboard import DashboardScreen

        try:
            a = self.store.by_id(assessment_id)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        try:
            self.q = self.banks_of(a)
            self._open = (a.id, a.bank_set)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        except ContentError as exc:  # opened against other banks, its answers would be scored wrongly
            self.notify(safe(f"{a.name!r} cannot be opened: its question banks cannot be loaded: {exc.one_line()}. "
                             "Fix the file (`soc2-tui validate FILE` lists every problem), then open it again."),
                        severity="error", timeout=15, markup=False)
            return
        for kind, _subject, message in self.q.notices:
            if kind in ("bank_missing", "bank_changed"):
                self.notify(message, severity="warning", timeout=12, markup=False)
        self.push_screen(DashboardScreen(assessment_id))

    def banks_of(self, a: Assessment) -> Questionnaire:
        """The banks one assessment is scored against: the app's own for an assessment with the
        built-in banks alone, else its recorded set (plus --questionnaires); read once per set.
        Answers follow renamed items, and a bank not found or changed is a notice (startup.py).
        A bank of its set that does not load raises ContentError, each time it is asked (the file
        may be fixed meanwhile): the home screen's row says why, and the assessment does not open."""
        key = (a.id, a.bank_set)
        found = self._banks.get(key)
        if found is not None:  # its criteria-moved notices as the answers are now
            found = self._banks[key] = self.call_store(self._moved_now, found, a.id) or found
            return found
        default = a.bank_set.builtin and not a.bank_set.paths
        q = startup.assessment_banks(a, self.extra_banks, self.store, by=self.respondent, say=False,
                                     loaded=self.given_q if default else None)
        found = self._banks[key] = shown_questionnaire(q)
        return found

    def _moved_now(self, q: Questionnaire, assessment_id: int) -> Questionnaire:
        from soc2_tui.banks import sets

        return sets.refreshed(q, lambda: self.store.bases(assessment_id))

    def _tell(self, saved: Saved) -> None:
        """Before the screens hear of a save (this app's, or another program's seen in the file):
        an item answered again against the loaded bank leaves the open assessment's "criteria
        moved" notices, so the dashboard and the report stop listing it."""
        if self._open is not None and saved.assessment_id in (None, self._open[0]):
            try:
                q = self._moved_now(self.q, self._open[0])
            except Exception as exc:  # noqa: BLE001 - the answer IS saved; stale warnings must not hide that
                self.log.warning(f"could not read the answers' bases again: {exc!r}")
                q = self.q
            if q is not self.q:
                self.q = self._banks[self._open] = q
        super()._tell(saved)

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
        respondent = startup.given_respondent(getattr(args, "respondent", None))  # --as wins
        from soc2_tui import config

        kept = config.load()  # the respondent and theme of the last session
        app = Soc2App(store, q, respondent=respondent or kept.get("respondent"), open_name=name, tune_gc=True,
                      remember=True, theme_name=kept.get("theme"),
                      remembered=respondent is None and "respondent" in kept,
                      extra_banks=getattr(args, "questionnaires", None))
        app.catch_signals = True
        app.run()
    finally:
        store.close()
    return app.return_code or 0
