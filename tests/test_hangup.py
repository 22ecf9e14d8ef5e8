"""Nothing typed is lost: a real `soc2-tui` in a pseudo-terminal, killed by SIGHUP (the terminal
closed, an SSH session dropped) or SIGTERM while a field holds text not yet saved; and the
respondent and theme remembered between sessions (issue 15)."""

from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import pytest

from soc2_tui import config
from soc2_tui.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals and signals")


def read_until(fd: int, needle: bytes, seconds: float = 30.0) -> bytes:
    """Read the terminal until `needle` shows up (the app drew the screen the test waits for)."""
    seen = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _w, _x = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if needle in seen:
                return seen
    raise AssertionError(f"{needle!r} never appeared on the terminal; last output: {seen[-400:]!r}")


def drain(fd: int, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _w, _x = select.select([fd], [], [], 0.1)
        if ready:
            try:
                if not os.read(fd, 65536):
                    return
            except OSError:
                return


def _own_terminal() -> None:
    """In the child: a session of its own whose controlling terminal is the pty (stdin), as a
    shell in a terminal window has; closing the window's side then hangs the session up."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def start_app(db, *args: str) -> tuple[subprocess.Popen, int]:
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    env.pop("TEXTUAL", None)
    proc = subprocess.Popen([sys.executable, "-m", "soc2_tui", "--db", str(db), *args],
                            stdin=follower, stdout=follower, stderr=follower, env=env, preexec_fn=_own_terminal)
    os.close(follower)
    return proc, leader


@pytest.fixture
def acme(tmp_path):
    db = tmp_path / "hup.db"
    with Store(db) as s:
        s.create("Acme", principles=["security"], by="Setup")
    return db


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_text_typed_into_notes_survives_a_hangup(acme, sig):
    config.save(respondent="Lee")  # remembered from an earlier session; --as wins
    proc, term = start_app(acme, "--as", "Tess", "open", "Acme")
    try:
        read_until(term, b"Gap analysis")  # the dashboard's button
        os.write(term, b"g")
        read_until(term, b"Why it matters")  # the gap analysis, its first item shown
        os.write(term, b"\t")  # Tab: into Notes
        drain(term, 0.5)
        os.write(term, "typed before the line dropped ü".encode())
        read_until(term, b"dropped")  # on screen: in the field, not saved (focus never left it)
        with Store(acme) as s:
            a = s.get("Acme")
            assert not any(ans.notes for ans in s.answers(a.id).values())
        proc.send_signal(sig)
        drain(term, 2)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(term)
    with Store(acme) as s:
        a = s.get("Acme")
        saved = [ans for ans in s.answers(a.id).values() if ans.notes]
    assert [x.notes for x in saved] == ["typed before the line dropped ü"]
    assert saved[0].notes_by == "Tess"  # a note never makes its author the one who answered


def test_closing_the_terminal_saves_what_was_typed(acme):
    """The terminal itself goes away (its window closed): the kernel hangs the session up."""
    proc, term = start_app(acme, "--as", "Tess", "open", "Acme")
    try:
        read_until(term, b"Gap analysis")
        os.write(term, b"g")
        read_until(term, b"Why it matters")
        os.write(term, b"\t")
        drain(term, 0.5)
        os.write(term, b"window closed")
        read_until(term, b"closed")
    finally:
        os.close(term)  # the terminal's side is gone: SIGHUP to the session
        try:
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:  # never leave the app running when a step above failed
                proc.kill()
                proc.wait()
    with Store(acme) as s:
        a = s.get("Acme")
        assert [x.notes for x in s.answers(a.id).values() if x.notes] == ["window closed"]


def test_the_respondent_and_theme_are_remembered_and_as_overrides(tmp_path):
    assert str(config.config_dir()) == os.environ["SOC2_TUI_CONFIG_DIR"]  # never the user's folder
    assert config.load() == {}
    assert config.save(respondent="Lee", theme="soc2-light") is None
    assert config.load() == {"respondent": "Lee", "theme": "soc2-light"}
    assert oct(config.config_path().stat().st_mode & 0o777) == "0o600"
    config.config_path().write_text(json.dumps({"respondent": "\x1b[31mX", "theme": 3, "other": "y"}))
    assert config.load() == {}  # what soc2-tui never writes is not read back
    config.config_path().write_text("not json")
    assert config.load() == {}


async def test_the_app_remembers_a_name_given_in_the_dialog_and_the_theme(acme):
    from soc2_tui import banks
    from soc2_tui.tui.app import DARK_THEME, LIGHT_THEME, Soc2App
    from soc2_tui.tui.dialogs.respondent import RespondentScreen

    q = banks.load_questionnaire()
    with Store(acme) as store:
        app = Soc2App(store, q, remember=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, RespondentScreen)
            app.screen.query_one("Input").value = "Lee"
            await pilot.press("enter")
            await pilot.press("ctrl+t")
            await pilot.pause()
        assert config.load() == {"respondent": "Lee", "theme": LIGHT_THEME}

        kept = config.load()
        app = Soc2App(store, q, respondent=kept["respondent"], remember=True, theme_name=kept["theme"],
                      remembered=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert not isinstance(app.screen, RespondentScreen)
            assert app.respondent == "Lee" and app.theme == LIGHT_THEME
            assert any("Answering as Lee" in str(n.message) for n in app._notifications)
        assert DARK_THEME != LIGHT_THEME


def test_config_command_shows_where_and_what(capsys):
    from soc2_tui.cli import main

    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert str(config.config_path()) in out and "not written yet" in out
    config.save(respondent="Lee")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "respondent" in out and "Lee" in out


@pytest.mark.parametrize("content, said", [
    (b"not json", "is not JSON"),
    (b"\xff\xfe", "is not UTF-8"),
    (b"[1, 2]", "does not hold a JSON object"),
    (b'{"respondent": "\\u001b[31mX", "other": 1}', "ignored: other, respondent"),
])
def test_config_command_says_when_the_file_cannot_be_used(capsys, content, said):
    from soc2_tui.cli import main

    config.config_path().parent.mkdir(parents=True, exist_ok=True)
    config.config_path().write_bytes(content)
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert said in out and "\x1b" not in out and "respondent: (not set)" in out
    assert config.save(theme="soc2-light") is None  # the next preference writes a usable file
    assert config.problem() is None and config.load() == {"theme": "soc2-light"}
    aside = config.config_path().with_name("config.json.unreadable")
    assert aside.read_bytes() == content  # the unusable file is kept, not silently lost
