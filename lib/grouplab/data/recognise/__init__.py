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

from pathlib import Path
from typing import Any

from grouplab.data.codebook import TABLES, codebook, normalize_header
from grouplab.data.ledgers.roster import UNIT_COLUMNS
from grouplab.data.ledgers.scope import unit_in_texts
from grouplab.data.ledgers.sheet import read_grid, sheet_names
from grouplab.data.minutes.workbook import ADJUDICATION_SHEET, CODEBOOK_SHEET
from grouplab.data.readers.base import is_empty_row
from grouplab.data.recognise.exports import first_problem, pair_twins, survey_finding, survey_headers
from grouplab.data.recognise.phrases import PHRASES, Finding, default_specs, say
from grouplab.data.recognise.wide import GROUP_NAMES, texts_of, wide_match
from grouplab.errors import DataError
from grouplab.paths import MANIFEST

__all__ = ["Finding", "recognise_folder", "recognise_file", "say", "PHRASES", "ROSTER_UNIT_HEADERS",
           "default_specs"]

_TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls"}
_SPEC_SUFFIXES = {".yml", ".yaml"}
_SCAN = 20
#: Headers of a roster naming each group's unit by name (工区 → a work area …): the roster reader's own.
ROSTER_UNIT_HEADERS = tuple(UNIT_COLUMNS)
#: Key columns a loader derives when the file has none (ids from names or from file, sheet and row).
_DERIVED = {"groups": {"group_id": "name", "unit_id": "unit_name", "leader_id": None},
            "units": {"unit_id": "name", "level": None, "sector": None, "parent_id": None},
            "incidents": {"incident_id": None}, "activities": {"seq": None},
            "member_attendance": {"seq": None}}

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
    files = sorted((p for p in folder.rglob("*")
                    if p.is_file() and not _hidden(p.relative_to(folder), folder)),
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
    pair_twins([f for f in found if f.layout == "export" and f.table])
    return sorted(found, key=lambda f: (f.file, f.sheet or ""))


def _hidden(rel: Path, folder: Path) -> bool:
    """Hidden and Office lock files, and anything in a folder of grouplab's own output (it holds run.json)."""
    if any(part.startswith((".", "~$")) for part in rel.parts):
        return True
    return any((folder.joinpath(*rel.parts[:k]) / "run.json").is_file() for k in range(1, len(rel.parts)))


def _spec_finding(path: Path, rel: str) -> Finding:
    from grouplab.data.specs import load_catalogue, load_questionnaire, load_rubric, read_yaml

    try:
        doc = read_yaml(path)
    except DataError as err:
        return Finding(rel, None, None, "spec", why={"code": "unreadable", "error": first_problem(err)})
    keys = set(map(str, doc))
    for kind, need, loader in (("rubric", {"items", "bands"}, load_rubric),
                               ("questionnaire", {"range", "scales"}, load_questionnaire),
                               ("catalogue", {"indicators"}, load_catalogue)):
        if need <= keys:
            try:
                spec = loader(doc)
            except DataError as err:
                return Finding(rel, None, None, "spec",
                               why={"code": "unreadable", "error": first_problem(err)})
            return Finding(rel, None, kind, "spec", options={"spec": spec},
                           why={"code": "spec", "kind": kind, "headers": ", ".join(sorted(need))})
    return Finding(rel, None, None, "spec", why={"code": "spec_unknown"})


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
        return [survey_finding(path, rel, None, None)]
    if suffix not in _TABLE_SUFFIXES:
        return [Finding(rel, None, None, why={"code": "not_table", "suffix": suffix or path.name})]
    try:
        sheets = sheet_names(path) if suffix in (".xlsx", ".xlsm", ".xls") else [None]
    except DataError as err:
        return [Finding(rel, None, None, why={"code": "unreadable", "error": first_problem(err)})]
    if {CODEBOOK_SHEET, ADJUDICATION_SHEET} <= set(filter(None, sheets)):  # grouplab minutes sample wrote it
        return [Finding(rel, None, None, why={"code": "coding_workbook"})]
    out = []
    for sheet in sheets:
        try:
            grid = read_grid(path, sheet=sheet)
        except DataError as err:
            out.append(Finding(rel, sheet, None, why={"code": "unreadable", "error": first_problem(err)}))
            continue
        f = _recognise_sheet(path, rel, sheet, _filled_rows(grid), specs)
        f.sheet = sheet if len(sheets) > 1 else None  # the only sheet goes unnamed: renaming it is harmless
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
    survey = survey_headers(path, rel, sheet, first)
    if survey is not None and survey.table:
        return survey
    long, nearest = _long_match(head, {"sheet": sheet, "file": Path(rel).name})
    wide = wide_match(path, rel, sheet, head, rows, specs)
    if long is not None and (wide is None or long[1] >= 3):
        table, _, headers, roster, unit = long
        code = "roster" if roster else "long"
        spec = codebook()[table]
        notes = [{"code": "unit_in_title", "unit": unit[0], "text": unit[2]}] if unit else []
        return Finding(rel, sheet, table, "long", why={"code": code, "table_en": spec.en, "table_zh": spec.zh,
                                                       "headers": ", ".join(headers)}, notes=notes)
    if wide is not None:
        return wide
    if survey is not None:  # metadata of a platform, but broken: say that rather than 'unknown'
        return survey
    return Finding(rel, sheet, None, why={"code": "unknown", "nearest": nearest})


# ------------------------------------------------------------------ long tables


def _long_match(rows: list[list[Any]], where: dict):
    """Best long table over the header candidates (table, n matched, headers, roster?, the unit a roster
    without a unit column names in its title or file name); the closest miss."""
    best, near = None, None
    for i, row in enumerate(rows):
        texts = texts_of(row)
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
            unit = None
            if roster and missing == ["unit_id"]:  # one unit's roster: its title or file names the unit
                above = " ".join(t for r in rows[:i] for t in texts_of(r))
                unit = unit_in_texts({"title": above, **where})
                missing = [] if unit else missing
            score = len([c for c in matched if c in spec.columns])
            if not missing and score >= 2:
                cand = (table, score, headers, roster, unit)
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
    group_names = {normalize_header(t) for t in GROUP_NAMES}
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
