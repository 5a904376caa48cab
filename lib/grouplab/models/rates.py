"""Incident-rate models: Poisson / negative binomial with a log-exposure offset.

:func:`rate_model` is the workhorse of the study; the fixed-effects, event-study
and comparison helpers of this package all call it (or its fitting core
:func:`fit_rate`) so every estimate comes out in the same tidy layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import optimize, stats

from grouplab.data.problems import problem
from grouplab.data.results import result_table
from grouplab.errors import DataError, ParameterError
from grouplab.models.design import (
    TIDY_COLUMNS,
    check_alpha,
    check_family,
    check_formula,
    cluster_codes,
    exposure_values,
    ratio_interval,
    warn_few_clusters,
)

__all__ = ["rate_model", "fit_rate", "tidy_result", "TIDY_COLUMNS"]


def _nb_alpha(formula: str, sub: pd.DataFrame, exposure: np.ndarray) -> float:
    """ML estimate of the NB2 dispersion α by profiling the GLM log-likelihood."""
    def negll(log_a: float) -> float:
        fam = sm.families.NegativeBinomial(alpha=float(np.exp(log_a)))
        m = smf.glm(formula, data=sub, family=fam, exposure=exposure, missing="raise")
        return -float(m.fit().llf)

    opt = optimize.minimize_scalar(negll, bounds=(np.log(1e-8), np.log(100.0)), method="bounded",
                                   options={"xatol": 1e-6})
    return float(np.exp(opt.x))


def _usable(data: pd.DataFrame, formula: str, exposure: Any,
            cluster: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Rows with every formula column, exposure (and cluster) present; checks exposure > 0."""
    cols = check_formula(data, formula)
    e = exposure_values(data, exposure)
    use = data[cols].notna().all(axis=1).to_numpy() & ~np.isnan(e)
    if cluster is not None:
        cluster_codes(data, cluster)  # validate before subsetting
        use &= data[cluster].notna().to_numpy()
    bad = use & (~np.isfinite(e) | (e <= 0))
    if bad.any():
        col = exposure if isinstance(exposure, str) else "exposure"
        raise DataError([problem("bad_exposure", "data", int(i), col, float(e[i]))
                         for i in np.flatnonzero(bad)])
    return use, e


def fit_rate(data: pd.DataFrame, formula: str, *, exposure: Any, family: str = "poisson",
             cluster: str | None = None, scale: str | None = None):
    """Fit a count GLM with a log-exposure offset; returns (statsmodels result, info dict).

    The engine of :func:`rate_model` (no fixed effects: statsmodels GLM is the
    right tool here); ``info`` holds plain values (n, family, dispersion, …).
    """
    family = check_family(family)
    if scale not in (None, "pearson"):
        raise ParameterError(f"scale must be None or 'pearson', got {scale!r}")
    use, e = _usable(data, formula, exposure, cluster)
    sub = data.loc[use]
    if len(sub) == 0:
        raise DataError([problem("no_complete_rows", "data")])
    y_name = formula.split("~")[0].strip()
    if y_name in sub.columns and float(pd.to_numeric(sub[y_name], errors="coerce").sum()) == 0:
        raise DataError([problem("outcome_all_zero", "data", outcome=y_name)])
    info: dict[str, Any] = {"family": family, "formula": formula, "n": int(len(sub)),
                            "scale": scale or "fixed"}
    fit_kw: dict[str, Any] = {}
    if cluster is not None:
        codes = cluster_codes(sub, cluster)
        fit_kw = {"cov_type": "cluster", "cov_kwds": {"groups": codes}}
        info["cluster"] = cluster
        info["n_clusters"] = int(codes.max() + 1)
        info["few_clusters"] = warn_few_clusters(info["n_clusters"], cluster, stacklevel=4)
        info["cov_type"] = "cluster"
    else:
        info["cov_type"] = "nonrobust"
    if family == "poisson":
        model = smf.glm(formula, data=sub, family=sm.families.Poisson(),
                        exposure=e[use], missing="raise")
        res = model.fit(scale="X2" if scale == "pearson" else None, **fit_kw)
        info["dispersion"] = float(res.pearson_chi2 / res.df_resid)
        info["converged"] = bool(res.converged)
    else:
        alpha_nb = _nb_alpha(formula, sub, e[use])
        model = smf.glm(formula, data=sub, family=sm.families.NegativeBinomial(alpha=alpha_nb),
                        exposure=e[use], missing="raise")
        res = model.fit(**fit_kw)
        info["alpha_nb"] = alpha_nb
        info["dispersion"] = float(res.pearson_chi2 / res.df_resid)
        info["converged"] = bool(res.converged)
    return res, info


def tidy_result(res: Any, *, alpha: float, keep: Sequence[str] | None = None) -> pd.DataFrame:
    """Tidy table (:data:`TIDY_COLUMNS`) of a statsmodels GLM result, optionally some terms."""
    params = res.params
    names = [n for n in params.index if n != "alpha"]
    if keep is not None:
        names = [n for n in names if n in keep]
    est = params[names].to_numpy(dtype=float)
    se = np.asarray(res.bse[names], dtype=float)
    z = stats.norm.ppf(1 - alpha / 2)
    if getattr(res, "use_t", False):
        z = stats.t.ppf(1 - alpha / 2, res.df_resid)
    irr, lo, hi = ratio_interval(est, se, z)
    out = pd.DataFrame({"term": pd.Series(names, dtype=object), "estimate": est, "se": se,
                        "irr": irr, "ci_low": lo, "ci_high": hi,
                        "p": np.asarray(res.pvalues[names], dtype=float)})
    return out


def rate_model(data: pd.DataFrame, formula: str, *, exposure: Any,
               family: str = "poisson", cluster: str | None = None, alpha: float = 0.05,
               scale: str | None = None) -> pd.DataFrame:
    """Count model of an incident rate with a log-exposure offset.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per observation (e.g. group × month of :func:`grouplab.measures.panel.study_panel`).
    formula : str
        ``"count ~ predictors"``; categorical terms via ``C(x)``; ``np.log(x)``
        and other formula functions work.
    exposure : str or array-like
        Column (or values) of the exposure — person-hours, months of service.
        Enters as ``log(exposure)`` with coefficient 1. Must be > 0.
    family : {"poisson", "negbin"}
        Poisson GLM, or negative binomial (NB2, dispersion α estimated by ML).
    cluster : str, optional
        Column whose values define clusters for cluster-robust (sandwich)
        standard errors, e.g. ``"group_id"`` for repeated months of a group.
    alpha : float
        1 − confidence level of the intervals (0.05 → 95 %).
    scale : {None, "pearson"}
        ``"pearson"`` multiplies the Poisson covariance by the Pearson
        dispersion (quasi-Poisson). Ignored by cluster-robust SEs, which
        do not assume a variance function.

    Returns
    -------
    pandas.DataFrame
        One row per model term (intercept included; the NB α is not a term):

        - ``term`` — the formula term (e.g. ``C(type)[T.B]``).
        - ``estimate`` — coefficient on the log-rate scale.
        - ``se`` — its standard error (model-based, Pearson-scaled or cluster-robust).
        - ``irr`` — incidence-rate ratio ``exp(estimate)``.
        - ``ci_low``, ``ci_high`` — Wald confidence interval of the IRR.
        - ``p`` — two-sided Wald p-value.

        ``attrs`` holds plain values: ``dispersion`` (Pearson χ² / residual
        df), ``n`` (rows used), ``family``, ``formula``, ``scale``,
        ``cov_type``, ``converged``; with ``cluster`` also ``cluster`` and
        ``n_clusters``, ``few_clusters``; for ``negbin`` also ``alpha_nb`` (α of Var = μ + αμ²).

    Raises
    ------
    ParameterError
        Unknown family or scale, alpha outside (0, 1), a formula that is not a string.
    DataError
        Zero, negative or infinite exposure; a formula naming a missing
        column; a cluster column with fewer than two clusters; an outcome
        that is zero everywhere. Rows with missing values in the formula's columns
        are dropped (``attrs["n"]`` tells how many remain).

    Notes
    -----
    ``log E[y] = log(exposure) + Xβ``: ``irr`` is the factor by which the
    rate per unit of exposure changes with a one-unit change of the term,
    the others held fixed. It is an association, not an effect, unless the
    design rules out confounding (see :func:`grouplab.models.fe_compare`:
    pooled estimates carry every unobserved group difference). A
    ``dispersion`` well above 1 means the Poisson SEs are too small: use
    ``scale="pearson"``, ``family="negbin"`` or ``cluster``. Cluster-robust
    SEs need many clusters (≳ 40); with fewer they are too small and a
    :class:`grouplab.models.design.StatisticalWarning` is issued.
    Inference is about the population of clusters the data stand for.

    References
    ----------
    McCullagh, P., & Nelder, J. A. (1989). *Generalized Linear Models* (2nd
    ed.), §6.3.2 (ship damage: Poisson log-linear model with a service offset).
    Cameron, A. C., & Trivedi, P. K. (2013). *Regression Analysis of Count
    Data* (2nd ed.), ch. 3.

    Examples
    --------
    >>> df = pd.DataFrame({"n": [2, 3, 6, 7, 8, 9, 10, 12, 15],
    ...                    "hours": [10.0, 10, 10, 10, 10, 10, 10, 10, 10],
    ...                    "x": [0, 0, 0, 1, 1, 1, 1, 1, 1]})
    >>> t = rate_model(df, "n ~ x", exposure="hours")
    >>> t[["term", "irr"]].round(3)
            term    irr
    0  Intercept  0.367
    1          x  2.773
    >>> t.attrs["n"], t.attrs["family"]
    (9, 'poisson')
    """
    alpha = check_alpha(alpha)
    res, info = fit_rate(data, formula, exposure=exposure, family=family, cluster=cluster,
                         scale=scale)
    out = tidy_result(res, alpha=alpha)
    out.attrs.update(info)
    return result_table(out, "rate_model")
