"""The argument parser: global options valid before or after any command, then one sub-command
per verb (docs/cli.md is the contract). Format choices come from soc2_tui.formats."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, NoReturn

from soc2_tui import __version__
from soc2_tui.cli.bank_tools import cmd_import_bank, cmd_schema, cmd_validate
from soc2_tui.cli.banks import cmd_banks
from soc2_tui.cli.commands import (
    PRINCIPLE_CHOICES,
    cmd_config,
    cmd_demo,
    cmd_doctor,
    cmd_export,
    cmd_import,
    cmd_list,
    cmd_new,
    cmd_open,
    cmd_questions,
    cmd_quick,
    cmd_report,
    cmd_score,
    cmd_snapshot,
    cmd_verify,
)
from soc2_tui.cli.coverage import cmd_coverage
from soc2_tui.cli.disagreements import cmd_disagreements
from soc2_tui.cli.history import cmd_history
from soc2_tui.cli.merge import cmd_merge
from soc2_tui.terminal import safe


class _Parser(argparse.ArgumentParser):
    """argparse quotes some arguments raw in its errors ("unrecognized arguments: …"): show their
    control characters visibly. Sub-command parsers are of the same class."""

    def error(self, message: str) -> NoReturn:
        super().error(safe(message))


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
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

    _setup_commands(add)
    _assessment_commands(add)
    _banks_command(add)
    _output_commands(add)
    return p


AddCommand = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def _setup_commands(add: AddCommand) -> None:
    from soc2_tui import formats

    sp = add("open", cmd_open, "open the app (the default), optionally on one assessment")
    sp.add_argument("name", nargs="?", help="assessment to open")

    sp = add("validate", cmd_validate, "check the question banks (built-in plus any given files)")
    sp.add_argument("paths", nargs="*", help="YAML files or directories to check with the built-in banks")
    sp.add_argument("--strict", action="store_true",
                    help="the built-in bank's rules for the given files too (every control has a frequency)")
    sp.add_argument("--no-builtin", action="store_true", help="check the given files on their own")

    sp = add("schema", cmd_schema, "the JSON Schema of a question-bank file (for editors that check YAML)")
    sp.add_argument("--strict", action="store_true", help="the built-in bank's rules (every control has a frequency)")
    _output(sp)

    sp = add("import-bank", cmd_import_bank, "make a question bank from a spreadsheet (CSV or XLSX, a row per item)")
    sp.add_argument("file", help="the .csv or .xlsx file (the columns of `questions --format csv`)")
    sp.add_argument("--bank-id", required=True, metavar="ID", help="the new bank's id")
    sp.add_argument("-o", "--output", required=True, metavar="DIR", help="the folder to write the bank's files into")
    sp.add_argument("--bank-version", default="1", metavar="TEXT", help="the bank's version (default 1)")
    sp.add_argument("--force", action="store_true", help="overwrite the bank's files in DIR if they exist")

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
    _bank_options(sp)


def _assessment_commands(add: AddCommand) -> None:
    from soc2_tui import formats

    sp = add("list", cmd_list, "list the assessments in the file")
    sp.add_argument("--json", action="store_true", help="machine-readable output")

    sp = add("score", cmd_score, "readiness per trust service principle")
    sp.add_argument("name")
    sp.add_argument("--json", action="store_true", help="numbers per principle, series, criterion and the gaps")

    sp = add("history", cmd_history, "the audit trail of an assessment (streamed; a pager on a terminal)")
    sp.add_argument("name")
    sp.add_argument("--item", help="only this item id")
    sp.add_argument("--who", metavar="NAME", help="only changes by this respondent")
    sp.add_argument("--since", metavar="DATE", help="only changes on or after this day (YYYY-MM-DD, UTC)")
    sp.add_argument("--limit", type=int, metavar="N", help="only the N most recent changes, newest first")
    sp.add_argument("--format", choices=("table", "json", "csv"), default="table")
    sp.add_argument("--json", action="store_true", help="the same as --format json")

    sp = add("verify", cmd_verify, "check the audit trail's seals and that the answers are what it says")
    sp.add_argument("name")

    sp = add("doctor", cmd_doctor, "list what is wrong with an assessment file; -o writes a clean copy (the file "
                                   "itself is never changed)")
    sp.add_argument("file")
    sp.add_argument("-o", "--output", metavar="CLEAN", help="write the sound rows to this new file")

    sp = add("export", cmd_export, "export an assessment with every item (JSON, CSV or an Excel workbook)")
    sp.add_argument("name")
    sp.add_argument("--format", choices=tuple(formats.EXPORT_FORMATS), default=formats.default(formats.EXPORT_FORMATS))
    _output(sp)

    sp = add("import", cmd_import, "apply answers from an exported CSV, JSON or Excel file")
    sp.add_argument("file")
    sp.add_argument("--into", required=True, metavar="NAME", help="assessment to update")
    sp.add_argument("--overwrite", action="store_true",
                    help="take the file's values even where the assessment changed them after the export")

    sp = add("disagreements", cmd_disagreements, "items whose status respondents set differently, until resolved")
    sp.add_argument("name")
    sp.add_argument("--json", action="store_true", help="machine-readable output")
    sp.add_argument("--resolve", metavar="ITEM", help="mark this item's disagreement resolved (needs --note)")
    sp.add_argument("--note", help="what was agreed (with --resolve)")
    sp.add_argument("--status", help="answer again while resolving: the status agreed (e.g. operating)")

    sp = add("merge", cmd_merge, "merge an assessment worked on apart (another laptop, a client's copy) into this "
                                 "file: histories combined, the newer value per field, conflicts listed")
    sp.add_argument("file", help="the other assessment file (only read)")
    sp.add_argument("--assessment", metavar="NAME", help="its assessment to merge (default: the one named as "
                                                         "--into, or its only one)")
    sp.add_argument("--into", metavar="NAME", help="the assessment here (default: the same name; made as a copy "
                                                   "if there is none)")
    sp.add_argument("--dry-run", action="store_true", help="print what would happen and write nothing")

    add("config", cmd_config, "where the app remembers who is answering and the theme, and what it holds")

    sp = add("demo", cmd_demo, "create the demo assessment for a fictional SaaS company")
    sp.add_argument("--replace", action="store_true", help="recreate it if it exists")


def _banks_command(add: AddCommand) -> None:
    sp = add("banks", cmd_banks, "the question banks an assessment uses, where each was found and whether it "
                                 "changed; --add PATH and --remove ID change them (recorded in its history)")
    sp.add_argument("name", nargs="?", help="the assessment (default: every one in the file)")
    sp.add_argument("--add", action="append", metavar="PATH", default=[],
                    help="a bank file or folder to add (again: records its current content)")
    sp.add_argument("--remove", action="append", metavar="ID", default=[],
                    help="a bank id to remove (one of the built-in ones: the built-in banks)")
    sp.add_argument("--json", action="store_true", help="machine-readable output")


def _output_commands(add: AddCommand) -> None:
    from soc2_tui import formats

    sp = add("report", cmd_report, "the gap report (Markdown, Word, HTML, JSON or CSV)")
    sp.add_argument("name")
    sp.add_argument("--format", choices=tuple(formats.REPORT_FORMATS), default=formats.default(formats.REPORT_FORMATS))
    sp.add_argument("--compare", metavar="SNAPSHOT", help="add progress since a snapshot (id or label)")
    sp.add_argument("--template", metavar="REF.docx",
                    help="with --format docx: take styles, header and footer from this Word document")
    _output(sp)

    sp = add("coverage", cmd_coverage, "how far the answers cover other frameworks (ISO 27001, CSA CCM, NIST CSF) "
                                       "through the question bank's references; indicative")
    sp.add_argument("name")
    sp.add_argument("--framework", metavar="ID", help="one framework, control by control (e.g. iso27001-2022)")
    sp.add_argument("--json", action="store_true", help="machine-readable output")

    sp = add("snapshot", cmd_snapshot, "freeze the current answers and scores inside the file")
    sp.add_argument("name")
    sp.add_argument("--label", help="a name for the snapshot")
    sp.add_argument("--list", action="store_true", help="list the snapshots instead")

    sp = add("quick", cmd_quick, "answer with plain prompts instead of the full-screen app")
    sp.add_argument("name", nargs="?")
    sp.add_argument("--section", help="only this section id (e.g. CC6)")
    sp.add_argument("--only", choices=("unanswered", "gaps"), help="only unanswered items or gaps")
    _bank_options(sp, " (when creating one)")


def _global_options(group: Any, default: Any) -> None:
    group.add_argument("--db", metavar="PATH", default=default,
                       help="assessment file (default: $SOC2_TUI_DB or ./soc2-readiness.db)")
    group.add_argument("--questionnaires", metavar="DIR", action="append", default=default,
                       help="extra question-bank directory (repeatable; also $SOC2_TUI_QUESTIONNAIRES)")
    group.add_argument("--as", dest="respondent", metavar="NAME", default=default,
                       help="who is answering (stored with every change)")


def _bank_options(sp: argparse.ArgumentParser, when: str = "") -> None:
    sp.add_argument("--bank", action="extend", nargs="+", metavar="PATH", default=[],
                    help=f"question-bank files or folders the assessment uses from now on{when}")
    sp.add_argument("--no-builtin", action="store_true",
                    help=f"without the built-in SOC 2 banks: only the --bank ones{when}")


def _output(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    sp.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


