"""Ledgers saved as .xls (Excel 97-2003): merged header bands and hidden rows/columns are read (issue #12).

calamine gives the values of an .xls file only; grouplab.data.readers.biff reads the merged
ranges and the hidden rows and columns from the file's records. The fixture is shape A of
tests/data/ledgers/test_wide.py written by xlwt (tests/fixtures/ledgers/make_xls.py), so the loaded table is
compared cell by cell with the same scores written as a tidy CSV.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from grouplab import DataError, load_dataset
from grouplab.data.readers.biff import workbook_stream, xls_layout, xls_sheets
from test_wide import H1, _dataset, _same, _tidy_evaluations

XLS = Path(__file__).parents[2] / "fixtures" / "ledgers" / "shape_a.xls"
REAL = Path(__file__).resolve().parents[4] / "shared" / "realdata"


def test_layout_of_the_xls_fixture():
    lay = xls_layout(XLS)
    # 0-based: hidden row 7 (the 8th, a dissolved group) and column 16 (Q, the helper 校核:
    # 序号, 党小组, 12 items, 合计, 等级 take A..P)
    assert lay.hidden_rows == {7} and lay.hidden_cols == {16}
    assert (2, 2, 2, 3) in lay.merges          # 思想建设 over C3:D3
    assert (0, 0, 0, 16) in lay.merges         # the title over A1:Q1
    assert xls_sheets(XLS) == [("2019上半年", True)]


def test_xls_shape_a_loads_like_tidy(tmp_path):
    folder = tmp_path / "ledger"
    folder.mkdir()
    shutil.copy(XLS, folder / "考评.xls")
    entry = {"file": "考评.xls", "sheets": "all", "layout": "wide"}
    ds = load_dataset(_dataset(folder, {"evaluations": entry}), cache=False)
    _same(ds["evaluations"], _tidy_evaluations(tmp_path / "tidy", {"2019H1": H1}),
          ["group_id", "period", "item_id"])
    how = ds.reading["evaluations"][0]
    assert how["header_rows"] == [3, 4]
    assert {"rows": [8], "why": "hidden_row"} in how["skipped"]
    assert {"columns": ["Q"], "why": "hidden_column"} in how["skipped"]


def test_an_xls_whose_layout_cannot_be_read_is_an_error_not_a_guess(tmp_path, monkeypatch):
    def broken(path, sheet=None):
        raise ValueError("no Workbook stream")

    import grouplab.data.readers.biff as biff

    monkeypatch.setattr(biff, "xls_layout", broken)  # the .xls reader reads the layout through biff
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(XLS, folder / "考评.xls")
    with pytest.raises(DataError) as info:
        load_dataset(_dataset(folder, {"evaluations": {"file": "考评.xls", "layout": "wide"}}), cache=False)
    (p,) = info.value.problems
    assert (p.file, p.sheet) == ("考评.xls", "2019上半年")
    assert "could be misread" in p.rule and "save it as .xlsx" in p.hint


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/realdata not present")
def test_layout_of_xls_files_written_by_others():
    # 问卷星 exports (BIFF8 written by another program): one visible sheet, no merges, nothing hidden
    for path in sorted(REAL.glob("*.xls")):
        assert xls_sheets(path) == [("Sheet1", True)], path.name
        lay = xls_layout(path)
        assert (lay.hidden_rows, lay.hidden_cols, lay.merges) == (set(), set(), []), path.name


def _small_compound_file(stream: bytes) -> bytes:
    """An OLE2 file whose Workbook stream (< 4096 bytes) lives in the mini stream ([MS-CFB] 2.2-2.6).

    xlwt and Excel pad the Workbook stream to 4096 bytes, so it is always in regular sectors;
    other writers may leave a small one in the mini stream, which this builds by hand.
    """
    import struct

    free, end = 0xFFFFFFFF, 0xFFFFFFFE
    n_mini = -(-len(stream) // 64)
    ministream = stream.ljust(n_mini * 64, b"\0")
    n_data = -(-len(ministream) // 512)
    fat = [0xFFFFFFFD, end, end] + [3 + k + 1 for k in range(n_data - 1)] + [end]
    header = bytearray(512)
    header[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, 2, 1, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *[free] * 108)

    def entry(name: str, kind: int, start: int, size: int) -> bytes:
        e = bytearray(128)
        raw = (name + "\0").encode("utf-16-le")
        e[:len(raw)] = raw
        struct.pack_into("<HBB", e, 64, len(raw), kind, 1)
        struct.pack_into("<III", e, 68, free, free, 1 if kind == 5 else free)
        struct.pack_into("<II", e, 116, start, size)
        return bytes(e)

    directory = entry("Root Entry", 5, 3, len(ministream)) + entry("Workbook", 2, 0, len(stream))
    minifat = [k + 1 for k in range(n_mini - 1)] + [end]
    return b"".join([bytes(header), struct.pack("<128I", *(fat + [free] * (128 - len(fat)))),
                     directory.ljust(512, b"\0"), struct.pack("<128I", *(minifat + [free] * (128 - n_mini))),
                     ministream.ljust(n_data * 512, b"\0")])


def test_layout_of_a_workbook_stream_in_the_mini_stream(tmp_path):
    import struct

    stream = workbook_stream(XLS)
    end, eofs = 0, 0
    while eofs < 2:                                  # the globals' EOF, then the one sheet's EOF
        rtype, length = struct.unpack_from("<HH", stream, end)
        end += 4 + length
        eofs += rtype == 0x000A
    assert end < 4096                                # small enough for the mini stream
    small = tmp_path / "small.xls"
    small.write_bytes(_small_compound_file(stream[:end]))
    assert xls_sheets(small) == xls_sheets(XLS)
    assert xls_layout(small) == xls_layout(XLS)
