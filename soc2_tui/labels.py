"""Display words and formatters, shared by the CLI, the app, quick mode and the reports.

One place for each label: a word changed here changes in every front end and report. Plain text
only (no Rich, no Textual); callers escape or style what they show.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

from soc2_tui.model import PRINCIPLE_LABELS

DASH = "–"  # shown for an empty value
ELLIPSIS = "…"
# What every screen and report says where a bank leaves an optional field out (guidance, evidence,
# remediation, effort): never advice the bank did not give (docs/questionnaire-format.md).
NOT_PROVIDED = "not provided by the bank"
# Titles may be any length in a bank; lists, tables and headings show at most this many characters
# (the item pane, the gap details and the exports keep the whole text).
TITLE_WIDTH = 100

REPORT_TYPE_LABELS = {"type1": "Type I", "type2": "Type II"}
REPORT_TYPE_DESCRIPTIONS = {"type1": "Type I (design at a point in time)",
                            "type2": "Type II (operation over a period)"}

STATUS_LABELS: dict[str | None, str] = {
    None: "Unanswered",
    "not_started": "Not started",
    "in_progress": "In progress",
    "implemented": "Implemented",
    "operating": "Operating",
    "not_applicable": "Not applicable",
}
# A policy is answered with the same statuses, read as the life of a document.
POLICY_STATUS_LABELS: dict[str | None, str] = {
    None: "Unanswered",
    "not_started": "Missing",
    "in_progress": "Draft",
    "implemented": "Approved",
    "operating": "Current",
    "not_applicable": "Not applicable",
}
# The one-key shortcuts of the statuses: the app's gap analysis and policy checklist, and quick
# mode's status prompt.
STATUS_KEYS: dict[str, str] = {
    "operating": "o",
    "implemented": "i",
    "in_progress": "w",
    "not_started": "n",
    "not_applicable": "x",
}


def _word(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


# What `status_from_word` reads: the keys, the app's labels and its short "N/A"; policies also in
# their own words.
_STATUS_WORDS = {**{_word(k): k for k in STATUS_KEYS}, **{_word(v): k for k, v in STATUS_LABELS.items() if k},
                 "n/a": "not_applicable"}
_POLICY_STATUS_WORDS = {**_STATUS_WORDS, **{_word(v): k for k, v in POLICY_STATUS_LABELS.items() if k}}


def status_from_word(text: str, policy: bool = False) -> str | None:
    """The status a word names, as people copy it from the app: its key (`in_progress`), its label
    (`In progress`, `N/A`) and, for a policy, the policy word (`Draft`); in any case, with spaces,
    `_` or `-` between words. None for anything else ("Unanswered" included: nothing to set)."""
    return (_POLICY_STATUS_WORDS if policy else _STATUS_WORDS).get(_word(text))


BAND_LABELS = {"ready": "Ready", "nearly_ready": "Nearly ready", "needs_work": "Needs work",
               "not_ready": "Not ready"}
SEVERITY_LABELS = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"}


# Each kind of scoring warning in a few words, one and many: the dashboard counts them by kind
# (the report's Warnings section lists every one).
WARNING_COUNTS = {
    "too_few_occurrences": ("control too rare in the period", "controls too rare in the period"),
    "policy_review_outside_period": ("policy review may miss the period", "policy reviews may miss the period"),
    "operating_after_period_start": ("started mid-period", "started mid-period"),
    "na_without_note": ("N/A without a note", "N/A without a note"),
    "stale_policy": ("policy review overdue", "policy reviews overdue"),
    "scope_contradiction": ("answer contradicts the scope", "answers contradict the scope"),
    "bank_missing": ("question bank not found", "question banks not found"),
    "bank_changed": ("question bank changed", "question banks changed"),
    "criteria_moved": ("item mapped to other criteria", "items mapped to other criteria"),
}


def warning_counts(kinds: Iterable[str]) -> str:
    """'21 policy reviews may miss the period · 19 controls too rare for the period · …': the
    warnings counted by kind, the commonest first (ties as they first occur); '' for none."""
    counts = Counter(kinds)
    parts = []
    for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        one, many = WARNING_COUNTS.get(kind, (kind.replace("_", " "), kind.replace("_", " ")))
        parts.append(f"{n} {one if n == 1 else many}")
    return " · ".join(parts)


def report_type_label(report_type: str) -> str:
    """'Type I' or 'Type II'."""
    return REPORT_TYPE_LABELS.get(report_type, "Type II")


def status_label(status: str | None, policy: bool = False) -> str:
    """'In progress' for a control, 'Draft' for a policy; 'Unanswered' for no status."""
    return (POLICY_STATUS_LABELS if policy else STATUS_LABELS).get(status, str(status))


def status_words(status: str | None, policy: bool = False) -> str:
    """The label in running text: 'in progress', 'draft'; 'not answered' for no status."""
    return "not answered" if status is None else status_label(status, policy).lower()


def band_label(band: str | None) -> str:
    return BAND_LABELS.get(band or "", DASH)


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 gap', '3 gaps', '2 policies' (with many='policies')."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def truncate(text: str, width: int, strip: bool = True) -> str:
    """`text` cut to `width` characters, ending in an ellipsis when cut (with the space before the
    cut stripped unless strip=False: the home and dashboard tables keep the column's rhythm)."""
    if len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS
    head = text[: width - 1]
    return (head.rstrip() if strip else head) + ELLIPSIS


def provided(text: str) -> str:
    """A bank's optional text, or NOT_PROVIDED when the bank gave none."""
    return text if text.strip() else NOT_PROVIDED


def short_title(title: str) -> str:
    """An item's title for a list, a table or a heading: at most TITLE_WIDTH characters."""
    return truncate(title, TITLE_WIDTH)


def points_text(points: Mapping[str, float], *, capitalised: bool = False, width: int | None = None) -> str:
    """What closing a gap adds, from scoring.points_if_closed: '+0.8 overall (+2.4 security, +1.0
    availability)'. The overall points come first: they are on one scale for every gap, while a
    principle's points are on that principle's own (+7.5 availability beside +0.9 security says
    nothing about which gap matters more). Principles follow, largest first ('Security' with
    capitalised=True), as many as fit in `width` when given; '' when there is nothing to add."""
    parts = [f"+{value:.1f} {PRINCIPLE_LABELS[key] if capitalised else PRINCIPLE_LABELS[key].lower()}"
             for key, value in sorted(points.items(), key=lambda kv: -kv[1]) if key in PRINCIPLE_LABELS]
    if "overall" not in points:
        return ", ".join(parts)
    head = f"+{points['overall']:.1f} overall"
    shown: list[str] = []
    for part in parts:
        if width is not None and len(f"{head} ({', '.join([*shown, part])})") > width:
            break
        shown.append(part)
    return f"{head} ({', '.join(shown)})" if shown else head


SLUG_MAX_CHARS, SLUG_MAX_BYTES = 80, 160  # with '-gap-report.md' well inside a 255-byte file name


def _slug_keeps(ch: str) -> bool:
    """ASCII letters, digits, '.', '_', '-'; beyond ASCII every letter, mark, digit and symbol of any
    script (é, 東, the vowel signs of Devanagari, emoji) and the zero-width joiner and non-joiner."""
    if ch.isascii():
        return ch.isalnum() or ch in "._-"
    return ch in "\u200c\u200d" or unicodedata.category(ch)[0] in "LMNS"


def file_slug(name: str) -> str:
    """An assessment name made a default file name: 'Acme Ltd (EU)' → 'Acme-Ltd-EU', 'Café Ñandú' →
    'Café-Ñandú', '東京 2026' → '東京-2026'. Each run of other characters (spaces, ASCII punctuation,
    what file systems refuse: / \\ : * ? " < > |, NUL and every control, bidi controls) becomes one
    '-'; leading and trailing dots and dashes go; at most 80 characters and 160 UTF-8 bytes."""
    out: list[str] = []
    replacing = False
    for ch in unicodedata.normalize("NFC", name):
        if _slug_keeps(ch):
            out.append(ch)
        elif not replacing:
            out.append("-")
        replacing = not _slug_keeps(ch)
    slug = "".join(out).strip("-.")[:SLUG_MAX_CHARS]
    while len(slug.encode("utf-8")) > SLUG_MAX_BYTES:
        slug = slug[:-1]
    return slug.strip("-.") or "assessment"


def fmt_score(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}"


def fmt_pct(value: float | None) -> str:
    """A share as "20%": no space, so no renderer can wrap the number and its sign apart (Rich and
    Textual split at a no-break space too)."""
    return DASH if value is None else f"{value * 100:.0f}%"


def bar(score: float | None, width: int = 10) -> str:
    """A text bar such as ████████░░ (no colour needed to read it)."""
    if score is None:
        return "·" * width
    full = int(score / 100 * width + 0.5)  # half up: 5.0 of 100 draws one block at width 10
    return "█" * full + "░" * (width - full)
