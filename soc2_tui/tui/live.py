"""Following the file: what another program (another terminal, `import`, quick mode) changed
appears on every open screen within about a second, with a short note naming who changed what.

The app asks `FileFollower.has_news` twice a second (`Ticker`, started in Soc2App.on_ready). An idle poll reads one
integer, SQLite's `PRAGMA data_version`, which moves only when another connection committed
(store/follow.py); only then are the history rows after the last one seen read, by their ids.
Rows this app wrote itself (its writer thread commits through another connection, so they move
the counter too) are recognised by their seal, which the store noted as it wrote them
(follow.own_write), and skipped: by the row itself, never by the name, so a second terminal
answering under the same name is still followed. `expect` (told before each write) keeps the
poll reading until the writer thread's rows have been seen.

What others changed reaches the screens through the same `follow_saves` handlers as a local
save (a `Saved` with `by` set): one answer is patched in, anything more is re-read. A field
being typed in is never filled over (the item pane keeps it), and saving it later checks the
stored value first (widgets/conflict.py).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from soc2_tui.labels import plural, short_title, status_label
from soc2_tui.store import follow
from soc2_tui.store.follow import Seen

if TYPE_CHECKING:
    from soc2_tui.model import Questionnaire
    from soc2_tui.store import Store

POLL_SECONDS = 0.5
RECENT_MINUTES = 10  # "Also here": who changed something in the file this recently
NOTE_LINES = 3  # at most this many changes are spelled out in one note
ASSESSMENT_FIELDS = {"principles": "principles", "report_type": "report type", "period_start": "period start",
                     "period_months": "period length", "name": "name", "organisation": "organisation"}
FIELD_WORDS = {"notes": "the notes", "evidence": "the evidence reference", "owner": "the owner",
               "due_date": "the due date", "operating_since": "the operating-since date",
               "last_reviewed": "the last review date", "approver": "the approver", "value": "the answer"}

OwnKey = tuple[int, str | None, str]  # (assessment id, item id or None for the assessment, field)


@dataclass
class Batch:
    """What other programs changed since the last poll."""

    changes: list[Seen] = field(default_factory=list)
    everything: bool = False  # re-read everything (a deletion, a snapshot, more rows than one read)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # the store's format (codec.now), comparable as text


class FileFollower:
    """Which history rows the app has seen, which it wrote itself, and who else is writing."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.version: tuple[int, int] | None = None
        self.last_id: int | None = None  # None until the first poll reads where the history ends
        self.own: Counter[OwnKey] = Counter()
        self.authors: dict[str, str] = {}  # name -> their latest change (ISO UTC)
        self.live_authors: dict[str, str] = {}  # the same, for changes seen arrive while the app runs

    def expect(self, assessment_id: int, item_id: str | None, fields: Iterable[str]) -> None:
        """This app is about to write these fields: their history rows are not news."""
        for name in fields:
            self.own[(assessment_id, item_id, name)] += 1

    def _is_own(self, seen: Seen) -> bool:
        """Written by this app's store: known by the row's seal, not by the name (two terminals
        may answer under one name, and each must still see the other's changes)."""
        if not follow.own_write(self.store, seen.seal):
            return False
        c = seen.change
        for key in ((seen.assessment_id, c.item_id, c.field), (seen.assessment_id, None, c.field)):
            if self.own[key] > 0:
                self.own[key] -= 1
                break
        return True

    def poll(self, me: str, writes_pending: bool) -> Batch | None:
        """What others changed since the last call; None when nothing did (the idle case)."""
        store = self.store
        if self.last_id is None:
            self._start()
            return None
        version = follow.data_version(store)
        moved = version != self.version
        if not moved and not self.own:
            return None
        self.version = version
        limit = 2000
        rows = follow.changes_since(store, self.last_id, limit)
        batch = Batch(everything=len(rows) >= limit)
        if rows:
            self.last_id = rows[-1].change.id
        elif moved and follow.last_history_id(store) < self.last_id:
            self.last_id = follow.last_history_id(store)  # an assessment and its history were deleted
        for seen in rows:
            if seen.change.changed_by:
                self.authors[seen.change.changed_by] = seen.change.changed_at
            if not self._is_own(seen):
                batch.changes.append(seen)
                if seen.change.changed_by:
                    self.live_authors[seen.change.changed_by] = seen.change.changed_at
        if not writes_pending:
            self.own.clear()  # every write of ours is committed, so its rows were among these
        if batch.everything:
            self.last_id = follow.last_history_id(store)
        if not batch.changes and not batch.everything:
            if not moved or rows:
                return None  # only our own writes
            batch.everything = True  # a change without history: a deletion, a snapshot
        return batch

    def _start(self) -> None:
        """The first look: start from where the history ends now, and see who was here lately."""
        store = self.store
        self.version, self.last_id = follow.data_version(store), follow.last_history_id(store)
        self.authors = follow.recent_authors(store, _stamp(datetime.now(UTC) - timedelta(minutes=RECENT_MINUTES)))

    def has_news(self) -> bool:
        """Whether `poll` has anything to do: the counter moved, or writes of ours await their rows."""
        return self.last_id is None or bool(self.own) or follow.data_version(self.store) != self.version

    def others_here(self, me: str, now: datetime | None = None, live: bool = False) -> list[str]:
        """Who else changed something in the file in the last few minutes, most recent first.
        `live`: only changes seen arriving while the app runs (the header: a demo or a file made
        just before the app started names no one who is not there)."""
        if self.last_id is None:
            try:
                self._start()  # a screen asks before the first poll (the dashboard of `open NAME`)
            except Exception:  # noqa: BLE001 - who else is here is a nicety: never stop a screen for it
                return []
        since = _stamp((now or datetime.now(UTC)) - timedelta(minutes=RECENT_MINUTES))
        recent = [(at, name) for name, at in (self.live_authors if live else self.authors).items()
                  if at > since and name != me]
        return [name for _at, name in sorted(recent, reverse=True)]


class Ticker:
    """Calls `check()` every `seconds` straight from the event loop (asyncio's call_later), and
    `act()` when it returns True.

    Not a Textual Timer: each tick of a Timer is a message the app dispatches, which cost about
    0.3 ms of CPU per tick on the 2-core machine (45 ms a minute at two ticks a second, against
    3 ms for the check itself: docs/performance.md). `act` should hand the real work to the app's
    queue (`app.call_next`), where Textual's context is set.
    """

    def __init__(self, seconds: float, check: Callable[[], bool], act: Callable[[], object]) -> None:
        self.seconds, self.check, self.act = seconds, check, act
        self._handle: asyncio.TimerHandle | None = None
        self.paused = False
        self.stopped = False

    def start(self) -> None:
        self._handle = asyncio.get_running_loop().call_later(self.seconds, self._tick)

    def _tick(self) -> None:
        if self.stopped:
            return
        if not self.paused:
            try:
                news = self.check()
            except Exception:  # noqa: BLE001 - let the real look (act) find and report it
                news = True
            if news:
                self.act()
        self.start()

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def stop(self) -> None:
        self.stopped = True
        if self._handle is not None:
            self._handle.cancel()


def describe(q: Questionnaire, seen: Seen) -> str:
    """"Lee set “MFA on production” to Operating": one change, by its question's title."""
    c = seen.change
    who = c.changed_by or "Someone"
    item = q.items.get(c.item_id)
    if c.item_id == "@assessment":
        if c.field == "created":
            return f"{who} created the assessment “{c.assessment}”"
        return f"{who} changed the {ASSESSMENT_FIELDS.get(c.field, c.field)} of “{c.assessment}”"
    if item is None:
        if c.field in ASSESSMENT_FIELDS:
            return f"{who} changed the {ASSESSMENT_FIELDS[c.field]} of “{c.assessment}”"
        return f"{who} changed {c.item_id}"
    title = f"“{short_title(item.title)}”"
    if c.field == "status":
        if not c.new:
            return f"{who} cleared the status of {title}"
        return f"{who} set {title} to {status_label(c.new, policy=item.kind == 'policy')}"
    if c.field == "flagged":
        return f"{who} flagged {title} for follow-up" if c.new == "1" else f"{who} unflagged {title}"
    if item.kind == "scope":
        return f"{who} answered {title}"
    return f"{who} changed {FIELD_WORDS.get(c.field, c.field)} of {title}"


def note(q: Questionnaire, batch: Batch) -> str:
    """The note for a batch: up to NOTE_LINES changes by name, then how many more."""
    if not batch.changes:
        return "The file was changed by another program"
    lines = [describe(q, s) for s in batch.changes[:NOTE_LINES]]
    more = len(batch.changes) - len(lines)
    if more:
        lines.append(f"… and {plural(more, 'more change')}")
    return "\n".join(lines)
