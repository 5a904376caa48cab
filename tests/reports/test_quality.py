"""The data-quality report says how each ledger was read and what privacy removed, in zh and in en."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
from grouplab.data.explain import explain_text, reading_frame
from grouplab.paths import project_root
from grouplab.reports import quality

LEDGERS = project_root() / "data" / "examples" / "ledgers"


def _facts(t: pd.DataFrame, file: str, sheet: str | None) -> list[tuple[str, str]]:
    """(what, detail) rows of one file/sheet, by the labelled columns' positions."""
    f, s, what, detail = (t.iloc[:, k] for k in (1, 2, 3, 4))
    keep = (f == file) & (s == (sheet or ""))
    return list(zip(what[keep], detail[keep], strict=True))


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory):
    import os

    os.environ.setdefault("GROUPLAB_CACHE", str(tmp_path_factory.mktemp("cache")))
    ds, problems = quality.check_dataset(LEDGERS)
    assert problems.empty
    return ds


def test_reading_section_of_the_ledger_examples_in_english(ledgers):
    t = quality.format_reading(ledgers, LEDGERS, "en")
    assert list(t.columns) == ["Table", "File", "Sheet", "What", "Detail"]
    # data/examples/ledgers/2019年党小组考评得分表.xlsx, sheet 2019上半年 (see make_examples.py): a title
    # row, a 填报单位 row, a two-row header (aspects over items), three groups, 合计/平均/备注 rows
    a = _facts(t, "2019年党小组考评得分表.xlsx", "2019上半年")
    assert a[:4] == [("header", "rows 3–4"),
                     ("skipped", "rows 1–2: above the header (title, 填报单位/日期)"),
                     ("skipped", "rows 8–10: total or note row (合计/平均/备注/制表人 …)"),
                     ("column", "党小组 -> entity (by name)")]
    assert ("column", "理论学习（8分） -> I01") in a and ("period", "from sheet name '2019上半年'") in a
    assert a[-1] == ("size", "3 rows -> 36 long rows")
    # 2019年工时统计表.xlsx: column E is hidden
    assert ("skipped", "columns E: hidden column") in _facts(t, "2019年工时统计表.xlsx", "工时")


def test_reading_section_of_the_ledger_examples_in_chinese(ledgers):
    t = quality.format_reading(ledgers, LEDGERS, "zh")
    assert list(t.columns) == ["数据表", "文件", "工作表", "项目", "说明"]
    a = _facts(t, "2019年党小组考评得分表.xlsx", "2019上半年")
    assert a[:4] == [("表头", "第 3–4 行"), ("跳过", "第 1–2 行：表头以上（标题、填报单位/日期）"),
                     ("跳过", "第 8–10 行：合计/平均/备注/制表人等行"), ("列", "党小组 → 对象（按名称识别）")]
    assert ("考评期", "取自工作表名 '2019上半年'") in a and ("行数", "3 行 → 36 条长表记录") in a
    assert ("列", "合计 → 合计（已与各项之和核对）") in a
    assert ("跳过", "E 列：隐藏列") in _facts(t, "2019年工时统计表.xlsx", "工时")
    # no English words in the zh details (headers and ids are shown as written)
    assert not t["说明"].str.contains(r"\b(?:rows?|from|skipped|entity|columns?)\b").any()


def test_reading_is_shown_for_an_invalid_dataset_too(tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(LEDGERS, folder)
    manifest = (folder / "dataset.yml").read_text(encoding="utf-8")
    rubric = (LEDGERS / "../../rubrics/party_group_evaluation.yml").resolve()
    (folder / "dataset.yml").write_text(manifest.replace("../../rubrics/party_group_evaluation.yml",
                                                         str(rubric)), encoding="utf-8")
    # the groups table loses G03 (带电作业班党小组), named on the ledgers: the dataset fails, the
    # reading still shows
    lines = (LEDGERS / "groups.csv").read_text(encoding="utf-8").splitlines()
    (folder / "groups.csv").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    ds, problems = quality.check_dataset(folder)
    assert ds is None and not problems.empty
    t = quality.format_reading(ds, folder, "en")
    assert ("header", "rows 3–4") in _facts(t, "2019年党小组考评得分表.xlsx", "2019上半年")
    assert quality.privacy_sentence(ds, "zh").startswith("数据集未通过校验")


def test_explain_text_is_worded_in_both_languages(ledgers):
    en, zh = explain_text(ledgers.reading), explain_text(ledgers.reading, lang="zh")
    assert "exposure <- 2019年工时统计表.xlsx, sheet 工时" in en.splitlines()
    assert "exposure <- 2019年工时统计表.xlsx 工作表 工时" in zh.splitlines()
    assert "  跳过：E 列：隐藏列" in zh.splitlines()
    # a reason the phrase table does not know is shown as the reader wrote it
    r = {"t": [{"file": "f.xlsx", "sheet": "s", "header_rows": [2],
                "skipped": [{"rows": [9], "why": "something new"}], "matched": {}, "rows": 1}]}
    assert reading_frame(r, lang="zh")["detail"].tolist() == ["第 2 行", "第 9 行：something new", "1 行"]
    with pytest.raises(ValueError):
        reading_frame(r, lang="fr")


def test_privacy_section(tmp_path, monkeypatch):
    monkeypatch.setenv("GROUPLAB_CACHE", str(tmp_path / "cache"))
    (tmp_path / "q.yml").write_text("range: [1, 5]\nscales: {S: {items: [S1, S2]}}\n", encoding="utf-8")
    (tmp_path / "survey.csv").write_text(
        "答卷编号,调查年度,单位编号,党小组编号,IP地址,联络,S1,S2\n"
        "1,2019,U1,,1.2.3.4,13812345678,4,5\n2,2019,U1,,5.6.7.8,13900000000,2,3\n", encoding="utf-8")
    (tmp_path / "dataset.yml").write_text(
        "name: t\nquestionnaire: q.yml\ntables:\n  survey: survey.csv\n", encoding="utf-8")
    ds, problems = quality.check_dataset(tmp_path)
    assert problems.empty
    zh = quality.format_privacy(ds, "zh")
    assert list(zh.columns) == ["文件", "列（原表头）", "内容", "识别方式", "处理"]
    assert sorted(zh.itertuples(index=False, name=None)) == [
        ("survey.csv", "IP地址", "IP 地址", "表头", "整列删除"),
        ("survey.csv", "答卷编号", "答卷编号", "答卷编号列", "替换为假名"),
        ("survey.csv", "联络", "电话号码", "单元格内容", "整列删除")]
    en = quality.format_privacy(ds, "en")
    assert ("survey.csv", "联络", "phone number", "cell content", "column dropped") in set(
        en.itertuples(index=False, name=None))
    assert quality.privacy_sentence(ds, "en") == (
        "On load, 2 columns holding personal data were dropped from 1 files and 1 answer-sheet "
        "number columns were replaced by pseudonyms; see the table below.")
    # a dataset without a survey: nothing removed, and the report says so
    assert quality.privacy_sentence(quality.check_dataset(LEDGERS)[0], "en").startswith("No column")


def test_every_code_the_readers_write_is_worded_in_both_languages():
    # the codes as the readers write them ("why": "…" / "from": "…" / a variable named so)
    import re as _re

    from grouplab.data import notes

    data = Path(notes.__file__).parent
    src = "\n".join(f.read_text(encoding="utf-8") for f in sorted(data.rglob("*.py")))
    codes = set(_re.findall(r'"(?:why|from)": "(\w+)"', src))
    codes |= {"sheet_kind", "title_kind", "sheet_value"}  # chosen in melt.py through a variable
    assert {"above_header", "hidden_row", "hidden_column", "footer", "total_row", "below_table", "column",
            "sheet", "title", "manifest", "default_kind", "counts"} <= codes  # the search finds the writers
    missing = {c for c in codes if set(notes.PHRASES.get(c, {})) != {"en", "zh"}}
    assert not missing


def test_every_reason_the_ledger_reader_gives_is_worded_in_chinese():
    why = [{"why": "above_header"}, {"why": "hidden_row"}, {"why": "hidden_column"}, {"why": "footer"},
           {"why": "total_row"}, {"why": "below_table", "after": 9}]
    r = {"evaluations": [{"file": "a.xlsx", "sheet": "s", "header_rows": [3, 4], "rows": 3,
                          "skipped": [{"rows": [1, 2], **w} if w["why"] != "hidden_column" else
                                      {"columns": ["E", "F"], **w} for w in why],
                          "entity": "党小组", "by": "name", "values": 36,
                          "matched": {"(period)": {"from": "title", "cell": "A1", "text": "2019年上半年"}}}]}
    assert reading_frame(r, lang="zh")["detail"].tolist() == [
        "第 3–4 行", "第 1–2 行：表头以上（标题、填报单位/日期）", "第 1–2 行：隐藏行", "E、F 列：隐藏列",
        "第 1–2 行：合计/平均/备注/制表人等行", "第 1–2 行：合计/平均/备注/制表人等行",
        "第 1–2 行：表格下方、第 9 行空行之后的内容",
        "党小组 → 对象（按名称识别）", "取自标题 A1 '2019年上半年'", "3 行 → 36 条长表记录"]
    assert reading_frame(r, lang="en")["detail"].tolist()[-2] == "from title A1 '2019年上半年'"


def test_survey_exports_are_listed_with_their_platform_and_form(monkeypatch, tmp_path):
    monkeypatch.setenv("GROUPLAB_CACHE", str(tmp_path))
    ds, _ = quality.check_dataset("demo")
    # data/demo/dataset.yml: survey_2018.xlsx is the 按文本 export, 2017 and 2019 按序号 (issue 11, item 6)
    zh = quality.format_reading(ds, "demo", "zh")
    survey = zh[zh["数据表"] == quality.table_label("survey", "zh")]
    assert survey.loc[survey["项目"] == "导出格式", "说明"].tolist() == [
        "问卷星导出（按序号）", "问卷星导出（按文本）", "问卷星导出（按序号）"]
    en = quality.format_reading(ds, "demo", "en")
    assert "Wenjuanxing export (answers as labels)" in en["Detail"].tolist()
    # each file's answer sheets, as loaded
    sizes = survey.loc[survey["项目"] == "行数", "说明"].tolist()
    n = ds["survey"].groupby("wave").size()
    assert sizes == [f"{n[w]} 行" for w in (2017, 2018, 2019)]


def test_prepare_words_the_problems_in_the_report_language(make_dataset, demo):
    groups = demo["groups"].head(3).copy()
    groups["members"] = groups["members"].astype(object)
    groups.loc[groups.index[1], "members"] = "五"
    folder = make_dataset({"units": demo["units"], "groups": groups})
    zh, en = quality.prepare(folder, lang="zh"), quality.prepare(folder, lang="en")
    assert zh.dataset is None and zh.problems.loc[0, ["row", "code"]].tolist() == [3, "not_whole"]
    assert (zh.problems.loc[0, "rule"], en.problems.loc[0, "rule"]) == ("不是整数", "not a whole number")
    valid = quality.prepare(demo, lang="zh")  # a loaded Dataset is valid: no problems, no reload
    assert valid.dataset is demo and valid.problems.empty


def test_coverage_names_units_by_their_names(demo):
    # reports show names (issue 22): ids derived from a roster (U1A2B3C) mean nothing to a reader
    zh = quality.format_coverage(demo, "incidents", "zh")
    names = dict(zip(demo["units"]["unit_id"], demo["units"]["name"], strict=True))
    ids = quality.coverage(demo, "incidents").index
    assert zh.columns[0] == "单位" and zh["单位"].tolist() == [names[u] for u in ids]
    fig = quality.plot_coverage(demo, "incidents", "en")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [names[u] for u in ids]
    assert fig.axes[0].get_ylabel() == "Unit"


def test_flag_comparison_never_prints_nan(monkeypatch):
    """Report 01 said '0 次会议同时有记录标记和按会议记录编码的标记；最低的 κ 系数为 nan' (newcomer
    trial): κ is undefined without meetings carrying both flags, or when a flag never varies."""
    from grouplab.reports.quality import display

    def table(n, kappa):
        return pd.DataFrame({"flag": ["praise_over_criticism", "form_over_substance"], "n": n,
                             "recorded_share": 0.5, "coded_share": 0.5, "agreement": 1.0,
                             "kappa": kappa, "recorded_only": 0, "coded_only": 0})

    nan = float("nan")
    cases = [(table(0, nan), "没有会议同时有记录标记和按会议记录编码的标记，κ 系数无法计算。",
              "No meeting has both"),
             (table(4, nan), "4 次会议同时有记录标记和按会议记录编码的标记；κ 系数无法计算",
              "kappa cannot be computed"),
             (table(4, [nan, 0.4]), "最低的 κ 系数为 0.40。", "the lowest kappa is 0.40."),
             (table(1, 0.4), "1 次会议同时有", "1 meeting has both")]
    for t, zh, en in cases:
        monkeypatch.setattr(display, "flag_sources", lambda ds, t=t: t)
        text_zh = display.format_flag_sources(None, "zh")[1]
        text_en = display.format_flag_sources(None, "en")[1]
        assert zh in text_zh and en in text_en and "nan" not in text_zh + text_en
