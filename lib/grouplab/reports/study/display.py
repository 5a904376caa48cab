"""Display tables, figures and sentences of the study report, in the report's language."""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.models import EventStudy, RandomizationResult
from grouplab.models.design import FEW_CLUSTERS
from grouplab.reports.common.flags import flag_source_sentence
from grouplab.reports.common.labels import phrase, sheet_namer
from grouplab.reports.study.context import StudyContext
from grouplab.reports.study.phrases import MEASURES, PHRASES

__all__ = ["sheet_name", "format_descriptives", "format_models", "format_event", "format_estimators",
           "format_inference", "format_cox", "format_climate", "interpret_models",
           "interpret_clusters", "interpret_bh", "interpret_event", "interpret_km",
           "interpret_climate", "plot_effects", "plot_event_study", "plot_ri", "plot_km"]


sheet_name = sheet_namer(PHRASES)


def _t(key: str, ctx: StudyContext, **kw) -> str:
    return phrase(PHRASES, key, ctx.lang, **kw)


def _p(v: float) -> str:
    return "" if pd.isna(v) else ("<0.001" if v < 0.001 else f"{v:.3f}")


def _ci(lo, hi) -> list[str]:
    return [f"{a:.3f}–{b:.3f}" if pd.notna(a) else "" for a, b in zip(lo, hi)]


def format_descriptives(table: pd.DataFrame, ctx: StudyContext) -> pd.DataFrame:
    """Descriptives with headers in ``ctx.lang`` (hours and rates rounded)."""
    out = table.assign(hours=table["hours"].round(1), rate=table["rate"].round(2),
                       adopted=table["adopted"].round(1))
    return out.rename(columns={c: _t(c, ctx) for c in out.columns})


def _model_label(m: str, ctx: StudyContext) -> str:
    return _t("fe_lag", ctx, k=ctx.lag_months) if m == "fe_lag" else _t(m, ctx)


def format_models(table: pd.DataFrame, ctx: StudyContext) -> pd.DataFrame:
    """:func:`model_table` labelled and rounded: IRR, CI, raw and BH-adjusted p, cluster level."""
    out = pd.DataFrame({
        _t("model", ctx): [_model_label(m, ctx) for m in table["model"]],
        _t("measure", ctx): [_t(m, ctx) for m in table["measure"]],
        _t("cluster", ctx): [f"{_t(c, ctx)}（{n}）" if ctx.lang == "zh" else f"{_t(c, ctx)} ({n})"
                             for c, n in zip(table["cluster"], table["n_clusters"])],
        _t("irr", ctx): table["irr"].round(3).to_numpy(),
        _t("ci", ctx): _ci(table["ci_low"], table["ci_high"]),
        _t("p", ctx): [_p(v) for v in table["p"]],
        _t("p_bh", ctx): [_p(v) for v in table["p_bh"]]})
    if table["truth"].notna().any():
        out[_t("truth", ctx)] = table["truth"].round(2).to_numpy()
    return out


def _term_label(term: str, event_time: int, ctx: StudyContext, ref: int) -> str:
    k = int(term[4:] if term.startswith("lead") else term[3:])
    text = _t("lead", ctx, k=k) if term.startswith("lead") else _t("lag", ctx, k=k + 1)
    return text + (_t("ref", ctx) if event_time // 3 == ref // 3 and term.startswith("lead") else "")


def format_event(es: EventStudy, ctx: StudyContext) -> pd.DataFrame:
    """The event-study coefficient table with headers and period names in ``ctx.lang``."""
    t = es.table
    return pd.DataFrame({
        _t("term", ctx): [_term_label(a, b, ctx, es.info["ref"]) for a, b in zip(t["term"], t["event_time"])],
        _t("event_time", ctx): t["event_time"].to_numpy(),
        _t("irr", ctx): t["irr"].round(3).to_numpy(),
        _t("ci", ctx): _ci(t["ci_low"], t["ci_high"]),
        _t("p", ctx): [_p(v) for v in t["p"]],
        _t("n_treated", ctx): t["n_treated"].to_numpy()})


def format_estimators(table: pd.DataFrame, ctx: StudyContext) -> pd.DataFrame:
    """Pooled post effect by estimator, with the pre-trend test and its detectable slope."""
    return pd.DataFrame({
        _t("estimator", ctx): [_t(m, ctx) for m in table["model"]],
        _t("irr", ctx): table["irr"].round(3).to_numpy(),
        _t("ci", ctx): _ci(table["ci_low"], table["ci_high"]),
        _t("p", ctx): [_p(v) for v in table["p"]],
        _t("pretrend_p", ctx): [_p(v) for v in table["pretrend_p"]],
        _t("mde", ctx): [("" if pd.isna(v) else f"{np.exp(v) - 1:.0%}") for v in table["mde_slope"]]})


def format_inference(table: pd.DataFrame, ctx: StudyContext) -> pd.DataFrame:
    """Analytic, RI and wild-bootstrap p-values of the post effect side by side."""
    names = {"analytic": _t("analytic", ctx)}
    out = []
    for r in table.itertuples(index=False):
        label = names.get(r.method) or _t(r.method, ctx, n=int(r.draws))
        out.append((label, round(float(r.estimate), 3), _p(r.p)))
    return pd.DataFrame(out, columns=[_t("method", ctx), _t("estimate_col", ctx), _t("p", ctx)])


def format_cox(table: pd.DataFrame, ctx: StudyContext) -> pd.DataFrame:
    """Cox hazard ratios with measure names in ``ctx.lang``."""
    names = [_t(t.replace("_lagmean", ""), ctx) for t in table["term"]]
    return pd.DataFrame({_t("measure", ctx): names, _t("hr", ctx): table["hr"].round(3).to_numpy(),
                         _t("ci", ctx): _ci(table["ci_low"], table["ci_high"]),
                         _t("p", ctx): [_p(v) for v in table["p"]]})


def format_climate(table: pd.DataFrame, ctx: StudyContext) -> pd.DataFrame:
    """Survey climate vs next year's rate, with ICC(1), ICC(2) and rwg(j) as justification."""
    spec = ctx.dataset.questionnaire["scales"]
    labels = {s: str(spec[s].get(ctx.lang, s)) for s in table["scale"]}
    return pd.DataFrame({
        _t("scale", ctx): [labels[s] for s in table["scale"]],
        _t("icc1", ctx): table["icc1"].round(3).to_numpy(),
        _t("icc2", ctx): table["icc2"].round(3).to_numpy(),
        _t("rwg", ctx): table["rwg_j"].round(3).to_numpy(),
        _t("n_groups", ctx): table["n_groups"].to_numpy(),
        _t("irr", ctx): table["irr"].round(3).to_numpy(),
        _t("ci", ctx): _ci(table["ci_low"], table["ci_high"]),
        _t("p", ctx): [_p(v) for v in table["p"]]})


def interpret_models(table: pd.DataFrame, ctx: StudyContext) -> str:
    """One careful sentence on the post effect: lagged FE vs naive, truth on the demo."""
    row = table.set_index(["model", "measure"])
    lag, naive = row.loc[("fe_lag", "area_adopted")], row.loc[("naive", "area_adopted")]
    t = ctx.true_irr("area_adopted")
    truth = _t("truth_note", ctx, t=t) if t is not None else ""
    text = _t("reading", ctx, outcome=ctx.outcome_label(), irr=lag["irr"], lo=lag["ci_low"],
              hi=lag["ci_high"], naive=naive["irr"], g=int(lag["n_clusters"]), truth=truth).strip()
    note = flag_source_sentence(ctx.flag_source, ctx.flag_counts, ctx.lang)  # "" unless meeting_flags: set
    return f"{text}{'' if ctx.lang == 'zh' else ' '}{note}" if note else text


def interpret_clusters(table: pd.DataFrame, ctx: StudyContext) -> str:
    """The few-cluster caveat when the posts' level has fewer than FEW_CLUSTERS clusters."""
    few = table[(table["measure"] == "area_adopted") & table["few_clusters"]]
    if few.empty:
        return ""
    return _t("few_clusters", ctx, g=int(few["n_clusters"].iloc[0]), min=FEW_CLUSTERS)


def interpret_bh(table: pd.DataFrame, ctx: StudyContext) -> str:
    """How many of the family's p-values survive Benjamini–Hochberg."""
    return _t("bh_note", ctx, m=int(table["p"].notna().sum()), r=int((table["p_bh"] <= 0.05).sum()))


def interpret_event(es: EventStudy, ri: RandomizationResult, ctx: StudyContext) -> str:
    """The pooled effect (same reference as the points), its RI p-value and the pre-trend power."""
    p, pt = es.pooled, es.pretrend
    first = _t("es_reading", ctx, irr=p["irr"], lo=p["ci_low"], hi=p["ci_high"], ri=ri.p)
    key = "pretrend_small" if pt["p"] < 0.05 else "pretrend_large"
    sep = "" if ctx.lang == "zh" else " "
    return first + sep + _t(key, ctx, p=pt["p"], mde=float(np.exp(pt["mde_slope"]) - 1))


def interpret_km(km: pd.DataFrame, ctx: StudyContext) -> str:
    """Who is followed and how the groups were split (no look-ahead)."""
    first = km.groupby("level")["n_risk"].first()
    return _t("km_reading", ctx, n=int(first.sum()))


def interpret_climate(table: pd.DataFrame, ctx: StudyContext) -> str:
    """The safety-climate row (or the first scale) in one sentence."""
    if table.empty:
        return ""
    rows = table.set_index("scale")
    scale = "safety" if "safety" in rows.index else rows.index[0]
    row = rows.loc[scale]
    name = format_climate(table, ctx).iloc[list(table["scale"]).index(scale), 0]
    return _t("climate_reading", ctx, outcome=ctx.outcome_label(), scale=name, irr=row["irr"],
              lo=row["ci_low"], hi=row["ci_high"])


_TICKS = (0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0)


def _log_ticks(axis, lo: float, hi: float) -> None:
    """Readable ticks (0.8, 1, 1.25 …) on a log axis instead of powers of ten."""
    from matplotlib.ticker import FixedLocator, NullLocator, ScalarFormatter

    ticks = [t for t in _TICKS if lo * 0.95 <= t <= hi * 1.05] or [1.0]
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(ScalarFormatter())
    axis.set_minor_locator(NullLocator())


def plot_effects(table: pd.DataFrame, ctx: StudyContext):
    """Coefficient plot: IRR with 95 % CI per measure and model (log axis), truth marked."""
    import matplotlib.pyplot as plt

    from grouplab.reports.common.plots import use_theme

    use_theme()
    fig, ax = plt.subplots(figsize=(9, 5))
    for j, m in enumerate(("naive", "fe", "fe_lag")):
        sub = table[table["model"] == m].set_index("measure").loc[list(MEASURES)]
        y = np.arange(len(MEASURES)) + (j - 1) * 0.22
        ax.errorbar(sub["irr"], y, xerr=[sub["irr"] - sub["ci_low"], sub["ci_high"] - sub["irr"]],
                    fmt="o", capsize=3, label=_model_label(m, ctx))
    truths = [ctx.true_irr(m) for m in MEASURES]
    if all(t is not None for t in truths):
        ax.scatter(truths, np.arange(len(MEASURES)), marker="|", s=400, color="black",
                   label=_t("truth", ctx), zorder=5)
    ax.axvline(1.0, color="grey", lw=0.8)
    ax.set_xscale("log")
    _log_ticks(ax.xaxis, float(table["ci_low"].min()), float(table["ci_high"].max()))
    ax.set_yticks(np.arange(len(MEASURES)), [_t(m, ctx) for m in MEASURES])
    ax.set_xlabel(_t("irr", ctx))
    ax.set_title(_t("effects_title", ctx, outcome=ctx.outcome_label()))
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)
    fig.tight_layout()
    return fig


def plot_event_study(es: EventStudy, ctx: StudyContext):
    """Leads and lags against the quarter before adoption, with the pooled effect on the same reference."""
    import matplotlib.pyplot as plt

    from grouplab.reports.common.plots import use_theme

    use_theme()
    t = es.table
    fig, ax = plt.subplots(figsize=(8, 4))
    x = t["event_time"].to_numpy()
    ax.errorbar(x, t["irr"], yerr=[t["irr"] - t["ci_low"].fillna(t["irr"]),
                                    t["ci_high"].fillna(t["irr"]) - t["irr"]], fmt="o-", capsize=3)
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.axvline(-0.5, color="grey", lw=0.8, ls=":")
    tr = ctx.true_irr("area_adopted")
    if tr is not None:
        ax.hlines(tr, 0, x.max(), color="black", ls="--", lw=0.8, label=_t("truth", ctx))
    p = es.pooled
    ax.fill_between([0, x.max()], p["ci_low"], p["ci_high"], color="tab:green", alpha=0.15,
                    label=_t("pooled", ctx))
    ax.legend(fontsize=8)
    ax.set_yscale("log")
    _log_ticks(ax.yaxis, float(np.nanmin(t["ci_low"])), float(np.nanmax(t["ci_high"])))
    ax.set(xlabel=_t("event_time", ctx), ylabel=_t("irr", ctx),
           title=_t("es_title", ctx, outcome=ctx.outcome_label()))
    fig.tight_layout()
    return fig


def plot_ri(ri: RandomizationResult, ctx: StudyContext):
    """Histogram of the permutation distribution with the observed estimate marked."""
    import matplotlib.pyplot as plt

    from grouplab.reports.common.plots import use_theme

    use_theme()
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.hist(ri.draws, bins=20, color="tab:grey", alpha=0.7)
    ax.axvline(ri.observed, color="tab:red", lw=2, label=_t("observed", ctx))
    ax.set(xlabel=_t("log_irr", ctx), ylabel=_t("count", ctx), title=_t("ri_title", ctx))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_km(km: pd.DataFrame, risk: pd.DataFrame, ctx: StudyContext):
    """KM step curves with log–log bands to the end of follow-up and numbers at risk below."""
    import matplotlib.pyplot as plt

    from grouplab.reports.common.plots import use_theme

    use_theme()
    fig, (ax, tab) = plt.subplots(2, 1, figsize=(8, 5), height_ratios=[4, 1], sharex=True)
    names = {False: _t("km_good", ctx), True: _t("km_poor", ctx)}
    for j, (level, sub) in enumerate(km.groupby("level", sort=True)):
        t = np.r_[0, sub["time"].to_numpy()]
        ax.step(t, np.r_[1.0, sub["survival"]], where="post", label=names[bool(level)])
        ax.fill_between(t, np.r_[1.0, sub["ci_low"].fillna(1.0)], np.r_[1.0, sub["ci_high"].fillna(1.0)],
                        step="post", alpha=0.15)
        r = risk[risk["level"] == level]
        for x, n in zip(r["time"], r["n_risk"]):
            tab.text(x, j, str(n), ha="center", va="center", fontsize=8)
    tab.set_yticks([0, 1], [names[False], names[True]], fontsize=7)
    tab.set_ylim(-0.6, 1.6)
    tab.set_title(_t("n_risk", ctx), fontsize=8, loc="left")
    ax.set(ylabel=_t("survival", ctx), title=_t("km_title", ctx), ylim=(0, 1.02))
    tab.set_xlabel(_t("months", ctx))
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig
