"""Long (tidy) tables: one row per record, one column per codebook column, from CSV/Excel/SAV/Parquet.

:func:`read_table` reads and validates one file; :func:`load_long` is the
dataset loader of ``layout: long`` entries (several files or sheets
concatenated, each validated on its own).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from grouplab.data.checks import duplicate_keys
from grouplab.data.codebook import TABLES, TableSpec, codebook
from grouplab.data.ledgers.entities import names_to_ids
from grouplab.data.ledgers.layouts import looks_wide
from grouplab.data.loadstate import LoadState, missing_file
from grouplab.data.places import sheet_place
from grouplab.data.readers.base import object_cells, read_raw
from grouplab.data.schema import validate_raw
from grouplab.data.surveys.assemble import check_survey_items, drop_personal_columns
from grouplab.data.surveys.privacy import file_removals
from grouplab.errors import DataError, Problem

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
        raise DataError(f"unknown table {table!r}; tables: {', '.join(TABLES)}", file=str(path))
    df, problems, _, _ = _read_validated(Path(path), table, sheet=sheet, encoding=encoding)
    if problems:
        raise DataError(problems)
    return df.reset_index(drop=True)


def _read_validated(path: Path, table: str, *, sheet=None, encoding=None, label=None, tables=None):
    spec = codebook()[table]
    raw = read_raw(path, sheet=sheet, encoding=encoding, known_headers=_known_headers(spec),
                   file_label=label)
    before = raw
    raw, named, drop = names_to_ids(raw, table, tables or {})
    df, problems, headers = validate_raw(raw, table)
    if drop and df is not None:  # unknown names: reported once, by names_to_ids
        df = df.drop(index=drop)
    problems = named + problems
    reading = {"file": raw.file, "sheet": raw.meta.get("sheet"), "header_rows": [raw.meta.get("header_row")],
               "skipped": ([{"rows": raw.meta.get("dropped_rows", []), "why": "total_row"}]
                           if raw.meta.get("dropped_rows") else []) + list(raw.meta.get("trimmed") or []),
               "matched": dict(headers),
               "rows": 0 if df is None else len(df),
               "first_rows": [list(raw.frame.columns), *object_cells(raw, head=20).frame.values.tolist()],
               "place": sheet_place(before, path.name, list(raw.frame.columns))}  # popped by the caller
    return df, problems, headers, reading


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
                                                  tables=st.tables)
        except DataError as err:
            st.problems.extend(err.problems)
            continue
        if any(p.code == "missing_column" for p in probs) and looks_wide(
                table, how.pop("first_rows"), st.specs):
            probs = [_wide_hint(p, table) for p in probs]
        how.pop("first_rows", None)
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
    return dataclasses.replace(p, hint=f"{p.hint} This sheet looks wide (one column per item, indicator "
                               f"or month): write 'layout: wide' in its entry under tables.{table} in "
                               "dataset.yml (see README 'Your own data').")
