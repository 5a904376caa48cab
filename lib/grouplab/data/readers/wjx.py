"""Reader for 问卷星 (Wenjuanxing, wjx.cn) survey exports.

问卷星 exports answers in two forms:

- 按序号 (numeric): single-choice columns hold option codes 1..k; a
  multi-select question becomes one 0/1 column per option, headed
  ``第6题(运动)``; ``-2`` marks a question skipped by jump logic (跳过) and
  ``-3`` one hidden by display logic (未显示).
- 按文本 (text): option labels; multi-select labels joined by ``┋``; fill-in
  text in 〖〗 (``其他〖xxx〗``); ``(跳过)`` and ``(空)`` mark skipped / empty.

Both start with metadata columns 序号, 提交答卷时间, 所用时间, 来源, 来源详情,
来自IP (older exports put 来自IP before 来源). 来自IP is dropped on load.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from grouplab.data.readers.base import read_raw
from grouplab.errors import DataError, Problem

__all__ = ["read_wjx"]

# canonical name of each metadata header (None: dropped for privacy)
_META = {
    "序号": "respondent_id",
    "提交答卷时间": "submitted",
    "所用时间": "duration_s",
    "来源": "source",
    "来源详情": "source_detail",
    "来自IP": None,
}
_META_COLUMNS = ["respondent_id", "submitted", "duration_s", "source", "source_detail"]
_PRIVATE = re.compile(r"IP", re.IGNORECASE)  # any IP-address column is dropped
_QUESTION = re.compile(r"^(\d+)\s*[、.．:：]\s*(.*)$", re.DOTALL)
_OPTION = re.compile(r"^第\s*(\d+)\s*题\s*[(（](.*)[)）]$", re.DOTALL)
_FILL_IN = re.compile(r"〖(.*?)〗", re.DOTALL)
_NUMERIC_MISSING = {-2: "skipped (跳过)", -3: "not shown (未显示)"}
_TEXT_MISSING = {"(跳过)": "skipped (跳过)", "(空)": "empty (空)"}
_MULTI_SEP = "┋"
_NULL = "NULL"
_TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M")
_DURATION = re.compile(r"^(?:(\d+)\s*小时)?\s*(?:(\d+)\s*分(?:钟)?)?\s*(?:(\d+(?:\.\d+)?)\s*秒)?$")


def read_wjx(path: str | Path, *, form: str = "auto") -> pd.DataFrame:
    """Read a 问卷星 export (.xls, .xlsx or .csv) into one row per respondent.

    Parameters
    ----------
    path : str or Path
        The export as downloaded from 问卷星 (按序号 or 按文本).
    form : {"auto", "numeric", "text"}, default "auto"
        Export form; ``"auto"`` detects it, the others insist on it.

    Returns
    -------
    pandas.DataFrame
        One row per respondent, in file order, with columns:

        - ``respondent_id`` (str): 序号;
        - ``submitted`` (datetime64[ns]): 提交答卷时间, NaT if empty or ``NULL``;
        - ``duration_s`` (float): 所用时间 in seconds (``'2分30秒'`` -> 150.0);
        - ``source`` (str): 来源; ``source_detail`` (str): 来源详情;
        - ``Q<n>`` per single-choice or free-text question numbered n in the
          header (``3、性别``): Int64 option codes (numeric form) or str labels
          (text form, fill-in part removed);
        - ``Q<n>_<k>`` per option k of a multi-select question: Int64 0/1.
          Options are numbered in column order (numeric form) or in order of
          first appearance (text form); labels in ``attrs['wjx']``;
        - ``Q<n>_other_text`` (str): text written in 〖〗 after an option
          (text form only: the numeric export omits it).

        Skipped (−2, ``(跳过)``), not shown (−3) and empty (``(空)``) answers
        are NA; each is listed in ``attrs['wjx']['missing']``. 来自IP (and any
        other column whose header contains "IP") never reaches the output.

        ``attrs['wjx']`` (JSON-like): ``form``; ``file`` (basename);
        ``questions``: ``{'Q1': {'title', 'type' ('single'|'multi'|'text'),
        'options' (labels, when known), 'columns', 'headers'}}``; ``missing``:
        ``[{'row', 'respondent_id', 'column', 'code', 'reason'}]`` with ``row``
        the Excel row (header = row 1).

    Raises
    ------
    DataError
        Not a 问卷星 export (no 序号), unknown columns, duplicate or empty 序号,
        non-numeric text or a code outside the allowed set in a numeric export,
        a form that does not match ``form``, unreadable times; each problem
        names the file, Excel row, header as written, rule and value.

    Notes
    -----
    In a text export a multi-select question is recognised by ``┋`` in at
    least one answer; one whose every respondent ticked a single option looks
    like a single-choice question. A text export cannot tell free-text
    questions from single choice; a numeric export can (no numbers at all).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "wjx.csv"
    >>> _ = p.write_text("序号,所用时间,来自IP,1、性别,第2题(运动)\\n7,2分30秒,1.2.3.4,-2,1\\n",
    ...                  encoding="utf-8")
    >>> df = read_wjx(p)
    >>> df[["respondent_id", "duration_s", "Q1", "Q2_1"]].to_dict("records")
    [{'respondent_id': '7', 'duration_s': 150.0, 'Q1': None, 'Q2_1': 1}]
    >>> df.attrs["wjx"]["missing"][0]["reason"]
    'skipped (跳过)'
    """
    if form not in {"auto", "numeric", "text"}:
        raise ValueError(f"form must be 'auto', 'numeric' or 'text', not {form!r}")
    raw = read_raw(path)
    file = raw.file
    frame = raw.frame
    rows = raw.meta["row_numbers"]
    problems: list[Problem] = list(raw.problems)

    # classify columns by their header as written
    meta_pos: dict[str, int] = {}
    questions: dict[int, dict[str, Any]] = {}
    for j, header in enumerate(raw.headers):
        text = header.strip()
        if text in _META:
            if _META[text] is not None:
                meta_pos[_META[text]] = j
            continue
        if _PRIVATE.search(text):
            continue
        if m := _OPTION.match(text):
            q = questions.setdefault(int(m[1]), {"title": None, "cols": [], "kind": "option"})
            if q["kind"] != "option":
                problems.append(_dup_question(file, header, int(m[1])))
            q["cols"].append((j, m[2].strip()))
        elif m := _QUESTION.match(text):
            n = int(m[1])
            if n in questions:
                problems.append(_dup_question(file, header, n))
                continue
            questions[n] = {"title": m[2].strip(), "cols": [(j, None)], "kind": "question"}
        else:
            problems.append(
                Problem(file, 1, header, "unrecognised column in a 问卷星 export", None,
                        "Expected metadata (序号, 提交答卷时间, …) or a question header like "
                        "'3、性别' or '第6题(运动)'; restore the original header "
                        "or remove the column")
            )
    if "respondent_id" not in meta_pos:
        raise DataError(
            [Problem(file, 1, None, "not a 问卷星 export: missing 序号", None,
                     "Export again from 问卷星 (下载答卷数据) without editing the header row")]
        )
    if problems:
        raise DataError(problems)

    detected = _detect_form(frame, questions)
    if form != "auto" and detected is not None and form != detected:
        zh = {"numeric": "按序号", "text": "按文本"}
        raise DataError(
            [Problem(file, None, None,
                     f"form={form!r} requested but the file looks like a {zh[detected]} "
                     f"({detected}) export", None,
                     f"Use form={detected!r} or 'auto', or download the {zh[form]} export")]
        )
    form_used = detected or (form if form != "auto" else "numeric")

    out: dict[str, pd.Series] = {}
    ids = _respondent_ids(frame, meta_pos["respondent_id"], raw.headers, rows, file, problems)
    out["respondent_id"] = pd.Series(ids, dtype="str")
    out.update(_metadata(frame, meta_pos, raw.headers, rows, file, problems))

    missing: list[dict] = []
    info: dict[str, dict] = {}
    for n in sorted(questions, key=lambda k: questions[k]["cols"][0][0]):
        q = questions[n]
        if form_used == "numeric":
            cols, qinfo = _numeric_question(n, q, frame, raw.headers, rows, ids, file,
                                            problems, missing)
        else:
            cols, qinfo = _text_question(n, q, frame, raw.headers, rows, ids, missing)
        out.update(cols)
        info[f"Q{n}"] = qinfo
    if problems:
        raise DataError(problems)

    df = pd.DataFrame(out, index=pd.RangeIndex(len(frame)))
    missing.sort(key=lambda r: (r["row"], int(r["column"][1:])))
    df.attrs["wjx"] = {
        "form": form_used,
        "file": file,
        "questions": info,
        "missing": missing,
    }
    return df


# ---------------------------------------------------------------- helpers


def _dup_question(file: str, header: str, n: int) -> Problem:
    return Problem(file, 1, header, f"question number {n} appears twice", None,
                   "Each question must appear once; remove the duplicate column")


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in {"", _NULL})


def _as_number(value: Any) -> float | None:
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


def _detect_form(frame: pd.DataFrame, questions: dict) -> str | None:
    """'numeric', 'text', or None when nothing tells (no answers at all)."""
    if any(q["kind"] == "option" for q in questions.values()):
        return "numeric"
    numbers = texts = 0
    for q in questions.values():
        for j, _ in q["cols"]:
            for v in frame.iloc[:, j]:
                if _empty(v):
                    continue
                if isinstance(v, str) and (_MULTI_SEP in v or v.strip() in _TEXT_MISSING):
                    return "text"
                if _as_number(v) is None:
                    texts += 1
                else:
                    numbers += 1
    if numbers == texts == 0:
        return None
    return "numeric" if numbers > texts else "text"


def _respondent_ids(frame, j, headers, rows, file, problems) -> list[str | None]:
    ids: list[str | None] = []
    first_seen: dict[str, int] = {}
    for i, v in enumerate(frame.iloc[:, j]):
        if _empty(v):
            problems.append(Problem(file, rows[i], headers[j], "序号 must not be empty", v,
                                    "Every answer sheet needs its 序号; re-export the file"))
            ids.append(None)
            continue
        num = _as_number(v)
        text = str(int(num)) if num is not None and num.is_integer() else str(v).strip()
        if text in first_seen:
            problems.append(Problem(file, rows[i], headers[j],
                                    f"duplicate 序号 (first at row {first_seen[text]})", text,
                                    "Remove the repeated answer sheet or merge files again"))
        else:
            first_seen[text] = rows[i]
        ids.append(text)
    return ids


def _metadata(frame, pos, headers, rows, file, problems) -> dict[str, pd.Series]:
    n = len(frame)
    cells = {name: (list(frame.iloc[:, pos[name]]) if name in pos else [None] * n)
             for name in _META_COLUMNS[1:]}
    submitted, seconds = [], []
    for i in range(n):
        t = cells["submitted"][i]
        try:
            submitted.append(_parse_time(t))
        except ValueError:
            problems.append(Problem(file, rows[i], headers[pos["submitted"]],
                                    "not a date-time like 2018/3/29 10:20:30", t))
            submitted.append(None)
        d = cells["duration_s"][i]
        try:
            seconds.append(_parse_duration(d))
        except ValueError:
            problems.append(Problem(file, rows[i], headers[pos["duration_s"]],
                                    "not a duration like '120秒' or '2分30秒'", d))
            seconds.append(None)
    text = {
        name: pd.Series([None if _empty(v) else str(v).strip() for v in cells[name]], dtype="str")
        for name in ("source", "source_detail")
    }
    return {
        "submitted": pd.Series(pd.to_datetime(submitted), dtype="datetime64[ns]"),
        "duration_s": pd.Series(seconds, dtype="float64"),
        **text,
    }


def _parse_time(value: Any) -> datetime | None:
    if _empty(value):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        for fmt in _TIME_FORMATS:
            try:
                return datetime.strptime(value.strip(), fmt)
            except ValueError:
                pass
    raise ValueError(value)


def _parse_duration(value: Any) -> float | None:
    if _empty(value):
        return None
    num = _as_number(value)
    if num is not None:
        return num
    m = _DURATION.match(str(value).strip()) if isinstance(value, str) else None
    if m is None or not any(m.groups()):
        raise ValueError(value)
    h, mi, s = (float(g) if g else 0.0 for g in m.groups())
    return h * 3600 + mi * 60 + s


def _numeric_question(n, q, frame, headers, rows, ids, file, problems, missing):
    """Columns and attrs entry of one question in a 按序号 export."""
    name = f"Q{n}"
    multi = q["kind"] == "option"
    cols: dict[str, pd.Series] = {}
    labels = [label for _, label in q["cols"]]
    if not multi:
        j = q["cols"][0][0]
        values = list(frame.iloc[:, j])
        present = [v for v in values if not _empty(v)]
        if present and all(_as_number(v) is None for v in present):  # free-text question
            cols[name] = pd.Series([None if _empty(v) else str(v) for v in values], dtype="str")
            return cols, _info(q, "text", [], [name], headers)
    seen_missing: set[tuple[int, int]] = set()
    for k, (j, _) in enumerate(q["cols"], start=1):
        col = f"{name}_{k}" if multi else name
        allowed = "0 or 1 (option not ticked / ticked)" if multi else "an option code 1, 2, 3, …"
        codes: list[int | None] = []
        for i, v in enumerate(frame.iloc[:, j]):
            if _empty(v):
                codes.append(None)
                continue
            num = _as_number(v)
            if num is None:
                problems.append(Problem(file, rows[i], headers[j],
                                        "non-numeric text in a 按序号 (numeric) export", v,
                                        "Use the 按文本 export for labels, or correct the cell"))
                codes.append(None)
                continue
            if num.is_integer() and int(num) in _NUMERIC_MISSING:
                code = int(num)
                if (i, code) not in seen_missing:
                    seen_missing.add((i, code))
                    missing.append({"row": rows[i], "respondent_id": ids[i], "column": name,
                                    "code": code, "reason": _NUMERIC_MISSING[code]})
                codes.append(None)
                continue
            ok = num.is_integer() and (num in (0, 1) if multi else num >= 1)
            if not ok:
                problems.append(Problem(file, rows[i], headers[j],
                                        f"code outside the allowed set: {allowed}, "
                                        "or -2 (跳过) / -3 (未显示)", v))
                codes.append(None)
                continue
            codes.append(int(num))
        cols[col] = pd.Series(codes, dtype="Int64")
    return cols, _info(q, "multi" if multi else "single", labels if multi else [],
                       list(cols), headers)


def _text_question(n, q, frame, headers, rows, ids, missing):
    """Columns and attrs entry of one question in a 按文本 export."""
    name = f"Q{n}"
    j = q["cols"][0][0]
    values = list(frame.iloc[:, j])
    answers: list[list[str] | None] = []
    other: list[str | None] = []
    options: list[str] = []
    multi = any(isinstance(v, str) and _MULTI_SEP in v for v in values)
    for i, v in enumerate(values):
        text = None if _empty(v) else str(v).strip()
        if text in _TEXT_MISSING:
            missing.append({"row": rows[i], "respondent_id": ids[i], "column": name,
                            "code": text, "reason": _TEXT_MISSING[text]})
            text = None
        if text is None:
            answers.append(None)
            other.append(None)
            continue
        chosen, fills = [], []
        for part in text.split(_MULTI_SEP) if multi else [text]:
            fills += [f for f in _FILL_IN.findall(part) if f.strip()]
            label = _FILL_IN.sub("", part).strip()
            chosen.append(label)
            if label not in options:
                options.append(label)
        answers.append(chosen)
        other.append(_MULTI_SEP.join(fills) if fills else None)
    cols: dict[str, pd.Series] = {}
    if multi:
        for k, label in enumerate(options, start=1):
            cols[f"{name}_{k}"] = pd.Series(
                [None if a is None else int(label in a) for a in answers], dtype="Int64"
            )
    else:
        cols[name] = pd.Series([None if a is None else a[0] for a in answers], dtype="str")
    if any(o is not None for o in other):
        cols[f"{name}_other_text"] = pd.Series(other, dtype="str")
    return cols, _info(q, "multi" if multi else "single", options, list(cols), headers)


def _info(q, kind, options, columns, headers) -> dict:
    return {
        "title": q["title"],
        "type": kind,
        "options": list(options),
        "columns": list(columns),
        "headers": [headers[j] for j, _ in q["cols"]],
    }
