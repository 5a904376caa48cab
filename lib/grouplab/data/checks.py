"""Checks across tables and the checks ledgers invite, each problem named where the user wrote it.

:func:`cross_checks` runs after every table of a dataset is read: ids that must
exist in another table or spec, dates inside the study window, scores above
their rubric item's maximum. (A ledger's own arithmetic, 合计 and 等级, is
checked by :mod:`grouplab.data.ledgers.totals`.)

A table read from a ledger carries ``__where`` (per row: canonical column ->
:class:`Loc`), so a problem names the file, sheet and cell the user sees; a
tidy table carries ``__file`` and is indexed by file row number.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from grouplab.data.codebook import codebook
from grouplab.data.periods import month_end
from grouplab.data.problems import problem
from grouplab.data.specs import spec_ids
from grouplab.errors import Problem

__all__ = ["Loc", "cross_checks", "duplicate_keys", "item_max_checks", "problem_at", "grade_of"]


class Loc(NamedTuple):
    """Where a cell is: file, sheet, Excel row, header as written, cell (``F7``)."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    cell: str | None


def problem_at(df: pd.DataFrame, pos: int, column: str, header: str, code: str, value: Any = None,
               hint: str | None = None, **values: Any) -> Problem:
    """A Problem of ``code`` (:data:`grouplab.data.problems.PROBLEMS`) for row position ``pos`` /
    canonical ``column`` of a loaded table.

    Ledger tables name the sheet and cell (``__where``); tidy tables the file
    (``__file``) and the file row (the index).

    Returns
    -------
    Problem
        With ``sheet`` and ``cell`` set for a ledger cell.
    """
    if "__where" in df.columns:
        where = df["__where"].iloc[pos]
        loc = where.get(column) or next(iter(where.values()))
        at = {"file": loc.file, "row": loc.row, "column": loc.column, "sheet": loc.sheet, "cell": loc.cell}
    else:
        at = {"file": df["__file"].iloc[pos], "row": int(df.index[pos]), "column": header}
    return problem(code, value=value, hint=hint, **at, **values)


def grade_of(total: pd.Series, rubric: dict) -> pd.Series:
    """Grade code of each total by the rubric's bands (highest band whose ``min`` <= total).

    Returns
    -------
    pandas.Series
        Grade codes (``excellent`` …), None where the total is missing.
    """
    bands = sorted(rubric.get("bands") or [], key=lambda b: -float(b["min"]))
    out = pd.Series(None, index=total.index, dtype=object)
    for band in reversed(bands):
        out = out.mask(total >= float(band["min"]), band["grade"])
    return out.where(total.notna(), None)


def _reference_sets(tables, specs) -> dict[str, set | None]:
    known: dict[str, set | None] = {
        f"{t}.{c}": set(tables[t][c].dropna().astype(str)) for t, c in
        (("units", "unit_id"), ("groups", "group_id")) if t in tables and c in tables[t]}
    known["rubric.item_id"] = spec_ids(specs.get("rubric"), "rubric") if specs.get("rubric") else None
    known["catalogue.indicator_id"] = (spec_ids(specs.get("catalogue"), "catalogue")
                                       if specs.get("catalogue") else None)
    return known


def cross_checks(tables: dict[str, pd.DataFrame], headers: dict[str, dict], specs: dict,
                 study, indicator) -> list[Problem]:
    """Foreign keys, rubric/catalogue ids, study windows and rubric maxima across tables.

    Returns
    -------
    list of Problem
        One per offending cell, named as the user wrote it.
    """
    out: list[Problem] = []
    known = _reference_sets(tables, specs)
    for t, df in tables.items():
        spec = codebook()[t]
        for name, col in spec.columns.items():
            if name not in df:
                continue
            hdr = headers[t].get(name, name)
            if col.references and known.get(col.references) is not None:
                vals = df[name]
                bad = (vals.notna() & ~vals.astype(str).isin(known[col.references])).to_numpy(bool)
                what = col.references.replace(".", " ")
                out += [problem_at(df, i, name, hdr, "unknown_id", vals.iloc[i], what=what)
                        for i in np.flatnonzero(bad)]
            win = study if col.window is True else indicator if col.window == "indicator" else None
            if win is not None:
                out += _window_problems(df, name, col, hdr, win)
    if "evaluations" in tables and specs.get("rubric") and {"item_id", "score"} <= set(tables["evaluations"]):
        out += item_max_checks(tables["evaluations"], specs["rubric"], headers.get("evaluations", {}))
    return out


def _window_problems(df, name, col, hdr, win) -> list[Problem]:
    lo, hi = win
    hi_end = month_end(hi)
    if col.dtype == "period":
        years = pd.to_numeric(df[name].str.slice(0, 4), errors="coerce")
        bad = years.notna() & ((years < lo.year) | (years > hi.year))
    else:
        bad = df[name].notna() & ((df[name] < lo) | (df[name] > hi_end))
    out = []
    for i in np.flatnonzero(bad.to_numpy(bool)):
        v = df[name].iloc[i]
        shown = v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else v
        out.append(problem_at(df, i, name, hdr, "outside_window", shown, lo=f"{lo:%Y-%m}", hi=f"{hi:%Y-%m}"))
    return out


def item_max_checks(evaluations: pd.DataFrame, rubric: dict, headers: dict) -> list[Problem]:
    """A score above its rubric item's maximum is an error at load (not only a flag at scoring).

    Returns
    -------
    list of Problem
        One per score cell above the maximum of its item.
    """
    maxima = {str(it["id"]): float(it["max"]) for it in rubric.get("items", [])}
    cap = evaluations["item_id"].astype(str).map(maxima)
    bad = (evaluations["score"] > cap).fillna(False).to_numpy(bool)
    hdr = headers.get("score", "score")
    return [problem_at(evaluations, i, "score", hdr, "above_item_max", float(evaluations["score"].iloc[i]),
                       item=evaluations["item_id"].iloc[i], max=float(cap.iloc[i]))
            for i in np.flatnonzero(bad)]


def duplicate_keys(df: pd.DataFrame, table: str, headers: dict) -> list[Problem]:
    """Keys repeated across the files/sheets of one table (each file's own repeats are found by its schema).

    Returns
    -------
    list of Problem
        One per row whose key already appeared in an earlier file or sheet.
    """
    key = [k for k in codebook()[table].key if k in df.columns]
    if not key or "__file" not in df.columns:
        return []
    first: dict[tuple, tuple[str, int]] = {}
    out = []
    for pos, (rec, file) in enumerate(zip(df[key].astype(str).itertuples(index=False), df["__file"],
                                          strict=True)):
        k = tuple(rec)
        if k in first and first[k][0] != file:
            where = ", ".join(headers.get(c, c) for c in key)
            p = problem_at(df, pos, key[-1], where, "duplicate_key_elsewhere", "/".join(k),
                           key=", ".join(key), other=first[k][0], other_row=first[k][1])
            out.append(p)
        first.setdefault(k, (file, int(df.index[pos])))
    return out
