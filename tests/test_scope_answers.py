"""One parser and one check for scope answers, used by the app, quick mode, import, the demo and the store."""

from __future__ import annotations

import pytest

from soc2_tui import scope_answers
from soc2_tui.errors import UserError
from soc2_tui.model import Item, Option


def scope_item(type_: str, options: tuple = ()) -> Item:
    return Item(id="X", kind="scope", section="S", title="t", question="q?", guidance="g", source="f:1",
                type=type_, options=tuple(Option(v, str(v)) for v in options))


@pytest.mark.parametrize(("type_", "options", "text", "value"), [
    ("bool", (), "Yes", True),
    ("bool", (), "false", False),
    ("number", (), "12", 12),
    ("number", (), "12.0", 12),
    ("number", (), " 2.5 ", 2.5),
    ("list", (), "a; b;; c ", ["a", "b", "c"]),
    ("list", (), '["a", "b"]', ["a", "b"]),
    ("multi", ("x", "y"), "y; x", ["y", "x"]),
    ("choice", (3, 6, 12), "6", 6),
    ("choice", ("a", "b"), "b", "b"),
    ("date", (), "2027-01-31", "2027-01-31"),
    ("text", (), "  hello ", "hello"),
    ("text", (), "   ", None),
])
def test_text_becomes_the_stored_shape(type_, options, text, value):
    assert scope_answers.parse_text(scope_item(type_, options), text) == value


@pytest.mark.parametrize(("type_", "options", "text", "why"), [
    ("bool", (), "maybe", "expected yes or no"),
    ("number", (), "twelve", "expected a number"),
    ("number", (), "nan", "expected a number"),
    ("number", (), "inf", "expected a number"),
    ("choice", (3, 6, 12), "7", "expected one of: 3, 6, 12"),
    ("choice", (3, 6, 12), "six", "expected one of: 3, 6, 12"),
    ("multi", ("x", "y"), "x; z", "expected a list of: x, y"),
    ("date", (), "31/01/2027", "expected a date (YYYY-MM-DD)"),
])
def test_text_that_does_not_fit_says_why(type_, options, text, why):
    with pytest.raises(ValueError, match=why.replace("(", r"\(").replace(")", r"\)")):
        scope_answers.parse_text(scope_item(type_, options), text)


def test_typed_values_are_checked_the_same_way():
    assert scope_answers.problem(scope_item("number"), 3) is None
    assert scope_answers.problem(scope_item("number"), True) == "expected a number"
    assert scope_answers.problem(scope_item("number"), float("nan")) == "expected a number"
    assert scope_answers.problem(scope_item("bool"), "yes") == "expected true or false"
    assert scope_answers.problem(scope_item("list"), ["a", " "]) == "expected a list of text entries"


def test_the_store_refuses_a_value_no_scope_item_could_hold(store):
    a = store.create("A")
    for bad in (float("nan"), {"a": 1}, [1.5], [None]):
        with pytest.raises(UserError, match="bad value"):
            store.set_answer(a.id, "X", value=bad)
    assert store.answers(a.id) == {}
    store.set_answer(a.id, "X", value=2.5)
    assert store.answers(a.id)["X"].value == 2.5
