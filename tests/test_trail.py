"""The audit trail is sealed in a hash chain; `soc2-tui verify` says whether it holds and where it
breaks (docs/reliability.md, "A client's file"; docs/database.md, schema 2)."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_untrusted_file import tamper as run_sql

from soc2_tui.cli import main
from soc2_tui.store import Store, schema


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "a.db"
    assert main(["--db", str(db), "demo"]) == 0
    return db


def verify(db, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--db", str(db), "verify", "demo"])
    return code, capsys.readouterr().out.strip()


def test_a_fresh_trail_verifies_and_prints_its_seal(demo_db, capsys):
    code, out = verify(demo_db, capsys)
    assert code == 0 and "changes, verified; seal " in out
    with Store(demo_db) as s:
        a = s.get("demo")
        s.set_answer(a.id, "CC6-03", status="operating", notes="checked", by="Lee")
        s.update_assessment(a.id, by="Lee", organisation="Northwind Ltd")
    code2, out2 = verify(demo_db, capsys)
    assert code2 == 0 and out2.split("seal ")[1][:16] != out.split("seal ")[1][:16]


@pytest.mark.parametrize(("statement", "where"), [
    ("UPDATE history SET new_value = 'operating' WHERE id = 30", "change #30"),
    ("UPDATE history SET changed_by = 'Mallory' WHERE id = 5", "change #5"),
    ("DELETE FROM history WHERE id = 12", "change #13"),
    ("INSERT INTO history (id, assessment_id, item_id, field, old_value, new_value, changed_by, changed_at, hash)"
     " SELECT 100000, assessment_id, item_id, field, new_value, 'x', changed_by, changed_at, hash"
     " FROM history WHERE id = 40", "change #100000"),
])
def test_an_altered_removed_or_inserted_change_breaks_the_chain_where_it_happened(demo_db, capsys, statement,
                                                                                  where):
    run_sql(demo_db, statement)
    code, out = verify(demo_db, capsys)
    assert code == 1 and "NOT verified" in out and f"{where} (" in out


def test_an_answer_changed_without_a_history_row_is_found(demo_db, capsys):
    run_sql(demo_db, "UPDATE answers SET status = 'operating' WHERE item_id = 'CC6-09'")
    code, out = verify(demo_db, capsys)
    assert code == 1 and "CC6-09 status is 'operating' but the history's last change set" in out


# The answers table as schemas 1 and 2 made it: one author per answer, whoever changed it last (and
# no bank set or basis, which schema 4 added).
SCHEMA_2_ANSWERS = ("ALTER TABLE assessments DROP COLUMN bank_set", "ALTER TABLE answers DROP COLUMN basis",
                    *(f"ALTER TABLE answers DROP COLUMN {c}" for c in ("notes_by", "notes_at", "details_by",
                                                                        "details_at")),
                    "ALTER TABLE answers RENAME COLUMN status_by TO answered_by",
                    "ALTER TABLE answers RENAME COLUMN status_at TO answered_at")


def test_a_schema_1_file_is_sealed_on_migration_after_a_backup(demo_db, capsys):
    with Store(demo_db) as s:
        rows = s.conn.execute("SELECT count(*) FROM history").fetchone()[0]
    # Make the file what schema 1 wrote: no hash column, no index on (assessment, id).
    run_sql(demo_db, "DROP INDEX history_by_assessment", "ALTER TABLE history DROP COLUMN hash",
            *SCHEMA_2_ANSWERS, "PRAGMA user_version = 1")
    with Store(demo_db) as s:
        assert s.backup_path is not None and s.backup_path.exists()
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 4
        verdict = s.verify(s.get("demo").id)
        assert verdict.problem is None and verdict.changes == rows
    code, _out = verify(demo_db, capsys)  # the migrated file is exactly what a new one looks like
    assert code == 0


def test_a_chain_rewritten_whole_verifies_but_its_seal_changes(demo_db, capsys):
    """The limit, stated in store/trail.py: without a kept seal a full rewrite cannot be told."""
    from soc2_tui.store import trail

    _code, before = verify(demo_db, capsys)
    run_sql(demo_db, "UPDATE history SET changed_by = 'Mallory' WHERE id = 5")
    conn = sqlite3.connect(demo_db)
    last = None
    for rid, aid, *fields in conn.execute("SELECT id, assessment_id, item_id, field, old_value, new_value,"
                                          " changed_by, changed_at FROM history ORDER BY id").fetchall():
        last = trail.seal(last, aid, tuple(fields))
        conn.execute("UPDATE history SET hash = ? WHERE id = ?", (last, rid))
    conn.commit()
    conn.close()
    code, after = verify(demo_db, capsys)
    assert code == 0 and after.split("seal ")[1][:16] != before.split("seal ")[1][:16]


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(previous=st.none() | st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
       assessment_id=st.integers(min_value=1, max_value=2**40),
       row=st.tuples(_TEXT, _TEXT, st.none() | _TEXT, st.none() | _TEXT, _TEXT, _TEXT))
def test_the_seal_hashes_the_documented_json_text(previous, assessment_id, row):
    """seal() builds its text by hand for speed; it must stay the JSON docs/database.md names."""
    import hashlib
    import json

    from soc2_tui.store import trail

    documented = json.dumps([previous or "", assessment_id, *row], ensure_ascii=False, separators=(",", ":"))
    assert trail.seal(previous, assessment_id, row) == hashlib.sha256(documented.encode("utf-8")).hexdigest()


def test_a_change_holding_a_value_that_is_not_text_is_reported_not_a_crash(demo_db, capsys):
    run_sql(demo_db, "UPDATE history SET new_value = x'00ff' WHERE id = 7")
    code, out = verify(demo_db, capsys)
    assert code == 1 and "change #7 holds a value that is not text" in out


def test_the_report_states_whether_the_audit_trail_holds(demo_db, tmp_path, capsys):
    out = tmp_path / "r.md"
    assert main(["--db", str(demo_db), "report", "demo", "-o", str(out)]) == 0
    _code, verified = verify(demo_db, capsys)
    seal = verified.split("seal ")[1][:16]
    line = next(x for x in out.read_text().splitlines() if x.startswith("- **Audit trail:**"))
    assert "changes, verified" in line and f"seal `{seal}`" in line
    run_sql(demo_db, "UPDATE history SET changed_by = 'Mallory' WHERE id = 5")
    assert main(["--db", str(demo_db), "report", "demo", "-o", str(out), "--force"]) == 0
    line = next(x for x in out.read_text().splitlines() if x.startswith("- **Audit trail:**"))
    assert "**not verified**: change \\#5 (" in line  # esc() escapes the #
