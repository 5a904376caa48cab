"""Lags by calendar month: :func:`lag` shifts a panel's measures within each group.

Months are numbered by :func:`grouplab.data.periods.month_index` (the one month
numbering of grouplab), so a gap in a group's months is never bridged.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from grouplab.data.periods import month_index
from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError, require_columns

__all__ = ["lag"]


def lag(panel: pd.DataFrame, columns: str | Sequence[str], k: int, *,
        by: str | Sequence[str] = "group_id", time: str = "month") -> pd.DataFrame:
    """Shift measures by ``k`` calendar months within each group.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per (``by``, ``time``); rows need not be complete or sorted.
    columns : str or list of str
        Columns to shift.
    k : int
        Months to shift; positive = lag (value from ``k`` months earlier),
        negative = lead.
    by : str or list of str
        Group column(s) (default ``group_id``): values never cross groups.
    time : str
        Month column (dates, first-of-month timestamps or monthly Periods).

    Returns
    -------
    pandas.DataFrame
        A copy of ``panel`` with one new column per shifted column:
        ``<column>_lag<k>`` (or ``<column>_lead<|k|>``) holding the value of
        the same group ``k`` calendar months earlier (later), missing when that
        month has no row — a gap in the months is never bridged by the next row.

    Raises
    ------
    DataError
        Missing columns or repeated (by, time) rows.
    ParameterError
        ``k`` is not a non-zero whole number.

    Examples
    --------
    >>> p = pd.DataFrame({"group_id": ["A", "A", "A", "B"],
    ...                   "month": pd.to_datetime(["2019-01-01", "2019-02-01",
    ...                                            "2019-04-01", "2019-05-01"]),
    ...                   "x": [1.0, 2.0, 4.0, 5.0]})
    >>> lag(p, "x", 1)["x_lag1"].tolist()
    [nan, 1.0, nan, nan]
    """
    cols = [columns] if isinstance(columns, str) else list(columns)
    keys = [by] if isinstance(by, str) else list(by)
    require_columns(panel, [*keys, time, *cols], "panel")
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k == 0:
        raise ParameterError(f"k must be a non-zero integer number of months, got {k!r}")
    mi = month_index(panel[time], "panel")
    left = panel[keys].copy()
    left["_mi"] = mi
    if left.duplicated().any():
        raise DataError([problem("repeated_panel_rows", "panel", keys=", ".join([*keys, time]))])
    suffix = f"_lag{k}" if k > 0 else f"_lead{-k}"
    right = panel[keys + cols].copy()
    right["_mi"] = mi + k
    right = right.rename(columns={c: c + suffix for c in cols})
    shifted = left.merge(right, on=[*keys, "_mi"], how="left", sort=False)
    out = panel.copy()
    for c in cols:
        out[c + suffix] = shifted[c + suffix].to_numpy()
    return out
