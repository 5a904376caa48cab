"""Scale benchmark of the study report: prepare + rate models + event study at K-fold demo size (not CI).

    python bench/study_scale.py [--k 1 20 100] [--folder /tmp/grouplab_scale]

For each K, ``grouplab.synth.replicate.replicate_demo(K, folder)`` writes the demo
replicated K times (58·K groups × 60 months); a fresh Python process then times

- ``study.prepare`` (load and validate every table, build the lagged panel),
- ``study.model_table`` (naive, FE, lagged FE; each fitted with work-area and group
  clusters: 4 × (GLM + pyfixest fepois)),
- ``study.event_table`` + ``study.estimator_table`` (stacked, Sun–Abraham, TWFE),

and prints seconds per step, the total and the peak resident memory of that process
(``ru_maxrss``). Randomisation inference and the wild bootstrap are not included (their
cost is the event study's times the number of draws). Targets (issue #14): K = 100 in
≤ 30 s and ≤ 4 GB; time no faster than linear in K.

Known limitation (issue #16): on a replica written by ``replicate_demo`` the survey
exports keep the demo's work-area ids (WA01…), so ``study.prepare`` stops with a
DataError (unknown unit ids) and nothing is cached; until the replicator maps them,
``--in-memory`` times the models on the replicated panel.
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


def measure(folder: str) -> dict:
    """Time the study steps on one dataset folder (run in a fresh process)."""
    import resource
    import warnings

    from grouplab.reports import study

    warnings.simplefilter("ignore")
    out = {}
    t = time.perf_counter()
    ctx = study.prepare(folder, outcome="violation", lag_months=1, lang="en")
    out["prepare"] = time.perf_counter() - t
    t = time.perf_counter()
    study.model_table(ctx)
    out["rate_models"] = time.perf_counter() - t
    t = time.perf_counter()
    study.event_table(ctx)
    study.estimator_table(ctx)
    out["event_study"] = time.perf_counter() - t
    out["total"] = sum(out.values())
    out["groups"] = int(ctx.panel["group_id"].nunique())
    out["rows"] = int(len(ctx.panel))
    out["peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    return out


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
    out = {}
    t = time.perf_counter()
    study.model_table(ctx)
    out["rate_models"] = time.perf_counter() - t
    t = time.perf_counter()
    study.event_table(ctx)
    study.estimator_table(ctx)
    out["event_study"] = time.perf_counter() - t
    out["total"] = out["rate_models"] + out["event_study"]
    out["rows"] = int(len(big))
    out["peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--k", type=int, nargs="+", default=[1, 20, 100])
    ap.add_argument("--folder", default="/tmp/grouplab_study_scale")
    ap.add_argument("--in-memory", action="store_true",
                    help="replicate the panel in memory and time only the models")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    ap.add_argument("--measure-k", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.measure:
        print(json.dumps(measure(a.measure)))
        return
    if a.measure_k:
        print(json.dumps(measure_in_memory(a.measure_k)))
        return
    if a.in_memory:
        for k in a.k:
            res = subprocess.run([sys.executable, __file__, "--measure-k", str(k)],
                                 capture_output=True, text=True, check=True)
            r = json.loads(res.stdout.strip().splitlines()[-1])
            print(f"K={k:>3} in memory: {r['rows']:>7} group-months | rate models "
                  f"{r['rate_models']:6.1f} s, event study {r['event_study']:6.1f} s | total "
                  f"{r['total']:6.1f} s | peak {r['peak_gb']:.2f} GB", flush=True)
        return
    from grouplab.synth.replicate import replicate_demo

    rows = []
    for k in a.k:
        folder = Path(a.folder) / f"k{k}"
        t = time.perf_counter()
        replicate_demo(k, folder)
        write = time.perf_counter() - t
        res = subprocess.run([sys.executable, __file__, "--measure", str(folder)],
                             capture_output=True, text=True, check=True)
        r = json.loads(res.stdout.strip().splitlines()[-1])
        rows.append({"K": k, "write_s": write, **r})
        print(f"K={k:>3}: {r['groups']:>5} groups, {r['rows']:>7} group-months | prepare "
              f"{r['prepare']:6.1f} s, rate models {r['rate_models']:6.1f} s, event study "
              f"{r['event_study']:6.1f} s | total {r['total']:6.1f} s | peak {r['peak_gb']:.2f} GB "
              f"(writing the replica: {write:.0f} s)", flush=True)
    if len(rows) > 1:
        k0, k1 = rows[0], rows[-1]
        print(f"time ratio K={k1['K']} / K={k0['K']}: {k1['total'] / k0['total']:.1f} "
              f"(linear would be {k1['K'] / k0['K']:.0f})")


if __name__ == "__main__":
    main()
