"""Minutes from platform exports (智慧党建 and the like): the shapes such exports take, built here.

Every expected value is written out by hand from the fixture cells below (dates read to the day, the
topic before the content, HTML as the text a reader sees).
"""

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from grouplab.data.dataset import load_dataset
from grouplab.data.minutes import read_minutes
from grouplab.data.minutes.exports import date_in, strip_html
from grouplab.errors import DataError
from grouplab.measures.meeting_flags import dataset_activities

UNITS = pd.DataFrame({"unit_id": ["C1", "U1", "U2"], "name": ["公司", "运行党支部", "检修党支部"],
                      "parent_id": [None, "C1", "C1"], "level": ["company", "work_area", "work_area"],
                      "sector": ["power"] * 3})
GROUPS = pd.DataFrame({"group_id": ["G1", "G2", "G3", "G4"], "unit_id": ["U1", "U1", "U1", "U2"],
                       "name": ["运行一班党小组", "线路二班党小组", "综合班党小组", "综合班党小组"],
                       "members": [5, 4, 3, 3], "leader_id": ["L1", "L2", "L3", "L4"]})
HEADER = ["序号", "支部名称", "党小组名称", "会议类型", "会议主题", "召开时间", "会议地点", "参会人员",
          "缺席人员", "记录人", "会议内容"]
ROWS = [
    [1, "运行党支部", "运行一班党小组", "党小组会议", "学习二十大精神", "2023年3月15日 14:30", "会议室",
     "张三、李四", "王五", "李四",
     "<p>会议传达学习了党的二十大报告。</p><p>张三同志指出：本班组&nbsp;巡检记录填写不规范。</p><br/>"
     "责任人李四，限4月底前整改。"],
    [2, "运行党支部", "线路二班", "主题党日活动", "重温入党誓词", "2023-03-20 09:00:00", "展厅", "", None,
     None, "大家重温了入党誓词。\n\n会议讨论了春检分工。"],
    [3, "检修党支部", "综合班党小组", "党课", None, dt.datetime(2023, 3, 28, 15, 0), "", "", "", "",
     "组长讲授党课。"],
    [4, "运行党支部", "综合班党小组", "支部党员大会", "", 45016.625, "", "", "", "",
     "学习了文件。_x000D_\n完。"],
]


def _export(path, rows=ROWS, header=HEADER, sheet="会议记录"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["智慧党建云平台 — 三会一课会议记录导出"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(["导出时间：2023-04-01 10:00:00", None, None, "导出人：管理员"])
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_a_platform_export_with_title_rows_html_and_date_times(tmp_path):
    m = read_minutes(_export(tmp_path / "导出.xlsx"), groups=GROUPS, units=UNITS)
    assert m["record_id"].tolist() == ["M000004", "M000005", "M000006", "M000007"]  # rows under 2 titles
    assert m["group_id"].tolist() == ["G1", "G2", "G4", "G3"]  # 线路二班 + 党小组; 综合班 within its branch
    assert m["date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-03-15", "2023-03-20", "2023-03-28",
                                                           "2023-03-31"]  # 45016.625 = 2023-03-31 15:00
    assert m["kind"].tolist()[:3] == ["group_meeting", "theme_day", "party_lecture"]
    assert pd.isna(m["kind"].iloc[3])  # a branch meeting is not a kind of the activity log
    assert m["text"].tolist() == [
        "学习二十大精神\n会议传达学习了党的二十大报告。\n张三同志指出：本班组 巡检记录填写不规范。\n"
        "责任人李四，限4月底前整改。",
        "重温入党誓词\n大家重温了入党誓词。\n会议讨论了春检分工。",
        "组长讲授党课。",
        "学习了文件。\n完。"]
    assert m["recorder"].tolist()[0] == "李四" and m["recorder"].isna().sum() == 3
    assert not {"参会人员", "缺席人员", "会议主题"} & set(m.columns)


def test_a_gb18030_csv_with_line_breaks_in_cells_and_names_only(tmp_path):
    f = tmp_path / "会议记录.csv"
    f.write_bytes(("组织名称,活动类型,开会时间,会议纪要\n"
                   "运行一班党小组,党小组会,2023年3月15日 14:30,\"学习了文件。\n王五同志指出巡检不到位。\"\n"
                   "线路二班党小组,主题党日,2023/3/20 9:00,观看专题片。\n").encode("gb18030"))
    m = read_minutes(f, groups=GROUPS)
    assert m["group_id"].tolist() == ["G1", "G2"]
    assert m["date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-03-15", "2023-03-20"]
    assert m["text"].tolist() == ["学习了文件。\n王五同志指出巡检不到位。", "观看专题片。"]
    assert m["record_id"].tolist() == ["M000002", "M000004"]  # the first record spans rows 2–3


def test_topic_and_content_in_separate_columns_topic_first_and_a_topic_alone_is_no_text(tmp_path):
    rows = [["运行一班党小组", "2023-03-15", "安全月动员", "传达了公司安全生产月方案。"],
            ["运行一班党小组", "2023-04-12", "学习党章", "学习党章"]]  # content repeating the topic: once
    m = read_minutes(_export(tmp_path / "a.xlsx", rows, ["党小组", "会议时间", "会议主题", "主要内容"]))
    assert m["text"].tolist() == ["安全月动员\n传达了公司安全生产月方案。", "学习党章"]
    with pytest.raises(DataError) as err:
        read_minutes(_export(tmp_path / "b.xlsx", [r[:3] for r in rows], ["党小组", "会议时间", "会议主题"]))
    (p,) = err.value.problems
    assert (p.file, p.sheet, p.row, p.column) == ("b.xlsx", "会议记录", 3, "会议内容")
    assert p.code == "missing_column"
    assert "会议主题" in p.hint


def test_dates_it_cannot_read_are_named_by_file_sheet_row_and_column(tmp_path):
    rows = [["运行一班党小组", "党小组会", when, "学习。"] for when in ("下周三", "2023-13-45 10:00",
                                                                    "2023-03-15 14:30")]
    with pytest.raises(DataError) as err:
        read_minutes(_export(tmp_path / "d.xlsx", rows, ["组织名称", "会议类型", "召开时间", "会议内容"]))
    got = [(p.file, p.sheet, p.row, p.column, p.value, p.code) for p in err.value.problems]
    assert got == [("d.xlsx", "会议记录", 4, "召开时间", "下周三", "not_a_date"),
                   ("d.xlsx", "会议记录", 5, "召开时间", "2023-13-45 10:00", "not_a_date")]


def test_cleaning_and_dates_one_by_one():
    assert strip_html("<div>一、学习</div><div>二、讨论<br>分工</div>") == "一、学习\n二、讨论\n分工"
    assert strip_html("<p>&nbsp;</p>") is None
    assert strip_html("甲 &amp; 乙\r\n\r\n丙") == "甲 & 乙\n丙"
    assert [date_in(v) for v in ("2023年03月15日14时30分", "2023/3/5 下午2:30", "20230315", 45000,
                                 "２０２３－０３－１５", "14:30", dt.date(2023, 3, 1))] == [
        dt.date(2023, 3, 15), dt.date(2023, 3, 5), dt.date(2023, 3, 15), dt.date(2023, 3, 15),
        dt.date(2023, 3, 15), None, dt.date(2023, 3, 1)]


def test_an_export_listed_in_dataset_yml_loads_and_its_flags_are_coded(make_dataset, tmp_path):
    acts = pd.DataFrame({"group_id": ["G1", "G2"], "date": ["2023-03-15", "2023-03-20"],
                         "kind": ["group_meeting", "theme_day"], "seq": [1, 1]})
    root = make_dataset({"units": UNITS, "groups": GROUPS, "activities": acts},
                        {"name": "x", "meeting_flags": "coded",
                         "tables": {"units": "units.csv", "groups": "groups.csv",
                                    "activities": "activities.csv",
                                    "minutes": {"file": "导出.xlsx", "sheet": "会议记录"}}})
    _export(root / "导出.xlsx", ROWS[:2])
    ds = load_dataset(root, cache=False)
    assert ds.tables["minutes"]["kind"].tolist() == ["group_meeting", "theme_day"]
    a = dataset_activities(ds)
    assert a["flag_source"].tolist() == ["coded", "coded"]  # both records linked to their activity


def test_organisation_paths_match_their_group_as_ledgers_match_names():
    from grouplab.data.minutes import resolve_groups

    names = ["运行党支部/运行一班党小组", "国网某公司运行党支部线路二班党小组", "某党支部 > 线路二班", "Ｇ１",
             "综合班党小组", "不存在的党小组"]
    m = pd.DataFrame({"group_id": pd.array([None] * len(names), dtype="string"),
                      "group_name": pd.array(names, dtype="string")})
    got = resolve_groups(m, GROUPS)["group_id"].tolist()
    # last level; the one group name it ends with; last level + 党小组; an id (full-width folded);
    # a name two branches share and no branch said: unmatched, as an unknown name
    assert got == ["G1", "G2", "G2", "G1", pd.NA, pd.NA]


def test_a_row_with_a_topic_but_empty_content_has_no_text_and_is_not_a_record(tmp_path):
    from grouplab.measures.minutes import code_minutes

    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][-1] = "<p>&nbsp;</p>"  # the platform's editor left only markup: the content is empty
    m = read_minutes(_export(tmp_path / "a.xlsx", rows), groups=GROUPS, units=UNITS)
    assert m["text"].iloc[0].startswith("学习二十大精神\n")  # with content the topic stays in front
    assert pd.isna(m["text"].iloc[1])  # 重温入党誓词 alone is not a record
    coded = code_minutes(m)
    assert coded["status"].tolist() == ["coded", "empty"]
    assert coded.loc[1, ["praise_over_criticism", "form_over_substance", "chat_over_solving"]].isna().all()


def _named_dataset(make_dataset, rows):
    acts = pd.DataFrame({"group_id": ["G1"], "date": ["2023-03-15"], "kind": ["group_meeting"], "seq": [1]})
    root = make_dataset({"units": UNITS, "groups": GROUPS, "activities": acts},
                        {"name": "x", "tables": {"units": "units.csv", "groups": "groups.csv",
                                                 "activities": "activities.csv",
                                                 "minutes": {"file": "导出.xlsx", "sheet": "会议记录"}}})
    _export(root / "导出.xlsx", rows)
    return root


def test_a_group_name_not_in_the_roster_is_an_error_with_the_closest_names(make_dataset):
    rows = [list(ROWS[0]), list(ROWS[0])]
    rows[1][2], rows[1][5] = "运行1班党小组", "2023-04-15"  # a digit for 一: not the roster's name
    with pytest.raises(DataError) as err:
        load_dataset(_named_dataset(make_dataset, rows), cache=False)
    (p,) = err.value.problems
    # file, sheet, the record's row (2 title rows, the header, then rows 4 and 5), column as written
    assert (p.file, p.sheet, p.row, p.column, p.value) == ("导出.xlsx", "会议记录", 5, "党小组名称",
                                                           "运行1班党小组")
    assert p.code == "unknown_name"
    assert "运行一班党小组" in p.hint  # the closest roster name, as the ledgers hint


def test_a_group_name_two_branches_share_without_a_branch_is_ambiguous(make_dataset):
    rows = [list(ROWS[0]), list(ROWS[3])]
    rows[1][1] = None  # no branch: 综合班党小组 is a group of U1 and of U2
    with pytest.raises(DataError) as err:
        load_dataset(_named_dataset(make_dataset, rows), cache=False)
    (p,) = err.value.problems
    assert p.code.startswith("ambiguous_name") and p.value == "综合班党小组" and p.row == 5
    assert "G3" in str(p) and "G4" in str(p)


def test_the_recorder_is_left_out_on_load_and_said_so_in_the_privacy_record(make_dataset):
    from grouplab.reports.quality.display import privacy_sentence

    ds = load_dataset(_named_dataset(make_dataset, [ROWS[0]]), cache=False)
    assert "recorder" not in ds.tables["minutes"]
    row = ds.privacy.set_index("column").loc["记录人"]  # the header as written in the export
    assert (row["table"], row["file"], row["action"]) == ("minutes", "导出.xlsx", "dropped")
    assert "删除了 1 个含个人信息的列" in privacy_sentence(ds, "zh")
