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


def _lines_at(width: int, monkeypatch, capsys, *argv: str) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(list(argv)) == 0
    return capsys.readouterr().out.splitlines()


def test_score_and_list_fit_80_columns_without_wrapping_headers_or_bands(db_path, monkeypatch, capsys):
    db = str(db_path)
    assert main(["--db", db, "demo"]) == 0
    assert main(["--db", db, "new", "Acme Holdings International 2026", "--org", "Acme Holdings International Ltd",
                 "--principles", "security,availability,processing_integrity,confidentiality,privacy"]) == 0
    capsys.readouterr()

    score = _lines_at(80, monkeypatch, capsys, "--db", db, "score", "demo")
    assert max(len(line) for line in score) <= 80
    assert next(line for line in score if line.startswith("principle")).split() == \
        ["principle", "score", "band", "coverage", "gaps", "critical"]
    rows = [line for line in score if line.startswith(("Security", "Availability", "Confidentiality", "Overall"))]
    assert len(rows) == 4 and all("Needs work" in row for row in rows)  # one row each, band whole

    for width, headers in ((80, ["name", "type", "answered", "score", "band", "updated"]),
                           (100, ["name", "type", "principles", "answered", "score", "band", "updated"]),
                           (120, ["name", "organisation", "type", "principles", "answered", "score", "band",
                                  "updated"])):
        listed = _lines_at(width, monkeypatch, capsys, "--db", db, "list")
        assert max(len(line) for line in listed) <= width
        assert next(line for line in listed if line.startswith("name")).split() == headers
        assert any("Needs work" in line for line in listed) and any("Not ready" in line for line in listed)
        assert any(line.startswith("demo ") and "133/158" in line for line in listed)


def test_questions_writes_its_default_table_to_the_file_given(tmp_path, capsys, q):
    """`questions -o FILE` used to print the table and write nothing (issue #16)."""
    out = tmp_path / "questions.txt"
    assert main(["questions", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and f"wrote {out}" in captured.err
    text = out.read_text(encoding="utf-8")
    assert f"{len(q.items)} questions" in text
    for item_id in ("CC6-03", "POL-01", "auditor_selected"):
        assert any(line.split("│")[1].strip() == item_id for line in text.splitlines() if line.startswith("│"))
    assert q.items["CC6-03"].title in text  # whole, not cut to a terminal's width
    assert "\x1b[" not in text  # plain text: no colours
    assert main(["questions", "-o", str(out)]) == 2  # an existing file needs --force, as for every -o
    assert "already exists" in capsys.readouterr().err
