"""Assemble the ``survey`` table of a dataset from 问卷星 (wjx) exports.

A manifest entry ``survey: {format: wjx, files: {1: wave1.xlsx, 2: wave2.xlsx}}``
names one 问卷星 export per wave. Each export is read with
:func:`grouplab.data.readers.wjx.read_wjx`, its question numbers (``Q3``, ``Q7_2``) are
renamed through the questionnaire's ``wjx`` map, a ``wave`` column is added, and
the result is validated as the codebook's ``survey`` table. Answers are then
checked against the questionnaire's scale range and choice options. Every
problem is appended to the caller's list, so :func:`grouplab.data.dataset.load_dataset`
reports them together with those of the other tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from grouplab.data.readers.base import RawTable
from grouplab.data.readers.wjx import read_wjx
from grouplab.data.schema import validate_raw
from grouplab.errors import DataError, Problem
from grouplab.paths import MANIFEST as _MANIFEST  # problems of the survey entry name the manifest

__all__: list[str] = []


def survey_from_wjx(folder: Path, entry: Mapping, questionnaire: dict | None,
                     problems: list[Problem]) -> tuple[pd.DataFrame | None, dict]:
    """Read 问卷星 exports (one per wave) and map question numbers via the questionnaire."""
    if questionnaire is None or "wjx" not in questionnaire:
        problems.append(Problem(_MANIFEST, None, "survey",
                                "a 问卷星 survey needs a questionnaire with a 'wjx' question map", None))
        return None, {}
    qmap = {int(k): str(v) for k, v in questionnaire["wjx"].items()}
    frames, headers = [], {}
    for wave, rel in (entry.get("files") or {}).items():
        path = folder / str(rel)
        try:
            raw = read_wjx(path)
        except DataError as err:
            problems.extend(err.problems)
            continue
        questions = raw.attrs.get("wjx", {}).get("questions", {})
        rename = {}
        for col in raw.columns:
            if col.startswith("Q") and col[1:].split("_")[0].isdigit():
                num, _, rest = col[1:].partition("_")
                target = qmap.get(int(num))
                if target is not None:
                    rename[col] = target + (f"_{rest}" if rest else "")
                    q = questions.get(f"Q{num}", {})
                    # the header as written in the file (e.g. '3、…'), for messages
                    headers.setdefault(rename[col], (q.get("headers") or [q.get("title", col)])[0])
        df = raw.rename(columns=rename).drop(columns=["source_detail"], errors="ignore")
        df.insert(1, "wave", int(wave))
        df.attrs = {}
        frames.append(RawTable(frame=df.astype(object).where(df.notna(), None),
                               file=path.name, path=path, first_row=2,
                               headers=list(df.columns), encoding=None, problems=(), meta={}))
    out = []
    for raw in frames:
        df, probs, _ = validate_raw(raw, "survey")
        problems.extend(probs)
        if df is not None:
            df["__file"] = raw.file
            out.append(df)
    if not out:
        return None, headers
    return pd.concat(out), headers


def check_survey_items(df: pd.DataFrame, q: dict, headers: Mapping[str, str]) -> list[Problem]:
    out = []
    lo, hi = q["range"]
    for scale in (q.get("scales") or {}).values():
        for item in scale.get("items", []):
            if item not in df:
                out.append(Problem(_MANIFEST, None, item, "questionnaire item missing from the survey", None))
                continue
            v = pd.to_numeric(df[item], errors="coerce")
            bad = (v.notna() & ((v < lo) | (v > hi) | (v != np.floor(v)))) | (v.isna() & df[item].notna())
            for row, f, val in zip(df.index[bad], df["__file"][bad], df[item][bad]):
                out.append(Problem(f, int(row), headers.get(item, item),
                                   f"answer outside the scale range {lo:g}–{hi:g}", val))
            df[item] = v.astype("Float64")
    for cid, choice in (q.get("choices") or {}).items():
        if cid not in df:
            continue
        options = {float(k) for k in (choice.get("options") or {})}
        v = pd.to_numeric(df[cid], errors="coerce")
        bad = v.notna() & ~v.isin(options)
        for row, f, val in zip(df.index[bad], df["__file"][bad], df[cid][bad]):
            out.append(Problem(f, int(row), headers.get(cid, cid), "not one of the question's options", val))
        df[cid] = v.astype("Int64")
    return out
