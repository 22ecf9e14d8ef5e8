"""The report screen's export writes every report format (issue 18): the file name's ending picks
it, the prompt lists the endings, an existing file is replaced only after asking, and the Word
and HTML files say what the Markdown on the screen says."""

from __future__ import annotations

import io

import docx
from test_report import headings
from test_report_formats import Page, docx_headings
from test_tui_app import SIZE, TODAY, acme, make_app, notes, wait_rendered  # noqa: F401 (acme: a fixture)
from textual.widgets import Input, Static

from soc2_tui.formats import REPORT_FORMATS
from soc2_tui.reports import markdown
from soc2_tui.tui.dialogs.confirm import ConfirmScreen
from soc2_tui.tui.dialogs.prompt import PromptScreen
from soc2_tui.tui.screens.report import ReportScreen


async def test_export_writes_every_format_by_the_file_names_ending(store, q, acme, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    app = make_app(store, q)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.push_screen(ReportScreen(acme.id))
        await pilot.pause()
        await wait_rendered(app, pilot)
        screen = app.screen
        expected = markdown.render_from(store, q, acme, store.answers(acme.id), today=TODAY)
        assert screen.text == expected
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))  # the label and the hint
        for f in REPORT_FORMATS.values():  # the prompt says which endings give which format
            assert f.suffix in shown, f.suffix
        field = app.screen.query_one(Input)
        for name in ("r.docx", "r.html", "r.json", "r.csv", "r.md"):
            field.value = name
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReportScreen), name
            assert (tmp_path / name).stat().st_mode & 0o777 == 0o600
            said = notes(app)[-1]
            assert said.startswith("Wrote the report (") and said.endswith(name), said
            await pilot.press("e")
            await pilot.pause()
            field = app.screen.query_one(Input)
        await pilot.press("escape")
        await pilot.pause()
    d = docx.Document(io.BytesIO((tmp_path / "r.docx").read_bytes()))
    assert docx_headings(d) == headings(expected)
    assert Page((tmp_path / "r.html").read_text(encoding="utf-8")).headings == headings(expected)
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == expected
    assert (tmp_path / "r.json").read_text(encoding="utf-8").startswith("{")


async def test_export_asks_before_replacing_a_word_file(store, q, acme, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "Acme.docx"
    target.write_bytes(b"old")
    app = make_app(store, q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(ReportScreen(acme.id))
        await pilot.pause()
        await wait_rendered(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = "Acme.docx"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert target.read_bytes() == b"old"
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = "Acme.docx"
        await pilot.press("enter", "y")
        await pilot.pause()
    assert target.read_bytes()[:2] == b"PK"
    assert docx.Document(str(target)).paragraphs[0].text == "SOC 2 readiness report: Acme"
