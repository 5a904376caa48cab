"""标杆 benchmarking report of one station and year (notebook ``05_benchmarking``).

Compute first, format last: :func:`prepare` loads the dataset and checks the
notebook's parameters; ``*_table`` functions compute numeric DataFrames from
:mod:`grouplab.benchmark` (monthly station and area benchmarks, rankings,
year-on-year change); ``format_*``, ``plot_*`` and ``interpret_*`` label,
round, draw and describe them in zh or en (indicator names from the
catalogue, phrases from :data:`PHRASES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .benchmark import benchmarks, change, rankings
from .errors import ParameterError
from .io import Dataset, load_dataset
from .labels import check_lang, phrase, spec_label
from .params import check_id, check_year

__all__ = [
    "PHRASES", "BenchmarkContext", "prepare",
    "indicator_table", "ranking_table", "change_table",
    "format_indicators", "format_ranking", "format_change",
    "plot_gaps", "plot_ranking",
    "interpret_indicators", "interpret_ranking", "interpret_change",
]

#: zh/en phrases of the benchmarking report.
PHRASES: dict[str, dict[str, str]] = {
    "indicator": {"zh": "指标", "en": "Indicator"},
    "unit": {"zh": "单位", "en": "Unit"},
    "better": {"zh": "方向", "en": "Better when"},
    "higher": {"zh": "越高越好", "en": "higher"},
    "lower": {"zh": "越低越好", "en": "lower"},
    "months": {"zh": "月数", "en": "Months"},
    "value": {"zh": "本站月均值", "en": "Station: monthly mean"},
    "station_benchmark": {"zh": "站标（月均）", "en": "Station benchmark (monthly mean)"},
    "area_benchmark": {"zh": "区标（月均）", "en": "Area benchmark (monthly mean)"},
    "gap_station": {"zh": "与站标差距", "en": "Gap to station benchmark"},
    "gap_area": {"zh": "与区标差距", "en": "Gap to area benchmark"},
    "months_best": {"zh": "达到区标的月数", "en": "Months at area benchmark"},
    "months_record": {"zh": "刷新站标的月数", "en": "Months beating station benchmark"},
    "area_before": {"zh": "作业区 {y}年", "en": "Area {y}"},
    "area_after": {"zh": "作业区 {y}年", "en": "Area {y}"},
    "area_change": {"zh": "作业区变化", "en": "Area change"},
    "area_improved": {"zh": "作业区是否改善", "en": "Area improved"},
    "station_before": {"zh": "本站 {y}年", "en": "Station {y}"},
    "station_after": {"zh": "本站 {y}年", "en": "Station {y}"},
    "station_change": {"zh": "本站变化", "en": "Station change"},
    "station_improved": {"zh": "本站是否改善", "en": "Station improved"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "gaps_title": {"zh": "{station}（{year}年）：与站标、区标的平均差距",
                   "en": "{station} ({year}): mean gap to the station and area benchmarks"},
    "gaps_axis": {"zh": "差距占标杆的百分比（正值 = 优于标杆）",
                  "en": "Gap as % of the benchmark (positive = better than the benchmark)"},
    "series_station": {"zh": "与站标", "en": "vs station benchmark"},
    "series_area": {"zh": "与区标", "en": "vs area benchmark"},
    "rank_title": {"zh": "{station}（{year}年）：各指标月度排名（1 = 最好，共 {n} 个站）",
                   "en": "{station} ({year}): monthly rank per indicator (1 = best of {n} stations)"},
    "month": {"zh": "月份", "en": "Month"},
    "month_label": {"zh": "{m}月", "en": "{abbr}"},
    "mean_rank": {"zh": "平均名次", "en": "Mean rank"},
    "notes": {
        "zh": "注：站标 = 本站此前最好的月度值；区标 = 当月最好的站的值。"
              "差距为“优于标杆”方向的差值（单位同指标，% 指标为百分点），"
              "取全年各月平均；百分比差距 = 平均差距 ÷ 平均标杆。",
        "en": "Note: station benchmark = the station's best earlier monthly value; area benchmark = the "
              "best station's value of the month. Gaps are signed so that positive means better than the "
              "benchmark (in the indicator's unit, points for % indicators), averaged over the year's "
              "months; % gap = mean gap ÷ mean benchmark."},
    "ind_sentence": {
        "zh": "{year}年{station}有 {n_best} 个指标在半数以上月份达到区标，{n_record} 个指标至少一次刷新站标；"
              "与区标相对差距最大的是“{worst}”（月均差 {worst_abs} {unit}，为区标的 {worst_gap}%）。",
        "en": "In {year}, {station} was at the area benchmark in at least half of the months on {n_best} "
              "of {n} indicators and beat its own benchmark at least once on {n_record}; its largest "
              "relative gap to the area benchmark is on “{worst}” (mean gap {worst_abs} {unit}, "
              "{worst_gap}% of the benchmark)."},
    "ind_all_best": {"zh": "{year}年{station}在所有指标上都保持区标水平。",
                     "en": "In {year}, {station} held the area benchmark on every indicator."},
    "rank_sentence": {
        "zh": "{year}年{station}在 {n_cells} 个“指标×月份”中有 {n_first} 个排名第一；平均名次最好的是“{best}”"
              "（{best_rank}），最差的是“{worst}”（{worst_rank}）。",
        "en": "In {year}, {station} ranked first in {n_first} of {n_cells} indicator-months; its best "
              "mean rank is on “{best}” ({best_rank}) and its worst on “{worst}” ({worst_rank})."},
    "change_sentence": {
        "zh": "与{before}年相比，作业区 {n_area} 个指标改善、本站 {n_station} 个指标改善（共 {n} 个）；"
              "{highlights}。",
        "en": "Compared with {before}, the area improved on {n_area} and the station on {n_station} of "
              "{n} indicators; {highlights}."},
    "change_none": {"zh": "{before}年没有数据，无法比较变化。",
                    "en": "There are no data for {before}, so no change can be shown."},
    "highlight_pct": {"zh": "“{name}”由 {a}% 变为 {b}%（{d:+.1f} 个百分点）",
                      "en": "“{name}” went from {a}% to {b}% ({d:+.1f} points)"},
    "highlight": {"zh": "“{name}”由 {a} {unit} 变为 {b} {unit}",
                  "en": "“{name}” went from {a} {unit} to {b} {unit}"},
    "join": {"zh": "，", "en": "; "},
}

#: English names of the catalogue's Chinese units.
UNITS_EN = {"t/人": "t/person", "个": "count", "次": "jobs", "天": "days", "人": "persons"}
_CLIP = 100.0   # gap chart: bars beyond ±100 % of the benchmark are cut and labelled
_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True, repr=False)
class BenchmarkContext:
    """Checked parameters and the tables a benchmarking report uses.

    Attributes
    ----------
    values : pandas.DataFrame
        The long indicators table (``entity_id``, ``month``, ``indicator_id``, ``value``).
    units : pandas.DataFrame
        The units table (wells roll up to stations through ``parent_id``).
    catalogue : dict
        The indicator catalogue.
    station_id, station_name : str
    year : int
    lang : {"zh", "en"}
    """

    values: pd.DataFrame
    units: pd.DataFrame
    catalogue: dict
    station_id: str
    station_name: str
    year: int
    lang: str

    def __repr__(self) -> str:
        return (f"BenchmarkContext(station_id={self.station_id!r}, year={self.year}, "
                f"lang={self.lang!r}, indicators={len(self.catalogue['indicators'])})")

    @property
    def label(self) -> str:
        """``station_id`` and name, for titles and sentences."""
        return f"{self.station_id} {self.station_name}"


def _load(data: str | Path | Dataset) -> Dataset:
    if isinstance(data, Dataset):
        return data
    from .quality import resolve_data_dir

    return load_dataset(resolve_data_dir(data))


def prepare(data: str | Path | Dataset, *, station_id: Any, year: Any,
            lang: Any = "zh") -> BenchmarkContext:
    """Load the dataset and check the notebook's parameters in one call.

    Parameters
    ----------
    data : str, Path or Dataset
        ``"demo"``, a dataset folder, or an already loaded Dataset.
    station_id : str
        A unit of level ``station`` with indicator values.
    year : int or str
        A year with indicator values.
    lang : {"zh", "en"}

    Returns
    -------
    BenchmarkContext

    Raises
    ------
    ParameterError
        Unknown station (the message lists the valid ones), a year without
        data, an unknown ``lang``, or a dataset without indicators or catalogue.

    Examples
    --------
    >>> prepare("demo", station_id="S1", year="2011", lang="en")
    BenchmarkContext(station_id='S1', year=2011, lang='en', indicators=10)
    """
    lang = check_lang(lang)
    ds = _load(data)
    if "indicators" not in ds.tables or ds.catalogue is None:
        raise ParameterError("this dataset has no indicators table with an indicator catalogue; "
                             "choose a dataset whose dataset.yml names both")
    values, units = ds.tables["indicators"], ds.tables["units"]
    stations = units.loc[units["level"].astype(str) == "station", ["unit_id", "name"]]
    station_id = check_id(station_id, stations["unit_id"].astype(str), name="station_id")
    year = check_year(year, values["month"].dt.year.unique(), name="year")
    name = stations.loc[stations["unit_id"].astype(str) == station_id, "name"].iloc[0]
    return BenchmarkContext(values=values, units=units, catalogue=ds.catalogue, station_id=station_id,
                            station_name=str(name), year=year, lang=lang)


# --------------------------------------------------------------------------- compute
def _catalogue(ctx: BenchmarkContext) -> pd.DataFrame:
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
          over the year (:func:`grouplab.benchmark.benchmarks`, basis
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
    out = _catalogue(ctx)
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
        with a value), from :func:`grouplab.benchmark.rankings`.

    Examples
    --------
    >>> ctx = prepare("demo", station_id="S1", year=2011)
    >>> ranking_table(ctx).head(3)
         indicator_id  month  rank  n_ranked
    0  oil_per_capita      1     2         3
    1  oil_per_capita      2     1         3
    2  oil_per_capita      3     1         3
    """
    r = rankings(ctx.values, ctx.catalogue, units=ctx.units)
    r = r[(r["station_id"] == ctx.station_id) & (r["month"].dt.year == ctx.year)].copy()
    order = {iid: i for i, iid in enumerate(_catalogue(ctx)["indicator_id"])}
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
        :func:`grouplab.benchmark.change` (year value = mean or sum of all
        monthly values at the indicator's level, per the catalogue).

    Examples
    --------
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
    out = _catalogue(ctx)
    for prefix, t in (("area", area), ("station", st)):
        t = t.set_index("indicator_id")
        for a, b in (("before", "value_before"), ("after", "value_after"), ("change", "change"),
                     ("improved", "improved")):
            out[f"{prefix}_{a}"] = out["indicator_id"].map(t[b]) if len(t) else np.nan
        out[f"{prefix}_improved"] = out[f"{prefix}_improved"].fillna(False).astype(bool)
    return out


# --------------------------------------------------------------------------- format
def _name(ctx: BenchmarkContext, indicator_id: str) -> str:
    entry = next(i for i in ctx.catalogue["indicators"] if str(i["id"]) == indicator_id)
    return spec_label(entry, ctx.lang, indicator_id)


def _unit(unit: str, lang: str) -> str:
    return UNITS_EN.get(unit, unit) if lang == "en" else unit


def _month(m: int, lang: str) -> str:
    return phrase(PHRASES, "month_label", lang, m=m, abbr=_MONTHS_EN[m - 1])


def format_indicators(table: pd.DataFrame, ctx: BenchmarkContext) -> pd.DataFrame:
    """Display table of :func:`indicator_table` (values and gaps rounded to 1 decimal).

    Returns
    -------
    pandas.DataFrame
        Columns (labels in ``ctx.lang``): indicator, unit, better when, months,
        station monthly mean, station benchmark, area benchmark, gap to each,
        months at area benchmark, months beating station benchmark.
    """
    L = ctx.lang
    nums = ["value", "station_benchmark", "area_benchmark", "gap_station", "gap_area"]
    out = pd.DataFrame({
        phrase(PHRASES, "indicator", L): [_name(ctx, i) for i in table["indicator_id"]],
        phrase(PHRASES, "unit", L): [_unit(u, L) for u in table["unit"]],
        phrase(PHRASES, "better", L): [phrase(PHRASES, d, L) for d in table["direction"]],
        phrase(PHRASES, "months", L): table["months"].to_numpy(),
    })
    for c in nums:
        out[phrase(PHRASES, c, L)] = table[c].astype(float).round(1).to_numpy() + 0.0
    for c in ("months_best", "months_record"):
        out[phrase(PHRASES, c, L)] = table[c].to_numpy()
    return out


def format_ranking(table: pd.DataFrame, ctx: BenchmarkContext) -> pd.DataFrame:
    """Wide display of :func:`ranking_table`: one row per indicator, one column per month.

    Returns
    -------
    pandas.DataFrame
        Indicator label, then the rank in each month (``1月`` … / ``Jan`` …),
        then the mean rank (2 decimals).
    """
    L = ctx.lang
    ind = phrase(PHRASES, "indicator", L)
    wide = table.pivot(index="indicator_id", columns="month", values="rank")
    order = [i for i in _catalogue(ctx)["indicator_id"] if i in wide.index]
    wide = wide.loc[order]
    out = pd.DataFrame({ind: [_name(ctx, i) for i in wide.index]})
    for m in wide.columns:
        out[_month(int(m), L)] = wide[m].astype("Int64").to_numpy()
    out[phrase(PHRASES, "mean_rank", L)] = wide.mean(axis=1).round(2).to_numpy()
    return out


def format_change(table: pd.DataFrame, ctx: BenchmarkContext) -> pd.DataFrame:
    """Display table of :func:`change_table` (1 decimal; % indicators change in points).

    Returns
    -------
    pandas.DataFrame
        Columns (labels in ``ctx.lang``): indicator, unit, area before/after/
        change/improved, station before/after/change/improved.
    """
    L = ctx.lang
    out = pd.DataFrame({
        phrase(PHRASES, "indicator", L): [_name(ctx, i) for i in table["indicator_id"]],
        phrase(PHRASES, "unit", L): [_unit(u, L) for u in table["unit"]],
    })
    for p in ("area", "station"):
        for a in ("before", "after", "change"):
            y = ctx.year - 1 if a == "before" else ctx.year
            values = table[f"{p}_{a}"].astype(float).round(1).to_numpy() + 0.0
            out[phrase(PHRASES, f"{p}_{a}", L, y=y)] = values
        has = table[f"{p}_change"].notna()
        out[phrase(PHRASES, f"{p}_improved", L)] = [phrase(PHRASES, "yes" if i else "no", L) if h else ""
                                                    for i, h in zip(table[f"{p}_improved"], has)]
    return out


# --------------------------------------------------------------------------- figures
def plot_gaps(table: pd.DataFrame, ctx: BenchmarkContext):
    """Direction-aware gap chart: mean gap to the station and area benchmarks in % of the benchmark.

    Returns
    -------
    matplotlib.figure.Figure
        One pair of horizontal bars per indicator; right of 0 = better than
        the benchmark, whatever the indicator's direction.
    """
    import matplotlib.pyplot as plt

    labels = [_name(ctx, i) for i in table["indicator_id"]]
    y = np.arange(len(table))[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(table) + 1.8))
    for col, dy, color, key in (("gap_station_pct", 0.2, "C0", "series_station"),
                                ("gap_area_pct", -0.2, "C1", "series_area")):
        x = table[col].to_numpy(dtype=float)
        ax.barh(y + dy, np.clip(np.nan_to_num(x), -_CLIP, _CLIP), height=0.4, color=color,
                label=phrase(PHRASES, key, ctx.lang))
        for xi, yi in zip(x, y + dy):
            if np.isfinite(xi) and abs(xi) > _CLIP:          # clipped bar: print its value
                ax.text(np.sign(xi) * _CLIP, yi, f"{xi:.0f}%", va="center", fontsize=7,
                        ha="left" if xi > 0 else "right")
    ax.set_xlim(-_CLIP * 1.25, _CLIP * 1.25)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, labels)
    ax.set_xlabel(phrase(PHRASES, "gaps_axis", ctx.lang))
    ax.set_title(phrase(PHRASES, "gaps_title", ctx.lang, station=ctx.label, year=ctx.year))
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def plot_ranking(table: pd.DataFrame, ctx: BenchmarkContext):
    """Heatmap of the station's monthly ranks (indicators × months, 1 = best).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    wide = table.pivot(index="indicator_id", columns="month", values="rank")
    order = [i for i in _catalogue(ctx)["indicator_id"] if i in wide.index]
    wide = wide.loc[order].astype(float)
    n = int(table["n_ranked"].max()) if len(table) else 0
    fig, ax = plt.subplots(figsize=(9, 0.4 * len(wide) + 1.8))
    im = ax.imshow(wide.to_numpy(), cmap="RdYlGn_r", vmin=1, vmax=max(n, 2), aspect="auto")
    for (i, j), v in np.ndenumerate(wide.to_numpy()):
        if np.isfinite(v):
            ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=8)
    ax.set_xticks(range(wide.shape[1]), [_month(int(m), ctx.lang) for m in wide.columns])
    ax.set_yticks(range(wide.shape[0]), [_name(ctx, i) for i in wide.index])
    ax.set_xlabel(phrase(PHRASES, "month", ctx.lang))
    ax.grid(False)
    ax.set_title(phrase(PHRASES, "rank_title", ctx.lang, station=ctx.label, year=ctx.year, n=n))
    fig.colorbar(im, ax=ax, shrink=0.8, ticks=list(range(1, max(n, 2) + 1)))
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- sentences
def notes(ctx: BenchmarkContext) -> str:
    """How benchmarks and gaps are defined, in ``ctx.lang``."""
    return phrase(PHRASES, "notes", ctx.lang)


def interpret_indicators(table: pd.DataFrame, ctx: BenchmarkContext) -> str:
    """One sentence: indicators at the area benchmark, records, the largest gap.

    Examples
    --------
    >>> ctx = prepare("demo", station_id="S1", year=2011, lang="en")
    >>> print(interpret_indicators(indicator_table(ctx), ctx))  # doctest: +ELLIPSIS
    In 2011, S1 采油一站 was at the area benchmark in at least half of the months on ... indicators ...
    """
    half = table["months_best"] >= np.ceil(table["months"] / 2).clip(lower=1)
    gaps = table.dropna(subset=["gap_area_pct"])
    gaps = gaps[gaps["gap_area_pct"] < 0]
    values = {"year": ctx.year, "station": ctx.label}
    if gaps.empty:
        return phrase(PHRASES, "ind_all_best", ctx.lang, **values)
    worst = gaps.sort_values("gap_area_pct", kind="stable").iloc[0]
    return phrase(PHRASES, "ind_sentence", ctx.lang, n_best=int(half.sum()),
                  n_record=int((table["months_record"] > 0).sum()),
                  worst=_name(ctx, worst["indicator_id"]), worst_gap=f"{worst['gap_area_pct']:.1f}",
                  worst_abs=f"{worst['gap_area']:.1f}", unit=_unit(worst["unit"], ctx.lang), n=len(table),
                  **values)


def interpret_ranking(table: pd.DataFrame, ctx: BenchmarkContext) -> str:
    """One sentence: first places and the best and worst mean rank.

    Examples
    --------
    >>> ctx = prepare("demo", station_id="S1", year=2011, lang="en")
    >>> print(interpret_ranking(ranking_table(ctx), ctx))  # doctest: +NORMALIZE_WHITESPACE
    In 2011, S1 采油一站 ranked first in 37 of 120 indicator-months; its best mean rank is on
    “Oil produced per employee” (1.42) and its worst on “Hazards found in safety inspections” (2.17).
    """
    mean = table.groupby("indicator_id", sort=False)["rank"].mean()
    best = mean.sort_values(kind="stable").index[0]
    worst = mean.sort_values(ascending=False, kind="stable").index[0]
    return phrase(PHRASES, "rank_sentence", ctx.lang, year=ctx.year, station=ctx.label,
                  n_first=int((table["rank"] == 1).sum()), n_cells=len(table),
                  best=_name(ctx, best), best_rank=f"{mean[best]:.2f}",
                  worst=_name(ctx, worst), worst_rank=f"{mean[worst]:.2f}")


def interpret_change(table: pd.DataFrame, ctx: BenchmarkContext) -> str:
    """One sentence on the change since the previous year, quoting the area's % indicators.

    Examples
    --------
    >>> ctx = prepare("demo", station_id="S1", year=2011, lang="en")
    >>> print(interpret_change(change_table(ctx), ctx))  # doctest: +NORMALIZE_WHITESPACE
    Compared with 2010, the area improved on 10 and the station on 10 of 10 indicators;
    “Pumping units within balance standard” went from 85.0% to 92.3% (+7.3 points);
    “Output lost to temporarily shut-in wells” went from 976.0 t to 399.0 t;
    “Equipment in good order” went from 93.2% to 98.1% (+4.9 points);
    “Pumping-well system efficiency” went from 32.6% to 35.8% (+3.2 points);
    “Pump efficiency” went from 43.9% to 50.9% (+7.0 points).
    """
    before = ctx.year - 1
    if table["area_before"].isna().all():
        return phrase(PHRASES, "change_none", ctx.lang, before=before)
    t = table.dropna(subset=["area_before", "area_after"])
    pct = t["unit"].str.strip().isin(["%", "％"])
    rel = (t["area_change"].abs() / t["area_before"].abs().replace(0, np.nan)).fillna(0)
    # the % indicators and the largest relative improvement in levels
    levels = t[~pct & t["area_improved"]]
    pick = list(t.index[pct])
    if len(levels):
        pick.append(rel[levels.index].sort_values(ascending=False, kind="stable").index[0])
    parts = []
    for i in sorted(pick):
        r = t.loc[i]
        name = _name(ctx, r["indicator_id"])
        if pct[i]:
            parts.append(phrase(PHRASES, "highlight_pct", ctx.lang, name=name, a=f"{r['area_before']:.1f}",
                                b=f"{r['area_after']:.1f}", d=round(r["area_change"], 1) + 0.0))
        else:
            parts.append(phrase(PHRASES, "highlight", ctx.lang, name=name, a=f"{r['area_before']:.1f}",
                                b=f"{r['area_after']:.1f}", unit=_unit(r["unit"], ctx.lang)))
    return phrase(PHRASES, "change_sentence", ctx.lang, before=before,
                  n_area=int(t["area_improved"].sum()), n_station=int(t["station_improved"].sum()),
                  n=len(table), highlights=phrase(PHRASES, "join", ctx.lang).join(parts))
