"""Placebo benchmark: how often does each inference method reject a TRUE null for posts? (not CI)

    python bench/placebo.py [--runs 200] [--perms 19] [--reps 399] [--workers 2] [--seed0 0]

The demo layout — its 58 groups in 10 work areas, 60 months, person-hours and the
areas' adoption dates (8 adopters in 4 timing pairs, 2 never) — with NO effect of posts
and area × month shocks (sd 0.25 on the log rate) on top of group effects. Each run
estimates the post effect (``area_adopted``, group + month fixed effects, Poisson) and
tests it at the 5 % level by:

- ``crv_group``   CRV1 clustered by group, normal critical values;
- ``crv_area``    CRV1 clustered by work area, normal critical values;
- ``crv_area_t``  the same with t(G − 1) critical values;
- ``wild_webb``   wild cluster bootstrap-t by area, Webb weights (linear FE model of the rate);
- ``ri``          randomisation inference: adoption dates permuted across areas;
- ``ri_stacked``  (with ``--stacked``) the same permutations with the report's own
                  statistic, the stacked event study's pooled post effect (window and
                  bins as in the report, no controls: the simulation has none).

The study report leads with randomisation inference. To keep the benchmark at a few
minutes RI uses ``--perms`` permutations per run (19: p = 1/20 when the observed estimate
is the most extreme, so a 5 % test is still exact; the report uses 99) and the static FE
estimate as its statistic (``grouplab.models.ri_post_effect`` permutes the same statistic;
the report permutes the stacked event study's pooled effect — RI's size does not depend on
the statistic, only its power does; ``--stacked`` checks that on the report's statistic,
at about 0.2 CPU-s per permutation). Prints the rejection rate of each method with its
Monte Carlo SE; target: ≤ 7 % for the lead method.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# bench/coverage.py would shadow the `coverage` package numba looks for: drop bench/ from the path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np
import pandas as pd
from scipy import stats

SHOCK_SD = 0.25


def layout() -> pd.DataFrame:
    """The demo's groups, areas, months, hours and adoption dates (outcomes dropped)."""
    import grouplab
    from grouplab.measures.panel import study_panel

    p = study_panel(grouplab.load_demo(), log_start="2014-01")
    return p[["group_id", "unit_id", "month", "person_hours", "adoption_month",
              "area_adopted"]].reset_index(drop=True)


def simulate(base: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Counts with group effects and area × month shocks, no post effect (about 1 / 1,000 h)."""
    g, gi = np.unique(base["group_id"], return_inverse=True)
    a, ai = np.unique(base["unit_id"], return_inverse=True)
    m, mi = np.unique(base["month"], return_inverse=True)
    u = rng.normal(0, 0.5, len(g))[gi]
    shock = rng.normal(0, SHOCK_SD, (len(a), len(m)))[ai, mi]
    mu = base["person_hours"].to_numpy() / 1000 * np.exp(u + shock)
    return base.assign(y=rng.poisson(mu))


def _fe_estimate(d: pd.DataFrame) -> tuple[float, float, float, int]:
    """Post log-IRR with group- and area-clustered SEs (one pyfixest fit, two vcovs)."""
    import pyfixest as pf

    d = d.assign(off=np.log(d["person_hours"]), a=pd.factorize(d["unit_id"])[0],
                 g=pd.factorize(d["group_id"])[0], t=pd.factorize(d["month"])[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.fepois("y ~ area_adopted | g + t", data=d, vcov={"CRV1": "a"}, offset="off",
                        demeaner_backend="rust")
        b, se_a = float(fit.coef().iloc[0]), float(fit.se().iloc[0])
        se_g = float(fit.vcov({"CRV1": "g"}).se().iloc[0])
    return b, se_g, se_a, int(d["a"].nunique())


def _stacked_pooled(d: pd.DataFrame) -> float:
    """The report's RI statistic: the stacked event study's pooled post log-IRR."""
    from grouplab.models import event_study
    from grouplab.reports.study.tables import ES_BIN, ES_WINDOW

    return event_study(d, "y", window=ES_WINDOW, bin=ES_BIN, cluster="unit_id",
                       vcov="CRV1").pooled["estimate"]


def one(args: tuple[int, int, int, bool]) -> dict:
    seed, perms, reps, stacked = args
    from grouplab.models import ri_adoption, wild_bootstrap

    rng = np.random.default_rng(seed)
    d = simulate(BASE, rng)
    b, se_g, se_a, G = _fe_estimate(d)
    z, tcrit = stats.norm.ppf(0.975), stats.t.ppf(0.975, G - 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = wild_bootstrap(d, "y", "area_adopted", cluster="unit_id", reps=reps, seed=seed)
        ri = ri_adoption(d, lambda p: _fe_estimate(p)[0], assign="unit_id", n_perm=perms,
                         seed=seed)
        ris = (ri_adoption(d, _stacked_pooled, assign="unit_id", n_perm=perms, seed=seed)
               if stacked else None)
    out = {"seed": seed, "estimate": b, "crv_group": abs(b / se_g) > z,
           "crv_area": abs(b / se_a) > z, "crv_area_t": abs(b / se_a) > tcrit,
           "wild_webb": wb["p"] <= 0.05, "ri": ri.p <= 0.05}
    if stacked:
        out["ri_stacked"] = ris.p <= 0.05
    return out


BASE = None


def _init() -> None:
    global BASE
    BASE = layout()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--perms", type=int, default=19)
    ap.add_argument("--reps", type=int, default=399)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed0", type=int, default=0)
    ap.add_argument("--stacked", action="store_true",
                    help="also RI with the report's statistic (stacked pooled effect)")
    a = ap.parse_args()
    t0 = time.perf_counter()
    jobs = [(s, a.perms, a.reps, a.stacked) for s in range(a.seed0, a.seed0 + a.runs)]
    with ProcessPoolExecutor(a.workers, initializer=_init) as ex:
        rows = list(ex.map(one, jobs, chunksize=2))
    secs = time.perf_counter() - t0
    df = pd.DataFrame(rows)
    methods = ["crv_group", "crv_area", "crv_area_t", "wild_webb", "ri"]
    methods += ["ri_stacked"] if a.stacked else []
    rate = df[methods].mean()
    out = pd.DataFrame({"rejection_rate_5pct": rate,
                        "mc_se": np.sqrt(rate * (1 - rate) / len(df))})
    print(f"{len(df)} placebo runs (no true effect, area x month shocks sd {SHOCK_SD}) in {secs:.0f} s; "
          f"RI {a.perms} permutations/run, wild bootstrap {a.reps} reps/run\n")
    print(out.round(3).to_string())
    lead = "ri_stacked" if a.stacked else "ri"
    print(f"\nlead method ({lead}): {rate[lead]:.3f} (target <= 0.07); mean estimate "
          f"{df['estimate'].mean():+.3f} (truth 0)")


if __name__ == "__main__":
    main()
