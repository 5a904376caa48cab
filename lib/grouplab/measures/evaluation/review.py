"""Reviews built on evaluation scores: rectification list, leader review, annual review.

Every function takes the output of :func:`grouplab.measures.evaluation.score` (at least
``group_id``, ``period`` such as ``2019H1``, and ``total``) and grades totals
with :func:`grouplab.measures.evaluation.grade`, so the bands and their half-open reading
are those of :mod:`grouplab.measures.evaluation.scoring`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.periods import year_half
from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError, require_columns
from grouplab.measures.evaluation.scoring import DECIMALS, grade, grade_bands

__all__ = [
    "annual_review",
    "rectification",
    "leader_review",
]

_KEY = ["group_id", "period"]


# --------------------------------------------------------------------------- helpers
# --------------------------------------------------------------------------- annual
def _halves(scored: pd.DataFrame) -> pd.DataFrame:
    """Per (group_id, year): h1, h2 totals and their mean over available halves."""
    require_columns(scored, ["group_id", "period", "total"], "scored")
    if scored.duplicated(_KEY).any():
        raise DataError([problem("repeated_scored_rows", "scored")])
    year, half = year_half(scored["period"], "scored")
    df = pd.DataFrame({"group_id": scored["group_id"].to_numpy(), "year": year, "half": half,
                       "total": pd.to_numeric(scored["total"], errors="coerce").to_numpy()})
    wide = df.pivot(index=["group_id", "year"], columns="half", values="total")
    wide = wide.reindex(columns=[1, 2])
    wide.columns = ["h1", "h2"]
    wide = wide.reset_index()
    wide["n_periods"] = wide[["h1", "h2"]].notna().sum(axis=1).astype(np.int64)
    wide["mean"] = wide[["h1", "h2"]].mean(axis=1)
    return wide


def _threshold_code(threshold: str, b: list[dict]) -> int:
    codes = [x["grade"] for x in reversed(b)]
    if threshold not in codes:
        raise ParameterError(f"threshold {threshold!r} is not a grade; use one of {codes}")
    return codes.index(threshold)


def rectification(scored: pd.DataFrame, *, threshold: str = "basic_pass",
                  bands: Sequence[Mapping[str, Any]] | None = None) -> pd.DataFrame:
    """Rectification list: group half-years graded at ``threshold`` or below.

    Parameters
    ----------
    scored : pandas.DataFrame
        Output of :func:`score` (needs ``group_id``, ``period``, ``total``).
    threshold : str
        Highest grade that still needs rectification (default ``basic_pass``,
        i.e. 基本合格 and 不合格).
    bands : sequence of mapping, optional
        Grade bands (default :data:`DEFAULT_BANDS`); the grade is recomputed
        from ``total``.

    Returns
    -------
    pandas.DataFrame
        One row per listed (group_id, period), sorted by both: ``group_id``,
        ``period``, ``year`` (int), ``total``, ``grade`` (ordered categorical).

    Examples
    --------
    >>> s = pd.DataFrame({"group_id": ["G1", "G1", "G2"], "period": ["2019H1", "2019H2", "2019H1"],
    ...                   "total": [79.5, 80.0, 59.9]})
    >>> rectification(s)
      group_id  period  year  total       grade
    0       G1  2019H1  2019   79.5  basic_pass
    1       G2  2019H1  2019   59.9        fail
    """
    require_columns(scored, ["group_id", "period", "total"], "scored")
    b = grade_bands(bands)
    cut = _threshold_code(threshold, b)
    year, _ = year_half(scored["period"], "scored")
    g = grade(pd.to_numeric(scored["total"], errors="coerce").reset_index(drop=True), bands=b)
    out = pd.DataFrame({"group_id": scored["group_id"].to_numpy(),
                        "period": scored["period"].to_numpy(), "year": year.astype(np.int64),
                        "total": pd.to_numeric(scored["total"], errors="coerce").to_numpy(),
                        "grade": g.to_numpy()})
    codes = g.cat.codes.to_numpy()
    out = out[(codes >= 0) & (codes <= cut)]
    return out.sort_values(_KEY, kind="stable", ignore_index=True)


def leader_review(scored: pd.DataFrame, *, threshold: str = "basic_pass",
                  bands: Sequence[Mapping[str, Any]] | None = None) -> pd.DataFrame:
    """Yearly grades and the two-consecutive-years leader-review rule.

    Parameters
    ----------
    scored, bands
        As in :func:`rectification`.
    threshold : str
        Yearly grade at or below which a year counts as low (default
        ``basic_pass``: 基本合格 or 不合格).

    Returns
    -------
    pandas.DataFrame
        One row per (group_id, year) with at least one evaluation, sorted:

        - ``group_id``, ``year`` (int).
        - ``n_periods`` — half-years evaluated that year (1 or 2).
        - ``mean`` — mean total of the year's evaluated half-years.
        - ``grade`` — the *yearly grade*: :func:`grade` of ``mean``.
        - ``low`` — yearly grade at or below ``threshold``.
        - ``review`` — ``low`` this year and in the previous calendar year
          (two consecutive years; a year without evaluations breaks the run).
          The flag is raised in the second year.

    Notes
    -----
    The yearly grade is the grade of the yearly mean, not the worse of the two
    half-year grades: 2019H1 = 78, 2019H2 = 84 gives mean 81 → 合格 (not low).
    A year with a single evaluated half-year is graded on that half-year;
    filter on ``n_periods == 2`` to require complete years.

    Examples
    --------
    >>> s = pd.DataFrame({"group_id": ["G1"] * 4,
    ...                   "period": ["2018H1", "2018H2", "2019H1", "2019H2"],
    ...                   "total": [70.0, 75.0, 78.0, 79.5]})
    >>> leader_review(s)[["year", "mean", "grade", "low", "review"]]
       year   mean       grade   low  review
    0  2018  72.50  basic_pass  True   False
    1  2019  78.75  basic_pass  True    True
    """
    b = grade_bands(bands)
    cut = _threshold_code(threshold, b)
    w = _halves(scored)
    g = grade(w["mean"], bands=b)
    codes = g.cat.codes.to_numpy()
    low = (codes >= 0) & (codes <= cut)
    w = w.sort_values(["group_id", "year"], kind="stable")
    low = low[w.index.to_numpy()]
    gid = w["group_id"].to_numpy()
    yr = w["year"].to_numpy()
    prev_same = np.r_[False, (gid[1:] == gid[:-1]) & (yr[1:] == yr[:-1] + 1)]
    prev_low = np.r_[False, low[:-1]]
    out = pd.DataFrame({"group_id": gid, "year": yr.astype(np.int64),
                        "n_periods": w["n_periods"].to_numpy(),
                        "mean": w["mean"].to_numpy(), "grade": g.to_numpy()[w.index.to_numpy()],
                        "low": low, "review": low & prev_same & prev_low})
    return out.reset_index(drop=True)


def annual_review(scored: pd.DataFrame, groups: pd.DataFrame, *,
                  bands: Sequence[Mapping[str, Any]] | None = None,
                  threshold: str = "basic_pass") -> pd.DataFrame:
    """Annual review per unit and year: the advanced group and list sizes.

    Parameters
    ----------
    scored, bands
        As in :func:`rectification`.
    groups : pandas.DataFrame
        Groups table with ``group_id`` and ``unit_id``.
    threshold : str
        Grade at or below which a group is listed (default ``basic_pass``).

    Returns
    -------
    pandas.DataFrame
        One row per (unit_id, year) in which any of its groups was evaluated,
        sorted by both:

        - ``unit_id``, ``year`` (int).
        - ``n_groups`` — groups evaluated in at least one half-year.
        - ``n_complete`` — groups evaluated in both half-years.
        - ``advanced_group`` — the 年度先进党小组: highest mean of the year's
          two totals among complete groups; missing if no group is complete.
        - ``advanced_mean`` — its mean total.
        - ``tied`` — True if the tie rule had to decide.
        - ``n_rectification`` — groups with a half-year at or below
          ``threshold`` that year (the list: :func:`rectification`).
        - ``n_leader_review`` — groups whose ``review`` flag is raised that
          year (the list: :func:`leader_review`).

    Raises
    ------
    DataError
        Missing columns or a scored group not in ``groups``.

    Notes
    -----
    Tie rule: equal means (after rounding to 9 decimals) are decided by the
    higher second-half (H2) total — the more recent performance — then by
    the smaller ``group_id``. A group with only one evaluated half-year
    cannot be the advanced group.

    Examples
    --------
    >>> s = pd.DataFrame({"group_id": ["G1", "G1", "G2", "G2", "G3"],
    ...                   "period": ["2019H1", "2019H2"] * 2 + ["2019H1"],
    ...                   "total": [90.0, 92.0, 92.0, 90.0, 99.0]})
    >>> g = pd.DataFrame({"group_id": ["G1", "G2", "G3"], "unit_id": ["U1"] * 3})
    >>> annual_review(s, g)[["unit_id", "year", "advanced_group", "advanced_mean", "tied"]]
      unit_id  year advanced_group  advanced_mean  tied
    0      U1  2019             G1           91.0  True
    """
    require_columns(groups, ["group_id", "unit_id"], "groups")
    w = _halves(scored)
    unit = pd.Series(groups["unit_id"].to_numpy(), index=groups["group_id"].astype(object))
    if unit.index.duplicated().any():
        raise DataError([problem("repeated_group_id", "groups")])
    w["unit_id"] = unit.reindex(w["group_id"].astype(object)).to_numpy()
    if w["unit_id"].isna().any():
        bad = w.loc[w["unit_id"].isna(), "group_id"].unique()[:10].tolist()
        raise DataError([problem("groups_missing_scored", "groups", bad=bad)])
    keys = ["unit_id", "year"]
    base = (w.assign(_c=(w["n_periods"] == 2).astype(np.int64)).groupby(keys, sort=True)
            .agg(n_groups=("group_id", "size"), n_complete=("_c", "sum")).reset_index())
    comp = w[w["n_periods"] == 2].copy()
    comp["_m"] = comp["mean"].round(DECIMALS)
    comp["_h2"] = comp["h2"].round(DECIMALS)
    comp = comp.sort_values(keys + ["_m", "_h2", "group_id"],
                            ascending=[True, True, False, False, True], kind="stable")
    top = comp.drop_duplicates(keys, keep="first")
    n_best = (comp.merge(top[keys + ["_m"]], on=keys + ["_m"]).groupby(keys).size()
              .rename("_n_best").reset_index())
    top = top.merge(n_best, on=keys)
    best = top[keys + ["group_id", "mean", "_n_best"]].rename(
        columns={"group_id": "advanced_group", "mean": "advanced_mean"})
    out = base.merge(best, on=keys, how="left")
    out["tied"] = out["_n_best"].fillna(0).to_numpy() > 1
    out = out.drop(columns="_n_best")

    rect = rectification(scored, threshold=threshold, bands=bands)
    rect["unit_id"] = unit.reindex(rect["group_id"].astype(object)).to_numpy()
    n_rect = rect.drop_duplicates(["group_id", "year"]).groupby(keys).size().rename(
        "n_rectification").reset_index()
    lr = leader_review(scored, threshold=threshold, bands=bands)
    lr = lr[lr["review"]]
    lr = lr.assign(unit_id=unit.reindex(lr["group_id"].astype(object)).to_numpy())
    n_lr = lr.groupby(keys).size().rename("n_leader_review").reset_index()
    for extra in (n_rect, n_lr):
        extra["year"] = extra["year"].astype(np.int64)
        out = out.merge(extra, on=keys, how="left")
    for c in ("n_rectification", "n_leader_review"):
        out[c] = out[c].fillna(0).astype(np.int64)
    out["year"] = out["year"].astype(np.int64)
    return out[["unit_id", "year", "n_groups", "n_complete", "advanced_group", "advanced_mean",
                "tied", "n_rectification", "n_leader_review"]]
