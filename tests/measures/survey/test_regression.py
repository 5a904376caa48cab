"""regression and correlations against published R output on Duncan's occupational prestige data.

References, quoted where used:
- ``summary(lm(prestige ~ income + education, data = Duncan))`` as printed in Fox (2016)
  *Applied Regression Analysis and Generalized Linear Models*, 3rd ed., ch. 5, and Fox &
  Weisberg's *An R Companion to Applied Regression*: Intercept -6.06466 (4.27194),
  income 0.59873 (0.11967), education 0.54583 (0.09825); Residual SE 13.37 on 42 df;
  Multiple R-squared 0.8282, Adjusted 0.82; F-statistic 101.2 on 2 and 42 DF.
- ``summary(lm(speed ~ dist, data = cars))`` and ``lmtest::coeftest(model, vcov. =
  sandwich::vcovHC(model, type = "HC1"))`` as printed in Mike Nguyen's *A Guide on Data
  Analysis* (bookdown.org/mike/data_analysis, "Standard Errors").
- ``car::vif(lm(prestige ~ income + education, data = Duncan))``: income 2.104900,
  education 2.104900 (car manual example).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from grouplab.errors import DataError, ParameterError
from grouplab.measures.survey.analysis import correlations, regression

DATA = Path(__file__).parents[2] / "fixtures" / "survey_analysis"


@pytest.fixture(scope="module")
def duncan():
    return pd.read_csv(DATA / "Duncan.csv")


def test_ols_matches_r_on_duncan(duncan):
    t = regression(duncan, "prestige", ["income", "education"]).set_index("term")
    assert t["b"].round(5).tolist() == [-6.06466, 0.59873, 0.54583]
    assert t["se"].round(5).tolist() == [4.27194, 0.11967, 0.09825]
    r = t.iloc[0]
    assert round(r["r2"], 4) == 0.8282 and round(r["adj_r2"], 2) == 0.82
    assert round(r["f"], 1) == 101.2 and (r["f_df1"], r["f_df2"]) == (2, 42)
    assert t.loc["income", "vif"] == pytest.approx(2.104900, abs=1e-6)
    # beta by hand: b * SD(x) / SD(y)
    sd = duncan[["prestige", "income", "education"]].std()
    assert t.loc["income", "beta"] == pytest.approx(0.59873 * sd["income"] / sd["prestige"], rel=1e-4)
    assert r["cov_type"] == "nonrobust"


def test_hc3_changes_only_the_standard_errors(duncan):
    plain = regression(duncan, "prestige", ["income", "education"])
    robust = regression(duncan, "prestige", ["income", "education"], robust=True)
    assert robust["b"].tolist() == pytest.approx(plain["b"].tolist())
    assert robust["cov_type"].iloc[0] == "HC3" and not np.allclose(robust["se"], plain["se"])


def test_pearson_correlation_matches_vif_and_t_formula(duncan):
    t = correlations(duncan, ["income", "education", "prestige"])
    r = t[(t["var1"] == "income") & (t["var2"] == "education")].iloc[0]
    # with two predictors VIF = 1/(1 - r^2): r = sqrt(1 - 1/2.104900) = 0.724512
    assert r["r"] == pytest.approx(np.sqrt(1 - 1 / 2.104900), abs=1e-6)
    # t = r sqrt(43)/sqrt(1-r^2) = 0.724512 * 6.557439 / 0.689253 = 6.8929 -> p < .001
    assert r["n"] == 45 and r["stars"] == "***" and r["p"] < 1e-6
    diag = t[t["var1"] == t["var2"]]
    assert (diag["r"] == 1).all() and diag["diagonal"].isna().all()


def test_spearman_is_pearson_of_ranks():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4, 5], "b": [1.0, 4, 9, 16, 100]})
    t = correlations(df, method="spearman")
    assert t.loc[1, "r"] == pytest.approx(1.0)


def test_bad_input(duncan):
    with pytest.raises(DataError):
        regression(duncan.assign(c=1.0), "prestige", ["income", "c"])
    with pytest.raises(DataError):
        regression(duncan.assign(inc2=duncan["income"] * 2), "prestige", ["income", "inc2"])
    with pytest.raises(ParameterError):
        regression(duncan, "prestige", ["prestige"])
    with pytest.raises(DataError):
        correlations(duncan.assign(c=1.0), ["income", "c"])
    with pytest.raises(DataError) as e:
        regression(duncan, "prestige", ["type"])
    assert e.value.problems[0].column == "type"


def test_ols_and_hc1_match_r_on_cars():
    cars = pd.read_csv(DATA / "cars.csv")
    t = regression(cars, "speed", ["dist"]).set_index("term")
    # summary(lm(speed ~ dist, cars)): 8.28391 (0.87438), 0.16557 (0.01749); R-squared 0.6511
    assert t["b"].round(5).tolist() == [8.28391, 0.16557]
    assert t["se"].round(5).tolist() == [0.87438, 0.01749]
    assert round(t["r2"].iloc[0], 4) == 0.6511
    # coeftest(..., vcovHC(type = "HC1")): SEs 0.891860 and 0.019402; t 9.2883 and 8.5335
    h = regression(cars, "speed", ["dist"], robust="HC1").set_index("term")
    assert h["se"].round(6).tolist() == [0.891860, 0.019402]
    assert h["t"].round(4).tolist() == [9.2883, 8.5335]
    with pytest.raises(ParameterError):
        regression(cars, "speed", ["dist"], robust="HC9")
