"""Text on its way to a terminal: every control character shown visibly, never sent raw.

Anyone can type text that soc2-tui later prints (an organisation, a respondent name, notes, a
snapshot label, a file name, a custom question bank). Sent byte for byte, an escape sequence in it
would run on the reader's terminal: OSC 52 writes the clipboard, OSC 0 sets the window title, CSI
clears the screen or moves the cursor, C1 controls (U+0080–U+009F) do the same in one character,
and the bidi overrides and isolates reorder what is shown.

The rule, one for every front end: each such character becomes the Python escape that names it,
`\\xNN` below U+0100 and `\\uNNNN` above (ESC is the four characters `\\x1b`, U+009B is `\\x9b`,
U+202E is `\\u202e`). It applies to

- the C0 controls U+0000–U+001F, except line feed and tab when the caller allows line breaks
  (`multiline=True`; then they stay as they are); carriage return is always shown;
- DEL (U+007F) and the C1 controls U+0080–U+009F;
- the bidi embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069;
- the line and paragraph separators U+2028 and U+2029: not line breaks to a terminal, but a
  break to some renderers, so a one-line cell could show as two.

Everything else, backslashes included, passes unchanged, so clean text prints exactly as before.
Deliberately unchanged: the directional marks (U+200E, U+200F, U+061C), which only set the
direction of the characters around them and cannot reorder a span the way an override can, and
belong in right-to-left names; and the zero-width characters (U+200B–U+200D, U+FEFF), which the
joiners make part of emoji sequences and of Persian and Indic names. Neither can run anything.
`safe` runs over every table cell: a clean string costs one precompiled regex search.
Plain text only: callers that print through Rich still escape markup (`rich.markup.escape`).

`nfc` gives a typed name its one canonical form (Unicode NFC): "é" typed as e + U+0301 (as some
keyboards and macOS file names send it) and "é" as one character are the same name, so names are
stored, and compared, composed.

`shown_questionnaire` does the same for the texts of a question bank (a custom bank's title may
hold an escape sequence) where a front end shows them in many places: the app.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from soc2_tui.model import Item, Questionnaire

__all__ = ["has_controls", "nfc", "safe", "shown_questionnaire"]

_BIDI = "\u2028\u2029\u202a-\u202e\u2066-\u2069"  # with the line and paragraph separators
_ANY = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_BUT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")


def _visible(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_CODES = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_TABLE = {c: _visible(c) for c in _CODES}
_TABLE_BUT_LINES = {c: v for c, v in _TABLE.items() if c not in (0x0A, 0x09)}


def safe(text: str, multiline: bool = False) -> str:
    """`text` with every control and bidi character shown as its escape (see the module doc).

    `multiline=True` keeps line feeds and tabs, for text shown over several lines (notes in a
    table cell, a report on stdout); otherwise they are shown as `\\x0a` and `\\x09` too.
    """
    if multiline:
        return text.translate(_TABLE_BUT_LINES) if _BUT_LINES.search(text) else text
    return text.translate(_TABLE) if _ANY.search(text) else text


def has_controls(text: str) -> bool:
    """True when `text` holds a character `safe` would show as an escape (line feed and tab too)."""
    return _ANY.search(text) is not None


def nfc(text: str) -> str:
    """`text` in Unicode NFC, the form names are stored and compared in (itself when already so)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _item_texts(i: Item) -> list[str]:
    return [i.title, i.question, i.guidance, i.remediation, i.purpose, *i.evidence, *i.contents,
            *(o.label for o in i.options), *(r for refs in i.references.values() for r in refs)]


def _shown_item(i: Item) -> Item:
    def m(t: str) -> str:
        return safe(t, multiline=True)

    return replace(i, title=m(i.title), question=m(i.question), guidance=m(i.guidance),
                   remediation=m(i.remediation), purpose=m(i.purpose), evidence=tuple(map(m, i.evidence)),
                   contents=tuple(map(m, i.contents)),
                   options=tuple(replace(o, label=m(o.label)) for o in i.options),
                   references={k: tuple(map(m, v)) for k, v in i.references.items()})


def shown_questionnaire(q: Questionnaire) -> Questionnaire:
    """`q` itself when no text of it holds a control or bidi character (the built-in banks, nearly
    every custom one); otherwise a copy whose texts (titles, questions, guidance, evidence, option
    labels, section titles and intros, criteria titles) show them visibly. Ids, values, weights
    and conditions are unchanged, so it scores exactly as `q`."""
    texts = [t for i in q.items.values() for t in _item_texts(i)]
    texts += [t for s in q.sections for t in (s.title, s.intro)]
    texts += [t for c in q.criteria.values() for t in (c.title, c.series_name)]
    if not _BUT_LINES.search("\n".join(texts)):  # one search: about a millisecond for 2,000 items
        return q
    items = {k: _shown_item(i) for k, i in q.items.items()}
    sections = tuple(replace(s, title=safe(s.title, True), intro=safe(s.intro, True),
                             items=tuple(items[i.id] for i in s.items)) for s in q.sections)
    criteria = {k: replace(c, title=safe(c.title, True), series_name=safe(c.series_name, True))
                for k, c in q.criteria.items()}
    series = {k: (p, safe(name, True)) for k, (p, name) in q.series.items()}
    return replace(q, items=items, sections=sections, criteria=criteria, series=series)
