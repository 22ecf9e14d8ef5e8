"""`soc2-tui schema`: a JSON Schema of the bank format, built from the validator's own field table,
that every built-in bank passes and that refuses what the validator refuses."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from test_bank_format import MINIMAL, SMALL_ITEM

from soc2_tui import banks, paths
from soc2_tui.banks import fields as F
from soc2_tui.banks.schema import bank_schema
from soc2_tui.banks.yaml_reader import read_yaml
from soc2_tui.cli import main

CRITERIA = sorted(banks.load_criteria()[0])
GOOD = MINIMAL.format(items=SMALL_ITEM)


def _errors(data, strict: bool = False) -> list[str]:
    validator = jsonschema.Draft202012Validator(bank_schema(CRITERIA, strict=strict))
    return [e.message for e in validator.iter_errors(data)]


def test_the_schema_is_a_valid_draft_2020_12_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema == json.loads(json.dumps(bank_schema(CRITERIA)))


def test_the_schema_allows_exactly_the_validators_fields():
    schema = bank_schema()
    for kind in F.ALL_KINDS:
        item = schema["$defs"][f"{kind}_item"]
        assert tuple(item["properties"]) == F.names(F.ITEM_FIELDS, kind)
        assert item["additionalProperties"] is False
        assert tuple(item["required"]) == F.required(F.ITEM_FIELDS, kind)
    assert tuple(schema["properties"]) == F.names(F.FILE_FIELDS, "file")


def test_every_built_in_bank_file_passes_the_strict_schema():
    files = banks.bank_files([paths.questionnaires_dir()])
    assert len(files) >= 15
    for path in files:
        data, problems = read_yaml(path)
        assert not problems
        assert _errors(data, strict=True) == [], path  # the built-in bank passes the strict rules


def test_the_smallest_bank_passes(tmp_path):
    data, _ = read_yaml(_write(tmp_path, GOOD))
    assert _errors(data) == []
    assert _errors(data, strict=True) == ["'frequency' is a required property"]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("change, validator_says, schema_says", [
    (("        criteria: [CC6.1]\n", "        criteria: [CC6.1]\n        owner: IT\n"),
     "unknown field 'owner'", "Additional properties are not allowed ('owner' was unexpected)"),
    (("        criteria: [CC6.1]\n", ""), "missing field 'criteria'", "'criteria' is a required property"),
    (("        question: Do laptops lock after ten idle minutes?\n", ""),
     "missing field 'question' (or 'title')", "is not valid under any of the given schemas"),
    (('version: "1"', "version: 2024.10"), "quote it", "2024.1 is not of type 'string'"),
    (("[CC6.1]", "[CC6.9]"), "unknown criterion id 'CC6.9'", "'CC6.9' is not one of"),
    (("        criteria: [CC6.1]\n", "        criteria: [CC6.1]\n        severity: huge\n"),
     "bad severity 'huge'", "'huge' is not one of ['critical', 'high', 'medium', 'low']"),
    (("        criteria: [CC6.1]\n", "        criteria: [CC6.1]\n        metadata: [a]\n"),
     "'metadata' must be a mapping", "['a'] is not of type 'object'"),
    (("        criteria: [CC6.1]\n", "        criteria: [CC6.1]\n        replaces: OLD-1\n"),
     "'replaces' must be a non-empty list", "'OLD-1' is not of type 'array'"),
    (("kind: controls", "kind: checks"), "bad kind 'checks'",
     "'checks' is not one of ['scope', 'controls', 'policies']"),
])
def test_a_broken_bank_fails_the_schema_as_it_fails_the_validator(tmp_path, change, validator_says, schema_says):
    path = _write(tmp_path, GOOD.replace(*change))
    assert any(validator_says in p.message for p in banks.validate([path])), banks.validate([path])
    data, _ = read_yaml(path)
    found = _errors(data)
    assert any(schema_says in e for e in found), found
