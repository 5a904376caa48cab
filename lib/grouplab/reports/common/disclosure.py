"""Small-cell disclosure control of published count tables.

Two functions, both on plain pandas objects and both returning the same
status strings (``""`` shown, ``"small"`` primary, ``"complement"``
complementary):

- :func:`suppression`: one table whose cells add up, within groups, to a
  published total.
- :func:`protect_table`: a long two-way table (e.g. unit × option) whose row
  and column totals are all published, so complementary suppression must hold
  in both directions.

Report modules decide what the cells are and how hidden cells are shown.

Across tables and reports
-------------------------
A hidden cell must keep a wide feasible range (it may reach ``k`` or more, or
its range spans ``k`` values) for a reader who holds *every* table of a batch, not just
the one it appears in. The rules (ARCHITECTURE.md, "Disclosure"):

1. **One protection per cell set.** A count a report publishes is a cell of a
   cell set: the whole table of that count over the dataset with every margin
   any report prints (one wave's unit × item × option counts, with each unit's
   item totals and the company count of each option). Suppression runs once on
   the whole set, and depends on the counts only, so every table and report
   that publishes a cell of the set takes the same status for it — never a
   per-report suppression whose pattern another report could be subtracted
   from.
2. **Derived numbers follow their count.** A share, rate or interval of a
   hidden cell is hidden; a summary elsewhere (the batch overview) publishes a
   cell only under the rule of the report that shows it.
3. **Statistics of hidden cells.** A statistic is one more equation on the
   cells: with the margins, the χ² of a 2 × 2 table leaves its free cell at
   most two values. A table with a hidden cell is tested only after merging
   the lines that hold hidden cells (every merged cell is then a published
   total minus shown cells), else the test is withheld.

Attack tests (``tests/reports/test_disclosure_attacks.py``) derive each hidden cell's
feasible range from everything published, by linear programming or exhaustive
search, and require it wide.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["suppression", "protect_table"]

# statuses as small integers inside, as strings outside
_SHOWN, _SMALL, _COMPLEMENT = 0, 1, 2
_STATUS = np.array(["", "small", "complement"], dtype=object)


def suppression(counts: pd.Series, *, k: int = 5, within: pd.Series | None = None) -> pd.Series:
    """Cells to hide: small cells and the complementary cells that protect them.

    Parameters
    ----------
    counts : pandas.Series
        Respondents behind each cell. Cells in one ``within`` group add up to
        a total that is published.
    k : int, default 5
        Minimum cell size.
    within : pandas.Series, optional
        Group of each cell (e.g. the question); default: one group.

    Returns
    -------
    pandas.Series
        Same index as ``counts``, str: ``""`` (shown), ``"small"`` (primary:
        ``0 < count < k``, or every cell of a group whose total is below
        ``k``) or ``"complement"`` (hidden so the total does not reveal a
        small cell).

    Notes
    -----
    A published total minus the shown cells gives the sum of the hidden
    ones. Hiding only small cells is not always enough: ``[1, 1, 50]`` with
    the total shown leaves 2 for the two hidden cells, so each is exactly 1
    (``[4, 4, 50]``: 4 and 4). When the hidden small cells together hold
    fewer than ``k``, or exactly (k − 1) each, the smallest shown cell of at
    least ``k`` is hidden too (complementary suppression; protection
    intervals, Hundepool et al. 2012, ch. 4). ``[3, 2]`` (sum 5 = k) leaves
    each cell anything from 1 to 4 and needs no complement.
    Zero cells are not primary-suppressed unless the group total is below ``k``.

    References
    ----------
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley.

    Examples
    --------
    >>> suppression(pd.Series([12, 3, 8, 20])).tolist()
    ['', 'small', 'complement', '']
    >>> suppression(pd.Series([2, 1, 0])).tolist()
    ['small', 'small', 'small']
    >>> suppression(pd.Series([1, 1, 50])).tolist()
    ['small', 'small', 'complement']
    """
    c = pd.to_numeric(counts, errors="coerce").fillna(0).to_numpy(dtype=float)
    codes = (pd.factorize(within, sort=True)[0] if within is not None
             else np.zeros(len(c), dtype=np.int64))
    return pd.Series(_STATUS[_suppress(c, codes, k)], index=counts.index, dtype=object)


def _suppress(c: np.ndarray, codes: np.ndarray, k: int) -> np.ndarray:
    """:func:`suppression` on arrays: status codes (``_SHOWN`` …) of counts ``c`` in lines ``codes``."""
    status = np.zeros(len(c), dtype=np.int8)
    for idx in _lines(codes):
        cg = c[idx]
        if cg.sum() < k:
            status[idx] = _SMALL
            continue
        small = (cg > 0) & (cg < k)
        status[idx[small]] = _SMALL
        shown = ~small & (cg > 0)
        if small.any() and shown.any() and _needs_complement(status[idx], cg, k):
            status[idx[shown][np.argmin(cg[shown])]] = _COMPLEMENT  # the first smallest
    return status


def _lines(codes: np.ndarray) -> list[np.ndarray]:
    """Positions of each group's cells (ascending), groups in code order; code −1 = no group."""
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    parts = np.split(order, np.flatnonzero(np.diff(sorted_codes)) + 1)
    return [p for p in parts if len(p) and codes[p[0]] >= 0]


def _needs_complement(status: np.ndarray, counts: np.ndarray, k: int) -> bool:
    """True when the published total would disclose (or pin) a hidden cell.

    One hidden cell in a line is disclosed by the total. With only small
    cells hidden (each known to lie in 1 … k−1), m of them summing to S
    (= total − shown cells): S < k leaves too little room (``[1, 1]`` → 1
    and 1), and S = m·(k−1) pins every one at k−1 (``[4, 4]`` → 4 and 4).
    A hidden complement (a cell of at least k) unbounds S, so nothing more
    is needed then.
    """
    hidden = status != _SHOWN
    m = int(hidden.sum())
    if m == 0:
        return False
    if m == 1:
        return True
    if (status == _COMPLEMENT).any():
        return False
    S = float(counts[hidden].sum())
    return S < k or S >= m * (k - 1)


def protect_table(counts_frame: pd.DataFrame, *, k: int = 5, row_keys: Sequence[str],
                  col_keys: Sequence[str], count: str = "count", max_passes: int = 50) -> pd.Series:
    """Suppression of a long two-way count table whose row and column totals are published.

    Parameters
    ----------
    counts_frame : pandas.DataFrame
        One row per cell: the key columns and a column of counts.
    k : int, default 5
        Minimum cell size.
    row_keys : sequence of str
        Columns that identify a row group; the cells of a row group add up to
        a published total. Primary suppression runs within row groups.
    col_keys : sequence of str
        Columns that identify a column group, whose total is published too.
    count : str, default "count"
        Column holding the number of respondents behind each cell.
    max_passes : int, default 50
        Upper bound on the alternating column and row passes.

    Returns
    -------
    pandas.Series
        Same index as ``counts_frame``, str: ``""``, ``"small"`` or
        ``"complement"`` (see :func:`suppression`).

    Notes
    -----
    Primary and complementary suppression first run within each row group
    (:func:`suppression`). Then column groups and row groups are passed over
    in turn: any group whose hidden cells the totals would narrow (one
    hidden cell, or only small ones whose sum pins them, see
    :func:`suppression`) also hides its smallest shown cell, a positive one
    if there is one (a shown zero would still let the total minus the shown
    cells reveal the hidden one). The passes repeat until stable, so
    differencing published totals leaves every hidden small cell its full
    range (Hundepool et al. 2012, ch. 4).

    References
    ----------
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley.

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["A"] * 3 + ["B"] * 3, "option": [1, 2, 3] * 2,
    ...                   "count": [10, 3, 12, 8, 9, 15]})
    >>> protect_table(t, row_keys=["unit"], col_keys=["option"]).tolist()
    ['complement', 'small', '', 'complement', 'complement', '']
    """
    t = counts_frame.reset_index(drop=True)
    c = pd.to_numeric(t[count], errors="coerce").fillna(0).to_numpy(dtype=float)
    # group numbers in sorted key order: columns first, then rows
    cols, rows = (t.groupby(list(keys), sort=True, dropna=False).ngroup().to_numpy()
                  for keys in (col_keys, row_keys))
    status = _suppress(c, rows, k)
    lines = (_lines(cols), _lines(rows))
    for _ in range(max_passes):  # alternate column and row passes until stable
        changed = False
        for groups in lines:
            for idx in groups:
                shown = idx[status[idx] == _SHOWN]
                if len(shown) and _needs_complement(status[idx], c[idx], k):
                    cs = c[shown]  # the smallest shown cell, a positive one first
                    status[shown[np.lexsort((cs, cs == 0))[0]]] = _COMPLEMENT
                    changed = True
        if not changed:
            break
    return pd.Series(_STATUS[status], index=counts_frame.index, dtype=object)
