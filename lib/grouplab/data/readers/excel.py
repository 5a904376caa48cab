"""Excel readers: .xlsx/.xlsm through calamine plus an error-cell scan, .xls (BIFF8) through calamine.

calamine (Rust) reads values about ten times faster than openpyxl but returns Excel error cells
(``#DIV/0!``, ``#N/A``) as empty strings, so the sheet's XML is scanned once for cells of type
``e`` to report them. A file the fast path cannot read is read again with openpyxl, whose
messages for damaged files are the ones users see. Both return the sheet as raw cell values;
:func:`grouplab.data.readers.base.read_raw` builds the table from them.
"""

from __future__ import annotations

import datetime as _dt
import html
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.readers.limits import check_size, current_limits
from grouplab.data.readers.xlsx_bounds import XlsxCheck, inspect_xlsx, missing_sheet
from grouplab.errors import DataError
from grouplab.errors import damaged_file as _damaged

__all__ = ["read_xlsx_rows", "read_xls_rows"]


_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\bt=\"e\"[^>]*>")
_REF = re.compile(rb"\br=\"([A-Z]+)([0-9]+)\"")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def read_xlsx_rows(
    path: Path, file: str, sheet: str | None
) -> tuple[pd.DataFrame | list[list[Any]], list[tuple[int, int, str]], dict, bool]:
    """The cells of one sheet (a DataFrame grid, or rows from openpyxl) and its error cells.

    The workbook is checked first (:func:`~grouplab.data.readers.xlsx_bounds.inspect_xlsx`):
    within the limits, calamine reads it in this process; cells far beyond the table are
    trimmed (openpyxl reads up to the table's last row and column); cells without references,
    whose positions the check cannot vouch for, are read by calamine in a child process, where
    an abort becomes a DataError.

    Returns
    -------
    rows, errors, meta, first
        ``rows``: one object column per sheet column, ``None`` for empty cells,
        whole-number floats as ``int`` and dates as ``datetime`` (as openpyxl gives
        them); ``errors``: (sheet row, 0-based column, error text); ``meta``:
        ``format``, ``sheet``, ``sheets``, ``trimmed`` (reading notes) and ``problems`` (far
        values); ``first``: whether it is the first sheet.
    """
    check = inspect_xlsx(path, file, sheet)
    if check.bounds is not None:
        out = _read_xlsx_openpyxl(path, file, check.sheet, check.bounds)
    elif check.implicit:
        out = _read_isolated(path, file, check)
    else:
        try:
            out = _read_xlsx_fast(path, check)
        except BaseException as exc:  # noqa: BLE001 - calamine panics derive from BaseException
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            out = _read_xlsx_openpyxl(path, file, check.sheet)
    rows, errors, meta, _ = out
    scan = check.scan
    meta.update(sheets=check.sheets, trimmed=check.trimmed, problems=check.problems,
                layout=(scan.merges, scan.hidden_rows, scan.hidden_cols))
    return rows, errors, meta, check.sheet == check.sheets[0]


def _part_errors(path: Path, check: XlsxCheck) -> list[tuple[int, int, str]]:
    """Error cells of the sheet (its XML read only when the scan saw one; size checked before)."""
    if not check.scan.errors:
        return []
    with zipfile.ZipFile(path) as archive:
        return _error_cells(archive.read(check.part))


def _error_cells(xml: bytes) -> list[tuple[int, int, str]]:
    """(row, 0-based column, text) of every cell of type ``e`` in a sheet's XML."""
    out = []
    if b't="e"' not in xml:
        return out
    for m in _ERROR_CELL.finditer(xml):
        ref = _REF.search(m.group(0))
        if ref is None:  # no cell reference: position unknown, let openpyxl count
            raise ValueError("error cell without a reference")
        col = 0
        for ch in ref.group(1):
            col = col * 26 + ch - 64
        end = xml.find(b"</", m.end())
        v = _VALUE.search(xml, m.end(), xml.find(b"</c>", m.end()) + 4 if end >= 0 else len(xml))
        text = html.unescape(v.group(1).decode("utf-8")) if v else ""
        out.append((int(ref.group(2)), col - 1, text))
    return out


def _read_xlsx_fast(path: Path, check: XlsxCheck):
    import python_calamine

    with open(path, "rb") as fh:
        book = python_calamine.CalamineWorkbook.from_filelike(fh)
        try:
            grid = book.get_sheet_by_name(check.sheet).to_python(skip_empty_area=False)
        finally:
            book.close()
    return _frame(grid), _part_errors(path, check), {"format": "xlsx", "sheet": check.sheet}, None


def _frame(grid: list[list[Any]]) -> pd.DataFrame:
    if grid and len(grid) * 8 < len(grid[0]):  # wide and short: per-column work costs more than the cells
        return pd.DataFrame([[_openpyxl_cell(v) for v in row] for row in grid], dtype=object)
    raw = pd.DataFrame(grid, dtype=object)
    del grid
    # one frame from converted columns (assigning 16,384 columns one by one splits blocks: quadratic)
    return pd.DataFrame({j: _as_openpyxl(raw[j]) for j in raw.columns}, index=raw.index)


def _read_isolated(path: Path, file: str, check: XlsxCheck):
    out = _calamine_child(path, file, check.sheet, path.suffix.lower(),
                          "file damaged, or cells the checks could not place?")
    return _frame(out[3]), _part_errors(path, check), {"format": "xlsx", "sheet": check.sheet}, None


def _as_openpyxl(col: pd.Series) -> pd.Series:
    """calamine cells as openpyxl gives them: '' -> None, 5.0 -> 5, date -> datetime."""
    arr = col.to_numpy(dtype=object, copy=True)
    arr[arr == ""] = None  # calamine's empty cell
    kind = pd.api.types.infer_dtype(arr, skipna=True)
    if kind == "string":
        return pd.Series(arr, index=col.index, dtype=object)
    if bool not in set(map(type, arr)):
        # convert each distinct value once (not with bools: True == 1.0 would merge them)
        codes, uniq = pd.factorize(arr, use_na_sentinel=True)
        conv = np.array([_openpyxl_cell(v) for v in uniq] + [None], dtype=object)
        return pd.Series(conv[codes], index=col.index, dtype=object)
    return pd.Series([_openpyxl_cell(v) for v in arr], index=col.index, dtype=object)


def _openpyxl_cell(value: Any) -> Any:
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return _dt.datetime(value.year, value.month, value.day)
    return value


def _read_xlsx_openpyxl(
    path: Path, file: str, sheet: str | None, bounds: tuple[int, int] | None = None
) -> tuple[list[list[Any]], list[tuple[int, int, str]], dict, bool]:
    import openpyxl

    rows: list[list[Any]] = []
    errors: list[tuple[int, int, str]] = []  # (sheet row, 0-based column, error text)
    try:
        with open(path, "rb") as fh, warnings.catch_warnings():
            # openpyxl's note about files written without a default style is noise
            warnings.filterwarnings("ignore", "Workbook contains no default style", UserWarning)
            book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
            try:
                names = list(book.sheetnames)
                if sheet is not None and sheet not in names:
                    raise missing_sheet(file, sheet, names)
                name = sheet if sheet is not None else names[0]
                ws = book[name]
                ws.reset_dimensions()  # do not trust the stored <dimension>
                last_row, last_col = bounds or (None, None)  # the table's block, far cells trimmed
                for r, cells in enumerate(ws.iter_rows(max_row=last_row, max_col=last_col), start=1):
                    values = []
                    for c, cell in enumerate(cells):
                        value = cell.value
                        if cell.data_type == "e":  # cached error of a formula, e.g. #DIV/0!
                            errors.append((r, c, str(value)))
                            value = None
                        elif value == "":
                            value = None
                        values.append(value)
                    rows.append(values)
            finally:
                book.close()
    except DataError:
        raise
    except Exception as exc:  # zip, XML and decompression errors of a damaged file
        raise _damaged(file, ".xlsx", exc) from exc
    meta = {"format": "xlsx", "sheet": name, "sheets": names}
    return rows, errors, meta, name == names[0]


# .xls (and an .xlsx whose cells the checks cannot place) is parsed in a child process: some files
# make python-calamine abort the whole interpreter (a Rust allocation failure), which no
# try/except can catch. The child's address space is capped (Limits.child_memory), so an
# allocation beyond it fails there too instead of taking the machine's memory.
_CHILD = r"""
import pickle, resource, sys
import python_calamine
path, sheet, most = sys.argv[1], (sys.argv[2] or None), int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (most, most))
try:
    with open(path, "rb") as fh:
        book = python_calamine.CalamineWorkbook.from_filelike(fh)
        try:
            names = list(book.sheet_names)
            if sheet is not None and sheet not in names:
                out = ("missing", names)
            else:
                name = sheet if sheet is not None else names[0]
                grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                out = ("ok", names, name, grid)
        finally:
            book.close()
except BaseException as exc:  # PanicException derives from BaseException
    out = ("error", f"{type(exc).__name__}: {exc}")
sys.stdout.buffer.write(pickle.dumps(out))
"""


def _calamine_child(path: Path, file: str, sheet: str | None, kind: str, why: str) -> tuple:
    """calamine's ("ok", names, name, grid) for one sheet, read in a child process."""
    import pickle
    import subprocess
    import sys

    most = str(current_limits().child_memory)
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(path), sheet or "", most],
                          capture_output=True, timeout=600)
    if proc.returncode != 0 or not proc.stdout:
        exc = RuntimeError(f"the {kind} reader stopped (exit status {proc.returncode})")
        raise _damaged(file, kind, exc, why)
    out = pickle.loads(proc.stdout)
    if out[0] == "missing":
        raise missing_sheet(file, sheet, out[1])
    if out[0] == "error":
        raise _damaged(file, kind, RuntimeError(out[1]), why)
    return out


def read_xls_rows(path: Path, file: str, sheet: str | None) -> tuple[list[list[Any]], dict, bool]:
    """The cells of one ``.xls`` sheet, read by calamine in a child process (size checked first)."""
    check_size(path, file)
    why = "file damaged or truncated, or not a real .xls such as an HTML page renamed?"
    _, names, name, grid = _calamine_child(path, file, sheet, ".xls", why)
    rows = [[_xls_cell(v) for v in row] for row in grid]
    return rows, {"format": "xls", "sheet": name, "sheets": names}, name == names[0]


def _xls_cell(value: Any) -> Any:
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


