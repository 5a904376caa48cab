"""Activity ledgers holding counts per month, and indicator sheets with months as columns (issue #12).

Each ledger is built with openpyxl and loaded with ``load_dataset``; the loaded table is compared
cell by cell with the same data written as a tidy file (the documented equivalent), and every
error's file, sheet and cell is asserted.
"""

from __future__ import annotations

import datetime as dt

import pytest
from grouplab import load_dataset
from grouplab.data.notes import say
from grouplab.measures.activity import activity_panel
from openpyxl import Workbook
from test_wide import _dataset, _problems, _same, _where

ACT_KEY = ["group_id", "date", "kind", "seq"]


def _tidy(folder, table: str, text: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{table}.csv").write_text(text, encoding="utf-8")
    return load_dataset(_dataset(folder, {table: f"{table}.csv"}), cache=False)[table]


def _counts_sheet(ws, rows, *, title="2019年党小组会召开次数统计表", months=("1月", "2月", "3月", "4月")):
    ws.title = "2019年"
    ws.append([title])
    ws.append(["填报单位：输电运检一工区", None, None, "填报日期：2019年5月6日"])
    ws.append(["序号", "党小组", *months])
    for k, row in enumerate(rows, start=1):
        ws.append([k, *row])
    ws.append(["合计", None, 4, 2, 1, 2])


# ------------------------------------------------------------------ activity counts


def test_activity_counts_by_month_load_like_one_row_per_meeting(tmp_path):
    wb = Workbook()
    # counts as typed: 1, 2, 0, '1次', blank, '无' (nothing recorded: no row, as in a tidy log)
    _counts_sheet(wb.active, [["线路一班党小组", 1, 2, 0, "1次"],
                              ["线路二班党小组", "2次", None, "无", 1],
                              ["变电一班党小组", "１", "0", 1, None]])
    folder = tmp_path / "ledger"
    folder.mkdir()
    wb.save(folder / "党小组会次数.xlsx")
    ds = load_dataset(_dataset(folder, {"activities": {"file": "党小组会次数.xlsx", "layout": "wide",
                                                       "kind": "group_meeting"}}), cache=False)
    # by hand: one row per meeting, dated the 1st of its month, numbered within the month
    want = _tidy(tmp_path / "tidy", "activities", "党小组编号,日期,活动类型,序号,日期精度\n"
                 "G001,2019-01-01,党小组会,1,月\nG001,2019-02-01,党小组会,1,月\nG001,2019-02-01,党小组会,2,月\n"
                 "G001,2019-04-01,党小组会,1,月\nG002,2019-01-01,党小组会,1,月\nG002,2019-01-01,党小组会,2,月\n"
                 "G002,2019-04-01,党小组会,1,月\nG003,2019-01-01,党小组会,1,月\nG003,2019-03-01,党小组会,1,月\n")
    _same(ds["activities"], want, ACT_KEY)
    assert set(ds["activities"]["date_precision"]) == {"month"}
    how = ds.reading["activities"][0]
    assert how["matched"]["(cells)"] == {"from": "counts"}
    # the measure counts what the ledger says: meetings per group and month, as typed
    panel = activity_panel(ds["activities"], groups=["G001", "G002", "G003"], months=("2019-01", "2019-04"))
    got = panel.pivot(index="group_id", columns="month", values="n_group_meeting").to_numpy().tolist()
    assert got == [[1, 2, 0, 1], [2, 0, 0, 1], [1, 0, 1, 0]]


def test_bare_numbers_are_not_guessed_until_the_manifest_says_counts(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "组织生活"
    ws.append(["党小组编号", "2019年1月", "2019年2月"])
    ws.append(["G001", 2, 1])            # two meetings, or the 2nd? nothing on the sheet says
    ws.append(["G002", 1, None])
    folder = tmp_path / "d"
    folder.mkdir()
    wb.save(folder / "台账.xlsx")
    (p,) = _problems(folder, {"activities": {"file": "台账.xlsx", "layout": "wide"}})
    assert _where(p) == ("台账.xlsx", "组织生活", "B2", "2019年1月")
    assert "bare numbers (3 cells)" in p.rule and "cells: counts" in p.hint
    ds = load_dataset(_dataset(folder, {"activities": {"file": "台账.xlsx", "layout": "wide",
                                                       "cells": "counts"}}), cache=False)
    want = _tidy(tmp_path / "tidy", "activities", "党小组编号,日期,活动类型,序号,日期精度\n"
                 "G001,2019-01-01,党小组会,1,月\nG001,2019-01-01,党小组会,2,月\n"
                 "G001,2019-02-01,党小组会,1,月\nG002,2019-01-01,党小组会,1,月\n")
    _same(ds["activities"], want, ACT_KEY)


def test_counts_and_dates_mixed_in_one_sheet_is_one_error(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "2019"
    ws.append(["党小组编号", "1月", "2月", "3月"])
    ws.append(["G001", 2, "1次", "3、17"])     # the first count is a bare 2, the next says 次
    ws.append(["G002", "1次", "6日", "1次"])
    folder = tmp_path / "d"
    folder.mkdir()
    wb.save(folder / "台账.xlsx")
    (p,) = _problems(folder, {"activities": {"file": "台账.xlsx", "layout": "wide", "year": 2019}})
    assert _where(p) == ("台账.xlsx", "2019", "D2", "3月")       # the first of the fewer (dates)
    assert "counts and dates mixed" in p.rule and "first B2" in p.rule and "first D2" in p.rule


def test_a_count_that_is_not_whole_and_a_date_among_counts(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "2019"
    ws.append(["党小组编号", "1月", "2月"])
    ws.append(["G001", 1.5, dt.datetime(2019, 2, 3)])
    ws.append(["G002", 2, 1])
    ws.append(["G003", "-1", 1])
    folder = tmp_path / "d"
    folder.mkdir()
    wb.save(folder / "台账.xlsx")
    probs = _problems(folder, {"activities": {"file": "台账.xlsx", "layout": "wide", "year": 2019,
                                              "cells": "counts"}})
    got = sorted((_where(p), p.rule) for p in probs)
    whole = "a count of meetings must be a whole number from 0 to 99"
    assert got == [(("台账.xlsx", "2019", "B2", "1月"), whole), (("台账.xlsx", "2019", "B4", "1月"), whole),
                   (("台账.xlsx", "2019", "C2", "2月"), "a date in a sheet of counts")]


def test_dates_keep_working_without_a_precision_column(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["党小组编号", "2019年1月", "2019年2月"])
    ws.append(["G001", "5日、20日", "2.20"])    # 2.20 in the February column is a date, not 2.2 meetings
    folder = tmp_path / "d"
    folder.mkdir()
    wb.save(folder / "台账.xlsx")
    ds = load_dataset(_dataset(folder, {"activities": {"file": "台账.xlsx", "layout": "wide"}}), cache=False)
    assert "date_precision" not in ds["activities"]
    assert sorted(ds["activities"]["date"].dt.strftime("%Y-%m-%d")) == ["2019-01-05", "2019-01-20",
                                                                        "2019-02-20"]


def test_cells_option_is_checked(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    probs = _problems(folder, {"activities": {"file": "x.xlsx", "layout": "wide", "cells": "meetings"}})
    (p,) = [p for p in probs if p.column != "tables.activities"]    # the other: x.xlsx does not exist
    assert (p.file, p.column, p.value) == ("dataset.yml", "tables.activities.cells", "meetings")


# ------------------------------------------------------------------ indicators with months as columns

INDICATOR_TIDY = ("entity_id,month,indicator_id,value\n"
                  "W01,2010-01,pump_efficiency,55.2\nW01,2010-02,pump_efficiency,54\n"
                  "W01,2010-01,power_use,12000\nW01,2010-02,power_use,11800\nW01,2010-03,power_use,12100\n"
                  "W02,2010-01,system_efficiency,28.5\nW02,2010-03,system_efficiency,30\n")


@pytest.mark.parametrize("months", [("1月", "2月", "3月"), ("2010-01", "2010-02", "2010-03"),
                                    ("2010年1月", "2010年2月", "2010年3月"),
                                    tuple(dt.datetime(2010, m, 1) for m in (1, 2, 3))])
def test_indicator_sheet_with_months_as_columns(tmp_path, months):
    wb = Workbook()
    ws = wb.active
    ws.title = "2010年"                      # the year of 1月 … comes from the sheet name
    ws.append(["采油作业区标杆指标月度台账"])
    ws.append(["井号", "指标名称", "单位", *months])
    ws.append(["W01", "泵效(%)", "%", "55.20", 54, "/"])
    ws.append([None, "耗电量", "kW·h", "12,000", 11800, "12100"])
    ws.merge_cells("A3:A4")                   # the well merged over its indicator rows
    ws.append(["W02", "system_efficiency", "%", 28.5, "—", 30])
    folder = tmp_path / "ledger"
    folder.mkdir()
    wb.save(folder / "指标.xlsx")
    ds = load_dataset(_dataset(folder, {"indicators": {"file": "指标.xlsx", "layout": "wide"}}), cache=False)
    want = _tidy(tmp_path / "tidy", "indicators", INDICATOR_TIDY)
    _same(ds["indicators"], want, ["entity_id", "month", "indicator_id"])


def test_one_indicator_per_sheet_named_by_the_sheet(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "泵效"
    ws.append(["井号", "1月", "2月"])
    ws.append(["W01", 55.2, 54])
    ws2 = wb.create_sheet("耗电量")
    ws2.append(["井号", "1月", "2月", "3月"])
    ws2.append(["W01", 12000, 11800, 12100])
    folder = tmp_path / "ledger"
    folder.mkdir()
    wb.save(folder / "指标.xlsx")
    ds = load_dataset(_dataset(folder, {"indicators": {"file": "指标.xlsx", "sheets": "all", "layout": "wide",
                                                       "year": 2010}}), cache=False)
    want = _tidy(tmp_path / "tidy", "indicators", "\n".join(INDICATOR_TIDY.splitlines()[:6]) + "\n")
    _same(ds["indicators"], want, ["entity_id", "month", "indicator_id"])


def test_indicator_rows_that_name_no_indicator(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "2010年"
    ws.append(["井号", "指标名称", "1月", "2月"])
    ws.append(["W01", "泵效率", 55.2, 54])      # not the catalogue's name (泵效)
    ws.append(["W02", None, 1, 2])
    ws3 = wb.create_sheet("其他")
    ws3.append(["井号", "1月", "2月"])          # months, but which indicator?
    ws3.append(["W01", 1, 2])
    folder = tmp_path / "d"
    folder.mkdir()
    wb.save(folder / "指标.xlsx")
    probs = _problems(folder, {"indicators": {"file": "指标.xlsx", "sheets": "all", "layout": "wide"}})
    got = sorted((_where(p), p.rule) for p in probs)
    assert got == [(("指标.xlsx", "2010年", "B2", "指标名称"), "not an indicator of the catalogue"),
                   (("指标.xlsx", "2010年", "B3", "指标名称"), "no indicator named in this row"),
                   (("指标.xlsx", "其他", "B1", "1月"), "month columns but no column naming the indicator")]
    assert "泵效" in next(p.hint for p in probs if p.value == "泵效率")


def test_kind_of_activity_from_the_sheet_name_or_title(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "主题党日"
    ws.append(["党小组编号", "1月", "2月"])
    ws.append(["G001", "1次", "2次"])
    ws = wb.create_sheet("党课")
    ws.append(["党小组编号", "1月", "2月"])
    ws.append(["G002", "1次", None])
    folder = tmp_path / "ledger"
    folder.mkdir()
    wb.save(folder / "活动次数.xlsx")
    entry = {"file": "活动次数.xlsx", "sheets": "all", "layout": "wide", "year": 2019}   # no kind:
    ds = load_dataset(_dataset(folder, {"activities": entry}), cache=False)
    want = _tidy(tmp_path / "tidy", "activities", "党小组编号,日期,活动类型,序号,日期精度\n"
                 "G001,2019-01-01,主题党日,1,月\nG001,2019-02-01,主题党日,1,月\nG001,2019-02-01,主题党日,2,月\n"
                 "G002,2019-01-01,党课,1,月\n")
    _same(ds["activities"], want, ACT_KEY)
    kind = ds.reading["activities"][1]["matched"]["(kind)"]
    assert kind == {"from": "sheet_kind", "text": "党课", "kind": "party_lecture"}
    assert say(kind) == "sheet name '党课' (party_lecture)"
    assert say(kind, "zh") == "工作表名 '党课'（party_lecture）"


def test_a_title_naming_two_kinds_is_not_guessed(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "2019"
    ws.append(["2019年党小组会、主题党日开展次数"])
    ws.append(["党小组编号", "1月", "2月"])
    ws.append(["G001", 1, 2])
    folder = tmp_path / "d"
    folder.mkdir()
    wb.save(folder / "台账.xlsx")
    (p,) = _problems(folder, {"activities": {"file": "台账.xlsx", "layout": "wide", "year": 2019}})
    assert (p.file, p.sheet) == ("台账.xlsx", "2019")
    assert "several kinds of activity (党小组会, 主题党日)" in p.rule and "kind:" in p.hint
