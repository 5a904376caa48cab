"""Crosstabs (交叉分析) of a choice item by a respondent attribute, with χ² / Fisher tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import association

from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError
from grouplab.measures.survey.analysis.inputs import WHERE, is_labels, levels_of, need_columns, numeric

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
        raise DataError([problem("choice_item_not_found", WHERE, None, item)])
    return sorted(cols, key=lambda c: int(str(c)[len(prefix):]))


def _levels(responses: pd.DataFrame, by: str) -> tuple[np.ndarray, np.ndarray]:
    """Level index of every respondent (-1 when the attribute is missing) and the levels (category
    order for a categorical, else sorted)."""
    return levels_of(responses[by])


def _option_index(codes: np.ndarray, options: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Position of each answer in ``options`` (-1 for missing or unknown codes).

    Integer codes over a short range go through a lookup table (one pass over the
    answers); anything else through a binary search.
    """
    idx = np.full(len(codes), -1, dtype=np.int64)
    if not len(options):
        return idx
    lo, hi = options[0], options[-1]
    if np.all(np.mod(options, 1) == 0) and hi - lo < 10_000:
        lut = np.full(int(hi - lo) + 1, -1, dtype=np.int64)
        lut[(options - lo).astype(np.int64)] = np.arange(len(options))
        c = np.where(ok, codes, lo)
        ci = c.astype(np.int64)
        inside = ok & (ci == c) & (ci >= lo) & (ci <= hi)
        return np.where(inside, lut[np.clip(ci - int(lo), 0, len(lut) - 1)], -1)
    pos = np.minimum(np.searchsorted(options, codes[ok]), len(options) - 1)
    idx[ok] = np.where(options[pos] == codes[ok], pos, -1)
    return idx


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


def crosstab(responses: pd.DataFrame, row: str | Sequence[str], col: str | Sequence[str], *,
             spec: Mapping[str, Any] | None = None, correction: bool = False) -> pd.DataFrame:
    """Crosstab of a choice item (rows) by a respondent attribute (columns), with its test.

    Several items and attributes at once (``row=["C1", "C2"], col=["D1", "D2"]``)
    give every item × attribute table, stacked; each item and attribute is then
    decoded once, which is what makes a million respondents quick.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent. A single-choice item is one column of option
        codes, or of labels (text, or a pandas categorical: options in category
        order, else sorted, as :func:`pandas.crosstab` lists them; ``option``
        then holds the label); a multiple-response item is 0/1 option columns ``row_1..row_k``
        (as 问卷星 exports them). Not modified.
    row : str or sequence of str
        Item id (``C1``; ``Q6`` for the option columns ``Q6_1..Q6_k``).
    col : str or sequence of str
        Attribute column to break the item down by (e.g. ``D1`` post type):
        codes, labels or a categorical (levels in category order, else sorted).
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
        One row per (item, attribute, option, level); items and attributes in
        the order given, options and levels sorted:

        - ``item``, ``option``: the item id and option code;
        - ``by``, ``level``: the attribute column and its value;
        - ``count``: respondents in the level choosing the option;
        - ``n``: respondents in the level who chose one of the options (the
          column total; for a multiple-response item, who answered the question);
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
        An item is also an attribute.

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
    rows = [row] if isinstance(row, str) else list(row)
    cols = [col] if isinstance(col, str) else list(col)
    same = sorted(set(rows) & set(cols))
    if same:
        raise ParameterError(f"{', '.join(same)} is both an item and an attribute: cross an item with "
                             "another column")
    need_columns(responses, cols, what="attribute")
    items = {r: _decode_item(responses, r, spec) for r in rows}
    attrs = {}
    for c in cols:                      # missing attribute -> an extra last level, dropped later
        lev, levels = _levels(responses, c)
        attrs[c] = (np.where(lev >= 0, lev, len(levels)).astype(np.int32), levels)
    frames = [_crosstab_one(r, items[r], c, *attrs[c], correction=correction) for r in rows for c in cols]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _decode_item(responses: pd.DataFrame, item: str, spec: Mapping[str, Any] | None) -> dict:
    """Option index of every answer (single choice) or the ticked matrix (multiple response)."""
    choice = ((spec or {}).get("choices") or {}).get(item)
    opt_cols = _option_columns(responses, item, choice)
    if opt_cols is None and is_labels(responses[item]):  # labels or a categorical, as pandas.crosstab
        idx, options = levels_of(responses[item], unused=True)
        return {"multiple": False, "answered": idx >= 0, "options": options,
                "idx": np.where(idx >= 0, idx, len(options)).astype(np.int32)}
    if opt_cols is None:
        codes = numeric(responses, [item], what="choice item")[:, 0]
        answered = ~np.isnan(codes)
        if choice and choice.get("options"):
            options = np.array(sorted(float(o) for o in choice["options"]))
        else:
            options = np.unique(codes[answered])
        idx = _option_index(codes, options, answered)   # unknown/missing -> an extra last row
        return {"multiple": False, "answered": answered, "options": options,
                "idx": np.where(idx >= 0, idx, len(options)).astype(np.int32)}
    M = numeric(responses, opt_cols, what="option")
    return {"multiple": True, "answered": ~np.isnan(M).all(axis=1),
            "options": np.array([float(str(c)[len(item) + 1:]) for c in opt_cols]),
            "ticked": np.nan_to_num(M, nan=0.0) > 0}


def _crosstab_one(item: str, data: dict, by: str, lev: np.ndarray, levels: np.ndarray, *,
                  correction: bool) -> pd.DataFrame:
    """The long table of one item × attribute (``lev`` holds ``len(levels)`` for a missing attribute)."""
    n_lev, options = len(levels), data["options"]
    if not data["multiple"]:
        n_opt, width = len(options), n_lev + 1
        full = np.bincount(data["idx"] * width + lev, minlength=(n_opt + 1) * width)
        counts = full.reshape(n_opt + 1, width)[:n_opt, :n_lev].astype(float)
        n = counts.sum(axis=0, keepdims=True)
        tests = [_test(counts, correction=correction)] * n_opt
    else:
        ok = data["answered"] & (lev < n_lev)
        n = np.bincount(lev[ok], minlength=n_lev).astype(float)[None, :]
        counts = np.vstack([np.bincount(lev[ok], weights=data["ticked"][ok, j], minlength=n_lev)
                            for j in range(len(options))])
        tests = [_test(np.vstack([counts[j], n[0] - counts[j]]), correction=correction)
                 for j in range(len(options))]
    if len(options) and options.dtype != object and np.all(np.mod(options, 1) == 0):
        options = options.astype(np.int64)
    return _frame(item, options, by, levels, counts, n, data["multiple"], tests)
