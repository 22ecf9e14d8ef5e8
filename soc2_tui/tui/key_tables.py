"""Every key of the app, screen by screen: the one table that the screens bind (tui/keys.py),
help lists, the command palette names and docs/tui.md prints (scripts/key_tables.py), so the
four cannot drift apart. Plain data: no Textual here.

A `Key` row gives the Textual key name(s), the action, its full name (help, palette, docs), the
short word in the footer ("" keeps it out of the footer), how the key is written, and where
it acts:

- "list": only while the screen's list (the tree, the table) has the focus. On a screen with
  fields every one-letter key is a list key, so a letter typed anywhere else never sets a
  status, filters or jumps: in a text field it types, on a button it does nothing.
- "field": only while something else than the list has the focus (esc: save, back to the list).
- "any": wherever the focus is.

A row without an action documents a key that a widget handles itself (↑ ↓ in a list, enter on a
table row); it is listed in help and the docs but bound by the widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Where = Literal["list", "field", "any"]


@dataclass(frozen=True)
class Key:
    key: str  # Textual key name(s), comma-separated: "delete,x"
    action: str | None  # None: a widget handles the key (documented, not bound here)
    name: str  # the full name: help, the command palette, the docs
    label: str = ""  # the footer's word; "" keeps the key out of the footer
    display: str = ""  # how the key is written in help and the docs (default: `key`)
    footer_key: str = ""  # how the footer writes it when one entry stands for several ("o i w n x")
    where: Where = "any"
    palette: bool = True  # offered in the command palette (with an action)
    priority: bool = False  # decided when the key arrives, before keys typed after it (tab, esc)

    @property
    def shown(self) -> str:
        return self.display or self.key


ESC = "esc"

GLOBAL: tuple[Key, ...] = (
    Key("q", "quit_outside_fields", "Quit; every answer is already saved (in a text field, q is a letter)",
        "Quit", palette=False),
    Key("question_mark", "help_outside_fields", "Help: the keys of this screen, the status marks, the score",
        "Help", display="?", palette=False),
    Key("f1", "help", "Help, also from a text field (where ? is a character)", palette=False, display="F1"),
    Key("ctrl+p", None, "Command palette: every action of the current screen by name, the theme, a screenshot"),
    Key("ctrl+t", "toggle_theme", "Switch between the light and the dark theme", palette=False),
    Key("tab", "focus_next", "Next field or list", display="tab", palette=False, priority=True),
    Key("shift+tab", "focus_previous", "Previous field or list", display="shift+tab", palette=False,
        priority=True),
    Key("escape", None, "Back to the previous screen, or close a dialog", display=ESC),
    Key("up,down,enter", None, "Move in a list or table; open or choose the highlighted row", display="↑ ↓, enter"),
)

ASSESSMENTS: tuple[Key, ...] = (
    Key("enter", None, "Open the highlighted assessment (its dashboard)", "Open", display="enter"),
    Key("n", "new", "Create an assessment (a form: tab between fields, ctrl+s creates it)", "New"),
    Key("c", "duplicate", "Copy the assessment with all its answers", "Copy"),
    Key("r", "rename", "Rename the assessment", "Rename"),
    Key("delete,x", "delete", "Delete the assessment, after a confirmation", "Delete", display="del or x",
        footer_key="del"),
    Key("d", "demo", "Load the demo assessment", "Demo"),
)

DASHBOARD: tuple[Key, ...] = (
    Key("enter", None, "Open the highlighted gap: its item in the gap analysis or the policy checklist"),
    Key("s", "scope", "Scope: principles, period and system", "Scope"),
    Key("g", "gaps", "Gap analysis: answer the controls", "Gaps"),
    Key("p", "policies", "Policy checklist", "Policies"),
    Key("r", "report", "Report: read and export the gap report", "Report"),
    Key("v", "snapshots", "Snapshots: freeze the answers now, or open an earlier snapshot", "Snapshots"),
    Key("escape", "back", "Back to the assessments", "Back", display=ESC),
)

SCOPE: tuple[Key, ...] = (
    Key("tab", "next", "Next field", "Next field", palette=False, priority=True),
    Key("shift+tab", "previous", "Previous field", "Previous", palette=False, priority=True),
    Key("space", None, "Tick or untick"),
    Key("enter", None, "Open a list of choices; in a text field, save it"),
    Key("escape", "back", "Save what was typed and go back to the dashboard", "Save & back", display=ESC),
)

GAPS: tuple[Key, ...] = (
    Key("up,down", None, "Move through sections and controls", display="↑ ↓", where="list"),
    Key("enter,space", None, "Open or close a section", display="enter, space", where="list"),
    Key("o", "status('operating')", "Set status: Operating", "Status", footer_key="o i w n x", where="list"),
    Key("i", "status('implemented')", "Set status: Implemented", where="list"),
    Key("w", "status('in_progress')", "Set status: In progress (work started)", where="list"),
    Key("n", "status('not_started')", "Set status: Not started", where="list"),
    Key("x", "status('not_applicable')", "Set status: Not applicable", where="list"),
    # f is out of the footer, which must fit in 80 columns; its box in the pane says "(f)".
    Key("f", "flag", "Flag or unflag for follow-up", where="list"),
    Key("a", "toggle_advance", "Auto-advance: on/off (move to the next item after answering)", "Auto",
        where="list"),
    Key("slash", "jump", "Jump to an item by id or words", "Jump", display="/", where="list"),
    # [ ] as in the report: move through the text. (shift+↑ ↓ are the tree's own: previous/next sibling.)
    Key("right_square_bracket", "scroll_pane(1)",
        "Scroll the item's text down (why it matters, evidence, how to close)", display="]", where="list"),
    Key("left_square_bracket", "scroll_pane(-1)", "Scroll the item's text up", display="[", where="list"),
    Key("1", "filter('all')", "Filter: all items", "Filter", footer_key="1-6", where="list"),
    Key("2", "filter('unanswered')", "Filter: unanswered", where="list"),
    Key("3", "filter('gaps')", "Filter: gaps (below target)", where="list"),
    Key("4", "filter('critical')", "Filter: critical severity", where="list"),
    Key("5", "filter('flagged')", "Filter: flagged for follow-up", where="list"),
    Key("6", "filter('disagreements')", "Filter: disagreements (respondents answered differently)", where="list"),
    Key("tab", "to_fields", "To the answer fields, starting with Notes", "Notes", where="list", palette=False,
        priority=True),
    Key("escape", "back", "Back to the dashboard", "Back", display=ESC, where="list"),
    Key("tab", "next", "Next answer field", "Next field", where="field", palette=False, priority=True),
    Key("shift+tab", "previous", "Previous answer field (from Notes: back to the list)", where="field",
        palette=False, priority=True),
    Key("escape", "to_list", "Save what was typed and go back to the list", "Save & back to list",
        display=ESC, where="field", palette=False, priority=True),
)

POLICIES: tuple[Key, ...] = (
    Key("up,down", None, "Move through the policies", display="↑ ↓", where="list"),
    Key("m", "status('not_started')", "Set status: Missing", "Missing", where="list"),
    Key("d", "status('in_progress')", "Set status: Draft", "Draft", where="list"),
    Key("a", "status('implemented')", "Set status: Approved", "Approved", where="list"),
    Key("c", "status('operating')", "Set status: Current", "Current", where="list"),
    Key("x", "status('not_applicable')", "Set status: Not applicable", "N/A", where="list"),
    Key("n", "status('not_started')", "Set status: Missing (as in the gap analysis)", where="list", palette=False),
    Key("w", "status('in_progress')", "Set status: Draft (as in the gap analysis)", where="list", palette=False),
    Key("i", "status('implemented')", "Set status: Approved (as in the gap analysis)", where="list",
        palette=False),
    Key("o", "status('operating')", "Set status: Current (as in the gap analysis)", where="list", palette=False),
    Key("enter", None, "Edit owner, approver, last review, document and notes", "Edit", where="list"),
    Key("e", "edit", "Edit owner, approver, last review, document and notes", where="list"),
    Key("tab", "to_fields", "To the policy's details below the table", where="list", palette=False,
        priority=True),
    Key("escape", "back", "Back to the dashboard", "Back", display=ESC, where="list"),
    Key("escape", "to_list", "From the details below the table: back to the table", "Back to list", display=ESC,
        where="field", palette=False,
        priority=True),
)

POLICY_EDITOR: tuple[Key, ...] = (
    Key("tab,shift+tab", None, "Next or previous field", display="tab, shift+tab"),
    Key("ctrl+s", "save", "Save and close", "Save", palette=False),
    Key("escape", "close", "Save and close (as everywhere: esc keeps what was typed)", "Save & close",
        display=ESC, palette=False),
    Key("ctrl+g", "cancel", "Cancel: close without saving the changes", "Cancel", palette=False),
)

REPORT: tuple[Key, ...] = (
    Key("up,down,pageup,pagedown,home,end", None, "Scroll (end: the end of the report, even while it renders)",
        display="↑ ↓ pgup pgdn home end"),
    Key("t", "toggle_contents", "Contents: show or hide the list of sections (↑ ↓ and enter pick one)",
        "Contents"),
    Key("left_square_bracket", "section(-1)", "Previous section", "Prev/next section", display="[",
        footer_key="[ ]"),
    Key("right_square_bracket", "section(1)", "Next section", display="]"),
    Key("e", "export", "Export the report to a file: .md Markdown, .docx Word, .html web page", "Export"),
    Key("escape", "back", "Close the contents when open, else back to the dashboard", "Back", display=ESC),
)

CONFLICT: tuple[Key, ...] = (
    Key("m", "choose('mine')", "Keep mine: save what you typed over their value", "Keep mine", palette=False),
    Key("t", "choose('theirs')", "Keep theirs: drop what you typed; the field shows their value", "Keep theirs",
        palette=False),
    Key("b", "choose('both')", "Keep both: notes get both texts, each with its author; evidence, owner and "
        "approver both values, joined (a date holds one value: mine or theirs)", "Keep both", palette=False),
    Key("escape", "choose('both')", "Keep both, as b (where both fit; a date asks again)", display=ESC,
        palette=False),
    Key("left,up,right,down", None, "Move between the three buttons; enter chooses the highlighted one",
        display="← ↑ → ↓, enter"),
)

SNAPSHOTS: tuple[Key, ...] = (
    Key("n", "new", "Take a snapshot: freeze the current answers and scores", "New snapshot"),
    Key("enter", "open", "Open the report as it was when the snapshot was taken (read-only)", "Open"),
    Key("escape", "back", "Back to the dashboard", "Back", display=ESC),
)

SCREENS: dict[str, tuple[Key, ...]] = {
    "Keys everywhere": GLOBAL,
    "Assessments": ASSESSMENTS,
    "Dashboard": DASHBOARD,
    "Scope": SCOPE,
    "Gap analysis": GAPS,
    "Policy checklist": POLICIES,
    "Policy editor": POLICY_EDITOR,
    "Report": REPORT,
    "Snapshots": SNAPSHOTS,
    "Changed meanwhile": CONFLICT,
}
"""The tables by the name help and the docs give them (a screen's HELP_NAME)."""

WHERE_WORDS = {"list": "in the list", "field": "in a field", "any": ""}


def rows(keys: tuple[Key, ...]) -> list[tuple[str, str, str]]:
    """(key as written, where it acts, what it does) for help and the docs: one row per key."""
    return [(k.shown, WHERE_WORDS[k.where], k.name) for k in keys]


def markdown_table(keys: tuple[Key, ...]) -> str:
    """The docs' table of one screen's keys."""
    where = any(k.where != "any" for k in keys)
    lines = ["| key | where | does |", "|---|---|---|"] if where else ["| key | does |", "|---|---|"]
    for shown, place, does in rows(keys):
        key = " ".join(f"`{part}`" for part in shown.replace(", ", " ").split(" ") if part and part != "or")
        cells = [key, place or "anywhere", does] if where else [key, does]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


MARK_OPEN = "<!-- keys: {} -->"
MARK_CLOSE = "<!-- /keys -->"


def with_key_tables(text: str) -> str:
    """A Markdown document with every `<!-- keys: NAME -->` … `<!-- /keys -->` block filled
    from the table NAME (scripts/key_tables.py writes it; a test checks the docs match)."""
    out: list[str] = []
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        stripped = line.strip()
        if stripped.startswith("<!-- keys: ") and stripped.endswith(" -->"):
            name = stripped.removeprefix("<!-- keys: ").removesuffix(" -->")
            if name not in SCREENS:
                raise KeyError(f"no key table named {name!r}")
            while i < len(lines) and lines[i].strip() != MARK_CLOSE:
                i += 1
            out.append(markdown_table(SCREENS[name]) + "\n")
            if i < len(lines):
                out.append(lines[i])
                i += 1
    return "".join(out)
