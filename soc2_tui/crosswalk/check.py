"""The check of a question bank's `references` against the declared frameworks.

A reference to a declared framework (by its id or one of its keys) must name one of its control
ids: anything else is an error naming the item, the framework and the id, at the item's
FILE:LINE. A key no framework declares is allowed (a bank may cite PCI DSS, HIPAA, its firm's
own catalogue …) and reported once per key as an undeclared framework: a warning, not an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from soc2_tui.crosswalk.frameworks import Framework, by_name
from soc2_tui.errors import Problem
from soc2_tui.model import Questionnaire


@dataclass(frozen=True)
class Findings:
    errors: tuple[Problem, ...]  # unknown ids of declared frameworks
    warnings: tuple[Problem, ...]  # keys naming no declared framework, once per key


def _where(source: str) -> tuple[str, int]:
    file, _, line = source.rpartition(":")
    return (file, int(line)) if file and line.isdigit() else (source, 0)


def _suggestion(fw: Framework, ref: str) -> str:
    """A near miss worth naming: another letter case, or ISO's 'A.' prefix left out."""
    folded = {cid.casefold(): cid for cid in fw.controls}
    for guess in (ref.strip(), f"A.{ref.strip()}"):
        if guess.casefold() in folded:
            return f"; did you mean {folded[guess.casefold()]}?"
    return ""


def check_references(q: Questionnaire, frameworks: tuple[Framework, ...]) -> Findings:
    table = by_name(frameworks)
    errors: list[Problem] = []
    undeclared: dict[str, tuple[Problem, int]] = {}
    for item in q.items.values():
        for key, refs in item.references.items():
            file, line = _where(item.source)
            fw = table.get(key) or table.get(key.casefold())
            if fw is None:
                first, n = undeclared.get(key, (Problem(file, line, ""), 0))
                undeclared[key] = (first, n + 1)
                continue
            for ref in refs:
                if ref not in fw.controls:
                    errors.append(Problem(file, line, f"item {item.id}: {fw.name} ({key}) has no control {ref!r}"
                                                      f"{_suggestion(fw, ref)}"))
    names = ", ".join(fw.id for fw in frameworks) or "none"
    warnings = [Problem(p.file, p.line, f"warning: undeclared framework {key!r} in the references of "
                                        f"{n} item{'s' if n != 1 else ''} (not checked; declared: {names})")
                for key, (p, n) in undeclared.items()]
    return Findings(tuple(errors), tuple(warnings))
