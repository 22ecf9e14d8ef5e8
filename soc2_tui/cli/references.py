"""The check of the banks' references to other frameworks that `soc2-tui validate` runs once the
banks themselves are valid (docs/frameworks.md, "Referencing a framework in a bank")."""

from __future__ import annotations

import sys

from soc2_tui.labels import plural
from soc2_tui.model import Questionnaire
from soc2_tui.terminal import safe


def reference_problems(q: Questionnaire) -> int:
    """Print the reference check's errors and warnings (stderr, as FILE:LINE: message); return the
    number of errors (`validate` fails on any)."""
    from soc2_tui.crosswalk import check, frameworks

    found = check.check_references(q, frameworks.declared())
    for p in (*found.errors, *found.warnings):
        print(safe(str(p), multiline=True), file=sys.stderr)
    if found.errors:
        print(f"{plural(len(found.errors), 'problem')} found", file=sys.stderr)
    return len(found.errors)
