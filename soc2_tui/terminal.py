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
- the bidi embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069.

Everything else, backslashes included, passes unchanged, so clean text prints exactly as before.
`safe` runs over every table cell: a clean string costs one precompiled regex search.
Plain text only: callers that print through Rich still escape markup (`rich.markup.escape`).
"""

from __future__ import annotations

import re

__all__ = ["has_controls", "safe"]

_BIDI = "\u202a-\u202e\u2066-\u2069"
_ANY = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_BUT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")


def _visible(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_CODES = [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_TABLE = {c: _visible(c) for c in _CODES}
_TABLE_BUT_LINES = {c: v for c, v in _TABLE.items() if c not in (0x0A, 0x09)}


def safe(text: str, multiline: bool = False) -> str:
    """`text` with every control and bidi character shown as its escape (see the module doc).

    `multiline=True` keeps line feeds and tabs, for text shown over several lines (notes in a
    table cell, a report on stdout); otherwise they are shown as `\\n` and `\\t` too.
    """
    if multiline:
        return text.translate(_TABLE_BUT_LINES) if _BUT_LINES.search(text) else text
    return text.translate(_TABLE) if _ANY.search(text) else text


def has_controls(text: str) -> bool:
    """True when `text` holds a character `safe` would show as an escape (line feed and tab too)."""
    return _ANY.search(text) is not None
