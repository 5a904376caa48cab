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
    # ids derived from names (rosters) and from rows (registers): grouplab.data.ledgers.roster
    "derived_group_ids": {"en": "{n} group ids derived from the names in {column} and their unit "
                                "(G + 6 hex digits of SHA-256 of 'unit id/name')",
                          "zh": "{n} 个党小组编号由 {column} 列的名称及所属单位生成"
                                "（G + “单位编号/名称”的 SHA-256 前 6 位）"},
    "derived_unit_ids": {"en": "{n} unit ids derived from the names in {column} "
                               "(U + 6 hex digits of SHA-256)",
                         "zh": "{n} 个单位编号由 {column} 列的名称生成（U + 名称 SHA-256 前 6 位）"},
    "id_collision": {"en": "names {names} gave the same id {id}: their ids got more digits",
                     "zh": "名称 {names} 生成了相同的编号 {id}，已加长其编号"},
    "created_units": {"en": "{n} units named only in this roster: {names}",
                      "zh": "本名册中出现、单位表中没有的单位 {n} 个：{names}"},
    "units_from_roster": {"en": "{n} units created from the roster under {root}: {names}",
                          "zh": "由名册新建单位 {n} 个（上级 {root}）：{names}"},
    "level_from_names": {"en": "levels from the name column's header or the end of each name (工区, 车间 …)",
                         "zh": "层级取自名称列的表头或名称结尾（工区、车间等）"},
    "sector_from_names": {"en": "sector {sector}, from words in the names",
                          "zh": "行业 {sector}，取自名称中的用词"},
    "row_ids": {"en": "no {column} column: ids from file, sheet and row (e.g. {example})",
                "zh": "无 {column} 列：编号由文件、工作表和行号生成（如 {example}）"},
    "row_number": {"en": "{column} is a row number, not an id: left out",
                   "zh": "{column} 是行号而非编号，未使用"},
    "seq_numbered": {"en": "seq numbered 1, 2, … per group, date and kind in row order",
                     "zh": "同一党小组、日期、类型按行序编号 1、2……"},
    # where group names were looked up: grouplab.data.ledgers.scope
    "scope_unit": {"en": "every group belongs to {unit} (the unit the sheet names)",
                   "zh": "各党小组均属于 {unit}（工作表所指单位）"},
    "unit_in_title": {"en": "no unit column: every group belongs to {unit}, as {text!r} says",
                      "zh": "无所属单位列：各党小组均属于 {unit}（据 {text!r}）"},
    "scope_manifest": {"en": "group names looked up in {unit} first: dataset.yml 'unit:'",
                       "zh": "党小组名称先在 {unit} 内查找：dataset.yml 的 unit:"},
    "scope_title": {"en": "group names looked up in {unit} first: the title {text!r} names it",
                    "zh": "党小组名称先在 {unit} 内查找：标题 {text!r} 写明了该单位"},
    "scope_filed_by": {"en": "group names looked up in {unit} first: the row {text!r} names it",
                       "zh": "党小组名称先在 {unit} 内查找：{text!r} 一行写明了该单位"},
    "scope_sheet": {"en": "group names looked up in {unit} first: the sheet name {text!r} names it",
                    "zh": "党小组名称先在 {unit} 内查找：工作表名 {text!r} 写明了该单位"},
    "scope_file": {"en": "group names looked up in {unit} first: the file name {text!r} names it",
                   "zh": "党小组名称先在 {unit} 内查找：文件名 {text!r} 写明了该单位"},
    "scope_column": {"en": "group names looked up in each row's unit ({column}) first",
                     "zh": "党小组名称先在每行的单位（{column} 列）内查找"},
    "scope_resolved": {"en": "{n} names shared by groups of several units resolved within the unit",
                       "zh": "{n} 个多个单位共有的党小组名称已在所指单位内确定"},
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
