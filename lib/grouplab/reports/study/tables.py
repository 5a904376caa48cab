"""Numeric tables of the study report (never rounded, never labelled: see :mod:`.display`)."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd

from grouplab.measures.survey.aggregation import aggregation
from grouplab.measures.survey.scales import score_scales
from grouplab.models import (
    EventStudy,
    RandomizationResult,
    StatisticalWarning,
    bh_adjust,
    counting_process,
    cox_model,
    did_compare,
    event_study,
    fe_compare,
    first_event_times,
    km_table,
    rate_model,
    ri_adoption,
    wild_bootstrap,
)
from grouplab.models.design import FEW_CLUSTERS
from grouplab.reports.study.context import StudyContext
from grouplab.reports.study.phrases import ASSIGNED_AT, LAGGED, MEASURES

__all__ = ["descriptives_table", "model_table", "event_table", "estimator_table", "ri_table",
           "post_inference_table", "km_curves", "risk_table", "cox_table", "climate_table",
           "ES_WINDOW", "ES_BIN", "ES_CONTROLS", "LANDMARK"]

#: Event study of posts: quarterly bins from 4 quarters before to 4 after adoption.
ES_WINDOW, ES_BIN = (-12, 11), 3
ES_CONTROLS = ("trained_prev_12m", "quality_deficit_lagmean")
#: Months before survival follow-up starts (meeting quality is measured in them).
LANDMARK = 12


def _quiet(fn, *args, **kw):
    """Call a model; few-cluster warnings become table columns and a report line instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        return fn(*args, **kw)


def descriptives_table(ctx: StudyContext) -> pd.DataFrame:
    """Outcome events, person-hours and rate by year, with post coverage.

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year``, ``groups``, ``events``, ``hours`` (10k
        person-hours), ``rate`` (per million hours), ``adopted`` (% of
        group-months with posts).
    """
    g = ctx.panel.groupby("year")
    return pd.DataFrame({
        "year": g.size().index, "groups": g["group_id"].nunique().to_numpy(),
        "events": g[ctx.column].sum().to_numpy(),
        "hours": (g["person_hours"].sum() / 1e4).to_numpy(),
        "rate": (g[ctx.column].sum() / g["person_hours"].sum() * 1e6).to_numpy(),
        "adopted": (100 * g["area_adopted"].mean()).to_numpy()})


def model_table(ctx: StudyContext) -> pd.DataFrame:
    """Naive, FE and lagged-FE estimates, each measure clustered where it is assigned.

    One joint model per specification; it is fitted with work-area and with
    group clusters and each measure keeps the SEs of its own level (posts:
    work area; training and meetings: group).

    Returns
    -------
    pandas.DataFrame
        ``model`` (naive | fe | fe_lag), ``measure``, ``cluster`` (column),
        ``n_clusters``, ``few_clusters``, ``estimate``, ``se``, ``irr``,
        ``ci_low``, ``ci_high``, ``p``, ``p_bh`` (Benjamini–Hochberg over the
        12 rows: the family of this outcome), ``truth`` (NaN without truth.yml).
    """
    lagged = [m if m not in LAGGED else f"{m}_lagmean" for m in MEASURES]
    levels = ("unit_id", "group_id")   # each specification is fitted once, SEs for both levels
    a0 = _quiet(fe_compare, ctx.panel, ctx.column, list(MEASURES), cluster=levels[0],
                also=levels[1:])
    b0 = _quiet(fe_compare, ctx.panel, ctx.column, lagged, cluster=levels[0], also=levels[1:])
    parts = []
    for cl in levels:
        a = a0 if cl == levels[0] else a0.attrs["reclustered"][cl]
        b = b0 if cl == levels[0] else b0.attrs["reclustered"][cl]
        b = b[b["model"] == "fe"].assign(model="fe_lag")
        both = pd.concat([a, b], ignore_index=True).assign(
            cluster=cl, n_clusters=a.attrs["n_clusters"])
        both["measure"] = both["term"].str.replace("_lagmean", "", regex=False)
        parts.append(both[both["measure"].map(ASSIGNED_AT) == cl])
    out = pd.concat(parts, ignore_index=True)
    out["few_clusters"] = out["n_clusters"] < FEW_CLUSTERS
    order = {(m, k): i for i, (m, k) in enumerate((m, k) for m in ("naive", "fe", "fe_lag")
                                                  for k in MEASURES)}
    out = out.iloc[np.argsort([order[(m, k)] for m, k in zip(out["model"], out["measure"])])]
    out = bh_adjust(out.reset_index(drop=True))
    out["truth"] = [np.nan if ctx.true_irr(m) is None else ctx.true_irr(m) for m in out["measure"]]
    return out[["model", "measure", "cluster", "n_clusters", "few_clusters", "estimate", "se",
                "irr", "ci_low", "ci_high", "p", "p_bh", "truth"]]


def event_table(ctx: StudyContext, *, method: str = "stacked") -> EventStudy:
    """Event study of demonstration posts: quarterly bins, work-area clusters.

    Returns
    -------
    EventStudy
        ``table`` (event_time, term, estimate, se, irr, ci_low, ci_high, p,
        n_treated), ``pooled`` (average post effect vs the quarter before
        adoption), ``pretrend`` (joint test and detectable slope), ``info``.
    """
    return _quiet(event_study, ctx.panel, ctx.column, window=ES_WINDOW, bin=ES_BIN,
                  controls=list(ES_CONTROLS), cluster="unit_id", method=method)


def estimator_table(ctx: StudyContext, es: EventStudy | None = None) -> pd.DataFrame:
    """The pooled post effect by naive TWFE (static, dynamic), stacked and Sun–Abraham.

    ``es``: the stacked :func:`event_table` already fitted (reused, not refitted).

    Returns
    -------
    pandas.DataFrame
        ``model``, ``term``, ``estimate``, ``se``, ``irr``, ``ci_low``,
        ``ci_high``, ``p``, ``pretrend_p``, ``mde_slope`` (work-area clusters).
    """
    return _quiet(did_compare, ctx.panel, ctx.column, window=ES_WINDOW, bin=ES_BIN,
                  controls=list(ES_CONTROLS), cluster="unit_id",
                  fitted=() if es is None else (es,))


def ri_table(ctx: StudyContext) -> RandomizationResult:
    """Randomisation inference for the stacked pooled post effect (dates permuted across areas).

    The permuted statistic is the estimate the report shows: the stacked event
    study's average post effect against the quarter before adoption (point
    estimate only, no jackknife; a stacked design per draw: about 0.3 s at 20 ×
    the demo). :func:`grouplab.models.ri_post_effect` permutes the cheaper static
    post effect instead.

    Returns
    -------
    RandomizationResult
        ``observed`` (log IRR), ``draws``, ``p``, ``n_perm``, ``assign``,
        ``n_units``, ``statistic`` (``"stacked_pooled"``).
    """
    def pooled(panel: pd.DataFrame) -> float:
        return _quiet(event_study, panel, ctx.column, window=ES_WINDOW, bin=ES_BIN,
                      controls=list(ES_CONTROLS), cluster="unit_id",
                      vcov="CRV1").pooled["estimate"]   # the point estimate only: no jackknife

    r = ri_adoption(ctx.panel, pooled, assign="unit_id", n_perm=ctx.ri_draws, seed=ctx.seed)
    return dataclasses.replace(r, statistic="stacked_pooled")


def post_inference_table(ctx: StudyContext, es: EventStudy, ri: RandomizationResult,
                         *, reps: int = 999) -> pd.DataFrame:
    """Analytic, randomisation and wild-bootstrap p-values for the post effect, side by side.

    Returns
    -------
    pandas.DataFrame
        ``method`` (analytic | ri | wild), ``estimate`` (log IRR for analytic
        and RI; change in events per million hours for the linear wild
        bootstrap), ``p``, ``draws`` (permutations or bootstrap replications).
    """
    wb = wild_bootstrap(ctx.panel, ctx.column, "area_adopted", cluster="unit_id", reps=reps,
                        seed=ctx.seed)
    return pd.DataFrame({"method": pd.Series(["analytic", "ri", "wild"], dtype=object),
                         "estimate": [es.pooled["estimate"], ri.observed, wb["estimate"]],
                         "p": [es.pooled["p"], ri.p, wb["p"]],
                         "draws": [0, ri.n_perm, wb["reps"]]})


def _landmark_groups(ctx: StudyContext) -> pd.DataFrame:
    """Groups at risk at the landmark, split by their first-year mean meeting quality."""
    p = ctx.panel
    months = np.sort(p["month"].unique())
    first = p[p["month"].isin(months[:LANDMARK])]
    quality = first.groupby("group_id")["quality_deficit"].mean()
    poor = (quality > quality.median()).rename("poor")
    ft = first_event_times(p.merge(poor, left_on="group_id", right_index=True, how="left"),
                           by="poor", landmark=LANDMARK)
    ft = ft.dropna(subset=["poor"])
    ft["poor"] = ft["poor"].astype(bool)
    ft["entry"] -= LANDMARK
    ft["time"] -= LANDMARK
    return ft


def km_curves(ctx: StudyContext) -> pd.DataFrame:
    """Kaplan–Meier curves to the first responsibility accident from month 13, by first-year quality.

    Returns
    -------
    pandas.DataFrame
        :func:`grouplab.models.km_table` columns (``level`` True = poorer
        first-year meetings), log–log CIs, to the end of follow-up.
    """
    return km_table(_landmark_groups(ctx), entry="entry", by="poor")


def risk_table(ctx: StudyContext, *, every: int = 12) -> pd.DataFrame:
    """Numbers at risk under the KM plot, every ``every`` months of follow-up.

    Returns
    -------
    pandas.DataFrame
        ``level`` (poor), ``time``, ``n_risk``.
    """
    from grouplab.models import at_risk

    ft = _landmark_groups(ctx)
    return at_risk(ft, range(0, int(ft["time"].max()) + 1, every), entry="entry", by="poor")


def cox_table(ctx: StudyContext) -> pd.DataFrame:
    """Cox model of the first responsibility accident with time-varying (lagged) measures.

    Returns
    -------
    pandas.DataFrame
        ``term``, ``estimate``, ``se``, ``hr``, ``ci_low``, ``ci_high``, ``p``.
    """
    cov = ["area_adopted", "trained_prev_12m", "quality_deficit_lagmean", "n_meetings_lagmean"]
    cp = counting_process(ctx.panel, covariates=cov)
    return cox_model(cp, cov)


def climate_table(ctx: StudyContext) -> pd.DataFrame:
    """Group survey climate (wave w) vs the outcome rate in year w + 1, with ICC/rwg beside it.

    Returns
    -------
    pandas.DataFrame
        One row per scale: ``scale``, ``icc1``, ``icc2``, ``rwg_j``
        (aggregation statistics over all waves), ``n_groups`` (group-years in
        the model), ``estimate``, ``se``, ``irr`` (per scale point), ``ci_low``,
        ``ci_high``, ``p`` (Poisson GLM with year effects, group clusters).
    """
    ds = ctx.dataset
    spec = ds.questionnaire
    responses = ds.tables["survey"]
    agg = aggregation(responses, spec).set_index("scale")
    scores = score_scales(responses, spec)
    scales = list(spec["scales"])
    means = scores.groupby(["group_id", "wave"])[scales].mean().reset_index()
    means["year"] = means["wave"].astype(int) + 1
    g = ctx.panel.groupby(["group_id", "year"])
    nxt = pd.DataFrame({"n": g[ctx.column].sum(), "hours": g["person_hours"].sum()}).reset_index()
    d = means.merge(nxt, on=["group_id", "year"])
    rows = []
    for s in scales:
        if d["n"].sum() == 0 or d[s].nunique() < 2:
            continue
        r = _quiet(rate_model, d, f"n ~ {s} + C(year)" if d["year"].nunique() > 1 else f"n ~ {s}",
                   exposure="hours", cluster="group_id").set_index("term").loc[s]
        rows.append({"scale": s, "icc1": agg.loc[s, "icc1"], "icc2": agg.loc[s, "icc2"],
                     "rwg_j": agg.loc[s, "rwg_j"], "n_groups": int(d[s].notna().sum()),
                     **r[["estimate", "se", "irr", "ci_low", "ci_high", "p"]].to_dict()})
    return pd.DataFrame(rows)
