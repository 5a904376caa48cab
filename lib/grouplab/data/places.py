"""Long tables read from a workbook sheet: name each problem by file, sheet and cell.

A long (one row per record) table read by :func:`~grouplab.data.readers.base.read_raw`
from a sheet carries the sheet name and the sheet column of each frame column;
:func:`sheet_place` keeps them, and :func:`in_sheet` renames the problems found
while loading (by the reader, the schema or the cross-table checks) so they read
``考评.xlsx, sheet 2019上半年, cell F7 (理论学习（8分）): …`` instead of the
internal label ``考评.xlsx[2019上半年]``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from grouplab.data.ledgers.sheet import column_letter
from grouplab.data.problems import reword
from grouplab.data.readers.base import RawTable
from grouplab.errors import Problem

__all__ = ["SheetPlace", "sheet_place", "in_sheet"]


@dataclass(frozen=True)
class SheetPlace:
    """Where a long table read from a workbook sheet is, to name its problems by sheet and cell.

    Attributes
    ----------
    label : str
        The name the table's problems carry while it is read (``file`` or ``file[sheet]``).
    file, sheet : str
        File name and sheet as the user sees them.
    letters : dict
        Frame column -> column letter of the sheet.
    written : dict
        Frame column -> its header as written in the sheet.
    """

    label: str
    file: str
    sheet: str
    letters: dict[str, str]
    written: dict[str, str]


def sheet_place(raw: RawTable, file: str, columns: list[str] | None = None) -> SheetPlace | None:
    """The :class:`SheetPlace` of a table read by :func:`~grouplab.data.readers.base.read_raw`.

    Parameters
    ----------
    raw : RawTable
        As read (``meta['sheet']`` and ``meta['columns']``, the 0-based sheet
        column of each frame column).
    file : str
        The file name as the user knows it.
    columns : list of str, optional
        The frame's columns after a rename (same order), also mapped.

    Returns
    -------
    SheetPlace or None
        None for a file without sheets (CSV, Parquet, SPSS).
    """
    sheet, positions = raw.meta.get("sheet"), raw.meta.get("columns")
    if sheet is None or positions is None or len(positions) != raw.frame.shape[1]:
        return None
    names = list(raw.frame.columns)
    letters = {str(n): column_letter(int(c)) for n, c in zip(names, positions, strict=True)}
    written = {str(n): (str(h).strip() or str(n)) for n, h in zip(names, raw.headers, strict=True)}
    for old, new in zip(names, columns or [], strict=False):
        letters.setdefault(str(new), letters[str(old)])
        written.setdefault(str(new), written[str(old)])
    return SheetPlace(raw.file, file, str(sheet), letters, written)


def in_sheet(problems: list[Problem], places: dict[str, SheetPlace]) -> list[Problem]:
    """Problems of long tables named by file, sheet and cell (``考评.xlsx, sheet 2019上半年, cell F7``).

    Parameters
    ----------
    problems : list of Problem
        As found; those of a table in ``places`` (by their ``file`` label) and
        not yet naming a sheet are renamed, the others are returned unchanged.
    places : dict
        Label -> :class:`SheetPlace`.

    Returns
    -------
    list of Problem
        Same order; ``file`` without ``[sheet]``, ``sheet`` set, ``cell`` set
        when the problem has a row and a column of the sheet, ``column`` the
        header as written; a duplicate key found in another sheet's row
        (``also in 考评.xlsx[2019下半年] row 5``) names it the same way.
    """
    if not places:
        return list(problems)
    out = []
    for p in problems:
        other = places.get(p.values.get("other")) if p.code == "duplicate_key_elsewhere" else None
        if other is not None:
            p = reword(p, "duplicate_key_elsewhere_sheet", other=other.file, other_sheet=other.sheet)
        place = places.get(p.file)
        if place is None or p.sheet is not None:
            out.append(p)
            continue
        letter = place.letters.get(p.column) if p.column is not None else None
        cell = f"{letter}{p.row}" if letter and p.row is not None else None
        column = place.written.get(p.column, p.column) if p.column is not None else None
        out.append(replace(p, file=place.file, sheet=place.sheet, cell=cell, column=column))
    return out
