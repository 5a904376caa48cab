"""Type coercion and pandera schemas built from the codebook.

``validate_table``: a ``RawTable`` (cells as read) -> typed DataFrame + every problem, as the user sees it.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from grouplab.data.codebook import ColumnSpec, TableSpec, codebook, normalize_header
from grouplab.data.ledgers.numbers import column_numbers
from grouplab.data.periods import half_years
from grouplab.data.problems import DATE_FORMATS_TEXT, problem
from grouplab.data.readers.text import PY_WHITESPACE
from grouplab.errors import Problem

if TYPE_CHECKING:  # pandera is imported when a table is validated, not when a cached dataset loads
    import pandera.pandas as pa

    from grouplab.data.readers.base import RawTable

__all__ = ["coerce", "build_schema", "repeated_keys", "validate_table", "validate_raw",
           "DATE_FORMATS_TEXT"]

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_TIME_SUFFIXES = ("", " %H:%M", " %H:%M:%S")
_MONTH_FORMATS = ("%Y-%m", "%Y/%m", "%Y.%m", "%Y年%m月", "%Y%m")
_TRUE = {"1", "true", "t", "yes", "y", "是", "有", "√", "✓", "1.0"}
_FALSE = {"0", "false", "f", "no", "n", "否", "无", "×", "✗", "0.0"}
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


_STRING = pd.StringDtype("pyarrow")


def _cell_text(v):
    """One cell as stripped text (None for empty); 101.0 -> '101'."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (_dt.datetime, pd.Timestamp)):
        return v.strftime("%Y-%m-%d %H:%M:%S").removesuffix(" 00:00:00")
    return str(v).strip() or None


def _is_text(s: pd.Series) -> bool:
    """True if every non-missing cell is a str (so whole-column string kernels apply)."""
    return isinstance(s.dtype, pd.StringDtype) or pd.api.types.infer_dtype(
        s, skipna=True) in ("string", "empty")


def _distinct(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Codes (-1 = missing) and the distinct non-missing values of ``s`` (object dtype)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes, pd.Series(np.asarray(uniques, dtype=object), dtype=object)


def _expand(values: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Per-distinct-value results back to one per cell (missing where the code is -1)."""
    return pd.Series(values.array.take(codes, allow_fill=True), index=index)


def _text(s: pd.Series) -> pd.Series:
    """Cells as stripped strings (``string[pyarrow]``), <NA> for empty; 101.0 -> '101'.

    Text columns: one arrow strip (of what ``str.strip`` removes); other cells
    (numbers, datetimes, booleans from Excel): converted once per distinct value.
    """
    if _is_text(s):
        t = (s if s.dtype == _STRING else s.astype(_STRING)).str.strip(PY_WHITESPACE)
        return t.mask(t == "")
    codes, uniq = _distinct(s)
    return _expand(pd.Series([_cell_text(v) for v in uniq], dtype=_STRING), codes, s.index)


def _parse_datetimes(text: pd.Series, formats) -> pd.Series:
    """Try each strptime format on the still-unparsed cells."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    todo = text.notna()
    for fmt in formats:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = parsed.notna()
        out.loc[ok[ok].index] = parsed[ok].astype("datetime64[us]")
        todo &= out.isna()
    return out


def _coerce_dates(raw: pd.Series, text: pd.Series, *, month: bool, month_ok: bool = False) -> pd.Series:
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    # Python datetimes straight from Excel.
    is_dt = raw.map(lambda v: isinstance(v, (_dt.datetime, _dt.date)))
    if is_dt.any():
        out[is_dt] = pd.to_datetime(raw[is_dt].map(pd.Timestamp)).astype("datetime64[us]")
    # Numbers: Excel serials (1954..2118) — also when a CSV was saved from Excel.
    num = pd.to_numeric(text.where(~is_dt), errors="coerce")
    serial = num.between(20000, 80000) & (num == np.floor(num))
    if serial.any():
        out[serial] = (_EXCEL_EPOCH + pd.to_timedelta(num[serial], unit="D")).astype("datetime64[us]")
    rest = text.where(~is_dt & ~serial)
    rest = rest.where(rest.notna(), None)
    formats = [f + t for f in _DATE_FORMATS for t in _TIME_SUFFIXES]
    if month:
        formats = list(_MONTH_FORMATS) + formats
    elif month_ok:  # day first (2016.3.1 stays a day), then the month alone (2016.3 → its first day)
        formats = formats + list(_MONTH_FORMATS)
    todo = rest.notna()
    if todo.any():
        parsed = _parse_datetimes(rest[todo].str.replace(r"\s+", " ", regex=True), formats)
        out[todo] = parsed
    if month:
        out = out.dt.to_period("M").dt.to_timestamp().astype("datetime64[us]")
    return out


def coerce(raw: pd.Series, col: ColumnSpec) -> tuple[pd.Series, pd.Series]:
    """Coerce one column of raw cells to the codebook dtype.

    Parameters
    ----------
    raw : pandas.Series
        Cells as read (str, numbers, datetimes or None).
    col : ColumnSpec
        Target specification.

    Returns
    -------
    values : pandas.Series
        Typed values (``string``, ``Int64``, ``float64``, ``boolean``,
        ``datetime64``); unparseable cells are missing.
    bad : pandas.Series of bool
        True where a non-empty cell could not be parsed.

    Examples
    --------
    >>> from grouplab.data.codebook import codebook
    >>> spec = codebook()["activities"].columns["date"]
    >>> v, bad = coerce(pd.Series(["2019-05-13", "2019年5月14日", 43600, "soon"]), spec)
    >>> [str(x.date()) if pd.notna(x) else None for x in v], bad.tolist()
    (['2019-05-13', '2019-05-14', '2019-05-15', None], [False, False, False, True])
    """
    kind = col.dtype
    if kind in ("str", "int", "float"):
        values, present = _coerce_whole(raw, kind)
    else:
        # Dates, categories, yes/no and periods repeat: convert each distinct cell once.
        codes, uniq = _distinct(raw)
        text = _text(uniq)
        values = _expand(_coerce_text(uniq, text, col), codes, raw.index)
        present = _expand(text.notna().astype("boolean"), codes, raw.index).fillna(False)
    bad = present.to_numpy(bool) & values.isna().to_numpy(bool)
    return values, pd.Series(bad, index=raw.index)


def _coerce_whole(raw: pd.Series, kind: str) -> tuple[pd.Series, pd.Series]:
    """str, int and float columns, converted with whole-column kernels."""
    num_kinds = ("integer", "floating", "mixed-integer-float")
    if kind != "str" and not _is_text(raw) and pd.api.types.infer_dtype(raw, skipna=True) in num_kinds:
        num = pd.Series(raw.to_numpy(dtype=float, na_value=np.nan), index=raw.index)
        present = num.notna()
    else:
        text = _text(raw)
        present = text.notna()
        if kind == "str":
            return text.astype("string"), present
        num, present = column_numbers(text)
    if kind == "int":
        # beyond 2**53 floats are not exact integers (and 9.3e18 overflows Int64)
        whole = num.notna() & (num == np.floor(num)) & (num.abs() < 2**53)
        return num.where(whole).astype("Int64"), present
    return num.astype("float64"), present


def _coerce_text(raw: pd.Series, text: pd.Series, col: ColumnSpec) -> pd.Series:
    """Dates, yes/no, periods and categories from (distinct) cells and their text."""
    kind = col.dtype
    if kind == "bool":
        low = text.astype(object).str.lower()  # Python's lowercasing, once per distinct cell
        values = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        values[low.isin(_TRUE).fillna(False)] = True
        values[low.isin(_FALSE).fillna(False)] = False
    elif kind in ("date", "datetime", "month"):
        values = _coerce_dates(raw, text.astype(object).where(text.notna(), None),
                               month=kind == "month", month_ok=col.month_ok)
        if kind == "date":
            values = values.dt.normalize()
    elif kind == "period":
        values = half_years(text)
    elif kind == "category":
        lookup = {}
        for code, zh in (col.allowed or {}).items():
            for t in (code, zh):
                lookup[normalize_header(t)] = code
        values = text.astype(object).map(
            lambda t: lookup.get(normalize_header(t)) if isinstance(t, str) else None).astype("string")
    else:  # pragma: no cover - codebook load rejects unknown dtypes
        raise ValueError(kind)
    return values


#: problem code of a cell its column's type cannot read
_UNREADABLE = {"date": "not_a_date", "datetime": "not_a_date", "month": "not_a_month",
               "period": "not_a_period", "int": "not_whole", "float": "not_a_number", "bool": "not_yes_no",
               "category": "not_allowed"}


def _unreadable(col: ColumnSpec) -> tuple[str, dict]:
    """Problem code and values of a cell that ``col``'s type cannot read."""
    code = _UNREADABLE.get(col.dtype, "unreadable_value")
    if code == "not_allowed":
        return code, {"allowed": ", ".join(f"{k} ({v})" for k, v in (col.allowed or {}).items())}
    return code, {}


def build_schema(spec: TableSpec, columns: list[str] | None = None, *,
                 unique: bool = True) -> pa.DataFrameSchema:
    """pandera schema for a table whose columns are already coerced.

    Parameters
    ----------
    spec : TableSpec
        Table from the codebook.
    columns : list of str, optional
        Columns present (optional codebook columns that are absent are left out).
    unique : bool, keyword-only
        Check the table key (False: :func:`validate_table` checks it itself, faster).

    Returns
    -------
    pandera.DataFrameSchema
        Nullability, ranges and the table key (``unique``); dtype checks are
        done by :func:`coerce` so pandera does not re-check them.
    """
    import pandera.pandas as pa

    present = set(columns) if columns is not None else set(spec.columns)
    cols = {}
    for name, col in spec.columns.items():
        if name not in present:
            continue
        checks = []
        if col.range is not None:
            checks.append(pa.Check.in_range(*col.range))
        cols[name] = pa.Column(None, checks=checks, nullable=col.nullable, required=False)
    key = [k for k in spec.key if k in present]
    return pa.DataFrameSchema(cols, unique=(key or None) if unique else None, strict=False,
                              name=spec.name)


def repeated_keys(frame: pd.DataFrame, key: list[str]) -> np.ndarray:
    """Positions of the rows whose key occurs more than once (every occurrence, in order).

    Each key column is factorized (a missing value is a value, as for
    :meth:`pandas.DataFrame.duplicated`) and the codes combined into one integer,
    which is sorted once: a table without repeated keys (the usual case) costs no
    hash table over the rows. Only when some key repeats, or the combined code would
    not fit 62 bits, are the rows found by ``duplicated(keep=False)``.

    Examples
    --------
    >>> repeated_keys(pd.DataFrame({"g": ["a", "a", "b"], "m": [1, 1, 1]}), ["g", "m"]).tolist()
    [0, 1]
    """
    combined, span = np.zeros(len(frame), dtype=np.int64), 1
    for name in key:
        codes, uniq = pd.factorize(frame[name], use_na_sentinel=False)
        span *= max(len(uniq), 1)
        if span >= 2**62:
            break
        combined = combined * max(len(uniq), 1) + codes
    else:
        ordered = np.sort(combined)
        if not (ordered[1:] == ordered[:-1]).any():
            return np.array([], dtype=np.intp)
    return np.flatnonzero(frame.duplicated(subset=key, keep=False).to_numpy())


def _check_code(check: str, col: ColumnSpec | None) -> tuple[str, dict]:
    """Problem code and values of a failed pandera check."""
    if check == "not_nullable":
        return "required_empty", {}
    if check.startswith("in_range") and col is not None and col.range is not None:
        lo, hi = col.range
        return "out_of_range", {"lo": lo, "hi": hi, "unit": f" {col.unit}" if col.unit else ""}
    return "failed_check", {"check": check}


def validate_table(raw: RawTable, spec: TableSpec) -> tuple[pd.DataFrame, list[Problem]]:
    """Rename, coerce and validate one raw table against its codebook spec.

    Parameters
    ----------
    raw : RawTable
        Cells as read, with the file name, original headers and row offset.
    spec : TableSpec
        The codebook table.

    Returns
    -------
    frame : pandas.DataFrame
        Canonical columns in codebook order (absent optional columns left
        out), then any extra columns of the file unchanged. Row ``i``
        corresponds to file row ``raw.first_row + i``.
    problems : list of Problem
        Every problem found (reader problems included), empty if valid.
    """
    problems: list[Problem] = list(raw.problems)
    aliases = spec.alias_map()
    header_of: dict[str, str] = {}
    rename: dict[str, str] = {}
    for header in raw.frame.columns:
        canon = aliases.get(normalize_header(header))
        if canon is None:
            continue
        if canon in header_of:
            problems.append(problem("same_meaning", raw.file, None, str(header),
                                    first=header_of[canon], header=header, canonical=canon))
            continue
        header_of[canon] = str(header)
        rename[header] = canon
    missing = [c for c, col in spec.columns.items() if col.required and c not in header_of]
    for c in missing:
        col, at = spec.columns[c], raw.meta.get("header_row") or 1  # the header row, below any title
        problems.append(problem("missing_column", raw.file, at, col.zh,
                                header=col.zh, aliases=", ".join([c, *col.aliases])))
    frame = raw.frame.rename(columns=rename).reset_index(drop=True)
    rows = pd.RangeIndex(len(frame)) + raw.first_row
    out = {}
    # cells the reader already reported (e.g. Excel error cells) are not reported again
    canon_of = {h: c for c, h in header_of.items()}
    bad_cells: set[tuple[int, str]] = {
        (p.row - raw.first_row, canon_of[p.column]) for p in raw.problems
        if p.row is not None and p.column in canon_of
    }
    # a fully empty row inside the table is one problem, not one per required column
    blank = _blank_rows(frame)
    for i in np.flatnonzero(blank.to_numpy()):
        problems.append(problem("empty_row", raw.file, int(rows[i])))
    for name, col in spec.columns.items():
        if name not in header_of:
            continue
        values, bad = coerce(frame[name], col)
        for i in np.flatnonzero(bad.to_numpy()):
            bad_cells.add((int(i), name))
            code, fields = _unreadable(col)
            problems.append(problem(code, raw.file, int(rows[i]), header_of[name],
                                    frame[name].iloc[i], **fields))
        out[name] = values
    extras = [c for c in frame.columns if c not in rename.values()]
    typed = pd.DataFrame(out, index=frame.index)
    for c in extras:  # unchanged: Python objects, None for empty (as from every reader)
        typed[c] = frame[c] if frame[c].dtype == object else frame[c].astype(object).where(
            frame[c].notna(), None)
    if out:
        problems += _table_checks(raw, spec, typed.loc[~blank.to_numpy(), list(out)], rows, header_of,
                                  bad_cells)
    return typed, problems


def _table_checks(raw, spec, checked, rows, header_of, bad_cells) -> list[Problem]:
    """Repeated keys, then the schema's cell checks (empty required cells, ranges)."""
    import pandera.pandas as pa

    problems = []
    key = [k for k in spec.key if k in checked]
    if key:  # the key first (pandera's own check hashes every row: slower)
        dup_rows = checked.index[repeated_keys(checked, key)].tolist()
        problems += _duplicate_problems(raw.file, checked, key, rows, header_of, dup_rows)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            build_schema(spec, list(checked), unique=False).validate(checked, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems += _from_failures(err.failure_cases, raw, spec, rows, header_of, bad_cells)
    return problems


def _blank_rows(frame: pd.DataFrame) -> pd.Series:
    """True for rows whose every cell is empty (missing or only whitespace)."""
    blank = np.ones(len(frame), dtype=bool)
    for name in frame.columns:
        s = frame[name]
        if _is_text(s):
            t = (s if s.dtype == _STRING else s.astype(_STRING)).str.strip(PY_WHITESPACE)
            empty = (t.isna() | (t == "")).to_numpy(bool)
        else:
            codes, uniq = _distinct(s)
            empty_u = np.array([_empty_cell(v) for v in uniq], dtype=bool)
            empty = (codes < 0) | np.append(empty_u, True)[codes]
        blank &= empty
        if not blank.any():
            break
    return pd.Series(blank, index=frame.index)


def _empty_cell(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)) or (
        isinstance(v, str) and not v.strip())


def _from_failures(fc, raw, spec, rows, header_of, bad_cells) -> list[Problem]:
    out: list[Problem] = []  # cell checks (the key is checked by repeated_keys)
    for rec in fc.itertuples(index=False):
        if rec.index is None or pd.isna(rec.index):
            continue
        i = int(rec.index)
        name = rec.column
        if (i, name) in bad_cells:  # already reported as unreadable
            continue
        col = spec.columns.get(name)
        value = raw.frame[header_of[name]].iloc[i] if name in header_of else None
        value = None if value is pd.NA else value
        code, fields = _check_code(str(rec.check), col)
        out.append(problem(code, raw.file, int(rows[i]), header_of.get(name, name), value, **fields))
    return out


def _duplicate_problems(file, typed, key, rows, header_of, dup_rows) -> list[Problem]:
    frame = typed.loc[dup_rows]  # index labels = positions in the whole table
    first_seen: dict[tuple, int] = {}
    out = []
    for i, rec in zip(dup_rows, frame[key].itertuples(index=False)):
        k = tuple(rec)
        if k in first_seen:
            where = ", ".join(header_of[c] for c in key)
            out.append(problem("duplicate_key", file, int(rows[i]), where,
                               "/".join(str(v) for v in k), key=", ".join(key), first_row=first_seen[k]))
        else:
            first_seen[k] = int(rows[i])
    return out


def _row_rules(table: str, df: pd.DataFrame, file: str, headers: Mapping[str, str]) -> list[Problem]:
    """Rules that involve several columns of one row."""
    out: list[Problem] = []

    canon = [c for c in df.columns if c in codebook()[table].columns]
    blank = df[canon].isna().all(axis=1) if canon else pd.Series(False, index=df.index)

    def add(mask, column, code, values):
        mask = mask.fillna(False) & ~blank  # an empty row is reported once, by the schema
        for row, val in zip(df.index[mask.to_numpy(bool)], values[mask]):
            out.append(problem(code, file, int(row), headers.get(column, column),
                               None if pd.isna(val) else val))

    if table == "activities" and {"attendees", "expected"} <= set(df.columns):
        add(df["attendees"] > df["expected"], "attendees", "attendees_exceed",
            df["attendees"])
    if table == "posts" and {"start", "end"} <= set(df.columns):
        add(df["end"] < df["start"], "end", "ends_before_start", df["end"].dt.date)
    if table == "incidents":
        has_unit = df["unit_id"].notna() if "unit_id" in df else pd.Series(False, index=df.index)
        has_group = df["group_id"].notna() if "group_id" in df else pd.Series(False, index=df.index)
        add(~has_unit & ~has_group, "group_id", "incident_without_owner",
            pd.Series(None, index=df.index, dtype=object))
    return out


def validate_raw(raw: RawTable, table: str):
    """Validate one raw table: codebook columns and types, schema checks and row rules.

    Returns
    -------
    frame : pandas.DataFrame or None
        Typed table indexed by file row number (None for a header-only file).
    problems : list of Problem
    headers : dict
        Canonical column -> header as written in the file (for later messages).
    """
    spec = codebook()[table]
    if len(raw.frame) == 0:
        return None, [problem("no_data_rows", raw.file)], {}
    df, problems = validate_table(raw, spec)
    # canonical -> header as written (alias match), for later messages
    headers: dict[str, str] = {}
    aliases = spec.alias_map()
    for header in raw.frame.columns:
        canon = aliases.get(normalize_header(header))
        if canon is not None:
            headers.setdefault(canon, str(header))
    df.index = pd.RangeIndex(len(df)) + raw.first_row
    problems += _row_rules(table, df, raw.file, headers)
    return df, problems, headers
