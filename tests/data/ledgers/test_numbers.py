"""Numbers as people type them (grouplab.data.ledgers.numbers) and their use in schema coercion.

Expected values are the numbers as a person reads each cell (hand-stated next to
each case); placeholders follow the table in the module docstring.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from grouplab import DataError, read_table
from grouplab.data.ledgers.numbers import PLACEHOLDERS, number_text, parse_numbers

CASES = [  # cell as typed, value a reader sees (None = missing), missing reason
    ("9.5分", 9.5, None), ("７.５", 7.5, None), ("９５", 95.0, None), ("1,234", 1234.0, None),
    ("1,234.5", 1234.5, None), ("12,000,000", 12e6, None), ("１，２３４", 1234.0, None),
    (" 8 分 ", 8.0, None), ("700工时", 700.0, None), ("12人", 12.0, None), ("-3", -3.0, None),
    ("+2", 2.0, None), (".5", 0.5, None), ("1e3", 1000.0, None), (8, 8.0, None), (7.25, 7.25, None),
    ("/", None, "not_applicable"), ("／", None, "not_applicable"), ("—", None, "not_applicable"),
    ("——", None, "not_applicable"), ("-", None, "not_applicable"), ("N/A", None, "not_applicable"),
    ("无", None, "none_recorded"), ("暂无", None, "none_recorded"), ("", None, "blank"),
    (None, None, "blank"), ("　", None, "blank"), (float("nan"), None, "blank"),
]
UNREADABLE = ["abc", "1,2", "9.5%", "优", "8分7", "1,23,4"]


@pytest.mark.parametrize("cell, value, reason", CASES, ids=[repr(c[0]) for c in CASES])
def test_each_way_of_typing_a_number(cell, value, reason):
    out = parse_numbers(pd.Series([cell], dtype=object))
    got = out["value"].iloc[0]
    if value is None:
        assert math.isnan(got)
        assert out["missing_reason"].iloc[0] == reason
    else:
        assert got == value
        assert pd.isna(out["missing_reason"].iloc[0])
    assert not out["unreadable"].iloc[0]


@pytest.mark.parametrize("cell", UNREADABLE)
def test_text_that_is_not_a_number_stays_as_written(cell):
    out = parse_numbers(pd.Series([cell]))
    assert out["unreadable"].iloc[0] and math.isnan(out["value"].iloc[0])
    assert number_text(pd.Series([cell])).iloc[0] == cell  # reported to the user as typed


def test_placeholders_are_zero_only_when_asked():
    s = pd.Series(["无", "/", None, "3"])
    default = parse_numbers(s)
    assert default["value"].isna().tolist() == [True, True, True, False]
    zero = parse_numbers(s, zero=("none_recorded",))
    assert zero["value"].tolist()[0] == 0.0 and zero["value"].isna().tolist()[1:3] == [True, True]
    assert set(PLACEHOLDERS.values()) == {"not_applicable", "none_recorded"}


def test_index_is_kept():
    s = pd.Series(["1", "2分"], index=[10, 20])
    assert parse_numbers(s).index.tolist() == [10, 20]
    assert number_text(s).index.tolist() == [10, 20]


def test_schema_reads_typed_numbers_and_placeholders(tmp_path):
    f = tmp_path / "evaluations.csv"
    f.write_text("党小组编号,考评期,考评项目编号,考评得分\nG1,2019H1,I01,9.5分\nG1,2019H1,I02,７.５\n"
                 "G1,2019H1,I03,/\nG1,2019H1,I04,优\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_table(f, "evaluations")
    got = {(p.row, p.rule) for p in info.value.problems}
    # '/' in a required column is an empty value, not "not a number"; '优' is not a number
    assert got == {(4, "required value is empty"), (5, "not a number")}
    f.write_text("党小组编号,考评期,考评项目编号,考评得分\nG1,2019H1,I01,9.5分\nG1,2019H1,I02,７.５\n",
                 encoding="utf-8")
    assert read_table(f, "evaluations")["score"].tolist() == [9.5, 7.5]


def test_placeholder_in_a_nullable_column_is_missing(tmp_path):
    f = tmp_path / "activities.csv"
    f.write_text("党小组编号,日期,活动类型,序号,实到人数,应到人数\nG1,2019-05-13,党小组会,1,—,６\n",
                 encoding="utf-8")
    df = read_table(f, "activities")
    assert pd.isna(df["attendees"].iloc[0]) and df["expected"].iloc[0] == 6


def test_a_decimal_comma_is_reported_not_read_as_a_bigger_number(tmp_path):
    # "12,5" is no thousands grouping (a comma before three digits is): dropping every comma read it as
    # 125, a tenfold error nothing reported (found by a newcomer's GB18030 person-hours file)
    from grouplab.data.tidy import read_table
    from grouplab.errors import DataError

    path = tmp_path / "工时.csv"
    path.write_bytes('group_id,month,person_hours\nG001,2019-01,"1,820"\nG001,2019-02,"12,5"\n'
                     .encode("gb18030"))
    with pytest.raises(DataError) as err:
        read_table(path, "exposure")
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "person_hours", "12,5")
