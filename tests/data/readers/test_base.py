"""Tests of grouplab.data.readers.base: raw cells, row numbers and clear DataErrors.

Fixtures are written into tmp_path by each test; expected values are read
off the fixture by hand (the row a text editor or Excel shows).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import pytest
from grouplab.data.readers.base import RawTable, object_cells, read_raw, read_sav
from grouplab.errors import DataError

REALDATA = Path(__file__).resolve().parents[4] / "shared" / "realdata"  # ../shared beside the checkout
SAV = REALDATA / "spss_meoweggs_data0_platformexport_utf8.sav"
needs_realdata = pytest.mark.skipif(not SAV.is_file(), reason="shared realdata folder absent")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_unchanged(path: Path, **kw) -> RawTable:
    """read_raw, asserting the raw file's bytes are untouched."""
    before = sha(path)
    try:
        return read_raw(path, **kw)
    finally:
        assert sha(path) == before


def raises_unchanged(path: Path, **kw) -> DataError:
    before = sha(path)
    with pytest.raises(DataError) as info:
        read_raw(path, **kw)
    assert sha(path) == before
    return info.value


def xlsx(path: Path, rows: list[list], *, sheets: dict[str, list[list]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    for row in rows:
        ws.append(row)
    for name, more in (sheets or {}).items():
        extra = wb.create_sheet(name)
        for row in more:
            extra.append(row)
    wb.save(path)
    return path


# ---------------------------------------------------------------- CSV


def test_utf8_csv_cells_are_strings_and_empty_is_none(tmp_path):
    p = tmp_path / "groups.csv"
    p.write_bytes("党小组编号,人数,成立日期\nG01,007,\nG02, 5 ,2019/5/13\n".encode())
    t = read_unchanged(p)
    assert t.encoding == "utf-8"
    assert t.file == "groups.csv" and t.first_row == 2 and t.meta["delimiter"] == ","
    assert list(t.frame.columns) == ["党小组编号", "人数", "成立日期"]
    assert t.frame.to_dict("list") == {
        "党小组编号": ["G01", "G02"],
        "人数": ["007", " 5 "],  # nothing coerced or stripped
        "成立日期": [None, "2019/5/13"],
    }
    # text stays arrow-backed (no Python object per cell); object_cells gives None for empty
    assert all(dt == pd.StringDtype("pyarrow") for dt in t.frame.dtypes)
    assert object_cells(t).frame["成立日期"].tolist() == [None, "2019/5/13"]
    assert list(t.meta["row_numbers"]) == [2, 3]


def test_utf8_bom_and_header_whitespace(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes("\ufeff\u3000单位编号 ;名称\t\nU1;一厂\n".encode())
    t = read_unchanged(p)
    assert t.encoding == "utf-8-sig"
    assert t.meta["delimiter"] == ";"
    assert list(t.frame.columns) == ["单位编号", "名称"]
    assert t.headers == ["\u3000单位编号 ", "名称\t"]


def test_gb18030_chinese_headers_and_tab_delimiter(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes("单位编号\t单位名称\nU1\t采油一厂\n".encode("gb18030"))
    t = read_unchanged(p)
    assert t.encoding == "gb18030" and t.meta["delimiter"] == "\t"
    assert t.frame.loc[0, "单位名称"] == "采油一厂"


def test_wrong_declared_encoding_names_line_and_offset(tmp_path):
    p = tmp_path / "gbk.csv"
    p.write_bytes(b"a,b\n1,2\n" + "3,采油\n".encode("gb18030"))
    err = raises_unchanged(p, encoding="utf-8")
    (prob,) = err.problems
    assert prob.file == "gbk.csv" and prob.row == 3
    msg = str(err)
    assert "not valid utf-8" in msg and "line 3" in msg and "byte offset 10" in msg
    assert "GB18030" in msg and "encoding:" in msg


def test_mixed_encodings_are_an_error(tmp_path):
    p = tmp_path / "mixed.csv"
    p.write_bytes("单位编号,名称\n".encode() + "U1,一厂\n".encode() + "U2,二厂\n".encode("gb18030"))
    err = raises_unchanged(p)
    (prob,) = err.problems
    assert prob.row == 3
    assert "mixed encodings" in prob.rule and "line 1 is UTF-8" in prob.rule


def test_gb18030_line_that_is_also_valid_utf8_is_not_mixed(tmp_path):
    # 十 is CA AE in GB18030, which is also the UTF-8 encoding of ʮ (U+02AE): line 2 alone decodes as UTF-8,
    # but the file is GB18030 throughout (line 3 is not UTF-8), so it is read as GB18030, not refused.
    assert "十".encode("gb18030").decode("utf-8") == "\u02ae"
    p = tmp_path / "gb.csv"
    p.write_bytes("单位编号,名称\nU1,十\nU2,二厂\n".encode("gb18030"))
    raw = read_unchanged(p)
    assert raw.encoding == "gb18030" and raw.frame["名称"].tolist() == ["十", "二厂"]


def test_undecodable_in_any_encoding(tmp_path):
    p = tmp_path / "junk.csv"
    p.write_bytes(b"a,b\n1,\xff\xff\n")
    err = raises_unchanged(p)
    assert err.problems[0].row == 2
    assert "UTF-8 or GB18030" in str(err) and "byte offset 6" in str(err)


def test_ragged_row_names_the_line(tmp_path):
    p = tmp_path / "ragged.csv"
    p.write_text('a,b\n1,2\n"x\ny",3\n4,5,6\n', encoding="utf-8")
    err = raises_unchanged(p)
    (prob,) = err.problems
    assert prob.row == 5  # the quoted cell spans lines 3-4
    assert "more fields (3) than the header (2)" in prob.rule


def test_multiline_cell_keeps_true_line_numbers(tmp_path):
    p = tmp_path / "multi.csv"
    p.write_text('a,b\n"x\ny",3\n4,5\n', encoding="utf-8")
    t = read_unchanged(p)
    assert t.meta["row_numbers"] == [2, 4]
    assert t.frame.loc[0, "a"] == "x\ny"


def test_duplicate_and_blank_headers(tmp_path):
    p = tmp_path / "dup.csv"
    p.write_text("日期,日期,,日期,\n1,2,3,4,\n", encoding="utf-8")
    t = read_unchanged(p)
    # the trailing blank column has no data and is dropped
    assert list(t.frame.columns) == ["日期", "日期.2", "unnamed_3", "日期.3"]
    assert t.headers == ["日期", "日期", "", "日期"]


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", "\ufeff".encode()])
def test_empty_file(tmp_path, content):
    p = tmp_path / "empty.csv"
    p.write_bytes(content)
    err = raises_unchanged(p)
    assert "file is empty" in str(err) and "empty.csv" in str(err)


def test_header_only_file_is_a_valid_empty_table(tmp_path):
    p = tmp_path / "header.csv"
    p.write_text("a,b\n\n", encoding="utf-8")
    t = read_unchanged(p)
    assert t.frame.shape == (0, 2) and list(t.frame.columns) == ["a", "b"]
    assert t.first_row == 2


def test_known_headers_skip_title_rows_and_trailing_total(tmp_path):
    p = tmp_path / "report.csv"
    p.write_text(
        "2019年党小组名册,,\n制表单位：一厂,,\n\n"
        "党小组编号,小组名称,党员人数\nG1,一组,5\nG2,二组,7\n\n 合 计 ,,12\n\n",
        encoding="utf-8",
    )
    t = read_unchanged(p, known_headers={"党小组编号", "党员人数", "名称"})
    assert t.first_row == 5 and t.meta["header_row"] == 4
    assert t.frame["党小组编号"].tolist() == ["G1", "G2"]
    assert t.meta["dropped_rows"] == [8]
    # without known headers the title row is the header
    assert read_raw(p).headers[0] == "2019年党小组名册"


def test_unknown_suffix_lists_formats(tmp_path):
    p = tmp_path / "data.json"
    p.write_text("{}", encoding="utf-8")
    err = raises_unchanged(p)
    assert "unsupported file type '.json'" in str(err) and ".xlsx" in str(err)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        read_raw(tmp_path / "nope.csv")


# ---------------------------------------------------------------- Excel


def test_xlsx_values_and_excel_error_cells(tmp_path):
    p = xlsx(tmp_path / "eval.xlsx", [["党小组编号", "考评得分", "日期"],
                                      ["G1", 95, datetime(2019, 5, 13)], ["G2", None, None]])
    wb = openpyxl.load_workbook(p)
    ws = wb.active
    ws["B3"] = "#DIV/0!"
    ws["B3"].data_type = "e"
    ws["C3"] = "#N/A"  # openpyxl stores error literals as error cells
    wb.save(p)
    t = read_unchanged(p)
    assert t.encoding is None and t.meta["sheet"] == "数据"
    assert t.frame.to_dict("list") == {
        "党小组编号": ["G1", "G2"],
        "考评得分": [95, None],
        "日期": [datetime(2019, 5, 13), None],
    }
    assert [(pr.row, pr.column, pr.rule, pr.value) for pr in t.problems] == [
        (3, "考评得分", "Excel error cell", "#DIV/0!"),
        (3, "日期", "Excel error cell", "#N/A"),
    ]
    assert "eval.xlsx, row 3, column '考评得分': Excel error cell (value: '#DIV/0!')" in str(
        t.problems[0]
    )


def test_sheet_by_name_and_label(tmp_path):
    p = xlsx(tmp_path / "book.xlsx", [["x", "y"], [1, 2]],
             sheets={"单位": [["标题"], [], ["单位编号", "名称"], ["U1", "一厂"]]})
    t = read_unchanged(p, sheet="单位", known_headers=["单位编号", "名称"])
    assert t.file == "book.xlsx[单位]"
    assert t.first_row == 4 and t.frame.to_dict("list") == {"单位编号": ["U1"], "名称": ["一厂"]}
    assert read_raw(p, sheet="数据").file == "book.xlsx"
    assert read_raw(p, sheet="单位", file_label="units").file == "units"


def test_missing_sheet_lists_sheet_names(tmp_path):
    p = xlsx(tmp_path / "book.xlsx", [["x"]], sheets={"单位": [["a"]]})
    err = raises_unchanged(p, sheet="党小组")
    assert "sheet not found" in str(err) and "'党小组'" in str(err)
    assert "数据, 单位" in str(err)


def test_truncated_xlsx(tmp_path):
    p = xlsx(tmp_path / "cut.xlsx", [["a", "b"], *[[i, i * 2] for i in range(200)]])
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    err = raises_unchanged(p)
    assert "cut.xlsx" in str(err)
    assert "cannot be read as .xlsx (file damaged or truncated?)" in str(err)


def test_xlsx_trailing_total_and_empty_rows(tmp_path):
    p = xlsx(tmp_path / "t.xlsx", [["单位编号", "工时"], ["U1", 10], ["U2", 20],
                                   ["Total", 30], [None, None], ["小计", 30]])
    t = read_unchanged(p)
    assert t.frame["单位编号"].tolist() == ["U1", "U2"]
    assert t.meta["dropped_rows"] == [4, 6]


def test_xls_is_not_real_excel(tmp_path):
    p = tmp_path / "export.xls"
    p.write_text("<html><table><tr><td>a</td></tr></table></html>", encoding="utf-8")
    err = raises_unchanged(p)
    assert "cannot be read as .xls" in str(err) and "HTML" in str(err)


@needs_realdata
def test_real_xls_via_calamine_keeps_null_text():
    p = REALDATA / "wjx_reportgen_357_0_text.xls"
    t = read_unchanged(p)
    assert t.frame.shape == (204, 9)
    assert t.headers[6] == "1、请问您的性别？ " and t.frame.columns[6] == "1、请问您的性别？"
    assert t.frame.loc[0, "提交答卷时间"] == "NULL"  # literal text, not NaN
    n = read_raw(REALDATA / "wjx_reportgen_357_2_numeric.xls")
    assert n.frame.loc[0, "序号"] == 2 and isinstance(n.frame.loc[0, "序号"], int)


# ---------------------------------------------------------------- parquet


def test_parquet(tmp_path):
    p = tmp_path / "x.parquet"
    pd.DataFrame({" a ": [1, None], "b": ["x", "y"]}).to_parquet(p)
    t = read_unchanged(p)
    assert t.frame.to_dict("list") == {"a": [1.0, None], "b": ["x", "y"]}
    assert t.first_row == 2


# ---------------------------------------------------------------- SPSS


def test_sav_user_missing_and_labels(tmp_path):
    p = tmp_path / "s.sav"
    df = pd.DataFrame({"sex": [1.0, 2.0, 9.0, 1.0], "age": [30.0, 98.0, 40.0, 99.0]})
    pyreadstat.write_sav(
        df, str(p),
        column_labels={"sex": "性别", "age": "年龄"},
        variable_value_labels={"sex": {1.0: "1.男", 2.0: "2.女", 9.0: "拒答"}},
        missing_ranges={"sex": [9], "age": [{"lo": 98, "hi": 99}]},
    )
    before = sha(p)
    out = read_sav(p)
    assert out["sex"].tolist()[:2] == [1.0, 2.0] and pd.isna(out.loc[2, "sex"])
    assert out["age"].isna().tolist() == [False, True, False, True]
    assert out.attrs["variable_labels"] == {"sex": "性别", "age": "年龄"}
    assert out.attrs["value_labels"] == {"sex": {1: "1.男", 2: "2.女", 9: "拒答"}}
    assert out.attrs["user_missing"] == {"sex": [9], "age": [{"lo": 98, "hi": 99}]}
    assert out.attrs["missing"] == [
        {"row": 3, "column": "sex", "code": 9},
        {"row": 2, "column": "age", "code": 98},
        {"row": 4, "column": "age", "code": 99},
    ]
    assert out.attrs["file"] == "s.sav"
    labelled = read_sav(p, labels=True)
    assert labelled["sex"].tolist()[:2] == ["1.男", "2.女"] and pd.isna(labelled.loc[2, "sex"])
    t = read_raw(p)
    assert t.frame.loc[2, "sex"] is None and t.meta["value_labels"]["sex"][1] == "1.男"
    assert sha(p) == before


def test_truncated_sav(tmp_path):
    p = tmp_path / "cut.sav"
    pyreadstat.write_sav(pd.DataFrame({"a": range(500)}), str(p))
    p.write_bytes(p.read_bytes()[:300])
    before = sha(p)
    with pytest.raises(DataError, match=r"cut\.sav.*cannot be read as \.sav"):
        read_sav(p)
    assert sha(p) == before


@needs_realdata
def test_real_sav():
    before = sha(SAV)
    df = read_sav(SAV)
    assert df.shape == (53, 35)
    assert "请问您的性别是" in df.attrs["variable_labels"]["Q1"]
    assert df.attrs["value_labels"]["Q1"] == {1: "1.男", 2: "2.女"}
    assert len(df.attrs["value_labels"]) == 32
    assert df["Q2_Blank1"].iloc[0] == "1992"  # a year stored as a string: left as read
    labelled = read_sav(SAV, labels=True)
    assert set(labelled["Q1"].dropna()) <= {"1.男", "2.女"}
    assert (labelled["Q1"] == "1.男").sum() == (df["Q1"] == 1).sum()
    pd.concat([df, df])  # attrs are plain: concatenation must not fail
    assert sha(SAV) == before
