"""Draft a questionnaire spec from exports: :func:`draft_spec` and :func:`write_spec`.

A user with a questionnaire of their own should not have to write the YAML
spec by hand. ``draft_spec(export…)`` reads the exports (any platform
:func:`~grouplab.data.readers.platforms.read_export` knows; a 按序号 and a
按文本 export of the same survey together give codes *and* labels) and
proposes:

- every question with its zh text, type and options (code -> label);
- each matrix question — and each run of four or more consecutive
  single-choice items sharing one answer range (e.g. a scale whose headers
  were edited, or an 82-item questionnaire of one-question items) — as a
  scale with its items; items whose item–rest correlation is negative are
  put in ``reverse`` and flagged in a comment with the correlation;
- respondent attributes (gender, age, 党龄, education, post, unit, group)
  recognised from the question text;
- ``unit``: the unit question with an identity label map to edit, or a
  fixed unit for the whole file.

:func:`write_spec` writes it as commented YAML that
:func:`grouplab.data.specs.load_questionnaire` reads back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from grouplab.data.readers.platforms import read_export
from grouplab.data.readers.platforms.labels import labels_from_twin, likert_codes
from grouplab.errors import ParameterError

__all__ = ["draft_spec", "write_spec", "ATTRIBUTES"]

#: attribute kind -> pattern on the question text
ATTRIBUTES = {
    "gender": re.compile(r"性别"),
    "age": re.compile(r"年龄|出生年"),
    "party_age": re.compile(r"党龄|入党(时间|年)"),
    "education": re.compile(r"学历|文化程度"),
    "post": re.compile(r"岗位|职务|职位|工种|职称"),
    "group": re.compile(r"党小组|班组"),
    "unit": re.compile(r"单位|公司|分公司|支部|部门|厂|车间|院系|学院"),
}
_MIN_RUN = 4
_SCALE_TYPES = ("single",)


def _attribute(title: str | None) -> str | None:
    for kind, rx in ATTRIBUTES.items():
        if title and rx.search(title):
            return kind
    return None


def _read(paths: Sequence[str | Path], platform: str) -> tuple[pd.DataFrame, dict]:
    """The first numeric export (else the first), and label maps from a text twin."""
    frames = [read_export(p, platform=platform) for p in paths]
    numeric = [f for f in frames if f.attrs["export"]["form"] == "numeric"]
    text = [f for f in frames if f.attrs["export"]["form"] == "text"]
    base = numeric[0] if numeric else frames[0]
    twin = labels_from_twin(numeric[0], text[0]) if numeric and text else {}
    return base, twin


def _options(df: pd.DataFrame, col: str, twin: dict) -> tuple[dict[int, str], str | None]:
    """Code -> label of one single-choice column, and the Likert set used (if any)."""
    if col in twin:
        return {c: label for label, c in sorted(twin[col].items(), key=lambda t: t[1])}, None
    values = df[col].dropna()
    if df[col].dtype == "str":
        found = likert_codes(set(values))
        if found is not None:
            name, codes = found
            first = {}
            for label, c in codes.items():
                first.setdefault(c, label)
            return dict(sorted(first.items())), name
        return {k: label for k, label in enumerate(sorted(set(values)), start=1)}, None
    return {int(c): f"选项{int(c)}" for c in sorted(set(values.astype(int)))}, None


def _codes(df: pd.DataFrame, col: str, options: dict[int, str]) -> pd.Series:
    if df[col].dtype != "str":
        values = pd.to_numeric(df[col], errors="coerce")
        return pd.Series(values.to_numpy(dtype=float, na_value=np.nan), index=df.index)
    back = {label: c for c, label in options.items()}
    found = likert_codes(set(df[col].dropna()))
    if found is not None:
        back = found[1]
    return df[col].map(lambda v: back.get(v) if isinstance(v, str) else np.nan).astype(float)


def item_rest_correlations(X: pd.DataFrame) -> dict[str, float]:
    """Pearson correlation of each item with the sum of the other items (complete rows).

    Examples
    --------
    >>> X = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 4, 4], "c": [5, 4, 3, 2, 1]})
    >>> round(item_rest_correlations(X)["c"], 3)   # a reversed item: negative
    -0.992
    """
    complete = X.dropna()
    out = {}
    for col in complete.columns:
        rest = complete.drop(columns=col).sum(axis=1)
        ok = complete[col].std() > 0 and rest.std() > 0
        out[col] = float(np.corrcoef(complete[col], rest)[0, 1]) if ok else float("nan")
    return out


def _question_entry(df: pd.DataFrame, qid: str, q: dict, twin: dict) -> dict:
    entry: dict = {"zh": q.get("title") or "", "type": q["type"], "columns": q["columns"]}
    if q["type"] in ("single", "matrix"):
        col = q["columns"][0]
        entry["options"], likert = _options(df, col, twin)
        if likert:
            entry["likert_set"] = likert
    if q["type"] in ("multi", "sort"):
        entry["options"] = {k: label for k, label in enumerate(q["options"], start=1)}
    if q.get("rows"):
        entry["rows"] = dict(zip(q["columns"], q["rows"], strict=False))
    return entry


def _answer_range(df: pd.DataFrame, q: dict) -> tuple | None:
    """(min, max) of a Likert-like one-column item (>= 4 distinct codes or labels), else None."""
    col = q["columns"][0]
    values = df[col].dropna()
    if len(set(values)) < 4 or _attribute(q.get("title")):
        return None
    if df[col].dtype == "str":
        found = likert_codes(set(values))
        return None if found is None else (found[0],)
    return (int(values.min()), int(values.max()))


def _runs(df: pd.DataFrame, questions: dict) -> list[list[str]]:
    """Runs of consecutive single-choice items (same section, same answer range), >= 4 long."""
    runs: list[list[str]] = []
    current: list[str] = []
    key = None
    for qid, q in questions.items():
        rng = _answer_range(df, q) if q["type"] in _SCALE_TYPES else None
        this = None if rng is None else (q["section"], rng)
        if this is not None and this == key:
            current.append(qid)
            continue
        runs.append(current)
        current, key = ([qid], this) if this is not None else ([], None)
    runs.append(current)
    return [r for r in runs if len(r) >= _MIN_RUN]


def _scale(df: pd.DataFrame, name: str, zh: str, items: list[str], twin: dict) -> dict:
    opts, _ = _options(df, items[0], twin)
    X = pd.DataFrame({i: _codes(df, i, opts) for i in items})
    r = item_rest_correlations(X)
    reverse = [i for i in items if r[i] < 0]
    return {"zh": zh, "en": name, "items": items, "reverse": reverse,
            "item_rest_r": {i: round(r[i], 3) for i in items if not np.isnan(r[i])},
            "_codes": X}


def _link_entry(attributes: dict, kind: str, prefix: str) -> dict | None:
    """``question`` + identity-like ``map`` for the first single-choice attribute of ``kind``."""
    for aid, a in attributes.items():
        if a["kind"] == kind and a["type"] == "single":
            labels = list(a.get("options", {}).values())
            return {"question": aid, "map": {lab: f"{prefix}{k:02d}" for k, lab in
                                              enumerate(labels, start=1)}}
    return None


def _unit_entry(attributes: dict, file: str) -> dict:
    """The unit question, else one fixed unit named after the file."""
    return _link_entry(attributes, "unit", "U") or {
        "fixed": re.sub(r"\W+", "_", Path(file).stem)[:40] or "unit1"}


def draft_spec(*paths: str | Path, platform: str = "auto") -> dict:
    """Propose a questionnaire spec from one or more exports of the same questionnaire.

    Parameters
    ----------
    *paths : str or Path
        Exports (a 按序号 and a 按文本 export together give codes and labels).
    platform : str, default "auto"
        As for :func:`~grouplab.data.readers.platforms.read_export`.

    Returns
    -------
    dict
        A spec :func:`grouplab.data.specs.load_questionnaire` accepts: ``id``,
        ``zh``, ``en``, ``platform``, ``range``, ``columns`` (export column ->
        id, identity), ``questions`` (every question: ``zh``, ``type``,
        ``columns``, ``options`` code -> label, ``rows``), ``scales`` (``zh``,
        ``items``, ``reverse``, ``item_rest_r``), ``choices`` (single and
        multi-select questions not in a scale or attribute), ``attributes``
        (``kind``, ``zh``, ``options``), ``texts`` (open questions) and
        ``unit`` (``question`` + ``map`` or ``fixed``) and, when a group
        question is recognised, ``group`` (``question`` + ``map``).

    Raises
    ------
    ParameterError
        No path given.
    DataError
        An export cannot be read.

    Notes
    -----
    Proposals are heuristics to be checked by the user: reverse keying is
    flagged when an item correlates negatively with the sum of the other
    items of its scale (complete answers only); attributes are recognised by
    words in the question text (:data:`ATTRIBUTES`).
    """
    if not paths:
        raise ParameterError("draft_spec needs at least one export file")
    df, twin = _read(paths, platform)
    info = df.attrs["export"]
    questions = {qid: _question_entry(df, qid, q, twin) for qid, q in info["questions"].items()}
    spec: dict = {"id": re.sub(r"\W+", "_", Path(paths[0]).stem)[:40], "zh": Path(paths[0]).stem,
                  "en": Path(paths[0]).stem, "platform": info["platform"], "questions": questions}
    scales: dict = {}
    in_scale: set[str] = set()
    for qid, q in info["questions"].items():
        if q["type"] == "matrix":
            scales[qid] = _scale(df, qid, q.get("title") or qid, q["columns"], twin)
    for k, run in enumerate(_runs(df, info["questions"]), start=1):
        scales[f"block{k}"] = _scale(df, f"block{k}", f"{run[0]}–{run[-1]}", run, twin)
    codes = [s.pop("_codes") for s in scales.values()]
    for s in scales.values():
        in_scale.update(s["items"])
    spec["range"] = _range(codes)
    spec.update(_classify(info["questions"], questions, in_scale))
    spec["scales"] = scales
    spec["items"] = {i: {"zh": _item_text(info["questions"], i)} for s in scales.values()
                     for i in s["items"]}
    spec["unit"] = _unit_entry(spec["attributes"], str(paths[0]))
    if group := _link_entry(spec["attributes"], "group", "G"):
        spec["group"] = group
    columns = [c for q in info["questions"].values() for c in q["columns"]
               if not c.endswith("_other_text")]
    spec["columns"] = {c: c for c in columns if "_" not in c or c.split("_")[0] not in
                       {qid for qid, q in info["questions"].items() if q["type"] in ("multi", "sort")}}
    return spec


def _item_text(questions: dict, column: str) -> str:
    """A scale item's zh text: its matrix row, else its question's text."""
    for q in questions.values():
        if column in q["columns"]:
            k = q["columns"].index(column)
            return q["rows"][k] if q.get("rows") and k < len(q["rows"]) else (q.get("title") or "")
    return ""


def _range(codes: list[pd.DataFrame]) -> list[int]:
    values = [v for X in codes for v in X.stack().tolist()]
    if not values:
        return [1, 5]
    lo, hi = int(min(values)), int(max(values))
    return [lo, hi] if lo < hi else [lo, lo + 1]


def _classify(info: dict, questions: dict, in_scale: set[str]) -> dict:
    """Attributes, choices and open questions outside the scales."""
    attributes, choices, texts = {}, {}, []
    for qid, q in info.items():
        kind = _attribute(q.get("title"))
        entry = questions[qid]
        if q["type"] in ("text", "fill", "number"):
            if kind:
                attributes[qid] = {"kind": kind, "zh": entry["zh"], "type": q["type"]}
            else:
                texts.append(qid)
        elif kind and q["type"] == "single":
            attributes[qid] = {"kind": kind, "zh": entry["zh"], "type": "single",
                               "options": entry.get("options", {})}
        elif qid not in in_scale and q["type"] in ("single", "multi"):
            choices[qid] = {"zh": entry["zh"], "options": entry.get("options", {}),
                            "multiple": q["type"] == "multi"}
    return {"attributes": attributes, "choices": choices, "texts": texts}


_SECTION_NOTES = {
    "questions": "every question of the export: zh text, type, columns, options (code: label)",
    "range": "answer range of the scale items (codes)",
    "scales": "proposed scales: each matrix question and each run of >= 4 like items. "
              "reverse: items with a negative item-rest correlation (item_rest_r) - "
              "probably reverse-keyed; check the wording and edit",
    "choices": "single- and multi-select questions reported as shares",
    "attributes": "respondent attributes recognised from the question text (kind)",
    "texts": "open questions (not reported)",
    "group": "where each respondent's Party group comes from: 'question' + 'map' (answer -> group_id)",
    "unit": "where each respondent's unit comes from: 'question' + 'map' (answer -> unit_id) "
            "or 'fixed: <unit_id>' for the whole file",
    "columns": "export column -> id used in the survey table (rename the ids freely)",
    "items": "text of each scale item (matrix row or question)",
}


def write_spec(spec: dict, path: str | Path) -> Path:
    """Write a drafted spec as YAML with a comment before each section.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(path)
    lines = ["# Questionnaire spec drafted by `grouplab draft-spec` - check and edit before use.",
             "# Heuristic proposals (scales, reverse keying, attributes, unit) are marked below."]
    for key, value in spec.items():
        if key in _SECTION_NOTES:
            lines += ["", f"# {_SECTION_NOTES[key]}"]
        text = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=100)
        if key == "scales":
            text = _flag_reverse(text, value)
        lines.append(text.rstrip("\n"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _flag_reverse(text: str, scales: dict) -> str:
    """A comment after each scale's reverse list naming the correlations."""
    out = []
    names = iter(scales)
    for line in text.splitlines():
        out.append(line)
        if line.strip().startswith("reverse:"):
            name = next(names)
            r = scales[name]["item_rest_r"]
            flagged = [f"{i} (r = {r[i]:.2f})" for i in scales[name]["reverse"] if i in r]
            if flagged:
                out.append(f"    # probably reverse-keyed: {', '.join(flagged)}")
    return "\n".join(out)
