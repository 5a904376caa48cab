"""A meeting log's headers as ledgers write them (应到/实到, 应出席, 参会人数, 会议时间 …) are read, and
``grouplab validate --explain`` lists the headers read and those left unread.

The numbers read are those written (hand-made two-row ledger), so a header matched to the wrong column
(应到 read as attendees) or not at all fails.
"""

from __future__ import annotations

import pytest
from grouplab.data.dataset import inspect_dataset, load_dataset
from grouplab.data.explain import explain_text

UNITS = "unit_id,name,parent_id,level,sector\nU1,一工区,,work_area,power\n"
GROUPS = "group_id,unit_id,name,members,leader_id\nG1,U1,甲组,8,M1\nG2,U1,乙组,6,M2\n"


def _log(expected: str, attendees: str, date: str = "日期", extra: str = "") -> str:
    head = f"党小组编号,{date},类型,{expected},{attendees}{extra and ',' + extra}"
    rows = ["G1,2024-01-10,党小组会,8,7", "G2,2024-01-12,党小组会,6,5"]
    if extra:
        rows = [r + "," + ",".join("1" if i == 0 else "" for i in range(extra.count(",") + 1)) for r in rows]
    return "\n".join([head, *rows]) + "\n"


@pytest.mark.parametrize("expected, attendees", [
    ("应到", "实到"), ("应到人数", "实到人数"), ("应参加人数", "实参加人数"), ("应出席", "实出席"),
    ("应出席人数", "出席人数"), ("应到会人数", "参会人数"), ("应到（人）", "实到（人）"),
    ("应参会人数", "到会人数"),
])
def test_expected_and_attendees_under_the_ledgers_headers(make_dataset, expected, attendees):
    folder = make_dataset({"units": UNITS, "groups": GROUPS, "activities": _log(expected, attendees)})
    act = load_dataset(folder, cache=False)["activities"].sort_values("group_id")
    assert act["expected"].tolist() == [8, 6]  # as written: 应… is the expected count
    assert act["attendees"].tolist() == [7, 5]


@pytest.mark.parametrize("date", ["会议时间", "会议日期", "开会日期", "召开时间", "活动时间"])
def test_the_meeting_date_under_the_ledgers_headers(make_dataset, date):
    folder = make_dataset({"units": UNITS, "groups": GROUPS, "activities": _log("应到", "实到", date)})
    act = load_dataset(folder, cache=False)["activities"].sort_values("group_id")
    assert act["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-10", "2024-01-12"]


def test_explain_lists_the_headers_read_and_those_left_unread(make_dataset):
    log = _log("应到", "实到", extra="缺席人数,请假人数,备注")
    folder = make_dataset({"units": UNITS, "groups": GROUPS, "activities": log})
    reading, problems = inspect_dataset(folder)
    assert problems == []
    src = reading["activities"][0]
    assert src["read"] == ["党小组编号", "日期", "类型", "应到", "实到"]
    assert src["unused"] == ["缺席人数", "请假人数", "备注"]
    zh = explain_text(reading, lang="zh")
    assert "读取的列：党小组编号、日期、类型、应到、实到" in zh
    assert "未使用的列：缺席人数、请假人数、备注" in zh
    assert "列：应到 → 应到人数" in zh
    assert "unused: 缺席人数, 请假人数, 备注" in explain_text(reading, lang="en")
    # a table whose every header is read says nothing unread
    assert "unused" not in reading["groups"][0] or reading["groups"][0]["unused"] == []


def test_a_column_mapping_in_the_manifest_is_a_header_read(make_dataset):
    log = _log("应到", "实到", extra="计划人数")
    mapping = {"计划人数": "expected", "应到": "duration_h"}  # the manifest's word wins over the aliases
    manifest = {"name": "m", "tables": {"units": "units.csv", "groups": "groups.csv",
                                        "activities": {"file": "activities.csv", "columns": mapping}}}
    folder = make_dataset({"units": UNITS, "groups": GROUPS, "activities": log}, manifest)
    reading, _ = inspect_dataset(folder)
    assert "计划人数" in reading["activities"][0]["read"]
    assert reading["activities"][0]["unused"] == []
