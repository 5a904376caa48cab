"""Write the example ledger dataset (示例数据, fictitious) and its tidy equivalent.

    python data/examples/make_examples.py

``ledgers/`` holds the sheets as people keep them (a titled evaluation sheet with
a merged two-row header, one sheet per half-year, an activity ledger with meeting
days by month, one with counts of 主题党日 by month, an hours sheet by month with a
hidden helper column, and an ``.xls`` indicator sheet by well with months as
columns, merged well cells and a hidden row); ``tidy/`` holds the same data as
long CSV files. The ``.xls`` file needs ``xlwt`` (not a project dependency): without
it the committed file is left as it is. ``tests/data/ledgers/test_ledger_examples.py`` checks that both load
to the same tables, cell by cell. All names and numbers are made up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
MARK = "示例数据（虚构）"
UNITS = ("单位编号,单位名称,层级,行业\nWA01,示例输电运检工区,工区,电力\n"
         "W01,示例采油井一,油井,石油\nW02,示例采油井二,油井,石油\n")
GROUPS = ("党小组编号,单位编号,党小组名称,党员人数,党小组长编号\n"
          "G01,WA01,线路运行一班党小组,5,M01\nG02,WA01,线路运行二班党小组,6,M02\n"
          "G03,WA01,带电作业班党小组,4,M03\n")
NAMES = {"G01": "线路运行一班党小组", "G02": "线路运行二班党小组", "G03": "带电作业班党小组"}
IDS = [f"I{k:02d}" for k in range(1, 13)]
ASPECTS = [("思想建设", ["理论学习（8分）", "思想动态（7分）"]),
           ("组织建设", ["党小组会（10分）", "党员教育管理（8分）", "积极分子培养（7分）"]),
           ("作风建设", ["批评与自我批评（8分）", "联系群众（7分）"]),
           ("制度建设", ["工作汇报（8分）", "台账资料（7分）"]),
           ("完成中心任务", ["安全生产（10分）", "生产任务（10分）", "示范岗（10分）"])]
H1 = {"G01": [8, 6.5, 9, 7, 6, 7, 6, 7, 6, 10, 9, 9], "G02": [7, 6, 8, 6, 5, 6, 5, 6, 5, 10, 8, 8],
      "G03": [8, 7, 10, 8, 7, 8, 7, 8, 7, 10, 10, 10]}
H2 = {"G01": [7.5, 6, 9, None, 6, 7, 6, 7, 6, 10, 9, 9], "G02": [8, 7, 10, 8, 7, 8, 7, 8, 7, 10, 9.5, 10],
      "G03": [8, 6, 9, 7, 6, 7, 6, 7, 6, 10, 9, 9]}
MEETINGS = {"G01": {1: [8], 2: [14], 3: [6, 27]}, "G02": {1: [15], 2: [], 3: [20]}, "G03": {1: [22], 3: [12]}}
THEME_DAYS = {"G01": [1, 1, 0], "G02": [1, 2, 1], "G03": [0, 1, 1]}   # 主题党日 held per month
# indicator values by well, indicator and month (None: '/' on the sheet)
INDICATORS = {("W01", "pump_efficiency", "泵效", "%"): [55.2, 54.8, 56.1],
              ("W01", "power_use", "耗电量", "kW·h"): [12000, 11800, 12150],
              ("W02", "pump_efficiency", "泵效", "%"): [48.5, None, 50.2],
              ("W02", "power_use", "耗电量", "kW·h"): [9800, 9650, 9900]}
HOURS = {"G01": [880, 812.5, 905], "G02": [1056, 990, 1012.5], "G03": [704, 640, 712]}


def _grade(total: float) -> str:
    return "优秀" if total >= 95 else "合格" if total >= 80 else "基本合格" if total >= 60 else "不合格"


def _evaluation_h1(ws) -> None:
    items = [i for _, its in ASPECTS for i in its]
    ncol = 2 + len(items) + 2
    ws.append([f"2019年上半年党小组考评得分表（{MARK}）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.append(["填报单位：示例输电运检工区党支部", *[None] * 7, "填报日期：2019年7月5日"])
    top = ["序号", "党小组"]
    for aspect, its in ASPECTS:
        top += [aspect] + [None] * (len(its) - 1)
    ws.append([*top, "合计", "等级"])
    ws.append([None, None, *items, None, None])
    for col in (1, 2, ncol - 1, ncol):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    c = 3
    for _, its in ASPECTS:
        ws.merge_cells(start_row=3, start_column=c, end_row=3, end_column=c + len(its) - 1)
        c += len(its)
    for k, (g, vals) in enumerate(H1.items(), start=1):
        total = sum(vals)
        ws.append([k, NAMES[g], *vals, total, _grade(total)])
    ws["D5"] = "6.5分"   # typed with its unit, as people do
    ws.append(["合计", None, *[None] * len(items), sum(sum(v) for v in H1.values()), None])
    ws.append(["备注：安全生产项按无责任事故计满分。"])
    ws.append(["制表人：王某", None, None, None, None, None, None, None, "审核人：李某"])


def _evaluation_h2(ws) -> None:
    ws.append(["党小组名称", "政治理论学习", "思想动态掌握与谈心", "党小组会每月召开及质量",
               "党员教育管理与党费收缴", "入党积极分子培养", "批评与自我批评", "联系群众",
               "工作汇报与半年总结", "台账资料规范",
               "安全生产无责任事故", "生产任务完成", "党员示范岗作用发挥"])
    for g, vals in H2.items():
        ws.append([f" {NAMES[g]} ", *["/" if v is None else v for v in vals]])


def _ledgers(folder: Path) -> None:
    wb = Workbook()
    wb.active.title = "2019上半年"
    _evaluation_h1(wb.active)
    _evaluation_h2(wb.create_sheet("2019下半年"))
    wb.save(folder / "2019年党小组考评得分表.xlsx")

    wb = Workbook()
    ws = wb.active
    ws.title = "党小组会"
    ws.append([f"2019年党小组会记录台账（{MARK}）"])
    ws.append(["党小组", "1月", "2月", "3月"])
    for g, months in MEETINGS.items():
        row = [NAMES[g]]
        for m in (1, 2, 3):
            days = months.get(m, [])
            row.append("、".join(f"{d}日" for d in days) if days else "/")
        ws.append(row)
    ws["B5"] = dt.datetime(2019, 1, 22)  # one meeting typed as a real Excel date
    wb.save(folder / "2019年党小组会记录台账.xlsx")

    wb = Workbook()
    ws = wb.active
    ws.title = "主题党日"
    ws.append([f"2019年一季度主题党日开展次数统计表（{MARK}）"])
    ws.append(["序号", "党小组", "1月（次）", "2月（次）", "3月（次）"])
    for k, (g, counts) in enumerate(THEME_DAYS.items(), start=1):
        ws.append([k, NAMES[g], *[f"{n}次" if k == 2 else n for n in counts]])
    wb.save(folder / "2019年主题党日次数统计表.xlsx")
    _indicators_xls(folder / "2019年油井指标月报.xls")

    wb = Workbook()
    ws = wb.active
    ws.title = "工时"
    ws.append([f"2019年一季度作业工时统计表（{MARK}）"])
    ws.append(["党小组编号", "1月", "2月", "3月", "校核"])
    for g, hours in HOURS.items():
        ws.append([g, *[f"{h:,}" for h in hours], sum(hours)])
    ws.column_dimensions["E"].hidden = True  # a helper column people hide
    wb.save(folder / "2019年工时统计表.xlsx")


def _indicators_xls(path: Path) -> None:
    """An .xls indicator sheet by well: months as columns, each well merged over its rows, a hidden row."""
    try:
        import xlwt
    except ImportError:
        print(f"xlwt not installed: {path.name} left as it is")
        return
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("2019年")   # the year of 1月 … 3月
    ws.write_merge(0, 0, 0, 5, f"2019年一季度油井标杆指标月报（{MARK}）")
    for c, h in enumerate(["井号", "指标名称", "单位", "1月", "2月", "3月"]):
        ws.write(1, c, h)
    r = 2
    for (well, _, name, unit), values in INDICATORS.items():
        ws.write(r, 1, name)
        ws.write(r, 2, unit)
        for c, v in enumerate(values, start=3):
            ws.write(r, c, "/" if v is None else v)
        r += 1
    ws.write_merge(2, 3, 0, 0, "W01")
    ws.write_merge(4, 5, 0, 0, "W02")
    for c, v in enumerate(["W09", "泵效", "%", 1, 2, 3]):   # a well closed last year: its row is hidden
        ws.write(r, c, v)
    ws.row(r).hidden = True
    wb.save(str(path))


def _tidy(folder: Path) -> None:
    rows = ["党小组编号,考评期,考评项目编号,考评得分"]
    for period, scores in (("2019H1", H1), ("2019H2", H2)):
        for g, vals in scores.items():
            rows += [f"{g},{period},{i},{v}" for i, v in zip(IDS, vals, strict=True) if v is not None]
    (folder / "evaluations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["党小组编号,日期,活动类型,序号,日期精度"]
    for g, months in MEETINGS.items():
        rows += [f"{g},2019-{m:02d}-{d:02d},党小组会,1,日" for m, days in months.items() for d in days]
    for g, counts in THEME_DAYS.items():   # a count gives one row per meeting, dated the 1st
        rows += [f"{g},2019-{m:02d}-01,主题党日,{k},月" for m, n in enumerate(counts, start=1)
                 for k in range(1, n + 1)]
    (folder / "activities.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["对象编号,月份,指标编号,数值"]
    rows += [f"{w},2019-{m:02d},{i},{v}" for (w, i, _, _), vs in INDICATORS.items()
             for m, v in enumerate(vs, start=1) if v is not None]
    (folder / "indicators.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["党小组编号,月份,工时"]
    rows += [f"{g},2019-{m:02d},{h}" for g, hs in HOURS.items() for m, h in enumerate(hs, start=1)]
    (folder / "exposure.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def _manifest(tables: str) -> str:
    return (f"# {MARK}: made-up groups and numbers showing the shapes of real ledgers.\n"
            "name: {zh: 示例数据（台账格式，虚构）, en: Example data (ledger layout, fictitious)}\n"
            "synthetic: true\n"
            'study_window: {start: "2019-01", end: "2019-12"}\n'
            "rubric: ../../rubrics/party_group_evaluation.yml\n"
            "catalogue: ../../rubrics/oil_benchmark_indicators.yml\n"
            "tables:\n  units: units.csv\n  groups: groups.csv\n" + tables)


def main() -> None:
    for name in ("ledgers", "tidy"):
        (HERE / name).mkdir(exist_ok=True)
        (HERE / name / "units.csv").write_text(UNITS, encoding="utf-8")
        (HERE / name / "groups.csv").write_text(GROUPS, encoding="utf-8")
    _ledgers(HERE / "ledgers")
    _tidy(HERE / "tidy")
    (HERE / "ledgers" / "dataset.yml").write_text(_manifest(
        "  evaluations:\n    file: 2019年党小组考评得分表.xlsx\n"
        "    sheets: all      # one sheet per half-year\n"
        "    layout: wide     # one row per group, one column per rubric item\n"
        "  activities:\n    layout: wide\n    files:\n"
        "      - {file: 2019年党小组会记录台账.xlsx, kind: group_meeting}   # days: 6日、27日\n"
        "      - {file: 2019年主题党日次数统计表.xlsx, kind: theme_day}     # counts: 1, 2次, 0\n"
        "  exposure: {file: 2019年工时统计表.xlsx, layout: wide}\n"
        "  indicators: {file: 2019年油井指标月报.xls, layout: wide}   # months as columns\n"),
        encoding="utf-8")
    (HERE / "tidy" / "dataset.yml").write_text(_manifest(
        "  evaluations: evaluations.csv\n  activities: activities.csv\n  exposure: exposure.csv\n"
        "  indicators: indicators.csv\n"), encoding="utf-8")


if __name__ == "__main__":
    main()
