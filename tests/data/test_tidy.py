"""Long tables as users keep them: columns: renames, 序号 is a row number, registers without ids."""

from __future__ import annotations

import pandas as pd
import pytest
from grouplab.data.dataset import load_dataset
from grouplab.data.explain import explain_text
from grouplab.errors import DataError

UNITS = "unit_id,name,level,sector\nC,某公司,company,power\nA,变电工区,work_area,power\n"
GROUPS = ("group_id,unit_id,name,members,leader_id\nG1,A,一班党小组,5,M1\nG2,A,二班党小组,6,M2\n")


def _load(make_dataset, files: dict, tables: dict, **extra):
    root = make_dataset({"units": UNITS, "groups": GROUPS, **files},
                        {"name": "x", **extra,
                         "tables": {"units": "units.csv", "groups": "groups.csv", **tables}})
    return load_dataset(root, cache=False)


def test_columns_rename_headers_of_a_long_table(make_dataset):
    inc = "事件号,班组,出事日子,类别\nE1,G1,2019/01/05,违章\nE2,G2,2019/02/05,隐患\n"
    ds = _load(make_dataset, {"inc.csv": inc}, {"incidents": {"file": "inc.csv", "columns": {
        "事件号": "incident_id", "出事日子": "日期", "班组": "group_id"}}})  # a codebook name or its label
    got = ds["incidents"]
    assert got["incident_id"].tolist() == ["E1", "E2"] and got["group_id"].tolist() == ["G1", "G2"]
    assert got["date"].tolist() == [pd.Timestamp("2019-01-05"), pd.Timestamp("2019-02-05")]


def test_columns_naming_no_codebook_column_or_no_header_are_problems(make_dataset):
    inc = "编号,党小组编号,日期,类别\nE1,G1,2019-01-05,违章\n"
    with pytest.raises(DataError) as err:
        _load(make_dataset, {"inc.csv": inc}, {"incidents": {"file": "inc.csv", "columns": {
            "日期": "dates", "发生日期": "date"}}})
    got = [(p.file, p.column, p.rule, p.hint.split("?")[0] + "?") for p in err.value.problems]
    assert got == [("dataset.yml", "tables.incidents.columns.日期",
                    "no column 'dates' in the incidents table",
                    "Did you mean 'date'?"),
                   ("inc.csv", "发生日期", "dataset.yml 'columns:' names a header the file does not have",
                    "Did you mean '日期'?")]


def test_a_row_number_is_never_an_id_and_a_register_gets_ids_from_its_rows(make_dataset):
    inc = "序号,党小组编号,日期,类别\n1,G1,2019-01-05,违章\n2,G2,2019-02-05,隐患\n3,G1,2019-03-05,隐患\n"
    ds = _load(make_dataset, {"登记.csv": inc}, {"incidents": "登记.csv"})
    assert ds["incidents"]["incident_id"].tolist() == ["登记/2", "登记/3", "登记/4"]  # file and row
    assert "序号" not in ds["incidents"].columns
    text = explain_text(ds.reading)
    assert "序号 is a row number, not an id: left out" in text
    assert "no incident_id column: ids from file, sheet and row (e.g. 登记/2)" in text


def test_an_activity_log_numbered_by_row_gets_seq_per_group_day_and_kind(make_dataset):
    log = ("序号,党小组编号,日期,活动类型\n1,G1,2019-01-05,党小组会\n2,G1,2019-01-05,党小组会\n"
           "3,G2,2019-01-05,党小组会\n4,G1,2019-01-06,主题党日\n")
    ds = _load(make_dataset, {"log.csv": log}, {"activities": "log.csv"})
    assert ds["activities"]["seq"].tolist() == [1, 2, 1, 1]
    # a 序号 that is not a row count is the codebook's seq, as in data/examples/tidy
    log2 = ("党小组编号,日期,活动类型,序号\nG1,2019-01-05,党小组会,1\nG1,2019-01-05,党小组会,2\n"
            "G2,2019-01-05,党小组会,1\n")
    ds = _load(make_dataset, {"log.csv": log2}, {"activities": "log.csv"})
    assert ds["activities"]["seq"].tolist() == [1, 2, 1]


def test_a_wide_evaluation_ledger_without_a_rubric_says_so(make_dataset):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["党小组", "政治理论学习（8分）", "联系群众（7分）"])
    wb.active.append(["一班党小组", 8, 7])
    root = make_dataset({"units": UNITS, "groups": GROUPS}, {"name": "x", "tables": {
        "units": "units.csv", "groups": "groups.csv", "evaluations": {"file": "e.xlsx", "layout": "wide"}}})
    wb.save(root / "e.xlsx")
    with pytest.raises(DataError) as err:
        load_dataset(root, cache=False)
    (p,) = err.value.problems
    assert (p.file, p.column) == ("dataset.yml", "rubric")
    assert p.rule == "dataset.yml has no 'rubric:': a wide evaluation ledger's columns are its items"
    assert "data/rubrics/party_group_evaluation.yml" in p.hint
    assert "two candidate header rows" not in str(err.value)
