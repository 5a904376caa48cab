"""Company scale: validation, cached load and the batch on the demo replicated K times.

For every K (default 1, 20, 100) the demo is replicated with
``grouplab.synth.replicate.replicate_demo`` (the generator the study's scale benchmark
shares) and, each in a fresh process so peak memory is its own, the script measures

- the floor: plain ``pandas.read_csv`` of the same CSV files, and for all tables that
  plus the cells of every ``.xlsx`` sheet as python-calamine returns them;
- validation: ``load_dataset(folder, cache=False)`` — every file read and checked;
- the same for the CSV tables only (a manifest ``csv_only.yml`` next to ``dataset.yml``
  naming just them), the like-for-like comparison with the floor;
- a cached load: ``load_dataset(folder)`` once the cache holds the dataset;

and prints seconds, peak resident memory (ru_maxrss of the process, interpreter and
imports included) and the ratios validation / floor, all from the same run. The machine
may be shared: compare the ratios, not the seconds, across runs. At the largest K it
also times each table's file read and validated alone, and each survey export (where
'validate all' goes beyond the floor). Then it runs the batch
for each K in ``--batch-ks`` (default 1 and 20) and prints reports per second; with
``--batch-sample N`` only N values of every ``all`` grid are run (the rest of the
batch is the same kind of report).

Usage: .venv/bin/python bench/scale.py [--ks 1,20,100] [--batch-ks 1,20] [--batch-sample 5]
                                       [--scratch DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from grouplab.synth.replicate import replicate_demo

_CHILD = r"""
import glob, json, os, resource, sys, time
mode, folder = sys.argv[1], sys.argv[2]
import pandas as pd
from grouplab.data.dataset import load_dataset
t, cpu = time.perf_counter(), time.process_time()
if mode in ("read_csv", "read_all"):
    rows = 0
    for f in sorted(glob.glob(os.path.join(folder, "*.csv"))):
        rows += len(pd.read_csv(f, encoding="gb18030" if "incidents" in f else "utf-8"))
    if mode == "read_all":  # and the cells of every .xlsx sheet as python-calamine gives them
        import python_calamine
        for f in sorted(glob.glob(os.path.join(folder, "*.xlsx"))):
            book = python_calamine.CalamineWorkbook.from_path(f)
            for name in book.sheet_names:
                rows += len(book.get_sheet_by_name(name).to_python()) - 1
elif mode in ("validate", "validate_csv"):
    path = folder if mode == "validate" else os.path.join(folder, "csv_only.yml")
    rows = sum(len(df) for df in load_dataset(path, cache=False).tables.values())
elif mode == "steps":  # each table's file read and validated on its own, then the survey waves
    import yaml
    from grouplab import read_table
    from grouplab.data.surveys.platforms import read_export
    from grouplab.data.surveys.assemble import apply_spec
    from grouplab.data.specs import load_questionnaire
    manifest = yaml.safe_load(open(os.path.join(folder, "dataset.yml"), encoding="utf-8"))
    steps, rows = {}, 0
    read_table(os.path.join(folder, "groups.csv"), "groups")  # warm-up: lazy imports are not a step
    def clock(name, fn):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        steps[name] = (time.perf_counter() - t0, time.process_time() - c0)
        return out
    for table, e in manifest["tables"].items():
        if isinstance(e, dict) and "files" in e:
            q = load_questionnaire(os.path.join(folder, manifest["questionnaire"]))
            for wave, f in e["files"].items():
                raw = clock(f"{table} {wave}: read_export", lambda: read_export(os.path.join(folder, f)))
                clock(f"{table} {wave}: apply_spec", lambda: apply_spec(raw, q, file=f))
                rows += len(raw)
            continue
        e = {"file": e} if isinstance(e, str) else e
        df = clock(table, lambda: read_table(os.path.join(folder, e["file"]), table,
                                             sheet=e.get("sheet"), encoding=e.get("encoding")))
        rows += len(df)
    print(json.dumps({"steps": steps, "rows": rows}))
    sys.exit(0)
else:
    rows = sum(len(df) for df in load_dataset(folder).tables.values())
seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_gb": peak, "rows": rows}))
"""


def _measure(mode: str, folder: Path, env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, mode, str(folder)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _dataset(k: int, scratch: Path) -> Path:
    folder = scratch / f"demo_x{k}"
    if not (folder / "README.md").is_file():  # README is written last
        t = time.perf_counter()
        replicate_demo(k, folder)
        print(f"  replicated the demo {k}× in {time.perf_counter() - t:.0f} s -> {folder}", flush=True)
    return folder


def _csv_manifest(folder: Path) -> None:
    """``csv_only.yml``: the dataset's manifest with only its CSV tables."""
    manifest = yaml.safe_load((folder / "dataset.yml").read_text(encoding="utf-8"))
    manifest["tables"] = {t: e for t, e in manifest["tables"].items()
                          if str(e if isinstance(e, str) else e.get("file", "")).endswith(".csv")}
    (folder / "csv_only.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True),
                                         encoding="utf-8")


def _validation(ks: list[int], scratch: Path) -> None:
    if not ks:  # --ks '': the batch only
        return
    env = {**os.environ, "GROUPLAB_CACHE": str(scratch / "cache")}
    print("wall seconds (CPU seconds of the process in brackets: on a shared machine they show the work)")
    print(f"{'K':>4} {'rows':>10} {'read_csv s':>14} {'validate CSV s':>16} {'ratio':>6} "
          f"{'read all s':>14} {'validate all s':>16} {'ratio':>6} {'peak GB':>8} {'s per K':>8} "
          f"{'cached s':>12} {'cached GB':>9}")
    for k in ks:
        folder = _dataset(k, scratch)
        _csv_manifest(folder)
        floor = _measure("read_csv", folder, env)
        floor_all = _measure("read_all", folder, env)
        csv = _measure("validate_csv", folder, env)
        val = _measure("validate", folder, env)
        _measure("cached", folder, env)  # fills the cache (validates once more)
        cached = _measure("cached", folder, env)
        print(f"{k:>4} {val['rows']:>10,} {floor['seconds']:>6.2f} ({floor['cpu']:>5.2f}) "
              f"{csv['seconds']:>7.2f} ({csv['cpu']:>6.2f}) {csv['seconds'] / floor['seconds']:>6.1f} "
              f"{floor_all['seconds']:>6.2f} ({floor_all['cpu']:>5.2f}) "
              f"{val['seconds']:>7.2f} ({val['cpu']:>6.2f}) {val['seconds'] / floor_all['seconds']:>6.1f} "
              f"{val['peak_gb']:>8.2f} {val['seconds'] / k:>8.3f} "
              f"{cached['seconds']:>5.2f} ({cached['cpu']:>4.2f}) {cached['peak_gb']:>9.2f}", flush=True)
    print("targets at K = 100: ratio ≤ 5, peak ≤ 2 GB, cached load ≤ 1 s; 's per K' constant = linear;"
          "\nread_csv: pandas.read_csv of the CSV files (the floor of 'validate CSV'); 'read all' adds the"
          "\ncells of every .xlsx sheet through python-calamine (the floor of 'validate all': evaluations"
          "\nand the survey exports)")
    _steps(ks[-1], scratch, env, val)


def _steps(k: int, scratch: Path, env: dict, total: dict) -> None:
    """Where validation at K goes: each table's file read and validated alone (read_table), the
    survey's exports (read_export, apply_spec); the rest of 'validate all' is the cross-table checks."""
    out = _measure("steps", scratch / f"demo_x{k}", env)
    print(f"\nper step at K = {k} (wall s, CPU s; each file read and checked alone):")
    for name, (wall, cpu) in sorted(out["steps"].items(), key=lambda kv: -kv[1][1]):
        print(f"  {name:<28} {wall:>7.2f} ({cpu:>6.2f})")
    wall = sum(w for w, _ in out["steps"].values())
    cpu = sum(c for _, c in out["steps"].values())
    print(f"  {'sum of the steps':<28} {wall:>7.2f} ({cpu:>6.2f}); 'validate all' less the steps "
          f"(cross-table checks, names, privacy, assembly): {total['seconds'] - wall:.2f} "
          f"({total['cpu'] - cpu:.2f})", flush=True)


def _sampled_config(folder: Path, sample: int) -> dict:
    """The dataset's batch config with every ``all`` grid cut to ``sample`` evenly spaced values."""
    from grouplab.batch.runner import plan

    cfg = yaml.safe_load((folder / "reports.yml").read_text(encoding="utf-8"))
    cfg["dataset"] = str(folder)
    if sample:
        for entry in cfg["reports"]:
            for name, values in (entry.get("grid") or {}).items():
                if values == "all":
                    vals = sorted({r.parameters[name] for r in plan({**cfg, "reports": [entry]})[0]})
                    step = max(1, len(vals) // sample)
                    entry["grid"][name] = vals[::step][:sample]
    return cfg


def _per_notebook(manifest: dict) -> dict[str, float]:
    """Median seconds per report of each notebook, from the batch's run.json records."""
    import statistics

    by: dict[str, list[float]] = {}
    for r in manifest["reports"]:
        if r.get("status") == "ok":
            by.setdefault(r["notebook"], []).append(r["seconds"])
    return {nb: statistics.median(v) for nb, v in sorted(by.items())}


def _batch(ks: list[int], scratch: Path, sample: int, jobs: int) -> None:
    import resource

    from grouplab.batch.runner import plan, run

    medians = {}
    for k in ks:
        folder = _dataset(k, scratch)
        full = len(plan(_sampled_config(folder, 0))[0])
        cfg = _sampled_config(folder, sample)
        n = len(plan(cfg)[0])
        t = time.perf_counter()
        m = run(cfg, out=scratch / f"reports_x{k}", jobs=jobs, force=True, progress=False)
        seconds = time.perf_counter() - t
        s = m["summary"]
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 ** 2
        print(f"batch K = {k:>3}: {n} of {full} reports in {seconds:.0f} s = {n / seconds:.2f} "
              f"reports/s ({s['ok']} ok, {s['failed']} failed, {jobs} workers); largest child process "
              f"so far {peak:.2f} GB (validation's too, unless run with --ks '')", flush=True)
        medians[k] = _per_notebook(m)
    if medians:  # per-unit reports (02, 04, 05, 07) should not grow with K; 01, 03, 06 cover everything
        print("median seconds per report, by notebook: " + "  ".join(f"K={k}" for k in medians))
        for nb in sorted({nb for v in medians.values() for nb in v}):
            print(f"  {nb:<28}" + "".join(f"{medians[k].get(nb, float('nan')):>8.1f}" for k in medians))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ks", default="1,20,100", help="replication factors for validation")
    ap.add_argument("--batch-ks", default="1,20", help="replication factors for the batch ('' = none)")
    ap.add_argument("--batch-sample", type=int, default=5,
                    help="values per 'all' grid in the batch (0 = the full batch)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--scratch", default=None, help="folder for the replicated datasets (kept)")
    args = ap.parse_args()
    scratch = Path(args.scratch or Path(tempfile.gettempdir()) / "grouplab-scale")
    scratch.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("GROUPLAB_CACHE", str(scratch / "cache"))  # the batch's cache too
    print(f"scratch {scratch}; {os.cpu_count()} cores (shared machines: compare ratios)")
    _validation([int(k) for k in args.ks.split(",") if k], scratch)
    _batch([int(k) for k in args.batch_ks.split(",") if k], scratch, args.batch_sample, args.jobs)


if __name__ == "__main__":
    main()
