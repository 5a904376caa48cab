"""Low-level readers: one raw file in, cells exactly as written out.

:func:`read_raw` turns a CSV/TSV/TXT, XLSX/XLSM, XLS, Parquet or SPSS ``.sav``
file into a :class:`RawTable`: every cell as read (no type coercion), the
header row found, trailing blank and summary rows dropped, and each problem
reported with the file, the row number the user sees and the header text.
:func:`read_sav` reads SPSS files with labels and user-missing codes.

Raw files are only ever opened for reading.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from grouplab.data.problems import problem
from grouplab.data.readers.formats import reader_for
from grouplab.data.readers.spss import read_sav
from grouplab.data.readers.text import PY_WHITESPACE
from grouplab.errors import DataError, Problem

__all__ = ["RawTable", "read_raw", "read_sav", "header_text", "is_empty_row", "object_cells"]

_HEADER_SCAN_ROWS = 20
# trailing rows that are not data: totals/averages, and notes or signatures ("备注：…", "制表人：…")
_SUMMARY = re.compile(r"^(合计|总计|小计|平均|平均分|total|average)[:：]?$"
                      r"|^(备注|说明|注|制表人?|填表人|审核人?)[:：]", re.IGNORECASE)


@dataclass(frozen=True)
class RawTable:
    """Cells of one table exactly as read from a file.

    Attributes
    ----------
    frame : pandas.DataFrame
        Cells as read. CSV cells are text: ``string[pyarrow]`` columns (empty
        -> ``<NA>``; no Python object per cell) when pyarrow's reader parsed
        the file, else object columns of ``str`` (empty -> ``None``); Excel
        cells are Python values in object columns (``str``, ``int``,
        ``float``, ``datetime``, ``bool`` or ``None``). :func:`object_cells`
        gives the object view (``None`` for empty) for per-cell code. Columns are the header texts
        stripped of surrounding whitespace (incl. full-width spaces); repeated
        headers become ``name``, ``name.2``, ``name.3``; blank headers over
        data become ``unnamed_<n>`` (n = 1-based column position).
    file : str
        Display name: the basename, plus ``[sheet]`` for a non-first sheet.
    path : pathlib.Path
        Path that was read.
    first_row : int
        Row number (1-based, as Excel or a text editor shows it) of frame row 0.
    headers : list of str
        Header texts exactly as written (not stripped), in column order
        (``''`` for a blank header).
    encoding : str or None
        Text encoding used for CSV; ``None`` for binary formats.
    problems : tuple of Problem
        Non-fatal cell problems (e.g. Excel error cells, now ``None``).
    meta : dict
        JSON-like details: ``format``, ``row_numbers`` (the user-visible row
        number of every frame row, a list or a ``range``; differs from
        ``first_row + i`` only when a CSV cell spans several lines), ``dropped_rows`` (trailing summary rows
        such as 合计), ``header_row``, ``above`` (row number and text of each non-empty row above the
        header: titles, 填报单位 rows), and per format ``delimiter``, ``sheet``,
        ``sheets``, or SPSS ``variable_labels``/``value_labels``/``user_missing``.
    """

    frame: pd.DataFrame
    file: str
    path: Path
    first_row: int
    headers: list[str]
    encoding: str | None
    problems: tuple[Problem, ...] = ()
    meta: dict = field(default_factory=dict)


def read_raw(
    path: str | Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    known_headers: Collection[str] | None = None,
    file_label: str | None = None,
) -> RawTable:
    """Read one file into a :class:`RawTable` without coercing any cell.

    Parameters
    ----------
    path : str or Path
        ``.csv``/``.txt``/``.tsv``, ``.xlsx``/``.xlsm``, ``.xls`` (BIFF8),
        ``.parquet`` or ``.sav``.
    sheet : str, optional
        Excel sheet name; default the first sheet.
    encoding : str, optional
        Text encoding of a CSV. Default: sniffed (BOM -> ``utf-8-sig``/
        ``utf-16``, else UTF-8, else GB18030).
    known_headers : collection of str, optional
        Accepted header texts (names and aliases). When given, the header is
        the row among the first 20 with the most matching cells (at least 2);
        rows above it (titles, notes) are skipped. Otherwise the first
        non-empty row is the header.
    file_label : str, optional
        Name to use for the file in messages instead of the basename.

    Returns
    -------
    RawTable
        ``frame`` holds one column per header, one row per data row (object
        dtype); see :class:`RawTable` for every attribute.

    Raises
    ------
    DataError
        Unsupported suffix; empty file; undecodable or mixed-encoding text
        (with the line and byte offset); rows longer than the header; missing
        sheet; damaged or truncated file.

    Notes
    -----
    Fully empty rows at the end are dropped, as are trailing summary rows whose
    first non-empty cell is 合计/总计/小计/平均/Total, or a note or signature
    (``备注：…``, ``制表人：…``) (listed in
    ``meta['dropped_rows']``). Empty rows in the middle are kept. The ``.xls``
    reader (calamine) returns Excel error cells as empty cells, so they cannot
    be reported for ``.xls``; whole-number floats from ``.xls`` become ``int``
    as openpyxl does for ``.xlsx``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.csv"
    >>> _ = p.write_text("小组编号,人数\\nG1,5\\n合计,5\\n", encoding="utf-8")
    >>> t = read_raw(p)
    >>> t.frame.to_dict("list"), t.first_row, t.meta["dropped_rows"]
    ({'小组编号': ['G1'], '人数': ['5']}, 2, [3])
    """
    path = Path(path)
    file = file_label or path.name
    if not path.is_file():
        raise DataError([problem("file_not_found", file, path=str(path))])
    reader = reader_for(path, file)
    got = reader.rows(path, file, sheet=sheet, encoding=encoding)
    if got.frame is not None:  # a format whose columns are named in the file (SPSS)
        return RawTable(got.frame, file, path, 1, got.headers, None, (), got.meta)
    if reader.excel and not (got.first or file_label):
        file = f"{file}[{got.meta['sheet']}]"
    known = None if got.meta.get("format") == "parquet" else known_headers
    return _build(got.cells, got.numbers, path, file, known, encoding=got.encoding,
                  errors=got.errors or None, meta=got.meta)


def object_cells(raw: RawTable, *, head: int | None = None) -> RawTable:
    """The same table with every column as Python objects, ``None`` for an empty cell.

    For per-cell readers (questionnaire exports); whole-column code reads
    ``raw.frame`` as it is. ``head``: only the first rows.

    Examples
    --------
    >>> t = RawTable(pd.DataFrame({"a": pd.array(["x", None], dtype="string")}), "f.csv",
    ...              Path("f.csv"), 2, ["a"], "utf-8")
    >>> object_cells(t).frame["a"].tolist()
    ['x', None]
    """
    if head is not None:
        raw = dataclasses.replace(raw, frame=raw.frame.head(head))
    if all(pd.api.types.is_object_dtype(d) for d in raw.frame.dtypes):
        return raw
    frame = raw.frame.copy()
    for name in frame.columns:
        if frame[name].dtype != object:
            col = frame[name].astype(object)
            frame[name] = col.where(col.notna(), None)
    return dataclasses.replace(raw, frame=frame)


# ------------------------------------------------------------ table building


def header_text(value: Any) -> str:
    """A cell as header text, unstripped ('' for empty; 8.0 -> '8').

    Examples
    --------
    >>> header_text(None), header_text(8.0), header_text("\ufeff党小组 ")
    ('', '8', '党小组 ')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\ufeff", "")


def _norm(value: Any) -> str:
    return header_text(value).strip()


def is_empty_row(row: Iterable[Any]) -> bool:
    """True when every cell is None or blank text (spaces, full-width spaces)."""
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _find_header(rows: list[list[Any]], known: Collection[str] | None) -> int | None:
    first = next((i for i, r in enumerate(rows) if not is_empty_row(r)), None)
    if first is None or not known:
        return first
    wanted = {_norm(k).casefold() for k in known}
    best, best_hits = first, 1
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        hits = sum(1 for v in row if _norm(v) and _norm(v).casefold() in wanted)
        if hits > best_hits:
            best, best_hits = i, hits
    return best


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0) + 1
        seen[name] = n
        out.append(name if n == 1 else f"{name}.{n}")
    return out


def _error_cells(errors, numbers, body_numbers, keep, originals, file) -> list[Problem]:
    """Excel error cells (#DIV/0! …) inside the table, as problems (the cells are read as empty)."""
    number_of = dict(enumerate(numbers, start=1)) if numbers else {}
    kept_rows = set(body_numbers)
    out = []
    for sheet_row, col, text in errors:
        row_number = number_of.get(sheet_row, sheet_row)
        if row_number in kept_rows and col in keep:
            header = originals[col] if originals[col].strip() else f"unnamed_{col + 1}"
            out.append(problem("excel_error_cell", file, row_number, header, text))
    return out


def _build(
    rows: list[list[Any]] | pd.DataFrame,
    numbers: list[int] | None,
    path: Path,
    file: str,
    known: Collection[str] | None,
    *,
    encoding: str | None = None,
    errors: list[tuple[int, int, str]] | None = None,
    meta: dict | None = None,
) -> RawTable:
    """Find the header, cut trailing blank/summary rows, and make the RawTable.

    ``rows`` is a list of rows (ragged allowed) or, from the fast readers, a
    DataFrame grid with one object column per sheet/file column (``None`` for an
    empty cell). Everything after the header search works column by column.
    """
    meta = dict(meta or {})
    if numbers is None:
        numbers = range(1, len(rows) + 1)
    grid = rows if isinstance(rows, pd.DataFrame) else None
    head = rows if grid is None else _head_rows(grid)
    h = _find_header(head, known)
    if h is None:
        raise DataError([problem("empty_file", file)])
    grid = _grid(rows) if grid is None else grid.set_axis(range(grid.shape[1]), axis=1)
    grid = grid.reset_index(drop=True)
    end, dropped = _trailing(grid, h + 1, numbers)
    if not isinstance(rows, pd.DataFrame) and meta.get("format") == "csv":
        _check_ragged(rows[h + 1 : end], numbers[h + 1 : end], len(rows[h]), file)
    body_numbers = numbers[h + 1 : end]  # a range when every record is one line
    header_cells = [_cell(v) for v in grid.iloc[h]]
    originals = [header_text(v) for v in header_cells]
    stripped = [t.strip() for t in originals]
    # blank-headed columns without data are layout leftovers: drop them
    keep = [j for j in grid.columns if stripped[j] or not _empty_cells(grid[j].iloc[h + 1 : end]).all()]
    names = _unique([stripped[j] or f"unnamed_{j + 1}" for j in keep])
    frame = grid.iloc[h + 1 : end, keep].set_axis(names, axis=1).reset_index(drop=True)
    del grid
    for name in names:  # text stays arrow-backed; anything else as Python objects, None for empty
        if frame[name].dtype != object and not isinstance(frame[name].dtype, pd.StringDtype):
            frame[name] = pd.Series(pa.array(frame[name]).to_numpy(zero_copy_only=False),
                                    index=frame.index, dtype=object)

    problems = _error_cells(errors, numbers, body_numbers, keep, originals, file) if errors else []
    problems += meta.pop("problems", None) or []  # far values beyond the table (xlsx)
    above = [" ".join(t for t in (header_text(_cell(v)).strip() for v in head[r]) if t) for r in range(h)]
    meta["above"] = [(numbers[r], t) for r, t in enumerate(above) if t]  # titles, 填报单位 rows
    meta.update({"header_row": numbers[h], "row_numbers": body_numbers, "dropped_rows": dropped,
                 "columns": [int(j) for j in keep]})  # sheet column of each frame column (cell names)
    first_row = body_numbers[0] if body_numbers else numbers[h] + 1
    return RawTable(frame=frame, file=file, path=path, first_row=first_row,
                    headers=[originals[j] for j in keep], encoding=encoding,
                    problems=tuple(problems), meta=meta)


def _cell(v: Any) -> Any:
    return None if v is pd.NA else v


def _head_rows(grid: pd.DataFrame) -> list[list[Any]]:
    """The first rows of a grid as lists: enough for the header search (first non-empty
    row, and the rows scanned for known headers)."""
    n = _HEADER_SCAN_ROWS
    while True:
        head = [[_cell(v) for v in row] for row in grid.iloc[:n].to_numpy(dtype=object).tolist()]
        if n >= len(grid) or any(not is_empty_row(r) for r in head):
            return head
        n *= 4


def _grid(rows: list[list[Any]]) -> pd.DataFrame:
    """Rows of unequal length as a rectangular object grid (None-padded)."""
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [None] * (width - len(r)) for r in rows],
                        columns=range(width), dtype=object)


def _empty_cells(col: pd.Series) -> np.ndarray:
    """True where a cell is None or text of only whitespace (as ``_is_empty_row`` judges)."""
    if isinstance(col.dtype, pd.StringDtype):
        text = col.str.strip(PY_WHITESPACE)
        return (text.isna() | (text == "")).to_numpy(dtype=bool, na_value=True)
    arr = col.to_numpy(dtype=object)
    empty = np.equal(arr, None)
    kind = pd.api.types.infer_dtype(arr, skipna=True)
    if kind == "string":
        text = pd.Series(arr, dtype=pd.StringDtype("pyarrow")).str.strip(PY_WHITESPACE)
        empty |= (text == "").to_numpy(dtype=bool, na_value=False)
    elif kind != "empty":
        codes, uniq = pd.factorize(arr, use_na_sentinel=True)
        blank = np.array([isinstance(v, str) and not v.strip() for v in uniq] + [False])
        empty |= blank[codes]
    return empty


def _trailing(grid: pd.DataFrame, start: int, numbers) -> tuple[int, list[int]]:
    """End of the body (exclusive) without trailing empty and summary rows (合计 …).

    Rows are judged from the end in windows (64 rows, then doubling), not the whole grid."""
    end, dropped, low, row_empty = len(grid), [], len(grid), None
    while end > start:
        if end <= low:  # judge the next window of rows above
            low = max(start, end - max(64, 2 * (len(grid) - end)))
            row_empty = _empty_rows(grid.iloc[low:end])
            offset = low
        if not row_empty[end - 1 - offset]:
            cells = [_norm(_cell(v)) for v in grid.iloc[end - 1]]
            first_value = next(t for t in cells if t)
            if not _SUMMARY.match(re.sub(r"\s+", "", first_value)):
                break
            dropped.append(numbers[end - 1])
        end -= 1
    dropped.reverse()
    return end, dropped


def _empty_rows(part: pd.DataFrame) -> np.ndarray:
    """True for each row of ``part`` whose cells are all empty (column by column; cell by cell
    when the sheet is wide, where per-column work would cost more than the cells)."""
    if part.shape[1] > 256 and not any(isinstance(d, pd.StringDtype) for d in part.dtypes):
        return np.array([is_empty_row(_cell(v) for v in r) for r in part.to_numpy(dtype=object).tolist()],
                        dtype=bool).reshape(len(part))
    cols = [_empty_cells(part[j]) for j in part.columns]
    return np.logical_and.reduce(cols) if cols else np.ones(len(part), bool)


def _check_ragged(body: list[list[Any]], numbers: list[int], n_named: int, file: str) -> None:
    """CSV rows with more fields than the header are fatal (a delimiter inside a value)."""
    problems = [
        problem("extra_fields", file, num, None,
                [v for v in r[n_named:] if v is not None][:3],
                n=len(r), n_named=n_named)
        for r, num in zip(body, numbers, strict=True)
        if any(v is not None and not is_empty_row([v]) for v in r[n_named:])
    ]
    if problems:
        raise DataError(problems)
