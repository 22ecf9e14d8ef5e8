"""Saving from the app: every answer written the moment it is given, in order, and every open
screen told at once (the part of the app docs/architecture.md calls "the writer").

An answer is committed on the UI thread when the file is free (well under a millisecond);
otherwise it goes to one dedicated writer thread, which keeps the order and waits for another
program's lock without freezing the screen. Other writes (assessment fields, snapshots) always
use the writer thread. After each write `revision` moves and the screens that follow saves get
a `messages.Saved`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.reactive import reactive
from textual.screen import Screen

from soc2_tui.errors import StoreBusy
from soc2_tui.labels import short_title
from soc2_tui.tui import live
from soc2_tui.tui.messages import Saved

if TYPE_CHECKING:
    from soc2_tui.model import Questionnaire
    from soc2_tui.store import Store

SAVED_NOTE_SECONDS = 1.5


class SavingApp(App):
    """The app's writes and their acknowledgement; Soc2App builds on it."""

    q: Questionnaire  # the question bank, set by Soc2App (save notes name questions by their titles)
    revision: reactive[int] = reactive(0)
    """Incremented after every successful write; screens follow it through follow_saves."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.respondent: str = ""
        self.last_error: str | None = None
        self.last_save: Saved | None = None  # the latest write, as told to the screens
        self._own_note: str | None = None  # the note of this app's latest write
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="soc2-writer")
        self._pending: set[Future] = set()
        self._saved_note: str | None = None  # a "Saved …" note waiting to be shown
        self.follower = live.FileFollower(store)  # what other programs change in the file (live.py)

    @property
    def last_saved(self) -> str | None:
        """The note of the latest write ("Saved “MFA on production”"), None before the first."""
        return self._own_note

    def save_answer(self, assessment_id: int, item_id: str, **fields: Any) -> None:
        """Save fields of one answer now; then tell the screens (Saved with the answer).

        The commit normally happens right here on the UI thread: it takes well under a
        millisecond, while a hand-off to the writer thread cost 20-90 ms a key press (the writer
        waits for the GIL while the UI thread lays out the screen). If an earlier write is still
        queued, or another program holds the file's write lock, the answer goes to the writer
        thread instead, which keeps the order and waits for the lock without freezing the screen.
        """
        by = self.respondent
        self.follower.expect(assessment_id, item_id, fields)
        item = self.q.items.get(item_id)
        note = f"Saved “{short_title(item.title)}”" if item is not None else "Saved the answer"  # a title, not an id
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
        self.follower.expect(assessment_id, None, fields)

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
                return  # only _tell moves the revision, after setting last_save
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

    def follow_file(self) -> None:
        """One look at the file (a timer, twice a second): what another program changed since the
        last look reaches every screen, as a save of this app does, with a note naming who changed
        what. An idle look reads one integer (live.py)."""
        try:
            batch = self.follower.poll(self.respondent, bool(self._pending))
            if batch is None:
                return
            text = live.note(self.q, batch)
            by = ", ".join(sorted({s.change.changed_by for s in batch.changes}))
            items = {(s.assessment_id, s.change.item_id) for s in batch.changes}
            aids = {aid for aid, _item in items}
            saved = Saved(text, None, by=by)
            if len(items) == 1 and not batch.everything:
                aid, item_id = next(iter(items))
                found = self.store.answer(aid, item_id) if item_id in self.q.items else None
                saved = Saved(text, aid, found, by=by)
            elif len(aids) == 1 and not batch.everything:
                saved = Saved(text, next(iter(aids)), by=by)
        except Exception as exc:  # noqa: BLE001 - a failed look at the file must never stop the app
            self.log.warning(f"could not read the changes in the file: {exc!r}")
            return
        self._tell(saved)
        if batch.changes:
            self.notify(text, title="Changed in the file", timeout=6, markup=False)
            stack = self.screen_stack  # empty while the app closes
            show_people = getattr(stack[-1], "show_people", None) if stack else None  # the header names them
            if show_people is not None:
                show_people()

    def _tell(self, saved: Saved) -> None:
        """Hand `saved` to every screen that follows saves (their handlers run now)."""
        self.last_save = saved
        try:
            self.revision += 1  # the screens' follow_saves handlers run now, with last_save
        except Exception as exc:  # noqa: BLE001 - the answer IS saved; a screen failing to redraw must not hide that
            self.log.error(f"refresh after save failed: {exc!r}")

    def _saved(self, saved: Saved) -> None:
        self._own_note = saved.note
        self._tell(saved)
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

    # ------------------------------------------------------------------ the process ending

    catch_signals = False  # run_app sets it: a hang-up or a kill saves what was typed, then quits

    def catch_hangups(self) -> None:
        """On SIGHUP (the terminal closed, an SSH session dropped) and SIGTERM: save, then quit."""
        import signal

        loop = asyncio.get_running_loop()
        for name in ("SIGHUP", "SIGTERM"):
            number = getattr(signal, name, None)  # Windows has no SIGHUP
            if number is None:
                continue
            try:
                loop.add_signal_handler(number, self._hung_up, int(number))
            except (NotImplementedError, RuntimeError, ValueError):
                pass

    def save_typed_now(self) -> None:
        """Write what is typed and not yet saved on every open screen (their `save_typed_now`),
        then wait for every queued write: the process may end the moment this returns."""
        for screen in reversed(self.screen_stack):
            saver = getattr(screen, "save_typed_now", None)
            if callable(saver):
                try:
                    saver()
                except Exception as exc:  # noqa: BLE001 - the other screens still save theirs
                    self.log.error(f"{type(screen).__name__} could not save typed text: {exc!r}")
        if self._pending:
            wait_for(list(self._pending), timeout=30)

    def _hung_up(self, number: int) -> None:
        self.save_typed_now()
        self.exit(return_code=128 + number)

    def on_unmount(self) -> None:
        timer = getattr(self, "follow_timer", None)
        if timer is not None:
            timer.stop()
        self._writer.shutdown(wait=True)
