"""Benchmark the demo batch four ways in one run and print the ratios.

1. naive: a shell-style loop — `papermill` CLI, then `jupyter nbconvert --to html --no-input`, per report;
2. `grouplab batch --jobs 1`;
3. `grouplab batch` (all cores);
4. floor: a notebook that only starts a kernel and imports pandas + seaborn, once per report,
   on all cores (what no report batch can beat).

Usage: .venv/bin/python bench/batch.py [--limit N]   (N reports per notebook kind; default all)
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from grouplab.batch.runner import plan, run
from grouplab.paths import demo_dir

BIN = Path(sys.executable).parent


def _floor_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import pandas\nimport seaborn")]
    nb.metadata["kernelspec"] = {"name": "grouplab", "display_name": "grouplab", "language": "python"}
    nbformat.write(nb, path)


def _floor_one(nb: str, out: str) -> None:
    import papermill as pm

    pm.execute_notebook(nb, out, kernel_name="grouplab", progress_bar=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="reports per notebook (0 = all)")
    args = ap.parse_args()
    config = demo_dir() / "reports.yml"
    reports, _ = plan(config)
    if args.limit:
        seen: dict[str, int] = {}
        reports = [r for r in reports if seen.setdefault(r.title, 0) < args.limit
                   and not seen.__setitem__(r.title, seen[r.title] + 1)]
    n = len(reports)
    cores = os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp(prefix="grouplab-bench-"))
    print(f"{n} reports, {cores} cores, scratch {tmp}")

    t = time.perf_counter()
    for i, r in enumerate(reports):
        out = tmp / "naive" / f"{i}.ipynb"
        out.parent.mkdir(parents=True, exist_ok=True)
        cmd = [str(BIN / "papermill"), r.notebook, str(out), "-k", "grouplab", "--no-progress-bar"]
        for k, v in r.parameters.items():
            cmd += ["-r" if isinstance(v, str) else "-p", k, str(v)]
        subprocess.run(cmd, check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)],
                       check=True, capture_output=True)
    naive = time.perf_counter() - t
    print(f"naive loop (papermill CLI + nbconvert CLI): {naive:7.1f} s")

    import yaml

    cfg = yaml.safe_load(config.read_text(encoding="utf-8"))
    cfg["dataset"] = str(demo_dir())
    if args.limit:
        keep = {(r.title, tuple(sorted(r.parameters.items()))) for r in reports}
        del keep  # the limited set is approximated by trimming grids below
        for entry in cfg["reports"]:
            for k, v in (entry.get("grid") or {}).items():
                if v == "all" or isinstance(v, list):
                    vals = plan({**cfg, "reports": [entry]})[0]
                    entry["grid"][k] = sorted({x.parameters[k] for x in vals})[: args.limit]
    timings = {}
    for label, jobs in (("grouplab batch --jobs 1", 1), (f"grouplab batch (--jobs {cores})", cores)):
        t = time.perf_counter()
        m = run(cfg, out=tmp / label.split()[-1].strip("()"), jobs=jobs, force=True, progress=False)
        timings[jobs] = time.perf_counter() - t
        print(f"{label:40s}: {timings[jobs]:7.1f} s  ({m['summary']['ok']} ok, {m['summary']['failed']} failed)")

    floor_nb = tmp / "floor.ipynb"
    _floor_notebook(floor_nb)
    t = time.perf_counter()
    with cf.ProcessPoolExecutor(max_workers=cores) as pool:
        list(pool.map(_floor_one, [str(floor_nb)] * n, [str(tmp / f"floor{i}.ipynb") for i in range(n)]))
    floor = time.perf_counter() - t
    print(f"floor (kernel + pandas/seaborn import, {cores} cores): {floor:7.1f} s")
    print(f"ratio naive / grouplab batch (all cores): {naive / timings[cores]:5.2f}x  (target >= 5)")
    print(f"ratio naive / grouplab batch --jobs 1:    {naive / timings[1]:5.2f}x")
    print(f"ratio grouplab batch (all cores) / floor: {timings[cores] / floor:5.2f}x  (target <= 1.3)")


if __name__ == "__main__":
    main()
