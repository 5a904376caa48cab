"""Display tables, figures and one-sentence readings of a benchmarking report.

Indicator names come from the catalogue, wording from
:data:`~grouplab.reports.benchmark.phrases.PHRASES`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.reports.benchmark.context import BenchmarkContext
from grouplab.reports.benchmark.phrases import PHRASES, UNITS_EN
from grouplab.reports.benchmark.tables import catalogue_of
from grouplab.reports.common.labels import phrase, spec_label

__all__ = [
    "notes",
    "format_indicators", "format_ranking", "format_change",
    "plot_gaps", "plot_ranking",
    "interpret_indicators", "interpret_ranking", "interpret_change",
]

_CLIP = 100.0   # gap chart: bars beyond ±100 % of the benchmark are cut and labelled
_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


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
    order = [i for i in catalogue_of(ctx)["indicator_id"] if i in wide.index]
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
    order = [i for i in catalogue_of(ctx)["indicator_id"] if i in wide.index]
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
    >>> from grouplab.reports.benchmark import indicator_table, prepare
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
    >>> from grouplab.reports.benchmark import prepare, ranking_table
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
    >>> from grouplab.reports.benchmark import change_table, prepare
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
