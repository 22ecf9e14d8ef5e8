"""The gap report rendered in the app, with an export action that writes it to a file in any
report format (formats.REPORT_FORMATS): the ending of the file name picks it."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Header, OptionList

from soc2_tui.errors import UserError
from soc2_tui.interchange import snapshots
from soc2_tui.labels import file_slug
from soc2_tui.model import Answer, Assessment, Questionnaire
from soc2_tui.tui import key_tables
from soc2_tui.tui.base import Soc2Screen
from soc2_tui.tui.keys import bindings
from soc2_tui.tui.messages import Saved
from soc2_tui.tui.widgets.footer import KeyFooter
from soc2_tui.tui.widgets.markdown_page import MarkdownPage

if TYPE_CHECKING:
    from soc2_tui.store import Store


def report_markdown(q: Questionnaire, a: Assessment, answers: dict[str, Answer], today: date,
                    store: Store | None = None, until: str | None = None) -> str:
    """The Markdown gap report (reports/markdown.py), imported when the screen first needs it;
    the same text `soc2-tui report` writes (with the store: its history signals too)."""
    from soc2_tui.reports import markdown

    if store is None:
        return markdown.render(q, a, answers, today=today)
    return markdown.render_from(store, q, a, answers, today=today, until=until)


def default_report_name(name: str) -> str:
    return f"{file_slug(name)}-report.md"


def format_choices() -> str:
    """The endings the export understands, for the prompt: ".md Markdown, .docx Word, …"."""
    from soc2_tui.formats import REPORT_FORMATS

    return ", ".join(f"{f.suffix} ({f.description.removeprefix('the ')})" for f in REPORT_FORMATS.values())


class ReportScreen(Soc2Screen):
    CSS_PATH = "report.tcss"
    HELP_NAME = "Report"
    KEYS = key_tables.REPORT
    BINDINGS = bindings(KEYS)

    def __init__(self, assessment_id: int, snapshot: dict[str, Any] | None = None) -> None:
        """The live report, or with `snapshot` (Store.snapshot) the report as it was then."""
        super().__init__()
        self.assessment_id = assessment_id
        self.snapshot = snapshot
        self.text = ""
        self.assessment: Assessment | None = None
        self.answers: dict[str, Answer] = {}  # what self.text was made from, for the other formats

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="report-body"):
            yield OptionList(id="report-contents")
            yield MarkdownPage(placeholder="Preparing the report…", id="report")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#report-contents").display = False
        if self.snapshot is None:  # a snapshot is frozen: nothing to follow
            self.soc2.follow_saves(self, self._on_revision)
        self.reload()
        self.query_one(MarkdownPage).focus()

    def _on_revision(self, _saved: Saved) -> None:
        self.reload()

    def reload(self) -> None:
        app = self.soc2
        if self.snapshot is not None:
            a, answers = snapshots.thaw(self.assessment_id, self.snapshot)
            self.assessment, self.answers = a, answers
            label = f" “{self.snapshot['label']}”" if self.snapshot.get("label") else ""
            self.title = f"{a.name}: snapshot #{self.snapshot['id']}{label} (read-only)"
            self.sub_title = f"{app.file_label} · frozen {self.snapshot['created_at'][:16].replace('T', ' ')} UTC"
            text = app.call_store(report_markdown, app.q, a, answers, app.today, app.store,
                                  until=self.snapshot.get("created_at") or None)
            if text is None:
                return
            self.text = text
            self.query_one(MarkdownPage).update(self.text)
            return
        state = app.load_state(self.assessment_id, gone=self.dismiss)
        if state is None:
            return
        a, answers = state
        self.assessment, self.answers = a, answers
        self.title = f"{a.name}: report"
        self.sub_title = app.file_label
        text = app.call_store(report_markdown, app.q, a, answers, app.today, app.store)
        if text is None:
            return
        self.text = text
        self.query_one(MarkdownPage).update(self.text)

    def on_markdown_page_rendered(self, event: MarkdownPage.Rendered) -> None:
        page = event.page
        contents = self.query_one("#report-contents", OptionList)
        highlighted = contents.highlighted
        contents.clear_options()
        contents.add_options([s.title for s in page.sections])
        if page.sections:
            contents.highlighted = min(highlighted or 0, len(page.sections) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        page = self.query_one(MarkdownPage)
        page.scroll_to_section(event.option_index)
        page.focus()

    def action_toggle_contents(self) -> None:
        contents = self.query_one("#report-contents", OptionList)
        contents.display = not contents.display
        page = self.query_one(MarkdownPage)
        if contents.display:
            current = page.current_section()
            if current >= 0:
                contents.highlighted = current
            contents.focus()
        else:
            page.focus()

    def action_section(self, step: int) -> None:
        page = self.query_one(MarkdownPage)
        page.scroll_to_section(max(0, page.current_section() + step))

    def action_back(self) -> None:
        """esc closes the contents first (where the focus is), then the report."""
        contents = self.query_one("#report-contents", OptionList)
        if contents.display:
            self.action_toggle_contents()
            return
        self.dismiss()

    # ------------------------------------------------------------------ export

    def action_export(self) -> None:
        from soc2_tui.tui.dialogs.prompt import PromptScreen

        if self.assessment is None:
            return
        name = self.assessment.name

        def check(text: str) -> str | None:
            if not text:
                return "Please give a file name."
            path = Path(text).expanduser()
            try:
                if path.is_dir() or text.endswith("/"):
                    return f"{path} is a folder; add a file name, e.g. {path / default_report_name(name)}"
                if not path.parent.is_dir():
                    return f"There is no folder {path.parent}."
                os.lstat(path)
            except FileNotFoundError:
                pass
            except OSError as exc:  # a name too long for the system …
                return f"{path}: {exc.strerror}."
            return None

        self.app.push_screen(PromptScreen(
            "Export the report", default_report_name(name),
            label="Write the report to this file; its ending picks the format:", ok="Export",
            hint=f"{format_choices()}; any other ending: Markdown. A relative path is saved under {Path.cwd()}",
            check=check), self._export_to)

    def _export_to(self, text: str | None) -> None:
        from soc2_tui.tui.dialogs.confirm import ConfirmScreen

        if not text:
            return
        path = Path(text).expanduser()
        if os.path.lexists(path):  # a link that points nowhere is still replaced only when asked
            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._write(path)

            self.app.push_screen(ConfirmScreen(f"{path} already exists. Replace it with this report?",
                                               title="Replace the file?", confirm="Replace", danger=True),
                                 confirmed)
            return
        self._write(path)

    def _write(self, path: Path) -> None:
        from soc2_tui.files import write_bytes_atomic, write_text_atomic
        from soc2_tui.formats import REPORT_FORMATS, for_suffix

        fmt = REPORT_FORMATS[for_suffix(REPORT_FORMATS, path.name)]
        try:
            data = self.text if fmt.name == "md" else self._other_format(fmt.name)
            if isinstance(data, bytes):
                write_bytes_atomic(path, data, force=True)
            else:
                write_text_atomic(path, data, force=True)
        except UserError as exc:
            self.notify(f"Not exported: {exc}", severity="error", timeout=8, markup=False)
            return
        self.notify(f"Wrote the report ({fmt.description.removeprefix('the ')}) to {path.resolve()}", markup=False)

    def _other_format(self, name: str) -> str | bytes:
        """The report in another format, from the same inputs as the Markdown on the screen."""
        from soc2_tui.formats import REPORT_FORMATS, source_from

        app = self.soc2
        assert self.assessment is not None
        until = (self.snapshot.get("created_at") or None) if self.snapshot is not None else None
        source = source_from(app.store, app.q, self.assessment, self.answers, app.today, until=until)
        return REPORT_FORMATS[name].write(source)
