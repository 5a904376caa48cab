"""Linear regression (线性回归) laid out as SPSSAU prints it: b, SE, β, t, p, VIF, R², F."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.stats.stattools import durbin_watson

from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError
from grouplab.measures.survey.analysis.inputs import WHERE, numeric

__all__ = ["regression", "REGRESSION_COLUMNS"]

REGRESSION_COLUMNS = ["term", "b", "se", "beta", "t", "p", "ci_low", "ci_high", "vif", "n", "r2", "adj_r2",
                      "f", "f_df1", "f_df2", "f_p", "durbin_watson", "cov_type"]


def regression(scores: pd.DataFrame, y: str, xs: Sequence[str], *, robust: bool | str = False
               ) -> pd.DataFrame:
    """OLS of ``y`` on ``xs`` with standardised coefficients and collinearity diagnostics.

    Parameters
    ----------
    scores : DataFrame
        One row per respondent with ``y`` and ``xs`` (numbers). Rows missing
        any of them are left out (listwise deletion).
    y : str
        Dependent variable.
    xs : sequence of str
        Predictors (numeric; code a categorical attribute as 0/1 columns first).
    robust : bool or {"HC0", "HC1", "HC2", "HC3"}, default False
        Heteroscedasticity-consistent standard errors (and a robust Wald F)
        instead of the classical ones: True means HC3 (Long & Ervin 2000);
        HC1 is Stata's ``, robust``.

    Returns
    -------
    DataFrame
        One row per term (``const`` first, then ``xs`` in order):

        - ``term``; ``b`` (unstandardised coefficient), ``se``, ``t``, ``p``,
          ``ci_low``/``ci_high`` (95 %);
        - ``beta``: standardised coefficient b·SD(x)/SD(y) (NaN for ``const``);
        - ``vif``: variance inflation factor 1/(1 − R²_j) (NaN for ``const``);
        - model columns repeated on every row: ``n``, ``r2``, ``adj_r2``, ``f``,
          ``f_df1``, ``f_df2``, ``f_p`` (overall F test), ``durbin_watson``,
          ``cov_type`` (``"nonrobust"`` or the HC type).

    Raises
    ------
    DataError
        A column is missing or not numeric, a predictor is constant, the
        predictors are perfectly collinear, or too few complete rows.
    ParameterError
        ``y`` among ``xs``, or no predictors.

    Notes
    -----
    Ordinary least squares via :mod:`statsmodels`. Coefficients describe
    conditional associations in this sample; with cross-sectional survey data
    they do not show that a predictor changes the outcome. Classical SEs
    assume independent, homoscedastic, normally distributed errors;
    respondents of one Party group are not independent.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1., 3, 2, 5, 4, 6], "x": [1., 2, 3, 4, 5, 6]})
    >>> t = regression(df, "y", ["x"])
    >>> round(float(t.loc[1, "b"]), 4), round(float(t.loc[0, "r2"]), 4)
    (0.8857, 0.7845)
    """
    xs = list(xs)
    cov = "HC3" if robust is True else ("nonrobust" if robust is False else str(robust).upper())
    if cov not in ("nonrobust", "HC0", "HC1", "HC2", "HC3"):
        raise ParameterError(f"robust={robust!r}: use False, True (HC3) or one of 'HC0'-'HC3'")
    if not xs:
        raise ParameterError("xs: name at least one predictor")
    if y in xs:
        raise ParameterError(f"{y!r} is both the outcome and a predictor")
    M = numeric(scores, [y, *xs], what="regression")
    M = M[~np.isnan(M).any(axis=1)]
    n, k = M.shape[0], len(xs)
    if n < k + 2:
        raise DataError([problem("too_few_rows_predictors", WHERE, n=n, k=k, need=k + 2)])
    sd = M.std(axis=0, ddof=1)
    flat = [c for c, s in zip(xs, sd[1:]) if not s > 0]
    if flat:
        raise DataError([problem("constant_predictor", WHERE, None, c) for c in flat])
    X = sm.add_constant(M[:, 1:], has_constant="add")
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise DataError([problem("collinear_predictors", WHERE)])
    fit = sm.OLS(M[:, 0], X).fit(cov_type=cov)
    ci = fit.conf_int()
    vif = np.diag(np.linalg.inv(np.corrcoef(M[:, 1:], rowvar=False).reshape(k, k)))
    if cov != "nonrobust":
        w = fit.f_test(np.eye(k + 1)[1:])
        f, f_p = float(np.squeeze(w.fvalue)), float(w.pvalue)
    else:
        f, f_p = float(fit.fvalue), float(fit.f_pvalue)
    return pd.DataFrame({
        "term": ["const", *xs], "b": fit.params, "se": fit.bse,
        "beta": np.r_[np.nan, fit.params[1:] * sd[1:] / sd[0]], "t": fit.tvalues, "p": fit.pvalues,
        "ci_low": ci[:, 0], "ci_high": ci[:, 1], "vif": np.r_[np.nan, vif], "n": n,
        "r2": fit.rsquared, "adj_r2": fit.rsquared_adj, "f": f, "f_df1": float(k),
        "f_df2": float(n - k - 1), "f_p": f_p, "durbin_watson": float(durbin_watson(fit.resid)),
        "cov_type": cov})[REGRESSION_COLUMNS]
