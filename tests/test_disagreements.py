"""Disagreements (issue 15): an item whose status two or more respondents set to different values
is one until someone resolves it with a note; derived from the audit trail."""

from __future__ import annotations

import json
from datetime import date

import pytest

from soc2_tui.cli import main
from soc2_tui.errors import UserError
from soc2_tui.reports import markdown
from soc2_tui.store import Store


def _disputed(store: Store) -> int:
    aid = store.create("Acme").id
    store.set_answer(aid, "CC6-03", status="operating", by="cto")
    store.set_answer(aid, "CC6-03", status="in_progress", by="ops lead")
    store.set_answer(aid, "CC6-05", status="operating", by="cto")
    store.set_answer(aid, "CC6-05", status="operating", by="ops lead")  # agree: no disagreement
    store.set_answer(aid, "CC6-07", status="operating", by="cto")
    store.set_answer(aid, "CC6-07", status="not_started", by="ops lead")
    store.set_answer(aid, "CC6-07", status=None, by="cto")  # took the answer back: no longer one
    store.set_answer(aid, "CC6-07", flagged=True, notes="x", by="auditor")  # no status: no position
    store.set_answer(aid, "CC7-01", status="operating", by="cto")
    return aid


def test_who_said_what_per_item_from_the_history(store):
    aid = _disputed(store)
    found = store.disagreements(aid)
    assert [d.item_id for d in found] == ["CC6-03"]
    d = found[0]
    assert d.field == "status" and d.resolved_at is None
    assert [(p.respondent, p.value) for p in d.positions] == [("cto", "operating"), ("ops lead", "in_progress")]
    assert d.positions[0].at < d.positions[1].at


def test_resolving_needs_a_note_answers_again_and_stays_in_the_trail(store):
    aid = _disputed(store)
    with pytest.raises(UserError, match="needs a note"):
        store.resolve(aid, "CC6-03", "  ", by="lee")
    with pytest.raises(UserError, match="no unresolved disagreement"):
        store.resolve(aid, "CC6-05", "nothing to resolve", by="lee")
    ans = store.resolve(aid, "CC6-03", "not on the legacy console yet", by="lee", status="implemented")
    assert (ans.status, ans.answered_by) == ("implemented", "lee")
    assert store.disagreements(aid) == []
    last = store.history(aid, "CC6-03", limit=1)[0]
    assert (last.field, last.new, last.changed_by) == ("resolved", "not on the legacy console yet", "lee")
    assert json.loads(last.old) == {"cto": "operating", "ops lead": "in_progress"}
    # resolving without answering again keeps the status and who set it; the agreed value is the
    # resolver's position from then on
    store.set_answer(aid, "CC6-05", status="not_started", by="ops lead")
    assert store.resolve(aid, "CC6-05", "ops is right", by="lee").answered_by == "ops lead"
    store.set_answer(aid, "CC6-05", status="operating", by="cto")
    (d,) = store.disagreements(aid)
    assert d.item_id == "CC6-05" and [(p.respondent, p.value) for p in d.positions] == [
        ("lee", "not_started"), ("cto", "operating")]
    assert store.verify(aid).problem is None
    # after a resolution only new answers count: a new difference is a new disagreement
    store.set_answer(aid, "CC6-03", status="operating", by="cto")
    again = store.disagreements(aid)
    assert [(p.respondent, p.value) for p in again[0].positions] == [("lee", "implemented"), ("cto", "operating")]
    assert again[0].resolved_at == last.changed_at


def test_scope_values_disagree_too(store):
    aid = store.create("Acme").id
    store.set_answer(aid, "auditor_selected", value=True, by="cto")
    store.set_answer(aid, "auditor_selected", value=False, by="cfo")
    (d,) = store.disagreements(aid)
    assert d.field == "value" and [p.value for p in d.positions] == [True, False]


def test_the_report_lists_unresolved_disagreements(store, q):
    aid = _disputed(store)
    a, answers = store.by_id(aid), store.answers(aid)
    text = markdown.render(q, a, answers, today=date(2026, 12, 1), disagreements=store.disagreements(aid))
    section = text.split("## Unresolved disagreements")[1].split("\n## ")[0]
    assert "| CC6-03 |" in section and "cto: operating (" in section and "ops lead: in progress (" in section
    assert text.index("## Unresolved disagreements") < text.index("## Appendix")
    assert "## Unresolved disagreements" not in markdown.render(q, a, answers, today=date(2026, 12, 1))
    assert "## Unresolved disagreements" in markdown.render_from(store, q, a, answers, today=date(2026, 12, 1))


def test_the_command_lists_as_json_and_resolves(tmp_path, capsys):
    db = tmp_path / "d.db"
    with Store(db) as s:
        _disputed(s)
        s.set_answer(s.get("Acme").id, "CC6-03", status="not_started", by="evil\x1b[2J")
    assert main(["--db", str(db), "disagreements", "Acme", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (d,) = doc["disagreements"]
    assert d["item"] == "CC6-03" and d["field"] == "status" and d["title"]
    assert [p["respondent"] for p in d["positions"]] == ["cto", "ops lead", "evil\x1b[2J"]
    assert main(["--db", str(db), "disagreements", "Acme"]) == 0
    out = capsys.readouterr().out
    assert "1 unresolved disagreement in 'Acme'" in out and "\x1b" not in out and "evil\\x1b[2J" in out
    assert main(["--db", str(db), "disagreements", "Acme", "--resolve", "cc6-03"]) == 2
    assert "--resolve needs --note" in capsys.readouterr().err
    assert main(["--db", str(db), "--as", "lee", "disagreements", "Acme", "--resolve", "cc6-03",
                 "--note", "agreed", "--status", "In progress"]) == 0
    assert "resolved the disagreement on CC6-03 in 'Acme' (status now In progress)" in capsys.readouterr().out
    assert main(["--db", str(db), "disagreements", "Acme", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["disagreements"] == []
