"""Mediation (paths a, b, c, c′, bootstrap indirect effect) and moderation (simple slopes).

Tables follow the layout SPSSAU / PROCESS users read (effect, SE, t or z, p,
interval), one row per path or slope; a one-line Chinese and English reading
is kept in ``attrs["reading_zh"]`` / ``attrs["reading_en"]`` (plain strings).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from grouplab.data.problems import problem
from grouplab.data.results import result_table
from grouplab.errors import DataError, ParameterError
from grouplab.models.design import check_alpha

__all__ = ["mediation", "moderation", "quantile_mcse", "bootstrap_verdict"]

_COLUMNS = ["path", "effect", "se", "stat", "p", "ci_low", "ci_high", "ci_method"]


def _frame(data: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    miss = [c for c in cols if c not in data.columns]
    if miss:
        raise DataError([problem("columns_not_in_data", "data", names=", ".join(miss))])
    d = data[list(cols)].apply(pd.to_numeric, errors="coerce").dropna()
    if len(d) < len(cols) + 3:
        raise DataError([problem("too_few_complete_rows", "data", n=len(d), k=len(cols))])
    return d.astype(float)


def _full_rank(X: np.ndarray) -> bool:
    return bool(np.linalg.matrix_rank(X) == X.shape[1])


def _ols(y: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Coefficients, covariance (classical) and residual df of y ~ X (X has the intercept)."""
    if not _full_rank(X):
        raise DataError([problem("singular_design", "data")])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    df = len(y) - X.shape[1]
    cov = np.linalg.inv(X.T @ X) * float(resid @ resid) / df
    return beta, cov, df


def mediation(data: pd.DataFrame, *, x: str, m: str, y: str, covariates: Sequence[str] = (),
              n_boot: int = 5000, seed: int = 0, alpha: float = 0.05) -> pd.DataFrame:
    """Simple mediation X → M → Y with a percentile-bootstrap CI of the indirect effect.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit (e.g. group × wave); rows with missing values dropped.
    x, m, y : str
        Predictor, mediator and outcome columns (numeric).
    covariates : list of str
        Covariates in both the M and the Y equations.
    n_boot : int
        Bootstrap resamples (PROCESS default 5000).
    seed : int
        Seed of the resampling (results are reproducible).
    alpha : float
        1 − confidence level.

    Returns
    -------
    pandas.DataFrame
        Five rows, ``path`` = ``c`` (total effect X→Y), ``a`` (X→M), ``b``
        (M→Y given X), ``c_prime`` (direct effect X→Y given M), ``indirect``
        (a·b), with ``effect`` (unstandardised), ``se`` (OLS; bootstrap SE for
        the indirect effect), ``stat`` (t) and ``p`` (missing for the indirect effect: judge it by
        its interval), ``ci_low``, ``ci_high``, ``ci_method`` (``"t"`` or
        ``"percentile bootstrap"``). ``attrs``: ``n``, ``n_boot``, ``seed``,
        ``proportion_mediated`` (a·b / c), ``reading_zh``, ``reading_en``.

    Raises
    ------
    DataError
        Missing columns, too few complete rows, ``n_boot`` < 100.

    Notes
    -----
    OLS: M = i₁ + a·X (+ covariates); Y = i₂ + c′·X + b·M (+ covariates);
    Y = i₃ + c·X (+ covariates); c = c′ + a·b exactly. The indirect effect is
    significant when its bootstrap interval excludes 0 (Hayes 2018; no Sobel
    test) — and only if that holds with another seed: a bound closer to 0
    than 2 Monte Carlo SEs makes the verdict "inconclusive". Mediation is a
    causal claim about the order X → M → Y: with
    cross-sectional survey data the numbers are compatible with it, they do
    not establish it, and an unobserved cause of M and Y biases b.

    References
    ----------
    Hayes, A. F. (2018). *Introduction to Mediation, Moderation, and
    Conditional Process Analysis* (2nd ed.), ch. 3 (PROCESS model 4).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"x": rng.normal(size=200)})
    >>> df["m"] = 0.5 * df["x"] + rng.normal(size=200)
    >>> df["y"] = 0.4 * df["m"] + 0.1 * df["x"] + rng.normal(size=200)
    >>> r = mediation(df, x="x", m="m", y="y", n_boot=1000, seed=1)
    >>> r["path"].tolist()
    ['c', 'a', 'b', 'c_prime', 'indirect']
    >>> bool(r.set_index("path").loc["indirect", "ci_low"] > 0)
    True
    """
    cov = list(covariates)
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 1000:
        raise ParameterError(f"n_boot must be an integer ≥ 1000 (default 5000), got {n_boot!r}")
    alpha = check_alpha(alpha)
    d = _frame(data, [x, m, y, *cov])
    n = len(d)
    C = d[cov].to_numpy() if cov else np.empty((n, 0))
    X, M, Y = d[x].to_numpy(), d[m].to_numpy(), d[y].to_numpy()
    a, b, c, cp = _paths(X, M, Y, C, np.arange(n))
    boot = _bootstrap(X, M, Y, C, n_boot=n_boot, seed=seed, x=x)
    rows = []
    for name, (est, var, df) in (("c", c), ("a", a), ("b", b), ("c_prime", cp)):
        se = float(np.sqrt(var))
        tcrit = stats.t.ppf(1 - alpha / 2, df)
        rows.append((name, est, se, est / se, 2 * stats.t.sf(abs(est / se), df),
                     est - tcrit * se, est + tcrit * se, "t"))
    ind = a[0] * b[0]
    lo, hi = np.quantile(boot, [alpha / 2, 1 - alpha / 2])
    mc_lo, mc_hi = quantile_mcse(boot, alpha / 2), quantile_mcse(boot, 1 - alpha / 2)
    rows.append(("indirect", ind, float(boot.std(ddof=1)), np.nan, np.nan, lo, hi,
                 "percentile bootstrap"))
    out = pd.DataFrame(rows, columns=_COLUMNS)
    for col in ("path", "ci_method"):
        out[col] = out[col].astype(object)
    verdict = bootstrap_verdict(lo, hi, mc_lo, mc_hi)
    out.attrs.update({
        "n": n, "n_boot": int(n_boot), "seed": int(seed), "mcse_ci_low": mc_lo,
        "mcse_ci_high": mc_hi, "verdict": verdict,
        "proportion_mediated": float(ind / c[0]) if c[0] != 0 else float("nan"),
        **_readings(x, m, y, ind, lo, hi, max(mc_lo, mc_hi), verdict, alpha)})
    return result_table(out, "mediation")


def _paths(X, M, Y, C, idx):
    """(estimate, variance, df) of paths a, b, c and c′ on the rows ``idx``."""
    Xi, Mi, Yi, Ci, oi = X[idx], M[idx], Y[idx], C[idx], np.ones(len(idx))
    ba, va, dfa = _ols(Mi, np.column_stack([oi, Xi, Ci]))
    bb, vb, dfb = _ols(Yi, np.column_stack([oi, Xi, Mi, Ci]))
    bc, vc, dfc = _ols(Yi, np.column_stack([oi, Xi, Ci]))
    return (ba[1], va[1, 1], dfa), (bb[2], vb[2, 2], dfb), (bc[1], vc[1, 1], dfc), \
        (bb[1], vb[1, 1], dfb)


def _bootstrap(X, M, Y, C, *, n_boot: int, seed: int, x: str) -> np.ndarray:
    """a·b in ``n_boot`` case resamples; a resample with a singular design is a DataError."""
    rng = np.random.default_rng(seed)
    n = len(X)
    one = np.ones(n)
    boot = np.empty(n_boot)
    for i in range(n_boot):
        idx = rng.integers(0, n, n)
        Xa = np.column_stack([one, X[idx], C[idx]])
        Xb = np.column_stack([Xa, M[idx]])
        if not _full_rank(Xb):
            raise DataError([problem("bootstrap_constant", "data", x=x)])
        ba = np.linalg.lstsq(Xa, M[idx], rcond=None)[0]
        bb = np.linalg.lstsq(Xb, Y[idx], rcond=None)[0]
        boot[i] = ba[1] * bb[-1]
    return boot


def quantile_mcse(draws: np.ndarray, q: float, *, z: float = 1.959964) -> float:
    """Monte Carlo SE of the ``q`` quantile of ``draws`` (order-statistic interval / 2z).

    The q-quantile of B draws has a distribution-free interval between the
    order statistics B·q ∓ z·sqrt(B·q(1−q)); its half-width divided by z is
    the Monte Carlo SE (how much the bound would move with another seed).

    Examples
    --------
    >>> d = np.random.default_rng(0).normal(size=5000)
    >>> 0.02 < quantile_mcse(d, 0.025) < 0.06     # theory: sqrt(q(1-q)/B)/φ(1.96) = 0.038
    True
    """
    b = np.sort(np.asarray(draws, dtype=float))
    B = len(b)
    half = z * np.sqrt(B * q * (1 - q))
    lo = int(np.clip(np.floor(B * q - half), 0, B - 1))
    hi = int(np.clip(np.ceil(B * q + half), 0, B - 1))
    return float((b[hi] - b[lo]) / (2 * z))


def bootstrap_verdict(lo: float, hi: float, mc_lo: float, mc_hi: float) -> str:
    """"supported" / "not supported" / "inconclusive" (a bound within 2 MC SE of 0)."""
    if abs(lo) <= 2 * mc_lo or abs(hi) <= 2 * mc_hi:
        return "inconclusive"
    return "supported" if (lo > 0 or hi < 0) else "not supported"


def _readings(x, m, y, ind, lo, hi, mc, verdict, alpha) -> dict:
    level = int(round((1 - alpha) * 100))
    zh = {"supported": "不包含0，中介作用成立（相关意义上；不证明因果顺序）。",
          "not supported": "包含0，中介作用不显著。",
          "inconclusive": "区间端点与0的距离在抽样误差（2×蒙特卡洛标准误）之内，结论不确定，"
                          "请增加 Bootstrap 次数后再判断。"}
    en = {"supported": "the interval excludes 0, so the data are compatible with mediation "
                       "(an association; it does not establish the causal order).",
          "not supported": "the interval includes 0, so mediation is not supported.",
          "inconclusive": "a bound lies within 2 Monte Carlo SEs of 0, so the reading could "
                          "flip with another seed: inconclusive; rerun with more draws."}
    return {"reading_zh": (f"{x}通过{m}影响{y}的间接效应为{ind:.3f}（{level}% Bootstrap CI "
                           f"[{lo:.3f}, {hi:.3f}]，端点蒙特卡洛标准误 {mc:.3f}），" + zh[verdict]),
            "reading_en": (f"The indirect effect of {x} on {y} through {m} is {ind:.3f} "
                           f"({level}% bootstrap CI [{lo:.3f}, {hi:.3f}], Monte Carlo SE of the "
                           f"bounds {mc:.3f}); " + en[verdict])}


def moderation(data: pd.DataFrame, *, x: str, w: str, y: str, covariates: Sequence[str] = (),
               alpha: float = 0.05) -> pd.DataFrame:
    """Moderation X × W → Y with mean-centred predictors and simple slopes at W ∓ 1 SD.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit; rows with missing values dropped.
    x, w, y : str
        Predictor, moderator and outcome columns (numeric).
    covariates : list of str
        Additional (uncentred) covariates.
    alpha : float
        1 − confidence level.

    Returns
    -------
    pandas.DataFrame
        Rows ``path`` = ``x``, ``w``, ``x:w`` (coefficients of the centred
        model Y = b0 + b1·X̃ + b2·W̃ + b3·X̃·W̃), then ``slope@-1SD``,
        ``slope@mean``, ``slope@+1SD`` (effect of X at W = mean − SD, mean,
        mean + SD), with ``effect``, ``se``, ``stat`` (t), ``p``, ``ci_low``,
        ``ci_high``, ``ci_method`` (``"t"``) and ``w_value`` (the W value of a
        simple slope, in W's original units; missing for coefficients).
        ``attrs``: ``n``, ``r2``, ``delta_r2`` (R² added by the interaction),
        ``reading_zh``, ``reading_en``.

    Raises
    ------
    DataError
        Missing columns or too few complete rows.

    Notes
    -----
    Centring changes b1 and b2 into effects at the mean of the other
    variable; b3 and its test are unchanged. Simple slope at W = w:
    b1 + b3·(w − W̄), SE = sqrt(V11 + (w − W̄)²·V33 + 2(w − W̄)·V13)
    (Aiken & West 1991). A significant b3 says the effect of X depends on W.

    References
    ----------
    Aiken, L. S., & West, S. G. (1991). *Multiple Regression: Testing and
    Interpreting Interactions*. Sage.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"x": rng.normal(size=300), "w": rng.normal(size=300)})
    >>> df["y"] = 0.3 * df["x"] + 0.2 * df["w"] + 0.25 * df["x"] * df["w"] + rng.normal(size=300)
    >>> r = moderation(df, x="x", w="w", y="y")
    >>> r["path"].tolist()
    ['x', 'w', 'x:w', 'slope@-1SD', 'slope@mean', 'slope@+1SD']
    """
    cov = list(covariates)
    d = _frame(data, [x, w, y, *cov])
    n = len(d)
    xm, wm, wsd = d[x].mean(), d[w].mean(), d[w].std(ddof=1)
    xc, wc = d[x].to_numpy() - xm, d[w].to_numpy() - wm
    Y = d[y].to_numpy()
    C = d[cov].to_numpy() if cov else np.empty((n, 0))
    Xf = np.column_stack([np.ones(n), xc, wc, xc * wc, C])
    beta, V, df = _ols(Y, Xf)
    tcrit = stats.t.ppf(1 - alpha / 2, df)
    rows = []
    for name, j in ((x, 1), (w, 2), (f"{x}:{w}", 3)):
        se = float(np.sqrt(V[j, j]))
        rows.append((name if j < 3 else "x:w", beta[j], se, beta[j] / se,
                     2 * stats.t.sf(abs(beta[j] / se), df), beta[j] - tcrit * se,
                     beta[j] + tcrit * se, "t", np.nan))
    rows[0] = ("x",) + rows[0][1:]
    rows[1] = ("w",) + rows[1][1:]
    for label, k in (("slope@-1SD", -1), ("slope@mean", 0), ("slope@+1SD", 1)):
        dw = k * wsd
        est = beta[1] + beta[3] * dw
        se = float(np.sqrt(V[1, 1] + dw * dw * V[3, 3] + 2 * dw * V[1, 3]))
        rows.append((label, est, se, est / se, 2 * stats.t.sf(abs(est / se), df),
                     est - tcrit * se, est + tcrit * se, "t", wm + dw))
    out = pd.DataFrame(rows, columns=[*_COLUMNS, "w_value"])
    for col in ("path", "ci_method"):
        out[col] = out[col].astype(object)
    resid = Y - Xf @ beta
    r2 = 1 - float(resid @ resid) / float(((Y - Y.mean()) ** 2).sum())
    b0, _, _ = _ols(Y, np.delete(Xf, 3, axis=1))
    res0 = Y - np.delete(Xf, 3, axis=1) @ b0
    r2_0 = 1 - float(res0 @ res0) / float(((Y - Y.mean()) ** 2).sum())
    p3 = rows[2][4]
    sig = p3 < alpha
    lo_s, hi_s = rows[3][1], rows[5][1]
    out.attrs.update({
        "n": n, "r2": r2, "delta_r2": r2 - r2_0,
        "reading_zh": (f"{w}对{x}→{y}的调节作用" + ("显著" if sig else "不显著") +
                       f"（交互项 B={beta[3]:.3f}, p={p3:.3f}）；{w}低（-1SD）时简单斜率为"
                       f"{lo_s:.3f}，高（+1SD）时为{hi_s:.3f}。"),
        "reading_en": (f"{w} {'significantly moderates' if sig else 'does not significantly moderate'}"
                       f" the effect of {x} on {y} (interaction B = {beta[3]:.3f}, p = {p3:.3f});"
                       f" the simple slope is {lo_s:.3f} at low {w} (-1 SD) and {hi_s:.3f} at "
                       f"high {w} (+1 SD).")})
    return result_table(out, "moderation")
