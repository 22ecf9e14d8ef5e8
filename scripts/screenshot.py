#!/usr/bin/env python3
"""Regenerate docs/dashboard.svg: the dashboard of the demo assessment at 100×30.

The demo is built in a temporary folder (nothing else is touched) with today pinned, and the
picture is taken by the app's own `save_screenshot`. Run from anywhere:

    python scripts/screenshot.py            # writes docs/dashboard.svg
    python scripts/screenshot.py out.svg    # or another file
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from soc2_tui import banks, demo  # noqa: E402
from soc2_tui.store import Store  # noqa: E402
from soc2_tui.tui.app import Soc2App  # noqa: E402
from soc2_tui.tui.screens.dashboard import DashboardScreen  # noqa: E402

SIZE = (100, 30)
TODAY = date(2026, 11, 26)


async def shoot(target: Path) -> None:
    q = banks.load_questionnaire()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "soc2-readiness.db")
        try:
            a = demo.create_demo(store, q)
            app = Soc2App(store, q, respondent="Dana (CTO)", open_name=a.name, today=TODAY)
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                assert isinstance(app.screen, DashboardScreen), app.screen
                await pilot.wait_for_scheduled_animations()
                await pilot.pause()
                app.save_screenshot(filename=target.name, path=str(target.parent))
        finally:
            store.close()


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "dashboard.svg"
    target = target.resolve()
    asyncio.run(shoot(target))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
