"""Tests of grouplab.measures.safety: exact Poisson intervals, rates, streaks, spells."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from grouplab.errors import DataError
from grouplab.measures.safety import incident_rates, poisson_ci, safe_days, time_to_next


# ----------------------------------------------------------------- Poisson CI
def test_garwood_interval_published_values():
    # Garwood (1936) exact 95 % limits, as tabulated e.g. in Ulm (1990) Am J Epidemiol 131:373
    # and returned by R: poisson.test(0)$conf.int -> 0.000000 3.688879;
    # poisson.test(5)$conf.int -> 1.623486 11.668332
    ci = poisson_ci([0, 5])
    assert ci["low"].tolist()[0] == 0.0
    assert ci["high"].iloc[0] == pytest.approx(3.688879, abs=1e-6)
    assert ci["low"].iloc[1] == pytest.approx(1.623486, abs=1e-6)
    assert ci["high"].iloc[1] == pytest.approx(11.668332, abs=1e-6)


def test_garwood_90_percent():
    # R: poisson.test(0, conf.level = 0.9)$conf.int -> 0.000000 2.995732 (= -log(0.05))
    assert poisson_ci(0, conf=0.9)["high"].iloc[0] == pytest.approx(-np.log(0.05))
    with pytest.raises(DataError):
        poisson_ci([-1])


# ----------------------------------------------------------------- rates
INC = pd.DataFrame({
    "incident_id": ["e1", "e2", "e3", "e4", "e5", "e6"],
    "group_id": ["G1", "G1", "G1", "G2", "G2", "G1"],
    "date": pd.to_datetime(["2019-01-05", "2019-01-05", "2019-03-10", "2019-02-01",
                            "2020-01-15", "2019-07-01"]),
    "category": ["violation", "responsibility_accident", "violation", "violation",
                 "responsibility_accident", "responsibility_accident"],
    "responsible": pd.array([True, True, True, False, False, False], dtype="boolean"),
})
EXP = pd.DataFrame({
    "group_id": ["G1"] * 3 + ["G2"] * 3,
    "month": pd.to_datetime(["2019-01-01", "2019-02-01", "2019-03-01",
                             "2019-02-01", "2019-03-01", "2020-01-01"]),
    "person_hours": [100_000.0, 100_000.0, 200_000.0, 50_000.0, 50_000.0, 100_000.0],
})


def test_rates_hand_computed():
    inc = INC[INC["date"] < "2019-04-01"]
    r = incident_rates(inc, EXP, categories=["violation", "responsibility_accident"])
    g1v = r[(r["group_id"] == "G1") & (r["category"] == "violation")].iloc[0]
    # 2 violations in 400,000 h → 1.0 per 200k, 5.0 per million
    assert g1v["events"] == 2 and g1v["person_hours"] == 400_000.0
    assert g1v["rate_200k"] == pytest.approx(1.0) and g1v["rate_1m"] == pytest.approx(5.0)
    # interval: Garwood(2) = (0.2422, 7.2247) scaled by 1e6 / 4e5
    lo, hi = poisson_ci(2)[["low", "high"]].iloc[0]
    assert g1v["rate_1m_low"] == pytest.approx(lo * 2.5) and g1v["rate_1m_high"] == pytest.approx(hi * 2.5)
    # zero cell kept, with the 0-event upper limit 3.689 per 200,000 h of G2
    g2a = r[(r["group_id"] == "G2") & (r["category"] == "responsibility_accident")].iloc[0]
    assert g2a["events"] == 0 and g2a["rate_1m"] == 0.0
    assert g2a["rate_1m_high"] == pytest.approx(3.688879 * 1e6 / 200_000, rel=1e-6)
    assert list(r.columns[:3]) == ["group_id", "category", "events"]
    assert len(r) == 4


def test_rates_by_year_overall_and_errors():
    r = incident_rates(INC, EXP, by=["year"], categories="responsibility_accident")
    assert r[["year", "events", "person_hours"]].values.tolist() == [[2019, 2, 500_000.0],
                                                                      [2020, 1, 100_000.0]]
    overall = incident_rates(INC, EXP, by=(), categories=["violation"])
    assert overall[["events", "person_hours"]].iloc[0].tolist() == [3, 600_000.0]
    # an incident with no exposure cell (G1 in July 2019 by month) is an error, not dropped
    with pytest.raises(DataError, match="without exposure"):
        incident_rates(INC, EXP, by=["group_id", "month"])
    with pytest.raises(DataError, match="no group_id"):
        incident_rates(INC.assign(group_id=[None] + ["G1"] * 5), EXP)
    with pytest.raises(DataError, match="missing column"):
        incident_rates(INC, EXP.drop(columns="person_hours"))
    with pytest.raises(DataError, match="unknown incident categories"):
        incident_rates(INC, EXP, categories=["fire"])


# ----------------------------------------------------------------- streaks
def test_safe_days_hand_computed_and_resets():
    # window 2019-01-01..2019-12-31 (365 days); G1 accidents on 01-05 (day 4) and 07-01 (day 181):
    # streaks 4 (Jan 1–4), 176 (Jan 6–Jun 30), 183 (Jul 2–Dec 31) → cycles 0 + 1 + 1
    out = safe_days(INC, start="2019-01-01", end="2019-12-31", groups=["G1", "G2", "G3"])
    g1 = out.set_index("group_id").loc["G1"]
    assert g1[["days", "resets", "safe_days", "longest_streak", "current_streak",
               "cycles_completed"]].tolist() == [365, 2, 363, 183, 183, 2]
    assert g1["last_reset"] == pd.Timestamp("2019-07-01")
    # G2's accident is in 2020, outside the window; G3 has none
    g3 = out.set_index("group_id").loc["G3"]
    assert g3[["resets", "longest_streak", "current_streak", "cycles_completed"]].tolist() \
        == [0, 365, 365, 3]
    assert pd.isna(out.set_index("group_id").loc["G2", "last_reset"])


def test_safe_days_reset_rule_is_configurable():
    # violations also interrupt: G1 resets on 01-05 (two incidents, one day), 03-10, 07-01
    out = safe_days(INC, start="2019-01-01", end="2019-12-31",
                    reset=["responsibility_accident", "violation"]).set_index("group_id")
    assert out.loc["G1", "resets"] == 3
    # streaks 4, 63 (Jan 6–Mar 9), 112 (Mar 11–Jun 30), 183 → longest 183, cycles 0+0+1+1
    assert out.loc["G1", ["longest_streak", "cycles_completed"]].tolist() == [183, 2]
    # G2's violation on 2019-02-01 resets: 31 + 333 days
    assert out.loc["G2", ["longest_streak", "current_streak"]].tolist() == [333, 333]
    # only responsible incidents: G1's 07-01 accident is not responsible
    resp = safe_days(INC, start="2019-01-01", end="2019-12-31", responsible=True)
    assert resp.set_index("group_id").loc["G1", "current_streak"] == 360  # Jan 6–Dec 31 = 365 − 5


def test_safe_days_incident_on_last_day_and_bad_window():
    inc = pd.DataFrame({"group_id": ["G1"], "date": pd.to_datetime(["2019-01-10"]),
                        "category": ["responsibility_accident"]})
    out = safe_days(inc, start="2019-01-01", end="2019-01-10")
    assert out[["current_streak", "longest_streak"]].iloc[0].tolist() == [0, 9]
    with pytest.raises(DataError, match="before start"):
        safe_days(inc, start="2019-02-01", end="2019-01-01")


def test_time_to_next_spells():
    out = time_to_next(INC, start="2019-01-01", end="2019-12-31", groups=["G1", "G3"])
    g1 = out[out["group_id"] == "G1"]
    # start → 01-05 (4 days, event), 01-05 → 07-01 (177 days, event), 07-01 → end censored (183)
    assert g1[["spell", "days", "event"]].values.tolist() == [[1, 4, True], [2, 177, True],
                                                              [3, 183, False]]
    g3 = out[out["group_id"] == "G3"]
    assert g3[["spell", "days", "event"]].values.tolist() == [[1, 364, False]]
    assert g1["entry"].iloc[1] == pd.Timestamp("2019-01-05")


def test_inputs_not_mutated():
    before_i, before_e = INC.copy(), EXP.copy()
    incident_rates(INC[INC["date"] < "2019-04-01"], EXP)
    safe_days(INC, start="2019-01-01", end="2019-12-31")
    time_to_next(INC, start="2019-01-01", end="2019-12-31")
    pd.testing.assert_frame_equal(INC, before_i)
    pd.testing.assert_frame_equal(EXP, before_e)
