"""Benchmarking report tables, checked on a two-station example computed by hand."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from figures import missing_glyph_warnings  # noqa: E402  (tests/reports/figures.py)
from grouplab import ParameterError  # noqa: E402
from grouplab.reports import benchmark as br  # noqa: E402
from grouplab.reports.common.plots import use_theme  # noqa: E402

CAT = {"indicators": [
    {"id": "eff", "zh": "效率", "en": "Efficiency", "unit": "%", "direction": "higher", "aggregate": "mean"},
    {"id": "loss", "zh": "损失", "en": "Loss", "unit": "t", "direction": "lower", "aggregate": "sum"},
]}
MONTHS = ["2010-01", "2010-02", "2011-01", "2011-02"]
VALUES = {("S1", "eff"): [40, 42, 44, 46], ("S2", "eff"): [41, 41, 45, 47],
          ("S1", "loss"): [5, 3, 2, 2], ("S2", "loss"): [4, 4, 1, 3]}


def _ctx(lang="en", station="S1", year=2011):
    rows = [{"entity_id": s, "month": pd.Timestamp(m), "indicator_id": i, "value": float(v)}
            for (s, i), vs in VALUES.items() for m, v in zip(MONTHS, vs)]
    # one well without values: benchmark._parents needs a non-empty well -> station map
    units = pd.DataFrame({"unit_id": ["S1", "S2", "W1"], "name": ["一站", "二站", "一号井"],
                          "parent_id": pd.Series([None, None, "S1"], dtype="string"),
                          "level": ["station", "station", "well"]})
    return br.BenchmarkContext(values=pd.DataFrame(rows), units=units, catalogue=CAT, station_id=station,
                               station_name="一站", year=year, lang=lang)


def test_indicator_table_by_hand():
    t = br.indicator_table(_ctx()).set_index("indicator_id")
    # eff, S1 2011: values 44, 46; own best before: 42, 44; best station: 45, 47
    assert t.loc["eff", ["value", "station_benchmark", "area_benchmark", "gap_station", "gap_area"]
                 ].tolist() == [45.0, 43.0, 46.0, 2.0, -1.0]
    assert round(t.loc["eff", "gap_station_pct"], 3) == round(100 * 2 / 43, 3)
    assert t.loc["eff", ["months", "months_best", "months_record"]].tolist() == [2, 0, 2]
    # loss (lower is better), S1 2011: values 2, 2; own best before: 3, 2; best station: 1, 2
    assert t.loc["loss", ["value", "station_benchmark", "area_benchmark", "gap_station", "gap_area"]
                 ].tolist() == [2.0, 2.5, 1.5, 0.5, -0.5]
    assert t.loc["loss", ["months_best", "months_record"]].tolist() == [1, 1]


def test_ranking_table_by_hand():
    t = br.ranking_table(_ctx())
    assert t[["indicator_id", "month", "rank"]].values.tolist() == [
        ["eff", 1, 2], ["eff", 2, 2], ["loss", 1, 2], ["loss", 2, 1]]
    wide = br.format_ranking(t, _ctx("zh"))
    assert list(wide.columns) == ["指标", "1月", "2月", "平均名次"]
    assert wide["平均名次"].tolist() == [2.0, 1.5]


def test_change_table_by_hand():
    t = br.change_table(_ctx()).set_index("indicator_id")
    # area: eff mean of station-months 41.0 -> 45.5; loss sum 16 -> 8
    assert t.loc["eff", ["area_before", "area_after", "area_change"]].tolist() == [41.0, 45.5, 4.5]
    assert t.loc["loss", ["area_before", "area_after", "area_change"]].tolist() == [16.0, 8.0, -8.0]
    assert t.loc["loss", ["station_before", "station_after"]].tolist() == [8.0, 4.0]
    assert t["area_improved"].all() and t["station_improved"].all()
    text = br.interpret_change(t.reset_index(), _ctx())
    assert "“Efficiency” went from 41.0% to 45.5% (+4.5 points)" in text
    assert "“Loss” went from 16.0 t to 8.0 t" in text


def test_first_year_has_no_change():
    ctx = _ctx(year=2010)
    t = br.change_table(ctx)
    assert t["area_before"].isna().all()
    assert br.interpret_change(t, ctx) == "There are no data for 2009, so no change can be shown."
    assert br.format_change(t, ctx)["Area improved"].tolist() == ["", ""]


def test_labels_follow_lang():
    zh = br.format_indicators(br.indicator_table(_ctx("zh")), _ctx("zh"))
    en = br.format_indicators(br.indicator_table(_ctx("en")), _ctx("en"))
    assert zh.iloc[:, 0].tolist() == ["效率", "损失"] and "与区标差距" in zh.columns
    assert en.iloc[:, 0].tolist() == ["Efficiency", "Loss"] and "Gap to area benchmark" in en.columns
    assert en.iloc[:, 2].tolist() == ["higher", "lower"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_figures_render_without_missing_glyphs(tmp_path, lang):
    use_theme()
    ctx = _ctx(lang)
    figs = [br.plot_gaps(br.indicator_table(ctx), ctx), br.plot_ranking(br.ranking_table(ctx), ctx)]
    assert not missing_glyph_warnings(figs, tmp_path)


def test_demo_area_change_shows_the_seed_figures(demo):
    ctx = br.prepare(demo, station_id="S1", year=2011)
    t = br.change_table(ctx).set_index("indicator_id").round(1)
    # seed essay 5 (data/demo/README.md, "Oil area")
    assert t.loc["balance_rate", ["area_before", "area_after"]].tolist() == [85.0, 92.3]
    assert t.loc["shut_in_loss", ["area_before", "area_after"]].tolist() == [976.0, 399.0]
    assert t.loc["equipment_integrity", "area_change"] == 4.9
    assert t.loc["system_efficiency", ["area_before", "area_after"]].tolist() == [32.6, 35.8]
    assert t.loc["pump_efficiency", ["area_before", "area_after"]].tolist() == [43.9, 50.9]


def test_unknown_station_lists_the_valid_ones(demo):
    with pytest.raises(ParameterError, match="station_id='W01'.*valid: S1, S2, S3"):
        br.prepare(demo, station_id="W01", year=2011)
    with pytest.raises(ParameterError, match="years with data: 2010, 2011"):
        br.prepare(demo, station_id="S1", year=2012)


def _with_second_area(demo):
    """The demo plus a copy of its oil area (stations and wells suffixed ``b``) whose values are better.

    The copy's 区标 would beat the demo's every month if the area benchmark were taken
    over the whole company: the report of S1 must not change (area = the station's parent).
    """
    import dataclasses

    units, values = demo.tables["units"], demo.tables["indicators"]
    area = units[units["unit_id"].astype(str).isin(br.area_entities(units, "S1"))].copy()
    area["unit_id"] = area["unit_id"].astype(str) + "b"
    is_well = area["level"].astype(str) != "station"
    area.loc[is_well, "parent_id"] = area.loc[is_well, "parent_id"].astype(str) + "b"
    area.loc[~is_well, "parent_id"] = "OA2"
    copy = values.copy()
    copy["entity_id"] = copy["entity_id"].astype(str) + "b"
    copy["value"] = copy["value"] * 1.5  # higher and lower indicators both move far from the demo
    tables = {**demo.tables, "units": pd.concat([units, area], ignore_index=True),
              "indicators": pd.concat([values, copy], ignore_index=True)}
    return dataclasses.replace(demo, tables=tables)


def test_the_report_of_a_station_reads_only_its_work_area(demo):
    # issue 16: a report's cost (and its numbers) must not depend on how many areas the company has
    ctx1 = br.prepare(demo, station_id="S1", year=2011)
    ctx2 = br.prepare(_with_second_area(demo), station_id="S1", year=2011)
    for table in (br.indicator_table, br.ranking_table, br.change_table):
        pd.testing.assert_frame_equal(table(ctx2), table(ctx1))
    assert len(ctx2.values) == len(ctx1.values)  # the other area is not even read
    assert set(br.ranking_table(ctx2)["n_ranked"]) == {3}  # S1, S2, S3: the demo's three stations
