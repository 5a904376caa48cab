"""Text tables (CSV/TSV/TXT): encoding sniffing, mixed-encoding and delimiter detection.

Used by :func:`grouplab.data.readers.base.read_raw`; files are only opened for reading.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd

from grouplab.data.problems import problem
from grouplab.errors import DataError

#: Characters Python's ``str.strip()`` removes (``str.isspace``), for arrow's trim kernel.
PY_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
                 "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_DELIMITERS = [",", "\t", ";", "|"]

def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode(data: bytes, file: str, encoding: str | None) -> tuple[str, str]:
    """Decode bytes with the declared or sniffed encoding; raise DataError if impossible."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise DataError([problem("unknown_encoding", file, encoding=encoding)]) from None
        except UnicodeDecodeError as exc:
            raise _decode_error(data, file, exc, encoding) from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _decode_error(data, file, exc, "utf-8-sig") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _decode_error(data, file, exc, "utf-16") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_exc:
        first_bad = utf8_exc
    _check_mixed(data, file, first_bad)
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise _decode_error(data, file, first_bad, "UTF-8 or GB18030") from None


def _decode_error(data: bytes, file: str, exc: UnicodeDecodeError, tried: str) -> DataError:
    line = _line_of(data, exc.start)
    bad = data[exc.start : exc.start + 4]
    return DataError(
        [
            problem(
                "undecodable_text",
                file,
                line,
                None,
                bad.hex(" "),
                tried=tried, line=line, offset=exc.start,
            )
        ]
    )


# A line that decodes as UTF-8 only to 2-byte Latin/IPA/Greek/Cyrillic letters (U+0080–U+07FF) and ASCII
# is as likely GB18030 text whose byte pairs happen to form UTF-8; real UTF-8 Chinese uses 3-byte characters.
_GB_LOOKALIKE = re.compile(r"[\x00-\u07ff]*")


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _check_mixed(data: bytes, file: str, utf8_error: UnicodeDecodeError) -> None:
    """Raise if some non-ASCII lines are UTF-8 while the first non-UTF-8 line is GB18030."""
    utf8_line = None
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.isascii():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _GB_LOOKALIKE.fullmatch(text) and _decodes(raw, "gb18030"):
            continue  # e.g. 十 in GB18030 (CA AE) is also valid UTF-8 (ʮ): not evidence of UTF-8
        utf8_line = number
        break
    if utf8_line is None:
        return
    bad_line = _line_of(data, utf8_error.start)
    try:
        data.split(b"\n")[bad_line - 1].decode("gb18030")
    except UnicodeDecodeError:
        return  # not GB18030 either: reported as undecodable bytes
    raise DataError(
        [
            problem(
                "mixed_encodings",
                file,
                bad_line,
                None,
                utf8_line=utf8_line, line=bad_line,
            )
        ]
    )


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the header into most fields consistently.

    Score per candidate: share of the first records (up to 10) with as many
    fields as the header, then the header's field count; ties keep the order
    , tab ; | . Falls back to ',' when nothing splits the header.
    """
    sample = text[:20000]
    best, best_score = ",", (0.0, 1)
    for d in _DELIMITERS:
        try:
            records = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=d) if r]
        except csv.Error:
            continue
        if len(sample) < len(text):
            records = records[:-1]  # the last one may be cut off
        records = records[:10]
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        score = (sum(len(r) == width for r in records) / len(records), width)
        if score > best_score:
            best, best_score = d, score
    return best


def _read_arrow(data: bytes, text: str, used: str, delimiter: str) -> pd.DataFrame | None:
    """The file as a grid (one ``string[pyarrow]`` column per field, <NA> for empty) via
    pyarrow's multithreaded CSV reader, or None when the file needs the careful reader.

    The fast path is taken only for rectangular files in which every record is one
    line (no value spans lines, no blank line, no NUL): then pyarrow's parse equals
    the ``csv`` module's and record ``i`` is line ``i + 1``. Anything else (ragged
    rows, title lines, unclosed quotes, …) returns None, and the ``csv`` module
    reader produces its exact row numbers and messages.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    # checks on the UTF-8 bytes (memchr-fast, no copy of the text)
    raw = data[3:] if used == "utf-8-sig" else data if used == "utf-8" else text.encode("utf-8")
    if not text or b"\x00" in raw or (b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n")):
        return None
    nl = raw.find(b"\n")
    head = (raw if nl < 0 else raw[:nl]).decode("utf-8")
    first = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), None)
    if not first or (len(first) == 1 and b'"' in raw):
        return None  # one column: a quoted line break would go unnoticed
    names = [f"f{i}" for i in range(len(first))]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(raw),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=False,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.large_string()),
                                                 null_values=[""], strings_can_be_null=True,
                                                 quoted_strings_can_be_null=True))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    lines = raw.count(b"\n") + (not raw.endswith(b"\n"))
    if table.num_rows != lines:
        return None
    # arrow-backed string columns (large_string, as pandas keeps them: no cast): no Python object per cell
    return pd.DataFrame({i: pd.arrays.ArrowStringArray(table.column(i))
                         for i in range(table.num_columns)})


def read_text_rows(
    path: Path, file: str, encoding: str | None, suffix: str
) -> tuple[list[list[Any]], list[int], str, dict]:
    """Cells of a CSV/TSV/TXT file: rows, their line numbers, the encoding used and the delimiter found."""
    with open(path, "rb") as fh:
        data = fh.read()
    text, used = _decode(data, file, encoding)
    delimiter = "\t" if suffix == ".tsv" else _sniff_delimiter(text)
    meta = {"format": "csv", "delimiter": delimiter}
    grid = _read_arrow(data, text, used, delimiter)
    if grid is not None:
        return grid, range(1, len(grid) + 1), used, meta
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    numbers: list[int] = []
    line = 1
    try:
        for record in reader:
            rows.append([cell if cell != "" else None for cell in record])
            numbers.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(
            [problem("csv_unparsable", file, reader.line_num, None, None,
                     error=str(exc))]
        ) from None
    if rows and any(isinstance(c, str) and "\n" in c for c in rows[-1]):
        # the csv module reads an unclosed quote up to the end of the file without complaint
        start = numbers[-1]
        tail = "\n".join(text.splitlines()[start - 1 :])
        if tail.count('"') % 2:
            raise DataError(
                [problem("unclosed_quote", file, start, None,
                         None)]
            )
    return rows, numbers, used, meta
