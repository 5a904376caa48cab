"""Tests of grouplab.measures.attendance: absence streaks and no group life, hand-counted."""

from __future__ import annotations

import pandas as pd
import pytest
from grouplab.errors import DataError, ParameterError
from grouplab.measures.attendance import absence_runs, member_attendance_summary, months_since


def _register(rows):
    """rows: (member_id, date, kind, status); all in group G1."""
    df = pd.DataFrame(rows, columns=["member_id", "date", "kind", "status"])
    df.insert(0, "group_id", "G1")
    df["date"] = pd.to_datetime(df["date"])
    return df


GM = "group_meeting"
REG = _register([
    # m1: absent from four meetings in a row (Nov .. Feb), present in March
    ("m1", "2018-10-10", GM, "present"),
    ("m1", "2018-11-10", GM, "absent"),
    ("m1", "2018-12-10", GM, "absent"),
    ("m1", "2019-01-10", GM, "absent"),
    ("m1", "2019-02-10", GM, "absent"),
    ("m1", "2019-03-10", GM, "present"),
    # m2: two absences, an excused one, one more absence: no run of three
    ("m2", "2018-12-10", GM, "absent"),
    ("m2", "2019-01-10", GM, "absent"),
    ("m2", "2019-02-10", GM, "excused"),
    ("m2", "2019-03-10", GM, "absent"),
    ("m2", "2018-12-20", "theme_day", "present"),
    # m3: never present since September 2018 (excused every time): no group life
    ("m3", "2018-09-10", GM, "present"),
    ("m3", "2018-10-10", GM, "excused"),
    ("m3", "2018-11-10", GM, "excused"),
    ("m3", "2019-01-10", GM, "excused"),
    ("m3", "2019-03-10", "theme_day", "excused"),
    # a row after the period must not count
    ("m3", "2019-04-10", GM, "present"),
])


def test_runs_hand_counted():
    runs = absence_runs(REG)
    got = {(r.member_id, r.length, f"{r.first:%Y-%m}", f"{r.last:%Y-%m}")
           for r in runs.itertuples()}
    # m1: Nov–Feb (4); m2: Dec–Jan (2) and Mar (1) — the excused February ends the first run
    assert got == {("m1", 4, "2018-11", "2019-02"), ("m2", 2, "2018-12", "2019-01"),
                   ("m2", 1, "2019-03", "2019-03")}


def test_summary_of_the_first_quarter():
    s = member_attendance_summary(REG, start="2019-01", end="2019-03").set_index("member_id")
    # counts of group meetings in Jan–Mar 2019, by hand from REG
    assert s.loc["m1", ["n_expected", "n_present", "n_excused", "n_absent"]].tolist() == [3, 1, 0, 2]
    assert s.loc["m2", ["n_expected", "n_present", "n_excused", "n_absent"]].tolist() == [3, 0, 1, 2]
    # the run of four started before the period and ends inside it
    assert s.loc["m1", "longest_streak"] == 4 and bool(s.loc["m1", "absent_streak"])
    assert s.loc["m1", "streak_first"] == pd.Timestamp("2018-11-10")
    assert s.loc["m2", "longest_streak"] == 2 and not bool(s.loc["m2", "absent_streak"])
    # no group life Oct 2018 – Mar 2019: m3 only (m2 attended a theme day in December)
    assert s["no_life"].tolist() == [False, False, True]
    assert s.loc["m3", "last_present"] == pd.Timestamp("2018-09-10")  # April 2019 ignored
    assert months_since(s["last_present"], "2019-03").tolist() == [0.0, 3.0, 6.0]


def test_streak_before_the_period_is_not_counted_and_threshold_is_a_setting():
    s = member_attendance_summary(REG, start="2019-03", end="2019-03").set_index("member_id")
    # m1's run ended in February: not a streak of the March period
    assert s.loc["m1", "longest_streak"] == 0
    s4 = member_attendance_summary(REG, start="2019-01", end="2019-03", streak=5)
    assert not s4["absent_streak"].any()


def test_bad_input():
    with pytest.raises(DataError, match="unknown status"):
        member_attendance_summary(REG.assign(status="late"), start="2019-01", end="2019-03")
    with pytest.raises(DataError, match="missing column"):
        absence_runs(REG.drop(columns="status"))
    with pytest.raises(ParameterError):
        member_attendance_summary(REG, start="2019-03", end="2019-01")
    with pytest.raises(ParameterError):
        member_attendance_summary(REG, start="2019-01", end="2019-03", streak=0)


def test_the_loader_reads_the_register_with_zh_headers_and_names_bad_cells(tmp_path):
    from grouplab.data.dataset import read_table

    good = tmp_path / "出勤.csv"
    good.write_text("党小组编号,日期,活动类型,序号,党员编号,出勤情况\n"
                    "G1,2019-01-10,党小组会,1,m1,出席\nG1,2019-01-10,党小组会,1,m2,请假\n",
                    encoding="utf-8")
    t = read_table(good, "member_attendance")
    assert t["status"].tolist() == ["present", "excused"]
    assert t["kind"].tolist() == ["group_meeting", "group_meeting"]
    bad = tmp_path / "bad.csv"
    bad.write_text("党小组编号,日期,活动类型,序号,党员编号,出勤情况\n"
                   "G1,2019-01-10,党小组会,1,m1,迟到\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_table(bad, "member_attendance")
    p = err.value.problems[0]
    # file, row as shown in Excel (header = row 1), column as written, offending value
    assert (p.file, p.row, p.column, p.value) == ("bad.csv", 2, "出勤情况", "迟到")
