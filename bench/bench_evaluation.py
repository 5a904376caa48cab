"""Benchmark: score 10 million evaluation item rows (≈ 833k group-periods × 12 items).

Plain script (``make bench`` / ``python bench/bench_evaluation.py``); prints
seconds, peak memory and the speed-up of :func:`grouplab.measures.evaluation.score`
over a naive per-group ``groupby().apply`` version. The naive version is run on
a subsample and extrapolated linearly (it is too slow on all rows); the output
says so. Target (issue 3): ≤ 3 s and ≥ 20× on a 2-core machine.

Options: ``--groups N`` (default 83_334 → 833_340 group-periods, 10.0 M rows),
``--naive-sample N`` group-periods for the naive run (default 10_000).
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
from grouplab.data.specs import load_rubric
from grouplab.measures.evaluation import grade, score

RUBRIC = Path(__file__).resolve().parents[1] / "data" / "rubrics" / "party_group_evaluation.yml"


def make_rows(n_groups: int, n_periods: int, rubric: dict, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = [it["id"] for it in rubric["items"]]
    mx = np.array([float(it["max"]) for it in rubric["items"]])
    periods = [f"{2015 + p // 2}H{p % 2 + 1}" for p in range(n_periods)]
    n = n_groups * n_periods * len(ids)
    frac = rng.beta(8, 1.5, size=n)
    return pd.DataFrame({
        "group_id": np.repeat([f"G{g:06d}" for g in range(n_groups)], n_periods * len(ids)),
        "period": np.tile(np.repeat(periods, len(ids)), n_groups),
        "item_id": np.tile(ids, n_groups * n_periods),
        "score": np.round(np.tile(mx, n_groups * n_periods) * frac * 2) / 2,
    })


def naive_score(ev: pd.DataFrame, rubric: dict) -> pd.DataFrame:
    """What one writes first: a Python function per (group, period)."""
    mx = {it["id"]: float(it["max"]) for it in rubric["items"]}
    asp = {it["id"]: it["aspect"] for it in rubric["items"]}

    def one(d: pd.DataFrame) -> pd.Series:
        out = {"total": d["score"].sum()}
        for a in rubric["aspects"]:
            out[f"aspect_{a}"] = d.loc[d["item_id"].map(asp) == a, "score"].sum()
        out["n_items"] = d["score"].notna().sum()
        out["missing_items"] = len(mx) - out["n_items"]
        out["over_max"] = bool((d["score"] > d["item_id"].map(mx)).any())
        return pd.Series(out)

    res = ev.groupby(["group_id", "period"]).apply(one, include_groups=False).reset_index()
    res["grade"] = grade(res["total"], bands=rubric["bands"])
    return res


def timed(fn, *args):
    tracemalloc.start()
    t0 = time.perf_counter()
    out = fn(*args)
    sec = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, sec, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", type=int, default=83_334)
    ap.add_argument("--periods", type=int, default=10)
    ap.add_argument("--naive-sample", type=int, default=10_000)
    args = ap.parse_args()
    rubric = load_rubric(RUBRIC)
    ev = make_rows(args.groups, args.periods, rubric)
    n_gp = args.groups * args.periods
    print(f"rows: {len(ev):,}  group-periods: {n_gp:,}  items: {len(rubric['items'])}")

    # untraced run for the time (tracemalloc slows allocation-heavy code), traced for memory
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        fast = score(ev, rubric)
        runs.append(time.perf_counter() - t0)
    fast_s = min(runs)
    _, _, fast_peak = timed(score, ev, rubric)
    print(f"score():        {fast_s:7.2f} s   (best of 3: {', '.join(f'{r:.2f}' for r in runs)} s)"
          f"   peak traced memory {fast_peak / 2**20:8.1f} MiB")

    k = min(args.naive_sample, n_gp) // args.periods
    sub = ev.iloc[: k * args.periods * len(rubric["items"])]
    t0 = time.perf_counter()
    slow = naive_score(sub, rubric)
    naive_sub_s = time.perf_counter() - t0
    naive_s = naive_sub_s * n_gp / len(slow)
    print(f"naive apply:    {naive_sub_s:7.2f} s on {len(slow):,} group-periods "
          f"(subsample) → extrapolated {naive_s:7.1f} s for {n_gp:,}")
    # the two agree on the subsample
    check = fast.iloc[: len(slow)].reset_index(drop=True)
    assert np.allclose(check["total"], slow["total"]), "totals differ"
    assert (check["grade"].astype(str) == slow["grade"].astype(str)).all(), "grades differ"
    print(f"speed-up:       {naive_s / fast_s:7.1f} ×   (target ≥ 20×; time target ≤ 3 s)")
    print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10:.0f} MiB")


if __name__ == "__main__":
    main()
