"""Questionnaire scoring: scale means, choice shares, group-level aggregation.

A *questionnaire spec* is a mapping (or the output of
:func:`grouplab.specs.load_questionnaire`) with ``range`` [min, max] of the
Likert answers, ``scales`` {name: {items, reverse}} and optional ``choices``
{id: {options, multiple}}. Reliability and validity statistics of the same
scales live in :mod:`grouplab.reliability`.

Responses are one row per respondent (wide): item columns named by the spec,
plus the survey table's key and link columns (``respondent_id``, ``wave``,
``unit_id``, ``group_id``), which are carried through to the outputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .codebook import codebook
from .errors import DataError, Problem
from .specs import load_questionnaire

__all__ = ["score_scales", "choice_shares", "aggregation", "wilson_interval"]

_Z95 = float(stats.norm.ppf(0.975))


# --------------------------------------------------------------------------- helpers
def _spec(spec: Mapping[str, Any]) -> dict:
    """Validated questionnaire spec (idempotent on an already loaded spec)."""
    return load_questionnaire(spec)


def _id_columns(responses: pd.DataFrame) -> list[str]:
    """Survey key and link columns (from the codebook) present in ``responses``."""
    table = codebook()["survey"]
    ids = list(table.key) + [c for c, s in table.columns.items() if s.references]
    return [c for c in dict.fromkeys(ids) if c in responses.columns]


def _matrix(responses: pd.DataFrame, items: Sequence[str], *, what: str) -> np.ndarray:
    """Item columns as a float matrix (NaN for missing); DataError for absent columns."""
    missing = [i for i in items if i not in responses.columns]
    if missing:
        raise DataError([Problem("<responses>", None, i, f"{what} column missing from the responses",
                                 None, "Rename the column or fix the questionnaire spec.")
                         for i in missing])
    try:
        return responses.loc[:, list(items)].to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        bad = [i for i in items if pd.to_numeric(responses[i], errors="coerce").isna().sum()
               > responses[i].isna().sum()]
        raise DataError([Problem("<responses>", None, i, "answers must be numbers", None,
                                 "Load the survey with grouplab.load_dataset / read_wjx, "
                                 "which converts answer codes.") for i in bad]) from None


def _keyed(responses: pd.DataFrame, spec: dict) -> tuple[np.ndarray, list[str], dict[str, np.ndarray]]:
    """All scale items, reverse keyed (lo + hi - x), with column positions per scale.

    Returns
    -------
    X : ndarray (n_respondents, n_items)
    items : list of item ids, in spec order
    cols : {scale: int array of column positions in X}
    """
    lo, hi = spec["range"]
    items: list[str] = []
    cols: dict[str, np.ndarray] = {}
    rev: list[bool] = []
    for name, s in (spec.get("scales") or {}).items():
        its = [str(i) for i in s["items"]]
        reverse = {str(r) for r in s.get("reverse") or []}
        cols[name] = np.arange(len(items), len(items) + len(its))
        items.extend(its)
        rev.extend(i in reverse for i in its)
    X = _matrix(responses, items, what="scale item")
    out = (X < lo) | (X > hi)
    if out.any():
        rows, cs = np.nonzero(out)
        raise DataError([Problem("<responses>", int(r), items[c],
                                 f"answer outside the scale range {lo:g}–{hi:g}", X[r, c],
                                 "Recode special codes (e.g. -2 skipped, -3 not applicable) "
                                 "to missing.") for r, c in zip(rows[:50], cs[:50])])
    flip = np.asarray(rev, dtype=bool)
    if flip.any():
        if not X.flags.writeable:
            X = X.copy()
        X[:, flip] = lo + hi - X[:, flip]
    return X, items, cols


def wilson_interval(count, n, *, z: float = _Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion, vectorised.

    Parameters
    ----------
    count, n : array_like
        Successes and trials; NaN bounds where ``n == 0``.
    z : float, default 1.96
        Normal quantile (95 %).

    Returns
    -------
    (low, high) : tuple of ndarray

    Notes
    -----
    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)`` (Wilson 1927;
    Newcombe 1998, method 3).

    Examples
    --------
    >>> lo, hi = wilson_interval(81, 263)
    >>> print(f"{float(lo):.4f} {float(hi):.4f}")
    0.2553 0.3662
    """
    count = np.asarray(count, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = count / n
        z2 = z * z
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


# --------------------------------------------------------------------------- scores
def score_scales(responses: pd.DataFrame, spec: Mapping[str, Any], *,
                 min_answered: float = 0.5) -> pd.DataFrame:
    """Per-respondent scale means after reverse keying.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent with the spec's item columns (numbers within
        ``range``; NaN for unanswered). Not modified.
    spec : mapping
        Questionnaire spec: ``range`` [lo, hi] and ``scales`` {name: {items, reverse}}.
    min_answered : float, default 0.5
        Minimum share of a scale's items a respondent must have answered for
        the scale mean to be computed (0.5 = at least half; 1 = all items).

    Returns
    -------
    DataFrame
        Same index as ``responses``:

        - the survey key/link columns present (``respondent_id``, ``wave``,
          ``unit_id``, ``group_id``), copied;
        - one float column per scale, named by the scale: the mean of the
          answered items after reverse keying, NaN when fewer than
          ``min_answered`` of its items were answered.

    Raises
    ------
    DataError
        An item column is missing, not numeric, or holds a value outside ``range``.

    Notes
    -----
    A reverse-keyed answer *x* is scored ``lo + hi - x`` (on 1–5: 5 ↔ 1).
    Scale mean = Σ answered keyed items / number answered, required
    ``answered / n_items >= min_answered``.

    Examples
    --------
    >>> spec = {"range": [1, 5], "scales": {"A": {"items": ["A1", "A2"], "reverse": ["A2"]}}}
    >>> df = pd.DataFrame({"respondent_id": ["r1", "r2", "r3"],
    ...                    "A1": [5, 4, None], "A2": [1, None, None]})
    >>> score_scales(df, spec)
      respondent_id    A
    0            r1  5.0
    1            r2  4.0
    2            r3  NaN
    """
    spec = _spec(spec)
    if not 0.0 <= float(min_answered) <= 1.0:
        raise DataError(f"min_answered must be a share between 0 and 1, got {min_answered!r}",
                        hint="Use e.g. 0.5 for at least half of the items.")
    X, _, cols = _keyed(responses, spec)
    answered = ~np.isnan(X)
    X0 = np.where(answered, X, 0.0)
    out = responses.loc[:, _id_columns(responses)].copy()
    for name, c in cols.items():
        cnt = answered[:, c].sum(axis=1)
        tot = X0[:, c].sum(axis=1)
        ok = (cnt > 0) & (cnt >= min_answered * len(c) - 1e-12)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[name] = np.where(ok, tot / cnt, np.nan)
    return out


# --------------------------------------------------------------------------- choices
def _choice_columns(responses: pd.DataFrame, item: str, choice: Mapping | None) -> list[str] | None:
    """Option columns ``item_1 .. item_k`` of a multiple-response item, else None."""
    if choice is not None and choice.get("multiple"):
        opts = list((choice.get("options") or {}).keys())
        if opts:
            return [f"{item}_{o}" for o in opts]
    if item in responses.columns:
        return None
    prefix = f"{item}_"
    cols = [c for c in responses.columns if str(c).startswith(prefix) and str(c)[len(prefix):].isdigit()]
    if not cols:
        raise DataError([Problem("<responses>", None, item, "choice item not found: neither a column "
                                 "nor option columns item_1..item_k", None,
                                 "Check the item id against the questionnaire.")])
    return sorted(cols, key=lambda c: int(str(c)[len(prefix):]))


def choice_shares(responses: pd.DataFrame, item: str, *, by: str | Sequence[str] | None = None,
                  spec: Mapping[str, Any] | None = None, k: int = 5,
                  base: str = "respondents") -> pd.DataFrame:
    """Counts and shares of a choice item's options with Wilson 95 % intervals.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent. A single-choice item is one column holding the
        option code; a multiple-response item is 0/1 option columns
        ``item_1 .. item_k`` (as 问卷星 exports them).
    item : str
        Item id (``C1``; ``Q6`` for columns ``Q6_1 .. Q6_k``).
    by : str or list of str, optional
        Columns to break the shares down by (e.g. ``"unit_id"``).
    spec : mapping, optional
        Questionnaire spec; its ``choices[item]["options"]`` fixes the option
        list (so options nobody chose appear with count 0) and
        ``multiple: true`` marks a multiple-response item.
    k : int, default 5
        Cells with fewer than ``k`` cases are flagged in ``suppress``.
    base : {"respondents", "responses"}, default "respondents"
        Denominator of a multiple-response share: respondents who answered
        the question, or all options ticked (shares then sum to 1). Ignored
        for a single-choice item (one response per respondent).

    Returns
    -------
    DataFrame
        One row per (``by`` cell, option), sorted by cell and option:

        - ``by`` columns, if given;
        - ``item``: the item id;
        - ``option``: option code (int for 问卷星 codes, else as in the data);
        - ``count``: respondents choosing the option;
        - ``n``: the denominator of the share in that cell;
        - ``denominator``: ``"respondents"`` or ``"responses"``, what ``n`` counts;
        - ``share``: ``count / n``;
        - ``ci_low``, ``ci_high``: Wilson 95 % interval of ``share``;
        - ``suppress``: True when ``n < k`` or ``0 < count < k`` (small-cell rule:
          report, not hide, is decided in :mod:`grouplab.report`).

    Raises
    ------
    DataError
        The item (or its option columns), or a ``by`` column, is missing.

    Notes
    -----
    Unanswered (NaN) responses are excluded from ``n``. For a multiple-response
    item a respondent counts as answering when at least one option column is
    non-missing. With ``base="responses"`` the Wilson interval treats responses
    as independent trials, which they are not within a respondent; prefer
    ``"respondents"`` for inference.

    Examples
    --------
    >>> df = pd.DataFrame({"C1": [1, 1, 2, None, 1, 3]})
    >>> t = choice_shares(df, "C1", spec={"choices": {"C1": {"options": {1: "a", 2: "b", 3: "c", 4: "d"}}}})
    >>> t[["option", "count", "n", "share", "suppress"]]
       option  count  n  share  suppress
    0       1      3  5    0.6      True
    1       2      1  5    0.2      True
    2       3      1  5    0.2      True
    3       4      0  5    0.0     False
    """
    if base not in ("respondents", "responses"):
        raise DataError(f"base must be 'respondents' or 'responses', got {base!r}")
    by_cols = [by] if isinstance(by, str) else list(by or [])
    absent = [c for c in by_cols if c not in responses.columns]
    if absent:
        raise DataError([Problem("<responses>", None, c, "breakdown column missing", None)
                         for c in absent])
    choice = ((spec or {}).get("choices") or {}).get(item)
    opt_cols = _choice_columns(responses, item, choice)
    keys = responses.loc[:, by_cols].reset_index(drop=True) if by_cols else None
    cell_id = (keys.groupby(by_cols, sort=True, dropna=False).ngroup().to_numpy()
               if by_cols else np.zeros(len(responses), dtype=np.int64))
    n_cells = int(cell_id.max()) + 1 if len(cell_id) else 0
    if opt_cols is None:                                   # single choice
        codes = pd.to_numeric(responses[item], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        answered = ~np.isnan(codes)
        if choice and choice.get("options"):
            options = np.array(sorted(float(o) for o in choice["options"]))
        else:
            options = np.unique(codes[answered])
        pos = np.searchsorted(options, codes[answered])
        pos = np.where(pos < len(options), pos, 0)
        known = options[pos] == codes[answered] if len(options) else np.zeros(0, bool)
        counts = np.zeros((n_cells, len(options)))
        np.add.at(counts, (cell_id[answered][known], pos[known]), 1.0)
        n = np.bincount(cell_id[answered], minlength=n_cells).astype(float)[:, None]
        n = np.broadcast_to(n, counts.shape)
        denom = "respondents"
        labels = options
    else:                                                  # multiple response
        M = _matrix(responses, opt_cols, what="option")
        ticked = np.nan_to_num(M, nan=0.0) > 0
        answered = ~np.isnan(M).all(axis=1)
        counts = np.zeros((n_cells, len(opt_cols)))
        np.add.at(counts, cell_id[answered], ticked[answered].astype(float))
        if base == "respondents":
            n = np.bincount(cell_id[answered], minlength=n_cells).astype(float)[:, None]
        else:
            n = counts.sum(axis=1, keepdims=True)
        n = np.broadcast_to(n, counts.shape)
        denom = base
        labels = np.array([int(str(c)[len(item) + 1:]) for c in opt_cols], dtype=float)
    lo, hi = wilson_interval(counts, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, counts / n, np.nan)
    n_opt = len(labels)
    out = pd.DataFrame({
        "item": item,
        "option": np.tile(labels, n_cells),
        "count": counts.ravel().astype(np.int64),
        "n": n.ravel().astype(np.int64),
        "denominator": denom,
        "share": share.ravel(),
        "ci_low": lo.ravel(),
        "ci_high": hi.ravel(),
    })
    out["suppress"] = (out["n"] < k) | ((out["count"] > 0) & (out["count"] < k))
    if np.all(np.mod(labels, 1) == 0):
        out["option"] = out["option"].astype(np.int64)
    if by_cols:
        first = pd.DataFrame({"_cell": cell_id}).drop_duplicates("_cell").index.to_numpy()
        order = np.argsort(cell_id[first], kind="stable")
        cells = keys.iloc[first[order]].reset_index(drop=True)
        cells = cells.loc[cells.index.repeat(n_opt)].reset_index(drop=True)
        out = pd.concat([cells, out], axis=1)
    return out


# --------------------------------------------------------------------------- aggregation
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
    spec = _spec(spec)
    if group not in responses.columns:
        raise DataError([Problem("<responses>", None, group, "grouping column missing", None)])
    scores = score_scales(responses, spec, min_answered=min_answered)
    X, _, cols = _keyed(responses, spec)
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
            icc1 = (msb - msw) / (msb + (kbar - 1) * msw)
            icc2 = (msb - msw) / msb if msb > 0 else np.nan
            f = msb / msw if msw > 0 else np.inf
            p = float(stats.f.sf(f, J - 1, N - J))
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
