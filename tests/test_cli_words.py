"""What the CLI prints for people: names and labels, not internal keys; tables that fit 80 columns."""

from __future__ import annotations

from soc2_tui.cli import main


def test_new_names_the_report_type_and_principles_in_words(db_path, capsys):
    assert main(["--db", str(db_path), "new", "Acme", "--principles", "processing_integrity"]) == 0
    out = capsys.readouterr().out
    assert "(Type II: Security, Processing integrity)" in out
    assert "type2" not in out and "processing_integrity" not in out
