"""Regenerate the bad-input corpus (run from anywhere: python tests/data/bad/make_corpus.py).

Each case is one small file (or dataset folder) with exactly one problem; cases.yml says which
file, row (as Excel shows it, header = row 1), column (as written) and rule the DataError must name.
"""

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
GROUPS_HDR = "group_id,unit_id,name,members,leader_id\n"


def w(name, text, encoding="utf-8"):
    (HERE / name).write_bytes(text.encode(encoding))


w("wrong_encoding.csv", "党小组编号,单位编号,党小组名称,党员人数,党小组长编号\nG001,WA01,线路一班党小组,5,M1\n", "gb18030")
w("missing_column.csv", "group_id,unit_id,name,leader_id\nG001,WA01,线路一班,M1\n")
w("score_out_of_range.csv", "党小组编号,考评期,考评项目编号,考评得分\nG001,2019H1,I01,8\nG001,2019H1,I02,120\n")
w("duplicate_key.csv", "unit_id,name,level,sector\nWA01,线路工区,work_area,power\nWA01,变电工区,work_area,power\n")
w("bad_date.csv", "incident_id,group_id,date,category\nE1,G001,2019-05-13,violation\nE2,G001,2019-13-45,violation\n")
w("empty.csv", "")
w("header_only.csv", GROUPS_HDR)
w("mixed_types.csv", GROUPS_HDR + "G001,WA01,线路一班,5,M1\nG002,WA01,线路二班,五,M2\nG003,WA01,线路三班,7,M3\n")
w("bad_category.csv", "group_id,date,kind,seq\nG001,2019-05-13,group_meeting,1\nG001,2019-05-14,聚餐,1\n")
w("bad_bool.csv", "group_id,date,kind,seq,praise_over_criticism\nG001,2019-05-13,group_meeting,1,也许\n")

wb = Workbook()
ws = wb.active
ws.title = "考评明细"
ws.append(["党小组编号", "考评期", "考评项目编号", "考评得分"])
ws.append(["G001", "2019H1", "I01", 8])
ws.append(["G001", "2019H1", "I02", None])
ws["D3"] = "#DIV/0!"
ws["D3"].data_type = "e"
wb.properties.created = wb.properties.modified = __import__("datetime").datetime(2020, 1, 1)
wb.save(HERE / "excel_error.xlsx")

# dataset-level cases
for folder in ("unknown_group", "missing_file", "outside_window"):
    (HERE / folder).mkdir(exist_ok=True)
units = "unit_id,name,level,sector\nWA01,线路工区,work_area,power\n"
groups = GROUPS_HDR + "G001,WA01,线路一班党小组,5,M1\n"
manifest = ('name: bad case\nstudy_window: {start: "2015-01", end: "2019-12"}\n'
            "tables:\n  units: units.csv\n  groups: groups.csv\n  exposure: exposure.csv\n")
for folder in ("unknown_group", "missing_file", "outside_window"):
    w(f"{folder}/units.csv", units)
    w(f"{folder}/groups.csv", groups)
    w(f"{folder}/dataset.yml", manifest)
w("unknown_group/exposure.csv", "group_id,month,person_hours\nG001,2019-01,800\nG999,2019-01,640\n")
w("outside_window/exposure.csv", "group_id,month,person_hours\nG001,2019-01,800\nG001,2021-01,640\n")
