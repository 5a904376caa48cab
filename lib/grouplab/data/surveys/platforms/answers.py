"""Cells of one question turned into typed answer columns.

Given the columns of one question (from :mod:`.headers`) and the export's
form (按序号 numbers or 按文本 labels), decide what the question is and
convert its cells:

- ``single``: one column of option codes (Int64) or labels (str);
- ``multi``: multi-select, one 0/1 column per option (``Q6_1…``), from 0/1
  option columns or from ``┋``-joined labels;
- ``matrix``: one single-choice item per row (``Q7.1``, ``Q7.2``…), the row's
  text kept as its label;
- ``sort``: rank of each option (``Q5_1``…, 1 = first), from ``A→B→C`` text;
- ``fill``: several blanks (多项填空, or repeated headers of a cascading
  question), one text column per blank (``Q3.1``…);
- ``number``: a score or slider (Float64); ``text``: open text (str).

Missing answers become NA and are listed with their reason (platform codes
such as −2/−3 or ``(跳过)``/``(空)``, and empty cells).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.problems import problem
from grouplab.data.surveys.platforms.headers import Question
from grouplab.errors import Problem

__all__ = ["Cells", "read_question", "is_empty", "as_number"]

_FILL_IN = re.compile(r"〖(.*?)〗", re.DOTALL)
_CODE_FILL = re.compile(r"^\s*(-?\d+)\s*(?:〖(.*)〗|\^(.*))\s*$", re.DOTALL)
_SORT_SEP = "→"
_NULL = "NULL"


@dataclass
class Cells:
    """What every question of one file shares while being read."""

    frame: pd.DataFrame
    file: str
    rows: list[int]
    ids: list[str | None]
    form: str
    numeric_missing: dict[int, str]
    text_missing: dict[str, str]
    multi_sep: str
    missing: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def column(self, position: int) -> list[Any]:
        return list(self.frame.iloc[:, position])

    def note_missing(self, i: int, column: str, code: Any, reason: str) -> None:
        self.missing.append({"row": self.rows[i], "respondent_id": self.ids[i],
                             "column": column, "code": code, "reason": reason})


def is_empty(value: Any) -> bool:
    """None, NaN, blank text or the literal ``NULL`` (old 问卷星 metadata)."""
    if value is None or (isinstance(value, float) and value != value):
        return True
    return isinstance(value, str) and value.strip() in {"", _NULL}


def as_number(value: Any) -> float | None:
    """A cell as a number, or None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _missing_reason(cells: Cells, value: Any) -> tuple[Any, str] | None:
    """(code, reason) when the cell is a missing-answer marker, else None."""
    if is_empty(value):
        return None, "empty cell"
    if isinstance(value, str) and value.strip() in cells.text_missing:
        return value.strip(), cells.text_missing[value.strip()]
    num = as_number(value)
    if num is not None and num.is_integer() and int(num) in cells.numeric_missing:
        return int(num), cells.numeric_missing[int(num)]
    return None


def _scan(cells: Cells, position: int, name: str) -> list[Any]:
    """The column's cells with missing markers replaced by None (and noted)."""
    out = []
    for i, v in enumerate(cells.column(position)):
        hit = _missing_reason(cells, v)
        if hit is not None:
            cells.note_missing(i, name, hit[0], hit[1])
            out.append(None)
        else:
            out.append(v)
    return out


def _kind_of(values: list[Any], sep: str) -> str:
    """'codes', 'number', 'multi', 'sort' or 'labels' from a column's answers."""
    present = [v for v in values if v is not None]
    nums = [as_number(v) for v in present]
    if present and all(n is not None for n in nums):
        # an option code is a small whole number; 1e20 is a (mistyped) number, kept as Float64
        codes = all(n.is_integer() and abs(n) < 2**53 for n in nums)
        return "codes" if codes else "number"
    text = [str(v) for v in present]
    if any(sep in t for t in text):
        return "multi"
    if any(_SORT_SEP in t for t in text) and all(_CODE_FILL.match(t) is None for t in text):
        return "sort"
    return "labels" if present else "codes"


def _split_fill(value: Any) -> tuple[Any, str | None]:
    """``'其他〖钓鱼〗'`` -> ('其他', '钓鱼'); ``'5^钓鱼'`` -> (5, '钓鱼')."""
    if not isinstance(value, str):
        return value, None
    if m := _CODE_FILL.match(value):
        return int(m[1]), (m[2] if m[2] is not None else m[3]).strip() or None
    fills = [f.strip() for f in _FILL_IN.findall(value) if f.strip()]
    label = _FILL_IN.sub("", value).strip()
    return label, ("┋".join(fills) if fills else None)


def _distinct(cells: Cells, position: int, name: str) -> tuple[np.ndarray, list[Any]]:
    """Row codes into the column's distinct cells, missing markers noted in row order.

    ``values[codes[i]]`` is what :func:`_scan` gives for row ``i`` (None when missing):
    answers repeat, so each distinct cell is judged once.
    """
    arr = cells.frame.iloc[:, position].to_numpy(dtype=object)
    if bool in set(map(type, arr)):  # True == 1 would merge them: cell by cell
        values = _scan(cells, position, name)
        return np.arange(len(values)), values
    codes, uniq = pd.factorize(arr, use_na_sentinel=False)
    hits = [_missing_reason(cells, u) for u in uniq]
    missing = np.array([h is not None for h in hits] + [False], dtype=bool)
    for i in np.flatnonzero(missing[codes]):
        code, reason = hits[codes[i]]
        cells.note_missing(int(i), name, code, reason)
    return codes, [None if h is not None else u for u, h in zip(uniq, hits, strict=True)]


def _expand(values: list[Any], codes: np.ndarray) -> list[Any]:
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr[codes].tolist()


def _one_column(cells: Cells, position: int, name: str) -> tuple[dict[str, pd.Series], str, list]:
    """Columns, type and option labels of a one-column question."""
    codes, values = _distinct(cells, position, name)
    split = [_split_fill(v) for v in values]
    answers = [a for a, _ in split]
    other = [o for _, o in split]
    kind = _kind_of(answers, cells.multi_sep)
    cols: dict[str, pd.Series] = {}
    options: list[str] = []
    if kind == "codes":
        ints = pd.array([None if a is None else int(as_number(a)) for a in answers] or [None],
                        dtype="Int64")
        cols[name] = pd.Series(ints.take(codes))
        qtype = "single"
    elif kind == "number":
        nums = pd.array([as_number(a) for a in answers] or [None], dtype="Float64")
        cols[name] = pd.Series(nums.take(codes))
        qtype = "number"
    elif kind in ("multi", "sort"):
        return _multi_from_text(cells, _expand(values, codes), name, kind)
    else:
        distinct = [None if a is None else str(a).strip() for a in answers]
        text = _expand(distinct, codes)
        cols[name] = pd.Series(text, dtype="str")
        numeric_form = cells.form == "numeric"
        qtype = "text" if numeric_form or _looks_open(text) else "single"
        options = [] if qtype == "text" else sorted({t for t in distinct if t is not None})
    if any(o is not None for o in other):
        cols[f"{name}_other_text"] = pd.Series(_expand(other, codes), dtype="str")
    return cols, qtype, options


def _looks_open(text: list[str | None]) -> bool:
    """Free text rather than option labels: most answers differ from each other."""
    present = [t for t in text if t is not None]
    return len(present) >= 20 and len(set(present)) > 0.5 * len(present)


def _multi_from_text(cells: Cells, values: list, name: str, kind: str):
    """``┋``-joined labels (multi-select) or ``A→B`` (sort) as one column per option.

    Options are named by label in ``attrs`` and numbered here in sorted label
    order; :func:`grouplab.data.surveys.platforms.labels.apply_spec` renumbers
    them by the questionnaire's codes, so the same label gets the same column
    in every file.
    """
    sep = cells.multi_sep if kind == "multi" else _SORT_SEP
    chosen: list[list[str] | None] = []
    other: list[str | None] = []
    for v in values:
        if v is None:
            chosen.append(None)
            other.append(None)
            continue
        parts = [_split_fill(p) for p in str(v).split(sep)]
        chosen.append([str(label).strip() for label, _ in parts])
        fills = [f for _, f in parts if f]
        other.append("┋".join(fills) if fills else None)
    options = sorted({label for c in chosen if c for label in c})
    cols: dict[str, pd.Series] = {}
    for k, label in enumerate(options, start=1):
        if kind == "multi":
            data = [None if c is None else int(label in c) for c in chosen]
        else:
            data = [None if c is None or label not in c else c.index(label) + 1 for c in chosen]
        cols[f"{name}_{k}"] = pd.Series(data, dtype="Int64")
    if any(o is not None for o in other):
        cols[f"{name}_other_text"] = pd.Series(other, dtype="str")
    return cols, kind, options


def _bad_code(cells: Cells, position: int, header: str, allowed: str, name: str) -> list:
    """Integer codes of an option column, a Problem for anything else."""
    out = []
    for i, v in enumerate(_scan(cells, position, name)):
        num = as_number(v)
        ok = num is not None and num.is_integer() and (allowed != "01" or num in (0, 1))
        if v is not None and not ok:
            code = "code_not_0_1" if allowed == "01" else "code_not_whole"
            cells.problems.append(problem(code, cells.file, cells.rows[i], header, v))
            out.append(None)
        else:
            out.append(None if v is None else int(num))
    return out


def read_question(cells: Cells, q: Question) -> tuple[dict[str, pd.Series], dict]:
    """Answer columns and the ``attrs`` entry of one question.

    Returns
    -------
    (columns, info)
        ``columns``: name -> Series (see the module docstring for names and
        dtypes); ``info``: ``title``, ``type``, ``options`` (labels),
        ``rows`` (matrix row / blank labels), ``columns``, ``headers``,
        ``section``, ``number``.
    """
    name = q.qid
    headers = [h.text for h in q.headers]
    if len(q.headers) == 1 and q.form != "bracket":
        cols, qtype, options = _one_column(cells, q.headers[0].position, name)
        return cols, _info(q, qtype, options, [], cols, headers)
    if q.form == "bracket" and _all_binary(cells, q):
        cols = {}
        for k, h in enumerate(q.headers, start=1):
            cols[f"{name}_{k}"] = pd.Series(_bad_code(cells, h.position, h.text, "01", name),
                                            dtype="Int64")
        labels = [_FILL_IN.sub("", h.sub or "").strip() for h in q.headers]
        return cols, _info(q, "multi", labels, [], cols, headers)
    return _rows(cells, q, name, headers)


def _rows(cells: Cells, q: Question, name: str, headers: list[str]):
    """Matrix rows, sort items or blanks: one answer column per header."""
    cols: dict[str, pd.Series] = {}
    kinds = []
    options: set[str] = set()
    for k, h in enumerate(q.headers, start=1):
        part, kind, opts = _one_column(cells, h.position, f"{name}.{k}")
        cols.update(part)
        kinds.append(kind)
        options.update(opts)
    labels = [_row_label(q, k) for k in range(len(q.headers))]
    blanks = any(h.part is not None for h in q.headers)
    qtype = "matrix" if all(k == "single" for k in kinds) and not blanks else "fill"
    return cols, _info(q, qtype, sorted(options), labels, cols, headers)


def _row_label(q: Question, k: int) -> str:
    h = q.headers[k]
    if h.sub:
        return h.sub
    return h.title or h.text.strip()


def _all_binary(cells: Cells, q: Question) -> bool:
    for h in q.headers:
        for v in cells.column(h.position):
            num = as_number(v)
            if num is None:
                if not is_empty(v) and not (isinstance(v, str) and v.strip() in cells.text_missing):
                    return False
            elif num not in (0.0, 1.0) and not (num.is_integer()
                                               and int(num) in cells.numeric_missing):
                return False
    return True


def _info(q: Question, qtype: str, options, rows, cols, headers) -> dict:
    title = q.title
    if title is None and q.form == "bracket":
        title = None
    return {"title": title, "type": qtype, "options": list(options), "rows": list(rows),
            "columns": list(cols), "headers": headers, "number": q.number, "section": q.section}
