"""Numeric tables of the survey study (numbers only, never rounded).

Each ``*_table(ctx)`` runs one step of the SPSSAU sequence on the company's
answers of the wave; display and wording live in :mod:`.display`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.measures.survey.analysis import (
    CFAResult,
    EFAResult,
    cfa,
    compare_groups,
    correlations,
    crosstab,
    efa,
    harman_test,
    regression,
)
from grouplab.reports.common.disclosure import protect_table, suppression
from grouplab.reports.survey_study.context import StudyContext

__all__ = ["crosstab_table", "difference_table", "efa_result", "cfa_result", "correlation_table",
           "harman_table", "regression_table", "model_of"]


def model_of(ctx: StudyContext) -> dict[str, list[str]]:
    """The measurement model: scale → its (keyed) items."""
    return {s: [str(i) for i in v["items"]] for s, v in ctx.spec["scales"].items()}


def crosstab_table(ctx: StudyContext) -> pd.DataFrame:
    """Every choice item × attribute crosstab, with small-cell suppression.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`grouplab.measures.survey.analysis.crosstab` plus

        - ``hidden``: ``""`` shown, ``"small"`` or ``"complement"`` hidden, from
          :func:`grouplab.reports.common.disclosure.protect_table` with the
          option (row) and level (column) totals of each table published;
        - ``test_table``: what the test columns (``test``, ``statistic``,
          ``df``, ``p``, ``cramers_v``, ``low_expected``, ``warning``) are of:
          ``"full"`` (no hidden cell), ``"merged_options"`` /
          ``"merged_levels"`` (the table with every option, or level, holding a
          hidden cell merged into one) or ``"withheld"`` (no such table with
          two rows and two columns; the test columns are then NaN).

    Notes
    -----
    A test statistic is one more equation on the cells: with the totals, the
    χ² of a 2 × 2 table leaves its one free cell at most two values, and in a
    larger table it cuts the hidden cells' feasible set down. So a table with
    a hidden cell is tested only after merging the options (rows) that hold
    hidden cells: in every column the merged cell is then the column total
    minus shown cells, so the merged table — and any statistic of it — follows
    from published numbers (:mod:`grouplab.reports.common.disclosure`,
    "Statistics of hidden cells"). Merging levels (columns) instead is used
    when it keeps more degrees of freedom. A multiple-response item's
    per-option test (ticked vs not × level) is withheld when that option has
    a hidden cell.
    """
    t = crosstab(ctx.responses, ctx.choices, list(ctx.attributes), spec=ctx.spec)
    t["hidden"] = protect_table(t, k=ctx.k, row_keys=["item", "by", "option"],
                                col_keys=["item", "by", "level"], count="count")
    t["test_table"] = "full"
    test = [t["item"], t["by"], t["option"].where(t["multiple"], "")]
    has_hidden = (t["hidden"] != "").groupby(test, sort=False).transform("any").astype(bool)
    for (item, by), g in t[has_hidden].groupby(["item", "by"], sort=False):
        merged = None if g["multiple"].iloc[0] else _merged_test(ctx, g, item, by)
        if merged is None:
            t.loc[g.index, _TEST_COLUMNS] = np.nan
            t.loc[g.index, "test_table"] = "withheld"
            continue
        kind, r = merged
        for c in _TEST_COLUMNS + ["test", "warning", "reason"]:
            t.loc[g.index, c] = r[c]
        t.loc[g.index, "test_table"] = kind
    t["warning"] = t["warning"].fillna(False).astype(bool)
    return t


_TEST_COLUMNS = ["statistic", "df", "p", "cramers_v", "low_expected"]


def _merged_test(ctx: StudyContext, g: pd.DataFrame, item: str, by: str) -> tuple[str, pd.Series] | None:
    """The test of ``item`` × ``by`` with the options (or levels) holding hidden cells merged into one.

    Returns ``(kind, first row of the merged crosstab)``, or None when neither
    merge leaves a table of at least 2 × 2.
    """
    hidden = g[g["hidden"] != ""]
    best = None
    for axis, col, kind in (("option", item, "merged_options"), ("level", by, "merged_levels")):
        merge = sorted(set(hidden[axis]))
        rows = len(set(g[axis])) - len(merge) + 1
        other = len(set(g["level" if axis == "option" else "option"]))
        df = (rows - 1) * (other - 1)
        if df > 0 and (best is None or df > best[0]):
            best = (df, col, merge, kind)
    if best is None:
        return None
    _, col, merge, kind = best
    resp = ctx.responses[[item, by]].copy()
    resp[col] = resp[col].where(~resp[col].isin(merge), merge[0])  # every merged code -> the first
    spec = ctx.spec
    if col == item:
        choice = dict(spec["choices"][item])
        choice["options"] = {o: v for o, v in (choice.get("options") or {}).items()
                             if o not in merge[1:]}
        spec = {**spec, "choices": {**spec["choices"], item: choice}}
    return kind, crosstab(resp, item, by, spec=spec).iloc[0]


def difference_table(ctx: StudyContext) -> pd.DataFrame:
    """Scale scores compared between the groups of each attribute.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`grouplab.measures.survey.analysis.compare_groups`
        for every attribute stacked (``by`` names it); BH adjustment within each
        attribute's family of scales. Plus

        - ``hidden``: on group rows, ``"small"`` (fewer than ``k``) or
          ``"complement"`` (hidden so that the others do not give a small
          group away), from :func:`grouplab.reports.common.disclosure.suppression`
          of the groups' n (the smallest over the scales); ``""`` elsewhere;
        - ``test_table``: on test and pair rows, ``"full"``, ``"merged_levels"``
          (the hidden groups compared as one group; pairs that involve it are
          dropped) or ``"withheld"`` (fewer than two groups after the merge:
          statistics NaN, no pairs).

    Notes
    -----
    n × mean adds up over groups, and a t or F statistic with its effect size
    is one or two more equations: with one group hidden, the shown groups'
    means and the test would give its mean away. Hence whole groups are
    protected like cells, and the test compares the hidden groups merged.
    """
    return pd.concat([_protected_comparison(ctx, a) for a in ctx.attributes], ignore_index=True)


def _protected_comparison(ctx: StudyContext, by: str) -> pd.DataFrame:
    """:func:`compare_groups` of every scale by ``by`` with small groups protected (see difference_table)."""
    t = compare_groups(ctx.scores, ctx.scales, by)
    n = t[t["kind"] == "group"].groupby("group1")["n1"].min()
    status = suppression(n, k=ctx.k) if len(n) else pd.Series(dtype=object)
    is_group = (t["kind"] == "group").to_numpy()
    t["hidden"] = np.where(is_group, t["group1"].map(status).fillna(""), "")
    t["test_table"] = np.where(is_group, "", "full")
    hide = list(status.index[status != ""])
    if not hide:
        return t
    groups = t[is_group]
    if len(n) - len(hide) + 1 < 2:  # one group left: nothing to compare
        tests = t[(t["kind"] == "test")].copy()
        tests[["statistic", "df1", "df2", "p", "p_bh", "estimate", "ci_low", "ci_high", "effect_size",
               "effect_low", "effect_high"]] = np.nan
        tests["test_table"] = "withheld"
        merged = tests
    else:
        scores = ctx.scores.copy()
        scores[by] = scores[by].where(~scores[by].isin(hide), hide[0])  # hidden groups -> one code
        merged = compare_groups(scores, ctx.scales, by)
        pair_in = (merged["kind"] == "pair") & (merged["group1"].isin(hide) | merged["group2"].isin(hide))
        merged = merged[(merged["kind"] != "group") & ~pair_in].assign(hidden="", test_table="merged_levels")
    order = {s: i for i, s in enumerate(ctx.scales)}
    out = pd.concat([groups, merged], ignore_index=True)
    out["_o"] = out["outcome"].map(order)
    return out.sort_values("_o", kind="stable", ignore_index=True).drop(columns="_o")


def efa_result(ctx: StudyContext) -> EFAResult:
    """EFA of all scale items (minres, oblimin), as many factors as the questionnaire has scales.

    Parallel analysis is run too (``suggested``); the theory fixes the number.
    """
    items = [i for its in model_of(ctx).values() for i in its]
    return efa(ctx.keyed, items, n_factors=len(ctx.scales), rotation="oblimin", method="minres")


def cfa_result(ctx: StudyContext) -> CFAResult:
    """CFA of the questionnaire's scales as correlated factors (ML)."""
    return cfa(ctx.keyed, model_of(ctx))


def correlation_table(ctx: StudyContext, fitted: CFAResult | None = None) -> pd.DataFrame:
    """Pearson correlations of the scale scores, √AVE on the diagonal when ``fitted`` is given.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`grouplab.measures.survey.analysis.correlations`.
    """
    return correlations(ctx.scores, ctx.scales, method="pearson", cfa=fitted)


def harman_table(ctx: StudyContext) -> pd.DataFrame:
    """Harman's single-factor test of the scale items, one-factor vs the scales' CFA.

    Returns
    -------
    pandas.DataFrame
        One row, the columns of :func:`grouplab.measures.survey.analysis.harman_test`.
    """
    return harman_test(ctx.keyed, model_of(ctx))


def regression_table(ctx: StudyContext) -> pd.DataFrame:
    """OLS of the last scale (the outcome of the questionnaire) on the other scales.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`grouplab.measures.survey.analysis.regression`,
        plus ``y`` (the outcome scale).
    """
    y, xs = ctx.scales[-1], ctx.scales[:-1]
    return regression(ctx.scores, y, xs).assign(y=y)
