"""Group names resolve within the unit the sheet names; names still ambiguous are errors naming the scope."""

from __future__ import annotations

import pandas as pd
import pytest
from grouplab.data.dataset import load_dataset
from grouplab.data.explain import explain_text
from grouplab.data.ledgers.scope import resolve_groups, sheet_scope
from grouplab.errors import DataError
from received import INCIDENTS, ROSTER, RUBRIC, ledger_rows, received_folder, register_rows, roster_rows, xlsx

GROUPS = pd.DataFrame({"group_id": ["G1", "G2", "G3"], "name": ["综合班党小组", "综合班党小组", "一班党小组"],
                       "unit_id": ["A", "B", "B1"]})
UNITS = pd.DataFrame({"unit_id": ["C", "A", "B", "B1"],
                      "name": ["某公司", "变电工区", "输电工区", "输电一站"],
                      "parent_id": [None, "C", "C", "B"],
                      "level": ["company", "work_area", "work_area", "station"]})


@pytest.mark.parametrize(("where", "code"), [({"title": "输电工区2019年台账"}, "scope_title"),
                                             ({"filed_by": "填报单位：输电工区"}, "scope_filed_by"),
                                             ({"sheet": "输电工区"}, "scope_sheet"),
                                             ({"file": "输电工区安全事件.xlsx"}, "scope_file"),
                                             ({"unit": "B"}, "scope_manifest"),
                                             ({"unit": "输电工区"}, "scope_manifest")])
def test_the_sheet_names_its_unit(where, code):
    scope, problems = sheet_scope(UNITS, **where)
    assert problems == [] and scope.units == ("B",) and scope.record["from"] == code
    assert scope.within == {"B", "B1"}  # the unit and the units below it
    res = resolve_groups(pd.Series(["综合班党小组", "一班党小组"]), GROUPS, UNITS, scope)
    assert res["id"].tolist() == ["G2", "G3"] and res["status"].tolist() == ["ok", "ok"]


def test_the_title_wins_over_the_file_name_and_the_most_specific_unit_wins():
    scope, _ = sheet_scope(UNITS, title="变电工区台账", file="输电工区.xlsx")
    assert scope.units == ("A",)
    scope, _ = sheet_scope(UNITS, title="输电工区输电一站台账")
    assert scope.units == ("B1",)  # the 站 below the 工区 also named
    assert sheet_scope(UNITS, title="某公司2019年台账")[0] is None  # the company names no narrower scope


def test_a_row_unit_column_wins_over_the_sheet():
    scope, _ = sheet_scope(UNITS, title="变电工区台账")
    res = resolve_groups(pd.Series(["综合班党小组", "综合班党小组"]), GROUPS, UNITS, scope,
                         row_units=pd.Series(["B", None]))
    assert res["id"].tolist() == ["G2", "G1"]


def test_a_name_unique_outside_the_scope_still_resolves():
    scope, _ = sheet_scope(UNITS, title="变电工区台账")
    assert resolve_groups(pd.Series(["一班党小组"]), GROUPS, UNITS, scope)["id"].tolist() == ["G3"]


def test_an_unknown_unit_in_the_manifest_is_a_problem_with_the_closest_names():
    scope, problems = sheet_scope(UNITS, unit="输电区", key="tables.incidents")
    assert scope is None
    (p,) = problems
    assert (p.file, p.column, p.rule, p.value) == ("dataset.yml", "tables.incidents.unit",
                                                    "unit: names no unit of the units table", "输电区")
    assert p.hint.startswith("Closest unit names: 输电工区")


def test_a_filed_by_row_scopes_the_ledger(make_dataset):
    ds = load_dataset(received_folder(make_dataset, filed_by=True), cache=False)
    text = explain_text(ds.reading)
    assert ("group names looked up in 变电检修工区 first: "
            "the row '填报单位：变电检修工区 填报日期：2019年7月5日'") in text
    assert ds["evaluations"]["group_id"].nunique() == 3
    zh = explain_text(ds.reading, lang="zh")
    assert "党小组名称先在 变电检修工区 内查找" in zh


def _folder(make_dataset, register: list, manifest_entry=None, file="登记表.xlsx", folder="dataset"):
    files = {"党小组名册.xlsx": xlsx({"名册": roster_rows()}), file: xlsx({"Sheet1": register})}
    entry = manifest_entry or file
    return make_dataset(files, {"name": "x", "tables": {"groups": "党小组名册.xlsx", "incidents": entry}},
                        folder=folder)


def test_a_still_ambiguous_name_names_the_scope_tried(make_dataset):
    with pytest.raises(DataError) as err:  # no title, no unit anywhere
        load_dataset(_folder(make_dataset, register_rows()[1:]), cache=False)
    (p, q) = err.value.problems
    assert (p.file, p.sheet, p.cell, p.column, p.value) == (
        "登记表.xlsx", "Sheet1", "C2", "党小组", "综合班党小组")
    assert p.rule == "ambiguous name: several groups are called this"
    assert p.hint.startswith("No unit was named for this sheet: add a 工区/单位 column, name the unit in the "
                             "sheet's title or file name, or write 'unit: <unit>' in its dataset.yml entry")
    assert "(变电检修工区)" in p.hint and "(输电运检工区)" in p.hint and q.cell == "C4"
    # a unit named where no group has the name: the hint says which unit was tried and where it was named
    roster = [r for r in ROSTER if r[:2] != ("输电运检工区", "综合班党小组")] + [
        ("配电运检工区", "综合班党小组", 5, "周九", "2018/01/01")]
    files = {"党小组名册.xlsx": xlsx({"名册": roster_rows(roster)}),
             "登记表.xlsx": xlsx({"Sheet1": [["输电运检工区安全事件登记表"], *register_rows()[1:3]]})}
    with pytest.raises(DataError) as err:
        load_dataset(make_dataset(files, {"name": "x", "tables": {"groups": "党小组名册.xlsx",
                                                                  "incidents": "登记表.xlsx"}}, folder="b"),
                     cache=False)
    (p,) = err.value.problems
    assert p.hint.startswith("Looked within 输电运检工区 (named by the sheet's title) first: "
                             "no group there has this name. Write the id instead (one of ")
    assert "(变电检修工区)" in p.hint and "(配电运检工区)" in p.hint


def test_the_manifest_unit_scopes_a_sheet_without_a_title(make_dataset):
    root = _folder(make_dataset, register_rows()[1:], {"file": "登记表.xlsx", "unit": "变电检修工区"})
    ds = load_dataset(root, cache=False)
    g, u = ds["groups"].set_index("group_id"), ds["units"].set_index("unit_id")
    assert g.loc[ds["incidents"]["group_id"], "name"].tolist() == [r[2] for r in INCIDENTS]
    assert set(g.loc[ds["incidents"]["group_id"], "unit_id"].map(u["name"])) == {"变电检修工区"}
    assert "group names looked up in 变电检修工区 first: dataset.yml 'unit:'" in explain_text(ds.reading)


def test_a_unit_column_of_the_register_scopes_each_row_and_fills_unit_id(make_dataset):
    register = [["序号", "工区", "发生日期", "党小组", "事件类别"],
                [1, "输电运检工区", "2019/01/05", "综合班党小组", "违章"],
                [2, "变电检修工区", "2019/01/06", "综合班党小组", "隐患"]]
    ds = load_dataset(_folder(make_dataset, register), cache=False)
    g, u = ds["groups"].set_index("group_id"), ds["units"].set_index("unit_id")
    inc = ds["incidents"]
    assert g.loc[inc["group_id"], "unit_id"].map(u["name"]).tolist() == ["输电运检工区", "变电检修工区"]
    assert inc["unit_id"].map(u["name"]).tolist() == ["输电运检工区", "变电检修工区"]


def test_the_wide_ledger_of_the_other_unit_resolves_to_its_groups(make_dataset):
    rows = ledger_rows("2019上半年", unit="输电运检工区")
    rows = rows[:2] + [r for r in rows[2:] if r[1] == "综合班党小组"]
    files = {"党小组名册.xlsx": xlsx({"名册": roster_rows()}), "考评.xlsx": xlsx({"2019上半年": rows})}
    root = make_dataset(files, {"name": "x", "rubric": str(RUBRIC), "tables": {
        "groups": "党小组名册.xlsx", "evaluations": {"file": "考评.xlsx", "layout": "wide"}}})
    ds = load_dataset(root, cache=False)
    g, u = ds["groups"].set_index("group_id"), ds["units"].set_index("unit_id")
    assert set(g.loc[ds["evaluations"]["group_id"], "unit_id"].map(u["name"])) == {"输电运检工区"}
