"""Questionnaire scoring: scale means, choice shares, group-level aggregation.

A *questionnaire spec* is a mapping (or the output of
:func:`grouplab.data.specs.load_questionnaire`) with ``range`` [min, max] of the
Likert answers, ``scales`` {name: {items, reverse}} and optional ``choices``
{id: {options, multiple}}. Reliability and validity statistics of the same
scales live in :mod:`grouplab.measures.survey.reliability`.

Responses are one row per respondent (wide): item columns named by the spec,
plus the survey table's key and link columns (``respondent_id``, ``wave``,
``unit_id``, ``group_id``), which are carried through to the outputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from grouplab.data.codebook import codebook
from grouplab.data.problems import problem
from grouplab.data.specs import load_questionnaire
from grouplab.errors import DataError, ParameterError

__all__ = ["score_scales", "choice_shares", "wilson_interval", "as_spec", "keyed_items"]

_Z95 = float(stats.norm.ppf(0.975))


# --------------------------------------------------------------------------- helpers
def as_spec(spec: Mapping[str, Any]) -> dict:
    """Validated questionnaire spec (idempotent on an already loaded spec)."""
    return load_questionnaire(spec)


def _id_columns(responses: pd.DataFrame) -> list[str]:
    """Survey key and link columns (from the codebook) present in ``responses``."""
    table = codebook()["survey"]
    ids = list(table.key) + [c for c, s in table.columns.items() if s.references]
    return [c for c in dict.fromkeys(ids) if c in responses.columns]


#: the kinds of column a survey function names in a problem (``what``), in Chinese
COLUMN_KINDS_ZH = {"item": "题目", "scale item": "量表题目", "option": "选项", "outcome": "结果变量",
                   "regression": "回归变量", "choice item": "选择题", "grouping": "分组", "attribute": "属性"}


def missing_column_problems(frame: pd.DataFrame, columns: Sequence[str], what: str) -> list:
    """A coded problem for every one of ``columns`` absent from ``frame`` (``what`` kind of column)."""
    return [problem("item_column_missing", "<responses>", None, str(c), what=what,
                    what_zh=COLUMN_KINDS_ZH.get(what, what)) for c in columns if c not in frame.columns]


def _matrix(responses: pd.DataFrame, items: Sequence[str], *, what: str) -> np.ndarray:
    """Item columns as a float matrix (NaN for missing); DataError for absent columns."""
    missing = missing_column_problems(responses, items, what)
    if missing:
        raise DataError(missing)
    try:
        return responses.loc[:, list(items)].to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        bad = [i for i in items if pd.to_numeric(responses[i], errors="coerce").isna().sum()
               > responses[i].isna().sum()]
        raise DataError([problem("answers_not_numbers", "<responses>", None, i) for i in bad]) from None


def keyed_items(responses: pd.DataFrame, spec: dict) -> tuple[np.ndarray, list[str], dict[str, np.ndarray]]:
    """All scale items, reverse keyed (lo + hi - x), with column positions per scale.

    Returns
    -------
    X : ndarray (n_respondents, n_items)
    items : list of item ids, in spec order
    cols : {scale: int array of column positions in X}
    """
    lo, hi = spec["range"]
    items: list[str] = []
    cols: dict[str, np.ndarray] = {}
    rev: list[bool] = []
    for name, s in (spec.get("scales") or {}).items():
        its = [str(i) for i in s["items"]]
        reverse = {str(r) for r in s.get("reverse") or []}
        cols[name] = np.arange(len(items), len(items) + len(its))
        items.extend(its)
        rev.extend(i in reverse for i in its)
    X = _matrix(responses, items, what="scale item")
    out = (X < lo) | (X > hi)
    if out.any():
        rows, cs = np.nonzero(out)
        raise DataError([problem("answer_outside_scale", "<responses>", int(r), items[c], X[r, c], lo=lo,
                                 hi=hi) for r, c in zip(rows[:50], cs[:50])])
    flip = np.asarray(rev, dtype=bool)
    if flip.any():
        if not X.flags.writeable:
            X = X.copy()
        X[:, flip] = lo + hi - X[:, flip]
    return X, items, cols


def wilson_interval(count, n, *, z: float = _Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion, vectorised.

    Parameters
    ----------
    count, n : array_like
        Successes and trials; NaN bounds where ``n == 0``.
    z : float, default 1.96
        Normal quantile (95 %).

    Returns
    -------
    (low, high) : tuple of ndarray

    Notes
    -----
    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)`` (Wilson 1927;
    Newcombe 1998, method 3).

    Examples
    --------
    >>> lo, hi = wilson_interval(81, 263)
    >>> print(f"{float(lo):.4f} {float(hi):.4f}")
    0.2553 0.3662
    """
    count = np.asarray(count, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = count / n
        z2 = z * z
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


# --------------------------------------------------------------------------- scores
def score_scales(responses: pd.DataFrame, spec: Mapping[str, Any], *,
                 min_answered: float = 0.5) -> pd.DataFrame:
    """Per-respondent scale means after reverse keying.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent with the spec's item columns (numbers within
        ``range``; NaN for unanswered). Not modified.
    spec : mapping
        Questionnaire spec: ``range`` [lo, hi] and ``scales`` {name: {items, reverse}}.
    min_answered : float, default 0.5
        Minimum share of a scale's items a respondent must have answered for
        the scale mean to be computed (0.5 = at least half; 1 = all items).

    Returns
    -------
    DataFrame
        Same index as ``responses``:

        - the survey key/link columns present (``respondent_id``, ``wave``,
          ``unit_id``, ``group_id``), copied;
        - one float column per scale, named by the scale: the mean of the
          answered items after reverse keying, NaN when fewer than
          ``min_answered`` of its items were answered.

    Raises
    ------
    DataError
        An item column is missing, not numeric, or holds a value outside ``range``.

    Notes
    -----
    A reverse-keyed answer *x* is scored ``lo + hi - x`` (on 1–5: 5 ↔ 1).
    Scale mean = Σ answered keyed items / number answered, required
    ``answered / n_items >= min_answered``.

    Examples
    --------
    >>> spec = {"range": [1, 5], "scales": {"A": {"items": ["A1", "A2"], "reverse": ["A2"]}}}
    >>> df = pd.DataFrame({"respondent_id": ["r1", "r2", "r3"],
    ...                    "A1": [5, 4, None], "A2": [1, None, None]})
    >>> score_scales(df, spec)
      respondent_id    A
    0            r1  5.0
    1            r2  4.0
    2            r3  NaN
    """
    spec = as_spec(spec)
    if not 0.0 <= float(min_answered) <= 1.0:
        raise ParameterError(f"min_answered must be a share between 0 and 1, got {min_answered!r} "
                             "(e.g. 0.5 for at least half of the items)")
    X, _, cols = keyed_items(responses, spec)
    answered = ~np.isnan(X)
    X0 = np.where(answered, X, 0.0)
    out = responses.loc[:, _id_columns(responses)].copy()
    for name, c in cols.items():
        cnt = answered[:, c].sum(axis=1)
        tot = X0[:, c].sum(axis=1)
        ok = (cnt > 0) & (cnt >= min_answered * len(c) - 1e-12)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[name] = np.where(ok, tot / cnt, np.nan)
    return out


# --------------------------------------------------------------------------- choices
def _option_label(choice: Mapping | None, code: Any) -> str | None:
    opts = (choice or {}).get("options") or {}
    entry = opts.get(code, opts.get(str(code)))
    if isinstance(entry, Mapping):
        return entry.get("zh") or entry.get("en")
    return None if entry is None else str(entry)


def _choice_columns(responses: pd.DataFrame, item: str, choice: Mapping | None) -> list[str] | None:
    """Option columns ``item_<code>`` / ``item_<label>`` of a multiple-response item, else None."""
    if choice is not None and choice.get("multiple"):
        opts = list((choice.get("options") or {}).keys())
        if opts:
            return [f"{item}_{o}" for o in opts]
    if item in responses.columns:
        return None
    prefix = f"{item}_"
    cols = [c for c in responses.columns if str(c).startswith(prefix)
            and not str(c).endswith("_other_text")]
    if not cols:
        raise DataError([problem("choice_item_not_found", "<responses>", None, item)])
    digits = all(str(c)[len(prefix):].isdigit() for c in cols)
    return sorted(cols, key=lambda c: int(str(c)[len(prefix):])) if digits else cols


def _cells(responses: pd.DataFrame, by_cols: list[str]):
    """Breakdown keys, each respondent's cell number and the number of cells."""
    keys = responses.loc[:, by_cols].reset_index(drop=True) if by_cols else None
    cell_id = (keys.groupby(by_cols, sort=True, dropna=False).ngroup().to_numpy()
               if by_cols else np.zeros(len(responses), dtype=np.int64))
    n_cells = int(cell_id.max()) + 1 if len(cell_id) else 0
    return keys, cell_id, n_cells


def _single_counts(responses, item, choice, cell_id, n_cells):
    """Counts per (cell, option) and respondents per cell of a single-choice item."""
    codes = pd.to_numeric(responses[item], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    answered = ~np.isnan(codes)
    if choice and choice.get("options"):
        options = np.array(sorted(float(o) for o in choice["options"]))
    else:
        options = np.unique(codes[answered])
    pos = np.searchsorted(options, codes[answered])
    pos = np.where(pos < len(options), pos, 0)
    known = options[pos] == codes[answered] if len(options) else np.zeros(0, bool)
    counts = np.zeros((n_cells, len(options)))
    np.add.at(counts, (cell_id[answered][known], pos[known]), 1.0)
    n = np.bincount(cell_id[answered], minlength=n_cells).astype(float)[:, None]
    labels = [_option_label(choice, int(o) if float(o).is_integer() else o) for o in options]
    return counts, np.broadcast_to(n, counts.shape), options, labels


def _multi_counts(responses, item, choice, opt_cols, cell_id, n_cells, base):
    """Ticks per (cell, option) and the denominator of a multiple-response item."""
    M = _matrix(responses, opt_cols, what="option")
    ticked = np.nan_to_num(M, nan=0.0) > 0
    answered = ~np.isnan(M).all(axis=1)
    counts = np.zeros((n_cells, len(opt_cols)))
    np.add.at(counts, cell_id[answered], ticked[answered].astype(float))
    if base == "respondents":
        n = np.bincount(cell_id[answered], minlength=n_cells).astype(float)[:, None]
    else:
        n = counts.sum(axis=1, keepdims=True)
    suffixes = [str(c)[len(item) + 1:] for c in opt_cols]
    if all(x.lstrip("-").isdigit() for x in suffixes):
        options = np.array([int(x) for x in suffixes], dtype=float)
        labels = [_option_label(choice, int(x)) for x in suffixes]
    else:  # columns named by the option's label
        options = np.array(suffixes, dtype=object)
        labels = suffixes
    return counts, np.broadcast_to(n, counts.shape), options, labels


def _shares_frame(item, options, labels, counts, n, denom, k, keys, cell_id, by_cols):
    n_cells = counts.shape[0]
    lo, hi = wilson_interval(counts, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, counts / n, np.nan)
    out = pd.DataFrame({
        "item": item,
        "option": np.tile(options, n_cells),
        "label": pd.Series(np.tile(np.array(labels, dtype=object), n_cells), dtype=object),
        "count": counts.ravel().astype(np.int64),
        "n": n.ravel().astype(np.int64),
        "denominator": denom,
        "share": share.ravel(),
        "ci_low": lo.ravel(),
        "ci_high": hi.ravel(),
    })
    out["suppress"] = (out["n"] < k) | ((out["count"] > 0) & (out["count"] < k))
    if options.dtype.kind == "f" and np.all(np.mod(options, 1) == 0):
        out["option"] = out["option"].astype(np.int64)
    if by_cols:
        first = pd.DataFrame({"_cell": cell_id}).drop_duplicates("_cell").index.to_numpy()
        order = np.argsort(cell_id[first], kind="stable")
        cells = keys.iloc[first[order]].reset_index(drop=True)
        cells = cells.loc[cells.index.repeat(len(options))].reset_index(drop=True)
        out = pd.concat([cells, out], axis=1)
    return out


def choice_shares(responses: pd.DataFrame, item: str, *, by: str | Sequence[str] | None = None,
                  spec: Mapping[str, Any] | None = None, k: int = 5,
                  base: str = "respondents") -> pd.DataFrame:
    """Counts and shares of a choice item's options with Wilson 95 % intervals.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent. A single-choice item is one column holding the
        option code; a multiple-response item is 0/1 option columns
        ``item_<code>`` (``Q6_1 .. Q6_k``, as loaded through the spec, which
        matches each option by its label) or ``item_<label>``.
    item : str
        Item id (``C1``; ``Q6`` for columns ``Q6_1 .. Q6_k``).
    by : str or list of str, optional
        Columns to break the shares down by (e.g. ``"unit_id"``).
    spec : mapping, optional
        Questionnaire spec; its ``choices[item]["options"]`` fixes the option
        list (so options nobody chose appear with count 0) and
        ``multiple: true`` marks a multiple-response item.
    k : int, default 5
        Cells with fewer than ``k`` cases are flagged in ``suppress``.
    base : {"respondents", "responses"}, default "respondents"
        Denominator of a multiple-response share: respondents who answered
        the question, or all options ticked (shares then sum to 1). Ignored
        for a single-choice item (one response per respondent).

    Returns
    -------
    DataFrame
        One row per (``by`` cell, option), sorted by cell and option:

        - ``by`` columns, if given;
        - ``item``: the item id;
        - ``option``: option code (int for 问卷星 codes, else as in the data);
        - ``label``: the option's label (the spec's ``options``, or the label
          a multi-select column is named by; None when neither gives one);
        - ``count``: respondents choosing the option;
        - ``n``: the denominator of the share in that cell;
        - ``denominator``: ``"respondents"`` or ``"responses"``, what ``n`` counts;
        - ``share``: ``count / n``;
        - ``ci_low``, ``ci_high``: Wilson 95 % interval of ``share``;
        - ``suppress``: True when ``n < k`` or ``0 < count < k`` (small-cell rule:
          report, not hide, is decided in :mod:`grouplab.reports.common.tables`).

    Raises
    ------
    DataError
        The item (or its option columns), or a ``by`` column, is missing.

    Notes
    -----
    Unanswered (NaN) responses are excluded from ``n``. For a multiple-response
    item a respondent counts as answering when at least one option column is
    non-missing. With ``base="responses"`` the Wilson interval treats responses
    as independent trials, which they are not within a respondent; prefer
    ``"respondents"`` for inference.

    Examples
    --------
    >>> df = pd.DataFrame({"C1": [1, 1, 2, None, 1, 3]})
    >>> t = choice_shares(df, "C1", spec={"choices": {"C1": {"options": {1: "a", 2: "b", 3: "c", 4: "d"}}}})
    >>> t[["option", "label", "count", "n", "share", "suppress"]]
       option label  count  n  share  suppress
    0       1     a      3  5    0.6      True
    1       2     b      1  5    0.2      True
    2       3     c      1  5    0.2      True
    3       4     d      0  5    0.0     False
    """
    if base not in ("respondents", "responses"):
        raise ParameterError(f"base must be 'respondents' or 'responses', got {base!r}")
    by_cols = [by] if isinstance(by, str) else list(by or [])
    absent = [c for c in by_cols if c not in responses.columns]
    if absent:
        raise DataError([problem("breakdown_column_missing", "<responses>", None, c) for c in absent])
    choice = ((spec or {}).get("choices") or {}).get(item)
    opt_cols = _choice_columns(responses, item, choice)
    keys, cell_id, n_cells = _cells(responses, by_cols)
    if opt_cols is None:
        counts, n, options, labels = _single_counts(responses, item, choice, cell_id, n_cells)
        denom = "respondents"
    else:
        counts, n, options, labels = _multi_counts(responses, item, choice, opt_cols, cell_id,
                                                   n_cells, base)
        denom = base
    return _shares_frame(item, options, labels, counts, n, denom, k, keys, cell_id, by_cols)


# --------------------------------------------------------------------------- aggregation
