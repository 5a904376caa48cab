"""Benchmark: survey analysis on 1,000,000 respondents x 30 items.

20 Likert items (5 scales x 4) and 10 single-choice items, 3 respondent attributes
(2, 3 and 4 groups). Timed: crosstabs of the 10 choice items x 3 attributes (30
tables with chi-square tests) and compare_groups on the 5 scale scores by one
attribute (Levene, ANOVA, Welch ANOVA, Kruskal-Wallis, post-hoc pairs, BH across
the 5). Scoring the scales (score_scales) is timed separately. Plain script:

    python bench/bench_survey_analysis.py [--n 1000000]

Target on a 2-core machine: crosstabs + compare_groups <= 5 s.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from grouplab.measures.survey.analysis import compare_groups, crosstab
from grouplab.measures.survey.scales import score_scales

TARGET_S = 5.0


def make_data(n: int, seed: int = 13) -> tuple[pd.DataFrame, dict]:
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {f"D{k}": rng.integers(1, k + 2, n) for k in (1, 2, 3)}
    scales, choices = {}, {}
    for s in range(5):
        items = [f"S{s}_{j}" for j in range(1, 5)]
        scales[f"scale{s}"] = {"items": items, "reverse": [items[-1]]}
        theta = rng.standard_normal(n) + 0.1 * cols["D2"]
        for j, it in enumerate(items):
            code = np.clip(np.round(3 + 0.8 * theta + 0.7 * rng.standard_normal(n)), 1, 5)
            cols[it] = 6 - code if j == 3 else code
    for c in range(10):
        cols[f"C{c}"] = rng.integers(1, 6, n).astype(float)
        choices[f"C{c}"] = {"options": {k: str(k) for k in range(1, 6)}}
    return pd.DataFrame(cols), {"range": [1, 5], "scales": scales, "choices": choices}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    args = ap.parse_args()
    df, spec = make_data(args.n)
    print(f"data: {len(df):,} respondents x 30 items + 3 attributes")
    t = time.perf_counter()
    scores = score_scales(df, spec)
    t_score = time.perf_counter() - t
    scores = pd.concat([scores, df[["D1", "D2", "D3"]]], axis=1)
    t = time.perf_counter()
    tables = crosstab(df, [f"C{c}" for c in range(10)], ["D1", "D2", "D3"], spec=spec)
    n_tables = len(tables[["item", "by"]].drop_duplicates())
    t_cross = time.perf_counter() - t
    t = time.perf_counter()
    diffs = compare_groups(scores, list(spec["scales"]), "D3")
    t_diff = time.perf_counter() - t
    total = t_cross + t_diff
    print(f"score_scales (5 scales):                 {t_score:6.2f} s")
    print(f"crosstab, {n_tables} tables (10 items x 3 attrs): {t_cross:6.2f} s")
    print(f"compare_groups (5 scales, 4 groups):     {t_diff:6.2f} s  ({len(diffs)} rows)")
    print(f"crosstabs + compare_groups:              {total:6.2f} s  (target <= {TARGET_S:.0f} s: "
          f"{'met' if total <= TARGET_S else 'NOT met'})")


if __name__ == "__main__":
    main()
