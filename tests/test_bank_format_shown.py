"""What the report, the roadmap and quick mode show for an item whose bank leaves the optional
fields out: "not provided by the bank", an effort marked assumed, a long title shortened."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from test_bank_format import MINIMAL

from soc2_tui import banks, labels, roadmap
from soc2_tui.model import Answer, Assessment
from soc2_tui.reports.markdown import render

LONG = "Customer data exports are approved by the data owner " + "and logged with the ticket " * 6
BANK = MINIMAL.format(items=f"""\
      - id: ACME-01
        title: {LONG}
        criteria: [CC6.1]
      - id: ACME-02
        question: Do laptops lock after ten idle minutes?
        criteria: [CC6.1]
        effort: S
        remediation: Push the screen-lock policy from the device manager.
        evidence: [The device manager's policy export]
""")
TODAY = date(2026, 11, 30)


@pytest.fixture
def q(tmp_path: Path):
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    return banks.load_questionnaire(extra=[path], builtin=False, cache=False)


def _report(q) -> str:
    a = Assessment(1, "Acme", report_type="type2", principles=("security",), period_months=6)
    answers = {iid: Answer(iid, status="not_started") for iid in q.items}
    return render(q, a, answers, today=TODAY)


def test_the_report_says_what_the_bank_did_not_provide(q):
    text = _report(q)
    first = text.split("### 1. ACME-01", 1)[1].split("\n### ", 1)[0]
    assert f"**Remediation:** {labels.NOT_PROVIDED}" in first
    assert f"**Typical evidence:** {labels.NOT_PROVIDED}" in first
    assert f"**Effort:** M assumed ({labels.NOT_PROVIDED})" in first
    second = text.split("### 2. ACME-02", 1)[1].split("\n## ", 1)[0]
    assert "Push the screen-lock policy" in second and labels.NOT_PROVIDED not in second
    assert "S (about 1 week)" in second


def test_the_roadmap_marks_the_effort_it_assumed(q):
    text = _report(q).split("## Roadmap", 1)[1]
    assert "1 open item has no effort in its question bank; the estimate assumes M (4 weeks) and marks it " \
           "\"M assumed\"." in text
    assert f"**ACME-01** {labels.short_title(LONG)}: not started, medium, effort M assumed ({labels.NOT_PROVIDED})" \
        in text
    assert "**ACME-02** Do laptops lock after ten idle minutes?: not started, medium, effort S" in text
    assert roadmap.task_weeks(q.items["ACME-01"], "not_started") == roadmap.EFFORT_WEEKS["M"]


def test_a_long_title_is_shortened_in_tables_and_headings_and_kept_whole_in_the_bank(q):
    assert len(q.items["ACME-01"].title) > labels.TITLE_WIDTH
    text = _report(q)
    short = labels.short_title(LONG)
    assert len(short) == labels.TITLE_WIDTH and short.endswith(labels.ELLIPSIS)
    assert f"### 1. ACME-01: {short}\n" in text
    assert f"| ACME-01 | {short} |" in text
    # Whole only in the gap's details, as its question (the bank gave no other question).
    assert text.count(LONG.strip()) == 1 and f"**Question:** {LONG.strip()}\n" in text


def test_quick_mode_shows_not_provided_in_the_details(q):
    from prompt_toolkit.output import DummyOutput

    from soc2_tui.quick import Prompter
    from soc2_tui.quick.items import show_details

    out = io.StringIO()
    show_details(Prompter(output=DummyOutput(), out=out, width=100), q.items["ACME-01"])
    lines = [ln.strip() for ln in out.getvalue().splitlines() if ln.strip()]
    assert lines == ["Guidance", labels.NOT_PROVIDED, "Evidence an auditor will ask for", labels.NOT_PROVIDED,
                     "How to close the gap", labels.NOT_PROVIDED,
                     f"Criteria CC6.1 · severity medium · effort {labels.NOT_PROVIDED}"]


async def test_the_item_pane_says_what_the_bank_did_not_provide(tmp_path, q):
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_terminal_app import SIZE, screen_text, settle

    from soc2_tui.store import Store
    from soc2_tui.tui.app import Soc2App

    store = Store(tmp_path / "a.db")
    a = store.create("Acme")
    store.set_answer(a.id, "ACME-01", status="not_started")
    app = Soc2App(store, q, respondent="Q")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for keys in (("enter",), ("g",), ("/", *"acme-01", "enter")):
            await pilot.press(*keys)
            await settle(app, pilot)
        assert "ACME-01" in screen_text(app)
        shown = " ".join(" ".join(str(getattr(app.screen.query_one(f"#ip-{part}").content, "plain",
                                               app.screen.query_one(f"#ip-{part}").content)).split())
                         for part in ("meta", "guidance", "evidence"))
    store.close()
    assert f"Why it matters {labels.NOT_PROVIDED}" in shown
    assert f"Typical evidence {labels.NOT_PROVIDED}" in shown
    assert f"effort {labels.NOT_PROVIDED}" in shown
