"""Snapshots at 80×24 of where the focus is: a field of the gap analysis (tab from the tree lands
in Notes) in the dark and the light theme, and the policy editor. Regenerate one baseline with
`pytest 'tests/test_tui_snapshots_keys.py::TEST' --snapshot-update` and look at the SVG."""

from __future__ import annotations

from pathlib import Path

import pytest

APPS = Path(__file__).parent / "snapshot_apps"
SIZE = (80, 24)


@pytest.mark.parametrize("theme", ["soc2-dark", "soc2-light"])
def test_tab_from_the_tree_lands_in_notes_and_shows_it(snap_compare, theme):
    async def into_notes(pilot):
        pilot.app.theme = theme
        await pilot.pause()
        pilot.app.screen.select_item("CC2-02")
        await pilot.pause()
        await pilot.press("tab", *"Not yet: we plan")
        await pilot.pause()

    assert snap_compare(APPS / "flows_gaps.py", terminal_size=SIZE, run_before=into_notes)


@pytest.mark.parametrize("theme", ["soc2-dark", "soc2-light"])
def test_the_tree_has_the_focus_when_the_screen_opens(snap_compare, theme):
    async def opened(pilot):
        pilot.app.theme = theme
        await pilot.pause()

    assert snap_compare(APPS / "flows_gaps.py", terminal_size=SIZE, run_before=opened)


def test_policy_editor_fields_and_keys(snap_compare):
    async def edit(pilot):
        await pilot.pause()
        await pilot.press("enter", "tab")
        await pilot.pause()

    assert snap_compare(APPS / "flows_policies.py", terminal_size=SIZE, run_before=edit)
