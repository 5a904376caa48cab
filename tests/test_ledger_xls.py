"""Ledgers saved as .xls (Excel 97-2003): merged header bands and hidden rows/columns are read (issue #12).

calamine gives the values of an .xls file only; grouplab.data.readers.biff reads the merged
ranges and the hidden rows and columns from the file's records. The fixture is shape A of
tests/test_ledger.py written by xlwt (tests/data/ledgers/make_xls.py), so the loaded table is
compared cell by cell with the same scores written as a tidy CSV.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from grouplab import DataError, load_dataset
from grouplab.data.readers import ledger
from grouplab.data.readers.biff import xls_layout, xls_sheets
from test_ledger import H1, _dataset, _same, _tidy_evaluations

XLS = Path(__file__).parent / "data" / "ledgers" / "shape_a.xls"
REAL = Path(__file__).resolve().parents[2] / "shared" / "realdata"


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
    assert {"rows": [8], "why": "hidden row"} in how["skipped"]
    assert {"columns": ["Q"], "why": "hidden column"} in how["skipped"]


def test_an_xls_whose_layout_cannot_be_read_is_an_error_not_a_guess(tmp_path, monkeypatch):
    def broken(path, sheet=None):
        raise ValueError("no Workbook stream")

    monkeypatch.setattr(ledger, "xls_layout", broken)
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
