"""`soc2-tui coverage NAME [--framework ID] [--json]`: how far the assessment's answers cover other
frameworks through the question bank's references (docs/frameworks.md)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from soc2_tui.cli.commands import _read_assessment, _to_stdout
from soc2_tui.errors import UserError
from soc2_tui.labels import plural, status_label, truncate
from soc2_tui.terminal import safe


def cmd_coverage(args: argparse.Namespace) -> int:
    from soc2_tui import scoring
    from soc2_tui.crosswalk import coverage, frameworks

    declared = frameworks.declared()
    chosen = None
    if args.framework is not None:
        chosen = frameworks.find(declared, args.framework)
        if chosen is None:
            raise UserError(f"unknown framework {args.framework!r} (declared: "
                            f"{', '.join(f.id for f in declared) or 'none'})")
    q, a, answers = _read_assessment(args)
    result = scoring.score(q, a, answers, today=date.today())
    found = coverage.all_coverage((chosen,) if chosen else declared, q, answers, result)
    if args.json:
        docs = [c.as_dict() for c in found]
        if chosen is None:  # the short form: no control lists
            for fw in docs:
                fw.pop("controls")
        doc = {"assessment": a.name, "frameworks": docs}
        sys.stdout.write(_to_stdout(json.dumps(doc, indent=2, ensure_ascii=False) + "\n"))
        return 0
    lines = _control_lines(found[0]) if chosen else _summary_lines(found)
    sys.stdout.write("\n".join(safe(line) for line in lines) + "\n")
    return 0


def _summary_lines(found: list) -> list[str]:
    width = max([len(c.framework.id) for c in found] + [9])
    lines = [f"{'framework':<{width}}  touched         ready  not ready  not applicable"]
    for c in found:
        touched = f"{c.touched} of {c.total}"
        lines.append(f"{c.framework.id:<{width}}  {touched:<14}  {c.ready:>5}  {c.count('not_ready'):>9}  "
                     f"{c.count('not_applicable'):>14}")
    lines += [c.summary() for c in found]
    lines.append("per control: soc2-tui coverage NAME --framework ID (indicative; not a certification)")
    return lines


def _control_lines(c) -> list[str]:  # noqa: ANN001 - a crosswalk.coverage.Coverage
    from soc2_tui.crosswalk.coverage import STATE_LABELS

    lines = [c.summary()]
    id_width = max(len(cid) for cid in c.framework.controls)
    for ctl in c.controls:
        if ctl.state == "untouched":
            continue
        shown = [s for s in ctl.items if s.in_force or s.status == "not_applicable"]
        items = ", ".join(f"{s.item.id} {status_label(s.status, s.item.kind == 'policy').lower()}" for s in shown)
        if len(shown) < len(ctl.items):  # out of the assessment's principles or scope
            items += f"{', ' if shown else ''}{len(ctl.items) - len(shown)} out of scope"
        lines.append(f"{ctl.id:<{id_width}}  {truncate(ctl.title, 40):<40}  {STATE_LABELS[ctl.state]:<14}  {items}")
    untouched = [ctl.id for ctl in c.controls if ctl.state == "untouched"]
    if untouched:
        lines.append(f"untouched ({len(untouched)}): {', '.join(untouched)}")
    if c.unknown:
        lines.append(f"{plural(len(c.unknown), 'reference')} to ids not in {c.framework.id} ignored "
                     "(soc2-tui validate lists them)")
    target = "operating" if c.report_type == "type2" else "implemented or operating"
    lines.append(f"ready: every item in force that references the control is {target}; indicative, "
                 "not a certification")
    return lines
