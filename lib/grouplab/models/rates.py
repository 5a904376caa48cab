"""Incident-rate models: Poisson / negative binomial with a log-exposure offset.

:func:`rate_model` is the workhorse of the study; the fixed-effects, event-study
and comparison helpers of this package all call it (or its fitting core
:func:`_fit`) so every estimate comes out in the same tidy layout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import optimize, stats

from grouplab.errors import DataError

__all__ = ["rate_model", "TIDY_COLUMNS"]

#: Columns of every tidy coefficient table of :mod:`grouplab.models`.
TIDY_COLUMNS = ["term", "estimate", "se", "irr", "ci_low", "ci_high", "p"]

_FAMILIES = ("poisson", "negbin")
_NOT_COLUMNS = {"np", "True", "False", "None", "C", "I", "Q"}
_STRING = re.compile(r"""(['"])(?:\\.|(?!\1).)*\1""")
_NAME = re.compile(r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)(?![\w.])")


def formula_columns(formula: str) -> list[str]:
    """Names in ``formula`` that must be data columns (functions and keywords skipped)."""
    text = _STRING.sub("''", formula)
    out = []
    for m in _NAME.finditer(text):
        rest = text[m.end():].lstrip()
        if rest.startswith("(") or (rest.startswith("=") and not rest.startswith("==")):
            continue  # a function call or a keyword argument
        name = m.group(1)
        if name not in _NOT_COLUMNS and name not in out:
            out.append(name)
    return out


def _check_columns(data: pd.DataFrame, formula: str) -> list[str]:
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame, got {type(data).__name__}", file="data")
    if not isinstance(formula, str) or "~" not in formula:
        raise DataError(f"formula must be a string like 'y ~ x', got {formula!r}", file="formula")
    cols = formula_columns(formula)
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise DataError(f"formula {formula!r} names column(s) not in the data: "
                        f"{', '.join(missing)}", file="formula",
                        hint=f"Available columns: {', '.join(map(str, data.columns[:40]))}.")
    return cols


def _exposure(data: pd.DataFrame, exposure: Any) -> np.ndarray:
    if isinstance(exposure, str):
        if exposure not in data.columns:
            raise DataError(f"exposure column {exposure!r} not in the data", file="exposure",
                            hint="Name the person-hours column, e.g. exposure='person_hours'.")
        e = pd.to_numeric(data[exposure], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    else:
        e = np.asarray(exposure, dtype=float)
        if e.shape != (len(data),):
            raise DataError(f"exposure has {e.size} values for {len(data)} rows", file="exposure")
    return e


def _cluster_codes(data: pd.DataFrame, cluster: str) -> np.ndarray:
    if cluster not in data.columns:
        raise DataError(f"cluster column {cluster!r} not in the data", file="cluster",
                        hint="Cluster by the unit that repeats over time, e.g. cluster='group_id'.")
    codes, uni = pd.factorize(data[cluster], use_na_sentinel=True)
    if len(uni) < 2:
        raise DataError(f"cluster column {cluster!r} has {len(uni)} distinct value(s); "
                        "cluster-robust standard errors need at least 2 (and ideally 30+)",
                        file="cluster", hint="Cluster by a column that varies, or pass cluster=None.")
    return codes


def _nb_alpha(formula: str, sub: pd.DataFrame, exposure: np.ndarray) -> float:
    """ML estimate of the NB2 dispersion α by profiling the GLM log-likelihood."""
    def negll(log_a: float) -> float:
        fam = sm.families.NegativeBinomial(alpha=float(np.exp(log_a)))
        m = smf.glm(formula, data=sub, family=fam, exposure=exposure, missing="raise")
        return -float(m.fit().llf)

    opt = optimize.minimize_scalar(negll, bounds=(np.log(1e-8), np.log(100.0)), method="bounded",
                                   options={"xatol": 1e-6})
    return float(np.exp(opt.x))


def _fit(data: pd.DataFrame, formula: str, *, exposure: Any, family: str = "poisson",
         cluster: str | None = None, scale: str | None = None):
    """Fit the model; returns (statsmodels result, info dict of plain values)."""
    if family not in _FAMILIES:
        raise DataError(f"family must be one of {_FAMILIES}, got {family!r}", file="family")
    if scale not in (None, "pearson"):
        raise DataError(f"scale must be None or 'pearson', got {scale!r}", file="scale")
    cols = _check_columns(data, formula)
    e = _exposure(data, exposure)
    use = data[cols].notna().all(axis=1).to_numpy() & ~np.isnan(e)
    if cluster is not None:
        _cluster_codes(data, cluster)  # validate before subsetting
        use &= data[cluster].notna().to_numpy()
    bad = use & (~np.isfinite(e) | (e <= 0))
    if bad.any():
        rows = np.flatnonzero(bad)[:5].tolist()
        raise DataError(f"{int(bad.sum())} row(s) have zero, negative or infinite exposure "
                        f"(row positions {rows})", file="exposure",
                        hint="A rate needs positive exposure: drop rows without person-hours "
                             "(they carry no information about a rate) or fix the hours.")
    sub = data.loc[use]
    if len(sub) == 0:
        raise DataError("no complete rows to fit", file="data",
                        hint="Check for missing values in the formula's columns.")
    info: dict[str, Any] = {"family": family, "formula": formula, "n": int(len(sub)),
                            "scale": scale or "fixed"}
    fit_kw: dict[str, Any] = {}
    if cluster is not None:
        codes = _cluster_codes(sub, cluster)
        fit_kw = {"cov_type": "cluster", "cov_kwds": {"groups": codes}}
        info["cluster"] = cluster
        info["n_clusters"] = int(codes.max() + 1)
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


def tidy_arrays(names: Sequence[str], est: np.ndarray, se: np.ndarray, *,
                alpha: float) -> pd.DataFrame:
    """Tidy table from log-rate coefficients and SEs (normal-theory Wald intervals)."""
    est = np.asarray(est, dtype=float)
    se = np.asarray(se, dtype=float)
    z = stats.norm.ppf(1 - alpha / 2)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return pd.DataFrame({"term": pd.Series(list(names), dtype=object), "estimate": est,
                             "se": se, "irr": np.exp(est), "ci_low": np.exp(est - z * se),
                             "ci_high": np.exp(est + z * se),
                             "p": 2 * stats.norm.sf(np.abs(est / se))})


def _tidy(res: Any, *, alpha: float, keep: Sequence[str] | None = None) -> pd.DataFrame:
    params = res.params
    names = [n for n in params.index if n != "alpha"]
    if keep is not None:
        names = [n for n in names if n in keep]
    est = params[names].to_numpy(dtype=float)
    se = np.asarray(res.bse[names], dtype=float)
    z = stats.norm.ppf(1 - alpha / 2)
    if getattr(res, "use_t", False):
        z = stats.t.ppf(1 - alpha / 2, res.df_resid)
    with np.errstate(over="ignore"):
        out = pd.DataFrame({"term": pd.Series(names, dtype=object), "estimate": est, "se": se,
                            "irr": np.exp(est), "ci_low": np.exp(est - z * se),
                            "ci_high": np.exp(est + z * se),
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
        ``n_clusters``; for ``negbin`` also ``alpha_nb`` (α of Var = μ + αμ²).

    Raises
    ------
    DataError
        Zero, negative or infinite exposure; a formula naming a missing
        column; a cluster column with fewer than two clusters; unknown
        family or scale. Rows with missing values in the formula's columns
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
    SEs need many clusters (≳ 30); with fewer they are too small.

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
    if not 0 < alpha < 1:
        raise DataError(f"alpha must be in (0, 1), got {alpha!r}", file="alpha")
    res, info = _fit(data, formula, exposure=exposure, family=family, cluster=cluster,
                     scale=scale)
    out = _tidy(res, alpha=alpha)
    out.attrs.update(info)
    return out
