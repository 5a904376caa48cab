"""efa against published factor solutions.

References, quoted where used:
- Harman (1967) *Modern Factor Analysis*, p. 206: minres two-factor solution of the Burt
  emotional-traits matrix, the values psych's own test suite pins ``fa(Harman.Burt, 2,
  rotate = "none")`` to (cran/psych ``tests/testthat/test_fa.r``, tolerance .001).
- psych ``fa(sim.congeneric())`` printout in Revelle's course notes (personality-project.org,
  "Factor analysis as a data description tool"): loadings .8 .7 .6 .5, SS loadings 1.74.
- R ``?factanal`` / ``?ability.cov`` example: ``factanal(factors = 2, covmat = ability.cov)``
  (ML, varimax) printout.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from grouplab.errors import DataError, ParameterError
from grouplab.measures.survey.analysis import efa
from grouplab.measures.survey.analysis.efa import efa_correlation

DATA = Path(__file__).parents[2] / "fixtures" / "survey_analysis"


def _matrix(name):
    m = pd.read_csv(DATA / name, index_col=0)
    return m.to_numpy(float), list(m.columns)


def test_minres_matches_harman_burt_solution():
    R, items = _matrix("Harman.Burt.csv")  # not positive definite: a typo in Burt's table
    res = efa_correlation(R, items, 172, n_factors=2, rotation="none", method="minres")
    book_f1 = [.982, .935, .833, .720, .676, .526, .515, .355]
    book_f2 = [.065, -.111, -.550, -.091, .330, .164, .583, -.128]
    book_h2 = [.968, .888, .997, .526, .566, .304, .605, .142]
    L = res.loadings
    assert np.max(np.abs(L["F1"] - book_f1)) < 0.0015
    assert np.max(np.abs(L["F2"] - book_f2)) < 0.0015
    assert np.max(np.abs(L["h2"] - book_h2)) < 0.0025


def test_minres_one_factor_matches_psych_congeneric():
    # sim.congeneric(): r_ij = l_i l_j with loadings .8 .7 .6 .5; psych prints MR1 .8 .7 .6 .5,
    # h2 .64 .49 .36 .25, SS loadings 1.74, Proportion Var 0.43
    lam = np.array([.8, .7, .6, .5])
    R = np.outer(lam, lam)
    np.fill_diagonal(R, 1.0)
    res = efa_correlation(R, ["V1", "V2", "V3", "V4"], 100, n_factors=1, method="minres")
    assert res.loadings["F1"].round(3).tolist() == [0.8, 0.7, 0.6, 0.5]
    assert round(res.variance["ss_loadings"].iloc[0], 2) == 1.74
    # 1.74 / 4 = 0.435 exactly; R prints 0.43 (the stored double is just below .435)
    assert res.variance["proportion"].iloc[0] == pytest.approx(0.435, abs=1e-6)


def test_ml_varimax_matches_factanal_on_ability_cov():
    C, items = _matrix("ability.cov.csv")
    d = np.sqrt(np.diag(C))
    R = C / np.outer(d, d)
    res = efa_correlation(R, items, 112, n_factors=2, rotation="varimax", method="ml")
    # factanal(factors = 2, covmat = ability.cov):
    # Uniquenesses: general .455 picture .589 blocks .218 maze .769 reading .052 vocab .334
    # Loadings (Factor1, Factor2): general .499 .543, picture .156 .622, blocks .206 .860,
    #   maze .109 .468, reading .956 .182, vocab .785 .225
    L = res.loadings.set_index("item")
    assert (1 - L["h2"]).round(3).tolist() == [0.455, 0.589, 0.218, 0.769, 0.052, 0.334]
    f_read = "F1" if L.loc["reading", "F1"] > L.loc["reading", "F2"] else "F2"
    f_space = "F2" if f_read == "F1" else "F1"
    read = [0.499, 0.156, 0.206, 0.109, 0.956, 0.785]
    space = [0.543, 0.622, 0.860, 0.468, 0.182, 0.225]
    # within 0.003: factanal's own convergence (default tolerances) differs in the third decimal
    assert np.max(np.abs(L[f_read] - read)) < 0.003
    assert np.max(np.abs(L[f_space] - space)) < 0.003


def _two_factor_data(n=600, seed=3):
    rng = np.random.default_rng(seed)
    f = rng.multivariate_normal([0, 0], [[1, .3], [.3, 1]], n)
    lam = np.array([.8, .7, .7, .6])
    X = np.hstack([f[:, [0]] * lam + rng.standard_normal((n, 4)) * np.sqrt(1 - lam**2),
                   f[:, [1]] * lam + rng.standard_normal((n, 4)) * np.sqrt(1 - lam**2)])
    return pd.DataFrame(X, columns=[f"A{i}" for i in range(1, 5)] + [f"B{i}" for i in range(1, 5)])


def test_parallel_analysis_and_oblimin_recover_known_structure():
    # Simulated: two factors correlating .3, loadings .8 .7 .7 .6 -> parallel analysis keeps 2,
    # each item's primary factor is its own, factor correlation near .3.
    df = _two_factor_data()
    res = efa(df, list(df.columns))
    assert res.suggested == 2 and res.n_factors == 2
    prim = res.loadings.set_index("item")["primary"]
    assert prim[["A1", "A2", "A3", "A4"]].nunique() == 1 and prim[["B1", "B2", "B3", "B4"]].nunique() == 1
    assert prim["A1"] != prim["B1"]
    assert abs(res.phi.iloc[0, 1]) == pytest.approx(0.3, abs=0.1)
    shown = res.blank_below(0.4)
    assert shown[["F1", "F2"]].isna().sum().sum() == 8
    promax = efa(df, list(df.columns), n_factors=2, rotation="promax", method="pa")
    assert promax.loadings.set_index("item")["primary"]["A1"] != promax.loadings.set_index(
        "item")["primary"]["B1"]


def test_bad_input():
    df = _two_factor_data(50).assign(C=3.0)
    with pytest.raises(DataError) as e:
        efa(df, list(df.columns), n_factors=2)
    assert e.value.problems[0].column == "C"
    with pytest.raises(ParameterError):
        efa(_two_factor_data(50), ["A1", "A2", "B1"], n_factors=3)
    with pytest.raises(ParameterError):
        efa(_two_factor_data(50), ["A1", "A2", "B1"], n_factors=1, rotation="quartimax")
    with pytest.raises(DataError):
        efa(_two_factor_data(3), ["A1", "A2", "A3", "A4", "B1"], n_factors=1)


def test_singular_matrix_is_a_data_error_for_ml_and_pa_but_minres_runs():
    df = _two_factor_data(200).assign(A5=lambda d: d["A1"])
    items = [*df.columns]
    for method in ("ml", "pa"):
        with pytest.raises(DataError, match="A1=A5"):
            efa(df, items, n_factors=2, method=method)
    # minres needs no inverse (psych fits the singular Harman.Burt matrix the same way);
    # two identical items get identical loadings
    L = efa(df, items, n_factors=2, method="minres").loadings.set_index("item")
    assert np.allclose(L.loc["A5", ["F1", "F2"]].astype(float), L.loc["A1", ["F1", "F2"]].astype(float),
                       atol=1e-3)
