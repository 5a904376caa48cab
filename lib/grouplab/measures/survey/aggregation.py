"""Taking members' answers up to group level: ICC(1), ICC(2) and rwg(j)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from grouplab.data.problems import problem
from grouplab.errors import DataError
from grouplab.measures.survey.scales import as_spec, keyed_items, score_scales

__all__ = ["aggregation"]


def aggregation(responses: pd.DataFrame, spec: Mapping[str, Any], *, group: str = "group_id",
                min_answered: float = 0.5) -> pd.DataFrame:
    """ICC(1), ICC(2) and rwg(j): may members' answers be taken up to group level?

    Parameters
    ----------
    responses : DataFrame
        One row per respondent with the scale items and the ``group`` column.
    spec : mapping
        Questionnaire spec (``range`` gives the number of response options A).
    group : str, default "group_id"
        Grouping column. Rows with a missing group are ignored.
    min_answered : float, default 0.5
        Passed to :func:`score_scales` for the scale scores used by the ICCs.

    Returns
    -------
    DataFrame
        One row per scale:

        - ``scale``: scale name;
        - ``icc1``: ICC(1), share of score variance between groups;
        - ``icc2``: ICC(2), reliability of the group means;
        - ``rwg_j``: mean over groups of rwg(j) (within-group agreement);
        - ``rwg_j_median``: median over groups of rwg(j);
        - ``n_groups``: groups with at least 2 scored members;
        - ``n``: respondents with a scale score in those groups;
        - ``f``, ``p``: one-way ANOVA F test of group differences.

    Raises
    ------
    DataError
        As :func:`score_scales`; or the ``group`` column is missing.

    Notes
    -----
    One-way ANOVA of the scale score on groups (Bliese 2000), with mean
    group size k̄ = N / J as in R ``multilevel::ICC1``:
    ICC(1) = (MSB − MSW) / (MSB + (k̄ − 1)·MSW), ICC(2) = (MSB − MSW) / MSB.
    rwg(j) (James, Demaree & Wolf 1984) for a group with J items and mean
    within-group item variance s̄² (sample variances, reverse-keyed items,
    available answers): ``J(1 − s̄²/σ²) / (J(1 − s̄²/σ²) + s̄²/σ²)`` with the
    uniform null variance σ² = (A² − 1)/12, A = hi − lo + 1 options. Groups
    with s̄² > σ² are set to 0 (LeBreton & Senter 2008); groups with fewer
    than 2 members are left out.

    References
    ----------
    Bliese, P. D. (2000). Within-group agreement, non-independence, and
    reliability. In Klein & Kozlowski (Eds.), *Multilevel theory, research,
    and methods in organizations* (pp. 349–381). Jossey-Bass.
    James, L. R., Demaree, R. G., & Wolf, G. (1984). Estimating within-group
    interrater reliability with and without response bias. *J Appl Psychol*, 69, 85–98.

    Examples
    --------
    >>> spec = {"range": [1, 5], "scales": {"A": {"items": ["A1", "A2"]}}}
    >>> df = pd.DataFrame({"group_id": list("aaabbb"),
    ...                    "A1": [4, 5, 4, 2, 1, 2], "A2": [3, 4, 5, 1, 2, 2]})
    >>> aggregation(df, spec).round(3)[["scale", "icc1", "icc2", "rwg_j", "n_groups"]]
      scale   icc1   icc2  rwg_j  n_groups
    0     A  0.936  0.978  0.855         2
    """
    spec = as_spec(spec)
    if group not in responses.columns:
        raise DataError([problem("grouping_column_missing", "<responses>", None, group)])
    scores = score_scales(responses, spec, min_answered=min_answered)
    X, _, cols = keyed_items(responses, spec)
    lo, hi = spec["range"]
    a = hi - lo + 1
    sigma_eu = (a * a - 1) / 12.0
    gcode, _ = pd.factorize(responses[group], use_na_sentinel=True)
    has_g = gcode >= 0
    ng = int(gcode.max()) + 1 if has_g.any() else 0
    rows = []
    for name, c in cols.items():
        y = scores[name].to_numpy(dtype=float)
        ok = has_g & ~np.isnan(y)
        g, yy = gcode[ok], y[ok]
        cnt = np.bincount(g, minlength=ng).astype(float)
        keep_g = cnt >= 2
        sel = keep_g[g]
        g, yy = g[sel], yy[sel]
        cnt_k = cnt[keep_g]
        J, N = int(keep_g.sum()), len(yy)
        icc1 = icc2 = f = p = np.nan
        if J >= 2 and N > J:
            s = np.bincount(g, weights=yy, minlength=ng)[keep_g]
            gm = s / cnt_k
            ss_b = float((cnt_k * (gm - yy.mean()) ** 2).sum())
            ss_w = float(((yy - (np.bincount(g, weights=yy, minlength=ng)
                                 / np.maximum(cnt, 1))[g]) ** 2).sum())
            msb, msw = ss_b / (J - 1), ss_w / (N - J)
            kbar = N / J
            # everyone answering alike (ceiling answers) leaves no variance at all:
            # ICC and F are undefined (0/0), not an error
            denom = msb + (kbar - 1) * msw
            icc1 = (msb - msw) / denom if denom > 0 else np.nan
            icc2 = (msb - msw) / msb if msb > 0 else np.nan
            f = msb / msw if msw > 0 else (np.inf if msb > 0 else np.nan)
            p = float(stats.f.sf(f, J - 1, N - J)) if not np.isnan(f) else np.nan
        rwg = _rwg_j(X[:, c], gcode, ng, sigma_eu)
        rows.append({"scale": name, "icc1": icc1, "icc2": icc2,
                     "rwg_j": float(np.nanmean(rwg)) if np.isfinite(rwg).any() else np.nan,
                     "rwg_j_median": float(np.nanmedian(rwg)) if np.isfinite(rwg).any() else np.nan,
                     "n_groups": J, "n": N, "f": f, "p": p})
    return pd.DataFrame(rows, columns=["scale", "icc1", "icc2", "rwg_j", "rwg_j_median",
                                       "n_groups", "n", "f", "p"])


def _rwg_j(X: np.ndarray, gcode: np.ndarray, ng: int, sigma_eu: float) -> np.ndarray:
    """rwg(j) per group (NaN for groups with < 2 answers on every item)."""
    ok = ~np.isnan(X) & (gcode >= 0)[:, None]
    X0 = np.where(ok, X, 0.0)
    g = np.where(gcode >= 0, gcode, 0)
    J = X.shape[1]
    n = np.zeros((ng, J))
    s1 = np.zeros((ng, J))
    s2 = np.zeros((ng, J))
    for j in range(J):                       # loop over items (a handful), not respondents
        n[:, j] = np.bincount(g, weights=ok[:, j], minlength=ng)
        s1[:, j] = np.bincount(g, weights=X0[:, j], minlength=ng)
        s2[:, j] = np.bincount(g, weights=X0[:, j] ** 2, minlength=ng)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.where(n >= 2, (s2 - s1 * s1 / n) / (n - 1), np.nan)
    valid = np.isfinite(var).any(axis=1)
    var_m = np.full(ng, np.nan)
    var_m[valid] = np.nanmean(var[valid], axis=1)
    r = var_m / sigma_eu
    with np.errstate(invalid="ignore", divide="ignore"):
        rwg = J * (1 - r) / (J * (1 - r) + r)
    return np.where(r > 1, 0.0, rwg)
