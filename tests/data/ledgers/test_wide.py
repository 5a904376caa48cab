"""Ledgers people keep (issue #12): wide, titled, merged-header sheets load to the same tables as tidy files.

Each test builds a ledger shape with openpyxl (or a GB18030 CSV), loads it with
``load_dataset`` and compares the loaded table cell by cell with the same data
written as a tidy (long) file — the documented equivalent — or checks that every
error names the file, sheet and cell (``F7``) the user sees.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from grouplab import DataError, load_dataset
from grouplab.data.ledgers.layouts import score_for
from grouplab.data.ledgers.sheet import read_ledger
from openpyxl import Workbook

RUBRICS = Path(__file__).resolve().parents[3] / "data" / "rubrics"
UNITS = ("单位编号,单位名称,层级,行业\nWA01,线路工区,工区,电力\nWA02,变电工区,工区,电力\n"
         "S1,一号站,站,石油\nW01,油井一,油井,石油\nW02,油井二,油井,石油\n")
GROUPS = ("党小组编号,单位编号,党小组名称,党员人数,党小组长编号\n"
          "G001,WA01,线路一班党小组,5,M1\nG002,WA01,线路二班党小组,6,M2\nG003,WA02,变电一班党小组,7,M3\n")
NAMES = {"G001": "线路一班党小组", "G002": "线路二班党小组", "G003": "变电一班党小组"}
IDS = [f"I{k:02d}" for k in range(1, 13)]
# headers as people write them: short names, points in several styles (rubric: data/rubrics/...)
ITEM_HEADERS = ["理论学习（8分）", "思想动态(7分)", "党小组会【10】", "党员教育管理（8分）",
                "积极分子培养 7分",
                "批评与自我批评（8分）", "联系群众（7分）", "工作汇报（8分）", "台账资料（7分）",
                "安全生产（10分）", "生产任务（10分）", "示范岗（10分）"]
ASPECTS = [("思想建设", 2), ("组织建设", 3), ("作风建设", 2), ("制度建设", 2), ("完成中心任务", 3)]
# sums by hand: G001 90.5 (合格), G002 80 (合格), G003 100 (优秀) — rubric bands 95/80/60
H1 = {"G001": [8, 6.5, 9, 7, 6, 7, 6, 7, 6, 10, 9, 9],
      "G002": [7, 6, 8, 6, 5, 6, 5, 6, 5, 10, 8, 8],
      "G003": [8, 7, 10, 8, 7, 8, 7, 8, 7, 10, 10, 10]}
H2 = {"G001": [7, 6, 9, None, 6, 7, 6, 7, 6, 10, 9, 9],
      "G002": [8, 7, 10, 8, 7, 8, 7, 8, 7, 10, 10, 10]}


def _dataset(folder: Path, tables: dict, **extra) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    (folder / "groups.csv").write_text(GROUPS, encoding="utf-8")
    import yaml

    manifest = {"name": "ledger test", "study_window": {"start": "2015-01", "end": "2019-12"},
                "indicator_window": {"start": "2010-01", "end": "2011-12"},
                "rubric": str(RUBRICS / "party_group_evaluation.yml"),
                "catalogue": str(RUBRICS / "oil_benchmark_indicators.yml"),
                "tables": {"units": "units.csv", "groups": "groups.csv", **tables}, **extra}
    (folder / "dataset.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    return folder


def _tidy_evaluations(folder: Path, periods: dict[str, dict]) -> pd.DataFrame:
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["党小组编号,考评期,考评项目编号,考评得分"]
    for period, scores in periods.items():
        for g, vals in scores.items():
            rows += [f"{g},{period},{i},{v}" for i, v in zip(IDS, vals, strict=True) if v is not None]
    (folder / "evaluations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return load_dataset(_dataset(folder, {"evaluations": "evaluations.csv"}), cache=False)["evaluations"]


def _same(got: pd.DataFrame, want: pd.DataFrame, key: list[str]) -> None:
    """Cell by cell, after sorting by the table key."""
    got = got.sort_values(key).reset_index(drop=True)
    want = want.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)


def _sheet_a(ws, scores: dict, *, period_title="2019年上半年", total=None, grade=None, names=True,
             headers=ITEM_HEADERS):
    """Shape A: title, 填报单位 row, aspect row merged over item row, 合计/等级, 合计 and 备注 rows."""
    ncol = 2 + len(headers) + 2
    ws.append([f"{period_title}党小组考评得分表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.append(["填报单位：输电运检一工区", None, None, None, None, None, "填报日期：2019年7月5日"])
    top = ["序号", "党小组"]
    for name, n in ASPECTS:
        top += [name] + [None] * (n - 1)
    ws.append(top + ["合计", "等级"])
    ws.append([None, None, *headers, None, None])
    for col in (1, 2, ncol - 1, ncol):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    c = 3
    for _, n in ASPECTS:
        ws.merge_cells(start_row=3, start_column=c, end_row=3, end_column=c + n - 1)
        c += n
    grades = {"G001": "合格", "G002": "合格", "G003": "优秀"}
    for k, (g, vals) in enumerate(scores.items(), start=1):
        cells = [v if v is not None else "/" for v in vals]
        t = (total or {}).get(g, sum(v for v in vals if v is not None))
        name = f" {NAMES[g][:4]} {NAMES[g][4:]}" if names else g   # stray spaces in the name
        ws.append([k, name, *cells, t, (grade or {}).get(g, grades[g])])
    ws.append(["合计", None, *[None] * len(headers), 270.5, None])
    ws.append(["备注：I10 按无责任事故计分"])
    ws.append(["制表人：张三", None, None, None, None, "审核人：李四"])


def _save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


# ------------------------------------------------------------------ shape A


def test_shape_a_titled_merged_two_row_header_loads_like_tidy(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "考评"
    h1 = dict(H1)
    _sheet_a(ws, h1)
    ws["D5"] = "6.5分"   # G001 I02 typed with its unit
    ws["C6"] = "７"      # G002 I01 in full-width digits
    folder = tmp_path / "ledger"
    folder.mkdir()
    _save(wb, folder / "2019年上半年党小组考评得分表.xlsx")
    ds = load_dataset(_dataset(folder, {"evaluations": {"file": "2019年上半年党小组考评得分表.xlsx",
                                                        "layout": "wide"}}), cache=False)
    want = _tidy_evaluations(tmp_path / "tidy", {"2019H1": H1})
    _same(ds["evaluations"], want, ["group_id", "period", "item_id"])
    how = ds.reading["evaluations"][0]
    assert how["header_rows"] == [3, 4]
    assert {"rows": [1, 2], "why": "above_header"} in how["skipped"]
    assert [8, 9, 10] in [s.get("rows") for s in how["skipped"]]  # 合计, 备注, 制表人
    assert how["matched"]["理论学习（8分）"] == "I01" and how["matched"]["示范岗（10分）"] == "I12"
    assert how["matched"]["(period)"]["from"] == "title"  # period from the title
    assert "2019年上半年党小组考评得分表" in how["matched"]["(period)"]["text"]
    assert how["total"] == "合计" and how["grade"] == "等级"


def test_read_ledger_reports_header_band_and_cells(tmp_path):
    wb = Workbook()
    _sheet_a(wb.active, H1)
    f = _save(wb, tmp_path / "a.xlsx")
    rubric = __import__("grouplab.data.specs", fromlist=["x"]).load_rubric(
        RUBRICS / "party_group_evaluation.yml")
    led = read_ledger(f, score=score_for("evaluations", {"rubric": rubric}))
    assert led.header_rows == [3, 4]
    assert led.parts[2] == ("思想建设", "理论学习（8分）")   # aspect merged over its items
    assert led.parts[1] == ("党小组",)                      # merged down over both header rows
    assert led.rows == [5, 6, 7]
    assert led.cell(0, "理论学习（8分）") == "C5"
    assert led.title.startswith("2019年上半年党小组考评得分表") and led.title_cell == "A1"


# ------------------------------------------------------------------ shape B


def test_shape_b_one_sheet_per_half_year_names_slash_and_blank(tmp_path):
    wb = Workbook()
    wb.active.title = "2019上半年"
    wb.create_sheet("2019下半年")
    rubric_names = ["政治理论学习", "思想动态掌握与谈心", "党小组会每月召开及质量", "党员教育管理与党费收缴",
                    "入党积极分子培养", "批评与自我批评", "联系群众", "工作汇报与半年总结", "台账资料规范",
                    "安全生产无责任事故", "生产任务完成", "党员示范岗作用发挥"]
    for ws, scores in ((wb["2019上半年"], H1), (wb["2019下半年"], H2)):
        ws.append(["党小组名称", *rubric_names])
        for g, vals in scores.items():
            ws.append([f"{NAMES[g]}  ", *vals])      # stray spaces after the name, None = blank
    wb["2019下半年"]["E2"] = "/"                      # G001 I04 in H2: '/' = not applicable
    folder = tmp_path / "ledger"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    ds = load_dataset(_dataset(folder, {"evaluations": {"file": "考评.xlsx", "sheets": "all",
                                                        "layout": "wide"}}), cache=False)
    want = _tidy_evaluations(tmp_path / "tidy", {"2019H1": H1, "2019H2": H2})
    _same(ds["evaluations"], want, ["group_id", "period", "item_id"])
    assert [r["sheet"] for r in ds.reading["evaluations"]] == ["2019上半年", "2019下半年"]


# ------------------------------------------------------------------ shape C


def test_shape_c_gb18030_csv_with_period_column(tmp_path):
    lines = ["党小组编号,考评期," + ",".join(IDS)]
    for period, scores in (("2019年上半年", H1), ("2019年下半年", H2)):
        for g, vals in scores.items():
            lines.append(f"{g},{period}," + ",".join("" if v is None else str(v) for v in vals))
    folder = tmp_path / "ledger"
    folder.mkdir()
    (folder / "考评.csv").write_bytes(("\n".join(lines) + "\n").encode("gb18030"))
    ds = load_dataset(_dataset(folder, {"evaluations": {"file": "考评.csv", "layout": "wide",
                                                        "encoding": "gb18030"}}), cache=False)
    want = _tidy_evaluations(tmp_path / "tidy", {"2019H1": H1, "2019H2": H2})
    _same(ds["evaluations"], want, ["group_id", "period", "item_id"])


# ------------------------------------------------------------------ hidden rows/columns, table below


def test_hidden_rows_and_columns_are_skipped_and_said(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "2019上半年"
    ws.append(["党小组", *IDS, "折算分"])
    ws.append(["已撤销党小组", *[1] * 12, 99])       # an old group, hidden
    for g, vals in H1.items():
        ws.append([NAMES[g], *vals, 0.5])
    ws.row_dimensions[2].hidden = True
    ws.column_dimensions["N"].hidden = True          # helper column 折算分
    folder = tmp_path / "ledger"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    ds = load_dataset(_dataset(folder, {"evaluations": {"file": "考评.xlsx", "layout": "wide"}}), cache=False)
    want = _tidy_evaluations(tmp_path / "tidy", {"2019H1": H1})
    _same(ds["evaluations"], want, ["group_id", "period", "item_id"])
    skipped = ds.reading["evaluations"][0]["skipped"]
    assert {"rows": [2], "why": "hidden_row"} in skipped
    assert {"columns": ["N"], "why": "hidden_column"} in skipped


def test_unrelated_table_below_is_skipped(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "2019上半年"
    ws.append(["党小组编号", *IDS])
    for g, vals in H1.items():
        ws.append([g, *vals])
    ws.append([])
    ws.append(["附：扣分明细"])
    ws.append(["党小组编号", "扣分项", "扣分"])
    ws.append(["G001", "I02", 0.5])
    folder = tmp_path / "ledger"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    ds = load_dataset(_dataset(folder, {"evaluations": {"file": "考评.xlsx", "layout": "wide"}}), cache=False)
    _same(ds["evaluations"], _tidy_evaluations(tmp_path / "tidy", {"2019H1": H1}),
          ["group_id", "period", "item_id"])
    assert {"rows": [6, 7, 8], "why": "below_table", "after": 5} in \
        ds.reading["evaluations"][0]["skipped"]


# ------------------------------------------------------------------ activity ledger by month


def test_activity_ledger_by_month(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "组织生活"
    ws.append(["2019年党小组会记录台账"])
    ws.append(["党小组", "1月", "2月", "3月"])
    ws.append(["线路一班党小组", "5日", "3、17", dt.datetime(2019, 3, 12)])
    ws.append(["线路二班党小组", "1.20", "/", None])
    folder = tmp_path / "ledger"
    folder.mkdir()
    _save(wb, folder / "组织生活台账.xlsx")
    ds = load_dataset(_dataset(folder, {"activities": {"file": "组织生活台账.xlsx", "layout": "wide",
                                                       "kind": "group_meeting"}}), cache=False)
    tidy = tmp_path / "tidy"
    tidy.mkdir()
    (tidy / "activities.csv").write_text(
        "党小组编号,日期,活动类型,序号\nG001,2019-01-05,党小组会,1\nG001,2019-02-03,党小组会,1\n"
        "G001,2019-02-17,党小组会,1\nG001,2019-03-12,党小组会,1\nG002,2019-01-20,党小组会,1\n",
        encoding="utf-8")
    want = load_dataset(_dataset(tidy, {"activities": "activities.csv"}), cache=False)["activities"]
    _same(ds["activities"], want, ["group_id", "date", "kind", "seq"])


# ------------------------------------------------------------------ exposure by month


def test_exposure_by_month_with_thousands_separators(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["党小组编号", "1月", "2月", "3月"])
    ws.append(["G001", "1,234.5", "９６０", 800])
    ws.append(["G002", 640.5, "—", "700工时"])
    folder = tmp_path / "ledger"
    folder.mkdir()
    _save(wb, folder / "工时.xlsx")
    ds = load_dataset(_dataset(folder, {"exposure": {"file": "工时.xlsx", "layout": "wide", "year": 2019}}),
                      cache=False)
    tidy = tmp_path / "tidy"
    tidy.mkdir()
    (tidy / "exposure.csv").write_text("group_id,month,person_hours\nG001,2019-01,1234.5\nG001,2019-02,960\n"
                                       "G001,2019-03,800\nG002,2019-01,640.5\nG002,2019-03,700\n",
                                       encoding="utf-8")
    want = load_dataset(_dataset(tidy, {"exposure": "exposure.csv"}), cache=False)["exposure"]
    _same(ds["exposure"], want, ["group_id", "month"])


# ------------------------------------------------------------------ indicator sheet by well


def test_indicator_sheet_by_well_month_from_sheet_name(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "2010年3月"
    ws.append(["采油作业区标杆指标月报"])
    ws.append(["井号", "泵效(%)", "抽油井系统效率（%）", "耗电量", "power_use"][:4])
    ws.append(["W01", "55.20", 31.5, "12,000"])
    ws.append(["W02", "—", 28, 9800])
    folder = tmp_path / "ledger"
    folder.mkdir()
    _save(wb, folder / "指标.xlsx")
    ds = load_dataset(_dataset(folder, {"indicators": {"file": "指标.xlsx", "layout": "wide"}}), cache=False)
    tidy = tmp_path / "tidy"
    tidy.mkdir()
    (tidy / "indicators.csv").write_text(
        "entity_id,month,indicator_id,value\nW01,2010-03,pump_efficiency,55.2\n"
        "W01,2010-03,system_efficiency,31.5\nW01,2010-03,power_use,12000\n"
        "W02,2010-03,system_efficiency,28\nW02,2010-03,power_use,9800\n", encoding="utf-8")
    want = load_dataset(_dataset(tidy, {"indicators": "indicators.csv"}), cache=False)["indicators"]
    _same(ds["indicators"], want, ["entity_id", "month", "indicator_id"])


# ------------------------------------------------------------------ errors point at the user's cells


def _problems(folder: Path, tables: dict) -> list:
    with pytest.raises(DataError) as info:
        load_dataset(_dataset(folder, tables), cache=False)
    text = str(info.value)
    assert "Traceback" not in text
    return info.value.problems


def _where(p) -> tuple:
    return (p.file, p.sheet, p.cell, p.column)


def test_wrong_total_and_grade_name_their_cells(tmp_path):
    wb = Workbook()
    wb.active.title = "2019上半年"
    _sheet_a(wb.active, H1, total={"G001": 91}, grade={"G002": "优秀"})
    folder = tmp_path / "d"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    probs = _problems(folder, {"evaluations": {"file": "考评.xlsx", "layout": "wide"}})
    got = {_where(p): p for p in probs}
    assert set(got) == {("考评.xlsx", "2019上半年", "O5", "合计"), ("考评.xlsx", "2019上半年", "P6", "等级")}
    total = got[("考评.xlsx", "2019上半年", "O5", "合计")]
    assert total.value == 91 and "90.5" in total.rule       # both values: written 91, items sum 90.5
    assert "合格" in got[("考评.xlsx", "2019上半年", "P6", "等级")].rule
    assert "考评.xlsx, sheet 2019上半年, cell O5 (合计)" in str(total)


def test_item_above_its_maximum_and_unreadable_score(tmp_path):
    wb = Workbook()
    wb.active.title = "2019上半年"
    _sheet_a(wb.active, H1)
    wb.active["C5"] = 30        # G001 理论学习: max 8
    wb.active["E7"] = "优"      # G003 党小组会: not a number
    wb.active["O5"] = 112.5     # keep 合计 consistent so only the two cells are wrong
    wb.active["O7"] = "=SUM(C7:N7)"
    folder = tmp_path / "d"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    probs = _problems(folder, {"evaluations": {"file": "考评.xlsx", "layout": "wide"}})
    by_cell = {p.cell: p for p in probs}
    assert by_cell["C5"].column == "理论学习（8分）" and "above the rubric maximum" in by_cell["C5"].rule
    assert "考评.xlsx, sheet 2019上半年, cell C5 (理论学习（8分）)" in str(by_cell["C5"])
    assert by_cell["E7"].rule == "not a number" and by_cell["E7"].value == "优"
    # G001's 合计/等级 follow from its wrong item; G003's row is not graded while a score is unreadable
    assert set(by_cell) == {"C5", "E7", "P5"}


def test_header_points_differ_from_rubric_and_unmatched_item(tmp_path):
    headers = list(ITEM_HEADERS)
    headers[0] = "理论学习（10分）"
    headers[6] = "文明创建（7分）"
    wb = Workbook()
    wb.active.title = "表"
    _sheet_a(wb.active, H1, headers=headers)
    folder = tmp_path / "d"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    probs = _problems(folder, {"evaluations": {"file": "考评.xlsx", "layout": "wide"}})
    by_cell = {p.cell: p for p in probs}
    assert "differ from the rubric's maximum of item I01 (8)" in by_cell["C4"].rule
    assert by_cell["I4"].rule == "column cannot be matched to a rubric item"
    assert "联系群众" in by_cell["I4"].hint
    assert all(p.sheet == "表" for p in probs)


def test_unknown_group_name_suggests_closest(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "2019上半年"
    ws.append(["党小组", *IDS])
    ws.append(["线路三班党小组", *H1["G001"]])
    ws.append(["线路二班党小组", *H1["G002"]])
    folder = tmp_path / "d"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    (p,) = _problems(folder, {"evaluations": {"file": "考评.xlsx", "layout": "wide"}})
    assert _where(p) == ("考评.xlsx", "2019上半年", "A2", "党小组")
    assert "unknown name" in p.rule and "线路一班党小组" in p.hint


def test_two_candidate_header_rows(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "2019上半年"
    ws.append(["党小组编号", *IDS])
    ws.append(["党小组编号", *IDS])
    ws.append(["G001", *H1["G001"]])
    folder = tmp_path / "d"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    (p,) = _problems(folder, {"evaluations": {"file": "考评.xlsx", "layout": "wide"}})
    assert p.rule == "two candidate header rows" and p.value == "1, 2" and p.sheet == "2019上半年"
    # an explicit header_row settles it: row 2 is then the header and row 1 is skipped
    ds = load_dataset(_dataset(folder, {"evaluations": {"file": "考评.xlsx", "layout": "wide",
                                                        "header_row": 2}}), cache=False)
    assert len(ds["evaluations"]) == 12


@pytest.mark.parametrize("entry, key", [
    (123, "tables.evaluations"), ([7], "tables.evaluations"),
    ({"file": "x.csv", "layout": "diagonal"}, "tables.evaluations.layout")])
def test_unusable_manifest_entries_name_dataset_yml(tmp_path, entry, key):
    probs = _problems(tmp_path / "d", {"evaluations": entry})
    assert [(p.file, p.column) for p in probs] == [("dataset.yml", key)]


def test_string_and_list_entries_load(tmp_path):
    wb = Workbook()
    wb.active.title = "2019上半年"
    wb.active.append(["党小组编号", "考评期", "考评项目编号", "考评得分"])
    wb.active.append(["G001", "2019H1", "I01", "7.5分"])
    wb.create_sheet("2019下半年").append(["党小组编号", "考评期", "考评项目编号", "考评得分"])
    wb["2019下半年"].append(["G001", "2019H2", "I01", 8])
    folder = tmp_path / "d"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    entry = [{"file": "考评.xlsx", "sheet": "2019上半年"}, {"file": "考评.xlsx", "sheet": "2019下半年"}]
    ds = load_dataset(_dataset(folder, {"evaluations": entry}), cache=False)
    assert ds["evaluations"][["period", "score"]].values.tolist() == [["2019H1", 7.5], ["2019H2", 8.0]]


# ------------------------------------------------------------------ grouplab validate --explain


def test_validate_explain_shows_how_the_sheet_was_read(tmp_path, capsys):
    from grouplab.cli import main

    wb = Workbook()
    wb.active.title = "2019上半年"
    _sheet_a(wb.active, H1)
    folder = tmp_path / "d"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    _dataset(folder, {"evaluations": {"file": "考评.xlsx", "layout": "wide"}})
    assert main(["validate", "--explain", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    block = out[out.index("evaluations <- 考评.xlsx, sheet 2019上半年"):]
    assert "  header: rows 3–4" in block
    assert "  skipped: rows 1–2: above the header (title, 填报单位/日期)" in block
    assert "  skipped: rows 8–10: total or note row (合计/平均/备注/制表人 …)" in block
    assert "  column: 党小组 -> entity (by name)" in block
    assert "  column: 理论学习（8分） -> I01" in block and "  column: 积极分子培养 7分 -> I05" in block
    assert "  column: 合计 -> total (checked against the items)" in block
    assert "  unused: 序号" in block and "  size: 3 rows -> 36 long rows" in block
    # the same in Chinese for a Chinese user (labels as in the data-quality report)
    assert main(["validate", "--explain", "--lang", "zh", str(folder)]) == 0
    zh = capsys.readouterr().out
    assert "第 3–4 行" in zh and "第 1–2 行" in zh and "rows" not in zh and "skipped" not in zh
    # with a wrong 合计 it still explains, then lists the problem at its cell, exit status 2
    wb.active["O5"] = 91
    _save(wb, folder / "考评.xlsx")
    assert main(["validate", "--explain", str(folder)]) == 2
    captured = capsys.readouterr()
    assert "  header: rows 3–4" in captured.out
    assert "考评.xlsx, sheet 2019上半年, cell O5 (合计): 合计 differs from the sum" in captured.err


# ------------------------------------------------------------------ a long table naming its groups


def test_long_table_with_group_names_under_header_dang_xiaozu(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "考评.csv").write_text("党小组,考评期,考评项目编号,考评得分\n 线路一班 党小组,2019H1,I01,8\n"
                                     "线路二班党小组,2019H1,I01,7\n线路三班党小组,2019H1,I02,6\n",
                                     encoding="utf-8")
    (p,) = _problems(folder, {"evaluations": "考评.csv"})
    assert (p.file, p.row, p.column) == ("考评.csv", 4, "党小组")
    assert "unknown name" in p.rule and p.hint.startswith("Closest known names: ")
    closest = set(p.hint.removeprefix("Closest known names: ").split(", "))
    assert {"线路一班党小组", "线路二班党小组"} <= closest
    (folder / "考评.csv").write_text("党小组,考评期,考评项目编号,考评得分\n 线路一班 党小组,2019H1,I01,8\n"
                                     "线路二班党小组,2019H1,I01,7\n", encoding="utf-8")
    ds = load_dataset(folder, cache=False)
    assert ds["evaluations"]["group_id"].tolist() == ["G001", "G002"]


# ------------------------------------------------------------------ what counts as a footer, a total, a title


@pytest.mark.parametrize("text, footer", [
    ("合计", True), ("合 计", True), ("平均分", True), ("备注：I10 按无事故计分", True), ("注：", True),
    ("制表人：张三", True), ("审核人:李四", True), ("注水一班党小组", False), ("附属厂党小组", False),
    ("合计班组", False), ("平均站党小组", False)])
def test_footer_rows_are_keywords_not_prefixes(text, footer):
    import re

    from grouplab.data.ledgers.sheet import FOOTER

    assert bool(FOOTER.match(re.sub(r"\s+", "", text))) is footer


def test_total_with_points_subtotals_and_filing_date(tmp_path):
    from grouplab.data.ledgers.layouts import column_roles
    from grouplab.data.specs import load_rubric

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["党小组工作考评表", None, None, "填报日期：2019年7月5日"])
    ws.append(["党小组编号", *IDS[:2], "思想建设小计", *IDS[2:], "总分（100分）", "考评等级"])
    ws.append(["G001", 8, 6.5, 14.5, *H1["G001"][2:], 90.5, "合格"])
    f = _save(wb, tmp_path / "a.xlsx")
    rubric = load_rubric(RUBRICS / "party_group_evaluation.yml")
    led = read_ledger(f, score=score_for("evaluations", {"rubric": rubric}))
    assert led.title == "党小组工作考评表"              # the filing date is not part of the title
    roles, problems = column_roles(led, "evaluations", {"rubric": rubric})
    assert problems == []
    assert roles["total"] == "总分（100分）" and roles["grade"] == "考评等级"
    assert roles["unused"] == ["思想建设小计"] and len(roles["keys"]) == 12


def test_sheet_whose_items_do_not_fit_the_rubric(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "2019上半年"
    ws.append(["党小组编号", *IDS[:10]])          # I11 and I12 have no column
    ws.append(["G001", *H1["G001"][:10]])
    folder = tmp_path / "d"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    (p,) = _problems(folder, {"evaluations": {"file": "考评.xlsx", "layout": "wide"}})
    assert (p.file, p.sheet, p.row) == ("考评.xlsx", "2019上半年", 1)
    assert p.rule == "the sheet does not fit the rubric: 10 item columns found, 12 expected"
    assert p.value == "I11 生产任务完成; I12 党员示范岗作用发挥"


def test_a_wide_sheet_without_layout_wide_gets_a_hint(tmp_path):
    wb = Workbook()
    wb.active.title = "2019上半年"
    _sheet_a(wb.active, H1)
    folder = tmp_path / "d"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    probs = _problems(folder, {"evaluations": "考评.xlsx"})   # layout: wide forgotten
    missing = [p for p in probs if p.rule == "required column is missing"]
    assert missing and all("write 'layout: wide'" in p.hint for p in missing)


def test_lone_number_in_a_month_column_is_not_guessed(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "组织生活"
    ws.append(["党小组编号", "2019年1月", "2019年2月"])
    ws.append(["G001", 2, "3、17"])        # 2: two meetings or the 2nd? — not guessed
    folder = tmp_path / "d"
    folder.mkdir()
    _save(wb, folder / "台账.xlsx")
    (p,) = _problems(folder, {"activities": {"file": "台账.xlsx", "layout": "wide"}})
    assert _where(p) == ("台账.xlsx", "组织生活", "B2", "2019年1月")
    assert "a count or a day" in p.rule and p.value == 2


def test_scores_typed_with_points_do_not_look_like_a_header(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "2019上半年"
    ws.append(["党小组编号", *IDS])
    for g, vals in H1.items():
        ws.append([g, *[f"{v}分" for v in vals]])   # every score typed with 分
    folder = tmp_path / "ledger"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    ds = load_dataset(_dataset(folder, {"evaluations": {"file": "考评.xlsx", "layout": "wide"}}), cache=False)
    _same(ds["evaluations"], _tidy_evaluations(tmp_path / "tidy", {"2019H1": H1}),
          ["group_id", "period", "item_id"])


def test_explicit_column_mapping_in_the_manifest(tmp_path):
    headers = list(ITEM_HEADERS)
    headers[6] = "文明创建（7分）"                 # the unit's own name for 联系群众 (I07)
    wb = Workbook()
    wb.active.title = "2019上半年"
    _sheet_a(wb.active, H1, headers=headers)
    folder = tmp_path / "ledger"
    folder.mkdir()
    _save(wb, folder / "考评.xlsx")
    ds = load_dataset(_dataset(folder, {"evaluations": {"file": "考评.xlsx", "layout": "wide",
                                                        "columns": {"文明创建": "I07"}}}), cache=False)
    _same(ds["evaluations"], _tidy_evaluations(tmp_path / "tidy", {"2019H1": H1}),
          ["group_id", "period", "item_id"])


@pytest.mark.parametrize("header", ["党员教育管理和党费收缴情况", "党员教育管理、党费收缴",
                                    "党员教育管理及党费收缴工作"])
def test_an_item_header_worded_with_other_connectives_matches_its_item(make_dataset, monkeypatch, header):
    """I04 is 党员教育管理与党费收缴 in the rubric; branches write 和/及/、 and add 情况 or 工作."""
    import received

    monkeypatch.setattr(received, "ITEMS", [header if i == 3 else n for i, n in enumerate(received.ITEMS)])
    ds = load_dataset(received.received_folder(make_dataset))
    ev = ds.tables["evaluations"]
    # no group lost a point on I04 in 2019上半年 (received.LOST, 4th of each row): 8 of 8 each
    assert ev.loc[(ev["item_id"] == "I04") & (ev["period"] == "2019H1")]["score"].tolist() == [8, 8, 8]


def test_an_unmatched_item_column_is_the_only_problem_not_a_wrong_total(make_dataset, monkeypatch):
    """Without the column the items' sum is short: the 合计 is not checked against it (no false errors)."""
    import received

    items = ["其他工作" if i == 3 else n for i, n in enumerate(received.ITEMS)]
    monkeypatch.setattr(received, "ITEMS", items)
    with pytest.raises(DataError) as err:
        load_dataset(received.received_folder(make_dataset))
    assert {p.code for p in err.value.problems} == {"unmatched_item"}
    assert [(p.sheet, p.cell) for p in err.value.problems] == [("2019上半年", "F2"), ("2019下半年", "F2")]
