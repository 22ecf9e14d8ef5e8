"""The assessment file: saved at once, full history, safe to open, safe to share."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from soc2_tui.cli import main
from soc2_tui.errors import UserError
from soc2_tui.store import Store
from soc2_tui.store import schema as store_schema


def test_new_file_is_owner_only(tmp_path):
    path = tmp_path / "new.db"
    with Store(path):
        pass
    assert (path.stat().st_mode & 0o777) == 0o600


def test_assessment_fields_roundtrip(store):
    a = store.create("Acme", organisation="Acme Ltd", report_type="type1",
                     principles=["privacy", "availability"], period_start="2026-01-01", period_months=6,
                     bank_versions={"soc2-controls": "1"})
    got = store.get("Acme")
    assert got == a
    assert got.principles == ("security", "availability", "privacy")  # security always, canonical order
    assert got.period_months == 6 and got.bank_versions == {"soc2-controls": "1"}


@pytest.mark.parametrize("kwargs, message", [
    ({"report_type": "type3"}, "bad report type"),
    ({"principles": ["safety"]}, "unknown principle"),
    ({"period_start": "2026-13-01"}, "bad period start"),
    ({"period_months": 40}, "bad period length"),
])
def test_bad_assessment_fields_are_refused(store, kwargs, message):
    with pytest.raises(UserError, match=message):
        store.create("X", **kwargs)
    assert store.assessments() == []


def test_names_are_unique(store):
    store.create("Acme")
    with pytest.raises(UserError, match="already exists"):
        store.create("Acme")


def test_every_change_writes_history(store):
    a = store.create("Acme")
    store.set_answer(a.id, "CC6-03", status="in_progress", notes="rolling out", by="dana")
    store.set_answer(a.id, "CC6-03", status="operating", by="lee")
    store.set_answer(a.id, "CC6-03", status="operating", by="lee")  # no change, no history row
    rows = [(c.field, c.old, c.new, c.changed_by) for c in store.history(a.id, "CC6-03")]
    assert rows == [("status", None, "in_progress", "dana"), ("notes", "", "rolling out", "dana"),
                    ("status", "in_progress", "operating", "lee")]
    ans = store.answer(a.id, "CC6-03")
    assert ans.status == "operating" and ans.notes == "rolling out" and ans.answered_by == "lee"
    assert store.last_change(a.id, "CC6-03").changed_by == "lee"


def test_scope_values_are_typed(store):
    a = store.create("Acme")
    store.set_answer(a.id, "uses_subservice_orgs", value=True)
    store.set_answer(a.id, "subservice_orgs", value=["AWS: hosting", "Stripe | payments"])
    answers = store.answers(a.id)
    assert answers["uses_subservice_orgs"].value is True
    assert answers["subservice_orgs"].value == ["AWS: hosting", "Stripe | payments"]


def test_bad_answer_values_are_refused(store):
    a = store.create("Acme")
    with pytest.raises(UserError, match="bad status"):
        store.set_answer(a.id, "CC6-03", status="done")
    with pytest.raises(UserError, match="bad due_date"):
        store.set_answer(a.id, "CC6-03", due_date="tomorrow")
    assert store.answers(a.id) == {}


def test_assessment_changes_go_to_history(store):
    a = store.create("Acme", by="dana")
    store.update_assessment(a.id, principles=["security", "privacy"], by="dana")
    store.update_assessment(a.id, name="Acme 2026", by="dana")
    fields = [(c.item_id, c.field) for c in store.history(a.id)]
    assert ("principles", "principles") in fields and ("@assessment", "name") in fields


def test_duplicate_and_delete(store):
    a = store.create("Acme")
    store.set_answer(a.id, "CC6-03", status="operating", notes="n")
    b = store.duplicate(a.id, "Acme copy")
    assert store.answers(b.id)["CC6-03"].notes == "n"
    store.delete(a.id)
    assert [x.name for x in store.assessments()] == ["Acme copy"]
    assert store.history(a.id) == []


def test_orphaned_answers_are_kept(store, q):
    from soc2_tui.interchange.export import orphaned

    a = store.create("Acme")
    store.set_answer(a.id, "OLD-99", status="operating")  # an item a newer bank dropped
    answers = store.answers(a.id)
    assert [o.item_id for o in orphaned(q, answers)] == ["OLD-99"]


def test_threads_each_get_a_connection(store):
    import threading

    a = store.create("Acme")
    errors = []

    def work(n):
        try:
            for i in range(20):
                store.set_answer(a.id, f"T{n}-{i}", status="operating", by=f"t{n}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(store.answers(a.id)) == 80


# --------------------------------------------------------------------------- bad files


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


@pytest.mark.parametrize("content, message", [
    (b"hello, this is a text file\n" * 10, "not an SQLite database"),
    (store_schema.SQLITE_MAGIC + b"\x00" * 50, "corrupt"),
])
def test_foreign_and_corrupt_files_are_refused_untouched(tmp_path, capsys, content, message):
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    assert main(["--db", str(path), "list"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert _bytes(path) == content


def test_truncated_database_is_refused_untouched(tmp_path, capsys):
    path = tmp_path / "t.db"
    with Store(path) as s:
        a = s.create("Acme")
        for i in range(300):
            s.set_answer(a.id, f"X-{i}", notes="x" * 200)
    cut = _bytes(path)[: 4096 * 3]
    path.write_bytes(cut)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    assert main(["--db", str(path), "list"]) == 2
    assert "corrupt" in capsys.readouterr().err
    assert _bytes(path) == cut


def test_other_sqlite_database_is_refused_untouched(tmp_path, capsys):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    before = _bytes(path)
    assert main(["--db", str(path), "list"]) == 2
    assert "not a soc2-tui assessment file" in capsys.readouterr().err
    assert _bytes(path) == before


def test_newer_schema_is_refused_untouched(tmp_path, capsys):
    path = tmp_path / "new.db"
    with Store(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute(f"PRAGMA user_version = {store_schema.SCHEMA_VERSION + 1}")
    conn.close()
    before = _bytes(path)
    assert main(["--db", str(path), "list"]) == 2
    assert "newer soc2-tui" in capsys.readouterr().err
    assert _bytes(path) == before


def test_directory_path_is_refused(tmp_path, capsys):
    assert main(["--db", str(tmp_path), "list"]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_missing_file_for_read_commands(tmp_path, capsys):
    path = tmp_path / "nope.db"
    assert main(["--db", str(path), "score", "x"]) == 2
    assert "no such assessment file" in capsys.readouterr().err
    assert not path.exists()


def test_older_schema_is_backed_up_then_migrated(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    with Store(path) as s:
        a = s.create("Acme")
        s.set_answer(a.id, "CC6-03", status="operating")
    now = store_schema.SCHEMA_VERSION
    monkeypatch.setattr(store_schema, "SCHEMA_VERSION", now + 1)
    monkeypatch.setitem(store_schema.MIGRATIONS, now, ["ALTER TABLE answers ADD COLUMN extra TEXT"])
    with Store(path) as s:
        assert s.backup_path is not None and s.backup_path.exists()
        assert (s.backup_path.stat().st_mode & 0o777) == 0o600
        assert s.answers(s.get("Acme").id)["CC6-03"].status == "operating"
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == now + 1
    backup = sqlite3.connect(s.backup_path)
    assert backup.execute("PRAGMA user_version").fetchone()[0] == now
    assert backup.execute("SELECT status FROM answers").fetchone()[0] == "operating"
    backup.close()


def test_world_readable_file_warns(tmp_path, capsys):
    path = tmp_path / "open.db"
    with Store(path) as s:
        s.create("Acme")
    os.chmod(path, 0o644)
    assert main(["--db", str(path), "list", "--json"]) == 0
    assert "readable by other users" in capsys.readouterr().err


def test_env_variable_chooses_the_file(tmp_path, monkeypatch, capsys):
    path = tmp_path / "env.db"
    monkeypatch.setenv("SOC2_TUI_DB", str(path))
    assert main(["new", "Acme"]) == 0
    assert path.exists()


# --------------------------------------------------------------------------- processes

WRITER = textwrap.dedent("""
    import sys
    from soc2_tui.store import Store
    path, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    s = Store(path)
    a = s.get("Acme")
    for i in range(n):
        s.set_answer(a.id, f"{who}-{i}", status="operating", notes=str(i), by=who)
        print(i, flush=True)
""")


def test_two_processes_write_500_answers_each(tmp_path):
    path = tmp_path / "shared.db"
    with Store(path) as s:
        s.create("Acme")
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), who, "500"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for who in ("alice", "bob")]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    with Store(path) as s:
        a = s.get("Acme")
        answers = s.answers(a.id)
        assert len(answers) == 1000
        assert {x.answered_by for x in answers.values()} == {"alice", "bob"}
        assert len([c for c in s.history(a.id) if c.field == "status"]) == 1000


def test_sigkill_right_after_an_answer_loses_nothing(tmp_path):
    path = tmp_path / "kill.db"
    with Store(path) as s:
        s.create("Acme")
    p = subprocess.Popen([sys.executable, "-c", WRITER, str(path), "k", "100000"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    acknowledged = -1
    for line in p.stdout:
        acknowledged = int(line)
        if acknowledged >= 30:
            break
    p.send_signal(signal.SIGKILL)
    p.wait()
    with Store(path) as s:
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        answers = s.answers(s.get("Acme").id)
    for i in range(acknowledged + 1):
        assert answers[f"k-{i}"].notes == str(i)


def test_migration_steps_can_use_sqlite_utils_transform(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    with Store(path) as s:
        a = s.create("Acme")
        s.set_answer(a.id, "CC6-03", status="operating", notes="keep me")

    def rename_column(db):
        db["answers"].transform(rename={"evidence": "evidence_ref"})

    now = store_schema.SCHEMA_VERSION
    monkeypatch.setattr(store_schema, "SCHEMA_VERSION", now + 1)
    monkeypatch.setitem(store_schema.MIGRATIONS, now, [rename_column])
    with Store(path) as s:
        assert s.backup_path is not None
        cols = [r[1] for r in s.conn.execute("PRAGMA table_info(answers)")]
        assert "evidence_ref" in cols and "evidence" not in cols
        assert s.conn.execute("SELECT notes FROM answers").fetchone()[0] == "keep me"
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == now + 1


def test_a_write_that_must_not_wait_fails_at_once_when_another_program_holds_the_lock(store):
    from soc2_tui.errors import StoreBusy

    a = store.create("Acme", by="t")
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another terminal in the middle of a write
    try:
        t = time.perf_counter()
        with pytest.raises(StoreBusy):
            store.set_answer(a.id, "CC6-01", by="t", wait=False, status="operating")
        assert time.perf_counter() - t < 1.0  # did not sit out the 15 s busy timeout
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.answer(a.id, "CC6-01") is None  # nothing half-written
    saved = store.set_answer(a.id, "CC6-01", by="t", wait=False, status="operating")  # lock free: fine
    assert saved.status == "operating" and store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 15_000


def test_answers_reads_every_field_as_answer_does(store):
    a = store.create("Acme", by="t")
    store.set_answer(a.id, "CC6-01", by="Ann", status="operating", notes="n\\ote", evidence="https://e",
                     owner="Bo", due_date="2026-12-01", operating_since="2026-01-02",
                     last_reviewed="2026-03-04", approver="CEO", flagged=True)
    store.set_answer(a.id, "data_kinds", by="Ann", value=["personal", "customer_confidential"])
    store.set_answer(a.id, "CC6-02", by="Ann", status="in_progress")
    bulk = store.answers(a.id)
    assert set(bulk) == {"CC6-01", "data_kinds", "CC6-02"}
    for item_id, answer in bulk.items():
        assert answer == store.answer(a.id, item_id)  # the one-row reader builds from a dict
    assert bulk["CC6-01"].flagged is True and bulk["CC6-02"].flagged is False
    assert bulk["data_kinds"].value == ["personal", "customer_confidential"]


def test_answer_fields_store_columns_and_export_columns_agree(store):
    """A new answer field is a name in ANSWER_FIELDS, a field of Answer and a column in the schema:
    the store's SQL and the CSV columns follow from ANSWER_FIELDS (docs/architecture.md)."""
    from dataclasses import fields

    from soc2_tui.interchange.export import CSV_ANSWER_COLUMNS, CSV_COLUMNS
    from soc2_tui.model import ANSWER_FIELDS, Answer
    from soc2_tui.store import codec

    assert tuple(f.name for f in fields(Answer)) == ("item_id", *ANSWER_FIELDS, "answered_by", "answered_at",
                                                     "notes_by", "notes_at", "details_by", "details_at")
    columns = tuple(r[1] for r in store.conn.execute("PRAGMA table_info(answers)"))
    # `basis` (schema 4) is not an answer field: the bank version an answer was given against.
    assert columns == ("assessment_id", "item_id", *codec.ANSWER_COLUMNS, "basis")
    assert CSV_ANSWER_COLUMNS == ANSWER_FIELDS and set(ANSWER_FIELDS) <= set(CSV_COLUMNS)
    a = store.create("Acme")
    full = {"status": "operating", "value": ["x"], "notes": "n", "evidence": "e", "owner": "o",
            "due_date": "2027-01-02", "operating_since": "2026-01-02", "last_reviewed": "2026-02-03",
            "approver": "p", "flagged": True}
    assert set(full) == set(ANSWER_FIELDS)
    saved = store.set_answer(a.id, "X-1", by="me", **full)
    assert {f: getattr(saved, f) for f in ANSWER_FIELDS} == full and saved.answered_by == "me"


@pytest.mark.parametrize("how", ["deleted", "replaced", "wal deleted"])
def test_a_write_is_not_acknowledged_once_the_file_is_gone_or_replaced(tmp_path, how):
    """Writes through a handle to a deleted or replaced file (or -wal) would be lost: refuse them."""
    import shutil

    path = tmp_path / "a.db"
    s = Store(path)
    a = s.create("Acme")
    s.set_answer(a.id, "CC6-03", status="in_progress", by="me")
    if how == "deleted":
        os.unlink(path)
    elif how == "replaced":
        other = tmp_path / "copy.db"
        shutil.copyfile(path, other)
        os.replace(other, path)
    else:
        os.unlink(f"{path}-wal")
    with pytest.raises(UserError, match="NOT saved"):
        s.set_answer(a.id, "CC6-03", status="operating", by="me")
    with pytest.raises(UserError, match="NOT saved"):
        s.create("Another")
    s.close()


def test_a_file_on_a_network_or_sync_folder_is_warned_about_once(tmp_path, monkeypatch, capsys):
    """WAL needs shared memory that network shares and FUSE sync clients do not give reliably."""
    from soc2_tui.cli import main
    from soc2_tui.store import filesys

    spaced = tmp_path / "My Drive"
    spaced.mkdir()
    mounts = (f"/dev/sda1 / ext4 rw 0 0\nserver:/x {str(tmp_path).replace(' ', chr(92) + '040')} nfs4 rw 0 0\n"
              f"gdrive {str(spaced).replace(' ', chr(92) + '040')} fuse.rclone rw 0 0\n")
    monkeypatch.setattr(filesys, "mount_table", lambda: mounts)
    assert filesys.network_filesystem(tmp_path / "a.db") == "nfs4"
    assert filesys.network_filesystem(spaced / "a.db") == "fuse.rclone"
    monkeypatch.setattr(filesys, "mount_table", lambda: "/dev/sda1 / ext4 rw 0 0\n")
    assert filesys.network_filesystem(tmp_path / "a.db") is None
    monkeypatch.setattr(filesys, "mount_table", lambda: mounts)
    capsys.readouterr()
    assert main(["--db", str(spaced / "a.db"), "new", "Acme"]) == 0
    err = capsys.readouterr().err
    assert err.count("network or synced folder (fuse.rclone)") == 1 and "local disk" in err
