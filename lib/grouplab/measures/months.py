"""Calendar-month arithmetic of grouplab's measures: month numbers and lags.

The one month numbering (:func:`month_index`, months since year 0, ``year *
12 + month − 1``) and its inverse (:func:`month_start`) live here, so
consecutive calendar months always differ by 1 and windows and lags are plain
integer arithmetic; :func:`lag` shifts a panel's measures by calendar months.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from grouplab.errors import DataError, require_columns

__all__ = ["lag", "month_index", "month_start"]


def month_index(values: Any, what: str = "dates") -> np.ndarray:
    """Month numbers (``year * 12 + month − 1``) of dates, months or monthly Periods.

    The one month numbering of grouplab's measures: consecutive calendar
    months differ by 1, so windows and lags are plain integer arithmetic.

    Parameters
    ----------
    values : array-like
        Dates, ``"2019-05"``-style strings, Timestamps or a Period Series.
    what : str
        Name of the input for error messages (e.g. the table).

    Returns
    -------
    numpy.ndarray of int64

    Raises
    ------
    DataError
        Values that are not dates, or missing values.

    Examples
    --------
    >>> month_index(["2019-01-15", "2019-12-31"]).tolist()
    [24228, 24239]
    """
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(s.dtype, pd.PeriodDtype):
        y, m = s.dt.year, s.dt.month
    else:
        try:
            d = pd.to_datetime(s)
        except (ValueError, TypeError) as err:
            raise DataError(f"{what}: not dates ({err})", file=what,
                            hint="Pass dates such as 2019-05-13 or months as 2019-05.") from None
        y, m = d.dt.year, d.dt.month
    out = (y.astype("Float64") * 12 + m.astype("Float64") - 1).to_numpy(dtype=float,
                                                                         na_value=np.nan)
    if np.isnan(out).any():
        raise DataError(f"{what}: {int(np.isnan(out).sum())} missing date(s)", file=what,
                        hint="Every row needs a date.")
    return out.astype(np.int64)


def month_start(index: Any) -> np.ndarray:
    """First-of-month ``datetime64[us]`` of month numbers from :func:`month_index`.

    Examples
    --------
    >>> str(month_start([24239])[0])
    '2019-12-01T00:00:00.000000'
    """
    y, m = np.divmod(np.asarray(index, dtype=np.int64), 12)
    return (((y - 1970) * 12 + m).astype("datetime64[M]")).astype("datetime64[us]")



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
        Missing columns, ``k == 0`` or repeated (by, time) rows.

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
        raise DataError(f"k must be a non-zero integer number of months, got {k!r}", file="lag")
    mi = month_index(panel[time], "panel")
    left = panel[keys].copy()
    left["_mi"] = mi
    if left.duplicated().any():
        raise DataError(f"panel has repeated ({', '.join(keys)}, {time}) rows", file="panel",
                        hint="Aggregate to one row per group and month first.")
    suffix = f"_lag{k}" if k > 0 else f"_lead{-k}"
    right = panel[keys + cols].copy()
    right["_mi"] = mi + k
    right = right.rename(columns={c: c + suffix for c in cols})
    shifted = left.merge(right, on=[*keys, "_mi"], how="left", sort=False)
    out = panel.copy()
    for c in cols:
        out[c + suffix] = shifted[c + suffix].to_numpy()
    return out
