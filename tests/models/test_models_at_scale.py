"""The study models at company scale: shortcuts that must give the numbers of the long way.

References: each shortcut is checked against the computation it replaces, done here the
long way with pyfixest directly (a second fit with another cluster level; pyfixest's own
wild bootstrap on the full dummy design; a fresh fepois fit per permutation, as
bench/placebo.py does).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest
from grouplab.models import (
    StatisticalWarning,
    did_compare,
    event_study,
    fe_compare,
    ri_adoption,
    ri_post_effect,
    wild_bootstrap,
)

pytestmark = pytest.mark.slow  # company-scale inputs: not in `make check`


def _area_panel(effect: float, seed: int, areas: int = 10, per_area: int = 5,
                months: int = 36) -> pd.DataFrame:
    """Groups nested in areas; areas adopt at month 12, 18, 24, 30 (pairs) or never."""
    rng = np.random.default_rng(seed)
    area = np.repeat(np.arange(areas), per_area)
    adopt = np.array([12, 12, 18, 18, 24, 24, 30, 30] + [np.nan] * (areas - 8))[area]
    g, t = np.repeat(np.arange(areas * per_area), months), np.tile(np.arange(months), areas * per_area)
    post = (t >= adopt[g]).astype(float)
    m0 = pd.Period("2016-01", "M")
    x = rng.normal(0, 1, len(g))
    return pd.DataFrame({
        "group_id": "G" + pd.Series(g).astype(str), "unit_id": "WA" + pd.Series(area[g]).astype(str),
        "month": np.array([(m0 + int(k)).to_timestamp() for k in range(months)],
                          dtype="datetime64[ns]")[t],
        "adoption_month": [pd.NaT if np.isnan(a) else (m0 + int(a)).to_timestamp()
                           for a in adopt[g]],
        "area_adopted": post, "x": x, "person_hours": rng.uniform(500, 1500, len(g)),
        "y": rng.poisson(0.008 * rng.uniform(500, 1500, len(g)) * np.exp(
            np.log(effect) * post + 0.2 * x + rng.normal(0, 0.5, areas * per_area)[g]))})


@pytest.fixture(scope="module")
def panel():
    return _area_panel(0.7, seed=4)


def _static(p: pd.DataFrame) -> float:
    """The static post log-IRR fitted the long way (pyfixest formula, as bench/placebo.py)."""
    d = p.assign(off=np.log(p["person_hours"]), g=pd.factorize(p["group_id"])[0],
                 t=pd.factorize(p["month"])[0], a=pd.factorize(p["unit_id"])[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.fepois("y ~ area_adopted + x | g + t", data=d, vcov={"CRV1": "a"}, offset="off")
    return float(fit.coef()["area_adopted"])


def test_ri_post_effect_equals_refitting_each_permutation(panel):
    fast = ri_post_effect(panel, "y", controls=["x"], n_perm=19, seed=7)
    slow = ri_adoption(panel, _static, n_perm=19, seed=7)
    assert fast.statistic == "static_post" and fast.n_units == 10
    assert fast.observed == pytest.approx(slow.observed, abs=1e-6)
    assert fast.draws == pytest.approx(slow.draws, abs=1e-6)
    assert fast.p == slow.p


def test_second_cluster_level_from_one_fit_equals_a_refit(panel):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        both = fe_compare(panel, "y", ["area_adopted", "x"], cluster="unit_id",
                          also=["group_id"])
        by_group = fe_compare(panel, "y", ["area_adopted", "x"], cluster="group_id")
    other = both.attrs["reclustered"]["group_id"]
    assert other.attrs["n_clusters"] == 50 and both.attrs["n_clusters"] == 10
    cols = ["estimate", "se", "ci_low", "ci_high", "p"]
    assert other[cols].to_numpy() == pytest.approx(by_group[cols].to_numpy(), rel=1e-6)
    assert list(other["model"]) == list(by_group["model"])


def test_wild_bootstrap_with_group_effects_projected_out_equals_the_dummy_design(panel):
    d = panel.assign(_rate=panel["y"] / panel["person_hours"] * 1e6,
                     a=pd.factorize(panel["unit_id"])[0], g=pd.factorize(panel["group_id"])[0],
                     t=pd.factorize(panel["month"])[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.feols("_rate ~ area_adopted | g + t", data=d, vcov={"CRV1": "a"})
        long_way = float(fit.wildboottest(param="area_adopted", reps=999, cluster="a",
                                          weights_type="webb", seed=3)["Pr(>|t|)"])
    r = wild_bootstrap(panel, "y", "area_adopted", cluster="unit_id", reps=999, seed=3)
    assert r["p"] == pytest.approx(long_way, abs=1e-12)
    assert r["estimate"] == pytest.approx(float(fit.coef()["area_adopted"]), rel=1e-9)


def test_did_compare_reuses_a_fitted_event_study(panel):
    kw = dict(window=(-6, 5), bin=3, cluster="unit_id", controls=["x"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        es = event_study(panel, "y", **kw)
        again = did_compare(panel, "y", **kw, fitted=[es])
        fresh = did_compare(panel, "y", **kw)
    pd.testing.assert_frame_equal(again, fresh)
