"""Bounded reading: what every file is checked against before a parser sees it.

A spreadsheet made by accident or received from others can ask a reader for more than a
machine has: one stray cell at ``XFD1048576`` makes calamine allocate a 1,048,576 × 16,384
grid (512 GB; the interpreter aborts), a zip member of 1.5 GB of zeros fits in 1.7 MB, one
CSV line can hold 2 GB. So, before parsing:

- **every file**: its size (:attr:`Limits.file_bytes`; text files :attr:`Limits.text_bytes`);
  the first bytes must match the suffix (an ``.xlsx`` that is an HTML page, a CSV or a
  password-protected OLE2 file is named as such);
- **zip containers** (``.xlsx``/``.xlsm``): the number of members, each member's declared
  uncompressed size and compression ratio; then every member is read once **in chunks**
  (1 MiB), which checks its CRC in bounded memory, and the sheet's XML is scanned as it streams
  (:class:`SheetScan`): cells present, the last row and column holding a cell, error cells;
- **text**: the longest line, streamed (:func:`check_text`);
- **YAML** (``dataset.yml``, specs): nesting depth and the size of the document once its aliases
  are expanded, counted from the parser's events before any object is built
  (:func:`grouplab.data.specs.check_yaml`).

What exceeds a limit is a :class:`~grouplab.errors.DataError` naming the file, sheet and the
offending cell or member. The limits are documented on :class:`Limits`; a dataset may raise them
in ``dataset.yml`` (``limits: {cells: 80000000}``) and code with :func:`reading_limits`.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import re
import zipfile
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grouplab.data.problems import problem
from grouplab.errors import DataError

__all__ = ["Limits", "current_limits", "reading_limits", "limits_from_manifest", "check_size",
           "check_magic", "check_zip", "check_text", "SheetScan", "cell_name", "CHUNK", "size_text",
           "gap_end", "stream_member"]

CHUNK = 1 << 20  # bytes read at a time from a zip member or a text file
_MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Limits every file is checked against before it is parsed.

    The defaults pass every real file in the tests and ``shared/realdata`` with a wide margin
    (the largest: 1,000,000 CSV rows, 90 MB; 1,290 × 81 xlsx cells) and keep a file's peak
    memory within about 4 GB.

    Attributes
    ----------
    file_bytes : int
        Size of a binary file (``.xlsx``, ``.xls``, ``.sav``, ``.parquet``): 512 MiB.
    text_bytes : int
        Size of a CSV/TSV/TXT file, read whole: 1 GiB.
    line_bytes : int
        One line of a text file: 16 MiB (a CSV field is at most 128 KiB already).
    members : int
        Members of a zip container: 10,000.
    member_bytes : int
        Declared uncompressed size of one zip member: 1 GiB (an 8-million-cell sheet is ~300 MB).
    member_ratio : float
        Uncompressed / compressed size of a member larger than ``ratio_floor``: 200 (sheet XML
        compresses 5–30×; a zip bomb, 1,000× and more).
    ratio_floor : int
        Members smaller than this (16 MiB) may have any ratio.
    cells : int
        Cells present in one sheet's XML: 50,000,000.
    area : int
        Rows × columns of the used range read into memory: 30,000,000 (Excel's own limit is
        1,048,576 × 16,384).
    stray_rows, stray_cols : int
        A gap of more empty rows (columns) than this, and more than the table above it (left of
        it) has, separates stray far cells from the table: 1,000 rows, 100 columns.
    yaml_bytes, yaml_depth, yaml_nodes : int
        A YAML file's size (8 MiB), nesting depth (64) and number of nodes with its aliases
        expanded (1,000,000).
    child_memory : int
        Address-space limit of the child process that reads ``.xls`` and unusual ``.xlsx``
        files: 8 GiB.
    """

    file_bytes: int = 512 * _MB
    text_bytes: int = 1024 * _MB
    line_bytes: int = 16 * _MB
    members: int = 10_000
    member_bytes: int = 1024 * _MB
    member_ratio: float = 200.0
    ratio_floor: int = 16 * _MB
    cells: int = 50_000_000
    area: int = 30_000_000
    stray_rows: int = 1_000
    stray_cols: int = 100
    yaml_bytes: int = 8 * _MB
    yaml_depth: int = 64
    yaml_nodes: int = 1_000_000
    child_memory: int = 8192 * _MB


_DEFAULT = Limits()
_CURRENT: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("grouplab_limits", default=None)


def current_limits() -> Limits:
    """The limits in force (the defaults unless :func:`reading_limits` changed them)."""
    return _CURRENT.get() or _DEFAULT


@contextlib.contextmanager
def reading_limits(limits: Limits | None = None, **changes: Any) -> Iterator[Limits]:
    """Read with other limits inside a ``with`` block.

    Examples
    --------
    >>> with reading_limits(line_bytes=1024) as lim:
    ...     lim.line_bytes, current_limits().line_bytes
    (1024, 1024)
    >>> current_limits().line_bytes == Limits().line_bytes
    True
    """
    new = dataclasses.replace(limits or current_limits(), **changes)
    token = _CURRENT.set(new)
    try:
        yield new
    finally:
        _CURRENT.reset(token)


def limits_from_manifest(value: Any, file: str = "dataset.yml") -> Limits:
    """The limits a manifest's ``limits:`` mapping sets (positive numbers, known names only).

    Raises
    ------
    DataError
        Not a mapping, an unknown name or a value that is not a positive number.
    """
    base = current_limits()
    if value is None:
        return base
    names = [f.name for f in dataclasses.fields(Limits)]
    if not isinstance(value, Mapping):
        raise DataError([problem("limits_not_mapping", file, None, "limits", value, names=", ".join(names))])
    changes, problems = {}, []
    for k, v in value.items():
        if k not in names:
            problems.append(problem("unknown_limit", file, None, f"limits.{k}", k, names=", ".join(names)))
        elif isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
            problems.append(problem("limit_not_positive", file, None, f"limits.{k}", v))
        else:
            changes[k] = type(getattr(base, k))(v)
    if problems:
        raise DataError(problems)
    return dataclasses.replace(base, **changes)


def size_text(n: float) -> str:
    """A byte count as people read it (``1.5 GB``)."""
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


def cell_name(row: int, col: int) -> str:
    """Excel name of 1-based ``row`` and ``col``.

    Examples
    --------
    >>> cell_name(1048576, 16384), cell_name(7, 6)
    ('XFD1048576', 'F7')
    """
    letters, n = "", col
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return f"{letters}{row}"


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


# ------------------------------------------------------------------ every file


def check_size(path: Path, file: str, *, text: bool = False) -> int:
    """The file's size; a DataError when it exceeds ``text_bytes`` (text) or ``file_bytes``."""
    lim = current_limits()
    size = path.stat().st_size
    most = lim.text_bytes if text else lim.file_bytes
    if size > most:
        name = "text_bytes" if text else "file_bytes"
        raise DataError([problem("file_too_large", file, size=size_text(size), most=size_text(most),
                                 name=name)])
    return size


_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def check_magic(path: Path, file: str, suffix: str) -> None:
    """Check that the first bytes match ``suffix`` (``.xlsx`` or ``.xls``); a DataError that says what
    the file really is otherwise (HTML, CSV/text, password-protected, the other Excel format)."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    zipped = suffix in (".xlsx", ".xlsm")
    if (zipped and head.startswith(b"PK")) or (not zipped and head.startswith(_OLE)):
        return
    if head.startswith(_OLE) and zipped:
        data = path.read_bytes()  # size checked before: bounded
        if _ENCRYPTED in data or "EncryptionInfo".encode("utf-16-le") in data:
            raise DataError([problem("workbook_encrypted", file, suffix=suffix)])
        code, kind = "xls_named_xlsx", {}
    else:
        en, zh = _looks_like(head)
        code, kind = "not_this_format", {"kind": en, "kind_zh": zh}
    raise DataError([problem(code, file, None, None, head[:40].decode("utf-8", "replace").strip() or None,
                             suffix=suffix, **kind)])


#: what a file really is, in English and Chinese (the ``kind`` of a ``not_this_format`` problem)
_KINDS = {"empty": ("empty", "空文件"),
          "html": ("an HTML page (a web export renamed)", "网页导出的 HTML 文件，只是改了后缀"),
          "xml": ("an XML file (perhaps Excel 2003 XML Spreadsheet)",
                  "XML 文件，可能是 Excel 2003 XML 表格"),
          "zip": ("a zip archive", "zip 压缩包"),
          "ole": ("an OLE2 (Office 97-2003) file", "OLE2 格式的 Office 97-2003 文件"),
          "pdf": ("a PDF document", "PDF 文档"), "text": ("plain text (CSV?)", "纯文本，可能是 CSV"),
          "unknown": ("of an unknown kind", "未知类型的文件")}


def _looks_like(head: bytes) -> tuple[str, str]:
    """What the file starting with ``head`` is, in English and Chinese (:data:`_KINDS`)."""
    return _KINDS[_kind_of(head)]


def _kind_of(head: bytes) -> str:
    if not head.strip(b"\xef\xbb\xbf \t\r\n\x00"):
        return "empty"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")):
        return "html"
    if text.startswith(b"<?xml"):
        return "xml"
    if head.startswith(b"PK"):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    try:
        head.decode("utf-8")
        return "text"
    except UnicodeDecodeError:
        return "unknown"


# ------------------------------------------------------------------ text


def check_text(path: Path, file: str) -> None:
    """Size and longest line of a text file, streamed: a DataError above ``text_bytes``/``line_bytes``.

    Only two ``find`` calls per 1 MiB chunk: a line longer than the limit spans a chunk without
    a line break or runs from the last break of one chunk to the first of a later one.
    """
    check_size(path, file, text=True)
    most, start, line, pos = current_limits().line_bytes, 0, 1, 0  # start: offset of the current line
    with open(path, "rb") as fh:
        while chunk := fh.read(max(CHUNK, 1)):
            first = chunk.find(b"\n")
            if first < 0:
                if pos + len(chunk) - start > most:
                    raise _long_line(file, line, most)
            else:
                if pos + first - start > most:
                    raise _long_line(file, line, most)
                line += chunk.count(b"\n")
                start = pos + chunk.rfind(b"\n") + 1
            pos += len(chunk)


def _long_line(file: str, line: int, most: int) -> DataError:
    return DataError([problem("line_too_long", file, line, line=line, most=size_text(most))])


# ------------------------------------------------------------------ zip containers


def check_zip(archive: zipfile.ZipFile, file: str) -> None:
    """Member count, declared sizes and ratios of a zip container, before anything is decompressed.

    Raises
    ------
    DataError
        Too many members, or a member (named) larger or more compressed than the limits allow.
    """
    lim = current_limits()
    infos = archive.infolist()
    if len(infos) > lim.members:
        raise DataError([problem("too_many_parts", file, n=len(infos), most=lim.members)])
    for info in infos:
        size, packed = info.file_size, max(info.compress_size, 1)
        if size > lim.member_bytes:
            raise _member(file, info.filename, "part_too_large", size=size_text(size),
                          most=size_text(lim.member_bytes))
        if size > lim.ratio_floor and size / packed > lim.member_ratio:
            raise _member(file, info.filename, "part_too_compressed", ratio=size / packed,
                          packed=size_text(packed), size=size_text(size), most=lim.member_ratio)


def _member(file: str, member: str, code: str, **values: Any) -> DataError:
    return DataError([problem(code, file, None, None, member, member=member, **values)])


def stream_member(archive: zipfile.ZipFile, name: str, scan: SheetScan | None = None) -> None:
    """Read one member in 1 MiB chunks (zipfile checks its CRC at the end), feeding ``scan``."""
    with archive.open(name) as fh:
        while chunk := fh.read(CHUNK):
            if scan is not None:
                scan.feed(chunk)
    if scan is not None:
        scan.close()


_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_R = re.compile(rb"\br=\"(\d+)\"")
_HIDDEN = re.compile(rb"\bhidden=\"(?:1|true)\"")
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_MINMAX = re.compile(rb"\bmin=\"(\d+)\"[^>]*?\bmax=\"(\d+)\"")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_CELL_START = re.compile(rb"<(?:\w+:)?c[\s>/]")
_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})(\d+)\"")
_DIM = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([^\"]*)\"")
_FAST_REF = re.compile(rb"<c r=\"([A-Z]{1,3})[0-9]")
_FAST_ROW = re.compile(rb"<row r=\"([0-9]+)\"")


class SheetScan:
    """What a sheet's XML holds, learnt while it streams by in chunks (nothing is kept but numbers).

    Attributes
    ----------
    cells : int
        Cell elements present (styled empty cells included).
    refs : int
        Cells carrying a reference (``r="F7"``); fewer than ``cells`` means positions are implicit.
    rows : list of int
        Row numbers of the row elements, in order.
    last_col : int
        Largest 1-based column referenced.
    col_counts : dict
        Column -> cells referencing it (columns only; cheap).
    dimension : str or None
        The declared ``<dimension ref>`` (not trusted: only reported).
    errors : bool
        Some cell has type ``e`` (an Excel error such as ``#DIV/0!``).
    merges, hidden_rows, hidden_cols
        Merged ranges (0-based row0, col0, row1, col1) and 0-based hidden rows and columns.
    """

    def __init__(self) -> None:
        self.cells = self.refs = self.last_col = 0
        self.rows: list[int] = []
        self.col_counts: dict[int, int] = {}
        self.dimension: str | None = None
        self.errors = False
        self.merges: list[tuple[int, int, int, int]] = []
        self.hidden_rows: set[int] = set()
        self.hidden_cols: set[int] = set()
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk
        cut = data.rfind(b">") + 1  # whole tags only; the rest waits for the next chunk
        if cut == 0 and len(data) > 64 * CHUNK:
            cut = len(data)  # no tag end in 64 MiB: count what is there
        self._scan(data[:cut])
        self._tail = data[cut:]

    def close(self) -> None:
        self._scan(self._tail)
        self._tail = b""

    def _scan(self, data: bytes) -> None:
        if not data:
            return
        if self.dimension is None and b"dimension" in data and (m := _DIM.search(data)):
            self.dimension = m.group(1).decode("ascii", "replace")
        if b":c" in data or b":row" in data:  # namespace prefixes (x:c): the general patterns
            cells, refs, rows = _CELL_START.findall(data), _REF.findall(data), _ROW.findall(data)
            self.cells += len(cells)
        else:  # the common case: literal-prefixed patterns, several times faster
            self.cells += data.count(b"<c ") + data.count(b"<c>")
            refs = _FAST_REF.findall(data)
            if len(refs) < data.count(b"<c "):  # r not the first attribute somewhere
                refs = _REF.findall(data)
            rows = _FAST_ROW.findall(data) if b"hidden" not in data else []
            if len(rows) < data.count(b"<row "):  # hidden rows, or r not the first attribute
                rows = _ROW.findall(data)
        self._rows(rows)
        if b"hidden" in data:
            for attrs in _COL.findall(data):
                if _HIDDEN.search(attrs) and (m := _MINMAX.search(attrs)):
                    first, last = int(m.group(1)), min(int(m.group(2)), 16384)
                    self.hidden_cols.update(range(first - 1, last))
        if b"mergeCell" in data:
            for c0, r0, c1, r1 in _MERGE.findall(data):
                self.merges.append((int(r0) - 1, _col_number(c0) - 1,
                                    int(r1 or r0) - 1, _col_number(c1 or c0) - 1))
        letters = Counter(c[0] for c in refs) if refs and isinstance(refs[0], tuple) else Counter(refs)
        for col, n in letters.items():
            j = _col_number(col)
            self.col_counts[j] = self.col_counts.get(j, 0) + n
            self.refs += n
            self.last_col = max(self.last_col, j)
        self.errors = self.errors or b't="e"' in data

    def _rows(self, rows: list[bytes]) -> None:
        """Row numbers (and hidden rows) from row elements' numbers or attributes."""
        if rows and rows[0][:1].isdigit():
            self.rows.extend(map(int, rows))
            return
        for attrs in rows:
            if (r := _ROW_R.search(attrs)) is not None:
                self.rows.append(int(r.group(1)))
                if b"hidden" in attrs and _HIDDEN.search(attrs):
                    self.hidden_rows.add(int(r.group(1)) - 1)

    @property
    def last_row(self) -> int:
        return max(self.rows, default=0)

    def far(self, lim: Limits) -> bool:
        """Whether cells lie beyond a gap of empty rows or columns wider than the limits allow."""
        return gap_end(sorted(set(self.rows)), lim.stray_rows) is not None or \
            gap_end(sorted(self.col_counts), lim.stray_cols) is not None


def gap_end(positions: list[int], least: int) -> int | None:
    """The last position before the first gap wider than ``least`` and than the span before it.

    Examples
    --------
    >>> gap_end([*range(1, 7001), 1048576], 1000), gap_end([1, 2, 3, 7000], 1000)
    (7000, 3)
    >>> gap_end([1, 2, 3, 900], 1000), gap_end([], 5)
    (None, None)
    """
    for k in range(1, len(positions)):
        gap = positions[k] - positions[k - 1] - 1
        if gap > least and gap > positions[k - 1]:
            return positions[k - 1]
    return None
