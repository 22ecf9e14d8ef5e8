"""Help (? or F1): the keys of the screen you came from, the keys that work everywhere, the status
marks, and how the readiness score is computed."""

from __future__ import annotations

import re

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Static

from soc2_tui.labels import status_words
from soc2_tui.scoring import CREDIT
from soc2_tui.tui import key_tables
from soc2_tui.tui.base import Soc2Screen
from soc2_tui.tui.widgets.footer import KeyFooter
from soc2_tui.tui.widgets.marks import tree_mark

STATUS_MEANINGS: list[tuple[str | None, str]] = [
    ("not_started", "nothing in place yet"),
    ("in_progress", "being put in place"),
    ("implemented", "in place and documented, no track record yet"),
    ("operating", "in place, with records showing it has run over time"),
    ("not_applicable", "does not apply to you (write a note saying why)"),
    (None, "no answer yet: not assessed"),
]

SCORING = [
    "Each control and policy that applies to your scope counts, weighted by its severity: "
    "critical 4, high 3, medium 2, low 1. Items marked not applicable are left out.",
    "Each status earns credit toward the item's weight (table below). Unanswered items earn 0, "
    "so the score only rises as you answer.",
    "Score = 100 × credit earned ÷ weight possible, for each principle and overall. "
    "Coverage = the share of applicable items you have answered.",
    "Bands: Ready (90 or more, everything answered, no critical gap), Nearly ready (75 or more), "
    "Needs work (50 or more), Not ready (below 50). The overall band is the worst band of the "
    "principles in scope: an audit covers all of them.",
    "A gap is an answered item below the target: operating for a Type II report, implemented "
    "for Type I. Gaps are listed critical first, then by weight. “+2.4 security” means the "
    "security score rises by 2.4 points once that gap is closed.",
    "Warnings do not change the score. They flag what an auditor would question: “not "
    "applicable” without a reason, a control operating only since after the period started, a "
    "policy not reviewed in 12 months, a control that runs too rarely to be tested in the period.",
]


def screen_name(screen: Screen) -> str:
    """'Gap analysis' for GapAnalysisScreen (or the screen's HELP_NAME)."""
    name = getattr(screen, "HELP_NAME", None)
    if name:
        return str(name)
    words = re.findall(r"[A-Z][a-z]*|[a-z]+", type(screen).__name__.removesuffix("Screen"))
    return " ".join(words).capitalize()


def _key_table(rows: list[tuple[str, str, str]]) -> Table:
    """Key, where it acts ("in the list", "in a field"; a column only when some key says) and
    what it does: the rows of the screen's key table (key_tables.py), the footer's source too."""
    where = any(place for _k, place, _d in rows)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True, min_width=10)
    if where:
        table.add_column(style="italic", no_wrap=True)
    table.add_column(ratio=1)
    for key, place, does in rows:
        if where:
            table.add_row(key, place, does)
        else:
            table.add_row(key, does)
    return table


class HelpScreen(Soc2Screen):
    CSS_PATH = "help.tcss"
    HELP_NAME = "Help"
    BINDINGS = [Binding("escape", "close", "Close")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help"):
            name, rows = self._screen_keys()
            if rows:
                yield Static(f"Keys on this screen: {name}", classes="help-heading", markup=False)
                yield Static(_key_table(rows), id="help-screen-keys")
            yield Static("Keys everywhere", classes="help-heading")
            yield Static(_key_table(key_tables.rows(key_tables.GLOBAL)), id="help-global-keys")
            yield Static("The footer always shows what the keys do where the focus is. The mouse works too: "
                         "click rows, buttons and the keys in the footer; scroll with the wheel.", classes="hint")
            yield Static("Status marks", classes="help-heading")
            yield Static(self._marks_table(), id="help-marks")
            yield Static("How readiness is scored", classes="help-heading")
            yield Static(self._scoring(), id="help-scoring")
            yield Static("This file", classes="help-heading")
            yield Static(f"Answers are saved in {self.soc2.store.path} the moment you give them"
                         f"{self._who()}. Quitting never loses an answer.", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Help"
        self.sub_title = self.soc2.file_label
        self.query_one("#help").focus()

    def _screen_keys(self) -> tuple[str, list[tuple[str, str, str]]]:
        """The keys of the screen help was opened from (not the app-wide ones): its key table,
        or for a screen without one (a dialog) its described bindings."""
        stack = self.app.screen_stack
        below = stack[-1] if stack and stack[-1] is not self else (stack[-2] if len(stack) >= 2 else None)
        if below is None:
            return "", []
        table = getattr(below, "KEYS", ())
        if table:
            return screen_name(below), key_tables.rows(table)
        rows: list[tuple[str, str, str]] = []
        inherited = {b.action for b in (*Screen.BINDINGS, *ModalScreen.BINDINGS) if isinstance(b, Binding)}
        seen: set[tuple[str, str]] = set()
        for _key, active in below.active_bindings.items():
            b = active.binding
            if active.node is self.app or not b.description or (b.action, b.description) in seen:
                continue
            if b.action in inherited or (not b.show and active.node is not below):
                continue  # tab, shift+tab, ctrl+c: listed under "everywhere"; a widget's own keys
            seen.add((b.action, b.description))
            rows.append((self.app.get_key_display(b), "", b.tooltip or b.description))
        return screen_name(below), rows

    def _marks_table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        for status, meaning in STATUS_MEANINGS:
            table.add_row(tree_mark(status), status_words(status), meaning)  # as the gap tree shows it
        return table

    def _scoring(self) -> Group:
        bullets = Table.grid(padding=(0, 1))
        bullets.add_column(no_wrap=True)
        bullets.add_column(ratio=1)
        for text in SCORING:
            bullets.add_row("•", text)
        credit = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        credit.add_column("status")
        credit.add_column("Type I", justify="right")
        credit.add_column("Type II", justify="right")
        for s in ("operating", "implemented", "in_progress", "not_started"):
            credit.add_row(status_words(s), f"{CREDIT['type1'][s]:g}", f"{CREDIT['type2'][s]:g}")
        credit.add_row("not answered", "0", "0")
        credit.add_row("not applicable", "left out", "left out")
        return Group(bullets, Text(""), credit)

    def _who(self) -> str:
        who = self.soc2.respondent
        return f", under the name “{who}”" if who else ""

    def action_close(self) -> None:
        self.dismiss()
