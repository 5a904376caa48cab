"""``grouplab report``: one report's config from a name, a folder and key=value parameters; every error."""

import pytest
from grouplab.batch.single import default_lang, parse_pairs, single_config
from grouplab.errors import DataError, ParameterError
from grouplab.paths import data_dir

LEDGERS = data_dir() / "examples" / "ledgers"


def test_parse_pairs():
    assert parse_pairs(["unit_id=变电检修工区", "year = 2019"]) == {"unit_id": "变电检修工区", "year": "2019"}
    with pytest.raises(ParameterError, match=r"-p 'unit_id': write key=value, e.g. -p unit_id=WA01"):
        parse_pairs(["unit_id"])


def test_a_unit_by_name_or_id_and_typed_parameters(tmp_path):
    cfg = single_config("scorecard", LEDGERS, {"unit_id": "示例输电运检工区", "year": "2019"}, out=tmp_path)
    (entry,) = cfg["reports"]
    assert entry["parameters"] == {"unit_id": "WA01", "year": 2019, "lang": "zh"}
    assert entry["notebook"].endswith("02_group_scorecard.ipynb")
    assert cfg["dataset"] == str(LEDGERS.resolve()) and cfg["out"] == str(tmp_path.resolve())
    assert single_config("02", LEDGERS, {"unit_id": "WA01"}, lang="en")["reports"][0]["parameters"] == {
        "unit_id": "WA01", "lang": "en"}


def test_the_only_unit_is_the_default():
    assert single_config("02", LEDGERS)["reports"][0]["parameters"]["unit_id"] == "WA01"


def test_default_language_follows_the_names(demo):
    assert default_lang(demo) == "zh"


@pytest.mark.parametrize(("params", "message"), [
    ({"unit_id": "示例工区"}, r"02_group_scorecard: unit_id='示例工区' is not one of this dataset's; "
                             r"choose one "
                             r"of: WA01 \(示例输电运检工区\)"),
    ({"year": "二〇一九"}, r"02_group_scorecard: year='二〇一九': expected a whole number like 2019"),
    ({"colour": "red"}, r"02_group_scorecard: unknown parameter 'colour'; it takes: unit_id, year, lang"),
    ({"data_dir": "x"}, r"unknown parameter 'data_dir'"),
])
def test_bad_values_list_the_choices(params, message):
    with pytest.raises(ParameterError, match=message):
        single_config("02", LEDGERS, params)


def test_several_units_need_one_named():
    with pytest.raises(ParameterError, match=r"07_org_life: give the unit_id \(-p unit_id=…\); "
                                             r"choose one of: "
                                             r"WA01 \(输电运检一工区\), WA02 \(输电运检二工区\)"):
        single_config("07", "demo")


def test_a_name_shared_by_two_units(make_dataset):
    import pandas as pd

    root = make_dataset({
        "units": pd.DataFrame({"unit_id": ["C", "A", "B"], "name": ["公司", "检修工区", "检修工区"],
                               "parent_id": [None, "C", "C"], "level": ["公司", "工区", "工区"],
                               "sector": ["电力"] * 3}),
        "groups": pd.DataFrame({"group_id": ["G1", "G2"], "unit_id": ["A", "B"], "name": ["甲", "乙"],
                                "members": [5, 6], "leader_id": ["M1", "M2"]})})
    with pytest.raises(ParameterError, match=r"unit_id='检修工区' names 2 of them; choose one of: "
                                             r"A \(检修工区\), "
                                             r"B \(检修工区\)"):
        single_config("07", root, {"unit_id": "检修工区"})


def test_bad_boolean_and_missing_folder(tmp_path):
    with pytest.raises(ParameterError, match=r"member_names='maybe': write true or false"):
        single_config("07", "demo", {"unit_id": "WA01", "member_names": "maybe"})
    with pytest.raises(DataError, match="no dataset.yml in"):
        single_config("02", tmp_path)


def test_the_survey_wave_defaults_to_the_one_the_data_has(tmp_path):
    """Demo waves 2017-2019 hold the notebook default 2019; a folder of 2018 alone gets 2018."""
    import shutil

    assert "wave" not in single_config("04", "demo", {"unit_id": "WA01"})["reports"][0]["parameters"]
    root = tmp_path / "svy"
    shutil.copytree(data_dir() / "demo", root)
    text = (root / "dataset.yml").read_text(encoding="utf-8")
    text = text.replace("2017: survey_2017.xlsx, 2018: survey_2018.xlsx, 2019: survey_2019.xlsx",
                        "2018: survey_2018.xlsx").replace("../rubrics/", f"{data_dir() / 'rubrics'}/")
    (root / "dataset.yml").write_text(text, encoding="utf-8")
    assert single_config("04", root, {"unit_id": "WA01"})["reports"][0]["parameters"]["wave"] == 2018


def test_the_period_defaults_to_the_latest_the_data_has(make_dataset):
    """A log of 2023-2024 gets period 2024 (the notebook's 2019 is the demo's); a given one is kept."""
    import pandas as pd

    act = pd.DataFrame({"group_id": ["G1", "G1", "G2"], "date": ["2023-05-10", "2024-03-12", "2024-04-02"],
                        "kind": ["group_meeting"] * 3, "attendees": [5, 4, 6], "expected": [5, 5, 6]})
    root = make_dataset({
        "units": pd.DataFrame({"unit_id": ["A"], "name": ["检修工区"], "parent_id": [None], "level": ["工区"],
                               "sector": ["电力"]}),
        "groups": pd.DataFrame({"group_id": ["G1", "G2"], "unit_id": ["A", "A"], "name": ["甲", "乙"],
                                "members": [5, 6], "leader_id": ["M1", "M2"]}),
        "activities": act})
    assert single_config("07", root)["reports"][0]["parameters"]["period"] == "2024"
    assert single_config("07", root, {"period": "2023"})["reports"][0]["parameters"]["period"] == "2023"
    # the demo has the notebook's default year, which stays (no parameter added)
    assert "year" not in single_config("02", "demo", {"unit_id": "WA01"})["reports"][0]["parameters"]


def test_a_year_without_data_is_refused_before_the_notebook_runs():
    with pytest.raises(ParameterError, match=r"02_group_scorecard: year=2030 has no data; years with data: "
                                             r"2015, 2016, 2017, 2018, 2019"):
        single_config("02", "demo", {"unit_id": "WA01", "year": "2030"})
    with pytest.raises(ParameterError, match=r"07_org_life: period='2030Q1' has no data"):
        single_config("07", "demo", {"unit_id": "WA01", "period": "2030Q1"})
    assert single_config("07", "demo", {"unit_id": "WA01", "period": "2019Q2"})["reports"][0][
        "parameters"]["period"] == "2019Q2"
