"""The control and policy questions: which ones a run asks, and the status prompt for each.

The loop moves on after an answer or a skip, goes back one on "Back" and ends on "Save and
quit"; every status and note is saved the moment it is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from soc2_tui import scoring
from soc2_tui.labels import NOT_PROVIDED, STATUS_KEYS, plural, provided, report_type_label, status_label
from soc2_tui.model import Answer, Item
from soc2_tui.quick.prompter import BACK, GUIDANCE, QUIT, SKIP, Choice, Prompter, Separator
from soc2_tui.quick.texts import POLICY_STATUS_CHOICES, STATUS_CHOICES, STATUS_ORDER, first_sentence

if TYPE_CHECKING:
    from soc2_tui.quick.session import Session


def status_of(s: Session, item: Item) -> str | None:
    ans = s.answers.get(item.id)
    return ans.status if ans else None


def is_gap(s: Session, item: Item) -> bool:
    return scoring.is_gap(status_of(s, item), s.a.report_type)


def item_list(s: Session) -> tuple[list[Item], int]:
    """The items of this run and where to start."""
    items = scoring.applicable_items(s.q, s.a, s.answers)
    if s.section is not None:
        items = [i for i in items if i.section == s.section.id]
    if s.only == "gaps":
        return [i for i in items if is_gap(s, i)], 0
    if s.only == "unanswered" or s.section is None:
        return [i for i in items if status_of(s, i) is None], 0
    start = next((n for n, i in enumerate(items) if status_of(s, i) is None), 0)
    return items, start


def ask_items(s: Session) -> None:
    """Go through the items of this run, from its starting point, until the end or "Save and quit"."""
    if s.section is not None and s.section.kind == "scope":
        return
    items, start = item_list(s)
    s.p.say()
    if not _introduce(s, items, start):
        return
    n = start
    while n < len(items):
        action = ask_item(s, items[n], n, len(items))
        if action == QUIT:
            return
        n = max(0, n - 1) if action == BACK else n + 1


def _introduce(s: Session, items: list[Item], start: int) -> bool:
    """Say what this run will go through; False (having said why) when there is nothing to ask."""
    p = s.p
    where = f"in {s.section.id}" if s.section else f"in {s.a.name!r}"
    if not items:
        if s.only == "gaps":
            target = status_label(scoring.TARGET[s.a.report_type]).lower()
            p.say(f"No gaps {where}: every answered question is at the {report_type_label(s.a.report_type)} "
                  f"target ({target}) or not applicable.")
        elif s.section is not None and s.only is None:
            p.say(f"No question {where} applies to this assessment.")
        else:
            p.say(f"Every applicable question {where} is answered. "
                  "Use --only gaps to revisit the gaps, or --section ID to review a section.")
        return False
    if s.only == "gaps":
        p.say(f"{plural(len(items), 'gap')} to revisit {where}.")
    elif s.section is not None and s.only is None and start == 0 and status_of(s, items[0]) is not None:
        p.say(f"Every question {where} is answered already; going through them again "
              "(Enter keeps the current answer).")
    else:
        todo = sum(1 for i in items if status_of(s, i) is None)
        p.say(f"{plural(todo, 'question')} to answer {where}.")
    return True


def ask_item(s: Session, item: Item, n: int, total: int) -> str:
    """Ask item `n` of `total`; returns QUIT, BACK, SKIP or the status given."""
    ans = s.answers.get(item.id)
    _show(s.p, item, n, total, ans)
    current = ans.status if ans else None
    choices = _choices(item, first=n == 0)
    while True:
        picked = s.p.select("Status:", choices, default=current, shortcuts=True, aliases=STATUS_DIGITS,
                            instruction="(letter, or arrow keys; then Enter)")
        if picked != GUIDANCE:
            break
        show_details(s.p, item)
    if picked not in (SKIP, BACK, QUIT):
        _save(s, item, picked, ans)
    return picked


def _show(p: Prompter, item: Item, n: int, total: int, ans: Answer | None) -> None:
    """The question, its one-line guidance and the current answer (if any)."""
    p.say()
    p.say(f"[{n + 1}/{total}] {item.id} · {item.title}", style="bold")
    p.say(item.question, indent=2)
    if item.guidance:
        p.say(first_sentence(item.guidance), style="dim", indent=2)
    if ans is not None and ans.status is not None:
        who = f" ({ans.answered_by})" if ans.answered_by else ""
        p.say(f"Current answer{who}: {status_label(ans.status)}"
              + (f" — note: {ans.notes}" if ans.notes else ""), style="italic", indent=2)


# The statuses answer to the app's letters (o i w n x, shown) and, as they did before, to 1 to 5.
STATUS_DIGITS = {str(n): status for n, status in enumerate(STATUS_ORDER, 1)}


def _choices(item: Item, first: bool) -> list[Any]:
    """The statuses (with their meaning for a control or a policy), then the actions."""
    texts = POLICY_STATUS_CHOICES if item.kind == "policy" else STATUS_CHOICES
    choices: list[Any] = [Choice(texts[s], s, shortcut_key=STATUS_KEYS[s]) for s in STATUS_ORDER]
    choices.append(Separator())
    choices.append(Choice("Skip", SKIP, shortcut_key="s"))
    if not first:
        choices.append(Choice("Back", BACK, shortcut_key="b"))
    choices.append(Choice("Show guidance and evidence", GUIDANCE, shortcut_key="g"))
    choices.append(Choice("Save and quit", QUIT, shortcut_key="q"))
    return choices


def _save(s: Session, item: Item, picked: str, ans: Answer | None) -> None:
    """Store the status picked, then ask for the note (a reason, for not applicable) and store it.

    A changed status counts as one answer saved; a changed note alone counts as one too."""
    p = s.p
    current = ans.status if ans else None
    if picked != current:
        s.store.set_answer(s.a.id, item.id, by=s.by, status=picked)
        s.saved += 1
    old_note = ans.notes if ans else ""
    if picked == "not_applicable":
        note = p.text("Why is it not applicable? (an auditor will ask)", default=old_note).strip()
        if not note:
            p.say("No reason given: reports will flag this item until a note says why.",
                  style="yellow", indent=2)
    else:
        note = p.text("Note (optional):", default=old_note).strip()
    if note != old_note:
        s.store.set_answer(s.a.id, item.id, by=s.by, notes=note)
        if picked == current:
            s.saved += 1
    s.refresh()


def show_details(p: Prompter, item: Item) -> None:
    """Everything the bank says about the item: guidance, policy contents, evidence, remediation."""
    p.say()
    p.say("Guidance", style="bold", indent=2)
    p.say(provided(item.guidance), indent=4)
    if item.purpose:
        p.say("Purpose of the policy", style="bold", indent=2)
        p.say(item.purpose, indent=4)
    if item.contents:
        p.say("What the policy should cover", style="bold", indent=2)
        for line in item.contents:
            p.say(f"• {line}", indent=4, hang=2)
    p.say("Evidence an auditor will ask for", style="bold", indent=2)
    for line in item.evidence or (NOT_PROVIDED,):
        p.say(f"• {line}" if item.evidence else line, indent=4, hang=2)
    p.say("How to close the gap", style="bold", indent=2)
    p.say(provided(item.remediation), indent=4)
    facts = [f"Criteria {', '.join(item.criteria)}", f"severity {item.severity}",
             f"effort {item.effort or NOT_PROVIDED}"]
    if item.frequency:
        facts.append(f"runs {item.frequency.replace('_', ' ')}")
    p.say(" · ".join(facts), style="dim", indent=2)
    p.say()
