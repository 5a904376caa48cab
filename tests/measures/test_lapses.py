"""Lapses of the five systems (measures/lapses.py), against hand-counted month sequences."""

from __future__ import annotations

import pandas as pd
from grouplab.measures.lapses import STATUS_COLUMNS, lapse_status, recorded_kinds, rule_status, unrecorded

MONTHS = pd.date_range("2019-01-01", periods=6, freq="MS")


def _met(values):
    return pd.Series(values, dtype="boolean", index=MONTHS[: len(values)])


def test_status_of_each_kind_of_month_sequence():
    first = MONTHS[2]  # history: Jan–Feb; judged: Mar–
    # open lapse that began in the history: Feb–Jun not met, Jan met -> since Feb, 5 months, known start
    s = lapse_status(_met([True, False, False, False, False, False]), first)
    assert (s["status"], s["since"], s["months_lapsed"]) == ("lapsed", MONTHS[1], 5)
    assert not s["since_censored"]
    assert (s["months_judged"], s["months_met"]) == (4, 0)
    # the lapse reaches the log's first months (unknown before it) -> censored
    s = lapse_status(_met([pd.NA, False, False, False, False, False]), first)
    assert (s["since"], s["since_censored"]) == (MONTHS[1], True)
    # lapsed in Apr and May, met in June -> resolved since April, two lapsed months
    s = lapse_status(_met([True, True, True, False, False, True]), first)
    assert (s["status"], s["since"], s["months_lapsed"]) == ("resolved", MONTHS[3], 2)
    assert lapse_status(_met([False, False, True, True, True, True]), first)["status"] == "met"
    assert lapse_status(_met([True, True, pd.NA, pd.NA, pd.NA, pd.NA]), first)["status"] == "unknown"


def test_a_system_fails_when_any_kind_fails_and_is_unknown_only_without_a_failure():
    panel = pd.DataFrame({"group_id": ["g1"] * 3 + ["g2"] * 3, "month": list(MONTHS[:3]) * 2,
                          "ok_a": pd.array([True, True, pd.NA, True, True, True], dtype="boolean"),
                          "ok_b": pd.array([True, False, False, True, True, pd.NA], dtype="boolean"),
                          "ok_c": pd.array([True, True, True, False, True, True], dtype="boolean")})
    out = rule_status(panel, {"sys": ["a", "b"]}, {"a": (1, 1), "b": (1, 1), "c": (1, 1)}, first=MONTHS[0])
    assert list(out.columns) == STATUS_COLUMNS
    assert out[["group_id", "rule", "is_system"]].values.tolist() == [
        ["g1", "sys", True], ["g1", "c", False], ["g2", "sys", True], ["g2", "c", False]]
    # g1 sys: (T&T, T&F, NA&F) = T, F, F -> lapsed since Feb for 2 months; g2 sys: T, T, NA -> met
    assert out["status"].tolist() == ["lapsed", "met", "met", "resolved"]
    assert out.loc[0, "since"] == MONTHS[1] and out.loc[0, "months_lapsed"] == 2
    assert out.loc[2, "months_judged"] == 2


def test_a_kind_without_any_record_is_unknown_not_lapsed():
    # the panel says "not met" wherever nothing was held, also for kinds the data never record:
    # b and c have no record anywhere (recorded = {"a"}), so their requirements have no source
    panel = pd.DataFrame({"group_id": ["g1"] * 3 + ["g2"] * 3, "month": list(MONTHS[:3]) * 2,
                          "ok_a": pd.array([True, True, False, True, True, True], dtype="boolean"),
                          "ok_b": pd.array([False] * 6, dtype="boolean"),
                          "ok_c": pd.array([False] * 6, dtype="boolean")})
    req = {"a": (1, 1), "b": (1, 1), "c": (1, 1)}
    out = rule_status(panel, {"sys": ["a", "b"]}, req, first=MONTHS[0], recorded={"a"})
    assert list(out.columns) == STATUS_COLUMNS
    # g1 sys: a fails in March, a known failure wins over b's unknown (Kleene) -> lapsed since March;
    # g2 sys: a met, b unknown -> unknown; c (no record at all) -> unknown for both groups
    assert out["status"].tolist() == ["lapsed", "unknown", "unknown", "unknown"]
    assert out.loc[0, "since"] == MONTHS[2] and out.loc[0, "months_judged"] == 1
    assert out["not_recorded"].tolist() == ["b", "c", "b", "c"]
    assert (out.loc[out["status"] == "unknown", "months_judged"] == 0).all()
    # without ``recorded`` every kind is judged as the panel says: all lapsed
    old = rule_status(panel, {"sys": ["a", "b"]}, req, first=MONTHS[0])
    assert old["status"].tolist() == ["lapsed"] * 4 and (old["not_recorded"] == "").all()


def test_recorded_kinds_are_those_with_any_row():
    act = pd.DataFrame({"group_id": ["g1", "g2"], "kind": ["group_meeting", "mass_contact"]})
    assert recorded_kinds(act) == {"group_meeting", "mass_contact"}
    assert recorded_kinds(act.iloc[:0]) == frozenset() and recorded_kinds(None) == frozenset()
    assert unrecorded(("mass_contact", "inspection"), recorded_kinds(act)) == ("inspection",)
    assert unrecorded(("inspection",), None) == ()
