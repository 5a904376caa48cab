"""K-fold replicas of the demo dataset, for benchmarks at company scale.

``replicate_demo(k, folder)`` writes a dataset folder with the structure of the demo
(``data/demo``) repeated ``k`` times: every replica is a copy of the demo with its own
ids, so a ``k``-fold dataset has ``k`` companies (C01-001 …), ``10·k`` work areas,
``58·k`` Party groups, ``k`` oil areas with ``3·k`` stations, and ``k`` times the rows of
every table. Shapes, formats (CSV encodings, Excel sheets, 问卷星 exports) and the
data-generating process are those of the demo, so its truth (``grouplab.synth.TRUTH``)
holds inside every replica.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from grouplab.data.surveys.platforms.headers import parse_header
from grouplab.errors import ParameterError
from grouplab.paths import MANIFEST, demo_dir

__all__ = ["replicate_demo", "ID_HEADERS"]

#: Headers (as written in the demo files) whose non-empty cells are ids that get the
#: replica suffix; survey headers match by their question text (``1、您所在单位编号``).
ID_HEADERS = ("unit_id", "parent_id", "group_id", "leader_id", "member_id", "entity_id",
              "事件编号", "党小组编号", "单位编号")
_SPECS = ("rubric", "questionnaire", "catalogue")
_EXCEL_ROWS = 1_048_576
_CHUNK_NOTE = "示例数据，非真实数据"
_BATCH = "reports.yml"


def _suffix(r: int, k: int) -> str:
    return f"-{r:0{max(3, len(str(k)))}d}"


@dataclass(frozen=True)
class _Survey:
    """What of a questionnaire spec the replicas must rename in its exports.

    ``ids``: question numbers whose answer is an id (spec ``columns``/``wjx`` target
    ``unit_id``, ``group_id``…); ``unit``: number of the question whose answer the spec's
    ``unit.map`` turns into a ``unit_id``; ``width``: its largest option code (replica r
    shifts the codes by ``(r − 1) × width``).
    """

    ids: frozenset = frozenset()
    unit: int | None = None
    width: int = 0


def _is_id(header: str, survey: _Survey) -> bool:
    h = str(header)
    if h in ID_HEADERS or (bool(re.match(r"^\d+、", h)) and h.endswith(("单位编号", "党小组编号"))):
        return True
    parsed = parse_header(0, h)
    return parsed is not None and parsed.number in survey.ids


def _unit_question(header: str, survey: _Survey) -> bool:
    parsed = parse_header(0, str(header))
    return survey.unit is not None and parsed is not None and parsed.number == survey.unit


def _shift_unit(s: pd.Series, r: int, survey: _Survey, suffix: str) -> pd.Series:
    """Replica ``r`` of a unit answer: option codes shifted, labels (按文本) suffixed."""
    num = pd.to_numeric(s, errors="coerce")
    text = s.notna() & num.isna() & (s.astype(str) != "")
    out = s.astype(object).copy()
    out[num.notna()] = (num[num.notna()] + (r - 1) * survey.width).astype(int)
    out[text] = s[text].astype(str) + suffix
    return out


def _relabel(df: pd.DataFrame, r: int, k: int, *, offset: int = 0,
             survey: _Survey = _Survey()) -> pd.DataFrame:
    """Replica ``r``: ids get the suffix; 序号 shifted by ``offset``; unit answers renamed."""
    suffix = _suffix(r, k)
    out = df.copy()
    for c in out.columns:
        if _unit_question(c, survey):
            out[c] = _shift_unit(out[c], r, survey, suffix)
        elif _is_id(c, survey):
            s = out[c]
            filled = s.notna() & (s.astype(str) != "")
            out[c] = s.where(~filled, s.astype(str) + suffix)
        elif c == "序号" and offset:
            out[c] = out[c] + offset
    return out


def _question_number(key: object) -> int | None:
    m = re.fullmatch(r"Q?(\d+)", str(key))
    return int(m[1]) if m else None


def _survey_plan(spec: dict | None) -> _Survey:
    """Which export questions hold ids or the mapped unit answer (see :class:`_Survey`)."""
    if not spec:
        return _Survey()
    targets = {**{_question_number(q): v for q, v in (spec.get("wjx") or {}).items()},
               **{_question_number(q): v for q, v in (spec.get("columns") or {}).items()}}
    ids = frozenset(n for n, v in targets.items() if n is not None and str(v).endswith("_id"))
    unit = spec.get("unit") or {}
    if not unit.get("map") or "question" not in unit:
        return _Survey(ids)
    number = next((n for n, v in targets.items() if str(v) == str(unit["question"])), None)
    question = (spec.get("attributes") or {}).get(unit["question"]) or \
        (spec.get("choices") or {}).get(unit["question"]) or {}
    width = max((int(c) for c in question.get("options") or {}), default=0)
    return _Survey(ids, number, width)


def _replicate_spec(spec: dict, k: int) -> dict:
    """The questionnaire with its unit question's options and map repeated per replica."""
    unit = spec["unit"]
    group = "attributes" if unit["question"] in (spec.get("attributes") or {}) else "choices"
    question = spec[group][unit["question"]]
    width = max(int(c) for c in question["options"])
    options, mapping = {}, {}
    for r in range(1, k + 1):
        suffix = _suffix(r, k)
        for code, label in question["options"].items():
            options[int(code) + (r - 1) * width] = {lang: f"{text}{suffix}" for lang, text in
                                                    label.items()} \
                if isinstance(label, dict) else f"{label}{suffix}"
        mapping.update({f"{label}{suffix}": f"{uid}{suffix}" for label, uid in unit["map"].items()})
    out = dict(spec)
    out[group] = {**spec[group], unit["question"]: {**question, "options": options}}
    out["unit"] = {**unit, "map": mapping}
    return out


def _replicate_csv(src: Path, dst: Path, k: int, encoding: str, survey: _Survey) -> int:
    """Write ``k`` relabelled copies of a CSV, one replica at a time; rows written."""
    df = pd.read_csv(src, dtype=str, keep_default_na=False, encoding=encoding)
    with open(dst, "wb") as fh:
        for r in range(1, k + 1):
            part = _relabel(df, r, k, survey=survey).to_csv(index=False, header=r == 1,
                                                             lineterminator="\n")
            fh.write(part.encode(encoding))
    return len(df) * k


def _read_sheet(src: Path, sheet: str | None) -> tuple[str, pd.DataFrame]:
    import openpyxl

    book = openpyxl.load_workbook(src, read_only=True, data_only=True)
    try:
        ws = book[sheet] if sheet else book.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        return ws.title, pd.DataFrame(rows[1:], columns=[str(c) for c in rows[0]], dtype=object)
    finally:
        book.close()


def _check_fits(title: str, rows: int, file: str, k: int) -> None:
    if rows * k + 1 > _EXCEL_ROWS:
        raise ParameterError(f"k={k} would put {rows * k + 1:,} rows on sheet {title!r} of "
                             f"{file}; an Excel sheet holds at most {_EXCEL_ROWS:,} rows: "
                             f"use k ≤ {(_EXCEL_ROWS - 1) // rows}")


def _replicate_xlsx(src: Path, dst: Path, k: int, sheet: str | None, survey: _Survey) -> int:
    """Write ``k`` relabelled copies of one sheet (openpyxl write-only: rows are streamed)."""
    from openpyxl import Workbook

    title, df = _read_sheet(src, sheet)
    _check_fits(title, len(df), src.name, k)
    numbered = "序号" in df.columns
    book = Workbook(write_only=True)
    ws = book.create_sheet(title=title)
    ws.append(list(df.columns))
    for r in range(1, k + 1):
        part = _relabel(df, r, k, offset=(r - 1) * len(df) if numbered else 0, survey=survey)
        for row in part.itertuples(index=False, name=None):
            ws.append([None if v is None or (isinstance(v, float) and v != v) else v
                       for v in row])
    book.save(dst)
    return len(df) * k


def _table_files(manifest: dict) -> list[tuple[str, dict]]:
    """(file, options) for every table file the manifest names."""
    out = []
    for entry in manifest["tables"].values():
        if isinstance(entry, str):
            out.append((entry, {}))
        elif "files" in entry:
            out.extend((str(f), {}) for f in entry["files"].values())
        else:
            out.append((str(entry["file"]), entry))
    return out


def replicate_demo(k: int, folder: str | os.PathLike, *,
                   source: str | os.PathLike | None = None) -> Path:
    """Write the demo dataset replicated ``k`` times (new ids, same shapes, same truth).

    Parameters
    ----------
    k : int
        Number of replicas (≥ 1). The Excel files bound it: the evaluations sheet
        holds 6,960 rows per replica, so ``k`` ≤ 150.
    folder : path
        Output folder (created; files in it with the same names are replaced).
    source : path, optional
        Dataset folder to replicate; default the shipped demo (``data/demo``).

    Returns
    -------
    pathlib.Path
        ``folder``, holding ``dataset.yml``, every table file of the source under its
        own name, the source's rubric, questionnaire and catalogue in
        ``folder/rubrics/`` (the manifest points there), a ``README.md`` with the
        row counts and, if the source has one, the batch config ``reports.yml``
        (every report of the demo; output in ``<folder>_reports`` next to ``folder``).

    Raises
    ------
    ParameterError
        ``k`` not a whole number ≥ 1, or too large for an Excel sheet.

    Notes
    -----
    Replica ``r`` (1 … k) is a copy of the source in which every id gets the suffix
    ``-rrr`` (``G001`` → ``G001-007``, three digits or as many as ``k`` has): unit,
    parent, group, leader, member, incident and indicator-entity ids, and the unit
    and group answers of the survey exports. A questionnaire whose ``unit.map`` turns
    a work-area answer into ``unit_id`` is written with that question's options and
    map repeated per replica (codes shifted by ``(r − 1) ×`` the largest code, labels
    and ids suffixed), and the exports' answers are shifted alike. The survey's 序号
    (respondent id) is renumbered (replica r adds ``(r − 1) ×`` the wave's size), so
    it stays unique.
    Names, dates, values and answers are unchanged. Inside each replica the truth of
    the demo holds exactly (``grouplab.synth.TRUTH``); across replicas the copies are
    **not** independent draws: a model pooled over all replicas gives the point
    estimates of one replica with standard errors about √k too small. The replicas
    measure speed and memory, not statistical power.

    Examples
    --------
    >>> import tempfile
    >>> out = replicate_demo(2, tempfile.mkdtemp())
    >>> groups = pd.read_csv(out / "groups.csv")
    >>> len(groups), groups["group_id"].iloc[[0, -1]].tolist()
    (116, ['G001-001', 'G058-002'])
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ParameterError(f"k must be a whole number ≥ 1 (e.g. 20), not {k!r}")
    src = Path(source) if source is not None else demo_dir()
    out = Path(folder)
    manifest = yaml.safe_load((src / MANIFEST).read_text("utf-8"))
    questionnaire = yaml.safe_load((src / str(manifest["questionnaire"])).read_text("utf-8")) \
        if manifest.get("questionnaire") else None
    survey = _survey_plan(questionnaire)
    for name, opts in _table_files(manifest):  # refuse before anything is written
        if not name.lower().endswith(".csv"):
            title, df = _read_sheet(src / name, opts.get("sheet"))
            _check_fits(title, len(df), name, k)
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, opts in _table_files(manifest):
        if name.lower().endswith(".csv"):
            counts[name] = _replicate_csv(src / name, out / name, k,
                                          opts.get("encoding", "utf-8"), survey)
        else:
            counts[name] = _replicate_xlsx(src / name, out / name, k, opts.get("sheet"), survey)
    _write_specs(src, out, manifest, questionnaire, survey, k)
    name = manifest.get("name") or {}
    manifest["name"] = {"zh": f"示例数据 ×{k}（合成，非真实数据）",
                        "en": f"Demo data ×{k} (synthetic, not real)"} if name else name
    (out / MANIFEST).write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False),
                                encoding="utf-8")
    if (src / _BATCH).is_file():  # the demo's batch config, writing next to the folder
        batch = yaml.safe_load((src / _BATCH).read_text("utf-8"))
        batch.update(dataset=".", out=f"../{out.resolve().name}_reports")
        (out / _BATCH).write_text(yaml.safe_dump(batch, allow_unicode=True, sort_keys=False),
                                  encoding="utf-8")
    (out / "README.md").write_text(_readme(k, src, counts), encoding="utf-8")
    return out


def _write_specs(src: Path, out: Path, manifest: dict, questionnaire: dict | None,
                 survey: _Survey, k: int) -> None:
    """Specs into ``out/rubrics``; a questionnaire with a unit map gets one per replica."""
    (out / "rubrics").mkdir(exist_ok=True)
    for key in _SPECS:
        if manifest.get(key):
            spec = src / str(manifest[key])
            if key == "questionnaire" and survey.unit is not None:
                text = yaml.safe_dump(_replicate_spec(questionnaire, k), allow_unicode=True,
                                      sort_keys=False)
                (out / "rubrics" / spec.name).write_text(text, encoding="utf-8")
            else:
                shutil.copyfile(spec, out / "rubrics" / spec.name)
            manifest[key] = f"rubrics/{spec.name}"


def _readme(k: int, src: Path, counts: dict[str, int]) -> str:
    rows = "\n".join(f"| `{f}` | {n:,} |" for f, n in counts.items())
    return (f"# {_CHUNK_NOTE} — the demo replicated {k} times\n\n"
            f"Written by `grouplab.synth.replicate.replicate_demo({k}, …)` from `{src.name}`.\n"
            "Every replica r is a copy of the demo whose ids carry the suffix `-rrr`; the 问卷星\n"
            "序号 is renumbered. Inside each replica the demo's truth holds "
            "(`grouplab.synth.TRUTH`);\nacross replicas the copies are not independent draws "
            "(pooled standard errors are about\n√k too small). For speed and memory "
            "benchmarks only.\n\n| file | rows |\n|---|---|\n" + rows + "\n")
