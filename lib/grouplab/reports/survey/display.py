"""Display tables, figures and one-sentence readings of a survey report.

Labels come from the codebook and the questionnaire spec, wording from
:data:`~grouplab.reports.survey.phrases.PHRASES`. Hidden cells are blanked and
marked, and sentences never quote them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from grouplab.reports.common.labels import column_labels, phrase, sheet_namer, spec_label
from grouplab.reports.survey.context import SurveyContext
from grouplab.reports.survey.phrases import PHRASES

__all__ = [
    "sheet_name",
    "footnote",
    "format_counts", "format_choices", "format_scales", "format_reliability",
    "plot_choices", "plot_scales",
    "interpret_counts", "interpret_choices", "interpret_scales", "interpret_reliability",
]


sheet_name = sheet_namer(PHRASES)


# --------------------------------------------------------------------------- format
def _num(x: Any, digits: int) -> str:
    return "" if x is None or not np.isfinite(float(x)) else f"{float(x):.{digits}f}"


def _pct(x: Any) -> str:
    return _num(100 * float(x), 1) if x is not None and np.isfinite(float(x)) else ""


def _ci(lo: Any, hi: Any, *, pct: bool = False, digits: int = 2) -> str:
    a, b = (_pct(lo), _pct(hi)) if pct else (_num(lo, digits), _num(hi, digits))
    return f"{a}–{b}" if a and b else ""


def _scale_name(spec: Mapping, scale: str, lang: str) -> str:
    return spec_label((spec.get("scales") or {}).get(scale), lang, scale)


def _item_name(spec: Mapping, item: str, lang: str) -> str:
    return f"{item} {spec_label((spec.get('items') or {}).get(item), lang, '')}".strip()


def _option_entry(spec: Mapping, item: str, option: Any) -> Mapping | None:
    opts = ((spec.get("choices") or {}).get(item) or {}).get("options") or {}
    entry = opts.get(option, opts.get(str(option)))
    if isinstance(entry, str):  # a drafted spec writes ``1: 男``, a curated one ``1: {zh: 男, en: Male}``
        entry = {"zh": entry}
    return entry


def _option_name(spec: Mapping, item: str, option: Any, lang: str) -> str:
    return f"{option} {spec_label(_option_entry(spec, item, option), lang, '')}".strip()


def _question(spec: Mapping, item: str, lang: str) -> str:
    return f"{item} {spec_label((spec.get('choices') or {}).get(item), lang, '')}".strip()


def _shown(value: str, hidden: str, mark: str) -> str:
    return mark if hidden else value


def format_counts(table: pd.DataFrame, ctx: SurveyContext) -> pd.DataFrame:
    """Display table of :func:`response_counts` in ``ctx.lang``: hidden cells marked.

    Returns
    -------
    pandas.DataFrame
        Columns (labels in ``ctx.lang``): group ID, group name, members,
        respondents, response rate (%) — all text.

    Examples
    --------
    >>> from grouplab.reports.survey import prepare, response_counts
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019, lang="en")
    >>> format_counts(response_counts(ctx), ctx).iloc[[0, 3, 4]]
      Group ID Group name Members Respondents Response rate (%)
    0     G001  线路运行一班党小组       3      hidden            hidden
    3     G004  线路检修二班党小组      10           8              80.0
    4               Total      28          25              89.3
    """
    L = ctx.lang
    labels = column_labels("groups", L)
    mark = phrase(PHRASES, "hidden", L)
    rows = []
    for r in table.itertuples(index=False):
        name = r.name if r.row == "group" else phrase(PHRASES, "no_group" if r.row == "no_group"
                                                      else "total", L)
        rows.append({
            labels["group_id"]: r.group_id or "",
            labels["name"]: name,
            labels["members"]: "" if pd.isna(r.members) else str(int(r.members)),
            phrase(PHRASES, "respondents", L): _shown(str(r.respondents), r.hidden, mark),
            phrase(PHRASES, "rate", L): _shown(_pct(r.rate), r.hidden, mark),
        })
    return pd.DataFrame(rows, columns=[labels["group_id"], labels["name"], labels["members"],
                                       phrase(PHRASES, "respondents", L), phrase(PHRASES, "rate", L)])


def format_choices(table: pd.DataFrame, ctx: SurveyContext) -> pd.DataFrame:
    """Display table of :func:`choice_table`: shares in % (1 decimal), CIs, hidden cells marked.

    Returns
    -------
    pandas.DataFrame
        Columns (labels in ``ctx.lang``): question, option, unit answers,
        unit share (%), unit 95 % CI, company share (%), company 95 % CI — all text.
    """
    L = ctx.lang
    mark = phrase(PHRASES, "hidden", L)
    keys = ["item", "option", "n_answered", "share", "ci", "company_share", "company_ci"]
    rows = []
    for r in table.itertuples(index=False):
        rows.append(dict(zip([phrase(PHRASES, k, L) for k in keys], [
            _question(ctx.spec, r.item, L), _option_name(ctx.spec, r.item, r.option, L),
            str(int(r.n)) if int(r.n) >= ctx.k else mark,
            _shown(_pct(r.share), r.hidden, mark),
            _shown(_ci(r.ci_low, r.ci_high, pct=True), r.hidden, mark),
            _shown(_pct(r.company_share), r.company_hidden, mark),
            _shown(_ci(r.company_ci_low, r.company_ci_high, pct=True), r.company_hidden, mark)])))
    return pd.DataFrame(rows, columns=[phrase(PHRASES, k, L) for k in keys])


def format_scales(table: pd.DataFrame, ctx: SurveyContext) -> pd.DataFrame:
    """Display table of :func:`scale_table` (means with 2 decimals).

    Returns
    -------
    pandas.DataFrame
        Columns (labels in ``ctx.lang``): scale, unit n, unit mean, unit 95 % CI,
        company n, company mean, company 95 % CI, difference — all text.
    """
    L = ctx.lang
    mark = phrase(PHRASES, "hidden", L)
    keys = ["scale", "n_unit", "mean_unit", "ci_unit", "n_company", "mean_company", "ci_company", "diff"]
    rows = []
    for r in table.itertuples(index=False):
        rows.append(dict(zip([phrase(PHRASES, k, L) for k in keys], [
            _scale_name(ctx.spec, r.scale, L), _shown(str(r.n), r.hidden, mark),
            _shown(_num(r.mean, 2), r.hidden, mark), _shown(_ci(r.ci_low, r.ci_high), r.hidden, mark),
            str(r.company_n), _num(r.company_mean, 2), _ci(r.company_ci_low, r.company_ci_high),
            _shown(_num(r.diff, 2), r.hidden, mark)])))
    return pd.DataFrame(rows, columns=[phrase(PHRASES, k, L) for k in keys])


def format_reliability(table: pd.DataFrame, ctx: SurveyContext) -> pd.DataFrame:
    """Display table of :func:`reliability_table` (3 decimals).

    Returns
    -------
    pandas.DataFrame
        Columns (labels in ``ctx.lang``): scale, question, n, α, ω, CITC,
        α if item deleted — all text; scale rows carry α and ω, item rows
        CITC and α-if-deleted.
    """
    L = ctx.lang
    mark = phrase(PHRASES, "hidden", L)
    keys = ["scale", "item", "n", "alpha", "omega", "citc", "alpha_if_deleted"]
    rows = []
    for r in table.itertuples(index=False):
        item = (phrase(PHRASES, "whole_scale", L) if r.item is None else
                _item_name(ctx.spec, r.item, L) + (phrase(PHRASES, "reversed", L) if r.reversed else ""))
        values = [_num(getattr(r, c), 3) for c in ("alpha", "omega", "citc", "alpha_if_deleted")]
        rows.append(dict(zip([phrase(PHRASES, k, L) for k in keys], [
            _scale_name(ctx.spec, r.scale, L), item, _shown(str(r.n), r.hidden, mark),
            *[_shown(v, r.hidden, mark) if v or r.hidden else "" for v in values]])))
    return pd.DataFrame(rows, columns=[phrase(PHRASES, k, L) for k in keys])


# --------------------------------------------------------------------------- figures
def _unit_label(ctx: SurveyContext) -> str:
    return f"{ctx.unit_id} {ctx.unit_name}"


def _dot_plot(ax, labels, unit, company, ctx, *, scale: float, xlabel: str, xlim) -> None:
    """Unit and company points with CI bars, one row per label; hidden rows annotated."""
    y = np.arange(len(labels))[::-1]
    for (mean, lo, hi, hidden), yy in zip(unit, y):
        if not hidden and np.isfinite(mean):
            ax.errorbar(mean * scale, yy + 0.15, xerr=[[(mean - lo) * scale], [(hi - mean) * scale]],
                        fmt="o", color="C0", capsize=3)
        else:
            ax.text(xlim[0], yy + 0.15, " " + phrase(PHRASES, "hidden_note", ctx.lang, k=ctx.k),
                    va="center", fontsize=8, color="C0")
    for (mean, lo, hi), yy in zip(company, y):
        if np.isfinite(mean):
            ax.errorbar(mean * scale, yy - 0.15, xerr=[[(mean - lo) * scale], [(hi - mean) * scale]],
                        fmt="s", color="C1", capsize=3)
    ax.set_yticks(y, labels)
    ax.set_xlim(*xlim)
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.set_xlabel(xlabel)
    from matplotlib.lines import Line2D

    ax.legend([Line2D([], [], marker="o", color="C0", ls=""), Line2D([], [], marker="s", color="C1", ls="")],
              [_unit_label(ctx), phrase(PHRASES, "company_series", ctx.lang)], loc="lower right",
              fontsize=8)


def _short(text: str, width: int = 18) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def plot_choices(table: pd.DataFrame, ctx: SurveyContext):
    """Key option of every choice item: unit vs company share with Wilson 95 % CIs.

    Returns
    -------
    matplotlib.figure.Figure
        Hidden unit cells are not drawn but annotated.
    """
    import matplotlib.pyplot as plt

    t = table[table["key"]]
    labels = [_short(f"{r.item}：" + spec_label(
        _option_entry(ctx.spec, r.item, r.option), ctx.lang, str(r.option)))
        for r in t.itertuples(index=False)]
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(t) + 1.6))
    _dot_plot(ax, labels,
              list(zip(t["share"], t["ci_low"], t["ci_high"], t["hidden"].astype(bool))),
              list(zip(t["company_share"].where(t["company_hidden"] == ""), t["company_ci_low"],
                       t["company_ci_high"])), ctx,
              scale=100, xlabel=phrase(PHRASES, "share_axis", ctx.lang), xlim=(0, 100))
    ax.set_title(phrase(PHRASES, "choices_title", ctx.lang, unit=_unit_label(ctx), wave=ctx.wave))
    fig.tight_layout()
    return fig


def plot_scales(table: pd.DataFrame, ctx: SurveyContext):
    """Scale means of the unit vs the company with 95 % CIs.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    lo, hi = ctx.spec["range"]
    labels = [_scale_name(ctx.spec, s, ctx.lang) for s in table["scale"]]
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(table) + 1.6))
    _dot_plot(ax, labels,
              list(zip(table["mean"], table["ci_low"], table["ci_high"], table["hidden"].astype(bool))),
              list(zip(table["company_mean"], table["company_ci_low"], table["company_ci_high"])), ctx,
              scale=1, xlabel=phrase(PHRASES, "mean_axis", ctx.lang, lo=f"{lo:g}", hi=f"{hi:g}"),
              xlim=(lo, hi))
    ax.set_title(phrase(PHRASES, "scales_title", ctx.lang, unit=_unit_label(ctx), wave=ctx.wave))
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- sentences
def footnote(ctx: SurveyContext) -> str:
    """The suppression note in ``ctx.lang``."""
    return phrase(PHRASES, "footnote", ctx.lang, k=ctx.k)


def interpret_counts(table: pd.DataFrame, ctx: SurveyContext) -> str:
    """One sentence on who answered (never quoting a hidden count).

    Examples
    --------
    >>> from grouplab.reports.survey import prepare, response_counts
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019, lang="en")
    >>> interpret_counts(response_counts(ctx), ctx)  # doctest: +NORMALIZE_WHITESPACE
    '25 members of WA01 输电运检一工区 answered in 2019 (company: 363); the counts of 2 of 4 groups
    are hidden because they are below 5 or could be worked out from the total.'
    """
    total = table[table["row"] == "total"].iloc[0]
    values = {"unit": _unit_label(ctx), "wave": ctx.wave, "k": ctx.k, "n_company": len(ctx.responses)}
    if total["hidden"]:
        return phrase(PHRASES, "counts_small", ctx.lang, **values)
    groups = table[table["row"] == "group"]
    return phrase(PHRASES, "counts_sentence", ctx.lang, n=int(total["respondents"]),
                  n_groups=len(groups), n_hidden=int((groups["hidden"] != "").sum()), **values)


def interpret_choices(table: pd.DataFrame, ctx: SurveyContext) -> str:
    """One sentence: the key option where the unit differs most from the company.

    Examples
    --------
    >>> from grouplab.reports.survey import choice_table, prepare
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019, lang="en")
    >>> print(interpret_choices(choice_table(ctx), ctx))  # doctest: +ELLIPSIS
    The largest difference from the company is on “C3 What is ...”: 37.5% of the unit chose ...
    """
    t = table[table["key"] & (table["hidden"] == "") & (table["company_hidden"] == "")
              & table["share"].notna()]
    if t.empty:
        return phrase(PHRASES, "choices_none", ctx.lang)
    gap = (t["share"] - t["company_share"]).abs()
    r = t.loc[gap.sort_values(ascending=False, kind="stable").index[0]]
    overlap = r["ci_low"] <= r["company_ci_high"] and r["company_ci_low"] <= r["ci_high"]
    return phrase(PHRASES, "choices_sentence", ctx.lang, item=_question(ctx.spec, r["item"], ctx.lang),
                  option=spec_label(_option_entry(ctx.spec, r["item"], r["option"]), ctx.lang),
                  share=_pct(r["share"]), company=_pct(r["company_share"]),
                  overlap=phrase(PHRASES, "overlap" if overlap else "no_overlap", ctx.lang))


def interpret_scales(table: pd.DataFrame, ctx: SurveyContext) -> str:
    """One sentence: highest and lowest scale, how many above the company mean.

    Examples
    --------
    >>> from grouplab.reports.survey import prepare, scale_table
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019, lang="en")
    >>> print(interpret_scales(scale_table(ctx), ctx))  # doctest: +NORMALIZE_WHITESPACE
    The unit scores highest on “Safety responsibility” (3.86) and lowest on “Group cohesion”
    (3.48); it is above the company mean on 2 of 5 shown scales, and the company mean lies
    outside the unit's 95% CI for 0 of them.
    """
    t = table[(table["hidden"] == "") & table["mean"].notna()]
    if t.empty:
        return phrase(PHRASES, "scales_none", ctx.lang)
    order = t.sort_values("mean", ascending=False, kind="stable")
    best, worst = order.iloc[0], order.iloc[-1]
    return phrase(PHRASES, "scales_sentence", ctx.lang,
                  best=_scale_name(ctx.spec, best["scale"], ctx.lang), best_mean=_num(best["mean"], 2),
                  worst=_scale_name(ctx.spec, worst["scale"], ctx.lang), worst_mean=_num(worst["mean"], 2),
                  n_shown=len(t), n_above=int((t["diff"] > 0).sum()),
                  n_outside=int((~t["company_in_ci"]).sum()))


def interpret_reliability(table: pd.DataFrame, ctx: SurveyContext) -> str:
    """One sentence on the range of α across the shown scales.

    Examples
    --------
    >>> from grouplab.reports.survey import prepare, reliability_table
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019, lang="en")
    >>> print(interpret_reliability(reliability_table(ctx), ctx))  # doctest: +NORMALIZE_WHITESPACE
    In the unit's answers, alpha ranges from 0.77 (“Quality of organisational life”) to 0.89
    (“Group cohesion”); 5 of 5 scales reach 0.70.
    """
    t = table[table["item"].isna() & (table["hidden"] == "") & table["alpha"].notna()]
    if t.empty:
        return phrase(PHRASES, "rel_none", ctx.lang)
    order = t.sort_values("alpha", kind="stable")
    lo, hi = order.iloc[0], order.iloc[-1]
    return phrase(PHRASES, "rel_sentence", ctx.lang, lo=_num(lo["alpha"], 2),
                  lo_scale=_scale_name(ctx.spec, lo["scale"], ctx.lang), hi=_num(hi["alpha"], 2),
                  hi_scale=_scale_name(ctx.spec, hi["scale"], ctx.lang),
                  n_ok=int((t["alpha"].round(2) >= 0.70).sum()), n_shown=len(t))

