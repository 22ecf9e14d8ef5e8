"""One run of quick mode: the assessment file, who is answering, and which assessment.

A `Session` holds what every step of the run reads: the arguments, the question banks, the
prompter, the open store, the assessment and its answers as last read, and how many answers this
run saved. `start` opens the file, asks who is answering and picks or creates the assessment;
the steps after it (scope, items, closing) take the session as their first argument.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from soc2_tui import startup
from soc2_tui.errors import UserError
from soc2_tui.labels import report_type_label
from soc2_tui.model import PRINCIPLE_LABELS, PRINCIPLES, Answer, Assessment, Questionnaire, Section, parse_date
from soc2_tui.quick import closing
from soc2_tui.quick.prompter import NEW, Choice, Prompter, Separator

if TYPE_CHECKING:
    from soc2_tui.store import Store


def find_section(q: Questionnaire, wanted: str | None) -> Section | None:
    """The section --section names (any case); None without one; a UserError for an unknown one."""
    if not wanted:
        return None
    for s in q.sections:
        if s.id.lower() == wanted.strip().lower():
            return s
    raise UserError(f"no section {wanted!r}; the sections are: {', '.join(s.id for s in q.sections)}")


def date_ok(value: str) -> bool | str:
    """Validates a typed date: True for YYYY-MM-DD or nothing, else what to type instead."""
    if not value.strip() or parse_date(value.strip()) is not None:
        return True
    return "Enter a date as YYYY-MM-DD, or leave it empty"


class Session:
    def __init__(self, args: argparse.Namespace, q: Questionnaire, p: Prompter):
        self.args = args
        self.q = q
        self.p = p
        self.path = startup.db_path(args.db)
        self.section: Section | None = None  # --section, checked against the assessment's own banks (use_banks)
        self.only: str | None = args.only
        self._store: Store | None = None
        self._a: Assessment | None = None
        self.answers: dict[str, Answer] = {}
        self.by = ""
        self.saved = 0  # answers given in this run

    # -- store

    @property
    def store(self) -> Store:
        """The open assessment file; every step after `start` has one."""
        if self._store is None:
            raise RuntimeError("the assessment file is not open yet")
        return self._store

    @property
    def a(self) -> Assessment:
        """The assessment being answered, as last read; every step after `start` has one."""
        if self._a is None:
            raise RuntimeError("no assessment chosen yet")
        return self._a

    def open_store(self, create: bool) -> Store:
        if self._store is None:
            self._store = startup.open_store(self.args.db, create=create)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def refresh(self) -> None:
        """Read the assessment and its answers again, after a change; an item answered again
        against the loaded bank leaves the "criteria moved" warnings (the summary, the report)."""
        from soc2_tui.banks import sets

        self._a = self.store.by_id(self.a.id)
        self.answers = self.store.answers(self.a.id)
        self.q = sets.refreshed(self.q, lambda: self.store.bases(self.a.id))

    # -- the start of a run

    def start(self) -> None:
        """Open the assessment file, learn who is answering and choose (or create) the assessment."""
        if self.args.name:
            self._a = self.open_store(create=False).get(self.args.name)
        elif self.path.exists():
            self.open_store(create=False)
        self.by = self.respondent()
        if self._a is None:
            self._a = self.pick()
        self.refresh()
        self.use_banks()
        self.p.say(f"Assessment {self.a.name!r} ({report_type_label(self.a.report_type)}, "
                   + ", ".join(PRINCIPLE_LABELS[k] for k in self.a.principles) + f") in {self.path}.",
                   style="bold")
        self.p.say("Every answer is saved as soon as you give it; press Ctrl-C at any time to stop.")

    def respondent(self) -> str:
        given = startup.given_respondent(self.args.respondent)
        if given:
            return given
        name = self.p.text("Your name (saved with every answer you give):", default=startup.login_name())
        return startup.check_respondent(name.strip())  # a control character: UserError, exit 2

    def use_banks(self) -> None:
        """From here on the assessment's own banks (its recorded set, plus --questionnaires); a bank
        not found or changed is said now, and again as a warning in the summary and the report."""
        self.q = startup.assessment_banks(self.a, self.args.questionnaires, self.store, by=self.by)
        self.section = find_section(self.q, self.args.section)
        self.refresh()  # answers of renamed items may have moved
        for kind, _subject, message in self.q.notices:
            if kind in ("bank_missing", "bank_changed"):
                self.p.say(f"Warning: {message}")

    # -- choosing or creating the assessment

    def pick(self) -> Assessment:
        if self._store is None or not self._store.assessments():
            self.p.say(f"There is no assessment in {self.path} yet, so let's create one.")
            return self.create()
        from soc2_tui.summary import assessment_rows

        store = self._store
        rows = assessment_rows(lambda a: startup.assessment_banks(a, self.args.questionnaires, store, by=self.by,
                                                                  say=False), store)
        choices: list[Any] = []
        for r in rows:
            org = f" ({r['organisation']})" if r["organisation"] else ""
            counts = (f"{r['answered']}/{r['applicable']} answered" if not r["bank_error"] else
                      f"its question banks cannot be loaded: {r['bank_error']}")
            choices.append(Choice(f"{r['name']}{org} · {report_type_label(r['report_type'])} · {counts}",
                                  value=r["id"], disabled="fix its banks first" if r["bank_error"] else None))
        choices += [Separator(), Choice("Create a new assessment", value=NEW)]
        picked = self.p.select("Which assessment?", choices)
        if picked == NEW:
            return self.create()
        return self._store.by_id(picked)

    def name_ok(self, value: str) -> bool | str:
        """Validates the name of a new assessment: True, or what is wrong with it."""
        value = value.strip()
        if not value:
            return "The assessment needs a name"
        if len(value) > 200:
            return "Keep the name under 200 characters"
        if self._store is not None and self._store.find(value) is not None:
            return f"There is already an assessment named {value!r}"
        return True

    def create(self) -> Assessment:
        p = self.p
        name = p.text("Name of the new assessment:", validate=self.name_ok).strip()
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
        start = p.text("Audit period start (YYYY-MM-DD; empty if not decided yet):", validate=date_ok).strip()
        months = p.select("Audit period length:", [
            Choice("3 months", 3), Choice("6 months", 6), Choice("12 months", 12),
            Choice("Not decided yet", 0),
        ], default=6 if report_type == "type2" else 0)
        # --bank PATH … and --no-builtin choose the new assessment's banks, as with `soc2-tui new`
        q, bank_set = startup.new_banks(getattr(self.args, "bank", None) or [],
                                        getattr(self.args, "no_builtin", False), self.args.questionnaires)
        store = self.open_store(create=True)
        return store.create(name, organisation=org, report_type=report_type, principles=["security", *extra],
                            period_start=start or None, period_months=months or None,
                            bank_versions=q.banks, by=self.by, bank_set=bank_set)

    # -- the end of a run

    def offer_report(self) -> None:
        """Offer to write the gap report (`closing.offer_report`); tests replace this method."""
        closing.offer_report(self)
