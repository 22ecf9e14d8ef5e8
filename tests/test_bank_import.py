"""`soc2-tui import-bank`: a spreadsheet made into a YAML bank. The built-in bank round-trips
through `questions --format csv`; bad rows are all reported with their lines and nothing is written."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from soc2_tui import banks
from soc2_tui.cli import main
from soc2_tui.interchange import bank_cells
from soc2_tui.model import Condition

DATA = Path(__file__).parent / "data"


def test_the_built_in_bank_round_trips_through_the_questions_csv(tmp_path, capsys):
    """The built-in bank and a custom one using every field (metadata and replaces included)."""
    custom = str(DATA / "full-bank.yaml")
    q = banks.load_questionnaire(extra=[Path(custom)], cache=False)
    sheet, out = tmp_path / "bank.csv", tmp_path / "bank"
    assert main(["--questionnaires", custom, "questions", "--format", "csv", "-o", str(sheet)]) == 0
    assert main(["import-bank", str(sheet), "--bank-id", "roundtrip", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["controls.yaml", "policies.yaml", "scope.yaml"]
    assert main(["validate", "--no-builtin", str(out)]) == 0
    controls, policies = len(q.of_kind("control")), len(q.of_kind("policy"))
    assert (f"ok: 3 files, 30 scope questions, {controls} controls, {policies} policies; banks: roundtrip 1"
            in capsys.readouterr().out)
    assert q.items["ACME-01"].metadata and q.items["ACME-01"].replaces
    again = banks.load_questionnaire(extra=[out], builtin=False, cache=False)
    assert list(again.items) == list(q.items)
    for iid, item in q.items.items():
        copy = again.items[iid]
        for f in fields(item):
            if f.name != "source":
                assert getattr(copy, f.name) == getattr(item, f.name), (iid, f.name)
    assert [(s.id, s.kind, [i.id for i in s.items]) for s in again.sections] == \
        [(s.id, s.kind, [i.id for i in s.items]) for s in q.sections]


def test_a_sheet_with_three_columns_makes_a_bank(tmp_path):
    out = tmp_path / "acme"
    assert main(["import-bank", str(DATA / "bank-sheet.csv"), "--bank-id", "acme", "--bank-version", "2026.11",
                 "-o", str(out)]) == 0
    text = (out / "controls.yaml").read_text(encoding="utf-8")
    assert text.startswith("bank: acme\nversion: '2026.11'\nkind: controls\n")
    q = banks.check([out])
    item = q.items["ACME-01"]
    assert (item.criteria, item.severity, item.evidence) == (("C1.1", "CC6.7"), "high",
                                                            ("Export tickets with the owner's approval",))
    assert q.items["ACME-02"].severity == "medium" and q.items["ACME-02"].remediation == ""


def test_bad_rows_are_all_reported_with_their_lines_and_nothing_is_written(tmp_path, capsys):
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "ID,Title,Criteria,Severity,Weight,Condition\n"
        "A-01,Fine,CC6.1,,,\n"
        "A-02,Bad criterion,CC6.99,,,\n"
        "A-03,Bad severity,CC6.1,huge,,\n"
        "A-04,Bad weight,CC6.1,,heavy,\n"
        "A-05,,CC6.1,,,\n"
        "A-06,Bad condition,CC6.1,,,data_kinds resembles 'x'\n"
        "A-01,Twice,CC6.1,,,\n",
        encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import-bank", str(sheet), "--bank-id", "acme", "-o", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "error: nothing written, 6 problem(s):" or err[0].endswith("nothing written, 6 problem(s):")
    shown = "\n".join(err)
    assert f"{sheet}:3: item A-02: unknown criterion id 'CC6.99'" in shown
    assert f"{sheet}:4: item A-03: bad severity 'huge'" in shown
    assert f"{sheet}:5: weight 'heavy' is not a number" in shown
    assert f"{sheet}:6: item A-05: missing field 'question' (or 'title')" in shown
    assert f"{sheet}:7: condition \"data_kinds resembles 'x'\"" in shown
    assert f"{sheet}:8: duplicate item id A-01" in shown
    assert not out.exists()


def test_an_unknown_column_names_the_allowed_ones(tmp_path, capsys):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("id,title,criteria,owner\nA-01,T,CC6.1,IT\n", encoding="utf-8")
    assert main(["import-bank", str(sheet), "--bank-id", "acme", "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{sheet}:1: unknown column(s) 'owner'; the columns are those of `soc2-tui questions --format csv`" in err
    assert "replaces, metadata" in err and not (tmp_path / "out").exists()


def test_existing_files_are_kept_without_force(tmp_path, capsys):
    out = tmp_path / "acme"
    args = ["import-bank", str(DATA / "bank-sheet.csv"), "--bank-id", "acme", "-o", str(out)]
    assert main(args) == 0
    (out / "controls.yaml").write_text("mine", encoding="utf-8")
    assert main(args) == 2
    assert "already exists (use --force to overwrite)" in capsys.readouterr().err
    assert (out / "controls.yaml").read_text(encoding="utf-8") == "mine"
    assert main([*args, "--force"]) == 0 and (out / "controls.yaml").read_text(encoding="utf-8").startswith("bank:")


def test_a_workbook_reads_like_the_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Controls"
    sheet.append(["id", "question", "criteria", "weight", "metadata", "replaces"])
    sheet.append(["X-01", "Is the door locked?", "CC6.4", 3, '{"room": "server"}', "OLD-1; OLD-2"])
    sheet.append(["X-02", "Are visitors logged?", "CC6.99", None, None, None])
    path = tmp_path / "bank.xlsx"
    book.save(path)
    assert main(["import-bank", str(path), "--bank-id", "x", "-o", str(tmp_path / "bad")]) == 2
    sheet.delete_rows(3)
    book.save(path)
    assert main(["import-bank", str(path), "--bank-id", "x", "-o", str(tmp_path / "x")]) == 0
    item = banks.check([tmp_path / "x"]).items["X-01"]
    assert (item.weight, item.metadata, item.replaces) == (3.0, {"room": "server"}, ("OLD-1", "OLD-2"))


def test_a_bad_workbook_row_names_the_sheet_and_row(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Catalogue"
    book.active.append(["id", "title", "criteria"])
    book.active.append(["X-01", "Door", "CC6.99"])
    path = tmp_path / "bank.xlsx"
    book.save(path)
    assert main(["import-bank", str(path), "--bank-id", "x", "-o", str(tmp_path / "x")]) == 2
    assert f"{path} sheet Catalogue row 2: item X-01: unknown criterion id 'CC6.99'" in capsys.readouterr().err


def test_not_a_workbook_is_one_line(tmp_path, capsys):
    path = tmp_path / "bank.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    assert main(["import-bank", str(path), "--bank-id", "x", "-o", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "not a readable .xlsx workbook" in err and "Traceback" not in err


@pytest.mark.parametrize("condition", [
    Condition("equals", "a", True),
    Condition("contains", "kinds", "personal"),
    Condition("in", "m", ("carve_out", "it's")),
    Condition("not", parts=(Condition("equals", "role", "processor"),)),
    Condition("all", parts=(Condition("equals", "a", 1), Condition("any", parts=(
        Condition("equals", "b", "x y"), Condition("not", parts=(Condition("contains", "c", "(z)"),)))))),
])
def test_a_described_condition_reads_back(condition):
    def as_yaml(c: Condition):
        if c.op in ("all", "any"):
            return {c.op: [as_yaml(p) for p in c.parts]}
        if c.op == "not":
            return {"not": as_yaml(c.parts[0])}
        return {"scope": c.scope, c.op: list(c.value) if c.op == "in" else c.value}

    assert bank_cells.condition(condition.describe()) == as_yaml(condition)
