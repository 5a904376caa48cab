"""Scale benchmark of the study report: prepare + rate models + event study at K-fold demo size (not CI).

    python bench/study_scale.py [--k 1 20 100] [--data /tmp/i16scale/demo_x{k}]
    python bench/study_scale.py --in-memory [--k 1 20 100]

For each K the demo replicated K times (58·K groups × 60 months): the folder given by
``--data`` (``{k}`` filled in), else one written once by
``grouplab.synth.replicate.replicate_demo(K, <--folder>/k<K>)`` and reused. A first
process loads it (raw files → the dataset cache; its time is printed as the first
load); a fresh process then times, from the cached dataset,

- ``study.prepare`` (cached load, build the lagged panel),
- ``study.model_table`` (naive GLM + pyfixest FE, lagged FE; each specification
  fitted once, work-area and group SEs from the same fit),
- ``study.event_table`` + ``study.estimator_table`` (stacked, reused; Sun–Abraham,
  dynamic and static TWFE),

and prints wall and CPU seconds (``time.process_time``) per step, the total and the
peak resident memory (``ru_maxrss``) of that process, then the randomisation
inference of the report (``study.ri_table``) with ``RI_DRAWS`` permutations (not in
the total; the report uses 99: about 5× that line) and the CPU seconds of the whole
child (``RUSAGE_CHILDREN``). The wild bootstrap is not timed. Targets (issue #14):
K = 100 in ≤ 30 s and ≤ 4 GB; time no faster than linear in K. On a machine shared
with other jobs wall time exceeds CPU time; read both.

``--in-memory`` stacks the demo's panel K times in memory and times only the models.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

# bench/coverage.py would shadow the `coverage` package numba looks for: drop bench/ from the path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

#: Permutations of the randomisation-inference timing (its cost per K; the report uses 99).
RI_DRAWS = 19


def _clock(out: dict, name: str, fn, *args, **kw):
    """Run ``fn``; store its wall and CPU seconds (this process) under ``name``."""
    t, c = time.perf_counter(), time.process_time()
    res = fn(*args, **kw)
    out[name] = time.perf_counter() - t
    out[f"{name}_cpu"] = time.process_time() - c
    return res


def measure(folder: str) -> dict:
    """Time the study steps on one dataset folder (run in a fresh process)."""
    import resource
    import warnings

    from grouplab.reports import study

    warnings.simplefilter("ignore")
    out: dict = {}
    ctx = _clock(out, "prepare", study.prepare, folder, outcome="violation", lag_months=1,
                 lang="en", ri_draws=RI_DRAWS)
    _clock(out, "rate_models", study.model_table, ctx)
    es = _clock(out, "event_table", study.event_table, ctx)
    _clock(out, "estimators", study.estimator_table, ctx, es)
    out["event_study"] = out["event_table"] + out["estimators"]
    out["event_study_cpu"] = out["event_table_cpu"] + out["estimators_cpu"]
    steps = ("prepare", "rate_models", "event_study")
    out["total"] = sum(out[k] for k in steps)
    out["total_cpu"] = sum(out[f"{k}_cpu"] for k in steps)
    out["peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    _clock(out, "ri", study.ri_table, ctx)
    out["groups"] = int(ctx.panel["group_id"].nunique())
    out["rows"] = int(len(ctx.panel))
    out["peak_gb_ri"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    return out


def warm(folder: str) -> dict:
    """Load a folder once so that its cache entry exists (first load: raw files, validation)."""
    from grouplab.data.dataset import load_dataset

    t = time.perf_counter()
    load_dataset(folder)
    return {"first_load": time.perf_counter() - t}


def _child(args: list[str]) -> dict:
    """Run this script in a fresh process; its JSON result plus the child's CPU seconds."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = json.loads(res.stdout.strip().splitlines()[-1])
    r["child_cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return r


def measure_in_memory(k: int) -> dict:
    """Models + event study on the demo panel replicated ``k`` times in memory (no file loading).

    Isolates the estimation cost from dataset loading: ``prepare`` runs once on the demo,
    the panel is stacked ``k`` times with suffixed group and work-area ids.
    """
    import dataclasses
    import resource
    import warnings

    import pandas as pd
    from grouplab.reports import study

    warnings.simplefilter("ignore")
    ctx = study.prepare("demo", outcome="violation", lag_months=1, lang="en")
    p = ctx.panel
    big = pd.concat([p.assign(group_id=p["group_id"] + f"-{r:03d}", unit_id=p["unit_id"] + f"-{r:03d}")
                     for r in range(k)], ignore_index=True)
    ctx = dataclasses.replace(ctx, panel=big)
    out: dict = {}
    _clock(out, "rate_models", study.model_table, ctx)
    es = _clock(out, "event_table", study.event_table, ctx)
    _clock(out, "estimators", study.estimator_table, ctx, es)
    out["event_study"] = out["event_table"] + out["estimators"]
    out["total"] = out["rate_models"] + out["event_study"]
    out["total_cpu"] = out["rate_models_cpu"] + out["event_table_cpu"] + out["estimators_cpu"]
    out["rows"] = int(len(big))
    out["peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--k", type=int, nargs="+", default=[1, 20, 100])
    ap.add_argument("--folder", default="/tmp/grouplab_study_scale")
    ap.add_argument("--in-memory", action="store_true",
                    help="replicate the panel in memory and time only the models")
    ap.add_argument("--data", help="existing replicas, e.g. /tmp/i16scale/demo_x{k}")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    ap.add_argument("--warm", help=argparse.SUPPRESS)
    ap.add_argument("--measure-k", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.measure:
        print(json.dumps(measure(a.measure)))
        return
    if a.warm:
        print(json.dumps(warm(a.warm)))
        return
    if a.measure_k:
        print(json.dumps(measure_in_memory(a.measure_k)))
        return
    if a.in_memory:
        for k in a.k:
            r = _child(["--measure-k", str(k)])
            print(f"K={k:>3} in memory: {r['rows']:>7} group-months | rate models "
                  f"{r['rate_models']:6.1f} s, event study {r['event_study']:6.1f} s | total "
                  f"{r['total']:6.1f} s wall, {r['total_cpu']:6.1f} s CPU | peak "
                  f"{r['peak_gb']:.2f} GB", flush=True)
        return
    rows = []
    for k in a.k:
        folder, write = _replica(k, a.data, Path(a.folder))
        first = _child(["--warm", str(folder)])["first_load"]
        r = _child(["--measure", str(folder)])
        rows.append({"K": k, **r})
        print(f"K={k:>3}: {r['groups']:>5} groups, {r['rows']:>7} group-months | prepare "
              f"{r['prepare']:5.1f} s, rate models {r['rate_models']:5.1f} s, event study "
              f"{r['event_study']:5.1f} s | total {r['total']:5.1f} s wall, "
              f"{r['total_cpu']:5.1f} s CPU | peak {r['peak_gb']:.2f} GB", flush=True)
        print(f"       RI ({RI_DRAWS} permutations) {r['ri']:5.1f} s wall, {r['ri_cpu']:5.1f} s "
              f"CPU, peak {r['peak_gb_ri']:.2f} GB | whole child {r['child_cpu']:5.1f} s CPU | "
              f"first (uncached) load {first:.0f} s"
              + (f", writing the replica {write:.0f} s" if write else ""), flush=True)
    if len(rows) > 1:
        k0, k1 = rows[0], rows[-1]
        print(f"time ratio K={k1['K']} / K={k0['K']}: {k1['total'] / k0['total']:.1f} wall, "
              f"{k1['total_cpu'] / k0['total_cpu']:.1f} CPU (linear would be "
              f"{k1['K'] / k0['K']:.0f})")


def _replica(k: int, pattern: str | None, base: Path) -> tuple[Path, float]:
    """The K-fold replica: ``pattern`` with {k} filled in, else written under ``base`` once."""
    if pattern:
        return Path(pattern.format(k=k)), 0.0
    folder = base / f"k{k}"
    if (folder / "dataset.yml").is_file():
        return folder, 0.0
    from grouplab.synth.replicate import replicate_demo

    t = time.perf_counter()
    replicate_demo(k, folder)
    return folder, time.perf_counter() - t


if __name__ == "__main__":
    main()
