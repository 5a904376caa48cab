"""The group × month study panel: exposure, outcomes and measures in one table.

:func:`study_panel` joins what the models of :mod:`grouplab.models` need —
person-hours, incident counts per category, meetings and their 三多三少 quality
flags, leader training, demonstration posts, evaluation totals (outcome-linked
items excluded) and, optionally, group means of survey scales — onto the
complete grid of the exposure table. :func:`survey_group_scores` aggregates
members' scale scores to groups and reports ICC(1), ICC(2) and rwg(j) next to
each aggregate so they are judged before they are trusted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.periods import month_index, month_timestamps
from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError
from grouplab.measures.activity import FLAGS, activity_panel
from grouplab.measures.evaluation import score as _score_evaluations
from grouplab.measures.lags import lag as _calendar_lag
from grouplab.measures.meeting_flags import dataset_activities, flagged_activities
from grouplab.measures.safety import CATEGORIES
from grouplab.measures.survey.aggregation import aggregation
from grouplab.measures.survey.scales import score_scales

__all__ = ["study_panel", "survey_group_scores", "lag_columns", "CATEGORIES", "FLAGS"]

_NO_MEETING_DEFICIT = 3.0


def _tables(data: Any) -> tuple[Mapping[str, pd.DataFrame], dict | None, dict | None]:
    """Tables, rubric and questionnaire of a Dataset or a plain mapping."""
    if hasattr(data, "tables") and hasattr(data, "rubric"):
        return data.tables, data.rubric, data.questionnaire
    if isinstance(data, Mapping):
        return data, None, None
    raise ParameterError(f"data must be a grouplab Dataset or a mapping of tables, got "
                         f"{type(data).__name__}: pass grouplab.load_demo() / load_dataset(path), "
                         "or a dict of DataFrames")


def _need(tables: Mapping[str, pd.DataFrame], table: str, columns: Sequence[str]) -> pd.DataFrame:
    if table not in tables:
        raise DataError([problem("table_missing", table, table=table, have=", ".join(sorted(tables)))])
    df = tables[table]
    miss = [c for c in columns if c not in df.columns]
    if miss:
        raise DataError([problem("missing_columns", table, missing=", ".join(miss),
                                 found=", ".join(map(str, df.columns)))])
    return df


def _month(values: pd.Series, what: str) -> pd.Series:
    """First of the month of each value (:func:`grouplab.data.periods.month_index`); DataError if missing."""
    v = values.replace("", None) if values.dtype == object else values
    return pd.Series(month_timestamps(month_index(v, what)), index=values.index)


def _evaluation_totals(evaluations: pd.DataFrame, rubric: Mapping[str, Any]) -> pd.DataFrame:
    linked = [str(it["id"]) for it in rubric.get("items", []) if it.get("outcome_linked")]
    sc = _score_evaluations(evaluations, rubric, exclude_items=linked)
    per = sc["period"].astype(str)
    first = per.str[:4].astype(int).to_numpy() * 12 + (per.str[-1].astype(int).to_numpy() - 1) * 6
    rows = []
    for k in range(6):  # each half-year covers six months
        rows.append(pd.DataFrame({"group_id": sc["group_id"].astype(object).to_numpy(),
                                  "month": month_timestamps(first + k), "eval_period": per.to_numpy(),
                                  "eval_total": sc["total"].to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def survey_group_scores(responses: pd.DataFrame, spec: Mapping[str, Any], *,
                        group: str = "group_id", wave: str = "wave",
                        min_answered: float = 0.5) -> pd.DataFrame:
    """Group means of survey scales per wave, with ICC(1), ICC(2) and rwg(j).

    Parameters
    ----------
    responses : pandas.DataFrame
        One row per respondent: ``group``, ``wave`` and the scale items.
    spec : mapping
        Questionnaire spec (scales, reverse-keyed items, response range).
    group, wave : str
        Grouping and wave columns.
    min_answered : float
        Share of a scale's items a respondent must answer to get a score
        (passed to :func:`grouplab.measures.survey.scales.score_scales`).

    Returns
    -------
    pandas.DataFrame
        One row per (group, wave, scale), sorted by them:

        - ``group_id`` (or ``group``), ``wave``, ``scale``.
        - ``score`` — mean scale score of the group's respondents.
        - ``n_respondents`` — respondents with a score.
        - ``icc1``, ``icc2``, ``rwg_j`` — of the scale in that wave, from
          :func:`grouplab.measures.survey.aggregation.aggregation` (the same for every group).
        - ``aggregate_ok`` — ``icc1 >= 0.05`` and ``rwg_j >= 0.70``; the
          conventional thresholds for treating the mean as a group property.

    Raises
    ------
    DataError
        Missing ``group``/``wave`` columns, or as :func:`score_scales`.

    Notes
    -----
    A group mean is a group property only when members agree (rwg(j), James,
    Demaree & Wolf 1984) and groups differ (ICC(1)); ICC(2) is the reliability
    of the means. The thresholds of ``aggregate_ok`` (0.05, 0.70) follow
    LeBreton & Senter (2008); they are a flag for the reader, nothing is dropped.

    References
    ----------
    LeBreton, J. M., & Senter, J. L. (2008). Answers to 20 questions about
    interrater reliability and interrater agreement. *Organizational Research
    Methods*, 11, 815–852.

    Examples
    --------
    >>> spec = {"range": [1, 5], "scales": {"A": {"items": ["A1", "A2"]}}}
    >>> df = pd.DataFrame({"group_id": list("aaabbb"), "wave": 2019,
    ...                    "A1": [4, 5, 4, 2, 1, 2], "A2": [3, 4, 5, 1, 2, 2]})
    >>> survey_group_scores(df, spec)[["group_id", "scale", "score", "icc1", "aggregate_ok"]].round(3)
      group_id scale  score   icc1  aggregate_ok
    0        a     A  4.167  0.936          True
    1        b     A  1.667  0.936          True
    """
    for c in (group, wave):
        if c not in responses.columns:
            raise DataError([problem("survey_column_missing", "survey", name=c)])
    parts = []
    for w, sub in responses.groupby(wave, sort=True):
        scores = score_scales(sub, spec, min_answered=min_answered)
        agg = aggregation(sub, spec, group=group, min_answered=min_answered).set_index("scale")
        for scale in agg.index:
            s = pd.DataFrame({group: sub[group].astype(object).to_numpy(),
                              "y": scores[scale].to_numpy(dtype=float)}).dropna()
            g = s.groupby(group, sort=True)["y"].agg(["mean", "count"]).reset_index()
            parts.append(pd.DataFrame({
                group: g[group], wave: w, "scale": scale, "score": g["mean"],
                "n_respondents": g["count"].astype(np.int64),
                "icc1": agg.at[scale, "icc1"], "icc2": agg.at[scale, "icc2"],
                "rwg_j": agg.at[scale, "rwg_j"]}))
    out = pd.concat(parts, ignore_index=True)
    out["aggregate_ok"] = (out["icc1"] >= 0.05) & (out["rwg_j"] >= 0.70)
    return out.sort_values([group, wave, "scale"], ignore_index=True)


def lag_columns(panel: pd.DataFrame, columns: str | Sequence[str], lags: int | Sequence[int], *,
                by: str = "group_id", time: str = "month") -> pd.DataFrame:
    """Add predictors measured in months t−k (for each k in ``lags``) to each row t.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per (``by``, ``time``).
    columns : str or list of str
        Measures to lag.
    lags : int or list of int
        ``3`` means months t−1, t−2, t−3; a list names the lags exactly.
    by, time : str
        Group and month columns.

    Returns
    -------
    pandas.DataFrame
        A copy of ``panel`` with ``<column>_lag<k>`` for every column and lag:
        the value of the same group ``k`` calendar months earlier, missing when
        that month is absent (never the previous row, never another group).

    Raises
    ------
    DataError
        Missing columns, a lag < 1 (a lead would leak the future), repeated
        (group, month) rows.

    Notes
    -----
    A thin wrapper over :func:`grouplab.measures.lags.lag` that refuses leads: in
    the study the outcome of month t may only be explained by months before t.

    Examples
    --------
    >>> p = pd.DataFrame({"group_id": list("AAAB"), "x": [1.0, 2.0, 4.0, 5.0],
    ...                   "month": pd.to_datetime(["2019-01", "2019-02", "2019-04", "2019-02"])})
    >>> lag_columns(p, "x", 2)[["x_lag1", "x_lag2"]].to_numpy().tolist()
    [[nan, nan], [1.0, nan], [nan, 2.0], [nan, nan]]
    """
    ks = list(range(1, lags + 1)) if isinstance(lags, (int, np.integer)) else list(lags)
    if not ks or any((not isinstance(k, (int, np.integer))) or k < 1 for k in ks):
        raise ParameterError(f"lags must be positive whole months, got {lags!r}: leads (negative lags) "
                             "would let the future explain the present")
    out = panel
    for k in ks:
        out = _calendar_lag(out, columns, int(k), by=by, time=time)
    return out


def study_panel(data: Any, *, rubric: Mapping[str, Any] | None = None,
                survey: bool = False, questionnaire: Mapping[str, Any] | None = None,
                log_start: Any = None, meeting_flags: str | None = None,
                activities: pd.DataFrame | None = None) -> pd.DataFrame:
    """Build the group × month study panel from a dataset.

    Parameters
    ----------
    data : grouplab.Dataset or mapping of str to DataFrame
        Needs tables ``groups``, ``exposure``, ``incidents``, ``activities``;
        uses ``posts``, ``evaluations`` and ``survey`` when present.
    rubric : mapping, optional
        Evaluation rubric (default: the dataset's). Items marked
        ``outcome_linked`` are left out of ``eval_total``.
    survey : bool
        Add group means of the survey scales (needs a questionnaire).
    questionnaire : mapping, optional
        Questionnaire spec (default: the dataset's).
    log_start : date-like, optional
        First month the activities log covers, passed to
        :func:`grouplab.measures.activity.activity_panel`. Trailing 12-month training
        windows reaching before it are missing; give an earlier month when
        the log is known to be complete (e.g. no trainings before it).
    meeting_flags : {"recorded", "coded", "recorded_else_coded"}, optional
        Where the 三多三少 flags of ``meeting_quality``, ``flag_<name>``, ``flags_per_meeting`` and
        ``quality_deficit`` come from (:func:`grouplab.measures.meeting_flags.flagged_activities`).
        Default: ``meeting_flags:`` of the dataset's manifest, else ``recorded`` (the log as ticked).
        A mapping of tables gives its minutes as ``"minutes"``.
    activities : pandas.DataFrame, optional
        The activity log to use instead of the dataset's, its flags already chosen (e.g.
        :func:`grouplab.measures.meeting_flags.dataset_activities`); ``meeting_flags`` is then ignored.

    Returns
    -------
    pandas.DataFrame
        One row per row of ``exposure`` (group × month), sorted by group and month:

        - ``group_id``, ``unit_id`` (from ``groups``), ``month`` (first of month),
          ``year``, ``calendar_month`` (1–12), ``person_hours``.
        - ``n_<category>`` — incidents per codebook category (``n_violation``,
          ``n_hidden_hazard``, ``n_responsibility_accident``,
          ``n_equipment_failure``, ``n_near_miss``).
        - ``n_meetings`` — group meetings held; ``attendance_rate``,
          ``meeting_quality`` (share of meetings with none of the 三多三少 flags)
          as in :func:`grouplab.measures.activity.activity_panel`.
        - ``flags_per_meeting`` — mean number of flags (0–3) per rated meeting;
          missing without a rated meeting. ``flag_<name>`` — share of the
          month's rated meetings showing that flag.
        - ``quality_deficit`` — ``flags_per_meeting`` with 3 (the worst) for a
          month without any meeting: not meeting is not better than a poor meeting.
        - ``trained_12m`` — a leader training in months t−11…t;
          ``trained_prev_12m`` — in months t−12…t−1 (a predictor that cannot
          follow the outcome of month t).
        - ``posts_active`` — demonstration posts active in the month;
          ``post_in_place`` — at least one (0/1).
        - ``adoption_month`` — month the group's unit set its first post
          (NaT: never); ``area_adopted`` — month ≥ ``adoption_month`` (0/1).
        - ``eval_total`` — half-yearly evaluation total of the half-year holding
          the month, outcome-linked items excluded and rescaled to 100
          (missing without evaluations or rubric); ``eval_period``.
        - with ``survey=True``: ``svy_<scale>`` — group mean of the scale in the
          wave of the month's year (missing in other years).

    Raises
    ------
    DataError
        Missing tables or columns, incidents of groups or months without an
        exposure row, repeated exposure rows.

    Notes
    -----
    Every measure is built from month t and earlier only (see
    :func:`grouplab.measures.activity.activity_panel`), so lags of these columns never
    leak the future. Incidents without a ``group_id`` (unit-level incidents)
    are not counted: the panel is about groups. ``eval_total`` is
    contemporaneous (the score is given at the end of its half-year): lag it
    six months to use it as a predictor. Survey aggregates should only be
    trusted when :func:`survey_group_scores` reports acceptable ICC/rwg.

    References
    ----------
    Wooldridge, J. M. (2010). *Econometric Analysis of Cross Section and
    Panel Data* (2nd ed.), ch. 10 (panel layout, strict exogeneity).

    Examples
    --------
    >>> import grouplab
    >>> p = study_panel(grouplab.load_demo())
    >>> p.shape[0], p["n_violation"].sum() > 0
    (3480, np.True_)
    """
    tables, ds_rubric, ds_q = _tables(data)
    if activities is None:
        activities = _flagged(data, tables, meeting_flags)
    if activities is not None:
        tables = {**tables, "activities": activities}
    panel = _exposure_grid(tables)
    panel = _add_incidents(panel, tables)
    panel = _add_org_life(panel, tables, log_start)
    panel = _add_adoption(panel, tables)
    panel = _add_evaluations(panel, tables, rubric if rubric is not None else ds_rubric)
    if survey:
        panel = _add_survey(panel, tables, questionnaire if questionnaire is not None else ds_q)
    return panel.sort_values(["group_id", "month"], ignore_index=True)


def _flagged(data: Any, tables: Mapping[str, pd.DataFrame], source: str | None) -> pd.DataFrame | None:
    """The activity log with the flags of ``source`` (None: the log as it is, no source asked for)."""
    if hasattr(data, "manifest") and hasattr(data, "path"):  # a Dataset: its meeting_flags: by default
        if source is None and data.manifest.get("meeting_flags") is None:
            return None
        return dataset_activities(data, source)
    if source is None:
        return None
    activities = _need(tables, "activities", ["group_id", "date", "kind"])
    return flagged_activities(activities, tables.get("minutes"), source)


def _exposure_grid(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The exposure rows: ``group_id``, ``unit_id``, ``month``, ``person_hours``, ``year``,
    ``calendar_month``; sorted by group and month."""
    groups = _need(tables, "groups", ["group_id", "unit_id"])
    exposure = _need(tables, "exposure", ["group_id", "month", "person_hours"])
    panel = pd.DataFrame({"group_id": exposure["group_id"].astype(object).to_numpy(),
                          "month": _month(exposure["month"], "exposure").to_numpy(),
                          "person_hours": pd.to_numeric(exposure["person_hours"],
                                                        errors="coerce").to_numpy(dtype=float)})
    if panel.duplicated(["group_id", "month"]).any():
        raise DataError([problem("repeated_exposure_rows", "exposure")])
    unit = dict(zip(groups["group_id"].astype(object), groups["unit_id"].astype(object)))
    panel.insert(1, "unit_id", panel["group_id"].map(unit))
    panel = panel.sort_values(["group_id", "month"], ignore_index=True)
    panel["year"] = panel["month"].dt.year.astype(np.int64)
    panel["calendar_month"] = panel["month"].dt.month.astype(np.int64)
    return panel


def _add_incidents(panel: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Adds ``n_<category>``: incidents of the group and month per codebook category.

    DataError when a group-month with incidents has no exposure row.
    """
    incidents = _need(tables, "incidents", ["group_id", "date", "category"])
    inc = incidents[incidents["group_id"].notna()]
    key = pd.DataFrame({"group_id": inc["group_id"].astype(object).to_numpy(),
                        "month": _month(inc["date"], "incidents").to_numpy(),
                        "category": inc["category"].astype(object).to_numpy()})
    counts = key.value_counts().unstack("category", fill_value=0)
    counts = counts.reindex(columns=CATEGORIES, fill_value=0).add_prefix("n_").reset_index()
    merged = panel.merge(counts, on=["group_id", "month"], how="left", indicator=True)
    if len(counts) and (merged["_merge"] == "both").sum() != len(counts):
        lost = counts.merge(panel[["group_id", "month"]], how="left", indicator=True)
        lost = lost[lost["_merge"] == "left_only"]
        examples = lost[["group_id", "month"]].head(3).astype(str).to_dict("records")
        raise DataError([problem("incidents_without_exposure_row", "incidents", n=len(lost),
                                 examples=examples)])
    panel = merged.drop(columns="_merge")
    for c in CATEGORIES:
        panel[f"n_{c}"] = panel[f"n_{c}"].fillna(0).astype(np.int64)
    return panel


def _posts(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame | None:
    posts = tables.get("posts")
    if posts is None:
        return None
    posts = posts.copy()
    for c in ("start", "end"):
        posts[c] = pd.to_datetime(posts[c].replace("", None) if posts[c].dtype == object
                                  else posts[c], errors="coerce")
    return posts


def _add_org_life(panel: pd.DataFrame, tables: Mapping[str, pd.DataFrame], log_start: Any
                  ) -> pd.DataFrame:
    """Adds the organisational-life measures of :func:`grouplab.measures.activity.activity_panel`.

    Columns: ``n_meetings``, ``attendance_rate``, ``meeting_quality``,
    ``trained_12m``, ``trained_prev_12m``, ``posts_active``, ``flag_<name>``,
    ``flags_per_meeting``, ``n_rated_meetings`` and ``quality_deficit``
    (flags per meeting, 3 in a month without a meeting).
    """
    activities = _need(tables, "activities", ["group_id", "date", "kind"])
    act = activities.copy()
    act["date"] = pd.to_datetime(act["date"])
    first, last = panel["month"].min(), panel["month"].max()
    ap = activity_panel(act, _posts(tables), groups=pd.unique(panel["group_id"]),
                        months=(first - pd.DateOffset(months=1), last), log_start=log_start)
    ap = ap.rename(columns={"n_group_meeting": "n_meetings"})
    ap["month"] = ap["month"].astype("datetime64[us]")
    ap = _calendar_lag(ap, "trained_12m", 1).rename(columns={"trained_12m_lag1": "trained_prev_12m"})
    keep = ["group_id", "month", "n_meetings", "attendance_rate", "meeting_quality",
            "trained_12m", "trained_prev_12m", "posts_active",
            *[f"flag_{f}" for f in FLAGS], "flags_per_meeting", "n_rated_meetings"]
    panel = panel.merge(ap[keep], on=["group_id", "month"], how="left")
    for c in ("trained_12m", "trained_prev_12m"):
        panel[c] = panel[c].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    panel["n_rated_meetings"] = panel["n_rated_meetings"].fillna(0).astype(np.int64)
    panel["quality_deficit"] = np.where(panel["n_meetings"] == 0, _NO_MEETING_DEFICIT,
                                        panel["flags_per_meeting"])
    return panel


def _add_adoption(panel: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Adds ``post_in_place``, ``adoption_month`` and ``area_adopted`` (posts_active made int)."""
    posts = _posts(tables)
    pa = pd.to_numeric(panel["posts_active"], errors="coerce")
    panel["posts_active"] = pa.fillna(0).astype(np.int64) if posts is not None else pa
    panel["post_in_place"] = (pa.fillna(0) > 0).astype(np.int64)  # no posts table: none recorded
    if posts is not None and len(posts):
        groups = tables["groups"]
        unit = dict(zip(groups["group_id"].astype(object), groups["unit_id"].astype(object)))
        pu = pd.DataFrame({"unit_id": posts["group_id"].astype(object).map(unit),
                           "start": posts["start"].dt.to_period("M").dt.to_timestamp()})
        adopt = pu.groupby("unit_id")["start"].min().astype("datetime64[us]")
        panel["adoption_month"] = panel["unit_id"].map(adopt).astype("datetime64[us]")
    else:
        panel["adoption_month"] = pd.Series(pd.NaT, index=panel.index, dtype="datetime64[us]")
    panel["area_adopted"] = (panel["month"] >= panel["adoption_month"]).astype(np.int64)
    return panel


def _add_evaluations(panel: pd.DataFrame, tables: Mapping[str, pd.DataFrame],
                     rubric: Mapping[str, Any] | None) -> pd.DataFrame:
    """Adds ``eval_period`` and ``eval_total`` (outcome-linked items excluded)."""
    if "evaluations" in tables and rubric is not None:
        return panel.merge(_evaluation_totals(tables["evaluations"], rubric),
                           on=["group_id", "month"], how="left")
    panel["eval_period"] = pd.Series(pd.NA, index=panel.index, dtype=object)
    panel["eval_total"] = np.nan
    return panel


def _add_survey(panel: pd.DataFrame, tables: Mapping[str, pd.DataFrame],
                questionnaire: Mapping[str, Any] | None) -> pd.DataFrame:
    """Adds ``svy_<scale>``: group means of each survey scale in the wave of the month's year."""
    if questionnaire is None or "survey" not in tables:
        raise DataError([problem("survey_needs_spec", "survey")])
    sg = survey_group_scores(tables["survey"], questionnaire)
    wide = sg.pivot_table(index=["group_id", "wave"], columns="scale", values="score")
    wide = wide.add_prefix("svy_").reset_index().rename(columns={"wave": "year"})
    wide["group_id"] = wide["group_id"].astype(object)
    wide["year"] = wide["year"].astype(np.int64)
    wide.columns.name = None
    return panel.merge(wide, on=["group_id", "year"], how="left")
