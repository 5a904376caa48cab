"""Numeric tables of the survey study (numbers only, never rounded).

Each ``*_table(ctx)`` runs one step of the SPSSAU sequence on the company's
answers of the wave; display and wording live in :mod:`.display`.
"""

from __future__ import annotations

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
from grouplab.reports.common.disclosure import protect_table
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
        ``hidden``: ``""`` shown, ``"small"`` or ``"complement"`` hidden, from
        :func:`grouplab.reports.common.disclosure.protect_table` with the
        option (row) and level (column) totals of each table published.
    """
    t = crosstab(ctx.responses, ctx.choices, list(ctx.attributes), spec=ctx.spec)
    t["hidden"] = protect_table(t, k=ctx.k, row_keys=["item", "by", "option"],
                                col_keys=["item", "by", "level"], count="count")
    return t


def difference_table(ctx: StudyContext) -> pd.DataFrame:
    """Scale scores compared between the groups of each attribute.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`grouplab.measures.survey.analysis.compare_groups`
        for every attribute stacked (``by`` names it); BH adjustment within each
        attribute's family of scales.
    """
    return pd.concat([compare_groups(ctx.scores, ctx.scales, a) for a in ctx.attributes],
                     ignore_index=True)


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
