"""Readers of meeting minutes (sheet, folder of .txt/.docx) and linking to activities.

References: the expected tables are written out by hand from the fixture texts below; the demo's
unmatched records are the three it documents (lib/grouplab/synth/minutes.py: X00001–X00003).
"""

from pathlib import Path

import docx
import pandas as pd
import pytest
from grouplab.data.dataset import read_table
from grouplab.data.minutes import link_minutes, read_minutes, read_minutes_folder
from grouplab.data.minutes.workbook import minutes_source
from grouplab.errors import DataError

DEMO = Path(__file__).resolve().parents[3] / "data" / "demo"
GROUPS = pd.DataFrame({"group_id": ["G001", "G002"], "unit_id": ["U1", "U1"],
                       "name": ["运行一班党小组", "线路二班党小组"]})


def test_sheet_with_names_and_aliases(tmp_path):
    f = tmp_path / "记录.csv"
    f.write_text("党小组,会议日期,会议类型,记录内容,记录人\n"
                 "运行一班党小组,2019年5月10日,党小组会,会议传达学习了文件。,李四\n"
                 "线路二班,2019/6/1,,讨论了巡检安排。,\n", encoding="utf-8")
    m = read_minutes(f, groups=GROUPS)
    assert m["group_id"].tolist() == ["G001", "G002"]  # by name, and by name without 党小组
    assert m["date"].dt.strftime("%Y-%m-%d").tolist() == ["2019-05-10", "2019-06-01"]
    assert m["kind"].tolist()[0] == "group_meeting" and pd.isna(m["kind"].iloc[1])
    assert m["record_id"].tolist() == ["M000002", "M000003"]  # file rows


def test_sheet_xlsx_main_content_column(tmp_path):
    f = tmp_path / "export.xlsx"
    frame = pd.DataFrame({"党小组编号": ["G001"], "日期": ["2019-05-10"], "主要内容": ["学习党章。"]})
    frame.to_excel(f, index=False)
    m = read_minutes(f)
    assert m.loc[0, "text"] == "学习党章。" and m.loc[0, "group_id"] == "G001"


def test_sheet_without_group_or_text_is_a_data_error(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("日期,会议内容\n2019-05-10,学习。\n", encoding="utf-8")
    with pytest.raises(DataError, match="no group column"):
        read_minutes(f)
    f.write_text("党小组编号,日期\nG001,2019-05-10\n", encoding="utf-8")
    with pytest.raises(DataError, match="text"):
        read_minutes(f)


def _docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> None:
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    d.save(str(path))


def test_folder_names_first_lines_docx_and_encodings(tmp_path):
    (tmp_path / "运行一班党小组_2019-05-10.txt").write_text("会议传达学习了文件。", encoding="utf-8")
    (tmp_path / "G002 2019年6月1日 党小组会.txt").write_bytes("讨论了巡检安排。".encode("gb18030"))
    sub = tmp_path / "2019"
    sub.mkdir()
    (sub / "第三次会议.txt").write_text("时间：2019年7月3日\n党小组：线路二班\n记录人：王五\n学习党章。",
                                         encoding="utf-8")
    _docx(tmp_path / "20190801-线路二班.docx", ["会议内容：研究了防汛准备。"])
    _docx(tmp_path / "记录表.docx", [],
          [["时间", "2019.9.9"], ["党小组", "G001"], ["会议内容", "观看了专题片。"]])
    (tmp_path / "~$记录表.docx").write_bytes(b"lock file")  # Word's lock file is skipped
    m = read_minutes_folder(tmp_path).set_index("record_id")
    assert m.loc["运行一班党小组_2019-05-10.txt", "group_name"] == "运行一班党小组"
    row = m.loc["G002 2019年6月1日 党小组会.txt"]
    assert (row["group_id"], row["kind"], row["text"]) == ("G002", "group_meeting", "讨论了巡检安排。")
    row = m.loc["2019/第三次会议.txt"]
    assert (row["group_name"], row["recorder"]) == ("线路二班", "王五")
    assert row["date"] == pd.Timestamp("2019-07-03")
    assert m.loc["20190801-线路二班.docx", "date"] == pd.Timestamp("2019-08-01")
    row = m.loc["记录表.docx"]
    assert (row["group_id"], row["date"]) == ("G001", pd.Timestamp("2019-09-09"))
    assert "观看了专题片。" in row["text"]


def test_folder_lists_every_file_without_date_or_group(tmp_path):
    (tmp_path / "运行一班.txt").write_text("学习。", encoding="utf-8")
    (tmp_path / "2019-05-10.txt").write_text("学习。", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_minutes_folder(tmp_path)
    rules = sorted(p.rule for p in err.value.problems)
    assert rules == ["no date in the file name or its first 15 lines",
                     "no group in the file name or its first 15 lines"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match="no .txt or .docx"):
        read_minutes_folder(empty)


def test_link_lists_unmatched_records():
    minutes = pd.DataFrame({"record_id": ["a", "b", "c", "d"], "group_id": ["G001", "G001", None, "G002"],
                            "group_name": [None, None, "无名组", None],
                            "date": pd.to_datetime(["2019-05-10", "2019-05-10", "2019-05-10", "2019-05-11"]),
                            "kind": [None, "theme_day", None, None], "text": ["x"] * 4})
    acts = pd.DataFrame({"group_id": ["G001", "G001"], "date": pd.to_datetime(["2019-05-10", "2019-05-10"]),
                         "kind": ["theme_day", "group_meeting"], "seq": [1, 1]})
    linked, unmatched = link_minutes(minutes, acts)
    assert linked["activity_kind"].tolist()[:2] == ["group_meeting", "theme_day"]
    assert linked["match_rule"].tolist() == ["group+date", "group+date+kind", "no group", "no activity"]
    assert unmatched["record_id"].tolist() == ["c", "d"]


def test_demo_minutes_resolve_and_link():
    minutes, groups = minutes_source(DEMO)
    assert minutes["group_id"].notna().all()  # 10 % name their group: all resolved
    acts = read_table(DEMO / "activities.csv", "activities")
    linked, unmatched = link_minutes(minutes, acts)
    assert sorted(unmatched["record_id"]) == ["X00001", "X00002", "X00003"]
    assert (linked.loc[linked["matched"], "activity_kind"] == "group_meeting").all()


def test_a_folder_listed_in_dataset_yml_is_loaded_hashed_and_coded(make_dataset):
    from grouplab.data.dataset import load_dataset
    from grouplab.measures.meeting_flags import dataset_activities, flag_source_counts

    acts = pd.DataFrame({"group_id": ["G001", "G002"], "date": ["2019-05-10", "2019-05-12"],
                         "kind": ["group_meeting"] * 2, "seq": [1, 1], "praise_over_criticism": [0, None],
                         "form_over_substance": [0, None], "chat_over_solving": [0, None]})
    units = pd.DataFrame({"unit_id": ["U1"], "name": ["一工区"], "parent_id": [None], "level": ["work_area"],
                          "sector": ["power"]})
    manifest = {"name": "x", "meeting_flags": "recorded_else_coded",
                "tables": {"units": "units.csv", "groups": "groups.csv", "activities": "activities.csv",
                           "minutes": "会议记录"}}
    groups = GROUPS.assign(members=3, leader_id="L")
    root = make_dataset({"units": units, "groups": groups, "activities": acts}, manifest)
    (root / "会议记录").mkdir()
    (root / "会议记录" / "线路二班_2019-05-12.txt").write_text("组长带领大家通读了《中国共产党章程》。",
                                                            encoding="utf-8")
    ds = load_dataset(root, cache=False)
    assert ds.tables["minutes"]["record_id"].tolist() == ["线路二班_2019-05-12.txt"]
    assert "会议记录/线路二班_2019-05-12.txt" in ds.files  # part of the data hash
    a = dataset_activities(ds)
    assert a["flag_source"].tolist() == ["recorded", "coded"]  # G002's blank filled from its minutes
    assert flag_source_counts(a)["meetings"].tolist() == [1, 1, 0]
    (root / "会议记录" / "无日期.txt").write_text("党小组：线路二班\n学习。", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(root, cache=False)
    assert [p.file for p in err.value.problems] == ["会议记录/无日期.txt"]
