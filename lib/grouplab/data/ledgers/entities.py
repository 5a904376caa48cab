"""Groups and units named as on the sheet: resolve names to ids, suggest the closest known names.

Ledgers name a party group (``线路一班党小组``) instead of its id (``G001``),
often with stray spaces or full-width characters. :func:`resolve_names` maps
those names to ids through the ``groups`` or ``units`` table; a name that is
unknown, or shared by two entries, is a problem listing the closest known names
(by :func:`difflib.get_close_matches`, the standard library's
Ratcliff–Obershelp similarity — enough for a few hundred names, no dependency).
"""

from __future__ import annotations

import difflib

import pandas as pd

from grouplab.data.codebook import normalize_header

__all__ = ["NAME_HEADERS", "LOOKUP", "name_key", "resolve_names"]

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
