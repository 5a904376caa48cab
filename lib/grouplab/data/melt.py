"""Melt a wide ledger into long raw cells, each remembering the sheet cell it came from.

:func:`melt_ledger` takes a ledger read by :func:`~grouplab.data.readers.ledger.read_ledger`
and the column roles found by :func:`~grouplab.data.layouts.column_roles`, and
returns one raw row per entity and item/indicator/month with a value; the period
comes from a column, the sheet name, the title or the manifest. Activity ledgers
hold meeting days per month (``6日、27日``), which become one row per meeting.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any

from grouplab.data.codebook import normalize_header
from grouplab.data.layouts import WIDE, header_problem, period_in
from grouplab.data.numbers import PLACEHOLDERS
from grouplab.data.readers.ledger import Ledger
from grouplab.errors import Problem

__all__ = ["Melted", "melt_ledger"]

_YEAR_IN = re.compile(r"((?:19|20)\d{2})\s*年?")


@dataclass(frozen=True)
class Melted:
    """A melted ledger: long raw cells, where each came from, what was matched."""

    cells: list[dict[str, Any]]     # one dict per long row: canonical column -> raw cell
    where: list[dict[str, tuple]]   # canonical column -> (frame row i or None, ledger column or None)
    matched: dict[str, str]         # ledger column -> what it became (item id, month, indicator, role)
    problems: list[Problem]


# ------------------------------------------------------------------ melting


def _time_source(led: Ledger, roles: dict, how: Any, find) -> tuple[Any, tuple, str]:
    """Where the period/month comes from: ('column'|'sheet'|'title'|'manifest', value)."""
    how = "auto" if how is None else str(how)
    if how in ("column", "auto") and roles["time"] is not None:
        return None, ("column",), f"column {roles['time']}"
    if how in ("sheet", "auto") and led.sheet and find(led.sheet):
        return find(led.sheet), ("sheet",), f"sheet name {led.sheet!r}"
    if how in ("title", "auto") and find(led.title):
        return find(led.title), ("title",), f"title {led.title_cell or ''} {led.title!r}".strip()
    if how not in ("column", "sheet", "title", "auto"):
        return how, ("manifest",), f"dataset.yml ({how})"
    return None, ("missing", how), ""


def _blank(value: Any) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return True
    text = normalize_header(value) if isinstance(value, str) else None
    return text is not None and (text == "" or text in PLACEHOLDERS)


def melt_ledger(led: Ledger, table: str, roles: dict, *, entry: dict, entity_ids: list | None = None,
                skip: set[int] | frozenset = frozenset()) -> Melted:
    """Long raw cells of a wide ledger (one row per entity × key column with a value).

    Parameters
    ----------
    led : Ledger
        The table read by :func:`~grouplab.data.readers.ledger.read_ledger`.
    table : str
        A key of :data:`WIDE`.
    roles : dict
        From :func:`column_roles`.
    entry : dict, keyword-only
        The manifest entry: ``period`` (evaluations) or ``month`` (indicators):
        ``column``, ``sheet``, ``title`` or a literal such as ``2019H1``;
        ``year`` for month headers without a year; ``kind`` for activities.
    entity_ids : list, optional
        Ids of the entity column per frame row (names already resolved); default
        the cells as written.
    skip : set of int
        Frame rows not to melt (their entity name was unknown, already reported).

    Returns
    -------
    Melted
        ``cells``: one dict per long row, canonical column -> raw cell;
        ``where``: canonical column -> ('cell', i, column) | ('header', column) |
        ('sheet',) | ('title',) | ('manifest',); ``matched``; ``problems``.

    Notes
    -----
    Blank cells and placeholders (``/``, ``—``, ``无`` …) give no long row: the
    tidy equivalent has no row for an item that was not scored.
    """
    rule = WIDE[table]
    problems: list[Problem] = []
    ent = roles["entity"]
    ids = entity_ids if entity_ids is not None else list(led.frame[ent])
    time_value, time_where = None, None
    matched = {c: k for c, k in roles["keys"].items()}
    if rule.time:
        find = period_in if rule.time == "period" else _month_in
        time_value, time_where, said = _time_source(led, roles, entry.get(rule.time), find)
        if time_where[0] == "missing":
            problems.append(Problem(led.file, None, None, f"no {rule.time} found for this sheet "
                                    "(no such column, none in the sheet name or title)", None,
                                    f"Add a {rule.time} column, or say '{rule.time}: 2019H1' for this "
                                    "sheet in dataset.yml", sheet=led.sheet))
            return Melted([], [], matched, problems)
        matched["(" + rule.time + ")"] = said
    year = _year_of(led, entry)
    cells, where = [], []
    for i in range(len(led.frame)):
        if i in skip:
            continue
        for col, key in roles["keys"].items():
            value = led.frame[col].iloc[i]
            if _blank(value):
                continue
            base = {rule.entity: ids[i]}
            loc = {rule.entity: ("cell", i, ent)}
            if rule.time:
                in_column = time_where == ("column",)
                base[rule.time] = led.frame[roles["time"]].iloc[i] if in_column else time_value
                loc[rule.time] = ("cell", i, roles["time"]) if time_where == ("column",) else time_where
            if rule.key == "month":
                key = matched[col] = key.replace("?", str(year)) if year else key
                if key.startswith("?"):
                    problems.append(header_problem(led, col, "month column without a year", col,
                                                    "Say 'year: 2019' in dataset.yml, or write 2019年1月"))
                    break
            rows = _activity_rows(value, key, entry) if table == "activities" else [{rule.value: value}]
            if rows is None:
                problems.append(led.problem(i, col, "a lone number in a month column: a count or a day?",
                                            value, "Write the day as 5日 (or the whole date); the activities "
                                            "table needs each meeting's date, so counts cannot be read"))
                continue
            for extra in rows:
                cells.append({**base, rule.key: key, **extra} if table != "activities" else {**base, **extra})
                where.append({**loc, rule.key: ("header", col), **{k: ("cell", i, col) for k in extra}})
    return Melted(cells, where, matched, problems)


def _month_in(text: str) -> str | None:
    m = re.search(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*月?", text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return f"{m.group(1)}-{int(m.group(2)):02d}"


def _year_of(led: Ledger, entry: dict) -> int | None:
    if entry.get("year") is not None:
        return int(entry["year"])
    for text in (led.sheet or "", led.title):
        m = _YEAR_IN.search(text)
        if m:
            return int(m.group(1))
    return None


_TOKENS = re.compile(r"[、,，;；\s]+")
_DAY = re.compile(r"^(?:(\d{1,2})\s*[.\-/月]\s*)?(\d{1,2})\s*[日号]?$")


def _activity_rows(value: Any, month: str, entry: dict) -> list[dict] | None:
    """Dates written in a month column (``13日``, ``3、17``, ``5.13``, ``5月13日``, a date) -> rows.

    None for a lone bare number (``2``): a count or a day cannot be told apart.
    """
    kind = entry.get("kind", "group_meeting")
    if isinstance(value, (_dt.datetime, _dt.date)):
        return [{"date": value, "kind": kind}]
    if isinstance(value, (int, float)) or re.fullmatch(r"\d{1,2}", normalize_header(value)):
        return None
    out = []
    y, mo = month.split("-")
    for tok in _TOKENS.split(str(value).strip()):
        if not tok:
            continue
        m = _DAY.match(normalize_header(tok))
        if m and (m.group(1) is None or int(m.group(1)) == int(mo)):
            out.append({"date": f"{y}-{mo}-{int(m.group(2)):02d}", "kind": kind})
        else:
            out.append({"date": tok, "kind": kind})  # a full date, or text the schema reports
    return out
