"""Group-difference statistics on (values, group index) arrays, used by :mod:`.groups`.

Each helper returns plain dicts; :func:`grouplab.measures.survey.analysis.groups.compare_groups`
lays them out. Formulas are in the docstrings of the public function.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats

# Above this many error df the studentized range is evaluated at df = inf: scipy's integration
# for finite df costs ~0.1 s a call, and q(0.95; k, 10 000) differs from q(0.95; k, inf) by < 0.05 %.
_DF_INF = 1e4


def moments(y: np.ndarray, g: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count, mean and sample variance (ddof 1; NaN for n < 2) per group."""
    n = np.bincount(g, minlength=k).astype(float)
    s = np.bincount(g, weights=y, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / n
        dev = y - mean[g]
        var = np.bincount(g, weights=dev * dev, minlength=k) / (n - 1)
    return n, mean, np.where(n > 1, var, np.nan)


def levene(y, g, k, n, mean, *, center: str) -> dict:
    """Levene's test (center="mean", as SPSS) or Brown–Forsythe (center="median")."""
    if center == "mean":
        c = mean
    else:
        c = np.array([np.median(y[g == j]) for j in range(k)])
    z = np.abs(y - c[g])
    _, zm, zv = moments(z, g, k)
    N = n.sum()
    zbar = z.mean()
    num = (N - k) * np.sum(n * (zm - zbar) ** 2)
    den = (k - 1) * np.sum((n - 1) * zv)
    F = num / den if den > 0 else np.nan
    return {"test": "levene", "statistic": F, "df1": k - 1.0, "df2": N - k,
            "p": float(stats.f.sf(F, k - 1, N - k)) if np.isfinite(F) else np.nan}


def anova(n, mean, var) -> dict:
    """Classic one-way ANOVA with η² and ω²."""
    k, N = len(n), n.sum()
    grand = np.sum(n * mean) / N
    ssb = float(np.sum(n * (mean - grand) ** 2))
    ssw = float(np.sum((n - 1) * var))
    msw = ssw / (N - k)
    F = (ssb / (k - 1)) / msw if msw > 0 else np.nan
    return {"test": "anova", "statistic": F, "df1": k - 1.0, "df2": N - k,
            "p": float(stats.f.sf(F, k - 1, N - k)) if np.isfinite(F) else np.nan,
            "effect": "eta_sq", "effect_size": ssb / (ssb + ssw),
            "omega_sq": (ssb - (k - 1) * msw) / (ssb + ssw + msw), "msw": msw}


def welch_anova(n, mean, var) -> dict:
    """Welch's heteroscedastic one-way ANOVA (R ``oneway.test(var.equal = FALSE)``)."""
    k = len(n)
    w = n / var
    W = w.sum()
    mw = np.sum(w * mean) / W
    a = np.sum((1 - w / W) ** 2 / (n - 1))
    F = (np.sum(w * (mean - mw) ** 2) / (k - 1)) / (1 + 2 * (k - 2) / (k * k - 1) * a)
    df2 = (k * k - 1) / (3 * a)
    return {"test": "welch_anova", "statistic": float(F), "df1": k - 1.0, "df2": float(df2),
            "p": float(stats.f.sf(F, k - 1, df2))}


def two_sample(n, mean, var, *, equal_var: bool) -> dict:
    """Student or Welch t of group 1 − group 2, with the mean difference's 95 % CI."""
    d = mean[0] - mean[1]
    if equal_var:
        df = n.sum() - 2
        sp2 = ((n[0] - 1) * var[0] + (n[1] - 1) * var[1]) / df
        se = np.sqrt(sp2 * (1 / n[0] + 1 / n[1]))
    else:
        v = var / n
        se = np.sqrt(v.sum())
        df = v.sum() ** 2 / np.sum(v**2 / (n - 1))
    t = d / se
    h = stats.t.ppf(0.975, df) * se
    return {"test": "student_t" if equal_var else "welch_t", "statistic": float(t), "df1": float(df),
            "df2": np.nan, "p": float(2 * stats.t.sf(abs(t), df)), "estimate": float(d),
            "ci_low": float(d - h), "ci_high": float(d + h)}


def rank_test(y, g, k) -> dict:
    """Mann–Whitney U (two groups) or Kruskal–Wallis H, from mid-ranks, tie-corrected.

    Ranks come from hashing the distinct values (scale means take few), not a full sort,
    so a million respondents rank in tens of milliseconds. U is the statistic of group 1,
    R1 − n1(n1 + 1)/2, with R's ``wilcox.test(exact = FALSE, correct = TRUE)`` normal
    approximation; H = [12/(N(N+1)) Σ R_j²/n_j − 3(N+1)] / [1 − Σ(t³ − t)/(N³ − N)]
    (R ``kruskal.test``).
    """
    codes, _ = pd.factorize(y, sort=True)
    t = np.bincount(codes).astype(float)
    r = (np.cumsum(t) - (t - 1) / 2)[codes]
    n = np.bincount(g, minlength=k).astype(float)
    R = np.bincount(g, weights=r, minlength=k)
    N = n.sum()
    tie = float(np.sum(t**3 - t))
    if k == 2:
        U = R[0] - n[0] * (n[0] + 1) / 2
        d = U - n[0] * n[1] / 2
        sigma = np.sqrt(n[0] * n[1] / 12 * ((N + 1) - tie / (N * (N - 1))))
        z = (d - np.sign(d) * 0.5) / sigma
        p = float(min(1.0, 2 * stats.norm.sf(abs(z))))
        return {"test": "mann_whitney", "statistic": float(U), "p": p}
    H = (12 / (N * (N + 1)) * np.sum(R**2 / n) - 3 * (N + 1)) / (1 - tie / (N**3 - N))
    return {"test": "kruskal", "statistic": float(H), "df1": k - 1.0, "p": float(stats.chi2.sf(H, k - 1))}


def cohens_d(n, mean, var) -> tuple[float, float, float]:
    """Cohen's d (pooled SD) with a normal-approximation 95 % CI (Hedges & Olkin 1985, eq. 5.14)."""
    sp = np.sqrt(((n[0] - 1) * var[0] + (n[1] - 1) * var[1]) / (n.sum() - 2))
    d = (mean[0] - mean[1]) / sp
    se = np.sqrt(n.sum() / (n[0] * n[1]) + d * d / (2 * n.sum()))
    z = stats.norm.ppf(0.975)
    return float(d), float(d - z * se), float(d + z * se)


_QCRIT: dict[tuple[int, float], float] = {}


def qcrit(k: int, df: float) -> float:
    """95 % quantile of the studentized range for k means and df error df (cached)."""
    key = (int(k), float(df))
    if key not in _QCRIT:
        _QCRIT[key] = float(stats.studentized_range.ppf(0.95, k, df))
    return _QCRIT[key]


def pairs(n, mean, var, levels, *, method: str, msw: float = np.nan) -> list[dict]:
    """Tukey HSD (pooled variance, Tukey–Kramer) or Games–Howell pairwise comparisons.

    Differences are ``mean(group2) − mean(group1)`` with group1 before group2
    in level order, as R's ``TukeyHSD`` prints ``trt1-ctrl``.
    """
    k = len(n)
    out = []
    for i, j in itertools.combinations(range(k), 2):
        d = mean[j] - mean[i]
        if method == "tukey":
            se = np.sqrt(msw / 2 * (1 / n[i] + 1 / n[j]))
            df = n.sum() - k
        else:
            vi, vj = var[i] / n[i], var[j] / n[j]
            se = np.sqrt((vi + vj) / 2)
            df = (vi + vj) ** 2 / (vi**2 / (n[i] - 1) + vj**2 / (n[j] - 1))
        q = abs(d) / se
        dq = df if df <= _DF_INF else np.inf
        p = float(stats.studentized_range.sf(q, k, dq))
        h = qcrit(k, dq) * se
        out.append({"group1": levels[i], "group2": levels[j], "n1": n[i], "n2": n[j],
                    "mean1": mean[i], "mean2": mean[j], "test": method, "estimate": float(d),
                    "statistic": float(d / (se * np.sqrt(2))), "df1": float(df), "df2": np.nan,
                    "p": min(p, 1.0), "ci_low": float(d - h), "ci_high": float(d + h)})
    return out
