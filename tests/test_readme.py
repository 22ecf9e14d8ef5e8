"""The README's commands are the real ones: every `soc2-tui …` line of its command table parses
with the real argument parser, its defaults and required options are the parser's, and the ones
that need no terminal run against a temporary file."""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import pytest

from soc2_tui.cli import main
from soc2_tui.cli.parser import build_parser

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
INTERACTIVE = {None, "open", "quick"}  # the app and quick mode need a terminal


def _table_commands() -> list[str]:
    """The synopses in the README's command table ('soc2-tui / soc2-tui open [NAME]' is two)."""
    section = README.split("## Commands", 1)[1].split("\n## ", 1)[0]
    found = []
    for cell in re.findall(r"^\| `(soc2-tui[^|]*(?:\\\|[^|]*)*)` \|", section, re.M):
        found += [part.strip(" `") for part in cell.replace("\\|", "|").split(" / ")]
    return found


COMMANDS = _table_commands()


def _groups(synopsis: str) -> tuple[list[str], list[list[str]]]:
    """The words outside brackets, and each bracketed group's words."""
    words = synopsis.split()[1:]
    bare, optional, group = [], [], None
    for word in words:
        if word.startswith("["):
            group = []
        target = group if group is not None else bare
        target.append(word.strip("[]"))
        if word.endswith("]") and group is not None:
            optional.append(group)
            group = None
    return bare, optional


def _concrete(words: list[str], values: dict[str, str]) -> list[str]:
    """Placeholders replaced by values; 'a|b' by its first choice; '…' after an option is its value
    (values['…']), after a placeholder it means 'more of them' and is dropped."""
    out = []
    for i, word in enumerate(words):
        if word == "…":
            if i and words[i - 1].startswith("--"):
                out.append(values["…"])
            continue
        out.append(values.get(word, word.split("|")[0]))
    return out


def _subparser(parser: argparse.ArgumentParser, name: str | None) -> argparse.ArgumentParser:
    if name is None:
        return parser
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[name]


def test_the_table_lists_every_command():
    names = {(c.split()[1] if len(c.split()) > 1 else None) for c in COMMANDS}
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert names == {None, *sub.choices}


@pytest.mark.parametrize("synopsis", COMMANDS)
def test_each_command_parses_as_written_with_the_parsers_defaults(synopsis):
    parser = build_parser()
    bare, optional = _groups(synopsis)
    values = {"NAME": "Acme", "FILE": "x.json", "ORG": "Acme Ltd", "DATE": "2026-01-01", "N": "5",
              "ID": "CC6-03", "TEXT": "board", "SNAPSHOT": "board", "CLEAN": "clean.db", "PATH": "banks",
              "FRAMEWORK": "iso27001-2022",
              "…": "security,availability"}
    minimal = _concrete(bare, values)
    parser.parse_args(minimal)  # the bare words alone are a whole command
    parser.parse_args(minimal + [w for g in optional for w in _concrete(g, values)])
    command = minimal[0] if minimal and not minimal[0].startswith("-") else None
    sub = _subparser(parser, command)
    shown_optional = {g[0] for g in optional if g and g[0].startswith("-")}
    for action in sub._actions:
        flag = next((o for o in action.option_strings if o.startswith("--")), None)
        if flag is None or flag not in synopsis or flag in ("--db", "--questionnaires", "--as"):
            continue
        # Required in the parser exactly when the README writes it outside brackets.
        assert action.required == (flag not in shown_optional and flag in bare), (synopsis, flag)
        if action.choices and action.default is not None:
            written = next(w for g in optional for i, w in enumerate(g) if i and g[i - 1] == flag)
            assert written.split("|")[0] == str(action.default), (synopsis, flag, "first choice is the default")


def test_the_first_two_lines_install_and_start_then_install_and_test():
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert first_block[0] == "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/soc2-tui"
    assert first_block[1] == 'python3 -m venv .venv && .venv/bin/pip install ".[test]" && .venv/bin/pytest'
    assert "uv tool install ." in README and "pipx install ." in README


def _run_row(synopsis: str, n: int, db: str) -> list[str]:
    """Run one row as written, bare and with every option; the command names run."""
    bare, optional = _groups(synopsis)
    command = bare[0] if bare and not bare[0].startswith("-") else None
    if command in INTERACTIVE:
        return []
    values = {"NAME": "demo", "FILE": f"out-{n}.txt", "ORG": "Acme Ltd", "DATE": "2026-01-01", "N": "5",
              "ID": "CC6-03", "TEXT": "board", "SNAPSHOT": "board", "CLEAN": f"clean-{n}.db",
              "FRAMEWORK": "iso27001-2022", "PATH": str(ROOT / "tests" / "data" / "worked-example.yaml"),
              "…": "security,availability"}
    values.update({"new": {"NAME": f"Acme {n}"}, "import": {"FILE": "exported.json"},
                   "doctor": {"FILE": db}, "merge": {"FILE": "copy.db"},
                   "validate": {"PATH": str(ROOT / "tests" / "data" / "full-bank.yaml")},
                   "import-bank": {"FILE": str(ROOT / "tests" / "data" / "bank-sheet.csv"), "DIR": f"bank-{n}",
                                   "ID": "acme"}}.get(command or "", {}))
    minimal = _concrete(bare, values)
    full = minimal + [w for g in optional for w in _concrete(g, values)]
    if command == "new":
        full[1] += " (all options)"
    ran = []
    for argv in (minimal, full):
        assert main(["--db", db, *argv]) == 0, argv
        ran.append(argv[0])
    return ran


def test_the_commands_that_need_no_terminal_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for var in ("SOC2_TUI_DB", "SOC2_TUI_AS", "SOC2_TUI_QUESTIONNAIRES"):
        monkeypatch.delenv(var, raising=False)
    db = str(tmp_path / "readme.db")
    demo_row = next(c for c in COMMANDS if c.startswith("soc2-tui demo"))
    ran = _run_row(demo_row, 0, db)  # `demo`, then `demo --replace`
    assert main(["--db", db, "snapshot", "demo", "--label", "board"]) == 0  # for --compare SNAPSHOT
    assert main(["--db", db, "export", "demo", "-o", "exported.json"]) == 0  # for import FILE
    shutil.copyfile(db, tmp_path / "copy.db")  # for merge FILE: a copy, merged back
    for n, synopsis in enumerate(COMMANDS, 1):
        if synopsis != demo_row:
            ran += _run_row(synopsis, n, db)
    assert set(ran) == {"list", "score", "report", "snapshot", "export", "import", "history", "doctor", "verify",
                        "merge", "demo", "questions", "validate", "new", "disagreements", "config", "banks",
                        "schema", "import-bank", "coverage"}
