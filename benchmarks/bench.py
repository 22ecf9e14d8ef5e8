"""soc2-tui benchmarks: run by hand, print figures. Not a test.

    python benchmarks/bench.py            # everything
    python benchmarks/bench.py scale      # only the scale part (also: start, report, latency, import,
                                          # history, live)
    python benchmarks/bench.py --quick    # fewer repetitions and sizes, for a smoke run

Every figure is a median of several runs in this one process tree on this one machine; compare
the ratios, not the absolute numbers (the machines are noisy). Results go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable


# Measure what a user gets: an installed package has its bytecode compiled, so let the children
# write and use .pyc files even where the environment says PYTHONDONTWRITEBYTECODE.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def median_time(cmd: list[str], runs: int, env: dict | None = None, cwd: str | None = None) -> float:
    env = env or ENV
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    times = []  # after one warm-up run (bytecode, question-bank cache, OS file cache)
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, "
            f"Python {platform.python_version()}")


# ----------------------------------------------------------------------------- 1. app start

MINIMAL_APP = textwrap.dedent("""
    from textual.app import App
    from textual.widgets import Footer, Header, Label

    class Minimal(App):
        def compose(self):
            yield Header()
            yield Label("hello")
            yield Footer()

        def on_ready(self):
            self.exit()

    Minimal().run(headless=True)
""")

SOC2_APP = textwrap.dedent("""
    import importlib.util, sys
    from importlib.abc import MetaPathFinder

    # The real command line and start-up path, run headless, exiting on the first frame. The
    # app module is patched as it is first imported (importing it here would move Textual's
    # import out of the start-up path that `soc2-tui` really takes).
    def patch(app_mod):
        original_run, original_ready = app_mod.Soc2App.run, app_mod.Soc2App.on_ready

        def run(self, *args, **kwargs):
            kwargs["headless"] = True
            return original_run(self, *args, **kwargs)

        def on_ready(self):
            original_ready(self)
            self.exit()

        app_mod.Soc2App.run, app_mod.Soc2App.on_ready = run, on_ready

    class Hook(MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name != "soc2_tui.tui.app":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            exec_module = spec.loader.exec_module
            spec.loader.exec_module = lambda module: (exec_module(module), patch(module))
            return spec

    sys.meta_path.insert(0, Hook())
    from soc2_tui.cli import main
    sys.exit(main(["--db", sys.argv[1], "--as", "bench"]))
""")


def paired_times(a: list[str], b: list[str], runs: int) -> tuple[float, float, float]:
    """Run a and b alternately (one warm-up each): medians of a, of b, and of the ratios b/a.

    Alternating puts both under the same background load; the median of per-pair ratios is
    steadier than the ratio of two medians on this noisy machine.
    """
    def once(cmd: list[str]) -> float:
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        return time.perf_counter() - t

    once(a), once(b)
    ta, tb = [], []
    for _ in range(runs):
        ta.append(once(a))
        tb.append(once(b))
    return (statistics.median(ta), statistics.median(tb),
            statistics.median(y / x for x, y in zip(ta, tb)))


def bench_start(runs: int, db: Path) -> None:
    print("\n## 1. App start (process start → first frame of the home screen, headless)")
    floor, ours, ratio = paired_times([PY, "-c", MINIMAL_APP], [PY, "-c", SOC2_APP, str(db)], runs * 2)
    print(f"minimal Textual app : {floor * 1000:7.0f} ms")
    print(f"soc2-tui (demo file): {ours * 1000:7.0f} ms")
    print(f"ratio               : {ratio:7.2f}   (median of {runs * 2} alternating pairs; target ≤ 1.25)")


# ----------------------------------------------------------------------------- 2. CLI report


def bench_report(runs: int, db: Path) -> None:
    print("\n## 2. CLI report (whole process: soc2-tui report demo -o a file in a temporary folder)")
    floor = median_time([PY, "-c", "import sqlite_utils, yaml"], runs)
    out = Path(tempfile.mkdtemp()) / "r.md"
    mine = median_time([PY, "-m", "soc2_tui", "--db", str(db), "report", "demo", "-o", str(out), "--force"], runs)
    print(f"floor (import sqlite_utils, yaml): {floor * 1000:7.0f} ms")
    print(f"soc2-tui report demo             : {mine * 1000:7.0f} ms")
    print(f"ratio                            : {mine / floor:7.2f}   (target ≤ 1.5)")


# ----------------------------------------------------------------------------- 3. scale

SCALE_CHILD = textwrap.dedent("""
    import gc, json, resource, sys, time
    from datetime import date
    from pathlib import Path
    from soc2_tui import banks, scoring
    from soc2_tui.store import Store

    bank_dir, db, phase = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    gc.disable()  # as in `soc2-tui report` and the other one-shot commands (cli.main)
    t = time.perf_counter()
    q = banks.load_questionnaire(extra=[bank_dir], builtin=False, cache=False)
    parse = time.perf_counter() - t  # parse + validate every YAML file
    banks.load_questionnaire(extra=[bank_dir], builtin=False)  # make sure the cache holds it
    t = time.perf_counter()
    q = banks.load_questionnaire(extra=[bank_dir], builtin=False)
    load = time.perf_counter() - t  # what a start pays when the banks did not change
    out = {"parse": parse, "load": load, "items": len(q.items)}
    if phase == "fill":
        ids = [i for i in q.items]
        statuses = ["operating", "implemented", "in_progress", "not_started", "operating"]
        with Store(db) as s:
            a = s.create("scale", principles=["security", "availability", "confidentiality"],
                         period_start="2026-01-01", period_months=12)
            changes = 0
            rnd = 0
            while changes < 100_000:  # two history rows (status, notes) per item per round
                batch = {iid: {"status": statuses[(n + rnd) % 5], "notes": f"round {rnd}"}
                         for n, iid in enumerate(ids[: (100_000 - changes + 1) // 2])}
                changes += s.apply_answers(a.id, batch, by="bench")
                rnd += 1
            out["history_rows"] = s.conn.execute("SELECT count(*) FROM history").fetchone()[0]
    else:
        with Store(db) as s:
            a = s.get("scale")
            t = time.perf_counter()
            answers = s.answers(a.id)
            out["read_answers"] = time.perf_counter() - t
            t = time.perf_counter()
            result = scoring.score(q, a, answers, today=date(2026, 11, 26))
            out["score"] = time.perf_counter() - t
            try:
                from soc2_tui.reports import markdown
                t = time.perf_counter()
                text = markdown.render(q, a, answers, today=date(2026, 11, 26))
                out["report"] = time.perf_counter() - t
                out["report_bytes"] = len(text.encode())
            except ImportError:
                out["report"] = None
            t = time.perf_counter()
            s.verify(a.id)  # the audit trail check the report states (100,000 changes)
            out["verify"] = time.perf_counter() - t
            t = time.perf_counter()
            s.history(a.id, q.items and next(iter(q.items)))
            out["history_one_item"] = time.perf_counter() - t
        out["file_bytes"] = db.stat().st_size
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))
""")

SERIES = ["CC1", "CC2", "CC3", "CC4", "CC5", "CC6", "CC7", "CC8", "CC9", "A1", "C1"]


def make_bank(directory: Path, n: int) -> None:
    """A synthetic, valid bank of n controls, in files of at most 500 items."""
    import random

    rng = random.Random(n)
    sys.path.insert(0, str(ROOT))
    crit_by_series: dict[str, list[str]] = {}
    for line in (ROOT / "data" / "criteria.yaml").read_text().splitlines():
        s = line.strip()
        if ":" in s and s.split(":")[0].count(".") == 1 and s[0] in "CAP":
            cid = s.split(":")[0]
            crit_by_series.setdefault(cid.split(".")[0], []).append(cid)
    sev = ["critical", "high", "medium", "low"]
    per_file = 500
    for f in range(0, n, per_file):
        lines = ["bank: synthetic", "version: '1'", "kind: controls", "sections:"]
        series = SERIES[(f // per_file) % len(SERIES)]
        lines += [f"  - id: S{f // per_file:03d}", f"    title: Synthetic {series} part {f // per_file}", "    items:"]
        for i in range(f, min(n, f + per_file)):
            crits = rng.sample(crit_by_series[series], k=min(2, len(crit_by_series[series])))
            lines += [
                f"      - id: SYN-{i:05d}",
                f"        title: Synthetic control {i}",
                f"        question: Is synthetic control {i} performed every quarter with a signed record?",
                "        guidance: >",
                "          It matters because the auditor samples it. The auditor asks for the signed",
                "          records of every quarter in the period.",
                "        evidence:",
                "          - Signed record for each quarter",
                "          - The ticket that tracks it",
                "        remediation: Name an owner, schedule the quarterly run and keep the record.",
                f"        criteria: [{', '.join(crits)}]",
                f"        severity: {sev[i % 4]}",
                "        effort: M",
                "        frequency: quarterly",
            ]
        (directory / f"part-{f // per_file:04d}.yaml").write_text("\n".join(lines) + "\n")


def bench_scale(sizes: list[int]) -> None:
    print("\n## 3. Scale (synthetic bank, every item answered, 100,000 history rows)")
    print(f"{'items':>7} {'parse+validate':>15} {'cached load':>12} {'read answers':>13} {'score':>9} "
          f"{'md report':>10} {'report size':>12} {'db size':>10} {'peak RSS':>9}")
    results = {}
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            bank = Path(tmp) / "bank"
            bank.mkdir()
            make_bank(bank, n)
            db = Path(tmp) / "scale.db"
            subprocess.run([PY, "-c", SCALE_CHILD, str(bank), str(db), "fill"], check=True,
                           stdout=subprocess.DEVNULL, env=ENV)
            runs = [json.loads(subprocess.run([PY, "-c", SCALE_CHILD, str(bank), str(db), "measure"], check=True,
                                              capture_output=True, text=True, env=ENV).stdout) for _ in range(3)]
            # The real command, whole process: `soc2-tui report` (question banks from the cache,
            # as after the first run; then once more parsing the YAML, as after an edit).
            cmd = [PY, "-c", REPORT_CHILD, "--db", str(db), "--questionnaires", str(bank), "report", "scale",
                   "-o", str(Path(tmp) / "report.md"), "--force"]
            command = [report_command(cmd, ENV) for _ in range(5)]  # median of 5: the machine has hiccups
            cold = report_command(cmd, {**ENV, "SOC2_TUI_NO_CACHE": "1"})
        med = {k: statistics.median([r[k] for r in runs]) if runs[0][k] is not None else None
               for k in runs[0] if k != "items"}
        med["command"] = statistics.median(c[0] for c in command)
        med["command_rss"] = max(c[1] for c in command)
        med["command_cold"] = cold[0]
        results[n] = med

        def ms(v):
            return "–" if v is None else f"{v * 1000:.0f} ms"

        print(f"{n:>7} {ms(med['parse']):>15} {ms(med['load']):>12} {ms(med['read_answers']):>13} "
              f"{ms(med['score']):>9} "
              f"{ms(med['report']):>10} {med.get('report_bytes') or 0:>11,}B {med['file_bytes'] / 1e6:>8.1f}MB "
              f"{med['peak_rss_mb']:>7.0f}MB")
        print(f"{'':>7} audit trail check (100,000 changes, part of the report command): {ms(med['verify'])}")
        print(f"{'':>7} `soc2-tui report` whole process: {ms(med['command'])} (banks cached), "
              f"{ms(med['command_cold'])} (parsing the YAML); peak {med['command_rss']:.0f} MB")
    if 2000 in results and 20000 in results:
        a, b = results[2000], results[20000]
        print("ratio 20,000 / 2,000 (linear = 10): " + ", ".join(
            f"{k} {b[k] / a[k]:.1f}" for k in ("parse", "load", "score", "report") if a.get(k) and b.get(k)))
        print(f"ratio 20,000 / 2,000 for the whole `report` command: {b['command'] / a['command']:.1f}")
        print(f"20,000 items, `soc2-tui report` (whole process): {b['command']:.2f} s with the bank cache, "
              f"{b['command_cold']:.2f} s parsing the YAML (target < 2 s); peak {b['command_rss']:.0f} MB "
              f"(target < 300 MB)")


REPORT_CHILD = textwrap.dedent("""
    import json, resource, sys
    from soc2_tui.cli import main

    rc = main()  # reads sys.argv, as the installed `soc2-tui` does
    print(json.dumps({"rc": rc, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}),
          file=sys.stderr)
    sys.exit(rc)
""")


def report_command(cmd: list[str], env: dict) -> tuple[float, float]:
    """Whole-process time (s) and peak RSS (MB) of one `soc2-tui report` run."""
    t = time.perf_counter()
    run = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t
    return elapsed, json.loads(run.stderr.strip().splitlines()[-1])["rss"]


# ----------------------------------------------------------------------------- 5. import


def bench_import(megabytes: int = 50) -> None:
    """A CSV of about `megabytes` MB (long notes on every control) imported as a whole process."""
    import csv

    print(f"\n## 5. Import of a {megabytes} MB CSV (whole process: soc2-tui import FILE --into NAME)")
    with tempfile.TemporaryDirectory() as tmp:
        db, base, big = Path(tmp) / "i.db", Path(tmp) / "base.csv", Path(tmp) / "big.csv"
        for argv in (["new", "Acme"], ["export", "Acme", "--format", "csv", "-o", str(base)]):
            subprocess.run([PY, "-m", "soc2_tui", "--db", str(db), *argv], check=True, capture_output=True, env=ENV)
        with open(base, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], [r for r in rows[1:] if r[rows[0].index("kind")] != "scope"]
        note = "x" * (megabytes * 1_000_000 // len(body))
        for r in body:
            r[header.index("notes")], r[header.index("status")] = note, "in_progress"
        with open(big, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([header, *body])
        cmd = [PY, "-c", REPORT_CHILD, "--db", str(db), "import", str(big), "--into", "Acme"]
        elapsed, rss = report_command(cmd, ENV)
        print(f"{big.stat().st_size / 1e6:.0f} MB, {len(body)} rows: {elapsed:.2f} s, peak {rss:.0f} MB "
              "(target < 250 MB)")


# ----------------------------------------------------------------------------- 6. history


def bench_history(rows: int = 200_000) -> None:
    """`soc2-tui history` over a long audit trail: time to the first line, total, peak memory."""
    import sqlite3

    print(f"\n## 6. history over {rows:,} changes (whole process, JSON to a pipe)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "h.db"
        subprocess.run([PY, "-m", "soc2_tui", "--db", str(db), "new", "Acme"], check=True, capture_output=True,
                       env=ENV)
        conn = sqlite3.connect(db)  # rows written directly: only reading them is measured
        conn.executemany("INSERT INTO history (assessment_id, item_id, field, old_value, new_value, changed_by,"
                         " changed_at, hash) VALUES (1, ?, 'notes', ?, ?, 'bench', ?, '')",
                         ((f"CC6-{n % 40:02d}", f"old note {n}", f"new note {n}",
                           f"2026-11-{1 + n % 28:02d}T10:00:00.000000Z") for n in range(rows)))
        conn.commit()
        conn.close()
        cmd = [PY, "-c", REPORT_CHILD, "--db", str(db), "history", "Acme", "--format", "json"]
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        first = time.perf_counter() - t
        size = sum(len(chunk) for chunk in iter(lambda: proc.stdout.read(1 << 20), b""))  # type: ignore[union-attr]
        rss = json.loads(proc.stderr.read().decode().strip().splitlines()[-1])["rss"]
        proc.wait()
        total = time.perf_counter() - t
        print(f"first line {first * 1000:.0f} ms (target < 1 s), all {size / 1e6:.0f} MB in {total:.1f} s, "
              f"peak {rss:.0f} MB")


# ----------------------------------------------------------------------------- 4. latency

LATENCY = textwrap.dedent("""
    import asyncio, json, statistics, sys, time
    from datetime import date
    from pathlib import Path
    from soc2_tui import banks
    from soc2_tui.store import Store
    from soc2_tui.tui.app import Soc2App
    from soc2_tui.tui.screens import gaps as gaps_mod
    from soc2_tui.tui.screens.gaps import GapAnalysisScreen

    bank_dir, db, presses = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    marks = {}

    # Inside the app: t0 when the status key's action starts; t1 when the answer is committed
    # and every screen's revision watcher has re-scored; t2 after the next frame is drawn.
    original = gaps_mod.GapAnalysisScreen.set_status

    def set_status(self, status):
        marks["t0"] = time.perf_counter()
        return original(self, status)

    gaps_mod.GapAnalysisScreen.set_status = set_status

    async def main():
        q = banks.load_questionnaire(extra=[bank_dir])
        store = Store(db)
        a = store.find("latency") or store.create("latency")
        app = Soc2App(store, q, respondent="bench", today=date(2026, 11, 26), tune_gc=True)  # as run_app
        committed, drawn, pilot_rt = [], [], []

        def on_revision(_value):
            marks["t1"] = time.perf_counter()
            app.call_after_refresh(lambda: marks.__setitem__("t2", time.perf_counter()))

        async with app.run_test(size=(120, 40)) as pilot:
            app.open_assessment(a.id)  # home → dashboard → gap analysis, as a user gets there
            await pilot.pause()
            app.push_screen(GapAnalysisScreen(a.id))
            await pilot.pause()
            app.watch(app, "revision", on_revision, init=False)  # registered last: runs after the screens'
            for i in range(presses):
                marks.clear()
                before = app.revision
                t = time.perf_counter()
                await pilot.press("o" if i % 2 else "i")
                while app.revision == before or "t2" not in marks:
                    await asyncio.sleep(0.001)
                await pilot.pause()
                pilot_rt.append(time.perf_counter() - t)
                committed.append(marks["t1"] - marks["t0"])
                drawn.append(marks["t2"] - marks["t0"])

            # The tree with 2,000 items: a filter change (rebuilds the tree) and scrolling a page,
            # from the key's action to the next frame drawn.
            from textual.widgets import Tree

            async def frame_after(key):
                marks.clear()
                marks["t0"] = None
                await pilot.press(key)
                while "t2" not in marks:
                    await asyncio.sleep(0.001)
                await pilot.pause()
                return marks["t2"] - marks["t0"]

            def timed(cls, name, start=True, end=True):
                original = getattr(cls, name)

                def action(self, *args):
                    if start:
                        marks["t0"] = time.perf_counter()
                    result = original(self, *args)
                    if end:
                        app.call_after_refresh(lambda: marks.__setitem__("t2", time.perf_counter()))
                    return result
                setattr(cls, name, action)

            # The filter key sets the Select; its Changed message applies the filter later.
            timed(GapAnalysisScreen, "action_filter", end=False)
            timed(GapAnalysisScreen, "_apply_filter", start=False)
            timed(Tree, "action_page_down")
            timed(Tree, "action_page_up")
            filters, pages = [], []
            for _ in range(10):
                filters.append(await frame_after("3"))  # gaps only
                filters.append(await frame_after("1"))  # all items again
            for _ in range(15):
                pages.append(await frame_after("pagedown"))
            for _ in range(15):
                pages.append(await frame_after("pageup"))

        def pct(xs, p):
            xs = sorted(xs)
            return xs[min(len(xs) - 1, int(len(xs) * p))]

        print(json.dumps({"n": presses, "items": len(q.items),
                          "committed": [pct(committed, .5), pct(committed, .99)],
                          "drawn": [pct(drawn, .5), pct(drawn, .99)],
                          "pilot": [pct(pilot_rt, .5), pct(pilot_rt, .99)],
                          "filter": [pct(filters, .5), max(filters)],
                          "page": [pct(pages, .5), max(pages)]}))

    asyncio.run(main())
""")

PILOT_FLOOR = textwrap.dedent("""
    import asyncio, json, statistics, time
    from textual.app import App
    from textual.widgets import Footer, Label

    class Trivial(App):
        BINDINGS = [("o", "bump", "Bump")]
        n = 0

        def compose(self):
            yield Label("0", id="l")
            yield Footer()

        def action_bump(self):
            self.n += 1
            self.query_one("#l", Label).update(str(self.n))

    async def main():
        app, times = Trivial(), []
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(50):
                t = time.perf_counter()
                await pilot.press("o")
                await pilot.pause()
                times.append(time.perf_counter() - t)
        print(json.dumps(statistics.median(times)))

    asyncio.run(main())
""")


def bench_latency(presses: int) -> None:
    print("\n## 4. Answer latency (status key → committed, re-scored, redrawn), ~2,000-item bank, 120x40")
    with tempfile.TemporaryDirectory() as tmp:
        bank = Path(tmp) / "bank"
        bank.mkdir()
        make_bank(bank, 2000 - 208)  # plus the built-in banks ≈ 2,000 items
        db = Path(tmp) / "lat.db"
        run = subprocess.run([PY, "-c", LATENCY, str(bank), str(db), str(presses)], capture_output=True, text=True,
                             env=ENV)
        if run.returncode:
            print("latency benchmark failed:", run.stderr.strip().splitlines()[-1:] or run.stderr)
            return
        r = json.loads(run.stdout)
        floor = json.loads(subprocess.run([PY, "-c", PILOT_FLOOR], capture_output=True, text=True, env=ENV,
                                          check=True).stdout)

        def ms(pair):
            return f"p50 {pair[0] * 1000:6.1f} ms, p99 {pair[1] * 1000:6.1f} ms"

        print(f"{r['n']} presses on {r['items']} items")
        print(f"key → committed and re-scored : {ms(r['committed'])}   (target p99 < 50 ms)")
        print(f"key → next frame drawn        : {ms(r['drawn'])}")
        print(f"Pilot round trip (press+pause): {ms(r['pilot'])}; a trivial app's Pilot round trip is "
              f"{floor * 1000:.1f} ms (Pilot's own idle waits)")
        print(f"tree, filter all <-> gaps (key → frame) : median {r['filter'][0] * 1000:6.1f} ms, "
              f"worst {r['filter'][1] * 1000:6.1f} ms")
        print(f"tree, page down / up     (key → frame) : median {r['page'][0] * 1000:6.1f} ms, "
              f"worst {r['page'][1] * 1000:6.1f} ms")


LIVE = textwrap.dedent("""
    import asyncio, json, random, statistics, sys, time
    from datetime import date
    from pathlib import Path

    from soc2_tui import banks
    from soc2_tui.store import Store
    from soc2_tui.tui.app import Soc2App
    from soc2_tui.tui.screens.gaps import GapAnalysisScreen

    bank_dir, db, idle_s, writes = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])

    async def main():
        q = banks.load_questionnaire(extra=[bank_dir])
        store = Store(db)
        a = store.find("live") or store.create("live")
        other = Store(db)  # another connection: what another terminal's writes look like to the poll
        app = Soc2App(store, q, respondent="bench", today=date(2026, 11, 26), tune_gc=True)
        out = {"items": len(q.items)}
        async with app.run_test(size=(120, 40)) as pilot:
            app.open_assessment(a.id)
            await pilot.pause()
            app.push_screen(GapAnalysisScreen(a.id))
            await pilot.pause(1)
            screen = app.screen

            # 1. One idle tick, called directly (the file unchanged): its cost, times 120 a minute.
            n = 20000
            t = time.perf_counter()
            for _ in range(n):
                app.follower.has_news()
            out["poll_us"] = (time.perf_counter() - t) / n * 1e6

            # 2. The whole idle app, CPU seconds over idle_s, with the poll running and paused.
            async def idle_cpu():
                c = time.process_time()
                await asyncio.sleep(idle_s)
                return (time.process_time() - c) / idle_s * 60
            on, off = [], []
            for _ in range(3):
                app.follow_timer.resume()
                on.append(await idle_cpu())
                app.follow_timer.pause()
                off.append(await idle_cpu())
            app.follow_timer.resume()
            out["idle_cpu_on"], out["idle_cpu_off"] = statistics.median(on), statistics.median(off)

            # 3. A write by another connection -> the tree line changed, -> the next frame drawn.
            ids = [i.id for i in screen.applicable if i.kind == "control"][:writes]
            shown, drawn = [], []
            for k, iid in enumerate(ids):
                await asyncio.sleep(random.uniform(0.05, 0.6))  # any phase of the poll's timer
                node = screen._item_nodes[iid]
                before = str(node.label)
                marks = {}
                other.set_answer(a.id, iid, status="operating" if k % 2 else "implemented", by="Lee")
                t0 = time.perf_counter()
                while str(node.label) == before:
                    await asyncio.sleep(0.002)
                marks["shown"] = time.perf_counter()
                app.call_after_refresh(lambda: marks.__setitem__("drawn", time.perf_counter()))
                while "drawn" not in marks:
                    await asyncio.sleep(0.002)
                shown.append(marks["shown"] - t0)
                drawn.append(marks["drawn"] - t0)
            out["shown"] = [statistics.median(shown), max(shown)]
            out["drawn"] = [statistics.median(drawn), sorted(drawn)[int(len(drawn) * .9)], max(drawn)]
        print(json.dumps(out))

    asyncio.run(main())
""")


def bench_live(idle_seconds: float, writes: int) -> None:
    print("\n## 7. Following the file: an idle app's poll, and another terminal's write -> this screen")
    with tempfile.TemporaryDirectory() as tmp:
        bank = Path(tmp) / "bank"
        bank.mkdir()
        make_bank(bank, 2000 - 208)  # plus the built-in banks ≈ 2,000 items
        db = Path(tmp) / "live.db"
        run = subprocess.run([PY, "-c", LIVE, str(bank), str(db), str(idle_seconds), str(writes)],
                             capture_output=True, text=True, env=ENV)
        if run.returncode:
            print("live benchmark failed:", run.stderr.strip().splitlines()[-3:] or run.stderr)
            return
        r = json.loads(run.stdout)
        print(f"{r['items']} items, the gap analysis open at 120x40")
        print(f"one idle tick (PRAGMA data_version, nothing changed): {r['poll_us']:.1f} µs "
              f"= {r['poll_us'] * 120 / 1000:.2f} ms CPU per minute at 2 polls a second")
        print(f"idle app, CPU per minute: {r['idle_cpu_on'] * 1000:.0f} ms with the poll, "
              f"{r['idle_cpu_off'] * 1000:.0f} ms with it paused (median of 3 × {idle_seconds:.0f} s)")
        print(f"write in another connection -> tree line changed: median {r['shown'][0] * 1000:.0f} ms, "
              f"worst {r['shown'][1] * 1000:.0f} ms")
        print(f"write in another connection -> next frame drawn : median {r['drawn'][0] * 1000:.0f} ms, "
              f"p90 {r['drawn'][1] * 1000:.0f} ms, worst {r['drawn'][2] * 1000:.0f} ms ({writes} writes)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("parts", nargs="*", default=["start", "report", "scale", "latency", "import", "history", "live"])
    ap.add_argument("--quick", action="store_true", help="fewer runs and sizes")
    args = ap.parse_args()
    runs = 3 if args.quick else 9
    print(f"# soc2-tui benchmarks — {time.strftime('%Y-%m-%d')}\nmachine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        subprocess.run([PY, "-m", "soc2_tui", "--db", str(db), "demo"], check=True, capture_output=True)
        if "start" in args.parts:
            bench_start(runs, db)
        if "report" in args.parts:
            bench_report(runs, db)
    if "scale" in args.parts:
        bench_scale([200, 2000] if args.quick else [200, 2000, 20000])
    if "latency" in args.parts:
        bench_latency(50 if args.quick else 500)
    if "import" in args.parts:
        bench_import()
    if "history" in args.parts:
        bench_history()
    if "live" in args.parts:
        bench_live(10 if args.quick else 30, 10 if args.quick else 40)


if __name__ == "__main__":
    main()
