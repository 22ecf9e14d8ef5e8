"""The Markdown gap report: structure, escaping, determinism, progress, roadmap, CLI.

The golden file tests/golden/demo-report.md is the demo report on a fixed day. When the demo,
the question banks or the report change on purpose, regenerate it and read the diff:

    SOC2_TUI_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_report.py -k golden
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from soc2_tui import cli, roadmap
from soc2_tui.interchange import export, snapshots
from soc2_tui.model import Answer, Assessment
from soc2_tui.reports import markdown
from soc2_tui.reports.tables import esc, normalise, table

TODAY = date(2026, 11, 26)
GOLDEN = Path(__file__).parent / "golden" / "demo-report.md"
MD = MarkdownIt("commonmark").enable("table")
HOSTILE = ("<script>alert(1)</script> | pipe `code` ``x``\n# heading\n[x](javascript:alert(1)) "
           "![i](http://x/y.png) *bold* __u__ <b>b</b> &amp; &#60; \\| ~~s~~ $x$ <!-- c -->\n\n- item\n"
           "1. one\n    indented\n```\nfence\n| a | b |\n|---|---|\n---\n===\n> quote\r\n\u2028end\\")
HOSTILE_LINE = "Acme | <b>x</b> `#1` [y](javascript:z) *_~"  # names must be one line
# Text that would open a block if it started a line (list items start lines).
LEADING = ["- dash", "+ plus", "* star", "1. one", "2) two", "# hash", "---", "===", "> quote", "    code",
           "```", "~~~", "<div>", "| a | b |", "[^1]: note", "[ref]: http://x"]
TITLES = ["Executive summary", "Scope", "Readiness by criterion", "Gaps by priority", "Not assessed",
          "Policy checklist", "Type II evidence window", "Roadmap", "What the auditor will also need",
          "Common pitfalls", "Warnings", "Coverage of other frameworks", "Appendix: every answer"]


# ----------------------------------------------------------------------------- helpers


def walk(tokens):
    for t in tokens:
        yield t
        if t.children:
            yield from walk(t.children)


def shown(inline_source: str) -> str:
    """What a reader sees for inline Markdown (no HTML gets through, so only our own tags go)."""
    return html.unescape(re.sub(r"<[^>]+>", "", MD.renderInline(inline_source)))


def headings(text: str) -> list[tuple[int, str]]:
    toks = MD.parse(text)
    return [(int(t.tag[1]), shown(toks[i + 1].content)) for i, t in enumerate(toks) if t.type == "heading_open"]


def h2(text: str) -> list[str]:
    return [title for level, title in headings(text) if level == 2]


def raw_cells(line: str) -> int:
    """Cells in a raw table line, splitting on pipes not preceded by a backslash (as GFM does)."""
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return len(re.split(r"(?<!\\)\|", line))


def assert_well_formed(text: str) -> None:
    """Headings #, ##, ### in order; every table regular (tokens and raw lines); no HTML, no links."""
    tokens = MD.parse(text)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1 and after >= 2, levels
    assert max(levels) <= 3
    for t in walk(tokens):
        assert t.type not in ("html_inline", "html_block"), t
        assert t.type not in ("link_open", "image", "code_block"), t
        if t.type == "fence":
            assert t.info == "mermaid"
    lines = text.split("\n")
    n_tables = 0
    row = None
    header = None
    for t in tokens:
        if t.type == "table_open":
            n_tables += 1
            start, end = t.map
            header = raw_cells(lines[start])
            assert re.fullmatch(r"\| (:?---:?)( \| :?---:?)* \|", lines[start + 1]), lines[start + 1]
            assert raw_cells(lines[start + 1]) == header
            for line in lines[start + 2:end]:
                assert raw_cells(line) == header, line
            assert end == len(lines) or lines[end] == "", "a table must end with a blank line"
        elif t.type == "tr_open":
            row = 0
        elif t.type in ("th_open", "td_open"):
            row += 1
        elif t.type == "tr_close":
            assert row == header
    assert n_tables > 0


def block_shape(text: str) -> list[str]:
    """The block structure only (token types and nesting), without any text."""
    return [f"{t.type}/{t.tag}" for t in MD.parse(text) if t.type != "inline"]


def make(store, q, *, report_type="type2", name="Acme 2026", org="Acme Ltd", text="plain note",
         line="plain text", principles=("security", "availability"), period_start="2026-10-01", by="dana",
         entries=("Customers manage their own users",)):
    """An assessment with a few answers of every kind; `text` goes into every free-text field."""
    a = store.create(name, organisation=org, report_type=report_type, principles=principles,
                     period_start=period_start, period_months=6, bank_versions=q.banks, by=by)
    s = lambda iid, **kw: store.set_answer(a.id, iid, by=by, **kw)  # noqa: E731
    s("system_name", value=line)
    s("system_description", value=text)
    s("component_software", value=text)
    s("uses_subservice_orgs", value=True)
    s("subservice_orgs", value=[text, "AWS: hosting"])
    s("subservice_method", value="carve_out")
    s("cuecs", value=[text, *entries])
    s("develops_software", value=True)
    s("has_uptime_sla", value=True)
    s("auditor_selected", value=True)
    s("target_report_date", value="2027-06-30")
    s("CC6-03", status="in_progress", notes=text, owner=line, evidence=text, due_date="2026-11-01")
    s("CC6-09", status="not_started", notes=text)
    s("CC8-01", status="operating", operating_since="2026-09-01", evidence="PR export")
    s("CC8-02", status="implemented", operating_since="2026-10-15")
    s("CC9-04", status="not_started", owner=line)
    s("CC4-01", status="in_progress")
    s("CC1-02", status="operating", operating_since="2026-01-01")
    s("A1-06", status="operating", operating_since="2026-01-01", notes=text)
    s("A1-01", status="not_applicable")
    s("POL-01", status="operating", owner=line, approver=line, last_reviewed="2026-09-15", notes=text)
    s("POL-02", status="implemented", owner="CEO", last_reviewed="2025-01-10")
    s("POL-12", status="in_progress")
    s("POL-19", status="not_started", owner="Platform lead")
    return store.by_id(a.id)


def render(store, q, a, **kw):
    return markdown.render(q, a, store.answers(a.id), today=kw.pop("today", TODAY), **kw)


# ----------------------------------------------------------------------------- structure


def test_sections_in_order_for_type2(store, q):
    a = make(store, q)
    text = render(store, q, a)
    assert text.startswith("# SOC 2 readiness report: Acme 2026\n")
    assert h2(text) == TITLES
    assert_well_formed(text)


def test_type1_has_no_evidence_window(store, q):
    a = make(store, q, report_type="type1")
    text = render(store, q, a)
    assert h2(text) == [t for t in TITLES if t != "Type II evidence window"]
    assert "Type I (design at a point in time)" in text
    assert "**As-of date:** 2026-10-01" in text
    assert_well_formed(text)


def test_title_block(store, q):
    a = make(store, q)
    answers = store.answers(a.id)
    text = render(store, q, a)
    head = text.split("## Executive summary")[0]
    assert "- **Organisation:** Acme Ltd" in head
    assert "- **Report type:** SOC 2 Type II (operation over a period)" in head
    assert "- **Principles in scope:** Security, Availability" in head
    assert "- **Audit period:** 2026-10-01 to 2027-03-31 (6 months)" in head
    assert f"{markdown.GENERATED_PREFIX}2026-11-26 by soc2-tui" in head
    assert "soc2-controls 2026.12" in head
    assert f"- **Answers hash:** `{export.answers_hash(a, answers)}`" in head


def test_executive_summary_table_and_top_gaps(store, q):
    a = make(store, q)
    text = render(store, q, a)
    summary = text.split("## Executive summary")[1].split("\n## ")[0]
    rows = [line for line in summary.splitlines() if line.startswith("| Security")]
    assert len(rows) == 1
    assert re.search(r"\| Security \| [█░]{10} \d+\.\d \| (Not ready|Needs work) \| \d+% \| \d+ \| \d+ \|", rows[0])
    top = re.findall(r"^\d\. \*\*(\S+)\*\*", summary, re.M)
    # The two critical gaps come first; five at most.
    assert top[:2] == ["CC6-09", "CC6-03"] and len(top) == 5
    assert re.search(r"^1\. \*\*CC6-09\*\* .*: not started, critical, effort S; "
                     r"closing it adds \+\d+\.\d overall \(\+\d+\.\d security\)\.$", summary, re.M)


def test_scope_section_reads_the_scope_answers(store, q):
    a = make(store, q, text="Hosted on AWS")
    scope = render(store, q, a).split("## Scope")[1].split("\n## ")[0]
    assert "| System name | plain text |" in scope
    assert "| Software | Hosted on AWS |" in scope  # a system component
    assert "**Method:** Carve-out." in scope
    assert "- AWS: hosting" in scope  # subservice organisations as a list
    assert "- Customers manage their own users" in scope  # CUECs
    assert "| Trust service principles in scope | Security, Availability |" in scope  # from the assessment
    assert "| Audit period length | 6 months |" in scope


def test_readiness_by_criterion_uses_catalog_titles(store, q):
    a = make(store, q)
    part = render(store, q, a).split("## Readiness by criterion")[1].split("\n## ")[0]
    assert [t for lvl, t in headings("# x\n\n## y\n\n" + part) if lvl == 3] == ["Security", "Availability"]
    title = q.criteria["CC6.2"].title
    row = next(line for line in part.splitlines() if line.startswith("| CC6.2 |"))
    assert f"| CC6.2 | {title} |" in row and row.endswith("| 1 |")  # CC6-09 is its one gap


def test_gap_details(store, q):
    a = make(store, q, text="Waiting for the IdP rollout", line="Bob")
    gaps = render(store, q, a).split("## Gaps by priority")[1].split("\n## ")[0]
    block = gaps.split("### 2. CC6-03: ")[1].split("\n### ")[0]
    item = q.items["CC6-03"]
    assert f"- **Question:** {esc(item.question)}" in block
    assert "- **Status:** in progress (target: operating)" in block
    assert "- **Severity:** critical · **Effort:** S (about 1 week)" in block
    assert re.search(r"- \*\*Points if closed:\*\* \+\d+\.\d overall \(\+\d+\.\d security\)\n", block)
    assert f"- **Criteria:** CC6.1 {q.criteria['CC6.1'].title}" in block
    assert f"  - {esc(item.evidence[0])}" in block
    assert "- **Owner:** Bob · **Due:** 2026-11-01 (overdue)" in block
    assert "- **Notes:** Waiting for the IdP rollout" in block


def test_policy_checklist_statuses(store, q):
    a = make(store, q, line="CTO")
    part = render(store, q, a).split("## Policy checklist")[1].split("\n## ")[0]
    rows = {line.split(" | ")[0][2:]: line for line in part.splitlines() if line.startswith("| POL-")}
    assert rows["POL-01 Information Security Policy"].startswith(
        "| POL-01 Information Security Policy | current | CTO | 2026-09-15 | CTO | nothing |")
    assert "| approved | CEO | 2025-01-10 | – | publication to staff; a new review (the last was on " \
           "2025-01-10, over 12 months ago); a named approver |" in rows["POL-02 Code of Conduct"]
    assert "| draft |" in rows["POL-12 Change Management Policy"]
    assert "| missing | Platform lead |" in rows["POL-19 Capacity and Availability Policy"]
    assert "| not answered |" in rows["POL-03 Acceptable Use Policy"]


def test_evidence_window(store, q):
    a = make(store, q)
    part = render(store, q, a).split("## Type II evidence window")[1].split("\n## ")[0]
    assert "| CC8-02 | Peer review enforced by branch protection | 2026-10-15 | 14 |" in part
    assert "| daily | " in part and "| 182 | 19 |" in part  # 6 months of a daily control: 10 % of 182
    # CC1-02 runs annually and exists: it may not happen in a 6-month period.
    assert re.search(r"\| annually \| [^|]*CC1-02[^|]* \| 0\.5 \| 1 \|", part)  # grouped by frequency


def test_roadmap_phases_and_gantt(store, q):
    a = make(store, q)
    part = render(store, q, a).split("## Roadmap")[1].split("\n## ")[0]
    plan = roadmap.plan(q, a, store.answers(a.id), markdown.scoring.score(q, a, store.answers(a.id), TODAY), TODAY)
    assert f"**Earliest report date: about {plan.report_date.isoformat()}**" in part
    assert "```mermaid\ngantt\n" in part and "Earliest report :milestone" in part
    assert [t for lvl, t in headings("# x\n\n## y\n\n" + part) if lvl == 3][-1] == "Formal audit"
    impl = part.split("### Implementation")[1].split("###")[0]
    assert "**CC6-09**" in impl and "**CC8-02**" not in impl  # implemented: only has to keep operating
    assert "**CC8-02**" in part.split("### Audit period")[1].split("###")[0]
    assert "**POL-12**" in part.split("### Preparation")[1].split("###")[0]
    # The period started before the open work is done: the planned period is shown with its catch.
    assert "**Keeping the planned period** (2026-10-01 to 2027-03-31)" in part
    assert "**Target report date:** 2027-06-30 (from the scope answers)" in part


def test_pitfalls_from_real_signals(store, q):
    a = make(store, q)
    store.update_assessment(a.id, principles=["security", "availability", "privacy"], by="dana")
    store.set_answer(a.id, "data_kinds", value=["customer_confidential"], by="dana")
    a = store.by_id(a.id)
    text = markdown.render(q, a, store.answers(a.id), today=TODAY, history=store.history(a.id))
    part = text.split("## Common pitfalls")[1].split("\n## ")[0]
    rows = {line.split(" | ")[0][2:]: line for line in part.splitlines() if line.startswith("| ") and " | " in line}
    assert "1 control started after the period start (CC8-02)" in rows["Incomplete evidence"]
    assert "1 item marked not applicable without a reason (A1-01)" in rows["Incomplete evidence"]
    assert "the principles in scope changed 1 time" in rows["Scope creep"]
    assert "privacy is in scope but no personal or employee data is handled" in rows["Scope creep"]
    assert "CC8-02" in rows["Undocumented changes"]
    assert "CC9-04" in rows["Unassessed vendors"]
    assert "CC4-01" in rows["Too little control testing"]
    assert "No sign of: tool sprawl." in part


def test_warnings_and_appendix(store, q):
    a = make(store, q)
    text = render(store, q, a)
    warnings = text.split("## Warnings")[1].split("\n## ")[0]
    assert "- **Not applicable without a note:** A1-01 is marked not applicable" in warnings
    assert "- **Policy review overdue:** POL-02 (Code of Conduct): last reviewed 2025-01-10" in warnings
    appendix = text.split("## Appendix: every answer")[1]
    row = next(line for line in appendix.splitlines() if line.startswith("| CC6-03 |"))
    assert row.startswith("| CC6-03 | MFA on production and cloud console | in progress | owner: plain text; "
                          "due: 2026-11-01; evidence: plain note; notes: plain note | dana | ")
    assert re.search(r"\| \d{4}-\d\d-\d\d \d\d:\d\d \|$", row)
    assert sum(1 for line in appendix.splitlines() if line.startswith("| ")) == 2 + len(store.answers(a.id))


def test_empty_assessment_reads_sensibly(store, q):
    a = store.create("Empty", report_type="type1")
    text = render(store, q, a)
    assert_well_formed(text)
    assert "treat the score as provisional" in text
    assert "No gaps yet: no applicable question has an answer." in text
    assert "No answers yet." in text


# ----------------------------------------------------------------------------- escaping


def test_hostile_text_cannot_change_the_structure(store, q, tmp_path):
    from soc2_tui.store import Store

    plain = make(store, q, entries=["plain"] * len(LEADING))
    other = Store(tmp_path / "b.db")
    hostile = make(other, q, name=HOSTILE_LINE, org=HOSTILE_LINE, text=HOSTILE, line=HOSTILE_LINE,
                   by=HOSTILE_LINE, entries=LEADING)
    # An answer to an item no longer in the banks is reported too.
    store.set_answer(plain.id, "OLD-99", status="operating", notes="plain", by="dana")
    other.set_answer(hostile.id, "OLD-99", status="operating", notes=HOSTILE, by=HOSTILE_LINE)
    good = render(store, q, plain)
    bad = render(other, q, hostile)
    assert "- **Answer to a question no longer in the question bank:** OLD-99 has an answer" in good
    assert "| OLD-99 | *no longer in the question bank* | operating | notes: plain | dana |" in good
    assert_well_formed(bad)
    assert block_shape(bad) == block_shape(good)
    out = MD.render(bad)
    assert "<script" not in out and "<b>" not in out and "href" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out  # kept, as text
    assert "[x](javascript:alert(1))" in out
    other.close()


def test_snapshot_label_is_escaped(store, q):
    a = make(store, q)
    sid = store.add_snapshot(a.id, HOSTILE_LINE, snapshots.freeze(q, a, store.answers(a.id), TODAY))
    store.set_answer(a.id, "CC6-09", notes=HOSTILE, owner=HOSTILE_LINE, by=HOSTILE_LINE)
    store.set_answer(a.id, "cuecs", value=[HOSTILE, *LEADING], by=HOSTILE_LINE)
    text = markdown.render(q, a, store.answers(a.id), today=TODAY, compare=store.snapshot(a.id, str(sid)),
                           history=store.history(a.id))
    assert_well_formed(text)
    assert h2(text)[1].startswith("Progress since Acme | <b>x</b> `#1` [y](javascript:z) *_~ (")
    changes = text.split("### Answers changed (3)")[1].split("\n## ")[0]
    assert changes.count(f"| {esc(HOSTILE_LINE)} |") == 4  # who in each row, and the new owner


SPECIALS = list("<>&|`*_[]()#!\\-+=~$:.1 \n\r\t\u2028\x00") + ["<script>", "](", "```", "<!--", "&#60;"]
TEXT = st.lists(st.one_of(st.sampled_from(SPECIALS), st.characters(exclude_categories=("Cs",))),
                max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_escaped_text_renders_as_itself(s):
    rendered = MD.render(esc(s))  # as a block of its own: a leading "- " or "# " must stay text
    if normalise(s):
        assert rendered.startswith("<p>") and rendered.endswith("</p>\n")
        assert "<" not in rendered[3:-5].replace("&lt;", "")
        assert html.unescape(rendered[3:-5]) == normalise(s)
    else:
        assert rendered == ""
    cell = MD.render(table(["h"], [[esc(s) or "x"]]))
    assert cell.count("<td>") == 1
    got = re.search(r"<td>(.*)</td>", cell).group(1)
    assert html.unescape(got) == (normalise(s) or "x")


_BASE: dict = {}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT)
def test_random_notes_never_break_the_report(q, s):
    assume(normalise(s))
    a = Assessment(id=1, name=s, organisation=s, report_type="type2", principles=("security",),
                   period_start="2026-10-01", period_months=6, bank_versions=dict(q.banks))

    def answers(t):
        return {
            "system_name": Answer("system_name", value=t),
            "cuecs": Answer("cuecs", value=[t, t]),
            "uses_subservice_orgs": Answer("uses_subservice_orgs", value=True),
            "subservice_orgs": Answer("subservice_orgs", value=[t]),
            "CC6-03": Answer("CC6-03", status="in_progress", notes=t, owner=t, evidence=t, approver=t,
                             answered_by=t, answered_at="2026-11-01T10:00:00.000000Z"),
            "POL-01": Answer("POL-01", status="operating", owner=t, approver=t, notes=t, last_reviewed="2026-10-01"),
        }

    if "shape" not in _BASE:
        base = Assessment(id=1, name="x", organisation="x", report_type="type2", principles=("security",),
                          period_start="2026-10-01", period_months=6, bank_versions=dict(q.banks))
        _BASE["shape"] = block_shape(markdown.render(q, base, answers("x"), today=TODAY))
    text = markdown.render(q, a, answers(s), today=TODAY)
    assert_well_formed(text)
    assert block_shape(text) == _BASE["shape"]


# ----------------------------------------------------------------------------- determinism and golden


def test_same_data_same_bytes(store, q, tmp_path):
    from soc2_tui.store import Store

    a = make(store, q)
    first = render(store, q, a)
    with Store(store.path) as again:
        answers = again.answers(a.id)
        shuffled = dict(reversed(list(answers.items())))
        second = markdown.render(q, again.get(a.name), shuffled, today=TODAY)
    assert first == second
    later = render(store, q, a, today=date(2026, 11, 27))
    changed = [(x, y) for x, y in zip(first.splitlines(), later.splitlines()) if x != y]
    assert any(x.startswith(markdown.GENERATED_PREFIX) for x, _y in changed)


def test_the_day_is_named_only_where_the_docs_say(store, q):
    """docs/report.md, Determinism: the day of writing appears in the Generated line and in the
    roadmap, whose estimate starts today; nowhere else."""
    from soc2_tui import demo

    a = demo.create_demo(store, q)
    answers = {k: dataclasses.replace(v, answered_at="2026-01-02T09:00:00.000000Z")
               for k, v in store.answers(a.id).items()}
    text = markdown.render(q, a, answers, today=TODAY)
    naming = [line for line in text.splitlines() if TODAY.isoformat() in line]
    where = (markdown.GENERATED_PREFIX, "- **Earliest report date:", "| Preparation |", "    Preparation :")
    assert [next(p for p in where if line.startswith(p)) for line in naming] == list(where)
    assert f"if the open work starts today ({TODAY.isoformat()})" in naming[1]


def _golden_text(store, q) -> str:
    from soc2_tui import demo

    a = demo.create_demo(store, q)
    answers = {k: dataclasses.replace(v, answered_at="2026-11-26T09:00:00.000000Z")
               for k, v in store.answers(a.id).items()}
    text = markdown.render(q, a, answers, today=TODAY)
    return re.sub(rf"^{re.escape(markdown.GENERATED_PREFIX)}.*$", f"{markdown.GENERATED_PREFIX}(normalised)",
                  text, flags=re.M)


def test_golden_demo_report(store, q):
    pytest.importorskip("soc2_tui.demo")
    text = _golden_text(store, q)
    assert_well_formed(text)
    if os.environ.get("SOC2_TUI_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    assert text == expected, "the demo report changed; see the module docstring to regenerate"


# ----------------------------------------------------------------------------- progress since a snapshot


def test_compare_shows_score_change_closed_gap_and_changes(store, q):
    a = make(store, q)
    # Before the snapshot: only the scope-creep signal reads it.
    store.update_assessment(a.id, by="lee", principles=["security"])
    a = store.update_assessment(a.id, by="lee", principles=list(a.principles))
    sid = store.add_snapshot(a.id, "board Q3", snapshots.freeze(q, a, store.answers(a.id), TODAY))
    before = markdown.scoring.score(q, a, store.answers(a.id), TODAY).principles["security"].score
    store.set_answer(a.id, "CC6-09", status="operating", by="lee")
    store.set_answer(a.id, "CC1-04", status="not_started", by="lee")
    after = markdown.scoring.score(q, a, store.answers(a.id), TODAY).principles["security"].score
    snap = store.snapshot(a.id, "board Q3")
    text = markdown.render(q, a, store.answers(a.id), today=TODAY, compare=snap,
                           history=markdown.report_history(store, a.id, snap))
    # The few history rows report_history reads (what `report`, the app and quick mode pass)
    # give the same report as the whole audit trail.
    assert text == markdown.render(q, a, store.answers(a.id), today=TODAY, compare=snap,
                                   history=store.history(a.id))
    assert "the principles in scope changed 2 times" in text
    assert_well_formed(text)
    assert h2(text)[:2] == ["Executive summary", f"Progress since board Q3 ({snap['created_at'][:10]})"]
    part = text.split("## Progress since")[1].split("\n## ")[0]
    assert f"| Security | {before:.1f} | {after:.1f} | +{round(after - before, 1):.1f} |" in part
    closed = part.split("### Gaps closed (1)")[1].split("###")[0]
    assert "| CC6-09 | Access removed within 24 hours of leaving | not started | operating |" in closed
    opened = part.split("### Gaps opened (1)")[1].split("###")[0]
    assert "| CC1-04 |" in opened and "| not answered | not started |" in opened
    changes = part.split("### Answers changed (2)")[1]
    assert re.search(r"\| \d{4}-\d\d-\d\d \d\d:\d\d \| lee \| CC6-09 Access removed within 24 hours of leaving "
                     r"\| status \| not started \| operating \|", changes)
    assert f"Snapshot #{sid} (board Q3)" in part


def test_compare_with_no_change(store, q):
    a = make(store, q)
    store.add_snapshot(a.id, "", snapshots.freeze(q, a, store.answers(a.id), TODAY))
    snap = store.snapshot(a.id, "1")
    text = markdown.render(q, a, store.answers(a.id), today=TODAY, compare=snap, history=store.history(a.id))
    part = text.split("## Progress since snapshot #1 (")[1].split("\n## ")[0]
    assert "The answers are the same as in the snapshot." in part
    assert "No answer has changed since the snapshot." in part
    assert "### Gaps closed (0)\n\nNone." in part


# ----------------------------------------------------------------------------- roadmap formula


def test_phase_weeks_formula():
    t = lambda w: roadmap.Task("x", "x", w)  # noqa: E731
    assert roadmap.phase_weeks([]) == 0
    assert roadmap.phase_weeks([t(1)] * 4) == 2  # ceil(4 / 3) beats the longest item (1)
    assert roadmap.phase_weeks([t(12), t(1)]) == 12  # the longest item wins
    assert roadmap.phase_weeks([t(4)] * 9) == 12  # 36 weeks of work over three streams
    assert roadmap.phase_weeks([t(0.5)]) == 1


def test_plan_dates(store, q):
    a = store.create("Plan", report_type="type2", period_start="2027-06-01", period_months=3)
    store.set_answer(a.id, "auditor_selected", value=True)
    store.set_answer(a.id, "CC6-03", status="not_started")  # S: 1 week
    store.set_answer(a.id, "CC7-04", status="in_progress")  # L in progress: 6 weeks
    store.set_answer(a.id, "POL-01", status="not_started")  # S: 1 week
    answers = store.answers(a.id)
    result = markdown.scoring.score(q, a, answers, TODAY)
    p = roadmap.plan(q, a, answers, result, TODAY)
    prep, impl, period, audit = p.phases
    assert prep.weeks == 1  # POL-01 (1 week) and answering the open questions (1 week) side by side
    assert impl.weeks == 6  # the longest item (6) beats ceil((1 + 6) / 3) = 3
    assert p.moved_from is None and p.period_start == date(2027, 6, 1)  # planned start is late enough
    assert p.period_end == date(2027, 8, 31)
    assert p.report_date == date(2027, 9, 1) + timedelta(weeks=6)
    assert audit.start == date(2027, 9, 1)


def test_plan_moves_a_period_that_starts_too_early(store, q):
    a = store.create("Early", report_type="type2", period_start="2026-12-01")
    store.set_answer(a.id, "auditor_selected", value=True)
    store.set_answer(a.id, "CC7-04", status="not_started")  # L: 12 weeks
    answers = store.answers(a.id)
    p = roadmap.plan(q, a, answers, markdown.scoring.score(q, a, answers, TODAY), TODAY)
    assert p.moved_from == date(2026, 12, 1)
    assert p.period_assumed and p.period_months == roadmap.DEFAULT_PERIOD_MONTHS
    ready = TODAY + timedelta(weeks=1 + 12)  # one week of open questions, then 12 weeks
    assert p.period_start == ready
    assert p.planned_report == date(2027, 3, 1) + timedelta(weeks=6)


# ----------------------------------------------------------------------------- CLI


def test_cli_writes_file_and_refuses_to_overwrite(db_path, tmp_path, capsys, q):
    from soc2_tui.store import Store

    with Store(db_path) as s:
        make(s, q)
    out = tmp_path / "report.md"
    assert cli.main(["--db", str(db_path), "report", "Acme 2026", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# SOC 2 readiness report: Acme 2026\n")
    assert_well_formed(text)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    capsys.readouterr()
    out.write_text("keep me", encoding="utf-8")
    assert cli.main(["--db", str(db_path), "report", "Acme 2026", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists (use --force to overwrite)" in err
    assert out.read_text(encoding="utf-8") == "keep me"
    assert cli.main(["--db", str(db_path), "report", "Acme 2026", "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("# SOC 2 readiness report")


def test_cli_compare_and_unknown_snapshot(db_path, capsys, q):
    from soc2_tui.store import Store

    with Store(db_path) as s:
        make(s, q)
    assert cli.main(["--db", str(db_path), "snapshot", "Acme 2026", "--label", "start"]) == 0
    capsys.readouterr()
    assert cli.main(["--db", str(db_path), "report", "Acme 2026", "--compare", "start"]) == 0
    assert "## Progress since start (" in capsys.readouterr().out
    assert cli.main(["--db", str(db_path), "report", "Acme 2026", "--compare", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no snapshot 'nope'" in err


def test_roadmap_worked_example(store, q):
    """The worked example in docs/report.md, number for number."""
    a = store.create("Worked", report_type="type2", period_months=6)
    for iid, status in [("POL-05", "not_started"), ("POL-06", "not_started"), ("POL-16", "in_progress"),
                        ("CC7-04", "not_started"), ("CC6-02", "not_started"), ("CC6-12", "not_started"),
                        ("CC6-05", "not_started"), ("CC6-07", "not_started"), ("CC6-16", "in_progress"),
                        ("CC6-03", "implemented")]:
        store.set_answer(a.id, iid, status=status)
    today = date(2026, 12, 1)
    answers = store.answers(a.id)
    p = roadmap.plan(q, a, answers, markdown.scoring.score(q, a, answers, today), today)
    prep, impl, period, audit = p.phases
    assert sorted(t.weeks for t in prep.tasks) == [1, 1, 1, 2, 4] and prep.weeks == 4
    assert sorted(t.weeks for t in impl.tasks) == [1, 1, 2, 4, 4, 12] and impl.weeks == 12
    assert [t.id for t in period.tasks] == ["CC6-03"]
    assert (prep.start, prep.end - timedelta(days=1)) == (date(2026, 12, 1), date(2026, 12, 28))
    assert (impl.start, impl.end - timedelta(days=1)) == (date(2026, 12, 29), date(2027, 3, 22))
    assert (p.period_start, p.period_end) == (date(2027, 3, 23), date(2027, 9, 22))
    assert (audit.start, audit.end - timedelta(days=1)) == (date(2027, 9, 23), date(2027, 11, 3))
    assert p.report_date == date(2027, 11, 4)
    text = markdown.render(q, a, answers, today=today)
    assert "**Earliest report date: about 2027-11-04**" in text
    assert "| Implementation | Controls not yet in place are built and switched on | 6 | 12 weeks | 2026-12-29 | " \
           "2027-03-22 |" in text


@pytest.mark.parametrize("report_type, start, months, principles", [
    ("type2", None, None, ("security",)),
    ("type2", "2027-03-01", None, ("security", "privacy")),
    ("type2", None, 12, ("security", "processing_integrity", "confidentiality")),
    ("type2", "2024-01-01", 3, ("security",)),  # a period long over
    ("type1", "2027-06-30", None, ("security", "availability", "confidentiality", "processing_integrity",
                                   "privacy")),
])
def test_every_setting_gives_a_well_formed_report(store, q, report_type, start, months, principles):
    a = store.create("Variant", report_type=report_type, period_start=start, period_months=months,
                     principles=principles)
    store.set_answer(a.id, "CC6-03", status="implemented", operating_since="2027-04-01")
    store.set_answer(a.id, "POL-01", status="operating")
    text = render(store, q, a)
    assert_well_formed(text)
    assert h2(text) == [t for t in TITLES if report_type == "type2" or t != "Type II evidence window"]
    readiness = [t for lvl, t in headings(text.split("## Readiness by criterion")[1].split("\n## ")[0]) if lvl == 3]
    assert readiness == [markdown.PRINCIPLE_LABELS[p] for p in markdown.PRINCIPLES if p in principles]
    if report_type == "type2" and not (start and months):
        assert "not set, so parts of this check cannot be made" in text
    if start == "2024-01-01":
        assert "**The planned period** (2024-01-01 to 2024-03-31) is already over" in text
        assert "Keeping the planned period" not in text
