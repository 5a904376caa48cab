"""cfa and harman_test against lavaan's published Holzinger–Swineford output.

Reference: lavaan tutorial / ``summary(fit, fit.measures = TRUE)`` of
``cfa('visual =~ x1 + x2 + x3; textual =~ x4 + x5 + x6; speed =~ x7 + x8 + x9',
data = HolzingerSwineford1939)`` (lavaan 0.6-20; lavaan.ugent.be/tutorial/cfa.html,
also printed in the lavaanExtra ``write_lavaan`` reference page):
  Test statistic 85.306, df 24; baseline 918.852 on 36; CFI 0.931; TLI 0.896;
  Loglikelihood -3737.745; AIC 7517.490; BIC 7595.339; RMSEA 0.092 (90 % CI 0.071, 0.114);
  SRMR 0.065; x2 0.554 (0.100), x3 0.729 (0.109), x5 1.113 (0.065), x6 0.926 (0.055),
  x8 1.180 (0.165), x9 1.082 (0.151); variances visual 0.809, textual 0.979, speed 0.384;
  residual variances x1 .549 x2 1.134 x3 .844 x4 .371 x5 .446 x6 .356 x7 .799 x8 .488 x9 .566;
  covariance visual~~textual 0.408.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from grouplab.errors import DataError, ParameterError
from grouplab.measures.survey.analysis import cfa, harman_test

HS = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"], "speed": ["x7", "x8", "x9"]}


@pytest.fixture(scope="module")
def hs():
    from semopy.examples import holzinger39

    return holzinger39.get_data()


@pytest.fixture(scope="module")
def fit(hs):
    return cfa(hs, HS)


def test_fit_statistics_match_lavaan(fit):
    f = fit.fit.iloc[0]
    assert f["n_obs"] == 301 and f["df"] == 24 and f["n_params"] == 21
    assert round(f["chi2"], 3) == pytest.approx(85.306, abs=0.002)
    assert round(f["cfi"], 3) == 0.931 and round(f["tli"], 3) == 0.896
    assert round(f["rmsea"], 3) == 0.092
    assert round(f["rmsea_low"], 3) == 0.071 and round(f["rmsea_high"], 3) == 0.114
    assert round(f["srmr"], 3) == 0.065
    assert f["aic"] == pytest.approx(7517.490, abs=0.01) and f["bic"] == pytest.approx(7595.339, abs=0.01)
    assert f["converged"] and f["reason"] == ""


def test_loadings_match_lavaan(fit):
    L = fit.loadings.set_index("item")
    est = {"x2": (0.554, 0.100), "x3": (0.729, 0.109), "x5": (1.113, 0.065), "x6": (0.926, 0.055),
           "x8": (1.180, 0.165), "x9": (1.082, 0.151)}
    for item, (b, se) in est.items():
        assert L.loc[item, "estimate"] == pytest.approx(b, abs=0.0006)
        assert L.loc[item, "se"] == pytest.approx(se, abs=0.0015)
    assert np.isnan(L.loc["x1", "se"]) and L.loc["x1", "estimate"] == 1.0
    # std.all by hand from lavaan's estimates: x1 = 1 * sqrt(.809) / sqrt(.809 + .549) = .772;
    # x2 = .554 sqrt(.809) / sqrt(.554^2 .809 + 1.134) = .424
    assert round(L.loc["x1", "std"], 3) == 0.772 and round(L.loc["x2", "std"], 3) == 0.424


def test_cr_ave_htmt_by_hand(fit, hs):
    # std loadings of visual by hand (see above): .772, .424, .581 ->
    # CR = (1.777)^2 / (1.777^2 + (1-.596)+(1-.180)+(1-.338)) = 3.158 / (3.158 + 1.886) = .626
    # AVE = (.596 + .180 + .338)/3 = .371
    rel = fit.reliability.set_index("factor")
    assert rel.loc["visual", "cr"] == pytest.approx(0.626, abs=0.002)
    assert rel.loc["visual", "ave"] == pytest.approx(0.371, abs=0.002)
    # latent correlation visual~~textual = .408 / sqrt(.809 * .979) = .459
    h = fit.htmt.set_index(["factor1", "factor2"])
    assert h.loc[("visual", "textual"), "r"] == pytest.approx(0.459, abs=0.002)
    # HTMT by hand from the item correlations (Henseler et al. 2015, eq. 6)
    R = np.abs(hs[[f"x{i}" for i in range(1, 10)]].corr().to_numpy())
    het = R[:3, 3:6].mean()
    mono_v = R[:3, :3][np.triu_indices(3, 1)].mean()
    mono_t = R[3:6, 3:6][np.triu_indices(3, 1)].mean()
    assert h.loc[("visual", "textual"), "htmt"] == pytest.approx(het / np.sqrt(mono_v * mono_t))


def test_questionnaire_spec_reverse_keys_items(hs):
    spec = {"range": [0, 11], "scales": {"visual": {"items": ["x1", "x2", "x3"], "reverse": ["x2"]},
                                        "textual": {"items": ["x4", "x5", "x6"]}}}
    res = cfa(hs, spec)
    # reversing x2 flips the sign of its loading relative to the unreversed fit
    assert res.loadings.set_index("item").loc["x2", "estimate"] < 0


def test_harman_single_factor(hs):
    out = harman_test(hs, HS).iloc[0]
    R = hs[[f"x{i}" for i in range(1, 10)]].corr().to_numpy()
    # first eigenvalue / number of items, by definition (Podsakoff et al. 2003)
    assert out["first_share"] == pytest.approx(np.linalg.eigvalsh(R)[-1] / 9)
    assert out["model_chi2"] == pytest.approx(85.306, abs=0.002)
    assert out["delta_df"] == 3 and out["delta_chi2"] > 0 and out["delta_p"] < 0.001


def test_bad_input(hs):
    with pytest.raises(ParameterError):
        cfa(hs, {"a": ["x1"], "b": ["x2", "x3"]})
    with pytest.raises(DataError):
        cfa(hs.assign(x1=1.0), HS)
    with pytest.raises(DataError):
        cfa(hs.drop(columns="x9"), HS)
    with pytest.raises(DataError):
        cfa(pd.DataFrame({f"x{i}": [1.0, 2.0] for i in range(1, 10)}), HS)
    with pytest.raises(DataError, match="x1=x4"):
        cfa(hs.assign(x4=hs["x1"]), HS)
