"""The output formats, in one table each: what `report`, `export` and `questions` can write.

Each entry names the format, its file suffix and the function that writes it; argparse takes its
choices and default from here, the CLI handlers and the app's export action call `write`.
Adding a format is one function and one entry; a binary one (bytes, not text) says
`binary=True`. Writers import their module when called, so a command pays only for the format
it writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from soc2_tui.model import Answer, Assessment, Change, Disagreement, Questionnaire, TrailVerdict


@dataclass(frozen=True)
class Source:
    """Everything a writer may use, read from the file for one assessment."""

    q: Questionnaire
    a: Assessment
    answers: Mapping[str, Answer]
    today: date
    history: Sequence[Change] = ()  # the rows the report reads (reports.markdown.report_history)
    compare: Mapping[str, Any] | None = None  # a snapshot (Store.snapshot), for progress since it
    trail: TrailVerdict | None = None  # the audit trail's check (Store.verify), stated in the report
    disagreements: Sequence[Disagreement] = ()  # the unresolved ones (Store.disagreements), in the report
    template: str | None = None  # `report --format docx --template REF.docx`: styles, header and footer


@dataclass(frozen=True)
class Format:
    name: str  # as given to --format
    suffix: str  # for default file names
    description: str
    write: Callable[[Source], str | bytes]  # bytes for a binary format (Word, Excel): see `binary`
    binary: bool = False  # never written to a terminal; -o FILE (or a pipe) needed


def source_from(store: Any, q: Questionnaire, a: Assessment, answers: Mapping[str, Answer], today: date,
                until: str | None = None) -> Source:
    """A report's Source read from a Store the way markdown.render_from reads it (the history
    rows the report uses, the trail's check, the disagreements), for the app's export: every
    format then states what the Markdown on the screen states. `until`: a snapshot's time."""
    from soc2_tui.reports import markdown

    return Source(q, a, answers, today, history=markdown.report_history(store, a.id, until=until),
                  trail=store.verify(a.id) if until is None else None,
                  disagreements=store.disagreements(a.id, until=until))


def for_suffix(formats: Mapping[str, Format], path: str) -> str:
    """The format a file name's ending asks for (`.docx` -> docx); the default for any other."""
    lower = path.lower()
    return next((f.name for f in formats.values() if lower.endswith(f.suffix)), default(formats))


def _markdown(s: Source) -> str:
    from soc2_tui.reports import markdown

    return markdown.render(s.q, s.a, s.answers, today=s.today, compare=s.compare, history=s.history,
                           trail=s.trail, disagreements=s.disagreements)


def _report_args(s: Source) -> dict[str, Any]:
    return {"today": s.today, "compare": s.compare, "history": s.history, "trail": s.trail,
            "disagreements": s.disagreements}


def _docx(s: Source) -> bytes:
    from soc2_tui.reports import word

    return word.render(s.q, s.a, s.answers, template=s.template, **_report_args(s))


def _html(s: Source) -> str:
    from soc2_tui.reports import html

    return html.render(s.q, s.a, s.answers, **_report_args(s))


def _assessment_json(s: Source) -> str:
    from soc2_tui.interchange import export

    return export.assessment_json(s.q, s.a, s.answers, today=s.today)


def _assessment_csv(s: Source) -> str:
    from soc2_tui.interchange import export

    return export.assessment_csv(s.q, s.a, s.answers)


def _assessment_xlsx(s: Source) -> bytes:
    from soc2_tui.interchange import xlsx_export

    return xlsx_export.assessment_xlsx(s.q, s.a, s.answers, today=s.today)


def _gaps_csv(s: Source) -> str:
    from soc2_tui.interchange import export

    return export.gaps_csv(s.q, s.a, s.answers, today=s.today)


def _registry(*formats: Format) -> dict[str, Format]:
    return {f.name: f for f in formats}


# `soc2-tui report`: the first entry is the default.
REPORT_FORMATS = _registry(
    Format("md", ".md", "the gap report in Markdown", _markdown),
    Format("docx", ".docx", "the gap report as a Word document", _docx, binary=True),
    Format("html", ".html", "the gap report as one web page with charts", _html),
    Format("json", ".json", "every item with its answer, and the scores", _assessment_json),
    Format("csv", ".csv", "the gaps, one row each, in priority order", _gaps_csv),
)

# `soc2-tui export`: every item with its answer; `soc2-tui import` reads both back.
EXPORT_FORMATS = _registry(
    Format("json", ".json", "every item with its answer, and the scores", _assessment_json),
    Format("csv", ".csv", "every item with its answer, one row each", _assessment_csv),
    Format("xlsx", ".xlsx", "an Excel workbook for a client to fill in (a sheet per flow, drop-down statuses)",
           _assessment_xlsx, binary=True),
)


def _questions_json(q: Questionnaire) -> str:
    from soc2_tui.interchange import export

    return export.questions_json(q)


def _questions_csv(q: Questionnaire) -> str:
    from soc2_tui.interchange import export

    return export.questions_csv(q)


# `soc2-tui questions`: the question bank itself ("table" prints to the terminal instead).
QUESTION_FORMATS: dict[str, Callable[[Questionnaire], str]] = {"json": _questions_json, "csv": _questions_csv}


def default(formats: Mapping[str, Format]) -> str:
    return next(iter(formats))
