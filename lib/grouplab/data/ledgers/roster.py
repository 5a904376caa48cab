"""Rosters: units and groups tables that give names, not ids (名册: 序号/工区/党小组/党员人数 …).

A user's roster of Party groups names each group (``党小组``, ``党小组名称``,
``班组``) and its unit (``工区``, ``车间``, ``支部``, ``所属单位``, ``作业区``, with
optional parent columns such as ``分公司`` to its left). :func:`roster_ids`
turns such a table into the codebook's ``groups`` (or ``units``) columns:

- **Ids given in the file win**; a blank id cell, or a table without an id
  column, gets an id derived from names by :func:`derive_ids`.
- **The id rule** (deterministic, independent of row order and of the other
  rows, hence stable from one year's roster to the next): a unit's id is ``U``
  and the first 6 hex digits (upper case) of the SHA-256 of its name as compared
  (:func:`~grouplab.data.ledgers.entities.name_key`: NFKC, no spaces, lower
  case); a group's id is ``G`` and the first 6 hex digits of the SHA-256 of
  ``<unit id>/<group name as compared>`` — the same group name in two units gets
  two ids. Two names whose digits collide (or a derived id equal to an id given
  in a file) both get two more digits, until they differ; every collision is
  listed in the reading notes. ASCII ids keep batch output names readable.
- **Units named only in the roster are created**: level from the column
  (工区/作业区 → work_area, 车间 → workshop, 支部 → branch, 站 → station), else
  from the end of the name; parent from the column to the left, else the
  company root (the units table's company, or one created: id ``C0``).

Reports show names; ids are what a user writes in a parameter or a batch config
(``unit_id: U1A2B3C``, or the unit's name where the report accepts it).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from grouplab.data.codebook import codebook, normalize_header
from grouplab.data.ledgers.entities import name_key
from grouplab.data.problems import problem
from grouplab.data.readers.base import RawTable, object_cells
from grouplab.errors import Problem

__all__ = ["Roster", "roster_ids", "derive_ids", "UNIT_COLUMNS", "PARENT_COLUMNS", "GROUP_NAME_COLUMNS",
           "level_of", "sector_of", "ROOT_ID"]

#: Headers naming a group's unit (normalised header -> level; None: from the end of the name).
UNIT_COLUMNS: dict[str, str | None] = {
    "工区": "work_area", "所属工区": "work_area", "作业区": "work_area", "所属作业区": "work_area",
    "车间": "workshop", "所属车间": "workshop", "支部": "branch", "党支部": "branch", "所属支部": "branch",
    "所属党支部": "branch", "站": "station", "班站": "station", "所属站": "station",
    "所属单位": None, "单位": None, "单位名称": None, "所在单位": None, "基层单位": None,
}
#: Headers of a parent unit, written left of the unit column (normalised header -> level).
PARENT_COLUMNS: dict[str, str | None] = {
    "公司": "company", "分公司": "company", "所属公司": "company", "二级单位": None, "上级单位": None,
    "厂": None, "采油厂": None, "所属分公司": "company",
}
#: Headers naming a group (normalised), as on rosters and ledgers.
GROUP_NAME_COLUMNS = ("党小组", "党小组名称", "小组名称", "党小组名", "班组", "班组名称", "名称")
#: Id of the company root created when no units table gives one.
ROOT_ID = "C0"
_SUFFIX_LEVEL = (("公司", "company"), ("工区", "work_area"), ("作业区", "work_area"), ("车间", "workshop"),
                 ("支部", "branch"), ("站", "station"), ("井", "well"))
_WIDTH = 6


def level_of(name: object, header_level: str | None = None) -> tuple[str, str]:
    """Level of a unit named in a roster: from its column, else from the end of its name.

    Returns
    -------
    level : str
        A codebook level (``work_area`` when neither says).
    source : str
        ``column``, ``name`` or ``default``.

    Examples
    --------
    >>> level_of("变电检修工区"), level_of("一车间", "workshop"), level_of("机关")
    (('work_area', 'name'), ('workshop', 'column'), ('work_area', 'default'))
    """
    if header_level is not None:
        return header_level, "column"
    key = name_key(name)
    for suffix, level in _SUFFIX_LEVEL:
        if key.endswith(suffix):
            return level, "name"
    return "work_area", "default"


_SECTORS = (("power", ("电", "变电", "输电", "配电", "供电")), ("oil", ("油", "采油")), ("gas", ("气",)))


def sector_of(names: Iterable[object]) -> str:
    """Sector of units created from a roster: power, oil or gas by words in their names, else other.

    Examples
    --------
    >>> sector_of(["变电检修工区", "输电运检工区"]), sector_of(["采油一队"]), sector_of(["机关"])
    ('power', 'oil', 'other')
    """
    text = "".join(name_key(n) for n in names)
    for sector, words in _SECTORS:
        if any(w in text for w in words):
            return sector
    return "other"


def _digest(key: str, width: int) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:width].upper()


def derive_ids(keys: Iterable[str], prefix: str, taken: Iterable[str] = ()) -> tuple[dict[str, str], list]:
    """Ids from keys by the rule of this module: ``prefix`` + 6 hex digits of SHA-256, longer on collision.

    Parameters
    ----------
    keys : iterable of str
        What identifies each entity (a name as compared, or ``<unit id>/<name>``).
    prefix : str
        ``U`` (units) or ``G`` (groups).
    taken : iterable of str
        Ids already in use (given in a file): a derived id never equals one.

    Returns
    -------
    ids : dict
        key -> id.
    collisions : list of tuple
        ``(id, keys)`` for every id that several keys (or a given id) shared
        before their digits were lengthened.

    Examples
    --------
    >>> ids, _ = derive_ids(["变电检修工区"], "U")
    >>> import hashlib
    >>> ids["变电检修工区"] == "U" + hashlib.sha256("变电检修工区".encode()).hexdigest()[:6].upper()
    True
    """
    taken = set(taken)
    pending, width = sorted(set(keys)), _WIDTH
    out: dict[str, str] = {}
    collisions = []
    while pending:
        by: dict[str, list[str]] = {}
        for k in pending:
            by.setdefault(prefix + _digest(k, width), []).append(k)
        pending = []
        for i, ks in by.items():
            if len(ks) == 1 and i not in taken:
                out[ks[0]] = i
            else:
                pending += ks
                collisions.append((i, ks))
        width += 2
    return out, collisions


@dataclass
class Roster:
    """A roster read as a codebook table: the table, its problems and what was decided."""

    raw: RawTable
    problems: list[Problem] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    units: list[dict] = field(default_factory=list)   # units named only in the roster (to create)


def _header(frame: pd.DataFrame, table: str, canon: str) -> str | None:
    aliases = codebook()[table].alias_map()
    return next((h for h in frame.columns if aliases.get(normalize_header(h)) == canon), None)


def _blank(v: object) -> bool:
    return not name_key(v)


def _misspelt_id(frame: pd.DataFrame, table: str, canon: str) -> bool:
    """A header that is no codebook column but close to the id column's names (``gruop_id``): the ids
    are there under a misspelt header, so none are derived (validation says the column is missing)."""
    spec = codebook()[table]
    aliases = spec.alias_map()
    col = spec.columns[canon]
    names = [normalize_header(t) for t in (col.name, col.zh, *col.aliases)]
    known = set(UNIT_COLUMNS) | set(PARENT_COLUMNS) | set(GROUP_NAME_COLUMNS) | {"序号"}
    return any(difflib.get_close_matches(normalize_header(h), names, n=1, cutoff=0.75)
               for h in frame.columns if aliases.get(normalize_header(h)) is None
               and normalize_header(h) not in known)


def roster_ids(raw: RawTable, table: str, tables: Mapping[str, pd.DataFrame], *,
               scope_unit: str | None = None) -> Roster:
    """A groups (or units) table with names where ids are missing: ids derived, units created.

    Parameters
    ----------
    raw : RawTable
        The table as read.
    table : str
        ``groups`` or ``units`` (anything else is returned unchanged).
    tables : mapping
        Tables loaded so far (``units`` resolves unit names to their ids).
    scope_unit : str, optional
        Unit id the sheet says it belongs to (title, file name, ``unit:``): the
        unit of every group when the roster has no unit column.

    Returns
    -------
    Roster
        ``raw`` with ``group_id``/``unit_id``/``name`` columns (unit-name columns
        consumed), problems (a groups table neither with ids nor names), reading
        notes and the units to create.
    """
    if table == "groups":
        return _groups(raw, tables, scope_unit)
    if table == "units":
        return _units(raw)
    return Roster(raw)


def _unit_chain(frame: pd.DataFrame) -> list[str]:
    """Unit-name columns, parents first (left to right, parent columns before unit columns)."""
    parents = [h for h in frame.columns if normalize_header(h) in PARENT_COLUMNS]
    units = [h for h in frame.columns if normalize_header(h) in UNIT_COLUMNS]
    return parents + units


def _groups(raw: RawTable, tables: Mapping[str, pd.DataFrame], scope_unit: str | None) -> Roster:
    frame = object_cells(raw).frame.copy()
    gid, uid = _header(frame, "groups", "group_id"), _header(frame, "groups", "unit_id")
    name = _header(frame, "groups", "name") or next(
        (h for h in frame.columns if normalize_header(h) in GROUP_NAME_COLUMNS), None)
    out = Roster(raw)
    if gid is None and _misspelt_id(frame, "groups", "group_id"):
        return out
    if gid is None and name is None:
        out.problems.append(problem("groups_without_ids", raw.file, raw.meta.get("header_row") or 1,
                                    "党小组编号"))
        return out
    rows = list(raw.meta.get("row_numbers") or range(raw.first_row, raw.first_row + len(frame)))
    id_header = uid is not None and normalize_header(uid) not in UNIT_COLUMNS
    chain = [h for h in _unit_chain(frame) if h != uid or not id_header]
    if id_header:
        units = frame[uid].astype(object)
    elif chain:
        units = _unit_ids(frame, chain, rows, tables.get("units"), out, raw.file)
        frame = frame.drop(columns=chain)
    elif scope_unit is not None:
        units = pd.Series(scope_unit, index=frame.index, dtype=object)
        out.notes.append({"what": "unit", "from": "scope_unit", "unit": scope_unit})
    else:
        return out  # no unit column: validation says which column is missing
    if not id_header:
        frame = frame.drop(columns=[uid] if uid in frame.columns else [])
        frame["unit_id"] = units
    written = name
    if name is not None and normalize_header(name) in GROUP_NAME_COLUMNS and \
            _header(frame, "groups", "name") is None:
        frame = frame.rename(columns={name: "name"})
        name = "name"
    if name is not None:
        _group_ids(frame, gid, name, units, out, written)
    out.raw = dataclasses.replace(raw, frame=frame.reset_index(drop=True), headers=list(frame.columns))
    return out


def _group_ids(frame: pd.DataFrame, gid: str | None, name: str, units: pd.Series, out: Roster,
               written: str) -> None:
    given = frame[gid].astype(object) if gid is not None else pd.Series(None, index=frame.index, dtype=object)
    need = given.map(_blank) & ~frame[name].map(_blank)  # a blank row stays blank (and is reported)
    if not need.any():
        return
    keys = [f"{u}/{name_key(n)}" for u, n in zip(units, frame[name], strict=True)]
    taken = {str(g) for g in given[~need]}
    ids, collisions = derive_ids([k for k, n in zip(keys, need, strict=True) if n], "G", taken)
    derived = pd.Series([ids.get(k) for k in keys], index=frame.index, dtype=object)
    frame[gid or "group_id"] = given.where(~need, derived)
    out.notes.append({"what": "ids", "from": "derived_group_ids", "n": int(need.sum()),
                      "column": written})
    for i, ks in collisions:
        out.notes.append({"what": "ids", "from": "id_collision", "id": i,
                          "names": ", ".join(k.split("/", 1)[-1] for k in ks)})


def _known_units(units: pd.DataFrame | None) -> dict[str, list[tuple[str, str | None]]]:
    """name as compared -> [(unit id, parent id)], ids too (an id written where a name is expected)."""
    out: dict[str, list[tuple[str, str | None]]] = {}
    if units is None or "unit_id" not in units:
        return out
    parents = units["parent_id"] if "parent_id" in units else pd.Series(None, index=units.index)
    for uid, nm, par in zip(units["unit_id"].astype(str), units.get("name", units["unit_id"]), parents,
                            strict=True):
        par = None if _blank(par) else str(par)
        out.setdefault(name_key(nm), []).append((uid, par))
        out.setdefault(name_key(uid), []).append((uid, par))
    return out


def _unit_ids(frame: pd.DataFrame, chain: list[str], rows: list[int], units: pd.DataFrame | None,
              out: Roster, file: str) -> pd.Series:
    """The unit id of every row from its chain of unit names; units not yet known are created."""
    known = _known_units(units)
    taken = set() if units is None else set(units["unit_id"].astype(str))
    made: dict[tuple, dict] = {}   # (parent id, name key) -> unit to create
    result = []
    for i, values in enumerate(frame[chain].itertuples(index=False, name=None)):
        parent = None
        for header, value in zip(chain, values, strict=True):
            if _blank(value):
                continue
            key = name_key(value)
            hits = known.get(key, [])
            under = {u for u, p in hits if p == parent}
            hit = sorted(under or ({u for u, _ in hits} if parent is None else set()))
            if len(hit) > 1:
                out.problems.append(problem("ambiguous_unit_name", file, rows[i], header, value,
                                            candidates=", ".join(hit)))
            if hit:
                parent = hit[0]
                continue
            spot = (parent, key)
            if spot not in made:
                norm = normalize_header(header)
                level, how = level_of(value, UNIT_COLUMNS.get(norm, PARENT_COLUMNS.get(norm)))
                made[spot] = {"name": str(value).strip(), "key": key, "parent_id": parent, "level": level,
                              "level_from": how, "column": header, "row": rows[i], "file": file}
            parent = spot
        result.append(parent)
    # ids of created units: by name; the same name under two parents keyed by its parent's name too
    count: dict[str, int] = {}
    for _, key in made:
        count[key] = count.get(key, 0) + 1
    keys = {spot: (key if count[key] == 1 else f"{_spot_name(spot[0], made)}/{key}") for spot in made
            for key in [spot[1]]}
    ids, collisions = derive_ids(keys.values(), "U", taken)
    for spot, u in made.items():
        u["unit_id"] = ids[keys[spot]]
    for u in made.values():
        if isinstance(u["parent_id"], tuple):
            u["parent_id"] = made[u["parent_id"]]["unit_id"]
        out.units.append({k: v for k, v in u.items() if k != "key"})
    for i, ks in collisions:
        out.notes.append({"what": "ids", "from": "id_collision", "id": i, "names": ", ".join(ks)})
    if made:
        out.notes.append({"what": "units", "from": "created_units", "n": len(made),
                          "names": ", ".join(u["name"] for u in made.values())})
    return pd.Series([made[r]["unit_id"] if isinstance(r, tuple) else r for r in result],
                     index=frame.index, dtype=object)


def _spot_name(parent, made: dict) -> str:
    if isinstance(parent, tuple):
        return made[parent]["key"]
    return str(parent or "")


def _units(raw: RawTable) -> Roster:
    """A units table without ids: ids from names, level from the name column's header or the name."""
    frame = object_cells(raw).frame.copy()
    uid, name = _header(frame, "units", "unit_id"), _header(frame, "units", "name")
    header_level = None
    if name is None:
        name = next((h for h in frame.columns if normalize_header(h) in UNIT_COLUMNS), None)
        header_level = UNIT_COLUMNS.get(normalize_header(name)) if name else None
    out = Roster(raw)
    if name is None or (uid is not None and not frame[uid].map(_blank).any()) or (
            uid is None and _misspelt_id(frame, "units", "unit_id")):
        return out
    if name != "name":
        frame = frame.rename(columns={name: "name"})
    given = frame[uid].astype(object) if uid is not None else pd.Series(None, index=frame.index, dtype=object)
    need = given.map(_blank) & ~frame["name"].map(_blank)
    ids, collisions = derive_ids([name_key(n) for n in frame.loc[need, "name"]], "U",
                                 {str(g) for g in given[~need]})
    frame[uid or "unit_id"] = given.where(~need, frame["name"].map(lambda n: ids.get(name_key(n))))
    out.notes.append({"what": "ids", "from": "derived_unit_ids", "n": int(need.sum()), "column": name})
    for i, ks in collisions:
        out.notes.append({"what": "ids", "from": "id_collision", "id": i, "names": ", ".join(ks)})
    if _header(frame, "units", "level") is None:
        frame["level"] = [None if _blank(n) else level_of(n, header_level)[0] for n in frame["name"]]
        out.notes.append({"what": "units", "from": "level_from_names"})
    if _header(frame, "units", "sector") is None:
        sector = sector_of(frame["name"])
        frame["sector"] = frame["name"].map(lambda n: None if _blank(n) else sector)
        out.notes.append({"what": "units", "from": "sector_from_names", "sector": sector})
    parent = _header(frame, "units", "parent_id")
    if parent is not None:  # parents named by name: their ids
        by_name = {name_key(n): i for n, i in zip(frame["name"], frame[uid or "unit_id"], strict=True)}
        frame[parent] = frame[parent].map(lambda p: by_name.get(name_key(p), p))
    out.raw = dataclasses.replace(raw, frame=frame.reset_index(drop=True), headers=list(frame.columns))
    return out
