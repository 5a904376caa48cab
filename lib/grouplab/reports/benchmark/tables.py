"""Numeric tables of a benchmarking report, from :mod:`grouplab.measures.benchmark`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.measures.benchmark import benchmarks, change, rankings
from grouplab.reports.benchmark.context import BenchmarkContext

__all__ = ["indicator_table", "ranking_table", "change_table"]


def catalogue_of(ctx: BenchmarkContext) -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": str(i["id"]), "unit": str(i.get("unit", "")),
                          "direction": i["direction"]} for i in ctx.catalogue["indicators"]])


def indicator_table(ctx: BenchmarkContext) -> pd.DataFrame:
    """The station against its own and the area benchmark, averaged over the year's months.

    Returns
    -------
    pandas.DataFrame
        One row per indicator in catalogue order:

        - ``indicator_id``, ``unit``, ``direction``;
        - ``months``: months with a value for the station;
        - ``value``, ``station_benchmark``, ``area_benchmark``: monthly means
          over the year (:func:`grouplab.measures.benchmark.benchmarks`, basis
          ``best``: the station's best earlier month; the area benchmark is
          the best station of the month);
        - ``gap_station``, ``gap_area``: mean signed gap, positive = better
          than the benchmark, in the indicator's unit;
        - ``gap_station_pct``, ``gap_area_pct``: ``100 · mean gap / mean
          |benchmark|`` (NaN when that is 0);
        - ``months_best``: months the station held the area benchmark;
        - ``months_record``: months it beat its own benchmark.

    Examples
    --------
    >>> from grouplab.reports.benchmark import prepare
    >>> ctx = prepare("demo", station_id="S1", year=2011)
    >>> t = indicator_table(ctx)
    >>> t.loc[t["indicator_id"] == "balance_rate", ["months", "value", "area_benchmark",
    ...                                             "months_best"]].round(2)
       months  value  area_benchmark  months_best
    2      12  93.87           94.62            8
    """
    b = benchmarks(ctx.values, ctx.catalogue, units=ctx.units)
    b = b[(b["station_id"] == ctx.station_id) & (b["month"].dt.year == ctx.year)]
    g = b.groupby("indicator_id")
    out = catalogue_of(ctx)
    agg = pd.DataFrame({
        "months": g["value"].count(),
        "value": g["value"].mean(),
        "station_benchmark": g["station_benchmark"].mean(),
        "area_benchmark": g["area_benchmark"].mean(),
        "gap_station": g["gap_station"].mean(),
        "gap_area": g["gap_area"].mean(),
        "_abs_station": g["station_benchmark"].apply(lambda s: s.abs().mean()),
        "_abs_area": g["area_benchmark"].apply(lambda s: s.abs().mean()),
        "months_best": g["gap_area"].apply(lambda s: int((s >= 0).sum())),
        "months_record": g["gap_station"].apply(lambda s: int((s > 0).sum())),
    }).reset_index()
    out = out.merge(agg, on="indicator_id", how="left")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["gap_station_pct"] = 100 * out["gap_station"] / out["_abs_station"].replace(0, np.nan)
        out["gap_area_pct"] = 100 * out["gap_area"] / out["_abs_area"].replace(0, np.nan)
    for c in ("months", "months_best", "months_record"):
        out[c] = out[c].fillna(0).astype(np.int64)
    return out[["indicator_id", "unit", "direction", "months", "value", "station_benchmark",
                "area_benchmark", "gap_station", "gap_area", "gap_station_pct", "gap_area_pct",
                "months_best", "months_record"]]


def ranking_table(ctx: BenchmarkContext) -> pd.DataFrame:
    """The station's monthly rank on every indicator in the year (1 = best).

    Returns
    -------
    pandas.DataFrame
        One row per (``indicator_id``, ``month``), catalogue then month order:
        ``indicator_id``, ``month`` (1–12), ``rank``, ``n_ranked`` (stations
        with a value), from :func:`grouplab.measures.benchmark.rankings`.

    Examples
    --------
    >>> from grouplab.reports.benchmark import prepare
    >>> ctx = prepare("demo", station_id="S1", year=2011)
    >>> ranking_table(ctx).head(3)
         indicator_id  month  rank  n_ranked
    0  oil_per_capita      1     2         3
    1  oil_per_capita      2     1         3
    2  oil_per_capita      3     1         3
    """
    r = rankings(ctx.values, ctx.catalogue, units=ctx.units)
    r = r[(r["station_id"] == ctx.station_id) & (r["month"].dt.year == ctx.year)].copy()
    order = {iid: i for i, iid in enumerate(catalogue_of(ctx)["indicator_id"])}
    r["_o"] = r["indicator_id"].map(order)
    r["month"] = r["month"].dt.month.astype(np.int64)
    r = r.sort_values(["_o", "month"], ignore_index=True)
    return r[["indicator_id", "month", "rank", "n_ranked"]]


def change_table(ctx: BenchmarkContext) -> pd.DataFrame:
    """Year values of the previous year and the chosen one, for the area and the station.

    Returns
    -------
    pandas.DataFrame
        One row per indicator in catalogue order: ``indicator_id``, ``unit``,
        ``direction``; for ``area`` and ``station``: ``{}_before``,
        ``{}_after``, ``{}_change`` (points for % indicators) and
        ``{}_improved`` (change in the better direction), from
        :func:`grouplab.measures.benchmark.change` (year value = mean or sum of all
        monthly values at the indicator's level, per the catalogue).

    Examples
    --------
    >>> from grouplab.reports.benchmark import prepare
    >>> ctx = prepare("demo", station_id="S1", year=2011)
    >>> t = change_table(ctx).set_index("indicator_id")
    >>> t.loc[["balance_rate", "shut_in_loss", "equipment_integrity"],
    ...       ["area_before", "area_after", "area_change"]].round(1)  # doctest: +NORMALIZE_WHITESPACE
                         area_before  area_after  area_change
    indicator_id
    balance_rate                85.0        92.3          7.3
    shut_in_loss               976.0       399.0       -577.0
    equipment_integrity         93.2        98.1          4.9
    """
    prev = ctx.year - 1
    area = change(ctx.values, ctx.catalogue, before=prev, after=ctx.year, units=ctx.units)
    st = change(ctx.values, ctx.catalogue, before=prev, after=ctx.year, units=ctx.units, by="station")
    st = st[st["station_id"] == ctx.station_id]
    out = catalogue_of(ctx)
    for prefix, t in (("area", area), ("station", st)):
        t = t.set_index("indicator_id")
        for a, b in (("before", "value_before"), ("after", "value_after"), ("change", "change"),
                     ("improved", "improved")):
            out[f"{prefix}_{a}"] = out["indicator_id"].map(t[b]) if len(t) else np.nan
        out[f"{prefix}_improved"] = out[f"{prefix}_improved"].fillna(False).astype(bool)
    return out
