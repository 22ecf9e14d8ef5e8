"""Command line: `soc2-tui [global options] [COMMAND] …`.

Each handler imports what it needs inside itself, so `soc2-tui score` never pays for Textual
and only `soc2-tui quick` loads questionary.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soc2_tui import __version__, startup
from soc2_tui.errors import UserError
from soc2_tui.labels import plural

if TYPE_CHECKING:
    from soc2_tui.model import Questionnaire
    from soc2_tui.store import Store

PRINCIPLE_CHOICES = "security,availability,processing_integrity,confidentiality,privacy"
# The list table's principle column: short, and the same letters the criteria ids use.
SHORT_PRINCIPLES = {"security": "Sec", "availability": "Avail", "processing_integrity": "PI",
                    "confidentiality": "Conf", "privacy": "Priv"}


# ----------------------------------------------------------------------------- shared helpers


def _questionnaire(args: argparse.Namespace) -> Questionnaire:
    return startup.load_banks(args.questionnaires)


def _store(args: argparse.Namespace, create: bool = True) -> Store:
    return startup.open_store(args.db, create=create)


def _console():
    from rich.console import Console

    return Console()


def _write_output(text: str, out: str | None, force: bool) -> None:
    from soc2_tui.files import write_text_atomic

    if out in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_text_atomic(Path(out), text, force=force)
    print(f"wrote {out}", file=sys.stderr)


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


def cmd_validate(args: argparse.Namespace) -> int:
    from soc2_tui import banks, errors, paths

    extra = [Path(p) for p in args.paths] + paths.extra_questionnaire_dirs(args.questionnaires)
    try:
        q = banks.load_questionnaire(extra=extra)
    except errors.ContentError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        n = len(exc.problems)
        print(f"{plural(n, 'problem')} found", file=sys.stderr)
        return 2
    counts = {k: len(q.of_kind(k)) for k in ("scope", "control", "policy")}
    print(f"ok: {len(q.files)} files, {counts['scope']} scope questions, {counts['control']} controls, "
          f"{counts['policy']} policies; banks: "
          + ", ".join(f"{b} {v}" for b, v in q.banks.items()))
    return 0


def cmd_questions(args: argparse.Namespace) -> int:
    from soc2_tui.formats import QUESTION_FORMATS

    q = _questionnaire(args)
    if args.format in QUESTION_FORMATS:
        text = QUESTION_FORMATS[args.format](q)
    else:
        from rich.table import Table

        table = Table(title=f"{len(q.items)} questions")
        for col in ("id", "kind", "section", "severity", "criteria", "title"):
            table.add_column(col)
        for it in q.items.values():
            table.add_row(it.id, it.kind, it.section, it.severity, " ".join(it.criteria), it.title)
        _console().print(table)
        return 0
    _write_output(text, args.output, args.force)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    q = _questionnaire(args)
    with _store(args) as store:
        a = store.create(args.name, organisation=args.org or "", report_type=args.type,
                         principles=_principles(args.principles), period_start=args.period_start,
                         period_months=args.period_months, bank_versions=q.banks,
                         by=startup.respondent(args.respondent))
    print(f"created assessment {a.name!r} ({a.report_type}, {', '.join(a.principles)}) in {store.path}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from soc2_tui.summary import assessment_rows

    q = _questionnaire(args)
    with _store(args, create=False) as store:
        rows = assessment_rows(q, store)
    if args.json:
        import json

        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    from rich.markup import escape
    from rich.table import Table

    from soc2_tui.labels import band_label, report_type_label

    table = Table(title=f"Assessments in {escape(str(store.path))}")
    for col in ("name", "organisation", "type", "principles", "answered", "score", "band", "updated"):
        table.add_column(col, justify="right" if col in ("answered", "score") else "left",
                         no_wrap=col in ("answered", "score"))
    for r in rows:
        table.add_row(escape(r["name"]), escape(r["organisation"]),
                      report_type_label(r["report_type"]),
                      " ".join(SHORT_PRINCIPLES[p] for p in r["principles"]),
                      f"{r['answered']}/{r['applicable']}",
                      "–" if r["score"] is None else f"{r['score']:.1f}", band_label(r["band"]),
                      r["updated_at"][:10])
    if not rows:
        print("no assessments yet: create one with `soc2-tui new NAME` or try `soc2-tui demo`")
        return 0
    _console().print(table)
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from soc2_tui import scoring

    q = _questionnaire(args)
    with _store(args, create=False) as store:
        a = store.get(args.name)
        answers = store.answers(a.id)
    result = scoring.score(q, a, answers, today=date.today())
    if args.json:
        print(json.dumps(scoring.result_json(q, result), indent=2, ensure_ascii=False))
        return 0
    from soc2_tui.reports.console import score_table

    _console().print(score_table(a, result))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    with _store(args, create=False) as store:
        a = store.get(args.name)
        changes = store.history(a.id, args.item)
    if args.json:
        import json
        from dataclasses import asdict

        print(json.dumps([asdict(c) for c in changes], indent=2, ensure_ascii=False))
        return 0
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"History of {escape(a.name)}")
    for col in ("when (UTC)", "who", "item", "field", "from", "to"):
        table.add_column(col)
    for c in changes:
        table.add_row(c.changed_at[:19].replace("T", " "), escape(c.changed_by), escape(c.item_id),
                      c.field, escape(str(c.old if c.old is not None else "")),
                      escape(str(c.new if c.new is not None else "")))
    _console().print(table)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from datetime import date

    from soc2_tui.formats import EXPORT_FORMATS, Source

    q = _questionnaire(args)
    with _store(args, create=False) as store:
        a = store.get(args.name)
        answers = store.answers(a.id)
    text = EXPORT_FORMATS[args.format].write(Source(q, a, answers, today=date.today()))
    _write_output(text, args.output, args.force)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from soc2_tui.interchange import importer

    q = _questionnaire(args)
    with _store(args, create=False) as store:
        a = store.get(args.into)
        changes = importer.read_changes(Path(args.file), q, store.answers(a.id))
        n = store.apply_answers(a.id, changes, by=startup.respondent(args.respondent))
    print(f"imported {args.file} into {a.name!r}: {plural(n, 'field')} changed "
          f"on {plural(len(changes), 'item')} read")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from soc2_tui import demo

    q = _questionnaire(args)
    with _store(args) as store:
        a = demo.create_demo(store, q, replace=args.replace)
    print(f"demo assessment {a.name!r} ready in {store.path}: try `soc2-tui score {a.name}` or `soc2-tui`")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from datetime import date

    from soc2_tui.formats import REPORT_FORMATS, Source
    from soc2_tui.reports import markdown

    q = _questionnaire(args)
    with _store(args, create=False) as store:
        a = store.get(args.name)
        answers = store.answers(a.id)
        compare = store.snapshot(a.id, args.compare) if args.compare else None
        history = markdown.report_history(store, a.id, compare)  # progress since a snapshot, scope creep
        source = Source(q, a, answers, today=date.today(), history=history, compare=compare)
        text = REPORT_FORMATS[args.format].write(source)
    _write_output(text, args.output, args.force)
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    from datetime import date

    from soc2_tui.interchange import snapshots

    q = _questionnaire(args)
    with _store(args, create=False) as store:
        a = store.get(args.name)
        if args.list:
            for s in store.snapshots(a.id):
                print(f"{s['id']}\t{s['created_at'][:19]}\t{s['label']}")
            return 0
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


# ----------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    from soc2_tui import formats

    p = argparse.ArgumentParser(
        prog="soc2-tui",
        description="How ready are you for a SOC 2 audit, and what should you fix first? "
        "With no command, opens the app.",
    )
    p.add_argument("--version", action="version", version=f"soc2-tui {__version__}")
    g = p.add_argument_group("global options (valid before or after any command)")
    _global_options(g, None)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        _global_options(sp.add_argument_group("global options"), argparse.SUPPRESS)
        sp.set_defaults(func=func)
        return sp

    sp = add("open", cmd_open, "open the app (the default), optionally on one assessment")
    sp.add_argument("name", nargs="?", help="assessment to open")

    sp = add("validate", cmd_validate, "check the question banks (built-in plus any given files)")
    sp.add_argument("paths", nargs="*", help="YAML files or directories to check with the built-in banks")

    sp = add("questions", cmd_questions, "print every question with all its fields")
    sp.add_argument("--format", choices=("table", *formats.QUESTION_FORMATS), default="table")
    _output(sp)

    sp = add("new", cmd_new, "create an assessment")
    sp.add_argument("name")
    sp.add_argument("--org", help="organisation name")
    sp.add_argument("--type", choices=("type1", "type2"), default="type2", help="report type (default type2)")
    sp.add_argument("--principles", help=f"comma-separated from {PRINCIPLE_CHOICES} (security always)")
    sp.add_argument("--period-start", help="audit period start, YYYY-MM-DD")
    sp.add_argument("--period-months", type=int, choices=(3, 6, 12), help="audit period length")

    sp = add("list", cmd_list, "list the assessments in the file")
    sp.add_argument("--json", action="store_true", help="machine-readable output")

    sp = add("score", cmd_score, "readiness per trust service principle")
    sp.add_argument("name")
    sp.add_argument("--json", action="store_true", help="numbers per principle, series, criterion and the gaps")

    sp = add("history", cmd_history, "the audit trail of an assessment")
    sp.add_argument("name")
    sp.add_argument("--item", help="only this item id")
    sp.add_argument("--json", action="store_true")

    sp = add("export", cmd_export, "export an assessment with every item (JSON or CSV)")
    sp.add_argument("name")
    sp.add_argument("--format", choices=tuple(formats.EXPORT_FORMATS), default=formats.default(formats.EXPORT_FORMATS))
    _output(sp)

    sp = add("import", cmd_import, "apply answers from an exported CSV or JSON file")
    sp.add_argument("file")
    sp.add_argument("--into", required=True, metavar="NAME", help="assessment to update")

    sp = add("demo", cmd_demo, "create the demo assessment for a fictional SaaS company")
    sp.add_argument("--replace", action="store_true", help="recreate it if it exists")

    sp = add("report", cmd_report, "the gap report (Markdown, JSON or CSV)")
    sp.add_argument("name")
    sp.add_argument("--format", choices=tuple(formats.REPORT_FORMATS), default=formats.default(formats.REPORT_FORMATS))
    sp.add_argument("--compare", metavar="SNAPSHOT", help="add progress since a snapshot (id or label)")
    _output(sp)

    sp = add("snapshot", cmd_snapshot, "freeze the current answers and scores inside the file")
    sp.add_argument("name")
    sp.add_argument("--label", help="a name for the snapshot")
    sp.add_argument("--list", action="store_true", help="list the snapshots instead")

    sp = add("quick", cmd_quick, "answer with plain prompts instead of the full-screen app")
    sp.add_argument("name", nargs="?")
    sp.add_argument("--section", help="only this section id (e.g. CC6)")
    sp.add_argument("--only", choices=("unanswered", "gaps"), help="only unanswered items or gaps")
    return p


def _global_options(group: Any, default: Any) -> None:
    group.add_argument("--db", metavar="PATH", default=default,
                       help="assessment file (default: $SOC2_TUI_DB or ./soc2-readiness.db)")
    group.add_argument("--questionnaires", metavar="DIR", action="append", default=default,
                       help="extra question-bank directory (repeatable; also $SOC2_TUI_QUESTIONNAIRES)")
    group.add_argument("--as", dest="respondent", metavar="NAME", default=default,
                       help="who is answering (stored with every change)")


def _output(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    sp.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def main(argv: list[str] | None = None) -> int:
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
        print(f"soc2-tui: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except ContentError as exc:
        for p in exc.problems[:20]:
            print(f"soc2-tui: error: {p}", file=sys.stderr)
        if len(exc.problems) > 20:
            print(f"soc2-tui: … and {len(exc.problems) - 20} more (run `soc2-tui validate`)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("soc2-tui: interrupted; everything answered so far is saved", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: not an error worth a traceback.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return 0
    finally:
        if one_shot and argv is None:
            # The process ends now: Python's last collection at exit would walk everything
            # built (0.2 s after a 20,000-item report). Frozen objects are skipped.
            gc.freeze()
        else:
            gc.enable()  # main([...]) called in-process (tests): leave the collector as it was
