"""Assemble the ``survey`` table of a dataset from questionnaire exports.

A manifest entry ``survey: {format: wjx, files: {2018: a.xlsx, 2019: b.xlsx}}``
(or ``format: export`` with an optional ``platform:``) names one export per
wave, of any platform :func:`grouplab.data.surveys.platforms.read_export`
knows. Each export is read, its columns renamed to the questionnaire's ids
(:func:`apply_spec`: the spec's ``columns`` / ``wjx`` map), labels of a 按文本
export turned into codes, multi-select options matched by label, the unit and
group of each respondent taken from the spec's ``unit`` / ``group`` entries,
and the result validated as the codebook's ``survey`` table. Every problem is
appended to the caller's list, so :func:`grouplab.data.dataset.load_dataset`
reports them together with those of the other tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from grouplab.data.problems import problem
from grouplab.data.readers.base import RawTable
from grouplab.data.schema import validate_raw
from grouplab.data.surveys.platforms import read_export
from grouplab.data.surveys.platforms.labels import labels_to_codes, likert_codes
from grouplab.data.surveys.privacy import pii_content, pii_header
from grouplab.errors import DataError, Problem
from grouplab.paths import MANIFEST as _MANIFEST  # problems of the survey entry name the manifest

__all__ = ["apply_spec", "option_labels", "survey_from_wjx", "check_survey_items",
           "drop_personal_columns"]

_LINKS = ("unit_id", "group_id")


def option_labels(options: Mapping | None) -> dict[str, int]:
    """``{label: code}`` of a spec's ``options`` (``{1: 男}`` or ``{1: {zh: 男, en: Male}}``)."""
    out: dict[str, int] = {}
    for code, opt in (options or {}).items():
        labels = [opt.get("zh"), opt.get("label")] if isinstance(opt, Mapping) else [opt]
        for label in labels:
            if label is not None:
                out[str(label).strip()] = int(code)
    return out


def _column_map(df: pd.DataFrame, spec: Mapping) -> dict[str, str]:
    """Export column stem (``Q7``, ``Q7.2``, ``S2Q1``) -> spec id."""
    out = {str(k): str(v) for k, v in (spec.get("columns") or {}).items()}
    questions = df.attrs.get("export", {}).get("questions", {})
    for num, target in (spec.get("wjx") or {}).items():
        stem = f"Q{num}"
        if isinstance(target, list):           # a matrix question: one id per row
            for col, item in zip(questions.get(stem, {}).get("columns", []), target, strict=False):
                out.setdefault(col, str(item))
        else:
            out.setdefault(stem, str(target))
    return out


def _rename(df: pd.DataFrame, cmap: Mapping[str, str]) -> dict[str, str]:
    """Export column -> spec column, multi-select ``Q6_3`` following ``Q6``."""
    rename = {}
    for col in df.columns:
        stem, sep, rest = col.partition("_")
        if col in cmap:
            rename[col] = cmap[col]
        elif sep and stem in cmap:
            rename[col] = f"{cmap[stem]}_{rest}"
    return rename


def _multi_by_label(df: pd.DataFrame, cid: str, stem: str, options: Mapping, info: Mapping,
                    file: str) -> tuple[dict[str, str], list[Problem]]:
    """Option columns of a multi-select renamed ``cid_<code>`` by their label."""
    codes = option_labels(options)
    q = info.get(stem, {})
    rename, problems = {}, []
    for label, col in zip(q.get("options", []), q.get("columns", []), strict=False):
        if label in codes:
            rename[col] = f"{cid}_{codes[label]}"
        else:
            problems.append(problem("option_not_in_spec", file, None, (q.get("headers") or [col])[0],
                                    label, label=label, question=cid))
    return rename, problems


def _scale_mapping(df: pd.DataFrame, items: list[str], scale: Mapping,
                   spec: Mapping) -> dict[str, int] | None:
    """Label -> code for a scale's items: the spec's labels, else a standard Likert set."""
    labels = scale.get("labels") or spec.get("labels")
    if labels:
        return option_labels(labels)
    seen = set()
    for item in items:
        if item in df and df[item].dtype == "str":
            seen.update(df[item].dropna().astype(str).str.strip())
    found = likert_codes(seen)
    return None if found is None else found[1]


def _to_codes(df: pd.DataFrame, spec: Mapping, file: str, headers: Mapping) -> list[Problem]:
    """Labels of a text export converted to codes in place (scales, choices, attributes)."""
    problems: list[Problem] = []
    todo: list[tuple[list[str], dict[str, int] | None]] = []
    for scale in (spec.get("scales") or {}).values():
        items = [str(i) for i in scale.get("items", [])]
        todo.append((items, _scale_mapping(df, items, scale, spec)))
    linked = {str((spec.get(k) or {}).get("question")) for k in ("unit", "group")}
    for group in ("choices", "attributes"):
        for cid, choice in (spec.get(group) or {}).items():
            # unit answers stay labels; a fill-in without options (年龄: 44, '44 岁') stays as written
            if not choice.get("multiple") and str(cid) not in linked and choice.get("options"):
                todo.append(([str(cid)], option_labels(choice.get("options"))))
    for items, mapping in todo:
        for item in items:
            if item not in df or df[item].dtype != "str":
                continue
            codes, probs = labels_to_codes(df[item], mapping or {}, file=file,
                                           column=headers.get(item, item))
            df[item] = codes
            problems += probs
    return problems


def _link(df: pd.DataFrame, spec: Mapping, key: str, file: str, headers: Mapping) -> list[Problem]:
    """``unit_id`` / ``group_id`` from the spec's ``unit`` / ``group`` entry, in place."""
    entry = spec.get("unit" if key == "unit_id" else "group")
    if not entry:
        return []
    if "fixed" in entry:
        df[key] = str(entry["fixed"])
        return []
    source = str(entry.get("question", ""))
    if source not in df:
        return [problem("map_question_missing", file, None, source, source,
                        key=key, entry="unit" if key == "unit_id" else "group")]
    mapping = {str(k).strip(): str(v) for k, v in (entry.get("map") or {}).items()}
    question = next((g[source] for g in (spec.get("attributes") or {}, spec.get("choices") or {})
                     if source in g), {})
    code_label = {c: label for label, c in option_labels(question.get("options")).items()}
    values, problems = [], []
    bad: dict[str, int] = {}
    for v in df[source]:
        if not pd.isna(v) and not isinstance(v, str) and int(v) in code_label:
            v = code_label[int(v)]  # a 按序号 export gives the option code: its label is mapped
        text = None if pd.isna(v) else str(v).strip()
        if text is not None and text not in mapping:
            bad[text] = bad.get(text, 0) + 1
        values.append(mapping.get(text) if text is not None else None)
    for label, n in bad.items():
        problems.append(problem("answer_not_in_map", file, None, headers.get(source, source), label,
                                key=key, n=n, label=label))
    df[key] = pd.Series(values, index=df.index, dtype="str")
    return problems


def apply_spec(df: pd.DataFrame, spec: Mapping, *, file: str) -> tuple[pd.DataFrame, dict, list]:
    """An export (from :func:`read_export`) in the questionnaire's terms.

    Parameters
    ----------
    df : DataFrame
        As returned by ``read_export``; not modified.
    spec : mapping
        Questionnaire spec: ``columns`` (export column -> id) and/or ``wjx``
        (question number -> id, or a list of ids for a matrix), ``scales``
        (with optional ``labels``), ``choices``/``attributes`` (``options``,
        ``multiple``), ``unit`` / ``group`` (``fixed`` or ``question`` + ``map``).
    file : str
        Name of the export, for messages.

    Returns
    -------
    (frame, headers, problems)
        ``frame``: metadata columns, ``unit_id``/``group_id`` when the spec
        gives them (the question they come from is not kept: its answer is
        now the id), and one column per spec id (codes as Int64 where the spec
        knows the options; multi-select options as ``<id>_<code>``);
        ``headers``: spec id -> header as written; ``problems``: unmapped
        labels (one per label with its count), unknown multi-select options,
        unit answers missing from the map.
    """
    info = df.attrs.get("export", {}).get("questions", {})
    cmap = _column_map(df, spec)
    rename = _rename(df, cmap)
    problems: list[Problem] = []
    for group in ("choices", "attributes"):
        for cid, choice in (spec.get(group) or {}).items():
            stem = next((k for k, v in cmap.items() if v == str(cid)), None)
            if choice.get("multiple") and stem is not None and choice.get("options"):
                extra, probs = _multi_by_label(df, str(cid), stem, choice["options"], info, file)
                rename.update(extra)
                problems += probs
    out = pd.DataFrame(df, copy=False)  # without the export's attrs: pandas deep-copies them
    out.columns = [rename.get(c, c) for c in df.columns]  # on every later operation
    headers = {}
    for old, new in rename.items():
        stem = old.split("_")[0].split(".")[0]
        q = info.get(stem, {})
        cols = q.get("columns", [])
        hdrs = q.get("headers", [])
        headers[new] = hdrs[cols.index(old)] if old in cols and len(hdrs) == len(cols) else \
            (hdrs[0] if hdrs else old)
    problems += _to_codes(out, spec, file, headers)
    for key in _LINKS:
        problems += _link(out, spec, key, file, headers)
    linked = [str((spec.get(k) or {}).get("question")) for k in ("unit", "group")]
    out = out.drop(columns=[c for c in linked if c in out and c not in _LINKS])  # now in unit_id
    if "group_id" not in out and "unit_id" in out:
        out["group_id"] = pd.Series([None] * len(out), index=out.index, dtype="str")
    return out, headers, problems


def survey_from_wjx(folder: Path, entry: Mapping, questionnaire: dict | None,
                    problems: list[Problem], *,
                    exports: list | None = None) -> tuple[pd.DataFrame | None, dict]:
    """Read one export per wave and map it through the questionnaire (see the module doc).

    ``exports``, if given, receives each export's ``attrs['export']`` with its ``file``
    (what privacy removed, for ``Dataset.privacy``).
    """
    if questionnaire is None or not any(k in questionnaire for k in ("wjx", "columns")):
        problems.append(problem("export_needs_spec", _MANIFEST, None, "survey"))
        return None, {}
    frames, headers = [], {}
    for wave, rel in (entry.get("files") or {}).items():
        path = folder / str(rel)
        try:
            raw = read_export(path, platform=str(entry.get("platform", "auto")))
        except DataError as err:
            problems.extend(err.problems)
            continue
        if exports is not None:
            exports.append({**raw.attrs.get("export", {}), "file": path.name})
        df, hdr, probs = apply_spec(raw, questionnaire, file=path.name)
        problems.extend(probs)
        for k, v in hdr.items():
            headers.setdefault(k, v)
        df = df.drop(columns=["source_detail", "started", "total_score"], errors="ignore")
        df.insert(1, "wave", int(wave))
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


def drop_personal_columns(df: pd.DataFrame) -> list[dict]:
    """Drop, in place, columns holding personal data (by header or content); what was dropped.

    For survey tables read from a plain CSV/xlsx/.sav (a platform export is
    screened by :func:`read_export` already).

    Returns
    -------
    list of dict
        ``column`` (as in the frame) and ``reason`` per dropped column.
    """
    removed = []
    for col in list(df.columns):
        if col in ("respondent_id", "__file"):
            continue
        kind = pii_header(str(col)) or (pii_content(df[col].tolist()) and
                                        f"{pii_content(df[col].tolist())} (by content)")
        if kind:
            removed.append({"column": str(col), "reason": kind})
            del df[col]
    return removed


def check_survey_items(df: pd.DataFrame, q: dict, headers: Mapping[str, str]) -> list[Problem]:
    """Scale answers within the spec's range and choice codes among its options, in place."""
    out = []
    lo, hi = q["range"]
    for scale in (q.get("scales") or {}).values():
        for item in scale.get("items", []):
            if item not in df:
                out.append(problem("item_not_in_survey", _MANIFEST, None, item))
                continue
            v = pd.to_numeric(df[item], errors="coerce")
            bad = (v.notna() & ((v < lo) | (v > hi) | (v != np.floor(v)))) | (v.isna() & df[item].notna())
            for row, f, val in zip(df.index[bad], df["__file"][bad], df[item][bad]):
                out.append(problem("outside_scale", f, int(row), headers.get(item, item), val,
                                   lo=lo, hi=hi))
            df[item] = v.astype("Float64")
    linked = {str((q.get(k) or {}).get("question")) for k in ("unit", "group")}
    for group in ("choices", "attributes"):
        for cid, choice in (q.get(group) or {}).items():
            if cid not in df or choice.get("multiple") or not choice.get("options") or cid in linked:
                continue
            options = {float(k) for k in (choice.get("options") or {})}
            v = pd.to_numeric(df[cid], errors="coerce")
            bad = (v.notna() & ~v.isin(options)) | (v.isna() & df[cid].notna())
            for row, f, val in zip(df.index[bad], df["__file"][bad], df[cid][bad]):
                out.append(problem("not_an_option", f, int(row), headers.get(cid, cid), val))
            df[cid] = v.astype("Int64")
    return out
