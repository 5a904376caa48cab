"""Organisational life (组织生活) per group and month: meetings, quality, training, posts.

:func:`activity_panel` turns the activities log (and the demonstration-post
register) into a complete group × month panel. Required frequencies are an
organisation's own rules, so they are a setting (:data:`DEFAULT_REQUIREMENTS`,
or a spec file such as ``data/rubrics/org_life.yml`` read with
:func:`settings_from_spec`), never built into the logic. Months are numbered by
:func:`grouplab.data.periods.month_index` only.

**A rated meeting** is defined here and nowhere else (:func:`rated_meetings`):
a group meeting whose three 三多三少 flags are all recorded. Only rated meetings
enter the quality index and the flag counts, in this panel, the study panel
and the organisational-life report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.codebook import codebook
from grouplab.data.periods import month_index, month_timestamps
from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError, require_columns
from grouplab.measures.lags import lag
from grouplab.measures.requirements import (
    DEFAULT_REQUIREMENTS,
    FIVE_SYSTEMS,
    check_requirements,
    check_systems,
    settings_from_spec,
)

__all__ = ["DEFAULT_REQUIREMENTS", "FIVE_SYSTEMS", "FLAGS", "activity_panel", "flag_matrix", "lag",
           "rated_meetings", "settings_from_spec"]  # lag and the rules: re-exported

#: The 三多三少 meeting-quality flags (True = the pattern was seen).
FLAGS = ("praise_over_criticism", "form_over_substance", "chat_over_solving")

_KINDS = tuple(codebook()["activities"].columns["kind"].allowed)
_TRAIN_MONTHS = 12


_need = require_columns  # one definition, in grouplab.errors


# ------------------------------------------------------------------ meetings
def flag_matrix(meetings: pd.DataFrame) -> np.ndarray:
    """The three 三多三少 flags of each row as floats (1, 0, NaN = not recorded).

    Returns
    -------
    numpy.ndarray
        Shape ``(len(meetings), 3)``, columns in the order of :data:`FLAGS`.
    """
    cols = [pd.to_numeric(meetings[f], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            if f in meetings else np.full(len(meetings), np.nan) for f in FLAGS]
    return np.column_stack(cols) if cols else np.empty((len(meetings), 0))


def rated_meetings(flags: np.ndarray) -> np.ndarray:
    """Which meetings are rated: all three 三多三少 flags recorded (the one rule).

    Parameters
    ----------
    flags : numpy.ndarray
        Output of :func:`flag_matrix`.

    Returns
    -------
    numpy.ndarray of bool

    Notes
    -----
    A meeting with one flag True and the others missing is not clean, but its
    number of flags is unknown: rating it would make the quality index and
    flags per meeting use different meetings.

    Examples
    --------
    >>> rated_meetings(np.array([[1.0, np.nan, np.nan], [0.0, 0.0, 1.0]])).tolist()
    [False, True]
    """
    return ~np.isnan(flags).any(axis=1)


# ------------------------------------------------------------------ the grid
@dataclass(frozen=True)
class _Grid:
    """Groups × internal months; the panel's months are ``t_out`` within them.

    ``ev`` holds the events inside the grid: ``g``, ``t``, ``k`` (positions)
    and the numeric columns of the log (NaN where missing).
    """

    gids: pd.Index
    s0: int            # month number of internal position 0
    n_months: int      # internal months (windows reach back before the panel)
    first: int
    last: int
    start_log: int
    counts: np.ndarray  # (G, M, K) events per group, month and kind
    ev: pd.DataFrame

    @property
    def t_out(self) -> np.ndarray:
        return np.arange(self.first - self.s0, self.n_months)

    @property
    def abs_t(self) -> np.ndarray:
        return self.t_out + self.s0

    def csum(self, weights: np.ndarray) -> np.ndarray:
        """Sum of per-event ``weights`` in each (group, internal month) cell."""
        cell = self.ev["g"].to_numpy() * self.n_months + self.ev["t"].to_numpy()
        return np.bincount(cell, weights=weights,
                           minlength=len(self.gids) * self.n_months).reshape(len(self.gids), -1)

    def rolling(self, per_month: np.ndarray, months: int) -> np.ndarray:
        """Trailing ``months``-month sums at the panel's months (G, len(t_out))."""
        cs = np.concatenate([np.zeros((per_month.shape[0], 1)), per_month.cumsum(axis=1)], axis=1)
        t = self.t_out
        return cs[:, t + 1] - cs[:, np.maximum(t + 1 - months, 0)]

    def unknown(self, months: int) -> np.ndarray:
        """Panel cells whose trailing window reaches before the log start."""
        na = self.abs_t - months + 1 < self.start_log
        return np.broadcast_to(na, (len(self.gids), len(self.t_out)))

    def out(self, per_month: np.ndarray) -> np.ndarray:
        """Panel rows (group-major) of a (G, M) array."""
        return per_month[:, self.t_out].ravel()


def _group_ids(activities: pd.DataFrame, posts: pd.DataFrame | None, groups: Any) -> pd.Index:
    if groups is None:
        ids = [activities["group_id"]] + ([posts["group_id"]] if posts is not None else [])
        gids = pd.Index(pd.unique(pd.concat(ids, ignore_index=True).astype(object)))
    else:
        gl = groups["group_id"] if isinstance(groups, pd.DataFrame) else pd.Series(list(groups))
        gids = pd.Index(pd.unique(gl.astype(object)))
    return gids.sort_values()


def _span(mi: np.ndarray, months: Any, log_start: Any) -> tuple[int, int, int]:
    """First and last panel month and the log's first month (month numbers)."""
    if months is None:
        if len(mi) == 0:
            raise DataError([problem("no_activities", "activities")])
        first, last = int(mi.min()), int(mi.max())
    else:
        if isinstance(months, str) or len(months) != 2:
            raise ParameterError(f"months must be a (start, end) pair, got {months!r}")
        first, last = (int(x) for x in month_index(pd.Series(list(months)), "months"))
        if last < first:
            raise ParameterError(f"months: end {months[1]} is before start {months[0]}")
    if log_start is None:
        start_log = int(mi.min()) if len(mi) else first
    else:
        start_log = int(month_index(pd.Series([log_start]), "log_start")[0])
    return first, last, start_log


def _grid(activities: pd.DataFrame, gids: pd.Index, months: Any, log_start: Any,
          req: Mapping[str, tuple[int, int]]) -> _Grid:
    """Place every event of the log in the group × month × kind cube."""
    kind = activities["kind"].astype("object")
    k_idx = pd.Index(_KINDS).get_indexer(kind)
    if (k_idx < 0).any():
        bad = pd.unique(kind[k_idx < 0])[:10].tolist()
        raise DataError([problem("unknown_activity_kinds", "activities", bad=bad, kinds=", ".join(_KINDS))])
    mi = month_index(activities["date"], "activities")
    first, last, start_log = _span(mi, months, log_start)
    w_max = max([_TRAIN_MONTHS, 3, *(m for _, m in req.values())])
    s0 = min(first, max(start_log, first - w_max + 1))  # internal start: room for windows
    n_months = last - s0 + 1
    g_idx = gids.get_indexer(activities["group_id"].astype(object))
    t_idx = mi - s0
    use = (g_idx >= 0) & (t_idx >= 0) & (t_idx < n_months)
    ev = pd.DataFrame({"g": g_idx[use], "t": t_idx[use], "k": k_idx[use]})
    for c in ("attendees", "expected", "duration_h"):
        ev[c] = (pd.to_numeric(activities[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                 [use] if c in activities else np.nan)
    fl = flag_matrix(activities)[use]
    for j, f in enumerate(FLAGS):
        ev[f] = fl[:, j]
    G, K = len(gids), len(_KINDS)
    flat = (ev["g"].to_numpy() * n_months + ev["t"].to_numpy()) * K + ev["k"].to_numpy()
    counts = np.bincount(flat, minlength=G * n_months * K).reshape(G, n_months, K)
    return _Grid(gids, s0, n_months, first, last, start_log, counts, ev)


# ------------------------------------------------------------------ panel steps
def _base(grid: _Grid) -> pd.DataFrame:
    """The complete grid: ``group_id``, ``month`` (first of the month)."""
    return pd.DataFrame({
        "group_id": np.repeat(np.asarray(grid.gids, dtype=object), len(grid.t_out)),
        "month": np.tile(month_timestamps(grid.abs_t), len(grid.gids)),
    })


def _add_counts(x: pd.DataFrame, grid: _Grid) -> pd.DataFrame:
    """Adds ``n_<kind>``: events of each codebook kind in the month."""
    return x.assign(**{f"n_{k}": grid.counts[:, grid.t_out, j].ravel().astype(np.int64)
                       for j, k in enumerate(_KINDS)})


def _add_attendance(x: pd.DataFrame, grid: _Grid) -> pd.DataFrame:
    """Adds ``attendance_rate``: Σ attendees / Σ expected over the month's group meetings."""
    ev = grid.ev
    meet = (ev["k"] == _KINDS.index("group_meeting")).to_numpy()
    att, exp = ev["attendees"].to_numpy(), ev["expected"].to_numpy()
    both = meet & ~np.isnan(att) & ~np.isnan(exp)
    s_att, s_exp = grid.csum(np.where(both, att, 0.0)), grid.csum(np.where(both, exp, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(s_exp > 0, s_att / s_exp, np.nan)
    return x.assign(attendance_rate=grid.out(rate))


def _add_quality(x: pd.DataFrame, grid: _Grid) -> pd.DataFrame:
    """Adds ``n_rated_meetings``, ``meeting_quality``, ``flags_per_meeting``, ``flag_<name>``.

    Rated meetings follow :func:`rated_meetings`; the quality index is the
    share of them with no flag, ``flags_per_meeting`` their mean number of
    flags and ``flag_<name>`` the share showing each flag (all missing without
    a rated meeting).
    """
    ev = grid.ev
    fl = ev[list(FLAGS)].to_numpy(dtype=float)
    rated = (ev["k"] == _KINDS.index("group_meeting")).to_numpy() & rated_meetings(fl)
    fl0 = np.where(rated[:, None], fl, 0.0)
    n_rated = grid.csum(rated.astype(float))
    clean = grid.csum((rated & (fl0.sum(axis=1) == 0)).astype(float))
    cols: dict[str, np.ndarray] = {"n_rated_meetings": grid.out(n_rated).astype(np.int64)}
    with np.errstate(invalid="ignore", divide="ignore"):
        cols["meeting_quality"] = grid.out(np.where(n_rated > 0, clean / n_rated, np.nan))
        total = grid.csum(fl0.sum(axis=1))
        cols["flags_per_meeting"] = grid.out(np.where(n_rated > 0, total / n_rated, np.nan))
        for j, f in enumerate(FLAGS):
            cols[f"flag_{f}"] = grid.out(np.where(n_rated > 0, grid.csum(fl0[:, j]) / n_rated,
                                                  np.nan))
    return x.assign(**cols)


def _bool(values: np.ndarray, na: np.ndarray) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(values.ravel().astype(bool), na.ravel().astype(bool).copy())


def _add_training(x: pd.DataFrame, grid: _Grid) -> pd.DataFrame:
    """Adds ``training_hours``, ``training_hours_12m`` and ``trained_12m``."""
    ev = grid.ev
    train = (ev["k"] == _KINDS.index("leader_training")).to_numpy()
    dur = ev["duration_h"].to_numpy()
    hours = grid.csum(np.where(train & ~np.isnan(dur), dur, 0.0))
    unknown = grid.unknown(_TRAIN_MONTHS)
    n12 = grid.rolling(grid.counts[:, :, _KINDS.index("leader_training")], _TRAIN_MONTHS)
    return x.assign(training_hours=grid.out(hours),
                    training_hours_12m=np.where(unknown, np.nan,
                                                grid.rolling(hours, _TRAIN_MONTHS)).ravel(),
                    trained_12m=_bool(n12 >= 1, unknown))


def _add_requirements(x: pd.DataFrame, grid: _Grid, req: Mapping[str, tuple[int, int]]
                      ) -> pd.DataFrame:
    """Adds ``ok_<kind>`` per requirement (missing where the window reaches before the log)."""
    cols = {}
    for k, (count, months) in req.items():
        met = grid.rolling(grid.counts[:, :, _KINDS.index(k)], months) >= count
        cols[f"ok_{k}"] = _bool(met, grid.unknown(months))
    return x.assign(**cols)


def _add_systems(x: pd.DataFrame, systems: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Adds ``five_systems`` (systems met, nullable int) and ``five_systems_ok`` (all met)."""
    n = np.zeros(len(x), dtype=np.int64)
    na = np.zeros(len(x), dtype=bool)
    for kinds in systems.values():
        met = np.ones(len(x), dtype=bool)
        for k in kinds:
            ok = x[f"ok_{k}"]
            met &= ok.fillna(False).to_numpy(dtype=bool)
            na |= ok.isna().to_numpy()
        n += met
    return x.assign(five_systems=pd.arrays.IntegerArray(n, na.copy()),
                    five_systems_ok=_bool(n == len(systems), na))


def _add_posts(x: pd.DataFrame, grid: _Grid, posts: pd.DataFrame | None) -> pd.DataFrame:
    """Adds ``posts_active``: demonstration posts active on any day of the month."""
    if posts is None:
        return x.assign(posts_active=pd.array([pd.NA] * len(x), dtype="Int64"))
    pg = grid.gids.get_indexer(posts["group_id"].astype(object))
    ps = month_index(posts["start"], "posts")
    end = pd.to_datetime(posts["end"])
    pe = np.maximum(ps, grid.last + 1)  # no end: active beyond the panel (even if set up later)
    has_end = end.notna().to_numpy()
    if has_end.any():
        pe[has_end] = month_index(end[has_end], "posts")
    if (pe < ps).any():
        raise DataError([problem("posts_end_before_start", "posts", n=int((pe < ps).sum()))])
    M = grid.n_months
    a = np.clip(ps - grid.s0, 0, M)
    b = np.clip(pe - grid.s0 + 1, 0, M)  # exclusive end (post active through its end month)
    okp = (pg >= 0) & (b > a)
    diff = np.zeros((len(grid.gids), M + 1), dtype=np.int64)
    np.add.at(diff, (pg[okp], a[okp]), 1)
    np.add.at(diff, (pg[okp], b[okp]), -1)
    return x.assign(posts_active=diff.cumsum(axis=1)[:, grid.t_out].ravel())


def _add_demo_days(x: pd.DataFrame, grid: _Grid) -> pd.DataFrame:
    """Adds ``demo_days_qtd``: demonstration days in the calendar quarter so far."""
    per = grid.counts[:, :, _KINDS.index("demonstration_day")]
    cs = np.concatenate([np.zeros((per.shape[0], 1), dtype=np.int64), per.cumsum(axis=1)], axis=1)
    abs_t = grid.abs_t
    q_start = np.maximum(abs_t - abs_t % 3 - grid.s0, 0)
    return x.assign(demo_days_qtd=(cs[:, grid.t_out + 1] - cs[:, q_start]).ravel().astype(np.int64))


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
        ``(count, 1)``. Default :data:`DEFAULT_REQUIREMENTS`; a spec file gives
        them through :func:`settings_from_spec`.
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
        - ``n_rated_meetings`` — group meetings with all three flags recorded
          (:func:`rated_meetings`).
        - ``meeting_quality`` — 三多三少 index: share of the month's rated group
          meetings showing none of the three patterns; missing without rated meetings.
        - ``flags_per_meeting`` — mean number of flags (0–3) per rated meeting;
          ``flag_<name>`` — share of rated meetings showing that flag.
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
          so far (this month included; counted from the log start); no look-ahead.

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
    req = check_requirements(requirements)
    sysm = check_systems(systems, req)
    grid = _grid(activities, _group_ids(activities, posts, groups), months, log_start, req)
    x = _base(grid)
    x = _add_counts(x, grid)
    x = _add_attendance(x, grid)
    x = _add_quality(x, grid)
    x = _add_training(x, grid)
    x = _add_requirements(x, grid, req)
    x = _add_systems(x, sysm)
    x = _add_posts(x, grid, posts)
    return _add_demo_days(x, grid)
