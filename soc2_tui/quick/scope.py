"""The scope questions: which ones a run asks, one prompt per answer type, and saving the answer.

Scope answers are typed, checked and stored as scope_answers defines them; an item with a
`field:` (principles, report type, audit period) is stored on the assessment itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from soc2_tui import scope_answers, scoring
from soc2_tui.labels import plural
from soc2_tui.model import Item
from soc2_tui.quick.prompter import NO_REASON, SKIP, Choice, Prompter, Separator
from soc2_tui.quick.texts import first_sentence

if TYPE_CHECKING:
    from soc2_tui.quick.session import Session


def current(s: Session, item: Item) -> Any:
    """The answer `item` has now (the assessment's own field for a `field:` item); None if none."""
    if item.assessment_field:
        return s.a.scope_fields[item.assessment_field]
    ans = s.answers.get(item.id)
    return ans.value if ans else None


def unanswered(s: Session, item: Item) -> bool:
    return current(s, item) is None


def applies(s: Session, item: Item) -> bool:
    return scoring.applies(item, s.a.principles, scoring.scope_values(s.q, s.a, s.answers))


def ask_scope(s: Session) -> None:
    """Ask the scope questions this run covers (unanswered ones, or a whole scope section)."""
    if s.only == "gaps":
        return
    if s.section is not None:
        if s.section.kind != "scope":
            return
        review = s.only is None
        items = list(s.section.items)
    else:
        review = False
        items = s.q.scope_items
        if not _offer(s, items):
            return
    shown_section = None
    for item in items:
        # Asked in turn: an answer can make a later question apply (conditions follow answers).
        if not applies(s, item) or not (review or unanswered(s, item)):
            continue
        if item.section != shown_section:
            shown_section = item.section
            sec = next(sec for sec in s.q.sections if sec.id == item.section)
            s.p.say()
            s.p.say(f"Scope · {sec.title}", style="bold underline")
        ask_item(s, item)


def _offer(s: Session, items: Sequence[Item]) -> bool:
    """Say how many scope questions are open and ask whether to answer them now (False: none open)."""
    todo = [i for i in items if unanswered(s, i) and applies(s, i)]
    if not todo:
        return False
    s.p.say()
    s.p.say(f"{plural(len(todo), 'question')} about the scope of the audit "
            f"{'is' if len(todo) == 1 else 'are'} unanswered. They decide which controls apply.")
    return s.p.confirm("Answer them now?", default=True)


def ask_item(s: Session, item: Item) -> None:
    """Show one scope question, ask it in the prompt of its type and save the answer (if any)."""
    s.p.say()
    s.p.say(item.title, style="bold")
    if item.guidance:
        s.p.say(first_sentence(item.guidance), style="dim", indent=2)
    ask = _ASK.get(item.type, _ask_text)  # text, longtext
    value = ask(s.p, item, current(s, item))
    if value != SKIP:
        save(s, item, value)


def save(s: Session, item: Item, value: Any) -> None:
    """Store `value` when it differs from the current answer (counted as saved), then read again."""
    if value != current(s, item):
        if item.assessment_field:
            s.store.update_assessment(s.a.id, by=s.by, **{item.assessment_field: value})
        else:
            s.store.set_answer(s.a.id, item.id, by=s.by, value=value)
        s.saved += 1
    s.refresh()


# -- one prompt per answer type: each returns the value to store, or SKIP


def _ask_bool(p: Prompter, item: Item, current: Any) -> Any:
    return p.confirm(item.question, default=bool(current) if current is not None else False)


def _ask_choice(p: Prompter, item: Item, current: Any) -> Any:
    choices: list[Any] = [Choice(o.label, o.value) for o in item.options]
    if current is None:
        choices += [Separator(), Choice("Skip", SKIP)]
    known = current in [o.value for o in item.options]
    return p.select(item.question, choices, default=current if known else None)


def _ask_multi(p: Prompter, item: Item, current: Any) -> Any:
    principles = item.assessment_field == "principles"  # Security is always in scope
    chosen = set(current or [])
    if principles:
        chosen.add("security")
    value = p.checkbox(item.question, [
        Choice(o.label, o.value, checked=o.value in chosen,
               disabled=NO_REASON if principles and o.value == "security" else None)
        for o in item.options], instruction="(Space to select, Enter to confirm)",
        validate=lambda chosen: scope_answers.problem(item, list(chosen)) or True)
    if not value:  # not the same as the "none of these" choice some questions offer
        has_none = any(o.value == "none" for o in item.options)
        p.say("Nothing chosen." + (" If none of them applies, choose “None of these”." if has_none else ""),
              style="dim", indent=2)
    return value


def _ask_date(p: Prompter, item: Item, current: Any) -> Any:
    text = p.text(f"{item.question} (YYYY-MM-DD; empty to skip)", default=current or "",
                  validate=_parses(item, "Enter a date as YYYY-MM-DD, or leave it empty"))
    return _parsed(item, text)


def _ask_number(p: Prompter, item: Item, current: Any) -> Any:
    text = p.text(f"{item.question} (empty to skip)", default="" if current is None else str(current),
                  validate=_parses(item, "Enter a number, or leave it empty"))
    return _parsed(item, text)


def _ask_list(p: Prompter, item: Item, current: Any) -> Any:
    text = p.text(f"{item.question} (separate entries with ';'; empty to skip)",
                  default="; ".join(current or []))
    return scope_answers.parse_list(text) or SKIP


def _ask_text(p: Prompter, item: Item, current: Any) -> Any:
    return p.text(f"{item.question} (empty to skip)", default=current or "").strip() or SKIP


_ASK: dict[str, Callable[[Prompter, Item, Any], Any]] = {
    "bool": _ask_bool, "choice": _ask_choice, "multi": _ask_multi, "date": _ask_date,
    "number": _ask_number, "list": _ask_list,
}


def _parses(item: Item, hint: str) -> Callable[[str], bool | str]:
    """A prompt validator: True when the text is empty or parses as `item`'s answer, else `hint`."""
    def ok(text: str) -> bool | str:
        try:
            scope_answers.parse_text(item, text)
        except ValueError:
            return hint
        return True
    return ok


def _parsed(item: Item, text: str) -> Any:
    """The typed text as `item`'s answer (scope_answers.parse_text); SKIP when it is empty."""
    value = scope_answers.parse_text(item, text)
    return SKIP if value is None else value
