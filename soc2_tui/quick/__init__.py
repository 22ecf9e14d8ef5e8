"""Quick mode: the assessment as plain prompts (questionary), for any terminal.

`soc2-tui quick [NAME] [--section ID] [--only unanswered|gaps] [--as RESPONDENT]`

The only module that imports questionary (it costs about 100 ms of start-up, so `cli` imports
this module inside the `quick` handler only). Every answer is saved the moment it is given;
Ctrl-C at any prompt stops cleanly and running the same command again carries on.

Which questions a run asks (see docs/quick-mode.md):
- no --section, no --only: the unanswered scope questions (offered first), then every
  applicable control and policy item that has no status yet;
- --section ID: every applicable item of that section, starting at the first unanswered one
  ("Back" reaches the earlier ones); on a scope section, every question of it with the current
  answer as the default;
- --only unanswered: only items with no status (and unanswered scope questions);
- --only gaps: only answered items below the target status for the report type (no scope).

Tests drive the real prompts by passing a `Prompter` holding prompt_toolkit input/output.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import date
from pathlib import Path
from typing import Any

from soc2_tui import scope_answers, scoring, startup
from soc2_tui.errors import UserError
from soc2_tui.labels import file_slug, plural, report_type_label, status_label
from soc2_tui.model import PRINCIPLE_LABELS, PRINCIPLES, Answer, Assessment, Item, Questionnaire, Section, parse_date
from soc2_tui.quick.prompter import BACK, GUIDANCE, NEW, NO_REASON, QUIT, SKIP, Choice, Prompter, Separator, Stop
from soc2_tui.quick.texts import POLICY_STATUS_CHOICES, STATUS_CHOICES, STATUS_ORDER, first_sentence

NO_TTY = ("soc2-tui quick needs an interactive terminal; use `soc2-tui import FILE --into NAME` "
          "to load answers from a CSV")


# ----------------------------------------------------------------------------- helpers


def _date_ok(value: str) -> bool | str:
    if not value.strip() or parse_date(value.strip()) is not None:
        return True
    return "Enter a date as YYYY-MM-DD, or leave it empty"


def _number_ok(value: str) -> bool | str:
    if not value.strip():
        return True
    try:
        scope_answers.parse_number(value)
    except ValueError:
        return "Enter a number, or leave it empty"
    return True


def _find_section(q: Questionnaire, wanted: str | None) -> Section | None:
    if not wanted:
        return None
    for s in q.sections:
        if s.id.lower() == wanted.strip().lower():
            return s
    raise UserError(f"no section {wanted!r}; the sections are: {', '.join(s.id for s in q.sections)}")


# ----------------------------------------------------------------------------- the session


class Session:
    def __init__(self, args: argparse.Namespace, q: Questionnaire, p: Prompter):
        self.args = args
        self.q = q
        self.p = p
        self.path = startup.db_path(args.db)
        self.section = _find_section(q, args.section)
        self.only: str | None = args.only
        self.store: Any = None
        self.a: Assessment | None = None
        self.answers: dict[str, Answer] = {}
        self.by = ""
        self.saved = 0  # answers given in this run

    # -- store

    def open_store(self, create: bool) -> Any:
        if self.store is None:
            self.store = startup.open_store(self.args.db, create=create)
        return self.store

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    def refresh(self) -> None:
        assert self.a is not None
        self.a = self.store.by_id(self.a.id)
        self.answers = self.store.answers(self.a.id)

    # -- the run

    def run(self) -> None:
        if self.args.name:
            self.a = self.open_store(create=False).get(self.args.name)
        elif self.path.exists():
            self.open_store(create=False)
        self.by = self.respondent()
        if self.a is None:
            self.a = self.pick()
        self.refresh()
        self.p.say(f"Assessment {self.a.name!r} ({report_type_label(self.a.report_type)}, "
                   + ", ".join(PRINCIPLE_LABELS[k] for k in self.a.principles) + f") in {self.path}.",
                   style="bold")
        self.p.say("Every answer is saved as soon as you give it; press Ctrl-C at any time to stop.")
        self.ask_scope()
        self.ask_items()
        self.finish()

    def respondent(self) -> str:
        given = startup.given_respondent(self.args.respondent)
        if given:
            return given
        name = self.p.text("Your name (saved with every answer you give):", default=startup.login_name())
        return name.strip()

    # -- choosing or creating the assessment

    def pick(self) -> Assessment:
        if self.store is None or not self.store.assessments():
            self.p.say(f"There is no assessment in {self.path} yet, so let's create one.")
            return self.create()
        from soc2_tui.summary import assessment_rows

        rows = assessment_rows(self.q, self.store)
        choices: list[Any] = []
        for r in rows:
            org = f" ({r['organisation']})" if r["organisation"] else ""
            choices.append(Choice(f"{r['name']}{org} · {report_type_label(r['report_type'])} · "
                                  f"{r['answered']}/{r['applicable']} answered", value=r["id"]))
        choices += [Separator(), Choice("Create a new assessment", value=NEW)]
        picked = self.p.select("Which assessment?", choices)
        if picked == NEW:
            return self.create()
        return self.store.by_id(picked)

    def create(self) -> Assessment:
        p = self.p

        def name_ok(value: str) -> bool | str:
            value = value.strip()
            if not value:
                return "The assessment needs a name"
            if len(value) > 200:
                return "Keep the name under 200 characters"
            if self.store is not None and self.store.find(value) is not None:
                return f"There is already an assessment named {value!r}"
            return True

        name = p.text("Name of the new assessment:", validate=name_ok).strip()
        org = p.text("Organisation (optional):").strip()
        report_type = p.select("Report type:", [
            Choice("Type II — controls operating over a period (most customers ask for this)", "type2"),
            Choice("Type I — controls in place at one date", "type1"),
        ])
        extra = p.checkbox(
            "Trust service principles in scope:",
            [Choice(PRINCIPLE_LABELS[k], k, disabled="always included" if k == "security" else None,
                    checked=k == "security") for k in PRINCIPLES],
            instruction="(Space to select, Enter to confirm)",
        )
        start = p.text("Audit period start (YYYY-MM-DD; empty if not decided yet):", validate=_date_ok).strip()
        months = p.select("Audit period length:", [
            Choice("3 months", 3), Choice("6 months", 6), Choice("12 months", 12),
            Choice("Not decided yet", 0),
        ], default=6 if report_type == "type2" else 0)
        store = self.open_store(create=True)
        a = store.create(name, organisation=org, report_type=report_type, principles=["security", *extra],
                         period_start=start or None, period_months=months or None,
                         bank_versions=self.q.banks, by=self.by)
        return a

    # -- scope questions

    def scope_unanswered(self, item: Item) -> bool:
        if item.assessment_field:
            return getattr(self.a, item.assessment_field) is None
        ans = self.answers.get(item.id)
        return ans is None or ans.value is None

    def scope_applies(self, item: Item) -> bool:
        assert self.a is not None
        return scoring.applies(item, self.a.principles, scoring.scope_values(self.a, self.answers))

    def ask_scope(self) -> None:
        """Ask the scope questions this run covers (unanswered ones, or a whole scope section)."""
        if self.only == "gaps":
            return
        if self.section is not None:
            if self.section.kind != "scope":
                return
            review = self.only is None
            items = list(self.section.items)
        else:
            review = False
            items = self.q.scope_items
            todo = [i for i in items if self.scope_unanswered(i) and self.scope_applies(i)]
            if not todo:
                return
            self.p.say()
            self.p.say(f"{plural(len(todo), 'question')} about the scope of the audit "
                       f"{'is' if len(todo) == 1 else 'are'} unanswered. They decide which controls apply.")
            if not self.p.confirm("Answer them now?", default=True):
                return
        shown_section = None
        for item in items:
            if not self.scope_applies(item) or not (review or self.scope_unanswered(item)):
                continue
            if item.section != shown_section:
                shown_section = item.section
                sec = next(s for s in self.q.sections if s.id == item.section)
                self.p.say()
                self.p.say(f"Scope · {sec.title}", style="bold underline")
            self.ask_scope_item(item)

    def scope_current(self, item: Item) -> Any:
        if item.assessment_field:
            value = getattr(self.a, item.assessment_field)
            return list(value) if isinstance(value, tuple) else value
        ans = self.answers.get(item.id)
        return ans.value if ans else None

    def ask_scope_item(self, item: Item) -> None:
        p = self.p
        current = self.scope_current(item)
        p.say()
        p.say(item.title, style="bold")
        p.say(first_sentence(item.guidance), style="dim", indent=2)
        message = item.question
        value: Any = None
        if item.type == "bool":
            value = p.confirm(message, default=bool(current) if current is not None else False)
        elif item.type == "choice":
            choices: list[Any] = [Choice(o.label, o.value) for o in item.options]
            if current is None:
                choices += [Separator(), Choice("Skip", SKIP)]
            known = current in [o.value for o in item.options]
            value = p.select(message, choices, default=current if known else None)
            if value == SKIP:
                return
        elif item.type == "multi":
            chosen = set(current or [])
            if item.assessment_field == "principles":
                chosen.add("security")
            value = p.checkbox(message, [
                Choice(o.label, o.value, checked=o.value in chosen,
                       disabled=NO_REASON if item.assessment_field == "principles" and o.value == "security" else None)
                for o in item.options], instruction="(Space to select, Enter to confirm)")
            if not value:
                p.say("None of these.", style="dim", indent=2)
        elif item.type == "date":
            text = p.text(f"{message} (YYYY-MM-DD; empty to skip)", default=current or "",
                          validate=_date_ok).strip()
            if not text:
                return
            value = parse_date(text).isoformat()  # type: ignore[union-attr]
        elif item.type == "number":
            text = p.text(f"{message} (empty to skip)", default="" if current is None else str(current),
                          validate=_number_ok).strip()
            if not text:
                return
            value = scope_answers.parse_number(text)
        elif item.type == "list":
            text = p.text(f"{message} (separate entries with ';'; empty to skip)",
                          default="; ".join(current or []))
            value = scope_answers.parse_list(text)
            if not value:
                return
        else:  # text, longtext
            value = p.text(f"{message} (empty to skip)", default=current or "").strip()
            if not value:
                return
        self.save_scope(item, value)

    def save_scope(self, item: Item, value: Any) -> None:
        assert self.a is not None
        if item.assessment_field:
            if value != self.scope_current(item):
                self.store.update_assessment(self.a.id, by=self.by, **{item.assessment_field: value})
                self.saved += 1
        elif value != self.scope_current(item):
            self.store.set_answer(self.a.id, item.id, by=self.by, value=value)
            self.saved += 1
        self.refresh()

    # -- control and policy items

    def is_gap(self, item: Item) -> bool:
        assert self.a is not None
        ans = self.answers.get(item.id)
        return scoring.is_gap(ans.status if ans else None, self.a.report_type)

    def status_of(self, item: Item) -> str | None:
        ans = self.answers.get(item.id)
        return ans.status if ans else None

    def item_list(self) -> tuple[list[Item], int]:
        """The items of this run and where to start."""
        assert self.a is not None
        items = scoring.applicable_items(self.q, self.a, self.answers)
        if self.section is not None:
            items = [i for i in items if i.section == self.section.id]
        if self.only == "gaps":
            return [i for i in items if self.is_gap(i)], 0
        if self.only == "unanswered" or self.section is None:
            return [i for i in items if self.status_of(i) is None], 0
        start = next((n for n, i in enumerate(items) if self.status_of(i) is None), 0)
        return items, start

    def ask_items(self) -> None:
        assert self.a is not None
        if self.section is not None and self.section.kind == "scope":
            return
        items, start = self.item_list()
        where = f"in {self.section.id}" if self.section else f"in {self.a.name!r}"
        p = self.p
        p.say()
        if not items:
            if self.only == "gaps":
                target = status_label(scoring.TARGET[self.a.report_type]).lower()
                p.say(f"No gaps {where}: every answered question is at the {report_type_label(self.a.report_type)} "
                      f"target ({target}) or not applicable.")
            elif self.section is not None and self.only is None:
                p.say(f"No question {where} applies to this assessment.")
            else:
                p.say(f"Every applicable question {where} is answered. "
                      "Use --only gaps to revisit the gaps, or --section ID to review a section.")
            return
        if self.only == "gaps":
            p.say(f"{plural(len(items), 'gap')} to revisit {where}.")
        elif self.section is not None and self.only is None and start == 0 \
                and self.status_of(items[0]) is not None:
            p.say(f"Every question {where} is answered already; going through them again "
                  "(Enter keeps the current answer).")
        else:
            todo = sum(1 for i in items if self.status_of(i) is None)
            p.say(f"{plural(todo, 'question')} to answer {where}.")
        n = start
        while n < len(items):
            action = self.ask_item(items[n], n, len(items))
            if action == QUIT:
                return
            n = max(0, n - 1) if action == BACK else n + 1

    def ask_item(self, item: Item, n: int, total: int) -> str:
        """Ask one item; returns QUIT, BACK, SKIP or the status given."""
        assert self.a is not None
        p = self.p
        p.say()
        p.say(f"[{n + 1}/{total}] {item.id} · {item.title}", style="bold")
        p.say(item.question, indent=2)
        p.say(first_sentence(item.guidance), style="dim", indent=2)
        ans = self.answers.get(item.id)
        if ans is not None and ans.status is not None:
            who = f" ({ans.answered_by})" if ans.answered_by else ""
            p.say(f"Current answer{who}: {status_label(ans.status)}"
                  + (f" — note: {ans.notes}" if ans.notes else ""), style="italic", indent=2)
        labels = POLICY_STATUS_CHOICES if item.kind == "policy" else STATUS_CHOICES
        choices: list[Any] = [Choice(labels[s], s) for s in STATUS_ORDER]
        choices.append(Separator())
        choices.append(Choice("Skip", SKIP, shortcut_key="s"))
        if n > 0:
            choices.append(Choice("Back", BACK, shortcut_key="b"))
        choices.append(Choice("Show guidance and evidence", GUIDANCE, shortcut_key="g"))
        choices.append(Choice("Save and quit", QUIT, shortcut_key="q"))
        current = ans.status if ans else None
        while True:
            picked = p.select("Status:", choices, default=current, shortcuts=True,
                              instruction="(number or letter, or arrow keys; then Enter)")
            if picked == GUIDANCE:
                self.show_details(item)
                continue
            break
        if picked in (SKIP, BACK, QUIT):
            return picked
        if picked != current:
            self.store.set_answer(self.a.id, item.id, by=self.by, status=picked)
            self.saved += 1
        old_note = ans.notes if ans else ""
        if picked == "not_applicable":
            note = p.text("Why is it not applicable? (an auditor will ask)", default=old_note).strip()
            if not note:
                p.say("No reason given: reports will flag this item until a note says why.",
                      style="yellow", indent=2)
        else:
            note = p.text("Note (optional):", default=old_note).strip()
        if note != old_note:
            self.store.set_answer(self.a.id, item.id, by=self.by, notes=note)
            if picked == current:
                self.saved += 1
        self.refresh()
        return picked

    def show_details(self, item: Item) -> None:
        p = self.p
        p.say()
        p.say("Guidance", style="bold", indent=2)
        p.say(item.guidance, indent=4)
        if item.purpose:
            p.say("Purpose of the policy", style="bold", indent=2)
            p.say(item.purpose, indent=4)
        if item.contents:
            p.say("What the policy should cover", style="bold", indent=2)
            for line in item.contents:
                p.say(f"• {line}", indent=4, hang=2)
        if item.evidence:
            p.say("Evidence an auditor will ask for", style="bold", indent=2)
            for line in item.evidence:
                p.say(f"• {line}", indent=4, hang=2)
        if item.remediation:
            p.say("How to close the gap", style="bold", indent=2)
            p.say(item.remediation, indent=4)
        facts = [f"Criteria {', '.join(item.criteria)}", f"severity {item.severity}", f"effort {item.effort}"]
        if item.frequency:
            facts.append(f"runs {item.frequency.replace('_', ' ')}")
        p.say(" · ".join(facts), style="dim", indent=2)
        p.say()

    # -- the end

    def finish(self) -> None:
        from soc2_tui.reports.console import score_table

        assert self.a is not None
        self.refresh()
        result = scoring.score(self.q, self.a, self.answers, today=date.today())
        p = self.p
        p.say()
        if self.saved:
            p.say(f"{plural(self.saved, 'answer')} saved in {self.path} this time.")
        else:
            p.say(f"No answers changed in {self.path} this time.")
        p.say()
        p.show(score_table(self.a, result))
        left = len(result.not_assessed)
        if left:
            command = "soc2-tui " + (f"--db {shlex.quote(self.args.db)} " if self.args.db else "")
            command += f"quick {shlex.quote(self.a.name)}"
            p.say(f"{plural(left, 'applicable question')} still {'has' if left == 1 else 'have'} "
                  "no answer; to go through them, run:")
            p.say(command, indent=2, wrap=False)
        p.say()
        self.offer_report()

    def offer_report(self) -> None:
        from soc2_tui.reports import markdown

        assert self.a is not None
        p = self.p
        if not p.confirm("Write the gap report as a Markdown file?", default=True):
            return
        path = Path(p.text("File name:", default=f"{file_slug(self.a.name)}-gap-report.md",
                           validate=lambda v: bool(v.strip()) or "Enter a file name").strip())
        force = False
        if path.exists() and not path.is_dir():
            if not p.confirm(f"{path} already exists. Overwrite it?", default=False):
                p.say("Report not written.")
                return
            force = True
        history = markdown.report_history(self.store, self.a.id) if self.store is not None else ()
        text = markdown.render(self.q, self.a, self.answers, today=date.today(), history=history)
        from soc2_tui.files import write_text_atomic

        try:
            write_text_atomic(path, text, force=force)
        except UserError as exc:
            p.say(f"Report not written: {exc}", style="red")
            return
        p.say(f"Wrote the gap report to {path}.")


# ----------------------------------------------------------------------------- entry point


def run(args: argparse.Namespace, prompter: Prompter | None = None) -> int:
    """`soc2-tui quick`; returns the exit code."""
    if prompter is None:
        if not sys.stdin.isatty():
            print(NO_TTY, file=sys.stderr)
            return 2
        prompter = Prompter()
    session = None
    try:
        session = Session(args, startup.load_banks(args.questionnaires), prompter)
        session.run()
    except (Stop, KeyboardInterrupt):
        path = session.path if session else args.db
        saved = session.saved if session else 0
        what = f"{plural(saved, 'answer')} saved in" if saved else "Nothing changed in"
        prompter.say(f"Stopped. {what} {path}; run the same command to continue.", wrap=False)
        return 0
    except UserError as exc:
        print(f"soc2-tui: error: {exc}", file=sys.stderr)
        return exc.exit_code
    finally:
        if session is not None:
            session.close()
    return 0
