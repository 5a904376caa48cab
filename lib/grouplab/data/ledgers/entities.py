"""Groups and units named as on the sheet: resolve names to ids, suggest the closest known names.

Ledgers name a party group (``线路一班党小组``) instead of its id (``G001``),
often with stray spaces or full-width characters. :func:`resolve_names` maps
those names to ids through the ``groups`` or ``units`` table; a name that is
unknown, or shared by two entries, is a problem listing the closest known names
(by :func:`difflib.get_close_matches`, the standard library's
Ratcliff–Obershelp similarity — enough for a few hundred names, no dependency).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping

import pandas as pd

from grouplab.data.codebook import codebook, normalize_header
from grouplab.data.problems import problem
from grouplab.data.readers.base import RawTable
from grouplab.errors import Problem

__all__ = ["NAME_HEADERS", "name_key", "resolve_names", "names_to_ids"]

#: Headers that name an entity by its name rather than its id (canonical id column -> headers).
NAME_HEADERS = {"group_id": ("党小组", "党小组名称", "小组名称", "党小组名", "班组", "名称"),
                "entity_id": ("单位名称", "井名", "站名", "名称")}
#: Where names of each id column are looked up: table and its id column.
LOOKUP = {"group_id": ("groups", "group_id"), "entity_id": ("units", "unit_id")}


def name_key(name: object) -> str:
    """A name as compared: NFKC (full-width folded), every space removed, lower case.

    Examples
    --------
    >>> name_key(" 线路一班 党小组　")
    '线路一班党小组'
    """
    if name is None or name is pd.NA or (isinstance(name, float) and name != name):
        return ""
    return normalize_header(name)


def resolve_names(names: pd.Series, table: pd.DataFrame, *, id_column: str,
                  name_column: str = "name", n_suggestions: int = 3) -> pd.DataFrame:
    """Map entity names as written to ids through a table of known entities.

    Parameters
    ----------
    names : pandas.Series
        Names as written on the sheet (any index).
    table : pandas.DataFrame
        Known entities, e.g. the validated ``groups`` table.
    id_column, name_column : str, keyword-only
        Columns of ``table`` holding the id and the name. An id written where a
        name is expected is accepted as itself.
    n_suggestions : int
        How many close names to list for an unknown name.

    Returns
    -------
    pandas.DataFrame
        Same index as ``names``, columns:

        - ``id`` (object): the id, None when unknown, ambiguous or blank.
        - ``status`` (str): ``ok``, ``blank``, ``unknown`` or ``ambiguous``.
        - ``candidates`` (str): for ``unknown`` the closest known names, for
          ``ambiguous`` the ids sharing the name ('' otherwise).

    Examples
    --------
    >>> groups = pd.DataFrame({"group_id": ["G1", "G2"], "name": ["线路一班党小组", "变电党小组"]})
    >>> r = resolve_names(pd.Series([" 线路一班 党小组", "G2", "线路二班党小组"]), groups,
    ...                   id_column="group_id")
    >>> r["id"].tolist(), r["status"].tolist(), r["candidates"].iloc[2]
    (['G1', 'G2', None], ['ok', 'ok', 'unknown'], '线路一班党小组, 变电党小组')
    """
    by_name: dict[str, list[str]] = {}
    display: dict[str, str] = {}
    for gid, nm in zip(table[id_column].astype(str), table[name_column], strict=True):
        key = name_key(nm)
        by_name.setdefault(key, []).append(gid)
        display.setdefault(key, str(nm))
    ids = {name_key(g): g for g in table[id_column].astype(str)}
    rows = []
    for raw in names:
        key = name_key(raw)
        if not key:
            rows.append((None, "blank", ""))
        elif key in by_name and len(set(by_name[key])) > 1:
            rows.append((None, "ambiguous", ", ".join(sorted(set(by_name[key])))))
        elif key in by_name:
            rows.append((by_name[key][0], "ok", ""))
        elif key in ids:
            rows.append((ids[key], "ok", ""))
        else:
            close = difflib.get_close_matches(key, list(display), n=n_suggestions, cutoff=0.5)
            rows.append((None, "unknown", ", ".join(display[c] for c in close)))
    out = pd.DataFrame(rows, columns=["id", "status", "candidates"], index=names.index)
    out["id"] = pd.Series([r[0] for r in rows], index=names.index, dtype=object)
    return out


def names_to_ids(raw: RawTable, table: str, tables: Mapping[str, pd.DataFrame]
                 ) -> tuple[RawTable, list[Problem], list[int]]:
    """A long table that names its groups (``党小组``) instead of giving ids: names become ids.

    Applies only when the table has no id column (``党小组编号``) but a name
    column (:data:`NAME_HEADERS`), and the lookup table (groups or units) is loaded.

    Parameters
    ----------
    raw : RawTable
        The table as read.
    table : str
        Codebook table name.
    tables : mapping
        Tables loaded so far.

    Returns
    -------
    raw : RawTable
        With the name column's cells replaced by ids and headed by the id
        column's Chinese name (unchanged when nothing applies).
    problems : list of Problem
        Unknown or ambiguous names, at their row and column, with the closest names.
    drop : list of int
        File rows whose name could not be resolved (already reported).
    """
    spec = codebook()[table]
    aliases = spec.alias_map()
    present = {aliases.get(normalize_header(h)) for h in raw.frame.columns}
    for canon, headers in NAME_HEADERS.items():
        other, id_col = LOOKUP[canon]
        if canon not in spec.columns or canon in present or table == other or other not in tables:
            continue
        wanted = {normalize_header(h) for h in headers}
        col = next((h for h in raw.frame.columns if normalize_header(h) in wanted), None)
        if col is None:
            continue
        res = resolve_names(raw.frame[col], tables[other], id_column=id_col)
        rows = raw.meta.get("row_numbers") or list(range(raw.first_row, raw.first_row + len(raw.frame)))
        problems, drop = [], []
        for i, (status, cands) in enumerate(zip(res["status"], res["candidates"], strict=True)):
            if status in ("unknown", "ambiguous"):
                fields = ({"closest": cands or "none"} if status == "unknown" else {"candidates": cands})
                problems.append(problem(f"{status}_name", raw.file, rows[i], col, raw.frame[col].iloc[i],
                                        other=other, **fields))
                drop.append(rows[i])
        frame = raw.frame.copy()
        written = raw.frame[col].astype(object)
        frame[col] = res["id"].where(res["status"] == "ok", written.where(written.notna(), None))
        frame = frame.rename(columns={col: spec.columns[canon].zh})
        return dataclasses.replace(raw, frame=frame), problems, drop
    return raw, [], []
