"""What the CLI prints for people: names and labels, not internal keys; tables that fit 80 columns."""

from __future__ import annotations

import os
import pwd

from soc2_tui import startup
from soc2_tui.cli import main


def test_new_names_the_report_type_and_principles_in_words(db_path, capsys):
    assert main(["--db", str(db_path), "new", "Acme", "--principles", "processing_integrity"]) == 0
    out = capsys.readouterr().out
    assert "(Type II: Security, Processing integrity)" in out
    assert "type2" not in out and "processing_integrity" not in out


def test_the_login_name_comes_from_the_account_when_no_variable_names_it(monkeypatch):
    """getpass, not only $USER: $LOGNAME first, and the account database when no variable is set
    (cron, some containers, `env -i`)."""
    for var in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(var, raising=False)
    try:
        account = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a user id with no account: nothing to offer
        account = ""
    assert startup.login_name() == account
    monkeypatch.setenv("LOGNAME", "dana")
    monkeypatch.setenv("USER", "other")
    assert startup.login_name() == "dana"
    assert startup.respondent(None) == "dana"
