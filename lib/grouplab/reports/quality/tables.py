"""Data-quality summaries of a dataset (the 01_data_quality notebook's tables)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from grouplab.data.codebook import codebook
from grouplab.data.dataset import Dataset, inspect_dataset, resolve_data_dir
from grouplab.data.explain import reading_frame
from grouplab.data.surveys.privacy import PRIVACY_COLUMNS, privacy_record
from grouplab.errors import DataError
from grouplab.reports.quality.context import check_dataset

__all__ = ["check_dataset", "table_overview", "coverage", "missingness", "reading_table", "privacy_table",
           "flag_sources"]


def _date_column(table: str) -> str | None:
    for name, col in codebook()[table].columns.items():
        if col.dtype in ("date", "month", "datetime"):
            return name
    return None


def table_overview(ds: Dataset | None, *, lang: str = "zh") -> pd.DataFrame:
    """One row per table: what it holds and the time span it covers.

    Returns
    -------
    pandas.DataFrame
        - ``table``: table name
        - ``label``: table label in ``lang``
        - ``rows``, ``columns``: size
        - ``key``: the table key (unique per row)
        - ``first``, ``last``: earliest and latest date/month (``YYYY-MM``), or empty
    """
    rows = []
    for name, df in (ds.tables.items() if ds is not None else ()):
        spec = codebook()[name]
        dcol = _date_column(name)
        first = last = ""
        if name == "evaluations":
            first, last = df["period"].min(), df["period"].max()
        elif dcol and dcol in df and df[dcol].notna().any():
            first, last = f"{df[dcol].min():%Y-%m}", f"{df[dcol].max():%Y-%m}"
        rows.append({"table": name, "label": spec.label(lang), "rows": len(df),
                     "columns": df.shape[1], "key": ", ".join(spec.key),
                     "first": first, "last": last})
    return pd.DataFrame(rows, columns=["table", "label", "rows", "columns", "key", "first", "last"])


def coverage(ds: Dataset | None, table: str, *, freq: str = "year") -> pd.DataFrame:
    """Record counts per unit and year (or month) — where are the gaps?

    Parameters
    ----------
    ds : Dataset
    table : str
        A table with a date/month column and a group_id or unit_id.
    freq : {"year", "month"}

    Returns
    -------
    pandas.DataFrame
        Index ``unit_id``; one column per year (int) or month (``YYYY-MM``);
        values are row counts (0 where none). Empty when ``ds`` is None
        (an invalid dataset: see ``check_dataset``).
    """
    if ds is None or table not in ds.tables:
        return pd.DataFrame(index=pd.Index([], name="unit_id", dtype=str))
    df = ds.tables[table]
    dcol = _date_column(table)
    if dcol is None:
        raise ValueError(f"table {table!r} has no date column")
    if "unit_id" not in df:
        df = df.merge(ds.tables["groups"][["group_id", "unit_id"]], on="group_id", how="left")
    stamp = df[dcol]
    when = stamp.dt.year if freq == "year" else stamp.dt.strftime("%Y-%m")
    out = pd.crosstab(df["unit_id"].astype(str), when)
    out.columns.name = freq
    out.index.name = "unit_id"
    return out.sort_index()


def missingness(ds: Dataset | None) -> pd.DataFrame:
    """Empty cells per table and column (only columns with any).

    Returns
    -------
    pandas.DataFrame
        ``table``, ``column``, ``missing`` (count), ``share`` (0–1).
    """
    rows = []
    for name, df in (ds.tables.items() if ds is not None else ()):
        n = len(df)
        for col, k in df.isna().sum().items():
            if k:
                rows.append({"table": name, "column": col, "missing": int(k), "share": k / n})
    return pd.DataFrame(rows, columns=["table", "column", "missing", "share"])


def reading_table(ds: Dataset | None, data_dir: str | Path, *, lang: str = "en") -> pd.DataFrame:
    """How each table was read: header rows, rows/columns skipped and why, columns matched.

    Parameters
    ----------
    ds : Dataset or None
        The loaded dataset; when None (it did not pass validation) the
        folder ``data_dir`` is read again without raising, so the report can
        still show how far the reader understood each sheet.
    data_dir : str or Path
        As given to :func:`check_dataset`.
    lang : {"en", "zh"}

    Returns
    -------
    pandas.DataFrame
        As :func:`grouplab.data.explain.reading_frame`: ``table``, ``file``,
        ``sheet``, ``what`` (``header``, ``skipped``, ``column``, ``period``,
        ``month``, ``unused``, ``size``), ``detail`` (text in ``lang``).
    """
    if ds is not None:
        return reading_frame(ds.reading, lang=lang)
    try:
        reading, _ = inspect_dataset(resolve_data_dir(data_dir))
    except DataError:
        reading = {}
    return reading_frame(reading, lang=lang)


def privacy_table(ds: Dataset | None) -> pd.DataFrame:
    """What privacy removed on load (``Dataset.privacy``); empty for an invalid dataset.

    Returns
    -------
    pandas.DataFrame
        ``table``, ``file``, ``column`` (as written), ``kind``, ``detected``,
        ``action`` (see :func:`grouplab.data.surveys.privacy.privacy_record`).
    """
    if ds is None or ds.privacy is None:
        return privacy_record([])
    return ds.privacy[PRIVACY_COLUMNS].copy()


def flag_sources(ds: Dataset | None) -> pd.DataFrame | None:
    """Recorded 三多三少 flags against the flags coded from the minutes, where both exist.

    Returns
    -------
    pandas.DataFrame or None
        :func:`grouplab.measures.meeting_flags.compare_flags` (``flag``, ``n``, ``recorded_share``,
        ``coded_share``, ``agreement``, ``kappa``, ``recorded_only``, ``coded_only``); None when the
        dataset is invalid or has no minutes.
    """
    from grouplab.data.minutes import link_minutes
    from grouplab.data.minutes.workbook import minutes_source
    from grouplab.measures.meeting_flags import coded_activity_flags, compare_flags
    from grouplab.measures.minutes import code_minutes

    if ds is None or "activities" not in ds.tables:
        return None
    try:
        minutes, _ = minutes_source(ds.path)
    except DataError:
        return None
    linked, _ = link_minutes(minutes, ds.tables["activities"])
    return compare_flags(ds.tables["activities"], coded_activity_flags(linked, code_minutes(minutes)))
