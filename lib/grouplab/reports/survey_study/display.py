"""Display tables (三线表 text) and one-paragraph readings of the survey study, in ``ctx.lang``.

Every ``format_*`` returns text cells ready for :func:`grouplab.reports.common.threeline.threeline`;
every ``interpret_*`` returns one paragraph stating the test, the statistic, p, the
effect size and what the result does not show. Hidden crosstab cells (small-cell
suppression) are marked and never quoted.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from grouplab.reports.common.labels import phrase, sheet_namer, spec_label
from grouplab.reports.common.threeline import num_text, p_eq, p_text
from grouplab.reports.survey_study.context import StudyContext
from grouplab.reports.survey_study.phrases import PHRASES

__all__ = ["sheet_name", "label", "format_crosstab", "interpret_crosstab", "format_differences",
           "interpret_differences",
           "format_correlations", "interpret_correlations", "format_regression", "interpret_regression",
           "regression_note", "caption", "note", "plot_means"]


sheet_name = sheet_namer(PHRASES)


def _p(key: str, ctx: StudyContext, **kw: Any) -> str:
    return phrase(PHRASES, key, ctx.lang, **kw)


def caption(key: str, ctx: StudyContext, **kw: Any) -> str:
    """Caption phrase ``key`` in ``ctx.lang`` (``by`` given as an attribute id is labelled)."""
    if "by" in kw:
        kw["by"] = label(ctx, kw["by"])
    return _p(key, ctx, wave=ctx.wave, **kw)


def note(key: str, ctx: StudyContext, **kw: Any) -> str:
    """Note phrase ``key`` in ``ctx.lang``."""
    return _p(key, ctx, k=ctx.k, **kw)


def label(ctx: StudyContext, name: str, option: Any = None) -> str:
    """Label of a scale, choice item, attribute (or one of their options) in ``ctx.lang``."""
    spec = ctx.spec
    for key in ("scales", "choices", "attributes"):
        entry = (spec.get(key) or {}).get(name)
        if entry is None:
            continue
        if option is None:
            return spec_label(entry, ctx.lang, name)
        opts = entry.get("options") or {}
        try:
            o = opts.get(int(float(option)), opts.get(str(option)))
        except (TypeError, ValueError):
            o = opts.get(option)
        return spec_label(o, ctx.lang, str(option))
    return str(name) if option is None else str(option)


# --------------------------------------------------------------------------- crosstabs
def format_crosstab(table: pd.DataFrame, ctx: StudyContext, by: str) -> pd.DataFrame:
    """Crosstabs of every choice item by attribute ``by``: count (column %), χ² and p.

    Returns
    -------
    pandas.DataFrame
        Columns (in ``ctx.lang``): question, option, one column per level of
        ``by``, χ², p, Cramér's V (test columns on the first row of each
        question); text cells, hidden cells marked.
    """
    t = table[table["by"] == by]
    levels = list(dict.fromkeys(t["level"]))
    rows = []
    for item, g in t.groupby("item", sort=False):
        first = g.iloc[0]
        for j, (opt, o) in enumerate(g.groupby("option", sort=False)):
            row = {_p("item", ctx): label(ctx, item) if j == 0 else "",
                   _p("option", ctx): label(ctx, item, opt)}
            for lv, cell in zip(o["level"], o.itertuples()):
                row[label(ctx, by, lv)] = (_p("hidden", ctx) if cell.hidden else
                                           f"{cell.count} ({num_text(100 * cell.share, 1)}%)")
            row.update(_test_cells(o.iloc[0] if o["multiple"].iloc[0] else first, ctx, j == 0
                                   or bool(o["multiple"].iloc[0])))
            rows.append(row)
    cols = [_p("item", ctx), _p("option", ctx), *[label(ctx, by, lv) for lv in levels],
            _p("chi2", ctx), _p("p", ctx), _p("cramers_v", ctx)]
    return pd.DataFrame(rows).reindex(columns=cols)


def _test_cells(r: pd.Series, ctx: StudyContext, show: bool) -> dict:
    """χ², p and V of the test on row ``r``: blank unless ``show``, ‡ when of the merged table."""
    keys = (_p("chi2", ctx), _p("p", ctx), _p("cramers_v", ctx))
    if not show:
        return dict.fromkeys(keys, "")
    if r["test_table"] == "withheld":
        return dict.fromkeys(keys, _p("withheld", ctx))
    merged = _p("merged", ctx) if r["test_table"] != "full" else ""
    stat = num_text(r["statistic"], 2) + merged + (_p("sparse", ctx) if r["warning"] else "")
    fisher = _p("fisher", ctx) if r["test"] == "fisher_exact" else ""
    return dict(zip(keys, (stat, p_text(r["p"]) + fisher, num_text(r["cramers_v"]))))


def interpret_crosstab(table: pd.DataFrame, ctx: StudyContext, by: str) -> str:
    """One paragraph on the crosstabs by ``by``: how many associated, the strongest, no causation.

    Tests of a table with hidden cells are those of the merged table (‡); a
    test withheld altogether is neither counted nor quoted, and a sentence
    says how many there are.
    """
    every = table[(table["by"] == by) & ~table["multiple"]].drop_duplicates("item")
    tests = every[every["test_table"] != "withheld"]
    sig = tests[tests["p"] < 0.05].sort_values("cramers_v", ascending=False)
    best = ""
    if len(sig):
        b = sig.iloc[0]
        test = _p("fisher_short", ctx) if b["test"] == "fisher_exact" else f"χ²({int(b['df'])})"
        best = _p("crosstab_best", ctx, item=label(ctx, b["item"]), test=test,
                  stat=num_text(b["statistic"], 2) + (_p("merged", ctx) if b["test_table"] != "full" else ""),
                  p=p_eq(b["p"]), v=num_text(b["cramers_v"]))
    text = _p("crosstab_sentence", ctx, by=label(ctx, by), n_items=len(tests), n_sig=len(sig), best=best)
    n_withheld = len(every) - len(tests)
    return text + (_p("crosstab_withheld", ctx, n=n_withheld) if n_withheld else "")


# --------------------------------------------------------------------------- group differences
def _posthoc(pairs: pd.DataFrame, ctx: StudyContext, by: str) -> str:
    sig = pairs[pairs["p"] < 0.05]
    out = []
    for r in sig.itertuples():
        hi, lo = (r.group2, r.group1) if r.estimate > 0 else (r.group1, r.group2)
        out.append(f"{label(ctx, by, hi)}>{label(ctx, by, lo)}")
    return "; ".join(out)


def _difference_row(g: pd.DataFrame, ctx: StudyContext, by: str, levels: list) -> dict:
    groups = g[g["kind"] == "group"].set_index("group1")
    row = {_p("scale", ctx): label(ctx, g["outcome"].iloc[0])}
    for lv in levels:
        if lv not in groups.index:
            row[label(ctx, by, lv)] = ""
            continue
        r = groups.loc[lv]
        row[label(ctx, by, lv)] = (_p("hidden", ctx) if r.get("hidden") or r["n1"] < ctx.k else
                                   f"{num_text(r['mean1'], 2)}±{num_text(r['sd1'], 2)} ({int(r['n1'])})")
    chosen = g[(g["kind"] == "test") & g["chosen"]]
    if len(chosen):
        c = chosen.iloc[0]
        stat_col = _p("statistic_f", ctx) + " / " + _p("statistic_t", ctx)
        row[_p("test_used", ctx)] = _p(c["test"], ctx)
        if c.get("test_table") == "withheld":
            row.update(dict.fromkeys([stat_col, _p("p", ctx), _p("effect", ctx)], _p("withheld", ctx)))
        else:
            merged = _p("merged", ctx) if c.get("test_table") == "merged_levels" else ""
            row[stat_col] = num_text(c["statistic"], 2) + merged
            row[_p("p", ctx)] = p_text(c["p"])
            row[_p("effect", ctx)] = f"{_p(c['effect'], ctx)}={num_text(c['effect_size'])}"
    row[_p("posthoc", ctx)] = _posthoc(g[g["kind"] == "pair"], ctx, by)
    return row


def format_differences(table: pd.DataFrame, ctx: StudyContext, by: str) -> pd.DataFrame:
    """Scale scores by the groups of ``by`` as SPSSAU prints them.

    Returns
    -------
    pandas.DataFrame
        One row per scale: scale, one ``mean±SD (n)`` column per level, the test
        chosen, its statistic, p, effect size and the significant post-hoc pairs.
    """
    t = table[table["by"] == by]
    levels = list(dict.fromkeys(t.loc[t["kind"] == "group", "group1"]))
    return pd.DataFrame([_difference_row(g, ctx, by, levels) for _, g in t.groupby("outcome", sort=False)])


def interpret_differences(table: pd.DataFrame, ctx: StudyContext, by: str) -> str:
    """One paragraph: scales differing after BH, the largest effect, and why it is not causal.

    A test withheld because a group is hidden is neither counted nor quoted.
    """
    every = table[(table["by"] == by) & (table["kind"] == "test") & table["chosen"]]
    chosen = every[every["test_table"] != "withheld"]
    sig = chosen[chosen["p_bh"] < 0.05].sort_values("effect_size", ascending=False, key=np.abs)
    best = ""
    if len(sig):
        b = sig.iloc[0]
        stat_name = "t" if b["test"] in ("welch_t", "student_t") else "F"
        best = _p("diff_best", ctx, scale=label(ctx, b["outcome"]), test=_p(b["test"], ctx),
                  stat_name=stat_name, p=p_eq(b["p"]), effect=_p(b["effect"], ctx),
                  stat=num_text(b["statistic"], 2) + (_p("merged", ctx) if b["test_table"] != "full" else ""),
                  es=num_text(b["effect_size"]))
    text = _p("diff_sentence", ctx, by=label(ctx, by), n_sig=len(sig), n=len(chosen), best=best)
    n_withheld = len(every) - len(chosen)
    return text + (_p("diff_withheld", ctx, n=n_withheld) if n_withheld else "")


# --------------------------------------------------------------------------- correlations
def format_correlations(table: pd.DataFrame, ctx: StudyContext) -> pd.DataFrame:
    """Mean, SD and the lower triangle of r with stars; √AVE (or 1) on the diagonal.

    Returns
    -------
    pandas.DataFrame
        One row per scale: scale, mean, SD, then one column per scale.
    """
    names = list(dict.fromkeys(table["var1"]))
    rows = []
    for i, a in enumerate(names):
        sub = table[table["var1"] == a].set_index("var2")
        row = {_p("scale", ctx): label(ctx, a), _p("mean", ctx): num_text(sub["mean1"].iloc[0], 2),
               _p("sd", ctx): num_text(sub["sd1"].iloc[0], 2)}
        for j, b in enumerate(names):
            if j < i:
                row[label(ctx, b)] = num_text(sub.loc[b, "r"]) + sub.loc[b, "stars"]
            elif j == i:
                d = sub.loc[b, "diagonal"]
                row[label(ctx, b)] = num_text(d) if pd.notna(d) else "1"
            else:
                row[label(ctx, b)] = ""
        rows.append(row)
    return pd.DataFrame(rows)


def interpret_correlations(table: pd.DataFrame, ctx: StudyContext) -> str:
    """One paragraph: range of r, how many significant, Fornell–Larcker, no causation."""
    off = table[table["var1"] < table["var2"]]
    fl = ""
    diag = table[table["var1"] == table["var2"]].set_index("var1")["diagonal"]
    if diag.notna().all():
        other = table[table["var1"] != table["var2"]].groupby("var1")["r"].max()
        n_bad = int((diag.reindex(other.index) <= other).sum())
        fl = _p("fl_ok", ctx) if n_bad == 0 else _p("fl_bad", ctx, n=n_bad)
    return _p("corr_sentence", ctx, lo=num_text(off["r"].min(), 2), hi=num_text(off["r"].max(), 2),
              n_sig=int((off["p"] < 0.05).sum()), n=len(off), fl=fl)


# --------------------------------------------------------------------------- regression
def format_regression(table: pd.DataFrame, ctx: StudyContext) -> pd.DataFrame:
    """SPSSAU's regression table: B, SE, β, t, p, VIF per term.

    Returns
    -------
    pandas.DataFrame
        One row per term (constant first), text cells.
    """
    return pd.DataFrame({
        _p("term", ctx): [_p("const", ctx) if t == "const" else label(ctx, t) for t in table["term"]],
        _p("b", ctx): table["b"].map(num_text), _p("se", ctx): table["se"].map(num_text),
        _p("beta", ctx): table["beta"].map(num_text), _p("statistic_t", ctx): table["t"].map(
            lambda v: num_text(v, 2)),
        _p("p", ctx): table["p"].map(p_text), _p("vif", ctx): table["vif"].map(lambda v: num_text(v, 2))})


def regression_note(table: pd.DataFrame, ctx: StudyContext) -> str:
    """The model line under the regression table (n, R², adjusted R², F)."""
    r = table.iloc[0]
    return _p("reg_note", ctx, n=int(r["n"]), r2=num_text(r["r2"]), adj=num_text(r["adj_r2"]),
              df1=int(r["f_df1"]), df2=int(r["f_df2"]), f=num_text(r["f"], 2), p=p_eq(r["f_p"]))


def interpret_regression(table: pd.DataFrame, ctx: StudyContext) -> str:
    """One paragraph: variance explained, the largest β, VIF, and why it is not causal."""
    r = table.iloc[0]
    terms = table[table["term"] != "const"]
    b = terms.loc[terms["beta"].abs().idxmax()]
    return _p("reg_sentence", ctx, y=label(ctx, r["y"]), n=int(r["n"]), r2=num_text(100 * r["r2"], 1),
              df1=int(r["f_df1"]), df2=int(r["f_df2"]), f=num_text(r["f"], 2), p=p_eq(r["f_p"]),
              best=label(ctx, b["term"]), beta=num_text(b["beta"]), bp=p_eq(b["p"]),
              vif=num_text(terms["vif"].max(), 2))


def plot_means(table: pd.DataFrame, ctx: StudyContext, by: str):
    """Scale means of each group of ``by`` with their 95 % CIs (groups under ``ctx.k`` left out).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    g = table[(table["by"] == by) & (table["kind"] == "group") & (table["n1"] >= ctx.k)]
    scales = list(dict.fromkeys(g["outcome"]))
    levels = list(dict.fromkeys(g["group1"]))
    fig, ax = plt.subplots(figsize=(9, 0.7 * len(scales) + 1.6))
    step = 0.8 / max(len(levels), 1)
    for j, lv in enumerate(levels):
        sub = g[g["group1"] == lv].set_index("outcome").reindex(scales)
        y = np.arange(len(scales)) + (j - (len(levels) - 1) / 2) * step
        ax.errorbar(sub["mean1"], y, xerr=[sub["mean1"] - sub["ci_low"], sub["ci_high"] - sub["mean1"]],
                    fmt="o", capsize=3, label=label(ctx, by, lv))
    lo, hi = ctx.spec["range"]
    ax.set_yticks(np.arange(len(scales)), [label(ctx, s) for s in scales])
    ax.invert_yaxis()
    ax.set_xlabel(_p("mean_axis", ctx, lo=f"{lo:g}", hi=f"{hi:g}"))
    ax.set_title(_p("means_title", ctx, by=label(ctx, by), wave=ctx.wave))
    ax.legend(title=label(ctx, by), loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    fig.tight_layout()
    return fig
