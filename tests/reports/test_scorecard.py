"""Scorecard (notebook 02) tables and sentences, and the notebook under papermill."""

import papermill as pm
import pytest
from grouplab import ParameterError, load_demo
from grouplab.paths import notebooks_dir
from grouplab.reports import scorecard as s


@pytest.fixture(scope="module")
def sc():
    return s.prepare("demo", unit_id="WA01", year=2019, lang="zh")


def test_totals_match_the_raw_item_scores(sc):
    ev = load_demo()["evaluations"]
    raw = ev[(ev["group_id"] == "G001") & ev["period"].isin(["2019H1", "2019H2"])]
    h1, h2 = (raw.loc[raw["period"] == p, "score"].sum() for p in ("2019H1", "2019H2"))
    name = load_demo()["groups"].set_index("group_id").loc["G001", "name"]
    row = s.grades_table(sc).set_index("党小组").loc[name]
    assert (row["上半年得分"], row["下半年得分"]) == (h1, h2)
    assert row["全年平均"] == round((h1 + h2) / 2, 2)


def test_sentences_follow_the_numbers(sc):
    table, sentence = s.rectification_table(sc)
    assert len(table) == int(sentence.split(" ")[0])
    assert s.advanced_sentence(sc).startswith("2019 年度先进党小组")
    en = s.prepare("demo", unit_id="WA01", year=2019, lang="en")
    assert "groups of" in s.summary(en) and "Year grade" in s.grades_table(en).columns


def test_parameters_are_checked_with_the_valid_values_listed():
    with pytest.raises(ParameterError, match="valid: WA01, WA02"):
        s.prepare("demo", unit_id="WA99", year=2019, lang="zh")
    with pytest.raises(ParameterError, match="years with data: 2015"):
        s.prepare("demo", unit_id="WA01", year=2030, lang="zh")
    with pytest.raises(ParameterError, match="zh, en"):
        s.prepare("demo", unit_id="WA01", year=2019, lang="fr")


@pytest.mark.parametrize("params", [{"unit_id": "WA03", "year": 2018, "lang": "en"},
                                    {"unit_id": "WA07", "year": 2017, "lang": "zh"}])
@pytest.mark.slow
def test_notebook_runs_with_other_parameters(tmp_path, params):
    out = tmp_path / "02.ipynb"
    pm.execute_notebook(str(notebooks_dir() / "02_group_scorecard.ipynb"), str(out),
                        parameters=params, kernel_name="grouplab", progress_bar=False)
    text = out.read_text(encoding="utf-8")
    assert '"ename"' not in text
    assert ("Advanced group of" in text) == (params["lang"] == "en")
    assert ("年度先进党小组：" in text) == (params["lang"] == "zh")


def test_groups_are_in_name_order_in_the_table_and_the_heatmap(make_dataset):
    # a names-only roster: ids are hashes (tests/fixtures/received.py), so id order is no order a reader
    # knows; the grades table and the aspect heatmap list the groups by name, the same way
    from grouplab.data.dataset import load_dataset
    from received import LOST, received_folder  # tests/fixtures (pytest pythonpath)

    root = received_folder(make_dataset)
    units = load_dataset(root, cache=False)["units"]
    unit = units.loc[units["name"] == "变电检修工区", "unit_id"].iloc[0]
    card = s.prepare(str(root), unit_id=unit, year=2019, lang="zh")
    names = sorted(LOST["2019上半年"])  # 检修一班, 检修二班, 综合班 (code point order)
    assert s.grades_table(card)["党小组"].tolist() == names
    assert s.aspect_profile(card).index.tolist() == names
    fig = s.plot_aspects(card)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == names


def test_a_unit_without_evaluations_is_not_offered(demo):
    # a newcomer's roster named a 工区 whose ledger was not sent: `grouplab report` offered it and the
    # notebook then failed with "years with data: " (an empty list) inside a papermill traceback
    import dataclasses
    from types import MappingProxyType

    groups, ev = demo["groups"], demo["evaluations"]
    wa01 = set(groups.loc[groups["unit_id"] == "WA01", "group_id"])
    tables = {**demo.tables, "evaluations": ev[~ev["group_id"].isin(wa01)]}
    ds = dataclasses.replace(demo, tables=MappingProxyType(tables))
    assert "WA01" not in s.entity_ids(ds) and "WA02" in s.entity_ids(ds)
    with pytest.raises(ParameterError, match="valid: WA02"):
        s.prepare(ds, unit_id="WA01", year=2019, lang="zh")
