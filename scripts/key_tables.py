#!/usr/bin/env python3
"""Write the key tables of docs/tui.md and docs/tui-flows.md from the app's own key tables
(soc2_tui/tui/key_tables.py), the source the screens bind and help lists.

Each `<!-- keys: NAME -->` … `<!-- /keys -->` block is refilled; tests/test_tui_keys.py fails
when a doc and the app differ. Run from anywhere after changing a key:

    python scripts/key_tables.py           # rewrites the docs
    python scripts/key_tables.py --check   # exit 1 when a doc is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from soc2_tui.tui.key_tables import with_key_tables  # noqa: E402

DOCS = ("docs/tui.md", "docs/tui-flows.md")


def main(argv: list[str]) -> int:
    stale = []
    for name in DOCS:
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        new = with_key_tables(text)
        if new != text:
            stale.append(name)
            if "--check" not in argv:
                path.write_text(new, encoding="utf-8")
    if stale:
        print(("out of date: " if "--check" in argv else "wrote: ") + ", ".join(stale))
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
