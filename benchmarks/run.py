"""Performance budgets, measured: prints one table and exits 1 if any budget fails.

Usage: python benchmarks/run.py [--runs N] [--quick]

Every timing is the median of N runs (default 5) in fresh processes or kernels,
measured with the standard library. Not part of `make test`; run `make bench`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ROWS: list[tuple[str, str, str, bool | None]] = []


def row(name: str, value: str, budget: str, ok: bool | None) -> None:
    ROWS.append((name, value, budget, ok))
    status = "" if ok is None else ("PASS" if ok else "FAIL")
    print(f"  {name:<48} {value:>18}  {budget:<16} {status}", flush=True)


def median_run(code: str, runs: int, env: dict | None = None) -> float:
    """Median wall time of ``python -c code`` in a fresh interpreter."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def last_line(code: str) -> str:
    """The last line ``code`` prints, run in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return out.stdout.strip().splitlines()[-1]


def measured_in_process(code: str, runs: int) -> float:
    """Median of the seconds that ``code`` prints, each in a fresh interpreter."""
    return statistics.median(float(last_line(code)) for _ in range(runs))


def bench_import(runs: int) -> None:
    base = median_run("import pandas", runs)
    ours = median_run("import treatylib", runs)
    row("import pandas (s)", f"{base:.3f}", "", None)
    row("import treatylib (s)", f"{ours:.3f}", "", None)
    row("import treatylib / import pandas", f"{ours / base:.2f}", "<= 1.15", ours / base <= 1.15)


def bench_loads(runs: int) -> None:
    cold = measured_in_process(
        "import time, treatylib\n"
        "t = time.perf_counter()\n"
        "for name in treatylib.validate(): getattr(treatylib, 'load_' + name)()\n"
        "print(time.perf_counter() - t)",
        runs,
    )
    warm = measured_in_process(
        "import time, treatylib\n"
        "names = list(treatylib.validate())\n"
        "for n in names: getattr(treatylib, 'load_' + n)()\n"
        "t = time.perf_counter()\n"
        "for _ in range(20):\n"
        "    for n in names: getattr(treatylib, 'load_' + n)()\n"
        "print((time.perf_counter() - t) / (20 * len(names)))",
        runs,
    )
    row("load every table, cold (s, beyond import)", f"{cold:.3f}", "< 0.1", cold < 0.1)
    row("load one table, warm (ms)", f"{warm * 1000:.2f}", "< 1", warm < 0.001)


RSS_CELL = (
    "import resource\nprint('PEAK_RSS_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)


def run_notebook(nb, cwd: Path) -> tuple[float, int | None]:
    nb.cells.append(nbformat.v4.new_code_cell(RSS_CELL))
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    rss = int(text.split()[-1]) if "PEAK_RSS_KIB" in text else None
    return elapsed, rss


def bench_lessons(runs: int) -> None:
    empty_times = []
    for _ in range(runs):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
        empty_times.append(run_notebook(nb, ROOT)[0])
    empty = statistics.median(empty_times)
    row("empty one-cell notebook (s)", f"{empty:.2f}", "", None)
    # The floor any lesson pays: importing what it stands on, drawing nothing.
    floor_times = []
    for _ in range(runs):
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_code_cell(
                "%matplotlib inline\nimport treatylib\nimport matplotlib.pyplot\n"
                "import ipywidgets\ntreatylib.load_events();"
            )
        ]
        floor_times.append(run_notebook(nb, ROOT)[0])
    floor = statistics.median(floor_times)
    row("imports-only notebook / empty (floor)", f"{floor / empty:.2f}", "", None)
    for lesson in LESSONS:
        times, peaks = [], []
        for _ in range(runs):
            elapsed, rss = run_notebook(nbformat.read(lesson, as_version=4), lesson.parent)
            times.append(elapsed)
            peaks.append(rss or 0)
        t = statistics.median(times)
        mib = max(peaks) / 1024
        row(f"{lesson.stem}: run (s)", f"{t:.2f}", "", None)
        row(f"{lesson.stem}: run / empty notebook", f"{t / empty:.2f}", "<= 2.0", t / empty <= 2.0)
        row(f"{lesson.stem}: kernel peak RSS (MiB)", f"{mib:.0f}", "<= 250", mib <= 250)


def bench_widgets(runs: int) -> None:
    code = r"""
import datetime as dt, json, statistics, time
import matplotlib
matplotlib.use("Agg")
import treatylib
from treatylib import widgets
N = RUNS

def timed(change, values):
    out = []
    for v in values:
        t = time.perf_counter(); change(v); out.append(time.perf_counter() - t)
    return statistics.median(out)

def kids(w, kind):
    found = [w] if isinstance(w, kind) else []
    for c in getattr(w, "children", ()):
        found += kids(c, kind)
    return found

import ipywidgets as W
res = {}
box = treatylib.timeline_explorer()
slider = kids(box, W.IntRangeSlider)[0]
res["timeline_explorer (slider)"] = timed(lambda v: setattr(slider, "value", v),
    [(1945, 1950 + i) for i in range(N)])
box = treatylib.article_reader()
pick = kids(box, W.Dropdown)[0]
labels = ["Preamble", "Art. I", "Art. III", "Art. IV", "Art. V", "Art. VI", "Art. VII"]
res["article_reader (article)"] = timed(lambda v: setattr(pick, "value", v), labels[:N])
box = treatylib.pact_comparator()
sel = kids(box, W.SelectMultiple)[0]
ids = list(treatylib.load_treaties()["treaty_id"])
res["pact_comparator (treaties)"] = timed(lambda v: setattr(sel, "value", v),
    [tuple(ids[: 3 + i]) for i in range(N)])
box = treatylib.scenario_explorer()
day = kids(box, W.DatePicker)[0]
res["scenario_explorer (date)"] = timed(lambda v: setattr(day, "value", v),
    [dt.date(1950 + 13 * i, 1, 1) for i in range(N)])
box = treatylib.claim_checker()
judge = kids(box, W.ToggleButtons)[0]
res["claim_checker (verdict)"] = timed(lambda v: setattr(judge, "value", v),
    (["supported", "contradicted", "disputed", "unverified"] * 3)[:N])
box = treatylib.glossary_lookup()
combo = kids(box, W.Combobox)[0]
res["glossary_lookup (term)"] = timed(lambda v: setattr(combo, "value", v),
    ["ratification", "Zhou Enlai", "armistice", "ATOP", "treaty", "Kim"][:N])
from treatylib.quiz import quiz
box = quiz("01_history")
radios = kids(box, W.RadioButtons)
res["quiz (answer)"] = timed(lambda v: setattr(radios[v % len(radios)], "value", "a"),
    list(range(N)))
print(json.dumps(res))
""".replace("RUNS", str(max(runs, 5)))
    for name, seconds in json.loads(last_line(code)).items():
        row(f"widget update: {name} (s)", f"{seconds:.3f}", "< 0.15", seconds < 0.15)


def bench_nbformat(runs: int) -> None:
    """The remedy for rfc3987-syntax: import nbformat with and without it."""
    without = median_run("import nbformat", runs)
    row("import nbformat, rfc3987-syntax left out (s)", f"{without:.2f}", "", None)
    cache = ROOT / "benchmarks" / ".cache" / "rfc3987"
    if not (cache / "rfc3987_syntax").exists():
        uv = Path(sys.executable).with_name("uv")
        cmd = (
            [str(uv), "pip", "install", "-q", "--target", str(cache), "rfc3987-syntax"]
            if uv.exists()
            else [
                sys.executable,
                "-m",
                "pip",
                "install",
                "-q",
                "--target",
                str(cache),
                "rfc3987-syntax",
            ]
        )
        if subprocess.run(cmd, check=False).returncode != 0:
            row("import nbformat, with rfc3987-syntax (s)", "not measured", "", None)
            return
    env = {**os.environ, "PYTHONPATH": str(cache)}
    with_it = median_run("import nbformat", runs, env=env)
    row("import nbformat, with rfc3987-syntax (s)", f"{with_it:.2f}", "", None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="skip the lesson runs")
    args = parser.parse_args()
    cpu = os.cpu_count()
    print(
        f"treatylib benchmarks on {platform.platform()}, {cpu} cores, Python "
        f"{platform.python_version()}, median of {args.runs} runs"
    )
    print(f"  {'figure':<48} {'value':>18}  {'budget':<16} status")
    bench_import(args.runs)
    bench_loads(args.runs)
    bench_widgets(args.runs)
    bench_nbformat(args.runs)
    if not args.quick:
        bench_lessons(args.runs)
    failed = [r for r in ROWS if r[3] is False]
    print(f"{len(ROWS)} figures, {len(failed)} over budget")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
