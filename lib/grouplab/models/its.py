"""Interrupted time series: segmented regression with Newey–West (HAC) standard errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from grouplab.data.problems import problem
from grouplab.data.results import result_table
from grouplab.errors import DataError

__all__ = ["interrupted_time_series"]


def interrupted_time_series(data: pd.DataFrame, *, value: str = "value", time: str = "month",
                            interruption: Any, maxlags: int | None = None,
                            alpha: float = 0.05) -> pd.DataFrame:
    """Segmented regression of one series around an interruption (level and slope change).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per period of ONE unit (e.g. a station's monthly indicator),
        columns ``time`` and ``value``; rows with a missing value are dropped.
    value, time : str
        Outcome and month columns (dates or first-of-month timestamps).
    interruption : date-like
        First month of the "after" segment (e.g. ``"2011-01"`` when
        benchmarking started).
    maxlags : int, optional
        Newey–West truncation lag; default ``floor(4·(n/100)^(2/9))``.
    alpha : float
        1 − confidence level.

    Returns
    -------
    pandas.DataFrame
        Four rows, ``term`` = ``baseline`` (level just before, at month −1),
        ``pre_slope`` (change per month before), ``level_change`` (jump at the
        interruption), ``slope_change`` (change of the monthly slope after),
        with ``estimate``, ``se`` (HAC), ``t``, ``p``, ``ci_low``, ``ci_high``
        (t intervals, n − 4 df). ``attrs``: ``n``, ``n_pre``, ``n_post``,
        ``maxlags``, ``durbin_watson`` (of the OLS residuals), ``interruption``.

    Raises
    ------
    DataError
        Missing columns, repeated months, fewer than 3 periods on either side.

    Notes
    -----
    ``y_t = β0 + β1·τ + β2·post_t + β3·(τ·post_t) + ε_t`` with τ = months
    since the interruption (−1 = last month before). β2 is the immediate
    level change, β3 the change in trend. OLS estimates are kept; the SEs are
    Newey–West, robust to autocorrelation and heteroskedasticity up to
    ``maxlags``. Assumptions: the pre-trend would have continued linearly
    without the interruption and nothing else changed at the same time —
    one series has no control group, so a level change is a before/after
    difference, not a causal effect (add a comparison series when you can).
    Seasonality should be removed first or modelled (e.g. add month dummies
    to a custom model) when it is strong.

    References
    ----------
    Wagner, A. K., Soumerai, S. B., Zhang, F., & Ross-Degnan, D. (2002).
    Segmented regression analysis of interrupted time series studies in
    medication use research. *J Clin Pharm Ther*, 27, 299–309.
    Newey, W. K., & West, K. D. (1987). A simple, positive semi-definite,
    heteroskedasticity and autocorrelation consistent covariance matrix.
    *Econometrica*, 55, 703–708.

    Examples
    --------
    >>> m = pd.date_range("2010-01-01", periods=24, freq="MS")
    >>> tau = np.arange(24) - 12
    >>> y = 85 + 0.1 * tau + 5 * (tau >= 0) + 0.2 * tau * (tau >= 0)
    >>> y = y + np.tile([0.3, -0.3], 12)
    >>> r = interrupted_time_series(pd.DataFrame({"month": m, "value": y}),
    ...                             interruption="2011-01")
    >>> r[["term", "estimate"]].round(1)
               term  estimate
    0      baseline      84.8
    1     pre_slope       0.1
    2  level_change       5.2
    3  slope_change       0.2
    """
    for c in (value, time):
        if c not in data.columns:
            raise DataError([problem("series_column_missing", "data", name=c)])
    d = pd.DataFrame({"t": pd.to_datetime(data[time]).dt.to_period("M"),
                      "y": pd.to_numeric(data[value], errors="coerce")}).dropna()
    if d["t"].duplicated().any():
        raise DataError([problem("repeated_series_months", "data")])
    d = d.sort_values("t")
    cut = pd.Period(pd.Timestamp(interruption), "M")
    tau = np.array([(p - cut).n for p in d["t"]], dtype=float)
    post = (tau >= 0).astype(float)
    n_pre, n_post = int((post == 0).sum()), int(post.sum())
    if n_pre < 3 or n_post < 3:
        raise DataError([problem("too_few_periods", "data", n_pre=n_pre, n_post=n_post)])
    # intercept = level at tau = -1; level_change = jump at tau = 0 over the projected pre-trend
    X = np.column_stack([np.ones_like(tau), tau + 1, post, tau * post])
    y = d["y"].to_numpy(dtype=float)
    n = len(y)
    lags = int(np.floor(4 * (n / 100) ** (2 / 9))) if maxlags is None else int(maxlags)
    res = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": lags}, use_t=True)
    est = np.asarray(res.params)
    se = np.asarray(res.bse)
    tcrit = stats.t.ppf(1 - alpha / 2, n - 4)
    out = pd.DataFrame({"term": pd.Series(["baseline", "pre_slope", "level_change",
                                           "slope_change"], dtype=object),
                        "estimate": est, "se": se, "t": est / se,
                        "p": 2 * stats.t.sf(np.abs(est / se), n - 4),
                        "ci_low": est - tcrit * se, "ci_high": est + tcrit * se})
    out.attrs.update({"n": n, "n_pre": n_pre, "n_post": n_post, "maxlags": lags,
                      "durbin_watson": float(sm.stats.durbin_watson(res.resid)),
                      "interruption": str(cut)})
    return result_table(out, "its")
