"""Display tables and readings of the survey study's validity steps: EFA, CFA, Harman's test.

Same conventions as :mod:`.display` (text cells for 三线表, one paragraph per result,
wording from :data:`~grouplab.reports.survey_study.phrases.PHRASES`).
"""

from __future__ import annotations

import pandas as pd

from grouplab.measures.survey.analysis import CFAResult, EFAResult
from grouplab.reports.common.labels import phrase
from grouplab.reports.common.threeline import num_text, p_eq, p_text
from grouplab.reports.survey_study.context import StudyContext
from grouplab.reports.survey_study.display import label
from grouplab.reports.survey_study.phrases import PHRASES

__all__ = ["format_efa", "interpret_efa", "format_cfa_fit", "format_cfa_loadings", "format_validity",
           "interpret_cfa", "format_harman", "interpret_harman", "plot_scree"]


def _p(key, ctx, **kw):
    return phrase(PHRASES, key, ctx.lang, **kw)


def _scale_of(ctx: StudyContext) -> dict[str, str]:
    return {str(i): s for s, v in ctx.spec["scales"].items() for i in v["items"]}


def format_efa(res: EFAResult, ctx: StudyContext, threshold: float = 0.4) -> pd.DataFrame:
    """Rotated loadings (blank below ``threshold``) and communalities, then SS loadings and variance rows.

    Returns
    -------
    pandas.DataFrame
        Columns: question, F1..Fm, communality; the last three rows give SS
        loadings, % of variance and cumulative %.
    """
    shown = res.blank_below(threshold)
    fac = [c for c in shown.columns if c.startswith("F")]
    scale_of = _scale_of(ctx)
    out = pd.DataFrame({_p("item", ctx): [f"{i}（{label(ctx, scale_of.get(i, i))}）" if ctx.lang == "zh"
                                          else f"{i} ({label(ctx, scale_of.get(i, i))})"
                                          for i in shown["item"]]})
    for f in fac:
        out[f] = shown[f].map(num_text)
    out[_p("h2", ctx)] = shown["h2"].map(num_text)
    v = res.variance
    extra = pd.DataFrame([
        {_p("item", ctx): _p("eigen", ctx), **dict(zip(fac, v["ss_loadings"].map(num_text)))},
        {_p("item", ctx): _p("var_pct", ctx), **dict(zip(fac, (100 * v["proportion"]).map(
            lambda x: num_text(x, 1))))},
        {_p("item", ctx): _p("cum_pct", ctx), **dict(zip(fac, (100 * v["cumulative"]).map(
            lambda x: num_text(x, 1))))}])
    return pd.concat([out, extra], ignore_index=True).fillna("")


def interpret_efa(res: EFAResult, ctx: StudyContext) -> str:
    """One paragraph: parallel analysis, eigenvalues > 1, how many scales load cleanly, variance."""
    scale_of = _scale_of(ctx)
    prim = res.loadings.assign(scale=res.loadings["item"].map(scale_of))
    clean = prim.groupby("scale")["primary"].nunique()
    owners = prim.groupby("scale")["primary"].first()
    n_clean = int(((clean == 1) & ~owners.duplicated(keep=False)).sum())
    return _p("efa_sentence", ctx, pa=res.suggested, eig=int(res.eigen["above_one"].sum()),
              m=res.n_factors, n_clean=n_clean, cum=num_text(100 * res.variance["cumulative"].iloc[-1], 1))


def format_cfa_fit(res: CFAResult, ctx: StudyContext) -> pd.DataFrame:
    """Fit indices with the usual criteria (Hu & Bentler 1999; 温忠麟等 2004).

    Returns
    -------
    pandas.DataFrame
        Columns: index, value, usual criterion.
    """
    f = res.fit.iloc[0]
    rows = [(_p("chi2_df", ctx), f"{num_text(f['chi2'], 2)} ({int(f['df'])})", ""),
            ("p", p_text(f["p"]), "> 0.05"), (_p("chi2_ratio", ctx), num_text(f["chi2_df"], 2), "< 3"),
            ("CFI", num_text(f["cfi"]), "> 0.90"),
            ("TLI", num_text(f["tli"]), "> 0.90"),
            ("RMSEA (90% CI)",
             f"{num_text(f['rmsea'])} ({num_text(f['rmsea_low'])}–{num_text(f['rmsea_high'])})",
             "< 0.08"), ("SRMR", num_text(f["srmr"]), "< 0.08"),
            ("AIC", num_text(f["aic"], 1), ""), ("BIC", num_text(f["bic"], 1), "")]
    return pd.DataFrame(rows, columns=[_p("index", ctx), _p("value", ctx), _p("criterion", ctx)])


def format_cfa_loadings(res: CFAResult, ctx: StudyContext) -> pd.DataFrame:
    """Loadings: factor, item, unstandardised estimate, SE, z, p, standardised.

    Returns
    -------
    pandas.DataFrame
        One row per item, text cells (the marker item has no SE).
    """
    L = res.loadings
    return pd.DataFrame({_p("factor", ctx): L["factor"].map(lambda s: label(ctx, s)),
                         _p("item", ctx): L["item"], _p("estimate", ctx): L["estimate"].map(num_text),
                         _p("se", ctx): L["se"].map(num_text),
                         _p("z", ctx): L["z"].map(lambda v: num_text(v, 2)), _p("p", ctx): L["p"].map(p_text),
                         _p("std", ctx): L["std"].map(num_text)})


def format_validity(res: CFAResult, ctx: StudyContext) -> pd.DataFrame:
    """CR, AVE, √AVE and each factor's largest HTMT.

    Returns
    -------
    pandas.DataFrame
        One row per factor, text cells.
    """
    rel = res.reliability
    h = res.htmt
    worst = {f: h.loc[(h["factor1"] == f) | (h["factor2"] == f), "htmt"].max() for f in rel["factor"]}
    return pd.DataFrame({_p("factor", ctx): rel["factor"].map(lambda s: label(ctx, s)),
                         "CR": rel["cr"].map(num_text), "AVE": rel["ave"].map(num_text),
                         "√AVE": rel["sqrt_ave"].map(num_text),
                         _p("max_htmt", ctx): rel["factor"].map(lambda f: num_text(worst[f]))})


def interpret_cfa(res: CFAResult, ctx: StudyContext) -> str:
    """One paragraph: the fit indices, CR and AVE ranges, and what fit does not show."""
    f, rel = res.fit.iloc[0], res.reliability
    text = _p("cfa_sentence", ctx, n=int(f["n_obs"]), df=int(f["df"]), chi2=num_text(f["chi2"], 2),
              ratio=num_text(f["chi2_df"], 2), cfi=num_text(f["cfi"]), tli=num_text(f["tli"]),
              rmsea=num_text(f["rmsea"]), lo=num_text(f["rmsea_low"]), hi=num_text(f["rmsea_high"]),
              srmr=num_text(f["srmr"]), cr_lo=num_text(rel["cr"].min()), cr_hi=num_text(rel["cr"].max()),
              ave_lo=num_text(rel["ave"].min()), ave_hi=num_text(rel["ave"].max()))
    if f["reason"]:
        text += _p("cfa_reason", ctx, reason=f["reason"])
    return text


def format_harman(table: pd.DataFrame, ctx: StudyContext) -> pd.DataFrame:
    """Harman's test as a two-column table.

    Returns
    -------
    pandas.DataFrame
        Columns: index, value.
    """
    r = table.iloc[0]
    m = len(ctx.scales)
    rows = [(_p("first_share", ctx), num_text(100 * r["first_share"], 1)),
            (_p("one_factor", ctx) + f" {_p('chi2_df', ctx)} / CFI / RMSEA",
             f"{num_text(r['one_chi2'], 2)} ({int(r['one_df'])}) / {num_text(r['one_cfi'])} / "
             f"{num_text(r['one_rmsea'])}"),
            (_p("model", ctx, m=m) + f" {_p('chi2_df', ctx)} / CFI / RMSEA",
             f"{num_text(r['model_chi2'], 2)} ({int(r['model_df'])}) / {num_text(r['model_cfi'])} / "
             f"{num_text(r['model_rmsea'])}"),
            (_p("delta", ctx),
             f"{num_text(r['delta_chi2'], 2)} ({int(r['delta_df'])}), {p_text(r['delta_p'])}")]
    return pd.DataFrame(rows, columns=[_p("index", ctx), _p("value", ctx)])


def interpret_harman(table: pd.DataFrame, ctx: StudyContext) -> str:
    """One paragraph: first-factor share against the threshold, the χ² difference, and the test's weakness."""
    r = table.iloc[0]
    return _p("harman_sentence", ctx, share=num_text(100 * r["first_share"], 1),
              verdict=_p("above" if r["flag"] else "below", ctx), thr=num_text(100 * r["threshold"], 0),
              one_cfi=num_text(r["one_cfi"]), m=len(ctx.scales), ddf=int(r["delta_df"]),
              dchi2=num_text(r["delta_chi2"], 2), p=p_eq(r["delta_p"]))


def plot_scree(res: EFAResult, ctx: StudyContext):
    """Eigenvalues of the item correlations against random data's 95th percentile (parallel analysis).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    e = res.eigen
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(e["component"], e["eigenvalue"], "o-", label=_p("observed", ctx))
    ax.plot(e["component"], e["random_p95"], "s--", label=_p("random", ctx))
    ax.axhline(1.0, color="grey", linewidth=0.8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_p("component", ctx))
    ax.set_ylabel(_p("eigenvalue", ctx))
    ax.set_title(_p("scree_title", ctx))
    ax.legend()
    fig.tight_layout()
    return fig
