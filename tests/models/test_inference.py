"""Few-cluster inference, clustering options, pre-trend power and survival with late entry.

References: hand calculations named in each test; with G clusters the event study refers
its t statistics to t(G − 1) (fixest's convention; t_{0.975}(9) = 2.2622, any t table) and
its joint lead test to F(q, G − 1); the power of a one-lead test is then that of a two-sided
t test, found here from the noncentral t (a different scipy routine than the noncentral F
the library uses); with many clusters it tends to the normal-theory noncentrality
(z_{0.975} + z_{0.80})² = (1.95996 + 0.84162)² = 7.849 (Cohen 1988, ch. 12).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from grouplab.errors import ParameterError
from grouplab.models import (
    StatisticalWarning,
    event_study,
    fe_rate_model,
    first_event_times,
    km_table,
    ri_adoption,
    wild_bootstrap,
)
from grouplab.models.inference import permute_adoption


def _area_panel(effect: float, seed: int, areas: int = 10, per_area: int = 5, months: int = 36,
                shock_sd: float = 0.0) -> pd.DataFrame:
    """Groups in areas; areas adopt at month 12, 18, 24 (pairs) or never; Poisson counts."""
    rng = np.random.default_rng(seed)
    G = areas * per_area
    area = np.repeat(np.arange(areas), per_area)
    adopt_m = np.array([12, 12, 18, 18, 24, 24, 30, 30] + [np.nan] * (areas - 8))[area]
    g, t = np.repeat(np.arange(G), months), np.tile(np.arange(months), G)
    shock = rng.normal(0, shock_sd, (areas, months))[area[g], t]
    post = (t >= adopt_m[g]).astype(float)
    m0 = pd.Period("2016-01", "M")
    months_ts = [(m0 + int(k)).to_timestamp() for k in range(months)]
    return pd.DataFrame({
        "group_id": g, "unit_id": area[g], "month": np.array(months_ts, dtype="datetime64[ns]")[t],
        "adoption_month": [pd.NaT if np.isnan(a) else (m0 + int(a)).to_timestamp()
                           for a in adopt_m[g]],
        "area_adopted": post, "person_hours": 1000.0,
        "y": rng.poisson(8 * np.exp(np.log(effect) * post + shock))})


@pytest.fixture(scope="module")
def strong():
    return _area_panel(0.6, seed=1)


def test_clustering_by_area_warns_and_two_way_runs(strong):
    with pytest.warns(StatisticalWarning, match="only 10 clusters of 'unit_id'"):
        a = fe_rate_model(strong, "y", "area_adopted", cluster="unit_id")
    assert a.attrs["n_clusters"] == 10 and a.attrs["few_clusters"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        two = fe_rate_model(strong, "y", "area_adopted", cluster="unit_id+month")
    assert two.attrs["cluster"] == "unit_id+month"
    assert two["estimate"].iloc[0] == pytest.approx(a["estimate"].iloc[0])   # same point estimate
    assert two["se"].iloc[0] != pytest.approx(a["se"].iloc[0])


def test_pretrend_power_one_lead_equals_the_noncentral_t(strong):
    # window (-2, 2), ref -1: one lead (k = -2, v = k - ref = -1); 50 group clusters, so the
    # test is a two-sided t(49) test; 80 % power needs the noncentrality nc solving
    # P(|T'(49, nc)| > t_0.975(49)) = 0.8, and the detectable slope is nc * se(lead) / |v|
    from scipy import optimize, stats
    es = event_study(strong, "y", window=(-2, 2), cluster="group_id")
    se_lead = es.table.set_index("term").loc["lead2", "se"]
    assert es.pretrend["df"] == 1 and es.pretrend["df_denom"] == 49
    tc = stats.t.ppf(0.975, 49)
    nc = optimize.brentq(lambda d: stats.nct.sf(tc, 49, d) + stats.nct.cdf(-tc, 49, d) - 0.8,
                         1.0, 5.0)
    assert es.pretrend["mde_slope"] == pytest.approx(nc * se_lead, rel=2e-3)
    assert nc ** 2 > 7.849                       # wider than the normal-theory value
    # the lead's own p-value is the same t(49) test
    lead = es.table.set_index("term").loc["lead2"]
    assert es.pretrend["p"] == pytest.approx(lead["p"], rel=1e-6)


def test_event_study_cis_use_t_with_clusters_minus_one(strong):
    # 10 work areas: t_0.975(9) = 2.2622 (t table), not 1.96 -- with ten clusters the
    # normal reference covers too rarely (Cameron & Miller 2015, sec. VI)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        es = event_study(strong, "y", window=(-6, 5), bin=3, cluster="unit_id")
    p = es.pooled
    assert es.info["n_clusters"] == 10 and p["df"] == 9
    assert np.log(p["ci_high"]) - p["estimate"] == pytest.approx(2.2622 * p["se"], rel=1e-4)
    lag = es.table.set_index("term").loc["lag0"]
    assert np.log(lag["ci_low"]) == pytest.approx(lag["estimate"] - 2.2622 * lag["se"], rel=1e-4)
    from scipy import stats
    t = abs(lag["estimate"] / lag["se"])
    assert lag["p"] == pytest.approx(2 * stats.t.sf(t, 9)) and lag["p"] > 2 * stats.norm.sf(t)


def test_event_study_arguments_are_parameter_errors(strong):
    with pytest.raises(ParameterError, match="window"):
        event_study(strong, "y", window=(-2, 2), ref=-3)
    with pytest.raises(ParameterError, match="bin"):
        event_study(strong, "y", bin=0)
    with pytest.raises(ParameterError, match="method"):
        event_study(strong, "y", method="cs")


def test_permutation_keeps_one_date_per_area_and_the_timing_pairs(strong):
    p = permute_adoption(strong, assign="unit_id", cohort="adoption_month",
                         rng=np.random.default_rng(0))
    per_area = p.groupby(strong["unit_id"]).nunique(dropna=False)
    assert per_area.max() == 1
    before = strong.groupby("unit_id")["adoption_month"].first().value_counts(dropna=False)
    after = p.groupby(strong["unit_id"]).first().value_counts(dropna=False)
    assert before.sort_index().equals(after.sort_index())


def test_ri_p_value_is_the_rank_of_the_observed_effect(strong):
    # a strong effect (IRR 0.6) is more extreme than every permutation: p = 1 / (1 + 19)
    def stat(panel):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StatisticalWarning)
            return fe_rate_model(panel, "y", "area_adopted", cluster="unit_id")["estimate"].iloc[0]

    r = ri_adoption(strong, stat, n_perm=19, seed=3)
    assert r.observed == pytest.approx(np.log(0.6), abs=0.05)
    assert r.p == pytest.approx(1 / 20) and len(r.draws) == 19 and r.n_units == 10
    with pytest.raises(ParameterError, match="n_perm"):
        ri_adoption(strong, stat, n_perm=5)


def test_wild_bootstrap_runs_and_separates_effect_from_null():
    strong = _area_panel(0.6, seed=2)
    strong["unit_id"] = "WA" + strong["unit_id"].astype(str)     # string ids (pandas 3 str dtype)
    eff = wild_bootstrap(strong, "y", "area_adopted", cluster="unit_id", reps=999, seed=1)
    null = wild_bootstrap(_area_panel(1.0, seed=2, shock_sd=0.25), "y", "area_adopted",
                          cluster="unit_id", reps=999, seed=1)
    assert eff["n_clusters"] == 10 and eff["weights"] == "webb"
    assert eff["estimate"] < 0 and eff["p"] < 0.05
    assert 0.05 < null["p"] <= 1


# ----------------------------------------------------------------- survival
def test_km_with_late_entry_hand_calculation():
    # A (0, 2, event), B (0, 4, censored), C enters at 3 (3, 5, event), D (0, 5, censored)
    # t = 2: at risk A, B, D (C not yet entered) -> S = 2/3; ignoring entry: 3/4 (too high)
    # t = 5: at risk C, D -> S = 2/3 * 1/2 = 1/3
    d = pd.DataFrame({"entry": [0, 0, 3, 0], "time": [2, 4, 5, 5], "event": [1, 0, 1, 0]})
    km = km_table(d, entry="entry")
    assert km["n_risk"].tolist() == [3, 2] and km["survival"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert km_table(d)["survival"].iloc[0] == pytest.approx(3 / 4)
    # log-log CI at t = 2: Greenwood se = S*sqrt(d/(n(n-d))) = (2/3)*sqrt(1/6) = 0.27217;
    # S^exp(±1.95996*se/(S*log S)) = (2/3)^7.1970 and (2/3)^0.13895 -> 0.05400, 0.94523
    row = km.iloc[0]
    assert row["se"] == pytest.approx(0.27217, abs=1e-5)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((0.05400, 0.94523), abs=2e-4)


def test_first_event_times_keep_entry_and_group_without_look_ahead():
    # group A: x = 1 before the landmark (month 2), 0 after; an event in month 4
    months = pd.date_range("2019-01-01", periods=6, freq="MS")
    p = pd.DataFrame({"group_id": ["A"] * 6 + ["B"] * 4, "month": list(months) + list(months[2:]),
                      "n": [0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
                      "x": [1, 1, 0, 0, 0, 0, 5, 5, 5, 5]})
    ft = first_event_times(p, event="n", by="x", landmark=2).set_index("group_id")
    assert ft.loc["A", "x"] == 1                    # measured before follow-up, not the later 0
    assert ft.loc["A", "entry"] == 2 and ft.loc["A", "time"] == 5 and ft.loc["A", "event"] == 1
    assert ft.loc["B", "entry"] == 2 and np.isnan(ft.loc["B", "x"])   # B had no pre-landmark month


def _nb_panel(alpha_nb: float, seed: int = 3) -> pd.DataFrame:
    """300 groups × 12 months; x depends on the group effect; true IRR of x 0.5; NB2 counts."""
    rng = np.random.default_rng(seed)
    G, T = 300, 12
    g = np.repeat(np.arange(G), T)
    u = rng.normal(0, 1, G)[g]
    x = rng.binomial(1, 1 / (1 + np.exp(-u)))
    mu = np.exp(0.5 + u + np.log(0.5) * x)
    if alpha_nb > 0:     # NB2 = Poisson with a gamma(1/α, α) multiplier: Var = μ + αμ²
        mu = mu * rng.gamma(1 / alpha_nb, alpha_nb, len(g))
    return pd.DataFrame({"group_id": g, "month": np.tile(np.arange(T), G), "x": x,
                         "y": rng.poisson(mu), "h": 1.0})


def test_negbin_fe_is_poisson_qml_said_so_and_covers_the_truth():
    # no maintained engine fits an FE negative binomial (pyfixest 0.60: fepois/feols/feglm
    # logit-probit-gaussian): family="negbin" is Poisson quasi-ML with cluster-robust SEs,
    # consistent under overdispersion (Wooldridge 1999). Truth of the simulation: IRR 0.5, α = 1.
    df = _nb_panel(1.0)
    with pytest.warns(StatisticalWarning, match="Poisson quasi-ML"):
        nb = fe_rate_model(df, "y", "x", exposure="h", family="negbin")
    po = fe_rate_model(df, "y", "x", exposure="h")
    assert nb["estimate"].iloc[0] == po["estimate"].iloc[0] and nb.attrs["estimator"] == "poisson_qml"
    assert nb["ci_low"].iloc[0] < 0.5 < nb["ci_high"].iloc[0]
    assert abs(nb["estimate"].iloc[0] - np.log(0.5)) < 0.15
    # the overdispersion is measured, not assumed: α̂ near the simulated 1, near 0 for Poisson data
    assert 0.6 < nb.attrs["alpha_nb"] < 1.3
    assert abs(fe_rate_model(_nb_panel(0.0), "y", "x", exposure="h").attrs["alpha_nb"]) < 0.1
    with pytest.raises(ParameterError, match="family"):
        fe_rate_model(df, "y", "x", exposure="h", family="zip")


def test_event_study_jackknife_equals_leave_one_area_out_by_hand(strong):
    # CV3 (MacKinnon, Nielsen & Webb 2023): Var = (G - 1)/G * sum_g (theta_(g) - mean)^2 over
    # the fits without area g; the pooled effect is linear in the coefficients, so refitting
    # the pooled effect on each leave-one-area-out panel by hand must give the same SE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        kw = dict(window=(-6, 5), bin=3, cluster="unit_id")
        cv3 = event_study(strong, "y", vcov="auto", **kw)         # auto: 10 areas -> CV3
        crv1 = event_study(strong, "y", **kw)                     # default CRV1
        loo = np.array([event_study(strong[strong["unit_id"] != a], "y", vcov="CRV1",
                                    **kw).pooled["estimate"]
                        for a in np.unique(strong["unit_id"])])
    assert cv3.info["vcov"] == "CV3" and crv1.info["vcov"] == "CRV1"
    assert cv3.pooled["estimate"] == pytest.approx(crv1.pooled["estimate"])
    G = len(loo)
    assert cv3.pooled["se"] == pytest.approx(np.sqrt((G - 1) / G * ((loo - loo.mean()) ** 2).sum()),
                                             rel=1e-6)
    assert cv3.pooled["df"] == 9
    with pytest.raises(ParameterError, match="vcov"):
        event_study(strong, "y", vcov="HC1", **kw)
