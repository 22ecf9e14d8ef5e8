"""Typed text never reaches the terminal as escape sequences: `terminal.safe` and every CLI output."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soc2_tui import terminal
from soc2_tui.cli import main
from soc2_tui.errors import UserError
from soc2_tui.store import Store

OSC52 = "\x1b]52;c;cHduZWQ=\x07"  # write "pwned" to the clipboard
OSC0 = "\x1b]0;owned\x07"  # set the window title
CSI = "\x1b[2J\x1b[H"  # clear the screen, cursor home
C1 = "\x9b31m\x9d0;t\x9c"  # CSI and OSC as single C1 characters
BIDI = "\u202eevil\u202c\u2066x\u2069"
HOSTILE = f"A{OSC52}{OSC0}{CSI}{C1}{BIDI}\x7fZ"
RAW = ("\x1b", "\x07", "\x7f", "\x9b", "\x9c", "\x9d", "\u202e", "\u202c", "\u2066", "\u2069")


def assert_clean(text: str) -> None:
    found = [hex(ord(c)) for c in RAW if c in text]
    assert not found, f"raw controls {found} in {text!r}"


# ------------------------------------------------------------------------ safe()


@pytest.mark.parametrize("raw, shown", [
    ("\x00", "\\x00"), ("\x07", "\\x07"), ("\x08", "\\x08"), ("\r", "\\x0d"), ("\x1f", "\\x1f"),
    (OSC52, "\\x1b]52;c;cHduZWQ=\\x07"), (OSC0, "\\x1b]0;owned\\x07"), (CSI, "\\x1b[2J\\x1b[H"),
    ("\x7f", "\\x7f"), ("\x80", "\\x80"), ("\x9b", "\\x9b"), ("\x9d", "\\x9d"), ("\x9f", "\\x9f"),
    ("\u202a", "\\u202a"), ("\u202e", "\\u202e"), ("\u2066", "\\u2066"), ("\u2069", "\\u2069"),
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
])
def test_safe_shows_each_control_class(raw, shown):
    assert terminal.safe(f"a{raw}b") == f"a{shown}b"
    assert terminal.safe(f"a{raw}b", multiline=True) == f"a{shown}b"
    assert terminal.has_controls(raw)


def test_safe_keeps_line_breaks_only_when_asked():
    assert terminal.safe("a\nb\tc") == "a\\x0ab\\x09c"
    assert terminal.safe("a\nb\tc", multiline=True) == "a\nb\tc"
    assert terminal.safe("a\r\nb", multiline=True) == "a\\x0d\nb"


@pytest.mark.parametrize("text", ["", "Acme Corp", "Zoë’s café – ü ß ✓ 日本", "C:\\path\\x1b", "[bold]x[/]",
                                  "\u00a0\u00a0", "\u200d", "\u200c", "\u200e", "\u200f", "\u061c",
                                  "\u200b", "\ufeff", "👩\u200d💻", "می\u200cخواهم"])
def test_safe_leaves_clean_text_alone(text):
    assert terminal.safe(text) is text or terminal.safe(text) == text


CONTROLS = st.sampled_from([chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F),
                                             0x2028, 0x2029, *range(0x2066, 0x206A))])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(CONTROLS, st.text(max_size=5), st.sampled_from([OSC52, OSC0, CSI, C1, BIDI]))),
       st.booleans())
def test_safe_never_lets_a_control_through(parts, multiline):
    out = terminal.safe("".join(parts), multiline=multiline)
    allowed = "\n\t" if multiline else ""
    bad = [c for c in out if (ord(c) < 0x20 and c not in allowed) or 0x7F <= ord(c) <= 0x9F
           or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 or c in "\u2028\u2029"]
    assert not bad
    if not terminal.has_controls("".join(parts)):
        assert out == "".join(parts)


# ------------------------------------------------------------------------ the CLI


@pytest.fixture
def hostile_db(tmp_path):
    """An assessment whose organisation, notes, owner, respondent and snapshot label are hostile,
    and one whose name is (an older file, or one written by another program)."""
    path = tmp_path / "h.db"
    with Store(path) as s:
        a = s.create("Acme", organisation=HOSTILE)
        s.set_answer(a.id, "CC6-01", status="in_progress", notes=HOSTILE, owner=HOSTILE, by=HOSTILE)
        s.add_snapshot(a.id, HOSTILE, {"hostile": True})
        s.create("Other")
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE assessments SET name = ? WHERE name = 'Other'", (HOSTILE,))
    con.close()
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_hostile_names_visibly(hostile_db, capsys):
    code, out, err = run(capsys, "--db", str(hostile_db), "list")
    assert code == 0 and "A\\x1b]" in out
    assert_clean(out + err)


def test_history_shows_hostile_respondent_notes_and_owner_visibly(hostile_db, capsys):
    code, out, err = run(capsys, "--db", str(hostile_db), "history", "Acme")
    assert code == 0 and "CC6-01" in out
    assert_clean(out + err)


def test_history_and_score_titles_show_a_hostile_assessment_name_visibly(hostile_db, capsys):
    for verb in ("history", "score"):
        code, out, err = run(capsys, "--db", str(hostile_db), verb, HOSTILE)
        assert code == 0, err
        assert_clean(out + err)


def test_snapshot_list_shows_a_hostile_label_visibly(hostile_db, capsys):
    code, out, err = run(capsys, "--db", str(hostile_db), "snapshot", "Acme", "--list")
    assert code == 0 and "\\x1b]0;owned" in out
    assert_clean(out + err)


def test_json_to_a_terminal_is_shown_visibly_but_a_pipe_gets_the_data(hostile_db, capsys, monkeypatch):
    code, piped, _ = run(capsys, "--db", str(hostile_db), "history", "Acme", "--json")
    assert code == 0 and "\u202e" in piped  # a pipe gets the real data
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    for argv in (("list", "--json"), ("history", "Acme", "--json"), ("export", "Acme"),
                 ("export", "Acme", "--format", "csv"), ("report", "Acme")):
        code, out, err = run(capsys, "--db", str(hostile_db), *argv)
        assert code == 0, (argv, err)
        assert_clean(out + err)


def test_output_file_keeps_the_data_unchanged(hostile_db, tmp_path, capsys):
    target = tmp_path / "out.json"
    code, out, err = run(capsys, "--db", str(hostile_db), "export", "Acme", "-o", str(target))
    assert code == 0 and "\u202e" in target.read_text(encoding="utf-8")


HOSTILE_BANK = """\
bank: hostile
version: '1'
kind: controls
sections:
  - id: HS
    title: Hostile
    items:
      - id: H-01
        title: "Evil \\e]52;c;cHduZWQ=\\a \\e[2J \\u009b31m \\u202eevil"
        question: Is the example control run every quarter with a signed record?
        guidance: Why it matters. What the auditor asks for.
        evidence: [Signed records for every quarter]
        remediation: Start the record today.
        criteria: [CC6.1]
        severity: high
        effort: S
"""


def test_questions_table_shows_a_hostile_bank_title_visibly(tmp_path, capsys):
    d = tmp_path / "banks"
    d.mkdir()
    (d / "hostile.yaml").write_text(HOSTILE_BANK, encoding="utf-8")
    code, out, err = run(capsys, "--questionnaires", str(d), "questions")
    assert code == 0, err
    assert "H-01" in out
    assert_clean(out + err)


def test_validate_shows_a_hostile_file_name_and_id_visibly(tmp_path, capsys):
    d = tmp_path / f"banks{OSC0}"
    d.mkdir()
    bad = HOSTILE_BANK.replace("id: H-01", 'id: "H\\e[2J\\u202e-01"').replace("CC6.1", "ZZ9.9")
    (d / f"x{CSI}\u202e.yaml").write_text(bad, encoding="utf-8")
    code, out, err = run(capsys, "validate", str(d))
    assert code == 2 and "problem" in err
    assert_clean(out + err)
    code, out, err = run(capsys, "--questionnaires", str(d), "questions")  # main() prints the problems
    assert code == 2 and err.startswith("soc2-tui: error: ")
    assert_clean(out + err)


def test_error_lines_show_a_hostile_path_visibly(tmp_path, capsys):
    code, out, err = run(capsys, "--db", str(tmp_path / f"n{OSC52}o{C1}.db"), "list")
    assert code == 2 and err.startswith("soc2-tui: error: ")
    assert_clean(out + err)


def test_argument_errors_show_hostile_arguments_visibly(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["list", OSC0, CSI])
    out, err = capsys.readouterr()
    assert exc.value.code == 2 and "unrecognized arguments: \\x1b]0;owned" in err
    assert_clean(out + err)


def test_confirmation_lines_show_hostile_file_names_visibly(tmp_path, capsys):
    db = tmp_path / f"d{OSC0}.db"
    for argv in (("new", "Acme"), ("demo",), ("export", "Acme", "-o", str(tmp_path / f"e{CSI}.json"))):
        code, out, err = run(capsys, "--db", str(db), *argv)
        assert code == 0, err
        assert_clean(out + err)
    code, out, err = run(capsys, "--db", str(db), "import", str(tmp_path / f"e{CSI}.json"), "--into", "Acme")
    assert code == 0, err
    assert_clean(out + err)
    os.chmod(db, 0o644)
    code, out, err = run(capsys, "--db", str(db), "list", "--json")
    assert code == 0 and "readable by other users" in err
    assert_clean(out + err)


# ------------------------------------------------------------------------ refused at input


@pytest.mark.parametrize("bad", ["\x1b[2J", "\x7f", "\x9b", "\x9d", "\u202e", "\u2066", "\x85"])
def test_assessment_names_with_controls_are_refused(store, bad):
    with pytest.raises(UserError, match="one line"):
        store.create(f"Ac{bad}me")


@pytest.mark.parametrize("bad", ["\x1b]0;t\x07", "\x7f", "\x9b", "\u202e", "\u2069", "a\nb"])
def test_respondent_names_with_controls_are_refused(bad, tmp_path, capsys, monkeypatch):
    code, out, err = run(capsys, "--db", str(tmp_path / "r.db"), "--as", bad, "new", "Acme")
    assert code == 2 and "respondent" in err and len(err.splitlines()) == 1
    assert_clean(out + err)
    assert not (tmp_path / "r.db").exists()
    monkeypatch.setenv("SOC2_TUI_AS", bad)
    code, out, err = run(capsys, "--db", str(tmp_path / "r.db"), "new", "Acme")
    assert code == 2 and "respondent" in err
    assert_clean(out + err)


def test_a_real_terminal_gets_no_raw_escape(hostile_db):
    """Through a pseudo-terminal, as a user sees it: isatty() is true, Rich draws its colours."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "200"}
    proc = subprocess.Popen([sys.executable, "-m", "soc2_tui", "--db", str(hostile_db), "history", "Acme", "--json"],
                            stdin=follower, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child has gone and closed its side
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    proc.wait(timeout=60)
    text = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "CC6-01" in text and "\\x9b31m" in text
    assert_clean(text)



# ------------------------------------------------------------------------ quick mode


def drive_quick(db, argv, keys, monkeypatch):
    import io

    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from soc2_tui import quick
    from soc2_tui.cli import build_parser

    monkeypatch.setattr(quick.Session, "offer_report", lambda self: None)
    args = build_parser().parse_args(["--db", str(db), "quick", *argv])
    out = io.StringIO()
    with create_pipe_input() as inp:
        inp.send_text(keys)
        inp.close()
        rc = quick.run(args, quick.Prompter(input=inp, output=DummyOutput(), out=out, width=100))
    return rc, out.getvalue()


def test_quick_mode_shows_hostile_answers_and_paths_visibly(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SOC2_TUI_AS", raising=False)
    db = tmp_path / f"q{OSC0}.db"
    with Store(db) as s:
        a = s.create("acme", organisation=HOSTILE, by="setup")
        s.set_answer(a.id, "CC3-01", status="in_progress", notes=HOSTILE, by=HOSTILE)
    rc, out = drive_quick(db, ["acme", "--section", "CC3", "--only", "gaps", "--as", "alice"], "q\r", monkeypatch)
    assert rc == 0 and "Current answer (A\\x1b]52" in " ".join(out.split())
    assert_clean(out + "".join(capsys.readouterr()))


def test_quick_mode_refuses_a_typed_respondent_name_with_controls(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SOC2_TUI_AS", raising=False)
    db = tmp_path / "q.db"
    with Store(db) as s:
        s.create("acme", by="setup")
    rc, out = drive_quick(db, ["acme", "--section", "CC3"], "\x15Eve\x1b[2J\x9b\r1\r\rq\r", monkeypatch)
    err = capsys.readouterr().err
    assert rc == 2 and "respondent" in err
    assert_clean(out + err)
    assert not Store(db).history(Store(db).get("acme").id, "CC3-01")


# ------------------------------------------------------------------------ a hostile bank in the app


def test_shown_questionnaire_is_the_bank_itself_unless_a_text_holds_controls(q, tmp_path):
    from datetime import date

    from soc2_tui import banks, scoring
    from soc2_tui.model import Assessment

    assert terminal.shown_questionnaire(q) is q
    d = tmp_path / "banks"
    d.mkdir()
    (d / "hostile.yaml").write_text(HOSTILE_BANK, encoding="utf-8")
    raw = banks.load_questionnaire(extra=[d])
    shown = terminal.shown_questionnaire(raw)
    assert shown is not raw and shown.items["H-01"].title.startswith("Evil \\x1b]52;c;")
    assert raw.items["H-01"].title.startswith("Evil \x1b]52;c;")  # the bank itself is unchanged
    assert [s.items[0].id for s in shown.sections] == [s.items[0].id for s in raw.sections]
    texts = [t for i in shown.items.values() for t in terminal._item_texts(i)]
    assert_clean("".join(texts))
    a = Assessment(1, "t", principles=("security",))
    assert scoring.score(shown, a, {}, today=date(2026, 11, 26)).overall == \
        scoring.score(raw, a, {}, today=date(2026, 11, 26)).overall


def test_quick_mode_prompts_show_bidi_and_escapes_visibly_and_keep_an_untouched_default(monkeypatch):
    """prompt_toolkit shows C0 and C1 itself but passes bidi overrides through: the prompter shows
    every one visibly, and an accepted default comes back as it was stored."""
    import questionary as q_mod

    from soc2_tui.quick import prompter as prompter_mod

    seen: dict = {}

    class Answered:
        def __init__(self, value):
            self.value = value

        def unsafe_ask(self):
            return self.value

    def select(message, choices, **kw):
        seen["select"] = (message, [c.title for c in choices])
        return Answered(choices[0].value)

    def text(message, default="", **kw):
        seen["text"] = (message, default)
        return Answered(default)

    monkeypatch.setattr(q_mod, "select", select)
    monkeypatch.setattr(q_mod, "text", text)
    p = prompter_mod.Prompter()
    p.select("Which \u202eevil\u202c?", [prompter_mod.Choice("opt \x1b[2J \u2066x\u2069", "a")])
    assert "\u202e" not in seen["select"][0] and "\\u202e" in seen["select"][0]
    assert seen["select"][1] == ["opt \\x1b[2J \\u2066x\\u2069"]
    stored = "note \x1b]0;pwned\x07 kept"
    assert p.text("Notes \u202e:", default=stored) == stored  # accepted unchanged: the real text
    assert seen["text"] == ("Notes \\u202e:", "note \\x1b]0;pwned\\x07 kept")


def test_joiners_are_text_not_controls(db_path, capsys):
    # U+200D and U+200C are part of emoji sequences and of Persian and Indic spelling: names keep
    # them and every output shows them as they are; the bidi overrides are still refused.
    name = "👩\u200d💻 می\u200cخواهم"
    assert not terminal.has_controls(name) and terminal.safe(name) == name
    assert main(["--db", str(db_path), "new", name, "--as", "Ana\u200cBel"]) == 0
    with Store(db_path) as s:
        assert s.history(s.get(name).id)[0].changed_by == "Ana\u200cBel"
    assert main(["--db", str(db_path), "new", "x\u202eevil"]) == 2
    assert main(["--db", str(db_path), "new", "y", "--as", "x\u2066y"]) == 2
