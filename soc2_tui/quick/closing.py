"""The end of a run: what was saved, the readiness table, and the offer of the gap report."""

from __future__ import annotations

import os
import shlex
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from soc2_tui import scoring
from soc2_tui.errors import UserError
from soc2_tui.labels import file_slug, plural

if TYPE_CHECKING:
    from soc2_tui.quick.session import Session


def summarise(s: Session) -> None:
    """How many answers this run saved, the readiness table, and how to carry on if any are left."""
    from soc2_tui.reports.console import score_table

    s.refresh()
    result = scoring.score(s.q, s.a, s.answers, today=date.today())
    p = s.p
    p.say()
    if s.saved:
        p.say(f"{plural(s.saved, 'answer')} saved in {s.path} this time.")
    else:
        p.say(f"No answers changed in {s.path} this time.")
    p.say()
    p.show(score_table(s.a, result))
    left = len(result.not_assessed)
    if left:
        command = "soc2-tui " + (f"--db {shlex.quote(s.args.db)} " if s.args.db else "")
        command += f"quick {shlex.quote(s.a.name)}"
        p.say(f"{plural(left, 'applicable question')} still {'has' if left == 1 else 'have'} "
              "no answer; to go through them, run:")
        p.say(command, indent=2, wrap=False)
    p.say()


def offer_report(s: Session) -> None:
    """Offer to write the Markdown gap report (what `soc2-tui report` writes), asking before overwriting."""
    from soc2_tui.reports import markdown

    p = s.p
    if not p.confirm("Write the gap report as a Markdown file?", default=True):
        return
    path = Path(p.text("File name:", default=f"{file_slug(s.a.name)}-gap-report.md",
                       validate=lambda v: bool(v.strip()) or "Enter a file name").strip())
    force = False
    if os.path.lexists(path) and not path.is_dir():
        if not p.confirm(f"{path} already exists. Overwrite it?", default=False):
            p.say("Report not written.")
            return
        force = True
    text = markdown.render_from(s.store, s.q, s.a, s.answers, today=date.today())
    from soc2_tui.files import write_text_atomic

    try:
        write_text_atomic(path, text, force=force)
    except UserError as exc:
        p.say(f"Report not written: {exc}", style="red")
        return
    p.say(f"Wrote the gap report to {path}.")
