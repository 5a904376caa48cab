"""What is wrong with an input, kept as a code plus values and worded from one phrase table.

A :class:`~grouplab.errors.Problem` made by :func:`problem` carries ``code`` (a key of
:data:`PROBLEMS`) and ``values``; its ``rule`` and ``hint`` are the English wording, and
:func:`problem_text` / :func:`problems_frame` word it in Chinese. Code that must react to a
kind of problem compares ``p.code``, never the text (``tests/test_architecture.py`` fails on
a comparison with ``.rule``). A new problem adds its code here in both languages
(``tests/data/test_problems.py`` checks every code used in the package has both).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from grouplab.data.notes import LANGS
from grouplab.errors import EN_WORDS, FRAME_COLUMNS, Problem

__all__ = ["PROBLEMS", "DATE_FORMATS_TEXT", "problem", "reword", "rule_text", "hint_text", "problem_text",
           "problems_text", "problems_frame"]

#: The date formats a date column accepts, as the problem says them.
DATE_FORMATS_TEXT = "2019-05-13, 2019/5/13, 2019.5.13, 2019年5月13日, 20190513 or an Excel date"

#: code -> wording per language (``{name}`` fields are the problem's values); ``hint`` the advice.
PROBLEMS: dict[str, dict[str, Any]] = {
    "unreadable_file": {"en": "cannot be read as {kind} ({why})",
                        "zh": "无法按 {kind} 读取（{why}）",
                        "hint": {"en": "Open it in Excel and save it again, or ask for a fresh copy",
                                 "zh": "用 Excel 打开后重新保存，或索取一份新的文件"}},
    "missing_columns": {"en": "missing column(s) {missing}; found: {found}",
                        "zh": "缺少列 {missing}；现有列：{found}",
                        "hint": {"en": "Load the table with grouplab.load_dataset/read_table, which "
                                       "renames headers to the codebook's canonical names.",
                                 "zh": "请用 grouplab.load_dataset/read_table "
                                       "读表，它会把表头改为代码本的规范列名。"}},
    "not_a_frame": {"en": "{what} must be a pandas DataFrame, got {type}",
                    "zh": "{what} 须为 pandas DataFrame，实际为 {type}"},
    "sheet_not_found": {"en": "sheet not found",
                        "zh": "找不到工作表",
                        "hint": {"en": "Sheets in this file: {sheets}",
                                 "zh": "本文件的工作表：{sheets}"}},
    "excel_error_cell": {"en": "Excel error cell",
                         "zh": "Excel 错误单元格",
                         "hint": {"en": "Fix the formula in Excel; the cell is read as empty",
                                  "zh": "请在 Excel 中修正公式；该单元格按空值读取"}},
    "extra_fields": {"en": "row has more fields ({n}) than the header ({n_named})",
                     "zh": "该行字段数（{n}）多于表头（{n_named}）",
                     "hint": {"en": "Remove the extra cells, or quote values that contain the delimiter",
                              "zh": "删除多出的单元格，或给含分隔符的值加引号"}},
    "csv_unparsable": {"en": "CSV cannot be parsed: {error}",
                       "zh": "CSV 无法解析：{error}",
                       "hint": {"en": "Check for an unclosed quote (\") on or above this line",
                                "zh": "检查本行或以上各行是否有未闭合的引号（\"）"}},
    "unclosed_quote": {"en": "unclosed quote (\"): the cell opened on this line runs to the end of the file",
                       "zh": "引号（\"）未闭合：本行开始的单元格一直延续到文件末尾",
                       "hint": {"en": "Close the quote, or remove the stray \" character",
                                "zh": "补上闭合引号，或删除多余的 \" 字符"}},
    "xls_unseen_layout": {"en": "cannot see the merged cells and hidden rows of this .xls sheet, so it "
                                "could be misread",
                          "zh": "看不到此 .xls 工作表的合并单元格和隐藏行，可能读错",
                          "hint": {"en": "Open it in Excel or WPS and save it as .xlsx (Excel 工作簿), "
                                         "then name the .xlsx in dataset.yml",
                                   "zh": "用 Excel 或 WPS 打开并另存为 .xlsx（Excel 工作簿），再在 "
                                         "dataset.yml 中写该 .xlsx"}},
    "header_row_not_in_sheet": {"en": "header_row is not a row of the sheet",
                                "zh": "header_row 不是该工作表中的行",
                                "hint": {"en": "Give the row number(s) of the header as Excel shows them, "
                                               "e.g. header_row: 4 or [3, 4]",
                                         "zh": "按 Excel 显示的行号写表头所在行，例如 header_row: 4 或 [3, "
                                               "4]"}},
    "no_header_row": {"en": "no header row found: no row among the first {scan} names at least two "
                            "expected columns",
                      "zh": "找不到表头：前 {scan} 行中没有一行写出至少两个应有的列",
                      "hint": {"en": "Check that this is the right sheet, or give header_row in dataset.yml",
                               "zh": "检查是否为正确的工作表，或在 dataset.yml 中写明 header_row"}},
    "two_header_rows": {"en": "two candidate header rows",
                        "zh": "有两行都可能是表头",
                        "hint": {"en": "Give the header row in dataset.yml (header_row: N)",
                                 "zh": "在 dataset.yml 中写明表头行（header_row: N）"}},
    "no_data_rows": {"en": "the table has a header but no data rows",
                     "zh": "表格只有表头，没有数据行",
                     "hint": {"en": "Check that the right file/sheet was exported.",
                              "zh": "检查导出的文件或工作表是否正确。"}},
    "same_meaning": {"en": "two columns mean the same thing ('{first}' and '{header}' both map to {column})",
                     "zh": "两列含义相同（“{first}”和“{header}”都对应 {column}）",
                     "hint": {"en": "Delete or rename one of them.",
                              "zh": "删除或改名其中一列。"}},
    "missing_column": {"en": "required column is missing",
                       "zh": "缺少必需的列",
                       "hint": {"en": "Add a column headed {header!r} (or one of: {aliases}).",
                                "zh": "请添加表头为“{header}”的列（或以下之一：{aliases}）。"}},
    "empty_row": {"en": "empty row inside the table",
                  "zh": "表格中间有空行",
                  "hint": {"en": "Delete the empty row, or fill it in.",
                           "zh": "删除该空行，或将其填写完整。"}},
    "not_a_date": {"en": "not a date (accepted: " + DATE_FORMATS_TEXT + ")",
                   "zh": "不是日期（可写：2019-05-13、2019/5/13、2019.5.13、2019年5月13日、20190513 或 "
                         "Excel 日期）"},
    "not_a_month": {"en": "not a month (accepted: 2019-05, 2019/5, 2019年5月 or a date)",
                    "zh": "不是月份（可写：2019-05、2019/5、2019年5月或日期）"},
    "not_a_period": {"en": "not a half-year period (accepted: 2019H1, 2019年上半年, 2019年下半年)",
                     "zh": "不是半年期（可写：2019H1、2019年上半年、2019年下半年）"},
    "not_whole": {"en": "not a whole number",
                  "zh": "不是整数"},
    "not_a_number": {"en": "not a number",
                     "zh": "不是数字"},
    "not_yes_no": {"en": "not a yes/no value (accepted: 1/0, 是/否, true/false)",
                   "zh": "不是是/否值（可写：1/0、是/否、true/false）"},
    "not_allowed": {"en": "not an allowed value; allowed: {allowed}",
                    "zh": "不是允许的值；允许：{allowed}"},
    "unreadable_value": {"en": "cannot be read",
                         "zh": "无法读取"},
    "required_empty": {"en": "required value is empty",
                       "zh": "必填值为空"},
    "out_of_range": {"en": "out of range: must be between {lo:g} and {hi:g}{unit}",
                     "zh": "超出范围：应在 {lo:g} 与 {hi:g}{unit} 之间"},
    "failed_check": {"en": "{check}",
                     "zh": "未通过检查 {check}"},
    "duplicate_key": {"en": "duplicate key ({key}); same as row {first_row}",
                      "zh": "键重复（{key}）：与第 {first_row} 行相同",
                      "hint": {"en": "Remove or merge the repeated row.",
                               "zh": "删除或合并重复的行。"}},
    "duplicate_key_of_sheet": {"en": "duplicate key ({key}); same as row {first_row} of sheet {first_sheet}",
                               "zh": "键重复（{key}）：与工作表 {first_sheet} 第 {first_row} 行相同",
                               "hint": {"en": "Remove or merge the repeated row.",
                                        "zh": "删除或合并重复的行。"}},
    "duplicate_key_elsewhere": {"en": "duplicate key ({key}); also in {other} row {other_row}",
                                "zh": "键重复（{key}）：{other} 第 {other_row} 行也有",
                                "hint": {"en": "Check which file holds the right record and correct the "
                                               "other one's key.",
                                         "zh": "核对哪个文件的记录正确，并改正另一个文件中的键。"}},
    "duplicate_key_elsewhere_sheet": {"en": "duplicate key ({key}); also in {other}, sheet {other_sheet}, "
                                            "row {other_row}",
                                      "zh": "键重复（{key}）：{other} 工作表 {other_sheet} 第 {other_row} "
                                            "行也有",
                                      "hint": {"en": "Check which file holds the right record and correct "
                                                     "the other one's key.",
                                               "zh": "核对哪个文件的记录正确，并改正另一个文件中的键。"}},
    "attendees_exceed": {"en": "attendees exceed the expected number",
                         "zh": "实到人数超过应到人数"},
    "ends_before_start": {"en": "post ends before it starts",
                          "zh": "岗位结束日期早于开始日期"},
    "incident_without_owner": {"en": "an incident needs a group_id or a unit_id",
                               "zh": "每条安全记录须有 group_id 或 unit_id"},
    "unknown_id": {"en": "unknown id: not found in {what}",
                   "zh": "未知编号：{what} 中没有",
                   "hint": {"en": "Check for typos, or add it to the referenced table/spec.",
                            "zh": "检查是否写错，或将其加入所引用的表或规格文件。"}},
    "outside_window": {"en": "outside the study window {lo}…{hi}",
                       "zh": "超出研究时间窗 {lo}…{hi}",
                       "hint": {"en": "Fix the date or widen the window in dataset.yml.",
                                "zh": "改正日期，或在 dataset.yml 中放宽时间窗。"}},
    "above_item_max": {"en": "above the rubric maximum of item {item} ({max:g})",
                       "zh": "高于考评细则中条目 {item} 的满分（{max:g}）",
                       "hint": {"en": "Check the score against the rubric named in dataset.yml.",
                                "zh": "对照 dataset.yml 中指定的考评细则核对分数。"}},
    "missing_file": {"en": "the manifest names a file that does not exist",
                     "zh": "dataset.yml 写的文件不存在",
                     "hint": {"en": "Put the file in {folder} or fix the name in dataset.yml.",
                              "zh": "把文件放入 {folder}，或改正 dataset.yml 中的文件名。"}},
    "bad_window": {"en": "window needs start and end months like 2015-01",
                   "zh": "时间窗须写起止月份，例如 2015-01"},
    "not_wide_table": {"en": "this table cannot be read wide",
                       "zh": "此表不能按宽表读取",
                       "hint": {"en": "Wide layouts: {layouts}",
                                "zh": "可按宽表读取的表：{layouts}"}},
    "file_not_found": {"en": "file not found: {path}",
                       "zh": "找不到文件：{path}",
                       "hint": {"en": "Check the path and the file name",
                                "zh": "检查路径和文件名"}},
    "spec_not_found": {"en": "file not found: {path}",
                       "zh": "找不到文件：{path}",
                       "hint": {"en": "Check the path (relative paths in dataset.yml are relative to the "
                                      "dataset folder).",
                                "zh": "检查路径（dataset.yml 中的相对路径以数据集文件夹为起点）。"}},
    "bad_yaml": {"en": "not valid YAML: {error}",
                 "zh": "不是有效的 YAML：{error}",
                 "hint": {"en": "Fix the indentation/quoting at that line.",
                          "zh": "修正该行的缩进或引号。"}},
    "not_a_mapping": {"en": "the file must hold a YAML mapping (key: value lines)",
                      "zh": "文件须为 YAML 映射（“键: 值”各占一行）"},
    "bad_tables": {"en": "must be a mapping of table: file",
                   "zh": "须为“表: 文件”的映射",
                   "hint": {"en": "Write 'table: file.csv', a list of files, or a mapping such as {{file: "
                                  "考评.xlsx, sheets: [2019上半年, 2019下半年], layout: wide}}",
                            "zh": "写成“表: 文件.csv”、文件列表，或如 {{file: 考评.xlsx, sheets: "
                                  "[2019上半年, 2019下半年], layout: wide}} 的映射"}},
    "unknown_table": {"en": "unknown table {table!r}",
                      "zh": "未知的表 {table!r}",
                      "hint": {"en": "Tables are: {tables}.",
                               "zh": "可用的表：{tables}。"}},
    "bad_table_entry": {"en": "a table entry must be a file name, a list of files or a mapping",
                        "zh": "表的条目须为文件名、文件列表或映射",
                        "hint": {"en": "Write 'table: file.csv', a list of files, or a mapping such as "
                                       "{{file: 考评.xlsx, sheets: [2019上半年, 2019下半年], layout: wide}}",
                                 "zh": "写成“表: 文件.csv”、文件列表，或如 {{file: 考评.xlsx, sheets: "
                                       "[2019上半年, 2019下半年], layout: wide}} 的映射"}},
    "unknown_layout": {"en": "unknown layout",
                       "zh": "未知的布局",
                       "hint": {"en": "Use layout: long (one row per record) or layout: wide",
                                "zh": "请写 layout: long（每条记录一行）或 layout: wide"}},
    "bad_source": {"en": "a file must be a name or a mapping with 'file'",
                   "zh": "文件须为文件名或含 'file' 的映射",
                   "hint": {"en": "Write 'table: file.csv', a list of files, or a mapping such as {{file: "
                                  "考评.xlsx, sheets: [2019上半年, 2019下半年], layout: wide}}",
                            "zh": "写成“表: 文件.csv”、文件列表，或如 {{file: 考评.xlsx, sheets: "
                                  "[2019上半年, 2019下半年], layout: wide}} 的映射"}},
    "unknown_name": {"en": "unknown name: not found in the {other} table",
                     "zh": "未知名称：{other} 表中没有",
                     "hint": {"en": "Closest known names: {closest}",
                              "zh": "最接近的已知名称：{closest}"}},
    "ambiguous_name": {"en": "ambiguous name: several {other} are called this",
                       "zh": "名称不唯一：{other} 表中有多个同名",
                       "hint": {"en": "Write the id instead (one of {candidates})",
                                "zh": "请改写编号（以下之一：{candidates}）"}},
    "names_without_table": {"en": "the sheet names entities by name; names are looked up in the {other} "
                                  "table, which the dataset does not have",
                            "zh": "该表用名称指代对象；名称要在 {other} 表中查找，但数据集没有该表",
                            "hint": {"en": "Add the {other} table to dataset.yml",
                                     "zh": "请在 dataset.yml 中加入 {other} 表"}},
    "no_entity_column": {"en": "no column names the {entity}",
                         "zh": "没有一列写明{entity_zh}",
                         "hint": {"en": "Head it {header!r} (ids) or {name_header!r} (names)",
                                  "zh": "表头写“{header}”（编号）或“{name_header}”（名称）"}},
    "not_an_indicator": {"en": "not an indicator of the catalogue",
                         "zh": "不是指标目录中的指标",
                         "hint": {"en": "Use an indicator id or name from the catalogue named in "
                                        "dataset.yml",
                                  "zh": "请用 dataset.yml 所指指标目录中的指标编号或名称"}},
    "sheet_misses_items": {"en": "the sheet does not fit the rubric: {found} item columns found, "
                                 "{expected} expected",
                           "zh": "该表与考评细则不符：找到 {found} 个条目列，应有 {expected} 个",
                           "hint": {"en": "Add the missing item columns, map them in dataset.yml (columns: "
                                          "{{header: item id}}), or name the rubric that fits this sheet",
                                    "zh": "补上缺少的条目列，或在 dataset.yml 中映射（columns: {{表头: "
                                          "条目编号}}），或指定与该表相符的考评细则"}},
    "no_time_found": {"en": "no {time} found for this sheet (no such column, none in the sheet name or "
                            "title)",
                      "zh": "该表找不到{time_zh}（没有这一列，工作表名和标题中也没有）",
                      "hint": {"en": "Add a {time} column, or say '{time}: {example}' for this sheet in "
                                     "dataset.yml",
                               "zh": "请加一列{time_zh}，或在 dataset.yml 中为该表写“{time}: {example}”"}},
    "several_kinds": {"en": "the sheet names several kinds of activity ({said})",
                      "zh": "该表写了多种活动类型（{said}）",
                      "hint": {"en": "Say which in dataset.yml: kind: group_meeting (or theme_day …)",
                               "zh": "请在 dataset.yml 中写明：kind: group_meeting（或 theme_day 等）"}},
    "month_without_year": {"en": "month column without a year",
                           "zh": "月份列没有年份",
                           "hint": {"en": "Say 'year: 2019' in dataset.yml, or write 2019年1月",
                                    "zh": "请在 dataset.yml 中写“year: 2019”，或把表头写成 2019年1月"}},
    "option_not_in_spec": {"en": "multi-select option not in the questionnaire's options",
                           "zh": "多选题选项不在问卷规格的选项中",
                           "hint": {"en": "Add '{label}' with its code to options of {question}",
                                    "zh": "请把“{label}”及其代码加入 {question} 的选项"}},
    "map_question_missing": {"en": "the questionnaire maps {key} from a question the export does not have",
                             "zh": "问卷规格从一道导出文件中没有的题目读取 {key}",
                             "hint": {"en": "Check 'question' under {entry} in the spec",
                                      "zh": "检查规格中 {entry} 下的 'question'"}},
    "answer_not_in_map": {"en": "answer not in the spec's {key} map ({n} answer(s))",
                          "zh": "答案不在规格的 {key} 映射中（{n} 份答卷）",
                          "hint": {"en": "Add '{label}: <{key}>' under map",
                                   "zh": "请在 map 下加入“{label}: <{key}>”"}},
    "export_needs_spec": {"en": "a survey export needs a questionnaire spec with a 'columns' (or 'wjx') "
                                "question map",
                          "zh": "问卷导出文件需要带 'columns'（或 'wjx'）题目映射的问卷规格",
                          "hint": {"en": "Draft one with `grouplab draft-spec EXPORT -o questionnaire.yml`",
                                   "zh": "可用 `grouplab draft-spec EXPORT -o questionnaire.yml` 起草一份"}},
    "item_not_in_survey": {"en": "questionnaire item missing from the survey",
                           "zh": "问卷规格中的题目在调查数据中缺失"},
    "outside_scale": {"en": "answer outside the scale range {lo:g}–{hi:g}",
                      "zh": "答案超出量表范围 {lo:g}–{hi:g}"},
    "not_an_option": {"en": "not one of the question's options",
                      "zh": "不是该题的选项"},
    "label_not_in_spec": {"en": "label not in the questionnaire's options ({n} answer(s) in this column)",
                          "zh": "选项文字不在问卷规格的选项中（本列 {n} 份答卷）",
                          "hint": {"en": "Add the label to the question's options (or labels) in the "
                                         "questionnaire spec, with its code",
                                   "zh": "请把该选项文字及其代码加入问卷规格中该题的选项（或 labels）"}},
    "empty_sheet_number": {"en": "{header} must not be empty",
                           "zh": "{header} 不能为空",
                           "hint": {"en": "Every answer sheet needs its number; export the file again",
                                    "zh": "每份答卷都要有编号；请重新导出文件"}},
    "item_id_repeated": {"en": "item {n}: id missing or repeated", "zh": "第 {n} 个条目：编号缺失或重复"},
    "unknown_aspect": {"en": "item {item}: unknown aspect", "zh": "条目 {item}：未知的考评方面",
                       "hint": {"en": "Use one of: {aspects}.", "zh": "请用以下之一：{aspects}。"}},
    "bad_item_max": {"en": "item {item}: max must be a positive number", "zh": "条目 {item}：满分须为正数"},
    "maxima_not_100": {"en": "item maxima must sum to 100", "zh": "各条目满分之和须为 100"},
    "bad_bands": {"en": "grade bands need numeric 'min', highest first",
                  "zh": "等级区间须有数值 'min'，且从高到低排列"},
    "bad_range": {"en": "range must be [min, max] with min < max",
                  "zh": "range 须为 [最小, 最大] 且最小 < 最大"},
    "empty_scale": {"en": "scale {scale} has no items", "zh": "量表 {scale} 没有题目"},
    "item_in_two_scales": {"en": "item {item} is in scales {first} and {scale}",
                           "zh": "题目 {item} 同时属于量表 {first} 和 {scale}"},
    "reverse_not_in_scale": {"en": "reverse-keyed item {item} is not an item of scale {scale}",
                             "zh": "反向计分题 {item} 不是量表 {scale} 的题目"},
    "mapped_twice": {"en": "export columns {first} and {column} are both mapped to {target}",
                     "zh": "导出列 {first} 和 {column} 都映射到 {target}"},
    "option_code_not_whole": {"en": "{question}: option codes must be whole numbers",
                              "zh": "{question}：选项代码须为整数",
                              "hint": {"en": "Write options as 1: label", "zh": "选项请写成 1: 文字"}},
    "bad_entity_map": {"en": "{key} needs 'fixed: <id>' or 'question' with a 'map' of answers to ids",
                       "zh": "{key} 须写 'fixed: <编号>'，或写 'question' 并给出答案到编号的 'map'"},
    "indicator_id_repeated": {"en": "indicator id missing or repeated", "zh": "指标编号缺失或重复"},
    "bad_direction": {"en": "indicator {indicator}: direction must be 'higher' or 'lower'",
                      "zh": "指标 {indicator}：direction 须为 'higher' 或 'lower'"},
    "no_indicators": {"en": "no indicators listed", "zh": "未列出任何指标"},
}


#: How a problem words its place, value and hint per language (English: :data:`grouplab.errors.EN_WORDS`).
_WORDS = {"en": EN_WORDS,
          "zh": {"sep": "，", "sheet": "工作表 {}", "cell": "单元格 {}", "cell_column": "（{}）",
                 "row": "第 {} 行", "column": "列“{}”", "rule": "：{}", "value": "（值：{!r}）",
                 "hint": "。{}"}}


def _format(template: str, values: dict) -> str:
    return template.format(**values)


def problem(code: str, file: str, row: int | None = None, column: str | None = None, value: Any = None,
            hint: str | None = None, *, sheet: str | None = None, cell: str | None = None,
            **values: Any) -> Problem:
    """A :class:`~grouplab.errors.Problem` of ``code``, its rule (and hint) worded in English.

    Parameters
    ----------
    code : str
        A key of :data:`PROBLEMS`.
    file, row, column, value : as for Problem
    hint : str, optional
        Advice written at the call (English only); default the code's ``hint`` phrase.
    sheet, cell : str, optional
    **values
        The fields of the code's wording.

    Returns
    -------
    Problem

    Examples
    --------
    >>> p = problem("missing_column", "g.csv", 1, "党小组编号",
    ...             header="党小组编号", aliases="group_id")
    >>> p.code, p.rule
    ('missing_column', 'required column is missing')
    >>> problem_text(p, "zh")
    'g.csv，第 1 行，列“党小组编号”：缺少必需的列。请添加表头为“党小组编号”的列（或以下之一：group_id）。'
    """
    phrase = PROBLEMS[code]
    if hint is None:
        hint = _format(phrase["hint"]["en"], values) if "hint" in phrase else ""
    return Problem(file, row, column, _format(phrase["en"], values), value, hint, sheet=sheet, cell=cell,
                   code=code, values=dict(values))


def reword(p: Problem, code: str | None = None, **values: Any) -> Problem:
    """``p`` with another code and/or more values, its English rule worded again (hint kept if written).

    Returns
    -------
    Problem
    """
    code = code or p.code
    merged = {**p.values, **values}
    phrase = PROBLEMS[code]
    hint = p.hint
    if "hint" in phrase and p.hint == _format(PROBLEMS[p.code].get("hint", {}).get("en", ""), dict(p.values)):
        hint = _format(phrase["hint"]["en"], merged)
    return dataclasses.replace(p, code=code, values=merged, rule=_format(phrase["en"], merged), hint=hint)


def rule_text(p: Problem, lang: str = "en") -> str:
    """The rule ``p`` breaks in ``lang`` (a problem without a code: its rule as written)."""
    phrase = PROBLEMS.get(p.code)
    if phrase is None or lang == "en":
        return p.rule
    return _format(phrase[lang], dict(p.values))


def hint_text(p: Problem, lang: str = "en") -> str:
    """The advice of ``p`` in ``lang``: its code's hint phrase; a hint written at the call stays as is."""
    phrase = PROBLEMS.get(p.code)
    if phrase is None or lang == "en" or "hint" not in phrase:
        return p.hint
    if p.hint != _format(phrase["hint"]["en"], dict(p.values)):
        return p.hint
    return _format(phrase["hint"][lang], dict(p.values))


def problem_text(p: Problem, lang: str = "en") -> str:
    """One problem as a line in ``lang`` (English: exactly ``str(p)``)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    if lang == "en":
        return str(p)
    return p.describe(rule_text(p, lang), hint_text(p, lang), _WORDS[lang])


def problems_text(problems: Iterable[Problem], lang: str = "en", *, per_file: int | None = None,
                  rest: str = "") -> str:
    """Problems as a listing in ``lang``: a count line, then ``  - `` one line each.

    Parameters
    ----------
    per_file : int, optional
        List at most this many of one file, then ``… and N more`` (``rest`` says where they are).
    """
    problems = list(problems)
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.file, []).append(p)
    n, files = len(problems), ", ".join(by_file) or "<input>"
    head = (f"{files} 中有 {n} 个问题：" if lang == "zh"
            else f"{n} problem{'s' if n != 1 else ''} in {files}:")
    lines = [head]
    for file, probs in by_file.items():
        shown = probs if per_file is None else probs[:per_file]
        lines += [f"  - {problem_text(p, lang)}" for p in shown]
        if len(probs) > len(shown):
            more = len(probs) - len(shown)
            lines.append(f"  … 另有 {more} 个在 {file}（{rest}）" if lang == "zh"
                         else f"  … and {more} more in {file} ({rest})")
    return "\n".join(lines)


def problems_frame(problems: Iterable[Problem], lang: str = "en"):
    """Problems as a DataFrame (the columns of :meth:`~grouplab.errors.DataError.to_frame`) in ``lang``.

    Returns
    -------
    pandas.DataFrame
        ``file``, ``sheet``, ``cell``, ``row``, ``column``, ``code``, ``rule``, ``value``, ``hint``.
    """
    import pandas as pd

    rows = [{**vars(p), "rule": rule_text(p, lang), "hint": hint_text(p, lang)} for p in problems]
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)
