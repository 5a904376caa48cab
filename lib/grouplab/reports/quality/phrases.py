"""Wording of the data-quality report (notebook 01), once in Chinese and once in English."""

from __future__ import annotations

__all__ = ["PHRASES"]  # KINDS, DETECTED, ACTIONS are the display's: a package KINDS means activity kinds


PHRASES = {
    "file": {"zh": "文件", "en": "File"},
    "row": {"zh": "行号", "en": "Row"},
    "column": {"zh": "列", "en": "Column"},
    "rule": {"zh": "规则", "en": "Rule"},
    "value": {"zh": "值", "en": "Value"},
    "hint": {"zh": "处理建议", "en": "What to do"},
    "table": {"zh": "数据表", "en": "Table"},
    "rows": {"zh": "行数", "en": "Rows"},
    "columns": {"zh": "列数", "en": "Columns"},
    "key": {"zh": "主键", "en": "Key"},
    "first": {"zh": "起", "en": "From"},
    "last": {"zh": "止", "en": "To"},
    "missing": {"zh": "缺失数", "en": "Empty cells"},
    "share": {"zh": "缺失比例（%）", "en": "Empty (%)"},
    "unit_id": {"zh": "单位编号", "en": "Unit ID"},
    "unit": {"zh": "单位", "en": "Unit"},
    "year": {"zh": "年份", "en": "Year"},
    "cov_title": {"zh": "各单位各年度{table}记录数", "en": "{table}: records per unit and year"},
    "sheet_problems": {"zh": "发现的问题", "en": "Problems"},
    "sheet_tables": {"zh": "数据表", "en": "Tables"},
    "sheet_cov": {"zh": "覆盖-{table}", "en": "Coverage-{table}"},
    "sheet_missing": {"zh": "缺失值", "en": "Empty cells"},
    "sheet": {"zh": "工作表", "en": "Sheet"},
    "what": {"zh": "项目", "en": "What"},
    "detail": {"zh": "说明", "en": "Detail"},
    "written": {"zh": "列（原表头）", "en": "Column as written"},
    "kind": {"zh": "内容", "en": "What it held"},
    "detected": {"zh": "识别方式", "en": "Found by"},
    "action": {"zh": "处理", "en": "Action"},
    "sheet_reading": {"zh": "读取方式", "en": "How read"},
    "sheet_privacy": {"zh": "隐私处理", "en": "Privacy"},
    "sheet_flags": {"zh": "记录标记与编码标记", "en": "Recorded vs coded flags"},
    "flag": {"zh": "标记", "en": "Flag"},
    "flag_n": {"zh": "两者都有的会议数", "en": "Meetings with both"},
    "flag_recorded": {"zh": "记录为是（%）", "en": "Recorded TRUE (%)"},
    "flag_coded": {"zh": "编码为是（%）", "en": "Coded TRUE (%)"},
    "flag_agree": {"zh": "一致（%）", "en": "Agreement (%)"},
    "flag_kappa": {"zh": "κ 系数", "en": "Kappa"},
    "flag_rec_only": {"zh": "仅有记录标记", "en": "Recorded only"},
    "flag_cod_only": {"zh": "仅有编码标记", "en": "Coded only"},
    "flags_none": {"zh": "数据集没有会议记录，无法比较记录标记与编码标记。",
                   "en": "The dataset has no meeting minutes: recorded and coded flags cannot be "
                         "compared."},
    "flags_some": {"zh": "{n} 次会议同时有记录标记和按会议记录编码的标记；最低的 κ 系数为 {low:.2f}。",
                   "en": "{meetings_en} both a recorded flag and one coded from their minutes; "
                         "the lowest kappa is {low:.2f}."},
    "flags_no_kappa": {"zh": "{n} 次会议同时有记录标记和按会议记录编码的标记；"
                             "κ 系数无法计算（两者都有的会议太少，或标记没有变化）。",
                       "en": "{meetings_en} both a recorded flag and one coded from their minutes; "
                             "kappa cannot be computed (too few such meetings, or a flag that never "
                             "varies)."},
    "flags_no_overlap": {"zh": "没有会议同时有记录标记和按会议记录编码的标记，κ 系数无法计算。",
                         "en": "No meeting has both a recorded flag and one coded from its minutes: kappa "
                               "cannot be computed."},
    "privacy_none": {"zh": "没有删除或替换任何列：数据集中没有问卷表，或问卷文件中没有个人信息列。",
                     "en": "No column was removed or replaced: the dataset has no survey table, "
                           "or its files hold no personal-data columns."},
    "privacy_some": {"zh": "载入时从 {files} 个文件中删除了 {dropped} 个含个人信息的列，"
                           "并把 {ids} 个答卷编号列替换为假名，见下表。",
                     "en": "On load, {dropped} columns holding personal data were dropped from "
                           "{files} files and {ids} answer-sheet number columns were replaced by "
                           "pseudonyms; see the table below."},
    "privacy_masked": {"zh": "另有 {masked} 列开放题答案中写入的个人信息已被遮盖（答案保留）。",
                       "en": "Personal data written into the answers of {masked} open questions "
                             "was masked (the answers are kept)."},
    "privacy_invalid": {"zh": "数据集未通过校验，隐私处理记录在数据集通过校验后列出。",
                        "en": "The dataset did not pass validation; what privacy removed is listed "
                              "once it does."},
    "status_ok": {"zh": "数据集通过全部校验：共 {n} 张表，未发现问题。",
                  "en": "The dataset passed every check: {n} tables, no problems found."},
    "status_bad": {"zh": "数据集未通过校验：发现 {n} 个问题，见下表。",
                   "en": "The dataset did not pass: {n} problems found, listed below."},
}

#: what a removed column held (``Dataset.privacy['kind']``)
KINDS = {
    "ip": {"zh": "IP 地址", "en": "IP address"},
    "location": {"zh": "所在地区（由 IP 推得）", "en": "location (from the IP address)"},
    "name": {"zh": "姓名", "en": "name"},
    "phone": {"zh": "电话号码", "en": "phone number"},
    "email": {"zh": "电子邮箱", "en": "e-mail address"},
    "id_card": {"zh": "身份证号", "en": "ID-card number"},
    "wechat": {"zh": "微信号", "en": "WeChat id or openid"},
    "student_staff_no": {"zh": "学号/工号", "en": "student or staff number"},
    "address": {"zh": "住址", "en": "address"},
    "metadata": {"zh": "设备、浏览器等填写信息", "en": "device, browser and similar data"},
    "respondent_id": {"zh": "答卷编号", "en": "answer-sheet number"},
}
#: how it was found (``Dataset.privacy['detected']``)
DETECTED = {
    "header": {"zh": "表头", "en": "header"},
    "content": {"zh": "单元格内容", "en": "cell content"},
    "platform": {"zh": "问卷平台的导出格式", "en": "the platform's export layout"},
    "id": {"zh": "答卷编号列", "en": "answer-sheet number column"},
}
#: what was done (``Dataset.privacy['action']``)
ACTIONS = {
    "dropped": {"zh": "整列删除", "en": "column dropped"},
    "masked": {"zh": "答案中遮盖", "en": "masked in the answers"},
    "pseudonymised": {"zh": "替换为假名", "en": "replaced by pseudonyms"},
}
