"""`soc2-tui merge OTHER.db`: two copies of one assessment worked on apart, combined through their
histories (docs/cli.md, docs/database.md "What a merge writes", docs/reliability.md)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from soc2_tui.cli import main
from soc2_tui.model import ANSWER_FIELDS
from soc2_tui.store import Store, merge, schema


def _answer(path, who, changes, **assessment):
    with Store(path) as s:
        a = s.get("demo")
        for item, fields in changes:
            s.set_answer(a.id, item, by=who, **fields)
        if assessment:
            s.update_assessment(a.id, by=who, **assessment)


def _state(path, name="demo", authors=False):
    """Every answer's fields; with `authors`, who set each status too (schema 3: a note or a flag
    never changes that). Back-and-forth merges agree on the values, but a conflict kept on one side
    gets a restoring change by whoever merged, which then counts as setting the status there."""
    with Store(path) as s:
        a = s.get(name)
        return {i: (*(getattr(x, f) for f in ANSWER_FIELDS), *((x.answered_by,) if authors else ()))
                for i, x in s.answers(a.id).items()}


def _count(path, name="demo"):
    with Store(path) as s:
        return len(s.history(s.get(name).id))


def _dump(path):
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def copies(tmp_path):
    """ours.db and theirs.db: one demo file copied, then changed apart by Alice and by Bob; both
    changed CC6-03's status, Bob later. ours0.db/theirs0.db keep each as it was before any merge."""
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    assert main(["--db", str(ours), "demo"]) == 0
    shutil.copyfile(ours, theirs)
    _answer(ours, "Alice", [("CC6-01", {"notes": "Alice's note"}), ("CC6-03", {"status": "in_progress"})])
    _answer(theirs, "Bob", [("CC7-01", {"owner": "Bob"}), ("system_name", {"value": "Bob's platform"}),
                            ("CC6-03", {"status": "not_applicable", "notes": "legacy console out of scope"})],
            organisation="Acme Bob Ltd")
    shutil.copyfile(ours, tmp_path / "ours0.db")
    shutil.copyfile(theirs, tmp_path / "theirs0.db")
    return ours, theirs


def test_copies_merged_both_ways_agree_list_the_conflict_and_take_the_newer(copies, tmp_path, capsys):
    ours, theirs = copies
    capsys.readouterr()
    assert main(["--db", str(ours), "--as", "Carol", "merge", str(tmp_path / "theirs0.db")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("merged ") and "5 changes added, 5 fields updated, 1 conflict" in out[0]
    assert len(out) == 2 and out[1].startswith("conflict CC6-03 status: ours 'in_progress' by Alice at ")
    assert "theirs 'not_applicable' by Bob at " in out[1] and out[1].endswith("took theirs (newer)")
    assert main(["--db", str(theirs), "merge", str(tmp_path / "ours0.db")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "2 changes added, 1 field updated, 1 conflict" in out[0] and out[1].endswith("took ours (newer)")
    # every field agrees, the conflict's too (the newer won both ways), and so does who set each status
    assert _state(ours, authors=True) == _state(theirs, authors=True)
    merged = _state(ours)
    assert merged["CC6-03"][0] == "not_applicable" and merged["CC6-01"][2] == "Alice's note"
    assert merged["CC7-01"][4] == "Bob" and merged["system_name"][1] == "Bob's platform"
    for path in (ours, theirs):
        assert main(["--db", str(path), "verify", "demo"]) == 0
        with Store(path) as s:
            a = s.get("demo")
            assert a.organisation == "Acme Bob Ltd"
            said = {(c.changed_by, c.new) for c in s.history(a.id, "CC6-03")}
            assert {("Alice", "in_progress"), ("Bob", "not_applicable")} <= said  # who said what, kept
            assert s.answer(a.id, "CC6-03").answered_by == "Bob"  # who set the status taken
    with Store(ours) as s:
        record = s.history(s.get("demo").id, "@assessment")[-1]
        assert (record.field, record.changed_by) == ("merge", "Carol") and "5 changes added, 1 conflict" in record.new


def test_merging_again_changes_nothing_and_back_and_forth_settles(copies, capsys):
    ours, theirs = copies
    assert main(["--db", str(ours), "merge", str(theirs)]) == 0
    count, state = _count(ours), _state(ours)
    capsys.readouterr()
    assert main(["--db", str(ours), "merge", str(theirs)]) == 0
    assert capsys.readouterr().out.startswith("nothing to merge: every change of ")
    assert (_count(ours), _state(ours)) == (count, state)
    for _ in range(3):  # the other way, and back: each side's merge record travels once, then it is quiet
        assert main(["--db", str(theirs), "merge", str(ours)]) == 0
        assert main(["--db", str(ours), "merge", str(theirs)]) == 0
    capsys.readouterr()
    assert main(["--db", str(theirs), "merge", str(ours)]) == 0
    assert main(["--db", str(ours), "merge", str(theirs)]) == 0
    assert capsys.readouterr().out.count("nothing to merge") == 2
    assert _state(ours) == _state(theirs)


def test_the_other_file_is_only_read(copies, tmp_path):
    ours, theirs = copies
    before, listing = theirs.read_bytes(), sorted(p.name for p in tmp_path.iterdir())
    assert main(["--db", str(ours), "merge", str(theirs)]) == 0
    assert theirs.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no -wal or -shm made beside either


def test_dry_run_writes_nothing(copies, capsys):
    ours, theirs = copies
    before = ours.read_bytes()
    capsys.readouterr()
    assert main(["--db", str(ours), "merge", str(theirs), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("would merge ") and "(dry run: nothing written)" in out and "conflict CC6-03" in out
    assert ours.read_bytes() == before


def _tampered(path):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE history SET changed_by = 'Mallory' WHERE id = 5")
    conn.commit()
    conn.close()


def _foreign(path):
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


def _newer(path):
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()


@pytest.mark.parametrize(("make", "said"), [
    (lambda p: p.write_text("hello", encoding="utf-8"), "not an SQLite database"),
    (_foreign, "an SQLite database, but not a soc2-tui assessment file"),
    (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(), "a table 't' soc2-tui did not"),
    (lambda p: p.write_bytes(p.read_bytes()[:3000]), "corrupt"),
    (_newer, "written by a newer soc2-tui"),
    (lambda p: sqlite3.connect(p).execute("UPDATE assessments SET principles = 'oops'").connection.commit(),
     "bad.db: the file holds a bad value in table assessments, assessment 1, column principles"),
    (_tampered, "does not verify at change #5"),
    (lambda p: p.with_name(p.name + "-wal").write_bytes(b"x" * 10), "beside it holds changes not yet in the file"),
])
def test_a_foreign_corrupt_or_altered_other_file_is_one_line_and_nothing_changes(copies, tmp_path, capsys,
                                                                                 make, said):
    ours, theirs = copies
    bad = tmp_path / "bad.db"
    shutil.copyfile(theirs, bad)
    make(bad)
    before = _dump(ours)
    capsys.readouterr()
    assert main(["--db", str(ours), "merge", str(bad)]) == 2
    err = capsys.readouterr().err
    assert said in err and len(err.strip().splitlines()) == 1, err
    assert _dump(ours) == before


def test_a_merge_that_fails_midway_leaves_the_file_unchanged(copies, monkeypatch):
    ours, theirs = copies
    before = _dump(ours)
    real, calls = merge._answer_value, []

    def fail_after_the_first(*args):
        calls.append(args)
        if len(calls) > 1:  # the history rows and a first answer are written by now
            raise RuntimeError("power cut")
        return real(*args)

    monkeypatch.setattr(merge, "_answer_value", fail_after_the_first)
    with pytest.raises(RuntimeError), Store(ours) as s:
        merge.merge(s, theirs)
    assert len(calls) == 2
    assert _dump(ours) == before
    assert main(["--db", str(ours), "verify", "demo"]) == 0


def test_into_a_name_not_here_copies_the_assessment_with_all_its_history(copies, capsys):
    ours, theirs = copies
    capsys.readouterr()
    assert main(["--db", str(ours), "merge", str(theirs), "--into", "Bob's copy"]) == 0
    assert "into \"Bob's copy\" (made here as a copy)" in capsys.readouterr().out
    assert _state(ours, "Bob's copy") == _state(theirs)
    assert _count(ours, "Bob's copy") == _count(theirs) + 1  # and the merge record
    assert main(["--db", str(ours), "verify", "Bob's copy"]) == 0


def test_a_renamed_copy_merges_into_the_name_here_which_is_kept(copies, capsys):
    ours, theirs = copies
    _answer(theirs, "Bob", [], name="demo (Bob)")
    assert main(["--db", str(ours), "merge", str(theirs), "--into", "demo"]) == 0
    with Store(ours) as s:
        assert [a.name for a in s.assessments()] == ["demo"]
    assert main(["--db", str(ours), "verify", "demo"]) == 0


def test_choosing_the_assessment_and_refusals(copies, tmp_path, capsys):
    ours, theirs = copies
    unrelated = tmp_path / "unrelated.db"
    assert main(["--db", str(unrelated), "demo"]) == 0  # another demo, made apart: no change in common
    assert main(["--db", str(unrelated), "new", "second"]) == 0
    cases = [(["merge", str(unrelated), "--assessment", "demo"], "share no change"),
             (["merge", str(unrelated), "--into", "x"], "choose one with --assessment NAME"),
             (["merge", str(theirs), "--assessment", "nope"], "no assessment named 'nope'"),
             (["merge", str(ours)], "is the assessment file itself")]
    for argv, said in cases:
        capsys.readouterr()
        assert main(["--db", str(ours), *argv]) == 2, argv
        err = capsys.readouterr().err
        assert said in err and len(err.strip().splitlines()) == 1, err
    assert main(["--db", str(ours), "merge", str(unrelated), "--assessment", "second", "--into", "second"]) == 0


def test_the_per_field_author_columns_of_schema_3_are_set_from_the_winning_change():
    """Schema 3 (status_by/notes_by/details_by): each author comes from the change that won."""
    conn = sqlite3.connect(":memory:")
    for sql in schema.SCHEMA:
        conn.execute(sql)
    assert {"status_by", "notes_by", "details_by"} <= {r[1] for r in conn.execute("PRAGMA table_info(answers)")}
    winners = {("CC6-03", "status"): ("CC6-03", "status", None, "operating", "Bob", "2026-01-02T00:00:00Z"),
               ("CC6-03", "notes"): ("CC6-03", "notes", "", "MFA", "Carol", "2026-01-03T00:00:00Z"),
               ("CC6-03", "owner"): ("CC6-03", "owner", "", "Dan", "Dan", "2026-01-04T00:00:00Z")}
    merge._write_answers(conn, 1, {}, winners)
    row = conn.execute("SELECT status, notes, owner, status_by, status_at, notes_by, notes_at, details_by,"
                       " details_at FROM answers").fetchone()
    assert row == ("operating", "MFA", "Dan", "Bob", "2026-01-02T00:00:00Z", "Carol", "2026-01-03T00:00:00Z",
                   "Dan", "2026-01-04T00:00:00Z")
