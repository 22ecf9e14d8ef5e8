"""Snapshot app: the policies screen on the demo assessment (run it with python to look at it)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from flows_app import demo_app  # noqa: E402

app = demo_app("policies")

if __name__ == "__main__":
    app.run()
