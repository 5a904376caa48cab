"""Where a sheet says it belongs: the unit whose group names it uses (综合班党小组 of which 工区?).

Two units often have a group of the same name. A sheet usually says which unit
it is about; :func:`sheet_scope` finds that unit, in this order:

1. ``unit:`` in the table's (or the file's) entry of dataset.yml, an id or a name;
2. the title rows above the header (``变电检修工区2019年安全事件登记表``);
3. a ``填报单位：…`` / ``单位：…`` row above the header;
4. the sheet name; 5. the file name.

A unit is named when its whole name (as compared by
:func:`~grouplab.data.ledgers.entities.name_key`) occurs in the text; of
several, the most specific (a unit below another named one) wins.
:func:`resolve_groups` then resolves group names over all groups, and only a
name shared by several groups again within the scope's unit and the units below
it (a row's own unit column, e.g. ``工区``, before the sheet's unit); a name
still ambiguous is a problem naming the scope tried.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from grouplab.data.codebook import codebook, normalize_header
from grouplab.data.ledgers.entities import LOOKUP, NAME_HEADERS, name_key, resolve_names
from grouplab.data.ledgers.roster import UNIT_COLUMNS
from grouplab.data.problems import problem
from grouplab.data.readers.base import RawTable, object_cells
from grouplab.errors import Problem
from grouplab.paths import MANIFEST

__all__ = ["Scope", "sheet_scope", "resolve_groups", "below", "unit_names", "ambiguity", "lookup_map",
           "names_to_ids", "unit_in_texts"]


@dataclass(frozen=True)
class Scope:
    """The unit(s) a sheet names, and where it named them."""

    units: tuple[str, ...]               # unit ids named (most specific)
    within: frozenset[str]               # those and every unit below them
    record: dict = field(default_factory=dict)  # reading note: {"what": "scope", "from": code, …}

    def describe(self, units: pd.DataFrame | None) -> str:
        """The scope as a user reads it: unit names and where they were named."""
        names = unit_names(units)
        where = {"scope_manifest": "dataset.yml 'unit:'", "scope_title": "the sheet's title",
                 "scope_filed_by": "the 填报单位 row", "scope_sheet": "the sheet name",
                 "scope_file": "the file name"}.get(self.record.get("from"), "")
        return f"{', '.join(names.get(u, u) for u in self.units)} (named by {where})"


def unit_names(units: pd.DataFrame | None) -> dict[str, str]:
    """Unit id -> name (empty without a units table)."""
    if units is None or "unit_id" not in units or "name" not in units:
        return {}
    return dict(zip(units["unit_id"].astype(str), units["name"].astype(str), strict=True))


def below(units: pd.DataFrame | None, roots) -> frozenset[str]:
    """The units ``roots`` and every unit below them (through ``parent_id``)."""
    out = set(map(str, roots))
    if units is None or "parent_id" not in units:
        return frozenset(out)
    children: dict[str, list[str]] = {}
    for u, p in zip(units["unit_id"].astype(str), units["parent_id"], strict=True):
        if p is not None and p is not pd.NA and p == p:
            children.setdefault(str(p), []).append(u)
    todo = list(out)
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in out:
                out.add(c)
                todo.append(c)
    return frozenset(out)


def _named_in(text: str, units: pd.DataFrame) -> list[str]:
    """Units whose whole name occurs in ``text``, the most specific only (no company root)."""
    key = name_key(text)
    if not key:
        return []
    hits = [u for u, n, lv in zip(units["unit_id"].astype(str), units["name"], units.get(
        "level", pd.Series("", index=units.index)), strict=True)
        if name_key(n) and name_key(n) in key and str(lv) != "company"]
    # a unit above another named one (the 工区 of a 班站 also named) gives way to it
    return sorted(u for u in hits if not any(o != u and o in below(units, [u]) for o in hits))


# what a roster's title says around its unit's name: 2019年 … 党小组名册 / 花名册 / 一览表 …
_YEAR_HEAD = re.compile(r"^[（(]?(?:19|20)\d{2}\s*(?:年度?|-(?:19|20)?\d{2}年度?)?[）)]?")
_ROSTER_TAIL = re.compile(r"(?:党小组|党员|小组)?(?:基本|设置|组成)?(?:情况)?(?:统计|登记|信息|汇总|一览)?"
                          r"(?:花名册|名册|名单|表|台账)?$")
_FILED_HEAD = re.compile(r"^.*?(?:填报|填表|报送|制表)?(?:单位|部门)\s*[:：]\s*")
#: endings of a unit's name (a group's name ends in 党小组/班/组 and is not one)
_UNIT_END = ("工区", "作业区", "车间", "党支部", "支部", "分公司", "公司", "站", "厂", "队",
             "所", "中心", "部", "矿", "处", "科", "段", "局", "院")


def unit_in_texts(texts: Mapping[str, str]) -> tuple[str, str, str] | None:
    """The unit a roster without a unit column names in its title, 填报单位 row, sheet or file name.

    Used when there is no units table to look names up in (:func:`sheet_scope` needs one): the words
    around the name (a year, ``党小组名册``, ``.xlsx``) are taken off and what is left must end like a
    unit (工区, 车间, 支部, 站, 公司 …).

    Parameters
    ----------
    texts : mapping
        ``{"title": …, "filed_by": …, "sheet": …, "file": …}`` (any may be missing or empty), tried in
        that order.

    Returns
    -------
    (name, where, text) or None
        The unit's name, ``title`` / ``filed_by`` / ``sheet`` / ``file`` and the text it came from.

    Examples
    --------
    >>> unit_in_texts({"title": "变电检修工区2019年党小组名册"})
    ('变电检修工区', 'title', '变电检修工区2019年党小组名册')
    >>> unit_in_texts({"title": "2019年党小组花名册", "file": "输电运检工区党小组名册.xlsx"})[:2]
    ('输电运检工区', 'file')
    >>> unit_in_texts({"title": "党小组名册", "sheet": "Sheet1"}) is None
    True
    """
    for where in ("title", "filed_by", "sheet", "file"):
        text = str(texts.get(where) or "").strip()
        # a merged title cell is read once per cell it spans: each distinct piece, then all of them
        pieces = list(dict.fromkeys(text.split()))
        text = " ".join(pieces)
        for piece in [*pieces, "".join(pieces)] if len(pieces) > 1 else pieces:
            name = _unit_name(piece, where)
            if name:
                return name, where, text
    return None


def _unit_name(text: str, where: str) -> str | None:
    """The unit's name in one title, 填报单位 row, sheet or file name, else None."""
    name = re.sub(r"\.[A-Za-z]{2,4}$", "", text) if where == "file" else text
    if where == "filed_by":
        name = _FILED_HEAD.sub("", name) if _FILED_HEAD.search(name) else ""
    for _ in range(2):  # 变电检修工区2019年党小组名册: the tail, then the year before it
        name = _ROSTER_TAIL.sub("", name)
        name = re.sub(r"(?:19|20)\d{2}\s*年度?(?:上半年|下半年)?$", "", name)
    name = _YEAR_HEAD.sub("", name)
    return name if len(name) >= 3 and name.endswith(_UNIT_END) else None


def sheet_scope(units: pd.DataFrame | None, *, unit: object = None, title: str = "", filed_by: str = "",
                sheet: str | None = None, file: str | None = None, key: str = "tables"
                ) -> tuple[Scope | None, list[Problem]]:
    """The unit a sheet belongs to, from dataset.yml, its title, 填报单位 row, sheet or file name.

    Parameters
    ----------
    units : pandas.DataFrame or None
        The units table (``unit_id``, ``name``, ``parent_id``, ``level``).
    unit : str, optional
        ``unit:`` of the manifest entry (an id or a name).
    title, filed_by, sheet, file : str
        Texts of the sheet: title rows, 填报单位 row, sheet name, file name.
    key : str
        The manifest key of the entry (for a problem with ``unit:``).

    Returns
    -------
    scope : Scope or None
        None when nothing names a unit.
    problems : list of Problem
        A ``unit:`` that names no unit.
    """
    if units is None or "unit_id" not in units or "name" not in units:
        return None, []
    if unit is not None and str(unit).strip():
        res = resolve_names(pd.Series([str(unit)]), units, id_column="unit_id")
        if res["status"].iloc[0] != "ok":
            cands = res["candidates"].iloc[0]
            said = ({"candidates": cands or "none", "candidates_zh": cands or "无"}
                    if res["status"].iloc[0] == "unknown" else {"candidates": cands})
            code = "unit_unknown" if res["status"].iloc[0] == "unknown" else "unit_ambiguous"
            return None, [problem(code, MANIFEST, None, f"{key}.unit", str(unit), **said)]
        uid = str(res["id"].iloc[0])
        return Scope((uid,), below(units, [uid]), {"what": "scope", "from": "scope_manifest",
                                                     "unit": unit_names(units).get(uid, uid)}), []
    for code, text in (("scope_title", title), ("scope_filed_by", filed_by), ("scope_sheet", sheet),
                       ("scope_file", file)):
        hits = _named_in(text or "", units)
        if hits:
            names = unit_names(units)
            return Scope(tuple(hits), below(units, hits), {"what": "scope", "from": code, "text": str(text),
                                                           "unit": "、".join(names[u] for u in hits)}), []
    return None, []


def resolve_groups(names: pd.Series, groups: pd.DataFrame, units: pd.DataFrame | None,
                   scope: Scope | None = None, row_units: pd.Series | None = None) -> pd.DataFrame:
    """Group names to ids, a name shared by several groups resolved within the row's or the sheet's unit.

    Parameters
    ----------
    names : pandas.Series
        Group names (or ids) as written.
    groups : pandas.DataFrame
        The groups table (``group_id``, ``name``, ``unit_id``).
    units : pandas.DataFrame or None
        The units table (units below a scope's unit count as within it).
    scope : Scope, optional
        The sheet's unit (:func:`sheet_scope`).
    row_units : pandas.Series, optional
        Each row's own unit id (a 工区 column), same index as ``names``; wins over ``scope``.

    Returns
    -------
    pandas.DataFrame
        As :func:`~grouplab.data.ledgers.entities.resolve_names` (``id``, ``status``,
        ``candidates``) plus ``scope`` (str): for a name resolved or still ambiguous
        within a unit, that unit and where it was named ('' otherwise), and
        ``scope_status`` (str): the name's status within it (``ok``, ``unknown``
        or ``ambiguous``; '' when no scope was tried).

    Examples
    --------
    >>> g = pd.DataFrame({"group_id": ["G1", "G2"], "name": ["综合班党小组"] * 2, "unit_id": ["A", "B"]})
    >>> u = pd.DataFrame({"unit_id": ["A", "B"], "name": ["变电工区", "输电工区"], "parent_id": [None, None]})
    >>> s, _ = sheet_scope(u, title="输电工区安全事件登记表")
    >>> resolve_groups(pd.Series(["综合班党小组"]), g, u, s)[["id", "status"]].values.tolist()
    [['G2', 'ok']]
    """
    res = resolve_names(names, groups, id_column="group_id")
    res["scope"], res["scope_status"] = "", ""
    amb = res.index[res["status"] == "ambiguous"]
    if len(amb) == 0 or "unit_id" not in groups:
        return res
    names_of = unit_names(units)
    for i in amb:
        own = None if row_units is None else row_units.loc[i]
        if own is not None and own == own and str(own):
            within, said = below(units, [str(own)]), f"{names_of.get(str(own), own)} (the row's unit column)"
        elif scope is not None:
            within, said = scope.within, scope.describe(units)
        else:
            continue
        sub = groups[groups["unit_id"].astype(str).isin(within)]
        r = resolve_names(names.loc[[i]], sub, id_column="group_id")
        res.loc[i, "scope"] = said
        res.loc[i, "scope_status"] = r["status"].iloc[0]
        if r["status"].iloc[0] == "ok":
            res.loc[i, ["id", "status", "candidates"]] = [r["id"].iloc[0], "ok", ""]
    return res


def ambiguity(candidates: str, scope_said: str, scope_status: str, groups: pd.DataFrame,
              units: pd.DataFrame | None) -> tuple[str, dict]:
    """The problem code and values of a group name still ambiguous: the scope tried and the groups
    sharing the name (``ambiguous_name_in_scope`` or ``ambiguous_name_no_scope``)."""
    names = unit_names(units)
    unit_of = dict(zip(groups["group_id"].astype(str), groups.get("unit_id", groups["group_id"]).astype(str),
                       strict=True)) if "group_id" in groups else {}
    ids = [c.strip() for c in candidates.split(",") if c.strip()]
    listed = ", ".join(f"{g} ({names.get(unit_of.get(g, ''), unit_of.get(g, ''))})" for g in ids)
    if scope_said:
        there = (("no group there has this name", "那里没有叫这个名字的党小组") if scope_status == "unknown"
                 else ("it is not unique there either", "在那里也不唯一"))
        return "ambiguous_name_in_scope", {"scope": scope_said, "there": there[0], "there_zh": there[1],
                                           "listed": listed}
    return "ambiguous_name_no_scope", {"listed": listed}


def lookup_map(units: pd.DataFrame | None) -> Mapping[str, str]:
    """Unit names and ids as compared -> unit id (for a row's unit column)."""
    out: dict[str, str] = {}
    for u, n in unit_names(units).items():
        out.setdefault(name_key(n), u)
        out[name_key(u)] = u
    return out


def _row_units(raw: RawTable, table: str, units: pd.DataFrame | None, frame: pd.DataFrame):
    """A table's own unit column (``工区``, ``所属单位`` …) as unit ids, with its header.

    (None, None) without one."""
    col = next((h for h in frame.columns if normalize_header(h) in UNIT_COLUMNS), None)
    if col is None or units is None:
        return None, None
    ids = lookup_map(units)
    return frame[col].map(lambda v: ids.get(name_key(v))), col


def names_to_ids(raw: RawTable, table: str, tables: Mapping[str, pd.DataFrame], *,
                 scope: Scope | None = None) -> tuple[RawTable, list[Problem], list[int], list[dict]]:
    """A long table that names its groups (``党小组``) or entities instead of giving ids: names become ids.

    Applies only when the table has no id column (``党小组编号``) but a name
    column (:data:`~grouplab.data.ledgers.entities.NAME_HEADERS`) and the lookup
    table (groups or units) is loaded. Group names shared by several groups are
    resolved within the row's unit column (``工区``) or the sheet's ``scope``.

    Returns
    -------
    raw : RawTable
        With the name column's cells replaced by ids and headed by the id
        column's Chinese name; a unit-name column becomes ``unit_id`` (ids) when
        the table has that column (unchanged when nothing applies).
    problems : list of Problem
        Unknown or ambiguous names, at their row and column, with the closest
        names or the scope tried.
    drop : list of int
        File rows whose name could not be resolved (already reported).
    notes : list of dict
        Reading notes: the scope used, how many names it resolved.
    """
    spec = codebook()[table]
    aliases = spec.alias_map()
    present = {aliases.get(normalize_header(h)) for h in raw.frame.columns}
    units = tables.get("units")
    for canon, headers in NAME_HEADERS.items():
        other, id_col = LOOKUP[canon]
        known = tables.get(other)
        if canon not in spec.columns or canon in present or table == other or known is None \
                or id_col not in known or "name" not in known:
            continue  # (a lookup table without ids or names was reported when it was read)
        wanted = {normalize_header(h) for h in headers}
        col = next((h for h in raw.frame.columns if normalize_header(h) in wanted), None)
        if col is None:
            continue
        frame = object_cells(raw).frame.copy()
        row_units, unit_col = _row_units(raw, table, units, frame) if canon == "group_id" else (None, None)
        if canon == "group_id":
            res = resolve_groups(frame[col], known, units, scope, row_units)
        else:
            res = resolve_names(frame[col], known, id_column=id_col)
            res["scope"], res["scope_status"] = "", ""
        rows = raw.meta.get("row_numbers") or list(range(raw.first_row, raw.first_row + len(frame)))
        problems, drop = [], []
        for i, r in enumerate(res.itertuples(index=False)):
            if r.status not in ("unknown", "ambiguous"):
                continue
            if r.status == "unknown":
                p = problem("unknown_name", raw.file, rows[i], col, frame[col].iloc[i], other=other,
                            closest=r.candidates or "none")
            else:
                code, said = ambiguity(r.candidates, r.scope, r.scope_status, known, units)
                p = problem(code, raw.file, rows[i], col, frame[col].iloc[i], other=other, **said)
            problems.append(p)
            drop.append(rows[i])
        written = frame[col].astype(object)
        frame[col] = res["id"].where(res["status"] == "ok", written.where(written.notna(), None))
        frame = frame.rename(columns={col: spec.columns[canon].zh})
        if unit_col is not None and "unit_id" in spec.columns:  # the row's unit: its id
            is_id_col = aliases.get(normalize_header(unit_col)) == "unit_id"
            if is_id_col or "unit_id" not in present:
                frame[unit_col] = row_units.where(row_units.notna(), frame[unit_col])
                frame = frame.rename(columns={unit_col: spec.columns["unit_id"].zh})
        notes = _scope_notes(res, scope, unit_col)
        return dataclasses.replace(raw, frame=frame, headers=list(frame.columns)), problems, drop, notes
    return raw, [], [], []


def _scope_notes(res: pd.DataFrame, scope: Scope | None, unit_col: str | None) -> list[dict]:
    notes = []
    if scope is not None:
        notes.append(dict(scope.record))
    if unit_col is not None:
        notes.append({"what": "scope", "from": "scope_column", "column": unit_col})
    n = int(((res["scope"] != "") & (res["status"] == "ok")).sum())
    if n:
        notes.append({"what": "scope", "from": "scope_resolved", "n": n})
    return notes
