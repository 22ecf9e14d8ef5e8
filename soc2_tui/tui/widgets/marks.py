"""Status marks: a symbol and a word for every answer status, so colour never carries meaning alone.

Controls and policies share the stored statuses; policies show them in their own words
(missing, draft, approved, current).
"""

from __future__ import annotations

from textual.content import Content

from soc2_tui.labels import STATUS_KEYS, status_label

STATUS_MARK: dict[str | None, str] = {
    None: "·",
    "not_started": "✗",
    "in_progress": "◐",
    "implemented": "◑",
    "operating": "●",
    "not_applicable": "–",
}

POLICY_HELP: dict[str, str] = {
    "not_started": "there is no written policy yet",
    "in_progress": "written but not yet approved",
    "implemented": "approved by management",
    "operating": "approved, published to staff and reviewed within the last 12 months",
    "not_applicable": "this policy does not apply to the company",
}

# Theme variables, so the marks stay readable in the light and the dark theme.
STATUS_STYLE: dict[str | None, str] = {
    None: "$text-muted",
    "not_started": "$text-error",
    "in_progress": "$text-warning",
    "implemented": "$text-primary",
    "operating": "$text-success",
    "not_applicable": "$text-muted",
}

FLAG_MARK = "⚑"


def mark(status: str | None) -> str:
    return STATUS_MARK.get(status, "?")


def tree_mark(status: str | None) -> str:
    """The mark and the status's key letter, e.g. "◐w": in a list, ◐ (in progress) and ◑
    (implemented) differ only by which half is filled; the letter tells them apart without colour
    and is the key that sets the status (STATUS_KEYS). Unanswered items keep the bare "·"."""
    key = STATUS_KEYS.get(status or "")
    return mark(status) + (key or " ")


def styled_mark(status: str | None) -> Content:
    """The mark alone, coloured from the theme."""
    return Content.styled(mark(status), STATUS_STYLE.get(status, ""))


def status_content(status: str | None, policy: bool = False) -> Content:
    """Mark and word, e.g. "● Operating" (the mark coloured from the theme)."""
    return Content.assemble(styled_mark(status), " ", status_label(status, policy))


def rich_style(status: str | None, variables: dict[str, str]) -> str:
    """A Rich style string for the mark, resolved from the app's CSS variables.

    Tree labels and DataTable cells are Rich text, which cannot use `$variables` directly.
    """
    name = STATUS_STYLE.get(status, "").lstrip("$")
    value = variables.get(name, "") if name else ""
    return value if value.startswith("#") else "dim"
