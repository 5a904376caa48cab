"""Validation at scale: whole-column coercion keeps every diagnostic of the per-cell rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from grouplab import DataError, read_table
from grouplab.data.codebook import codebook
from grouplab.data.ledgers.numbers import numbers_from_text
from grouplab.data.readers.text import PY_WHITESPACE
from grouplab.data.schema import coerce

pytestmark = pytest.mark.slow  # company-scale inputs: not in `make check`

COLS = {t: s.columns for t, s in codebook().items()}


def test_whitespace_set_is_what_str_strip_removes():
    # reference: Python's own definition (str.isspace), over every code point
    assert set(PY_WHITESPACE) == {c for c in map(chr, range(0x110000)) if c.isspace()}


def test_numbers_from_text_agrees_with_pandas_to_numeric_cell_by_cell():
    cells = ["12", "-3.5", "+7", "1,200", "3，400", "1e3", "inf", "五", "0.1", "007", "1.", ".5",
             "9007199254740993", "-0", None]
    text = pd.Series(cells, dtype="string")
    got = numbers_from_text(text)
    # reference: the former per-cell rule, pandas.to_numeric on the text without separators
    want = [np.nan if c is None else pd.to_numeric(c.replace(",", "").replace("，", ""), errors="coerce")
            for c in cells]
    np.testing.assert_array_equal(got.to_numpy(), np.array(want, dtype=float))


def test_each_distinct_cell_is_converted_like_a_single_cell():
    # a column of many repeats converts like each value alone (per-value reference)
    values = ["2019-05-13", "2019/5/14", "20190515", "soon", " 2019年5月16日 ", None]
    col = pd.Series(values * 1000)
    got, bad = coerce(col, COLS["activities"]["date"])
    for i, v in enumerate(values):
        one, one_bad = coerce(pd.Series([v]), COLS["activities"]["date"])
        assert (got.iloc[i::len(values)].isna() == one.isna().iloc[0]).all()
        if not one.isna().iloc[0]:
            assert (got.iloc[i::len(values)] == one.iloc[0]).all()
        assert (bad.iloc[i::len(values)] == one_bad.iloc[0]).all()


@pytest.fixture(scope="module")
def million(tmp_path_factory):
    """1,000,000 activity rows (548 groups × 1,826 days) with 50 bad cells in four columns."""
    n = 1_000_000
    i = np.arange(n)
    days = pd.date_range("2015-01-01", periods=1826).strftime("%Y-%m-%d").to_numpy()
    df = pd.DataFrame({
        "党小组编号": np.char.add("G", (i % 548).astype(str)),
        "日期": days[i // 548],
        "活动类型": "党小组会",
        "序号": "1",
        "实到人数": (i % 10).astype(str),
        "应到人数": "10",
        "时长": "1.5",
    })
    rng = np.random.default_rng(16)
    spots = {}
    for j, row in enumerate(np.sort(rng.choice(n, size=50, replace=False))):
        column, value = [("日期", "2019-02-30"), ("活动类型", "开会"), ("序号", "一"),
                         ("实到人数", "-4")][j % 4]
        df.loc[row, column] = value
        spots[int(row) + 2] = (column, value)  # header is line 1
    path = tmp_path_factory.mktemp("million") / "activities.csv"
    df.to_csv(path, index=False)
    return path, spots


def test_a_million_rows_with_50_bad_cells_report_all_50(million):
    path, spots = million
    with pytest.raises(DataError) as info:
        read_table(path, "activities")
    problems = info.value.problems
    # every bad cell once: its file line, its column as written, its text as the value
    assert len(problems) == 50
    assert {p.row: (p.column, p.value) for p in problems} == spots
    assert str(info.value).startswith("50 problems in activities.csv")


def test_validate_lists_some_problems_and_writes_all_of_them_on_request(tmp_path, capsys):
    from grouplab.cli import main

    n = 5000
    months = pd.period_range("2015-01", periods=60, freq="M").strftime("%Y-%m")
    hours = np.where(np.arange(n) % 17 == 3, "约480", "480.5")  # 295 cells that are not numbers
    bad = int((np.arange(n) % 17 == 3).sum())
    pd.DataFrame({"group_id": [f"G{i // 60:03d}" for i in range(n)],
                  "month": [months[i % 60] for i in range(n)],
                  "person_hours": hours}).to_csv(tmp_path / "exposure.csv", index=False)
    (tmp_path / "dataset.yml").write_text("name: t\ntables: {exposure: exposure.csv}\n", encoding="utf-8")
    out = tmp_path / "problems.csv"
    assert main(["validate", str(tmp_path), "--problems", str(out)]) == 2
    err = capsys.readouterr().err
    # at most 200 problems of one file are listed (grouplab.cli.PER_FILE), the rest counted
    assert f"{bad} problems in exposure.csv" in err and f"… and {bad - 200} more in exposure.csv" in err
    assert err.count("\n  - exposure.csv, row ") == 200
    table = pd.read_csv(out)
    assert len(table) == bad and set(table["value"]) == {"约480"}
    assert table["row"].tolist() == [i + 2 for i in range(n) if i % 17 == 3]


def test_a_million_rows_with_50_scattered_bad_cells_lists_all_50(tmp_path, capsys):
    """Issue 16: the bad cells of a large file are all found and, up to 200, all listed."""
    from grouplab.cli import main

    n = 1_000_000
    rng = np.random.default_rng(16)
    bad = np.sort(rng.choice(n, size=50, replace=False))
    months = pd.period_range("2015-01", periods=60, freq="M").strftime("%Y-%m").to_numpy()
    hours = np.full(n, "480.5", dtype=object)
    hours[bad] = "n/a?"
    idx = np.arange(n)
    pd.DataFrame({"group_id": pd.Series(idx // 60).map("G{:05d}".format),
                  "month": months[idx % 60], "person_hours": hours}).to_csv(
        tmp_path / "exposure.csv", index=False)
    (tmp_path / "dataset.yml").write_text("name: t\ntables: {exposure: exposure.csv}\n", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "50 problems in exposure.csv" in err and "more in exposure.csv" not in err
    listed = [int(line.split(", row ")[1].split(",")[0]) for line in err.splitlines()
              if line.startswith("  - exposure.csv, row ")]
    assert listed == (bad + 2).tolist()  # file rows: header is row 1


@pytest.mark.parametrize("n_values", [3, 40, 5000])
def test_repeated_keys_finds_the_rows_pandas_duplicated_finds(n_values):
    # reference: pandas' own DataFrame.duplicated(keep=False), missing values counted as equal
    from grouplab.data.schema import repeated_keys

    rng = np.random.default_rng(n_values)
    n = 20_000
    df = pd.DataFrame({
        "g": pd.array(rng.choice([f"G{i}" for i in range(n_values)] + [None], n), dtype="string"),
        "d": pd.to_datetime(rng.integers(0, n_values, n), unit="D").astype("datetime64[us]"),
        "s": pd.array(rng.integers(0, 3, n), dtype="Int64"),
    })
    df.loc[rng.choice(n, 50), "s"] = pd.NA
    want = np.flatnonzero(df.duplicated(subset=["g", "d", "s"], keep=False).to_numpy())
    assert repeated_keys(df, ["g", "d", "s"]).tolist() == want.tolist()
    unique = df.drop_duplicates(subset=["g", "d", "s"])
    assert repeated_keys(unique, ["g", "d", "s"]).tolist() == []
    # 5 columns of 5000 distinct values: 5000**5 > 2**62, so pandas decides (same rows)
    wide = pd.DataFrame({c: rng.integers(0, 5000, n) for c in "abcde"})
    wide.iloc[7] = wide.iloc[3]
    assert repeated_keys(wide, list("abcde")).tolist() == [3, 7]


def test_a_repeated_key_below_an_empty_row_is_reported_at_its_own_line(tmp_path):
    # hand-made: line 3 is empty, line 5 repeats the key of line 2
    p = tmp_path / "groups.csv"
    p.write_text("group_id,unit_id,name,members\nG1,U1,a,3\n,,,\nG2,U1,b,4\nG1,U1,c,5\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_table(p, "groups")
    got = [(q.row, q.column, q.rule, q.value) for q in info.value.problems]
    assert got == [(3, None, "empty row inside the table", None),
                   (5, "group_id", "duplicate key (group_id); same as row 2", "G1")]
