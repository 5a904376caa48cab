"""Excel readers: .xlsx/.xlsm through openpyxl (which reports error cells), .xls (BIFF8) through calamine.

Both return the sheet as a list of rows of raw cell values; :func:`grouplab.data.readers.base.read_raw` builds the
table from them.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from grouplab.errors import DataError, Problem
from grouplab.errors import damaged_file as _damaged

__all__ = ["read_xlsx_rows", "read_xls_rows"]


def _missing_sheet(file: str, sheet: str, names: list[str]) -> DataError:
    return DataError(
        [
            Problem(file, None, None, "sheet not found", sheet,
                    "Sheets in this file: " + ", ".join(names))
        ]
    )


def read_xlsx_rows(
    path: Path, file: str, sheet: str | None
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
                    raise _missing_sheet(file, sheet, names)
                name = sheet if sheet is not None else names[0]
                ws = book[name]
                ws.reset_dimensions()  # do not trust the stored <dimension>
                for r, cells in enumerate(ws.iter_rows(), start=1):
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


# .xls is parsed in a child process: some damaged BIFF files make python-calamine abort the
# whole interpreter (a Rust allocation failure), which no try/except can catch.
_XLS_CHILD = r"""
import pickle, sys
import python_calamine
path, sheet = sys.argv[1], (sys.argv[2] or None)
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


def read_xls_rows(path: Path, file: str, sheet: str | None) -> tuple[list[list[Any]], dict, bool]:
    import pickle
    import subprocess
    import sys

    why = "file damaged or truncated, or not a real .xls such as an HTML page renamed?"
    proc = subprocess.run([sys.executable, "-c", _XLS_CHILD, str(path), sheet or ""],
                          capture_output=True, timeout=600)
    if proc.returncode != 0 or not proc.stdout:
        exc = RuntimeError(f"the .xls reader stopped (exit status {proc.returncode})")
        raise _damaged(file, ".xls", exc, why)
    out = pickle.loads(proc.stdout)
    if out[0] == "missing":
        raise _missing_sheet(file, sheet, out[1])
    if out[0] == "error":
        raise _damaged(file, ".xls", RuntimeError(out[1]), why)
    _, names, name, grid = out
    rows = [[_xls_cell(v) for v in row] for row in grid]
    return rows, {"format": "xls", "sheet": name, "sheets": names}, name == names[0]


def _xls_cell(value: Any) -> Any:
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


