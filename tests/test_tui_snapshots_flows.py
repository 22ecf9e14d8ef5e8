"""Snapshots of the scope, gap analysis and policy screens at 100x30 on the demo assessment."""

from __future__ import annotations

from pathlib import Path

APPS = Path(__file__).parent / "snapshot_apps"
SIZE = (100, 30)


def test_gap_analysis_screen(snap_compare):
    async def open_item(pilot):
        await pilot.pause()
        pilot.app.screen.select_item("CC2-02")  # in progress, with an owner, due date and notes
        await pilot.pause()

    assert snap_compare(APPS / "flows_gaps.py", terminal_size=SIZE, run_before=open_item)


def test_policy_screen(snap_compare):
    async def down(pilot):
        await pilot.pause()
        await pilot.press("down")

    assert snap_compare(APPS / "flows_policies.py", terminal_size=SIZE, run_before=down)


def test_scope_screen(snap_compare):
    assert snap_compare(APPS / "flows_scope.py", terminal_size=SIZE)
