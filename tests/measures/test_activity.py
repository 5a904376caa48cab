"""Tests of grouplab.measures.activity: hand-computed group-month cases and the lag helper."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from grouplab.errors import DataError, ParameterError
from grouplab.measures.activity import DEFAULT_REQUIREMENTS, activity_panel, lag


def _act(rows):
    """rows: (group_id, date, kind, attendees, expected, duration_h, p, f, c)."""
    cols = ["group_id", "date", "kind", "attendees", "expected", "duration_h",
            "praise_over_criticism", "form_over_substance", "chat_over_solving"]
    df = pd.DataFrame(rows, columns=cols)
    df["date"] = pd.to_datetime(df["date"])
    for c in ("attendees", "expected"):
        df[c] = df[c].astype("Int64")
    for c in cols[-3:]:
        df[c] = df[c].astype("boolean")
    return df


N = None
ACT = _act([
    # G1, January: two meetings, one with a 三多三少 flag, one clean
    ("G1", "2019-01-05", "group_meeting", 8, 10, 1.0, True, False, False),
    ("G1", "2019-01-20", "group_meeting", 10, 10, 1.0, False, False, False),
    ("G1", "2019-01-25", "work_report", N, N, N, N, N, N),
    ("G1", "2019-01-28", "leader_training", 1, 1, 4.0, N, N, N),
    ("G1", "2019-02-10", "demonstration_day", 9, 10, 2.0, N, N, N),
    # G1, April: one meeting with unknown flags and unknown attendance
    ("G1", "2019-04-02", "group_meeting", N, N, 1.0, N, N, N),
    ("G1", "2019-04-15", "demonstration_day", 9, 10, 2.0, N, N, N),
    # G2, March only
    ("G2", "2019-03-03", "group_meeting", 3, 6, 1.0, False, True, True),
    ("G2", "2019-03-04", "theme_day", 5, 6, 2.0, N, N, N),
])


def _row(panel, g, month):
    return panel[(panel["group_id"] == g) & (panel["month"] == pd.Timestamp(month))].iloc[0]


def test_complete_grid_with_empty_months():
    p = activity_panel(ACT)
    # 2 groups × Jan..Apr 2019, months without any activity included
    assert len(p) == 8
    assert p["month"].min() == pd.Timestamp("2019-01-01")
    assert p.groupby("group_id").size().tolist() == [4, 4]
    assert _row(p, "G2", "2019-01-01")["n_group_meeting"] == 0


def test_explicit_groups_and_months():
    p = activity_panel(ACT, groups=["G1", "G2", "G3"], months=("2019-02", "2019-06"))
    assert len(p) == 3 * 5
    assert p.loc[p["group_id"] == "G3", "n_group_meeting"].sum() == 0


def test_attendance_and_quality_hand_computed():
    p = activity_panel(ACT)
    jan = _row(p, "G1", "2019-01-01")
    assert jan["n_group_meeting"] == 2
    assert jan["attendance_rate"] == pytest.approx(18 / 20)   # (8 + 10) / (10 + 10)
    assert jan["meeting_quality"] == pytest.approx(1 / 2)     # one of two meetings clean
    apr = _row(p, "G1", "2019-04-01")
    assert apr["n_group_meeting"] == 1
    assert np.isnan(apr["attendance_rate"]) and np.isnan(apr["meeting_quality"])  # unknown
    mar2 = _row(p, "G2", "2019-03-01")
    assert mar2["meeting_quality"] == 0.0 and mar2["attendance_rate"] == 0.5
    assert mar2["n_theme_day"] == 1


def test_compliance_uses_trailing_windows_and_setting():
    p = activity_panel(ACT)
    assert bool(_row(p, "G1", "2019-01-01")["ok_group_meeting"])
    assert not bool(_row(p, "G1", "2019-02-01")["ok_group_meeting"])
    # quarterly rule (1 per 3 months): G1's Feb demonstration day covers Feb, Mar, Apr
    assert bool(_row(p, "G1", "2019-03-01")["ok_demonstration_day"])
    # 3-month windows reaching before the log start (Jan) are unknown in Jan and Feb
    assert pd.isna(_row(p, "G1", "2019-02-01")["ok_inspection"])
    assert not bool(_row(p, "G1", "2019-03-01")["ok_inspection"])
    # a custom setting, 1 meeting per 2 months: Feb's window (Jan–Feb) holds January's
    # meetings, March's window (Feb–Mar) none; January's window reaches before the log
    custom = dict(DEFAULT_REQUIREMENTS, group_meeting=(1, 2))
    q = activity_panel(ACT, requirements=custom)
    assert pd.isna(_row(q, "G1", "2019-01-01")["ok_group_meeting"])
    assert bool(_row(q, "G1", "2019-02-01")["ok_group_meeting"])
    assert not bool(_row(q, "G1", "2019-03-01")["ok_group_meeting"])


def test_training_12m_and_hours():
    p = activity_panel(ACT, months=("2019-01", "2019-04"), log_start="2018-04")
    assert _row(p, "G1", "2019-01-01")["training_hours"] == 4.0
    assert _row(p, "G1", "2019-03-01")["training_hours_12m"] == 4.0  # window 2018-04..2019-03
    assert pd.isna(_row(p, "G1", "2019-02-01")["training_hours_12m"])  # reaches 2018-03
    assert bool(_row(p, "G1", "2019-04-01")["trained_12m"])
    assert not bool(_row(p, "G2", "2019-04-01")["trained_12m"])
    # without the earlier log start, the 12-month window is unknown
    assert pd.isna(_row(activity_panel(ACT), "G1", "2019-04-01")["trained_12m"])


def test_five_systems():
    req = {"group_meeting": 1, "leader_training": 1, "work_report": 1,
           "half_year_summary": 1, "mass_contact": 1, "inspection": 1}
    p = activity_panel(ACT, requirements=req)
    # G1 January: meeting, training, report met; no summary, mass contact, inspection
    jan = _row(p, "G1", "2019-01-01")
    assert jan["five_systems"] == 2 and not jan["five_systems_ok"]
    with pytest.raises(DataError, match="needs requirement"):
        activity_panel(ACT, requirements={"group_meeting": 1})


def test_posts_active_and_quarter_demo_days():
    posts = pd.DataFrame({"group_id": ["G1", "G1", "G2"], "member_id": ["m1", "m2", "m3"],
                          "start": pd.to_datetime(["2019-01-31", "2019-03-01", "2018-06-01"]),
                          "end": pd.to_datetime(["2019-02-01", None, "2019-02-28"])})
    p = activity_panel(ACT, posts)
    assert p.loc[p["group_id"] == "G1", "posts_active"].tolist() == [1, 1, 1, 1]
    assert p.loc[p["group_id"] == "G2", "posts_active"].tolist() == [1, 1, 0, 0]
    # G1 demonstration days: Feb (Q1) and Apr (Q2) → quarter-to-date 0, 1, 1, 1
    assert p.loc[p["group_id"] == "G1", "demo_days_qtd"].tolist() == [0, 1, 1, 1]
    assert activity_panel(ACT)["posts_active"].isna().all()


def test_input_not_mutated_and_bad_input():
    before = ACT.copy()
    activity_panel(ACT)
    pd.testing.assert_frame_equal(ACT, before)
    with pytest.raises(DataError, match="missing column"):
        activity_panel(ACT.drop(columns="kind"))
    with pytest.raises(DataError, match="unknown activity kind"):
        activity_panel(ACT.assign(kind="party_meeting"))
    with pytest.raises(DataError, match="unknown activity kind"):
        activity_panel(ACT, requirements={"coffee": 1})


# ----------------------------------------------------------------- lag
PANEL = pd.DataFrame({
    "group_id": ["A", "A", "A", "B", "B"],
    # A has a gap (no March row); B starts right after A ends in the row order
    "month": pd.to_datetime(["2019-01-01", "2019-02-01", "2019-04-01",
                             "2019-05-01", "2019-06-01"]),
    "x": [1.0, 2.0, 4.0, 5.0, 6.0],
})


def test_lag_across_gap_and_group_boundary():
    out = lag(PANEL, "x", 1)
    # A-Apr: March missing → NaN (not Feb's 2.0); B-May: no B-Apr → NaN (not A-Apr's 4.0)
    assert out["x_lag1"].tolist()[:3] == [pytest.approx(np.nan, nan_ok=True), 1.0,
                                          pytest.approx(np.nan, nan_ok=True)]
    assert np.isnan(out["x_lag1"].iloc[3]) and out["x_lag1"].iloc[4] == 5.0
    two = lag(PANEL, ["x"], 2)
    assert two["x_lag2"].iloc[2] == 2.0  # April ← February, bridging the gap by calendar


def test_lag_lead_order_and_no_mutation():
    shuffled = PANEL.sample(frac=1.0, random_state=3)
    before = shuffled.copy()
    out = lag(shuffled, "x", -1)
    pd.testing.assert_frame_equal(shuffled, before)
    assert list(out.index) == list(shuffled.index)
    got = dict(zip(zip(out["group_id"], out["month"]), out["x_lead1"]))
    assert got[("A", pd.Timestamp("2019-01-01"))] == 2.0
    assert np.isnan(got[("A", pd.Timestamp("2019-02-01"))])


def test_lag_bad_input():
    with pytest.raises(ParameterError, match="non-zero"):  # k is an argument, not input data
        lag(PANEL, "x", 0)
    with pytest.raises(DataError, match="repeated"):
        lag(pd.concat([PANEL, PANEL.head(1)]), "x", 1)
    with pytest.raises(DataError, match="missing column"):
        lag(PANEL, "y", 1)


# ----------------------------------------------------------------- rated meetings, spec file
def test_one_rule_for_a_rated_meeting():
    # G1 May: one meeting with all flags known (one flag), one with a single True flag and two
    # unknown. Only the first is rated (rated_meetings: all three recorded), so quality 0/1,
    # flags per meeting 1/1, praise share 1/1.
    extra = _act([
        ("G1", "2019-05-05", "group_meeting", 5, 10, 1.0, True, False, False),
        ("G1", "2019-05-20", "group_meeting", 5, 10, 1.0, N, True, N),
    ])
    p = activity_panel(pd.concat([ACT, extra], ignore_index=True))
    may = _row(p, "G1", "2019-05-01")
    assert may["n_group_meeting"] == 2 and may["n_rated_meetings"] == 1
    assert may["meeting_quality"] == 0.0 and may["flags_per_meeting"] == 1.0
    assert may["flag_praise_over_criticism"] == 1.0 and may["flag_form_over_substance"] == 0.0
    # G2 March: flags F, T, T → 2 flags on the one rated meeting
    mar2 = _row(p, "G2", "2019-03-01")
    assert mar2["flags_per_meeting"] == 2.0 and mar2["flag_chat_over_solving"] == 1.0


def test_rules_from_the_shipped_spec_file():
    import yaml
    from grouplab.measures.activity import settings_from_spec
    from grouplab.paths import rubrics_dir

    spec = yaml.safe_load((rubrics_dir() / "org_life.yml").read_text("utf-8"))
    req, systems = settings_from_spec(spec)
    # the essays' defaults: monthly meeting and report, yearly training, quarterly demo day
    assert req["group_meeting"] == (1, 1) and req["leader_training"] == (1, 12)
    assert req["demonstration_day"] == (1, 3) and req["half_year_summary"] == (1, 6)
    assert list(systems) == ["meeting", "training", "report", "mass_contact", "inspection"]
    assert systems["report"] == ("work_report", "half_year_summary")
    assert set(spec["post_types"]) == {"quiet_dedication", "service_star", "safety_guard",
                                       "zero_violation", "hardship_pioneer", "line_guard"}
    p = activity_panel(ACT, requirements=req, systems=systems)
    assert "ok_theme_day" not in p  # only the spec's requirements are judged
    bad = dict(spec, requirements={"group_meeting": {"count": 0, "months": 1}})
    with pytest.raises(DataError, match="count and months"):
        settings_from_spec(bad)
    with pytest.raises(DataError, match="non-empty 'systems'"):
        settings_from_spec({"requirements": spec["requirements"]})


def test_quarter_to_date_never_reads_before_the_grid():
    # panel starting in the middle of a quarter with the log starting there too:
    # February's quarter-to-date count holds February's demonstration day only
    p = activity_panel(ACT[ACT["date"] >= "2019-02-01"], months=("2019-02", "2019-04"))
    assert p.loc[p["group_id"] == "G1", "demo_days_qtd"].tolist() == [1, 1, 1]


def test_month_numbering_is_one_function():
    import grouplab.measures.activity as activity
    import grouplab.measures.attendance as attendance
    import grouplab.measures.lags as lags
    from grouplab.data import periods

    # every org-life module numbers months with data.periods (no second copy)
    assert activity.month_index is attendance.month_index is lags.month_index is periods.month_index
    i = periods.month_index(["2018-12-31", "2019-01-01"])
    assert (i[1] - i[0]) == 1 and str(periods.month_timestamps(i)[1])[:10] == "2019-01-01"


def test_open_posts_set_up_after_the_panel_are_not_errors():
    posts = pd.DataFrame({"group_id": ["G1"], "member_id": ["m1"],
                          "start": pd.to_datetime(["2019-09-01"]), "end": pd.to_datetime([None])})
    p = activity_panel(ACT, posts, months=("2019-01", "2019-04"))
    assert p["posts_active"].sum() == 0
