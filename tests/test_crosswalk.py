"""Coverage of other frameworks (issue 17): the declared frameworks' id lists, the check of the
banks' references against them, `soc2-tui coverage` and the numbers it gives for the demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from soc2_tui import banks, scoring
from soc2_tui.cli import main
from soc2_tui.crosswalk import check, coverage, frameworks
from soc2_tui.errors import ContentError

TODAY = date(2026, 11, 26)
ITEM = """\
bank: xw-test
version: '1'
kind: controls
sections:
  - id: XW
    title: Crosswalk test
    items:
      - id: XW-01
        title: Example control
        question: Is the example control run every quarter with a signed record?
        guidance: Why it matters.
        evidence: [Signed records]
        remediation: Start the record.
        criteria: [CC6.1]
        severity: high
        effort: S
        references:
"""

def shown(path) -> str:
    """A path as messages show it: relative to the working folder when that is shorter (the
    suite runs from any checkout, /tmp/ci included)."""
    rel = os.path.relpath(path)
    return rel if len(rel) < len(str(path)) else str(path)


def _declared() -> dict[str, frameworks.Framework]:
    return {f.id: f for f in frameworks.declared()}


# ------------------------------------------------------------------------ the id lists


def test_three_frameworks_are_declared_in_order_with_their_keys():
    fws = frameworks.declared()
    assert [f.id for f in fws] == ["iso27001-2022", "csa-ccm-v4", "nist-csf-2.0"]
    assert [f.keys for f in fws] == [("iso27001_2022",), ("ccm_v4",), ("nist_csf_2",)]
    assert all(f.name and f.short and f.version and f.note for f in fws)
    assert all(title.strip() for f in fws for title in f.controls.values())


def test_iso_annex_a_has_the_93_controls_in_four_themes():
    iso = _declared()["iso27001-2022"].controls
    expected = [f"A.{theme}.{n}" for theme, count in ((5, 37), (6, 8), (7, 14), (8, 34)) for n in range(1, count + 1)]
    assert list(iso) == expected and len(iso) == 93


def test_ccm_v4_has_197_controls_over_17_domains():
    ccm = _declared()["csa-ccm-v4"].controls
    per_domain = Counter(cid.rsplit("-", 1)[0] for cid in ccm)
    assert per_domain == {"A&A": 6, "AIS": 7, "BCR": 11, "CCC": 9, "CEK": 21, "DCS": 15, "DSP": 19, "GRC": 8,
                          "HRS": 13, "IAM": 16, "IPY": 4, "IVS": 9, "LOG": 13, "SEF": 8, "STA": 14, "TVM": 10,
                          "UEM": 14}
    assert len(ccm) == 197
    for domain, count in per_domain.items():  # numbered 01 … n without a gap
        assert [c for c in ccm if c.startswith(domain + "-")] == [f"{domain}-{n:02d}" for n in range(1, count + 1)]


def test_nist_csf_2_has_106_subcategories_with_the_retired_numbers_left_out():
    csf = _declared()["nist-csf-2.0"].controls
    assert len(csf) == 106
    per_function = Counter(cid[:2] for cid in csf)
    assert per_function == {"GV": 31, "ID": 21, "PR": 22, "DE": 11, "RS": 13, "RC": 8}
    for gone in ("ID.AM-06", "PR.DS-03", "PR.DS-09", "DE.CM-04", "DE.AE-01", "RS.AN-01", "RS.CO-01", "RC.CO-01"):
        assert gone not in csf
    assert [c for c in csf if c.startswith("PR.DS")] == ["PR.DS-01", "PR.DS-02", "PR.DS-10", "PR.DS-11"]
    assert [c for c in csf if c.startswith("RS.AN")] == ["RS.AN-03", "RS.AN-06", "RS.AN-07", "RS.AN-08"]
    assert list(csf)[0] == "GV.OC-01" and list(csf)[-1] == "RC.CO-04"


def test_a_malformed_framework_file_names_file_and_line(tmp_path):
    (tmp_path / "x.yaml").write_text("id: x\nname: X\nversion: 2.0\ncontrols:\n  X-1: ''\n", encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        frameworks.declared(tmp_path)
    said = [str(p) for p in exc.value.problems]
    assert f"{tmp_path / 'x.yaml'}:3: 'version' must be text (quote a number such as \"2.0\")" in said
    assert any(s.startswith(f"{tmp_path / 'x.yaml'}:5: control 'X-1'") for s in said)


# ------------------------------------------------------------------------ the reference check


def test_every_reference_of_the_builtin_bank_is_valid(q):
    found = check.check_references(q, frameworks.declared())
    assert found.errors == () and found.warnings == ()
    keys = {k for item in q.items.values() for k in item.references}
    assert keys == {"iso27001_2022", "ccm_v4", "nist_csf_2"}


def _bank_with(tmp_path: Path, refs: str) -> Path:
    path = tmp_path / "xw.yaml"
    path.write_text(ITEM + refs, encoding="utf-8")
    return path


def test_an_unknown_id_of_a_declared_framework_is_an_error_with_file_and_line(tmp_path, capsys):
    path = _bank_with(tmp_path, "          iso27001_2022: [A.5.1, A.9.9, '5.2']\n          csa-ccm-v4: [log-01]\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert f"{shown(path)}:8: item XW-01: ISO/IEC 27001:2022 Annex A (iso27001_2022) has no control 'A.9.9'" in err
    assert f"{shown(path)}:8: item XW-01: ISO/IEC 27001:2022 Annex A (iso27001_2022) has no control '5.2'; " \
           "did you mean A.5.2?" in err
    assert f"{shown(path)}:8: item XW-01: CSA Cloud Controls Matrix v4 (csa-ccm-v4) has no control 'log-01'; " \
           "did you mean LOG-01?" in err
    assert err[-1] == "3 problems found"


def test_an_undeclared_framework_is_a_warning_not_an_error(tmp_path, capsys):
    path = _bank_with(tmp_path, "          pci_dss_4: ['8.3.1']\n          iso27001_2022: [A.8.5]\n")
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("ok: ")
    assert err.splitlines() == [f"{shown(path)}:8: warning: undeclared framework 'pci_dss_4' in the references of "
                                "1 item (not checked; declared: iso27001-2022, csa-ccm-v4, nist-csf-2.0)"]


# ------------------------------------------------------------------------ coverage of the demo


def _demo_coverage(demo_store, q) -> dict[str, coverage.Coverage]:
    a = demo_store.get("demo")
    answers = demo_store.answers(a.id)
    result = scoring.score(q, a, answers, today=TODAY)
    return {c.framework.id: c for c in coverage.all_coverage(frameworks.declared(), q, answers, result)}


def test_the_demos_crosswalk_numbers_are_pinned(demo_store, q):
    found = _demo_coverage(demo_store, q)
    counts = {fid: (c.touched, c.total, c.ready, c.count("not_ready"), c.count("not_applicable"))
              for fid, c in found.items()}
    assert counts == {"iso27001-2022": (66, 93, 14, 47, 5), "csa-ccm-v4": (101, 197, 37, 52, 12),
                      "nist-csf-2.0": (64, 106, 18, 44, 2)}
    assert found["iso27001-2022"].summary() == \
        "ISO/IEC 27001:2022 Annex A: 66 of 93 controls touched by the bank; 14 ready"
    assert found["csa-ccm-v4"].summary(short=True) == "CSA CCM v4: 101/197 touched · 37 ready"


def test_ready_means_every_item_in_force_at_the_report_types_target(demo_store, q):
    iso = {c.id: c for c in _demo_coverage(demo_store, q)["iso27001-2022"].controls}
    # A.5.1: POL-01 current and in force: ready (CC5-05 was retired into the policy checklist).
    assert iso["A.5.1"].state == "ready"
    assert [(s.item.id, s.status, s.at_target) for s in iso["A.5.1"].items] == \
        [("POL-01", "operating", True)]
    # A.5.3: CC5-02 only implemented, a gap in a Type II report: not ready.
    assert iso["A.5.3"].state == "not_ready"
    # A.5.34: only privacy items, and privacy is not in the demo's scope.
    assert iso["A.5.34"].state == "not_applicable" and not any(s.in_force for s in iso["A.5.34"].items)
    assert iso["A.5.5"].state == "untouched" and iso["A.5.5"].items == ()


def test_a_type_i_report_counts_implemented_as_ready(demo_store, q):
    a = demo_store.get("demo")
    answers = demo_store.answers(a.id)
    type1 = a.__class__(**{**a.__dict__, "report_type": "type1"})
    result = scoring.score(q, type1, answers, today=TODAY)
    iso = coverage.coverage(_declared()["iso27001-2022"], q, answers, result)
    assert {c.id: c.state for c in iso.controls}["A.5.3"] == "ready"  # CC5-02 implemented, CC6-14 operating


# ------------------------------------------------------------------------ soc2-tui coverage


@pytest.fixture
def demo_db(tmp_path):
    db = str(tmp_path / "demo.db")
    assert main(["--db", db, "demo"]) == 0
    return db


def test_coverage_without_a_framework_gives_one_line_per_framework(demo_db, capsys):
    capsys.readouterr()
    assert main(["--db", demo_db, "coverage", "demo"]) == 0
    out = capsys.readouterr().out
    assert "ISO/IEC 27001:2022 Annex A: 66 of 93 controls touched by the bank; 14 ready" in out
    assert "CSA Cloud Controls Matrix v4: 101 of 197 controls touched by the bank; 37 ready" in out
    assert "NIST Cybersecurity Framework 2.0: 64 of 106 controls touched by the bank; 18 ready" in out


def test_coverage_of_one_framework_lists_its_controls_and_the_untouched(demo_db, capsys):
    capsys.readouterr()
    assert main(["--db", demo_db, "coverage", "demo", "--framework", "ISO27001_2022"]) == 0  # a key, any case
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "ISO/IEC 27001:2022 Annex A: 66 of 93 controls touched by the bank; 14 ready"
    a51 = next(line for line in lines if line.startswith("A.5.1 "))
    assert a51.split()[-3:] == ["ready", "POL-01", "current"]
    assert next(line for line in lines if line.startswith("A.5.34 ")).endswith("46 out of scope")
    untouched = next(line for line in lines if line.startswith("untouched (27): "))
    assert "A.5.5, A.5.6" in untouched
    assert lines[-1].startswith("ready: every item in force that references the control is operating")


def test_coverage_json(demo_db, capsys):
    capsys.readouterr()
    assert main(["--db", demo_db, "coverage", "demo", "--framework", "csa-ccm-v4", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    fw = doc["frameworks"][0]
    assert doc["assessment"] == "demo" and fw["framework"]["id"] == "csa-ccm-v4"
    assert (fw["touched"], fw["ready"], fw["not_ready"], fw["not_applicable"], fw["untouched"]) == (101, 37, 52, 12, 96)
    log05 = next(c for c in fw["controls"] if c["id"] == "LOG-05")
    assert {i["id"] for i in log05["items"]} and log05["state"] in coverage.STATES
    assert main(["--db", demo_db, "coverage", "demo", "--json"]) == 0
    short = json.loads(capsys.readouterr().out)
    assert [f["framework"]["id"] for f in short["frameworks"]] == ["iso27001-2022", "csa-ccm-v4", "nist-csf-2.0"]
    assert all("controls" not in f for f in short["frameworks"])


@pytest.mark.parametrize("argv, said", [
    (["coverage", "demo", "--framework", "pci"],
     "soc2-tui: error: unknown framework 'pci' (declared: iso27001-2022, csa-ccm-v4, nist-csf-2.0)"),
    (["coverage", "nobody"], "soc2-tui: error: no assessment named 'nobody'"),
])
def test_coverage_errors_are_one_line_and_exit_2(demo_db, capsys, argv, said):
    capsys.readouterr()
    assert main(["--db", demo_db, *argv]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(said)


def test_a_warm_report_reads_the_frameworks_without_pyyaml(demo_db, tmp_path):
    """Start-up time is measured: the frameworks come from the cache like the banks do."""
    assert main(["--db", demo_db, "report", "demo", "-o", str(tmp_path / "warm.md")]) == 0  # fills the cache
    code = ("import sys; from soc2_tui.cli import main; "
            f"main(['--db', {demo_db!r}, 'report', 'demo', '-o', {str(tmp_path / 'r.md')!r}]); "
            "print('yaml' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"
    assert "Coverage of other frameworks" in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_loading_the_banks_alone_reads_no_framework(q):
    """The frameworks are read on first use only."""
    assert banks.load_questionnaire() is not None
    code = "import sys, soc2_tui.cli, soc2_tui.startup; print('soc2_tui.crosswalk' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "False"


# ------------------------------------------------------------------------ the dashboard panel


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_the_dashboard_gives_each_touched_framework_a_line(demo_store, q, size):
    """A line per framework the bank references (all three built-in ones); on a short
    terminal one line in the score box's border, so the gap table keeps its rows."""
    from textual.widgets import Static

    from soc2_tui.tui.app import Soc2App
    from soc2_tui.tui.screens.dashboard import DashboardScreen, GapTable

    app = Soc2App(demo_store, q, respondent="Dana", today=TODAY)
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        panel = screen.query_one("#dash-frameworks", Static)
        shown, lines = panel.display, str(panel.render()).splitlines()
        border = str(screen.query_one("#dash-bars").border_subtitle)
        rows = screen.query_one(GapTable).size.height
        buttons = screen.query_one("#dash-actions").region
    if size == (100, 30):
        assert shown and lines == [
            "ISO 27001:2022: 66/93 touched · 14 ready", "CSA CCM v4: 101/197 touched · 37 ready",
            "NIST CSF 2.0: 64/106 touched · 18 ready"]
        assert border == ""
    else:
        assert not shown
        # three frameworks do not fit in words at 80 columns: the shortest form, ready of touched
        assert border == "ISO 27001:2022 ✓14/66; CSA CCM v4 ✓37/101; NIST CSF 2.0 ✓18/64"
        assert rows >= 3  # the header and two gaps, as without the frameworks (the people line is shown too)
        assert buttons.bottom <= size[1] - 1  # the buttons stay above the footer


# ------------------------------------------------------------------------ the report section


def test_the_report_section_is_one_row_per_referenced_framework_and_escapes_names(demo_store, q, monkeypatch):
    from soc2_tui.reports import markdown

    a = demo_store.get("demo")
    answers = demo_store.answers(a.id)
    text = markdown.render(q, a, answers, today=TODAY)
    section = text.split("## Coverage of other frameworks", 1)[1].split("\n## ", 1)[0]
    assert "not a certification" in section
    assert "| ISO/IEC 27001:2022 Annex A | 2022 | 66 of 93 | 14 | 47 | 5 |" in section
    assert "| CSA Cloud Controls Matrix v4 | 4.0 | 101 of 197 | 37 | 52 | 12 |" in section
    assert "| NIST Cybersecurity Framework 2.0 | 2.0 | 64 of 106 | 18 | 44 | 2 |" in section
    assert "Not referenced by the loaded question banks" not in section
    assert text.index("## Coverage of other frameworks") < text.index("## Appendix: every answer")

    iso = _declared()["iso27001-2022"]
    hostile = frameworks.Framework(id="x", name="<b>X</b> | *y*", short="X", version="1`", keys=("iso27001_2022",),
                                   note="", controls=iso.controls)
    unused = frameworks.Framework(id="u", name="Unused <i>set</i>", short="U", version="1", keys=("nobody_uses",),
                                  note="", controls=iso.controls)
    monkeypatch.setattr(frameworks, "declared", lambda directory=None: (hostile, unused))
    section = markdown.render(q, a, answers, today=TODAY).split("## Coverage of other frameworks", 1)[1]
    assert "| &lt;b&gt;X&lt;/b&gt; \\| \\*y\\* | 1\\` | 66 of 93 |" in section
    assert "Not referenced by the loaded question banks: Unused &lt;i&gt;set&lt;/i&gt;." in section


def test_a_broken_framework_file_costs_the_report_one_sentence_not_the_report(demo_store, q, monkeypatch):
    from soc2_tui.errors import Problem
    from soc2_tui.reports import markdown

    def broken(directory=None):
        raise ContentError([Problem("data/frameworks/x.yaml", 3, "'version' must be text")])

    monkeypatch.setattr(frameworks, "declared", broken)
    a = demo_store.get("demo")
    text = markdown.render(q, a, demo_store.answers(a.id), today=TODAY)
    assert ("The framework files could not be read (data/frameworks/x.yaml:3: 'version' must be text); "
            "`soc2-tui validate` lists every problem.") in text
    assert "## Appendix: every answer" in text
