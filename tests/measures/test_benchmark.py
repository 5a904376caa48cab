"""Tests of grouplab.measures.benchmark: hand-computed cases and the seed's reported figures.

Seed essay 5 (data/demo/README.md "Oil area"): 2010 → 2011, area level —
抽油机平衡度达标率 85 % → 92.3 % (+7.3 points); 临时停产井影响产量 976 t → 399 t;
设备完好率 +4.9 points; 抽油井系统效率 32.6 % → 35.8 %; 泵效 43.9 % → 50.9 %.
Aggregation rule (catalogue ``aggregate`` / README): year value = mean (rates) or
sum (quantities) of all monthly values at the indicator's level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from grouplab.errors import DataError, ParameterError
from grouplab.measures.benchmark import benchmarks, change, rankings, station_values
from grouplab.paths import demo_dir

CAT = {"indicators": [
    {"id": "eff", "zh": "系统效率", "unit": "%", "direction": "higher", "aggregate": "mean"},
    {"id": "loss", "zh": "影响产量", "unit": "t", "direction": "lower", "aggregate": "sum"},
]}
UNITS = pd.DataFrame({"unit_id": ["A", "S1", "S2", "W1", "W2", "W3"],
                      "parent_id": [None, "A", "A", "S1", "S1", "S2"],
                      "level": ["work_area", "station", "station", "well", "well", "well"]})


def _values():
    # wells W1, W2 (station S1) and W3 (S2); months 2010-12, 2011-01, 2011-02
    rows = []
    data = {"eff": {"W1": [30, 34, 33], "W2": [32, 30, 35], "W3": [33, 31, 36]},
            "loss": {"W1": [5, 0, 2], "W2": [1, 3, 0], "W3": [2, 4, 1]}}
    for ind, wells in data.items():
        for w, vals in wells.items():
            for m, x in zip(["2010-12", "2011-01", "2011-02"], vals):
                rows.append((w, m, ind, float(x)))
    return pd.DataFrame(rows, columns=["entity_id", "month", "indicator_id", "value"])


def test_station_values_roll_wells_up_by_aggregate():
    sv = station_values(_values(), CAT, UNITS)
    s1 = sv[(sv["station_id"] == "S1") & (sv["month"] == "2011-01-01")].set_index("indicator_id")
    assert s1.loc["eff", "value"] == 32.0          # mean(34, 30)
    assert s1.loc["loss", "value"] == 3.0          # sum(0, 3)
    assert s1.loc["eff", "n_entities"] == 2


def test_benchmarks_best_basis_hand_calculation():
    b = benchmarks(_values(), CAT, units=UNITS).set_index(["station_id", "month", "indicator_id"])
    # S1 eff by month: 31, 32, 34 ; S2: 33, 31, 36 (higher is better)
    r = b.loc[("S1", pd.Timestamp("2011-02-01"), "eff")]
    assert r["station_benchmark"] == 32.0          # own best before Feb: max(31, 32)
    assert r["gap_station"] == 2.0                 # 34 - 32, new record
    assert r["area_benchmark"] == 36.0 and r["area_best"] == "S2"
    assert r["gap_area"] == -2.0
    # loss (lower is better) S1: 6, 3, 2 ; S2: 2, 4, 1
    r = b.loc[("S2", pd.Timestamp("2011-01-01"), "loss")]
    assert r["station_benchmark"] == 2.0           # own best (lowest) so far
    assert r["gap_station"] == -2.0                # 4 is 2 t worse
    assert r["area_benchmark"] == 3.0 and r["area_best"] == "S1" and r["gap_area"] == -1.0
    assert r["gap_area_rel"] == pytest.approx(-1 / 3)
    assert np.isnan(b.loc[("S1", pd.Timestamp("2010-12-01"), "eff"), "station_benchmark"])


def test_benchmarks_year_end_basis():
    b = benchmarks(_values(), CAT, units=UNITS, basis="year_end")
    b = b.set_index(["station_id", "month", "indicator_id"])
    r = b.loc[("S1", pd.Timestamp("2011-02-01"), "eff")]
    assert r["station_benchmark"] == 31.0 and r["gap_station"] == 3.0   # Dec 2010 value
    r = b.loc[("S1", pd.Timestamp("2011-02-01"), "loss")]
    assert r["station_benchmark"] == 6.0 and r["gap_station"] == 4.0
    with pytest.raises(ParameterError, match="basis"):
        benchmarks(_values(), CAT, basis="median")


def test_rankings_direction_aware_with_ties():
    r = rankings(_values(), CAT, units=UNITS)
    jan = r[r["month"] == "2011-01-01"].set_index(["indicator_id", "station_id"])["rank"]
    assert jan[("eff", "S1")] == 1 and jan[("eff", "S2")] == 2      # 32 vs 31, higher better
    assert jan[("loss", "S1")] == 1 and jan[("loss", "S2")] == 2    # 3 vs 4, lower better
    tie = pd.DataFrame({"entity_id": ["S1", "S2", "S3"], "month": "2011-01",
                        "indicator_id": "eff", "value": [5.0, 5.0, 4.0]})
    assert rankings(tie, CAT)["rank"].tolist() == [1, 1, 3]


def test_change_levels_points_and_direction():
    c = change(_values(), CAT, before=2010, after=2011).set_index("indicator_id")
    # eff: 2010 mean(30, 32, 33) = 31.667 ; 2011 mean(34,33,30,35,31,36) = 33.167 -> +1.5 points
    assert c.loc["eff", "change"] == pytest.approx(1.5)
    assert c.loc["eff", "change_pct"] == pytest.approx(100 * 1.5 / (95 / 3))
    # loss: 2010 sum 8 ; 2011 sum 10 -> +2 t, worse
    assert (c.loc["loss", "value_before"], c.loc["loss", "value_after"]) == (8.0, 10.0)
    assert not c.loc["loss", "improved"] and c.loc["eff", "improved"]
    st = change(_values(), CAT, before="2010", after="2011", units=UNITS, by="station")
    assert st["station_id"].unique().tolist() == ["S1", "S2"]


def test_unknown_indicator_is_reported():
    v = _values()
    v.loc[0, "indicator_id"] = "bogus"
    with pytest.raises(DataError, match="bogus"):
        change(v, CAT, before=2010, after=2011)


def test_demo_reproduces_seed_area_changes():
    import grouplab

    d = grouplab.load_dataset(demo_dir())
    c = change(d["indicators"], d.catalogue, before=2010, after=2011).set_index("indicator_id")
    r = c[["value_before", "value_after", "change"]].round(1)
    # 抽油机平衡度达标率 85 % -> 92.3 % ("比去年实际提高了7.3个百分点")
    assert tuple(r.loc["balance_rate"]) == (85.0, 92.3, 7.3)
    # 临时停产井影响产量由976噸减少到399噸
    assert tuple(r.loc["shut_in_loss"].round(0)) == (976.0, 399.0, -577.0)
    # 设备完好率提高了4.9个百分点
    assert r.loc["equipment_integrity", "change"] == 4.9
    # 抽油井系统效率由32.6%提高到35.8%
    assert tuple(r.loc["system_efficiency", ["value_before", "value_after"]]) == (32.6, 35.8)
    # 砂岩泵效由43.9%提高到50.9%
    assert tuple(r.loc["pump_efficiency", ["value_before", "value_after"]]) == (43.9, 50.9)
    assert c["improved"].all()
    ranks = rankings(d["indicators"], d.catalogue, units=d["units"])
    assert set(ranks["station_id"]) == {"S1", "S2", "S3"}
    assert (ranks["n_ranked"] == 3).all()
