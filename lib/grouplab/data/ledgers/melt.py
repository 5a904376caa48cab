"""Melt a wide ledger into long raw cells, each remembering the sheet cell it came from.

:func:`melt_ledger` takes a ledger read by :func:`~grouplab.data.ledgers.sheet.read_ledger`
and the column roles found by :func:`~grouplab.data.ledgers.layouts.column_roles`, and
returns one raw row per entity and item/indicator/month with a value; the period
comes from a column, the sheet name, the title or the manifest. Activity ledgers
hold per month either meeting days (``6日、27日``: one row per meeting on that day)
or counts (``2``, ``2次``: that many rows dated the 1st of the month, with
``date_precision`` ``month``) — see :func:`activity_cells`. Indicator sheets with
months as columns take each row's indicator from its 指标名称 cell.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from grouplab.data.codebook import codebook, normalize_header
from grouplab.data.ledgers.layouts import WIDE, header_problem, match_indicator
from grouplab.data.ledgers.numbers import PLACEHOLDERS
from grouplab.data.ledgers.sheet import Ledger
from grouplab.data.periods import half_year_in
from grouplab.data.problems import problem
from grouplab.errors import Problem

__all__ = ["Melted", "melt_ledger", "activity_cells", "kind_of"]

_YEAR_IN = re.compile(r"((?:19|20)\d{2})\s*年?")


@dataclass(frozen=True)
class Melted:
    """A melted ledger: long raw cells, where each came from, what was matched."""

    cells: list[dict[str, Any]]     # one dict per long row: canonical column -> raw cell
    where: list[dict[str, tuple]]   # canonical column -> (frame row i or None, ledger column or None)
    matched: dict[str, str]         # ledger column -> what it became (item id, month, indicator, role)
    problems: list[Problem]


# ------------------------------------------------------------------ melting


def _time_source(led: Ledger, roles: dict, how: Any, find) -> tuple[Any, tuple, dict]:
    """Where the period/month comes from: value, ('column'|'sheet'|'title'|'manifest',), note."""
    how = "auto" if how is None else str(how)
    if how in ("column", "auto") and roles["time"] is not None:
        return None, ("column",), {"from": "column", "name": roles["time"]}
    if how in ("sheet", "auto") and led.sheet and find(led.sheet):
        return find(led.sheet), ("sheet",), {"from": "sheet", "text": led.sheet}
    if how in ("title", "auto") and find(led.title):
        return find(led.title), ("title",), {"from": "title", "cell": led.title_cell or "",
                                             "text": led.title}
    if how not in ("column", "sheet", "title", "auto"):
        return how, ("manifest",), {"from": "manifest", "value": how}
    return None, ("missing", how), {}


def _blank(value: Any) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return True
    text = normalize_header(value) if isinstance(value, str) else None
    return text is not None and (text == "" or text in PLACEHOLDERS)


def melt_ledger(led: Ledger, table: str, roles: dict, *, entry: dict, entity_ids: list | None = None,
                skip: set[int] | frozenset = frozenset(), catalogue: dict | None = None) -> Melted:
    """Long raw cells of a wide ledger (one row per entity × key column with a value).

    Parameters
    ----------
    led : Ledger
        The table read by :func:`~grouplab.data.ledgers.sheet.read_ledger`.
    table : str
        A key of :data:`WIDE`.
    roles : dict
        From :func:`column_roles`.
    entry : dict, keyword-only
        The manifest entry: ``period`` (evaluations) or ``month`` (indicators):
        ``column``, ``sheet``, ``title`` or a literal such as ``2019H1``;
        ``year`` for month headers without a year; ``kind`` and ``cells``
        (``counts``, ``dates`` or ``auto``) for activities.
    entity_ids : list, optional
        Ids of the entity column per frame row (names already resolved); default
        the cells as written.
    skip : set of int
        Frame rows not to melt (their entity name was unknown, already reported).
    catalogue : dict, optional
        The indicator catalogue (an indicator sheet with months as columns names
        each row's indicator).

    Returns
    -------
    Melted
        ``cells``: one dict per long row, canonical column -> raw cell;
        ``where``: canonical column -> ('cell', i, column) | ('header', column) |
        ('sheet',) | ('title',) | ('manifest',); ``matched``; ``problems``.

    Notes
    -----
    Blank cells and placeholders (``/``, ``—``, ``无`` …) give no long row: the
    tidy equivalent has no row for an item that was not scored. Activity ledgers
    hold either dates or counts per month (see :func:`activity_cells`).
    """
    rule = WIDE[table]
    problems: list[Problem] = []
    ids = entity_ids if entity_ids is not None else list(led.frame[roles["entity"]])
    matched = {c: k for c, k in roles["keys"].items()}
    by_month = bool(roles.get("by_month"))
    time = None
    if rule.time and not by_month:
        find = half_year_in if rule.time == "period" else _month_in
        value, where, said = _time_source(led, roles, entry.get(rule.time), find)
        if where[0] == "missing":
            problems.append(problem("no_time_found", led.file, sheet=led.sheet, time=rule.time,
                                    time_zh="考评期" if rule.time == "period" else "月份",
                                    example="2019H1" if rule.time == "period" else "2019-03"))
            return Melted([], [], matched, problems)
        matched["(" + rule.time + ")"] = said
        time = (value, where)
    keys = dict(roles["keys"])
    if rule.key == "month" or by_month:
        keys, probs = _with_year(led, keys, _year_of(led, entry))
        problems += probs
        matched.update(keys)
    mode, probs, reported, entry = _activity_setup(led, table, keys, entry, skip)
    problems += probs
    if mode == "none":  # the sheet cannot be read (already said why)
        return Melted([], [], matched, problems)
    matched.update(_notes(mode, roles, entry))
    cells, where = [], []
    for i in range(len(led.frame)):
        if i in skip:
            continue
        base, loc, probs = _row_base(led, i, rule, roles, ids, time, catalogue)
        problems += probs
        if base is None:
            continue
        for col, key in keys.items():
            value = led.frame[col].iloc[i]
            if _blank(value) or (i, col) in reported:
                continue
            rows = (_activity_rows(value, key, entry, mode) if table == "activities"
                    else [{"month" if by_month else rule.key: key, rule.value: value}])
            if rows is None:
                problems.append(led.problem(i, col, "count_not_whole", value, max=_MAX_COUNT))
                continue
            for extra in rows:
                cells.append({**base, **extra})
                where.append({**loc, rule.key: ("header", col), "month": ("header", col),
                              **{k: ("cell", i, col) for k in extra if k not in ("month", rule.key)}})
    return Melted(cells, where, matched, problems)


def _activity_setup(led: Ledger, table: str, keys: dict, entry: dict, skip) -> tuple:
    """For an activity ledger: dates or counts (:func:`activity_cells`) and the kind of activity."""
    if table != "activities":
        return "", [], set(), entry
    mode, problems, reported = activity_cells(led, keys, entry, skip)
    kind, said = kind_of(led, entry)
    if kind is None:
        problems.append(problem("several_kinds", led.file, sheet=led.sheet, said=said))
        return "none", problems, reported, entry
    return mode, problems, reported, {**entry, "kind": kind, "(kind)": said}


def kind_of(led: Ledger, entry: dict) -> tuple[str | None, dict | str]:
    """The kind of activity a ledger records, and where that was found.

    ``kind:`` in dataset.yml, else the one codebook kind named (by its Chinese
    label) in the sheet name, else in the title, else ``group_meeting``.

    Returns
    -------
    kind : str or None
        A codebook kind; None when the sheet name (or title) names several.
    said : dict or str
        Where it came from, as a :mod:`grouplab.data.notes` record (for
        ``--explain``), or the kinds named when there are several.
    """
    if entry.get("kind") is not None:
        return str(entry["kind"]), {"from": "manifest", "value": str(entry["kind"])}
    labels = codebook()["activities"].columns["kind"].allowed or {}
    for where, text in (("sheet_kind", led.sheet or ""), ("title_kind", led.title)):
        found = [k for k, zh in labels.items() if zh and zh in text]
        if len(found) == 1:
            return found[0], {"from": where, "text": text, "kind": found[0]}
        if found:
            return None, ", ".join(labels[k] for k in found)
    return "group_meeting", {"from": "default_kind", "kind": "group_meeting"}


def _notes(mode: str, roles: dict, entry: dict) -> dict[str, dict]:
    """What ``--explain`` says about counts, the kind of activity and where a row's indicator came from."""
    out = {"(kind)": entry["(kind)"]} if "(kind)" in entry else {}
    if mode == "counts":
        out["(cells)"] = {"from": "counts"}
    if roles.get("by_month"):
        said = "manifest" if roles["indicator_where"] == ("manifest",) else "sheet_value"
        out["(indicator)"] = ({"from": "column", "name": roles["row_key"]} if roles["row_key"] is not None
                              else {"from": said, "value": roles["indicator"]})
    return out


def _row_base(led: Ledger, i: int, rule, roles: dict, ids: list, time, catalogue) -> tuple:
    """The cells a frame row gives every long row: entity, period/month, the row's indicator."""
    base = {rule.entity: ids[i]}
    loc = {rule.entity: ("cell", i, roles["entity"])}
    if time is not None:
        value, where = time
        in_column = where == ("column",)
        base[rule.time] = led.frame[roles["time"]].iloc[i] if in_column else value
        loc[rule.time] = ("cell", i, roles["time"]) if in_column else where
    if not roles.get("by_month"):
        return base, loc, []
    if roles["row_key"] is None:
        base[rule.key], loc[rule.key] = roles["indicator"], roles["indicator_where"]
        return base, loc, []
    cell = led.frame[roles["row_key"]].iloc[i]
    ind = match_indicator(cell, catalogue or {}) if not _blank(cell) else None
    if ind is None:
        names = [str(x.get("zh", x["id"])) for x in (catalogue or {}).get("indicators", [])]
        close = difflib.get_close_matches(str(cell or ""), names, n=3, cutoff=0.3)
        code = "row_not_an_indicator" if not _blank(cell) else "row_without_indicator"
        return None, None, [led.problem(i, roles["row_key"], code, cell,
                                        closest="Closest: " + ", ".join(close) + ". " if close else "",
                                        closest_zh="最接近：" + "、".join(close) + "。" if close else "")]
    base[rule.key], loc[rule.key] = str(ind["id"]), ("cell", i, roles["row_key"])
    return base, loc, []


def _with_year(led: Ledger, keys: dict, year: int | None) -> tuple[dict, list[Problem]]:
    """Month keys with their year (``?-03`` -> ``2019-03``); a column without a year is a problem."""
    out, problems = {}, []
    for col, key in keys.items():
        key = key.replace("?", str(year)) if year else key
        if key.startswith("?"):
            problems.append(header_problem(led, col, "month_without_year", col))
            continue
        out[col] = key
    return out, problems


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
_COUNT = re.compile(r"^(\d+(?:\.\d+)?)次$")
_BARE = re.compile(r"^\d+(?:\.\d+)?$")
#: A header or title that says the cells are counts: 次数, （次）, 单位：次.
_COUNT_WORD = re.compile(r"次数|[(（]次[)）]|单位[:：]次")
#: Most meetings of one kind a group can hold in a month (the codebook's ``seq`` range).
_MAX_COUNT = 99


def _cell_kind(value: Any) -> str:
    """``date`` (a date, ``6日``, ``3、17``, ``5.13``), ``count`` (``2次``) or ``number`` (a bare ``2``)."""
    if isinstance(value, (_dt.datetime, _dt.date)) or isinstance(value, bool):
        return "date"
    if isinstance(value, (int, float)):
        return "number"
    text = normalize_header(value)
    if _COUNT.match(text):
        return "count"
    return "number" if re.fullmatch(r"-?\d+", text) else "date"  # 5.13 is May 13th, -1 a bad count


def activity_cells(led: Ledger, keys: dict, entry: dict, skip) -> tuple[str, list[Problem], set]:
    """Do the month cells of an activity ledger hold dates or counts of meetings?

    Parameters
    ----------
    led : Ledger
        The activity ledger (one row per group, one column per month).
    keys : dict
        Month columns (column -> ``YYYY-MM``).
    entry : dict
        The manifest entry; ``cells: counts`` or ``cells: dates`` decides,
        default ``auto``.
    skip : set of int
        Frame rows not read.

    Returns
    -------
    mode : str
        ``dates``, ``counts``, or ``none`` (the sheet cannot be read; see problems).
    problems : list of Problem
        Counts and dates mixed in one sheet (one problem naming the first cell of
        each), bare numbers that may be counts or days (one problem), a number
        among dates or a date among counts (one per cell).
    reported : set of (int, str)
        Cells already reported (not read again).

    Notes
    -----
    ``auto`` reads counts when a cell says so (``2次``), a month header or the
    title does (``次数``, ``（次）``), or a cell is 0 (no day is 0); dates when
    the cells hold days (``6日``, ``3、17``, ``5.13``, a date). Bare numbers
    alone (``1``, ``2``) are a count or a day: not guessed.
    """
    found: dict[str, list] = {"date": [], "count": [], "number": []}
    for i in range(len(led.frame)):  # in reading order: row by row
        for col in keys:
            v = led.frame[col].iloc[i]
            if i not in skip and not _blank(v):
                found[_cell_kind(v)].append((i, col, v))
    said = str(entry.get("cells", "auto"))
    texts = [led.title, *(p for parts in led.parts for p in parts)]
    zero = any(str(v).strip() in ("0", "0.0") for *_, v in found["number"])
    counting = said == "counts" or (said == "auto" and bool(
        found["count"] or zero or any(_COUNT_WORD.search(normalize_header(t)) for t in texts)))
    if said == "auto" and counting and found["date"]:
        return "none", [_mixed(led, found)], set()
    if counting:
        return "counts", _stray(led, found["date"], "date_in_counts"), {
            (i, c) for i, c, _ in found["date"]}
    numbers = found["number"] + found["count"]
    if said == "auto" and not found["date"] and numbers:
        i, col, v = numbers[0]
        return "none", [led.problem(i, col, "bare_numbers", v, n=len(numbers))], set()
    return "dates", _stray(led, numbers, "lone_number"), {
        (i, c) for i, c, _ in numbers}


def _mixed(led: Ledger, found: dict) -> Problem:
    order = list(led.frame.columns)
    counts = sorted(found["count"] + found["number"], key=lambda c: (c[0], order.index(c[1])))
    dates = found["date"]
    first_c, first_d = counts[0], dates[0]
    i, col, v = first_c if len(counts) <= len(dates) else first_d
    return led.problem(i, col, "counts_and_dates", v, n_counts=len(counts), n_dates=len(dates),
                       first_count=led.cell(first_c[0], first_c[1]) or first_c[1],
                       first_date=led.cell(first_d[0], first_d[1]) or first_d[1])


def _stray(led: Ledger, cells: list, code: str) -> list[Problem]:
    return [led.problem(i, col, code, v) for i, col, v in cells]


def _activity_rows(value: Any, month: str, entry: dict, mode: str) -> list[dict] | None:
    """The activities a month cell records: one row per meeting.

    A count (``2``, ``2次``) gives that many rows dated the month's first day with
    ``date_precision`` ``month``; dates (``13日``, ``3、17``, ``5.13``,
    ``5月13日``, a date) give one row per date with ``date_precision`` ``day``.
    None for a count that is not a whole number from 0 to :data:`_MAX_COUNT`.
    """
    kind = entry.get("kind", "group_meeting")
    if mode == "counts":
        text = normalize_header(value) if isinstance(value, str) else str(value)
        m = _COUNT.match(text) or _BARE.match(text)
        n = float(m.group(1) if m and m.groups() else text) if m else -1.0
        if not (n.is_integer() and 0 <= n <= _MAX_COUNT):
            return None
        return [{"date": f"{month}-01", "kind": kind, "date_precision": "month"}] * int(n)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return [{"date": value, "kind": kind, "date_precision": "day"}]
    out = []
    y, mo = month.split("-")
    for tok in _TOKENS.split(str(value).strip()):
        if not tok:
            continue
        m = _DAY.match(normalize_header(tok))
        if m and (m.group(1) is None or int(m.group(1)) == int(mo)):
            out.append({"date": f"{y}-{mo}-{int(m.group(2)):02d}", "kind": kind, "date_precision": "day"})
        else:  # a full date, or text the schema reports
            out.append({"date": tok, "kind": kind, "date_precision": "day"})
    return out
