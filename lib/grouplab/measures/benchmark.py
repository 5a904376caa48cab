"""标杆 (benchmark) management: station and area benchmarks, gaps, rankings, changes.

Seed essay 5: an oil-production area sets two levels of benchmark on 10
indicators — the area benchmark (区标, the best station) and the station
benchmark (站标, the station's own best or its last year-end value) — and
compares every station with both, each month.

Inputs are the long ``indicators`` table (``entity_id``, ``month``,
``indicator_id``, ``value``; entities are wells or stations) and an indicator
catalogue (:func:`grouplab.data.specs.load_catalogue`): per indicator ``id``,
``unit``, ``direction`` (``higher``/``lower`` is better), optionally ``level``
(well/station) and ``aggregate`` (``mean``/``sum``: how monthly values are
combined into a station or a year). Well values are rolled up to their station
through the units table (``parent_id``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.problems import problem
from grouplab.data.specs import load_catalogue
from grouplab.errors import DataError, ParameterError

__all__ = ["station_values", "benchmarks", "rankings", "change"]

_VALUE_COLS = ["entity_id", "month", "indicator_id", "value"]
_BASES = ("best", "year_end")


# --------------------------------------------------------------------------- helpers
def _indicators(catalogue: Mapping[str, Any]) -> pd.DataFrame:
    """Catalogue as a frame: indicator_id, direction, unit, aggregate, sign, is_percent."""
    cat = load_catalogue(catalogue)
    rows = []
    for ind in cat["indicators"]:
        agg = ind.get("aggregate", "mean")
        if agg not in ("mean", "sum"):
            raise DataError([problem("bad_aggregate", "<catalogue>", None, "indicators", agg,
                                     indicator=ind["id"])])
        unit = str(ind.get("unit", ""))
        rows.append({"indicator_id": str(ind["id"]), "direction": ind["direction"], "unit": unit,
                     "aggregate": agg, "sign": 1.0 if ind["direction"] == "higher" else -1.0,
                     "is_percent": unit.strip() in ("%", "％", "percent")})
    return pd.DataFrame(rows)


def _check_values(values: pd.DataFrame, cat: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _VALUE_COLS if c not in values.columns]
    if missing:
        raise DataError([problem("column_missing", "<indicators>", None, c) for c in missing])
    v = values.loc[:, _VALUE_COLS].copy()
    v["indicator_id"] = v["indicator_id"].astype(str)
    v["entity_id"] = v["entity_id"].astype(str)
    v["month"] = pd.to_datetime(v["month"]).dt.to_period("M").dt.to_timestamp()
    v["value"] = pd.to_numeric(v["value"], errors="coerce").astype(float)
    unknown = sorted(set(v["indicator_id"]) - set(cat["indicator_id"]))
    if unknown:
        raise DataError([problem("indicator_not_in_catalogue", "<indicators>", None, "indicator_id", u)
                         for u in unknown[:50]])
    return v.merge(cat, on="indicator_id", how="left")


def _parents(entity: pd.Series, units: pd.DataFrame | None) -> pd.Series:
    """Station of each entity: a station itself, a well its parent unit.

    With a ``level`` column in ``units`` only non-station entities are rolled
    up (stations keep their id even though they have a parent work area);
    without it every entity with a parent is rolled up.
    """
    if units is None:
        return entity.astype(str)
    absent = [c for c in ("unit_id", "parent_id") if c not in units.columns]
    if absent:
        raise DataError([problem("column_missing", "<units>", None, c) for c in absent])
    u = units.dropna(subset=["parent_id"])
    if "level" in u.columns:
        u = u[u["level"].astype(str) != "station"]
    parent = dict(zip(u["unit_id"].astype(str), u["parent_id"].astype(str)))
    e = entity.astype(str)
    mapped = e.map(parent).to_numpy(dtype=object)  # a dict maps the whole column at once
    keep = pd.isna(mapped)
    mapped[keep] = e.to_numpy(dtype=object)[keep]
    return pd.Series(mapped, index=e.index).astype(str)


def _year(period: Any) -> int:
    try:
        return int(str(period)[:4])
    except ValueError:
        raise ParameterError(f"a period must be a year like 2010, got {period!r}") from None


# --------------------------------------------------------------------------- public
def station_values(values: pd.DataFrame, catalogue: Mapping[str, Any],
                   units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Monthly indicator values per station (wells rolled up to their station).

    Parameters
    ----------
    values : DataFrame
        Long indicators table: ``entity_id``, ``month``, ``indicator_id``, ``value``.
    catalogue : mapping
        Indicator catalogue (``indicators`` with id, unit, direction, aggregate).
    units : DataFrame, optional
        Units table (``unit_id``, ``parent_id``, optional ``level``). Wells
        (entities that are not ``level: station`` and have a parent) are
        rolled up to their parent; without ``units`` every entity is taken
        as a station.

    Returns
    -------
    DataFrame
        One row per (``station_id``, ``month``, ``indicator_id``):

        - ``station_id``, ``month`` (first of month), ``indicator_id``;
        - ``value``: the station's value — its own value for station-level
          indicators, else the ``aggregate`` (mean or sum) of its wells' values;
        - ``n_entities``: wells (or 1 for a station) behind the value.

    Raises
    ------
    DataError
        Missing columns or indicators not in the catalogue.

    Examples
    --------
    >>> cat = {"indicators": [{"id": "eff", "unit": "%", "direction": "higher"}]}
    >>> units = pd.DataFrame({"unit_id": ["W1", "W2"], "parent_id": ["S1", "S1"]})
    >>> v = pd.DataFrame({"entity_id": ["W1", "W2"], "month": ["2010-01"] * 2,
    ...                   "indicator_id": "eff", "value": [30.0, 40.0]})
    >>> station_values(v, cat, units)
      station_id      month indicator_id  value  n_entities
    0         S1 2010-01-01          eff   35.0           2
    """
    cat = _indicators(catalogue)
    v = _check_values(values, cat)
    v["station_id"] = _parents(v["entity_id"], units)
    keys = ["station_id", "month", "indicator_id"]
    g = v.groupby(keys, sort=True)["value"]
    out = pd.DataFrame({"mean": g.mean(), "sum": g.sum(min_count=1), "n_entities": g.count()})
    out = out.reset_index().merge(cat[["indicator_id", "aggregate"]], on="indicator_id")
    out["value"] = np.where(out["aggregate"] == "sum", out["sum"], out["mean"])
    out = out[keys + ["value", "n_entities"]].sort_values(keys, ignore_index=True)
    out["n_entities"] = out["n_entities"].astype(np.int64)
    return out


def benchmarks(values: pd.DataFrame, catalogue: Mapping[str, Any], *,
               units: pd.DataFrame | None = None, basis: str = "best") -> pd.DataFrame:
    """Station and area benchmarks and each station's direction-aware gap to them.

    Parameters
    ----------
    values : DataFrame
        Long indicators table (``entity_id``, ``month``, ``indicator_id``, ``value``).
    catalogue : mapping
        Indicator catalogue.
    units : DataFrame, optional
        Units table to roll wells up to stations (see :func:`station_values`).
    basis : {"best", "year_end"}, default "best"
        Station benchmark (站标): ``"best"`` = the station's best monthly value
        in the months before the current one; ``"year_end"`` = its December
        value of the previous year. The seed takes both ("本站的最好指标和年底指标").

    Returns
    -------
    DataFrame
        One row per (``station_id``, ``month``, ``indicator_id``), sorted:

        - ``station_id``, ``month``, ``indicator_id``, ``value``;
        - ``station_benchmark``: per ``basis``; NaN in the first month
          (``best``) or the first year (``year_end``);
        - ``area_benchmark``: best station value of the month (区标);
        - ``area_best``: the station holding the area benchmark (first in
          station order on a tie);
        - ``gap_station``, ``gap_area``: signed gap to the benchmark,
          positive = better than the benchmark (value − benchmark for
          higher-is-better, benchmark − value for lower-is-better), in the
          indicator's unit (percentage points for % indicators);
        - ``gap_station_rel``, ``gap_area_rel``: the gap as a share of
          ``|benchmark|`` (NaN when the benchmark is 0).

    Raises
    ------
    DataError
        Bad ``basis``, missing columns or unknown indicators.

    Notes
    -----
    "Best" is the maximum for ``direction: higher`` and the minimum for
    ``direction: lower``. A station at the area benchmark has ``gap_area`` 0;
    a new record beats the station benchmark (``gap_station`` > 0).

    Examples
    --------
    >>> cat = {"indicators": [{"id": "loss", "unit": "t", "direction": "lower"}]}
    >>> v = pd.DataFrame({"entity_id": ["S1", "S2", "S1", "S2"],
    ...                   "month": ["2011-01", "2011-01", "2011-02", "2011-02"],
    ...                   "indicator_id": "loss", "value": [5.0, 3.0, 4.0, 6.0]})
    >>> b = benchmarks(v, cat)
    >>> b[["station_id", "value", "station_benchmark", "gap_station", "area_benchmark", "gap_area"]]
      station_id  value  station_benchmark  gap_station  area_benchmark  gap_area
    0         S1    5.0                NaN          NaN             3.0      -2.0
    1         S1    4.0                5.0          1.0             4.0       0.0
    2         S2    3.0                NaN          NaN             3.0       0.0
    3         S2    6.0                3.0         -3.0             4.0      -2.0
    """
    if basis not in _BASES:
        raise ParameterError(f"basis must be 'best' or 'year_end', got {basis!r} (best = own best month "
                             "so far; year_end = last December value)")
    cat = _indicators(catalogue)
    sv = station_values(values, catalogue, units).merge(cat[["indicator_id", "sign"]],
                                                        on="indicator_id")
    sv = sv.sort_values(["station_id", "indicator_id", "month"], ignore_index=True)
    signed = sv["value"] * sv["sign"]                          # larger = better
    grp = signed.groupby([sv["station_id"], sv["indicator_id"]], sort=False)
    if basis == "best":
        # a missing month must not erase the record: carry the best so far over gaps
        keys = [sv["station_id"], sv["indicator_id"]]
        prev_best = grp.cummax().groupby(keys, sort=False).ffill().groupby(keys, sort=False).shift(1)
        sv["station_benchmark"] = prev_best * sv["sign"]
    else:
        dec = sv[sv["month"].dt.month == 12]
        ye = pd.DataFrame({"station_id": dec["station_id"], "indicator_id": dec["indicator_id"],
                           "_year": dec["month"].dt.year + 1, "station_benchmark": dec["value"]})
        sv["_year"] = sv["month"].dt.year
        sv = sv.merge(ye, on=["station_id", "indicator_id", "_year"], how="left").drop(columns="_year")
        signed = sv["value"] * sv["sign"]
    sv["_signed"] = signed
    mg = sv.groupby(["month", "indicator_id"], sort=False)["_signed"]
    sv["area_benchmark"] = mg.transform("max") * sv["sign"]
    is_best = sv["_signed"] == mg.transform("max")
    best = (sv.loc[is_best].sort_values("station_id")
            .drop_duplicates(["month", "indicator_id"])[["month", "indicator_id", "station_id"]]
            .rename(columns={"station_id": "area_best"}))
    sv = sv.merge(best, on=["month", "indicator_id"], how="left")
    sv["gap_station"] = (sv["value"] - sv["station_benchmark"]) * sv["sign"] + 0.0  # no -0.0
    sv["gap_area"] = (sv["value"] - sv["area_benchmark"]) * sv["sign"] + 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        sv["gap_station_rel"] = sv["gap_station"] / sv["station_benchmark"].abs().replace(0, np.nan)
        sv["gap_area_rel"] = sv["gap_area"] / sv["area_benchmark"].abs().replace(0, np.nan)
    cols = ["station_id", "month", "indicator_id", "value", "station_benchmark", "area_benchmark",
            "area_best", "gap_station", "gap_area", "gap_station_rel", "gap_area_rel"]
    return sv[cols].sort_values(["station_id", "month", "indicator_id"], ignore_index=True)


def rankings(values: pd.DataFrame, catalogue: Mapping[str, Any], *,
             units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Monthly ranking of stations per indicator (1 = best, direction-aware).

    Parameters
    ----------
    values : DataFrame
        Long indicators table.
    catalogue : mapping
        Indicator catalogue.
    units : DataFrame, optional
        Units table to roll wells up to stations.

    Returns
    -------
    DataFrame
        One row per (``month``, ``indicator_id``, ``station_id``), sorted by
        month, indicator and rank:

        - ``month``, ``indicator_id``, ``station_id``, ``value``;
        - ``rank``: 1 = best (highest value for higher-is-better, lowest for
          lower-is-better); ties share the lowest rank ("min", 1, 1, 3);
        - ``n_ranked``: stations with a value that month.

    Examples
    --------
    >>> cat = {"indicators": [{"id": "loss", "unit": "t", "direction": "lower"}]}
    >>> v = pd.DataFrame({"entity_id": ["S1", "S2", "S3"], "month": "2011-01",
    ...                   "indicator_id": "loss", "value": [5.0, 3.0, 5.0]})
    >>> rankings(v, cat)
           month indicator_id station_id  value  rank  n_ranked
    0 2011-01-01         loss         S2    3.0     1         3
    1 2011-01-01         loss         S1    5.0     2         3
    2 2011-01-01         loss         S3    5.0     2         3
    """
    cat = _indicators(catalogue)
    sv = station_values(values, catalogue, units).merge(cat[["indicator_id", "sign"]],
                                                        on="indicator_id")
    sv = sv.dropna(subset=["value"])
    key = (sv["value"] * sv["sign"]).groupby([sv["month"], sv["indicator_id"]])
    sv["rank"] = key.rank(method="min", ascending=False).astype(np.int64)
    sv["n_ranked"] = key.transform("count").astype(np.int64)
    cols = ["month", "indicator_id", "station_id", "value", "rank", "n_ranked"]
    return sv[cols].sort_values(["month", "indicator_id", "rank", "station_id"], ignore_index=True)


def change(values: pd.DataFrame, catalogue: Mapping[str, Any], *, before: Any, after: Any,
           units: pd.DataFrame | None = None, by: str = "area") -> pd.DataFrame:
    """Change of every indicator between two years, in levels and percentage points.

    Parameters
    ----------
    values : DataFrame
        Long indicators table (wells and/or stations).
    catalogue : mapping
        Indicator catalogue; ``aggregate`` (mean/sum, default mean) says how a
        year's monthly values are combined.
    before, after : int or str
        The two years (``2010``, ``"2011"``).
    units : DataFrame, optional
        Units table; needed for ``by="station"`` when values are per well.
    by : {"area", "station"}, default "area"
        One value per indicator for the whole area, or per station.

    Returns
    -------
    DataFrame
        One row per indicator (and station for ``by="station"``), in
        catalogue order:

        - ``station_id`` (only for ``by="station"``);
        - ``indicator_id``, ``unit``, ``direction``;
        - ``value_before``, ``value_after``: the year values;
        - ``change``: ``value_after − value_before`` in the unit — for %
          indicators these are percentage points;
        - ``change_pct``: relative change in % of ``value_before`` (for %
          indicators this is NOT the point change);
        - ``improved``: True when the change goes in the better direction
          (nullable boolean: ``<NA>`` when either year has no value);
        - ``n_before``, ``n_after``: monthly values behind each year value.

    Raises
    ------
    DataError
        A period that is not a year, bad ``by``, missing columns or unknown indicators.

    Notes
    -----
    Year value = ``aggregate`` of ALL monthly values of the indicator at the
    level it is recorded (every well-month for well indicators, every
    station-month for station indicators) in that year: the mean for rates,
    the sum for counts and quantities. This is the rule of the demo data's
    catalogue (README "Oil area"); a mean of station means would weight wells
    differently when stations have unequal numbers of wells.

    Examples
    --------
    >>> cat = {"indicators": [{"id": "eff", "unit": "%", "direction": "higher"},
    ...                       {"id": "loss", "unit": "t", "direction": "lower", "aggregate": "sum"}]}
    >>> v = pd.DataFrame({"entity_id": "S1", "month": ["2010-06", "2011-06"] * 2,
    ...                   "indicator_id": ["eff", "eff", "loss", "loss"],
    ...                   "value": [32.6, 35.8, 976.0, 399.0]})
    >>> change(v, cat, before=2010, after=2011)[["indicator_id", "value_before",
    ...                                           "value_after", "change", "improved"]].round(1)
      indicator_id  value_before  value_after  change  improved
    0          eff          32.6         35.8     3.2      True
    1         loss         976.0        399.0  -577.0      True
    """
    if by not in ("area", "station"):
        raise ParameterError(f"by must be 'area' or 'station', got {by!r}")
    y0, y1 = _year(before), _year(after)
    cat = _indicators(catalogue)
    v = _check_values(values, cat)
    v["_year"] = v["month"].dt.year
    v = v[v["_year"].isin([y0, y1])]
    keys = ["indicator_id"]
    if by == "station":
        v["station_id"] = _parents(v["entity_id"], units)
        keys = ["station_id", "indicator_id"]
    g = v.groupby(keys + ["_year"])["value"]
    yv = pd.DataFrame({"mean": g.mean(), "sum": g.sum(min_count=1), "n": g.count()}).reset_index()
    yv = yv.merge(cat[["indicator_id", "aggregate"]], on="indicator_id")
    yv["value"] = np.where(yv["aggregate"] == "sum", yv["sum"], yv["mean"])
    wide = yv.pivot_table(index=keys, columns="_year", values=["value", "n"], aggfunc="first")
    out = pd.DataFrame(index=wide.index)
    for col, yr in (("before", y0), ("after", y1)):
        out[f"value_{col}"] = wide[("value", yr)] if ("value", yr) in wide.columns else np.nan
        out[f"n_{col}"] = (wide[("n", yr)] if ("n", yr) in wide.columns else 0)
    out = out.reset_index().merge(cat, on="indicator_id", how="right" if by == "area" else "inner")
    out["change"] = out["value_after"] - out["value_before"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["change_pct"] = 100 * out["change"] / out["value_before"].abs().replace(0, np.nan)
    # no value in one of the years: whether it improved is unknown, not False
    out["improved"] = pd.array(np.where(out["change"].isna(), None,
                                        (out["change"] * out["sign"]) > 0), dtype="boolean")
    for c in ("n_before", "n_after"):
        out[c] = out[c].fillna(0).astype(np.int64)
    order = {iid: i for i, iid in enumerate(cat["indicator_id"])}
    out["_o"] = out["indicator_id"].map(order)
    out = out.sort_values((["station_id"] if by == "station" else []) + ["_o"], ignore_index=True)
    cols = (["station_id"] if by == "station" else []) + [
        "indicator_id", "unit", "direction", "value_before", "value_after", "change", "change_pct",
        "improved", "n_before", "n_after"]
    return out[cols]
