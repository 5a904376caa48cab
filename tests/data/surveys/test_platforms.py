"""Platform profiles and header grammar of grouplab.data.surveys.platforms, on built fixtures.

Each fixture is written in the shape a platform exports (headers as in the issue #11 text
and the real files of ../shared/realdata); the expected values are those written into the
fixture, so every assertion can be checked by reading the fixture rows below.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from grouplab.data.surveys.platforms import detect_platform, read_export
from grouplab.data.surveys.platforms.headers import group_questions, parse_header
from grouplab.data.surveys.platforms.labels import labels_from_twin, labels_to_codes, likert_codes
from grouplab.errors import DataError, ParameterError

WJX = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
META = [None, "2024/5/6 10:20:30", "95秒", "手机提交", "微信", "1.2.3.4"]


def xlsx(path, rows):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def wjx(path, headers, answers):
    return xlsx(path, [[*WJX, *headers]] + [[i + 1, *META[1:], *a] for i, a in enumerate(answers)])


# ----------------------------------------------------------------- header grammar


@pytest.mark.parametrize(("header", "number", "form", "title", "sub", "part"), [
    ("3、性别 ", 3, "numbered", "性别", None, None),
    ("7、请根据你的实际情况作答：—给老师/领导发消息时", 7, "numbered", "请根据你的实际情况作答：",
     "给老师/领导发消息时", None),
    ("7(我害怕当面拒绝别人的请求)", 7, "bracket", None, "我害怕当面拒绝别人的请求", None),
    ("第7题(我害怕当面拒绝)", 7, "bracket", None, "我害怕当面拒绝", None),
    ("第8题(早上:跑步)", 8, "bracket", None, "早上:跑步", None),
    ("3、(1)月收入", 3, "numbered", None, "月收入", 1),
    ("3、（2）家庭人数", 3, "numbered", None, "家庭人数", 2),
    ("1\t我经常花时间参加讲座", 1, "tab", "我经常花时间参加讲座", None, None),
    ("4.您本次检查是否发现了问题？", 4, "numbered", "您本次检查是否发现了问题？", None, None),
])
def test_header_forms(header, number, form, title, sub, part):
    h = parse_header(0, header)
    assert (h.number, h.form, h.title, h.sub, h.part) == (number, form, title, sub, part)
    assert h.text == header  # kept as written


def test_headers_without_number():
    assert parse_header(0, "总分") is None and parse_header(0, "3.5分以上") is None


def test_grouping_matrix_continuation_and_restart():
    heads = ["1、性别", "7、题干—甲", "7、乙", "7、丙", "第8题(A)", "第8题(B)", "1\t题一", "2\t题二",
             "1、再来"]
    qs = group_questions([parse_header(i, h) for i, h in enumerate(heads)])
    assert [(q.qid, len(q.headers)) for q in qs] == [
        ("Q1", 1), ("Q7", 3), ("Q8", 2), ("S2Q1", 1), ("S2Q2", 1), ("S3Q1", 1)]


# ----------------------------------------------------------------- 问卷星 shapes


def test_matrix_text_form_dash_then_rows(tmp_path):
    # 按文本: `7、题干—子题` then `7、子题`; Likert labels as answers
    p = wjx(tmp_path / "m.xlsx", ["1、性别", "2、请根据实际情况作答：—给领导发消息时", "2、我害怕拒绝别人"],
            [["男", "同意", "非常同意"], ["女", "(跳过)", "不同意"], ["女", "一般", "(空)"]])
    df = read_export(p)
    info = df.attrs["export"]
    assert info["form"] == "text" and info["platform"] == "wjx"
    q = info["questions"]["Q2"]
    assert q["type"] == "matrix" and q["title"] == "请根据实际情况作答："
    assert q["rows"] == ["给领导发消息时", "我害怕拒绝别人"] and q["columns"] == ["Q2.1", "Q2.2"]
    assert df["Q2.1"].tolist()[0] == "同意" and pd.isna(df.loc[1, "Q2.1"])
    assert [(m["row"], m["column"], m["reason"]) for m in info["missing"]] == [
        (3, "Q2.1", "skipped (跳过)"), (4, "Q2.2", "empty (空)")]


def test_matrix_numeric_form_brackets(tmp_path):
    # 按序号: `第2题(子题)` with codes 1..5 (not 0/1) is a matrix, not a multi-select
    p = wjx(tmp_path / "n.xlsx", ["1、性别", "第2题(给领导发消息时)", "第2题(我害怕拒绝别人)"],
            [[1, 4, 5], [2, -3, 2], [2, 3, 1]])
    df = read_export(p)
    q = df.attrs["export"]["questions"]["Q2"]
    assert q["type"] == "matrix" and q["rows"] == ["给领导发消息时", "我害怕拒绝别人"]
    assert df["Q2.1"].tolist()[::2] == [4, 3] and str(df["Q2.2"].dtype) == "Int64"
    assert df.attrs["export"]["missing"][0]["code"] == -3


def test_multi_part_fill_in_and_option_fill_ins(tmp_path):
    p = wjx(tmp_path / "f.xlsx", ["1、(1)月收入", "1、(2)家庭人数", "2、爱好"],
            [["5000", "3", "阅读┋其他〖钓鱼〗"], ["8000元", "4", "运动"], ["", "2", "其他〖下棋〗"]])
    df = read_export(p)
    q = df.attrs["export"]["questions"]
    assert q["Q1"]["type"] == "fill" and q["Q1"]["rows"] == ["月收入", "家庭人数"]
    assert df["Q1.1"].tolist()[:2] == ["5000", "8000元"]
    assert q["Q2"]["type"] == "multi" and q["Q2"]["options"] == sorted(["阅读", "其他", "运动"])
    assert df["Q2_other_text"].fillna("").tolist() == ["钓鱼", "", "下棋"]


def test_sort_question_text_form(tmp_path):
    p = wjx(tmp_path / "s.xlsx", ["1、排序"], [["甲→乙→丙"], ["丙→甲→乙"]])
    df = read_export(p)
    q = df.attrs["export"]["questions"]["Q1"]
    assert q["type"] == "sort" and q["options"] == ["丙", "乙", "甲"]
    rank = dict(zip(q["options"], q["columns"], strict=True))
    assert df[rank["甲"]].tolist() == [1, 2] and df[rank["丙"]].tolist() == [3, 1]


def test_slider_scores_are_numbers(tmp_path):
    p = wjx(tmp_path / "sl.xlsx", ["1、满意度打分"], [[72.5], [88], [-2]])
    df = read_export(p)
    assert df.attrs["export"]["questions"]["Q1"]["type"] == "number"
    assert df["Q1"].tolist()[:2] == [72.5, 88.0] and pd.isna(df.loc[2, "Q1"])


# ----------------------------------------------------------------- other platforms


def test_tencent_export(tmp_path):
    p = tmp_path / "tx.csv"
    p.write_text("答题序号,来源,1.您的性别,2.满意度—食堂,2.满意度—宿舍,开始时间,提交时间,答题时长,"
                 "IP省份,IP城市,IP地址,浏览器,操作系统\n"
                 "1,微信,男,满意,非常满意,2024/5/6 10:00:00,2024/5/6 10:03:00,180,广东,深圳,"
                 "1.2.3.4,Chrome,iOS\n", encoding="utf-8-sig")
    df = read_export(p)
    info = df.attrs["export"]
    assert info["platform"] == "tencent"
    assert list(df.columns) == ["respondent_id", "submitted", "started", "duration_s", "source",
                                "Q1", "Q2.1", "Q2.2"]
    assert df["duration_s"].iloc[0] == 180.0 and df["Q2.2"].iloc[0] == "非常满意"
    assert {r["column"] for r in info["removed"]} == {"IP省份", "IP城市", "IP地址", "浏览器", "操作系统"}


def test_jinshuju_export(tmp_path):
    p = tmp_path / "jsj.csv"
    p.write_text("序号,1.您所在的支部,2.您的手机号,提交人,提交时间,填写设备,IP,微信OpenID\n"
                 "1,一支部,13812345678,张三,2024-05-06 10:00:00,手机,1.2.3.4,"
                 "oABCDEFGHIJKLMNOPQRSTUVWXYZa\n", encoding="utf-8")
    df = read_export(p)
    info = df.attrs["export"]
    assert info["platform"] == "jinshuju" and df["Q1"].iloc[0] == "一支部"
    removed = {r["column"]: r["reason"] for r in info["removed"]}
    assert removed["2.您的手机号"] == "phone" and removed["提交人"] == "name"
    assert "Q2" not in df.columns and "13812345678" not in df.to_string()


def test_jinshuju_export_with_unnumbered_field_titles(tmp_path):
    # Header list of a 金数据 export as SurveyKing (javahuang/SurveyKing, SchemaParser.parseColumns,
    # a 金数据-style platform) writes it: 序号, the question titles without numbers, 自定义字段,
    # 提交人, 提交时间, 填写时长, 填写设备, 操作系统, 浏览器, 填写地区, IP. A script reading real 金数据
    # exports (nesettle/napcat_notify, compare_jinshuju.py) looks for 序号, 提交时间 / 创建时间,
    # 更新时间 / 最后更新时间 and unnumbered titles such as 姓名, 学院 — so titles carry no number.
    p = tmp_path / "jsj.csv"
    p.write_text("序号,您所在的支部,您对本支部党小组会的满意度,您的意见,自定义字段,提交人,提交时间,"
                 "填写时长,填写设备,操作系统,浏览器,填写地区,IP,更新时间\n"
                 "1,一支部,4,无,oABCDEFGHIJKLMNOPQRSTUVWXYZa,张三,2024-05-06 10:00:00,2分30秒,手机,"
                 "iOS,微信,广东深圳,1.2.3.4,2024-05-06 10:00:00\n"
                 "2,二支部,5,请打13812345678,,李四,2024-05-06 11:00:00,95秒,电脑,Windows,Chrome,"
                 "北京,5.6.7.8,2024-05-07 09:00:00\n", encoding="utf-8")
    df = read_export(p)
    info = df.attrs["export"]
    assert info["platform"] == "jinshuju" and info["id_header"] == "序号"
    assert list(df.columns) == ["respondent_id", "submitted", "duration_s", "您所在的支部",
                                "您对本支部党小组会的满意度", "您的意见"]
    assert df["duration_s"].tolist() == [150.0, 95.0] and df["您所在的支部"].tolist() == ["一支部", "二支部"]
    assert df["您对本支部党小组会的满意度"].tolist() == [4, 5]
    assert df["您的意见"].tolist() == ["无", "请打〔已删除〕"]
    removed = {r["column"]: (r["kind"], r["detected"], r["action"]) for r in info["removed"]}
    assert removed == {"自定义字段": ("metadata", "platform", "dropped"),
                       "提交人": ("name", "header", "dropped"),
                       "填写设备": ("metadata", "platform", "dropped"),
                       "操作系统": ("metadata", "platform", "dropped"),
                       "浏览器": ("metadata", "platform", "dropped"),
                       "填写地区": ("location", "header", "dropped"),
                       "IP": ("ip", "header", "dropped"),
                       "更新时间": ("metadata", "platform", "dropped"),
                       "您的意见": ("phone", "content", "masked")}


def test_wenjuanwang_export_numbered_or_not(tmp_path):
    # 问卷网: no public export was found (see profile.py); the headers are those commonly described
    # (编号, 开始答题时间, 结束答题时间, 答题时长, IP, 来源渠道), question titles with or without numbers
    head = "编号,开始答题时间,结束答题时间,答题时长,来源渠道,IP,{q1},{q2}\n"
    row = "7,2024/5/6 10:00:00,2024/5/6 10:02:00,120,微信,1.2.3.4,男,4\n"
    (tmp_path / "a.csv").write_text(head.format(q1="1.您的性别", q2="2.满意度") + row, encoding="utf-8")
    (tmp_path / "b.csv").write_text(head.format(q1="您的性别", q2="满意度") + row, encoding="utf-8")
    a, b = read_export(tmp_path / "a.csv"), read_export(tmp_path / "b.csv")
    assert a.attrs["export"]["platform"] == b.attrs["export"]["platform"] == "wenjuanwang"
    assert list(a.columns) == ["respondent_id", "submitted", "started", "duration_s", "source", "Q1", "Q2"]
    assert list(b.columns) == ["respondent_id", "submitted", "started", "duration_s", "source", "您的性别",
                               "满意度"]
    assert a["respondent_id"].tolist() == b["respondent_id"].tolist() == ["7"]
    assert a["Q2"].tolist() == b["满意度"].tolist() == [4]


def test_closest_profile_is_named(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("开始时间,提交时间,答题时长,1.性别\n2024/5/6 10:00:00,2024/5/6 10:03:00,180,男\n",
                 encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_export(p)
    assert "closest profile is 腾讯问卷" in str(info.value) and "答题序号" in str(info.value)
    with pytest.raises(ParameterError):
        detect_platform(["序号"], platform="surveymonkey")


def test_plain_csv_with_personal_columns(tmp_path):
    p = tmp_path / "plain.csv"
    p.write_text("respondent_id,姓名,手机,邮箱,A1,A2,意见\n"
                 "r1,张三,13812345678,a@b.cn,4,5,请打 13987654321 联系我\n"
                 "r2,李四,13900000000,c@d.cn,2,3,无\n", encoding="utf-8")
    df = read_export(p)
    info = df.attrs["export"]
    assert info["platform"] == "plain" and list(df.columns) == ["respondent_id", "A1", "A2", "意见"]
    assert df["A1"].tolist() == [4, 2]
    # a phone number typed into an open answer is masked, the answer kept
    assert df["意见"].tolist() == ["请打 〔已删除〕 联系我", "无"]
    reasons = {r["column"]: r["reason"] for r in info["removed"]}
    assert reasons == {"姓名": "name", "手机": "phone", "邮箱": "email",
                       "意见": "masked in answers: phone"}


def test_plain_column_found_by_content(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("respondent_id,联络,A1\nr1,13812345678,4\nr2,13900000000,2\n", encoding="utf-8")
    df = read_export(p)
    assert "联络" not in df.columns
    assert df.attrs["export"]["removed"] == [{"column": "联络", "kind": "phone", "detected": "content",
                                              "action": "dropped", "reason": "phone (by content)"}]


def test_sav_with_ip_and_name_columns(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame({"id": [1.0, 2.0], "IP地址": ["1.2.3.4", "5.6.7.8"],
                          "name": ["张三", "李四"], "Q1": [1.0, 2.0]})
    path = tmp_path / "s.sav"
    pyreadstat.write_sav(frame, str(path))
    df = read_export(path)
    assert list(df.columns) == ["respondent_id", "Q1"] and df["respondent_id"].tolist() == ["1", "2"]
    assert {r["column"] for r in df.attrs["export"]["removed"]} == {"IP地址", "name"}


# ----------------------------------------------------------------- labels <-> codes


def test_likert_sets():
    # 5-point agreement set: 非常不同意=1 … 非常同意=5
    assert likert_codes({"非常同意", "不同意"})[1] == {
        "非常不同意": 1, "完全不同意": 1, "不同意": 2, "比较不同意": 2, "一般": 3, "不确定": 3,
        "说不清": 3, "中立": 3, "同意": 4, "比较同意": 4, "非常同意": 5, "完全同意": 5}
    assert likert_codes({"有点同意", "同意"})[0] == "agree7"
    assert likert_codes({"从不", "总是"})[1]["总是"] == 5
    assert likert_codes({"比较符合", "完全不符合"})[0] == "fit5"


def test_unmapped_labels_one_problem_each_with_count():
    s = pd.Series(["同意", "也许", "也许", None, "3", "不好"])
    codes, problems = labels_to_codes(s, {"同意": 4}, file="t.xlsx", column="2、题")
    assert codes.isna().tolist() == [False, True, True, True, False, True]
    assert codes[0] == 4 and codes[4] == 3
    assert [(p.row, p.value, "2 answer(s)" in p.rule) for p in problems] == [
        (3, "也许", True), (7, "不好", False)]


def test_labels_from_numeric_twin(tmp_path):
    n = wjx(tmp_path / "n.xlsx", ["1、性别"], [[1], [2], [2]])
    t = wjx(tmp_path / "t.xlsx", ["1、性别"], [["男"], ["女"], ["女"]])
    assert labels_from_twin(read_export(n), read_export(t)) == {"Q1": {"男": 1, "女": 2}}
