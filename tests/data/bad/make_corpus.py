"""Regenerate the bad-input corpus (run from anywhere: python tests/data/bad/make_corpus.py).

Each case is one small file (or dataset folder) with exactly one problem; cases.yml says which
loader reads it and which file, row (as Excel shows it, header = row 1; for SPSS the case
number), column (as written) and rule the DataError must name.

The .xls case needs ``xlwt`` (not a project dependency): if it is missing the committed .xls
file is left as it is.
"""

import datetime as dt
import io
import shutil
from pathlib import Path

import pandas as pd
import pyreadstat
from openpyxl import Workbook

HERE = Path(__file__).parent
STAMP = dt.datetime(2020, 1, 1)
RUBRICS = "../../../../data/rubrics"  # from a case folder to the project's data/rubrics
GROUPS_HDR = "group_id,unit_id,name,members,leader_id\n"
ZH_GROUPS_HDR = "党小组编号,单位编号,党小组名称,党员人数,党小组长编号\n"
UNITS = "unit_id,name,level,sector\nWA01,线路工区,work_area,power\n"
GROUPS = GROUPS_HDR + "G001,WA01,线路一班党小组,5,M1\n"


def w(name, text, encoding="utf-8"):
    path = HERE / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def xlsx(name, rows, *, sheet="Sheet1", errors=(), merged=(), blank=False):
    """Write an .xlsx; errors: cells like 'D3' holding an Excel error; merged: ranges like 'A1:D1'."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if not blank:
        for row in rows:
            ws.append(row)
    for ref, text in errors:
        ws[ref] = text
        ws[ref].data_type = "e"
    for rng in merged:
        ws.merge_cells(rng)
    wb.properties.created = wb.properties.modified = STAMP
    buf = io.BytesIO()
    wb.save(buf)
    path = HERE / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


def dataset(folder, tables, files, *, extra=""):
    """A small dataset folder: files {name: text}, tables {table: file} in dataset.yml."""
    if (HERE / folder).is_dir():
        shutil.rmtree(HERE / folder)
    (HERE / folder).mkdir()
    for name, text in files.items():
        w(f"{folder}/{name}", text)
    lines = [f"name: bad case {folder}", 'study_window: {start: "2015-01", end: "2019-12"}']
    lines += [extra.rstrip()] if extra else []
    lines.append("tables:")
    lines += [f"  {t}: {f}" for t, f in tables.items()]
    w(f"{folder}/dataset.yml", "\n".join(lines) + "\n")


# ------------------------------------------------------------- CSV: encodings
w("wrong_encoding.csv", ZH_GROUPS_HDR + "G001,WA01,线路一班党小组,5,M1\n", "gb18030")
w("gb18030_bad_category.csv", "事件编号,党小组编号,日期,类别\nE1,G001,2019-05-13,违章\n"
  "E2,G001,2019-05-14,打架\n", "gb18030")
(HERE / "bom_duplicate_key.csv").write_bytes(
    b"\xef\xbb\xbf" + (ZH_GROUPS_HDR + "G001,WA01,线路一班,5,M1\nG001,WA01,线路二班,6,M2\n").encode())
# Excel's "Unicode text": UTF-16 LE with BOM, tab-delimited
(HERE / "utf16_bad_number.csv").write_bytes(
    "党小组编号\t月份\t工时\r\nG001\t2019-01\t800\r\nG001\t2019-02\t八百\r\n".encode("utf-16"))
(HERE / "mixed_encoding.csv").write_bytes(
    "党小组编号,日期,活动类型,序号\n".encode() + "G001,2019-05-13,党小组会,1\n".encode()
    + "G001,2019-05-20,主题党日,1\n".encode("gb18030"))

# ---------------------------------------------------------- CSV: structure
w("missing_column.csv", "group_id,unit_id,name,leader_id\nG001,WA01,线路一班,M1\n")
w("empty.csv", "")
w("header_only.csv", GROUPS_HDR)
w("title_rows.csv", "XX供电公司党小组名册,,,,\n填报日期：2019年6月30日,,,,\n" + ZH_GROUPS_HDR
  + "G001,WA01,线路一班,5,M1\nG002,WA01,线路二班,0,M2\n")
w("totals_row.csv", "group_id,month,person_hours\nG001,2019-01,800\nG002,2019-01,-5\n"
  "G003,2019-01,640\n合计,,1435\n")
w("ragged_row.csv", GROUPS_HDR + "G001,WA01,线路一班,5,M1\nG002,WA01,线路二班,6,M2,多余\n")
w("unclosed_quote.csv", GROUPS_HDR + 'G001,WA01,"线路一班,5,M1\nG002,WA01,线路二班,6,M2\n')
w("blank_middle_row.csv", GROUPS_HDR + "G001,WA01,线路一班,5,M1\n,,,,\nG002,WA01,线路二班,6,M2\n")

# ----------------------------------------------------------- CSV: values
w("score_out_of_range.csv", "党小组编号,考评期,考评项目编号,考评得分\n"
  "G001,2019H1,I01,8\nG001,2019H1,I02,120\n")
w("duplicate_key.csv", "unit_id,name,level,sector\nWA01,线路工区,work_area,power\n"
  "WA01,变电工区,work_area,power\n")
w("bad_date.csv", "incident_id,group_id,date,category\nE1,G001,2019-05-13,violation\n"
  "E2,G001,2019-13-45,violation\n")
w("mixed_types.csv", GROUPS_HDR + "G001,WA01,线路一班,5,M1\nG002,WA01,线路二班,五,M2\n"
  "G003,WA01,线路三班,7,M3\n")
w("bad_category.csv", "group_id,date,kind,seq\nG001,2019-05-13,group_meeting,1\nG001,2019-05-14,聚餐,1\n")
w("huge_integer.csv", "group_id,date,kind,seq\nG001,2019-05-13,group_meeting,1\n"
  "G001,2019-05-14,group_meeting,9.223372036854776e+18\n")
w("bad_bool.csv", "group_id,date,kind,seq,praise_over_criticism\nG001,2019-05-13,group_meeting,1,也许\n")
w("chinese_dates.csv", "党小组编号,党员编号,示范岗类型,设岗日期,撤岗日期\n"
  "G001,M1,safety_guard,2019年5月13日,\nG001,M2,safety_guard,43600,2019/12/31\n"
  "G001,M3,零违章示范岗,2019.5.13,20191231\nG001,M4,safety_guard,2019年13月1日,\n")
w("post_end_before_start.csv", "党小组编号,党员编号,示范岗类型,设岗日期,撤岗日期\n"
  "G001,M1,safety_guard,2019-01-01,2019-12-31\nG001,M2,line_guard,2019-06-01,2019-03-01\n")
w("attendees_gt_expected.csv", "党小组编号,日期,活动类型,序号,实到人数,应到人数\n"
  "G001,2019-05-13,党小组会,1,5,5\nG001,2019-06-13,党小组会,1,7,5\n")
w("incident_no_group_or_unit.csv", "事件编号,党小组编号,单位编号,日期,类别\n"
  "E1,G001,,2019-05-13,违章\nE2,,,2019-05-14,隐患\nE3,,WA01,2019-05-15,隐患\n")
w("bad_month.csv", "对象编号,月份,指标编号,数值\nS1,2010-01,oil_per_capita,43.0\n"
  "S1,2010-13,oil_per_capita,44.0\n")
w("survey_bad_wave.csv", "答卷编号,调查年度,单位编号,党小组编号,A1\n1,2019,WA01,G001,4\n2,1890,WA01,G001,5\n")

# ------------------------------------------------------------------ XLSX
xlsx("excel_error.xlsx", [["党小组编号", "考评期", "考评项目编号", "考评得分"],
                          ["G001", "2019H1", "I01", 8], ["G001", "2019H1", "I02", None]],
     sheet="考评明细", errors=[("D3", "#DIV/0!")])
xlsx("excel_error_date.xlsx", [["事件编号", "党小组编号", "日期", "类别"],
                               ["E1", "G001", dt.datetime(2019, 5, 13), "违章"],
                               ["E2", "G001", None, "隐患"]], errors=[("C3", "#N/A")])
xlsx("title_rows_merged.xlsx", [["2019年上半年党小组考评表", None, None, None],
                                ["填表单位：线路工区", None, None, None],
                                ["党小组编号", "考评期", "考评项目编号", "考评得分"],
                                ["G001", "2019年上半年", "I01", 8],
                                ["G001", "2019年上半年", "I02", "八十"],
                                ["G001", "2019年上半年", "I03", 9.5]],
     merged=["A1:D1", "A2:D2"])
xlsx("merged_header.xlsx", [["基本信息", None, None, None, "出勤", None],
                            ["党小组编号", "日期", "活动类型", "序号", "实到人数", "应到人数"],
                            ["G001", dt.datetime(2019, 5, 13), "党小组会", 1, 5, 5],
                            ["G001", dt.datetime(2019, 6, 13), "党小组会", "一", 5, 5]],
     merged=["A1:D1", "E1:F1"])
xlsx("totals_row.xlsx", [["对象编号", "月份", "指标编号", "数值"],
                         ["S1", "2010-01", "oil_per_capita", 43.0],
                         ["S1", "2010年13月", "oil_per_capita", 44.0],
                         ["S2", dt.datetime(2010, 1, 1), "oil_per_capita", 40.0],
                         [None, None, None, None],
                         ["合计", None, None, 127.0]])
xlsx("dates_native.xlsx", [["事件编号", "党小组编号", "发生日期", "类别"],
                           ["E1", "G001", dt.datetime(2019, 5, 13), "违章"],
                           ["E2", "G001", 43600, "隐患"],
                           ["E3", "G001", "2019.5.13", "隐患"],
                           ["E4", "G001", "20190513", "隐患"],
                           ["E5", "G001", "2019-02-30", "隐患"]])
xlsx("empty_sheet.xlsx", [], blank=True)
full = xlsx("truncated.xlsx", [GROUPS_HDR.strip().split(","), ["G001", "WA01", "线路一班", 5, "M1"]] * 20)
(HERE / "truncated.xlsx").write_bytes(full[: len(full) // 2])

# ------------------------------------------------------------------- XLS
(HERE / "html_as.xls").write_text(
    "<html><body><table><tr><td>党小组编号</td><td>党员人数</td></tr>"
    "<tr><td>G001</td><td>5</td></tr></table></body></html>", encoding="utf-8")
try:
    import xlwt
except ImportError:
    print("xlwt not installed: score_not_number.xls left as it is")
else:
    book = xlwt.Workbook(encoding="utf-8")
    sh = book.add_sheet("考评明细")
    for r, row in enumerate([["党小组编号", "考评期", "考评项目编号", "考评得分"],
                             ["G001", "2019H1", "I01", 8], ["G001", "2019H1", "I02", "优"],
                             ["G001", "2019H1", "I03", 9.5]]):
        for c, v in enumerate(row):
            sh.write(r, c, v)
    book.save(str(HERE / "score_not_number.xls"))
# one flipped byte in the BIFF stream makes calamine (Rust) panic: must still be a DataError
damaged = bytearray((HERE / "score_not_number.xls").read_bytes())
damaged[1424] ^= 0xFF
(HERE / "damaged_panic.xls").write_bytes(bytes(damaged))

# ------------------------------------------------------------------- SAV
sav = pd.DataFrame({"group_id": ["G001", "G002", "G003"], "unit_id": ["WA01"] * 3,
                    "name": ["线路一班", "线路二班", "线路三班"],
                    "members": [5.0, 0.0, 7.0], "leader_id": ["M1", "M2", "M3"]})
pyreadstat.write_sav(sav, str(HERE / "members_out_of_range.sav"),
                     column_labels={"members": "党员人数"})
pyreadstat.write_sav(pd.concat([sav] * 30, ignore_index=True), str(HERE / "truncated.sav"))
data = (HERE / "truncated.sav").read_bytes()
(HERE / "truncated.sav").write_bytes(data[: len(data) // 3])

# ------------------------------------------------------------------ 问卷星
WJX_HEAD = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
xlsx("wjx_renamed_question.xlsx", [
    [*WJX_HEAD, "1、您所在单位编号", "2、您所在党小组编号", "党小组会按时召开"],
    [1, "2019/11/6 9:05:07", "299秒", "手机提交", "微信", "0.0.0.0", "WA01", "G001", 4],
    [2, "2019/11/6 9:15:07", "120秒", "手机提交", "微信", "0.0.0.0", "WA01", "G001", 5]])
# two exports pasted into one sheet: 序号 starts again at row 4
w("wjx_stacked_exports.csv", ",".join([*WJX_HEAD, "1、您所在单位编号", "2、性别", "第3题(运动)"]) + "\n"
  "1,2019/11/6 9:05:07,299秒,手机提交,微信,0.0.0.0,WA01,1,1\n"
  "2,2019/11/6 9:15:07,120秒,手机提交,微信,0.0.0.0,WA01,2,0\n"
  "1,2019/11/7 9:25:07,130秒,手机提交,微信,0.0.0.0,WA01,2,1\n")

# -------------------------------------------------------------- datasets
for folder in ("unknown_group", "missing_file", "outside_window"):
    dataset(folder, {"units": "units.csv", "groups": "groups.csv", "exposure": "exposure.csv"},
            {"units.csv": UNITS, "groups.csv": GROUPS})
w("unknown_group/exposure.csv", "group_id,month,person_hours\nG001,2019-01,800\nG999,2019-01,640\n")
w("outside_window/exposure.csv", "group_id,month,person_hours\nG001,2019-01,800\nG001,2021-01,640\n")

dataset("unknown_parent", {"units": "units.csv"},
        {"units.csv": "单位编号,单位名称,上级单位编号,层级,行业\nC01,供电公司,,company,power\n"
                      "WA01,线路工区,C01,work_area,power\nWA02,变电工区,C09,work_area,power\n"})
dataset("unknown_item", {"units": "units.csv", "groups": "groups.csv", "evaluations": "evaluations.csv"},
        {"units.csv": UNITS, "groups.csv": GROUPS,
         "evaluations.csv": "党小组编号,考评期,考评项目编号,考评得分\n"
                            "G001,2019H1,I01,8\nG001,2019H1,I99,7\n"},
        extra=f"rubric: {RUBRICS}/party_group_evaluation.yml")
dataset("unknown_indicator", {"units": "units.csv", "indicators": "indicators.csv"},
        {"units.csv": "unit_id,name,level,sector\nS1,一号站,station,oil\n",
         "indicators.csv": "站号,月份,指标编号,数值\nS1,2010-01,oil_per_capita,43\n"
                           "S1,2010-01,oil_per_capta,44\n"},
        extra=f'catalogue: {RUBRICS}/oil_benchmark_indicators.yml\n'
              'indicator_window: {start: "2010-01", end: "2011-12"}')
dataset("invalid_yaml", {"units": "units.csv"}, {"units.csv": UNITS})
w("invalid_yaml/dataset.yml", "name: bad yaml\ntables:\n  units: units.csv\n   groups: [groups.csv\n")

# a 问卷星 survey laid out as the demo questionnaire (work area, group number, five 4-row
# matrix questions, four choices) with one answer outside 1..5
head = [*WJX_HEAD, "1、您所在的单位", "2、您所在党小组的编号",
        *[f"{q}(第{4 * (q - 3) + r}项陈述)" for q in range(3, 8) for r in range(1, 5)],
        *[f"{i}、选择题{i}" for i in range(8, 12)]]
meta = [[1, "2019/11/6 9:05:07", "299秒", "手机提交", "微信", "0.0.0.0", 1, "G001"],
        [2, "2019/11/6 9:15:07", "120秒", "手机提交", "微信", "0.0.0.0", 1, "G001"],
        [3, "2019/11/6 9:25:07", "130秒", "链接", "直接访问", "0.0.0.0", 1, "G001"]]
answers = [meta[0] + [3] * 20 + [1] * 4, meta[1] + [7] + [4] * 19 + [2] * 4, meta[2] + [5] * 24]
dataset("survey_out_of_range", {"units": "units.csv", "groups": "groups.csv"},
        {"units.csv": UNITS, "groups.csv": GROUPS},
        extra=f"questionnaire: {RUBRICS}/member_survey.yml")
with open(HERE / "survey_out_of_range/dataset.yml", "a", encoding="utf-8") as fh:
    fh.write("  survey: {format: wjx, files: {2019: survey_2019.xlsx}}\n")
xlsx("survey_out_of_range/survey_2019.xlsx", [head, *answers])
