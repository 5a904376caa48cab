"""Multiple testing: Benjamini–Hochberg false-discovery-rate adjustment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.data.problems import problem
from grouplab.data.results import result_table
from grouplab.errors import DataError, ParameterError

__all__ = ["bh_adjust"]


def bh_adjust(table: pd.DataFrame, *, p: str = "p", q: float = 0.05) -> pd.DataFrame:
    """Benjamini–Hochberg adjusted p-values for a table of tests.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per test (e.g. measures × outcomes, concatenated model tables).
    p : str
        Column of raw p-values; missing values are left out of the family
        and get a missing adjusted value.
    q : float
        False discovery rate controlled by ``reject``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``table`` (same row order) with two new columns:

        - ``p_bh`` — BH-adjusted p-value (R ``p.adjust(p, "BH")``).
        - ``reject_bh`` — ``p_bh <= q``.

        ``attrs["m"]``: number of tests in the family.

    Raises
    ------
    DataError
        Missing column, p-values outside [0, 1], q outside (0, 1).

    Notes
    -----
    With m tests sorted p(1) ≤ … ≤ p(m): p_bh(i) = min over j ≥ i of
    m·p(j)/j, capped at 1. Rejecting p_bh ≤ q keeps the expected share of
    false discoveries among the rejections at or below q when the tests are
    independent or positively dependent (PRDS). Decide which tests form the
    family BEFORE looking at the results.

    References
    ----------
    Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery
    rate. *JRSS B*, 57, 289–300.

    Examples
    --------
    >>> t = pd.DataFrame({"term": list("abcd"), "p": [0.01, 0.04, 0.03, 0.005]})
    >>> bh_adjust(t)[["term", "p_bh", "reject_bh"]]
      term  p_bh  reject_bh
    0    a  0.02       True
    1    b  0.04       True
    2    c  0.04       True
    3    d  0.02       True
    """
    if p not in table.columns:
        raise DataError([problem("p_column_missing", "table", name=p)])
    if not 0 < q < 1:
        raise ParameterError(f"q must be in (0, 1), got {q!r}")
    pv = pd.to_numeric(table[p], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    ok = ~np.isnan(pv)
    if ((pv[ok] < 0) | (pv[ok] > 1)).any():
        raise DataError([problem("p_out_of_range", "table")])
    x = pv[ok]
    m = len(x)
    order = np.argsort(x, kind="stable")
    ranked = x[order] * m / np.arange(1, m + 1)
    adj_sorted = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
    adj = np.empty(m)
    adj[order] = adj_sorted
    out = table.copy()
    full = np.full(len(pv), np.nan)
    full[ok] = adj
    out["p_bh"] = full
    out["reject_bh"] = full <= q
    out.attrs["m"] = int(m)
    return result_table(out, "bh")
