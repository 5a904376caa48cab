"""Tests of grouplab.data.surveys.wjx.read_wjx against real 问卷星 exports and small fixtures.

Real files (read in place, never copied): ../shared/realdata/, see its
SOURCES.md. The 按文本/按序号 twins were exported from the same answers, so a
code and its label must agree respondent by respondent.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from grouplab.data.surveys.wjx import read_wjx
from grouplab.errors import DataError, ParameterError

REALDATA = Path(__file__).resolve().parents[4] / "shared" / "realdata"  # ../shared beside the checkout
needs_realdata = pytest.mark.skipif(not REALDATA.is_dir(), reason="shared realdata folder absent")
META = ["respondent_id", "submitted", "duration_s", "source", "source_detail"]
HEAD = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def xlsx(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def no_ip(df: pd.DataFrame) -> None:
    # the IP column is gone (only its header is listed under attrs['removed'])
    assert not any("IP" in c for c in df.columns)
    assert any("IP" in r["column"] for r in df.attrs["wjx"]["removed"])
    text = json.dumps(df.attrs["wjx"]["questions"], ensure_ascii=False)
    assert "1.2.3.4" not in text and "IP" not in text
    assert not df.astype(str).apply(lambda c: c.str.contains("1.2.3.4", regex=False)).any().any()


# ------------------------------------------------------------- real exports


@needs_realdata
def test_real_800_twins_agree():
    text_path = REALDATA / "wjx_reportgen_800_0_text.xls"
    before = sha(text_path)
    text = read_wjx(text_path)
    num = read_wjx(REALDATA / "wjx_reportgen_800_2_numeric.xls")
    assert sha(text_path) == before
    assert text.attrs["wjx"]["form"] == "text" and num.attrs["wjx"]["form"] == "numeric"
    # 14 metadata+question columns in the text file, 36 in the numeric one, minus 来自IP
    assert num.shape == (800, 35)
    assert text.shape == (800, 38)  # + Q2/Q6/Q8 _other_text
    assert list(num.columns[:5]) == META and list(text.columns[:5]) == META
    assert (text["respondent_id"] == num["respondent_id"]).all()
    assert num["respondent_id"].iloc[-1] == "800"
    assert str(num["Q3"].dtype) == "Int64" and num["submitted"].isna().all()

    # single choice: 性别 code 1 <-> 男, 2 <-> 女 in every row
    qi = text.attrs["wjx"]["questions"]["Q3"]
    assert qi["title"] == "性别" and qi["headers"] == ["3、性别 "]
    pairs = set(zip(num["Q3"], text["Q3"], strict=True))
    assert pairs == {(1, "男"), (2, "女")}
    # every single-choice code maps to exactly one label
    for q in ["Q1", "Q2", "Q4", "Q5", "Q7"]:
        mapping = pd.DataFrame({"c": num[q], "t": text[q]}).drop_duplicates()
        assert mapping["c"].is_unique and mapping["t"].is_unique, q

    # multi-select: the same option ticked in both exports, matched by label
    for q in ["Q6", "Q8"]:
        nq, tq = num.attrs["wjx"]["questions"][q], text.attrs["wjx"]["questions"][q]
        assert nq["type"] == tq["type"] == "multi"
        assert set(nq["options"]) == set(tq["options"])
        for label, ncol in zip(nq["options"], nq["columns"], strict=True):
            tcol = tq["columns"][tq["options"].index(label)]
            assert (num[ncol] == text[tcol]).all(), (q, label)
    assert num.attrs["wjx"]["questions"]["Q6"]["options"][0] == "运动"
    assert num["Q6_1"].sum() == 479  # 运动 ticked 479 times (counted in the text file)
    # fill-in of 其他 kept apart from the label
    other = text.loc[text["Q6_other_text"].notna(), "Q6_other_text"].tolist()
    assert other == ["军事国防", "宠物"]
    assert "其他【请注明】" in text.attrs["wjx"]["questions"]["Q2"]["options"]
    no_ip(num)
    no_ip(text)


@needs_realdata
def test_real_357_twins_old_column_order_and_null_text():
    text = read_wjx(REALDATA / "wjx_reportgen_357_0_text.xls")
    num = read_wjx(REALDATA / "wjx_reportgen_357_2_numeric.xls")
    assert text.shape == num.shape == (204, 8)
    assert list(num.columns) == [*META, "Q1", "Q2", "Q3"]
    assert text["respondent_id"].iloc[0] == num["respondent_id"].iloc[0] == "2"
    # metadata cells hold the text NULL: read as missing, not as 'NULL'
    assert num["submitted"].isna().all() and num["duration_s"].isna().all()
    assert text["source"].iloc[0] == "手机提交" and text["source_detail"].iloc[0] == "直接访问"
    assert set(zip(num["Q1"], text["Q1"], strict=True)) == {(1, "男"), (2, "女")}
    assert text.attrs["wjx"]["questions"]["Q1"]["title"] == "请问您的性别？"
    no_ip(num)
    no_ip(text)


@needs_realdata
@pytest.mark.parametrize(
    ("name", "form"), [("wjx_reportgen_800_0_text.xls", "numeric"),
                       ("wjx_reportgen_357_2_numeric.xls", "text")]
)
def test_forced_form_mismatch(name, form):
    with pytest.raises(DataError, match="looks like a"):
        read_wjx(REALDATA / name, form=form)


# ------------------------------------------------------------- fixtures


def test_numeric_missing_codes_and_metadata(tmp_path):
    p = xlsx(tmp_path / "n.xlsx", [
        [*HEAD, "1、性别 ", "2、年龄", "第3题(运动)", "第3题(阅读)", "4、建议"],
        [1, "2024/5/6 10:20:30", "2分30秒", "手机提交", "微信", "1.2.3.4", 1, 3.0, 1, 0, "无"],
        [2, None, "95秒", "NULL", "", "1.2.3.4", 2, -2, -3, -3, None],
        [3, "2024-05-07 08:00:00", 61, "链接", None, "1.2.3.4", -3, 1, 0, 1, "很好"],
    ])
    df = read_wjx(p)
    assert list(df.columns) == [*META, "Q1", "Q2", "Q3_1", "Q3_2", "Q4"]
    assert df["respondent_id"].tolist() == ["1", "2", "3"]
    assert df["submitted"].iloc[0] == pd.Timestamp("2024-05-06 10:20:30")
    assert pd.isna(df["submitted"].iloc[1])
    assert df["duration_s"].tolist() == [150.0, 95.0, 61.0]
    assert df["source"].iloc[0] == "手机提交" and pd.isna(df["source"].iloc[1])
    assert df["Q2"].tolist()[0] == 3 and str(df["Q2"].dtype) == "Int64"
    assert pd.isna(df.loc[1, "Q2"]) and pd.isna(df.loc[2, "Q1"])
    assert df["Q3_2"].tolist()[0] == 0 and df["Q3_1"].isna().tolist() == [False, True, False]
    assert df["Q4"].tolist()[0] == "无"
    qs = df.attrs["wjx"]["questions"]
    assert {k: qs["Q3"][k] for k in ("title", "type", "options", "columns", "headers")} == {
        "title": None, "type": "multi", "options": ["运动", "阅读"],
        "columns": ["Q3_1", "Q3_2"], "headers": ["第3题(运动)", "第3题(阅读)"]}
    assert qs["Q4"]["type"] == "text" and qs["Q1"]["headers"] == ["1、性别 "]
    # every missing answer with its reason: codes of the platform and empty cells
    assert [(m["row"], m["column"], m["code"], m["reason"]) for m in df.attrs["wjx"]["missing"]] == [
        (3, "Q2", -2, "skipped (跳过)"),
        (3, "Q3", -3, "not shown (未显示)"), (3, "Q3", -3, "not shown (未显示)"),
        (3, "Q4", None, "empty cell"),
        (4, "Q1", -3, "not shown (未显示)"),
    ]
    no_ip(df)


def test_a_huge_whole_number_is_a_number_not_an_option_code(tmp_path):
    # found by test_fuzz: 10**20 passed as an option code and overflowed Int64 (a raw OverflowError)
    p = xlsx(tmp_path / "n.xlsx", [
        [*HEAD, "1、年收入"],
        [1, "2024/5/6 10:20:30", "95秒", "链接", "", "1.2.3.4", "100000000000000000000"],
        [2, "2024/5/6 10:21:30", "95秒", "链接", "", "1.2.3.4", 3],
    ])
    df = read_wjx(p)
    assert str(df["Q1"].dtype) == "Float64" and df["Q1"].tolist() == [1e20, 3.0]
    assert df.attrs["wjx"]["questions"]["Q1"]["type"] == "number"


def test_text_form_skipped_fill_in_and_options_by_label(tmp_path):
    p = xlsx(tmp_path / "t.xlsx", [
        ["序号", "提交答卷时间", "所用时间", "来自IP", "来源", "来源详情", "1、性别", "2、爱好"],
        ["1", "NULL", "NULL", "1.2.3.4", "手机提交", "直接访问", "男", "阅读┋其他〖钓鱼〗"],
        ["2", "NULL", "NULL", "1.2.3.4", "手机提交", "直接访问", "(跳过)", "运动"],
        ["3", "NULL", "NULL", "1.2.3.4", "手机提交", "直接访问", "女", "(空)"],
    ])
    df = read_wjx(p, form="text")
    assert list(df.columns) == [*META, "Q1", "Q2_1", "Q2_2", "Q2_3", "Q2_other_text"]
    assert df["Q1"].tolist()[::2] == ["男", "女"] and pd.isna(df.loc[1, "Q1"])
    q2 = df.attrs["wjx"]["questions"]["Q2"]
    # options ordered by label (not by first appearance), so a file's order cannot shift them
    assert q2["options"] == sorted(["阅读", "其他", "运动"]) and q2["type"] == "multi"
    col = dict(zip(q2["options"], q2["columns"][:3], strict=True))  # then Q2_other_text
    assert df[col["阅读"]].tolist()[:2] == [1, 0] and df[col["运动"]].tolist()[:2] == [0, 1]
    assert df[col["其他"]].isna().tolist() == [False, False, True]
    assert df["Q2_other_text"].iloc[0] == "钓鱼"
    assert [(m["row"], m["column"], m["code"]) for m in df.attrs["wjx"]["missing"]] == [
        (3, "Q1", "(跳过)"), (4, "Q2", "(空)")]
    no_ip(df)


def test_csv_export_gb18030(tmp_path):
    p = tmp_path / "wjx.csv"
    p.write_bytes("序号,提交答卷时间,所用时间,来源,来源详情,来自IP,1、性别\n"
                  "1,2024/5/6 10:20,30秒,手机提交,直接访问,1.2.3.4,1\n".encode("gb18030"))
    df = read_wjx(p)
    assert df["Q1"].tolist() == [1] and df["duration_s"].tolist() == [30.0]
    assert df["submitted"].iloc[0] == pd.Timestamp("2024-05-06 10:20")


def test_header_only_export_gives_empty_frame(tmp_path):
    df = read_wjx(xlsx(tmp_path / "h.xlsx", [[*HEAD, "1、性别"]]))
    assert list(df.columns) == [*META, "Q1"] and len(df) == 0


# ------------------------------------------------------------- errors


def assert_problem(err: DataError, row, column, rule_part, value=None):
    hits = [p for p in err.problems if p.row == row and p.column == column and rule_part in p.rule]
    assert hits, str(err)
    if value is not None:
        assert hits[0].value == value
    assert hits[0].file in str(err)


def test_not_a_wjx_export(tmp_path):
    p = xlsx(tmp_path / "x.xlsx", [["编号", "1、性别"], [1, 1]])
    with pytest.raises(DataError) as info:
        read_wjx(p)
    assert "x.xlsx" in str(info.value) and "not a 问卷星 export: missing 序号" in str(info.value)


def test_unknown_column_is_refused_without_telling_to_delete(tmp_path):
    p = xlsx(tmp_path / "x.xlsx", [[*HEAD, "性别", "1、年龄"], [1] * 8])
    with pytest.raises(DataError) as info:
        read_wjx(p)
    assert_problem(info.value, 1, "性别", "unrecognised column")
    assert "remove" not in str(info.value) and "delete" not in str(info.value)


def test_bad_option_codes_name_row_column_and_value(tmp_path):
    p = xlsx(tmp_path / "bad.xlsx", [
        [*HEAD, "1、性别 ", "第2题(运动)", "第2题(阅读)"],
        [1, None, None, None, None, None, 1, 1, 0],
        [2, None, None, None, None, None, 2, 0, "x"],
        [3, None, None, None, None, None, 1, 1, 1],
    ])
    # a column mixing 0/1 with other text is no longer a clean multi-select: rows of a matrix
    df = read_wjx(p, form="numeric")
    assert df.attrs["wjx"]["questions"]["Q2"]["type"] == "fill"
    p = xlsx(tmp_path / "bad2.xlsx", [
        [*HEAD, "第2题(运动)", "第2题(阅读)", "第2题(其他)"],
        [1, None, None, None, None, None, 1, 0, 0],
        [2, None, None, None, None, None, 0, 1, 1],
        [3, None, None, None, None, None, 1, 1, 1.5],
    ])
    df = read_wjx(p, form="numeric")   # 1.5 is not 0/1: read as a score, not a tick
    assert df.attrs["wjx"]["questions"]["Q2"]["type"] == "fill"
    assert df["Q2.3"].tolist() == [0, 1, 1.5]


def test_duplicate_and_empty_respondent_id(tmp_path):
    p = xlsx(tmp_path / "d.xlsx", [[*HEAD, "1、性别"], [1, *[None] * 5, 1],
                                   [2, *[None] * 5, 1], [2.0, *[None] * 5, 2],
                                   [None, *[None] * 5, 2]])
    with pytest.raises(DataError) as info:
        read_wjx(p)
    assert_problem(info.value, 4, "序号", "duplicate 序号 (first at row 3)", "2")
    assert_problem(info.value, 5, "序号", "序号 must not be empty")


def test_stacked_exports_are_named_as_such(tmp_path):
    # two exports pasted into one sheet: 序号 starts again from 1 at row 4
    p = xlsx(tmp_path / "s.xlsx", [[*HEAD, "1、性别"], [1, *[None] * 5, 1], [2, *[None] * 5, 1],
                                   [1, *[None] * 5, 2], [2, *[None] * 5, 2]])
    with pytest.raises(DataError) as info:
        read_wjx(p)
    err = info.value
    assert len(err.problems) == 1   # one problem for the restart, not one per repeated number
    assert_problem(err, 4, "序号", "two exports seem to be stacked in one sheet", "1")
    assert "files: {2018: a.xlsx" in err.problems[0].hint


def test_bad_time_and_duration(tmp_path):
    p = xlsx(tmp_path / "t.xlsx", [[*HEAD, "1、性别"], [1, "昨天", "很久", None, None, None, 1]])
    with pytest.raises(DataError) as info:
        read_wjx(p)
    assert_problem(info.value, 2, "提交答卷时间", "not a date-time", "昨天")
    assert_problem(info.value, 2, "所用时间", "not a duration", "很久")


def test_bad_form_argument(tmp_path):
    with pytest.raises(ParameterError, match="form must be"):
        read_wjx(tmp_path / "x.xlsx", form="labels")
