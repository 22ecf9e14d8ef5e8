"""A client's file is untrusted input: every bad file is one line (bad rows one more line each) and
exit 2 with nothing imported, and every text the store accepts survives export -> import unchanged
(CSV and JSON)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soc2_tui.cli import main
from soc2_tui.interchange import importer
from soc2_tui.interchange.export import assessment_csv, assessment_json, safe_cell, unsafe_cell
from soc2_tui.store import Store

NAME = "Acme"
TEXT_FIELDS = ("notes", "evidence", "owner", "approver")


@pytest.fixture
def acme(db_path):
    with Store(db_path) as s:
        a = s.create(NAME)
        s.set_answer(a.id, "CC6-03", status="operating", notes="kept", owner="CTO")
    return db_path


def _answers(db_path, name=NAME):
    with Store(db_path) as s:
        a = s.get(name)
        return {k: v.as_dict() for k, v in s.answers(a.id).items()}, len(s.history(a.id))


def _refused(db_path, path, capsys, lines: int = 1) -> str:
    """Import `path`: exit 2, one error line naming the file (bad rows: one more line each), the
    assessment unchanged."""
    before = _answers(db_path)
    capsys.readouterr()
    assert main(["--db", str(db_path), "import", str(path), "--into", NAME]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == lines and captured.err.startswith("soc2-tui: error: ")
    assert str(path) in captured.err
    assert "Traceback" not in captured.err
    assert _answers(db_path) == before
    return captured.err


def _round_trip(db_path, tmp_path, fmt, **fields) -> dict:
    """Store `fields` on CC6-09, export, import into a fresh assessment; return what arrived."""
    with Store(db_path) as s:
        s.set_answer(s.get(NAME).id, "CC6-09", status="implemented", **fields)
    out = tmp_path / f"out.{fmt}"
    assert main(["--db", str(db_path), "export", NAME, "--format", fmt, "-o", str(out), "--force"]) == 0
    assert main(["--db", str(db_path), "new", f"Copy {fmt}"]) == 0
    assert main(["--db", str(db_path), "import", str(out), "--into", f"Copy {fmt}"]) == 0
    original, _ = _answers(db_path)
    copy, _ = _answers(db_path, f"Copy {fmt}")
    assert copy["CC6-09"]["notes"] == original["CC6-09"]["notes"]
    return copy["CC6-09"]


# ----------------------------------------------------------------------------- CSV


def test_unterminated_quote_is_refused_with_the_line_it_opened_on(acme, tmp_path, capsys):
    f = tmp_path / "quote.csv"
    f.write_text('id,status,notes\nCC6-09,implemented,fine\nCC6-10,operating,"never closed\n'
                 "CC6-11,operating,lost\nCC6-12,operating,lost too\n", encoding="utf-8")
    err = _refused(acme, f, capsys)
    assert f"{f}:3: " in err and "quote" in err


def test_unterminated_quote_in_a_later_field_of_a_multiline_row(acme, tmp_path, capsys):
    f = tmp_path / "quote.csv"
    f.write_text('id,notes,owner\nCC6-09,"two\nlines",x\nCC6-10,"ok\nok","open\nrest\n', encoding="utf-8")
    err = _refused(acme, f, capsys)
    assert f"{f}:5: " in err


def test_unterminated_quote_in_the_header(acme, tmp_path, capsys):
    f = tmp_path / "quote.csv"
    f.write_text('id,"notes\nCC6-09,x\n', encoding="utf-8")
    assert f"{f}:1: " in _refused(acme, f, capsys)


def test_a_nul_outside_a_quoted_cell_is_still_refused(acme, tmp_path, capsys):
    f = tmp_path / "utf16.csv"
    f.write_bytes("id,notes\nCC6-09,x\n".encode("utf-16-le"))
    assert "NUL" in _refused(acme, f, capsys)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_note_with_nul_round_trips(acme, tmp_path, fmt):
    assert _round_trip(acme, tmp_path, fmt, notes="a\x00b, \x00", owner="\x00")["owner"] == "\x00"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_note_over_128_kib_round_trips(acme, tmp_path, fmt):
    big = ("x, \"quoted\" \r\n" * 30_000)[:400_000]
    assert _round_trip(acme, tmp_path, fmt, notes=big)["notes"] == big


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_note_starting_with_apostrophe_and_formula_keeps_its_apostrophe(acme, tmp_path, fmt):
    got = _round_trip(acme, tmp_path, fmt, notes="'=SUM(A1)", evidence="''+1", owner="'-", approver="' ")
    assert (got["notes"], got["evidence"], got["owner"], got["approver"]) == ("'=SUM(A1)", "''+1", "'-", "' ")


@pytest.mark.parametrize("text", ["=1", "'=1", "''=1", "'", "''", "'x", "x", "", " ", "'\t", "\n", "'@", "-"])
def test_unsafe_cell_undoes_safe_cell(text):
    assert unsafe_cell(safe_cell(text)) == text


@settings(max_examples=300, deadline=None)
@given(text=st.builds(lambda p, t: p + t, st.sampled_from(["", "'", "''", "=", "'-", " ", "'\t"]), st.text()))
def test_unsafe_cell_undoes_safe_cell_for_any_text(text):
    assert unsafe_cell(safe_cell(text)) == text


def test_safe_cell_leaves_ordinary_text_alone():
    assert [safe_cell(x) for x in ("'quoted'", "it's", "ok", "'", "=1", "'=1")] == \
        ["'quoted'", "it's", "ok", "'", "'=1", "''=1"]


# ----------------------------------------------------------------------------- JSON


def _json_item(raw_notes: str) -> str:
    return '{"items": [{"id": "CC6-09", "status": "operating",\n"notes": ' + raw_notes + "}]}\n"


@pytest.mark.parametrize("raw, words", [
    ("NaN", "NaN"),
    ("Infinity", "Infinity"),
    ("-Infinity", "Infinity"),
    ("1e400", "finite"),
    pytest.param("9" * 5000, "digits", id="5000-digits"),
    ('"\\ud800"', "surrogate"),
    ('"ok \\udfff"', "surrogate"),
])
def test_hostile_json_values_are_one_line_errors(acme, tmp_path, capsys, raw, words):
    f = tmp_path / "bad.json"
    f.write_text(_json_item(raw), encoding="utf-8")
    assert words in _refused(acme, f, capsys)


def test_json_value_list_with_a_surrogate_is_refused(acme, tmp_path, capsys):
    f = tmp_path / "bad.json"
    f.write_text('{"items": [{"id": "subservice_orgs", "value": ["AWS", "\\ud83d"]}]}', encoding="utf-8")
    assert "surrogate" in _refused(acme, f, capsys)


def test_json_nested_100000_deep_is_a_one_line_error(acme, tmp_path, capsys):
    f = tmp_path / "deep.json"
    f.write_text('{"items": [{"id": "CC6-09", "notes": ' + "[" * 100_000 + "]" * 100_000 + "}]}",
                 encoding="utf-8")
    assert "deep" in _refused(acme, f, capsys)


def test_a_huge_bad_value_is_cut_short_in_the_message(acme, tmp_path, capsys):
    f = tmp_path / "bad.json"
    f.write_text('{"items": [{"id": "CC6-09", "due_date": "' + "9" * 100_000 + '"}]}', encoding="utf-8")
    err = _refused(acme, f, capsys, lines=2)
    assert "bad due_date '9999" in err and len(err) < 500


def test_valid_json_still_says_the_line_of_a_syntax_error(acme, tmp_path, capsys):
    f = tmp_path / "bad.json"
    f.write_text(_json_item('"x",,'), encoding="utf-8")
    assert f"{f}:2: not valid JSON" in _refused(acme, f, capsys)


# ----------------------------------------------------------------------------- any text round-trips

_PREFIXES = st.sampled_from(["", "'", "''", "=", "'=", "''+", "-", "@", "\t", "'\t", "\r\n", "\r", "\x00",
                             " ", "'  ", "\n", "\x1c", "\ufeff", '"', '"\n'])
_TEXT = st.builds(lambda p, t: p + t, _PREFIXES, st.text(max_size=40))


@pytest.fixture(scope="module")
def shared_store(q):
    with tempfile.TemporaryDirectory() as d, Store(Path(d) / "p.db") as s:
        yield s, Path(d)


_counter = iter(range(10**9))


def _property_round_trip(q, shared_store, fmt, texts):
    store, folder = shared_store
    n = next(_counter)
    a = store.create(f"src {n}")
    stored = {}
    for iid, offset in (("CC6-03", 0), ("POL-01", 4)):
        fields = dict(zip(TEXT_FIELDS, texts[offset:offset + 4]))
        stored[iid] = store.set_answer(a.id, iid, status="implemented", **fields)
    answers = store.answers(a.id)
    text = assessment_csv(q, a, answers) if fmt == "csv" else assessment_json(q, a, answers)
    path = folder / f"p{n}.{fmt}"
    path.write_bytes(text.encode("utf-8"))
    copy = store.create(f"copy {n}")
    store.apply_answers(copy.id, importer.read_changes(path, q, {}))
    got = store.answers(copy.id)
    for iid, ans in stored.items():
        assert {f: getattr(got[iid], f) for f in TEXT_FIELDS} == {f: getattr(ans, f) for f in TEXT_FIELDS}


@pytest.mark.parametrize("fmt", ["csv", "json"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(_TEXT, min_size=8, max_size=8))
def test_any_text_survives_export_and_import(q, shared_store, fmt, texts):
    _property_round_trip(q, shared_store, fmt, texts)


def test_a_fifo_or_device_is_refused_at_once_not_read_for_ever(acme, tmp_path, capsys):
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    codes: list[int] = []
    worker = threading.Thread(target=lambda: codes.append(
        main(["--db", str(acme), "import", str(fifo), "--into", NAME])), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert codes == [2] and "not a regular file" in capsys.readouterr().err
    if os.geteuid() == 0:
        zero = tmp_path / "zero.csv"
        os.mknod(zero, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # an endless device, as a node of our own
        assert "not a regular file" in _refused(acme, zero, capsys)


def test_semicolon_csv_and_trailing_empty_columns_from_a_spreadsheet_import(acme, tmp_path):
    semi = tmp_path / "eu.csv"
    semi.write_text("id;status;notes;;\r\nCC6-09;operating;checked; ;\r\nCC6-10;in_progress;;;\r\n", encoding="utf-8")
    assert main(["--db", str(acme), "import", str(semi), "--into", NAME]) == 0
    answers, _ = _answers(acme)
    assert answers["CC6-09"]["status"] == "operating" and answers["CC6-09"]["notes"] == "checked"
    assert answers["CC6-10"]["status"] == "in_progress"
    comma = tmp_path / "trailing.csv"
    comma.write_text("id,status,,\nCC6-11,implemented,,\n", encoding="utf-8")
    assert main(["--db", str(acme), "import", str(comma), "--into", NAME]) == 0
    assert _answers(acme)[0]["CC6-11"]["status"] == "implemented"


def test_unterminated_quote_in_a_semicolon_csv_is_refused(acme, tmp_path, capsys):
    bad = tmp_path / "eu.csv"
    bad.write_text('id;status;notes\r\nCC6-09;operating;"never closed\r\nCC6-10;in_progress;x\r\n', encoding="utf-8")
    err = _refused(acme, bad, capsys)
    assert "quote opened here is never closed" in err and f"{bad}:2:" in err
