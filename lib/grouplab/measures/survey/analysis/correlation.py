"""Correlation matrices (相关分析) with n, p and stars; Fornell–Larcker diagonal from a CFA."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError
from grouplab.measures.survey.analysis.inputs import WHERE, check_choice, numeric, stars

__all__ = ["correlations", "CORRELATION_COLUMNS"]

CORRELATION_COLUMNS = ["var1", "var2", "r", "n", "p", "stars", "mean1", "sd1", "diagonal"]


def correlations(scores: pd.DataFrame, columns: Sequence[str] | None = None, *, method: str = "pearson",
                 cfa=None) -> pd.DataFrame:
    """Pairwise correlations of scale scores with their n, p, stars, means and SDs.

    Parameters
    ----------
    scores : DataFrame
        One row per respondent, numeric columns (e.g. from ``score_scales``).
    columns : sequence of str, optional
        Columns to correlate, in display order (default: every numeric
        column).
    method : {"pearson", "spearman"}
    cfa : CFAResult, optional
        A :func:`~grouplab.measures.survey.analysis.cfa` result; factors with
        the same names as ``columns`` get √AVE on the diagonal (Fornell–Larcker).

    Returns
    -------
    DataFrame
        One row per ordered pair (var1, var2) of ``columns`` including
        var1 == var2, in column order:

        - ``var1``, ``var2``: column names;
        - ``r``: correlation over respondents answering both (pairwise
          deletion); 1 on the diagonal;
        - ``n``: that number of respondents;
        - ``p``: two-sided p of H0: ρ = 0 (t = r√(n−2)/√(1−r²), n − 2 df);
        - ``stars``: ``*`` p < .05, ``**`` < .01, ``***`` < .001;
        - ``mean1``, ``sd1``: mean and SD (n − 1) of var1;
        - ``diagonal``: √AVE of var1's factor on diagonal rows when ``cfa`` is
          given (NaN otherwise and off the diagonal).

    Raises
    ------
    DataError
        A column is missing, not numeric, or constant.
    ParameterError
        Unknown ``method``.

    Notes
    -----
    Spearman's ρ is Pearson's r of mid-ranks; its p uses the same t
    approximation (R ``cor.test(method = "spearman", exact = FALSE)``).
    Correlations describe association in this sample, not causation.
    Fornell & Larcker (1981): discriminant validity is supported when √AVE of
    each factor exceeds its correlations with the other factors.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1., 2, 3, 4], "b": [2., 4, 5, 9]})
    >>> t = correlations(df)
    >>> round(float(t.loc[1, "r"]), 4), int(t.loc[1, "n"])
    (0.9648, 4)
    """
    check_choice(method, ("pearson", "spearman"), name="method")
    if columns is None:
        columns = [c for c in scores.columns if pd.api.types.is_numeric_dtype(scores[c])]
    columns = list(columns)
    if len(columns) < 2:
        raise ParameterError("columns: name at least two columns to correlate")
    X = numeric(scores, columns, what="score")
    sd = np.nanstd(X, axis=0, ddof=1)
    flat = [c for c, s in zip(columns, sd) if not s > 0]
    if flat:
        raise DataError([problem("constant_column", WHERE, None, c) for c in flat])
    ave = {}
    if cfa is not None:
        ave = dict(zip(cfa.reliability["factor"], np.sqrt(cfa.reliability["ave"])))
    rows = []
    for i, a in enumerate(columns):
        for j, b in enumerate(columns):
            ok = ~np.isnan(X[:, i]) & ~np.isnan(X[:, j])
            n = int(ok.sum())
            x, y = X[ok, i], X[ok, j]
            if method == "spearman":
                x, y = stats.rankdata(x), stats.rankdata(y)
            r = 1.0 if i == j else (float(np.corrcoef(x, y)[0, 1]) if n > 2 else np.nan)
            with np.errstate(divide="ignore", invalid="ignore"):
                t = r * np.sqrt((n - 2) / (1 - r * r)) if i != j else np.inf
            p = float(2 * stats.t.sf(abs(t), n - 2)) if i != j and n > 2 else np.nan
            rows.append({"var1": a, "var2": b, "r": r, "n": n, "p": p,
                         "mean1": float(np.nanmean(X[:, i])), "sd1": float(sd[i]),
                         "diagonal": ave.get(a, np.nan) if i == j else np.nan})
    out = pd.DataFrame(rows)
    out["stars"] = stars(out["p"].fillna(1.0))
    return out[CORRELATION_COLUMNS]
