"""Which reports a dataset supports: read from the notebooks' packages (REQUIRED, KINDS), not a hand list."""

import dataclasses

import pytest
from grouplab.batch.catalog import find_report, on_hand, on_hand_of, report_catalog, support, support_text
from grouplab.data.codebook import TABLES
from grouplab.errors import ParameterError
from grouplab.paths import data_dir


def test_catalog_reads_every_notebook_and_its_package():
    cat = report_catalog()
    assert [r.number for r in cat] == ["01", "02", "03", "04", "05", "06", "07", "08"]
    assert all(r.package is not None for r in cat)  # 00_start_here is a tour, not a report
    for r in cat:  # what a report needs is a table of the codebook or a spec
        assert set(r.required) <= set(TABLES) | {"rubric", "questionnaire", "catalogue"}


@pytest.mark.parametrize("name", ["02", "2", "02_group_scorecard", "group_scorecard", "scorecard",
                                  "02_group_scorecard.ipynb"])
def test_find_report_by_number_or_name(name):
    assert find_report(name).stem == "02_group_scorecard"


def test_find_report_errors_list_the_reports():
    with pytest.raises(ParameterError, match=r"no report 'budget'; choose one of 01 \(01_data_quality\), "
                                             r"02 \(02_group_scorecard\)"):
        find_report("budget")
    assert find_report("study").stem == "03_measures_and_outcomes"  # the package grouplab.reports.study
    two = [r for r in report_catalog() if r.number in ("04", "06")]
    with pytest.raises(ParameterError, match=r"report 'survey' matches 2 reports \(04_survey_report, "
                                             r"06_survey_study\); choose one of 04"):
        find_report("survey", [dataclasses.replace(r, module="") for r in two])


def test_the_demo_supports_every_report():
    data, problems = on_hand_of(data_dir() / "demo")
    assert problems == []
    assert all(not lacks for _, lacks in support(data))


def test_what_each_other_report_lacks():
    """A roster, an evaluation ledger and an incident register (the issue's example)."""
    data = on_hand({"units": [1], "groups": [1], "evaluations": [1], "incidents": [1]},
                   {"rubric": {"items": []}})
    text = support_text(support(data), "en", folder="data")
    ok, rest = text.split("Reports it does not support yet:")
    assert "02 Party-group scorecard" in ok and "01 Data-quality report" in ok
    assert "e.g. grouplab report 02 --data data" in ok
    assert (f"03 {find_report('03').title['en']} — needs: meeting log: group meetings and other activities, "
            "dated or "
            "counted per month; demonstration posts: type and start date; person-hours per "
            "group-month") in rest
    assert ("05 Benchmarking report — needs: indicator values per entity and month; an indicator "
            "catalogue") in rest
    zh = support_text(support(data), "zh", folder="data")
    assert f"03 {find_report('03').title['zh']} — 缺少：组织生活记录" in zh
    assert "每个党小组每月的工时" in zh


def test_activities_of_no_judged_kind():
    import pandas as pd

    acts = pd.DataFrame({"kind": ["theme_day"]})
    data = on_hand({"groups": [1], "activities": acts, "posts": [1], "incidents": [1], "exposure": [1]}, {})
    lacks = dict((r.number, lk) for r, lk in support(data))
    assert lacks["03"] == [{"need": "activities", "why": "kinds", "kinds": ("group_meeting",)}]
    assert "activities of a kind it judges (group_meeting)" in support_text(support(data), "en")
    assert "其所评判类型的组织生活记录（党小组会）" in support_text(support(data), "zh")


def test_a_table_with_problems_is_named(make_dataset):
    import pandas as pd

    root = make_dataset({"units": pd.DataFrame({"unit_id": ["U1"], "name": ["甲"], "level": ["工区"],
                                                "sector": ["电力"]}),
                         "groups": pd.DataFrame({"group_id": ["G1"], "unit_id": ["U9"], "name": ["乙"],
                                                 "members": [5], "leader_id": ["M1"]})})
    data, problems = on_hand_of(root)
    assert problems and data["broken"] == {"groups"}
    assert "roster of Party groups: name, unit, members (has problems, see above)" in support_text(
        support(data), "en")


def _readme_rows(header: str) -> dict[str, str]:
    from grouplab.paths import project_root

    text = (project_root() / "README.md").read_text(encoding="utf-8")
    table = text.split(header, 1)[1].split("\n\n", 1)[0]
    rows = [ln.split("|") for ln in table.splitlines()[2:] if ln.startswith("|")]
    return {cells[1].strip()[:2]: cells[2:4] for cells in rows}


@pytest.mark.parametrize("header", ["| report | needs | uses when present |", "| 报告 | 必需 | 有则使用 |"])
def test_readme_table_matches_what_reports_declare(header):
    """The README's table of needs (en and zh) names exactly the tables and specs each package declares."""
    import re

    rows = _readme_rows(header)
    for r in report_catalog():
        needs, uses = (set(re.findall(r"`([a-z_]+)`", cell)) for cell in rows[r.number])
        assert needs == set(r.required), r.number
        tables = getattr(r.package, "TABLES", None)
        if tables is not None:
            assert uses == set(tables) - needs, r.number
    assert sorted(rows) == [r.number for r in report_catalog()]


def test_a_problem_elsewhere_blocks_every_report_but_does_not_hide_a_rosters_units(make_dataset):
    # a newcomer's typo in the person-hours file made 02 say "needs: units" although the units came
    # from the groups roster; the summary now says the problems block every report, then what is missing
    import pandas as pd
    from grouplab.batch.catalog import on_hand_of, support, support_text

    roster = pd.DataFrame({"工区": ["变电检修工区", "输电运检工区"],
                           "党小组": ["综合班党小组", "综合班党小组"]})
    hours = "group_id,month,person_hours\nG1,2019-01,\"12,5\"\n"
    folder = make_dataset({"groups": roster, "exposure": hours})
    data, problems = on_hand_of(folder)
    assert problems and "exposure" in data["broken"]
    lacks = dict((r.number, [lk["need"] for lk in lk_]) for r, lk_ in support(data))
    assert "units" not in lacks["02"] and "evaluations" in lacks["02"]
    text = support_text(support(data), "en", blocked=True)
    assert text.startswith("No report runs until the problems above are fixed")
    assert "e.g. grouplab report" not in text
