"""The group scorecard of one unit and year (notebook 02_group_scorecard).

Tables, figures and one-sentence readings of the half-yearly evaluations:
grades, aspect profile, trend, the advanced group, the rectification list and
the leader-review flags. All numbers come from :mod:`grouplab.measures.evaluation`;
this module only selects, labels and formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.dataset import Dataset, load_dataset, resolve_data_dir
from grouplab.measures import evaluation as ev
from grouplab.reports.common.labels import check_lang, phrase, spec_label
from grouplab.reports.common.params import check_id, check_year

__all__ = ["Scorecard", "prepare", "grades_table", "aspect_profile", "trend", "summary",
           "advanced_sentence", "rectification_table", "leader_review_table",
           "plot_aspects", "plot_trend"]

P = {
    "group": {"zh": "党小组", "en": "Group"},
    "group_id": {"zh": "党小组编号", "en": "Group ID"},
    "H1": {"zh": "上半年得分", "en": "H1 total"},
    "H2": {"zh": "下半年得分", "en": "H2 total"},
    "H1_grade": {"zh": "上半年等级", "en": "H1 grade"},
    "H2_grade": {"zh": "下半年等级", "en": "H2 grade"},
    "mean": {"zh": "全年平均", "en": "Year mean"},
    "year_grade": {"zh": "年度等级", "en": "Year grade"},
    "period": {"zh": "考评期", "en": "Period"},
    "year": {"zh": "年度", "en": "Year"},
    "total": {"zh": "总分", "en": "Total"},
    "grade": {"zh": "等级", "en": "Grade"},
    "pct": {"zh": "得分率（%）", "en": "Score (% of maximum)"},
    "aspect": {"zh": "考评方面", "en": "Aspect"},
    "review": {"zh": "建议调整党小组长", "en": "Leader review"},
    "trend_title": {"zh": "{unit}各党小组考评总分趋势", "en": "Evaluation totals of {unit}'s groups"},
    "aspect_title": {"zh": "{unit} {year} 年各方面得分率", "en": "{unit} {year}: score by aspect (% of max)"},
    "summary": {
        "zh": "{unit}共有 {n} 个党小组参加 {year} 年考评：上半年平均 {h1:.1f} 分，下半年平均 {h2:.1f} 分；"
              "{n_exc} 个小组次获评优秀，{n_low} 个小组次处于基本合格及以下。得分率最低的方面是{weak}（{weak_pct:.0f}%）。",
        "en": "{n} groups of {unit} were evaluated in {year}: mean total {h1:.1f} in H1 and {h2:.1f} in H2; "
              "{n_exc} group half-years were rated excellent and {n_low} basic pass or below. The weakest "
              "aspect was {weak} ({weak_pct:.0f}% of its maximum).",
    },
    "advanced": {"zh": "{year} 年度先进党小组：{name}（两次考评平均 {mean:.2f} 分{tie}）。",
                 "en": "Advanced group of {year}: {name} (mean of the two evaluations {mean:.2f}{tie})."},
    "advanced_tie": {"zh": "，与其他小组同分，按下半年得分确定", "en": "; tied, decided by the H2 total"},
    "no_advanced": {"zh": "{year} 年没有小组完成两次考评，不评选年度先进党小组。",
                    "en": "No group completed both evaluations of {year}: no advanced group."},
    "rect": {"zh": "{n} 个小组次处于基本合格及以下，党支部应帮助查找原因、限期整改：{names}。",
             "en": "{n} group half-years were at basic pass or below and need a rectification plan: {names}."},
    "no_rect": {"zh": "{year} 年没有需要整改的党小组。", "en": "No group needed rectification in {year}."},
    "lead": {"zh": "{names} 连续两年年度等级在基本合格及以下，应考虑更换党小组长人选。",
             "en": "{names}: yearly grade at basic pass or below two years running — review the group leader."},
    "no_lead": {"zh": "没有党小组连续两年处于基本合格及以下。",
                "en": "No group was at basic pass or below two years running."},
}


@dataclass(frozen=True)
class Scorecard:
    """Checked parameters and the scored evaluations of one unit."""

    dataset: Dataset
    unit_id: str
    unit_name: str
    year: int
    lang: str
    scored: pd.DataFrame  # evaluation.score output for the unit's groups, with name, year, half
    groups: pd.DataFrame  # the unit's groups

    @property
    def rubric(self) -> dict:
        return self.dataset.rubric


def prepare(data_dir: Any, *, unit_id: Any, year: Any, lang: Any) -> Scorecard:
    """Load the dataset and check the notebook parameters (one call at the top of the notebook).

    Raises
    ------
    ParameterError
        Unknown unit (the message lists units that have groups), a year
        without evaluations, or a language other than zh/en.

    Examples
    --------
    >>> sc = prepare("demo", unit_id="WA01", year=2019, lang="zh")
    >>> sc.unit_id, sc.year, len(sc.groups)
    ('WA01', 2019, 4)
    """
    lang = check_lang(lang)
    ds = load_dataset(resolve_data_dir(data_dir))
    groups_all = ds.tables["groups"]
    unit_id = check_id(unit_id, groups_all["unit_id"].unique(), name="unit_id")
    groups = groups_all[groups_all["unit_id"] == unit_id].sort_values("group_id").reset_index(drop=True)
    ev_unit = ds.tables["evaluations"]
    ev_unit = ev_unit[ev_unit["group_id"].isin(groups["group_id"])]
    scored = ev.score(ev_unit, ds.rubric)
    scored["year"] = scored["period"].str.slice(0, 4).astype(int)
    scored["half"] = scored["period"].str.slice(4)
    scored = scored.merge(groups[["group_id", "name"]], on="group_id", how="left")
    year = check_year(year, scored["year"].unique())
    units = ds.tables["units"]
    name = str(units.loc[units["unit_id"] == unit_id, "name"].iloc[0])
    return Scorecard(ds, unit_id, name, year, lang, scored, groups)


def _grade_text(codes: pd.Series, sc: Scorecard) -> pd.Series:
    return ev.grade_labels(codes, lang=sc.lang, bands=sc.rubric["bands"]).astype(object)


def grades_table(sc: Scorecard) -> pd.DataFrame:
    """Half-yearly totals and grades of the unit's groups in the year, labelled in ``sc.lang``.

    Returns
    -------
    pandas.DataFrame
        One row per group: group id, name, H1 and H2 totals and grades, the
        yearly mean and its grade (the yearly grade is the grade of the mean).
    """
    y = sc.scored[sc.scored["year"] == sc.year]
    wide = y.pivot_table(index=["group_id", "name"], columns="half", values="total").reset_index()
    for h in ("H1", "H2"):
        if h not in wide:
            wide[h] = np.nan
    wide["mean"] = wide[["H1", "H2"]].mean(axis=1, skipna=False)
    g = {h: y[y["half"] == h].set_index("group_id")["grade"] for h in ("H1", "H2")}
    out = pd.DataFrame({
        P["group_id"][sc.lang]: wide["group_id"],
        P["group"][sc.lang]: wide["name"],
        P["H1"][sc.lang]: wide["H1"].round(1),
        P["H1_grade"][sc.lang]: _grade_text(wide["group_id"].map(g["H1"]), sc),
        P["H2"][sc.lang]: wide["H2"].round(1),
        P["H2_grade"][sc.lang]: _grade_text(wide["group_id"].map(g["H2"]), sc),
        P["mean"][sc.lang]: wide["mean"].round(2),
        P["year_grade"][sc.lang]: _grade_text(ev.grade(wide["mean"], bands=sc.rubric["bands"]), sc),
    })
    return out.sort_values(P["group_id"][sc.lang]).reset_index(drop=True)


def aspect_profile(sc: Scorecard) -> pd.DataFrame:
    """Score of each aspect as a percentage of its maximum, year mean per group.

    Returns
    -------
    pandas.DataFrame
        Index: group names; one column per aspect (label in ``sc.lang``);
        values 0–100 rounded to 1 decimal.
    """
    maxima: dict[str, float] = {}
    for item in sc.rubric["items"]:
        maxima[item["aspect"]] = maxima.get(item["aspect"], 0.0) + float(item["max"])
    y = sc.scored[sc.scored["year"] == sc.year]
    cols = [f"aspect_{a}" for a in sc.rubric["aspects"]]
    mean = y.groupby("name", sort=True)[cols].mean()
    out = pd.DataFrame({spec_label(sc.rubric["aspects"][a], sc.lang, a):
                        (100 * mean[f"aspect_{a}"] / maxima[a]).round(1)
                        for a in sc.rubric["aspects"]}, index=mean.index)
    out.index.name = P["group"][sc.lang]
    return out


def trend(sc: Scorecard) -> pd.DataFrame:
    """Totals of every group over all periods (long: group, period, total)."""
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


def rectification_table(sc: Scorecard) -> tuple[pd.DataFrame, str]:
    """Group half-years at 基本合格 or below in the year, and a sentence.

    Returns
    -------
    table : pandas.DataFrame
        Group id, name, period, total, grade (labelled).
    sentence : str
    """
    r = ev.rectification(sc.scored, bands=sc.rubric["bands"])
    r = r[r["year"] == sc.year].merge(sc.groups[["group_id", "name"]], on="group_id")
    r = r.sort_values(["group_id", "period"])
    table = pd.DataFrame({P["group_id"][sc.lang]: r["group_id"], P["group"][sc.lang]: r["name"],
                          P["period"][sc.lang]: r["period"], P["total"][sc.lang]: r["total"].round(1),
                          P["grade"][sc.lang]: _grade_text(r["grade"], sc)}).reset_index(drop=True)
    if r.empty:
        return table, phrase(P, "no_rect", sc.lang, year=sc.year)
    names = "、".join(dict.fromkeys(r["name"])) if sc.lang == "zh" else ", ".join(dict.fromkeys(r["name"]))
    return table, phrase(P, "rect", sc.lang, n=len(r), names=names)


def leader_review_table(sc: Scorecard) -> tuple[pd.DataFrame, str]:
    """Groups whose yearly grade was 基本合格 or below two years running (up to ``sc.year``).

    Returns
    -------
    table : pandas.DataFrame
        One row per flagged group-year: group id, name, year, yearly mean, grade.
    sentence : str
    """
    lr = ev.leader_review(sc.scored, bands=sc.rubric["bands"])
    lr = lr[lr["review"] & (lr["year"] <= sc.year)].merge(sc.groups[["group_id", "name"]], on="group_id")
    lr = lr.sort_values(["group_id", "year"])
    table = pd.DataFrame({P["group_id"][sc.lang]: lr["group_id"], P["group"][sc.lang]: lr["name"],
                          P["year"][sc.lang]: lr["year"], P["mean"][sc.lang]: lr["mean"].round(2),
                          P["year_grade"][sc.lang]: _grade_text(lr["grade"], sc)}).reset_index(drop=True)
    current = lr[lr["year"] == sc.year]
    if current.empty:
        return table, phrase(P, "no_lead", sc.lang)
    sep = "、" if sc.lang == "zh" else ", "
    return table, phrase(P, "lead", sc.lang, names=sep.join(dict.fromkeys(current["name"])))


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
           xlabel=P["aspect"][sc.lang], ylabel="")
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
