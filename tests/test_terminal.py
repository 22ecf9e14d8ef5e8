"""Typed text never reaches the terminal as escape sequences: `terminal.safe` and every CLI output."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soc2_tui import terminal
from soc2_tui.cli import main
from soc2_tui.errors import UserError

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
                                  "\u00a0\u00a0", "\u200d", "\u2028"])
def test_safe_leaves_clean_text_alone(text):
    assert terminal.safe(text) is text or terminal.safe(text) == text


CONTROLS = st.sampled_from([chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F),
                                             *range(0x2066, 0x206A))])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(CONTROLS, st.text(max_size=5), st.sampled_from([OSC52, OSC0, CSI, C1, BIDI]))),
       st.booleans())
def test_safe_never_lets_a_control_through(parts, multiline):
    out = terminal.safe("".join(parts), multiline=multiline)
    allowed = "\n\t" if multiline else ""
    bad = [c for c in out if (ord(c) < 0x20 and c not in allowed) or 0x7F <= ord(c) <= 0x9F
           or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069]
    assert not bad
    if not terminal.has_controls("".join(parts)):
        assert out == "".join(parts)


# ------------------------------------------------------------------------ the CLI


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


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
