"""Respondent identifiers are pseudonymised on load with a per-project secret."""

import pandas as pd
from grouplab import load_dataset
from grouplab.data.surveys.privacy import pseudonymise
from grouplab.data.surveys.wjx import read_wjx
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
    from grouplab.data.surveys.privacy import mask_text, pii_content, pii_header

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


# ------------------------------------------------- what privacy removed, for every source
_Q = "range: [1, 5]\nscales: {S: {items: [S1, S2]}}\ncolumns: {Q1: S1, Q2: S2}\nunit: {fixed: U1}\n"


def _dataset(folder, survey_entry, q=_Q):
    (folder / "q.yml").write_text(q, encoding="utf-8")
    (folder / "dataset.yml").write_text(
        f"name: t\nquestionnaire: q.yml\ntables:\n  survey: {survey_entry}\n", encoding="utf-8")
    return load_dataset(folder, cache=False)


def _record(ds):
    """(file, column as written, kind, detected, action) of every privacy entry, sorted."""
    rec = ds.privacy
    assert list(rec.columns) == ["table", "file", "column", "kind", "detected", "action"]
    assert (rec["table"] == "survey").all()
    return sorted(rec[["file", "column", "kind", "detected", "action"]].itertuples(index=False, name=None))


_TIDY = ("答卷编号,调查年度,单位编号,党小组编号,IP地址,姓名,联络,S1,S2\n"
         "1,2019,U1,,1.2.3.4,张三,13812345678,4,5\n2,2019,U1,,5.6.7.8,李四,13900000000,2,3\n")


def test_privacy_record_of_a_plain_csv(tmp_path):
    (tmp_path / "survey.csv").write_text(_TIDY, encoding="utf-8")
    ds = _dataset(tmp_path, "survey.csv")
    # headers as written in survey.csv above; 联络 holds phone numbers: found by content
    assert _record(ds) == [
        ("survey.csv", "IP地址", "ip", "header", "dropped"),
        ("survey.csv", "姓名", "name", "header", "dropped"),
        ("survey.csv", "答卷编号", "respondent_id", "id", "pseudonymised"),
        ("survey.csv", "联络", "phone", "content", "dropped")]
    assert not {"IP地址", "姓名", "联络"} & set(ds["survey"].columns)


def test_privacy_record_of_an_xlsx(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    for line in _TIDY.splitlines():
        wb.active.append(line.split(","))
    wb.save(tmp_path / "survey.xlsx")
    ds = _dataset(tmp_path, "survey.xlsx")
    assert [(c, k, d) for _, c, k, d, _ in _record(ds)] == [
        ("IP地址", "ip", "header"), ("姓名", "name", "header"), ("答卷编号", "respondent_id", "id"),
        ("联络", "phone", "content")]


def test_privacy_record_of_a_sav(tmp_path):
    import pytest

    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame({"respondent_id": ["1", "2"], "wave": [2019.0, 2019.0], "unit_id": ["U1", "U1"],
                          "ipaddr": ["1.2.3.4", "5.6.7.8"], "email": ["a@b.cn", "c@d.cn"],
                          "S1": [4.0, 2.0], "S2": [5.0, 3.0]})
    pyreadstat.write_sav(frame, str(tmp_path / "survey.sav"))
    ds = _dataset(tmp_path, "survey.sav")
    # ipaddr: no IP word in the name, found by its values; email: by its name
    assert _record(ds) == [
        ("survey.sav", "email", "email", "header", "dropped"),
        ("survey.sav", "ipaddr", "ip", "content", "dropped"),
        ("survey.sav", "respondent_id", "respondent_id", "id", "pseudonymised")]


def test_privacy_record_of_wjx_exports_in_the_demo(monkeypatch, tmp_path):
    monkeypatch.setenv("GROUPLAB_CACHE", str(tmp_path))
    ds = load_dataset(demo_dir())
    # each demo export has a 来自IP column (as 问卷星 writes it) and its 序号
    assert _record(ds) == sorted(
        [(f"survey_{w}.xlsx", "来自IP", "ip", "header", "dropped") for w in (2017, 2018, 2019)]
        + [(f"survey_{w}.xlsx", "序号", "respondent_id", "id", "pseudonymised") for w in (2017, 2018, 2019)])
    assert load_dataset(demo_dir()).privacy.equals(ds.privacy)  # kept in the cache too


def test_privacy_record_of_a_tencent_export(tmp_path):
    (tmp_path / "tx.csv").write_text(
        "答题序号,来源,1.满意度—食堂,1.满意度—宿舍,开始时间,提交时间,答题时长,IP省份,IP城市,IP地址,"
        "浏览器,操作系统,2.意见\n"
        "1,微信,4,5,2024/5/6 10:00:00,2024/5/6 10:03:00,180,广东,深圳,1.2.3.4,Chrome,iOS,"
        "请打13812345678\n", encoding="utf-8-sig")
    q = ("range: [1, 5]\nscales: {S: {items: [S1, S2]}}\nwjx: {1: [S1, S2], 2: opinion}\n"
         "unit: {fixed: U1}\n")
    ds = _dataset(tmp_path, "{format: export, files: {2024: tx.csv}}", q)
    assert _record(ds) == sorted([
        ("tx.csv", "IP省份", "location", "header", "dropped"),
        ("tx.csv", "IP城市", "location", "header", "dropped"),
        ("tx.csv", "IP地址", "ip", "header", "dropped"),
        ("tx.csv", "浏览器", "metadata", "platform", "dropped"),
        ("tx.csv", "操作系统", "metadata", "platform", "dropped"),
        ("tx.csv", "2.意见", "phone", "content", "masked"),
        ("tx.csv", "答题序号", "respondent_id", "id", "pseudonymised")])
