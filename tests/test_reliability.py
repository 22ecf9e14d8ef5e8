"""Faults and hostile input: nothing acknowledged is lost, nothing bad gets in.

Each test here backs a promise in docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soc2_tui import banks, errors
from soc2_tui.banks import yaml_reader
from soc2_tui.cli import main
from soc2_tui.errors import UserError
from soc2_tui.store import Store

ANSWERER = textwrap.dedent("""
    import sys
    from soc2_tui.store import Store
    path, who = sys.argv[1], sys.argv[2]
    s = Store(path)
    a = s.get("Acme")
    i = 0
    while True:
        s.set_answer(a.id, f"{who}-{i % 50}", status="operating" if i % 2 else "in_progress",
                     notes=f"{who} {i}", by=who)
        print(i, flush=True)  # acknowledged: the call returned, so the answer is committed
        i += 1
""")


def _new_file(path: Path) -> None:
    with Store(path) as s:
        s.create("Acme")


# ------------------------------------------------------------------------------- faults


def test_sigkill_at_random_points_50_times(tmp_path):
    path = tmp_path / "kill.db"
    _new_file(path)
    rng = random.Random(2026)
    acked: dict[str, str] = {}
    for round_ in range(50):
        who = f"r{round_}"
        p = subprocess.Popen([sys.executable, "-c", ANSWERER, str(path), who], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
        stop_after = rng.randint(0, 40)
        last = -1
        for line in p.stdout:
            last = int(line)
            if last >= stop_after:
                break
        time.sleep(rng.random() * 0.01)  # kill mid-write some of the time
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stdout.close()
        for i in range(last + 1):
            acked[f"{who}-{i % 50}"] = f"{who} {i}"
    with Store(path) as s:
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        answers = s.answers(s.get("Acme").id)
    for item, note in acked.items():
        # an answer acknowledged before the kill is there (or a later one from the same run)
        got = int(answers[item].notes.split()[1])
        assert got >= int(note.split()[1]), item


READER_WRITER = textwrap.dedent("""
    import json, sys, time
    from soc2_tui.store import Store
    path, who, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    s = Store(path)
    a = s.get("Acme")
    end = time.time() + seconds
    done = 0
    statuses = ["not_started", "in_progress", "implemented", "operating"]
    while time.time() < end:
        s.set_answer(a.id, f"{who}-{done % 20}", status=statuses[done % 4], by=who)
        s.answers(a.id)           # readers and writers interleave
        done += 1
    print(json.dumps({"who": who, "done": done}))
""")


def test_four_processes_answer_and_read_for_10_seconds(tmp_path):
    path = tmp_path / "busy.db"
    _new_file(path)
    procs = [subprocess.Popen([sys.executable, "-c", READER_WRITER, str(path), f"p{n}", "10"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(4)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and "Traceback" not in err, err
        results.append(json.loads(out))
    with Store(path) as s:
        a = s.get("Acme")
        answers = s.answers(a.id)
        history = [c for c in s.history(a.id) if c.field == "status"]
    statuses = ["not_started", "in_progress", "implemented", "operating"]
    for r in results:
        assert r["done"] > 20
        last = {}
        for i in range(r["done"]):
            last[f"{r['who']}-{i % 20}"] = statuses[i % 4]
        for item, status in last.items():
            assert answers[item].status == status  # the last acknowledged answer won
    # exactly one history row per status change that happened
    expected = 0
    for r in results:
        prev: dict[str, str | None] = {}
        for i in range(r["done"]):
            item, status = f"{r['who']}-{i % 20}", statuses[i % 4]
            expected += prev.get(item) != status
            prev[item] = status
    assert len(history) == expected


FSIZE = textwrap.dedent("""
    import os, resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    from soc2_tui.store import Store
    from soc2_tui.errors import UserError
    path = sys.argv[1]
    s = Store(path)
    a = s.get("Acme")
    s.set_answer(a.id, "first", status="operating")
    limit = os.path.getsize(path) + os.path.getsize(path + "-wal") + 100_000
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    saved = 0
    try:
        for i in range(10_000):
            s.set_answer(a.id, f"X-{i}", notes="x" * 3000)
            saved += 1
    except UserError as exc:
        print(saved, str(exc), sep="\\n")
        # the app keeps running: a read still works
        print(len(s.answers(a.id)))
""")


def test_disk_full_fails_clearly_and_keeps_the_file_valid(tmp_path):
    path = tmp_path / "full.db"
    _new_file(path)
    run = subprocess.run([sys.executable, "-c", FSIZE, str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    saved, message, readable = run.stdout.strip().split("\n")
    assert "not saved" in message and "disk may be full" in message
    assert int(readable) == int(saved) + 1
    with Store(path) as s:
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        answers = s.answers(s.get("Acme").id)
    assert "first" in answers and len(answers) == int(saved) + 1


EXPORT_FSIZE = textwrap.dedent("""
    import resource, signal, sys
    from datetime import date
    from pathlib import Path
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    from soc2_tui import banks, errors
    from soc2_tui.banks import yaml_reader
    from soc2_tui.errors import UserError
    from soc2_tui.files import write_text_atomic
    from soc2_tui.interchange.export import assessment_json
    from soc2_tui.store import Store
    s = Store(sys.argv[1])
    a = s.get("Acme")
    text = assessment_json(banks.load_questionnaire(), a, s.answers(a.id), today=date(2026, 11, 26))
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(text) // 2, len(text) // 2))  # the disk fills up
    try:
        write_text_atomic(Path(sys.argv[2]), text, force=True)
    except UserError as exc:
        print(exc)
""")

OPEN_FSIZE = textwrap.dedent("""
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1_000, 1_000))
    from soc2_tui.cli import main
    sys.exit(main(["--db", sys.argv[1], "score", "Acme"]))
""")


def test_export_that_cannot_be_written_fails_clearly_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "a.db"
    with Store(path) as s:
        a = s.create("Acme")
        s.set_answer(a.id, "CC6-03", status="operating", notes="x" * 5000)
    out = tmp_path / "export.json"
    out.write_text('{"old": true}')
    run = subprocess.run([sys.executable, "-c", EXPORT_FSIZE, str(path), str(out)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert run.stdout.count("\n") == 1 and "cannot write" in run.stdout
    assert json.loads(out.read_text()) == {"old": True}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # no litter


def test_a_full_disk_is_not_mistaken_for_a_corrupt_file(tmp_path):
    path = tmp_path / "a.db"
    _new_file(path)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    before = path.read_bytes()
    run = subprocess.run([sys.executable, "-c", OPEN_FSIZE, str(path)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "corrupt" not in run.stderr and "disk may be full" in run.stderr
    assert path.read_bytes() == before


def test_export_to_a_path_under_a_regular_file(tmp_path, capsys):
    path = tmp_path / "a.db"
    _new_file(path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["--db", str(path), "export", "Acme", "-o", str(blocker / "out.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a directory" in err


def test_a_missing_folder_is_said_to_not_exist(tmp_path, capsys):
    """A folder that is not there is "does not exist", not "is not a directory" (issue #16)."""
    path = tmp_path / "a.db"
    _new_file(path)
    missing = tmp_path / "nope"
    for argv in (["--db", str(path), "export", "Acme", "-o", str(missing / "out.json")],
                 ["--db", str(path), "report", "Acme", "-o", str(missing / "r.md")],
                 ["--db", str(missing / "x.db"), "new", "Acme"],
                 ["--db", str(missing / "x.db"), "demo"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"the folder {missing} does not exist" in err, err
        assert "not a directory" not in err
    assert not missing.exists()


EXPORT_LOOP = textwrap.dedent("""
    import sys
    from soc2_tui.cli import main
    db, out = sys.argv[1], sys.argv[2]
    while True:
        main(["--db", db, "export", "Acme", "-o", out, "--force"])
""")


def test_interrupted_export_leaves_old_or_new_file(tmp_path):
    path = tmp_path / "a.db"
    with Store(path) as s:
        a = s.create("Acme")
        for n, item in enumerate(list(banks.load_questionnaire().items)[:150]):
            s.set_answer(a.id, item, notes="n" * 500 + str(n))
    out = tmp_path / "export.json"
    out.write_text('{"old": true}')
    rng = random.Random(7)
    for _ in range(8):
        p = subprocess.Popen([sys.executable, "-c", EXPORT_LOOP, str(path), str(out)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.4 + rng.random() * 0.6)
        p.send_signal(signal.SIGKILL)
        p.wait()
        doc = json.loads(out.read_text())  # always a complete document
        assert doc == {"old": True} or doc["assessment"]["name"] == "Acme"


def test_read_only_file_reads_but_refuses_writes_unchanged(tmp_path, capsys):
    path = tmp_path / "ro.db"
    with Store(path) as s:
        a = s.create("Acme")
        s.set_answer(a.id, "CC6-03", status="operating")
    os.chmod(path, 0o400)
    before = path.read_bytes()
    assert main(["--db", str(path), "score", "Acme", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["overall"]["answered"] == 1
    assert main(["--db", str(path), "new", "Other"]) == 2
    err = capsys.readouterr().err
    assert "read-only" in err and err.count("\n") == 1
    assert path.read_bytes() == before


# ------------------------------------------------------------------------------- hostile YAML

HOSTILE = {
    "python_tag.yaml": "bank: x\nversion: '1'\nkind: controls\nsections: !!python/object/apply:os.system ['true']\n",
    "python_name.yaml": "a: !!python/name:os.system\n",
    "laughs.yaml": "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\n",
    "deep_flow.yaml": "a: " + "[" * 5000 + "]" * 5000 + "\n",
    "deep_block.yaml": "a:\n" + "".join("  " * i + "- \n" for i in range(1, 1500)),
    "tabs.yaml": "bank:\tx\n\tversion: 1\n",
    "wrong_types.yaml": "bank: [1]\nversion: {a: 1}\nkind: 7\nsections: text\n",
    "not_a_mapping.yaml": "- just\n- a list\n",
    "empty.yaml": "",
    "binary.yaml": None,
    "merge_key.yaml": "base: &b {a: 1}\nx:\n  <<: *b\n",
    "duplicate_keys.yaml": "bank: a\nbank: b\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_banks_are_rejected_with_file_and_line(tmp_path, capsys, name):
    path = tmp_path / name
    if HOSTILE[name] is None:
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    else:
        path.write_text(HOSTILE[name], encoding="utf-8")
    started = time.time()
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert time.time() - started < 5
    assert "Traceback" not in err
    assert err.splitlines()[0].split(":")[0].endswith(name)
    assert err.splitlines()[0].split(":")[1].isdigit()


def test_huge_bank_is_refused_quickly(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    path.write_text("a: " + "x" * (yaml_reader.MAX_FILE_BYTES + 10), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert "the limit is" in capsys.readouterr().err


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(["bank: x\n", "version: '1'\n", "kind: controls\n", "sections:\n",
                              "  - id: S\n", "    title: T\n", "    items:\n", "      - id: A-01\n",
                              "        criteria: [CC6.1]\n", "        severity: high\n", "&a ", "*a ",
                              "!!python/object:os.system ", "[", "]", "{", "}", ": ", "- ", "\t", "'"]),
             max_size=30).map("".join),
))
def test_loader_fuzz_never_raises_anything_but_problems(tmp_path, text):
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass") if "\ud800" not in text else None
    if not path.exists():
        return
    try:
        banks.load_questionnaire(extra=[path], builtin=False)  # alone: re-parsing the built-in banks took 30 s
    except errors.ContentError as exc:
        assert exc.problems and all(p.file for p in exc.problems)


# ------------------------------------------------------------------------------- hostile CSV


def test_100000_row_import_is_rejected_whole_and_fast(tmp_path, capsys):
    path = tmp_path / "a.db"
    _new_file(path)
    big = tmp_path / "big.csv"
    rows = ["id,status,notes"] + [f"CC6-03,operating,=cmd|' /C calc'!A{i}" for i in range(100_000)]
    big.write_text("\n".join(rows), encoding="utf-8")
    started = time.time()
    assert main(["--db", str(path), "import", str(big), "--into", "Acme"]) == 2
    assert time.time() - started < 20
    err = capsys.readouterr().err
    assert "appears twice" in err and "and 99979 more" in err
    assert err.count("\n") == 22  # "nothing imported", the first 20 rows one a line, how many more
    with Store(path) as s:
        assert s.answers(s.get("Acme").id) == {}


def test_formula_cells_are_stored_as_text_and_neutralised_on_export(tmp_path, capsys):
    path = tmp_path / "a.db"
    _new_file(path)
    f = tmp_path / "in.csv"
    f.write_text("id,notes,owner\nCC6-03,=cmd|' /C calc'!A0,@SUM(1)\n", encoding="utf-8")
    assert main(["--db", str(path), "import", str(f), "--into", "Acme"]) == 0
    with Store(path) as s:
        ans = s.answers(s.get("Acme").id)["CC6-03"]
    assert ans.notes == "=cmd|' /C calc'!A0" and ans.owner == "@SUM(1)"
    capsys.readouterr()
    assert main(["--db", str(path), "export", "Acme", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "'=cmd|" in out and "'@SUM(1)" in out


# ------------------------------------------------------------------------------- names

ODD_NAMES = ["Acme & Co / 2026", "Ünïcødé 株式会社", "O'Brien \"quoted\"", "x'; DROP TABLE answers; --",
             "back\\slash | pipe `tick` <b>"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_names_work_everywhere(tmp_path, capsys, name):
    db = str(tmp_path / "names.db")
    assert main(["--db", db, "new", name, "--org", name]) == 0
    assert main(["--db", db, "score", name, "--json"]) == 0
    assert main(["--db", db, "export", name, "--format", "csv", "-o", str(tmp_path / "e.csv")]) == 0
    assert main(["--db", db, "import", str(tmp_path / "e.csv"), "--into", name]) == 0
    assert main(["--db", db, "snapshot", name, "--label", name]) == 0
    capsys.readouterr()
    assert main(["--db", db, "list", "--json"]) == 0
    assert [r["name"] for r in json.loads(capsys.readouterr().out)] == [name]
    assert main(["--db", db, "history", name, "--json"]) == 0
    assert main(["--db", db, "report", name, "-o", str(tmp_path / "r.md")]) == 0
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse((tmp_path / "r.md").read_text(encoding="utf-8"))
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    assert tokens[0].type == "heading_open" and tokens[0].tag == "h1"
    with Store(tmp_path / "names.db") as s:
        assert s.conn.execute("SELECT count(*) FROM answers").fetchone()[0] == 0  # table intact


@pytest.mark.parametrize("text, message, lines", [
    ('{"items": [', "not valid JSON", 1),
    ('{"format": "x"}', "no 'items' list", 1),
    ('{"items": [{"id": "CC6-03", "status": "done"}, {"id": "NOPE"}]}', "bad status 'done'", 3),
    ('{"items": [{"id": "CC6-03", "status": "operating"}, {"id": "CC6-03", "status": "operating"}]}',
     "appears twice", 2),
])
def test_bad_json_imports_are_rejected_whole(tmp_path, capsys, text, message, lines):
    path = tmp_path / "a.db"
    _new_file(path)
    f = tmp_path / "in.json"
    f.write_text(text, encoding="utf-8")
    assert main(["--db", str(path), "import", str(f), "--into", "Acme"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == lines and str(f) in err  # a broken file: one line;
    # bad rows: "nothing imported", then each row on its own line
    with Store(path) as s:
        assert s.answers(s.get("Acme").id) == {}


def test_control_characters_in_names_are_refused(store):
    with pytest.raises(UserError, match="one line"):
        store.create("two\nlines")


# ------------------------------------------------------------------------------- security


def test_no_network_during_a_full_cli_run(tmp_path, monkeypatch, capsys):
    def refuse(*_a, **_k):
        raise AssertionError("soc2-tui tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    db = str(tmp_path / "net.db")
    for argv in (["demo"], ["score", "demo"], ["list"], ["export", "demo"], ["export", "demo", "--format", "csv"],
                 ["snapshot", "demo"], ["history", "demo"], ["questions", "--format", "json"], ["validate"]):
        assert main(["--db", db, *argv]) == 0, argv
    assert main(["--db", db, "report", "demo"]) == 0

    # and the app: a whole session of answering in it
    import asyncio
    from datetime import date

    from soc2_tui import banks
    from soc2_tui.tui.app import Soc2App

    async def session() -> None:
        with Store(db) as store:
            app = Soc2App(store, banks.load_questionnaire(), respondent="t", open_name="demo",
                          today=date(2026, 11, 26))
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                await pilot.press("g")
                await pilot.pause()
                await pilot.press("o", "i")
                await app.wait_for_saves()
                await pilot.press("escape", "r")
                await pilot.pause()

    asyncio.run(session())


def test_sql_is_only_built_from_constants():
    """Every f-string handed to execute() interpolates only module constants or table names."""
    import re

    src = "\n".join(p.read_text(encoding="utf-8")
                    for p in sorted((Path(__file__).parent.parent / "soc2_tui" / "store").glob("*.py")))
    assert "execute(" in src
    for m in re.finditer(r'execute\(\s*f"([^"]*)"', src):
        for expr in re.findall(r"\{([^}]*)\}", m.group(1)):
            assert expr in ("BUSY_TIMEOUT_MS", "table"), expr
