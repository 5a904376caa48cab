"""The study report (notebook 03_measures_and_outcomes): measures vs outcomes.

Builds the group-month panel, fits the naive, fixed-effects and lagged
fixed-effects rate models side by side, the stacked event study of
demonstration posts and Kaplan–Meier curves, and puts the true effects of
the synthetic demo beside the estimates. Estimation lives in
:mod:`grouplab.models`; this module selects, labels and plots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.dataset import Dataset, load_dataset, resolve_data_dir
from grouplab.measures.panel import lag_columns, study_panel
from grouplab.measures.safety import CATEGORIES
from grouplab.models import event_study, fe_compare, first_event_times, km_table
from grouplab.reports.common.labels import check_lang, phrase
from grouplab.reports.common.params import check_choice

__all__ = ["Study", "prepare", "descriptives", "model_table", "format_models", "event_table",
           "km_curves", "plot_effects", "plot_event_study", "plot_km", "reading", "event_reading", "MEASURES"]

# measure -> (same-month column, lagged column stem)
MEASURES = ("area_adopted", "trained_prev_12m", "quality_deficit", "n_meetings")
_LAGGED = ("quality_deficit", "n_meetings")
_TRUTH_KEY = {"area_adopted": "post_irr", "trained_prev_12m": "training_irr",
              "quality_deficit": "flag_irr", "n_meetings": "meeting_count_irr"}

P = {
    "area_adopted": {"zh": "所在工区已设党员示范岗", "en": "Area has demonstration posts"},
    "trained_prev_12m": {"zh": "党小组长近 12 个月受过培训", "en": "Leader trained in previous 12 months"},
    "quality_deficit": {"zh": "每次党小组会的“三多三少”问题数", "en": "三多三少 flags per meeting"},
    "n_meetings": {"zh": "党小组会次数", "en": "Group meetings held"},
    "naive": {"zh": "朴素模型（同月，无固定效应）", "en": "Naive (same month, no fixed effects)"},
    "fe": {"zh": "固定效应（同月）", "en": "Fixed effects (same month)"},
    "fe_lag": {"zh": "固定效应 + 滞后 {k} 个月", "en": "Fixed effects + {k}-month lag"},
    "model": {"zh": "模型", "en": "Model"},
    "measure": {"zh": "措施", "en": "Measure"},
    "irr": {"zh": "发生率比 IRR", "en": "IRR"},
    "ci": {"zh": "95% 置信区间", "en": "95% CI"},
    "p": {"zh": "p 值", "en": "p"},
    "truth": {"zh": "真实值（示例数据）", "en": "True value (demo)"},
    "year": {"zh": "年度", "en": "Year"},
    "events": {"zh": "事件数", "en": "Events"},
    "hours": {"zh": "工时（万）", "en": "Person-hours (10k)"},
    "rate": {"zh": "每百万工时", "en": "Per million hours"},
    "groups": {"zh": "党小组数", "en": "Groups"},
    "adopted": {"zh": "已设示范岗的小组月占比（%）", "en": "Group-months with posts (%)"},
    "event_time": {"zh": "距设岗季度", "en": "Quarters from adoption"},
    "pooled": {"zh": "设岗后合并效应 95% CI", "en": "Pooled post-adoption effect, 95% CI"},
    "months": {"zh": "观察月数", "en": "Months observed"},
    "survival": {"zh": "未发生责任事故的比例", "en": "Share without a responsibility accident"},
    "level": {"zh": "分组", "en": "Level"},
    "km_title": {"zh": "至首次责任事故的时间（按会议质量分组）",
                 "en": "Time to first responsibility accident, by meeting quality"},
    "km_good": {"zh": "会议质量较好（问题数 ≤ 中位数）", "en": "Better meetings (flags ≤ median)"},
    "km_poor": {"zh": "会议质量较差（问题数 > 中位数）", "en": "Poorer meetings (flags > median)"},
    "effects_title": {"zh": "各措施对{outcome}的发生率比（对数轴）", "en": "IRR of each measure on {outcome} (log axis)"},
    "es_title": {"zh": "党员示范岗的事件研究：{outcome}", "en": "Event study of demonstration posts: {outcome}"},
    "reading": {
        "zh": "固定效应加滞后模型中，设立党员示范岗后{outcome}发生率为原来的 {irr:.2f} 倍（95% CI {lo:.2f}–{hi:.2f}）；"
              "朴素模型给出的是 {naive:.2f}。{truth}",
        "en": "In the fixed-effects model with lags, {outcome} ran at {irr:.2f} times the rate after demonstration "
              "posts were set up (95% CI {lo:.2f}–{hi:.2f}); the naive model says {naive:.2f}. {truth}",
    },
    "truth_note": {"zh": "示例数据的真实值为 {t:.2f}。", "en": "The demo's true value is {t:.2f}."},
    "es_reading": {
        "zh": "堆叠事件研究的设岗后合并效应为 {irr:.2f}（95% CI {lo:.2f}–{hi:.2f}）；设岗前各期联合检验 p = {p:.2f}"
              "（p 大说明没有证据表明设岗前已有差异）。",
        "en": "The stacked event study's pooled post-adoption effect is {irr:.2f} (95% CI {lo:.2f}–{hi:.2f}); "
              "the joint test of the leads gives p = {p:.2f} (a large p means no evidence of pre-trends).",
    },
}


@dataclass(frozen=True)
class Study:
    """Checked parameters, the dataset and the lagged group-month panel."""

    dataset: Dataset
    outcome: str
    lag_months: int
    lang: str
    panel: pd.DataFrame

    @property
    def column(self) -> str:
        return f"n_{self.outcome}"

    def outcome_label(self) -> str:
        from grouplab.data.codebook import codebook

        col = codebook()["incidents"].columns["category"]
        return col.allowed[self.outcome] if self.lang == "zh" else self.outcome.replace("_", " ")

    def truth(self, measure: str) -> float | None:
        """True IRR of ``measure`` on the outcome in the synthetic demo (None for real data)."""
        if not self.dataset.synthetic:
            return None
        from grouplab.synth import TRUTH

        eff = TRUTH["effects"][_TRUTH_KEY[measure]]
        return float(eff.get(self.outcome, 1.0)) if isinstance(eff, dict) else float(eff)


def prepare(data_dir: Any, *, outcome: Any, lag_months: Any, lang: Any,
            log_start: str | None = "auto") -> Study:
    """Load the data, check parameters and build the panel (one call at the top of notebook 03).

    Parameters
    ----------
    data_dir : str
        ``"demo"`` or a dataset folder.
    outcome : str
        Incident category: responsibility_accident, equipment_failure,
        violation, hidden_hazard or near_miss.
    lag_months : int
        Meetings and meeting quality enter the lagged model as their mean over
        months t−k…t−1 (1–12).
    lang : {"zh", "en"}
    log_start : str, optional
        First month the activity log covers; ``"auto"`` takes 12 months
        before the study window (so leader training in the first year counts
        as "not trained" rather than unknown — right when, as in the demo,
        no training happened before the window).

    Examples
    --------
    >>> st = prepare("demo", outcome="violation", lag_months=1, lang="en")
    >>> st.column, st.lag_months
    ('n_violation', 1)
    """
    lang = check_lang(lang)
    outcome = check_choice(outcome, CATEGORIES, name="outcome")
    try:
        k = int(lag_months)
    except (TypeError, ValueError):
        k = 0
    check_choice(str(k), [str(i) for i in range(1, 13)], name="lag_months")
    ds = load_dataset(resolve_data_dir(data_dir))
    if log_start == "auto":
        start = ds.study_window[0] if ds.study_window else ds.tables["activities"]["date"].min()
        log_start = f"{(pd.Timestamp(start) - pd.DateOffset(months=12)):%Y-%m}"
    panel = study_panel(ds, log_start=log_start)
    panel = lag_columns(panel, list(_LAGGED), list(range(1, k + 1)))
    for m in _LAGGED:
        panel[f"{m}_lagmean"] = panel[[f"{m}_lag{i}" for i in range(1, k + 1)]].mean(axis=1, skipna=False)
    return Study(ds, outcome, k, lang, panel)


def descriptives(st: Study) -> pd.DataFrame:
    """Outcome events, person-hours and rate per million hours by year, with post coverage.

    Returns
    -------
    pandas.DataFrame
        One row per year: year, groups, events, person-hours (10k), rate per
        million hours, share of group-months with posts (%); labels in ``st.lang``.
    """
    p = st.panel
    g = p.groupby("year")
    out = pd.DataFrame({
        "year": g.size().index,
        "groups": g["group_id"].nunique().to_numpy(),
        "events": g[st.column].sum().to_numpy(),
        "hours": (g["person_hours"].sum() / 1e4).round(1).to_numpy(),
        "rate": (g[st.column].sum() / g["person_hours"].sum() * 1e6).round(2).to_numpy(),
        "adopted": (100 * g["area_adopted"].mean()).round(1).to_numpy(),
    })
    return out.rename(columns={c: P[c][st.lang] for c in out.columns})


def model_table(st: Study) -> pd.DataFrame:
    """Naive, fixed-effects and lagged fixed-effects estimates side by side (tidy).

    Returns
    -------
    pandas.DataFrame
        model (naive | fe | fe_lag), measure, estimate, se, irr, ci_low,
        ci_high, p, truth (the demo's true IRR, NaN on real data).
    """
    same = list(MEASURES)
    lagged = [m if m not in _LAGGED else f"{m}_lagmean" for m in MEASURES]
    a = fe_compare(st.panel, st.column, same)
    b = fe_compare(st.panel, st.column, lagged)
    b = b[b["model"] == "fe"].assign(model="fe_lag")
    out = pd.concat([a, b], ignore_index=True)
    out["measure"] = out["term"].str.replace("_lagmean", "", regex=False)
    out["truth"] = out["measure"].map(lambda m: st.truth(m) if st.truth(m) is not None else np.nan)
    cols = ["model", "measure", "estimate", "se", "irr", "ci_low", "ci_high", "p", "truth"]
    return out[cols]


def format_models(st: Study, table: pd.DataFrame) -> pd.DataFrame:
    """``model_table`` labelled and rounded for display."""
    lab = {"naive": P["naive"][st.lang], "fe": P["fe"][st.lang],
           "fe_lag": phrase(P, "fe_lag", st.lang, k=st.lag_months)}
    out = pd.DataFrame({
        P["model"][st.lang]: table["model"].map(lab),
        P["measure"][st.lang]: table["measure"].map(lambda m: P[m][st.lang]),
        P["irr"][st.lang]: table["irr"].round(3),
        P["ci"][st.lang]: [f"{lo:.3f}–{hi:.3f}" for lo, hi in zip(table["ci_low"], table["ci_high"])],
        P["p"][st.lang]: table["p"].map(lambda v: "<0.001" if v < 0.001 else f"{v:.3f}"),
    })
    if table["truth"].notna().any():
        out[P["truth"][st.lang]] = table["truth"].round(2)
    return out


def event_table(st: Study) -> pd.DataFrame:
    """Stacked event study of demonstration posts (quarterly bins, leads and lags, tidy).

    Returns
    -------
    pandas.DataFrame
        event_time (months, bin start), term, estimate, se, irr, ci_low,
        ci_high, p, n_treated; attrs: pooled effect and pre-trend test.
    """
    controls = ["trained_prev_12m", "quality_deficit_lagmean"]
    return event_study(st.panel, st.column, window=(-12, 11), bin=3, controls=controls)


def km_curves(st: Study) -> pd.DataFrame:
    """Kaplan–Meier survival to the first responsibility accident by meeting quality.

    Groups are split at the median of their mean 三多三少 flags per meeting.

    Returns
    -------
    pandas.DataFrame
        The :func:`grouplab.models.km_table` columns with ``level`` labelled in ``st.lang``.
    """
    first = first_event_times(st.panel)
    quality = st.panel.groupby("group_id")["quality_deficit"].mean()
    poor = quality > quality.median()
    first["level"] = first["group_id"].map(poor).map({False: P["km_good"][st.lang],
                                                      True: P["km_poor"][st.lang]})
    return km_table(first, by="level")


def reading(st: Study, table: pd.DataFrame) -> str:
    """One careful sentence on the post effect: lagged FE vs naive, with the truth on the demo."""
    lagged = table[(table["model"] == "fe_lag") & (table["measure"] == "area_adopted")].iloc[0]
    naive = table[(table["model"] == "naive") & (table["measure"] == "area_adopted")].iloc[0]
    t = st.truth("area_adopted")
    truth = phrase(P, "truth_note", st.lang, t=t) if t is not None else ""
    return phrase(P, "reading", st.lang, outcome=st.outcome_label(), irr=lagged["irr"],
                  lo=lagged["ci_low"], hi=lagged["ci_high"], naive=naive["irr"], truth=truth)


def event_reading(st: Study, es: pd.DataFrame) -> str:
    """The pooled post-adoption effect and the pre-trend test in one sentence."""
    a = es.attrs
    return phrase(P, "es_reading", st.lang, irr=a["att_irr"], lo=a["att_ci_low"],
                  hi=a["att_ci_high"], p=a["pretrend_p"])


_TICKS = (0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0)


def _log_ticks(axis, lo: float, hi: float) -> None:
    """Readable ticks (0.8, 1, 1.25 …) on a log axis instead of powers of ten."""
    from matplotlib.ticker import FixedLocator, NullLocator, ScalarFormatter

    ticks = [t for t in _TICKS if lo * 0.95 <= t <= hi * 1.05] or [1.0]
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(ScalarFormatter())
    axis.set_minor_locator(NullLocator())


def plot_effects(st: Study, table: pd.DataFrame):
    """Coefficient plot: IRR with 95 % CI per measure and model (log axis), truth marked."""
    import matplotlib.pyplot as plt

    from grouplab.reports.common.plots import use_theme

    use_theme()
    models = ["naive", "fe", "fe_lag"]
    labels = {"naive": P["naive"][st.lang], "fe": P["fe"][st.lang],
              "fe_lag": phrase(P, "fe_lag", st.lang, k=st.lag_months)}
    fig, ax = plt.subplots(figsize=(9, 5))
    for j, m in enumerate(models):
        sub = table[table["model"] == m].set_index("measure").loc[list(MEASURES)]
        y = np.arange(len(MEASURES)) + (j - 1) * 0.22
        ax.errorbar(sub["irr"], y, xerr=[sub["irr"] - sub["ci_low"], sub["ci_high"] - sub["irr"]],
                    fmt="o", capsize=3, label=labels[m])
    truths = [st.truth(m) for m in MEASURES]
    if all(t is not None for t in truths):
        ax.scatter(truths, np.arange(len(MEASURES)), marker="|", s=400, color="black",
                   label=P["truth"][st.lang], zorder=5)
    ax.axvline(1.0, color="grey", lw=0.8)
    ax.set_xscale("log")
    _log_ticks(ax.xaxis, float(table["ci_low"].min()), float(table["ci_high"].max()))
    ax.set_yticks(np.arange(len(MEASURES)), [P[m][st.lang] for m in MEASURES])
    ax.set_xlabel(P["irr"][st.lang])
    ax.set_title(phrase(P, "effects_title", st.lang, outcome=st.outcome_label()))
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)
    fig.tight_layout()
    return fig


def plot_event_study(st: Study, es: pd.DataFrame):
    """Leads and lags of the stacked event study (IRR, log axis), truth line on the demo."""
    import matplotlib.pyplot as plt

    from grouplab.reports.common.plots import use_theme

    use_theme()
    fig, ax = plt.subplots(figsize=(8, 4))
    q = es["event_time"] // 3
    ax.errorbar(q, es["irr"], yerr=[es["irr"] - es["ci_low"].fillna(es["irr"]),
                                     es["ci_high"].fillna(es["irr"]) - es["irr"]],
                fmt="o-", capsize=3)
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.axvline(-0.5, color="grey", lw=0.8, ls=":")
    t = st.truth("area_adopted")
    if t is not None:
        ax.axhline(t, color="black", ls="--", lw=0.8, label=P["truth"][st.lang])
    a = es.attrs
    ax.axhspan(a["att_ci_low"], a["att_ci_high"], color="tab:green", alpha=0.12,
               label=P["pooled"][st.lang])
    ax.legend(fontsize=8)
    ax.set_yscale("log")
    _log_ticks(ax.yaxis, float(np.nanmin(es["ci_low"])), float(np.nanmax(es["ci_high"])))
    ax.set(xlabel=P["event_time"][st.lang], ylabel=P["irr"][st.lang],
           title=phrase(P, "es_title", st.lang, outcome=st.outcome_label()))
    fig.tight_layout()
    return fig


def plot_km(st: Study, km: pd.DataFrame):
    """Kaplan–Meier step curves by level."""
    import matplotlib.pyplot as plt

    from grouplab.reports.common.plots import use_theme

    use_theme()
    fig, ax = plt.subplots(figsize=(8, 4))
    for level, sub in km.groupby("level", sort=True):
        ax.step(sub["time"], sub["survival"], where="post", label=level)
    ax.set(xlabel=P["months"][st.lang], ylabel=P["survival"][st.lang], title=P["km_title"][st.lang],
           ylim=(0, 1.02))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
