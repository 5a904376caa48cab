"""Tests of grouplab.models: published-table checks, truth recovery on the demo, bad input.

Truth: grouplab.synth.TRUTH / data/demo/README.md (IRRs for violations: posts 0.80,
leader trained in the previous 12 months 0.90, per 三多三少 flag per meeting in month
t-1 1.10, number of meetings 1.00; hidden hazards: posts 1.15).
"""

from __future__ import annotations

from pathlib import Path

import grouplab
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from grouplab.errors import DataError, ParameterError
from grouplab.measures.panel import lag_columns, study_panel
from grouplab.models import (
    bh_adjust,
    counting_process,
    cox_model,
    did_compare,
    event_study,
    fe_compare,
    fe_rate_model,
    first_event_times,
    interrupted_time_series,
    km_table,
    mediation,
    moderation,
    rate_model,
)
from grouplab.models.design import StatisticalWarning
from grouplab.synth import TRUTH
from statsmodels.duration.hazard_regression import PHReg

REF = Path(__file__).parents[1] / "fixtures" / "reference"
EFF = TRUTH["effects"]
MEASURES = ["area_adopted", "trained_prev_12m", "quality_deficit_lag1"]


def covers(row, value) -> bool:
    return bool(row["ci_low"] <= value <= row["ci_high"])


# ----------------------------------------------------------------- fixtures (fit once)
@pytest.fixture(scope="module")
def panel():
    p = study_panel(grouplab.load_demo(), log_start="2014-01")  # no trainings before 2015
    return lag_columns(p, ["quality_deficit", "n_meetings"], 1)


@pytest.fixture(scope="module")
def violations(panel):
    return fe_compare(panel, "n_violation", MEASURES).set_index(["model", "term"])


@pytest.fixture(scope="module")
def meetings(panel):
    unlagged = fe_compare(panel, "n_violation", ["n_meetings"]).set_index("model")
    lagged = fe_compare(panel, "n_violation", ["n_meetings_lag1"]).set_index("model")
    return unlagged, lagged


@pytest.fixture(scope="module")
def es_violation(panel):
    # posts are adopted by work area (unit_id): cluster there; 10 areas -> a few-cluster warning
    with pytest.warns(StatisticalWarning, match="only 10 clusters"):
        return event_study(panel, "n_violation", window=(-12, 11), bin=3, cluster="unit_id",
                           controls=["trained_prev_12m", "quality_deficit_lag1"])


@pytest.fixture(scope="module")
def ships():
    d = pd.read_csv(REF / "models_ships.csv")
    return d[d["service"] > 0].reset_index(drop=True)


# ----------------------------------------------------------------- published table
def test_rate_model_reproduces_ships_table(ships):
    # McCullagh & Nelder (1989) §6.3.2; R: glm(incidents ~ type + year + period +
    #   offset(log(service)), family = poisson, data = subset(ships, service > 0))
    r = rate_model(ships, "incidents ~ C(type) + C(year) + C(period)", exposure="service")
    r = r.set_index("term")
    published = {"Intercept": (-6.40590, 0.21744), "C(type)[T.B]": (-0.54334, 0.17759),
                 "C(type)[T.C]": (-0.68740, 0.32904), "C(type)[T.D]": (-0.07596, 0.29058),
                 "C(type)[T.E]": (0.32558, 0.23588), "C(year)[T.65]": (0.69714, 0.14964),
                 "C(year)[T.70]": (0.81843, 0.16977), "C(year)[T.75]": (0.45343, 0.23317),
                 "C(period)[T.75]": (0.38447, 0.11827)}
    for term, (b, se) in published.items():
        assert r.loc[term, "estimate"] == pytest.approx(b, abs=6e-6)
        assert r.loc[term, "se"] == pytest.approx(se, abs=2e-5)  # R stops IRLS at 1e-8
        assert r.loc[term, "irr"] == pytest.approx(np.exp(b), rel=1e-4)
    assert r.attrs["n"] == 34 and r.attrs["family"] == "poisson"
    assert r.attrs["dispersion"] == pytest.approx(42.3 / 25, abs=0.005)  # M&N: X² = 42.3, 25 df


def test_quasi_poisson_scales_se_by_pearson_dispersion(ships):
    f = "incidents ~ C(type) + C(year) + C(period)"
    r0 = rate_model(ships, f, exposure="service")
    r1 = rate_model(ships, f, exposure="service", scale="pearson")
    assert np.allclose(r1["se"], r0["se"] * np.sqrt(r0.attrs["dispersion"]))
    assert np.allclose(r1["estimate"], r0["estimate"])


def test_negbin_matches_statsmodels_ml():
    rng = np.random.default_rng(1)
    n = 2000
    df = pd.DataFrame({"x": rng.integers(0, 2, n), "e": rng.uniform(1, 3, n)})
    mu = df["e"] * np.exp(0.5 + 0.4 * df["x"])
    df["y"] = rng.negative_binomial(2, 1 / (1 + 0.5 * mu))
    r = rate_model(df, "y ~ x", exposure="e", family="negbin")
    ref = smf.negativebinomial("y ~ x", df, exposure=df["e"]).fit(disp=0)
    assert r["estimate"].to_numpy() == pytest.approx(ref.params.to_numpy()[:2], abs=1e-4)
    assert r.attrs["alpha_nb"] == pytest.approx(ref.params["alpha"], rel=1e-3)


def test_fe_poisson_equals_dummy_glm_with_fixest_small_sample_factor():
    rng = np.random.default_rng(4)
    G, T = 48, 10
    g = np.repeat(np.arange(G), T)
    df = pd.DataFrame({"g": g, "t": np.tile(np.arange(T), G), "x": rng.normal(size=G * T),
                       "h": rng.uniform(5, 10, G * T)})
    df["y"] = rng.poisson(df["h"] * np.exp(-1 + 0.3 * df["x"]))
    r = fe_rate_model(df, "y", "x", exposure="h", group="g", time="t", cluster="g")
    ref = smf.glm("y ~ x + C(g) + C(t)", df, family=sm.families.Poisson(),
                  exposure=df["h"]).fit(cov_type="cluster", cov_kwds={"groups": df["g"]})
    assert r["estimate"].iloc[0] == pytest.approx(ref.params["x"], abs=1e-8)
    # statsmodels' factor (N-1)/(N-K) counts every dummy, K = 1 + 48 + 9 = 58; fixest/Stata
    # leave out the group effects nested in the clusters, K = x + 9 months + 1 = 11 (hand
    # calculation of the ratio of the two factors)
    n = G * T
    assert r["se"].iloc[0] == pytest.approx(ref.bse["x"] * np.sqrt((n - 58) / (n - 11)), rel=1e-5)
    assert r.attrs["n_clusters"] == G and r.attrs["few_clusters"] is False


# ----------------------------------------------------------------- bad input
def test_zero_or_negative_exposure_is_a_data_error(ships):
    bad = ships.copy()
    bad.loc[0, "service"] = 0
    with pytest.raises(DataError, match="zero, negative"):
        rate_model(bad, "incidents ~ C(type)", exposure="service")
    bad.loc[0, "service"] = -5
    with pytest.raises(DataError, match="positive exposure"):
        rate_model(bad, "incidents ~ C(type)", exposure="service")


def test_formula_with_missing_column_is_a_data_error(ships):
    with pytest.raises(DataError, match="not in the data: shipyard"):
        rate_model(ships, "incidents ~ C(type) + shipyard", exposure="service")


def test_single_cluster_is_a_data_error(ships):
    with pytest.raises(DataError, match="1 distinct value"):
        rate_model(ships.assign(one="x"), "incidents ~ C(type)", exposure="service",
                   cluster="one")


def test_bad_family_and_scale(ships):
    with pytest.raises(ParameterError, match="family"):
        rate_model(ships, "incidents ~ C(type)", exposure="service", family="gamma")
    with pytest.raises(ParameterError, match="scale"):
        rate_model(ships, "incidents ~ C(type)", exposure="service", scale="deviance")


# ----------------------------------------------------------------- truth on the demo
def test_fe_with_lags_recovers_true_violation_effects(violations):
    fe = violations.loc["fe"]
    assert covers(fe.loc["area_adopted"], EFF["post_irr"]["violation"])
    assert covers(fe.loc["trained_prev_12m"], EFF["training_irr"]["violation"])
    assert covers(fe.loc["quality_deficit_lag1"], EFF["flag_irr"]["violation"])


def test_naive_models_overstate_the_benefit(violations):
    # engagement u_g raises training and meeting quality and lowers violations
    naive = violations.loc["naive"]
    assert naive.loc["trained_prev_12m", "ci_high"] < EFF["training_irr"]["violation"]
    assert naive.loc["quality_deficit_lag1", "ci_low"] > EFF["flag_irr"]["violation"]


def test_unlagged_meetings_are_wrong_lagged_fe_are_right(meetings):
    unlagged, lagged = meetings
    # feedback loop: violations add meetings later; the true meeting-count IRR is 1
    assert unlagged.loc["naive", "ci_low"] > TRUTH["effects"]["meeting_count_irr"]
    assert covers(lagged.loc["fe"], TRUTH["effects"]["meeting_count_irr"])


def test_fe_accidents_cover_truth(panel):
    with pytest.warns(StatisticalWarning, match="clusters of 'group_id'"):   # 37 groups with events
        fe = fe_rate_model(panel, "n_responsibility_accident", MEASURES).set_index("term")
    assert covers(fe.loc["area_adopted"], EFF["post_irr"]["responsibility_accident"])
    assert covers(fe.loc["trained_prev_12m"], EFF["training_irr"]["responsibility_accident"])
    assert covers(fe.loc["quality_deficit_lag1"], EFF["flag_irr"]["responsibility_accident"])
    assert fe.attrs["dropped_groups"] == 58 - fe.attrs["n_clusters"] and fe.attrs["few_clusters"]


def test_event_study_recovers_post_effect_and_flat_leads(es_violation):
    p, table = es_violation.pooled, es_violation.table
    assert p["ci_low"] <= EFF["post_irr"]["violation"] <= p["ci_high"]
    leads = table[table["event_time"] < -3]
    assert leads["estimate"].abs().max() < 0.35
    # the demo has no pre-trends; with 10 area clusters the Wald test cannot be trusted (it
    # rejects, p < 0.05) -- the power statement is what the report shows: the smallest linear
    # pre-trend per quarter it would detect is reported and positive
    assert 0 < es_violation.pretrend["mde_slope"] < 1 and es_violation.pretrend["df"] == 3
    assert list(table.columns) == ["event_time", "term", "estimate", "se", "irr",
                                   "ci_low", "ci_high", "p", "n_treated"]
    ref = table[table["event_time"] == -3].iloc[0]
    assert ref["estimate"] == 0 and np.isnan(ref["se"])
    # one reference for everything: the pooled effect is the mean of the post points
    post = table[table["event_time"] >= 0]
    assert p["estimate"] == pytest.approx(post["estimate"].mean(), abs=1e-10)
    assert es_violation.info["cluster"] == "unit_id" and es_violation.info["n_clusters"] == 10


def test_hidden_hazards_rise_with_posts(panel):
    d = did_compare(panel, "n_hidden_hazard", bin=3, window=(-12, 11)).set_index("model")
    assert list(d.index) == ["twfe_static", "twfe", "stacked", "sun_abraham"]
    assert covers(d.loc["stacked"], EFF["post_irr"]["hidden_hazard"])
    assert covers(d.loc["sun_abraham"], EFF["post_irr"]["hidden_hazard"])


def test_stacked_survives_heterogeneous_effects_where_twfe_fails():
    # effects grow 5 % per month since adoption; no never-treated groups (Goodman-Bacon 2021)
    G, T = 60, 36
    g, t = np.repeat(np.arange(G), T), np.tile(np.arange(T), G)
    start = np.where(np.arange(G) < 30, 6, 24)[g]
    log_eff = np.where(t >= start, -0.05 * (t - start + 1), 0.0)
    month = pd.PeriodIndex([pd.Period("2016-01", "M") + int(k) for k in t]).to_timestamp()
    adopt = pd.PeriodIndex([pd.Period("2016-01", "M") + int(k) for k in start]).to_timestamp()
    true_avg = float(np.mean(-0.05 * (np.arange(6) + 1)))     # mean effect over lags 0..5
    rng = np.random.default_rng(0)
    # 200 events a month per group: the single reference month is estimated precisely
    df = pd.DataFrame({"group_id": g, "month": month, "adopt": adopt, "h": 1.0,
                       "y": rng.poisson(200 * np.exp(log_eff))})
    d = did_compare(df, "y", cohort="adopt", exposure="h", window=(-6, 5),
                    cluster="group_id").set_index("model")
    z = 1.959964
    for m in ("stacked", "sun_abraham"):
        st = d.loc[m]
        assert st["estimate"] - z * st["se"] <= true_avg <= st["estimate"] + z * st["se"], m
    assert d.loc["twfe_static", "estimate"] > -0.05          # static TWFE misses the (negative) effect


# ----------------------------------------------------------------- ITS
def test_its_recovers_level_and_slope_change():
    m = pd.date_range("2010-01-01", periods=24, freq="MS")
    tau = np.arange(24) - 12
    rng = np.random.default_rng(5)
    y = 85 + 0.1 * tau + 5 * (tau >= 0) + 0.2 * tau * (tau >= 0) + rng.normal(0, 0.3, 24)
    r = interrupted_time_series(pd.DataFrame({"month": m, "value": y}),
                                interruption="2011-01").set_index("term")
    assert covers(r.loc["level_change"], 5.0) and covers(r.loc["slope_change"], 0.2)
    # hand check of the point estimates: OLS on the same design
    X = np.column_stack([np.ones(24), tau + 1, tau >= 0, tau * (tau >= 0)]).astype(float)
    assert r["estimate"].to_numpy() == pytest.approx(np.linalg.lstsq(X, y, rcond=None)[0])
    assert r.attrs["maxlags"] == 2        # floor(4 (24/100)^(2/9))


def test_its_on_the_demo_oil_balance_rate():
    ind = grouplab.load_demo()["indicators"]
    s = ind[ind["indicator_id"] == "balance_rate"].groupby("month", as_index=False)["value"].mean()
    r = interrupted_time_series(s, interruption="2011-01").set_index("term")
    assert r.loc["level_change", "estimate"] > 0      # README: 85.0 % -> 92.3 % (level + ramp)


def test_its_needs_points_on_both_sides():
    m = pd.date_range("2010-01-01", periods=6, freq="MS")
    with pytest.raises(DataError, match="at least 3"):
        interrupted_time_series(pd.DataFrame({"month": m, "value": range(6)}),
                                interruption="2010-05")


# ----------------------------------------------------------------- survival
def test_counting_process_cox_equals_plain_cox_for_constant_covariates():
    # splitting follow-up into months must not change the partial likelihood
    rng = np.random.default_rng(2)
    n = 150
    x = rng.integers(0, 2, n)
    T = np.minimum(rng.geometric(0.06 * np.where(x == 1, 0.6, 1.0)), 30)
    ev = (T < 30).astype(int)
    rows = [(i, t, t + 1, int(ev[i] and t + 1 == T[i]), x[i]) for i in range(n)
            for t in range(T[i])]
    cp = pd.DataFrame(rows, columns=["g", "start", "stop", "event", "x"])
    r = cox_model(cp, ["x"], ties="breslow", subject="g")
    ref = PHReg(T.astype(float), x[:, None].astype(float), status=ev, ties="breslow").fit()
    assert r["estimate"].iloc[0] == pytest.approx(ref.params[0], abs=1e-8)
    assert r.attrs["n_events"] == ev.sum() and r.attrs["n_subjects"] == n


def test_cox_and_km_on_the_demo(panel):
    cp = counting_process(panel, covariates=MEASURES)
    assert cp.groupby("group_id")["event"].sum().max() == 1   # follow-up ends at the first event
    cox = cox_model(cp, MEASURES).set_index("term")
    assert cox["se"].gt(0).all() and cox.attrs["n_events"] > 10
    ft = first_event_times(panel.assign(ever=panel["adoption_month"].notna().astype(int)),
                           by="ever")
    km = km_table(ft, by="ever")
    assert set(km["level"]) == {0, 1}
    assert km.groupby("level")["survival"].apply(lambda s: s.is_monotonic_decreasing).all()


def test_km_hand_calculation():
    # S(1) = 4/5, S(2) = 4/5·3/4, S(3) = 0.6·1/2; Greenwood: se(1) = 0.8·sqrt(1/(5·4))
    d = pd.DataFrame({"time": [1, 2, 2, 3, 4], "event": [1, 1, 0, 1, 0]})
    km = km_table(d)
    # the curve runs to the end of follow-up (t = 4, censored): S(4) = S(3)
    assert km["survival"].tolist() == pytest.approx([0.8, 0.6, 0.3, 0.3])
    assert km["time"].tolist() == [1, 2, 3, 4] and km["n_events"].tolist() == [1, 1, 1, 0]
    assert km["se"].iloc[0] == pytest.approx(0.8 * np.sqrt(1 / 20))


# ----------------------------------------------------------------- multiple testing
def test_bh_hand_calculation():
    # sorted p 0.005, 0.01, 0.03, 0.04 (m = 4): 4p/i = 0.02, 0.02, 0.04, 0.04
    t = pd.DataFrame({"p": [0.01, 0.04, 0.03, 0.005, np.nan]})
    out = bh_adjust(t)
    assert out["p_bh"].tolist()[:4] == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert np.isnan(out["p_bh"].iloc[4]) and out.attrs["m"] == 4
    # R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05, 0.5), "BH") -> .06 .06 .06 .06 .06 .5
    r = bh_adjust(pd.DataFrame({"p": [0.01, 0.02, 0.03, 0.04, 0.05, 0.5]}))
    assert r["p_bh"].tolist() == pytest.approx([0.06] * 5 + [0.5])


# ----------------------------------------------------------------- mediation / moderation
@pytest.fixture(scope="module")
def med_data():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=300), "c": rng.normal(size=300)})
    df["m"] = 0.5 * df["x"] + 0.2 * df["c"] + rng.normal(size=300)
    df["y"] = 0.4 * df["m"] + 0.1 * df["x"] + rng.normal(size=300)
    return df


def test_mediation_paths_match_ols_and_are_seeded(med_data):
    r = mediation(med_data, x="x", m="m", y="y", covariates=["c"], n_boot=1000, seed=3)
    p = r.set_index("path")["effect"]
    fa = smf.ols("m ~ x + c", med_data).fit()
    fb = smf.ols("y ~ x + m + c", med_data).fit()
    fc = smf.ols("y ~ x + c", med_data).fit()
    assert p["a"] == pytest.approx(fa.params["x"]) and p["b"] == pytest.approx(fb.params["m"])
    assert p["c_prime"] == pytest.approx(fb.params["x"]) and p["c"] == pytest.approx(fc.params["x"])
    assert p["c"] == pytest.approx(p["c_prime"] + p["a"] * p["b"])      # c = c' + ab (OLS)
    r2 = mediation(med_data, x="x", m="m", y="y", covariates=["c"], n_boot=1000, seed=3)
    pd.testing.assert_frame_equal(r, r2)
    assert "中介作用成立" in r.attrs["reading_zh"] and "compatible with mediation" in r.attrs["reading_en"]
    assert r.attrs["verdict"] == "supported"


@pytest.mark.parametrize("covariates, published", [
    # Hayes (2018), Introduction to Mediation, Moderation, and Conditional Process Analysis,
    # 2nd ed., Guilford: section 3.5 (PROCESS model 4, no covariates) a = 0.173, b = 0.769,
    # c' = -0.077, c = 0.056, ab = 0.133; Table 4.1 / p. 127 (covariates ese, sex, tenure)
    # a = 0.159, b = 0.707, c' = -0.094, ab = 0.113. Data: Hayes' ESTRESS file (Pollack,
    # VanEpps & Hayes 2012), n = 262, see tests/fixtures/reference/README_models.md.
    ((), {"a": 0.173, "b": 0.769, "c_prime": -0.077, "c": 0.056, "indirect": 0.133}),
    (("ese", "sex", "tenure"), {"a": 0.159, "b": 0.707, "c_prime": -0.094, "indirect": 0.113}),
])
def test_mediation_reproduces_hayes_estress(covariates, published):
    d = pd.read_csv(REF / "hayes_estress.csv")
    assert len(d) == 262 and d["withdraw"].std() == pytest.approx(1.24687, abs=1e-5)
    r = mediation(d, x="estress", m="affect", y="withdraw", covariates=list(covariates),
                  n_boot=2000, seed=1).set_index("path")
    for path, value in published.items():
        assert r.loc[path, "effect"] == pytest.approx(value, abs=5e-4), path
    lo, hi = r.loc["indirect", ["ci_low", "ci_high"]]
    assert 0 < lo < published["indirect"] < hi      # Hayes: the bootstrap CI excludes 0


def test_moderation_simple_slopes(med_data):
    df = med_data.assign(y2=0.3 * med_data["x"] + 0.25 * med_data["x"] * med_data["c"]
                         + np.random.default_rng(1).normal(size=300))
    r = moderation(df, x="x", w="c", y="y2").set_index("path")
    xc, wc = df["x"] - df["x"].mean(), df["c"] - df["c"].mean()
    ref = smf.ols("y2 ~ xc * wc", df.assign(xc=xc, wc=wc)).fit()
    assert r.loc["x:w", "effect"] == pytest.approx(ref.params["xc:wc"])
    assert r.loc["slope@mean", "effect"] == pytest.approx(ref.params["xc"])
    sd = df["c"].std()
    assert r.loc["slope@+1SD", "effect"] == pytest.approx(ref.params["xc"]
                                                          + sd * ref.params["xc:wc"])
    assert r.loc["slope@+1SD", "w_value"] == pytest.approx(df["c"].mean() + sd)


def test_spssau_layout_of_mediation_and_moderation():
    from grouplab.reports.common.tables import spssau_table

    rng = np.random.default_rng(7)
    n = 200
    x = rng.normal(size=n)
    m = 0.5 * x + rng.normal(size=n)
    d = pd.DataFrame({"x": x, "m": m, "y": 0.4 * m + rng.normal(size=n), "w": rng.normal(size=n)})
    med = spssau_table(mediation(d, x="x", m="m", y="y"), lang="zh")
    assert med["项"].tolist() == ["总效应 c（X→Y）", "a 路径（X→M）", "b 路径（M→Y）", "直接效应 c′",
                                 "间接效应 a×b"]
    assert med.loc[4, "结论"] == "显著"  # true indirect effect 0.2, n = 200
    mod = spssau_table(moderation(d, x="x", w="w", y="y"), lang="en")
    assert "Interaction X×W" in mod["Term"].tolist()
