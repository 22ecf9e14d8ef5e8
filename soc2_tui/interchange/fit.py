"""Does an imported file fit the assessment it goes into? Its principles, report type and audit
period, as exported, against the assessment's own.

Import never changes those fields (they belong to the assessment), but they decide which items
apply and what the target is: answers from a Type II, security + availability export imported
into a Type I, security-only assessment score differently (75.5 against the source's 64.4). The
import goes ahead; `warning` says what differs and the exact `soc2-tui new` command for an
assessment that matches the file.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from soc2_tui.labels import report_type_label
from soc2_tui.model import Assessment, normalise_principles

_WORDS = {"principles": "principles", "report_type": "report type", "period_start": "period start",
          "period_months": "period length"}


def _shown(key: str, value: Any) -> str:
    if value is None:
        return "not set"
    if key == "principles":
        return ", ".join(value)
    if key == "report_type":
        return report_type_label(value)
    if key == "period_months":
        return f"{value} months"
    return str(value)


def differences(scope: Mapping[str, Any], a: Assessment) -> list[tuple[str, Any, Any]]:
    """(field, the file's value, the assessment's) for each field the file has and that differs."""
    ours = a.scope_fields
    out = []
    for key in _WORDS:
        if key not in scope:
            continue
        theirs = list(normalise_principles(scope[key])) if key == "principles" else scope[key]
        if theirs != ours[key]:
            out.append((key, theirs, ours[key]))
    return out


def new_command(name: str, scope: Mapping[str, Any], a: Assessment, db: str | None) -> str:
    """The `soc2-tui new` command for an assessment like `a` but with the file's fields."""
    fields = {**a.scope_fields, **{k: v for k, v in scope.items() if k in _WORDS}}
    words = ["soc2-tui", *(["--db", db] if db else []), "new", name, "--type", fields["report_type"],
             "--principles", ",".join(normalise_principles(fields["principles"]))]
    if fields["period_start"]:
        words += ["--period-start", fields["period_start"]]
    if fields["period_months"]:
        words += ["--period-months", str(fields["period_months"])]
    words += ["--org", a.organisation] if a.organisation else []
    return " ".join(shlex.quote(w) for w in words)


def warning(path: Path, scope: Mapping[str, Any], a: Assessment, db: str | None = None) -> list[str]:
    """What to tell the user, a line each, when the file was exported from an assessment with other
    principles, report type or period than `a`: what differs, then the two commands that import
    it into an assessment that matches. Nothing when it fits (or the file does not say)."""
    diffs = differences(scope, a)
    if not diffs:
        return []
    said = "; ".join(f"{_WORDS[k]} {_shown(k, theirs)} in the file, {_shown(k, ours)} here"
                     for k, theirs, ours in diffs)
    name = f"{a.name} ({path.stem})"
    at = ["--db", db] if db else []
    again = " ".join(shlex.quote(w) for w in ["soc2-tui", *at, "import", str(path), "--into", name])
    return [f"{path} was exported from an assessment with another scope than {a.name!r} ({said}); "
            "its answers were imported and score differently here",
            "for an assessment that matches the file, run:",
            f"  {new_command(name, scope, a, db)}",
            f"  {again}"]
