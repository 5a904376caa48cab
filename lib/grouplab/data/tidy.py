"""Long (tidy) tables: one row per record, one column per codebook column, from CSV/Excel/SAV/Parquet.

:func:`read_table` reads and validates one file; :func:`load_long` is the
dataset loader of ``layout: long`` entries (several files or sheets
concatenated, each validated on its own).
"""

from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path

import pandas as pd

from grouplab.data.checks import duplicate_keys
from grouplab.data.codebook import TABLES, TableSpec, codebook, normalize_header
from grouplab.data.ledgers.layouts import looks_wide
from grouplab.data.ledgers.roster import GROUP_NAME_COLUMNS, ROOT_ID, UNIT_COLUMNS, roster_ids, sector_of
from grouplab.data.ledgers.scope import names_to_ids, sheet_scope, unit_in_texts
from grouplab.data.ledgers.sheet import FILLED_BY
from grouplab.data.loadstate import LoadState, missing_file
from grouplab.data.places import sheet_place
from grouplab.data.problems import did_you_mean, problem, reword
from grouplab.data.readers.base import RawTable, object_cells, read_raw
from grouplab.data.schema import validate_raw
from grouplab.data.surveys.assemble import check_survey_items, drop_personal_columns
from grouplab.data.surveys.privacy import file_removals
from grouplab.errors import DataError, Problem
from grouplab.paths import MANIFEST

__all__ = ["read_table", "load_long"]


def _known_headers(spec: TableSpec) -> set[str]:
    out = set()
    for col in spec.columns.values():
        out.update([col.name, col.zh, *col.aliases])
    return out


def read_table(path: str | Path, table: str, *, sheet: str | None = None,
               encoding: str | None = None) -> pd.DataFrame:
    """Read one table file (CSV, XLSX, XLS, SAV, Parquet) and validate it.

    Headers may be canonical names or any codebook alias (e.g. ``党小组编号``,
    ``考评得分``, ``日期``); values are coerced to the codebook types (dates in
    several formats, zh category labels, 是/否).

    Parameters
    ----------
    path : str or Path
        The file. It is only read, never written.
    table : str
        One of ``units, groups, activities, posts, evaluations, incidents,
        exposure, indicators, survey``.
    sheet : str, optional
        Excel sheet name (default: the first sheet).
    encoding : str, optional
        Text encoding of a CSV (default: sniff utf-8 / utf-8-sig / gb18030).

    Returns
    -------
    pandas.DataFrame
        The table's codebook columns (see ``grouplab.data.codebook``), in codebook
        order, then any extra columns of the file unchanged.

    Raises
    ------
    DataError
        Every problem of the file at once: file, row (header = row 1), column
        as written in the file, rule and offending value.
    """
    if table not in codebook():
        raise DataError([problem("unknown_table", str(path), table=table, tables=", ".join(TABLES))])
    df, problems, _, _ = _read_validated(Path(path), table, sheet=sheet, encoding=encoding)
    if problems:
        raise DataError(problems)
    return df.reset_index(drop=True)


def _read_validated(path: Path, table: str, *, sheet=None, encoding=None, label=None, tables=None,
                    entry=None):
    spec = codebook()[table]
    entry = entry or {}
    raw = read_raw(path, sheet=sheet, encoding=encoding, known_headers=_known_headers(spec) | _roster_headers(
        table, entry), file_label=label)
    before = raw
    if table == "minutes":  # a platform's export: topic and content, HTML, date-times, its kinds
        from grouplab.data.minutes.exports import export_cells

        raw = export_cells(raw)
    tables = tables if tables is not None else {}
    raw, problems, notes = prepare_long(raw, table, entry, tables, file=path.name)
    df, more, headers = validate_raw(raw, table)
    drop = raw.meta.get("unresolved") or []
    if drop and df is not None:  # unknown names: reported once, by names_to_ids
        df = df.drop(index=[r for r in drop if r in df.index])
    problems = _roster_hints(table, problems + more)
    reading = {"file": raw.file, "sheet": raw.meta.get("sheet"), "header_rows": [raw.meta.get("header_row")],
               "skipped": ([{"rows": raw.meta.get("dropped_rows", []), "why": "total_row"}]
                           if raw.meta.get("dropped_rows") else []) + list(raw.meta.get("trimmed") or []),
               "matched": dict(headers), **_read_and_unused(before, raw, spec, notes),
               "rows": 0 if df is None else len(df), "notes": notes,
               "first_rows": [list(raw.frame.columns), *object_cells(raw, head=20).frame.values.tolist()],
               "place": sheet_place(before, path.name, list(raw.frame.columns)),  # popped by the caller
               "new_units": raw.meta.get("new_units", [])}  # popped by the caller
    return df, problems, headers, reading


def _read_and_unused(before: RawTable, raw: RawTable, spec: TableSpec, notes: list[dict]) -> dict:
    """The file's headers that were read, and those left unread (no codebook column of ``spec``).

    A header is unread when it is still in the table after names were resolved and matches no codebook
    column (``应到`` before the codebook knew it, a 缺席人数 or 备注 column), or when it names people (a
    minutes export's 参会人员, left out); a 序号 row number is neither.
    An open table (survey items) lists nothing: its other columns are the questionnaire's.
    """
    if spec.open:
        return {}
    aliases = spec.alias_map()
    written = [str(h) for h in before.frame.columns if str(h).strip()]
    final = {str(h) for h in raw.frame.columns}
    row_numbers = {n.get("column") for n in notes if n.get("from") == "row_number"}
    personal = set()
    if spec.name == "minutes":  # people's names: left out by the export's reading, never read
        from grouplab.data.minutes.exports import PERSONAL_HEADERS

        personal = {normalize_header(p) for p in PERSONAL_HEADERS}
    unused = [h for h in written if (h in final and aliases.get(normalize_header(h)) is None)
              or normalize_header(h) in personal]
    read = [h for h in written if h not in unused and h not in row_numbers]
    return {"read": read, "unused": unused}


def _roster_hints(table: str, problems: list[Problem]) -> list[Problem]:
    """A groups table's missing id/name/unit columns, said once and with the roster's way out."""
    if table != "groups":
        return problems
    roster = any(p.code == "groups_without_ids" for p in problems)
    out = []
    for p in problems:
        if p.code == "missing_column" and roster and p.column in ("党小组编号", "党小组名称"):
            continue
        if p.code == "missing_column" and p.column == "单位编号":
            p = reword(p, "missing_unit_column")
        out.append(p)
    return out


def _roster_headers(table: str, entry: dict) -> set[str]:
    """Headers that find a roster's or register's header row besides the codebook's (名册: 工区, 党小组 …)."""
    columns = entry.get("columns")
    extra = {str(h) for h in columns} if isinstance(columns, dict) else set()
    if table in ("units", "groups", "incidents", "activities", "posts", "exposure", "member_attendance"):
        extra |= set(UNIT_COLUMNS) | set(GROUP_NAME_COLUMNS) | {"序号"}
    return extra


def load_long(st: LoadState, table: str, entry: dict) -> None:
    """One long table from one or more files/sheets (concatenated, each validated on its own)."""
    parts, reading = [], []
    for src in entry["sources"]:
        rel = src["file"]
        if not st.hash_file(rel):
            missing_file(st, table, rel)
            continue
        several = len(entry["sources"]) > 1 and src.get("sheet")
        label = f"{Path(rel).name}[{src['sheet']}]" if several else None
        try:
            df, probs, hdr, how = _read_validated(st.folder / rel, table, sheet=src.get("sheet"),
                                                  encoding=entry.get("encoding"), label=label,
                                                  tables=st.tables, entry={**entry, **src})
        except DataError as err:
            st.problems.extend(err.problems)
            continue
        if any(p.code == "missing_column" for p in probs) and looks_wide(
                table, how.pop("first_rows"), st.specs):
            probs = [_wide_hint(p, table) for p in probs]
        how.pop("first_rows", None)
        add_units(st, how.pop("new_units", []), label or Path(rel).name)
        place = how.pop("place", None)
        if place is not None:
            st.places[place.label] = place
        st.problems.extend(probs)
        reading.append(how)
        if df is not None:
            df["__file"] = label or Path(rel).name
            if table == "survey":  # personal data out, answers checked, as for platform exports
                st.privacy += file_removals(table, label or Path(rel).name,
                                            drop_personal_columns(df), hdr.get("respondent_id"))
                if st.specs.get("questionnaire") is not None:
                    st.problems.extend(check_survey_items(df, st.specs["questionnaire"], hdr))
            parts.append(df)
            st.headers[table] = {**hdr, **st.headers.get(table, {})}
    st.reading[table] = reading
    if parts:
        st.tables[table] = pd.concat(parts) if len(parts) > 1 else parts[0]
        if len(parts) > 1:
            st.problems.extend(duplicate_keys(st.tables[table], table, st.headers[table]))


def _wide_hint(p: Problem, table: str) -> Problem:
    if p.code != "missing_column":
        return p
    return reword(p, "missing_column_wide", table=table)


# ------------------------------------------------------------------ before validation: names, ids, columns
def prepare_long(raw: RawTable, table: str, entry: dict, tables: dict, *, file: str
                 ) -> tuple[RawTable, list[Problem], list[dict]]:
    """A long table as read → codebook columns: ``columns:`` renames, 序号, names to ids, register ids.

    Returns
    -------
    raw : RawTable
        Headers renamed, a 序号 row-number column left out, ids derived or looked
        up from names (``meta['unresolved']``: rows whose name could not be
        resolved; ``meta['new_units']``: units a roster names that the units
        table lacks).
    problems : list of Problem
    notes : list of dict
        Reading notes (``{"what": …, "from": code, …}``, worded by :mod:`grouplab.data.notes`).
    """
    raw, problems = _rename_columns(raw, table, entry.get("columns"))
    raw, notes = _row_number_column(raw, table)
    above = raw.meta.get("above") or []
    scope, probs = sheet_scope(tables.get("units"), unit=entry.get("unit"),
                               title=" ".join(t for _, t in above if not FILLED_BY.search(t)),
                               filed_by=" ".join(t for _, t in above if FILLED_BY.search(t)),
                               sheet=raw.meta.get("sheet"), file=file, key=f"tables.{table}")
    if table == "groups" and scope is None:  # a roster of one unit that 'unit:' or its title names
        raw, probs, named = _unit_from_manifest(raw, entry.get("unit"), probs, texts={
            "title": " ".join(t for _, t in above if not FILLED_BY.search(t)),
            "filed_by": " ".join(t for _, t in above if FILLED_BY.search(t)),
            "sheet": raw.meta.get("sheet"), "file": file})
        notes += named
    problems += probs
    if table in ("units", "groups"):
        one = scope.units[0] if scope and len(scope.units) == 1 else None
        r = roster_ids(raw, table, tables, scope_unit=one)
        raw, notes = r.raw, notes + r.notes + ([scope.record] if scope and table == "groups" and any(
            n.get("from") == "scope_unit" for n in r.notes) else [])
        problems += r.problems
        raw = dataclasses.replace(raw, meta={**raw.meta, "new_units": r.units})
    elif table != "minutes":  # minutes keep their names: linking lists the unknown ones (data.minutes)
        raw, probs, drop, more = names_to_ids(raw, table, tables, scope=scope)
        problems, notes = problems + probs, notes + more
        raw = dataclasses.replace(raw, meta={**raw.meta, "unresolved": drop})
    raw, more = _register_ids(raw, table, file)
    return raw, problems, notes + more


def _unit_from_manifest(raw: RawTable, unit, probs: list[Problem], *, texts: dict
                        ) -> tuple[RawTable, list[Problem], list[dict]]:
    """A groups roster without a unit column whose entry says ``unit: 变电检修工区``, or (no ``unit:``)
    whose title, 填报单位 row, sheet or file name names a unit (:func:`unit_in_texts`): every group is
    of that unit, created from its name when the units table lacks it. Returns the reading note too."""
    aliases = codebook()["groups"].alias_map()
    has_unit = any(normalize_header(h) in UNIT_COLUMNS or aliases.get(normalize_header(h)) == "unit_id"
                   for h in raw.frame.columns)
    if has_unit:
        return raw, probs, []
    notes = []
    if unit is None or not str(unit).strip():
        found = unit_in_texts(texts)
        if found is None:
            return raw, probs, []
        unit = found[0]
        notes.append({"what": "unit", "from": "unit_in_title", "unit": found[0], "text": found[2]})
    frame = raw.frame.assign(所属单位=str(unit).strip())
    return (dataclasses.replace(raw, frame=frame, headers=list(frame.columns)),
            [p for p in probs if not p.column.endswith(".unit")], notes)


def _rename_columns(raw: RawTable, table: str, columns) -> tuple[RawTable, list[Problem]]:
    """``columns: {header as written: codebook column}`` of a long table's entry."""
    if not columns:
        return raw, []
    spec, key = codebook()[table], f"tables.{table}.columns"
    if not isinstance(columns, dict):
        return raw, [problem("columns_not_mapping", MANIFEST, None, key, str(columns)[:80], table=table,
                             columns=", ".join(spec.columns))]
    aliases, problems, rename = spec.alias_map(), [], {}
    by_norm = {normalize_header(h): h for h in raw.frame.columns}
    for header, target in columns.items():
        canon = aliases.get(normalize_header(target))
        if canon is None:
            close = difflib.get_close_matches(str(target), list(spec.columns), n=1, cutoff=0.5)
            problems.append(problem("no_such_codebook_column", MANIFEST, None, f"{key}.{header}", str(target),
                                    target=target, table=table, columns=", ".join(spec.columns),
                                    **did_you_mean(close)))
            continue
        written = by_norm.get(normalize_header(header))
        if written is None:
            heads = [str(h) for h in raw.frame.columns]
            close = difflib.get_close_matches(str(header), heads, n=1, cutoff=0.5)
            problems.append(problem("header_not_in_file", raw.file, raw.meta.get("header_row"), str(header),
                                    str(header), headers=", ".join(map(str, raw.frame.columns)),
                                    **did_you_mean(close)))
            continue
        rename[written] = canon
    frame = raw.frame.rename(columns=rename)
    return dataclasses.replace(raw, frame=frame, headers=list(frame.columns)), problems


def _row_number_column(raw: RawTable, table: str) -> tuple[RawTable, list[dict]]:
    """A 序号 column is a row number, never an id: left out (activities number ``seq`` themselves).

    A 序号 that is not 1, 2, …, n in row order (an activity log's 1, 1, 2 within a day) is kept as
    ``seq`` where the codebook reads it so; a survey's 序号 is the platform's answer number.
    """
    col = next((h for h in raw.frame.columns if normalize_header(h) in _ROW_NUMBER), None)
    if col is None or table == "survey":
        return raw, []
    canon = codebook()[table].alias_map().get(normalize_header(col))
    values = pd.to_numeric(pd.Series(object_cells(raw).frame[col].to_numpy()), errors="coerce")
    counting = len(values) > 1 and values.notna().all() and (values.diff().iloc[1:] == 1).all()
    if canon is not None and not counting:
        return raw, []
    frame = raw.frame.drop(columns=[col])
    raw = dataclasses.replace(raw, frame=frame, headers=list(frame.columns))
    return raw, [{"what": "column", "from": "row_number", "column": str(col)}]


_ROW_NUMBER = {"序号", "行号", "no", "no."}


def _register_ids(raw: RawTable, table: str, file: str) -> tuple[RawTable, list[dict]]:
    """A register without ids (an incident list): ids from file, sheet and row; ``seq`` numbered in row order.

    The id of the record in row ``r`` of sheet ``s`` of file ``f.xlsx`` is ``f/s/r`` (``f/r`` for a CSV):
    the same as long as the file keeps its rows.
    """
    spec = codebook()[table]
    aliases = spec.alias_map()
    present = {aliases.get(normalize_header(h)): h for h in raw.frame.columns}
    key = list(spec.key)
    rows = list(raw.meta.get("row_numbers") or range(raw.first_row, raw.first_row + len(raw.frame)))
    if len(key) == 1 and key[0] not in present and key[0] not in ("unit_id", "group_id") and len(raw.frame):
        stem, sheet = Path(file).stem, raw.meta.get("sheet")
        ids = [f"{stem}/{sheet}/{r}" if sheet else f"{stem}/{r}" for r in rows]
        frame = raw.frame.assign(**{key[0]: ids})
        return dataclasses.replace(raw, frame=frame, headers=list(frame.columns)), [
            {"what": "ids", "from": "row_ids", "column": key[0], "example": ids[0]}]
    if "seq" in key and "seq" not in present and all(k in present for k in key if k != "seq"):
        cells = object_cells(raw).frame
        parts = cells[[present[k] for k in key if k != "seq"]].astype(str)
        seq = parts.groupby(list(parts.columns), sort=False).cumcount() + 1
        frame = raw.frame.assign(seq=seq.to_numpy())
        return dataclasses.replace(raw, frame=frame, headers=list(frame.columns)), [
            {"what": "column", "from": "seq_numbered"}]
    return raw, []


def add_units(st: LoadState, new: list[dict], file: str) -> None:
    """Units a roster names that the units table lacks: added, under the company root (created if none)."""
    if not new:
        return
    units = st.tables.get("units")
    roots = [] if units is None or "level" not in units else \
        list(units.loc[units["level"].astype(str) == "company", "unit_id"].astype(str))
    rows = []
    if len(roots) == 1:
        root = roots[0]
        sector = str(units.loc[units["unit_id"].astype(str) == root, "sector"].iloc[0])
    else:
        taken = set() if units is None else set(units["unit_id"].astype(str))
        root = ROOT_ID if ROOT_ID not in taken else f"{ROOT_ID}-root"
        name = st.manifest.get("company") or "公司"
        sector = sector_of([u["name"] for u in new] + [name])
        rows.append({"unit_id": root, "name": str(name), "parent_id": None, "level": "company",
                     "sector": sector})
    rows += [{"unit_id": u["unit_id"], "name": u["name"], "parent_id": u["parent_id"] or root,
              "level": u["level"], "sector": sector} for u in new]
    frame = pd.DataFrame(rows, dtype=object)
    raw = RawTable(frame, file, st.folder, 1, list(frame.columns), None, (),
                   {"format": "roster", "row_numbers": list(range(1, len(frame) + 1)), "dropped_rows": [],
                    "header_row": None})
    df, problems, headers = validate_raw(raw, "units")
    st.problems.extend(problems)
    if df is None:
        return
    df["__file"] = file
    st.tables["units"] = df if units is None else pd.concat([units, df])
    st.headers.setdefault("units", headers)
    note = {"what": "units", "from": "units_from_roster", "n": len(new), "root": root,
            "names": "、".join(u["name"] for u in new)}
    st.reading.setdefault("units", []).append({"file": file, "sheet": None, "header_rows": [], "skipped": [],
                                               "matched": {}, "rows": len(df), "notes": [note]})
