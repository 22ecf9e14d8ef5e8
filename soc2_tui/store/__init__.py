"""The assessment file: one SQLite database. The only module that touches SQLite.

Design:
- one connection per thread (Textual workers run on other threads), all to the same file;
- WAL mode and a busy timeout, so two processes (two terminals in a workshop) can write at once;
- every write is its own `BEGIN IMMEDIATE … COMMIT` transaction: once a call returns, the answer
  is on disk;
- every change to an answer appends one history row per changed field, in the same transaction;
- the schema version lives in `PRAGMA user_version`; an older file is backed up, then migrated;
  a newer, foreign or corrupt file is refused without being touched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from soc2_tui.errors import StoreBusy, UserError
from soc2_tui.model import Answer, Assessment, BankSet, Change, Conflict, Disagreement
from soc2_tui.store import banksets, codec, trail, writing
from soc2_tui.store import disagreements as _disagreements
from soc2_tui.store.connection import Connection
from soc2_tui.terminal import nfc

__all__ = ["Store", "StoreBusy"]


class Store(Connection):
    """An open assessment file: assessments, answers, history and snapshots. Safe to use from
    several threads (each gets its own connection)."""

    # ------------------------------------------------------------------ assessments

    def assessments(self) -> list[Assessment]:
        rows = self._query("SELECT * FROM assessments ORDER BY name COLLATE NOCASE")
        return [self._remember(codec.assessment_from_row(r)) for r in rows]

    def find(self, name: str) -> Assessment | None:
        """The assessment of that name, compared in NFC (a name typed with a decomposed accent finds
        the one stored composed, and a stored decomposed one is found too); the exact spelling first."""
        rows = list(self._query("SELECT * FROM assessments WHERE nfc(name) = ? ORDER BY name = ? DESC LIMIT 1",
                                [nfc(name), name]))
        return self._remember(codec.assessment_from_row(rows[0])) if rows else None

    def get(self, name: str) -> Assessment:
        found = self.find(name)
        if found is None:
            names = ", ".join(a.name for a in self.assessments()) or "none yet"
            raise UserError(f"no assessment named {name!r} in {self.path} (assessments: {names})")
        return found

    def by_id(self, assessment_id: int) -> Assessment:
        rows = list(self._query("SELECT * FROM assessments WHERE id = ?", [assessment_id]))
        if not rows:
            raise self._gone(assessment_id)
        return self._remember(codec.assessment_from_row(rows[0]))

    def _remember(self, a: Assessment) -> Assessment:
        """Keep the name of an assessment read, to name it if it is deleted while open."""
        self._names[a.id] = a.name
        return a

    def _gone(self, assessment_id: int) -> UserError:
        """The error for an assessment deleted while open (by another terminal), by its name."""
        name = self._names.get(assessment_id)
        what = f"the assessment {name!r}" if name is not None else "the assessment"
        return UserError(f"{what} no longer exists in {self.path} (deleted, perhaps from another terminal)")

    def create(self, name: str, *, organisation: str = "", report_type: str = "type2",
               principles: Iterable[str] = ("security",), period_start: str | None = None,
               period_months: int | None = None, bank_versions: Mapping[str, str] | None = None,
               by: str = "", bank_set: BankSet | None = None) -> Assessment:
        fields = codec.check_assessment_fields({
            "name": name, "organisation": organisation, "report_type": report_type,
            "principles": principles, "period_start": period_start, "period_months": period_months,
        })
        stamp = codec.now()
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM assessments WHERE nfc(name) = ?", (fields["name"],)).fetchone():
                raise UserError(f"an assessment named {fields['name']!r} already exists in {self.path}")
            cur = conn.execute(
                "INSERT INTO assessments (name, organisation, report_type, principles, period_start,"
                " period_months, bank_versions, created_at, updated_at, bank_set) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (fields["name"], fields["organisation"], fields["report_type"],
                 codec.encode(list(fields["principles"])), fields["period_start"], fields["period_months"],
                 codec.encode(dict(bank_versions or {})), stamp, stamp,
                 codec.assessment_text(bank_set or BankSet())),
            )
            aid = cur.lastrowid
            assert aid is not None  # an INSERT into a rowid table always sets it
            trail.Chain(conn, aid).add([("@assessment", "created", None, fields["name"], by, stamp)])
        return self.by_id(aid)

    def update_assessment(self, assessment_id: int, *, by: str = "", **changes: Any) -> Assessment:
        """Change assessment fields (name, principles, period …); each change goes to history."""
        unknown = set(changes) - set(codec.ASSESSMENT_EDITABLE)
        if unknown:
            raise ValueError(f"not assessment fields: {sorted(unknown)}")
        current = self.by_id(assessment_id)
        merged = {k: getattr(current, k) for k in codec.ASSESSMENT_EDITABLE}
        merged.update(changes)
        fields = codec.check_assessment_fields(merged)
        fields["bank_versions"] = dict(merged["bank_versions"] or {})
        fields["bank_set"] = merged["bank_set"] if isinstance(merged["bank_set"], BankSet) else BankSet()
        stamp = codec.now()
        with self._write() as conn:
            if fields["name"] != current.name and conn.execute(
                "SELECT 1 FROM assessments WHERE nfc(name) = ? AND id != ?", (fields["name"], assessment_id)
            ).fetchone():
                raise UserError(f"an assessment named {fields['name']!r} already exists in {self.path}")
            changed = []
            for key in changes:
                old = getattr(current, key)
                new = fields[key]
                if (list(old) if isinstance(old, tuple) else old) != (list(new) if isinstance(new, tuple) else new):
                    changed.append((key, old, new))
            if not changed:
                return current
            trail.Chain(conn, assessment_id).add(
                [(key if key in ("principles", "report_type", "period_start", "period_months") else "@assessment",
                  key, codec.assessment_text(old), codec.assessment_text(new), by, stamp)
                 for key, old, new in changed])
            conn.execute(
                "UPDATE assessments SET name=?, organisation=?, report_type=?, principles=?, period_start=?,"
                " period_months=?, bank_versions=?, bank_set=?, updated_at=? WHERE id=?",
                (fields["name"], fields["organisation"], fields["report_type"],
                 codec.encode(list(fields["principles"])), fields["period_start"], fields["period_months"],
                 codec.encode(fields["bank_versions"]), codec.assessment_text(fields["bank_set"]), stamp,
                 assessment_id),
            )
        return self.by_id(assessment_id)

    def duplicate(self, assessment_id: int, new_name: str, by: str = "") -> Assessment:
        src = self.by_id(assessment_id)
        copy = self.create(new_name, organisation=src.organisation, report_type=src.report_type,
                           principles=src.principles, period_start=src.period_start,
                           period_months=src.period_months, bank_versions=src.bank_versions, by=by,
                           bank_set=src.bank_set)
        answers = self.answers(assessment_id)
        if answers:
            self.apply_answers(copy.id, {a.item_id: codec.answer_changes(a) for a in answers.values()}, by=by)
        return self.by_id(copy.id)

    def delete(self, assessment_id: int) -> None:
        """Delete an assessment with its answers, history and snapshots (the UI confirms first)."""
        with self._write() as conn:
            for table in ("answers", "history", "snapshots"):
                conn.execute(f"DELETE FROM {table} WHERE assessment_id = ?", (assessment_id,))
            conn.execute("DELETE FROM assessments WHERE id = ?", (assessment_id,))

    # ------------------------------------------------------------------ answers

    def answers(self, assessment_id: int) -> dict[str, Answer]:
        found = self.conn.execute(codec.SELECT_ANSWERS, (assessment_id,)).fetchall()
        from_row = codec.answer_from_row
        return {r[0]: from_row(r) for r in found}

    def answer(self, assessment_id: int, item_id: str) -> Answer | None:
        row = self.conn.execute(codec.SELECT_ANSWER, (assessment_id, item_id)).fetchone()
        return codec.answer_from_row(row) if row else None

    def set_answer(self, assessment_id: int, item_id: str, *, by: str = "", wait: bool = True,
                   **changes: Any) -> Answer:
        """Save one answer now, in its own transaction, with a history row per changed field.

        wait=False: raise StoreBusy at once (writing nothing) if another program holds the lock.
        """
        self.apply_answers(assessment_id, {item_id: changes}, by=by, wait=wait)
        return self.answer(assessment_id, item_id) or Answer(item_id)

    def apply_answers(self, assessment_id: int, changes: Mapping[str, Mapping[str, Any]], *,
                      by: str = "", wait: bool = True) -> int:
        """Apply many answer changes in ONE transaction (import, duplicate). Returns fields changed."""
        return self.import_answers(assessment_id, changes, by=by, wait=wait)[0]

    def import_answers(self, assessment_id: int, changes: Mapping[str, Mapping[str, Any]], *, by: str = "",
                       exported_at: Mapping[str, str] | None = None, wait: bool = True) -> tuple[int, list[Conflict]]:
        """`apply_answers`, for a file exported at `exported_at` (item → UTC stamp of its row): a
        field changed here after its row's export and changed in the file too raises ImportConflicts
        (nothing written); one the file did not change keeps the newer value here (returned, with the
        number of fields changed)."""
        clean = {iid: codec.check_answer_fields(iid, ch) for iid, ch in changes.items()}
        stamp = codec.now()
        with self._write(wait) as conn:
            if not conn.execute("SELECT 1 FROM assessments WHERE id = ?", (assessment_id,)).fetchone():
                raise self._gone(assessment_id)
            count, kept = writing.apply(conn, assessment_id, clean, by, stamp, exported_at,
                                        self.basis.get(assessment_id))
            if count:
                conn.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", (stamp, assessment_id))
        return count, kept

    # ------------------------------------------------------------------ bank sets (schema 4)

    @property
    def basis(self) -> dict[int, Mapping[str, str]]:
        """assessment id → item → its basis (`bankset.basis`), recorded with each answer given; a
        front end sets it once it has loaded the assessment's banks."""
        found = self.__dict__.get("_basis")
        if found is None:
            found = self.__dict__["_basis"] = {}
        return found

    @property
    def renamed(self) -> dict[int, Mapping[str, str]]:
        """assessment id → old item id → the item that replaces it in the banks loaded for it
        (`replaces:`), set with `basis`: an answer left under an old id (the new one was answered
        too, so it did not move) still counts in the new item's disagreement."""
        found = self.__dict__.get("_renamed")
        if found is None:
            found = self.__dict__["_renamed"] = {}
        return found

    def bases(self, assessment_id: int) -> dict[str, str]:
        """item → the basis its answer was given against ('' ones left out)."""
        return banksets.bases(self.conn, assessment_id)

    def follow_replaces(self, assessment_id: int, replaces: Mapping[str, Iterable[str]], known: Iterable[str],
                        by: str = "") -> list[tuple[str, str]]:
        """Move answers of old ids to the items that replace them (`replaces:` in a bank), once,
        in one transaction, recorded in the history; returns (old, new) of each move made."""
        answered = list(self.answers(assessment_id))
        moves = banksets.planned({k: list(v) for k, v in replaces.items()}, answered, list(known))
        if not moves:
            return []
        with self._write() as conn:
            done = banksets.move(conn, assessment_id, moves, by, codec.now())
            if done:
                conn.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", (codec.now(), assessment_id))
        return done

    # ------------------------------------------------------------------ disagreements

    def disagreements(self, assessment_id: int, until: str | None = None) -> list[Disagreement]:
        """Items whose status (or scope value) respondents set differently since it was last
        resolved, each with every respondent's latest value and time; sorted by item id. One read
        of the status changes in the history (`until`: as it was then, a UTC stamp)."""
        return _disagreements.unresolved(self.conn, assessment_id, until, self.renamed.get(assessment_id))

    def disagreement(self, assessment_id: int, item_id: str) -> Disagreement | None:
        """One item's unresolved disagreement, or None (reads that item's status changes only)."""
        return _disagreements.of_item(self.conn, assessment_id, item_id, self.renamed.get(assessment_id))

    def resolve(self, assessment_id: int, item_id: str, note: str, *, by: str = "", **changes: Any) -> Answer:
        """Resolve an item's disagreement with a note, answering again first if `changes` (status=…)
        are given: one transaction, a `resolved` history row after the answer's own rows."""
        note = note.strip()
        if not note:
            raise UserError(f"{item_id}: resolving a disagreement needs a note saying what was agreed")
        clean = {item_id: codec.check_answer_fields(item_id, changes)} if changes else {}
        stamp = codec.now()
        with self._write() as conn:
            if not conn.execute("SELECT 1 FROM assessments WHERE id = ?", (assessment_id,)).fetchone():
                raise self._gone(assessment_id)
            found = _disagreements.of_item(conn, assessment_id, item_id, self.renamed.get(assessment_id))
            if found is None:
                raise UserError(f"{item_id}: no unresolved disagreement to resolve")
            writing.apply(conn, assessment_id, clean, by, stamp)
            trail.Chain(conn, assessment_id).add([_disagreements.resolution(found, note, by, stamp)])
            conn.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", (stamp, assessment_id))
        return self.answer(assessment_id, item_id) or Answer(item_id)

    # ------------------------------------------------------------------ history and snapshots

    def history(self, assessment_id: int, item_id: str | None = None, limit: int | None = None,
                since: str | None = None, until: str | None = None, who: str | None = None) -> list[Change]:
        """Changes oldest first (newest first with `limit`); `since`/`until` are ISO UTC stamps
        (changed_at > since, changed_at <= until); `who` keeps one respondent's changes; an
        `item_id`'s changes include those of the ids its answer moved from (`replaces`)."""
        return list(self.iter_history(assessment_id, item_id, limit, since, until, who))

    def iter_history(self, assessment_id: int, item_id: str | None = None, limit: int | None = None,
                     since: str | None = None, until: str | None = None, who: str | None = None
                     ) -> Iterator[Change]:
        """`history`, streamed from the file a few hundred rows at a time: memory stays flat and the
        first change arrives at once, however long the trail (200,000 rows and more)."""
        found = self.conn.execute("SELECT name FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        if found is None:
            return  # no such assessment: no history (as a JOIN on it would give)
        name = found[0]
        sql = ("SELECT id, item_id, field, old_value, new_value, changed_by, changed_at FROM history"
               " WHERE assessment_id = ?")
        params: list[Any] = [assessment_id]
        if item_id:  # with the ids it replaced (`replaces` rows): an item's history follows its renames
            ids = banksets.former_ids(self.conn, assessment_id, item_id)
            sql += f" AND item_id IN ({', '.join('?' * len(ids))})"
            params += ids
        for clause, value in ((" AND changed_at > ?", since),
                              (" AND changed_at <= ?", until), (" AND nfc(changed_by) = ?", who and nfc(who))):
            if value:
                sql += clause
                params.append(value)
        sql += " ORDER BY id DESC LIMIT ?" if limit else " ORDER BY id"
        if limit:
            params.append(limit)
        cursor = self.conn.execute(sql, params)
        while rows := cursor.fetchmany(500):
            for rid, item, field, old, new, by, at in rows:
                yield Change(rid, name, item, field, old, new, by, at)

    def verify(self, assessment_id: int) -> trail.Verdict:
        """Check the assessment's audit trail: its seals row by row, then the answers against it."""
        a = self.by_id(assessment_id)
        return trail.verify(self.conn, a, self.answers(assessment_id))

    def last_change(self, assessment_id: int, item_id: str) -> Change | None:
        found = self.history(assessment_id, item_id, limit=1)
        return found[0] if found else None

    def add_snapshot(self, assessment_id: int, label: str, data: Mapping[str, Any]) -> int:
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO snapshots (assessment_id, label, created_at, data) VALUES (?, ?, ?, ?)",
                (assessment_id, label, codec.now(), json.dumps(data, ensure_ascii=False, sort_keys=True)),
            )
            return cur.lastrowid  # type: ignore[return-value]

    def snapshots(self, assessment_id: int) -> list[dict[str, Any]]:
        rows = self._query(
            "SELECT id, label, created_at FROM snapshots WHERE assessment_id = ? ORDER BY id", [assessment_id]
        )
        return list(rows)

    def snapshot(self, assessment_id: int, ref: str) -> dict[str, Any]:
        """A snapshot by id or label (the newest with that label)."""
        rows = list(self._query(
            "SELECT * FROM snapshots WHERE assessment_id = ? AND (CAST(id AS TEXT) = ? OR label = ?)"
            " ORDER BY CAST(id AS TEXT) = ? DESC, id DESC LIMIT 1",  # an id beats a label "3"
            [assessment_id, str(ref), str(ref), str(ref)]))
        if not rows:
            raise UserError(f"no snapshot {ref!r} for this assessment (see `soc2-tui snapshot NAME --list`)")
        row = rows[0]
        data = codec.parse_json(row["data"], "snapshots", f"snapshot {row['id']!r}", "data")
        if not isinstance(data, dict) or not isinstance(data.get("assessment"), dict) \
                or not isinstance(data.get("answers"), dict):
            raise codec.bad_value("snapshots", f"snapshot {row['id']!r}", "data", row["data"])
        return {"id": row["id"], "label": row["label"], "created_at": row["created_at"], "data": data}
