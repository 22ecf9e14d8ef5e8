"""`soc2-tui banks [NAME]`: the question banks each assessment uses, where each was found and
whether it changed since it was added or since answers were given; `--add PATH` and `--remove ID`
change an assessment's set, recorded in its history (docs/cli.md, "Question banks")."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from soc2_tui import startup
from soc2_tui.cli.commands import _store
from soc2_tui.errors import ContentError, UserError
from soc2_tui.labels import plural
from soc2_tui.model import Assessment, BankSet, Questionnaire
from soc2_tui.terminal import safe

BUILTIN_WORD = "built-in"  # --add built-in: the built-in banks again


def cmd_banks(args: argparse.Namespace) -> int:
    if (args.add or args.remove) and not args.name:
        raise UserError("--add and --remove change one assessment: name it (soc2-tui banks NAME --add PATH)")
    by = startup.respondent(args.respondent)
    with _store(args, create=False) as store:
        chosen = [store.get(args.name)] if args.name else store.assessments()
        if args.add or args.remove:
            a = chosen[0]
            new = _changed(args, a)
            said = sys.stderr if args.json else sys.stdout  # --json: stdout is the document alone
            if new == a.bank_set:
                print(safe(f"the banks of {a.name!r} are unchanged"), file=said)
            else:
                store.update_assessment(a.id, by=by, bank_set=new,
                                        bank_versions={b.id: b.version for b in new.banks})
                print(safe(f"changed the banks of {a.name!r} (recorded in its history)"), file=said)
            chosen = [store.by_id(a.id)]
        docs = []
        for a in chosen:
            try:
                q = startup.assessment_banks(a, args.questionnaires, store, by=by, say=not args.json)
            except ContentError as exc:  # one assessment's broken bank never hides the others' banks
                if args.name:
                    raise
                docs.append(_unloaded(a, exc.one_line()))
                continue
            docs.append(_doc(q, a, store.bases(a.id)))
    if args.json:
        sys.stdout.write(json.dumps(docs if not args.name else docs[0], indent=2, ensure_ascii=False) + "\n")
        return 0
    if not docs:
        print("no assessments yet: create one with `soc2-tui new NAME [--bank PATH]`")
    for doc in docs:
        _print(doc)
    return 0


def _doc(q: Questionnaire, a: Assessment, bases: dict[str, str]) -> dict[str, Any]:
    from soc2_tui.banks import sets

    against = sets.answered_against(q, bases)
    rows = []
    for ref in a.bank_set.banks:
        meta = q.bank_meta.get(ref.id)
        n = against.get(ref.id, 0)
        if meta is None:
            status = f"not found (it was at {ref.path or 'a place this file does not record'})"
        elif (ref.hash and ref.hash != meta.hash) or ref.version != meta.version:
            status = f"changed since it was added ({sets.versions(ref.version, meta.version)})"
        else:
            status = "unchanged since it was added"
        if n:
            status += f"; changed since {plural(n, 'answer')} were given"
        rows.append({"id": ref.id, "version": meta.version if meta else None, "recorded_version": ref.version,
                     "where": sets.where(q, ref.id) if meta else None, "recorded_path": ref.path,
                     "found": meta is not None, "changed": meta is not None and bool(
                         (ref.hash and ref.hash != meta.hash) or ref.version != meta.version),
                     "answers_given_against_other_content": n, "status": status})
    recorded = {ref.id for ref in a.bank_set.banks}
    for bank in sorted(set(q.bank_meta) - recorded):  # --questionnaires for this command
        rows.append({"id": bank, "version": q.bank_meta[bank].version, "recorded_version": None,
                     "where": sets.where(q, bank), "recorded_path": None, "found": True, "changed": False,
                     "answers_given_against_other_content": against.get(bank, 0),
                     "status": "loaded for this command only (--questionnaires), not part of the assessment"})
    return {"assessment": a.name, "builtin": a.bank_set.builtin, "paths": list(a.bank_set.paths), "banks": rows,
            "bank_error": None}


def _unloaded(a: Assessment, reason: str) -> dict[str, Any]:
    """An assessment whose set does not load: its recorded banks, as recorded, and why."""
    rows = [{"id": ref.id, "version": None, "recorded_version": ref.version, "where": None,
             "recorded_path": ref.path, "found": None, "changed": None, "answers_given_against_other_content": None,
             "status": f"not loaded (recorded at {ref.path or BUILTIN_WORD})"}
            for ref in a.bank_set.banks]
    return {"assessment": a.name, "builtin": a.bank_set.builtin, "paths": list(a.bank_set.paths), "banks": rows,
            "bank_error": reason}


def _print(doc: dict[str, Any]) -> None:
    builtin = "with the built-in banks" if doc["builtin"] else "without the built-in banks"
    print(safe(f"{doc['assessment']!r} ({builtin}):"))
    if doc["bank_error"]:
        print(safe(f"  ⚠ its question banks cannot be loaded: {doc['bank_error']}"))
    for b in doc["banks"]:
        version = b["version"] or b["recorded_version"]
        print(safe(f"  {b['id']} {version}  {b['where'] or '-'}  {b['status']}"))


def _changed(args: argparse.Namespace, a: Assessment) -> BankSet:
    """The assessment's set after --add and --remove (checked: the result loads, and has a bank)."""
    current = a.bank_set
    for path in args.add:
        current = _added(current, path, args.questionnaires)
    for bank in args.remove:
        current = _removed(current, bank, startup.assessment_banks(replace(a, bank_set=current), None))
    if not current.builtin and not current.paths:
        raise UserError("an assessment needs at least one question bank: add another before removing this one")
    q = startup.assessment_banks(replace(a, bank_set=current), None)  # the whole set loads together
    if not q.scored_items:
        raise UserError("the banks left have no control or policy: nothing would be scored")
    return current  # a recorded path not found stays: it is reported, not dropped


def _added(current: BankSet, path: str, cli_dirs: list[str] | None) -> BankSet:
    from soc2_tui.banks import load_questionnaire, sets

    if path == BUILTIN_WORD and not os.path.exists(path):
        q = load_questionnaire()
        refs = {b.id: b for b in current.banks}
        refs.update({r.id: r for r in sets.record(q, True, ()).banks})
        return replace(current, builtin=True, banks=tuple(refs[k] for k in sorted(refs)))
    if not os.path.exists(path):
        raise UserError(f"no such question-bank file or folder: {path}")
    root = sets.absolute(path)
    others = tuple(Path(p) for p in current.paths if p != root and os.path.exists(p))
    q = load_questionnaire(extra=[*others, Path(root)], builtin=current.builtin)  # validated with the others
    fresh = [r for r in sets.record(q, current.builtin, [root]).banks if r.path == root]
    if not fresh:
        raise UserError(f"no question bank found in {path}")
    refs = {b.id: b for b in current.banks}
    refs.update({r.id: r for r in fresh})  # a bank found again elsewhere (moved): its new place
    used = {r.path for r in refs.values()}
    paths = tuple(dict.fromkeys([*(p for p in current.paths if p in used), root]))
    return BankSet(builtin=current.builtin, paths=paths, banks=tuple(refs[k] for k in sorted(refs)))


def _removed(current: BankSet, bank: str, q: Questionnaire) -> BankSet:
    from soc2_tui.banks import sets

    ref = next((b for b in current.banks if b.id == bank), None)
    if ref is None:
        known = ", ".join(b.id for b in current.banks) or "none"
        raise UserError(f"the assessment has no bank {bank!r} (its banks: {known})")
    if sets.where(q, bank) == "built-in":  # the built-in banks come as one: all go
        builtin_ids = {b for b in q.bank_meta if sets.where(q, b) == "built-in"}
        return replace(current, builtin=False, banks=tuple(b for b in current.banks if b.id not in builtin_ids))
    banks = tuple(b for b in current.banks if b.id != bank)
    kept_paths = {b.path for b in banks}
    paths = tuple(p for p in current.paths if p in kept_paths)
    return BankSet(builtin=current.builtin, paths=paths, banks=banks)
