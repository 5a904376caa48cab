"""Say how each table of a dataset was read, so a user can see the kit understood the sheet.

:func:`reading_frame` lays out :attr:`grouplab.data.dataset.Dataset.reading`
(or the first result of :func:`~grouplab.data.dataset.inspect_dataset`) as one
row per fact, worded in Chinese or English (phrase tables below, each
language's text in that language); :func:`explain_text` prints it for
``grouplab validate --explain``.
"""

from __future__ import annotations

import pandas as pd

from grouplab.data.codebook import codebook
from grouplab.data.notes import LANGS, say

__all__ = ["reading_frame", "explain_text", "export_reading", "WHAT"]

_COLUMNS = ["table", "file", "sheet", "what", "detail"]

#: label of each kind of fact (the ``what`` column), per language
WHAT = {
    "export": {"zh": "导出格式", "en": "export"},
    "header": {"zh": "表头", "en": "header"},
    "skipped": {"zh": "跳过", "en": "skipped"},
    "column": {"zh": "列", "en": "column"},
    "period": {"zh": "考评期", "en": "period"},
    "month": {"zh": "月份", "en": "month"},
    "read": {"zh": "读取的列", "en": "read"},
    "unused": {"zh": "未使用的列", "en": "unused"},
    "size": {"zh": "行数", "en": "size"},
    "cells": {"zh": "单元格", "en": "cells"},
    "kind": {"zh": "活动类型", "en": "kind"},
    "indicator": {"zh": "指标", "en": "indicator"},
    "ids": {"zh": "编号", "en": "ids"},
    "units": {"zh": "单位", "en": "units"},
    "unit": {"zh": "所属单位", "en": "unit"},
    "scope": {"zh": "名称查找范围", "en": "scope"},
}

_TEXT = {
    "row": {"zh": "第 {r} 行", "en": "row {r}"},
    "rows": {"zh": "第 {r} 行", "en": "rows {r}"},
    "columns": {"zh": "{c} 列", "en": "columns {c}"},
    "area": {"zh": "{used} 以外直到 {last} 的单元格", "en": "cells beyond {used} up to {last}"},
    "skip": {"zh": "{where}：{why}", "en": "{where}: {why}"},
    "entity": {"zh": "{col} → 对象（按{by}识别）", "en": "{col} -> entity (by {by})"},
    "by_name": {"zh": "名称", "en": "name"},
    "by_id": {"zh": "编号", "en": "id"},
    "match": {"zh": "{a} → {b}", "en": "{a} -> {b}"},
    "from": {"zh": "取自{src}", "en": "from {src}"},
    "total": {"zh": "{col} → 合计（已与各项之和核对）", "en": "{col} -> total (checked against the items)"},
    "grade": {"zh": "{col} → 等级（已与合计的等级核对）", "en": "{col} -> grade (checked against the items)"},
    "size": {"zh": "{n} 行", "en": "{n} rows"},
    "long": {"zh": "{n} 行 → {m} 条长表记录", "en": "{n} rows -> {m} long rows"},
    "sep": {"zh": "、", "en": ", "},
    "export": {"zh": "{platform}导出{form}", "en": "{platform} export{form}"},
}
_PLATFORMS = {
    "wjx": {"zh": "问卷星", "en": "Wenjuanxing"},
    "tencent": {"zh": "腾讯问卷", "en": "Tencent Survey"},
    "jinshuju": {"zh": "金数据", "en": "Jinshuju"},
    "wenjuanwang": {"zh": "问卷网", "en": "Wenjuanwang"},
    "plain": {"zh": "一题一列的表格", "en": "plain table"},
}
_FORMS = {"numeric": {"zh": "（按序号）", "en": " (answers as codes)"},
          "text": {"zh": "（按文本）", "en": " (answers as labels)"}}


def _say(key: str, lang: str, **values) -> str:
    return _TEXT[key][lang].format(**values)


def _span(rows: list[int]) -> str:
    """Row numbers as ranges: [1, 2, 3, 7] -> '1–3, 7'."""
    out, start = [], None
    for k, r in enumerate(rows):
        if start is None:
            start = r
        if k + 1 == len(rows) or rows[k + 1] != r + 1:
            out.append(str(start) if start == r else f"{start}–{r}")
            start = None
    return ", ".join(out)


def _rows(rows: list[int], lang: str) -> str:
    span = _span(rows)
    span = span if lang == "en" else span.replace(", ", "、")
    return _say("row" if len(rows) == 1 else "rows", lang, r=span)


def _column_label(table: str, column: str, lang: str) -> str:
    """A codebook column as a reader of ``lang`` knows it: its id in English, its label in Chinese."""
    spec = codebook().get(table)
    if lang == "en" or spec is None or column not in spec.columns:
        return column
    return spec.columns[column].label("zh")


def _facts(table: str, src: dict, lang: str) -> list[tuple[str, str]]:
    """(what, detail) of one file/sheet read."""
    out = []
    if src.get("platform"):  # a questionnaire export: which platform, which form
        name = _PLATFORMS.get(src["platform"], {}).get(lang, src["platform"])
        out.append(("export", _say("export", lang, platform=name,
                                   form=_FORMS.get(src.get("form"), {}).get(lang, ""))))
    header = [r for r in src.get("header_rows") or [] if r is not None]
    if header:
        out.append(("header", _rows(header, lang)))
    for s in src.get("skipped") or []:
        if "rows" in s:
            where = _rows(s["rows"], lang)
        elif "area" in s:  # far cells trimmed to the table's block
            where = _say("area", lang, **s["area"])
        else:
            where = _say("columns", lang, c=_say("sep", lang).join(s["columns"]))
        out.append(("skipped", _say("skip", lang, where=where, why=say(s, lang))))
    if src.get("read"):  # a tidy file: every header that became a column (renames below)
        out.append(("read", _say("sep", lang).join(src["read"])))
    if src.get("entity"):
        by = _say(f"by_{src.get('by')}", lang) if src.get("by") in ("name", "id") else src.get("by")
        out.append(("column", _say("entity", lang, col=src["entity"], by=by)))
    for header, target in (src.get("matched") or {}).items():
        if header.startswith("("):
            said = say(target, lang)
            # what the cells hold is said as is; the other notes say where something came from
            out.append((header.strip("()"), said if header == "(cells)" else _say("from", lang, src=said)))
        elif "entity" in src:  # a ledger: header -> item / month / indicator
            out.append(("column", _say("match", lang, a=header, b=target)))
        else:  # a tidy file: canonical column -> header as written
            shown = _column_label(table, header, lang)
            if str(target) not in (header, shown):  # nothing to say when the header is its name
                out.append(("column", _say("match", lang, a=target, b=shown)))
    for note in src.get("notes") or []:  # ids derived, units created, the scope of names
        out.append((note.get("what", "column"), say(note, lang)))
    for role in ("total", "grade"):
        if src.get(role):
            out.append(("column", _say(role, lang, col=src[role])))
    if src.get("unused"):
        out.append(("unused", _say("sep", lang).join(src["unused"])))
    n = src.get("rows", 0)
    size = _say("long", lang, n=n, m=src["values"]) if "values" in src else _say("size", lang, n=n)
    out.append(("size", size))
    return out


def reading_frame(reading: dict, *, lang: str = "en") -> pd.DataFrame:
    """One row per thing the reader decided: header rows, skipped rows/columns, matched columns.

    Parameters
    ----------
    reading : dict
        table -> list of per-source dicts, as in ``Dataset.reading``.
    lang : {"en", "zh"}
        Language of ``detail``. Headers, sheet names, item ids and months are
        shown as written.

    Returns
    -------
    pandas.DataFrame
        - ``table``: table name
        - ``file``, ``sheet``: the source (sheet None for CSV)
        - ``what``: ``export`` (platform and form of a questionnaire export),
          ``header``, ``skipped``, ``column``, ``period`` or ``month``
          (where it came from), ``unused``, ``size`` (labels in :data:`WHAT`)
        - ``detail``: text in ``lang``, e.g. ``rows 3–4`` / ``第 3–4 行`` or
          ``理论学习（8分） -> I01``; a tidy file's header is shown with the
          codebook column it became (its id in English, its label in Chinese),
          unless the header already is that id or label

    Examples
    --------
    >>> r = {"groups": [{"file": "g.csv", "sheet": None, "header_rows": [1], "skipped": [],
    ...                  "matched": {"group_id": "党小组编号"}, "rows": 2}]}
    >>> reading_frame(r)["detail"].tolist()
    ['row 1', '党小组编号 -> group_id', '2 rows']
    >>> reading_frame(r, lang="zh")["detail"].tolist()   # 党小组编号 is the codebook's zh label
    ['第 1 行', '2 行']
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    out = [(table, src.get("file"), src.get("sheet"), what, detail)
           for table, sources in reading.items() for src in sources
           for what, detail in _facts(table, src, lang)]
    return pd.DataFrame(out, columns=_COLUMNS)


def explain_text(reading: dict, *, lang: str = "en") -> str:
    """:func:`reading_frame` as indented text, one block per file/sheet.

    Returns
    -------
    str
        ``table <- file, sheet S`` then one indented ``what: detail`` line per fact
        (``what`` labelled in ``lang``).
    """
    frame = reading_frame(reading, lang=lang)
    lines = []
    sheet_word, colon = (" 工作表 ", "：") if lang == "zh" else (", sheet ", ": ")
    for (table, file, sheet), block in frame.groupby(["table", "file", "sheet"], sort=False, dropna=False):
        where = file if sheet is None or pd.isna(sheet) else f"{file}{sheet_word}{sheet}"
        lines.append(f"{table} <- {where}")
        lines += [f"  {WHAT.get(w, {}).get(lang, w)}{colon}{d}"
                  for w, d in zip(block["what"], block["detail"], strict=True)]
    return "\n".join(lines)


def export_reading(exports: list[dict], rows: dict[str, int]) -> list[dict]:
    """``Dataset.reading`` entries of questionnaire exports (platform, form, header row, size).

    Parameters
    ----------
    exports : list of dict
        Each export's ``attrs['export']`` with its ``file`` (as collected by
        :func:`grouplab.data.surveys.assemble.survey_from_wjx`).
    rows : dict
        File -> answer sheets loaded from it.
    """
    return [{"file": e["file"], "sheet": None, "header_rows": [1], "skipped": [], "matched": {},
             "platform": e.get("platform"), "form": e.get("form"), "rows": rows.get(e["file"], 0)}
            for e in exports]
