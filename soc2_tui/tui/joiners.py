"""The zero-width joiner and non-joiner, typed into a text field, are kept.

Textual inserts a typed key only when Python's `str.isprintable` calls its character printable,
and Python counts U+200D (zero-width joiner) and U+200C (zero-width non-joiner) as format
characters, not printable ones: typed, they were silently dropped, which broke emoji sequences
(👩‍💻 is 👩 U+200D 💻) and Persian or Indic names, where the non-joiner is part of the spelling.
Pasted text always kept them. The app passes these two keys on marked printable
(`Soc2App.on_event`), so the focused Input or TextArea inserts them as any other character: in
order, at the cursor, over a selection, within the field's restrictions. Every other format
character (the bidi overrides and isolates among them) is still not typed; `terminal.safe` shows
them visibly wherever they come from.
"""

from __future__ import annotations

from textual import events

JOINERS = frozenset("\u200c\u200d")


class _TypedJoiner(events.Key):
    """A typed joiner, printable for the widget it reaches."""

    @property
    def is_printable(self) -> bool:
        return True


_TypedJoiner.handler_name = events.Key.handler_name  # handled as the key it is, not a new message


def typed_key(event: events.Key) -> events.Key:
    """`event`, or for a typed joiner the same key marked printable."""
    if event.character is None or event.character not in JOINERS:
        return event
    return _TypedJoiner(event.key, event.character)
