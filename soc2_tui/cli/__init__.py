"""Command line: `soc2-tui [global options] [COMMAND] …`.

Each handler imports what it needs inside itself, so `soc2-tui score` never pays for Textual
and only `soc2-tui quick` loads questionary.
"""

from __future__ import annotations

import errno
import gc
import io
import os
import sys

from soc2_tui.cli.commands import cmd_open, cmd_quick
from soc2_tui.cli.parser import build_parser
from soc2_tui.errors import UserError
from soc2_tui.terminal import safe

__all__ = ["build_parser", "cmd_open", "main"]

# What an interrupt leaves behind, by command (the default: nothing was changed).
_INTERRUPTED = {
    "open": "everything answered so far is saved",
    "quick": "everything answered so far is saved",
    "import": "nothing was imported (an import is all or nothing)",
    "demo": "the demo may be incomplete; run `soc2-tui demo --replace` to make it again",
}


def _quiet_stdout() -> None:
    try:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    except OSError:
        pass


class _ClosedOutput(io.TextIOBase):
    """Stands for a standard output closed before the start (`>&-`): writing to it is an error the
    user sees, not output silently dropped with exit code 0."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def main(argv: list[str] | None = None) -> int:
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe that cannot show a character (PYTHONIOENCODING=ascii, an old locale)
        # gets an escape for it instead of a crash.
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        args.command, args.func, args.name = "open", cmd_open, None
    from soc2_tui.errors import ContentError

    one_shot = args.func not in (cmd_open, cmd_quick)
    if one_shot:
        # A one-shot command builds many objects and few reference cycles; the cyclic collector
        # would only walk them again and again (measured: ~10 % of a 20,000-item report). The
        # interactive commands keep it (cmd_open turns it off only while starting).
        gc.disable()
    try:
        return args.func(args)
    except UserError as exc:
        print(f"soc2-tui: error: {safe(str(exc))}", file=sys.stderr)  # it may quote a name or a path
        for detail in exc.details:
            print(f"soc2-tui: error: {safe(detail)}", file=sys.stderr)
        return exc.exit_code
    except ContentError as exc:
        for p in exc.problems[:20]:
            print(f"soc2-tui: error: {safe(str(p), multiline=True)}", file=sys.stderr)
        if len(exc.problems) > 20:
            print(f"soc2-tui: … and {len(exc.problems) - 20} more (run `soc2-tui validate`)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"soc2-tui: interrupted; {_INTERRUPTED.get(args.command, 'nothing was changed')}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: not an error worth a traceback.
        _quiet_stdout()
        return 0
    except OSError as exc:
        # Standard output full or gone (a disk full, a device that refuses): one line, not a
        # traceback, and no second failure when Python flushes it at exit.
        _quiet_stdout()
        where = f"{exc.filename}: " if exc.filename else "writing the output: "
        print(f"soc2-tui: error: {safe(where)}{exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        if one_shot and argv is None:
            # The process ends now: Python's last collection at exit would walk everything
            # built (0.2 s after a 20,000-item report). Frozen objects are skipped.
            gc.freeze()
        else:
            gc.enable()  # main([...]) called in-process (tests): leave the collector as it was
