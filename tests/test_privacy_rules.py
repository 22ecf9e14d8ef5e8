"""Privacy and processing-integrity content rules (issue 19): which privacy questions apply for
each role towards personal data, scope answers hidden by their own condition, the "none of these"
data kind, and the coverage every P and PI criterion needs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

import pytest

from soc2_tui import scope_answers, scoring
from soc2_tui.model import Answer, Assessment, Condition, Item, Questionnaire

PRIVACY = Assessment(id=1, name="x", report_type="type2", principles=("security", "privacy"))

# Duties only a controller has (notice, consent, people's requests to you, your own disclosures)
# and duties only a processor has (towards the customer whose instructions it follows).
CONTROLLER_ONLY = {"P1-01", "P1-02", "P1-03", "P1-04", "P2-01", "P2-02", "P2-03", "P2-04", "P2-05",
                   "P3-03", "P3-04", "P3-05", "P3-06", "P4-01", "P4-05", "P5-01", "P5-02", "P5-03", "P5-04",
                   "P6-07", "P6-08", "P6-10", "P8-04"}
PROCESSOR_ONLY = {"P4-06", "P4-07", "P5-05", "P5-06", "P6-01", "P6-11", "P6-12", "P8-06"}


def answers(kinds: Sequence[str] | None = ("personal",), role: str | None = None) -> dict[str, Answer]:
    out = {}
    if kinds is not None:
        out["data_kinds"] = Answer("data_kinds", value=list(kinds))
    if role is not None:
        out["personal_data_role"] = Answer("personal_data_role", value=role)
    return out


def applicable(q: Questionnaire, given: dict[str, Answer], a: Assessment = PRIVACY) -> set[str]:
    return {i.id for i in scoring.applicable_items(q, a, given)}


def privacy_ids(q: Questionnaire) -> set[str]:
    return {i.id for i in q.of_kind("control") if i.section.startswith("P") and not i.section.startswith("PI")}


# ------------------------------------------------------------------ applicability by role


def test_a_pure_processor_is_not_scored_on_controller_duties(q):
    got = applicable(q, answers(role="processor"))
    assert not CONTROLLER_ONLY & got
    assert PROCESSOR_ONLY <= got


def test_a_pure_controller_is_not_scored_on_processor_duties(q):
    got = applicable(q, answers(role="controller"))
    assert CONTROLLER_ONLY <= got
    assert not PROCESSOR_ONLY & got


@pytest.mark.parametrize("role", ["both", None])
def test_both_roles_or_no_answer_keeps_every_privacy_duty(q, role):
    """"Both", and a role not given, are scored on every duty: nothing is skipped on a guess."""
    got = applicable(q, answers(role=role))
    assert privacy_ids(q) <= got


def test_every_privacy_item_applies_to_at_least_one_role(q):
    ids = privacy_ids(q)
    seen = applicable(q, answers(role="controller")) | applicable(q, answers(role="processor"))
    assert ids <= seen


def test_without_privacy_in_scope_no_privacy_item_applies(q):
    security_only = Assessment(id=1, name="x", principles=("security",))
    got = applicable(q, answers(role="both"), security_only)
    assert not privacy_ids(q) & got


# ------------------------------------------------------------------ hidden scope answers


def test_a_role_hidden_by_its_condition_counts_as_unanswered(q):
    """The role question is asked only when personal data is handled: once personal data is
    removed from the data kinds, a stored "processor" must no longer switch controller duties off."""
    processor_then_removed = answers(kinds=["customer_confidential"], role="processor")
    got = applicable(q, processor_then_removed)
    assert {"P1-03", "P2-01", "P2-02", "P3-03"} <= got
    assert got == applicable(q, answers(kinds=["customer_confidential"]))
    assert "personal_data_role" not in scoring.scope_values(q, PRIVACY, processor_then_removed)


def test_the_same_hidden_answer_is_ignored_by_report_and_score(q):
    from soc2_tui.reports.markdown.context import ReportContext

    given = answers(kinds=["none"], role="processor")
    ctx = ReportContext(q, PRIVACY, given, date(2027, 1, 1))
    assert not ctx.scope_applies(q.items["personal_data_role"])
    assert ctx.result.applicable_ids == frozenset(applicable(q, given))
    assert "P1-03" in ctx.result.applicable_ids


def _scope(iid: str, cond: Condition | None = None) -> Item:
    return Item(id=iid, kind="scope", section="S", title=iid, question="q?", guidance="g", source="f:1",
                type="bool", condition=cond)


def test_hidden_answers_hide_transitively_and_cycles_hide():
    yes = {"a": True, "b": True, "c": True, "free": 1}
    items = {"a": _scope("a"),
             "b": _scope("b", Condition("equals", "a", True)),
             "c": _scope("c", Condition("equals", "b", True))}
    assert scope_answers.in_force(items, yes) == yes
    assert scope_answers.in_force(items, {**yes, "a": False}) == {"a": False, "free": 1}
    # c depends on b, b on c: neither can be shown first, so both count as unanswered.
    loop = {"b": _scope("b", Condition("equals", "c", True)), "c": _scope("c", Condition("equals", "b", True))}
    assert scope_answers.in_force(loop, yes) == {"a": True, "free": 1}
    # A "not" over a hidden answer holds: the answer is treated as never given.
    negated = {**items, "c": _scope("c", Condition("not", parts=(Condition("equals", "b", True),)))}
    assert scope_answers.in_force(negated, {"a": False, "b": True, "c": True}) == {"a": False, "c": True}


# ------------------------------------------------------------------ data kinds


def test_none_of_these_stands_alone(q):
    kinds = q.items["data_kinds"]
    assert scope_answers.problem(kinds, ["none"]) is None
    why = scope_answers.problem(kinds, ["none", "personal"])
    assert why == "“None of these” (none) cannot be combined with other choices"
    with pytest.raises(ValueError, match="cannot be combined"):
        scope_answers.parse_text(kinds, "personal; none")


def test_new_data_kinds_are_offered_and_old_answers_stay_valid(q):
    values = [o.value for o in q.items["data_kinds"].options]
    assert {"personal", "health", "card", "customer_confidential"} <= set(values)  # stored answers keep working
    assert {"credentials", "employee", "financial", "none"} <= set(values)
    assert scope_answers.problem(q.items["data_kinds"], ["personal", "customer_confidential"]) is None


def test_employee_data_asks_the_role_too(q):
    got = scoring.scope_values(q, PRIVACY, answers(kinds=["employee"], role="processor"))
    assert got["personal_data_role"] == "processor"


# ------------------------------------------------------------------ coverage


def test_every_p_and_pi_criterion_has_two_control_questions(q):
    per = Counter(c for i in q.of_kind("control") for c in set(i.criteria))
    thin = [c for c in q.criteria if c.startswith("P") and per[c] < 2]
    assert not thin, thin


def test_every_pi_criterion_has_two_questions_in_its_own_bank(q):
    per = Counter(c for i in q.of_kind("control") if i.section == "PI1" for c in set(i.criteria))
    assert all(per[c] >= 2 for c in q.criteria if c.startswith("PI1.")), per


@pytest.mark.parametrize("role", ["controller", "processor"])
def test_each_role_keeps_two_questions_where_the_role_has_duties(q, role):
    """Switching duties off by role must not leave the criteria a role answers for thin: every P
    criterion a role has any question on keeps at least two (notice and consent, P1.1 to P3.2,
    are the customer's for a pure processor and listed as CUECs)."""
    got = applicable(q, answers(role=role))
    per = Counter(c for i in q.of_kind("control") if i.id in got for c in set(i.criteria) if c.startswith("P"))
    thin = sorted(c for c, n in per.items() if n < 2 and not c.startswith("PI"))
    assert not thin, thin


def test_deletion_requests_are_asked_and_apply_to_controllers(q):
    deletion = [i for i in q.of_kind("control") if "P4.3" in i.criteria and "delete" in i.question.lower()
                and "request" in i.question.lower()]
    assert deletion, "no question on people's deletion requests"
    for role in ("controller", "both", None):
        assert {i.id for i in deletion} & applicable(q, answers(role=role)), role


def test_every_privacy_and_pi_control_has_a_frequency(q):
    missing = [i.id for i in q.of_kind("control") if i.section.startswith("P") and not i.frequency]
    assert not missing, missing


def test_role_conditions_are_the_two_known_forms(q):
    """A privacy item is either for everyone, or carries exactly one of the two role conditions."""
    forms = {"not personal_data_role equals 'processor'", "not personal_data_role equals 'controller'"}
    for item in q.of_kind("control"):
        if item.section.startswith("P") and not item.section.startswith("PI") and item.condition:
            assert item.condition.describe() in forms, item.id


def test_anonymisation_must_be_irreversible(q):
    assert "beyond reversal" in q.items["P4-03"].question


def test_split_items_keep_their_answers_and_report_retired_ones(q, store):
    """P6-06 was narrowed (its new parts have new ids): answers to it stay attached. P4-04, narrowed
    too, was then retired into POL-10 (it asked whether a document exists): its answer, like one to
    an id no bank has any more, stays in the file and the report lists it."""
    from soc2_tui.reports.markdown.context import ReportContext

    a = store.create("x", principles=("security", "privacy"))
    store.set_answer(a.id, "P4-04", by="t", status="operating")
    store.set_answer(a.id, "P6-06", by="t", status="implemented")
    store.set_answer(a.id, "P9-99", by="t", status="operating")  # a retired id, as an older bank had
    got = store.answers(a.id)
    assert got["P4-04"].status == "operating" and got["P6-06"].status == "implemented"
    ctx = ReportContext(q, store.by_id(a.id), got, date(2027, 1, 1))
    assert ctx.orphans == ["P4-04", "P9-99"]


@pytest.mark.parametrize(("kinds", "flagged"), [(["employee"], False), (["personal"], False),
                                                 (["none"], True), (["customer_confidential"], True)])
def test_staff_data_is_personal_data_for_the_scope_creep_signal(q, kinds, flagged):
    from soc2_tui.reports.markdown.context import ReportContext
    from soc2_tui.reports.markdown.sections import pitfalls

    ctx = ReportContext(q, PRIVACY, answers(kinds=kinds), date(2027, 1, 1))
    why = pitfalls._scope_creep(ctx)
    assert ("privacy is in scope but no personal or employee data is handled" in why) is flagged


def test_the_app_and_quick_mode_refuse_none_with_other_kinds(q):
    from soc2_tui.quick import scope as quick_scope
    from soc2_tui.tui.widgets.scope_field import make_widget, read_widget

    kinds = q.items["data_kinds"]
    assert read_widget(kinds, make_widget(kinds, ["personal", "none"])) == (
        None, "“None of these” (none) cannot be combined with other choices. Not saved.")
    assert read_widget(kinds, make_widget(kinds, ["personal", "employee"])) == (["personal", "employee"], None)

    class Prompter:
        def checkbox(self, message, choices, instruction=None, validate=None):
            self.validate = validate
            return ["none"]

        def say(self, *args, **kwargs):
            pass

    p = Prompter()
    assert quick_scope._ask_multi(p, kinds, None) == ["none"]
    assert "cannot be combined" in p.validate(["none", "card"])
    assert p.validate(["card", "financial"]) is True


def test_quick_mode_tells_nothing_chosen_from_none_of_these(q):
    from soc2_tui.quick import scope as quick_scope

    said: list[str] = []

    class Prompter:
        def checkbox(self, message, choices, instruction=None, validate=None):
            return []

        def say(self, text="", **kwargs):
            said.append(text)

    assert quick_scope._ask_multi(Prompter(), q.items["data_kinds"], None) == []
    assert said == ["Nothing chosen. If none of them applies, choose “None of these”."]
