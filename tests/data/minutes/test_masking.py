"""Masking of person names in minutes (expected outputs written by hand)."""

import pytest
from grouplab.data.minutes import NAME_MASK, mask_names, names_pattern


@pytest.mark.parametrize("text, expected", [
    ("张三同志领学了党章。", f"{NAME_MASK}同志领学了党章。"),
    ("李明书记强调要抓好安全。", f"{NAME_MASK}书记强调要抓好安全。"),
    ("会议由组长王刚主持。", f"会议由组长{NAME_MASK}主持。"),
    ("欧阳小红指出台账不全。", f"{NAME_MASK}指出台账不全。"),
    ("参加人员：张三、李四、王五\n记录人：赵六", f"参加人员：{NAME_MASK}\n记录人：{NAME_MASK}"),
    ("全体同志一致表示。会议指出班组存在问题。", "全体同志一致表示。会议指出班组存在问题。"),
    ("请联系13812345678", "请联系〔已删除〕"),
])
def test_mask_names_patterns(text, expected):
    assert mask_names(text) == expected


def test_mask_names_roster():
    masked = mask_names("卡玛尔和阿依古丽负责台账。", ["阿依古丽", "卡玛尔"])
    assert masked == f"{NAME_MASK}和{NAME_MASK}负责台账。"


def test_names_pattern_longest_first():
    assert names_pattern(["张三", "张三丰"]).sub("X", "张三丰和张三") == "X和X"
    assert names_pattern([None, "", "x"]) is None
