"""Crosstabs (交叉分析) of a choice item by a respondent attribute, with χ² / Fisher tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import association

from grouplab.errors import DataError, ParameterError, Problem
from grouplab.measures.survey.analysis.inputs import WHERE, need_columns, numeric

__all__ = ["crosstab", "CROSSTAB_COLUMNS"]

CROSSTAB_COLUMNS = ["item", "option", "by", "level", "count", "n", "share", "row_share", "multiple",
                    "test", "statistic", "df", "p", "cramers_v", "low_expected", "warning", "reason"]


def _option_columns(responses: pd.DataFrame, item: str, choice: Mapping | None) -> list[str] | None:
    """Option columns ``item_1..item_k`` of a multiple-response item, else None (single choice)."""
    if choice and choice.get("multiple"):
        return [f"{item}_{o}" for o in (choice.get("options") or {})]
    if item in responses.columns:
        return None
    prefix = f"{item}_"
    cols = [c for c in responses.columns if str(c).startswith(prefix) and str(c)[len(prefix):].isdigit()]
    if not cols:
        raise DataError([Problem(WHERE, None, item, "choice item not found: neither a column nor "
                                 "option columns item_1..item_k", None,
                                 "Check the item id against the questionnaire spec.")])
    return sorted(cols, key=lambda c: int(str(c)[len(prefix):]))


def _levels(responses: pd.DataFrame, by: str) -> tuple[np.ndarray, np.ndarray]:
    """Level index of every respondent (-1 when the attribute is missing) and the sorted levels."""
    codes, uniques = pd.factorize(responses[by], sort=True, use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def _test(table: np.ndarray, *, correction: bool) -> dict[str, Any]:
    """Pearson χ² (Fisher's exact for a 2×2 table with an expected count < 5) of a count table."""
    t = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if t.shape[0] < 2 or t.shape[1] < 2:
        return {"test": "", "statistic": np.nan, "df": np.nan, "p": np.nan, "cramers_v": np.nan,
                "low_expected": np.nan, "warning": False,
                "reason": "fewer than two non-empty rows or columns: no test"}
    chi2, p, df, expected = stats.chi2_contingency(t, correction=correction)
    low = float((expected < 5).mean())
    out = {"test": "pearson_chi2", "statistic": float(chi2), "df": float(df), "p": float(p),
           "cramers_v": float(association(np.rint(t).astype(np.int64), method="cramer",
                                                       correction=correction)),
           "low_expected": low, "warning": low > 0.2, "reason": ""}
    if t.shape == (2, 2) and (expected < 5).any():
        out["test"] = "fisher_exact"
        out["p"] = float(stats.fisher_exact(t.astype(np.int64)).pvalue)
        out["warning"] = False
    return out


def _frame(item, options, by, levels, counts, n, multiple, tests) -> pd.DataFrame:
    """Long table of one crosstab: one row per (option, level)."""
    n_opt, n_lev = counts.shape
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, counts / n, np.nan)
        row_tot = counts.sum(axis=1, keepdims=True)
        row_share = np.where(row_tot > 0, counts / row_tot, np.nan)
    out = pd.DataFrame({
        "item": item, "option": np.repeat(options, n_lev), "by": by,
        "level": np.tile(levels, n_opt), "count": counts.ravel().astype(np.int64),
        "n": np.broadcast_to(n, counts.shape).ravel().astype(np.int64),
        "share": share.ravel(), "row_share": row_share.ravel(), "multiple": multiple})
    tests = pd.DataFrame(tests).loc[np.repeat(np.arange(len(tests)), n_lev)].reset_index(drop=True)
    return pd.concat([out, tests], axis=1)[CROSSTAB_COLUMNS]


def crosstab(responses: pd.DataFrame, row: str, col: str, *, spec: Mapping[str, Any] | None = None,
             correction: bool = False) -> pd.DataFrame:
    """Crosstab of a choice item (rows) by a respondent attribute (columns), with its test.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent. A single-choice item is one column of option
        codes; a multiple-response item is 0/1 option columns ``row_1..row_k``
        (as 问卷星 exports them). Not modified.
    row : str
        Item id (``C1``; ``Q6`` for the option columns ``Q6_1..Q6_k``).
    col : str
        Attribute column to break the item down by (e.g. ``D1`` post type).
        Respondents with a missing attribute are left out.
    spec : mapping, optional
        Questionnaire spec; ``choices[row]["options"]`` fixes the option list
        (options nobody chose appear with count 0) and ``multiple: true``
        marks a multiple-response item.
    correction : bool, default False
        Yates' continuity correction of a 2×2 χ² (R's ``chisq.test`` default
        is True; SPSSAU and SPSS's "Pearson Chi-Square" row use False).

    Returns
    -------
    DataFrame
        One row per (option, level), options and levels sorted:

        - ``item``, ``option``: the item id and option code;
        - ``by``, ``level``: the attribute column and its value;
        - ``count``: respondents in the level choosing the option;
        - ``n``: respondents in the level who answered the item (the column
          total; for a multiple-response item, who ticked at least one option);
        - ``share``: ``count / n`` (column percentage as a share);
        - ``row_share``: ``count`` / the option's count over all levels (row
          percentage as a share);
        - ``multiple``: True for a multiple-response item;
        - ``test``: ``"pearson_chi2"`` or ``"fisher_exact"`` (2×2 with an
          expected count below 5), ``""`` when no test is possible;
        - ``statistic``, ``df``, ``p``: the χ² statistic, its degrees of
          freedom and p-value (Fisher: exact two-sided p, χ² still shown);
        - ``cramers_v``: Cramér's V of the table;
        - ``low_expected``: share of expected counts below 5;
        - ``warning``: True when more than 20 % of expected counts are below 5
          (the χ² approximation is doubtful; Cochran 1954);
        - ``reason``: why there is no test, else ``""``.

        A single-choice item has one test (option × level table), repeated on
        every row; a multiple-response item has one test per option (ticked
        vs not ticked × level), repeated on that option's rows.

    Raises
    ------
    DataError
        The item, its option columns or the attribute column is missing, or an
        answer is not a number.
    ParameterError
        ``row`` and ``col`` are the same column.

    Notes
    -----
    χ² = Σ (O − E)² / E with E = row total × column total / N, df = (r − 1)(c − 1)
    over the rows and columns with a positive total. Cramér's V =
    √(χ² / (N (min(r, c) − 1))). The test is of association in this sample of
    respondents (independent answers assumed); it says nothing about why the
    groups differ. Multiple-response per-option tests are not adjusted for
    multiplicity.

    Examples
    --------
    >>> df = pd.DataFrame({"C1": [1, 1, 2, 2, 1, 2, 1, 2], "D1": list("aabbabab")})
    >>> t = crosstab(df, "C1", "D1")
    >>> t[["option", "level", "count", "n", "share"]]
       option level  count  n  share
    0       1     a      4  4    1.0
    1       1     b      0  4    0.0
    2       2     a      0  4    0.0
    3       2     b      4  4    1.0
    >>> t["test"].iloc[0], round(float(t["p"].iloc[0]), 4)
    ('fisher_exact', 0.0286)
    """
    if row == col:
        raise ParameterError(f"row and col are both {row!r}: cross an item with another column")
    need_columns(responses, [col], what="attribute")
    choice = ((spec or {}).get("choices") or {}).get(row)
    opt_cols = _option_columns(responses, row, choice)
    lev, levels = _levels(responses, col)
    has = lev >= 0
    n_lev = len(levels)
    if opt_cols is None:
        codes = numeric(responses, [row], what="choice item")[:, 0]
        ok = has & ~np.isnan(codes)
        if choice and choice.get("options"):
            options = np.array(sorted(float(o) for o in choice["options"]))
        else:
            options = np.unique(codes[ok])
        pos = np.searchsorted(options, codes[ok])
        pos = np.minimum(pos, max(len(options) - 1, 0))
        known = options[pos] == codes[ok] if len(options) else np.zeros(0, bool)
        counts = np.bincount(pos[known] * n_lev + lev[ok][known],
                             minlength=len(options) * n_lev).reshape(len(options), n_lev).astype(float)
        n = np.bincount(lev[ok], minlength=n_lev).astype(float)[None, :]
        tests = [_test(counts, correction=correction)] * len(options)
        multiple = False
    else:
        M = numeric(responses, opt_cols, what="option")
        answered = has & ~np.isnan(M).all(axis=1)
        ticked = (np.nan_to_num(M[answered], nan=0.0) > 0).astype(float)
        counts = np.zeros((len(opt_cols), n_lev))
        for j in range(len(opt_cols)):
            counts[j] = np.bincount(lev[answered], weights=ticked[:, j], minlength=n_lev)
        n = np.bincount(lev[answered], minlength=n_lev).astype(float)[None, :]
        tests = [_test(np.vstack([counts[j], n[0] - counts[j]]), correction=correction)
                 for j in range(len(opt_cols))]
        options = np.array([float(str(c)[len(row) + 1:]) for c in opt_cols])
        multiple = True
    if len(options) and np.all(np.mod(options, 1) == 0):
        options = options.astype(np.int64)
    return _frame(row, options, col, levels, counts, n, multiple, tests)
