"""Load one table of a dataset from wide ledger sheets (``layout: wide`` in dataset.yml).

Each source (file + sheet) is read by :func:`~grouplab.data.ledgers.sheet.read_ledger`,
its columns matched by :func:`~grouplab.data.ledgers.layouts.column_roles`, entity names
resolved by :func:`~grouplab.data.ledgers.entities.resolve_names`, melted by
:func:`~grouplab.data.ledgers.melt.melt_ledger` and validated like a tidy file by
:func:`~grouplab.data.schema.validate_raw`; every problem is then moved back to
the sheet and cell it came from. The result carries ``__where`` (per row:
canonical column -> :class:`~grouplab.data.checks.Loc`) for the cross-table checks.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from grouplab.data.checks import Loc
from grouplab.data.codebook import normalize_header
from grouplab.data.ledgers.entities import LOOKUP, name_key, resolve_names
from grouplab.data.ledgers.layouts import WIDE, column_roles, score_for
from grouplab.data.ledgers.melt import melt_ledger
from grouplab.data.ledgers.roster import UNIT_COLUMNS
from grouplab.data.ledgers.scope import ambiguity, lookup_map, resolve_groups, sheet_scope
from grouplab.data.ledgers.sheet import Ledger, read_ledger
from grouplab.data.ledgers.totals import ledger_total_checks
from grouplab.data.problems import problem, reword
from grouplab.data.readers.base import RawTable
from grouplab.data.schema import validate_raw
from grouplab.errors import DataError, Problem
from grouplab.paths import MANIFEST

__all__ = ["read_wide"]

def read_wide(folder: Path, table: str, entry: dict, sources: list[dict], specs: dict,
              tables: dict[str, pd.DataFrame]):
    """Read, melt and validate the wide sources of one table.

    Parameters
    ----------
    folder : Path
        Dataset folder (source files are relative to it).
    table : str
        A table of :data:`~grouplab.data.ledgers.layouts.WIDE`.
    entry : dict
        The manifest entry (``period``/``month``/``year``/``kind``/``cells``/
        ``indicator``/``header_row``/``columns``/``hidden``/``encoding``).
    sources : list of dict
        ``file`` and ``sheet`` (and per-source ``period``/``month``/``year``) of each sheet.
    specs : dict
        ``rubric``/``catalogue`` (for matching columns).
    tables : dict
        Tables loaded so far (``groups``/``units`` resolve names).

    Returns
    -------
    frame : pandas.DataFrame or None
        Canonical columns (codebook order) plus ``__where`` and ``__file``.
    problems : list of Problem
        Every problem, named by file, sheet and cell.
    reading : list of dict
        Per source how it was read (for ``grouplab validate --explain``).
    """
    if table not in WIDE:
        return None, [problem("not_wide_table", MANIFEST, None, f"tables.{table}", "wide",
                              layouts=", ".join(WIDE))], []
    problems = _option_problems(table, entry)
    if problems:
        return None, problems, []
    cells, wheres, reading = [], [], []
    for src in sources:
        try:
            led = read_ledger(folder / src["file"], score=score_for(table, specs), sheet=src.get("sheet"),
                              encoding=entry.get("encoding"), header_row=entry.get("header_row"),
                              keep_hidden=entry.get("hidden") == "keep", file_label=Path(src["file"]).name)
        except DataError as err:
            problems += err.problems
            continue
        roles, role_probs = column_roles(led, table, specs, entry.get("columns"),
                                         indicator=src.get("indicator", entry.get("indicator")))
        problems += role_probs
        if roles["entity"] is None:
            continue
        ids, skip, probs, notes = _entity_ids(led, roles, table, tables, {**entry, **src})
        problems += probs
        melted = melt_ledger(led, table, roles, entry={**entry, **src}, entity_ids=ids, skip=skip,
                             catalogue=specs.get("catalogue"))
        problems += melted.problems
        # 合计 and 等级 are checked against the items only when every item column was read
        whole = not any(p.code in {"unmatched_item", "sheet_misses_items"} for p in role_probs)
        if table == "evaluations" and specs.get("rubric") and whole:
            problems += ledger_total_checks(led.frame, list(roles["keys"]), total=roles["total"],
                                            grade=roles["grade"], rubric=specs["rubric"], where=led.problem)
        cells += melted.cells
        wheres += [{k: _loc(led, w) for k, w in where.items()} for where in melted.where]
        reading.append({**_explain(led, roles, melted), "notes": notes})
    if not cells:
        return None, problems, reading
    if table == "activities":
        _number_activities(cells)
    frame = pd.DataFrame(cells, dtype=object)
    label = ", ".join(dict.fromkeys(Path(s["file"]).name for s in sources))
    n = len(frame)
    raw = RawTable(frame, label, folder, 1, list(frame.columns), None, (),
                   {"format": "ledger", "row_numbers": list(range(1, n + 1)), "dropped_rows": [],
                    "header_row": None})
    df, probs, _ = validate_raw(raw, table)
    problems += [_relocate(p, wheres) for p in probs]
    df = df.reset_index(drop=True)
    df["__where"] = wheres
    df["__file"] = [next(iter(w.values())).file for w in wheres]
    return df, problems, reading


def _option_problems(table: str, entry: dict) -> list[Problem]:
    """Options of a wide entry that cannot be used, each named by its dataset.yml key."""
    out = []

    def bad(key, code):
        out.append(problem(code, MANIFEST, None, f"tables.{table}.{key}", entry.get(key)))

    hr = entry.get("header_row")
    if hr is not None and not (isinstance(hr, int) and not isinstance(hr, bool) or (
            isinstance(hr, list) and hr and all(isinstance(r, int) and not isinstance(r, bool) for r in hr))):
        bad("header_row", "bad_header_row")
    if entry.get("year") is not None and not str(entry["year"]).isdigit():
        bad("year", "bad_year")
    if entry.get("columns") is not None and not isinstance(entry["columns"], dict):
        bad("columns", "bad_columns_map")
    if entry.get("cells") not in (None, "auto", "counts", "dates"):
        bad("cells", "bad_cells_option")
    if entry.get("hidden") not in (None, "keep", "skip"):
        bad("hidden", "bad_hidden_option")
    return out


def _entity_ids(led: Ledger, roles: dict, table: str, tables: dict, entry: dict):
    """Ids of the entity column per row, the rows to skip (unknown names), their problems and reading notes.

    Group names shared by groups of several units are looked up within the row's unit (a 工区
    column) or the unit the sheet names (:func:`~grouplab.data.ledgers.scope.sheet_scope`) first.
    """
    col = roles["entity"]
    values = led.frame[col]
    if roles["by"] == "id":
        return list(values), set(), [], []
    other, id_col = LOOKUP[WIDE[table].entity]
    known = tables.get(other)
    if known is None or "name" not in known or id_col not in known:
        return list(values), set(range(len(values))), [led.problem(
            None, col, "names_without_table", other=other)], []
    notes: list[dict] = []
    if id_col == "group_id":
        units = tables.get("units")
        scope, problems = sheet_scope(units, unit=entry.get("unit"), title=led.title, filed_by=led.filed_by,
                                      sheet=led.sheet, file=Path(str(entry.get("file", ""))).name,
                                      key=f"tables.{table}")
        unit_col = next((h for h in led.frame.columns if normalize_header(h) in UNIT_COLUMNS), None)
        ids_of = lookup_map(units)
        row_units = None if unit_col is None else led.frame[unit_col].map(lambda v: ids_of.get(name_key(v)))
        res = resolve_groups(values, known, units, scope, row_units)
        notes = ([scope.record] if scope else []) + (
            [{"what": "scope", "from": "scope_column", "column": unit_col}] if unit_col else [])
        n = int(((res["scope"] != "") & (res["status"] == "ok")).sum())
        notes += [{"what": "scope", "from": "scope_resolved", "n": n}] if n else []
    else:
        res, problems = resolve_names(values, known, id_column=id_col), []
        res["scope"], res["scope_status"] = "", ""
    skip = set()
    for i, r in enumerate(res.itertuples(index=False)):
        if r.status == "unknown":
            problems.append(led.problem(i, col, "unknown_name", values.iloc[i],
                                        other=other, closest=r.candidates or "none"))
        elif r.status == "ambiguous":
            code, said = ambiguity(r.candidates, r.scope, r.scope_status, known, tables.get("units"))
            problems.append(led.problem(i, col, code, values.iloc[i], other=other, **said))
        if r.status in ("unknown", "ambiguous"):
            skip.add(i)
    ids = [v if s == "blank" else r for v, r, s in zip(values, res["id"], res["status"], strict=True)]
    return ids, skip, problems, notes


def _loc(led: Ledger, w: tuple) -> Loc:
    kind = w[0]
    if kind == "cell":
        _, i, col = w
        return Loc(led.file, led.sheet, led.rows[i], col, led.cell(i, col))
    if kind == "header":
        j = list(led.frame.columns).index(w[1])
        cell = f"{led.letters[j]}{led.header_rows[-1]}" if led.letters else None
        return Loc(led.file, led.sheet, led.header_rows[-1], w[1], cell)
    if kind == "title":
        row = int(re.sub(r"\D", "", led.title_cell)) if led.title_cell else None
        return Loc(led.file, led.sheet, row, "title", led.title_cell)
    if kind == "manifest":
        return Loc(MANIFEST, None, None, "tables", None)
    return Loc(led.file, led.sheet, None, "sheet name", None)


def _relocate(p: Problem, wheres: list[dict]) -> Problem:
    """A problem of the melted table, named by the sheet cell it came from."""
    if p.row is None or not 1 <= p.row <= len(wheres):
        return p
    where = wheres[p.row - 1]
    loc = where.get(p.column) or next(iter(where.values()))
    n = p.values.get("first_row") if p.code == "duplicate_key" else None
    if n is not None and 1 <= int(n) <= len(wheres):
        first = next(iter(wheres[int(n) - 1].values()))
        p = (reword(p, "duplicate_key_of_sheet", first_row=first.row, first_sheet=first.sheet) if first.sheet
             else reword(p, first_row=first.row))
    return replace(p, file=loc.file, row=loc.row, column=loc.column, sheet=loc.sheet, cell=loc.cell)


def _number_activities(cells: list[dict]) -> None:
    """seq: 1, 2, … for activities of the same group, date and kind, in sheet order.

    ``date_precision`` is kept only when some cells were counts (``month``): a
    ledger of dates loads like a tidy log, without the column.
    """
    if all(c.get("date_precision") == "day" for c in cells):
        for c in cells:
            c.pop("date_precision", None)
    seen: dict[tuple, int] = {}
    for c in cells:
        k = (str(c.get("group_id")), str(c.get("date")), str(c.get("kind")))
        seen[k] = seen.get(k, 0) + 1
        c["seq"] = seen[k]


def _explain(led: Ledger, roles: dict, melted) -> dict:
    return {
        "file": led.file, "sheet": led.sheet, "header_rows": led.header_rows,
        "skipped": led.skipped, "entity": roles["entity"], "by": roles["by"],
        "matched": dict(melted.matched), "total": roles["total"], "grade": roles["grade"],
        "unused": list(roles["unused"]), "rows": len(led.frame), "values": len(melted.cells),
    }
