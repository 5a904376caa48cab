"""An .xlsx/.xlsm checked before any parser opens it: the container, then where its cells are.

:func:`inspect_xlsx` runs the checks of :mod:`grouplab.data.readers.limits` on a workbook
(size, first bytes, zip members and ratios, every member streamed once for its CRC) and learns
from the sheet's XML as it streams by where the cells lie. Most sheets end there: the cells form
one block, small enough to read, and calamine reads them. A sheet with cells far beyond its table
(a value typed at ``XFD1048576``, a stray ``x`` a million rows down) gets a second streamed pass
that tells values from empty styled cells and blanks: the table is read up to its last row and
column (:attr:`XlsxCheck.bounds`), empty far cells become a reading note and far values one
problem per direction, never one per empty row.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grouplab.data.problems import problem
from grouplab.data.readers.limits import (
    CHUNK,
    SheetScan,
    cell_name,
    check_magic,
    check_size,
    check_zip,
    current_limits,
    gap_end,
    stream_member,
)
from grouplab.errors import DataError, Problem
from grouplab.errors import damaged_file as _damaged

__all__ = ["XlsxCheck", "inspect_xlsx", "missing_sheet", "xlsx_sheets", "check_workbook"]

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: what zipfile and the XML parser raise on a damaged container: a broken zip, a bad CRC, a member
#: compressed by a method or flagged with encryption zipfile does not read (NotImplementedError,
#: RuntimeError), broken XML
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ET.ParseError, OSError, ValueError,
            NotImplementedError, RuntimeError)
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class XlsxCheck:
    """What :func:`inspect_xlsx` learnt about one sheet of a workbook.

    Attributes
    ----------
    sheets : list of str
        Every sheet, in workbook order; ``visible``: those not hidden.
    sheet, part : str
        The sheet read and the zip member holding its XML.
    scan : SheetScan
        Cells present, rows, columns, error cells.
    bounds : tuple of int or None
        (last row, last column), 1-based, to read when cells beyond them were trimmed; None when
        the sheet is read whole.
    problems : list of Problem
        Far values (one problem below the table, one to its right).
    trimmed : list of dict
        Reading notes ``{"area": {"used": "A1:C7011", "last": "XFD1048576"}, "why": "far_cells"}``.
    implicit : bool
        Some cells carry no reference, so their positions were not checked: read in a child process.
    """

    sheets: list[str]
    visible: list[str]
    sheet: str
    part: str
    scan: SheetScan
    bounds: tuple[int, int] | None = None
    problems: list[Problem] = field(default_factory=list)
    trimmed: list[dict] = field(default_factory=list)
    implicit: bool = False


def missing_sheet(file: str, sheet: str, names: list[str]) -> DataError:
    """The DataError for a sheet the workbook does not have."""
    return DataError([problem("sheet_not_found", file, None, None, sheet, sheets=", ".join(names))])


def _workbook(archive: zipfile.ZipFile) -> list[tuple[str, str, bool]]:
    """(name, zip member, visible) of every sheet, in workbook order."""
    wb = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = []
    for s in wb.iter(f"{_NS}sheet"):
        target = targets[s.get(_REL)]
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out.append((s.get("name"), part, s.get("state", "visible") == "visible"))
    return out


def xlsx_sheets(path: Path, file: str) -> list[str]:
    """Visible sheets of a workbook, in tab order (the container checked, no sheet read)."""
    check_size(path, file)
    check_magic(path, file, path.suffix.lower())
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(archive, file)
            return [name for name, _, visible in _workbook(archive) if visible]
    except DataError:
        raise
    except _DAMAGED as exc:
        raise _damaged(file, path.suffix.lower(), exc) from exc


def check_workbook(path: Path, file: str) -> None:
    """The checks of :func:`inspect_xlsx` on every sheet, for code that reads a whole workbook with
    pandas or openpyxl (which would walk a far cell's whole range): far cells are an error here.

    Raises
    ------
    DataError
        As :func:`inspect_xlsx`, or a sheet with cells far beyond its table (named, with its last cell).
    """
    check_size(path, file)
    check_magic(path, file, path.suffix.lower())
    lim = current_limits()
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(archive, file)
            book = _workbook(archive)
            scans = {part: SheetScan() for _, part, _ in book}
            for info in archive.infolist():
                stream_member(archive, info.filename, scans.get(info.filename))
    except DataError:
        raise
    except _DAMAGED as exc:
        raise _damaged(file, path.suffix.lower(), exc) from exc
    for name, part, _ in book:
        scan = scans[part]
        if scan.far(lim) or scan.last_row * scan.last_col > lim.area or scan.cells > lim.cells:
            last = cell_name(max(scan.last_row, 1), max(scan.last_col, 1))
            raise DataError([problem("cells_far_beyond", file, sheet=name, cell=last, name=name, last=last)])


def inspect_xlsx(path: Path, file: str, sheet: str | None) -> XlsxCheck:
    """Check a workbook within the limits and locate the cells of ``sheet`` (default: the first).

    Raises
    ------
    DataError
        Too large, not a workbook (HTML, CSV, password-protected …), a zip member too large or
        too compressed, a CRC error, no such sheet, or a used range larger than the area limit.
    """
    check_size(path, file)
    check_magic(path, file, path.suffix.lower())
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(archive, file)
            book = _workbook(archive)
            names = [n for n, _, _ in book]
            if sheet is not None and sheet not in names:
                raise missing_sheet(file, sheet, names)
            name, part, _ = book[names.index(sheet) if sheet is not None else 0]
            scan = SheetScan()
            for info in archive.infolist():  # every member, in chunks: CRCs in bounded memory
                stream_member(archive, info.filename, scan if info.filename == part else None)
            check = XlsxCheck(names, [n for n, _, v in book if v], name, part, scan)
            check.implicit = scan.refs < scan.cells
            lim = current_limits()
            if scan.far(lim) or scan.last_row * scan.last_col > lim.area:
                _far_cells(archive, check, file)
    except DataError:
        raise
    except (*_DAMAGED, StopIteration) as exc:
        raise _damaged(file, path.suffix.lower(), exc) from exc
    _check_area(check, file)
    return check


def _check_area(check: XlsxCheck, file: str) -> None:
    lim = current_limits()
    rows, cols = check.bounds or (check.scan.last_row, check.scan.last_col)
    if rows * cols > lim.area:
        raise DataError([problem("used_range_too_large", file, sheet=check.sheet, cell=cell_name(rows, cols),
                                 last=cell_name(rows, cols), n=rows * cols, most=lim.area)])
    if check.scan.cells > lim.cells:
        raise DataError([problem("too_many_cells", file, sheet=check.sheet, n=check.scan.cells,
                                 most=lim.cells)])


# ------------------------------------------------------------------ far cells

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_R = re.compile(rb"\br=\"([A-Z]{1,3})(\d+)\"")
_T = re.compile(rb"\bt=\"(\w+)\"")
_V = re.compile(rb"<(?:\w+:)?(?:v|t)(?:\s[^>]*)?>([^<]*)<", re.S)
_CELL_AT = re.compile(rb"<(?:\w+:)?c\b")


class _Values:
    """Second pass: the value cells (not styled empty ones) and what far ones hold."""

    def __init__(self) -> None:
        self.row_max: dict[int, int] = {}   # row -> last column with a value
        self.col_min: dict[int, int] = {}   # column -> first row with a value
        self.cells: list[tuple[int, int, bytes, bytes]] = []  # (row, col, type, raw value), in order
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk
        starts = [m.start() for m in _CELL_AT.finditer(data, max(0, len(data) - 4 * CHUNK))]
        cut = starts[-1] if starts else len(data)
        self._scan(data[:cut])
        self._tail = data[cut:]

    def close(self) -> None:
        self._scan(self._tail)

    def _scan(self, data: bytes) -> None:
        for m in _CELL.finditer(data):
            body = m.group(2)
            if not body or (b"v>" not in body and b"is>" not in body):
                continue  # a styled cell without a value
            ref = _R.search(m.group(1))
            if ref is None:
                continue
            col = 0
            for ch in ref.group(1):
                col = col * 26 + ch - 64
            row = int(ref.group(2))
            t = _T.search(m.group(1))
            v = _V.search(body)
            self.row_max[row] = max(self.row_max.get(row, 0), col)
            self.col_min[col] = min(self.col_min.get(col, row), row)
            if len(self.cells) < 1_000_000:
                self.cells.append((row, col, t.group(1) if t else b"n", v.group(1) if v else b""))


def _shared(archive: zipfile.ZipFile, wanted: set[int]) -> dict[int, str]:
    """Texts of the shared strings numbered ``wanted``, read as a stream."""
    out: dict[int, str] = {}
    name = next((n for n in archive.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    if not wanted or name is None:
        return out
    last = max(wanted)
    with archive.open(name) as fh:
        k = 0
        for _, el in ET.iterparse(fh, events=("end",)):
            if el.tag == f"{_NS}si":
                if k in wanted:
                    out[k] = "".join(t.text or "" for t in el.iter(f"{_NS}t"))
                k += 1
                el.clear()
                if k > last:
                    break
    return out


def _far_cells(archive: zipfile.ZipFile, check: XlsxCheck, file: str) -> None:
    """Find the table's block, trim what lies beyond it and say what was there."""
    lim = current_limits()
    values = _Values()
    stream_member(archive, check.part, values)
    rows = sorted(values.row_max)
    last_row = gap_end(rows, lim.stray_rows) or (rows[-1] if rows else 1)
    cols = sorted(c for c, r in values.col_min.items() if r <= last_row)
    last_col = gap_end(cols, lim.stray_cols) or (cols[-1] if cols else 1)
    far = [c for c in values.cells if c[0] > last_row or c[1] > last_col]
    texts = _shared(archive, {int(v) for _, _, t, v in far if t == b"s" and v.strip().isdigit()})

    def text(t: bytes, v: bytes) -> str:
        if t == b"s" and v.strip().isdigit():
            return texts.get(int(v), "")
        return v.decode("utf-8", "replace")

    below = [(r, c, text(t, v)) for r, c, t, v in far if r > last_row and text(t, v).strip()]
    right = [(r, c, text(t, v)) for r, c, t, v in far if r <= last_row and text(t, v).strip()]
    check.bounds = (last_row, last_col)
    scan = check.scan
    if scan.last_row > last_row or scan.last_col > last_col:
        check.trimmed.append({"area": {"used": f"A1:{cell_name(last_row, last_col)}",
                                       "last": cell_name(scan.last_row, scan.last_col)}, "why": "far_cells"})
    for cells, where in ((below, "below"), (right, "right")):
        if not cells:
            continue
        r, c, v = cells[0]
        gap = r - last_row - 1 if where == "below" else c - last_col - 1
        many, many_zh = ((f"{len(cells):,} stray values from", f" {len(cells):,} 个零散的值，第一个")
                         if len(cells) > 1 else ("stray value at", "一个零散的值，"))
        code = "stray_below" if where == "below" else "stray_right"
        check.problems.append(problem(code, file, r, None, v[:50], sheet=check.sheet,
                                      cell=cell_name(r, c), many=many, many_zh=many_zh, at=cell_name(r, c),
                                      gap=gap))
