"""Rosters with names only: ids derived by the documented rule, units created, ids given in a file win."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from grouplab.data.dataset import load_dataset
from grouplab.data.explain import explain_text
from grouplab.data.ledgers.roster import derive_ids, level_of
from grouplab.errors import DataError
from received import INCIDENTS, LOST, MAXIMA, ROSTER, received_folder, roster_rows, xlsx


def _rule(key: str, prefix: str) -> str:
    # the rule as README and the roster module state it, computed here independently
    return prefix + hashlib.sha256(key.encode("utf-8")).hexdigest()[:6].upper()


def test_a_received_folder_loads_with_names_only_and_its_numbers_are_the_files(make_dataset):
    ds = load_dataset(received_folder(make_dataset), cache=False)
    units, groups = ds["units"], ds["groups"]
    bd = _rule("变电检修工区", "U")
    assert dict(zip(units["name"], units["unit_id"], strict=True)) == {
        "公司": "C0", "变电检修工区": bd, "输电运检工区": _rule("输电运检工区", "U")}
    assert set(units.loc[units["unit_id"] != "C0", "parent_id"]) == {"C0"}
    assert set(units["level"].astype(str)) == {"company", "work_area"}
    assert set(units["sector"].astype(str)) == {"power"}  # 变电/输电 in the names
    # the same group name in two units: two ids, each from its own unit
    zh = groups[groups["name"] == "综合班党小组"].set_index("unit_id")["group_id"].to_dict()
    assert zh == {bd: _rule(f"{bd}/综合班党小组", "G"),
                  _rule("输电运检工区", "U"): _rule(f"{_rule('输电运检工区', 'U')}/综合班党小组", "G")}
    assert groups["members"].tolist() == [r[2] for r in ROSTER]
    assert groups["founded"].tolist() == [pd.Timestamp(r[4].replace("/", "-")) for r in ROSTER]
    # evaluation totals per group and half-year = the sheet's 合计 (maximum 100 minus the points lost)
    name = dict(zip(groups["group_id"], groups["name"], strict=True))
    ev = ds["evaluations"]
    totals = ev.groupby(["group_id", "period"])["score"].sum()
    for (gid, period), total in totals.items():
        half = {"2019H1": "2019上半年", "2019H2": "2019下半年"}[period]
        assert total == sum(MAXIMA) - sum(LOST[half][name[gid]])
    assert set(ev["group_id"].map(groups.set_index("group_id")["unit_id"])) == {bd}
    # incidents: every 综合班党小组 of the 变电检修工区 register is that 工区's group
    inc = ds["incidents"]
    assert inc["group_id"].map(name).tolist() == [r[2] for r in INCIDENTS]
    assert set(inc["group_id"].map(groups.set_index("group_id")["unit_id"])) == {bd}
    assert inc["date"].tolist() == [pd.Timestamp(r[1].replace("/", "-")) for r in INCIDENTS]
    assert inc["category"].tolist() == ["violation", "hidden_hazard", "equipment_failure", "violation"]
    # register ids from file, sheet and row (rows 3–6 under a title row and the header)
    assert inc["incident_id"].tolist() == [f"安全事件登记表/2019/{r}" for r in range(3, 7)]
    text = explain_text(ds.reading)
    assert "5 group ids derived from the names in 党小组 and their unit" in text
    assert "2 units created from the roster under C0: 变电检修工区、输电运检工区" in text
    assert "序号 is a row number, not an id: left out" in text


def test_derived_ids_do_not_depend_on_row_order_or_on_the_other_groups(make_dataset):
    def ids(rows, folder):
        root = make_dataset({"g.xlsx": xlsx({"名册": roster_rows(rows)})},
                            {"name": "x", "tables": {"groups": "g.xlsx"}}, folder=folder)
        g = load_dataset(root, cache=False)["groups"]
        return dict(zip(zip(g["unit_id"], g["name"]), g["group_id"], strict=True))

    first = ids(ROSTER, "a")
    later = ids([*reversed(ROSTER[1:]), ("输电运检工区", "线路二班党小组", 5, "孙八", "2020/01/01")], "b")
    assert {k: v for k, v in later.items() if k in first} == {k: v for k, v in first.items() if k in later}
    assert len(later) == len(first)  # one group gone, one new: the others keep their ids


def test_ids_given_in_the_file_win_and_blank_ids_are_derived(make_dataset):
    rows = [["党小组编号", "工区", "党小组", "党员人数", "党小组长"],
            ["B01", "变电检修工区", "综合班党小组", 7, "张三"],
            [None, "输电运检工区", "综合班党小组", 6, "王五"]]
    units = pd.DataFrame({"单位编号": ["C", "BD", "SD"],
                          "单位名称": ["某供电公司", "变电检修工区", "输电运检工区"],
                          "上级单位编号": [None, "C", "C"], "层级": ["公司", "工区", "工区"],
                          "行业": ["电力"] * 3})
    root = make_dataset({"units": units, "g.xlsx": xlsx({"s": rows})},
                        {"name": "x", "tables": {"units": "units.csv", "groups": "g.xlsx"}})
    ds = load_dataset(root, cache=False)
    g = ds["groups"]
    assert g["group_id"].tolist() == ["B01", _rule("SD/综合班党小组", "G")]
    assert g["unit_id"].tolist() == ["BD", "SD"]  # names resolved through the units table: no unit created
    assert len(ds["units"]) == 3


def test_units_named_only_in_a_roster_get_their_level_from_the_column(make_dataset):
    rows = [["分公司", "车间", "班组", "党员人数", "党小组长"],
            ["第一分公司", "检修车间", "一班", 5, "甲"],
            ["第一分公司", "运行车间", "一班", 4, "乙"]]
    root = make_dataset({"g.xlsx": xlsx({"s": rows})}, {"name": "x", "tables": {"groups": "g.xlsx"}})
    ds = load_dataset(root, cache=False)
    u = ds["units"].set_index("name")
    assert u.loc["第一分公司", "level"] == "company" and u.loc["检修车间", "level"] == "workshop"
    # 分公司 is the parent of both 车间; it is a company itself, so no root is created
    assert u.loc["检修车间", "parent_id"] == u.loc["第一分公司", "unit_id"] == u.loc["运行车间", "parent_id"]
    assert u.loc["第一分公司", "parent_id"] == "C0" and u.loc["公司", "level"] == "company"
    assert ds["groups"]["group_id"].nunique() == 2


def test_a_units_roster_without_ids(make_dataset):
    units = "工区,上级单位\n变电检修工区,\n检修一站,变电检修工区\n"
    ds = load_dataset(make_dataset({"units": units}), cache=False)
    u = ds["units"].set_index("name")
    assert u.loc["变电检修工区", "unit_id"] == _rule("变电检修工区", "U")
    assert u.loc["检修一站", "parent_id"] == _rule("变电检修工区", "U")  # the parent named by name
    assert u["level"].tolist() == ["work_area", "work_area"]  # the 工区 column says so


def test_colliding_ids_get_more_digits_and_are_listed():
    first = _rule("甲", "U")
    ids, collisions = derive_ids(["甲", "乙"], "U", taken=[first])
    assert ids["甲"] == "U" + hashlib.sha256("甲".encode()).hexdigest()[:8].upper()
    assert ids["乙"] == _rule("乙", "U") and collisions == [(first, ["甲"])]


def test_level_from_the_end_of_a_name():
    assert level_of("采油一站") == ("station", "name")
    assert level_of("检修车间") == ("workshop", "name")
    assert level_of("机关", None) == ("work_area", "default")


def test_a_groups_table_without_ids_or_names_is_a_data_error_not_a_traceback(make_dataset):
    root = make_dataset({"g.xlsx": xlsx({"s": [["序号", "工区", "人数"], [1, "变电检修工区", 3]]})},
                        {"name": "x", "tables": {"groups": "g.xlsx"}})
    with pytest.raises(DataError) as err:
        load_dataset(root, cache=False)
    rules = {(p.column, p.rule) for p in err.value.problems}
    assert ("党小组编号", "a groups table needs ids or names of its groups") in rules
    hint = next(p.hint for p in err.value.problems if p.column == "党小组编号")
    assert "'党小组' / '党小组名称' / '班组'" in hint


def test_a_groups_table_without_a_unit_says_how_to_name_it(make_dataset):
    root = make_dataset({"g.xlsx": xlsx({"s": [["党小组", "党员人数", "党小组长"], ["一班", 3, "甲"]]})},
                        {"name": "x", "tables": {"groups": "g.xlsx"}})
    with pytest.raises(DataError) as err:
        load_dataset(root, cache=False)
    (p,) = [p for p in err.value.problems if p.column == "单位编号"]
    assert p.rule == "required column is missing" and "工区, 车间, 支部, 所属单位 or 作业区" in p.hint


def test_ids_under_a_misspelt_header_are_not_replaced_by_derived_ones(make_dataset):
    # gruop_id holds the ids: deriving others would hide the typo behind 'unknown id' elsewhere
    groups = "gruop_id,unit_id,name,members,leader_id\nG001,A,一班,5,M1\n"
    units = "unit_id,name,level,sector\nA,甲工区,work_area,power\n"
    with pytest.raises(DataError) as err:
        load_dataset(make_dataset({"units": units, "groups": groups}), cache=False)
    assert [(p.column, p.rule) for p in err.value.problems] == [("党小组编号", "required column is missing")]


def test_a_roster_of_one_unit_named_by_unit_in_the_manifest(make_dataset):
    # a branch sends its own roster: no 工区 column; dataset.yml says whose it is
    rows = [["变电检修工区党小组名册"], ["序号", "党小组", "党员人数", "党小组长"],
            [1, "综合班党小组", 7, "张三"], [2, "检修一班党小组", 9, "李四"]]
    root = make_dataset({"g.xlsx": xlsx({"s": rows})},
                        {"name": "x", "tables": {"groups": {"file": "g.xlsx", "unit": "变电检修工区"}}})
    ds = load_dataset(root, cache=False)
    bd = _rule("变电检修工区", "U")
    assert ds["groups"]["unit_id"].tolist() == [bd, bd]
    assert ds["units"].set_index("unit_id").loc[bd, "level"] == "work_area"


@pytest.mark.parametrize(("title", "file"), [("变电检修工区党小组名册", "g.xlsx"),
                                             ("2019年度变电检修工区党小组情况统计表", "g.xlsx"),
                                             ("党小组名册", "变电检修工区2019年党小组花名册.xlsx")])
def test_a_roster_of_one_unit_named_by_its_title_or_file_name(make_dataset, title, file):
    # the same roster as above without 'unit:': the title (or else the file name) names the unit
    rows = [[title], ["序号", "党小组", "党员人数", "党小组长"],
            [1, "综合班党小组", 7, "张三"], [2, "检修一班党小组", 9, "李四"]]
    root = make_dataset({file: xlsx({"s": rows})}, {"name": "x", "tables": {"groups": file}})
    ds = load_dataset(root, cache=False)
    bd = _rule("变电检修工区", "U")
    assert ds["groups"]["unit_id"].tolist() == [bd, bd]
    assert ds["units"].set_index("unit_id").loc[bd, "name"] == "变电检修工区"
    assert "every group belongs to 变电检修工区, as" in explain_text(ds.reading, lang="en")
