"""`soc2-tui disagreements NAME [--json]`: items whose status respondents set differently since
they were last resolved, with who said what and when; `--resolve ITEM --note TEXT [--status S]`
marks one resolved (answering again first when --status is given). docs/cli.md has the JSON shape."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from soc2_tui import startup
from soc2_tui.cli.commands import _banks_of, _store
from soc2_tui.errors import UserError
from soc2_tui.labels import plural, status_from_word, status_label, truncate
from soc2_tui.model import STATUSES, Disagreement, Questionnaire
from soc2_tui.terminal import safe


def cmd_disagreements(args: argparse.Namespace) -> int:
    if args.resolve is None and (args.note is not None or args.status is not None):
        raise UserError("--note and --status go with --resolve ITEM")
    with _store(args, create=False) as store:
        a = store.get(args.name)
        q = _banks_of(args, store, a)
        if args.resolve is not None:
            return _resolve(args, q, store, a.id, a.name)
        found = store.disagreements(a.id)
    if args.json:
        doc = {"assessment": a.name, "disagreements": [_record(q, d) for d in found]}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return 0
    # Every text is made safe before it is padded, so the columns line up on a terminal.
    lines = [safe(f"{plural(len(found), 'unresolved disagreement')} in {a.name!r} (times in UTC)")]
    for d in found:
        item = q.items.get(d.item_id)
        lines.append(safe(f"{d.item_id}  {item.title if item else '(no longer in the question bank)'}"))
        for p in d.positions:
            who, said = safe(p.respondent or "(unnamed)"), safe(_shown(q, d, p.value))
            lines.append(f"  {truncate(who, 24):<24} {truncate(said, 30):<30} {safe(p.at[:16].replace('T', ' '))}")
    if found:
        lines.append(safe(f"resolve one with: soc2-tui disagreements {a.name!r} --resolve ITEM "
                          "--note 'what was agreed'"))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _resolve(args: argparse.Namespace, q: Questionnaire, store: Any, aid: int, name: str) -> int:
    if not (args.note or "").strip():
        raise UserError("--resolve needs --note: what was agreed (it goes into the audit trail)")
    wanted = args.resolve.strip().casefold()
    item_id = next((k for k in q.items if k.casefold() == wanted), args.resolve.strip())
    changes: dict[str, Any] = {}
    if args.status is not None:
        item = q.items.get(item_id)
        policy = item is not None and item.kind == "policy"
        status = args.status if args.status in STATUSES else status_from_word(args.status, policy)
        if status is None:
            raise UserError(f"bad --status {safe(args.status)!r} (expected one of: {', '.join(STATUSES)})")
        changes["status"] = status
    by = startup.respondent(args.respondent)
    answer = store.resolve(aid, item_id, args.note, by=by, **changes)
    now = f" (status now {status_label(answer.status)})" if changes else ""
    print(safe(f"resolved the disagreement on {item_id} in {name!r}{now}"))
    return 0


def _record(q: Questionnaire, d: Disagreement) -> dict[str, Any]:
    item = q.items.get(d.item_id)
    return {"item": d.item_id, "title": item.title if item else None, "field": d.field,
            "resolved_at": d.resolved_at,
            "positions": [{"respondent": p.respondent, "value": p.value, "at": p.at} for p in d.positions]}


def _shown(q: Questionnaire, d: Disagreement, value: Any) -> str:
    if d.field == "status":
        item = q.items.get(d.item_id)
        return status_label(value, item is not None and item.kind == "policy")
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
