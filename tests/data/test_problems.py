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
#: calls that make a problem: position of the code argument, of the hint argument (None: no hint argument),
#: and the values the helper adds itself; ``.problem`` is the method Ledger.problem, ``where`` the callback
#: of data/ledgers/totals.py (Ledger.problem too)
_FACTORIES = {"problem": (0, 5, set()), "reword": (1, None, None), "problem_at": (4, 6, set()),
              "header_problem": (2, 4, set()), ".problem": (2, 4, set()), "where": (2, 4, set()),
              "_member": (2, None, {"member"}), "_yaml_problem": (2, None, {"most"})}


def _factory(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Attribute):
        return ".problem" if node.func.attr == "problem" else None
    return node.func.id if isinstance(node.func, ast.Name) and node.func.id in _FACTORIES else None


def _constants(node: ast.AST | None) -> list[str]:
    """The codes a code expression can be: a string, either side of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    return []


def _problem_calls():
    """(file, call, codes, factory) of every call that makes a problem with a code written at the call."""
    for path in PKG.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = _factory(node)
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            if name is not None and len(node.args) > _FACTORIES[name][0]:
                code = node.args[_FACTORIES[name][0]]
            if _constants(code):
                yield path.name, node, _constants(code), name


def _passes_code(func: ast.AST) -> bool:
    """Whether ``func`` makes a problem of a name ``code``."""
    return any(isinstance(n, ast.Call) and (name := _factory(n)) is not None
               and len(n.args) > _FACTORIES[name][0] and isinstance(n.args[_FACTORIES[name][0]], ast.Name)
               and n.args[_FACTORIES[name][0]].id == "code" for n in ast.walk(func))


def _codes_used() -> set[tuple[str, str]]:
    """Codes written at a call, or assigned to a name ``code`` a problem is then made of
    (``code = "a" if c else "b"``)."""
    out = {(file, c) for file, _, codes, _ in _problem_calls() for c in codes}
    for path in PKG.rglob("*.py"):
        funcs = [f for f in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(f, ast.FunctionDef) and _passes_code(f)]
        for node in (n for f in funcs for n in ast.walk(f)):
            if not isinstance(node, ast.Assign):
                continue
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == "code":
                    out |= {(path.name, c) for c in _constants(node.value)}
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    out |= {(path.name, c) for t, v in zip(target.elts, node.value.elts)
                            if isinstance(t, ast.Name) and t.id == "code" for c in _constants(v)}
    return out


def _names(template: str) -> set[str]:
    """Fields of a phrase as written (``x_zh`` stays ``x_zh``: the call must pass it)."""
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def _fields(template: str) -> set[str]:
    """Fields of a phrase; ``x_zh`` (a value's Chinese wording) counts as ``x``."""
    return {f.removesuffix("_zh") for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_code_used_has_a_wording_in_both_languages():
    missing = sorted(f"{file}: {code}" for file, code in _codes_used() if code not in PROBLEMS)
    assert missing == []
    assert len(_codes_used()) > 200  # the scan sees the calls (a control: it is not vacuous)
    assert {("xlsx_bounds.py", "stray_right"), ("limits.py", "xls_named_xlsx"),
            ("totals.py", "total_not_sum"), ("limits.py", "part_too_compressed"),
            ("scope.py", "unit_ambiguous")} <= _codes_used()
    from grouplab.data.ledgers.load import _SPEC_OF  # codes kept in tables
    from grouplab.data.schema import _UNREADABLE  # codes chosen by a column's type
    assert set(_UNREADABLE.values()) | {code for _, code in _SPEC_OF.values()} <= set(PROBLEMS)
    assert DATE_FORMATS_TEXT in PROBLEMS["not_a_date"]["en"]


def _unfilled(call: ast.Call, code: str, factory: str) -> set[str]:
    """Fields of ``code``'s wording (rule, and hint unless the call writes one) the call does not pass."""
    given = {k.arg for k in call.keywords}
    if factory is None:  # Problem(..., code=, values={...}) in errors.py, which cannot import the table
        values = next((k.value for k in call.keywords if k.arg == "values"), None)
        given = {k.value for k in getattr(values, "keys", [])}
        factory, given = ("problem", given) if isinstance(values, ast.Dict) else ("reword", given)
    if None in given or factory == "reword":  # **values: filled at run time
        return set()
    phrase, (_, hint_at, added) = PROBLEMS.get(code, {"en": "", "zh": ""}), _FACTORIES[factory]
    texts = [phrase["en"], phrase["zh"]]
    if "hint" in phrase and not (hint_at is not None and len(call.args) > hint_at) and "hint" not in given:
        texts += [phrase["hint"]["en"], phrase["hint"]["zh"]]
    return {n for t in texts for n in _names(t)} - given - added


def test_every_call_fills_the_fields_of_its_wording():
    """A field left out would fail only when the problem is worded (the zh ``x_zh`` ones in Chinese only)."""
    unfilled = sorted(f"{file}:{call.lineno} {code}: {', '.join(sorted(missing))}"
                      for file, call, codes, factory in _problem_calls() for code in codes
                      if (missing := _unfilled(call, code, factory)))
    assert unfilled == []
    # a control: a call that leaves out a Chinese-only field is caught
    call = ast.parse('problem("unit_unknown", "f", None, "k", candidates="a")').body[0].value
    assert _unfilled(call, "unit_unknown", "problem") == {"candidates_zh"}


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
