"""Display tables, figures and sentences of a scorecard report, in ``sc.lang`` only.

Compute first, format last: numbers come from :mod:`.tables`; here they are
rounded, labelled (:data:`.phrases.PHRASES`, grade and aspect names from the
rubric) and described. Sentences describe the groups; they make no claim
about what causes the scores.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from grouplab.measures import evaluation as ev
from grouplab.reports.common.labels import phrase, sheet_namer, spec_label
from grouplab.reports.scorecard.context import Scorecard
from grouplab.reports.scorecard.phrases import PHRASES as P
from grouplab.reports.scorecard.tables import (
    aspect_scores,
    leader_rows,
    rectification_rows,
    unit_incidents,
    unit_summary,
    year_scores,
)

__all__ = ["grades_table", "aspect_profile", "trend", "summary", "advanced_sentence",
           "rectification_table", "leader_review_table", "plot_aspects", "plot_trend",
           "sheet_name", "overview"]


def _grade_text(codes: pd.Series, sc: Scorecard) -> pd.Series:
    return ev.grade_labels(codes, lang=sc.lang, bands=sc.rubric["bands"]).astype(object)


def _sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


#: Name of a key table (Excel sheet) in ``lang``: ``grades``, ``rect`` or ``lead``.
sheet_name = sheet_namer(P)


def _names(t: pd.DataFrame) -> pd.Series:
    """Group names as the tables show them (reports show names, not ids); a name two groups of the
    unit share gets the id in brackets."""
    groups = t.drop_duplicates("group_id")
    shared = set(groups.loc[groups.duplicated("name", keep=False), "name"])
    return pd.Series([f"{n} ({g})" if n in shared else n
                      for g, n in zip(t["group_id"], t["name"], strict=True)], index=t.index, dtype=object)


def grades_table(sc: Scorecard) -> pd.DataFrame:
    """Half-yearly totals and grades of the unit's groups in the year, labelled in ``sc.lang``.

    Returns
    -------
    pandas.DataFrame
        One row per group: name (with the id only when two groups share it), first- and
        second-half totals (1
        decimal) and grades, the yearly mean (2 decimals) and its grade.
    """
    t = year_scores(sc)
    L = sc.lang
    return pd.DataFrame({
        P["group"][L]: _names(t),
        P["H1"][L]: t["H1"].round(1), P["H1_grade"][L]: _grade_text(t["H1_grade"], sc),
        P["H2"][L]: t["H2"].round(1), P["H2_grade"][L]: _grade_text(t["H2_grade"], sc),
        P["mean"][L]: t["mean"].round(2), P["year_grade"][L]: _grade_text(t["year_grade"], sc),
    })


def aspect_profile(sc: Scorecard) -> pd.DataFrame:
    """:func:`~.tables.aspect_scores` labelled and rounded to 1 decimal.

    Returns
    -------
    pandas.DataFrame
        Index: group names; one column per aspect (label in ``sc.lang``); values 0–100.
    """
    t = aspect_scores(sc).round(1)
    t.columns = [spec_label(sc.rubric["aspects"][a], sc.lang, a) for a in t.columns]
    t.index.name = P["group"][sc.lang]
    return t


def trend(sc: Scorecard) -> pd.DataFrame:
    """Totals of every group over all periods (long: group, period, total; labelled)."""
    t = sc.scored[["name", "period", "total"]].sort_values(["name", "period"])
    return t.rename(columns={"name": P["group"][sc.lang], "period": P["period"][sc.lang],
                             "total": P["total"][sc.lang]}).reset_index(drop=True)


def summary(sc: Scorecard) -> str:
    """One sentence on the unit's year: means, counts at the top and bottom, weakest aspect."""
    y = sc.scored[sc.scored["year"] == sc.year]
    prof = aspect_profile(sc).mean()
    low = ev.grade(pd.Series([79.999]), bands=sc.rubric["bands"]).iloc[0]
    order = list(ev.grade(pd.Series([0.0]), bands=sc.rubric["bands"]).cat.categories)
    n_low = int(y["grade"].map(order.index).le(order.index(low)).sum())
    return phrase(P, "summary", sc.lang, unit=sc.unit_name, n=y["group_id"].nunique(), year=sc.year,
                  h1=y.loc[y["half"] == "H1", "total"].mean(), h2=y.loc[y["half"] == "H2", "total"].mean(),
                  n_exc=int((y["grade"] == order[-1]).sum()), n_low=n_low,
                  weak=prof.idxmin(), weak_pct=prof.min())


def advanced_sentence(sc: Scorecard) -> str:
    """The advanced group of the year (highest mean of the two evaluations), as a sentence."""
    rev = ev.annual_review(sc.scored, sc.groups, bands=sc.rubric["bands"])
    row = rev[(rev["unit_id"] == sc.unit_id) & (rev["year"] == sc.year)]
    if row.empty or pd.isna(row["advanced_group"].iloc[0]):
        return phrase(P, "no_advanced", sc.lang, year=sc.year)
    r = row.iloc[0]
    name = sc.groups.set_index("group_id").loc[r["advanced_group"], "name"]
    tie = P["advanced_tie"][sc.lang] if bool(r["tied"]) else ""
    return phrase(P, "advanced", sc.lang, year=sc.year, name=name, mean=r["advanced_mean"], tie=tie)


def _period_text(period: pd.Series, lang: str) -> pd.Series:
    halves = P["half"][lang]
    fmt = "{y} 年{h}" if lang == "zh" else "{y} {h}"
    return pd.Series([fmt.format(y=p[:4], h=halves.get(p[4:], p[4:])) for p in period], index=period.index,
                     dtype=object)


def rectification_table(sc: Scorecard) -> tuple[pd.DataFrame, str]:
    """Group half-years at 基本合格 (basic pass) or below in the year, and a sentence.

    Returns
    -------
    table : pandas.DataFrame
        Group name, period, total (1 decimal), grade (labelled).
    sentence : str
    """
    r, L = rectification_rows(sc), sc.lang
    table = pd.DataFrame({P["group"][L]: _names(r),
                          P["period"][L]: _period_text(r["period"], L), P["total"][L]: r["total"].round(1),
                          P["grade"][L]: _grade_text(r["grade"], sc)})
    if r.empty:
        return table, phrase(P, "no_rect", L, year=sc.year)
    return table, phrase(P, "rect", L, n=len(r), names=_sep(L).join(dict.fromkeys(r["name"])))


def leader_review_table(sc: Scorecard) -> tuple[pd.DataFrame, str]:
    """Groups whose yearly grade was 基本合格 or below two years running (up to ``sc.year``).

    Returns
    -------
    table : pandas.DataFrame
        One row per flagged group-year: group name, year, yearly mean (2 decimals), grade.
    sentence : str
    """
    lr, L = leader_rows(sc), sc.lang
    table = pd.DataFrame({P["group"][L]: _names(lr),
                          P["year"][L]: lr["year"], P["mean"][L]: lr["mean"].round(2),
                          P["year_grade"][L]: _grade_text(lr["grade"], sc)})
    current = lr[lr["year"] == sc.year]
    if current.empty:
        return table, phrase(P, "no_lead", L)
    return table, phrase(P, "lead", L, names=_sep(L).join(dict.fromkeys(current["name"])))


def overview(dataset: Any, *, period: Any, lang: str) -> pd.DataFrame:
    """Columns of the batch overview page (one row per unit) for the scorecard's year ``period``.

    Returns
    -------
    pandas.DataFrame
        Index ``unit_id``; labelled columns: number of groups, mean half-year
        total in the year (1 decimal), the number of group half-years in
        each grade (grade names from the rubric, best first), then the year's
        safety records (all five categories, found hazards and violations
        included) and their rate per 1,000,000
        person-hours of the exposure table (1 decimal; see
        :func:`~grouplab.reports.scorecard.tables.unit_incidents`).
    """
    t = unit_summary(dataset, int(period))
    bands = dataset.rubric["bands"]
    out = pd.DataFrame({P["ov_groups"][lang]: t["groups"],
                        P["ov_mean"][lang].format(year=period): t["mean_total"].round(1)}, index=t.index)
    for band in bands:
        code = band["grade"]
        out[P["ov_grade"][lang].format(grade=spec_label(band, lang, code))] = (
            t[code].fillna(0).astype(int) if code in t else 0)
    inc = unit_incidents(dataset, int(period)).reindex(out.index)
    if inc["person_hours"].notna().any():
        out[P["ov_events"][lang].format(year=period)] = inc["events"].astype("Int64")
        out[P["ov_rate"][lang].format(year=period)] = inc["rate_1m"].round(1)
    return out


def plot_aspects(sc: Scorecard):
    """Heatmap of :func:`aspect_profile` (returns the matplotlib Figure)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    from grouplab.reports.common.plots import use_theme

    use_theme()
    prof = aspect_profile(sc)
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(prof) + 2))
    sns.heatmap(prof, annot=True, fmt=".1f", cmap="RdYlGn", vmin=50, vmax=100, cbar=False, ax=ax)
    ax.set(title=phrase(P, "aspect_title", sc.lang, unit=sc.unit_name, year=sc.year),
           xlabel=P["aspect"][sc.lang], ylabel=P["group"][sc.lang])
    fig.tight_layout()
    return fig


def plot_trend(sc: Scorecard):
    """Totals by period for every group, with the grade band limits (returns the Figure)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    from grouplab.reports.common.plots import use_theme

    use_theme()
    t = trend(sc)
    g, per, tot = P["group"][sc.lang], P["period"][sc.lang], P["total"][sc.lang]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    sns.lineplot(data=t, x=per, y=tot, hue=g, marker="o", ax=ax)
    for band in sc.rubric["bands"][:-1]:
        ax.axhline(band["min"], color="grey", lw=0.8, ls="--")
        ax.text(len(t[per].unique()) - 0.5, band["min"], spec_label(band, sc.lang), va="bottom",
                ha="right", fontsize=8, color="grey")
    ax.set(title=phrase(P, "trend_title", sc.lang, unit=sc.unit_name))
    ax.tick_params(axis="x", rotation=45)
    ax.legend(title=g, bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig
