"""Survey platform exports among the files of a folder: platform, form, wave, and 按序号/按文本 twins."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from grouplab.data.readers.base import header_text
from grouplab.data.recognise.phrases import Finding
from grouplab.errors import DataError, GroupLabError

__all__ = ["survey_headers", "survey_finding", "pair_twins", "first_problem"]

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def first_problem(err: GroupLabError) -> str:
    """The first problem of an error, on one line (at most 160 characters)."""
    probs = getattr(err, "problems", None)
    text = str(probs[0]) if probs else str(err)
    return text.splitlines()[0][:160]



def survey_headers(path: Path, rel: str, sheet: str | None, first: list[Any]) -> Finding | None:
    from grouplab.data.surveys.platforms import detect_platform

    headers = [header_text(v) for v in first]
    try:
        profile = detect_platform(headers, file=rel)
    except DataError as err:
        return Finding(rel, sheet, None, why={"code": "survey_broken", "error": first_problem(err)})
    if profile.name == "plain":
        return None
    return survey_finding(path, rel, sheet, profile.name)


def survey_finding(path: Path, rel: str, sheet: str | None, platform: str | None) -> Finding:
    from grouplab.data.surveys.platforms import read_export

    try:
        df = read_export(path, platform=platform or "auto")
    except GroupLabError as err:
        return Finding(rel, sheet, None, why={"code": "survey_broken", "error": first_problem(err)})
    info = df.attrs["export"]
    wave, wave_from = _wave(rel, df)
    if wave is None:
        return Finding(rel, sheet, None, why={"code": "no_wave"})
    from grouplab.data.surveys.platforms.profile import PLAIN, PROFILES

    zh = {p.name: p.zh for p in (*PROFILES, PLAIN)}
    ids = frozenset(df["respondent_id"].astype(str)) if "respondent_id" in df else len(df)
    return Finding(rel, sheet, "survey", "export", options={"wave": wave, "form": info.get("form"),
                                                             "platform": info["platform"], "_ids": ids},
                   why={"code": "survey", "platform": zh.get(info["platform"], info["platform"]),
                        "form": info.get("form"), "n": len(info.get("questions") or {}), "wave": wave,
                        "wave_from": wave_from})


def _wave(rel: str, df) -> tuple[int | None, str]:
    years = _YEAR.findall(Path(rel).stem)
    if len(set(years)) == 1:
        return int(years[0]), "file"
    if "submitted" in df and df["submitted"].notna().any():
        counts = Counter(df["submitted"].dropna().dt.year)
        return int(counts.most_common(1)[0][0]), "submitted"
    return None, ""


def pair_twins(exports: list[Finding]) -> None:
    """Of two exports of one wave (按序号 and 按文本), the table reads the codes; the labels feed the spec."""
    by_wave: dict[int, list[Finding]] = {}
    for f in exports:
        by_wave.setdefault(f.options["wave"], []).append(f)
    for same in by_wave.values():
        same.sort(key=lambda f: (f.options.get("form") != "numeric", f.file))
        first = same[0]
        for other in same[1:]:
            other.table = None
            same_answers = other.options["_ids"] == first.options["_ids"]
            if other.options["form"] != first.options["form"] and same_answers:
                other.options["twin_of"] = first.file  # the same answers in the other form
                other.why = {"code": "twin", "form": other.options["form"], "other": first.file}
            else:
                other.why = {"code": "second_export", "wave": other.options["wave"], "other": first.file}
    for f in exports:
        f.options.pop("_ids", None)
