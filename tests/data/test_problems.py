"""Problems as codes with values (data/problems.py): one phrase table, both languages, no branch on text."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pandas as pd
import pytest
from grouplab.cli import main
from grouplab.data.problems import (
    DATE_FORMATS_TEXT,
    PROBLEMS,
    problem,
    problem_text,
    problems_frame,
    reword,
    rule_text,
)
from grouplab.errors import FRAME_COLUMNS, DataError, Problem, require_columns

PKG = Path(__file__).resolve().parents[2] / "lib" / "grouplab"
#: calls whose first string argument (or ``code=``) is a problem code
_FACTORIES = {"problem": 0, "reword": 1, "problem_at": 4}


def _codes_used() -> set[tuple[str, str]]:
    out = set()
    for path in PKG.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            args = list(node.args)
            arg = args[_FACTORIES[name]] if name in _FACTORIES and len(args) > _FACTORIES[name] else None
            # problem_at still takes a rule in words from callers not yet moved to codes
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and " " not in arg.value:
                out.add((path.name, arg.value))
            out |= {(path.name, k.value.value) for k in node.keywords
                    if k.arg == "code" and isinstance(k.value, ast.Constant) and k.value.value}
    return out


def _fields(template: str) -> set[str]:
    """Fields of a phrase; ``x_zh`` (a value's Chinese wording) counts as ``x``."""
    return {f.removesuffix("_zh") for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_code_used_has_a_wording_in_both_languages():
    missing = sorted(f"{file}: {code}" for file, code in _codes_used() if code not in PROBLEMS)
    assert missing == []
    assert len(_codes_used()) > 20  # the scan sees the calls (a control: it is not vacuous)
    from grouplab.data.schema import _UNREADABLE  # codes chosen by a column's type
    assert set(_UNREADABLE.values()) <= set(PROBLEMS)
    assert DATE_FORMATS_TEXT in PROBLEMS["not_a_date"]["en"]


@pytest.mark.parametrize("code", sorted(PROBLEMS))
def test_both_languages_use_the_same_values(code):
    phrase = PROBLEMS[code]
    assert _fields(phrase["en"]) == _fields(phrase["zh"])
    assert not re.search(r"[\u4e00-\u9fff]", phrase["en"].replace("工作簿", "")) or "{" not in phrase["en"]
    if "hint" in phrase:
        assert _fields(phrase["hint"]["en"]) == _fields(phrase["hint"]["zh"])
        assert re.search(r"[\u4e00-\u9fff]", phrase["hint"]["zh"])
    assert re.search(r"[\u4e00-\u9fff]", phrase["zh"])
    # a value named like a parameter of problem() could never be passed
    assert not _fields(phrase["en"]) & {"code", "file", "row", "column", "value", "hint", "sheet", "cell"}


def test_a_coded_problem_reads_as_before_in_english_and_in_chinese():
    p = problem("duplicate_key", "g.csv", 4, "党小组编号", "G001", key="group_id", first_row=2)
    # the English wording is the rule as the schema wrote it before codes (tests/data/test_schema.py)
    assert str(p) == ("g.csv, row 4, column '党小组编号': duplicate key (group_id); same as row 2 "
                      "(value: 'G001'). Remove or merge the repeated row.")
    assert problem_text(p, "zh") == ("g.csv，第 4 行，列“党小组编号”：键重复（group_id）：与第 2 行相同"
                                     "（值：'G001'）。删除或合并重复的行。")
    moved = reword(p, "duplicate_key_of_sheet", first_row=7, first_sheet="甲")
    assert moved.rule == "duplicate key (group_id); same as row 7 of sheet 甲"
    assert moved.code == "duplicate_key_of_sheet"
    assert moved.hint == p.hint


def test_base_problems_word_as_the_table_says():
    """errors.py (base) cannot import the table; its two coded problems must say what the table says."""
    with pytest.raises(DataError) as info:
        require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "t")
    p = info.value.problems[0]
    assert p.code == "missing_columns" and p.rule == PROBLEMS["missing_columns"]["en"].format(**p.values)
    assert p.hint == PROBLEMS["missing_columns"]["hint"]["en"]
    assert rule_text(p, "zh") == "缺少列 b；现有列：a"


def test_old_style_problems_still_work_and_frame_keeps_every_place_column():
    old = Problem("x.csv", 3, "c", "must be >= 1", 0)
    assert old.code == "" and rule_text(old, "zh") == "must be >= 1"
    new = problem("not_whole", "x.xlsx", 5, "人数", "五", sheet="甲", cell="C5")
    frame = DataError([old, new]).to_frame()
    assert list(frame.columns) == FRAME_COLUMNS == ["file", "sheet", "cell", "row", "column", "code", "rule",
                                                     "value", "hint"]
    assert frame.loc[1, ["sheet", "cell", "code"]].tolist() == ["甲", "C5", "not_whole"]
    assert problems_frame([old, new], "zh")["rule"].tolist() == ["must be >= 1", "不是整数"]


def test_validate_lang_zh_prints_problems_in_chinese(make_dataset, demo, capsys):
    groups = demo["groups"].head(3).copy()
    groups["members"] = groups["members"].astype(object)
    groups.loc[groups.index[1], "members"] = "五"
    folder = make_dataset({"units": demo["units"], "groups": groups})
    assert main(["validate", str(folder), "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert "第 3 行，列“members”：不是整数（值：'五'）" in err and "个问题" in err
    assert main(["validate", str(folder)]) == 2
    assert "row 3, column 'members': not a whole number (value: '五')" in capsys.readouterr().err


class _Anything:
    """A value that formats under any format spec (``{n:g}``, ``{text!r}``)."""

    def __format__(self, spec):
        return "x"

    def __repr__(self):
        return "'x'"


@pytest.mark.parametrize("code", sorted(PROBLEMS))
def test_every_phrase_can_be_made_and_worded_in_both_languages(code):
    phrase = PROBLEMS[code]
    texts = [phrase["en"], phrase["zh"], *(phrase.get("hint") or {}).values()]
    names = {f for t in texts for _, f, _, _ in string.Formatter().parse(t) if f}
    p = problem(code, "f.csv", 2, "c", **{n: _Anything() for n in names})
    assert p.code == code and p.rule and "{" not in rule_text(p, "zh").replace("{{", "")
    assert problem_text(p, "zh").startswith("f.csv，第 2 行")
