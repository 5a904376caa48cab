"""Read any supported questionnaire export: :func:`read_export`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from grouplab.data.problems import problem
from grouplab.data.readers.base import RawTable, object_cells, read_raw
from grouplab.data.surveys.platforms.answers import Cells, as_number, is_empty, read_question
from grouplab.data.surveys.platforms.headers import Header, Question, group_questions, parse_header
from grouplab.data.surveys.platforms.metadata import metadata_columns, respondent_ids
from grouplab.data.surveys.platforms.profile import META_COLUMNS, PLAIN, PROFILES, WJX, Profile
from grouplab.data.surveys.privacy import mask_text, pii_content, pii_header, removal
from grouplab.errors import DataError, ParameterError, Problem

__all__ = ["read_export", "detect_platform"]

_FORMS = {"auto", "numeric", "text"}
_ZH_FORM = {"numeric": "按序号", "text": "按文本"}


def detect_platform(headers: list[str], *, file: str = "<export>",
                    platform: str = "auto") -> Profile:
    """The profile whose metadata columns an export has.

    Parameters
    ----------
    headers : list of str
        Header row as written.
    platform : str, default "auto"
        ``"auto"`` or a profile name (``wjx``, ``tencent``, ``jinshuju``,
        ``wenjuanwang``, ``plain``) to insist on.

    Returns
    -------
    Profile

    Raises
    ------
    ParameterError
        Unknown ``platform`` name.
    DataError
        Metadata columns of a platform are present but its answer-sheet number
        is not: the problem names the closest profile and what it lacks.
    """
    names = {p.name: p for p in (*PROFILES, PLAIN)}
    if platform != "auto":
        if platform not in names:
            raise ParameterError(f"platform={platform!r}: use 'auto' or one of {', '.join(names)}")
        return names[platform]
    present = {h.strip() for h in headers}
    scored = sorted(((len(p.matches(headers)), -k, p) for k, p in enumerate(PROFILES)),
                    key=lambda t: t[:2], reverse=True)
    for score, _, prof in scored:
        if score and any(h in present for h in prof.id_headers) and score >= 2:
            return prof
    best_score, _, best = scored[0]
    if best_score >= 2:
        found = ", ".join(best.matches(headers))
        raise DataError([problem("incomplete_export", file, 1, platform=best.zh, name=best.name,
                                 found=found, id_headers=" / ".join(best.id_headers))])
    if not _has_numbered(headers):
        return PLAIN
    # numbered questions ('3、…') and 序号, the rest of the metadata deleted by the owner: 问卷星, as
    # read_wjx reads it (draft-spec and read_export accept every export read_wjx accepts)
    return WJX if "序号" in present else _wjx_like(headers, file)


def _has_numbered(headers: list[str]) -> bool:
    return any(parse_header(j, h) is not None for j, h in enumerate(headers))


def _wjx_like(headers: list[str], file: str) -> Profile:
    """Numbered question headers but no platform's metadata: say what is missing."""
    raise DataError([problem("not_wjx_export", file, 1)])


def _classify(raw: RawTable, profile: Profile):
    """Metadata positions, question groups, removed columns and problems of the header row."""
    meta: dict[str, int] = {}
    removed: list[dict] = []
    parsed = []
    problems: list[Problem] = []
    labels = raw.meta.get("variable_labels") or {}  # SPSS: the header a platform wrote is the label
    for j, header in enumerate(raw.headers):
        text = header.strip()
        label = str(labels.get(header) or "").strip()
        key = text if text in profile.meta else label if label in profile.meta else None
        if key is not None:
            target = profile.meta[key]
            if target is None:
                kind = pii_header(key)
                removed.append(removal(header, kind or "metadata", "header" if kind else "platform",
                                       reason=kind or "platform metadata"))
            else:
                meta.setdefault(target, j)
            continue
        if kind := pii_header(text) or (label and pii_header(label)):
            removed.append(removal(header, kind, "header", reason=kind))
            continue
        if kind := pii_content(raw.frame.iloc[:, j].tolist()):
            removed.append(removal(header, kind, "content", reason=f"{kind} (by content)"))
            continue
        h = parse_header(j, header) if profile is not PLAIN else None
        if h is not None:
            parsed.append(h)
        elif (profile is PLAIN or not profile.numbered) and text:
            parsed.append(Header(j, header, j + 1, "plain", text))
        else:
            problems.append(problem("unrecognised_column", raw.file, 1, header, platform=profile.zh))
    if any(h.form == "plain" for h in parsed):  # unnumbered titles (金数据): one column per question
        parsed = [Header(h.position, h.text, h.position + 1, "plain", h.text.strip()) for h in parsed]
    return meta, parsed, removed, problems


def _questions(parsed: list, raw: RawTable, profile: Profile) -> list[Question]:
    if not any(h.form == "plain" for h in parsed):
        return group_questions(parsed)
    return [Question(h.number, 1, [h], name=str(raw.frame.columns[h.position]).replace(" ", "_"))
            for h in parsed]


def _detect_form(cells: Cells, questions: list[Question]) -> str | None:
    """'numeric', 'text', or None when nothing tells (no answers at all)."""
    numbers = texts = 0
    for q in questions:
        for h in q.headers:
            for v, n in _value_counts(cells.frame.iloc[:, h.position]):
                if is_empty(v):
                    continue
                if isinstance(v, str) and (cells.multi_sep in v or v.strip() in cells.text_missing):
                    return "text"
                if as_number(v) is None:
                    texts += n
                else:
                    numbers += n
    if numbers == texts == 0:
        return None
    return "numeric" if numbers >= texts else "text"


def _value_counts(col: pd.Series) -> list[tuple]:
    """(cell, count) of each distinct cell (answers repeat); cell by cell when True == 1 would merge."""
    arr = col.to_numpy(dtype=object)
    if bool in set(map(type, arr)):
        return [(v, 1) for v in arr]
    codes, uniq = pd.factorize(arr, use_na_sentinel=True)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniq))
    return list(zip(uniq, counts.tolist(), strict=True))


def _check_form(form: str, detected: str | None, file: str) -> str:
    if form != "auto" and detected is not None and form != detected:
        raise DataError([problem("wrong_form", file, form=form, detected=detected,
                                 detected_zh=_ZH_FORM[detected], form_zh=_ZH_FORM[form])])
    return detected or (form if form != "auto" else "numeric")


def _mask_open_text(out: dict[str, pd.Series], info: dict, removed: list[dict]) -> None:
    """Personal data typed into answers is masked; each column noted once.

    Every text column is screened, not only those read as open text: in a 按文本
    export with few answer sheets an open question can look like a choice.
    """
    for q in info.values():
        for col in q["columns"]:
            series = out[col]
            if series.dtype != "str" and str(series.dtype) not in ("object", "string"):
                continue
            kinds: set[str] = set()
            codes, uniq = pd.factorize(series, use_na_sentinel=True)  # answers repeat: each text once
            masked = []
            for v in uniq:
                text, found = mask_text(str(v))
                masked.append(text)
                kinds.update(found)
            if kinds:
                out[col] = pd.Series(pd.array(masked + [None], dtype="str").take(codes), dtype="str")
                header = q["headers"][q["columns"].index(col)] if len(q.get("headers", [])) == \
                    len(q["columns"]) else col
                removed.append(removal(header, ",".join(sorted(kinds)), "content", "masked",
                                       reason="masked in answers: " + ", ".join(sorted(kinds))))


def read_export(path: str | Path, *, platform: str = "auto", form: str = "auto") -> pd.DataFrame:
    """Read a questionnaire export of any supported platform, one row per answer sheet.

    Parameters
    ----------
    path : str or Path
        The export as downloaded (.xlsx, .xls, .csv, .sav …). Never modified.
    platform : str, default "auto"
        ``"auto"`` detects the platform from its metadata columns; ``"wjx"``
        (问卷星), ``"tencent"`` (腾讯问卷), ``"jinshuju"`` (金数据),
        ``"wenjuanwang"`` (问卷网) or ``"plain"`` (one column per question).
    form : {"auto", "numeric", "text"}, default "auto"
        按序号 (codes) or 按文本 (labels); ``"auto"`` detects it.

    Returns
    -------
    pandas.DataFrame
        One row per answer sheet, in file order, with columns:

        - metadata present in the export, among ``respondent_id`` (str),
          ``submitted`` / ``started`` (datetime64[ns]), ``duration_s`` (float,
          seconds), ``source``, ``source_detail`` (str), ``total_score``
          (Float64, 问卷星 总分); ``respondent_id`` is the row number when a
          plain table has no id column;
        - answer columns named by question (``Q3``; ``S2Q1`` after numbering
          restarts; the header itself in a plain table): ``Q3`` single choice
          (Int64 codes or str labels), number (Float64) or open text (str);
          ``Q6_1…`` multi-select 0/1 or sort ranks (Int64); ``Q7.1…`` matrix
          rows / blanks of a 多项填空; ``Q6_other_text`` fill-in text (〖〗).

        Columns holding personal data (by header or content) are not returned.
        ``attrs['export']`` (and ``attrs['wjx']``, the same dict): ``platform``,
        ``form``, ``file``, ``questions`` (per question: ``title``, ``type``,
        ``options``, ``rows``, ``columns``, ``headers``, ``number``,
        ``section``), ``missing`` (``row``, ``respondent_id``, ``column``,
        ``code``, ``reason``; ``row`` as Excel shows it) and ``removed``
        (``column`` as written, ``kind``, ``detected``, ``action``, ``reason``:
        see :func:`grouplab.data.surveys.privacy.removal`), ``id_header`` (the
        answer-sheet number's header, None for a plain table without one),
        ``variable_labels`` / ``value_labels`` (an SPSS file's labels by
        variable, else empty; a variable whose label is a platform's metadata
        header, e.g. ``序号``, is read as that metadata, and labels are screened
        for personal data like headers).

    Raises
    ------
    DataError
        Unknown platform layout (naming the closest profile), unrecognised
        columns, empty or repeated answer-sheet numbers (stacked exports are
        named as such), unreadable times, a 0/1 option column holding other
        codes, or a ``form`` that does not match the file.
    ParameterError
        Unknown ``platform`` or ``form``.

    Notes
    -----
    A text export cannot always tell a single-choice question from open
    text; the questionnaire spec settles it (:mod:`.labels`).
    """
    if form not in _FORMS:
        raise ParameterError(f"form must be 'auto', 'numeric' or 'text', not {form!r}")
    raw = object_cells(read_raw(path))  # answers are read cell by cell
    profile = detect_platform(raw.headers, file=raw.file, platform=platform)
    meta, parsed, removed, problems = _classify(raw, profile)
    problems = [*raw.problems, *problems]
    if "respondent_id" not in meta and profile is not PLAIN:
        raise DataError([problem("missing_id_column", raw.file, 1, platform=profile.zh,
                                 id_headers=" / ".join(profile.id_headers))])
    if problems:
        raise DataError(problems)
    return _assemble(raw, profile, meta, parsed, removed, form)


def _assemble(raw, profile, meta, parsed, removed, form) -> pd.DataFrame:
    rows = raw.meta["row_numbers"]
    problems: list[Problem] = []
    if "respondent_id" in meta:
        j = meta["respondent_id"]
        ids = respondent_ids(list(raw.frame.iloc[:, j]), raw.headers[j], rows, raw.file, problems)
    else:
        ids = [str(r) for r in rows]
    out: dict[str, pd.Series] = {"respondent_id": pd.Series(ids, dtype="str")}
    out.update(metadata_columns(raw.frame, meta, raw.headers, rows, raw.file, problems))
    out = {c: out[c] for c in META_COLUMNS if c in out}
    questions = _questions(parsed, raw, profile)
    cells = Cells(raw.frame, raw.file, rows, ids, "numeric", dict(profile.numeric_missing),
                  dict(profile.text_missing), profile.multi_sep, problems=problems)
    cells.form = _check_form(form, _detect_form(cells, questions), raw.file)
    info: dict[str, dict] = {}
    for q in questions:
        cols, info[q.qid] = read_question(cells, q)
        out.update(cols)
    if problems:
        raise DataError(problems)
    _mask_open_text(out, info, removed)
    df = pd.DataFrame(out, index=pd.RangeIndex(len(raw.frame)))
    order = {q: k for k, q in enumerate(info)}
    cells.missing.sort(key=lambda r: (r["row"], order.get(r["column"].split(".")[0], 0)))
    df.attrs["export"] = {"platform": profile.name, "form": cells.form, "file": raw.file,
                          "questions": info, "missing": cells.missing, "removed": removed,
                          "id_header": raw.headers[meta["respondent_id"]] if "respondent_id" in meta
                          else None, "variable_labels": dict(raw.meta.get("variable_labels") or {}),
                          "value_labels": dict(raw.meta.get("value_labels") or {})}
    df.attrs["wjx"] = df.attrs["export"]
    return df
