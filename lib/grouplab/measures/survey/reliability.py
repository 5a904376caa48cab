"""Reliability and validity of questionnaire scales (alpha, omega, CITC, KMO, Bartlett).

Everything is computed from the item covariance / correlation matrix of the
reverse-keyed items, so a million respondents cost one matrix product. The
questionnaire spec is the one of :mod:`grouplab.measures.survey.scales`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from grouplab.errors import ParameterError
from grouplab.measures.survey.scales import as_spec, keyed_items

__all__ = ["reliability", "item_statistics", "validity"]

_MISSING = ("pairwise", "listwise")


# --------------------------------------------------------------------------- moments
def _moments(X: np.ndarray, missing: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Covariance matrix, item means, item SDs, pairwise counts and n of one scale.

    pairwise: each covariance over the respondents answering both items, with
    the means of those respondents (R ``cov(use="pairwise")``); means and SDs
    over each item's answers. listwise: respondents answering every item.
    """
    ok = ~np.isnan(X)
    if missing == "listwise":
        Xc = X[ok.all(axis=1)]
        n = len(Xc)
        k = X.shape[1]
        if n < 2:
            nan = np.full((k, k), np.nan)
            return nan, np.full(k, np.nan), np.full(k, np.nan), np.full((k, k), n), n
        mean = Xc.mean(axis=0)
        D = Xc - mean
        C = D.T @ D / (n - 1)
        return C, mean, np.sqrt(np.diag(C)), np.full((k, k), n), n
    M = ok.astype(float)
    X0 = np.where(ok, X, 0.0)
    npair = M.T @ M                              # n_ij
    sxy = X0.T @ X0                              # Σ x_i x_j over rows with both
    s_i_given_j = X0.T @ M                       # Σ x_i over rows where j answered (and i)
    with np.errstate(invalid="ignore", divide="ignore"):
        C = (sxy - s_i_given_j * s_i_given_j.T / npair) / (npair - 1)
        C = np.where(npair >= 2, C, np.nan)
        nd = np.diag(npair)
        mean = np.diag(s_i_given_j) / nd
    n = int(ok.any(axis=1).sum())
    return C, mean, np.sqrt(np.diag(C)), npair, n


def _cov2cor(C: np.ndarray) -> np.ndarray:
    d = np.sqrt(np.diag(C))
    with np.errstate(invalid="ignore", divide="ignore"):
        return C / np.outer(d, d)


def _alpha(C: np.ndarray) -> float:
    k = len(C)
    total = C.sum()
    if k < 2 or not np.isfinite(total) or total <= 0:
        return np.nan
    return k / (k - 1) * (1 - np.trace(C) / total)


def _one_factor_minres(R: np.ndarray, *, tol: float = 1e-9, max_iter: int = 1000) -> np.ndarray:
    """Loadings of a one-factor minres (ULS) fit to a correlation matrix.

    Iterated principal axes from squared multiple correlations: the fixed
    point minimises the sum of squared off-diagonal residuals (minres / ULS,
    the default ``fm`` of R ``psych::fa`` and ``psych::omega``). Communalities
    are capped at 0.995 (Heywood cases).
    """
    k = len(R)
    try:
        h = 1 - 1 / np.diag(np.linalg.inv(R))
    except np.linalg.LinAlgError:
        h = np.full(k, 0.5)
    h = np.clip(h, 0.005, 0.995)
    lam = np.sqrt(h)
    for _ in range(max_iter):
        Rr = R.copy()
        np.fill_diagonal(Rr, h)
        w, v = np.linalg.eigh(Rr)
        lam = v[:, -1] * np.sqrt(max(w[-1], 0.0))
        if lam.sum() < 0:
            lam = -lam
        h_new = np.clip(lam ** 2, 0.0, 0.995)
        if np.max(np.abs(h_new - h)) < tol:
            break
        h = h_new
    return lam


def _omega_total(R: np.ndarray) -> float:
    """McDonald's omega total of a one-factor model, psych's form: 1 − Σψ / 1ᵀR1."""
    if len(R) < 3 or not np.isfinite(R).all():
        return np.nan
    lam = _one_factor_minres(R)
    psi = 1 - lam ** 2
    return float(1 - psi.sum() / R.sum())


def _scale_blocks(responses: pd.DataFrame, spec: Mapping[str, Any], missing: str) -> tuple[dict, list, list]:
    """The checked spec, the item names and each scale's (name, item positions, :func:`_moments`):
    what every per-scale statistic starts from."""
    _check_missing(missing)
    spec = as_spec(spec)
    X, items, cols = keyed_items(responses, spec)
    return spec, items, [(name, c, _moments(X[:, c], missing)) for name, c in cols.items()]


def _check_missing(missing: str) -> None:
    if missing not in _MISSING:
        raise ParameterError(f"missing must be 'pairwise' or 'listwise' (pairwise = R psych::alpha "
                             f"default; listwise = SPSS), got {missing!r}")


# --------------------------------------------------------------------------- public
def reliability(responses: pd.DataFrame, spec: Mapping[str, Any], *,
                missing: str = "pairwise") -> pd.DataFrame:
    """Internal consistency of every scale: Cronbach's alpha and McDonald's omega.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent with the spec's item columns. Not modified.
    spec : mapping
        Questionnaire spec (``range``, ``scales`` with ``items`` and ``reverse``).
    missing : {"pairwise", "listwise"}, default "pairwise"
        ``pairwise``: each item covariance over the respondents answering both
        items (R ``psych::alpha`` default). ``listwise``: only respondents
        answering every item of the scale (SPSS, ``bruceR::Alpha``).

    Returns
    -------
    DataFrame
        One row per scale, in spec order:

        - ``scale``: scale name;
        - ``alpha``: Cronbach's alpha (raw, from covariances);
        - ``alpha_std``: standardised alpha (from correlations);
        - ``omega``: McDonald's omega total from a one-factor model
          (NaN for fewer than 3 items);
        - ``n_items``: number of items;
        - ``n``: respondents used (listwise: complete on the scale;
          pairwise: answering at least one item);
        - ``mean_r``: average inter-item correlation.

    Raises
    ------
    DataError
        Missing/non-numeric item columns, answers outside ``range``, or an
        unknown ``missing``.

    Notes
    -----
    Reverse-keyed items are scored ``lo + hi − x`` first. With C the item
    covariance matrix and R = cov2cor(C) of k items:
    alpha = k/(k−1)·(1 − tr C / 1ᵀC1); alpha_std = k/(k−1)·(1 − k / 1ᵀR1).
    omega: one factor is fitted to R by minres (unweighted least squares,
    iterated principal axes from SMCs), loadings λ, uniquenesses ψ = 1 − λ²;
    omega = 1 − Σψ / 1ᵀR1, the ``omega.tot`` of R ``psych::omega(nfactors=1)``
    (equal to (Σλ)² / ((Σλ)² + Σψ) when the model fits exactly).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
    tests. *Psychometrika*, 16, 297–334.
    McDonald, R. P. (1999). *Test theory: A unified treatment*. Erlbaum.
    Revelle, W. psych: ``alpha``, ``omega`` (R package).

    Examples
    --------
    >>> spec = {"range": [1, 5], "scales": {"A": {"items": ["A1", "A2", "A3"], "reverse": ["A3"]}}}
    >>> df = pd.DataFrame({"A1": [1, 2, 3, 4, 5, 3], "A2": [2, 2, 3, 5, 4, 3],
    ...                    "A3": [5, 4, 3, 2, 2, 3]})
    >>> reliability(df, spec).round(3)
      scale  alpha  alpha_std  omega  n_items  n  mean_r
    0     A  0.962      0.966  0.967        3  6   0.906
    """
    _, _, blocks = _scale_blocks(responses, spec, missing)
    rows = []
    for name, c, (C, _, _, _, n) in blocks:
        R = _cov2cor(C)
        k = len(c)
        off = R[~np.eye(k, dtype=bool)]
        rows.append({
            "scale": name,
            "alpha": _alpha(C),
            "alpha_std": _alpha(R),
            "omega": _omega_total(R),
            "n_items": k,
            "n": n,
            "mean_r": float(off.mean()) if k > 1 else np.nan,
        })
    return pd.DataFrame(rows, columns=["scale", "alpha", "alpha_std", "omega", "n_items", "n",
                                       "mean_r"])


def item_statistics(responses: pd.DataFrame, spec: Mapping[str, Any], *,
                    missing: str = "pairwise") -> pd.DataFrame:
    """Item analysis table (the SPSSAU / SPSS "item-total statistics").

    Parameters
    ----------
    responses, spec, missing
        As in :func:`reliability`.

    Returns
    -------
    DataFrame
        One row per item, in spec order:

        - ``scale``, ``item``: scale name and item id;
        - ``reversed``: True for a reverse-keyed item (statistics are of the
          keyed item);
        - ``n``: respondents answering the item (listwise: complete cases);
        - ``mean``, ``sd``: mean and sample SD of the keyed item;
        - ``citc``: corrected item–total correlation (item vs. the sum of the
          other items of its scale);
        - ``alpha_if_deleted``: Cronbach's alpha of the scale without the item.

    Raises
    ------
    DataError
        As :func:`reliability`.

    Notes
    -----
    From the scale's covariance matrix C with total T = 1ᵀC1 and row sums
    cᵢ = Σⱼ Cᵢⱼ: citcᵢ = (cᵢ − Cᵢᵢ) / √(Cᵢᵢ (T − 2cᵢ + Cᵢᵢ));
    alpha_if_deletedᵢ = (k−1)/(k−2) · (1 − (tr C − Cᵢᵢ) / (T − 2cᵢ + Cᵢᵢ)).
    Identical to R ``psych::alpha`` ``r.drop`` and ``alpha.drop$raw_alpha``.

    Examples
    --------
    The respondents of :func:`reliability`'s example, one row each:

    >>> spec = {"range": [1, 5], "scales": {"A": {"items": ["A1", "A2", "A3"], "reverse": ["A3"]}}}
    >>> rows = [[1, 2, 5], [2, 2, 4], [3, 3, 3], [4, 5, 2], [5, 4, 2], [3, 3, 3]]
    >>> df = pd.DataFrame(rows, columns=["A1", "A2", "A3"])
    >>> item_statistics(df, spec).round(3)
      scale item  reversed  n   mean     sd   citc  alpha_if_deleted
    0     A   A1     False  6  3.000  1.414  0.930             0.949
    1     A   A2     False  6  3.167  1.169  0.879             0.975
    2     A   A3      True  6  2.833  1.169  0.976             0.908
    """
    spec, items, blocks = _scale_blocks(responses, spec, missing)
    parts = []
    for name, c, (C, mean, sd, npair, _) in blocks:
        k = len(c)
        rs = C.sum(axis=1)
        T = C.sum()
        rest_var = T - 2 * rs + np.diag(C)
        with np.errstate(invalid="ignore", divide="ignore"):
            citc = (rs - np.diag(C)) / np.sqrt(np.diag(C) * rest_var)
            aid = ((k - 1) / (k - 2) * (1 - (np.trace(C) - np.diag(C)) / rest_var)
                   if k > 2 else np.full(k, np.nan))
        sc = spec["scales"][name]
        rev = {str(r) for r in sc.get("reverse") or []}
        its = [items[i] for i in c]
        parts.append(pd.DataFrame({
            "scale": name, "item": its, "reversed": [i in rev for i in its],
            "n": np.diag(npair).astype(np.int64), "mean": mean, "sd": sd,
            "citc": citc, "alpha_if_deleted": aid,
        }))
    cols_out = ["scale", "item", "reversed", "n", "mean", "sd", "citc", "alpha_if_deleted"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols_out)


def validity(responses: pd.DataFrame, spec: Mapping[str, Any]) -> pd.DataFrame:
    """Sampling adequacy (KMO) and Bartlett's test of sphericity, per scale and overall.

    Parameters
    ----------
    responses, spec
        As in :func:`reliability`.

    Returns
    -------
    DataFrame
        For each scope — every scale, then ``"all"`` (all scale items
        together, the usual check before a factor analysis) — one summary row
        followed by one row per item:

        - ``scope``: scale name or ``"all"``;
        - ``item``: item id; missing (``None``) on the summary row;
        - ``kmo``: overall KMO on the summary row, the item's MSA on item rows;
        - ``chi2``, ``df``, ``p``: Bartlett's sphericity test (summary row
          only, NaN on item rows);
        - ``n``: respondents answering every item of the scope (listwise).

    Raises
    ------
    DataError
        Missing or non-numeric item columns, or answers outside ``range``.

    Notes
    -----
    R is the listwise correlation matrix of the p reverse-keyed items and
    A the anti-image (partial) correlations, Aᵢⱼ = −R⁻¹ᵢⱼ / √(R⁻¹ᵢᵢ R⁻¹ⱼⱼ).
    KMO = Σᵢ≠ⱼ r²ᵢⱼ / (Σᵢ≠ⱼ r²ᵢⱼ + Σᵢ≠ⱼ a²ᵢⱼ); MSAᵢ the same over row i
    (Kaiser 1970; Kaiser & Rice 1974). Bartlett (1951):
    χ² = −(n − 1 − (2p + 5)/6)·ln|R|, df = p(p − 1)/2.

    Examples
    --------
    >>> spec = {"range": [1, 5], "scales": {"A": {"items": ["A1", "A2", "A3"]}}}
    >>> df = pd.DataFrame({"A1": [1, 2, 3, 4, 5, 3, 2], "A2": [2, 2, 3, 5, 4, 3, 1],
    ...                    "A3": [1, 3, 3, 4, 4, 2, 2]})
    >>> v = validity(df, spec)
    >>> v.loc[v["item"].isna(), ["scope", "kmo", "chi2", "df", "p", "n"]].round(3)
      scope    kmo    chi2   df      p  n
    0     A  0.735  10.247  3.0  0.017  7
    4   all  0.735  10.247  3.0  0.017  7
    """
    spec = as_spec(spec)
    X, items, cols = keyed_items(responses, spec)
    scopes = dict(cols)
    scopes["all"] = np.arange(len(items))
    parts = []
    for name, c in scopes.items():
        Xs = X[:, c]
        Xs = Xs[~np.isnan(Xs).any(axis=1)]
        n, p = Xs.shape
        its = [items[i] for i in c]
        kmo = chi2 = pval = np.nan
        msa = np.full(p, np.nan)
        df = p * (p - 1) / 2
        if n > p and p >= 2:
            R = np.corrcoef(Xs, rowvar=False)
            try:
                Ri = np.linalg.inv(R)
                d = np.sqrt(np.diag(Ri))
                A = -Ri / np.outer(d, d)
                off = ~np.eye(p, dtype=bool)
                r2 = np.where(off, R ** 2, 0.0)
                a2 = np.where(off, A ** 2, 0.0)
                kmo = r2.sum() / (r2.sum() + a2.sum())
                msa = r2.sum(axis=1) / (r2.sum(axis=1) + a2.sum(axis=1))
                sign, logdet = np.linalg.slogdet(R)
                if sign > 0:
                    chi2 = -(n - 1 - (2 * p + 5) / 6) * logdet
                    pval = float(stats.chi2.sf(chi2, df))
            except np.linalg.LinAlgError:
                pass
        parts.append(pd.DataFrame({"scope": name, "item": [None], "kmo": [kmo], "chi2": [chi2],
                                   "df": [df], "p": [pval], "n": [n]}))
        parts.append(pd.DataFrame({"scope": name, "item": its, "kmo": msa, "chi2": np.nan,
                                   "df": np.nan, "p": np.nan, "n": n}))
    out = pd.concat(parts, ignore_index=True)
    out["item"] = out["item"].astype(object)
    return out
