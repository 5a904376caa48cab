"""Ledgers (台账): find the table in a sheet made for people, and keep where each cell came from.

A ledger sheet has a title row, a ``填报单位：…  填报日期：…`` row, one to three
header rows (an aspect merged over its items), one row per entity, then
trailing 合计/平均/备注/制表人 rows and sometimes an unrelated table below.
:func:`read_ledger` finds the header band, reads merged headers, skips hidden
rows and columns, stops at the end of the table and records what it skipped
and why, so :func:`grouplab.cli` ``validate --explain`` can show it and every
error can name the sheet and cell (``F7``) the user sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from grouplab.data.codebook import normalize_header
from grouplab.data.problems import problem
from grouplab.data.readers.base import header_text, is_empty_row
from grouplab.data.readers.formats import READERS, Reader, reader_for
from grouplab.errors import DataError, Problem

__all__ = ["Ledger", "Grid", "read_grid", "read_ledger", "column_letter", "sheet_names", "matching",
           "FOOTER", "FILLED_BY"]

_SCAN_ROWS = 20
_MAX_HEADER_ROWS = 3
#: First cell of a row that is not data: totals, averages, notes, signatures.
#: The keyword alone or followed by a colon: '注水班党小组' is a group, '注：…' a note.
FOOTER = re.compile(r"^(合计|总计|小计|平均|平均分|均值|备注|说明|注|附|附注|附表|制表|制表人|填表人|审核|"
                    r"审核人|负责人|签字|签名|total|average|note|notes)([:：].*)?$", re.IGNORECASE)
_FILLED_BY = re.compile(r"(填报|填表|报送|制表)(单位|日期|时间|人)|^(单位|部门|日期)[:：]")
FILLED_BY = _FILLED_BY  # a 填报单位/日期 cell (the scope of a sheet's names reads its unit)


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index.

    Returns
    -------
    str
        ``A`` … ``Z``, ``AA`` …

    Examples
    --------
    >>> column_letter(0), column_letter(5), column_letter(27)
    ('A', 'F', 'AB')
    """
    out = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


@dataclass(frozen=True)
class Grid:
    """A sheet as a grid of raw cells with its layout (merges, hidden rows/columns)."""

    rows: list[list[Any]]
    numbers: list[int]                 # row number the user sees, per grid row
    merges: list[tuple[int, int, int, int]]  # 0-based (row0, col0, row1, col1) inclusive
    hidden_rows: set[int]              # 0-based grid rows
    hidden_cols: set[int]
    file: str
    sheet: str | None
    excel: bool                        # cells can be named by letter + row


@dataclass(frozen=True)
class Ledger:
    """One table found in a ledger sheet.

    Attributes
    ----------
    frame : pandas.DataFrame
        Object cells as read, one column per header column (label: the lowest
        header text, made unique with the aspect above when repeated).
    file, sheet : str, str or None
        File name as the user knows it and the sheet read.
    rows : list of int
        Row number (as Excel shows it) of each frame row.
    letters : list of str or None
        Column letter of each frame column (None for CSV).
    parts : list of tuple of str
        Header texts of each column, top header row first (merged cells filled).
    header_rows : list of int
        Row numbers of the header band.
    title : str
        Text of the title rows above the header (joined), '' if none.
    title_cell : str or None
        Cell of the first title text (e.g. ``A1``).
    filed_by : str
        Text of the 填报单位/单位 cells above the header (joined), '' if none.
    skipped : list of dict
        ``rows`` (list of int) or ``columns`` (list of str) and ``why``.
    """

    frame: pd.DataFrame
    file: str
    sheet: str | None
    rows: list[int]
    letters: list[str] | None
    parts: list[tuple[str, ...]]
    header_rows: list[int]
    title: str = ""
    title_cell: str | None = None
    skipped: list[dict] = field(default_factory=list)
    filed_by: str = ""

    def cell(self, i: int, column: str) -> str | None:
        """Cell name (``F7``) of frame row ``i`` and column ``column``, None for CSV."""
        if self.letters is None:
            return None
        return f"{self.letters[list(self.frame.columns).index(column)]}{self.rows[i]}"

    def problem(self, i: int | None, column: str | None, code: str, value: Any = None,
                hint: str | None = None, **values: Any) -> Problem:
        """A Problem of ``code`` (:data:`grouplab.data.problems.PROBLEMS`) at frame row ``i`` /
        column ``column`` named as the user sees it."""
        row = None if i is None else self.rows[i]
        cell = self.cell(i, column) if (i is not None and column is not None) else None
        return problem(code, self.file, row, column, value, hint, sheet=self.sheet, cell=cell, **values)


# ------------------------------------------------------------------ reading a grid


def read_grid(path: Path, *, sheet: str | None = None, encoding: str | None = None,
              file_label: str | None = None) -> Grid:
    """Read a sheet (xlsx/xlsm/xls/csv/txt/tsv) as a grid with its merges and hidden rows/columns.

    Returns
    -------
    Grid
        Raw cells per row, the row numbers the user sees, merged ranges and
        hidden rows/columns (read from the file for ``.xlsx``/``.xlsm`` and, by
        :mod:`grouplab.data.readers.biff`, for ``.xls``; none for CSV).

    Raises
    ------
    DataError
        Missing file or sheet, an unsupported or damaged file.
    """
    path = Path(path)
    file = file_label or path.name
    if not path.is_file():
        raise DataError([problem("file_not_found", file, path=path)])
    reader = reader_for(path, file, kinds=("xlsx", "xls", "text"), what="a ledger")
    got = reader.rows(path, file, sheet=sheet, encoding=encoding)
    if got.meta.get("problems"):  # values far beyond the table: one problem each way
        raise DataError(got.meta["problems"])
    rows = got.cells
    if isinstance(rows, pd.DataFrame):  # the fast readers return a grid of cells
        rows = [[None if v is None or v is pd.NA else v for v in r] for r in rows.itertuples(index=False)]
    numbers = list(got.numbers) if got.numbers is not None else list(range(1, len(rows) + 1))
    lay = reader.layout(path, file, got.meta.get("sheet"), got)
    return Grid(rows, numbers, lay.merges, lay.hidden_rows, lay.hidden_cols, file, got.meta.get("sheet"),
                reader.excel)


def sheet_names(path: Path) -> list[str]:
    """Names of the visible sheets of an .xlsx/.xlsm/.xls workbook, in order.

    Returns
    -------
    list of str
        Sheet names as in the workbook's tabs (hidden sheets left out).

    Raises
    ------
    DataError
        Not an Excel workbook, or damaged.
    """
    path = Path(path)
    return READERS.get(path.suffix.lower(), Reader()).sheets(path, path.name)


# ------------------------------------------------------------------ the header band


def _norm(value: Any) -> str:
    return normalize_header(header_text(value))


def _filled(grid: Grid) -> list[list[Any]]:
    """Rows with each merged range filled with its top-left value."""
    width = max((len(r) for r in grid.rows), default=0)
    out = [list(r) + [None] * (width - len(r)) for r in grid.rows]
    for r0, c0, r1, c1 in grid.merges:
        value = out[r0][c0] if r0 < len(out) and c0 < width else None
        for r in range(r0, min(r1, len(out) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                out[r][c] = value
    return out


def _distinct(row: list[Any]) -> list[str]:
    return list(dict.fromkeys(_norm(v) for v in row if _norm(v)))


def _find_header(filled: list[list[Any]], grid: Grid, score: Callable[[str], bool],
                 header_row: int | list[int] | None) -> list[int]:
    """Grid indices of the header band, top first."""
    if header_row is not None:
        wanted = [header_row] if isinstance(header_row, int) else list(header_row)
        idx = [grid.numbers.index(n) for n in wanted if n in grid.numbers]
        if len(idx) != len(wanted) or not all(isinstance(n, int) for n in wanted):
            raise DataError([problem("header_row_not_in_sheet", grid.file, None, None,
                                     header_row, sheet=grid.sheet)])
        return idx
    hits = []
    for i, row in enumerate(filled[:_SCAN_ROWS]):
        if i in grid.hidden_rows:
            continue
        hits.append((sum(1 for t in _distinct(row) if score(t)), i))
    best = max((h for h, _ in hits), default=0)
    if best < 2:
        raise DataError([problem("no_header_row", grid.file, None, None, None,
                                 sheet=grid.sheet, scan=_SCAN_ROWS)])
    tops = [i for h, i in hits if h == best]
    if len(tops) > 1:
        raise DataError([problem("two_header_rows", grid.file, None, None,
                                 ", ".join(str(grid.numbers[i]) for i in tops), sheet=grid.sheet)])
    leaf = tops[0]
    band = [leaf]
    i = leaf - 1
    while i >= 0 and len(band) < _MAX_HEADER_ROWS:
        if i in grid.hidden_rows or is_empty_row(filled[i]) or _is_title(filled[i]):
            break
        band.insert(0, i)
        i -= 1
    return band


def _is_title(row: list[Any]) -> bool:
    texts = _distinct(row)
    return len(texts) <= 1 or any(_FILLED_BY.search(t) for t in texts)


def _column_parts(filled: list[list[Any]], band: list[int], cols: list[int], merged: bool):
    """Header texts per column, top first; without merge info, blank upper cells take the left value."""
    parts = []
    for c in cols:
        texts = []
        for level, r in enumerate(band):
            v = filled[r][c]
            if not header_text(v).strip() and not merged and level < len(band) - 1:
                left = [filled[r][k] for k in range(c - 1, -1, -1) if header_text(filled[r][k]).strip()]
                below = header_text(filled[band[-1]][c]).strip()
                v = left[0] if left and below else None
            t = header_text(v).strip()
            if t and t not in texts:
                texts.append(t)
        parts.append(tuple(texts))
    return parts


def _labels(parts: list[tuple[str, ...]]) -> list[str]:
    leaf = [p[-1] if p else "" for p in parts]
    out = []
    for j, p in enumerate(parts):
        name = leaf[j] or f"unnamed_{j + 1}"
        if leaf[j] and leaf.count(leaf[j]) > 1 and len(p) > 1:
            name = "/".join(p)
        out.append(name)
    seen: dict[str, int] = {}
    unique = []
    for name in out:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}.{seen[name]}")
    return unique


# ------------------------------------------------------------------ the table


def read_ledger(path: str | Path, *, score: Callable[[str], bool], sheet: str | None = None,
                encoding: str | None = None, header_row: int | list[int] | None = None,
                keep_hidden: bool = False, file_label: str | None = None) -> Ledger:
    """Find the table in a ledger sheet and read its cells with their provenance.

    Parameters
    ----------
    path : str or Path
        ``.xlsx``/``.xlsm`` (merged cells and hidden rows/columns are read),
        ``.xls`` or ``.csv``/``.txt``/``.tsv``.
    score : callable
        ``score(normalised header text) -> bool``: is this text a header the
        caller expects (an id column, a rubric item, a month, 合计 …)? The
        lowest header row is the row among the first 20 with the most such
        texts (at least two).
    sheet, encoding : str, optional
        Sheet name (default: the first) and CSV encoding (default: sniffed).
    header_row : int or list of int, optional
        Row number(s) of the header as Excel shows them; skips detection.
    keep_hidden : bool
        Read hidden rows and columns too (default: skip them and say so).
    file_label : str, optional
        Name of the file in messages.

    Returns
    -------
    Ledger
        The table (see :class:`Ledger`); ``skipped`` lists title rows, hidden
        rows/columns, total/note rows and anything below the first blank row.

    Raises
    ------
    DataError
        No header row, two candidate header rows, a header_row outside the
        sheet, a header without data rows, or an unreadable file.

    Notes
    -----
    The table ends at its first fully blank row after data: a second table
    below it (a 附表, a list of deductions) is skipped and listed. Rows whose
    first text is 合计/总计/小计/平均/备注/说明/注/制表人/审核人 are not data.
    """
    grid = read_grid(Path(path), sheet=sheet, encoding=encoding, file_label=file_label)
    filled = _filled(grid)
    band = _find_header(filled, grid, score, header_row)
    skipped: list[dict] = []
    title, title_cell, filed_by = _title(filled, grid, band[0], skipped)
    cols = _table_columns(filled, grid, band, keep_hidden, skipped)
    parts = _column_parts(filled, band, cols, bool(grid.merges))
    body = _data_rows(filled, grid, band[-1] + 1, cols, keep_hidden, skipped)
    if not body:
        raise DataError([problem("sheet_without_data_rows", grid.file, grid.numbers[band[-1]],
                                 sheet=grid.sheet)])
    labels = _labels(parts)
    frame = pd.DataFrame([[filled[r][c] for c in cols] for r in body], columns=labels, dtype=object)
    letters = [column_letter(c) for c in cols] if grid.excel else None
    return Ledger(frame, grid.file, grid.sheet, [grid.numbers[r] for r in body], letters, parts,
                  [grid.numbers[r] for r in band], title, title_cell, skipped, filed_by)


def _title(filled, grid: Grid, top: int, skipped: list[dict]) -> tuple[str, str | None, str]:
    """Text of the rows above the header, leaving out 填报单位/日期 cells (a filing date is no period),
    and of those cells (with the cell right of a bare ``填报单位：``)."""
    texts, cell, rows, filed = [], None, [], []
    for r in range(top):
        if is_empty_row(filled[r]):
            continue
        rows.append(grid.numbers[r])
        label = False  # the cell right of a bare '填报单位：' is its value, not a title
        for c, v in enumerate(filled[r]):
            t = header_text(v).strip()
            if label and t:
                filed[-1] += t
                label = False
                continue
            if t and _FILLED_BY.search(_norm(t)):
                filed.append(t)
                label = bool(re.search(r"[:：]$", t))
                continue
            if t and t not in texts:
                texts.append(t)
                if cell is None and grid.excel:
                    cell = f"{column_letter(c)}{grid.numbers[r]}"
    if rows:
        skipped.append({"rows": rows, "why": "above_header"})
    return " ".join(texts), cell, " ".join(filed)


def _table_columns(filled, grid: Grid, band: list[int], keep_hidden: bool, skipped: list[dict]):
    width = max((len(r) for r in filled), default=0)
    hidden = [] if keep_hidden else sorted(c for c in grid.hidden_cols if c < width)
    if hidden:
        skipped.append({"columns": [column_letter(c) for c in hidden], "why": "hidden_column"})
    below = filled[band[-1] + 1:]
    return [c for c in range(width) if c not in hidden and (
        any(header_text(filled[r][c]).strip() for r in band)
        or any(not is_empty_row([row[c]]) for row in below[:_SCAN_ROWS * 50]))]


def _data_rows(filled, grid: Grid, start: int, cols: list[int], keep_hidden: bool,
               skipped: list[dict]) -> list[int]:
    body: list[int] = []
    hidden, footers = [], []
    for r in range(start, len(filled)):
        row = [filled[r][c] for c in cols]
        if r in grid.hidden_rows and not keep_hidden:
            hidden.append(grid.numbers[r])
            continue
        if is_empty_row(row):
            if body:
                rest = [grid.numbers[k] for k in range(r + 1, len(filled)) if not is_empty_row(filled[k])]
                if rest:
                    skipped.append({"rows": rest, "why": "below_table", "after": grid.numbers[r]})
                break
            continue
        first = next(header_text(v).strip() for v in row if header_text(v).strip())
        if FOOTER.match(re.sub(r"\s+", "", first)):
            footers.append(grid.numbers[r])
            continue
        body.append(r)
    if hidden:
        skipped.append({"rows": hidden, "why": "hidden_row"})
    if footers:
        skipped.append({"rows": footers, "why": "footer"})
    return body


def matching(texts: Collection[str]) -> Callable[[str], bool]:
    """A ``score`` for :func:`read_ledger` from a set of expected header texts.

    Returns
    -------
    callable
        ``score(normalised text) -> bool``: True for one of ``texts`` (NFKC,
        spaces removed, lower case).
    """
    wanted = {_norm(t) for t in texts}
    return lambda t: t in wanted

