"""Wording of the data-quality report (notebook 01), once in Chinese and once in English."""

from __future__ import annotations

__all__ = ["PHRASES", "TITLE"]

TITLE = {"zh": "数据质量报告", "en": "Data-quality report"}

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
    "year": {"zh": "年份", "en": "Year"},
    "cov_title": {"zh": "各单位各年度{table}记录数", "en": "{table}: records per unit and year"},
    "sheet_problems": {"zh": "发现的问题", "en": "Problems"},
    "sheet_tables": {"zh": "数据表", "en": "Tables"},
    "sheet_cov": {"zh": "覆盖-{table}", "en": "Coverage-{table}"},
    "sheet_missing": {"zh": "缺失值", "en": "Empty cells"},
    "status_ok": {"zh": "数据集通过全部校验：共 {n} 张表，未发现问题。",
                  "en": "The dataset passed every check: {n} tables, no problems found."},
    "status_bad": {"zh": "数据集未通过校验：发现 {n} 个问题，见下表。",
                   "en": "The dataset did not pass: {n} problems found, listed below."},
}
