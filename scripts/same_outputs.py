"""Render the outputs other tools rely on, from one source tree, on a fixed date and clock.

Used to show that a refactoring changed no byte of what users get:

    python scripts/same_outputs.py OLD_COMMIT            # renders OLD and the work tree, diffs
    python scripts/same_outputs.py --render TREE OUTDIR  # what the above runs for each tree

It writes the demo report (Markdown, JSON, CSV), `score --json`, `export` JSON and CSV and
`questions` JSON and CSV. The date is 2026-11-26 and every timestamp 2026-11-26T09:00:00Z, so two
runs of the same code give the same bytes. The snapshot SVGs are covered by the snapshot tests,
which compare against the SVG files kept in tests/__snapshots__/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

COMMANDS = {
    "report.md": ["report", "demo", "-o", "{out}"],
    "report.json": ["report", "demo", "--format", "json", "-o", "{out}"],
    "report.csv": ["report", "demo", "--format", "csv", "-o", "{out}"],
    "export.json": ["export", "demo", "--format", "json", "-o", "{out}"],
    "export.csv": ["export", "demo", "--format", "csv", "-o", "{out}"],
    "questions.json": ["questions", "--format", "json"],
    "questions.csv": ["questions", "--format", "csv"],
    "score.json": ["score", "demo", "--json"],
    "list.json": ["list", "--json"],
}

# Runs inside a fresh interpreter with the tree on sys.path: freeze the clock, then drive the CLI.
DRIVER = r'''
import contextlib, datetime as dt, io, sys
class FixedDate(dt.date):
    @classmethod
    def today(cls): return cls(2026, 11, 26)
class FixedDateTime(dt.datetime):
    @classmethod
    def now(cls, tz=None): return cls(2026, 11, 26, 9, 0, 0, tzinfo=tz)
    @classmethod
    def utcnow(cls): return cls(2026, 11, 26, 9, 0, 0)
dt.date, dt.datetime = FixedDate, FixedDateTime
from soc2_tui.cli import main
db, outdir, commands = sys.argv[1], sys.argv[2], eval(sys.argv[3])
assert main(["--db", db, "demo"]) == 0
for name, argv in commands.items():
    out = f"{outdir}/{name}"
    argv = [a.replace("{out}", out) for a in argv]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["--db", db, *argv])
    if "-o" not in argv:
        open(out, "w", encoding="utf-8").write(buf.getvalue())
    print(name, code)
'''


def render(tree: Path, outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {"PYTHONPATH": str(tree), "SOC2_TUI_NO_CACHE": "1", "PATH": "/usr/bin:/bin",
               "HOME": tmp, "LANG": "C.UTF-8"}
        subprocess.run([sys.executable, "-c", DRIVER, f"{tmp}/a.db", str(outdir), repr(COMMANDS)],
                       check=True, env=env, cwd=tmp, stdout=subprocess.DEVNULL)
        # Items carry their source file: name the tree the same way whichever tree it is.
        for out in outdir.iterdir():
            text = out.read_text(encoding="utf-8")
            for where in (str(tree), os.path.relpath(tree, tmp)):
                text = text.replace(where + "/", "TREE/")
            out.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--render"]:
        render(Path(argv[1]).resolve(), Path(argv[2]).resolve())
        return 0
    old = argv[0]
    repo = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(repo), "worktree", "add", "--detach", str(tree), old],
                       check=True, capture_output=True)
        try:
            render(tree, Path(tmp) / "out-old")
            render(repo, Path(tmp) / "out-new")
            diff = subprocess.run(["diff", "-rq", str(Path(tmp) / "out-old"), str(Path(tmp) / "out-new")])
        finally:
            subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(tree)], check=True)
        sizes = {p.name: p.stat().st_size for p in sorted((Path(tmp) / "out-new").iterdir())}
        print("compared:", ", ".join(f"{k} ({v} bytes)" for k, v in sizes.items()))
        print("identical" if diff.returncode == 0 else "DIFFERENT")
        return diff.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
