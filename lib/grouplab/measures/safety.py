"""Safety outcomes: incident rates per exposure, safe-operation streaks, time to next incident.

Rates are per 200,000 person-hours (the TRIR convention: 100 workers × 2,000 h)
and per 1,000,000 person-hours (百万工时), with exact Poisson (Garwood)
confidence intervals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import chi2

from grouplab.data.codebook import codebook
from grouplab.data.periods import month_start
from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError, require_columns

__all__ = ["CATEGORIES", "poisson_ci", "incident_rates", "safe_days", "time_to_next"]

#: Incident categories of the codebook, in codebook order.
CATEGORIES = tuple(codebook()["incidents"].columns["category"].allowed)
_DERIVED = ("month", "year")




def _categories(categories: Iterable[str] | None) -> list[str]:
    cats = list(CATEGORIES if categories is None else
                ([categories] if isinstance(categories, str) else categories))
    bad = [c for c in cats if c not in CATEGORIES]
    if bad or not cats:
        raise DataError([problem("unknown_categories", "categories", bad=bad or cats,
                                 categories=", ".join(CATEGORIES))])
    return cats


def _dates(s: pd.Series, what: str) -> pd.Series:
    d = pd.to_datetime(s, errors="coerce")
    if d.isna().any():
        raise DataError([problem("unreadable_dates", what, n=int(d.isna().sum()), what=what)])
    return d.dt.normalize()


def poisson_ci(events: Any, *, conf: float = 0.95) -> pd.DataFrame:
    """Exact (Garwood) confidence interval for a Poisson count.

    Parameters
    ----------
    events : int or array-like of int
        Observed counts.
    conf : float
        Confidence level (default 0.95).

    Returns
    -------
    pandas.DataFrame
        One row per count: ``events``, ``low``, ``high`` (bounds on the mean).

    Notes
    -----
    ``low = χ²(α/2; 2k) / 2`` (0 for k = 0), ``high = χ²(1 − α/2; 2k + 2) / 2``
    (Garwood 1936). For k = 0 the 95 % upper bound is 3.689; for k = 5 the
    interval is (1.6235, 11.6683).

    References
    ----------
    Garwood, F. (1936). Fiducial limits for the Poisson distribution.
    Biometrika 28, 437–442.

    Examples
    --------
    >>> poisson_ci([0, 5]).round(4)
       events     low     high
    0       0  0.0000   3.6889
    1       5  1.6235  11.6683
    """
    if not 0 < conf < 1:
        raise ParameterError(f"conf must be between 0 and 1, got {conf}")
    k = np.atleast_1d(np.asarray(events, dtype=float))
    if (k < 0).any() or np.isnan(k).any():
        raise DataError([problem("negative_counts", "events")])
    a = 1 - conf
    with np.errstate(invalid="ignore"):
        low = np.where(k > 0, chi2.ppf(a / 2, 2 * k) / 2, 0.0)
    high = chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return pd.DataFrame({"events": k.astype(np.int64), "low": low, "high": high})


def incident_rates(incidents: pd.DataFrame, exposure: pd.DataFrame, *,
                   by: str | Sequence[str] = ("group_id",),
                   categories: Iterable[str] | None = None,
                   conf: float = 0.95) -> pd.DataFrame:
    """Incident counts and rates per exposure, with exact Poisson intervals.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Incident log: ``date``, ``category`` and the ``by`` columns.
    exposure : pandas.DataFrame
        ``month``, ``person_hours`` and the ``by`` columns (codebook table
        ``exposure``: one row per group and month).
    by : str or sequence of str
        Grouping columns present in both tables, e.g. ``"group_id"``,
        ``["unit_id", "year"]`` (merge ``unit_id`` onto both first). ``month``
        and ``year`` are derived from ``date`` / ``month`` when absent.
        ``()`` for one overall row per category.
    categories : iterable of str, optional
        Categories to count (default: all five codebook categories).
    conf : float
        Confidence level of the intervals (default 0.95).

    Returns
    -------
    pandas.DataFrame
        One row per exposure cell of ``by`` × category (zero counts included),
        sorted by ``by`` then category in codebook order:

        - the ``by`` columns; ``category``.
        - ``events`` — incidents counted.
        - ``person_hours`` — Σ exposure of the cell.
        - ``rate_200k``, ``rate_200k_low``, ``rate_200k_high`` — events per
          200,000 person-hours and its exact interval.
        - ``rate_1m``, ``rate_1m_low``, ``rate_1m_high`` — per 1,000,000
          person-hours (百万工时).

        Rates are missing where the cell has no exposure.

    Raises
    ------
    DataError
        Missing columns, unknown categories, incidents whose ``by`` value is
        missing (e.g. unit-level incidents without ``group_id``), incidents
        in cells that have no exposure row.

    Notes
    -----
    rate = events / person_hours × 200,000 (or × 1,000,000); the interval is
    :func:`poisson_ci` of ``events`` scaled the same way. Both tables must
    cover the same window: an incident in a cell absent from ``exposure`` is
    an error, never silently dropped.

    Examples
    --------
    >>> inc = pd.DataFrame({"group_id": ["G1"] * 5, "category": ["violation"] * 5,
    ...                     "date": pd.to_datetime(["2019-01-03"] * 5)})
    >>> exp = pd.DataFrame({"group_id": ["G1"], "month": pd.to_datetime(["2019-01-01"]),
    ...                     "person_hours": [1_000_000.0]})
    >>> r = incident_rates(inc, exp, categories=["violation"])
    >>> r[["group_id", "events", "rate_1m", "rate_1m_low", "rate_1m_high"]].round(4)
      group_id  events  rate_1m  rate_1m_low  rate_1m_high
    0       G1       5      5.0       1.6235       11.6683
    """
    keys = [by] if isinstance(by, str) else list(by)
    cats = _categories(categories)
    require_columns(incidents, ["date", "category", *[k for k in keys if k not in _DERIVED]], "incidents")
    require_columns(exposure, ["month", "person_hours", *[k for k in keys if k not in _DERIVED]], "exposure")
    inc, exp = _with_derived_keys(incidents, exposure, keys)
    inc = _checked_incidents(inc, keys, cats)
    cells = _exposure_cells(exp, keys)
    out = _count_grid(inc, cells, keys, cats)
    out = _add_rates(out, conf)
    out["_c"] = out["category"].map({c: i for i, c in enumerate(cats)})
    out = out.sort_values([*keys, "_c"], kind="stable").drop(columns="_c")
    return out[[*keys, "category", "events", "person_hours", "rate_200k", "rate_200k_low",
                "rate_200k_high", "rate_1m", "rate_1m_low", "rate_1m_high"]].reset_index(drop=True)


def _with_derived_keys(incidents: pd.DataFrame, exposure: pd.DataFrame, keys: list[str]):
    """The needed columns of both tables, months as month starts, plus ``month``/``year`` keys when asked."""
    inc = incidents[[c for c in dict.fromkeys(["date", "category", *keys]) if c in incidents]]
    inc = inc.assign(date=_dates(inc["date"], "incidents"))
    exp = exposure[[c for c in dict.fromkeys(["month", "person_hours", *keys]) if c in exposure]]
    exp = exp.assign(month=month_start(exp["month"]))
    if "month" in keys and "month" not in incidents:
        inc["month"] = month_start(inc["date"])
    if "year" in keys:
        if "year" not in incidents:
            inc["year"] = inc["date"].dt.year.astype(np.int64)
        if "year" not in exposure:
            exp["year"] = exp["month"].dt.year.astype(np.int64)
    return inc, exp


def _checked_incidents(inc: pd.DataFrame, keys: list[str], cats: list[str]) -> pd.DataFrame:
    """Incidents of the chosen categories; unknown categories or missing keys are a DataError."""
    unknown = ~inc["category"].isin(CATEGORIES)
    if unknown.any():
        bad = inc.loc[unknown, "category"].unique()[:5]
        raise DataError([problem("unknown_categories", "incidents", bad=bad,
                                 categories=", ".join(CATEGORIES))])
    inc = inc[inc["category"].isin(cats)]
    if keys and inc[keys].isna().any(axis=1).any():
        n = int(inc[keys].isna().any(axis=1).sum())
        raise DataError([problem("incidents_without_keys", "incidents", n=n, keys="/".join(keys))])
    return inc


def _exposure_cells(exp: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Person-hours summed per cell of ``keys`` (columns: *keys, person_hours)."""
    hours = pd.to_numeric(exp["person_hours"], errors="coerce")
    if hours.isna().any() or (hours < 0).any():
        raise DataError([problem("bad_person_hours", "exposure")])
    if not keys:
        return pd.DataFrame({"person_hours": [float(hours.sum())]})
    return exp.assign(person_hours=hours).groupby(keys, sort=True, dropna=False)[
        "person_hours"].sum().reset_index()


def _count_grid(inc: pd.DataFrame, cells: pd.DataFrame, keys: list[str], cats: list[str]) -> pd.DataFrame:
    """Every exposure cell × category with its event count (adds ``category``, ``events``).

    An incident in a cell without exposure is a DataError, never silently dropped.
    """
    counts = (inc.groupby([*keys, "category"], sort=False, observed=True).size()
              .rename("events").reset_index())
    counts["category"] = counts["category"].astype(object)
    grid = cells.merge(pd.DataFrame({"category": pd.Categorical(cats, categories=cats,
                                                                ordered=True)}), how="cross")
    grid["category"] = grid["category"].astype(object)
    out = grid.merge(counts, on=[*keys, "category"], how="left", indicator=False)
    if len(counts) and out["events"].sum() != counts["events"].sum():
        lost = counts.merge(cells[keys], on=keys, how="left", indicator=True)
        lost = lost[lost["_merge"] == "left_only"]
        raise DataError([problem("incidents_without_exposure", "incidents", n=int(lost["events"].sum()),
                                 keys="/".join(keys), examples=lost[keys].head(3).to_dict("records"))])
    out["events"] = out["events"].fillna(0).astype(np.int64)
    return out


def _add_rates(out: pd.DataFrame, conf: float) -> pd.DataFrame:
    """Adds ``rate_200k``/``rate_1m`` and their exact Poisson bounds (``*_low``, ``*_high``)."""
    ci = poisson_ci(out["events"].to_numpy(), conf=conf)
    ph = out["person_hours"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        for name, per in (("rate_200k", 200_000.0), ("rate_1m", 1_000_000.0)):
            scale = np.where(ph > 0, per / ph, np.nan)
            out[name] = out["events"].to_numpy() * scale
            out[f"{name}_low"] = ci["low"].to_numpy() * scale
            out[f"{name}_high"] = ci["high"].to_numpy() * scale
    return out


def _reset_events(incidents: pd.DataFrame, reset: Iterable[str] | str, responsible: bool | None,
                  start: pd.Timestamp, end: pd.Timestamp, gids: pd.Index):
    """Sorted unique (group code, day number) of the incidents that interrupt the record."""
    cats = _categories(reset)
    inc = incidents
    keep = inc["category"].isin(cats).to_numpy()
    if responsible is not None:
        if "responsible" not in inc:
            raise DataError([problem("no_responsible_column", "incidents")])
        keep = keep & (inc["responsible"].astype("boolean") == responsible).fillna(False).to_numpy()
    d = _dates(inc["date"], "incidents").to_numpy()[keep]
    g = gids.get_indexer(inc["group_id"].astype(object).to_numpy()[keep])
    inside = (g >= 0) & (d >= np.datetime64(start)) & (d <= np.datetime64(end))
    day = ((d[inside] - np.datetime64(start)) // np.timedelta64(1, "D")).astype(np.int64)
    g = g[inside].astype(np.int64)
    key = np.unique(g * (1 << 32) + day)
    return key >> 32, key & ((1 << 32) - 1)


def _window(incidents: pd.DataFrame, groups: Any, start: Any, end: Any):
    require_columns(incidents, ["group_id", "date", "category"], "incidents")
    try:
        s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    except (ValueError, TypeError):
        raise DataError([problem("window_not_dates", "window", start=start, end=end)]) from None
    if e < s:
        raise DataError([problem("window_reversed", "window", end=e.date(), start=s.date())])
    if groups is None:
        ids = incidents["group_id"].dropna()
    elif isinstance(groups, pd.DataFrame):
        require_columns(groups, ["group_id"], "groups")
        ids = groups["group_id"]
    else:
        ids = pd.Series(list(groups))
    return s, e, pd.Index(pd.unique(ids.astype(object))).sort_values()


def safe_days(incidents: pd.DataFrame, *, start: Any, end: Any, groups: Any = None,
              reset: Iterable[str] | str = ("responsibility_accident",),
              responsible: bool | None = None, cycle: int = 100) -> pd.DataFrame:
    """Safe-operation (incident-free) day counts per group, with a reset rule.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Incident log with ``group_id``, ``date``, ``category`` (and
        ``responsible`` if ``responsible=`` is used).
    start, end : date-like
        The record's first and last day (inclusive). Incidents outside are
        ignored; days before ``start`` are unknown, so the first streak starts
        at ``start``.
    groups : DataFrame with ``group_id``, or list of ids, optional
        Groups to report (default: groups in ``incidents``); groups without
        incidents get a streak of the whole window.
    reset : str or iterable of str
        Categories that interrupt the record (default
        ``responsibility_accident``).
    responsible : bool, optional
        If given, only incidents whose ``responsible`` equals it reset the
        record (``True``: only incidents judged the group's responsibility).
    cycle : int
        Cycle length in days (default 100: 安全百日).

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by ``group_id``:

        - ``group_id``.
        - ``days`` — days in the window.
        - ``resets`` — days with a resetting incident.
        - ``safe_days`` — days without one (``days − resets``).
        - ``longest_streak`` — longest run of consecutive safe days.
        - ``current_streak`` — safe days from the last reset (or ``start``)
          through ``end``.
        - ``cycles_completed`` — completed ``cycle``-day periods summed over
          all streaks (``Σ floor(streak / cycle)``).
        - ``last_reset`` — date of the last resetting incident (NaT if none).

    Notes
    -----
    The day of a resetting incident is not a safe day; the streak restarts
    the next day. Several incidents on one day are one reset. The streak is
    a **descriptive** figure for scorecards: it depends on the window,
    mixes exposure with risk and is not a regression outcome — model incident
    counts with exposure (``grouplab.models.rate_model``) or the time to the
    next incident (:func:`time_to_next`) instead.

    Examples
    --------
    >>> inc = pd.DataFrame({"group_id": ["G1", "G1"], "category": ["responsibility_accident"] * 2,
    ...                     "date": pd.to_datetime(["2019-01-11", "2019-05-01"])})
    >>> safe_days(inc, start="2019-01-01", end="2019-12-31", groups=["G1", "G2"])[
    ...     ["group_id", "resets", "longest_streak", "current_streak", "cycles_completed"]]
      group_id  resets  longest_streak  current_streak  cycles_completed
    0       G1       2             244             244                 3
    1       G2       0             365             365                 3
    """
    s, e, gids = _window(incidents, groups, start, end)
    if not isinstance(cycle, (int, np.integer)) or cycle < 1:
        raise ParameterError(f"cycle must be a positive whole number of days, got {cycle!r}")
    g, day = _reset_events(incidents, reset, responsible, s, e, gids)
    n_days, G = int((e - s).days) + 1, len(gids)
    # streaks: before each reset (since previous reset or start), plus the tail after the last
    first = np.r_[True, g[1:] != g[:-1]] if len(g) else np.zeros(0, bool)
    prev = np.where(first, -1, np.r_[-1, day[:-1]])
    before = day - prev - 1
    resets = np.bincount(g, minlength=G)
    last = np.full(G, -1, dtype=np.int64)
    last[g] = day  # sorted, so the last write per group is its last reset
    tail = n_days - 1 - last
    longest = np.maximum(tail, _group_max(before, g, G))
    cycles = np.bincount(g, weights=before // cycle, minlength=G).astype(np.int64) + tail // cycle
    last_ts = np.where(last >= 0, np.datetime64(s, "D") + last.astype("timedelta64[D]"),
                       np.datetime64("NaT")).astype("datetime64[us]")
    return pd.DataFrame({
        "group_id": np.asarray(gids, dtype=object),
        "days": np.full(G, n_days, dtype=np.int64),
        "resets": resets.astype(np.int64),
        "safe_days": (n_days - resets).astype(np.int64),
        "longest_streak": longest.astype(np.int64),
        "current_streak": tail.astype(np.int64),
        "cycles_completed": cycles,
        "last_reset": last_ts,
    })


def _group_max(values: np.ndarray, g: np.ndarray, G: int) -> np.ndarray:
    out = np.zeros(G, dtype=np.int64)
    if len(values):
        np.maximum.at(out, g, values)
    return out


def time_to_next(incidents: pd.DataFrame, *, start: Any, end: Any, groups: Any = None,
                 categories: Iterable[str] | str = ("responsibility_accident",),
                 responsible: bool | None = None) -> pd.DataFrame:
    """Spells from the record start or each incident to the next incident, per group.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Incident log with ``group_id``, ``date``, ``category``.
    start, end : date-like
        Observation window (inclusive). Spells still open at ``end`` are
        right-censored.
    groups : DataFrame with ``group_id``, or list of ids, optional
        Groups at risk (default: groups in ``incidents``).
    categories : str or iterable of str
        Categories that count as the event (default ``responsibility_accident``).
    responsible : bool, optional
        If given, only incidents whose ``responsible`` equals it count.

    Returns
    -------
    pandas.DataFrame
        One row per spell, sorted by ``group_id`` and ``spell``:

        - ``group_id``; ``spell`` — 1 for the spell from ``start``, then one
          per incident.
        - ``entry`` — spell start (``start``, or the day of the previous incident).
        - ``exit`` — day of the next incident, or ``end`` if censored.
        - ``days`` — ``exit − entry`` in days.
        - ``event`` — True if the spell ended with an incident, False if censored.

    Notes
    -----
    Several incidents on one day are one event. Spells of length 0 cannot
    occur. Suited to survival models (time to first incident: ``spell == 1``).

    Examples
    --------
    >>> inc = pd.DataFrame({"group_id": ["G1"], "category": ["responsibility_accident"],
    ...                     "date": pd.to_datetime(["2019-01-11"])})
    >>> time_to_next(inc, start="2019-01-01", end="2019-01-31")[["spell", "days", "event"]]
       spell  days  event
    0      1    10   True
    1      2    20  False
    """
    s, e, gids = _window(incidents, groups, start, end)
    g, day = _reset_events(incidents, categories, responsible, s, e, gids)
    G, n_end = len(gids), int((e - s).days)
    # event spells: entry = previous event (or 0), exit = this event; then one censored tail
    first = np.r_[True, g[1:] != g[:-1]] if len(g) else np.zeros(0, bool)
    entry = np.where(first, 0, np.r_[0, day[:-1]])
    last = np.full(G, -1, dtype=np.int64)
    last[g] = day
    tail_g = np.arange(G)
    tail_entry = np.maximum(last, 0)
    keep_tail = tail_entry < n_end  # no zero-length censored spell after an event on `end`
    sg = np.r_[g, tail_g[keep_tail]]
    s_in = np.r_[entry, tail_entry[keep_tail]]
    s_out = np.r_[day, np.full(keep_tail.sum(), n_end)]
    ev = np.r_[np.ones(len(g), bool), np.zeros(keep_tail.sum(), bool)]
    order = np.lexsort((s_in, sg))
    sg, s_in, s_out, ev = sg[order], s_in[order], s_out[order], ev[order]
    starts = np.r_[True, sg[1:] != sg[:-1]] if len(sg) else np.zeros(0, bool)
    pos = np.arange(len(sg))
    spell = pos - np.maximum.accumulate(np.where(starts, pos, 0)) + 1
    base = np.datetime64(s, "D")
    return pd.DataFrame({
        "group_id": np.asarray(gids, dtype=object)[sg],
        "spell": spell.astype(np.int64),
        "entry": (base + s_in.astype("timedelta64[D]")).astype("datetime64[us]"),
        "exit": (base + s_out.astype("timedelta64[D]")).astype("datetime64[us]"),
        "days": (s_out - s_in).astype(np.int64),
        "event": ev,
    })
