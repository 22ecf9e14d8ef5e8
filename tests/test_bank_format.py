"""The forgiving bank format (issue 17): three required fields, optional ones with stated defaults,
long titles, metadata, `replaces`, unknown fields naming the allowed ones, strict mode, and the
`validate` fixes (empty folder, numeric version, colliding bank ids, the repository's own folder)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from soc2_tui import banks, paths
from soc2_tui.banks import fields as F
from soc2_tui.cli import main

DOCS = Path(__file__).parent.parent / "docs" / "questionnaire-format.md"
MINIMAL = """\
bank: acme
version: "1"
kind: controls
sections:
  - id: ACME
    title: Acme
    items:
{items}"""
SMALL_ITEM = """\
      - id: ACME-01
        question: Do laptops lock after ten idle minutes?
        criteria: [CC6.1]
"""

def shown(path) -> str:
    """A path as messages show it: relative to the working folder when that is shorter (the
    suite runs from any checkout, /tmp/ci included)."""
    rel = os.path.relpath(path)
    return rel if len(rel) < len(str(path)) else str(path)


def write(folder: Path, text: str, name: str = "bank.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(*paths_: Path, **kw) -> list[str]:
    return [f"{p.line}: {p.message}" for p in banks.validate(list(paths_), **kw)]


def test_three_fields_make_an_item_and_the_rest_take_their_defaults(tmp_path):
    q = banks.load_questionnaire(extra=[write(tmp_path, MINIMAL.format(items=SMALL_ITEM))], builtin=False,
                                 cache=False)
    item = q.items["ACME-01"]
    assert item.title == item.question == "Do laptops lock after ten idle minutes?"
    assert (item.guidance, item.evidence, item.remediation, item.effort) == ("", (), "", "")
    assert (item.severity, item.weight, item.frequency, item.replaces, item.metadata) == ("medium", 2.0, None, (), {})


def test_a_title_alone_is_the_question_too(tmp_path):
    text = MINIMAL.format(items=SMALL_ITEM.replace("question:", "title:"))
    item = banks.load_questionnaire(extra=[write(tmp_path, text)], builtin=False, cache=False).items["ACME-01"]
    assert item.question == item.title == "Do laptops lock after ten idle minutes?"


def test_an_item_needs_a_question_or_a_title(tmp_path):
    text = MINIMAL.format(items="      - id: ACME-01\n        criteria: [CC6.1]\n")
    assert problems(write(tmp_path, text)) == [
        "8: item ACME-01: missing field 'question' (or 'title'): an item needs at least one"]


def test_a_long_title_is_accepted_whole(tmp_path):
    title = "Customer data exports " + "and their approvals " * 20
    text = MINIMAL.format(items=SMALL_ITEM + f"        title: {title}\n")
    item = banks.load_questionnaire(extra=[write(tmp_path, text)], builtin=False, cache=False).items["ACME-01"]
    assert len(item.title) > 300 and item.title == title.strip()


def test_metadata_is_kept_per_bank_and_per_item(tmp_path):
    text = MINIMAL.format(items=SMALL_ITEM + "        metadata: {owner: IT, tags: [laptop, endpoint]}\n")
    text = text.replace("kind: controls\n", "kind: controls\nmetadata:\n  source: Acme catalogue v3\n")
    q = banks.load_questionnaire(extra=[write(tmp_path, text)], builtin=False, cache=False)
    assert q.items["ACME-01"].metadata == {"owner": "IT", "tags": ["laptop", "endpoint"]}
    assert q.bank_metadata == {"acme": {"source": "Acme catalogue v3"}}
    bad = text.replace("metadata: {owner: IT, tags: [laptop, endpoint]}", "metadata: [a, b]")
    assert problems(write(tmp_path, bad)) == ["13: item ACME-01: 'metadata' must be a mapping, not a list"]


def test_an_unknown_field_names_itself_and_the_allowed_ones(tmp_path):
    found = problems(write(tmp_path, MINIMAL.format(items=SMALL_ITEM + "        owner: IT\n")))
    allowed = ", ".join(F.names(F.ITEM_FIELDS, "control"))
    assert found == [f"11: item ACME-01: unknown field 'owner' (allowed: {allowed})"]
    assert "replaces" in found[0] and "metadata" in found[0]


def test_replaces_is_parsed_and_checked(tmp_path):
    two = SMALL_ITEM + "        replaces: [OLD-01, OLD-02]\n" + SMALL_ITEM.replace("ACME-01", "ACME-02")
    q = banks.load_questionnaire(extra=[write(tmp_path, MINIMAL.format(items=two))], builtin=False, cache=False)
    assert q.items["ACME-01"].replaces == ("OLD-01", "OLD-02") and q.items["ACME-02"].replaces == ()
    twice = two + "        replaces: [OLD-02]\n"
    assert problems(write(tmp_path, MINIMAL.format(items=twice)), builtin=False) == [
        "12: item ACME-02: replaces OLD-02, which ACME-01 replaces already"]
    alive = SMALL_ITEM + "        replaces: [ACME-02]\n" + SMALL_ITEM.replace("ACME-01", "ACME-02")
    assert problems(write(tmp_path, MINIMAL.format(items=alive)), builtin=False) == [
        "8: item ACME-01: replaces ACME-02, which is still an item; an id is replaced only once it is retired"]
    bad = SMALL_ITEM + "        replaces: OLD-01\n"
    assert problems(write(tmp_path, MINIMAL.format(items=bad)), builtin=False) == [
        "11: item ACME-01: 'replaces' must be a non-empty list of item ids"]


def test_strict_mode_requires_a_frequency_on_controls(tmp_path, capsys):
    path = write(tmp_path, MINIMAL.format(items=SMALL_ITEM))
    assert problems(path) == []
    assert problems(path, strict=True) == [
        "8: item ACME-01: missing field 'frequency' (required for controls of the built-in bank and with --strict)"]
    assert main(["validate", "--strict", str(path)]) == 2
    assert "missing field 'frequency'" in capsys.readouterr().err
    fixed = write(tmp_path, MINIMAL.format(items=SMALL_ITEM + "        frequency: continuous\n"))
    assert main(["validate", "--strict", str(fixed)]) == 0


def test_the_built_in_bank_is_checked_strictly(tmp_path):
    """A copy of the built-in folder is checked as the built-in bank: a control without a frequency
    is a problem there, though the same control in a custom bank is fine."""
    copy = tmp_path / "questionnaires"
    shutil.copytree(paths.questionnaires_dir(), copy)
    target = copy / "controls" / "a1-availability.yaml"
    text = target.read_text(encoding="utf-8")
    assert "        frequency: continuous\n" in text
    target.write_text(text.replace("        frequency: continuous\n", "", 1), encoding="utf-8")
    found = problems(copy)
    assert len(found) == 1 and "item A1-01: missing field 'frequency'" in found[0]


def test_a_folder_without_banks_is_refused(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not a bank")
    assert main(["validate", str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'empty'}:0: no question banks here (no .yaml or .yml files below this folder)" in err


@pytest.mark.parametrize("written, shown", [("2024.10", "2024.1"), ("3", "3")])
def test_a_numeric_version_is_refused_with_quote_it(tmp_path, written, shown):
    path = write(tmp_path, MINIMAL.format(items=SMALL_ITEM).replace('version: "1"', f"version: {written}"))
    assert problems(path) == [f"2: file: 'version' is the number {shown}: quote it (version: \"2026.11\"); "
                              "unquoted, YAML reads 2024.10 as 2024.1"]


def test_a_bank_id_declared_in_two_places_is_an_error_naming_both_files(tmp_path, capsys):
    first = write(tmp_path / "a", MINIMAL.format(items=SMALL_ITEM))
    second = write(tmp_path / "b", MINIMAL.format(items=SMALL_ITEM.replace("ACME-01", "ACME-02")))
    assert main(["validate", str(tmp_path / "a"), str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err
    assert f"{shown(second)}:1: bank id 'acme' is already used by {shown(first)} (another bank)" in err
    builtin = write(tmp_path / "c", MINIMAL.format(items=SMALL_ITEM).replace("bank: acme", "bank: soc2-controls"))
    found = banks.validate([builtin])
    assert len(found) == 1 and found[0].file == shown(builtin) and "bank id 'soc2-controls' is already used by" in \
        found[0].message and "questionnaires" in found[0].message


def test_files_of_one_bank_in_one_folder_share_it(tmp_path):
    write(tmp_path, MINIMAL.format(items=SMALL_ITEM), "one.yaml")
    write(tmp_path, MINIMAL.format(items=SMALL_ITEM.replace("ACME-01", "ACME-02")).replace("id: ACME\n", "id: ACME2\n"),
          "two.yaml")
    q = banks.check([tmp_path])
    assert {"ACME-01", "ACME-02"} <= set(q.items) and q.banks["acme"] == "1"


def test_the_repositorys_own_folder_validates_as_the_built_in_bank(tmp_path, capsys):
    """A copy of questionnaires/ (as next to an installed wheel) is not checked against itself."""
    copy = tmp_path / "checkout" / "questionnaires"
    shutil.copytree(paths.questionnaires_dir(), copy)
    assert main(["validate", str(copy)]) == 0
    out = capsys.readouterr().out
    built_in = banks.load_questionnaire()
    assert out.startswith("ok: 15 files,") and f"soc2-controls {built_in.banks['soc2-controls']}" in out
    assert main(["validate", str(paths.questionnaires_dir())]) == 0
    extra = write(tmp_path / "mine", MINIMAL.format(items=SMALL_ITEM))
    assert main(["validate", str(copy), str(extra)]) == 0
    assert "ok: 16 files" in capsys.readouterr().out


def test_no_builtin_checks_the_given_files_alone(tmp_path, capsys):
    path = write(tmp_path, MINIMAL.format(items=SMALL_ITEM.replace("ACME-01", "CC6-01")))
    assert main(["validate", str(path)]) == 2
    assert "duplicate item id CC6-01" in capsys.readouterr().err
    assert main(["validate", "--no-builtin", str(path)]) == 0
    assert capsys.readouterr().out.startswith("ok: 1 files, 0 scope questions, 1 controls")
    assert main(["validate", "--no-builtin"]) == 2
    assert "name the bank files or folders" in capsys.readouterr().err


def test_the_docs_start_with_the_smallest_bank_and_both_examples_validate(tmp_path):
    text = DOCS.read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```yaml\n")[1:]]
    smallest, full = blocks[0], blocks[1]
    assert text.index("```yaml") < text.index("## The whole format") < text.index(full)
    items = smallest.split("      - ")[1:]
    assert len(items) >= 2
    for item in items:  # three fields each: id, a question or a title, criteria
        keys = [ln.strip().split(":")[0] for ln in item.splitlines() if ln.strip() and not ln.startswith("  " * 5)]
        assert len(keys) == 3 and keys[0] == "id" and keys[1] in ("question", "title") and keys[2] == "criteria"
    assert problems(write(tmp_path, smallest, "small.yaml")) == []
    assert problems(write(tmp_path / "full", full, "full.yaml"), strict=True) == []


def test_the_docs_field_table_lists_every_field_of_the_validator():
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("## Fields", 1)[1].split("\n## ", 1)[0]
    for f in (*F.FILE_FIELDS, *F.ITEM_FIELDS):
        assert f"| `{f.name}` |" in table, f.name


def test_files_of_one_bank_named_one_by_one_are_still_one_bank(tmp_path):
    one = write(tmp_path, MINIMAL.format(items=SMALL_ITEM), "one.yaml")
    two = write(tmp_path, MINIMAL.format(items=SMALL_ITEM.replace("ACME-01", "ACME-02"))
                .replace("id: ACME\n", "id: ACME2\n"), "two.yaml")
    assert problems(one, two) == []
