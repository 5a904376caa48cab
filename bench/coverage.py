"""CI coverage of the study models over fresh draws of the demo DGP (not run in CI).

    python bench/coverage.py [--reps 200] [--workers 2] [--seed0 1000] [--vcov CRV1|CV3|auto]
                             [--only-es] [--csv FILE]

For each replication: grouplab.synth.build.generate(seed) (in-memory frames, no
files) -> grouplab.measures.panel.study_panel -> models; prints, per true effect, the share
of 95 % CIs covering the truth (target >= 0.90, ideally ~ 0.95), the mean bias of
the log-IRR and the mean IRR, for the appropriate model (FE + lags; stacked event
study for posts: the average of its post-quarter coefficients against the quarter
before adoption, clustered by work area as in the report, t(G - 1) critical values) and
the naive pooled model
beside it. The FE rows cluster by group (training and meetings vary by group; the
post row of the FE model is clustered by group too and is therefore not the report's
lead estimate for posts).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

# this file is named coverage.py: keep it from shadowing the `coverage` package numba probes
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np
import pandas as pd
from grouplab.measures.panel import lag_columns, study_panel
from grouplab.models import StatisticalWarning, event_study, fe_compare
from grouplab.synth import TRUTH
from grouplab.synth.build import generate

EFF = TRUTH["effects"]
TRUE = {  # (outcome, term) -> true IRR
    ("n_violation", "area_adopted"): EFF["post_irr"]["violation"],
    ("n_violation", "trained_prev_12m"): EFF["training_irr"]["violation"],
    ("n_violation", "quality_deficit_lag1"): EFF["flag_irr"]["violation"],
    ("n_violation", "n_meetings_lag1"): EFF["meeting_count_irr"],
    ("n_responsibility_accident", "area_adopted"): EFF["post_irr"]["responsibility_accident"],
    ("n_responsibility_accident", "trained_prev_12m"): EFF["training_irr"]["responsibility_accident"],
    ("n_responsibility_accident", "quality_deficit_lag1"): EFF["flag_irr"]["responsibility_accident"],
}
MEASURES = ["area_adopted", "trained_prev_12m", "quality_deficit_lag1", "n_meetings_lag1"]


def ref_bin(es) -> float:
    """Mean of the leads before the reference bin (0 when the reference quarter is typical)."""
    t = es.table
    return float(t.loc[t["event_time"] < -es.info["bin"], "estimate"].mean())


def one(seed: int, vcov: str = "CRV1", only_es: bool = False) -> list[dict]:
    p = study_panel(generate(seed), log_start="2014-01")
    p = lag_columns(p, ["quality_deficit", "n_meetings"], 1)
    rows = []
    for outcome in () if only_es else ("n_violation", "n_responsibility_accident"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StatisticalWarning)
            t = fe_compare(p, outcome, MEASURES)
        for r in t.itertuples(index=False):
            if (outcome, r.term) in TRUE:
                rows.append({"seed": seed, "outcome": outcome, "term": r.term, "model": r.model,
                             "estimate": r.estimate, "ci_low": np.log(r.ci_low),
                             "ci_high": np.log(r.ci_high), "se": r.se})
    for outcome, truth in (("n_violation", EFF["post_irr"]["violation"]),
                           ("n_hidden_hazard", EFF["post_irr"]["hidden_hazard"])):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StatisticalWarning)
            es = event_study(p, outcome, window=(-12, 11), bin=3, cluster="unit_id", vcov=vcov,
                             controls=["trained_prev_12m", "quality_deficit_lag1"])
        a = es.pooled
        rows.append({"seed": seed, "outcome": outcome, "term": "post (stacked ES)",
                     "model": f"stacked {es.info['vcov']}", "estimate": a["estimate"],
                     "ci_low": np.log(a["ci_low"]),
                     "ci_high": np.log(a["ci_high"]), "truth": truth, "se": a["se"],
                     "pretrend_p": es.pretrend["p"], "ref_bin": ref_bin(es)})
    for r in rows:
        r.setdefault("truth", TRUE.get((r["outcome"], r["term"]), np.nan))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed0", type=int, default=1000)
    ap.add_argument("--csv", help="write every replication's rows to this file")
    ap.add_argument("--vcov", default="CRV1", help="event-study covariance: CRV1, CV3 or auto")
    ap.add_argument("--only-es", action="store_true", help="skip the FE rate models")
    a = ap.parse_args()
    seeds = range(a.seed0, a.seed0 + a.reps)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(a.workers) as ex:
        res = [r for rows in ex.map(partial(one, vcov=a.vcov, only_es=a.only_es), seeds,
                                    chunksize=4) for r in rows]
    secs = time.perf_counter() - t0
    df = pd.DataFrame(res)
    df["covered"] = (df["ci_low"] <= np.log(df["truth"])) & (np.log(df["truth"]) <= df["ci_high"])
    df["bias_log"] = df["estimate"] - np.log(df["truth"])
    # diagnostic: the same SEs with normal critical values (what the event study used before)
    df["covered_z"] = (df["bias_log"].abs() <= 1.959964 * df["se"])
    df["irr"] = np.exp(df["estimate"])
    summary = (df.groupby(["outcome", "term", "model"], sort=False)
               .agg(truth=("truth", "first"), reps=("seed", "nunique"),
                    coverage=("covered", "mean"), coverage_z=("covered_z", "mean"),
                    mean_irr=("irr", "mean"), mean_bias_log=("bias_log", "mean"),
                    sd_log=("estimate", "std"), mean_se=("se", "mean"))
               .reset_index())
    pd.set_option("display.width", 160)
    print(f"{a.reps} replications in {secs:.0f} s ({secs / a.reps:.2f} s each, "
          f"{a.workers} workers)\n")
    print(summary.round(3).to_string(index=False))
    es = df[df["model"].str.startswith("stacked")]
    print("\ncoverage: CI as the model reports it (event study: t with G - 1 df); coverage_z: "
          "the same SE with normal critical values; sd_log vs mean_se: spread of the estimate "
          "vs the average reported SE")
    print(f"event-study pre-trend test (F on q, G - 1 df) p < 0.05 in "
          f"{(es['pretrend_p'] < 0.05).mean():.3f} of replications (nominal 0.05); mean of "
          f"the leads before the reference quarter {es['ref_bin'].mean():+.3f} (log-rate)")
    if a.csv:
        df.to_csv(a.csv, index=False)


if __name__ == "__main__":
    main()
