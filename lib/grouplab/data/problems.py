"""What is wrong with an input, kept as a code plus values and worded from one phrase table.

A :class:`~grouplab.errors.Problem` made by :func:`problem` carries ``code`` (a key of
:data:`PROBLEMS`) and ``values``; its ``rule`` and ``hint`` are the English wording, and
:func:`problem_text` / :func:`problems_frame` word it in Chinese. Code that must react to a
kind of problem compares ``p.code``, never the text (``tests/test_architecture.py`` fails on
a comparison with ``.rule``). A new problem adds its code to ``problems.yml`` in both languages
(``tests/data/test_problems.py`` checks every code used in the package has both).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from importlib import resources
from typing import Any

import yaml

from grouplab.data.notes import LANGS
from grouplab.errors import EN_WORDS, FRAME_COLUMNS, Problem

__all__ = ["PROBLEMS", "DATE_FORMATS_TEXT", "problem", "did_you_mean", "reword", "rule_text", "hint_text",
           "problem_text", "problems_text", "problems_frame"]

#: The date formats a date column accepts, as the problem says them.
DATE_FORMATS_TEXT = "2019-05-13, 2019/5/13, 2019.5.13, 2019年5月13日, 20190513 or an Excel date"

#: code -> wording per language (``{name}`` fields are the problem's values); ``hint`` the advice.
#: Kept in ``problems.yml`` beside this module, one entry per code.
PROBLEMS: dict[str, dict[str, Any]] = yaml.safe_load(
    resources.files("grouplab.data").joinpath("problems.yml").read_text(encoding="utf-8"))


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


def did_you_mean(close: list | tuple) -> dict[str, str]:
    """The ``did_you_mean`` values of a hint (``"Did you mean 'x'? "``, empty without a close match).

    Examples
    --------
    >>> did_you_mean(["date"])["did_you_mean_zh"]
    "是不是 'date'？"
    """
    if not close:
        return {"did_you_mean": "", "did_you_mean_zh": ""}
    return {"did_you_mean": f"Did you mean {close[0]!r}? ", "did_you_mean_zh": f"是不是 {close[0]!r}？"}


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
