"""`soc2-tui merge OTHER.db`: an assessment worked on apart, merged into this file (store/merge.py).

Conflicts are information, not a failure: each is listed on its own line with both values, who set
them and when, and which was taken (the newer); the exit code is 0. A bad OTHER is one line, exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from soc2_tui import startup
from soc2_tui.cli.commands import _store
from soc2_tui.labels import plural
from soc2_tui.terminal import safe

if TYPE_CHECKING:
    from soc2_tui.store.merge import Conflict, Outcome


def cmd_merge(args: argparse.Namespace) -> int:
    from soc2_tui.store.merge import merge

    by = startup.respondent(args.respondent)
    with _store(args, create=False) as store:
        outcome = merge(store, Path(args.file), assessment=args.assessment, into=args.into, by=by,
                        dry_run=args.dry_run)
    for line in summary(outcome):
        print(safe(line))
    return 0


def summary(o: Outcome) -> list[str]:
    """The lines `merge` prints: what was (or would be) done, then one line per conflict."""
    p = o.plan
    source = f"{o.source.path} ({o.source.assessment.name!r})"
    if not p.added:
        return [f"nothing to merge: every change of {source} is already in {o.into!r}"]
    into = f"{o.into!r} (made here as a copy)" if o.created else repr(o.into)
    verb = "would merge" if o.dry_run else "merged"
    lines = [f"{verb} {source} into {into}: {plural(len(p.added), 'change')} added, "
             f"{plural(p.updated, 'field')} updated, {plural(len(p.conflicts), 'conflict')}"
             + (" (dry run: nothing written)" if o.dry_run else "")]
    lines += [_conflict(c) for c in p.conflicts]
    return lines


def _conflict(c: Conflict) -> str:
    def said(row: tuple[str, str, str | None, str | None, str, str]) -> str:
        value = "(none)" if row[3] is None else repr(row[3] if len(row[3]) <= 40 else row[3][:39] + "…")
        return f"{value} by {row[4] or '(no name)'} at {row[5][:23].replace('T', ' ')}"

    return (f"conflict {c.item_id} {c.field}: ours {said(c.ours)}; theirs {said(c.theirs)}; "
            f"took {c.took} (newer)")
