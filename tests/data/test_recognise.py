"""What ``grouplab init`` recognises in a file, and every reason it gives for not placing one.

Real exports made by others (``../shared/realdata`` beside the checkout) are read from there; the other
files are written here in the shapes people keep: GB18030 CSV with a title row, workbooks of several
sheets, month ledgers.
"""

import re
from pathlib import Path

import pytest
from grouplab.data.recognise import recognise_file, recognise_folder, say
from grouplab.paths import data_dir, rubrics_dir
from openpyxl import Workbook

REAL = Path(__file__).resolve().parents[3] / "shared" / "realdata"  # ../shared beside the checkout
NO_WAVE = ("survey export without a year in its file name or submission times: put the survey's year in the "
           "file name (2019_问卷.xlsx) and run grouplab init --force")


def _one(path: Path):
    found = recognise_file(path)
    assert len(found) == 1
    return found[0]


def _book(path: Path, sheets: dict) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_gb18030_register_with_title_row_and_names(tmp_path):
    p = tmp_path / "事件.csv"
    p.write_bytes("变电检修工区安全事件登记表\n序号,发生日期,党小组,类别\n1,2019/01/05,综合班党小组,违章\n"
                  .encode("gb18030"))
    f = _one(p)
    assert (f.table, f.layout) == ("incidents", "long")
    assert say(f.why, "en") == "Incidents, one row per record: headers 发生日期, 党小组, 类别"
    assert say(f.why, "zh") == "安全事件，每行一条记录：表头 发生日期, 党小组, 类别"


def test_names_only_roster(tmp_path):
    p = _book(tmp_path / "名册.xlsx", {"Sheet1": [["党小组名册"], ["序号", "车间", "班组", "党员人数"],
                                                 [1, "一车间", "检修班", 6]]})
    f = _one(p)
    assert (f.table, f.sheet) == ("groups", None)
    assert say(f.why, "en") == ("roster of Party groups by name: headers 车间, 班组, 党员人数 "
                                "(ids derived from the names)")


@pytest.mark.parametrize(("title", "cells", "table", "why"), [
    ("2019年工时统计表", [880, 812], "exposure", "person-hours per group and month, months as columns "
                                                  "(党小组, 1月, 2月; 工时)"),
    ("2019年主题党日开展情况", [1, 2], "activities", "meeting/activity ledger, one row per group, months as "
                                                    "columns (党小组, 1月, 2月; 主题党日)"),
    ("2019年统计", ["6日、27日", "14日"], "activities",
     "meeting/activity ledger, one row per group, months as columns (党小组, 1月, 2月; 6日、27日, 14日)"),
])
def test_months_as_columns_by_the_words_and_cells(tmp_path, title, cells, table, why):
    p = _book(tmp_path / "表.xlsx", {"表": [[title], ["党小组", "1月", "2月"], ["检修班", *cells]]})
    f = _one(p)
    assert (f.table, f.layout) == (table, "wide")
    assert say(f.why, "en") == why


def test_activity_kind_from_the_file_name(tmp_path):
    p = _book(tmp_path / "2019年党课记录.xlsx", {"Sheet": [["党小组", "1月", "2月"], ["检修班", "3日", ""]]})
    f = _one(p)
    assert f.options == {"kind": "party_lecture"}
    assert [say(n, "en") for n in f.notes] == ["kind party_lecture from the file name '2019年党课记录'"]


def test_months_that_say_nothing_are_not_placed(tmp_path):
    p = _book(tmp_path / "统计.xlsx", {"表": [["党小组", "1月", "2月"], ["检修班", 3, 4]]})
    f = _one(p)
    assert f.table is None
    assert say(f.why, "en") == ("months as columns, but neither the file name, sheet nor title says "
                                "whether it holds person-hours or meetings (党小组, 1月, 2月)")


def test_unknown_sheet_names_the_closest_table(tmp_path):
    p = tmp_path / "杂项.csv"
    p.write_text("日期,地点,备注\n2019-01-01,会议室,无\n", encoding="utf-8")
    f = _one(p)
    assert f.table is None
    assert say(f.why, "en") == ("no header row names the columns of any table; closest: Activities "
                                "(found 日期; missing 党小组编号, 活动类型)")


def test_each_sheet_of_a_workbook_and_an_empty_one(tmp_path):
    rows = [["2019上半年党小组考评得分表"],
            ["序号", "党小组", "政治理论学习（8分）", "思想动态掌握与谈心（7分）"], [1, "检修班", 8, 7]]
    p = _book(tmp_path / "考评.xlsx", {"2019上半年": rows, "空": []})
    found = recognise_file(p)
    assert [(f.sheet, f.table, f.layout) for f in found] == [("2019上半年", "evaluations", "wide"),
                                                             ("空", None, "long")]
    assert say(found[1].why, "zh") == "空工作表"


def test_damaged_workbook_and_other_files(tmp_path):
    (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04 truncated")
    (tmp_path / "说明.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "~$考评.xlsx").write_bytes(b"lock")  # Office lock file: left out
    (tmp_path / "notes.yml").write_text("a: 1\n", encoding="utf-8")
    found = {f.file: f for f in recognise_folder(tmp_path)}
    assert set(found) == {"坏.xlsx", "说明.pdf", "notes.yml"}
    assert say(found["坏.xlsx"].why, "en").startswith("cannot be read: ")
    assert say(found["说明.pdf"].why, "en") == "not a table file (.pdf)"
    assert say(found["notes.yml"].why, "en") == "YAML file that is not a rubric, questionnaire or catalogue"


def test_a_rubric_in_the_folder_is_placed_and_used(tmp_path):
    (tmp_path / "细则.yml").write_bytes((rubrics_dir() / "party_group_evaluation.yml").read_bytes())
    found = recognise_folder(tmp_path)
    assert [(f.file, f.table, f.layout) for f in found] == [("细则.yml", "rubric", "spec")]
    assert say(found[0].why, "en") == "evaluation rubric spec (keys bands, items)"


def test_twin_exports_of_one_wave(tmp_path):
    """A 按序号 and a 按文本 export of the same wave: the codes feed the table, the labels the spec."""
    for name in ("wjx_reportgen_800_2_numeric.xls", "wjx_reportgen_800_0_text.xls"):
        (tmp_path / f"2018_{name}").write_bytes((REAL / name).read_bytes())
    found = {f.file: f for f in recognise_folder(tmp_path)}
    num, text = found["2018_wjx_reportgen_800_2_numeric.xls"], found["2018_wjx_reportgen_800_0_text.xls"]
    assert (num.table, num.options["wave"], num.options["form"]) == ("survey", 2018, "numeric")
    assert text.table is None
    assert say(text.why, "en") == ("the labels twin of 2018_wjx_reportgen_800_2_numeric.xls (same wave): "
                                   "used for option labels of the drafted spec")


@pytest.mark.parametrize(("name", "table", "why"), [
    ("tencentwj_yuanlin_example_utf8bom.csv", "survey",
     "腾讯问卷 survey export (labels), 9 questions; wave 2020 from submitted"),
    ("wjx_jeffllq_exercise_numeric_matrix_redacted.xlsx", "survey",
     "问卷星 survey export (codes), 76 questions; wave 2021 from submitted"),
    ("wjx_windstation_parenting_numeric_redacted.xlsx", "survey",
     "问卷星 survey export (codes), 87 questions; wave 2023 from submitted"),
    ("wjx_reportgen_357_0_text.xls", None, NO_WAVE),
    ("spss_meoweggs_data0_platformexport_utf8.sav", None, NO_WAVE),
])
def test_real_exports(name, table, why):
    f = _one(REAL / name)
    assert f.table == table
    assert say(f.why, "en") == why


def test_every_demo_file(demo):
    found = {f.file: f.table for f in recognise_folder(data_dir() / "demo")}
    for table, entry in demo.manifest["tables"].items():
        files = entry if isinstance(entry, str) else entry.get("file") or list(entry["files"].values())
        for file in [files] if isinstance(files, str) else files:
            assert found[file] == table, file


def test_an_evaluation_ledger_of_another_rubric(tmp_path):
    """Items written with points that the kit's rubric does not know: placed, and the rubric asked for."""
    p = _book(tmp_path / "考评.xlsx", {"Sheet": [["序号", "党小组", "安全管理（10分）", "班组建设（20分）",
                                                "政治理论学习（8分）", "合计"], [1, "检修班", 9, 18, 8, 35]]})
    f = _one(p)
    assert (f.table, f.layout) == ("evaluations", "wide")
    assert say(f.why, "en") == ("evaluation ledger, one row per group, 3 items written with points "
                                "(安全管理（10分）, 班组建设（20分）, 政治理论学习（8分）); 2 of them "
                                "are not items of the rubric: name your own rubric in dataset.yml")


def test_two_exports_of_one_wave_that_are_not_twins(tmp_path):
    """Two 按序号 exports of one year (two branches' answers): one is read, the other is said, not merged."""
    for name in ("wjx_reportgen_800_2_numeric.xls", "wjx_reportgen_357_2_numeric.xls"):
        (tmp_path / f"2018_{name}").write_bytes((REAL / name).read_bytes())
    found = {f.file: f for f in recognise_folder(tmp_path)}
    assert found["2018_wjx_reportgen_357_2_numeric.xls"].table == "survey"
    second = found["2018_wjx_reportgen_800_2_numeric.xls"]
    assert second.table is None
    assert say(second.why, "en") == ("a second export of wave 2018 (2018_wjx_reportgen_357_2_numeric.xls "
                                     "is read): dataset.yml takes one export per wave; export all answers "
                                     "in one file")


def test_grouplab_output_folders_are_left_out(tmp_path):
    (tmp_path / "reports" / "02").mkdir(parents=True)
    (tmp_path / "reports" / "run.json").write_text("{}", encoding="utf-8")
    (tmp_path / "reports" / "02" / "unit.xlsx").write_bytes(b"PK")
    header = "党小组编号,单位编号,党小组名称,党员人数,党小组长编号"
    (tmp_path / "groups.csv").write_text(f"{header}\nG1,U1,甲,5,M1\n", encoding="utf-8")
    assert [f.file for f in recognise_folder(tmp_path)] == ["groups.csv"]


def test_an_export_with_its_number_column_removed(tmp_path):
    p = tmp_path / "2019问卷.csv"
    p.write_text("提交答卷时间,所用时间,来源,1、您的性别\n2019/5/1 10:00:00,100秒,微信,男\n",
                 encoding="utf-8")
    f = _one(p)
    assert f.table is None
    assert say(f.why, "en").startswith("looks like a survey export but: 2019问卷.csv, row 1: not a complete "
                                       "问卷星 export")


def test_a_day_ledger_without_a_kind_is_group_meetings(tmp_path):
    p = _book(tmp_path / "表.xlsx", {"表": [["党小组", "1月", "2月"], ["检修班", "6日、27日", "14日"]]})
    f = _one(p)
    assert f.options == {"kind": "group_meeting"}
    assert [say(n, "zh") for n in f.notes] == ["文件名、工作表名和标题均未写明活动类型：按党小组会处理"]


def test_every_phrase_in_both_languages():
    from grouplab.data.recognise import PHRASES

    for code, words in PHRASES.items():
        assert set(words) == {"en", "zh"}, code
        # the same values in both languages (a table's name in each language's own field)
        fields = [{f.replace("_" + lang, "") for f in re.findall(r"{(\w+)", words[lang])}
                  for lang in ("en", "zh")]
        assert fields[0] == fields[1], code


def test_a_file_like_no_table_is_said_without_a_trailing_none():
    # a newcomer's .txt note was "not placed: … any tableNone" when no table came close
    from grouplab.data.recognise.phrases import say

    assert say({"code": "unknown", "nearest": None}, "en") == "no header row names the columns of any table"
    assert say({"code": "unknown", "nearest": None}, "zh") == "没有一行表头能对上任何一张表的列"


def test_a_roster_of_one_unit_without_a_unit_column_names_it_in_its_title(tmp_path):
    rows = [["变电检修工区党小组名册"], ["序号", "党小组", "党员人数", "党小组长"],
            [1, "综合班党小组", 7, "张三"]]
    p = _book(tmp_path / "名册.xlsx", {"Sheet1": rows})
    f = _one(p)
    assert (f.table, f.layout) == ("groups", "long")
    assert [say(n, "zh") for n in f.notes] == [
        "无所属单位列：各党小组均属于 变电检修工区（据 '变电检修工区党小组名册'）"]
    rows = [["党小组名册"], ["序号", "党小组", "党员人数"], [1, "一班", 7]]
    q = _book(tmp_path / "小组.xlsx", {"Sheet1": rows})
    assert _one(q).table is None  # nothing names the unit: not placed, the closest table said


def test_a_merged_title_names_the_unit_once(tmp_path):
    """A title merged across A1:D1 is read once per cell it spans; the unit is said once."""
    wb = Workbook()
    ws = wb.active
    rows = [["运行党支部党小组名册"], ["序号", "党小组", "党员人数", "党小组长"],
            [1, "运行一班党小组", 7, "张三"]]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A1:D1")
    wb.save(tmp_path / "名册.xlsx")
    f = _one(tmp_path / "名册.xlsx")
    assert f.table == "groups"
    assert [say(n, "zh") for n in f.notes] == [
        "无所属单位列：各党小组均属于 运行党支部（据 '运行党支部党小组名册'）"]
