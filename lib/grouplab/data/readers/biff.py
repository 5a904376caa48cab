"""The layout of an ``.xls`` (BIFF8) sheet: merged cells, hidden rows and hidden columns.

calamine reads the values of an ``.xls`` file but not which rows and columns are
hidden, so a ledger's hidden rows would be read as data. This module reads the
few records that say so straight from the file: the OLE2 compound file holding
the ``Workbook`` stream ([MS-CFB]), then in it the sheet list (BOUNDSHEET8), and
in each sheet's records ROW (``fDyZero``: hidden row), COLINFO (``fHidden``) and
MERGEDCELLS ([MS-XLS] 2.4.221, 2.4.53, 2.4.168). Nothing is written.

References
----------
[MS-CFB] Compound File Binary File Format; [MS-XLS] Excel Binary File Format (.xls) Structure.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["XlsLayout", "xls_layout", "xls_sheets", "workbook_stream"]

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_END = 0xFFFFFFFE
_BOF, _EOF, _BOUNDSHEET, _ROW, _COLINFO, _MERGED = 0x0809, 0x000A, 0x0085, 0x0208, 0x007D, 0x00E5


@dataclass(frozen=True)
class XlsLayout:
    """Layout of one sheet: 0-based hidden rows and columns, merged ranges (row0, col0, row1, col1)."""

    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def _stream(data: bytes, names: tuple[str, ...]) -> bytes:
    """The bytes of the first stream called one of ``names`` in an OLE2 compound file."""
    if data[:8] != _SIGNATURE:
        raise ValueError("not an OLE2 compound file")
    ssize = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini = 1 << struct.unpack_from("<H", data, 0x20)[0]
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, _, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)

    def sector(n: int) -> bytes:
        return data[(n + 1) * ssize:(n + 2) * ssize]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    nxt = first_difat
    for _ in range(n_difat):
        block = struct.unpack(f"<{ssize // 4}I", sector(nxt))
        difat += block[:-1]
        nxt = block[-1]
    fat: list[int] = []
    for s in difat[:n_fat]:
        fat += struct.unpack(f"<{ssize // 4}I", sector(s))

    def chain(start: int, table: list[int]) -> list[int]:
        out, n = [], start
        while n < len(table) and n != _END and len(out) <= len(table):
            out.append(n)
            n = table[n]
        return out

    directory = b"".join(sector(s) for s in chain(first_dir, fat))
    entries = []
    for off in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, off + 64)[0]
        name = directory[off:off + max(length - 2, 0)].decode("utf-16-le", "replace")
        start, size = struct.unpack_from("<II", directory, off + 116)
        entries.append((name, directory[off + 66], start, size))
    root = entries[0]
    for name, kind, start, size in entries:
        if kind != 2 or name not in names:
            continue
        if size >= cutoff:
            return b"".join(sector(s) for s in chain(start, fat))[:size]
        minifat: list[int] = []
        for s in chain(first_minifat, fat):
            minifat += struct.unpack(f"<{ssize // 4}I", sector(s))
        ministream = b"".join(sector(s) for s in chain(root[2], fat))
        return b"".join(ministream[m * mini:(m + 1) * mini] for m in chain(start, minifat))[:size]
    raise ValueError("no Workbook stream")


def _records(book: bytes, start: int):
    """(type, data) of the records of the substream starting at ``start`` (BOF … EOF)."""
    pos = start
    while pos + 4 <= len(book):
        rtype, length = struct.unpack_from("<HH", book, pos)
        yield rtype, book[pos + 4:pos + 4 + length]
        pos += 4 + length
        if rtype == _EOF:
            return


def _sheet_list(book: bytes) -> list[tuple[str, int, bool]]:
    """(name, stream offset, visible) of each worksheet, in tab order."""
    out = []
    for rtype, rec in _records(book, 0):
        if rtype != _BOUNDSHEET:
            continue
        offset, state, kind, cch, high = struct.unpack_from("<IBBBB", rec, 0)
        raw = rec[8:8 + cch * (2 if high & 1 else 1)]
        name = raw.decode("utf-16-le") if high & 1 else raw.decode("latin-1")
        if kind == 0:  # a worksheet (not a chart or macro sheet)
            out.append((name, offset, (state & 0x03) == 0))
    return out


def workbook_stream(path: str | Path) -> bytes:
    """The BIFF records of an ``.xls`` file (its ``Workbook`` stream), as stored.

    Raises
    ------
    ValueError
        Not an OLE2 compound file, or no Workbook stream.
    """
    return _stream(Path(path).read_bytes(), ("Workbook", "Book"))


def xls_sheets(path: str | Path) -> list[tuple[str, bool]]:
    """Worksheets of an ``.xls`` file and whether each is visible, in tab order.

    Raises
    ------
    ValueError
        Not a BIFF8 workbook this module can read.
    """
    book = workbook_stream(path)
    return [(name, visible) for name, _, visible in _sheet_list(book)]


def xls_layout(path: str | Path, sheet: str | None = None) -> XlsLayout:
    """Hidden rows, hidden columns and merged ranges of one sheet (default: the first).

    Returns
    -------
    XlsLayout
        0-based rows and columns.

    Raises
    ------
    ValueError
        Not a BIFF8 workbook this module can read, or no such sheet.
    """
    book = workbook_stream(path)
    sheets = _sheet_list(book)
    found = [off for name, off, _ in sheets if sheet is None or name == sheet]
    if not found:
        raise ValueError(f"no sheet {sheet!r}")
    layout = XlsLayout()
    for rtype, rec in _records(book, found[0]):
        if rtype == _ROW and len(rec) >= 16:
            row, flags = struct.unpack_from("<H", rec, 0)[0], struct.unpack_from("<H", rec, 12)[0]
            if flags & 0x20:
                layout.hidden_rows.add(row)
        elif rtype == _COLINFO and len(rec) >= 10:
            first, last, _, _, flags = struct.unpack_from("<HHHHH", rec, 0)
            if flags & 0x01:
                layout.hidden_cols.update(range(first, min(last, 255) + 1))
        elif rtype == _MERGED and len(rec) >= 2:
            (n,) = struct.unpack_from("<H", rec, 0)
            for k in range(min(n, (len(rec) - 2) // 8)):
                r0, r1, c0, c1 = struct.unpack_from("<HHHH", rec, 2 + 8 * k)
                layout.merges.append((r0, c0, r1, c1))
    return layout
