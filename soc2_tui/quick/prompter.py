"""The prompts and the printing of quick mode: a thin wrapper around questionary and Rich.

The only module of quick mode that imports questionary; the others build their choices with the
`Choice` and `Separator` it passes on. Tests pass a `Prompter` holding prompt_toolkit pipe input
and `DummyOutput`, plus a text stream for everything quick mode prints itself.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Mapping
from typing import Any, TextIO

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from questionary import Choice, Separator
from questionary.prompts.common import InquirerControl
from rich.console import Console
from rich.text import Text

from soc2_tui.terminal import safe

__all__ = ["BACK", "GUIDANCE", "NEW", "NO_REASON", "QUIT", "SKIP", "Choice", "Prompter", "Separator", "Stop"]

# The values of the choices that are actions rather than answers.
SKIP, BACK, GUIDANCE, QUIT, NEW = "@skip", "@back", "@guidance", "@quit", "@new"

# questionary draws a disabled choice as "- Title", followed by " (reason)" when `disabled` is a
# text; True disables it with no reason shown. Its type hint admits only a text, hence Any.
NO_REASON: Any = True


class Stop(Exception):
    """The user pressed Ctrl-C (or input ended) at a prompt."""


class Prompter:
    """Asks questions with questionary and prints text; tests pass pipe input and DummyOutput.

    `input`/`output` go to prompt_toolkit (None: the real terminal); `out` receives everything
    quick mode prints itself (None: sys.stdout at the time of printing).
    """

    def __init__(self, input: Any = None, output: Any = None, out: TextIO | None = None,
                 width: int | None = None):
        self.input = input
        self.output = output
        self.out = out
        self.width = width

    # -- output

    def console(self) -> Console:
        return Console(file=self.out or sys.stdout, highlight=False, width=self.width,
                       soft_wrap=False)

    def say(self, text: str = "", *, style: str = "", indent: int = 0, hang: int = 0,
            wrap: bool = True) -> None:
        """Print plain text (not markup), wrapped to the terminal, indented (`hang`: extra indent
        of the wrapped lines, for bullets); wrap=False keeps it one line (the terminal may fold it).
        Control characters show visibly (`terminal.safe`): the text may quote names, notes, paths."""
        text = safe(text, multiline=True)
        console = self.console()
        if not wrap:
            console.print(Text(" " * indent + text, style=style), soft_wrap=True)
            return
        lines = textwrap.wrap(text, width=max(30, console.width - 1), initial_indent=" " * indent,
                              subsequent_indent=" " * (indent + hang), break_on_hyphens=False) or [""]
        console.print(Text("\n".join(lines), style=style), soft_wrap=True)

    def show(self, renderable: Any) -> None:
        self.console().print(renderable)

    # -- questions

    def _kw(self) -> dict[str, Any]:
        kw = {}
        if self.input is not None:
            kw["input"] = self.input
        if self.output is not None:
            kw["output"] = self.output
        return kw

    def _ask(self, question: questionary.Question) -> Any:
        try:
            answer = question.unsafe_ask()
        except (KeyboardInterrupt, EOFError):
            raise Stop from None
        if answer is None:
            raise Stop
        return answer

    def select(self, message: str, choices: list[Any], default: Any = None, shortcuts: bool = False,
               instruction: str | None = None, aliases: Mapping[str, Any] | None = None) -> Any:
        """One of `choices`; `aliases` (key → value) are more keys that point at a choice, as its
        shortcut does, without being shown."""
        question = questionary.select(safe(message), choices=_shown(choices), default=default,
                                      use_shortcuts=shortcuts, instruction=instruction, **self._kw())
        if aliases:
            _add_aliases(question, aliases)
        return self._ask(question)

    def checkbox(self, message: str, choices: list[Any], instruction: str | None = None,
                 validate: Callable[[list[Any]], Any] | None = None) -> list[Any]:
        """Ticked values; `validate` (when given) returns True or the reason a selection is refused."""
        kwargs: dict[str, Any] = {"validate": validate} if validate is not None else {}
        return self._ask(questionary.checkbox(safe(message), choices=_shown(choices), instruction=instruction,
                                              **kwargs, **self._kw()))

    def confirm(self, message: str, default: bool = True) -> bool:
        return bool(self._ask(questionary.confirm(safe(message), default=default, **self._kw())))

    def text(self, message: str, default: str = "", validate: Callable[[str], Any] | None = None) -> str:
        """A typed answer. A default holding control characters is offered in its visible form and
        comes back as it was when it is accepted unchanged (never saved as its escapes)."""
        shown = safe(default, multiline=True)
        kwargs: dict[str, Any] = {"default": shown}
        if validate is not None:
            kwargs["validate"] = validate
        answer = str(self._ask(questionary.text(safe(message), **kwargs, **self._kw())))
        return default if answer == shown else answer


def _add_aliases(question: questionary.Question, aliases: Mapping[str, Any]) -> None:
    app = question.application
    control = next(c for c in app.layout.find_all_controls() if isinstance(c, InquirerControl))
    bindings = KeyBindings()
    for key, value in aliases.items():
        index = next(n for n, c in enumerate(control.choices) if isinstance(c, Choice) and c.value == value)

        def point(event: Any, index: int = index) -> None:
            control.pointed_at = index

        bindings.add(key, eager=True)(point)
    app.key_bindings = merge_key_bindings([app.key_bindings, bindings]) if app.key_bindings else bindings


def _shown(choices: list[Any]) -> list[Any]:
    """The choices with their titles shown visibly: prompt_toolkit escapes C0 and C1 itself, but
    passes the bidi overrides through (a custom bank's option label may hold one)."""
    for choice in choices:
        if isinstance(choice, Choice) and isinstance(choice.title, str):
            choice.title = safe(choice.title)
    return choices
