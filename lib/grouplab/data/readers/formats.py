"""File formats, registered by suffix: one reader object per format (sheets, rows, layout).

Every caller that opens a data file dispatches through :func:`reader_for` instead of writing
its own chain of suffix tests: :func:`grouplab.data.readers.base.read_raw` builds a tidy table
from :meth:`Reader.rows`, :func:`grouplab.data.ledgers.sheet.read_grid` adds
:meth:`Reader.layout` (merged cells, hidden rows and columns), and ``sheets: all`` in
``dataset.yml`` lists :meth:`Reader.sheets`. Each reader checks its file against the reading
limits (:mod:`grouplab.data.readers.limits`) before it parses anything.

Adding a format: subclass :class:`Reader`, set ``name`` and ``suffixes``, implement ``rows``
(and ``sheets``/``layout`` for workbooks), then ``register(MyReader())``.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from grouplab.data.problems import problem
from grouplab.data.readers.limits import check_size, check_text
from grouplab.errors import DataError
from grouplab.errors import damaged_file as _damaged

__all__ = ["Reader", "Rows", "Layout", "register", "reader_for", "READERS", "supported"]


@dataclass(frozen=True)
class Layout:
    """Merged ranges (0-based row0, col0, row1, col1, inclusive) and 0-based hidden rows/columns."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)


@dataclass
class Rows:
    """The cells of one sheet or file as read, before a header is looked for.

    Attributes
    ----------
    cells : DataFrame or list of lists
        One object column per sheet column (``None`` when empty), or ragged rows.
    numbers : sequence of int or None
        Row number the user sees for each row (None: 1, 2, 3 …).
    meta : dict
        ``format`` and per format ``sheet``, ``sheets``, ``delimiter``, ``trimmed`` (reading
        notes), ``problems`` (far values).
    first : bool
        The sheet read is the workbook's first.
    encoding : str or None
        Text encoding used.
    errors : list of (row, 0-based column, text)
        Excel error cells (read as empty).
    frame, headers : DataFrame and list of str, optional
        A finished table (formats whose columns are named in the file, like SPSS): used as is.
    layout : Layout or None
        Merged and hidden cells when reading the cells told them (xlsx).
    """

    cells: Any
    numbers: Sequence[int] | None = None
    meta: dict = field(default_factory=dict)
    first: bool = True
    encoding: str | None = None
    errors: list = field(default_factory=list)
    frame: pd.DataFrame | None = None
    headers: list[str] | None = None
    layout: Layout | None = None


class Reader:
    """One file format: what sheets a file has, its cells, and its layout."""

    name = ""
    suffixes: tuple[str, ...] = ()
    excel = False  # cells are named by column letter and row (F7)

    def sheets(self, path: Path, file: str) -> list[str]:
        """Visible sheets, in tab order (workbooks only)."""
        raise DataError([problem("sheets_all_needs_workbook", file)])

    def rows(self, path: Path, file: str, *, sheet: str | None = None, encoding: str | None = None) -> Rows:
        raise NotImplementedError

    def layout(self, path: Path, file: str, sheet: str | None, rows: Rows) -> Layout:
        """Merged ranges and hidden rows/columns of the sheet ``rows`` came from (none by default)."""
        return rows.layout or Layout()


class TextReader(Reader):
    name, suffixes = "text", (".csv", ".txt", ".tsv")

    def rows(self, path, file, *, sheet=None, encoding=None):
        from grouplab.data.readers.text import read_text_rows

        check_text(path, file)
        cells, numbers, used, meta = read_text_rows(path, file, encoding, path.suffix.lower())
        return Rows(cells, numbers, meta, True, used)


class XlsxReader(Reader):
    name, suffixes, excel = "xlsx", (".xlsx", ".xlsm"), True

    def sheets(self, path, file):
        from grouplab.data.readers.xlsx_bounds import xlsx_sheets

        return xlsx_sheets(path, file)

    def rows(self, path, file, *, sheet=None, encoding=None):
        from grouplab.data.readers.excel import read_xlsx_rows

        cells, errors, meta, first = read_xlsx_rows(path, file, sheet)
        lay = meta.pop("layout", None)
        layout = Layout(*lay) if lay else None
        return Rows(cells, None, meta, first, None, errors, layout=layout)


class XlsReader(Reader):
    name, suffixes, excel = "xls", (".xls",), True

    def sheets(self, path, file):
        from grouplab.data.readers.biff import xls_sheets

        check_size(path, file)
        try:
            return [name for name, visible in xls_sheets(path) if visible]
        except (ValueError, struct.error, IndexError, UnicodeDecodeError) as exc:
            raise _damaged(file, ".xls", exc) from exc

    def rows(self, path, file, *, sheet=None, encoding=None):
        from grouplab.data.readers.excel import read_xls_rows

        cells, meta, first = read_xls_rows(path, file, sheet)
        return Rows(cells, None, meta, first)

    def layout(self, path, file, sheet, rows):
        from grouplab.data.readers.biff import xls_layout

        try:
            lay = xls_layout(path, sheet)
        except (ValueError, struct.error, IndexError, UnicodeDecodeError) as exc:
            raise DataError([problem("xls_unseen_layout", file, None, None,
                                     f"{type(exc).__name__}: {exc}"[:120], sheet=sheet)]) from exc
        return Layout(lay.merges, lay.hidden_rows, lay.hidden_cols)


class ParquetReader(Reader):
    name, suffixes = "parquet", (".parquet",)

    def rows(self, path, file, *, sheet=None, encoding=None):
        import pyarrow.parquet as pq

        check_size(path, file)
        try:
            with open(path, "rb") as fh:
                table = pq.read_table(fh)
        except Exception as exc:
            raise _damaged(file, ".parquet", exc) from exc
        names = [str(n) for n in table.column_names]
        columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
        cells = [names, *map(list, zip(*columns, strict=True))] if columns else [names]
        return Rows(cells, None, {"format": "parquet"})


class SavReader(Reader):
    name, suffixes = "sav", (".sav",)

    def rows(self, path, file, *, sheet=None, encoding=None):
        from grouplab.data.readers.spss import read_sav

        check_size(path, file)
        df = read_sav(path)
        frame = df.astype(object).where(df.notna(), None)
        frame.attrs = {}
        meta = {"format": "sav", "row_numbers": list(range(1, len(frame) + 1)), "dropped_rows": [],
                "header_row": None, "variable_labels": df.attrs["variable_labels"],
                "value_labels": df.attrs["value_labels"], "user_missing": df.attrs["user_missing"],
                "missing": df.attrs["missing"]}
        return Rows(None, None, meta, frame=frame.reset_index(drop=True),
                    headers=[str(c) for c in frame.columns])


READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    """Make ``reader`` the reader of each of its suffixes."""
    for suffix in reader.suffixes:
        READERS[suffix] = reader
    return reader


for _r in (TextReader(), XlsxReader(), XlsReader(), ParquetReader(), SavReader()):
    register(_r)


def supported(kinds: Sequence[str] | None = None) -> str:
    """The suffixes of the registered readers (of ``kinds`` names only), as a list for messages."""
    return ", ".join(s for s, r in READERS.items() if kinds is None or r.name in kinds)


#: the ``what`` of :func:`reader_for` in Chinese
_WHAT_ZH = {"a ledger": "台账"}


def reader_for(path: Path, file: str, *, kinds: Sequence[str] | None = None, what: str = "") -> Reader:
    """The reader registered for the file's suffix (of ``kinds`` names only).

    Raises
    ------
    DataError
        No reader (of those kinds) reads the file's suffix.

    Examples
    --------
    >>> reader_for(Path("a.CSV"), "a.CSV").name
    'text'
    """
    reader = READERS.get(Path(path).suffix.lower())
    if reader is None or (kinds is not None and reader.name not in kinds):
        if what:
            raise DataError([problem("wrong_format_for", file, what=what, what_zh=_WHAT_ZH.get(what, what),
                                     supported=supported(kinds), suffix=Path(path).suffix)])
        raise DataError([problem("unsupported_format", file, supported=supported(kinds),
                                 suffix=Path(path).suffix)])
    return reader
