"""`soc2-tui merge OTHER.db`: combine an assessment worked on apart (a second laptop, a copy a client
filled offline) with the one here, through their histories.

A change is one history row: item, field, old and new value, author, time. The two histories share
the changes made before the copy; a change of the other file that is not here is "theirs", a change
here that the other file does not hold is "ours". For every field theirs changed:
- if our last change of it is one they hold (or there is none), their final value is taken;
- if our last change of it is one they do not hold, both changed it apart: a conflict, listed, and
  the newer change (by its time) is taken; both having set the same value is no conflict.
Their rows are appended to our chain in their order, keeping author and time, sealed by
`trail.Chain`; where the chain's last row of a field would then disagree with the value kept, a row
by the person merging restores the kept value, so `verify` holds. One `@assessment merge` row says
from which file and how much. Everything is one write transaction; a second merge of the same file
finds every change already here and writes nothing. The other file is only read, opened read-only
and immutable after the checks `doctor` makes, so not even a -wal or -shm is made beside it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soc2_tui.errors import UserError
from soc2_tui.labels import plural
from soc2_tui.model import ANSWER_FIELDS, DATE_FIELDS, Answer, Assessment
from soc2_tui.store import codec, filesys, schema, trail
from soc2_tui.terminal import nfc

if TYPE_CHECKING:
    from soc2_tui.store import Store

Row = trail.Row
Key = tuple[str, str]  # (item_id, field)

_ASSESSMENT_COLUMNS = ("id", "name", "organisation", "report_type", "principles", "period_start", "period_months",
                       "bank_versions", "created_at", "updated_at")
_SELECT_ASSESSMENTS = f"SELECT {', '.join(_ASSESSMENT_COLUMNS)} FROM assessments ORDER BY id"
_FIND = (f"SELECT {', '.join(_ASSESSMENT_COLUMNS)} FROM assessments WHERE nfc(name) = ?"
         " ORDER BY name = ? DESC LIMIT 1")
_HISTORY = ("SELECT id, item_id, field, old_value, new_value, changed_by, changed_at{} FROM history"
            " WHERE assessment_id = ? ORDER BY id")
_SELECT_HISTORY = _HISTORY.format("")
_SELECT_SEALED = _HISTORY.format(", hash")
_HAS_META = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
_INSERT_ASSESSMENT = ("INSERT INTO assessments (name, organisation, report_type, principles, period_start,"
                      " period_months, bank_versions, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)")
_UPDATE_ASSESSMENT = ("UPDATE assessments SET organisation=?, report_type=?, principles=?, period_start=?,"
                      " period_months=?, bank_versions=?, updated_at=? WHERE id=?")
_TOUCH = "UPDATE assessments SET updated_at = ? WHERE id = ?"
_ANSWER_COLUMNS = "PRAGMA table_info(answers)"
# Who set the status is `answered_by/answered_at` up to schema 2 and `status_by/status_at` from
# schema 3, which also keeps the notes' and the other fields' authors: the columns the file has are
# looked up when merging, and the SQL for each kind is built here, once, from constants.
_STATUS_AUTHOR = (("answered_by", "answered_at"), ("status_by", "status_at"))
_UPSERT = {cols: (f"INSERT INTO answers (assessment_id, item_id, {', '.join(ANSWER_FIELDS)}, {cols[0]}, {cols[1]})"
                  f" VALUES ({', '.join('?' * (len(ANSWER_FIELDS) + 4))})"
                  " ON CONFLICT (assessment_id, item_id) DO UPDATE SET "
                  + ", ".join(f"{c}=excluded.{c}" for c in (*ANSWER_FIELDS, *cols)))
           for cols in _STATUS_AUTHOR}
_SET_AUTHOR = {group: f"UPDATE answers SET {group}_by = ?, {group}_at = ? WHERE assessment_id = ? AND item_id = ?"
               for group in ("notes", "details")}
# A merge's own record. A merge that brings nothing but the other file's records adds them without one
# of its own, so merging back and forth settles instead of trading records for ever.
_RECORD = ("@assessment", "merge")


def _group(f: str) -> str:
    """Whose author column a field's change moves (schema 3): a scope answer's value is its status."""
    return "status" if f in ("status", "value") else "notes" if f == "notes" else "details"


# ----------------------------------------------------------------------------- the other file


@dataclass(frozen=True)
class Source:
    path: Path
    assessment: Assessment
    rows: list[Row]  # its history, in its order


def read_other(path: Path, name: str | None, into: str | None) -> Source:
    """The assessment to merge from the other file and its whole history, checked; the file is
    opened read-only and immutable and closed again before anything is written here."""
    conn = _open(path)
    try:
        version = _check_file(conn, path)
        a = _choose(conn, path, name, into)
        rows = _history(conn, path, a, sealed=version >= 2)
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{path}: the database file is corrupt or unreadable ({exc})") from None
    finally:
        conn.close()
    return Source(path, a, rows)


def _open(path: Path) -> sqlite3.Connection:
    conn = filesys.open_immutable(path)  # checks the file first, as doctor does
    for suffix, what in (("-wal", "changes not yet in the file (is soc2-tui still open on it?)"),
                         ("-journal", "a write another program left half done")):
        side = Path(f"{path}{suffix}")
        if side.is_file() and side.stat().st_size:
            conn.close()
            raise UserError(f"{path}: {side.name} beside it holds {what}: open the file once with soc2-tui and "
                            "quit, then merge")
    return conn


def _check_file(conn: sqlite3.Connection, path: Path) -> int:
    """The checks `doctor` makes, each a one-line refusal: sound, made by soc2-tui, a schema this
    version reads, nothing in it soc2-tui did not make. Returns the schema version."""
    problems = schema.integrity_problems(conn)
    if problems:
        raise UserError(f"{path}: the database file is corrupt ({problems[0]}); see: soc2-tui doctor {path}")
    app = conn.execute("SELECT value FROM meta WHERE key = 'app'").fetchone() \
        if conn.execute(_HAS_META).fetchone() else None
    if app is None or app[0] != schema.APP_ID:
        raise UserError(f"{path}: an SQLite database, but not a soc2-tui assessment file")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > schema.SCHEMA_VERSION:
        raise UserError(f"{path}: written by a newer soc2-tui (file schema {version}, this version reads up to "
                        f"{schema.SCHEMA_VERSION}); upgrade soc2-tui to merge it")
    if version < 1:
        raise UserError(f"{path}: refused: its schema version ({version}) is not one soc2-tui writes")
    odd = schema.unexpected(conn, version)
    if odd:
        raise UserError(f"{path}: refused: the file holds {odd}; it may have been changed outside soc2-tui "
                        f"(see: soc2-tui doctor {path})")
    return version


def _choose(conn: sqlite3.Connection, path: Path, name: str | None, into: str | None) -> Assessment:
    """--assessment NAME; else the one named as --into; else the only one."""
    try:
        found = [codec.assessment_from_row(dict(zip(_ASSESSMENT_COLUMNS, r)))
                 for r in conn.execute(_SELECT_ASSESSMENTS).fetchall()]
    except UserError as exc:  # "the file holds a bad value …": say which file
        raise UserError(f"{path}: {exc}") from None
    wanted = name if name is not None else into
    if wanted is not None:
        match = [a for a in found if nfc(a.name) == nfc(wanted)]
        if match:
            return match[0]
    if name is None and len(found) == 1:
        return found[0]
    names = ", ".join(repr(a.name) for a in found) or "none"
    if name is not None:
        raise UserError(f"{path}: no assessment named {name!r} (assessments: {names})")
    raise UserError(f"{path}: holds {len(found)} assessments ({names}); choose one with --assessment NAME")


def _history(conn: sqlite3.Connection, path: Path, a: Assessment, sealed: bool) -> list[Row]:
    """Every change of `a`, each value checked and, from schema 2, each seal: a trail altered in
    the other file is refused, not re-sealed here as if it were sound."""
    rows: list[Row] = []
    last: str | None = None
    for rid, item, f, old, new, by, at, *hashed in conn.execute(_SELECT_SEALED if sealed else _SELECT_HISTORY,
                                                                (a.id,)):
        if not all(isinstance(v, str) for v in (item, f, by, at)) or not all(
                v is None or isinstance(v, str) for v in (old, new)):
            raise UserError(f"{path}: change #{rid} of {a.name!r} holds a value soc2-tui never writes "
                            f"(see: soc2-tui doctor {path})")
        row = (item, f, old, new, by, at)
        if sealed:
            last = trail.seal(last, a.id, row)
            if hashed[0] != last:
                raise UserError(f"{path}: the audit trail of {a.name!r} does not verify at change #{rid} (altered, "
                                f"inserted or removed); nothing merged (see: soc2-tui doctor {path})")
        rows.append(row)
    return rows


# ----------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Conflict:
    item_id: str
    field: str
    ours: Row  # our last change of the field
    theirs: Row  # theirs
    took: str  # "ours" or "theirs": the newer


@dataclass
class Plan:
    added: list[Row]  # their changes not here, in their order
    shared: int  # their changes already here
    winners: dict[Key, Row] = field(default_factory=dict)  # fields whose value comes from their change
    conflicts: list[Conflict] = field(default_factory=list)
    restore: list[tuple[Key, str | None, str | None]] = field(default_factory=list)  # key, chain's last, kept
    updated: int = 0  # fields whose value changes here


def _kind(key: Key) -> str | None:
    item, f = key
    if f in codec.ASSESSMENT_EDITABLE and (item == f or item == "@assessment"):
        return "name" if f == "name" else "assessment"
    return "answer" if f in ANSWER_FIELDS else None  # 'created', 'merge' …: a record, no value


def _newer(r: Row) -> tuple[str, str, str]:
    return r[5], r[4], r[3] or ""  # time, then author and value: the same choice both ways


def plan(ours: list[Row], theirs: list[Row], current: Callable[[Key], str | None]) -> Plan:
    """What merging `theirs` into `ours` does; `current(key)` is the value kept here, as history text."""
    mine, known = set(ours), set(theirs)
    p = Plan([r for r in theirs if r not in mine], len(known & mine))
    our_last = {(r[0], r[1]): r for r in ours}
    their_last = {(r[0], r[1]): r for r in theirs}
    appended = {(r[0], r[1]): r for r in p.added}
    for key, last in appended.items():
        kind = _kind(key)
        if kind is None:
            continue
        kept = current(key)
        t, o = their_last[key], our_last.get(key)
        if kind == "name" or t in mine:  # a merge never renames; their last change is here already
            winner = None
        elif o is None or o in known:  # we did not change it apart
            winner = t
        elif o[3] == t[3]:  # both set the same value
            winner = None
        else:
            winner = t if max(o, t, key=_newer) is t else None
            p.conflicts.append(Conflict(key[0], key[1], o, t, "theirs" if winner else "ours"))
        if winner is not None:
            p.winners[key] = winner
            p.updated += winner[3] != kept
        resolved = winner[3] if winner is not None else kept
        if last[3] != resolved:
            p.restore.append((key, last[3], resolved))
    return p


# ----------------------------------------------------------------------------- the merge


@dataclass
class Outcome:
    source: Source
    into: str
    created: bool  # --into named no assessment here: made as a copy of theirs
    plan: Plan
    dry_run: bool


def merge(store: Store, path: Path, *, assessment: str | None = None, into: str | None = None, by: str = "",
          dry_run: bool = False) -> Outcome:
    """Merge an assessment of the file at `path` into `store`, in one write transaction (none for a dry run)."""
    path = Path(path)
    try:
        same = os.path.samefile(path, store.path)
    except OSError:
        same = False
    if same:
        raise UserError(f"{path}: is the assessment file itself (--db); merge another file into it")
    src = read_other(path, assessment, into)
    name = nfc(into.strip()) if into is not None else src.assessment.name
    if dry_run:
        return _merge(store.conn, src, name, by, write=False)
    with store._write() as conn:
        return _merge(conn, src, name, by, write=True)


def _merge(conn: sqlite3.Connection, src: Source, name: str, by: str, write: bool) -> Outcome:
    found = conn.execute(_FIND, (nfc(name), name)).fetchone()
    here = codec.assessment_from_row(dict(zip(_ASSESSMENT_COLUMNS, found))) if found else None
    base = here or src.assessment
    target = here.name if here else name
    ours = [tuple(r[1:]) for r in conn.execute(_SELECT_HISTORY, (here.id,))] if here else []
    answers = {r[0]: codec.answer_from_row(r) for r in conn.execute(codec.SELECT_ANSWERS, (here.id,))} if here else {}

    def current(key: Key) -> str | None:
        item, f = key
        if _kind(key) == "answer":
            return codec.history_text(f, getattr(answers.get(item) or Answer(item), f))
        return target if f == "name" else codec.assessment_text(getattr(base, f))

    p = plan(ours, src.rows, current)
    if here is not None and ours and not p.shared:
        raise UserError(f"{src.path}: its {src.assessment.name!r} and {name!r} here share no change, so one is not "
                        f"a copy of the other; nothing merged (--into NEW copies it as a new assessment)")
    outcome = Outcome(src, target, here is None, p, not write)
    if write and p.added:
        stamp = codec.now()
        aid = here.id if here else _create(conn, src.assessment, name, stamp)
        note = (f"from {src.path} ({src.assessment.name}): {plural(len(p.added), 'change')} added, "
                f"{plural(len(p.conflicts), 'conflict')}")
        record = [] if all(r[:2] == _RECORD for r in p.added) else [("@assessment", "merge", None, note, by, stamp)]
        trail.Chain(conn, aid).add([*p.added, *((k[0], k[1], old, new, by, stamp) for k, old, new in p.restore),
                                    *record])
        _write_answers(conn, aid, answers, p.winners)
        _write_assessment(conn, aid, base, p.winners, stamp)
    return outcome


def _create(conn: sqlite3.Connection, a: Assessment, name: str, stamp: str) -> int:
    """The assessment --into names, made here as a copy of theirs (its history follows)."""
    fields = codec.check_assessment_fields({**{k: getattr(a, k) for k in codec.ASSESSMENT_EDITABLE}, "name": name})
    cur = conn.execute(_INSERT_ASSESSMENT, (
        fields["name"], fields["organisation"], fields["report_type"], codec.encode(list(fields["principles"])),
        fields["period_start"], fields["period_months"], codec.encode(dict(a.bank_versions)), a.created_at, stamp))
    assert cur.lastrowid is not None
    return cur.lastrowid


def _answer_value(item: str, f: str, text: str | None) -> Any:
    """A value from its history text, checked as an answer is (their file is untrusted)."""
    if f == "value":
        value = None if text is None else codec.parse_json(text, "history", f"item {item!r}", "new_value")
    elif f == "flagged":
        value = text == "1"
    elif f == "status" or f in DATE_FIELDS:
        value = text
    else:
        value = text or ""
    return codec.check_answer_fields(item, {f: value})[f]


def _write_answers(conn: sqlite3.Connection, aid: int, answers: Mapping[str, Answer],
                   winners: Mapping[Key, Row]) -> None:
    """The answers the merge changes; who set the status (and, from schema 3, the notes and the
    other fields) from the change whose value was taken."""
    columns = {r[1] for r in conn.execute(_ANSWER_COLUMNS)}
    status_cols = _STATUS_AUTHOR[1] if "status_by" in columns else _STATUS_AUTHOR[0]
    by_item: dict[str, dict[str, Row]] = {}
    for (item, f), row in winners.items():
        if _kind((item, f)) == "answer":
            by_item.setdefault(item, {})[f] = row
    for item, changed in by_item.items():
        current = answers.get(item) or Answer(item)
        values = {f: getattr(current, f) for f in ANSWER_FIELDS}
        values.update({f: _answer_value(item, f, row[3]) for f, row in changed.items()})
        setter = changed.get("status") or changed.get("value")
        author = (setter[4], setter[5]) if setter else (current.answered_by, current.answered_at)
        cells = [codec.encode(values[f]) if f == "value" else int(values[f]) if f == "flagged" else values[f]
                 for f in ANSWER_FIELDS]
        conn.execute(_UPSERT[status_cols], (aid, item, *cells, *author))
        for group, sql in _SET_AUTHOR.items():
            rows = [row for f, row in changed.items() if _group(f) == group]
            if rows and f"{group}_by" in columns:
                last = max(rows, key=_newer)
                conn.execute(sql, (last[4], last[5], aid, item))


def _write_assessment(conn: sqlite3.Connection, aid: int, base: Assessment, winners: Mapping[Key, Row],
                      stamp: str) -> None:
    """The assessment's fields their changes set (never its name), checked as an edit is."""
    taken = {f: row[3] for (_item, f), row in winners.items() if _kind((_item, f)) == "assessment"}
    if not taken:
        conn.execute(_TOUCH, (stamp, aid))
        return
    merged: dict[str, Any] = {k: getattr(base, k) for k in codec.ASSESSMENT_EDITABLE}
    for f, text in taken.items():
        merged[f] = codec.parse_json(text, "history", f"change of {f}", "new_value") \
            if f in ("principles", "bank_versions") and text is not None else text
    banks = merged["bank_versions"] or {}
    if not isinstance(banks, dict) or not all(isinstance(v, str) for v in banks.values()):
        raise codec.bad_value("history", "change of bank_versions", "new_value", taken.get("bank_versions"))
    if taken.get("bank_set") is not None:  # their `banks --add/--remove`
        text = taken["bank_set"]
        found = codec.bank_set_from(codec.parse_json(text, "history", "change of bank_set", "new_value"),
                                    "history", "change of bank_set", text)
        conn.execute("UPDATE assessments SET bank_set = ? WHERE id = ?", (codec.assessment_text(found), aid))
    fields = codec.check_assessment_fields(merged)
    conn.execute(_UPDATE_ASSESSMENT, (
        fields["organisation"], fields["report_type"], codec.encode(list(fields["principles"])),
        fields["period_start"], fields["period_months"], codec.encode(dict(banks)), stamp, aid))
