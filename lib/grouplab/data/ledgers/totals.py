"""A wide evaluation sheet's own arithmetic: 合计 equal to the sum of its items, 等级 the rubric grade."""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.data.checks import grade_of
from grouplab.data.codebook import normalize_header
from grouplab.data.ledgers.numbers import parse_numbers
from grouplab.errors import Problem

__all__ = ["ledger_total_checks", "TOTAL_TOLERANCE"]

#: 合计 may differ from the sum of its items by rounding to one decimal at most.
TOTAL_TOLERANCE = 0.05


def ledger_total_checks(frame: pd.DataFrame, items: list[str], *, total: str | None, grade: str | None,
                        rubric: dict, where) -> list[Problem]:
    """A wide evaluation sheet's own arithmetic: 合计 = sum of the items, 等级 = grade of the total.

    Parameters
    ----------
    frame : pandas.DataFrame
        The ledger's cells (one row per group).
    items : list of str
        Columns holding rubric item scores.
    total, grade : str or None, keyword-only
        The 合计 and 等级 columns, if the sheet has them.
    rubric : dict
        The rubric (its ``bands`` grade the total; band labels zh or code accepted).
    where : callable
        ``where(i, column, code, value, **values) -> Problem`` naming the cell (``Ledger.problem``).

    Returns
    -------
    list of Problem
        A 合计 that differs from the sum of the items by more than
        :data:`TOTAL_TOLERANCE` (naming both values), an 等级 that is not the
        grade of the sum of the items.
    """
    if not items:
        return []
    parsed = {c: parse_numbers(frame[c]) for c in items}
    scores = pd.DataFrame({c: p["value"] for c, p in parsed.items()})
    # a row with an unreadable score is reported at that cell, not again as a wrong total
    unreadable = pd.DataFrame({c: p["unreadable"] for c, p in parsed.items()}).any(axis=1)
    summed = scores.sum(axis=1, min_count=1).mask(unreadable)
    out = []
    if total is not None:
        written = parse_numbers(frame[total])["value"]
        bad = (written - summed).abs() > TOTAL_TOLERANCE
        for i in np.flatnonzero(bad.fillna(False).to_numpy(bool)):
            out.append(where(i, total, "total_not_sum", frame[total].iloc[i], header=total,
                             sum=summed.iloc[i]))
    if grade is not None:
        labels = {}
        for b in rubric.get("bands") or []:
            for t in (b["grade"], b.get("zh"), b.get("en")):
                if t:
                    labels[normalize_header(t)] = b["grade"]
        expected = grade_of(summed, rubric)
        zh = {b["grade"]: b.get("zh", b["grade"]) for b in rubric.get("bands") or []}
        for i in range(len(frame)):
            w = frame[grade].iloc[i]
            if w is None or expected.iloc[i] is None:
                continue
            got = labels.get(normalize_header(w))
            if got != expected.iloc[i]:
                out.append(where(i, grade, "grade_not_total", w, header=grade, total=summed.iloc[i],
                                 grade=zh[expected.iloc[i]]))
    return out
