"""The question-bank verbs: `validate` (check banks), `schema` (the JSON Schema of the format) and
`import-bank` (a spreadsheet made into a bank). docs/cli.md and docs/questionnaire-format.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from soc2_tui.cli.commands import _write_output
from soc2_tui.labels import plural
from soc2_tui.terminal import safe


def cmd_validate(args: argparse.Namespace) -> int:
    from soc2_tui import banks, errors, paths

    extra = [Path(p) for p in args.paths] + paths.extra_questionnaire_dirs(args.questionnaires)
    if args.no_builtin and not extra:
        raise errors.UserError("validate --no-builtin: name the bank files or folders to check")
    try:
        q = banks.check(extra, strict=args.strict, builtin=not args.no_builtin)
    except errors.ContentError as exc:
        for p in exc.problems:
            print(safe(str(p), multiline=True), file=sys.stderr)
        n = len(exc.problems)
        print(f"{plural(n, 'problem')} found", file=sys.stderr)
        return 2
    from soc2_tui.cli.references import reference_problems  # references to other frameworks (issue 17)

    if reference_problems(q):
        return 2
    counts = {k: len(q.of_kind(k)) for k in ("scope", "control", "policy")}
    print(safe(f"ok: {len(q.files)} files, {counts['scope']} scope questions, {counts['control']} controls, "
               f"{counts['policy']} policies; banks: " + ", ".join(f"{b} {v}" for b, v in q.banks.items())))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from soc2_tui.banks import load_criteria
    from soc2_tui.banks.schema import schema_json

    criteria, _series = load_criteria()
    _write_output(schema_json(criteria, strict=args.strict), args.output, args.force)
    return 0


def cmd_import_bank(args: argparse.Namespace) -> int:
    from soc2_tui.banks import load_criteria
    from soc2_tui.interchange.bank_import import import_bank

    _criteria, series = load_criteria()
    titles = {sid: name for sid, (_p, name) in series.items()}
    written = import_bank(Path(args.file), args.bank_id, args.bank_version, Path(args.output), titles,
                          force=args.force)
    for path in written:
        print(f"wrote {safe(str(path))}", file=sys.stderr)
    print(f"check it with: soc2-tui validate --no-builtin {safe(args.output)}", file=sys.stderr)
    return 0
