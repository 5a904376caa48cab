"""read_table / load_dataset on small fixtures with Chinese headers, GB18030 and Excel."""

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from grouplab import DataError, load_dataset, read_table
from openpyxl import Workbook

UNITS = "单位编号,单位名称,层级,行业\nWA01,线路工区,工区,电力\nWA02,变电工区,work_area,power\n"
GROUPS = ("党小组编号,单位编号,党小组名称,党员人数,党小组长编号\n"
          "G001,WA01,线路一班党小组,5,M1\nG002,WA02,变电党小组,7,M2\n")


def _write(path: Path, text: str, encoding="utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_chinese_headers_in_any_common_encoding(tmp_path, encoding):
    f = _write(tmp_path / "units.csv", UNITS, encoding)
    df = read_table(f, "units")
    assert list(df.columns) == ["unit_id", "name", "level", "sector"]
    assert df["level"].tolist() == ["work_area", "work_area"]  # 工区 label -> code
    assert df["name"].tolist() == ["线路工区", "变电工区"]


def test_xlsx_sheet_by_name_with_chinese_headers_and_excel_dates(tmp_path):
    wb = Workbook()
    wb.active.title = "说明"
    ws = wb.create_sheet("事件")
    ws.append(["事件编号", "党小组编号", "发生日期", "类别", "是否责任"])
    ws.append(["E1", "G001", pd.Timestamp("2019-05-13").to_pydatetime(), "违章", "是"])
    ws.append(["E2", "G001", "2019年6月1日", "隐患", "否"])
    wb.save(tmp_path / "incidents.xlsx")
    df = read_table(tmp_path / "incidents.xlsx", "incidents", sheet="事件")
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2019-05-13", "2019-06-01"]
    assert df["category"].tolist() == ["violation", "hidden_hazard"]
    assert df["responsible"].tolist() == [True, False]


def test_extra_columns_are_kept(tmp_path):
    f = _write(tmp_path / "groups.csv", GROUPS.replace("党小组长编号\n", "党小组长编号,备注\n")
               .replace(",M1\n", ",M1,新成立\n").replace(",M2\n", ",M2,\n"))
    df = read_table(f, "groups")
    assert "备注" in df.columns and df["members"].dtype == "Int64"


def test_dataset_reports_all_problems_of_all_files_at_once(tmp_path):
    _write(tmp_path / "units.csv", UNITS)
    _write(tmp_path / "groups.csv", GROUPS.replace(",5,", ",0,").replace("WA02,变电", "WA09,变电"))
    _write(tmp_path / "exposure.csv", "group_id,month,person_hours\nG001,2019-01,abc\nG001,2019-01,5\n")
    _write(tmp_path / "dataset.yml", 'name: t\nstudy_window: {start: "2015-01", end: "2019-12"}\n'
           "tables: {units: units.csv, groups: groups.csv, exposure: exposure.csv}\n")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    with pytest.raises(DataError) as info:
        load_dataset(tmp_path)
    got = {(p.file, p.row, p.column) for p in info.value.problems}
    assert got == {
        ("groups.csv", 2, "党员人数"),   # 0 members: out of range 1..500
        ("groups.csv", 3, "单位编号"),   # WA09 not in units
        ("exposure.csv", 2, "person_hours"),  # 'abc' not a number
        ("exposure.csv", 3, "group_id, month"),  # duplicate key
    }
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    assert after == before


def test_valid_dataset_loads(tmp_path):
    _write(tmp_path / "units.csv", UNITS)
    _write(tmp_path / "groups.csv", GROUPS, "gb18030")
    _write(tmp_path / "dataset.yml", "name: {zh: 测试, en: test}\n"
           "tables: {units: units.csv, groups: {file: groups.csv, encoding: gb18030}}\n")
    ds = load_dataset(tmp_path)
    assert ds.name == "测试"
    assert sorted(ds.tables) == ["groups", "units"]
    assert ds["groups"]["members"].tolist() == [5, 7]
    assert len(ds.data_hash) == 64
    with pytest.raises(KeyError, match="this dataset has"):
        ds["survey"]


def test_validated_dataset_is_cached_by_content(tmp_path, monkeypatch):
    monkeypatch.setenv("GROUPLAB_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "data"
    data.mkdir()
    _write(data / "units.csv", UNITS)
    _write(data / "groups.csv", GROUPS)
    _write(data / "dataset.yml", "name: t\ntables: {units: units.csv, groups: groups.csv}\n")
    first = load_dataset(data)
    entries = list((tmp_path / "cache").glob("dataset-*"))  # hashes/ holds file digests
    assert len(entries) == 1
    second = load_dataset(data)
    assert second["groups"].equals(first["groups"]) and second.data_hash == first.data_hash
    # a changed input file is validated again (and a bad value is caught, not served from cache)
    _write(data / "groups.csv", GROUPS.replace(",5,", ",0,"))
    with pytest.raises(DataError, match="out of range"):
        load_dataset(data)
    # a corrupt cache entry is rebuilt, not trusted
    _write(data / "groups.csv", GROUPS)
    entries[0].write_bytes(b"not a pickle")
    assert load_dataset(data)["groups"]["members"].tolist() == [5, 7]


def test_item_above_its_rubric_maximum_is_an_error_at_load(tmp_path):
    # rubric: data/rubrics/party_group_evaluation.yml gives I01 a maximum of 8 points
    rubric = Path(__file__).resolve().parents[2] / "data" / "rubrics" / "party_group_evaluation.yml"
    _write(tmp_path / "units.csv", UNITS)
    _write(tmp_path / "groups.csv", GROUPS)
    _write(tmp_path / "evaluations.csv", "党小组编号,考评期,考评项目编号,考评得分\n"
           "G001,2019H1,I01,8\nG001,2019H1,I02,7\nG002,2019H1,I01,30\n")
    _write(tmp_path / "dataset.yml", f"name: t\nrubric: {rubric}\n"
           "tables: {units: units.csv, groups: groups.csv, evaluations: evaluations.csv}\n")
    with pytest.raises(DataError) as info:
        load_dataset(tmp_path, cache=False)
    (p,) = info.value.problems
    assert (p.file, p.row, p.column, p.value) == ("evaluations.csv", 4, "考评得分", 30.0)
    assert p.rule == "above the rubric maximum of item I01 (8)"
