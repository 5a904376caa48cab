"""Exploratory factor analysis (探索性因子分析): minres, ML or principal axis, rotated.

Extraction by minimum residual is written here after psych's ``fa(fm = "minres")``
(the objective and start of Revelle's ``fit.residuals``); ML and principal
axis use :class:`statsmodels.multivariate.factor.Factor`; rotations use
:func:`statsmodels.multivariate.factor_rotation.rotate_factors` (the
GPArotation algorithms). factor_analyzer is not used: its ``fit`` breaks on
scikit-learn ≥ 1.8.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize
from statsmodels.multivariate.factor import Factor
from statsmodels.multivariate.factor_rotation import rotate_factors

from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError
from grouplab.measures.survey.analysis.inputs import WHERE, check_choice, check_not_singular, numeric

__all__ = ["efa", "efa_correlation", "EFAResult", "parallel_analysis"]


@dataclass(frozen=True)
class EFAResult:
    """Result of :func:`efa`.

    Attributes
    ----------
    loadings : DataFrame
        One row per item: ``item``, one column per factor ``F1..Fm`` (pattern
        loadings after rotation), ``h2`` (communality), ``u2`` (1 − h2),
        ``primary`` (factor with the largest absolute loading).
    variance : DataFrame
        One row per factor: ``factor``, ``ss_loadings`` (sum of squared
        loadings), ``proportion`` (ss / number of items), ``cumulative``.
    phi : DataFrame
        Factor correlations (identity for orthogonal rotations), factors as
        index and columns.
    eigen : DataFrame
        One row per component: ``component`` (1..p), ``eigenvalue`` (of the
        correlation matrix), ``random_p95`` (95th percentile of eigenvalues of
        random normal data of the same size; NaN without raw data),
        ``above_random`` and ``above_one``.
    n_factors, n_obs : int
    method, rotation : str
    suggested : int
        Factors retained by parallel analysis (components above random).
    """

    loadings: pd.DataFrame
    variance: pd.DataFrame
    phi: pd.DataFrame
    eigen: pd.DataFrame
    n_factors: int
    n_obs: int
    method: str
    rotation: str
    suggested: int

    def blank_below(self, threshold: float = 0.4) -> pd.DataFrame:
        """Loadings with ``|value|`` < ``threshold`` set to NaN (shown blank), sorted by primary factor."""
        out = self.loadings.copy()
        cols = [c for c in out.columns if c.startswith("F")]
        out[cols] = out[cols].where(out[cols].abs() >= threshold)
        return out


def _minres(R: np.ndarray, m: int) -> np.ndarray:
    """Unrotated minres loadings: uniquenesses minimising Σ_{i≠j} (r_ij − (ΛΛ')_ij)²."""
    try:
        smc = 1 - 1 / np.diag(np.linalg.inv(R))
    except np.linalg.LinAlgError:
        smc = np.max(np.abs(R - np.eye(len(R))), axis=1)
    if not np.all(np.isfinite(smc)) or (smc <= 0).any() or (smc >= 1).any():
        smc = np.max(np.abs(R - np.eye(len(R))), axis=1)  # psych falls back similarly on a singular R

    def loadings(psi):
        S = R.copy()
        np.fill_diagonal(S, 1 - psi)
        val, vec = np.linalg.eigh(S)
        val, vec = val[::-1][:m], vec[:, ::-1][:, :m]
        return vec * np.sqrt(np.maximum(val, 100 * np.finfo(float).eps))

    def objective(psi):
        res = R - loadings(psi) @ loadings(psi).T
        np.fill_diagonal(res, 0.0)
        return float(np.sum(res * res))

    fit = optimize.minimize(objective, 1 - smc, method="L-BFGS-B",
                            bounds=[(0.005, 1.0)] * len(R), options={"ftol": 1e-14, "gtol": 1e-10})
    return loadings(fit.x)


def _extract(R: np.ndarray, m: int, method: str, n_obs: int) -> np.ndarray:
    if method == "minres":
        return _minres(R, m)
    try:
        res = Factor(corr=R, n_factor=m, method=method, nobs=n_obs).fit()
    except (np.linalg.LinAlgError, ValueError) as exc:
        raise DataError([problem("extraction_failed", WHERE, method=method, error=exc)]) from None
    return np.asarray(res.loadings)


def _varimax(L: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Varimax with Kaiser normalisation (R ``varimax(normalize = TRUE)``, SPSS): loadings, rotation."""
    h = np.sqrt(np.sum(L * L, axis=1, keepdims=True))
    Lr, T = rotate_factors(L / h, "varimax")
    return Lr * h, T


def _promax(L: np.ndarray, power: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Promax after R's ``stats::promax`` (Hendrickson & White 1964): loadings and Φ.

    Varimax first, then a least-squares fit to the target ``x·|x|^(m−1)``,
    columns rescaled; Φ = U⁻¹U⁻ᵀ for the overall rotation U (as psych's ``Promax``).
    """
    x, T = _varimax(L)
    Q = x * np.abs(x) ** (power - 1)
    U = np.linalg.lstsq(x, Q, rcond=None)[0]
    U = U @ np.diag(np.sqrt(np.diag(np.linalg.inv(U.T @ U))))
    Ui = np.linalg.inv(T @ U)
    return x @ U, Ui @ Ui.T


def _rotate(L: np.ndarray, rotation: str) -> tuple[np.ndarray, np.ndarray]:
    """Rotated loadings and factor correlations Φ."""
    m = L.shape[1]
    if rotation == "none" or m == 1:
        return L, np.eye(m)
    if rotation == "varimax":
        return _varimax(L)[0], np.eye(m)
    if rotation == "promax":
        return _promax(L)
    Lr, T = rotate_factors(L, "oblimin", 0, "oblique")   # GPArotation::oblimin, gam = 0, no normalisation
    return Lr, T.T @ T


def parallel_analysis(X: np.ndarray, *, n_iter: int = 50, seed: int = 0) -> np.ndarray:
    """95th percentile of each eigenvalue of correlation matrices of random normal data shaped like ``X``.

    Horn (1965), with Glorfeld's (1995) 95th percentile instead of the mean.
    """
    n, p = X.shape
    rng = np.random.default_rng(seed)
    ev = np.empty((n_iter, p))
    for i in range(n_iter):
        Z = rng.standard_normal((n, p))
        ev[i] = np.sort(np.linalg.eigvalsh(np.corrcoef(Z, rowvar=False)))[::-1]
    return np.percentile(ev, 95, axis=0)


def _tidy(L, phi, items, R, random_p95, n_obs, method, rotation) -> EFAResult:
    m = L.shape[1]
    sign = np.where(L.sum(axis=0) < 0, -1.0, 1.0)            # psych: positive column sums
    L, phi = L * sign, phi * np.outer(sign, sign)
    ss = np.sum(L * L, axis=0)
    order = np.argsort(-ss, kind="stable")
    L, ss, phi = L[:, order], ss[order], phi[np.ix_(order, order)]
    names = [f"F{i + 1}" for i in range(m)]
    h2 = np.einsum("ij,jk,ik->i", L, phi, L)
    loadings = pd.DataFrame(L, columns=names).assign(h2=h2, u2=1 - h2)
    loadings.insert(0, "item", list(items))
    loadings["primary"] = [names[i] for i in np.argmax(np.abs(L), axis=1)]
    p = len(items)
    variance = pd.DataFrame({"factor": names, "ss_loadings": ss, "proportion": ss / p,
                             "cumulative": np.cumsum(ss) / p})
    ev = np.sort(np.linalg.eigvalsh(R))[::-1]
    eigen = pd.DataFrame({"component": np.arange(1, p + 1), "eigenvalue": ev, "random_p95": random_p95,
                          "above_random": ev > random_p95, "above_one": ev > 1})
    above = eigen["above_random"].to_numpy()
    suggested = int(np.argmin(above)) if not above.all() else p
    return EFAResult(loadings, variance, pd.DataFrame(phi, index=names, columns=names), eigen, m, n_obs,
                     method, rotation, suggested)


def efa_correlation(R, items: Sequence[str], n_obs: int, *, n_factors: int,
                    rotation: str = "oblimin", method: str = "minres",
                    random_p95: np.ndarray | None = None) -> EFAResult:
    """EFA of a correlation matrix (see :func:`efa`; no parallel analysis without raw data)."""
    check_choice(rotation, ("oblimin", "varimax", "promax", "none"), name="rotation")
    check_choice(method, ("minres", "ml", "pa"), name="method")
    R = np.asarray(R, dtype=float)
    p = len(items)
    if R.shape != (p, p):
        raise ParameterError(f"the correlation matrix is {R.shape}, expected ({p}, {p})")
    if not 1 <= int(n_factors) < p:
        raise ParameterError(f"n_factors={n_factors!r}: choose between 1 and {p - 1}")
    if method != "minres":
        check_not_singular(R, list(items), method=method)
    L = _extract(R, int(n_factors), method, int(n_obs))
    L, phi = _rotate(L, rotation)
    rp = random_p95 if random_p95 is not None else np.full(p, np.nan)
    return _tidy(L, phi, items, R, rp, int(n_obs), method, rotation)


def efa(responses: pd.DataFrame, items: Sequence[str], *, n_factors: int | None = None,
        rotation: str = "oblimin", method: str = "minres", n_iter: int = 50, seed: int = 0) -> EFAResult:
    """Exploratory factor analysis of Likert items.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent with the ``items`` (numbers; reverse-keyed items
        recoded first). Rows with any missing item are left out.
    items : sequence of str
        Item columns.
    n_factors : int, optional
        Factors to extract; default: the number parallel analysis suggests.
    rotation : {"oblimin", "varimax", "promax", "none"}
    method : {"minres", "ml", "pa"}
    n_iter : int, default 50
        Random data sets of parallel analysis.
    seed : int, default 0

    Returns
    -------
    EFAResult
        ``loadings`` (item, F1..Fm, h2, u2, primary), ``variance`` (factor,
        ss_loadings, proportion, cumulative), ``phi``, ``eigen`` (component,
        eigenvalue, random_p95, above_random, above_one), ``suggested``;
        ``blank_below(0.4)`` hides small loadings for display.

    Raises
    ------
    DataError
        A missing, non-numeric or constant item, fewer complete rows than
        items + 2, or an extraction that fails on a singular matrix.
    ParameterError
        Unknown method or rotation, or ``n_factors`` out of range.

    Notes
    -----
    The EFA describes the correlation structure of the items in this sample;
    it assumes linear relations and treats 5-point answers as continuous
    (Pearson correlations). Parallel analysis keeps the components whose
    eigenvalue exceeds the 95th percentile of random-data eigenvalues; the
    eigenvalue > 1 rule is shown beside it but over-extracts.

    References
    ----------
    Revelle, W. psych: ``fa``, ``fa.parallel``. Horn, J. L. (1965).
    Psychometrika 30, 179–185.
    """
    items = list(items)
    X = numeric(responses, items, what="item")
    X = X[~np.isnan(X).any(axis=1)]
    if len(X) < len(items) + 2:
        raise DataError([problem("too_few_rows_efa", WHERE, n=len(X), k=len(items))])
    sd = X.std(axis=0)
    flat = [i for i, s in zip(items, sd) if not s > 0]
    if flat:
        raise DataError([problem("constant_item", WHERE, None, i) for i in flat])
    R = np.corrcoef(X, rowvar=False)
    rp = parallel_analysis(X, n_iter=n_iter, seed=seed)
    ev = np.sort(np.linalg.eigvalsh(R))[::-1]
    above = ev > rp
    suggested = max(1, int(np.argmin(above)) if not above.all() else len(items))
    m = suggested if n_factors is None else n_factors
    return efa_correlation(R, items, len(X), n_factors=m, rotation=rotation, method=method, random_p95=rp)
