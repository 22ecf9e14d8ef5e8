"""Snapshots at 100×30 of the home screen, the dashboard, the report and help, on the demo.

Deterministic: the demo is built in a temporary folder under a relative file name with the
store's clock pinned, today is pinned and the respondent is fixed. Regenerate the baselines
with `pytest tests/test_tui_snapshots_app.py --snapshot-update` and look at every changed SVG.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import soc2_tui.store.codec as store_codec
from soc2_tui import demo
from soc2_tui.store import Store
from soc2_tui.tui.app import Soc2App
from soc2_tui.tui.widgets.markdown_page import MarkdownPage

SIZE = (100, 30)


@pytest.fixture
def demo_app(tmp_path, monkeypatch, q):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(store_codec, "now", lambda: "2026-11-20T12:00:00.000000Z")
    store = Store(Path("demo.db"))
    demo.create_demo(store, q)
    yield Soc2App(store, q, respondent="Dana", today=date(2026, 11, 26))
    store.close()


def test_home(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=SIZE)


def test_dashboard(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["enter"], terminal_size=SIZE)


def test_report(snap_compare, demo_app):
    async def open_report(pilot):
        await pilot.press("enter", "r")
        page = pilot.app.screen.query_one(MarkdownPage)
        for _ in range(300):
            await pilot.pause(0.02)
            if page.lines and not page.rendering:
                break

    assert snap_compare(demo_app, run_before=open_report, terminal_size=SIZE)


def test_help(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["enter", "question_mark"], terminal_size=SIZE)
