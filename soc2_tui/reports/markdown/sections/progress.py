"""Progress since a snapshot (only with `--compare`): the score change per principle, the gaps
closed and opened, and every answer changed since the snapshot was taken."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from soc2_tui.labels import fmt_score, plural
from soc2_tui.model import PRINCIPLE_LABELS, PRINCIPLES, Change
from soc2_tui.reports.markdown.context import ReportContext
from soc2_tui.reports.markdown.text import change_text, item_ref, scope_value_text, stamp, status_label, title_text
from soc2_tui.reports.tables import esc, esc_or_dash, shorten, table

MAX_CHANGES = 200  # rows in "Answers changed" before the rest is summarised


def render(ctx: ReportContext) -> str | None:
    snap = ctx.compare
    if snap is None:
        return None
    data = snap.get("data") or {}
    then = data.get("scores") or {}
    label = (snap.get("label") or "").strip()
    sid = snap.get("id")
    created = str(snap.get("created_at") or "")
    name = esc(label) if label else f"snapshot #{sid}"
    o_then = (then.get("overall") or {}).get("score")
    o_now = ctx.result.overall.score
    intro = (f"Snapshot #{sid}{' (' + esc(label) + ')' if label else ''} was taken on {stamp(created)} UTC. "
             f"Overall readiness: {fmt_score(o_then)} then, {fmt_score(o_now)} now "
             f"({change_text(o_then, o_now)}).")
    if data.get("answers_hash") and data.get("answers_hash") == ctx.answers_hash:
        intro += " The answers are the same as in the snapshot."
    out = [f"## Progress since {name} ({esc(created[:10]) or 'undated'})", intro, _score_table(ctx, then)]
    out += _gap_changes(ctx, data)
    out += _answers_changed(ctx, created)
    return "\n\n".join(out)


def _score_table(ctx: ReportContext, then: Mapping[str, Any]) -> str:
    """Then, now and the change, per principle in scope at either time, then overall."""
    then_p = then.get("principles") or {}
    now_p = ctx.result.principles
    rows = []
    for p in PRINCIPLES:
        if p not in then_p and p not in now_p:
            continue
        t = (then_p.get(p) or {}).get("score")
        n = now_p[p].score if p in now_p else None
        rows.append([PRINCIPLE_LABELS[p], fmt_score(t), fmt_score(n), change_text(t, n)])
    o_then = (then.get("overall") or {}).get("score")
    o_now = ctx.result.overall.score
    rows.append(["**Overall**", fmt_score(o_then), fmt_score(o_now), change_text(o_then, o_now)])
    return table(["Principle", "Then", "Now", "Change"], rows, "lrrr")


def _gap_changes(ctx: ReportContext, data: Mapping[str, Any]) -> list[str]:
    """The "Gaps closed" and "Gaps opened" sub-sections."""
    then = data.get("scores") or {}
    then_gaps = {g["id"]: g for g in then.get("gaps") or [] if isinstance(g, dict) and "id" in g}
    now_gaps = {g.item.id: g for g in ctx.result.gaps}
    closed = [gid for gid in then_gaps if gid not in now_gaps]
    opened = [gid for gid in now_gaps if gid not in then_gaps]
    out = [f"### Gaps closed ({len(closed)})"]
    if closed:
        rows = []
        for gid in closed:
            item = ctx.q.items.get(gid)
            title = item.title if item else then_gaps[gid].get("title", "")
            if item is not None and gid not in ctx.result.applicable_ids:
                now_text = "no longer in scope"
            elif item is None:
                now_text = "no longer in the question bank"
            else:
                now_text = status_label(item, ctx.ans(gid).status)
            rows.append([esc(gid), esc_or_dash(title), esc(status_label(item, then_gaps[gid].get("status"))),
                         esc(now_text)])
        out.append(table(["Id", "Title", "Then", "Now"], rows))
    else:
        out.append("None.")
    out.append(f"### Gaps opened ({len(opened)})")
    if opened:
        then_answers = data.get("answers") or {}
        rows = []
        for gid in opened:
            g = now_gaps[gid]
            before = (then_answers.get(gid) or {}).get("status")
            rows.append([esc(gid), title_text(g.item), esc(status_label(g.item, before)),
                         esc(status_label(g.item, g.status))])
        out.append(table(["Id", "Title", "Then", "Now"], rows))
    else:
        out.append("None.")
    return out


def _answers_changed(ctx: ReportContext, created: str) -> list[str]:
    """The "Answers changed" sub-section: history rows written after the snapshot, oldest first."""
    changes = [c for c in ctx.history if c.changed_at > created and c.field != "created"]
    out = [f"### Answers changed ({len(changes)})"]
    if not changes:
        out.append("No answer has changed since the snapshot.")
        return out
    items = {c.item_id for c in changes}
    out.append(f"{plural(len(changes), 'change')} to {plural(len(items), 'item')} since the snapshot, "
               "oldest first (times in UTC).")
    rows = [[stamp(c.changed_at), esc_or_dash(c.changed_by), _change_item(ctx, c.item_id), esc(c.field),
             esc_or_dash(_change_value(ctx, c, c.old)), esc_or_dash(_change_value(ctx, c, c.new))]
            for c in changes[:MAX_CHANGES]]
    out.append(table(["When", "Who", "Item", "Field", "From", "To"], rows))
    if len(changes) > MAX_CHANGES:
        out.append(f"… and {len(changes) - MAX_CHANGES} more: run `soc2-tui history` for all of them.")
    return out


def _change_item(ctx: ReportContext, item_id: str) -> str:
    if item_id == "@assessment":
        return "assessment"
    item = ctx.q.items.get(item_id)
    return item_ref(item) if item is not None else esc(item_id)


def _change_value(ctx: ReportContext, c: Change, raw: Any) -> str:
    """An old or new value of a history row as plain text (escape it before use)."""
    if raw is None:
        return ""
    item = ctx.q.items.get(c.item_id)
    if c.field == "status":
        return status_label(item, raw)
    if c.field == "flagged":
        return "yes" if str(raw) == "1" else "no"
    if c.field == "value" and item is not None:
        try:
            value = json.loads(raw)
        except (TypeError, ValueError):
            value = raw
        return shorten(scope_value_text(item, value), 60)
    if c.field == "principles":
        try:
            return ", ".join(PRINCIPLE_LABELS.get(p, str(p)) for p in json.loads(raw))
        except (TypeError, ValueError, AttributeError):
            return shorten(raw, 60)
    return shorten(raw, 60)
