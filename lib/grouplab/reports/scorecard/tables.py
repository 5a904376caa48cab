"""Numeric tables of a scorecard report (never rounded, canonical column names).

All numbers come from :mod:`grouplab.measures.evaluation`; these functions
only select and reshape. Labels, rounding and language are added in
:mod:`.display`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.data.dataset import Dataset
from grouplab.measures import evaluation as ev
from grouplab.reports.scorecard.context import Scorecard, entity_ids, scored_evaluations

__all__ = ["year_scores", "aspect_scores", "rectification_rows", "leader_rows", "unit_summary",
           "unit_incidents"]


def year_scores(sc: Scorecard) -> pd.DataFrame:
    """Half-yearly totals and grades of the unit's groups in ``sc.year``.

    Returns
    -------
    pandas.DataFrame
        One row per group, in name order (then id: a name kept by two groups of the unit):
        ``group_id``, ``name``, ``H1``,
        ``H2`` (totals), ``H1_grade``, ``H2_grade`` (grade codes), ``mean``
        (mean of the two totals, missing unless both exist) and
        ``year_grade`` (the grade of ``mean``).
    """
    y = sc.scored[sc.scored["year"] == sc.year]
    wide = y.pivot_table(index=["group_id", "name"], columns="half", values="total").reset_index()
    for h in ("H1", "H2"):
        if h not in wide:
            wide[h] = np.nan
    wide["mean"] = wide[["H1", "H2"]].mean(axis=1, skipna=False)
    for h in ("H1", "H2"):
        wide[f"{h}_grade"] = wide["group_id"].map(y[y["half"] == h].set_index("group_id")["grade"])
    wide["year_grade"] = ev.grade(wide["mean"], bands=sc.rubric["bands"]).to_numpy()
    cols = ["group_id", "name", "H1", "H1_grade", "H2", "H2_grade", "mean", "year_grade"]
    return wide[cols].sort_values(["name", "group_id"]).reset_index(drop=True)


def aspect_scores(sc: Scorecard) -> pd.DataFrame:
    """Score of each aspect as a percentage of its maximum, year mean per group.

    Returns
    -------
    pandas.DataFrame
        Index: group names, in the order of :func:`year_scores` (name, then id), a name kept
        by two groups of the unit followed by the id; one column per aspect id of the rubric;
        values 0–100.
    """
    maxima: dict[str, float] = {}
    for item in sc.rubric["items"]:
        maxima[item["aspect"]] = maxima.get(item["aspect"], 0.0) + float(item["max"])
    y = sc.scored[sc.scored["year"] == sc.year]
    mean = y.groupby(["name", "group_id"], sort=True)[[f"aspect_{a}" for a in sc.rubric["aspects"]]].mean()
    names = mean.index.get_level_values("name")
    twice = names.duplicated(keep=False)
    label = [f"{n} ({g})" if t else n for (n, g), t in zip(mean.index, twice, strict=True)]
    return pd.DataFrame({a: 100 * mean[f"aspect_{a}"].to_numpy() / maxima[a] for a in sc.rubric["aspects"]},
                        index=pd.Index(label, name="name"))


def rectification_rows(sc: Scorecard) -> pd.DataFrame:
    """Group half-years of ``sc.year`` at 基本合格 (basic pass) or below.

    Returns
    -------
    pandas.DataFrame
        ``group_id``, ``name``, ``period``, ``total``, ``grade``; sorted by group and period.
    """
    r = ev.rectification(sc.scored, bands=sc.rubric["bands"])
    return _named(r[r["year"] == sc.year], sc, ["period", "total", "grade"])


def leader_rows(sc: Scorecard) -> pd.DataFrame:
    """Group-years up to ``sc.year`` whose yearly grade was 基本合格 or below two years running.

    Returns
    -------
    pandas.DataFrame
        ``group_id``, ``name``, ``year``, ``mean``, ``grade``; sorted by group and year.
    """
    lr = ev.leader_review(sc.scored, bands=sc.rubric["bands"])
    return _named(lr[lr["review"] & (lr["year"] <= sc.year)], sc, ["year", "mean", "grade"])


def _named(rows: pd.DataFrame, sc: Scorecard, columns: list[str]) -> pd.DataFrame:
    """``rows`` of groups with their names: ``group_id``, ``name``, ``columns``; sorted by group and
    the first of ``columns``."""
    named = rows.merge(sc.groups[["group_id", "name"]], on="group_id")
    return named.sort_values(["group_id", columns[0]])[["group_id", "name", *columns]].reset_index(drop=True)


def unit_summary(dataset: Dataset, year: int) -> pd.DataFrame:
    """One row per unit with groups: groups, mean half-year total and grade counts in ``year``.

    Returns
    -------
    pandas.DataFrame
        Index ``unit_id``; ``groups`` (number of groups), ``mean_total``
        (mean of the year's half-year totals), one column per grade code
        (number of group half-years with that grade).
    """
    scored = scored_evaluations(dataset)
    y = scored[scored["year"] == int(year)]
    groups = dataset.tables["groups"].groupby("unit_id")["group_id"].nunique()
    counts = pd.crosstab(y["unit_id"], y["grade"])
    out = pd.DataFrame({"groups": groups, "mean_total": y.groupby("unit_id")["total"].mean()})
    out = out.join(counts).reindex(entity_ids(dataset))
    out.index.name = "unit_id"
    return out


def unit_incidents(dataset: Dataset, year: int) -> pd.DataFrame:
    """Incidents and incident rate per unit in ``year``, per the exposure table's person-hours.

    Groups are mapped to their unit through the groups table (an incident
    without a group counts for its ``unit_id``); counts and rates come from
    :func:`grouplab.measures.safety.incident_rates` with ``by=["unit_id",
    "year"]``, summed over the five codebook categories. Units with no
    exposure in ``year`` get no rate (and their incidents, which have no
    denominator, are not counted).

    Returns
    -------
    pandas.DataFrame
        Index ``unit_id`` (the units of :func:`entity_ids`); ``events``
        (incidents of all categories in ``year``), ``person_hours`` (Σ
        exposure) and ``rate_1m`` (events per 1,000,000 person-hours, 百万工时);
        missing where the unit has no exposure. Empty columns when the dataset
        has no incidents or exposure table.
    """
    from grouplab.measures.safety import incident_rates

    out = pd.DataFrame(index=pd.Index(entity_ids(dataset), name="unit_id"),
                       columns=["events", "person_hours", "rate_1m"], dtype=float)
    tables = dataset.tables
    if not {"incidents", "exposure", "groups"} <= set(tables):
        return out
    unit_of = tables["groups"].set_index("group_id")["unit_id"]
    inc = tables["incidents"].copy()
    own = inc["unit_id"] if "unit_id" in inc else pd.Series(np.nan, index=inc.index, dtype=object)
    inc["unit_id"] = inc["group_id"].map(unit_of).fillna(own)
    inc = inc[inc["unit_id"].notna() & (pd.to_datetime(inc["date"]).dt.year == int(year))]
    exp = tables["exposure"].assign(unit_id=lambda e: e["group_id"].map(unit_of))
    exp = exp[exp["unit_id"].notna() & (pd.to_datetime(exp["month"]).dt.year == int(year))]
    inc = inc[inc["unit_id"].isin(set(exp["unit_id"]))]
    if exp.empty:
        return out
    r = incident_rates(inc, exp, by=["unit_id", "year"])
    # one denominator per unit-year, so the all-category rate is the sum of the category rates
    per = r.groupby("unit_id").agg(events=("events", "sum"), person_hours=("person_hours", "first"),
                                   rate_1m=("rate_1m", "sum"))
    out.update(per)
    return out
