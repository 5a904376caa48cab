"""Draft a questionnaire spec from exports: :func:`draft_spec` and :func:`write_spec`.

A user with a questionnaire of their own should not have to write the YAML
spec by hand. ``draft_spec(export…)`` reads the exports (any platform
:func:`~grouplab.data.surveys.platforms.read_export` knows; a 按序号 and a
按文本 export of the same survey together give codes *and* labels) and
proposes:

- every question with its zh text, type and options (code -> label);
- each matrix question with rating answers, each group of SPSS matrix rows
  (``Q6_Row1``, ``Q6_Row2`` …) and each run of four or more consecutive
  single-choice rating items (e.g. a scale whose headers were edited, or an
  82-item questionnaire of one-question items) as a scale with its items;
  items whose item–rest correlation is clearly negative (below −0.1) are put
  in ``reverse`` and flagged in a comment with the correlation. Rating answers are integer
  codes 0–11 or a standard Likert label set; a run skips attention checks
  (``此题请选择“非常不符合”``, listed under ``checks``), stops at items worded
  as a question (``…是什么？``) and is dropped when its items do not hang
  together (mean item–rest r below 0.1: nominal questions, not a scale);
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

from grouplab.data.surveys.platforms import read_export
from grouplab.data.surveys.platforms.labels import labels_from_twin, likert_codes
from grouplab.errors import ParameterError

__all__ = ["draft_spec", "write_spec", "ATTRIBUTES", "item_rest_correlations"]

#: attribute kind -> pattern on the question text
ATTRIBUTES = {
    "gender": re.compile(r"性别"),
    "age": re.compile(r"年龄|出生年"),
    "party_age": re.compile(r"党龄|入党(时间|年)"),
    "education": re.compile(r"学历|文化程度"),
    "post": re.compile(r"岗位|职务|职位|工种|职称"),
    "group": re.compile(r"党小组|班组"),
    "unit": re.compile(r"单位|公司|分公司|支部|部门|厂|车间|工区|作业区|管理区|院系|学院"),
}
#: a question about another person ("您孩子的性别") describes them, not the respondent
_OTHER_PERSON = re.compile(r"孩子|子女|小孩|父亲|母亲|父母|配偶|爱人|丈夫|妻子")
_MIN_RUN = 4
_SCALE_TYPES = ("single",)
_MAX_CODE = 11            # rating codes are integers 0..11 (0-10 sliders, 7-point scales …)
_MIN_MEAN_R = 0.1         # a run whose items hardly correlate is a block of nominal questions
#: an attention check ("此题请选择“非常不符合”")
CHECK = re.compile(r"此题请?(?:务必)?选|本题请?(?:务必)?选|请(?:务必)?(?:选择|选)[“\"「『]")
#: a title worded as a question, not a statement to rate ("您认为…的关键是什么？"): it ends with a
#: question mark and is not a first-person statement ("我时常问自己，为什么…？" is rated);
#: statements containing 什么 ("我关注孩子在交往什么样的朋友。") are rated too
_ASKING = re.compile(r"^(?!\s*(?:\d+\s*[、.．]\s*)?我).*[？?]\s*[)）]?\s*$", re.DOTALL)
_REVERSE_R = -0.1         # an item-rest r below this flags an item as probably reverse-keyed
_ROW = re.compile(r"^(.+)_Row\d+$")


def _attribute(title: str | None) -> str | None:
    if title and _OTHER_PERSON.search(title):
        return None
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
    spss = df.attrs.get("export", {}).get("value_labels", {}).get(col)
    if spss:  # an SPSS file's value labels
        return {int(c): str(label) for c, label in sorted(spss.items())}, None
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
    entry: dict = {"zh": q.get("title") or f"第{q.get('number', qid)}题", "type": q["type"],
                   "columns": q["columns"]}
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


def _rating(df: pd.DataFrame, cols: list[str]) -> tuple | None:
    """Answer range of rating items: ``(min, max)`` of integer codes 0–11, or a Likert set name."""
    values = pd.concat([df[c].dropna() for c in cols]) if cols else pd.Series([], dtype=float)
    if values.empty:
        return None
    if all(df[c].dtype == "str" for c in cols):
        found = likert_codes(set(values.astype(str)))
        return None if found is None else (found[0],)
    codes = pd.to_numeric(values, errors="coerce")
    if codes.isna().any() or (codes != codes.round()).any() or codes.min() < 0 or \
            codes.max() > _MAX_CODE or codes.nunique() < 3:
        return None
    return (int(codes.min()), int(codes.max()))


def _run_item(df: pd.DataFrame, q: dict) -> tuple | None:
    """The rating range of a one-column item that may join a run, else None."""
    title = q.get("title") or ""
    if q["type"] not in _SCALE_TYPES or _attribute(title) or _ASKING.search(title):
        return None
    rng = _rating(df, q["columns"][:1])
    return None if rng is None or df[q["columns"][0]].nunique() < 4 else rng


def _joins(run: tuple | None, rng: tuple) -> tuple | None:
    """The run's range after adding an item of range ``rng``, or None if it does not fit.

    Codes an item never received do not split a run: 2–5 joins 1–5, and 1–5
    joins a run of 2–5 items (the run becomes 1–5); a Likert set must be equal.
    """
    if run is None or len(run) != len(rng):
        return None
    if len(rng) == 1:
        return run if run == rng else None
    lo, hi = min(run[0], rng[0]), max(run[1], rng[1])
    return (lo, hi) if hi - lo <= min(run[1] - run[0], rng[1] - rng[0]) + 1 else None


def _runs(df: pd.DataFrame, questions: dict, taken: set[str]) -> list[list[str]]:
    """Runs of consecutive rating items (same section), >= 4 long; attention checks skipped."""
    runs: list[list[str]] = []
    current: list[str] = []
    key = None
    for qid, q in questions.items():
        if CHECK.search(q.get("title") or ""):
            continue
        rng = None if qid in taken else _run_item(df, q)
        joined = None if rng is None or key is None or key[0] != q["section"] else _joins(key[1], rng)
        if joined is not None:
            current.append(qid)
            key = (q["section"], joined)
            continue
        runs.append(current)
        current, key = ([qid], (q["section"], rng)) if rng is not None else ([], None)
    runs.append(current)
    return [r for r in runs if len(r) >= _MIN_RUN]


def _row_groups(questions: dict) -> dict[str, list[str]]:
    """SPSS matrix rows of a plain table (``Q6_Row1``, ``Q6_Row2`` …), by stem, >= 2 rows."""
    groups: dict[str, list[str]] = {}
    for qid, q in questions.items():
        if q["type"] in _SCALE_TYPES and (m := _ROW.match(qid)):
            groups.setdefault(m[1], []).append(qid)
    return {stem: cols for stem, cols in groups.items() if len(cols) >= 2}


def _scale(df: pd.DataFrame, name: str, zh: str, items: list[str], twin: dict) -> dict:
    opts, _ = _options(df, items[0], twin)
    X = pd.DataFrame({i: _codes(df, i, opts) for i in items})
    r = item_rest_correlations(X)
    reverse = [i for i in items if r[i] < _REVERSE_R]
    return {"zh": zh, "en": name, "items": items, "reverse": reverse,
            "item_rest_r": {i: round(r[i], 3) for i in items if not np.isnan(r[i])},
            "_codes": X, "_mean_r": float(np.nanmean(list(r.values()))) if r else float("nan")}


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
        As for :func:`~grouplab.data.surveys.platforms.read_export`.

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
    flagged when an item correlates negatively (r < -0.1) with the sum of the other
    items of its scale (complete answers only); attributes are recognised by
    words in the question text (:data:`ATTRIBUTES`).
    """
    if not paths:
        raise ParameterError("draft_spec needs at least one export file")
    df, twin = _read(paths, platform)
    info = df.attrs["export"]
    qinfo = _titled(info)
    questions = {qid: _question_entry(df, qid, q, twin) for qid, q in qinfo.items()}
    spec: dict = {"id": re.sub(r"\W+", "_", Path(paths[0]).stem)[:40], "zh": Path(paths[0]).stem,
                  "en": Path(paths[0]).stem, "platform": info["platform"], "questions": questions}
    scales = _scales(df, qinfo, twin)
    codes = [s.pop("_codes") for s in scales.values()]
    in_scale = {i for s in scales.values() for i in s["items"]}
    spec["range"] = _range(codes)
    spec.update(_classify(df, qinfo, questions, in_scale))
    checks = {qid: q.get("title") or "" for qid, q in qinfo.items() if CHECK.search(q.get("title") or "")}
    if checks:
        spec["checks"] = checks
    spec["scales"] = scales
    spec["items"] = {i: {"zh": _item_text(qinfo, i)} for s in scales.values() for i in s["items"]}
    spec["unit"] = _unit_entry(spec["attributes"], str(paths[0]))
    if group := _link_entry(spec["attributes"], "group", "G"):
        spec["group"] = group
    columns = [c for q in info["questions"].values() for c in q["columns"]
               if not c.endswith("_other_text")]
    spec["columns"] = {c: c for c in columns if "_" not in c or c.split("_")[0] not in
                       {qid for qid, q in info["questions"].items() if q["type"] in ("multi", "sort")}}
    return spec


def _titled(info: dict) -> dict:
    """Questions of an export, titled by an SPSS file's variable labels where the title is a name."""
    labels = info.get("variable_labels") or {}
    out = {}
    for qid, q in info["questions"].items():
        label = labels.get(q["columns"][0]) if len(q["columns"]) == 1 else None
        out[qid] = {**q, "title": str(label).strip()} if label and q.get("title") in (None, "", qid) \
            else q
    return out


def _scales(df: pd.DataFrame, questions: dict, twin: dict) -> dict:
    """Proposed scales: rating matrices, SPSS matrix rows, runs of rating items that hang together."""
    scales: dict = {}
    for qid, q in questions.items():
        if q["type"] == "matrix" and _rating(df, q["columns"]) is not None:
            scales[qid] = _scale(df, qid, q.get("title") or qid, q["columns"], twin)
    for stem, cols in _row_groups(questions).items():
        if _rating(df, cols) is not None:
            zh = re.sub(r"\s*[(（].*$", "", questions[cols[0]].get("title") or stem, flags=re.DOTALL)
            scales[stem] = _scale(df, stem, zh or stem, cols, twin)
    taken = {c for s in scales.values() for c in s["items"]}
    for run in _runs(df, questions, taken):
        k = sum(name.startswith("block") for name in scales) + 1
        block = _scale(df, f"block{k}", f"{run[0]}–{run[-1]}", run, twin)
        if block["_mean_r"] >= _MIN_MEAN_R:
            scales[f"block{k}"] = block
    for block in scales.values():
        block.pop("_mean_r")
    return scales


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


def _numeric_answer(df: pd.DataFrame, q: dict) -> bool:
    """A 'single' column that holds numbers, not option codes (a year, seconds, a count)."""
    col = q["columns"][0]
    if q["type"] != "single" or df[col].dtype == "str" or df.attrs.get("export", {}).get(
            "value_labels", {}).get(col):
        return False
    values = pd.to_numeric(df[col], errors="coerce").dropna()
    return bool(len(values)) and (values.nunique() > _MAX_CODE + 1 or values.max() > 100)


def _classify(df: pd.DataFrame, info: dict, questions: dict, in_scale: set[str]) -> dict:
    """Attributes, choices and open (or numeric) questions outside the scales; checks left out."""
    attributes, choices, texts = {}, {}, []
    for qid, q in info.items():
        kind = _attribute(q.get("title"))
        entry = questions[qid]
        if CHECK.search(q.get("title") or "") and q["type"] == "single":
            continue
        if q["type"] in ("text", "fill", "number") or _numeric_answer(df, q):
            if kind:
                attributes[qid] = {"kind": kind, "zh": entry["zh"],
                                   "type": "number" if q["type"] == "single" else q["type"]}
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
              "reverse: items with an item-rest correlation below -0.1 (item_rest_r) - "
              "probably reverse-keyed; check the wording and edit",
    "choices": "single- and multi-select questions reported as shares",
    "attributes": "respondent attributes recognised from the question text (kind)",
    "texts": "open questions and numeric answers (not reported)",
    "checks": "attention checks ('此题请选择…'): not in any scale; use them to screen answer sheets",
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
