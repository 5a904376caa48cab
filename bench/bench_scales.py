"""Benchmark: score_scales + reliability on 1,000,000 respondents x 30 items.

Compares grouplab's vectorised functions with a naive pandas version (per-respondent
row apply for the scale means, per-scale loops with pairwise covariances via
DataFrame.cov for alpha). The naive version runs on a subsample and is extrapolated
linearly in the number of respondents (say so in the output). Plain script:

    python bench/bench_scales.py [--n 1000000] [--naive-n 20000]

Prints seconds, peak traced memory (tracemalloc) and the speed ratio. Target on a
2-core machine: <= 3 s and >= 20x the naive version.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np
import pandas as pd
from grouplab.measures.survey.reliability import reliability
from grouplab.measures.survey.scales import score_scales


def make_data(n: int, seed: int = 1) -> tuple[pd.DataFrame, dict]:
    rng = np.random.default_rng(seed)
    scales = {}
    cols = {"respondent_id": np.arange(n).astype(str)}
    for s in range(6):                                   # 6 scales x 5 items = 30 items
        items = [f"S{s}_{j}" for j in range(1, 6)]
        scales[f"scale{s}"] = {"items": items, "reverse": [items[-1]]}
        theta = rng.standard_normal(n)
        for j, it in enumerate(items):
            y = 0.7 * theta + 0.7 * rng.standard_normal(n)
            code = np.clip(np.round(3 + 1.2 * y), 1, 5)
            if j == 4:
                code = 6 - code
            code[rng.random(n) < 0.02] = np.nan           # 2 % skipped
            cols[it] = code
    return pd.DataFrame(cols), {"range": [1, 5], "scales": scales}


def naive(df: pd.DataFrame, spec: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    lo, hi = spec["range"]

    def row_scores(row):
        out = {}
        for name, s in spec["scales"].items():
            vals = []
            for it in s["items"]:
                x = row[it]
                if pd.notna(x):
                    vals.append(lo + hi - x if it in s["reverse"] else x)
            out[name] = np.mean(vals) if len(vals) >= 0.5 * len(s["items"]) else np.nan
        return pd.Series(out)

    scores = df.apply(row_scores, axis=1)
    rows = []
    for name, s in spec["scales"].items():
        x = df[s["items"]].copy()
        for it in s["reverse"]:
            x[it] = lo + hi - x[it]
        C = x.cov().to_numpy()
        k = len(s["items"])
        rows.append({"scale": name, "alpha": k / (k - 1) * (1 - np.trace(C) / C.sum())})
    return scores, pd.DataFrame(rows)


def timed(fn, *args):
    tracemalloc.start()
    t = time.perf_counter()
    out = fn(*args)
    sec = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out, sec, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--naive-n", type=int, default=20_000)
    a = ap.parse_args()
    df, spec = make_data(a.n)
    print(f"data: {a.n:,} respondents x 30 items (6 scales), {df.memory_usage().sum() / 2**20:.0f} MiB")

    def fast(d, s):
        return score_scales(d, s), reliability(d, s)

    fast(df.head(1000), spec)                           # warm-up (imports, BLAS threads)
    (sc, rel), t_fast, m_fast = timed(fast, df, spec)
    print(f"grouplab score_scales + reliability: {t_fast:.2f} s, peak {m_fast:.0f} MiB")

    sub = df.head(a.naive_n)
    (nsc, nrel), t_sub, m_naive = timed(naive, sub, spec)
    t_naive = t_sub * a.n / a.naive_n
    print(f"naive on {a.naive_n:,} respondents: {t_sub:.2f} s, peak {m_naive:.0f} MiB "
          f"-> extrapolated to {a.n:,}: {t_naive:.0f} s (linear in respondents)")
    print(f"ratio naive / grouplab: {t_naive / t_fast:.0f}x")
    (fs, frel) = fast(sub, spec)
    assert np.allclose(fs[list(spec["scales"])].to_numpy(), nsc.to_numpy(), equal_nan=True)
    assert np.allclose(frel["alpha"], nrel["alpha"])
    print("check: grouplab and naive results agree on the subsample")
    print(f"target: <= 3 s ({'met' if t_fast <= 3 else 'NOT met'}), "
          f">= 20x ({'met' if t_naive / t_fast >= 20 else 'NOT met'})")


if __name__ == "__main__":
    main()
