"""Metadata columns of an export: answer-sheet numbers, times and durations."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.problems import problem
from grouplab.data.surveys.platforms.answers import as_number, is_empty
from grouplab.errors import Problem

__all__ = ["respondent_ids", "metadata_columns", "parse_time", "parse_duration"]

_TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M",
                 "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M")
_DURATION = re.compile(r"^(?:(\d+)\s*小时)?\s*(?:(\d+)\s*分(?:钟)?)?\s*(?:(\d+(?:\.\d+)?)\s*秒)?$")
_CLOCK = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2})$")


def _id_text(value: Any) -> str:
    num = as_number(value)
    return str(int(num)) if num is not None and num.is_integer() else str(value).strip()


def respondent_ids(values: list, header: str, rows: list[int], file: str,
                   problems: list[Problem]) -> list[str | None]:
    """Answer-sheet numbers as text; a Problem for each empty or repeated one.

    When numbers start again from the lowest one (two exports pasted into one
    sheet), the problem says so and how to list the exports separately.
    """
    ids: list[str | None] = []
    first_seen: dict[str, int] = {}
    restart_told = False
    for i, v in enumerate(values):
        if is_empty(v):
            problems.append(problem("empty_sheet_number", file, rows[i], header, v, header=header))
            ids.append(None)
            continue
        text = _id_text(v)
        if text in first_seen and restart_told:
            pass  # explained by the restart already reported
        elif text in first_seen:
            restart = i > 0 and ids[i - 1] is not None and not restart_told and \
                first_seen[text] == rows[0]
            code = "ids_restart" if restart else "duplicate_sheet_number"
            restart_told = restart_told or restart
            problems.append(problem(code, file, rows[i], header, text, header=header, at_row=rows[i],
                                    text=text, first_row=first_seen[text]))
        else:
            first_seen[text] = rows[i]
        ids.append(text)
    return ids


def parse_time(value: Any) -> datetime | None:
    """A submission time as written by a platform; ValueError if unreadable."""
    if is_empty(value):
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


def parse_duration(value: Any) -> float | None:
    """Seconds from ``'2分30秒'``, ``'150秒'``, ``'0:02:30'`` or a number."""
    if is_empty(value):
        return None
    num = as_number(value)
    if num is not None:
        return num
    text = str(value).strip() if isinstance(value, str) else ""
    if m := _CLOCK.match(text):
        return int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3])
    m = _DURATION.match(text)
    if m is None or not any(m.groups()):
        raise ValueError(value)
    h, mi, s = (float(g) if g else 0.0 for g in m.groups())
    return h * 3600 + mi * 60 + s


def _parsed(values, parse, code, header, rows, file, problems):
    """``parse`` of each cell (once per distinct cell: answers repeat); a Problem per unreadable cell."""
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    if bool in set(map(type, arr)):  # True == 1 would merge them: cell by cell
        codes, uniq = np.arange(len(arr)), arr
    else:
        codes, uniq = pd.factorize(arr, use_na_sentinel=False)
    results, failed = [], []
    for v in uniq:
        try:
            results.append(parse(v))
            failed.append(False)
        except ValueError:
            results.append(None)
            failed.append(True)
    if any(failed):
        for i in np.flatnonzero(np.asarray(failed)[codes]):
            problems.append(problem(code, file, rows[i], header, values[i]))
    out = np.empty(len(uniq), dtype=object)
    out[:] = results
    return out[codes].tolist()


_SLASH_TIME = r"\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}"  # 问卷星's 2018/11/6 8:06:35


def _times(values: list, header: str, rows, file: str, problems: list[Problem]) -> pd.Series:
    """Submission times: cells like 2018/11/6 8:06:35 parsed as one column, the rest by
    :func:`parse_time` (which reports what it cannot read)."""
    text = pd.Series([v if isinstance(v, str) else None for v in values], dtype="string").str.strip()
    slash = text.str.fullmatch(_SLASH_TIME).fillna(False).to_numpy(bool)
    out = pd.Series(pd.NaT, index=range(len(values)), dtype="datetime64[ns]")
    if slash.any():
        out[slash] = pd.to_datetime(text[slash], format="%Y/%m/%d %H:%M:%S", errors="coerce")
    rest = [i for i in np.flatnonzero(~slash | out.isna().to_numpy()) if not is_empty(values[i])]
    parsed = _parsed([values[i] for i in rest], parse_time, "not_a_datetime",
                     header, [rows[i] for i in rest], file, problems)
    if rest:
        out[rest] = pd.Series(pd.to_datetime(parsed), dtype="datetime64[ns]").to_numpy()
    return out


def metadata_columns(frame: pd.DataFrame, positions: dict[str, int], headers: list[str],
                     rows: list[int], file: str, problems: list[Problem]) -> dict[str, pd.Series]:
    """Typed metadata columns (all but ``respondent_id``) present in the export."""
    out: dict[str, pd.Series] = {}
    for name, j in positions.items():
        values = list(frame.iloc[:, j])
        if name in ("submitted", "started"):
            out[name] = _times(values, headers[j], rows, file, problems)
        elif name == "duration_s":
            parsed = _parsed(values, parse_duration, "not_a_duration",
                             headers[j], rows, file, problems)
            out[name] = pd.Series(parsed, dtype="float64")
        elif name == "total_score":
            out[name] = pd.Series([as_number(v) for v in values], dtype="Float64")
        elif name != "respondent_id":
            out[name] = pd.Series([None if is_empty(v) else str(v).strip() for v in values],
                                  dtype="str")
    return out
