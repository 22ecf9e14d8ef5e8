"""The built-in banks meet the content rules, and the validator reports FILE:LINE problems."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from soc2_tui import banks, model
from soc2_tui.banks import yaml_reader
from soc2_tui.cli import main

GOOD_ITEM = """\
      - id: X-01
        title: Example control
        question: Is the example control run every quarter with a signed record?
        guidance: Why it matters. What the auditor asks for.
        evidence: [Signed records for every quarter]
        remediation: Start the record today.
        criteria: [CC6.1]
        severity: high
        effort: S
"""


def bank(items: str = GOOD_ITEM, kind: str = "controls", extra: str = "") -> str:
    return (
        f"bank: test\nversion: '1'\nkind: {kind}\n{extra}sections:\n  - id: XS\n    title: Test\n    items:\n"
        + items
    )


def write(tmp_path: Path, text: str, name: str = "bank.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ------------------------------------------------------------------------ the built-in content


def test_catalog_has_all_61_criteria(q):
    counts = Counter(c.principle for c in q.criteria.values())
    assert len(q.criteria) == 61
    assert counts == {"security": 33, "availability": 3, "confidentiality": 2,
                      "processing_integrity": 5, "privacy": 18}


def test_every_criterion_is_covered_by_a_control(q):
    covered = {c for i in q.of_kind("control") for c in i.criteria}
    assert set(q.criteria) <= covered


def test_each_cc_series_has_at_least_three_questions(q):
    per_series = Counter(q.criteria[c].series for i in q.of_kind("control") for c in set(i.criteria)
                         if q.criteria[c].series == i.section)
    for n in range(1, 10):
        assert per_series[f"CC{n}"] >= 3, f"CC{n}"


def test_volume_of_content(q):
    assert len(q.of_kind("control")) >= 150
    assert len(q.of_kind("policy")) >= 20
    assert len(q.scope_items) >= 12


def test_items_have_every_field(q):
    for item in q.scored_items:
        assert item.question.endswith("?"), item.id
        assert len(item.guidance) > 60 and item.evidence and len(item.remediation) > 40, item.id
        assert item.severity in model.SEVERITIES and item.effort in model.EFFORTS, item.id
        assert item.weight == model.SEVERITY_WEIGHTS[item.severity] or item.weight > 0
        assert item.principles, item.id
    for item in q.of_kind("policy"):
        assert item.purpose and len(item.contents) >= 3 and item.frequency, item.id


def test_seed_topics_are_covered(q):
    text = " ".join(f"{i.title} {i.question}".lower() for i in q.scored_items)
    for topic in ["multi-factor", "least privilege", "access review", "offboard", "onboard", "encrypt",
                  "key", "log", "alert", "retention", "vulnerab", "patch", "change", "incident",
                  "backup", "restore", "continuity", "disaster", "vendor", "soc 2 report", "risk assessment",
                  "training", "background check", "board", "inventory", "classif", "dispos", "privacy"]:
        assert topic in text, topic


def test_scope_bank_covers_the_audit(q):
    ids = {i.id for i in q.scope_items}
    for required in ["principles", "report_type", "period_start", "period_months", "system_name",
                     "system_description", "component_infrastructure", "component_software",
                     "component_people", "component_procedures", "component_data", "subservice_orgs",
                     "subservice_method", "cuecs", "data_kinds", "customer_commitments", "company_size",
                     "auditor_selected", "target_report_date"]:
        assert required in ids


def test_logging_items_carry_ccm_references(q):
    refs = [i for i in q.scored_items if any(r.startswith("LOG-") for r in i.references.get("ccm_v4", ()))]
    assert len(refs) >= 3


def test_ids_are_unique_and_stable_looking(q):
    for item in q.scored_items:
        assert re.match(r"^[A-Z0-9]+-\d{2}$", item.id), item.id


def test_builtin_banks_validate_clean():
    assert banks.validate() == []
    assert main(["validate"]) == 0


# ------------------------------------------------------------------------ the validator


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        (bank(GOOD_ITEM.replace("CC6.1", "CC6.9")), 14, "unknown criterion id 'CC6.9'"),
        (bank(GOOD_ITEM.replace("        severity: high\n", "        severity: huge\n")), 15, "bad severity 'huge'"),
        (bank(GOOD_ITEM.replace("        criteria: [CC6.1]\n", "")), 8,
         "missing field 'criteria'"),
        (bank(GOOD_ITEM.replace("        effort: S\n", "        effort: S\n        critera: [CC1.1]\n")), 17,
         "unknown field 'critera'"),
        (bank(GOOD_ITEM + GOOD_ITEM.replace("Example control", "Another")), 17, "duplicate item id X-01"),
        (bank(GOOD_ITEM + "        condition: {scope: no_such_item, equals: true}\n"), 17,
         "unknown scope item 'no_such_item'"),
        (bank(GOOD_ITEM + "        condition: {scope: subservice_method, equals: sideways}\n"), 17,
         "not an option of subservice_method"),
        (bank(GOOD_ITEM + "        frequency: fortnightly\n"), 17, "bad frequency 'fortnightly'"),
        (bank(GOOD_ITEM + "        weight: -1\n"), 17, "'weight' must be a number"),
        ("bank: test\nversion: '1'\nkind: controls\nsections:\n  - id: XS\n    title: [unclosed\n", 7,
         "YAML syntax error"),
        ("bank: test\nversion: '1'\nkind: controls\nsections: !!python/object:os.system {}\n", 4,
         "could not determine a constructor"),
    ],
)
def test_each_problem_names_file_and_line(tmp_path, capsys, text, line, fragment):
    path = write(tmp_path, text)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    first = [ln for ln in err.splitlines() if fragment in ln]
    assert first, err
    assert first[0].startswith(f"{path}:{line}: ") or first[0].startswith(f"{path.name}:{line}: ") or \
        re.match(rf".*{re.escape(path.name)}:{line}: ", first[0]), first[0]
    assert "Traceback" not in err


def test_all_problems_are_reported_not_only_the_first(tmp_path, capsys):
    broken = GOOD_ITEM.replace("CC6.1", "ZZ9.9").replace("severity: high", "severity: huge")
    path = write(tmp_path, bank(broken))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "ZZ9.9" in err and "huge" in err and "2 problems found" in err


def test_duplicate_id_against_builtin_bank(tmp_path, capsys):
    path = write(tmp_path, bank(GOOD_ITEM.replace("X-01", "CC6-01")))
    assert main(["validate", str(path)]) == 2
    assert "duplicate item id CC6-01" in capsys.readouterr().err


def test_aliases_and_python_tags_are_refused(tmp_path):
    alias = bank(GOOD_ITEM.replace("evidence: [Signed records for every quarter]",
                                   "evidence: &e [Signed records]\n        remediation2: *e"))
    data, problems = yaml_reader.read_yaml(write(tmp_path, alias))
    assert data is None and "aliases" in problems[0].message
    evil = write(tmp_path, "!!python/object/apply:os.system ['touch /tmp/pwned-soc2']\n", "evil.yaml")
    data, problems = yaml_reader.read_yaml(evil)
    assert data is None and problems and not Path("/tmp/pwned-soc2").exists()


def test_custom_bank_is_loaded_next_to_builtin(tmp_path, monkeypatch):
    d = tmp_path / "custom"
    d.mkdir()
    write(d, bank(), "extra.yaml")
    q = banks.load_questionnaire(extra=[d])
    assert "X-01" in q.items and "CC6-01" in q.items
    assert q.banks["test"] == "1"
    monkeypatch.setenv("SOC2_TUI_QUESTIONNAIRES", str(d))
    from soc2_tui import paths

    assert d in paths.extra_questionnaire_dirs()


def test_conditions_evaluate():
    c = model.Condition("all", parts=(model.Condition("equals", "a", True),
                                        model.Condition("contains", "b", "x")))
    assert c.holds({"a": True, "b": ["x"]})
    assert not c.holds({"a": True, "b": ["y"]})
    assert not c.holds({})
    assert model.Condition("not", parts=(model.Condition("in", "a", (1, 2)),)).holds({"a": 3})


def test_questions_json_lists_every_item_with_fields(capsys, q):
    import json

    assert main(["questions", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["items"]) == len(q.items)
    first_control = next(i for i in doc["items"] if i["kind"] == "control")
    for key in ("id", "question", "guidance", "evidence", "remediation", "criteria", "principles",
                "severity", "weight", "effort", "frequency", "references", "condition"):
        assert key in first_control


def test_questions_csv(capsys, q):
    import csv
    import io

    assert main(["questions", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(q.items) and rows[0]["id"] == "principles"
