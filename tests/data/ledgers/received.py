"""Folders as users receive them from a branch, written with openpyxl (shared by the roster/scope tests).

A names-only roster (title row, 序号/工区/党小组/党员人数/党小组长/成立时间) with 综合班党小组 in two
工区; a two-sheet half-year evaluation ledger whose titles name the 工区; an incident register whose
title names the 工区 (序号, 发生日期 as ``2019/01/05`` text, 党小组 by name, Chinese labels).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import openpyxl

RUBRIC = Path(__file__).resolve().parents[3] / "data" / "rubrics" / "party_group_evaluation.yml"
#: (工区, 党小组, 党员人数, 党小组长, 成立时间)
ROSTER = [("变电检修工区", "综合班党小组", 7, "张三", "2015/03/01"),
          ("变电检修工区", "检修一班党小组", 9, "李四", "2016/05/01"),
          ("变电检修工区", "检修二班党小组", 6, "钱七", "2016/05/01"),
          ("输电运检工区", "综合班党小组", 6, "王五", "2015/04/01"),
          ("输电运检工区", "线路一班党小组", 8, "赵六", "2017/01/01")]
ITEMS = ["政治理论学习", "思想动态掌握与谈心", "党小组会每月召开及质量", "党员教育管理与党费收缴",
         "入党积极分子培养", "批评与自我批评", "联系群众", "工作汇报与半年总结", "台账资料规范",
         "安全生产无责任事故", "生产任务完成", "党员示范岗作用发挥"]
MAXIMA = [8, 7, 10, 8, 7, 8, 7, 8, 7, 10, 10, 10]
#: scores of 变电检修工区's groups per half-year: group -> points lost per item (hand-made)
LOST = {"2019上半年": {"综合班党小组": [1, 0, 2, 0, 0, 1, 0, 0, 1, 0, 0, 0],
                      "检修一班党小组": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                      "检修二班党小组": [2, 1, 0, 0, 1, 0, 0, 1, 0, 5, 0, 0]},
        "2019下半年": {"综合班党小组": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                      "检修一班党小组": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
                      "检修二班党小组": [0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]}}
#: the register: (序号, 发生日期, 党小组, 事件类别, 严重程度)
INCIDENTS = [(1, "2019/01/05", "综合班党小组", "违章", "一般"),
             (2, "2019/03/12", "检修一班党小组", "隐患", "轻微"),
             (3, "2019/07/01", "综合班党小组", "设备故障", "一般"),
             (4, "2019/11/30", "检修二班党小组", "违章", "轻微")]


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook of ``{sheet name: rows}`` as bytes."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def roster_rows(rows=ROSTER, title: str = "XX供电公司党小组名册") -> list[list]:
    out = [[title], ["序号", "工区", "党小组", "党员人数", "党小组长", "成立时间"]]
    return out + [[i, *r] for i, r in enumerate(rows, 1)]


def ledger_rows(half: str, unit: str = "变电检修工区", *, filed_by: bool = False) -> list[list]:
    title = [f"{unit}{half}党小组工作考评得分表"] if not filed_by else [f"{half}党小组工作考评得分表"]
    out = [title] + ([["填报单位：", unit, None, "填报日期：2019年7月5日"]] if filed_by else [])
    out.append(["序号", "党小组", *[f"{n}（{m}分）" for n, m in zip(ITEMS, MAXIMA, strict=True)], "合计"])
    for i, (group, lost) in enumerate(LOST[half].items(), 1):
        scores = [m - x for m, x in zip(MAXIMA, lost, strict=True)]
        out.append([i, group, *scores, sum(scores)])
    return out


def register_rows(unit: str = "变电检修工区") -> list[list]:
    return [[f"{unit}2019年安全事件登记表"], ["序号", "发生日期", "党小组", "事件类别", "严重程度"],
            *[list(r) for r in INCIDENTS]]


def received_folder(make_dataset, *, manifest_extra: dict | None = None, filed_by: bool = False) -> Path:
    """The three files a branch sends, with the dataset.yml a user would write for them."""
    files = {"党小组名册.xlsx": xlsx({"名册": roster_rows()}),
             "2019年党小组考评得分表.xlsx": xlsx({h: ledger_rows(h, filed_by=filed_by) for h in LOST}),
             "安全事件登记表.xlsx": xlsx({"2019": register_rows()})}
    manifest = {"name": "变电检修工区 2019", "study_window": {"start": "2019-01", "end": "2019-12"},
                "rubric": str(RUBRIC),
                "tables": {"groups": "党小组名册.xlsx",
                           "evaluations": {"file": "2019年党小组考评得分表.xlsx", "sheets": "all",
                                           "layout": "wide"},
                           "incidents": "安全事件登记表.xlsx"}}
    for k, v in (manifest_extra or {}).items():
        manifest[k] = v
    return make_dataset(files, manifest=manifest)
