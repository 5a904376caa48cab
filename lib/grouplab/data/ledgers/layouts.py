"""Wide ledgers → the long tables of the codebook, every cell keeping its sheet and cell name.

A wide sheet has one row per entity (a party group, a well) and one column per
rubric item, indicator or month; an indicator sheet may instead have one row per
entity and indicator (a 指标名称 column) and one column per month. :func:`melt_ledger` matches those columns
(rubric items by id, by name or by name with points such as ``理论学习（8分）``;
indicators by id or name; months such as ``1月``/``2019年1月``/``2019-01``),
takes the period from a column, the sheet name, the title row or the manifest,
and :mod:`grouplab.data.ledgers.melt` turns the sheet into the long table.

Which columns each wide table has is the lookup table :data:`WIDE`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from grouplab.data.codebook import codebook, normalize_header
from grouplab.data.ledgers.entities import NAME_HEADERS
from grouplab.data.ledgers.sheet import Ledger
from grouplab.data.periods import half_year_in
from grouplab.data.problems import problem
from grouplab.errors import Problem
from grouplab.paths import MANIFEST

__all__ = ["WIDE", "WideRule", "column_roles", "header_problem", "score_for", "period_in", "looks_wide",
           "match_indicator", "INDICATOR_HEADERS"]

_POINTS = re.compile(r"^(.*?)\s*(?:[（(【\[]\s*(\d+(?:\.\d+)?)\s*分?\s*[）)】\]]|(\d+(?:\.\d+)?)\s*分)$")
_MONTH = re.compile(r"^(?:((?:19|20)\d{2})\s*[年\-/.]\s*)?(\d{1,2})\s*月?份?$")
_TOTAL = {"合计", "总分", "总计", "合计得分", "总得分", "得分合计", "考评总分", "total"}
_GRADE = {"等级", "考评等级", "评定等级", "grade"}
_ORDINAL = {"序号", "编号序号", "no", "no."}
_UNIT_SUFFIX = re.compile(r"\s*[（(][^（()）]*[）)]\s*$")


@dataclass(frozen=True)
class WideRule:
    """How one wide table maps to its long codebook table."""

    entity: str          # canonical entity column (group_id / entity_id)
    key: str             # what the wide columns are (item_id / month / indicator_id)
    value: str           # canonical column of the cell values
    columns: str         # how columns are matched: rubric | months | catalogue
    time: str | None     # canonical column the period/month comes from (None: the columns)


#: Wide tables and how they melt (a lookup table, not an ``if`` per table).
WIDE: dict[str, WideRule] = {
    "evaluations": WideRule("group_id", "item_id", "score", "rubric", "period"),
    "indicators": WideRule("entity_id", "indicator_id", "value", "catalogue", "month"),
    "exposure": WideRule("group_id", "month", "person_hours", "months", None),
    "activities": WideRule("group_id", "month", "date", "months", None),
}


# ------------------------------------------------------------------ matching columns


def _aliases(table: str, column: str) -> set[str]:
    col = codebook()[table].columns[column]
    return {normalize_header(t) for t in (col.name, col.zh, col.en, *col.aliases)}


def _split_points(text: str) -> tuple[str, float | None]:
    m = _POINTS.match(text.strip())
    if not m:
        return text.strip(), None
    pts = m.group(2) or m.group(3)
    return m.group(1).strip(), float(pts)


def _match_item(parts: tuple[str, ...], rubric: dict) -> tuple[dict | None, float | None, list]:
    """Rubric item for a header (id, name, or name with points), its written points, candidates."""
    name, points = _split_points(parts[-1] if parts else "")
    key = normalize_header(name)
    items = rubric.get("items", [])
    for it in items:
        if key in (normalize_header(it["id"]), normalize_header(it.get("zh", "")),
                   normalize_header(it.get("en", ""))):
            return it, points, [it]
    hits = [it for it in items if key and len(key) >= 2 and (
        key in normalize_header(it.get("zh", "")) or normalize_header(it.get("zh", "")) in key)]
    if not hits:  # 党员教育管理和党费收缴情况 for 党员教育管理与党费收缴: connectives and 情况/工作 aside
        loose = _loose(name)
        hits = [it for it in items if len(loose) >= 2 and _loose(it.get("zh", "")) == loose]
    if len(hits) > 1 and len(parts) > 1:  # the aspect above narrows it down
        aspect = normalize_header(parts[0])
        zh_of = {a: normalize_header(v.get("zh", a)) for a, v in (rubric.get("aspects") or {}).items()}
        hits = [it for it in hits if zh_of.get(it.get("aspect")) == aspect] or hits
    return (hits[0] if len(hits) == 1 else None), points, hits


_CONNECTIVE = re.compile(r"[与和及、,，的]")
_GENERIC_TAIL = re.compile(r"(情况|工作|方面|开展|落实)+$")


def _loose(text: str) -> str:
    """A rubric item name without connectives (与/和/及/、/的) or a generic tail (情况, 工作 …)."""
    return _GENERIC_TAIL.sub("", _CONNECTIVE.sub("", normalize_header(text)))


def _month_of(parts: tuple[str, ...], year: int | None) -> str | None:
    """``YYYY-MM`` of a month header (``1月``, ``2019年1月``, ``2019-01``, a date); ``?-MM`` if no year."""
    text = normalize_header(_UNIT_SUFFIX.sub("", parts[-1]) if parts else "")  # 1月（次） -> 1月
    stamp = re.match(r"^((?:19|20)\d{2})-(\d{2})-01(?:00:00:00)?$", text)  # a date typed as header
    if stamp:
        return f"{stamp.group(1)}-{stamp.group(2)}"
    m = _MONTH.match(text)
    # a bare number ('5') is a value, not a month header: a month needs 月 or a year
    if not m or not 1 <= int(m.group(2)) <= 12 or not (m.group(1) or "月" in text):
        return None
    y = int(m.group(1)) if m.group(1) else year
    return f"{y:04d}-{int(m.group(2)):02d}" if y else f"?-{int(m.group(2)):02d}"


def _match_indicator(parts: tuple[str, ...], catalogue: dict) -> dict | None:
    """Indicator for a header: its id or name, with or without a unit such as ``泵效(%)``."""
    text = parts[-1] if parts else ""
    keys = {normalize_header(text), normalize_header(_UNIT_SUFFIX.sub("", text))} - {""}
    for ind in catalogue.get("indicators", []):
        names = {normalize_header(ind["id"]), normalize_header(ind.get("zh", "")),
                 normalize_header(ind.get("en", ""))}
        if keys & names:
            return ind
    return None


#: Headers of a column naming the indicator of each row (an indicator sheet with months as columns).
INDICATOR_HEADERS = ("指标名称", "指标项目", "项目", "指标内容")


def _indicator_headers() -> set[str]:
    return _aliases("indicators", "indicator_id") | {normalize_header(t) for t in INDICATOR_HEADERS}


def match_indicator(text: Any, catalogue: dict) -> dict | None:
    """Indicator of the catalogue named by a cell or header (id or name, a unit such as ``(%)`` ignored).

    Returns
    -------
    dict or None
        The catalogue entry (``id``, ``zh``, ``en``, ``unit`` …); None when nothing matches.

    Examples
    --------
    >>> cat = {"indicators": [{"id": "pump_efficiency", "zh": "泵效"}]}
    >>> match_indicator("泵效(%)", cat)["id"], match_indicator("power", cat)
    ('pump_efficiency', None)
    """
    return _match_indicator((str(text).strip(),), catalogue) if text is not None else None


def score_for(table: str, specs: dict) -> Any:
    """The header ``score`` of :func:`~grouplab.data.ledgers.sheet.read_ledger` for a wide table.

    Returns
    -------
    callable
        ``score(normalised text) -> bool``: True for the entity, period, 合计
        and 等级 headers and for a rubric item (id, name, or anything written
        with points), an indicator of the catalogue, or a month.
    """
    rule = WIDE[table]
    known = _aliases(table, rule.entity) | {normalize_header(t) for t in NAME_HEADERS[rule.entity]}
    if rule.time:
        known |= _aliases(table, rule.time)
    if rule.columns == "catalogue":  # an indicator sheet may have a 指标 column and month columns
        known |= _indicator_headers()
    known |= {normalize_header(t) for t in _TOTAL | _GRADE}

    def score(text: str) -> bool:
        if text in known:
            return True
        parts = (text,)
        if rule.columns == "rubric" and specs.get("rubric"):
            name, points = _split_points(text)
            named = bool(name) and not name.replace(".", "").isdigit()  # '8分' in a data row is a score
            return _match_item(parts, specs["rubric"])[0] is not None or (points is not None and named)
        if rule.columns == "catalogue" and specs.get("catalogue"):
            return (_match_indicator(parts, specs["catalogue"]) is not None
                    or _month_of(parts, 2000) is not None)
        return rule.columns == "months" and _month_of(parts, 2000) is not None

    return score


def looks_wide(table: str, rows: list[list[Any]], specs: dict) -> bool:
    """Does a sheet read as a long table look wide (a row naming two or more items, indicators or months)?

    Returns
    -------
    bool
        True when one of ``rows`` (header texts or the first cells of a sheet)
        holds at least two rubric items (or texts with points), indicators or
        months (for indicators: indicators or months) — the hint to write
        ``layout: wide`` in dataset.yml.
    """
    if table not in WIDE:
        return False
    rule = WIDE[table]

    def hit(value: Any) -> bool:
        text = str(value).strip() if value is not None else ""
        if not text:
            return False
        if rule.columns == "rubric":
            return bool(specs.get("rubric")) and _match_item((text,), specs["rubric"])[0] is not None
        if rule.columns == "catalogue" and specs.get("catalogue") and _match_indicator((text,),
                                                                                   specs["catalogue"]):
            return True
        return _month_of((text,), 2000) is not None  # months as columns (also of an indicator sheet)

    return any(sum(hit(v) for v in row) >= 2 for row in rows)


#: A half-year named in a title or sheet name (kept for callers of the old name).
period_in = half_year_in


# ------------------------------------------------------------------ roles of the columns


def header_problem(led: Ledger, column: str, code: str, value: Any = None, hint: str | None = None,
                   **values: Any) -> Problem:
    """A Problem of ``code`` at the header cell of ``column`` (lowest header row), named as the user sees
    it."""
    j = list(led.frame.columns).index(column)
    cell = f"{led.letters[j]}{led.header_rows[-1]}" if led.letters else None
    return problem(code, led.file, led.header_rows[-1], column, value, hint, sheet=led.sheet, cell=cell,
                   **values)


def column_roles(led: Ledger, table: str, specs: dict, explicit: dict | None = None, *,
                 indicator: Any = None):
    """What each ledger column is: the entity (by id or name), the period, 合计, 等级, or a key.

    Parameters
    ----------
    led : Ledger
        The table found in the sheet.
    table : str
        A key of :data:`WIDE`.
    specs : dict
        ``rubric`` / ``catalogue``.
    explicit : dict, optional
        ``columns:`` of dataset.yml (header or its name -> id).
    indicator : str, optional, keyword-only
        ``indicator:`` of dataset.yml: the one indicator of a sheet with months
        as columns and no 指标 column (default: the sheet name, if it names one).

    Returns
    -------
    roles : dict
        ``entity`` (column), ``by`` ('id'|'name'), ``time``, ``total``, ``grade`` (column or
        None), ``keys`` (column -> item/indicator id or month text), ``unused`` (columns);
        for an indicator sheet with months as columns ``by_month`` (True), ``row_key``
        (the column naming each row's indicator, or None) and ``indicator`` (the
        sheet's one indicator id, or None).
    problems : list of Problem
        Unmatched item columns, points that differ from the rubric, a key matched twice,
        no entity column, month columns without an indicator.
    """
    rule = WIDE[table]
    ids, names = _aliases(table, rule.entity), {normalize_header(t) for t in NAME_HEADERS[rule.entity]}
    times = _aliases(table, rule.time) if rule.time else set()
    explicit = {normalize_header(k): str(v) for k, v in (explicit or {}).items()}
    row_keys = _indicator_headers() if rule.columns == "catalogue" else set()
    roles: dict[str, Any] = {"entity": None, "by": None, "time": None, "total": None, "grade": None,
                             "keys": {}, "unused": [], "months": {}, "by_month": False, "row_key": None,
                             "indicator": None}
    problems: list[Problem] = []
    for col, parts in zip(led.frame.columns, led.parts, strict=True):
        leaf = normalize_header(parts[-1]) if parts else ""
        bare = normalize_header(_split_points(parts[-1])[0]) if parts else ""  # 总分（100分） -> 总分
        if leaf in explicit or bare in explicit:  # dataset.yml columns: {header or its name: id}
            roles["keys"][col] = explicit.get(leaf) or explicit[bare]
        elif leaf in row_keys and roles["row_key"] is None:
            roles["row_key"] = col
        elif leaf in ids and roles["entity"] is None:
            roles["entity"], roles["by"] = col, "id"
        elif leaf in names and (roles["entity"] is None or roles["by"] == "name"):
            roles["entity"] = roles["entity"] or col
            roles["by"] = roles["by"] or "name"
        elif leaf in times and roles["time"] is None:
            roles["time"] = col
        elif bare in {normalize_header(t) for t in _TOTAL}:
            roles["total"] = col
        elif bare in {normalize_header(t) for t in _GRADE}:
            roles["grade"] = col
        elif leaf in _ORDINAL or "小计" in leaf:  # 序号; an aspect's 小计 is not an item
            roles["unused"].append(col)
        else:
            problems += _key_column(led, col, parts, rule, specs, roles)
    if rule.columns == "catalogue":
        problems += _months_as_columns(led, roles, specs, indicator)
    roles.pop("months")
    problems += _repeated_keys(led, roles)
    unmatched = roles.pop("unmatched", [])
    problems += [_unmatched_item(led, col, parts, hits, roles, specs["rubric"])
                 for col, parts, hits in unmatched]
    if rule.columns == "rubric" and specs.get("rubric") and roles["keys"] and not unmatched:
        problems += _items_without_column(led, roles, specs["rubric"])
    if roles["entity"] is None:
        col = codebook()[table].columns[rule.entity]
        problems.append(problem("no_entity_column", led.file, led.header_rows[-1], None,
                                sheet=led.sheet, entity=col.en.lower(), entity_zh=col.zh, header=col.zh,
                                name_header=NAME_HEADERS[rule.entity][0]))
    return roles, problems


def _key_column(led, col, parts, rule: WideRule, specs, roles) -> list[Problem]:
    if rule.columns == "rubric" and specs.get("rubric"):
        item, points, hits = _match_item(parts, specs["rubric"])
        if item is not None:
            roles["keys"][col] = str(item["id"])
            if points is not None and abs(points - float(item["max"])) > 1e-9:
                return [header_problem(led, col, "header_points_differ", parts[-1], points=points,
                                       item=item["id"], max=float(item["max"]))]
            return []
        if points is not None or len(parts) > 1:
            roles.setdefault("unmatched", []).append((col, parts, hits))
            return []
    elif rule.columns == "catalogue" and specs.get("catalogue"):
        ind = _match_indicator(parts, specs["catalogue"])
        if ind is not None:
            roles["keys"][col] = str(ind["id"])
            return []
        month = _month_of(parts, None)
        if month is not None:
            roles["months"][col] = month
            return []
    elif rule.columns == "months":
        month = _month_of(parts, None)
        if month is not None:
            roles["keys"][col] = month
            return []
    roles["unused"].append(col)
    return []


def _months_as_columns(led, roles, specs, indicator) -> list[Problem]:
    """An indicator sheet with months as columns: the months become the keys.

    One row per entity and indicator (a 指标 column), or one indicator for the
    whole sheet (``indicator:`` in dataset.yml, else the sheet name).
    """
    months = roles["months"]
    if not months:
        return []
    catalogue = specs.get("catalogue") or {}
    fixed = None
    if roles["row_key"] is None:
        fixed = match_indicator(indicator if indicator is not None else led.sheet, catalogue)
        if indicator is not None and fixed is None:
            return [problem("not_an_indicator", MANIFEST, None, "tables.indicators.indicator", indicator)]
        if fixed is None and roles["keys"]:  # indicator columns: stray month columns are not read
            roles["unused"] += list(months)
            return []
        if fixed is None:
            col = next(iter(months))
            roles["unused"] += list(months)
            roles["keys"], roles["by_month"], roles["indicator"] = {}, True, None  # nothing to melt
            roles["indicator_where"] = ("sheet",)
            return [header_problem(led, col, "months_without_indicator", col)]
    roles["unused"] += list(roles["keys"])
    roles["keys"] = dict(months)
    roles["by_month"], roles["indicator"] = True, (str(fixed["id"]) if fixed else None)
    roles["indicator_where"] = ("manifest",) if indicator is not None else ("sheet",)
    return []


def _unmatched_item(led, col, parts, hits, roles, rubric) -> Problem:
    """A column that looks like a rubric item (points, or under an aspect) but matches none."""
    left = [it for it in rubric.get("items", []) if str(it["id"]) not in set(roles["keys"].values())]
    name = _split_points(parts[-1])[0]
    names = {str(it.get("zh", it["id"])): it for it in left}
    close = [h.get("zh") for h in hits] or difflib.get_close_matches(name, list(names), n=3, cutoff=0.3)
    unmatched = ", ".join(f"{it['id']} {it.get('zh', '')}".strip() for it in left)
    return header_problem(led, col, "unmatched_item", parts[-1], unmatched=unmatched or "none",
                          closest="Closest: " + ", ".join(close) + "; " if close else "",
                          closest_zh="最接近：" + "、".join(close) + "；" if close else "")


def _items_without_column(led, roles, rubric) -> list[Problem]:
    """A sheet whose item columns leave rubric items out does not fit the rubric: one problem."""
    have = set(roles["keys"].values())
    left = [f"{it['id']} {it.get('zh', '')}".strip() for it in rubric.get("items", [])
            if str(it["id"]) not in have]
    if not left:
        return []
    return [problem("sheet_misses_items", led.file, led.header_rows[-1], None, "; ".join(left),
                    sheet=led.sheet, found=len(have), expected=len(rubric.get("items", [])))]


def _repeated_keys(led, roles) -> list[Problem]:
    seen: dict[str, str] = {}
    out = []
    for col, key in roles["keys"].items():
        if key in seen:
            out.append(header_problem(led, col, "same_item_twice", col, item=key, first=seen[key],
                                      second=col))
        seen.setdefault(key, col)
    return out
