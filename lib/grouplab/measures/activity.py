"""Organisational life (组织生活) per group and month: meetings, quality, training, posts.

:func:`activity_panel` turns the activities log (and the demonstration-post
register) into a complete group × month panel; :func:`lag` shifts any of its
measures by calendar months within a group for lagged-predictor models.

Required frequencies are an organisation's own rules, so they are a setting
(:data:`DEFAULT_REQUIREMENTS`, passed as ``requirements=``), never built into
the logic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.codebook import codebook
from grouplab.errors import DataError, require_columns

__all__ = ["DEFAULT_REQUIREMENTS", "FIVE_SYSTEMS", "FLAGS", "activity_panel", "lag"]

#: Kind -> (count, months): at least ``count`` events of the kind in the
#: trailing window of ``months`` calendar months ending with (and including)
#: the month judged. Defaults follow the common rules of Party-group work
#: (三会一课 and the five systems); pass your organisation's own.
DEFAULT_REQUIREMENTS: Mapping[str, tuple[int, int]] = {
    "group_meeting": (1, 1),      # 党小组会 every month
    "theme_day": (1, 1),          # 主题党日 every month
    "work_report": (1, 1),        # 工作汇报 every month
    "party_lecture": (1, 3),      # 党课 every quarter
    "mass_contact": (1, 3),       # 联系群众 every quarter
    "inspection": (1, 3),         # 检查讲评 every quarter
    "demonstration_day": (1, 3),  # 党员示范日 every quarter
    "half_year_summary": (1, 6),  # 半年工作总结 every half-year
    "leader_training": (1, 12),   # 党小组长培训 every year
}

#: The five systems (五项制度) and the requirement kinds each needs.
FIVE_SYSTEMS: Mapping[str, tuple[str, ...]] = {
    "meeting": ("group_meeting",),
    "training": ("leader_training",),
    "report": ("work_report", "half_year_summary"),
    "mass_contact": ("mass_contact",),
    "inspection": ("inspection",),
}

#: The 三多三少 meeting-quality flags (True = the pattern was seen).
FLAGS = ("praise_over_criticism", "form_over_substance", "chat_over_solving")

_KINDS = tuple(codebook()["activities"].columns["kind"].allowed)
_TRAIN_MONTHS = 12


_need = require_columns  # one definition, in grouplab.errors


def _month_index(values: Any, what: str) -> np.ndarray:
    """Months since year 0 (year*12 + month-1) of dates/months/Periods; -1 if missing."""
    s = pd.Series(values) if not isinstance(values, pd.Series) else values
    if isinstance(s.dtype, pd.PeriodDtype):
        y, m = s.dt.year, s.dt.month
    else:
        try:
            d = pd.to_datetime(s)
        except (ValueError, TypeError) as err:
            raise DataError(f"{what}: not dates ({err})", file=what,
                            hint="Pass dates such as 2019-05-13 or months as 2019-05.") from None
        y, m = d.dt.year, d.dt.month
    out = (y.astype("Float64") * 12 + m.astype("Float64") - 1).to_numpy(dtype=float,
                                                                         na_value=np.nan)
    if np.isnan(out).any():
        raise DataError(f"{what}: {int(np.isnan(out).sum())} missing date(s)", file=what,
                        hint="Every row needs a date.")
    return out.astype(np.int64)


def _month_ts(index: np.ndarray) -> np.ndarray:
    """First-of-month datetime64[us] from month indexes."""
    y, m = np.divmod(index, 12)
    return (((y - 1970) * 12 + m).astype("datetime64[M]")).astype("datetime64[us]")


def _requirements(req: Mapping[str, Any] | None) -> dict[str, tuple[int, int]]:
    raw = DEFAULT_REQUIREMENTS if req is None else req
    out = {}
    for kind, r in raw.items():
        if kind not in _KINDS:
            raise DataError(f"requirements: unknown activity kind {kind!r}", file="requirements",
                            hint=f"Kinds: {', '.join(_KINDS)}.")
        if isinstance(r, Mapping):
            r = (r.get("count", 1), r.get("months", 1))
        elif isinstance(r, (int, np.integer)):
            r = (r, 1)
        count, months = (int(x) for x in r)
        if count < 1 or months < 1:
            raise DataError(f"requirements[{kind!r}]: count and months must be >= 1, got {r}",
                            file="requirements", hint="e.g. {'leader_training': (1, 12)}")
        out[kind] = (count, months)
    return out


def _rolling(cs: np.ndarray, t: np.ndarray, m: int) -> np.ndarray:
    """Trailing m-month sums from a zero-padded cumulative sum along axis 1."""
    hi = cs[:, t + 1]
    lo = cs[:, np.maximum(t + 1 - m, 0)]
    return hi - lo


def _bool(values: np.ndarray, na: np.ndarray) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(values.ravel().astype(bool), na.ravel().astype(bool))


def activity_panel(activities: pd.DataFrame, posts: pd.DataFrame | None = None, *,
                   groups: Any = None, months: Any = None,
                   requirements: Mapping[str, Any] | None = None,
                   systems: Mapping[str, Sequence[str]] | None = None,
                   log_start: Any = None) -> pd.DataFrame:
    """Organisational-life measures per group and calendar month.

    Parameters
    ----------
    activities : pandas.DataFrame
        The activities log: ``group_id``, ``date``, ``kind``; optionally
        ``attendees``, ``expected``, ``duration_h`` and the 三多三少 flags
        (``praise_over_criticism``, ``form_over_substance``,
        ``chat_over_solving``).
    posts : pandas.DataFrame, optional
        Demonstration posts (``group_id``, ``start``, ``end``; ``end`` missing
        = still active). Without it ``posts_active`` is missing.
    groups : DataFrame with ``group_id``, or list of ids, optional
        Groups of the panel (default: every group in ``activities`` or
        ``posts``). Groups without any record still get their rows.
    months : (start, end), optional
        First and last month of the panel, inclusive (e.g. ``("2019-01",
        "2019-12")``). Default: the months spanned by ``activities``.
    requirements : mapping, optional
        Kind -> ``(count, months)``: at least ``count`` events in the trailing
        ``months`` calendar months (this month included). An int means
        ``(count, 1)``. Default :data:`DEFAULT_REQUIREMENTS`.
    systems : mapping, optional
        System name -> kinds whose requirements must all be met. Default
        :data:`FIVE_SYSTEMS`; every kind named must be in ``requirements``.
    log_start : date-like, optional
        First month the log covers (default: first month in ``activities``).
        Trailing windows reaching before it are unknown, so the measures that
        need them are missing rather than falsely non-compliant.

    Returns
    -------
    pandas.DataFrame
        One row per (group_id, month) of the complete grid, sorted by both:

        - ``group_id``; ``month`` (datetime64, first of the month).
        - ``n_<kind>`` — events of each codebook kind in the month (int;
          ``n_group_meeting`` = meetings held, ``n_theme_day`` = theme days).
        - ``attendance_rate`` — Σ attendees / Σ expected over the month's group
          meetings with both known; missing without such meetings.
        - ``meeting_quality`` — 三多三少 index: share of the month's rated group
          meetings showing none of the three patterns (a meeting is rated when
          a flag is True or all three are known); missing without rated meetings.
        - ``training_hours`` — leader-training hours in the month;
          ``training_hours_12m`` — in the trailing 12 months.
        - ``trained_12m`` — a leader training in the trailing 12 months (this
          month included; ``lag(..., 1)`` gives "in the previous 12 months").
        - ``ok_<kind>`` — requirement met, one per ``requirements`` entry
          (nullable boolean; missing when the window reaches before ``log_start``).
        - ``five_systems`` — number of ``systems`` met (nullable int).
        - ``five_systems_ok`` — all of them met (nullable boolean).
        - ``posts_active`` — demonstration posts active on any day of the month.
        - ``demo_days_qtd`` — demonstration days held in the calendar quarter
          so far (this month included); no look-ahead.

    Raises
    ------
    DataError
        Missing columns, unknown kinds, missing dates, bad requirements.

    Notes
    -----
    Every measure uses only the month itself and earlier months, so the
    panel can feed lagged models without leaking the future.

    Examples
    --------
    >>> act = pd.DataFrame({"group_id": ["G1", "G1", "G2"],
    ...                     "date": pd.to_datetime(["2019-01-10", "2019-03-05", "2019-01-20"]),
    ...                     "kind": ["group_meeting"] * 3, "attendees": [8, 9, 5],
    ...                     "expected": [10, 10, 5], "praise_over_criticism": [True, False, False],
    ...                     "form_over_substance": [False, False, False],
    ...                     "chat_over_solving": [False, False, False]})
    >>> p = activity_panel(act)
    >>> print(p[["group_id", "month", "n_group_meeting", "attendance_rate", "meeting_quality",
    ...          "ok_group_meeting"]].to_string())
      group_id      month  n_group_meeting  attendance_rate  meeting_quality  ok_group_meeting
    0       G1 2019-01-01                1              0.8              0.0              True
    1       G1 2019-02-01                0              NaN              NaN             False
    2       G1 2019-03-01                1              0.9              1.0              True
    3       G2 2019-01-01                1              1.0              1.0              True
    4       G2 2019-02-01                0              NaN              NaN             False
    5       G2 2019-03-01                0              NaN              NaN             False
    """
    _need(activities, ["group_id", "date", "kind"], "activities")
    if posts is not None:
        _need(posts, ["group_id", "start", "end"], "posts")
    req = _requirements(requirements)
    sysm = dict(FIVE_SYSTEMS if systems is None else systems)
    for name, kinds in sysm.items():
        miss = [k for k in kinds if k not in req]
        if miss:
            raise DataError(f"system {name!r} needs requirement(s) for {miss}",
                            file="requirements", hint="Add them to requirements= or systems=.")

    kind = activities["kind"].astype("object")
    k_idx = pd.Index(_KINDS).get_indexer(kind)
    if (k_idx < 0).any():
        bad = pd.unique(kind[k_idx < 0])[:10].tolist()
        raise DataError(f"unknown activity kind(s) {bad}", file="activities",
                        hint=f"Kinds: {', '.join(_KINDS)} (or their zh labels via read_table).")
    mi = _month_index(activities["date"], "activities")

    # groups and months of the grid
    if groups is None:
        ids = [activities["group_id"]] + ([posts["group_id"]] if posts is not None else [])
        gids = pd.Index(pd.unique(pd.concat(ids, ignore_index=True).astype(object)))
    else:
        gl = groups["group_id"] if isinstance(groups, pd.DataFrame) else pd.Series(list(groups))
        gids = pd.Index(pd.unique(gl.astype(object)))
    gids = gids.sort_values()
    if months is None:
        if len(mi) == 0:
            raise DataError("activities is empty: pass months=(start, end)", file="activities")
        first, last = int(mi.min()), int(mi.max())
    else:
        if isinstance(months, str) or len(months) != 2:
            raise DataError(f"months must be a (start, end) pair, got {months!r}", file="months")
        first, last = (int(x) for x in _month_index(pd.Series(list(months)), "months"))
        if last < first:
            raise DataError(f"months: end {months[1]} is before start {months[0]}", file="months")
    start_log = (int(mi.min()) if len(mi) else first) if log_start is None \
        else int(_month_index(pd.Series([log_start]), "log_start")[0])
    w_max = max([_TRAIN_MONTHS, 3, *(m for _, m in req.values())])
    s0 = min(first, max(start_log, first - w_max + 1))  # internal start: room for windows
    M, G, K = last - s0 + 1, len(gids), len(_KINDS)
    t_out = np.arange(first - s0, M)  # positions of the panel's months

    g_idx = gids.get_indexer(activities["group_id"].astype(object))
    t_idx = mi - s0
    use = (g_idx >= 0) & (t_idx >= 0) & (t_idx < M)
    g_u, t_u, k_u = g_idx[use], t_idx[use], k_idx[use]
    cell = g_u * M + t_u
    counts = np.bincount(cell * K + k_u, minlength=G * M * K).reshape(G, M, K)

    def col(name: str) -> np.ndarray:
        if name not in activities.columns:
            return np.full(use.sum(), np.nan)
        return pd.to_numeric(activities[name], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan)[use]

    def csum(weights: np.ndarray) -> np.ndarray:
        return np.bincount(cell, weights=weights, minlength=G * M).reshape(G, M)

    meet = k_u == _KINDS.index("group_meeting")
    att, exp = col("attendees"), col("expected")
    both = meet & ~np.isnan(att) & ~np.isnan(exp)
    s_att, s_exp = csum(np.where(both, att, 0.0)), csum(np.where(both, exp, 0.0))
    fl = np.column_stack([col(f) for f in FLAGS])
    any_true = (fl == 1).any(axis=1)
    rated = meet & (any_true | ~np.isnan(fl).any(axis=1))
    n_rated, n_clean = csum(rated.astype(float)), csum((rated & ~any_true).astype(float))
    train = k_u == _KINDS.index("leader_training")
    dur = col("duration_h")
    hours = csum(np.where(train & ~np.isnan(dur), dur, 0.0))

    pad = np.zeros((G, 1, K), dtype=np.int64)
    cs = np.concatenate([pad, counts.cumsum(axis=1)], axis=1)  # (G, M+1, K)
    abs_t = t_out + s0

    out: dict[str, Any] = {
        "group_id": np.repeat(np.asarray(gids, dtype=object), len(t_out)),
        "month": np.tile(_month_ts(abs_t), G),
    }
    for j, k in enumerate(_KINDS):
        out[f"n_{k}"] = counts[:, t_out, j].ravel().astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["attendance_rate"] = np.where(s_exp > 0, s_att / s_exp, np.nan)[:, t_out].ravel()
        out["meeting_quality"] = np.where(n_rated > 0, n_clean / n_rated, np.nan)[:, t_out].ravel()
    hcs = np.concatenate([np.zeros((G, 1)), hours.cumsum(axis=1)], axis=1)
    out["training_hours"] = hours[:, t_out].ravel()
    unknown12 = np.broadcast_to(abs_t - _TRAIN_MONTHS + 1 < start_log, (G, len(t_out)))
    h12 = _rolling(hcs, t_out, _TRAIN_MONTHS)
    out["training_hours_12m"] = np.where(unknown12, np.nan, h12).ravel()
    n12 = _rolling(cs[:, :, _KINDS.index("leader_training")], t_out, _TRAIN_MONTHS)
    out["trained_12m"] = _bool(n12 >= 1, unknown12)

    ok = {}
    for k, (count, m) in req.items():
        na = np.broadcast_to(abs_t - m + 1 < start_log, (G, len(t_out)))
        met = _rolling(cs[:, :, _KINDS.index(k)], t_out, m) >= count
        ok[k] = (met, na)
        out[f"ok_{k}"] = _bool(met, na)
    n_sys = np.zeros((G, len(t_out)), dtype=np.int64)
    na_sys = np.zeros((G, len(t_out)), dtype=bool)
    for kinds in sysm.values():
        met = np.logical_and.reduce([ok[k][0] for k in kinds]) if kinds else np.ones_like(na_sys)
        n_sys += met
        for k in kinds:
            na_sys |= ok[k][1]
    out["five_systems"] = pd.arrays.IntegerArray(n_sys.ravel(), na_sys.ravel().copy())
    out["five_systems_ok"] = _bool(n_sys == len(sysm), na_sys)

    if posts is None:
        out["posts_active"] = pd.array([pd.NA] * (G * len(t_out)), dtype="Int64")
    else:
        pg = gids.get_indexer(posts["group_id"].astype(object))
        ps = _month_index(posts["start"], "posts")
        end = pd.to_datetime(posts["end"])
        pe = np.full(len(posts), last + 1, dtype=np.int64)
        has_end = end.notna().to_numpy()
        if has_end.any():
            pe[has_end] = _month_index(end[has_end], "posts")
        if (pe < ps).any():
            raise DataError(f"{int((pe < ps).sum())} post(s) end before they start",
                            file="posts", hint="Check the start and end dates.")
        a = np.clip(ps - s0, 0, M)
        b = np.clip(pe - s0 + 1, 0, M)  # exclusive end (post active through its end month)
        okp = (pg >= 0) & (b > a)
        diff = np.zeros((G, M + 1), dtype=np.int64)
        np.add.at(diff, (pg[okp], a[okp]), 1)
        np.add.at(diff, (pg[okp], b[okp]), -1)
        out["posts_active"] = diff.cumsum(axis=1)[:, t_out].ravel()

    dcs = cs[:, :, _KINDS.index("demonstration_day")]
    q_start = abs_t - abs_t % 3
    out["demo_days_qtd"] = (dcs[:, t_out + 1] - dcs[:, q_start - s0]).ravel().astype(np.int64)
    return pd.DataFrame(out)


def lag(panel: pd.DataFrame, columns: str | Sequence[str], k: int, *,
        by: str | Sequence[str] = "group_id", time: str = "month") -> pd.DataFrame:
    """Shift measures by ``k`` calendar months within each group.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per (``by``, ``time``); rows need not be complete or sorted.
    columns : str or list of str
        Columns to shift.
    k : int
        Months to shift; positive = lag (value from ``k`` months earlier),
        negative = lead.
    by : str or list of str
        Group column(s) (default ``group_id``): values never cross groups.
    time : str
        Month column (dates, first-of-month timestamps or monthly Periods).

    Returns
    -------
    pandas.DataFrame
        A copy of ``panel`` with one new column per shifted column:
        ``<column>_lag<k>`` (or ``<column>_lead<|k|>``) holding the value of
        the same group ``k`` calendar months earlier (later), missing when that
        month has no row — a gap in the months is never bridged by the next row.

    Raises
    ------
    DataError
        Missing columns, ``k == 0`` or repeated (by, time) rows.

    Examples
    --------
    >>> p = pd.DataFrame({"group_id": ["A", "A", "A", "B"],
    ...                   "month": pd.to_datetime(["2019-01-01", "2019-02-01",
    ...                                            "2019-04-01", "2019-05-01"]),
    ...                   "x": [1.0, 2.0, 4.0, 5.0]})
    >>> lag(p, "x", 1)["x_lag1"].tolist()
    [nan, 1.0, nan, nan]
    """
    cols = [columns] if isinstance(columns, str) else list(columns)
    keys = [by] if isinstance(by, str) else list(by)
    _need(panel, [*keys, time, *cols], "panel")
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k == 0:
        raise DataError(f"k must be a non-zero integer number of months, got {k!r}", file="lag")
    mi = _month_index(panel[time], "panel")
    left = panel[keys].copy()
    left["_mi"] = mi
    if left.duplicated().any():
        raise DataError(f"panel has repeated ({', '.join(keys)}, {time}) rows", file="panel",
                        hint="Aggregate to one row per group and month first.")
    suffix = f"_lag{k}" if k > 0 else f"_lead{-k}"
    right = panel[keys + cols].copy()
    right["_mi"] = mi + k
    right = right.rename(columns={c: c + suffix for c in cols})
    shifted = left.merge(right, on=[*keys, "_mi"], how="left", sort=False)
    out = panel.copy()
    for c in cols:
        out[c + suffix] = shifted[c + suffix].to_numpy()
    return out
