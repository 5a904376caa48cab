"""What a reader decided, kept as a code plus values and worded from one phrase table.

Readers record a skipped block as ``{"rows": [...], "why": CODE, **values}`` (or
``"columns"``) and where a period, month, kind or indicator came from as
``{"from": CODE, **values}``; :func:`say` words either record in English or
Chinese. A reader that adds a decision adds its code here, in both languages
(``tests/reports/test_quality.py`` checks every code the readers write).
"""

from __future__ import annotations

from typing import Any

__all__ = ["LANGS", "PHRASES", "say"]

#: The languages every phrase table of grouplab is written in (readers' notes, problems, reports).
LANGS = ("zh", "en")

#: code -> wording per language; ``{name}`` fields are the record's values
PHRASES: dict[str, dict[str, str]] = {
    # rows and columns left out of a table
    "above_header": {"en": "above the header (title, 填报单位/日期)",
                     "zh": "表头以上（标题、填报单位/日期）"},
    "hidden_row": {"en": "hidden row", "zh": "隐藏行"},
    "hidden_column": {"en": "hidden column", "zh": "隐藏列"},
    "footer": {"en": "total or note row (合计/平均/备注/制表人 …)", "zh": "合计/平均/备注/制表人等行"},
    "total_row": {"en": "total or note row", "zh": "合计/平均/备注/制表人等行"},  # a tidy file's footer
    "far_cells": {"en": "far from the table (a value or format typed far away; only the table's block "
                        "is read, values there are listed as problems)",
                  "zh": "远离表格（在远处误输入的内容或格式；只读取表格所在区域，其中的值作为问题列出）"},
    "below_table": {"en": "below the table (after blank row {after})",
                    "zh": "表格下方、第 {after} 行空行之后的内容"},
    # where a period, month, kind of activity or indicator came from
    "column": {"en": "column {name}", "zh": "列 {name}"},
    "sheet": {"en": "sheet name {text!r}", "zh": "工作表名 {text!r}"},
    "title": {"en": "title {cell}{text!r}", "zh": "标题 {cell}{text!r}"},
    "manifest": {"en": "dataset.yml ({value})", "zh": "dataset.yml（{value}）"},
    "sheet_kind": {"en": "sheet name {text!r} ({kind})", "zh": "工作表名 {text!r}（{kind}）"},
    "title_kind": {"en": "title {text!r} ({kind})", "zh": "标题 {text!r}（{kind}）"},
    "sheet_value": {"en": "sheet name ({value})", "zh": "工作表名（{value}）"},
    "default_kind": {"en": "default ({kind}: no kind in dataset.yml, the sheet name or title)",
                     "zh": "默认（{kind}：dataset.yml、工作表名和标题均未写明活动类型）"},
    # what the cells of a ledger hold
    "counts": {"en": "counts of meetings (2, 2次): one row per meeting, dated the 1st of its month "
                     "(date_precision: month)",
               "zh": "会议次数（2, 2次）：每次会议一行，记为当月 1 日（日期精度：月）"},
}


def say(record: Any, lang: str = "en") -> str:
    """The wording of one reading record (``why`` or ``from`` code with its values).

    Parameters
    ----------
    record : dict or str
        ``{"why": code, ...}`` or ``{"from": code, ...}``; a plain string (or an
        unknown code) is returned as written.
    lang : {"en", "zh"}

    Returns
    -------
    str
    """
    if not isinstance(record, dict):
        return str(record)
    code = record.get("why", record.get("from"))
    phrase = PHRASES.get(code)
    if phrase is None:
        return str(code)
    values = {k: v for k, v in record.items() if k not in ("why", "from", "rows", "columns")}
    if "cell" in values:
        values["cell"] = f"{values['cell']} " if values["cell"] else ""
    return phrase[lang].format(**values)
