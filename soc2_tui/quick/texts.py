"""Quick mode's own prompt texts: the status choices with a short explanation, and the one-line
guidance shown under each question."""

from __future__ import annotations

import re

from soc2_tui import labels

# Best first, as the choices are listed.
STATUS_ORDER = ("operating", "implemented", "in_progress", "not_started", "not_applicable")

# What each status means, after its label ("Operating — …"); none for the plain ones.
_CONTROL_MEANINGS = {
    "operating": "in place and evidenced for the period",
    "implemented": "in place, not yet evidenced over time",
}
# Policies use the same statuses: missing, draft, approved, approved + published + reviewed.
_POLICY_MEANINGS = {
    "operating": "approved, published and reviewed within 12 months",
    "implemented": "approved, not yet published or reviewed",
    "in_progress": "a draft exists",
    "not_started": "no policy yet",
}


def _choices(meanings: dict[str, str]) -> dict[str, str]:
    return {s: labels.STATUS_LABELS[s] + (f" — {meanings[s]}" if s in meanings else "") for s in STATUS_ORDER}


STATUS_CHOICES = _choices(_CONTROL_MEANINGS)
POLICY_STATUS_CHOICES = _choices(_POLICY_MEANINGS)


def first_sentence(text: str, limit: int = 160) -> str:
    """A short line from a guidance text: its first sentence, or the first clause of a long one."""
    text = " ".join(text.split())
    m = re.search(r"(?<=[.!?])\s+(?=[A-Z\"'(])", text)
    sentence = text[: m.start()] if m else text
    if len(sentence) <= limit:
        return sentence
    for sep in ("; ", " — ", ": ", ", and ", ", so ", ", for example", ", such as", ", which", ", but ",
                " because "):
        head = sentence.split(sep, 1)[0]
        if 40 <= len(head) <= limit:
            return head.rstrip(",") + "."
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:—- ") + " …"
