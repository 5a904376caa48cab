"""Inter-coder agreement for content analysis: Krippendorff's alpha, Cohen's kappa, bootstrap CIs.

Reliability data follow Krippendorff's layout: one row per coder (observer),
one column per unit (record), missing values as NaN/None. Alpha is computed
from the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
alpha-reliability", sections A–E); every level of measurement uses the same
matrix with its own squared difference function.

Verdicts follow Krippendorff (2004, *Content Analysis*, 2nd ed., p. 241):
alpha >= .800 rely on the variable; .667 <= alpha < .800 draw tentative
conclusions only; below .667 revise the codebook.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from grouplab.errors import ParameterError

__all__ = ["krippendorff_alpha", "cohen_kappa", "bootstrap_ci", "alpha_resamples", "kappa_resamples",
           "agreement_verdict",
           "code_agreement", "machine_agreement", "LEVELS"]

LEVELS = ("nominal", "ordinal", "interval", "ratio")
RELY, TENTATIVE = 0.800, 0.667


def _as_matrix(data: Any) -> np.ndarray:
    """Reliability data as an object matrix (coders × units), None for missing."""
    if isinstance(data, pd.DataFrame):
        arr = data.to_numpy(dtype=object)
    else:
        arr = np.asarray(data, dtype=object)
    if arr.ndim != 2:
        raise ParameterError("reliability data must be 2-D: one row per coder, one column per unit")
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        out[idx] = None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v
    return out


def _counts(mat: np.ndarray, level: str) -> tuple[np.ndarray, np.ndarray]:
    """Values present (sorted) and the units × values count matrix n_uc."""
    present = [v for v in mat.ravel() if v is not None]
    if level == "nominal":
        values = np.array(sorted(set(present), key=lambda x: (str(type(x)), x)), dtype=object)
    else:
        try:
            values = np.array(sorted({float(v) for v in present}), dtype=float)
        except (TypeError, ValueError) as exc:
            raise ParameterError(f"level={level!r} needs numeric values") from exc
    index = {v: i for i, v in enumerate(values.tolist())}
    counts = np.zeros((mat.shape[1], len(values)))
    for (_, u), v in np.ndenumerate(mat):
        if v is not None:
            counts[u, index[v if level == "nominal" else float(v)]] += 1
    return values, counts


def _delta2(values: np.ndarray, n_c: np.ndarray, level: str) -> np.ndarray:
    """Squared difference function δ²(c, k) of the level (Krippendorff 2011, section E)."""
    k = len(values)
    if level == "nominal":
        return 1.0 - np.eye(k)
    v = values.astype(float)
    if level == "interval":
        return (v[:, None] - v[None, :]) ** 2
    if level == "ratio":
        s = v[:, None] + v[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            d = np.where(s == 0, 0.0, ((v[:, None] - v[None, :]) / np.where(s == 0, 1, s)) ** 2)
        return d
    cum = np.concatenate([[0.0], np.cumsum(n_c)])  # ordinal: ranks by the marginal frequencies
    lo = np.minimum.outer(np.arange(k), np.arange(k))
    hi = np.maximum.outer(np.arange(k), np.arange(k))
    between = cum[hi + 1] - cum[lo]
    return (between - (n_c[:, None] + n_c[None, :]) / 2.0) ** 2


def _alpha_from_counts(counts: np.ndarray, values: np.ndarray, level: str) -> float:
    m = counts.sum(axis=1)
    keep = m >= 2  # units coded by fewer than two coders are not pairable
    counts, m = counts[keep], m[keep]
    if counts.size == 0:
        return float("nan")
    w = 1.0 / (m - 1.0)
    o = (counts * w[:, None]).T @ counts - np.diag((counts * w[:, None]).sum(axis=0))
    n_c = o.sum(axis=1)
    n = n_c.sum()
    d2 = _delta2(values, n_c, level)
    expected = (np.outer(n_c, n_c) * d2).sum()
    if n <= 1 or expected == 0:
        return float("nan")  # one value only: agreement is not defined
    return float(1.0 - (n - 1.0) * (o * d2).sum() / expected)


def krippendorff_alpha(data: Any, level: str = "nominal") -> float:
    """Krippendorff's alpha of reliability data with missing values.

    Parameters
    ----------
    data : array-like or DataFrame
        One row per coder, one column per unit; missing values as NaN/None.
        Units with fewer than two values are not pairable and are left out.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement: it chooses the difference function.

    Returns
    -------
    float
        Alpha (1 perfect agreement, 0 agreement at chance); NaN when fewer than
        two pairable values or a single value occurs.

    Examples
    --------
    Krippendorff (2011), 4 observers × 12 units (the published .743 nominal):

    >>> nan = float("nan")
    >>> rel = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> round(krippendorff_alpha(rel, "nominal"), 3)
    0.743
    """
    if level not in LEVELS:
        raise ParameterError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    mat = _as_matrix(data)
    values, counts = _counts(mat, level)
    return _alpha_from_counts(counts, values, level)


def _category(v: Any) -> Any:
    """A code as a category: 1, 1.0 and True are one (a column with a blank is read as floats)."""
    if isinstance(v, (bool, np.bool_)):
        return int(v)
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return int(v)
    return v


def cohen_kappa(a: Any, b: Any) -> float:
    """Cohen's kappa of two coders over the units both coded (nominal).

    Returns
    -------
    float
        (p_o − p_e) / (1 − p_e); NaN when no unit has both codes or p_e = 1.

    Examples
    --------
    >>> round(cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]), 3)
    0.5
    """
    x = pd.Series(list(a), dtype=object)
    y = pd.Series(list(b), dtype=object)
    if len(x) != len(y):
        raise ParameterError("the two coders must code the same units")
    ok = x.notna() & y.notna()
    x, y = x[ok].map(_category).astype(str), y[ok].map(_category).astype(str)
    n = len(x)
    if n == 0:
        return float("nan")
    p_o = float((x.to_numpy() == y.to_numpy()).mean())
    px, py = x.value_counts() / n, y.value_counts() / n
    p_e = float(sum(px.get(c, 0.0) * py.get(c, 0.0) for c in set(px.index) | set(py.index)))
    return float("nan") if p_e >= 1.0 else (p_o - p_e) / (1.0 - p_e)


def _resamples(u: int, n_boot: int, seed: int) -> np.ndarray:
    """Bootstrap unit indices, one row per resample (the draws :func:`bootstrap_ci` has always made)."""
    rng = np.random.default_rng(seed)
    return np.stack([rng.integers(0, u, u) for _ in range(n_boot)]) if n_boot else np.zeros((0, u), int)


def _interval(reps: np.ndarray, level: float) -> tuple[float, float]:
    reps = reps[~np.isnan(reps)]
    if reps.size == 0:
        return float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(reps, [tail, 100 - tail])
    return float(lo), float(hi)


def bootstrap_ci(stat, data: np.ndarray, *, n_boot: int = 1000, level: float = 0.95,
                 seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval of ``stat`` over units (columns of ``data``).

    Parameters
    ----------
    stat : callable
        Takes a coders × units matrix and returns a float.
    data : numpy.ndarray
        Coders × units (object or float).
    n_boot, level, seed
        Resamples, coverage and the seed (same seed, same interval).

    Returns
    -------
    tuple of float
        Lower and upper bound (NaN when every resample is undefined).
    """
    mat = _as_matrix(data)
    idx = _resamples(mat.shape[1], n_boot, seed)
    return _interval(np.array([stat(mat[:, i]) for i in idx], dtype=float), level)


def alpha_resamples(data: Any, idx: np.ndarray, level: str = "nominal") -> np.ndarray:
    """Krippendorff's alpha of many resamples of units at once (vectorised over resamples).

    The coincidence matrix of a resample is a sum over its units, so with the units × values count
    matrix ``n_uc`` it is ``Σ_u w_u n_uc n_uk`` (``w_u = 1/(m_u − 1)``) less the diagonal of pairs of a
    value with itself: one ``einsum`` over all resamples instead of a loop (same values as
    :func:`krippendorff_alpha` of each resample, to rounding).

    Parameters
    ----------
    data : array-like
        Coders × units, missing as NaN/None.
    idx : numpy.ndarray
        Resamples × units: the unit indices of each resample.
    level : str
        Level of measurement.

    Returns
    -------
    numpy.ndarray
        One alpha per resample (NaN where undefined).
    """
    values, counts = _counts(_as_matrix(data), level)
    m = counts.sum(axis=1)
    w = np.where(m >= 2, 1.0 / np.maximum(m - 1.0, 1.0), 0.0)  # unpairable units weigh nothing
    out = np.full(len(idx), np.nan)
    if not len(idx) or counts.shape[1] == 0:
        return out
    c = counts[idx]  # resamples × units × values
    cw = c * w[idx][..., None]
    o = np.einsum("bui,buj->bij", cw, c)
    o[:, np.arange(c.shape[2]), np.arange(c.shape[2])] -= cw.sum(axis=1)
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    if level == "ordinal":  # its difference function depends on each resample's marginals
        d2 = np.stack([_delta2(values, nc, level) for nc in n_c])
    else:
        d2 = np.broadcast_to(_delta2(values, n_c[0], level), o.shape)
    expected = np.einsum("bi,bj,bij->b", n_c, n_c, d2)
    observed = (o * d2).sum(axis=(1, 2))
    ok = (n > 1) & (expected != 0)
    out[ok] = 1.0 - (n[ok] - 1.0) * observed[ok] / expected[ok]
    return out


def kappa_resamples(a: Any, b: Any, idx: np.ndarray) -> np.ndarray:
    """Cohen's kappa of two coders over many resamples of units at once (as :func:`cohen_kappa`).

    Returns
    -------
    numpy.ndarray
        One kappa per resample (NaN where no unit has both codes or p_e = 1).
    """
    x = pd.Series(list(a), dtype=object)
    y = pd.Series(list(b), dtype=object)
    both = (x.notna() & y.notna()).to_numpy()
    xs = x.map(lambda v: None if pd.isna(v) else str(_category(v)))
    ys = y.map(lambda v: None if pd.isna(v) else str(_category(v)))
    cats = sorted(set(xs[both]) | set(ys[both]))
    code = {c: i for i, c in enumerate(cats)}
    k = len(cats)
    out = np.full(len(idx), np.nan)
    if not len(idx) or k == 0:
        return out
    xi = np.array([code.get(v, 0) for v in xs])
    yi = np.array([code.get(v, 0) for v in ys])
    keep = both[idx]  # resamples × units
    n = keep.sum(axis=1).astype(float)
    eye = np.eye(k)
    px = (eye[xi[idx]] * keep[..., None]).sum(axis=1)  # resamples × categories
    py = (eye[yi[idx]] * keep[..., None]).sum(axis=1)
    agree = ((xi[idx] == yi[idx]) & keep).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_o = agree / n
        p_e = (px * py).sum(axis=1) / n**2
        ok = (n > 0) & (p_e < 1.0)
        out[ok] = (p_o[ok] - p_e[ok]) / (1.0 - p_e[ok])
    return out


def agreement_verdict(alpha: float) -> str:
    """``rely`` (α ≥ .800), ``tentative`` (.667 ≤ α < .800), ``revise`` (below), ``undefined`` (NaN).

    Examples
    --------
    >>> agreement_verdict(0.81), agreement_verdict(0.7), agreement_verdict(0.5)
    ('rely', 'tentative', 'revise')
    """
    if alpha is None or np.isnan(alpha):
        return "undefined"
    return "rely" if alpha >= RELY else "tentative" if alpha >= TENTATIVE else "revise"


def code_agreement(codes: dict[str, pd.DataFrame], *, level: str = "nominal", n_boot: int = 1000,
                   seed: int = 0) -> pd.DataFrame:
    """Agreement per code between coders: alpha, Cohen's kappa (two coders) and bootstrap CIs.

    Parameters
    ----------
    codes : dict of str to DataFrame
        Code name -> frame with one column per coder and one row per unit
        (NaN where a coder left the unit blank).
    level : str
        Level of measurement of alpha (see :func:`krippendorff_alpha`).
    n_boot, seed
        Bootstrap resamples over units and the seed.

    Returns
    -------
    pandas.DataFrame
        One row per code: ``code``, ``units`` (units with ≥ 2 codes), ``coders``,
        ``alpha``, ``alpha_lo``, ``alpha_hi``, ``kappa``, ``kappa_lo``,
        ``kappa_hi`` (kappa of the first two coders), ``verdict``.
    """
    rows = []
    for code, frame in codes.items():
        mat = _as_matrix(frame.T)
        pairable = int((np.vectorize(lambda v: v is not None)(mat).sum(axis=0) >= 2).sum())
        alpha = krippendorff_alpha(mat, level)
        idx = _resamples(mat.shape[1], n_boot, seed)  # the same draws for alpha and kappa
        a_lo, a_hi = _interval(alpha_resamples(mat, idx, level), 0.95)
        if mat.shape[0] >= 2:
            kappa = cohen_kappa(mat[0], mat[1])
            k_lo, k_hi = _interval(kappa_resamples(mat[0], mat[1], idx), 0.95)
        else:
            kappa = k_lo = k_hi = float("nan")
        rows.append({"code": code, "units": pairable, "coders": mat.shape[0], "alpha": alpha,
                     "alpha_lo": a_lo, "alpha_hi": a_hi, "kappa": kappa, "kappa_lo": k_lo,
                     "kappa_hi": k_hi, "verdict": agreement_verdict(alpha)})
    return pd.DataFrame(rows, columns=["code", "units", "coders", "alpha", "alpha_lo", "alpha_hi",
                                       "kappa", "kappa_lo", "kappa_hi", "verdict"])


def machine_agreement(truth: pd.DataFrame, machine: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """The machine coder against adjudicated (or demo-truth) codes, per code.

    ``True`` is the positive class (the problem flag is raised). Units where
    either side is missing are left out.

    Returns
    -------
    pandas.DataFrame
        One row per code: ``code``, ``n``, ``kappa``, ``precision``, ``recall``,
        ``f1``, ``accuracy``.
    """
    rows = []
    for code in codes:
        t = truth[code].astype("boolean")
        m = machine[code].astype("boolean")
        ok = t.notna() & m.notna()
        t, m = t[ok].astype(bool).to_numpy(), m[ok].astype(bool).to_numpy()
        tp, fp, fn = int((t & m).sum()), int((~t & m).sum()), int((t & ~m).sum())
        prec = tp / (tp + fp) if tp + fp else float("nan")
        rec = tp / (tp + fn) if tp + fn else float("nan")
        f1 = 2 * prec * rec / (prec + rec) if tp else (0.0 if fp + fn else float("nan"))
        rows.append({"code": code, "n": int(ok.sum()), "kappa": cohen_kappa(t, m), "precision": prec,
                     "recall": rec, "f1": f1, "accuracy": float((t == m).mean()) if len(t) else float("nan")})
    return pd.DataFrame(rows, columns=["code", "n", "kappa", "precision", "recall", "f1", "accuracy"])
