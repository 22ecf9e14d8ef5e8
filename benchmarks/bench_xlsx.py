"""The Excel workbook's cost (issue 18): run by hand, print figures. Not a test.

    python benchmarks/bench_xlsx.py            # the demo, then a 2,000-item bank
    python benchmarks/bench_xlsx.py --quick    # fewer runs

Whole processes (`soc2-tui export … --format xlsx`, `soc2-tui import FILE.xlsx`), each a median
after a warm-up run, beside the same command in CSV: compare the ratios, not the absolute numbers
(the machine is shared and noisy). Results go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import ENV, PY, REPORT_CHILD, machine, make_bank, report_command  # noqa: E402

FILL = """
import sys
from pathlib import Path
from soc2_tui import banks
from soc2_tui.store import Store

bank, db = sys.argv[1], sys.argv[2]
q = banks.load_questionnaire(extra=[Path(bank)])
statuses = ["operating", "implemented", "in_progress", "not_started", None]
with Store(db) as s:
    a = s.create("big", principles=["security", "availability", "confidentiality"], period_start="2026-01-01",
                 period_months=12)
    batch = {}
    for n, item in enumerate(i for i in q.items.values() if i.kind != "scope"):
        st = statuses[n % 5]
        if st:
            batch[item.id] = {"status": st, "notes": f"note {n} " * 8, "owner": f"owner {n % 17}",
                              "due_date": "2027-03-31" if n % 3 == 0 else None}
    s.apply_answers(a.id, batch, by="bench")
"""


def timed(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median wall time (s) after one warm-up run, and the largest peak RSS (MB), of `cmd` through
    bench.REPORT_CHILD (which reports the child's peak memory)."""
    report_command(cmd, ENV)
    results = [report_command(cmd, ENV) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def measure(label: str, db: Path, name: str, tmp: Path, runs: int, extra: list[str]) -> None:
    base = [PY, "-c", REPORT_CHILD, "--db", str(db), *extra]
    print(f"\n## {label}")
    print(f"{'':<28} {'time':>8} {'peak':>8} {'size':>10}")
    rows = {}
    for fmt in ("csv", "xlsx"):
        out = tmp / f"{name}.{fmt}"
        t, rss = timed([*base, "export", name, "--format", fmt, "-o", str(out), "--force"], runs)
        rows[f"export {fmt}"] = (t, rss, out.stat().st_size)
    for fmt in ("csv", "xlsx"):
        out = tmp / f"{name}.{fmt}"
        t, rss = timed([*base, "import", str(out), "--into", name], runs)
        rows[f"import {fmt} (unchanged)"] = (t, rss, out.stat().st_size)
    for key, (t, rss, size) in rows.items():
        print(f"{key:<28} {t * 1000:6.0f} ms {rss:6.0f} MB {size / 1000:8.0f} kB")
    for verb in ("export", "import"):
        csv_t = rows[f"{verb} csv" if verb == "export" else "import csv (unchanged)"][0]
        xlsx_t = rows[f"{verb} xlsx" if verb == "export" else "import xlsx (unchanged)"][0]
        print(f"{verb}: xlsx / csv = {xlsx_t / csv_t:.2f}")


def in_process(db: Path, name: str, extra: list[str]) -> None:
    """The workbook alone, without start-up: openpyxl's import, building and zipping, reading back."""
    code = f"""
import sys, time
t = time.perf_counter(); import openpyxl; imp = time.perf_counter() - t
from datetime import date
from pathlib import Path
from soc2_tui import startup
from soc2_tui.interchange import xlsx_export, importer
from soc2_tui.store import Store
q = startup.load_banks({extra[1:] if extra else []!r})
with Store({str(db)!r}) as s:
    a = s.get({name!r}); answers = s.answers(a.id)
t = time.perf_counter()
data = xlsx_export.assessment_xlsx(q, a, answers, date.today())
build = time.perf_counter() - t
p = Path({str(db)!r}).with_suffix(".inproc.xlsx"); p.write_bytes(data)
t = time.perf_counter(); importer.read_file(p, q); read = time.perf_counter() - t
print(f"in process: import openpyxl {{imp * 1000:.0f}} ms, build + zip {{build * 1000:.0f}} ms, "
      f"read + validate {{read * 1000:.0f}} ms")
"""
    print(subprocess.run([PY, "-c", code], check=True, capture_output=True, text=True, env=ENV).stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer runs")
    args = ap.parse_args()
    runs = 3 if args.quick else 7
    print(f"# soc2-tui workbook benchmarks — {time.strftime('%Y-%m-%d')}\nmachine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        demo = tmp / "demo.db"
        subprocess.run([PY, "-m", "soc2_tui", "--db", str(demo), "demo"], check=True, capture_output=True, env=ENV)
        measure("The demo (213 items: 30 scope, 155 controls, 27 policies)", demo, "demo", tmp, runs, [])
        in_process(demo, "demo", [])
        bank = tmp / "bank"
        bank.mkdir()
        make_bank(bank, 2000)
        big = tmp / "big.db"
        subprocess.run([PY, "-c", FILL, str(bank), str(big)], check=True, env=ENV)
        extra = ["--questionnaires", str(bank)]
        measure("2,000 synthetic controls beside the built-in banks (2,213 items, four in five answered)", big,
                "big", tmp, runs, extra)
        in_process(big, "big", extra)


if __name__ == "__main__":
    main()
