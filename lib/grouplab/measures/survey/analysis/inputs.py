"""Input checks shared by the survey-analysis modules: columns present, numbers, options, stars."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError
from grouplab.measures.survey.scales import missing_column_problems

WHERE = "<responses>"


def need_columns(frame: pd.DataFrame, columns: Sequence[str], *, what: str) -> None:
    """DataError naming every column of ``columns`` absent from ``frame``."""
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"expected a pandas DataFrame of responses, got {type(frame).__name__}")
    missing = missing_column_problems(frame, columns, what)
    if missing:
        raise DataError(missing)


def numeric(frame: pd.DataFrame, columns: Sequence[str], *, what: str) -> np.ndarray:
    """Columns as a float matrix (NaN for missing); DataError for a text cell, naming it."""
    need_columns(frame, columns, what=what)
    out = np.empty((len(frame), len(columns)))
    problems = []
    for j, c in enumerate(columns):
        col = frame[c]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            out[:, j] = col.to_numpy(dtype=float, na_value=np.nan)
            continue
        num = pd.to_numeric(col, errors="coerce")
        bad = num.isna() & col.notna()
        if bad.any():
            first = int(np.flatnonzero(bad.to_numpy())[0])
            problems.append(problem("answers_not_numbers", WHERE, first + 2, str(c), col.iloc[first]))
        out[:, j] = num.to_numpy(dtype=float, na_value=np.nan)
    if problems:
        raise DataError(problems)
    return out


def check_choice(value, allowed: Sequence[str], *, name: str) -> str:
    """``value`` if it is one of ``allowed``, else ParameterError listing them."""
    if value not in allowed:
        raise ParameterError(f"{name}={value!r}: choose one of {', '.join(map(repr, allowed))}")
    return value


def stars(p) -> np.ndarray:
    """Significance stars of p-values: ``***`` < .001, ``**`` < .01, ``*`` < .05, else ``""``."""
    p = np.asarray(p, dtype=float)
    return np.select([p < 0.001, p < 0.01, p < 0.05], ["***", "**", "*"], "").astype(object)


def check_not_singular(R: np.ndarray, items, *, method: str) -> None:
    """DataError when the item correlation matrix ``R`` is singular, naming duplicated item pairs."""
    if np.linalg.eigvalsh(R)[0] > 1e-10:
        return
    p = len(items)
    pairs = [f"{items[i]}={items[j]}" for i in range(p) for j in range(i + 1, p) if abs(R[i, j]) > 1 - 1e-9]
    said = {"pairs": f" (perfectly correlated: {', '.join(pairs)})" if pairs else "",
            "pairs_zh": f"（完全相关：{'、'.join(pairs)}）" if pairs else "",
            "method": method, "method_zh": _METHOD_ZH.get(method, f"{method} 法")}
    raise DataError([problem("singular_correlation", WHERE, **said)])


#: the ``method`` of :func:`check_not_singular` in Chinese (an EFA's extraction: "minres 法")
_METHOD_ZH = {"a maximum-likelihood CFA": "最大似然验证性因子分析"}


def is_labels(col: pd.Series) -> bool:
    """True for answers kept as labels (a pandas categorical, yes/no, or text none of which is a
    number) rather than number codes; codes with a stray word stay codes (and the word an error)."""
    if isinstance(col.dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(col):
        return True
    if pd.api.types.is_numeric_dtype(col):
        return False
    given = col.dropna()
    return len(given) > 0 and bool(pd.to_numeric(given, errors="coerce").isna().all())


def levels_of(col: pd.Series, *, unused: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Level index of every value (-1 when missing) and the levels, as ``pandas.crosstab`` orders them.

    A categorical keeps its category order (``unused=True``: categories nobody has too); anything
    else is sorted (by text when the values do not compare, e.g. numbers and words mixed).

    Returns
    -------
    codes : numpy.ndarray of int
    levels : numpy.ndarray of object

    Examples
    --------
    >>> s = pd.Series(pd.Categorical(["高", "低", None], categories=["低", "中", "高"]))
    >>> levels_of(s)[0].tolist(), levels_of(s)[1].tolist(), levels_of(s, unused=True)[1].tolist()
    ([1, 0, -1], ['低', '高'], ['低', '中', '高'])
    >>> levels_of(pd.Series(["同意", "不同意", "同意"]))[1].tolist()
    ['不同意', '同意']
    """
    if isinstance(col.dtype, pd.CategoricalDtype):
        cat = col if unused else col.cat.remove_unused_categories()
        return cat.cat.codes.to_numpy().astype(np.int64), np.asarray(cat.cat.categories, dtype=object)
    try:
        codes, uniques = pd.factorize(col, sort=True, use_na_sentinel=True)
    except TypeError:  # values that do not compare: sorted by their text
        codes, uniques = pd.factorize(col, sort=False, use_na_sentinel=True)
        order = np.argsort([str(u) for u in uniques], kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        codes = np.where(codes >= 0, rank[np.maximum(codes, 0)], -1)
        uniques = np.asarray(uniques, dtype=object)[order]
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)
