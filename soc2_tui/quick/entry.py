"""`soc2-tui quick`: the run from start to end, and its exit code."""

from __future__ import annotations

import argparse
import sys

from soc2_tui import startup
from soc2_tui.errors import UserError
from soc2_tui.labels import plural
from soc2_tui.quick import closing, items, scope
from soc2_tui.quick.prompter import Prompter, Stop
from soc2_tui.quick.session import Session
from soc2_tui.terminal import safe

NO_TTY = ("soc2-tui quick needs an interactive terminal; use `soc2-tui import FILE --into NAME` "
          "to load answers from a CSV")


def run(args: argparse.Namespace, prompter: Prompter | None = None) -> int:
    """`soc2-tui quick`; returns the exit code."""
    if prompter is None:
        if not sys.stdin.isatty():
            print(NO_TTY, file=sys.stderr)
            return 2
        prompter = Prompter()
    session = None
    try:
        session = Session(args, startup.load_banks(args.questionnaires), prompter)
        ask(session)
    except (Stop, KeyboardInterrupt):
        path = session.path if session else args.db
        saved = session.saved if session else 0
        what = f"{plural(saved, 'answer')} saved in" if saved else "Nothing changed in"
        prompter.say(f"Stopped. {what} {path}; run the same command to continue.", wrap=False)
        return 0
    except UserError as exc:
        print(f"soc2-tui: error: {safe(str(exc))}", file=sys.stderr)
        return exc.exit_code
    finally:
        if session is not None:
            session.close()
    return 0


def ask(session: Session) -> None:
    """The run, step by step (docs/quick-mode.md, "A run, step by step")."""
    session.start()
    scope.ask_scope(session)
    items.ask_items(session)
    closing.summarise(session)
    session.offer_report()
