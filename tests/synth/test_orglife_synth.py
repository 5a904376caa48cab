"""The demo's member-attendance register and its documented truth (data/demo/README.md).

TRUTH["attendance"]: the register agrees with activities.csv (exactly `attendees` present at
every group meeting), and a few members drift away — absent without excuse from every group
meeting of the drift_months months — before their group's incidents rise.
"""

from __future__ import annotations

import re

import pandas as pd
from grouplab.measures.attendance import member_attendance_summary
from grouplab.paths import demo_dir
from grouplab.synth import TRUTH


def _episodes() -> list[tuple[str, str, str, str]]:
    """The drift table of the committed README (group, member, drift from, rise)."""
    text = (demo_dir() / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^\| (G\d+) \| (M\d+) \| (\d{4}-\d\d) \| (\d{4}-\d\d) \|$", text, re.M)


def test_register_agrees_with_the_activities_log(demo):
    a, act = demo["member_attendance"], demo["activities"]
    meetings = act[act["kind"] == "group_meeting"].set_index(["group_id", "date", "seq"])
    present = a[a["status"] == "present"].groupby(["group_id", "date", "seq"]).size()
    assert present.reindex(meetings.index).fillna(0).astype(int).eq(
        meetings["attendees"].astype(int)).all()
    # one row per member of the group at each meeting
    rows = a.groupby(["group_id", "date", "seq"]).size()
    assert rows.reindex(meetings.index).eq(meetings["expected"].astype(int)).all()


def test_planted_drifters_are_found_by_the_streak_rule(demo):
    eps = _episodes()
    assert 1 <= len(eps) <= TRUTH["attendance"]["drift_groups"]
    a = demo["member_attendance"]
    months = TRUTH["attendance"]["drift_months"]
    for group, member, first, rise in eps:
        assert (pd.Period(rise, "M") - pd.Period(first, "M")).n == months
        last = str(pd.Period(rise, "M") - 1)
        s = member_attendance_summary(a[a["group_id"] == group], start=first, end=last)
        row = s.set_index("member_id").loc[member]
        # absent without excuse from every meeting of the drift window: >= min_meetings in a row
        assert row["n_absent"] == row["n_expected"] >= TRUTH["attendance"]["min_meetings"]
        assert bool(row["absent_streak"]) and row["streak_first"] >= pd.Timestamp(first)


def test_the_drift_precedes_a_rise_in_incidents(demo):
    inc = demo["incidents"]
    inc = inc[inc["category"].isin(["violation", "responsibility_accident"])]
    w, lb = TRUTH["attendance"]["rise_window"], TRUTH["attendance"]["baseline_months"]
    for group, _, _, rise in _episodes():
        months = inc.loc[inc["group_id"] == group, "date"].dt.to_period("M")
        t = pd.Period(rise, "M")
        after = months.between(t, t + (w - 1)).sum()
        before = months.between(t - lb, t - 1).sum()
        # README: the 3-month count exceeds the previous 6 months' 3-month average by >= rise_min
        assert after - before * w / lb >= TRUTH["attendance"]["rise_min"]
