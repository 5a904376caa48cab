"""A lean log-link count GLM (Poisson / NB2 with fixed α) for many fixed-effect dummies.

statsmodels' GLM spends most of its time in generic pseudo-inverses when the
design carries ~100 dummy columns; this IRLS solves the normal equations by
Cholesky and computes the same model-based and cluster-robust covariances
(statsmodels' small-sample factor G/(G−1)·(N−1)/(N−K)). Tests check it
against statsmodels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import patsy
from scipy import linalg, optimize

from grouplab.errors import DataError


@dataclass
class LeanFit:
    params: np.ndarray
    cov: np.ndarray
    names: list[str]
    mu: np.ndarray
    n: int
    n_clusters: int
    dispersion: float
    llf: float
    converged: bool
    alpha_nb: float
    k_pred: int
    n_dropped: int = 0


def irls(y: np.ndarray, X: np.ndarray, offset: np.ndarray, *, alpha_nb: float = 0.0,
         groups: np.ndarray | None = None, tol: float = 1e-10,
         max_iter: int = 100) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, bool, int]:
    """Fit log E[y] = offset + Xβ with Var = μ + αμ²; returns beta, cov, mu, llf, converged, G."""
    n, k = X.shape
    mu = (y + y.mean()) / 2 + 1e-3
    eta = np.log(mu)
    beta = np.zeros(k)
    dev_old = np.inf
    converged = False
    for _ in range(max_iter):
        w = mu / (1.0 + alpha_nb * mu)
        z = eta - offset + (y - mu) / mu
        XtW = X.T * w
        try:
            beta = linalg.solve(XtW @ X, XtW @ z, assume_a="pos")
        except (linalg.LinAlgError, ValueError):
            raise DataError("the design is singular (a predictor is constant within groups, or "
                            "collinear with the fixed effects)", file="formula",
                            hint="Drop predictors that do not vary within groups over time.") \
                from None
        eta = offset + X @ beta
        mu = np.exp(np.clip(eta, -700, 700))
        with np.errstate(divide="ignore", invalid="ignore"):
            ll_terms = np.where(y > 0, y * np.log(y / mu), 0.0)
        dev = 2 * float(np.sum(ll_terms - (y - mu)))
        if abs(dev - dev_old) <= tol * (abs(dev) + 0.1):
            converged = True
            break
        dev_old = dev
    w = mu / (1.0 + alpha_nb * mu)
    bread = linalg.inv((X.T * w) @ X)
    G = 0
    if groups is None:
        cov = bread
    else:
        G = int(groups.max()) + 1
        score = X * ((y - mu) / (1.0 + alpha_nb * mu))[:, None]
        S = np.zeros((G, k))
        np.add.at(S, groups, score)
        cov = bread @ (S.T @ S) @ bread * (G / (G - 1)) * ((n - 1) / (n - k))
    if alpha_nb > 0:
        r = 1.0 / alpha_nb
        from scipy.special import gammaln
        llf = float(np.sum(gammaln(y + r) - gammaln(r) - gammaln(y + 1)
                           + r * np.log(r / (r + mu)) + y * np.log(mu / (r + mu))))
    else:
        from scipy.special import gammaln
        llf = float(np.sum(y * np.log(np.maximum(mu, 1e-300)) - mu - gammaln(y + 1)))
    return beta, cov, mu, llf, converged, G


def fe_design(data: pd.DataFrame, terms: list[str], absorb: list[str]) -> tuple[np.ndarray,
                                                                              list[str], int]:
    """Design: predictor terms (patsy, intercept dropped) + dummies of the ``absorb`` columns.

    The first absorbed factor gets a dummy for every level (it plays the
    intercept); the others drop their first level. Returns X, names, number of
    predictor columns (they come first).
    """
    dm = patsy.dmatrix(" + ".join(terms), data, NA_action="raise", return_type="dataframe")
    dm = dm.drop(columns=[c for c in dm.columns if c == "Intercept"])
    blocks = [dm.to_numpy(dtype=float)]
    names = list(dm.columns)
    for j, col in enumerate(absorb):
        codes, uni = pd.factorize(data[col], sort=True)
        D = np.zeros((len(data), len(uni)))
        D[np.arange(len(data)), codes] = 1.0
        if j > 0:
            D = D[:, 1:]
            uni = uni[1:]
        blocks.append(D)
        names += [f"{col}[{u}]" for u in uni]
    return np.hstack(blocks), names, dm.shape[1]


def fit_lean(data: pd.DataFrame, outcome: str, terms: list[str], absorb: list[str], *,
             exposure: np.ndarray, cluster: np.ndarray | None, family: str) -> LeanFit:
    """Fit a FE count model with the lean IRLS; NB α profiled by ML.

    Levels of an absorbed factor whose outcome total is 0 (a group without
    events, a month without events anywhere) have no finite ML estimate and
    carry no information on the predictors: their rows are dropped first
    (repeatedly, since dropping one factor's levels can empty another's).
    """
    keep = np.ones(len(data), dtype=bool)
    y_all = data[outcome].to_numpy(dtype=float)
    while True:
        before = keep.sum()
        for col in absorb:
            tot = pd.Series(y_all[keep]).groupby(data[col].to_numpy()[keep]).transform("sum")
            keep[np.flatnonzero(keep)[tot.to_numpy() == 0]] = False
        if keep.sum() == before:
            break
    if keep.sum() == 0:
        raise DataError(f"{outcome!r} is zero everywhere: nothing to estimate", file="panel")
    if not keep.all():
        data = data[keep]
        exposure = np.asarray(exposure)[keep]
        if cluster is not None:
            cluster = pd.factorize(np.asarray(cluster)[keep])[0]
    X, names, k_pred = fe_design(data, terms, absorb)
    y = data[outcome].to_numpy(dtype=float)
    off = np.log(exposure)
    alpha_nb = 0.0
    if family == "negbin":
        def negll(log_a: float) -> float:
            return -irls(y, X, off, alpha_nb=float(np.exp(log_a)))[3]
        opt = optimize.minimize_scalar(negll, bounds=(np.log(1e-8), np.log(100.0)),
                                       method="bounded", options={"xatol": 1e-5})
        alpha_nb = float(np.exp(opt.x))
    beta, cov, mu, llf, conv, G = irls(y, X, off, alpha_nb=alpha_nb, groups=cluster)
    disp = float(np.sum((y - mu) ** 2 / (mu + alpha_nb * mu ** 2)) / (len(y) - X.shape[1]))
    return LeanFit(beta, cov, names, mu, len(y), G, disp, llf, conv, alpha_nb, k_pred,
                   int((~keep).sum()))
