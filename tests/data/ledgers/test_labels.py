"""Every problem names the user's file, sheet and cell, on every path (issue #12).

Long (one row per record) tables read from workbook sheets, several sheets or files feeding one
table, CSV files and wide ledgers: each problem is checked for file, sheet, cell and header as
written, and for its printed form ``考评.xlsx, sheet 2019上半年, cell F7 (header): …``.
"""

from __future__ import annotations

from openpyxl import Workbook
from test_wide import _problems, _where

LONG = ["党小组编号", "考评期", "考评项目编号", "考评得分"]


def _long_book(path, sheets: dict[str, list[list]], *, title: bool = False):
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        if title:
            ws.append([f"{name}党小组考评明细"])
            ws.append([])
        ws.append(LONG)
        for r in rows:
            ws.append(r)
    wb.save(path)


def test_long_table_from_two_sheets_names_sheet_and_cell(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    _long_book(folder / "考评.xlsx", {
        "2019上半年": [["G001", "2019H1", "I01", 8], ["G001", "2019H1", "I02", "七"]],
        "2019下半年": [["G001", "2019H2", "I01", 7], ["G009", "2019H2", "I02", 6]],
    }, title=True)
    probs = _problems(folder, {"evaluations": {"file": "考评.xlsx", "sheets": ["2019上半年", "2019下半年"]}})
    got = sorted((_where(p), p.rule.split(" (")[0].split(":")[0]) for p in probs)
    # rows as Excel shows them: title row 1, blank row 2, header row 3, data from row 4
    assert got == [(("考评.xlsx", "2019上半年", "D5", "考评得分"), "not a number"),
                   (("考评.xlsx", "2019下半年", "A5", "党小组编号"), "unknown id")]
    texts = sorted(map(str, probs))
    assert texts[0].startswith("考评.xlsx, sheet 2019上半年, cell D5 (考评得分): not a number")
    assert texts[1].startswith("考评.xlsx, sheet 2019下半年, cell A5 (党小组编号): unknown id")
    assert not any("[" in p.file for p in probs)


def test_a_key_repeated_on_two_sheets_names_both(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    _long_book(folder / "考评.xlsx", {"甲": [["G001", "2019H1", "I01", 8]],
                                      "乙": [["G002", "2019H1", "I01", 7], ["G001", "2019H1", "I01", 8]]})
    (p,) = _problems(folder, {"evaluations": {"file": "考评.xlsx", "sheets": "all"}})
    assert (p.file, p.sheet, p.row) == ("考评.xlsx", "乙", 3)
    assert "also in 考评.xlsx, sheet 甲, row 2" in p.rule


def test_a_single_non_first_sheet_and_a_name_column(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表为示例"])
    ws = wb.create_sheet("明细")
    ws.append(["序号", "党小组", "考评期", "考评项目编号", "考评得分"])
    ws.append([1, "线路一班党小组", "2019H1", "I01", 8])
    ws.append([2, "线路三班党小组", "2019H1", "I01", 8])       # unknown name
    ws.append([3, "线路二班党小组", "2019H9", "I01", 8])       # not a period
    wb.save(folder / "考评.xlsx")
    probs = _problems(folder, {"evaluations": {"file": "考评.xlsx", "sheet": "明细"}})
    assert sorted(_where(p) for p in probs) == [("考评.xlsx", "明细", "B3", "党小组"),
                                                ("考评.xlsx", "明细", "C4", "考评期")]


def test_csv_files_name_file_row_and_column(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "h1.csv").write_text(",".join(LONG) + "\nG001,2019H1,I01,8\n", encoding="utf-8")
    (folder / "h2.csv").write_text(",".join(LONG) + "\nG001,2019H2,I01,8\nG001,2019H2,I99,x\n",
                                   encoding="gb18030")
    probs = _problems(folder, {"evaluations": ["h1.csv", "h2.csv"]})
    got = sorted((p.file, p.sheet, p.cell, p.row, p.column) for p in probs)
    assert got == [("h2.csv", None, None, 3, "考评得分"), ("h2.csv", None, None, 3, "考评项目编号")]
    assert any(str(p).startswith("h2.csv, row 3, column '考评得分': not a number") for p in probs)


def test_wide_sheets_name_sheet_and_cell(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    wb = Workbook()
    wb.active.title = "2019上半年"
    wb.active.append(["党小组编号", "I01", "I02"])
    wb.active.append(["G001", 9, 7])                            # I01 max 8
    wb.save(folder / "考评.xlsx")
    probs = _problems(folder, {"evaluations": {"file": "考评.xlsx", "layout": "wide"}})
    assert ("考评.xlsx", "2019上半年", "B2", "I01") in [_where(p) for p in probs]
    assert any(str(p).startswith("考评.xlsx, sheet 2019上半年, cell B2 (I01): above the rubric maximum")
               for p in probs)


def test_wide_csv_names_file_row_and_header(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    ids = [f"I{k:02d}" for k in range(1, 13)]
    lines = ["考评汇总（2019年上半年）", "党小组编号,考评期," + ",".join(ids),
             "G001,2019H1," + ",".join(["5"] * 11 + ["优"])]          # I12 a grade word: not a number
    (folder / "考评.csv").write_bytes(("\n".join(lines) + "\n").encode("gb18030"))
    (p,) = _problems(folder, {"evaluations": {"file": "考评.csv", "layout": "wide"}})
    assert (p.file, p.sheet, p.cell, p.row, p.column) == ("考评.csv", None, None, 3, "I12")
    assert str(p).startswith("考评.csv, row 3, column 'I12': not a number")


def test_two_workbooks_and_a_csv_feeding_one_table(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    _long_book(folder / "一工区.xlsx", {"明细": [["G001", "2019H1", "I01", 8]]})
    _long_book(folder / "二工区.xlsx", {"明细": [["G002", "2019H1", "I01", 7], ["G001", "2019H1", "I01", 8]]})
    (folder / "三工区.csv").write_text(",".join(LONG) + "\nG003,2019H1,I01,88\n", encoding="utf-8")
    probs = _problems(folder, {"evaluations": ["一工区.xlsx", "二工区.xlsx", "三工区.csv"]})
    got = sorted((p.file, p.sheet, p.cell, p.row) for p in probs)
    # a repeated key spans three columns: the row is named, not one cell
    assert got == [("三工区.csv", None, None, 2), ("二工区.xlsx", "明细", None, 3)]
    dup = next(p for p in probs if p.file == "二工区.xlsx")
    assert str(dup).startswith("二工区.xlsx, sheet 明细, row 3, column '党小组编号, 考评期, 考评项目编号': "
                               "duplicate key")
    assert "also in 一工区.xlsx, sheet 明细, row 2" in dup.rule
    assert str(next(p for p in probs if p.file == "三工区.csv")).startswith(
        "三工区.csv, row 2, column '考评得分': above the rubric maximum")


def test_a_missing_column_names_the_header_row_below_the_title(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    wb = Workbook()
    ws = wb.active
    ws.title = "明细"
    ws.append(["2019年党小组考评明细"])
    ws.append([])
    ws.append(["党小组编号", "考评期", "考评得分"])              # 考评项目编号 is missing
    ws.append(["G001", "2019H1", 8])
    wb.save(folder / "考评.xlsx")
    (p,) = _problems(folder, {"evaluations": "考评.xlsx"})
    assert (p.file, p.sheet, p.row, p.column) == ("考评.xlsx", "明细", 3, "考评项目编号")
    assert str(p).startswith("考评.xlsx, sheet 明细, row 3, column '考评项目编号': "
                             "required column is missing")
