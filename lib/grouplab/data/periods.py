"""Period arithmetic in one place: months, month numbers and half-year periods (``2019H1``).

Every layer above ``data`` takes months and half-years from here, so that "which month is this" and "which
half-year" have one answer.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError

__all__ = ["HALF_YEAR", "HALF_YEAR_WRITTEN", "month_start", "month_index", "month_timestamps",
           "year_half", "half_year_of", "half_year_in", "half_years", "parse_period", "month_end"]

#: A canonical half-year period: four-digit year, ``H``, 1 or 2.
HALF_YEAR = re.compile(r"\d{4}H[12]")

#: A half-year as people write it: ``2019H1``, ``2019-H2``, ``2019年上半年``, ``2019年度下半年``.
HALF_YEAR_WRITTEN = re.compile(r"(\d{4})\s*年?度?\s*[-_ ]?\s*(?:H([12])|([上下])半年)", re.IGNORECASE)
_HALF_YEAR_CELL = re.compile(rf"^{HALF_YEAR_WRITTEN.pattern}$", re.IGNORECASE)
_HALF = {"上": "1", "下": "2"}


def month_start(values: Any) -> pd.Series:
    """First day of each value's month, as ``datetime64[us]``; unreadable or empty values become NaT.

    Parameters
    ----------
    values : array-like
        Dates, datetimes, month strings (``2019-05``) or Periods.

    Returns
    -------
    pandas.Series
        Month starts (NaT where missing or unreadable); same index as ``values`` when it is a Series.

    Examples
    --------
    >>> month_start(pd.Series(["2019-05-13", "2019-12-31", None])).dt.strftime("%Y-%m-%d").tolist()
    ['2019-05-01', '2019-12-01', nan]
    """
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(s.dtype, pd.PeriodDtype):
        s = s.dt.to_timestamp()
    elif s.dtype == object:
        s = s.replace("", None)
    d = pd.to_datetime(s, errors="coerce")
    return d.dt.to_period("M").dt.to_timestamp().astype("datetime64[us]")


def month_end(month: Any) -> pd.Timestamp:
    """The last day of a month given by any day of it: the inclusive upper bound of "up to this month".

    Examples
    --------
    >>> month_end(pd.Timestamp("2019-02-01"))
    Timestamp('2019-02-28 00:00:00')
    """
    return month + pd.offsets.MonthEnd(0)


def month_index(values: Any, what: str = "months", *, allow_missing: bool = False) -> np.ndarray:
    """Months since year 0 (``year * 12 + month - 1``) of dates, months or Periods.

    Parameters
    ----------
    values : array-like
        Dates, datetimes, month strings or Periods.
    what : str
        Name of the input in messages.
    allow_missing : bool, default False
        Return NaN (as floats) for missing values instead of raising.

    Returns
    -------
    numpy.ndarray
        int64 month numbers, or float64 with NaN when ``allow_missing``.

    Raises
    ------
    DataError
        Values that are not dates, or missing values when not allowed.

    Examples
    --------
    >>> month_index(["2019-01-15", "2019-02-01"]).tolist()
    [24228, 24229]
    """
    s = pd.Series(values) if not isinstance(values, pd.Series) else values
    if isinstance(s.dtype, pd.PeriodDtype):
        y, m = s.dt.year, s.dt.month
    else:
        try:
            d = pd.to_datetime(s)
        except (ValueError, TypeError) as err:
            raise DataError([problem("not_dates", what, what=what, error=err)]) from None
        y, m = d.dt.year, d.dt.month
    out = (y.astype("Float64") * 12 + m.astype("Float64") - 1).to_numpy(dtype=float, na_value=np.nan)
    if allow_missing:
        return out
    if np.isnan(out).any():
        raise DataError([problem("missing_dates", what, what=what, n=int(np.isnan(out).sum()))])
    return out.astype(np.int64)


def month_timestamps(index: np.ndarray) -> np.ndarray:
    """First-of-month ``datetime64[us]`` of month numbers from :func:`month_index`.

    Returns
    -------
    numpy.ndarray
        ``datetime64[us]`` values.

    Examples
    --------
    >>> str(month_timestamps(np.array([24228]))[0])[:10]
    '2019-01-01'
    """
    y, m = np.divmod(np.asarray(index, dtype=np.int64), 12)
    return (((y - 1970) * 12 + m).astype("datetime64[M]")).astype("datetime64[us]")


def year_half(period: pd.Series, what: str = "period") -> tuple[np.ndarray, np.ndarray]:
    """Year and half (1 or 2) of canonical half-year periods such as ``2019H1``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(years, halves)``, int arrays.

    Raises
    ------
    DataError
        A value that is not a canonical half-year.

    Examples
    --------
    >>> [a.tolist() for a in year_half(pd.Series(["2019H1", "2020H2"]))]
    [[2019, 2020], [1, 2]]
    """
    text = period.astype("string")
    ok = text.str.fullmatch(HALF_YEAR.pattern).fillna(False)
    if not bool(ok.all()):
        bad = text[~ok].head(5).tolist()
        raise DataError([problem("bad_half_year", what, bad=bad)])
    return text.str.slice(0, 4).astype(int).to_numpy(), text.str.slice(5, 6).astype(int).to_numpy()


def half_year_of(dates: Any) -> pd.Series:
    """The half-year period (``2019H1``) each date falls in.

    Returns
    -------
    pandas.Series
        ``string`` periods (``<NA>`` for missing dates).

    Examples
    --------
    >>> half_year_of(pd.Series(pd.to_datetime(["2019-03-01", "2019-07-01"]))).tolist()
    ['2019H1', '2019H2']
    """
    d = pd.to_datetime(pd.Series(dates) if not isinstance(dates, pd.Series) else dates)
    out = d.dt.year.astype("string") + "H" + np.where(d.dt.month <= 6, "1", "2")
    return out.where(d.notna()).astype("string")


def half_year_in(text: str | None) -> str | None:
    """The half-year a text names anywhere in it (a sheet title, a file name), canonical.

    Returns
    -------
    str or None
        ``YYYYH1``/``YYYYH2``; None when the text names no half-year.

    Examples
    --------
    >>> half_year_in("2019年上半年党小组考评得分表"), half_year_in("2019下半年"), half_year_in("2019-H2")
    ('2019H1', '2019H2', '2019H2')
    >>> half_year_in("考评") is None
    True
    """
    m = HALF_YEAR_WRITTEN.search(text or "")
    if not m:
        return None
    return f"{m.group(1)}H{m.group(2) or _HALF[m.group(3)]}"


def half_years(text: pd.Series) -> pd.Series:
    """Cells that are each a half-year as written, canonical (``<NA>`` where a cell is not one).

    Returns
    -------
    pandas.Series
        ``string`` periods ``YYYYH1``/``YYYYH2``.

    Examples
    --------
    >>> half_years(pd.Series(["2019年上半年", "2019-h2", "2019年度下半年", "上半年"])).tolist()
    ['2019H1', '2019H2', '2019H2', <NA>]
    """
    m = text.astype(object).str.extract(_HALF_YEAR_CELL)
    half = m[1].fillna(m[2].map(_HALF))
    return (m[0] + "H" + half).astype("string")


def parse_period(period: Any) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """First and last month of a period given as a year, a quarter or a month.

    Parameters
    ----------
    period : str or int
        ``2019`` / ``"2019"`` (a year), ``"2019Q2"`` (a quarter) or ``"2019-05"``
        (a month).

    Returns
    -------
    first, last : pandas.Timestamp
        First of the first and of the last month.
    kind : {"year", "quarter", "month"}

    Raises
    ------
    ParameterError
        Anything else.

    Examples
    --------
    >>> [f"{t:%Y-%m}" if hasattr(t, "year") else t for t in parse_period("2019Q2")]
    ['2019-04', '2019-06', 'quarter']
    """
    text = str(period).strip().upper()
    try:
        if text.isdigit() and len(text) == 4:
            first, n, kind = int(text) * 12, 12, "year"
        elif len(text) == 6 and text[4] == "Q" and text[:4].isdigit() and text[5] in "1234":
            first, n, kind = int(text[:4]) * 12 + 3 * (int(text[5]) - 1), 3, "quarter"
        else:
            p = pd.Period(text, freq="M")
            if not (len(text) == 7 and text[4] == "-"):
                raise ValueError(text)
            first, n, kind = int(month_index(pd.Series([p]))[0]), 1, "month"
    except (ValueError, TypeError, DataError):
        raise ParameterError(f"period={period!r}: give a year (2019), a quarter (\"2019Q2\") or a "
                             "month (\"2019-05\")") from None
    a, b = month_timestamps(np.array([first, first + n - 1]))
    return pd.Timestamp(a), pd.Timestamp(b), kind
