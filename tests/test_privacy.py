"""Respondent identifiers are pseudonymised on load with a per-project secret."""

import pandas as pd
from grouplab import load_dataset
from grouplab.data.privacy import pseudonymise
from grouplab.data.readers.wjx import read_wjx
from grouplab.paths import demo_dir


def test_survey_ids_are_keyed_hashes_not_the_raw_numbers(monkeypatch, tmp_path):
    monkeypatch.setenv("GROUPLAB_CACHE", str(tmp_path))
    raw = read_wjx(demo_dir() / "survey_2019.xlsx")["respondent_id"].astype(str)
    sv = load_dataset(demo_dir())["survey"]
    ids = sv.loc[sv["wave"] == 2019, "respondent_id"]
    assert ids.str.fullmatch(r"R[0-9a-f]{16}").all()
    assert not set(ids) & set(raw)
    assert sv["respondent_id"].is_unique  # 序号 1 of 2017 and of 2018 are different people
    # another secret gives other pseudonyms (and the cache does not serve the old ones)
    monkeypatch.setenv("GROUPLAB_SECRET", "another-secret")
    other = load_dataset(demo_dir())["survey"]
    assert not set(other["respondent_id"]) & set(sv["respondent_id"])


def test_pseudonyms_are_stable_and_keyed():
    ids = pd.Series(["2019:1", "2019:2", None])
    a = pseudonymise(ids, secret=b"s1")
    assert a.equals(pseudonymise(ids, secret=b"s1"))
    assert a.iloc[0] != pseudonymise(ids, secret=b"s2").iloc[0]
    assert pd.isna(a.iloc[2])


def test_personal_data_by_header_and_content():
    from grouplab.data.privacy import mask_text, pii_content, pii_header

    assert [pii_header(h) for h in ("来自IP", "IP地址", "姓名", "手机号码", "邮箱", "身份证号", "微信号",
                                    "学号", "工号", "3、性别", "1、手机部数")] == [
        "ip", "ip", "name", "phone", "email", "id_card", "wechat", "student_staff_no",
        "student_staff_no", None, None]
    # content: half or more of the filled cells are such values (11-digit mobile, 18-digit ID)
    assert pii_content(["13812345678", None, "无"]) == "phone"
    assert pii_content(["11010519491231002X", "110105194912310021"]) == "id_card"
    assert pii_content(["192.168.0.1", "10.0.0.2"]) == "ip"
    assert pii_content(["1", "2", "13812345678"]) is None   # one stray number: column kept ...
    assert mask_text("电话13812345678")[0] == "电话〔已删除〕"   # ... but masked where it is text


def test_plain_survey_file_loses_personal_columns_and_is_range_checked(tmp_path):
    import pytest
    from grouplab.errors import DataError

    (tmp_path / "q.yml").write_text("range: [1, 5]\nscales: {S: {items: [S1, S2]}}\n", encoding="utf-8")
    (tmp_path / "survey.csv").write_text(
        "答卷编号,调查年度,单位编号,党小组编号,IP地址,姓名,S1,S2\n"
        "1,2019,U1,,1.2.3.4,张三,4,5\n2,2019,U1,,5.6.7.8,李四,2,3\n", encoding="utf-8")
    (tmp_path / "dataset.yml").write_text(
        "name: t\nquestionnaire: q.yml\ntables:\n  survey: survey.csv\n", encoding="utf-8")
    sv = load_dataset(tmp_path).tables["survey"]
    assert "IP地址" not in sv.columns and "姓名" not in sv.columns and "ip" not in sv.columns
    assert sv["S1"].tolist() == [4, 2]
    (tmp_path / "survey.csv").write_text(
        "答卷编号,调查年度,单位编号,党小组编号,S1,S2\n1,2019,U1,,4,7\n", encoding="utf-8")
    with pytest.raises(DataError, match="answer outside the scale range 1–5"):
        load_dataset(tmp_path)
