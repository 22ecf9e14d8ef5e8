"""Sizes and times of the gap report in each format (issue 18): run by hand, print figures.

    python benchmarks/report_formats.py            # the demo and a 2,000-item bank
    python benchmarks/report_formats.py --quick    # fewer repetitions

For each format: the whole `soc2-tui report NAME --format F -o FILE` command (median wall time
and median CPU time of several runs after a warm-up), the render alone inside one process (CPU
time, median, imports already done), and the file's size. CPU time is the figure to read on a
shared machine: the wall clock also counts the time other programs held the cores. The
2,000-item bank is bench.py's synthetic one, every item answered once.
Results go in docs/performance.md; compare ratios, not absolute numbers (the machine is noisy).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import ENV, PY, machine, make_bank  # noqa: E402

FORMATS = ("md", "html", "docx")

FILL = textwrap.dedent("""
    import sys
    from pathlib import Path
    from soc2_tui import banks
    from soc2_tui.store import Store

    bank, db = Path(sys.argv[1]), Path(sys.argv[2])
    q = banks.load_questionnaire(extra=[bank], builtin=False)
    statuses = ["operating", "implemented", "in_progress", "not_started", "operating"]
    with Store(db) as s:
        a = s.create("scale", principles=["security", "availability", "confidentiality"],
                     period_start="2026-01-01", period_months=12)
        s.apply_answers(a.id, {iid: {"status": statuses[n % 5], "owner": "Ops", "notes": f"note {n}"}
                               for n, iid in enumerate(q.items)}, by="bench")
""")

RENDER = textwrap.dedent("""
    import json, statistics, sys, time
    from datetime import date
    from pathlib import Path
    from soc2_tui import banks
    from soc2_tui.store import Store
    from soc2_tui.formats import REPORT_FORMATS, source_from

    db, name, runs = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    extra = [Path(p) for p in sys.argv[4:]]
    q = banks.load_questionnaire(extra=extra, builtin=not extra)
    out = {}
    with Store(db) as s:
        a = s.get(name)
        source = source_from(s, q, a, s.answers(a.id), date(2026, 11, 26))
    for fmt in ("md", "html", "docx"):
        REPORT_FORMATS[fmt].write(source)  # warm-up: imports
        times = []
        for _ in range(runs):
            t = time.process_time()  # CPU time: steadier than the wall clock on a shared machine
            data = REPORT_FORMATS[fmt].write(source)
            times.append(time.process_time() - t)
        size = len(data if isinstance(data, bytes) else data.encode())
        out[fmt] = {"render": statistics.median(times), "bytes": size}
    print(json.dumps(out))
""")


def whole_command(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of a command, after one warm-up."""
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=ENV)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def measure(label: str, db: Path, name: str, runs: int, bank: Path | None = None) -> None:
    extra = [str(bank)] if bank else []
    render = json.loads(subprocess.run([PY, "-c", RENDER, str(db), name, str(runs), *extra], check=True,
                                       capture_output=True, text=True, env=ENV).stdout)
    print(f"\n## {label}")
    print(f"{'format':>7} {'command wall':>13} {'command CPU':>12} {'render CPU':>11} {'size':>12}")
    base = None
    for fmt in FORMATS:
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [PY, "-m", "soc2_tui", "--db", str(db), *(["--questionnaires", str(bank)] if bank else []),
                   "report", name, "--format", fmt, "-o", str(Path(tmp) / f"r.{fmt}"), "--force"]
            wall, cpu = whole_command(cmd, runs)
        r = render[fmt]
        base = base or cpu
        print(f"{fmt:>7} {wall * 1000:>10.0f} ms {cpu * 1000:>9.0f} ms {r['render'] * 1000:>8.0f} ms "
              f"{r['bytes']:>11,}B   command CPU ×{cpu / base:.1f} of md")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    runs = 3 if args.quick else 7
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        subprocess.run([PY, "-m", "soc2_tui", "--db", str(db), "demo"], check=True, capture_output=True, env=ENV)
        measure("demo", db, "demo", runs)
        bank = Path(tmp) / "bank"
        bank.mkdir()
        make_bank(bank, 2000)
        big = Path(tmp) / "big.db"
        subprocess.run([PY, "-c", FILL, str(bank), str(big)], check=True, env=ENV)
        measure("2,000 items, every one answered", big, "scale", max(3, runs // 2), bank)


if __name__ == "__main__":
    main()
