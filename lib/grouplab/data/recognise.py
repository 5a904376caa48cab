"""What each file and sheet of a folder holds, as received: the recognition behind ``grouplab init``.

:func:`recognise_folder` looks at every file (and every visible sheet of a
workbook) of a folder and says which codebook table it holds, in which layout
and why, reusing the readers: a survey platform's export by its metadata
columns (:func:`~grouplab.data.surveys.platforms.detect_platform`), a long
table by its headers (codebook names and aliases, group names instead of ids),
a wide ledger by a header row naming rubric items, indicators or months
(:func:`~grouplab.data.ledgers.layouts.looks_wide`), and a rubric,
questionnaire or indicator catalogue by its keys. Nothing is written; each
decision is a :class:`Finding` with a ``why`` record (a code of
:data:`PHRASES` with its values) worded by :func:`say`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grouplab.data.codebook import TABLES, codebook, normalize_header
from grouplab.data.ledgers.entities import NAME_HEADERS
from grouplab.data.ledgers.layouts import WIDE, looks_wide
from grouplab.data.ledgers.sheet import read_grid, sheet_names
from grouplab.data.readers.base import header_text, is_empty_row
from grouplab.errors import DataError, GroupLabError
from grouplab.paths import MANIFEST

__all__ = ["Finding", "recognise_folder", "recognise_file", "say", "PHRASES", "ROSTER_UNIT_HEADERS",
           "default_specs"]

_TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls"}
_SPEC_SUFFIXES = {".yml", ".yaml"}
_SCAN = 20
#: Headers of a roster naming each group's unit by name (工区 → a work area …).
ROSTER_UNIT_HEADERS = ("工区", "所属工区", "作业区", "所属作业区", "车间", "所属车间", "支部", "党支部", "所属支部",
                       "所属党支部", "站", "班站", "所属站", "所属单位", "单位", "单位名称", "所在单位", "基层单位")
_GROUP_NAMES = ("党小组", "党小组名称", "小组名称", "党小组名", "班组", "班组名称")
#: Key columns a loader derives when the file has none (ids from names or from file, sheet and row).
_DERIVED = {"groups": {"group_id": "name", "unit_id": "unit_name", "leader_id": None},
            "units": {"unit_id": "name", "level": None, "sector": None, "parent_id": None},
            "incidents": {"incident_id": None}, "activities": {"seq": None},
            "member_attendance": {"seq": None}}
_EXPOSURE_WORDS = ("工时", "人工时", "作业时间", "暴露")
_ACTIVITY_WORDS = ("会议", "活动", "组织生活", "三会一课", "次数", "台账", "记录")
_DAYS = re.compile(r"\d{1,2}\s*[日号]|[、，,]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")

#: code -> wording per language; ``{name}`` fields are the finding's values
PHRASES: dict[str, dict[str, str]] = {
    "long": {"en": "{table_en}, one row per record: headers {headers}",
             "zh": "{table_zh}，每行一条记录：表头 {headers}"},
    "roster": {"en": "roster of Party groups by name: headers {headers} (ids derived from the names)",
               "zh": "党小组名册（按名称）：表头 {headers}（编号由名称生成）"},
    "wide_rubric": {"en": "evaluation ledger, one row per group, one column per rubric item "
                          "({n} items, e.g. {headers})",
                    "zh": "考评台账，每个党小组一行、每个考评项目一列（{n} 项，如 {headers}）"},
    "wide_indicators": {"en": "indicator sheet, one row per entity{by}, months or indicators as columns "
                              "({headers})",
                        "zh": "指标月报，每个对象一行{by}，月份或指标为列（{headers}）"},
    "wide_exposure": {"en": "person-hours per group and month, months as columns ({headers}; {words})",
                      "zh": "党小组每月工时，月份为列（{headers}；{words}）"},
    "wide_activities": {"en": "meeting/activity ledger, one row per group, months as columns "
                              "({headers}; {words})",
                        "zh": "组织生活台账，每个党小组一行、月份为列（{headers}；{words}）"},
    "survey": {"en": "{platform} survey export ({form}), {n} questions; wave {wave} from {wave_from}",
               "zh": "{platform}问卷导出（{form}），{n} 道题；年度 {wave} 取自{wave_from}"},
    "spec": {"en": "{kind} spec (keys {headers})", "zh": "{kind}（键 {headers}）"},
    "kind_from": {"en": "kind {kind} from {where} {text!r}", "zh": "活动类型 {kind} 取自{where} {text!r}"},
    "kind_default": {"en": "no kind named in the file name, sheet or title: group meetings assumed",
                     "zh": "文件名、工作表名和标题均未写明活动类型：按党小组会处理"},
    # not placed
    "not_table": {"en": "not a table file ({suffix})", "zh": "不是表格文件（{suffix}）"},
    "unreadable": {"en": "cannot be read: {error}", "zh": "无法读取：{error}"},
    "empty": {"en": "empty sheet", "zh": "空工作表"},
    "unknown": {"en": "no header row names the columns of any table{nearest}",
                "zh": "没有一行表头能对上任何一张表的列{nearest}"},
    "nearest": {"en": "; closest: {table_en} (found {found}; missing {missing})",
                "zh": "；最接近：{table_zh}（有 {found}；缺 {missing}）"},
    "months_unclear": {"en": "months as columns, but neither the file name, sheet nor title says whether "
                             "it holds person-hours or meetings ({headers})",
                       "zh": "月份为列，但文件名、工作表名和标题都未说明是工时还是会议次数（{headers}）"},
    "survey_broken": {"en": "looks like a survey export but: {error}", "zh": "像问卷导出，但：{error}"},
    "no_wave": {"en": "survey export without a year in its file name or submission times",
                "zh": "问卷导出的文件名和提交时间中都没有年份"},
    "twin": {"en": "the {form} twin of {other} (same wave): used for option labels of the drafted spec",
             "zh": "{other} 的{form}版本（同一年度）：用于起草问卷说明中的选项文字"},
    "spec_unknown": {"en": "YAML file that is not a rubric, questionnaire or catalogue",
                     "zh": "不是考评细则、问卷说明或指标目录的 YAML 文件"},
    "init_output": {"en": "written by grouplab init", "zh": "由 grouplab init 生成"},
}

_SPEC_KINDS = {"rubric": {"en": "evaluation rubric", "zh": "考评细则"},
               "questionnaire": {"en": "questionnaire", "zh": "问卷说明"},
               "catalogue": {"en": "indicator catalogue", "zh": "指标目录"}}
_WHERE = {"file": {"en": "the file name", "zh": "文件名"},
          "sheet": {"en": "the sheet name", "zh": "工作表名"},
          "title": {"en": "the title", "zh": "标题"}}
_FORMS = {"numeric": {"en": "codes", "zh": "按序号"}, "text": {"en": "labels", "zh": "按文本"}}


@dataclass
class Finding:
    """What one file (or sheet) holds.

    Attributes
    ----------
    file : str
        Path relative to the folder, with ``/``.
    sheet : str or None
        Sheet of a workbook (None: a CSV, or the only sheet).
    table : str or None
        Codebook table, ``rubric`` / ``questionnaire`` / ``catalogue`` for a spec, None when not placed.
    layout : str
        ``long``, ``wide``, ``export`` or ``spec``.
    options : dict
        Manifest options of the source (``kind`` of an activity ledger, ``wave`` and ``form`` of an export).
    why : dict
        ``{"code": …, **values}`` (see :data:`PHRASES`); :func:`say` words it.
    """

    file: str
    sheet: str | None
    table: str | None
    layout: str = "long"
    options: dict = field(default_factory=dict)
    why: dict = field(default_factory=dict)
    notes: list[dict] = field(default_factory=list)


def say(record: dict, lang: str = "en") -> str:
    """The wording of one ``why`` record in ``lang`` (``en`` or ``zh``)."""
    code = record.get("code")
    values = {k: v for k, v in record.items() if k != "code"}
    if code == "unknown" and values.get("nearest"):
        values["nearest"] = say(values["nearest"], lang)
    if code == "kind_from":
        values["where"] = _WHERE[values["where"]][lang]
    if code == "spec":
        values["kind"] = _SPEC_KINDS[values["kind"]][lang]
    if code in ("survey", "twin"):
        values["form"] = _FORMS.get(values.get("form"), {}).get(lang, values.get("form"))
    if code == "survey":
        values["wave_from"] = _WHERE.get(values["wave_from"], {}).get(lang, values["wave_from"])
    return PHRASES[code][lang].format(**values)


def default_specs() -> dict:
    """The kit's rubric and indicator catalogue (``data/rubrics``), used to recognise wide ledgers.

    Returns
    -------
    dict
        ``rubric``, ``catalogue``: validated specs; ``files``: spec -> path.
    """
    from grouplab.data.specs import load_catalogue, load_rubric
    from grouplab.paths import rubrics_dir

    files = {"rubric": rubrics_dir() / "party_group_evaluation.yml",
             "catalogue": rubrics_dir() / "oil_benchmark_indicators.yml"}
    return {"rubric": load_rubric(files["rubric"]), "catalogue": load_catalogue(files["catalogue"]),
            "files": files}


# ------------------------------------------------------------------ the folder


def recognise_folder(folder: str | Path, specs: dict | None = None) -> list[Finding]:
    """Recognise every file of a folder (subfolders included; hidden and Office lock files left out).

    Parameters
    ----------
    folder : str or Path
    specs : dict, optional
        ``rubric`` and ``catalogue`` to match wide ledgers against (default :func:`default_specs`);
        a rubric or catalogue found in the folder takes their place.

    Returns
    -------
    list of Finding
        One per file, or per sheet of a workbook, in file order; ``table`` None for what was not placed.
    """
    folder = Path(folder)
    specs = dict(specs or default_specs())
    files = sorted((p for p in folder.rglob("*") if p.is_file() and not _hidden(p.relative_to(folder))),
                   key=lambda p: p.relative_to(folder).as_posix())
    found: list[Finding] = []
    for p in files:  # specs first: the folder's own rubric or catalogue recognises its ledgers
        if p.suffix.lower() in _SPEC_SUFFIXES and p.name != MANIFEST:
            f = _spec_finding(p, p.relative_to(folder).as_posix())
            found.append(f)
            if f.table in ("rubric", "catalogue"):
                specs[f.table] = f.options.pop("spec")
    for p in files:
        rel = p.relative_to(folder).as_posix()
        if p.suffix.lower() in _SPEC_SUFFIXES:
            continue
        found += recognise_file(p, rel, specs)
    _pair_twins([f for f in found if f.layout == "export" and f.table])
    return sorted(found, key=lambda f: (f.file, f.sheet or ""))


def _hidden(rel: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in rel.parts) or rel.name.endswith(".grouplab-draft.yml")


def _spec_finding(path: Path, rel: str) -> Finding:
    from grouplab.data.specs import load_catalogue, load_questionnaire, load_rubric, read_yaml

    try:
        doc = read_yaml(path)
    except DataError as err:
        return Finding(rel, None, None, "spec", why={"code": "unreadable", "error": _first(err)})
    keys = set(map(str, doc))
    for kind, need, loader in (("rubric", {"items", "bands"}, load_rubric),
                               ("questionnaire", {"range", "scales"}, load_questionnaire),
                               ("catalogue", {"indicators"}, load_catalogue)):
        if need <= keys:
            try:
                spec = loader(doc)
            except DataError as err:
                return Finding(rel, None, None, "spec", why={"code": "unreadable", "error": _first(err)})
            return Finding(rel, None, kind, "spec", options={"spec": spec},
                           why={"code": "spec", "kind": kind, "headers": ", ".join(sorted(need))})
    return Finding(rel, None, None, "spec", why={"code": "spec_unknown"})


def _first(err: GroupLabError) -> str:
    probs = getattr(err, "problems", None)
    text = str(probs[0]) if probs else str(err)
    return text.splitlines()[0][:160]


def recognise_file(path: str | Path, rel: str | None = None, specs: dict | None = None) -> list[Finding]:
    """Recognise one file: one :class:`Finding` per visible sheet (one for a CSV).

    Returns
    -------
    list of Finding
        See :func:`recognise_folder`.
    """
    path = Path(path)
    rel = rel or path.name
    specs = specs if specs is not None else default_specs()
    suffix = path.suffix.lower()
    if suffix == ".sav":
        return [_survey_finding(path, rel, None, None)]
    if suffix not in _TABLE_SUFFIXES:
        return [Finding(rel, None, None, why={"code": "not_table", "suffix": suffix or path.name})]
    try:
        sheets = sheet_names(path) if suffix in (".xlsx", ".xlsm", ".xls") else [None]
    except DataError as err:
        return [Finding(rel, None, None, why={"code": "unreadable", "error": _first(err)})]
    out = []
    for sheet in sheets:
        try:
            grid = read_grid(path, sheet=sheet)
        except DataError as err:
            out.append(Finding(rel, sheet, None, why={"code": "unreadable", "error": _first(err)}))
            continue
        f = _recognise_sheet(path, rel, sheet, _filled_rows(grid), specs)
        f.sheet = sheet if len(sheets) > 1 else None  # the only sheet is not named: renaming it breaks nothing
        out.append(f)
    return out


def _filled_rows(grid) -> list[list[Any]]:
    width = max((len(r) for r in grid.rows), default=0)
    rows = [list(r) + [None] * (width - len(r)) for r in grid.rows]
    for r0, c0, r1, c1 in grid.merges:
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                rows[r][c] = rows[r0][c0]
    return [r for i, r in enumerate(rows) if i not in grid.hidden_rows]


def _recognise_sheet(path: Path, rel: str, sheet: str | None, rows: list[list[Any]], specs: dict) -> Finding:
    head = [r for r in rows[:_SCAN]]
    if all(is_empty_row(r) for r in head):
        return Finding(rel, sheet, None, why={"code": "empty"})
    first = next(r for r in head if not is_empty_row(r))
    survey = _survey_headers(path, rel, sheet, first)
    if survey is not None and survey.table:
        return survey
    long, nearest = _long_match(head)
    wide = _wide_match(path, rel, sheet, head, rows, specs)
    if long is not None and (wide is None or long[1] >= 3):
        table, _, headers, roster = long
        code = "roster" if roster else "long"
        spec = codebook()[table]
        return Finding(rel, sheet, table, "long", why={"code": code, "table_en": spec.en, "table_zh": spec.zh,
                                                       "headers": ", ".join(headers)})
    if wide is not None:
        return wide
    if survey is not None:  # metadata of a platform, but broken: say that rather than 'unknown'
        return survey
    return Finding(rel, sheet, None, why={"code": "unknown", "nearest": nearest})


# ------------------------------------------------------------------ long tables


def _texts(row: list[Any]) -> list[str]:
    return [t for t in (header_text(v).strip() for v in row) if t]


def _long_match(rows: list[list[Any]]):
    """Best long table over the header candidates (table, n matched, headers, roster?); the closest miss."""
    best, near = None, None
    for row in rows:
        texts = _texts(row)
        if len(texts) < 2:
            continue
        for table in TABLES:
            if table == "survey":
                continue
            matched, headers, roster = _columns_of(table, texts)
            spec = codebook()[table]
            derived = _DERIVED.get(table, {})
            missing = [c for c, col in spec.columns.items() if col.required and c not in matched
                       and not (c in derived and (derived[c] is None or derived[c] in matched))]
            score = len([c for c in matched if c in spec.columns])
            if not missing and score >= 2:
                cand = (table, score, headers, roster)
                if best is None or score > best[1]:
                    best = cand
            elif score >= 1 and (near is None or score > near[0]):
                near = (score, {"code": "nearest", "table_en": spec.en, "table_zh": spec.zh,
                                "found": ", ".join(headers), "missing": ", ".join(
                                    spec.columns[c].zh for c in missing)})
    return best, (near[1] if near else None)


def _columns_of(table: str, texts: list[str]) -> tuple[dict, list[str], bool]:
    """Codebook columns a header row names (by alias, or by a name instead of an id)."""
    amap = codebook()[table].alias_map()
    cols = codebook()[table].columns
    matched: dict[str, str] = {}
    roster = False
    group_names = {normalize_header(t) for t in _GROUP_NAMES}
    unit_names = {normalize_header(t) for t in ROSTER_UNIT_HEADERS}
    for text in texts:
        key = normalize_header(text)
        if table == "groups" and key in group_names and "name" not in matched:
            matched["name"], roster = text, True
        elif table == "groups" and key in unit_names and "unit_id" not in matched:
            matched["unit_name"], roster = text, True
        elif key in amap and amap[key] not in matched:
            matched[amap[key]] = text
        elif "group_id" in cols and table != "groups" and key in group_names and "group_id" not in matched:
            matched["group_id"] = text
    if table == "groups" and "unit_name" in matched and "unit_id" in matched:
        matched.pop("unit_name")
    return matched, list(matched.values()), roster and "group_id" not in matched


# ------------------------------------------------------------------ wide ledgers


def _entity_header(table: str, texts: list[str]) -> str | None:
    entity = WIDE[table].entity
    col = codebook()[{"group_id": "groups", "entity_id": "indicators"}[entity]].columns[entity]
    known = {normalize_header(t) for t in (col.name, col.zh, *col.aliases, *NAME_HEADERS[entity])}
    if entity == "group_id":
        known |= {normalize_header(t) for t in _GROUP_NAMES}
    return next((t for t in texts if normalize_header(t) in known), None)


def _wide_match(path: Path, rel: str, sheet: str | None, head: list, rows: list, specs: dict):
    for i, row in enumerate(head):
        texts = _texts(row)
        for table in ("evaluations", "indicators", "exposure"):
            if not looks_wide(table, [row], specs):
                continue
            ent = _entity_header(table, texts)
            if ent is None:
                continue
            shown = ", ".join(texts[:4]) + (" …" if len(texts) > 4 else "")
            if table == "evaluations":
                n = sum(looks_wide(table, [[t, t]], specs) for t in texts)
                return Finding(rel, sheet, table, "wide",
                               why={"code": "wide_rubric", "n": n, "headers": shown})
            if table == "indicators" and _indicator_sheet(texts, specs):
                return Finding(rel, sheet, table, "wide", why={"code": "wide_indicators", "headers": shown,
                                                               "by": f" ({ent})"})
            if table == "exposure":
                return _months_finding(path, rel, sheet, head[:i], rows[i + 1:], shown)
    return None


def _indicator_sheet(texts: list[str], specs: dict) -> bool:
    cat = specs.get("catalogue") or {}
    from grouplab.data.ledgers.layouts import INDICATOR_HEADERS, match_indicator

    named = {normalize_header(t) for t in INDICATOR_HEADERS}
    return any(normalize_header(t) in named or match_indicator(t, cat) for t in texts)


def _months_finding(path: Path, rel: str, sheet: str | None, above: list, body: list, shown: str) -> Finding:
    """Months as columns: person-hours or meetings, from the words of the file name, sheet and title."""
    places = {"file": Path(rel).stem, "sheet": sheet or "", "title": " ".join(
        t for r in above for t in _texts(r))}
    labels = codebook()["activities"].columns["kind"].allowed or {}
    exposure = [w for w in _EXPOSURE_WORDS if any(w in t for t in places.values())]
    kinds = {}
    for where in ("title", "sheet", "file"):  # the sheet's own words first
        hit = [k for k, zh in labels.items() if zh and zh in places[where]]
        if len(hit) == 1 and not kinds:
            kinds = {"kind": hit[0], "where": where, "text": places[where]}
    words = [w for w in _ACTIVITY_WORDS if any(w in t for t in places.values())]
    if exposure and not kinds:
        return Finding(rel, sheet, "exposure", "wide", why={"code": "wide_exposure", "headers": shown,
                                                            "words": ", ".join(exposure)})
    days = [] if exposure or kinds or words else _day_cells(body)
    if kinds or words or days:
        evidence = [labels[kinds["kind"]]] if kinds else words or days[:2]
        f = Finding(rel, sheet, "activities", "wide",
                    why={"code": "wide_activities", "headers": shown, "words": ", ".join(evidence)})
        f.options["kind"] = kinds.get("kind", "group_meeting")
        f.notes.append({"code": "kind_from", **kinds} if kinds else {"code": "kind_default"})
        return f
    return Finding(rel, sheet, None, why={"code": "months_unclear", "headers": shown})


def _day_cells(body: list) -> list[str]:
    """Cells holding meeting days (``6日、27日``), when at least two do."""
    cells = [header_text(v) for r in body[:50] for v in r if isinstance(v, str)]
    days = [c for c in cells if _DAYS.search(c)]
    return days if len(days) >= 2 else []


# ------------------------------------------------------------------ survey exports


def _survey_headers(path: Path, rel: str, sheet: str | None, first: list[Any]) -> Finding | None:
    from grouplab.data.surveys.platforms import detect_platform

    headers = [header_text(v) for v in first]
    try:
        profile = detect_platform(headers, file=rel)
    except DataError as err:
        return Finding(rel, sheet, None, why={"code": "survey_broken", "error": _first(err)})
    if profile.name == "plain":
        return None
    return _survey_finding(path, rel, sheet, profile.name)


def _survey_finding(path: Path, rel: str, sheet: str | None, platform: str | None) -> Finding:
    from grouplab.data.surveys.platforms import read_export

    try:
        df = read_export(path, platform=platform or "auto")
    except GroupLabError as err:
        return Finding(rel, sheet, None, why={"code": "survey_broken", "error": _first(err)})
    info = df.attrs["export"]
    wave, wave_from = _wave(rel, df)
    if wave is None:
        return Finding(rel, sheet, None, why={"code": "no_wave"})
    from grouplab.data.surveys.platforms.profile import PLAIN, PROFILES

    zh = {p.name: p.zh for p in (*PROFILES, PLAIN)}
    return Finding(rel, sheet, "survey", "export", options={"wave": wave, "form": info.get("form"),
                                                             "platform": info["platform"]},
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


def _pair_twins(exports: list[Finding]) -> None:
    """Of two exports of one wave (按序号 and 按文本), the table reads the codes; the labels feed the spec."""
    by_wave: dict[int, list[Finding]] = {}
    for f in exports:
        by_wave.setdefault(f.options["wave"], []).append(f)
    for same in by_wave.values():
        same.sort(key=lambda f: (f.options.get("form") != "numeric", f.file))
        for twin in same[1:]:
            twin.table, twin.layout = None, "export"
            twin.options["twin_of"] = same[0].file
            twin.why = {"code": "twin", "form": twin.options.get("form"), "other": same[0].file}
