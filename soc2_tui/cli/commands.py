"""One handler per CLI verb. Each imports what it needs inside itself, so `soc2-tui score` never
pays for Textual and only `soc2-tui quick` loads questionary."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from soc2_tui import startup
from soc2_tui.errors import UserError
from soc2_tui.labels import plural
from soc2_tui.terminal import safe

if TYPE_CHECKING:
    from soc2_tui.model import Answer, Assessment, Questionnaire
    from soc2_tui.store import Store

PRINCIPLE_CHOICES = "security,availability,processing_integrity,confidentiality,privacy"


# ----------------------------------------------------------------------------- shared helpers


def _questionnaire(args: argparse.Namespace) -> Questionnaire:
    """The built-in banks plus --questionnaires: for commands about banks, not one assessment."""
    return startup.load_banks(args.questionnaires)


def _banks_of(args: argparse.Namespace, store: Store, a: Assessment) -> Questionnaire:
    """The banks of one assessment (its recorded set, plus --questionnaires for this command); a
    bank not found or changed is said on stderr and carried into the warnings."""
    q = startup.assessment_banks(a, args.questionnaires, store, by=startup.respondent(args.respondent))
    _say_notices(q, a)
    return q


def _say_notices(q: Questionnaire, a: Assessment) -> None:
    for _kind, _subject, message in q.notices:
        print(f"soc2-tui: warning: {safe(a.name)}: {safe(message)}", file=sys.stderr)


def _store(args: argparse.Namespace, create: bool = True) -> Store:
    return startup.open_store(args.db, create=create)


def _read_assessment(args: argparse.Namespace) -> tuple[Questionnaire, Assessment, dict[str, Answer]]:
    """The assessment named on the command line, its banks and its answers."""
    with _store(args, create=False) as store:
        a = store.get(args.name)
        q = _banks_of(args, store, a)
        return q, a, store.answers(a.id)


def _console():
    from rich.console import Console

    return Console()


def _to_stdout(text: str) -> str:
    """Data for stdout: as it is for a pipe or a file, every control shown visibly for a terminal."""
    return safe(text, multiline=True) if sys.stdout.isatty() else text


def _print_data(text: str) -> None:
    print(_to_stdout(text))


def _write_output(text: str | bytes, out: str | None, force: bool) -> None:
    from soc2_tui.files import write_bytes_atomic, write_text_atomic

    if isinstance(text, bytes):  # a binary format (Word, Excel): to a file or a pipe, never a terminal
        if out in (None, "-"):
            if sys.stdout.isatty():
                raise UserError("this format is a binary file: give -o FILE (or pipe the output)")
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
            return
        write_bytes_atomic(out, text, force=force)
    elif out in (None, "-"):
        sys.stdout.write(_to_stdout(text))
        sys.stdout.flush()
        return
    else:
        write_text_atomic(out, text, force=force)  # the name as typed ('dir/' stays a folder); data unchanged
    print(f"wrote {safe(out)}", file=sys.stderr)


def _principles(text: str | None) -> list[str]:
    from soc2_tui.model import PRINCIPLES

    if not text:
        return ["security"]
    chosen = [p.strip() for p in text.split(",") if p.strip()]
    for p in chosen:
        if p not in PRINCIPLES:
            raise UserError(f"unknown principle {p!r} (expected: {PRINCIPLE_CHOICES})")
    return chosen


# ----------------------------------------------------------------------------- commands


def cmd_questions(args: argparse.Namespace) -> int:
    from soc2_tui.formats import QUESTION_FORMATS

    q = _questionnaire(args)
    if args.format in QUESTION_FORMATS:
        text = QUESTION_FORMATS[args.format](q)
    else:
        from soc2_tui.reports.console import plain_text, questions_table

        if args.output in (None, "-"):
            _console().print(questions_table(q))
            return 0
        text = plain_text(questions_table(q))  # -o FILE: the table as plain text, every row whole
    _write_output(text, args.output, args.force)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    q, bank_set = startup.new_banks(args.bank or [], args.no_builtin, args.questionnaires)
    by = startup.respondent(args.respondent)  # a refused name leaves no new file behind
    with _store(args) as store:
        a = store.create(args.name, organisation=args.org or "", report_type=args.type,
                         principles=_principles(args.principles), period_start=args.period_start,
                         period_months=args.period_months, bank_versions=q.banks, by=by, bank_set=bank_set)
    from soc2_tui.labels import report_type_label
    from soc2_tui.model import PRINCIPLE_LABELS

    what = f"{report_type_label(a.report_type)}: {', '.join(PRINCIPLE_LABELS[p] for p in a.principles)}"
    print(f"created assessment {a.name!r} ({what}) in {safe(str(store.path))}")
    if not bank_set.builtin or bank_set.paths:
        print(safe(f"question banks: {', '.join(f'{b.id} {b.version}' for b in bank_set.banks)}"
                   + ("" if bank_set.builtin else " (not the built-in ones)")))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from soc2_tui.summary import assessment_rows

    with _store(args, create=False) as store:
        def banks_of(a: Assessment) -> Questionnaire:
            q = startup.assessment_banks(a, args.questionnaires, store, by=startup.respondent(args.respondent))
            if not args.json:
                _say_notices(q, a)
            return q

        rows = assessment_rows(banks_of, store)
    if args.json:
        import json

        _print_data(json.dumps(rows, indent=2, ensure_ascii=False))
    elif not rows:
        print("no assessments yet: create one with `soc2-tui new NAME` or try `soc2-tui demo`")
    else:
        from soc2_tui.reports.console import list_errors, list_table

        console = _console()
        console.print(list_table(rows, str(store.path), console.width))
        for line in list_errors(rows):
            console.print(line, style="yellow", soft_wrap=True)
    return _list_exit(rows)


def _list_exit(rows: list[dict]) -> int:
    """0 while one assessment's banks at least load (the others' rows say what is wrong); 2 when
    none does: then the banks every command loads (--questionnaires, the built-in ones) are at fault."""
    broken = [r["bank_error"] for r in rows if r["bank_error"]]
    if rows and len(broken) == len(rows):
        print(f"soc2-tui: error: the question banks of no assessment could be loaded: {safe(broken[0])}",
              file=sys.stderr)
        return 2
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from soc2_tui import scoring
    from soc2_tui.interchange.export import result_json

    q, a, answers = _read_assessment(args)
    result = scoring.score(q, a, answers, today=date.today())
    if args.json:
        _print_data(json.dumps(result_json(q, result), indent=2, ensure_ascii=False))
        return 0
    from soc2_tui.reports.console import score_table

    _console().print(score_table(a, result))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from datetime import date

    from soc2_tui.formats import EXPORT_FORMATS, Source

    q, a, answers = _read_assessment(args)
    text = EXPORT_FORMATS[args.format].write(Source(q, a, answers, today=date.today()))
    _write_output(text, args.output, args.force)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from soc2_tui.errors import ImportConflicts
    from soc2_tui.interchange import conflicts, fit, importer

    by = startup.respondent(args.respondent)
    path = Path(args.file)
    with _store(args, create=False) as store:
        a = store.get(args.into)
        q = _banks_of(args, store, a)
        imported = importer.read_file(path, q)
        changes = imported.changes
        try:  # an export's time: fields changed here since are conflicts (--overwrite: the file's anyway)
            n, kept = store.import_answers(a.id, changes, by=by,
                                           exported_at=None if args.overwrite else imported.exported_at)
        except ImportConflicts as exc:
            raise ImportConflicts(exc.conflicts, conflicts.conflict_lines(path, imported, exc.conflicts)) from None
    for line in fit.warning(path, imported.scope, a, args.db):  # another scope: say so
        print(f"soc2-tui: warning: {safe(line)}", file=sys.stderr)
    if kept:
        print(f"soc2-tui: note: {plural(len(kept), 'field')} changed here after the export and not in the file "
              f"kept their newer value ({', '.join(safe(f'{c.item_id} {c.field}') for c in kept[:10])}"
              f"{', …' if len(kept) > 10 else ''}); import --overwrite takes the file's", file=sys.stderr)
    print(f"imported {safe(args.file)} into {a.name!r}: {plural(n, 'field')} changed "
          f"on {plural(len(changes), 'item')} read")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from soc2_tui import demo

    q, bank_set = startup.new_banks((), False, args.questionnaires)
    with _store(args) as store:
        a = demo.create_demo(store, q, replace=args.replace, bank_set=bank_set)
    print(f"demo assessment {a.name!r} ready in {safe(str(store.path))}: try `soc2-tui score {a.name}` or `soc2-tui`")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from datetime import date

    from soc2_tui.formats import REPORT_FORMATS, Source
    from soc2_tui.reports import markdown

    if args.template and args.format != "docx":
        raise UserError("--template is for --format docx (a Word document to take styles from)")
    with _store(args, create=False) as store:
        a = store.get(args.name)
        q = _banks_of(args, store, a)
        answers = store.answers(a.id)
        compare = store.snapshot(a.id, args.compare) if args.compare else None
        history = markdown.report_history(store, a.id, compare)  # progress since a snapshot, scope creep
        trail = store.verify(a.id)  # the report states whether the audit trail holds
        source = Source(q, a, answers, today=date.today(), history=history, compare=compare, trail=trail,
                        disagreements=store.disagreements(a.id), template=args.template)
        text = REPORT_FORMATS[args.format].write(source)
    _write_output(text, args.output, args.force)
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    from datetime import date

    from soc2_tui.interchange import snapshots

    with _store(args, create=False) as store:
        a = store.get(args.name)
        if args.list:
            for s in store.snapshots(a.id):
                print(f"{s['id']}\t{safe(s['created_at'][:19])}\t{safe(s['label'])}")
            return 0
        q = _banks_of(args, store, a)
        data = snapshots.freeze(q, a, store.answers(a.id), today=date.today())
        sid = store.add_snapshot(a.id, args.label or "", data)
    print(f"snapshot {sid} of {a.name!r} saved" + (f" as {args.label!r}" if args.label else ""))
    return 0


def cmd_quick(args: argparse.Namespace) -> int:
    from soc2_tui import quick

    return quick.run(args)


def cmd_open(args: argparse.Namespace) -> int:
    # Start-up allocates hundreds of thousands of long-lived objects (Textual, the question
    # bank, the first screen); collecting cycles among them only costs time. The app freezes
    # them and turns collection back on once its first screen is ready.
    gc.disable()
    try:
        from soc2_tui.tui.app import run_app

        return run_app(args)
    finally:
        gc.enable()


def cmd_verify(args: argparse.Namespace) -> int:
    """Exit 0 when the audit trail holds, 1 when it does not (with where), 2 on an error."""
    with _store(args, create=False) as store:
        a = store.get(args.name)
        verdict = store.verify(a.id)
    seal = verdict.seal[:16] if verdict.seal else "none"
    if verdict.problem:
        print(safe(f"audit trail of {a.name!r}: NOT verified: {verdict.problem}"))
        return 1
    print(safe(f"audit trail of {a.name!r}: {plural(verdict.changes, 'change')}, verified; seal {seal} "
               "(keep it: the same seal later shows the trail was not changed)"))
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    """Exit 0 when nothing is wrong, 1 when something is (listed), 2 on an error."""
    from soc2_tui.store import doctor

    path = Path(args.file)
    found = doctor.diagnose(path)
    for problem in found.problems:
        print(safe(f"{path}: {problem}"))
    if not found.problems:
        print(safe(f"{path}: no problem found ({plural(len(found.assessments), 'assessment')})"))
    if args.output:
        counts = doctor.clean_copy(path, Path(args.output))
        copied = ", ".join(plural(n, what, many) for (what, many), n in zip(
            (("assessment", None), ("answer", None), ("history row", None), ("snapshot", None)), counts.values()))
        print(safe(f"wrote a clean copy to {args.output}: {copied}, its audit trail sealed anew; {path} is unchanged"))
    return 1 if found.problems else 0


def cmd_config(args: argparse.Namespace) -> int:
    """Where the app remembers the respondent and the theme between sessions, and what it holds."""
    from soc2_tui import config

    path = config.config_path()
    print(f"config file: {safe(str(path))}" + ("" if path.exists() else " (not written yet)"))
    print("  (set $SOC2_TUI_CONFIG_DIR to keep it elsewhere; --as and $SOC2_TUI_AS override the respondent)")
    wrong = config.problem()
    if wrong:
        print(f"  warning: the file {safe(wrong)}; the app starts without it, and the next change of a "
              f"preference writes a new one (an unreadable file is kept as {config.FILE_NAME}.unreadable)")
    values = config.load()
    for key in config.KEYS:
        print(f"{key}: {safe(values[key]) if key in values else '(not set)'}")
    return 0
