"""Tests of grouplab.measures.panel: the group × month study panel and the lag builder."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from grouplab.errors import DataError, ParameterError
from grouplab.measures.evaluation import score
from grouplab.measures.panel import lag_columns, study_panel, survey_group_scores
from grouplab.synth import TRUTH


@pytest.fixture(scope="module")
def panel(demo):
    return study_panel(demo, survey=True, log_start="2014-01")


def test_panel_grid_and_outcomes(demo, panel):
    exp = demo["exposure"]
    assert len(panel) == len(exp)
    assert not panel.duplicated(["group_id", "month"]).any()
    inc = demo["incidents"]
    for cat in ["violation", "responsibility_accident", "hidden_hazard"]:
        assert panel[f"n_{cat}"].sum() == (inc["category"] == cat).sum()
    assert np.isclose(panel["person_hours"].sum(), exp["person_hours"].sum())


def test_quality_deficit_follows_the_dgp_convention(panel):
    # README: D = mean flags per group meeting in the month, 3 if no meeting was held
    none = panel["n_meetings"] == 0
    assert none.any()
    assert (panel.loc[none, "quality_deficit"] == 3).all()
    some = ~none
    assert panel.loc[some, "quality_deficit"].between(0, 3).all()
    assert np.allclose(panel.loc[some, "quality_deficit"], panel.loc[some, "flags_per_meeting"])


def test_training_windows(panel):
    g = panel[panel["group_id"] == panel["group_id"].iloc[0]].reset_index(drop=True)
    # trained_prev_12m (t-12..t-1) is trained_12m (t-11..t) shifted by one month
    assert np.array_equal(g["trained_prev_12m"].to_numpy()[1:], g["trained_12m"].to_numpy()[:-1],
                          equal_nan=True)


def test_adoption_matches_truth(panel):
    for area, month in TRUTH["adoption"].items():
        sub = panel[panel["unit_id"] == area]
        if month is None:
            assert sub["adoption_month"].isna().all() and sub["area_adopted"].eq(0).all()
        else:
            assert (sub["adoption_month"] == pd.Timestamp(month + "-01")).all()
            assert sub.loc[sub["month"] < pd.Timestamp(month + "-01"), "area_adopted"].eq(0).all()
            assert sub.loc[sub["month"] >= pd.Timestamp(month + "-01"), "area_adopted"].eq(1).all()


def test_evaluation_total_excludes_outcome_linked_items(demo, panel):
    sc = score(demo["evaluations"], demo.rubric, exclude_items=["I10"])
    row = sc.iloc[0]
    y, h = int(row["period"][:4]), int(row["period"][-1])
    m = pd.Timestamp(year=y, month=6 * (h - 1) + 1, day=1)
    got = panel.loc[(panel["group_id"] == row["group_id"]) & (panel["month"] == m), "eval_total"]
    assert got.iloc[0] == pytest.approx(row["total"])


def test_survey_aggregates_report_icc_rwg(demo, panel):
    sg = survey_group_scores(demo["survey"], demo.questionnaire)
    assert {"icc1", "icc2", "rwg_j", "aggregate_ok", "n_respondents"} <= set(sg.columns)
    assert sg["rwg_j"].between(0, 1).all()
    assert set(sg["wave"]) == {2017, 2018, 2019}
    assert panel.loc[panel["year"] == 2018, "svy_cohesion"].notna().any()
    assert panel.loc[panel["year"] == 2015, "svy_cohesion"].isna().all()


def test_lags_do_not_cross_groups_or_gaps():
    p = pd.DataFrame({"group_id": ["A", "A", "A", "B", "B"],
                      "month": pd.to_datetime(["2019-01-01", "2019-02-01", "2019-04-01",
                                               "2019-02-01", "2019-03-01"]),
                      "x": [1.0, 2.0, 4.0, 10.0, 20.0]})
    out = lag_columns(p.iloc[::-1], "x", 2).sort_values(["group_id", "month"])
    assert out["x_lag1"].tolist()[:3] == pytest.approx([np.nan, 1.0, np.nan], nan_ok=True)
    assert out["x_lag2"].tolist()[2] == 2.0          # April <- February, calendar aware
    assert np.isnan(out["x_lag1"].tolist()[3])       # B's first month never sees A's values
    assert out["x_lag1"].tolist()[4] == 10.0


def test_lags_refuse_leads():
    p = pd.DataFrame({"group_id": ["A"], "month": pd.to_datetime(["2019-01-01"]), "x": [1.0]})
    with pytest.raises(ParameterError, match="positive whole months"):
        lag_columns(p, "x", [-1])


def test_panel_needs_tables():
    with pytest.raises(DataError, match="table 'incidents' is missing"):
        study_panel({"groups": pd.DataFrame({"group_id": [], "unit_id": []}),
                     "exposure": pd.DataFrame({"group_id": [], "month": [],
                                               "person_hours": []})})


def test_in_memory_synth_frames():
    from grouplab.synth.build import generate
    p = study_panel(generate(7), log_start="2014-01")
    assert p["n_violation"].sum() > 0 and p["trained_prev_12m"].notna().all()


def test_panel_uses_the_one_rule_for_a_rated_meeting():
    # one group, January 2019: a meeting with all flags known (two flags) and a meeting with
    # one flag True and two missing. Rated = all three recorded (activity.rated_meetings), so
    # only the first counts: 1 rated meeting, 2 flags per meeting, quality 0.
    groups = pd.DataFrame({"group_id": ["G1"], "unit_id": ["U1"]})
    exposure = pd.DataFrame({"group_id": ["G1", "G1"], "month": pd.to_datetime(["2019-01-01",
                                                                                  "2019-02-01"]),
                             "person_hours": [1000.0, 1000.0]})
    incidents = pd.DataFrame({"group_id": pd.Series([], dtype=object),
                              "date": pd.to_datetime(pd.Series([], dtype=object)),
                              "category": pd.Series([], dtype=object)})
    activities = pd.DataFrame({
        "group_id": ["G1", "G1"], "date": pd.to_datetime(["2019-01-05", "2019-01-20"]),
        "kind": ["group_meeting", "group_meeting"],
        "praise_over_criticism": pd.array([True, True], dtype="boolean"),
        "form_over_substance": pd.array([True, None], dtype="boolean"),
        "chat_over_solving": pd.array([False, None], dtype="boolean")})
    p = study_panel({"groups": groups, "exposure": exposure, "incidents": incidents,
                     "activities": activities}).set_index("month")
    jan, feb = pd.Timestamp("2019-01-01"), pd.Timestamp("2019-02-01")
    assert p.loc[jan, "n_meetings"] == 2 and p.loc[jan, "n_rated_meetings"] == 1
    assert p.loc[jan, "flags_per_meeting"] == 2.0 and p.loc[jan, "meeting_quality"] == 0.0
    assert p.loc[jan, "flag_chat_over_solving"] == 0.0
    assert p.loc[feb, "quality_deficit"] == 3.0  # no meeting in February
