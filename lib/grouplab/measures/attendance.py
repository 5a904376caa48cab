"""Members' part in group life (党员参加组织生活): absence streaks and long absences.

Works on the optional ``member_attendance`` table (one row per member and
activity: ``present`` / ``excused`` / ``absent``, see the codebook). Two rules
of the seed essays' concern with members who stay away from group life
(长期游离于组织视野之外):

- an **absence streak**: absent without excuse from ``streak`` or more
  consecutive group meetings the member was expected at (a meeting attended
  or excused ends the streak);
- **no group life**: expected at one or more activities of any kind in the
  last ``no_life_months`` calendar months of the period and present at none.

The results are per member; reports publish counts per group under the
disclosure rules and show member identifiers only when told to.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.periods import month_index
from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError, require_columns

__all__ = ["STATUSES", "ABSENT_STREAK", "NO_LIFE_MONTHS", "attendance_rules", "member_attendance_summary",
           "absence_runs", "months_since"]

#: Status codes of the member_attendance table.
STATUSES = ("present", "excused", "absent")

#: Default rules when the org-life spec's ``attendance`` block leaves them out.
ABSENT_STREAK = 3
NO_LIFE_MONTHS = 6

_COLUMNS = ["group_id", "member_id", "date", "kind", "status"]


def _checked(attendance: pd.DataFrame) -> pd.DataFrame:
    require_columns(attendance, _COLUMNS, "member_attendance")
    bad = ~attendance["status"].astype(object).isin(STATUSES)
    if bad.any():
        raise DataError([problem("unknown_status", "member_attendance",
                                 status=attendance["status"][bad].iloc[0])])
    seq = attendance["seq"] if "seq" in attendance else pd.Series(1, index=attendance.index)
    out = pd.DataFrame({"group_id": attendance["group_id"].astype(object).to_numpy(),
                        "member_id": attendance["member_id"].astype(object).to_numpy(),
                        "date": pd.to_datetime(attendance["date"]).to_numpy(),
                        "seq": pd.to_numeric(seq, errors="coerce").fillna(1).to_numpy(),
                        "kind": attendance["kind"].astype(object).to_numpy(),
                        "status": attendance["status"].astype(object).to_numpy()})
    out["mi"] = month_index(out["date"], "member_attendance")
    return out.sort_values(["group_id", "member_id", "date", "seq"], kind="stable",
                           ignore_index=True)


def absence_runs(attendance: pd.DataFrame, *, kinds: Sequence[str] = ("group_meeting",)
                 ) -> pd.DataFrame:
    """Runs of consecutive unexcused absences of each member.

    Parameters
    ----------
    attendance : pandas.DataFrame
        ``group_id``, ``member_id``, ``date``, ``kind``, ``status`` (and
        ``seq`` to order two activities of one day).
    kinds : sequence of str
        Activity kinds whose rows form the sequence (default: group meetings).

    Returns
    -------
    pandas.DataFrame
        One row per run, sorted by group, member and start:

        - ``group_id``, ``member_id``;
        - ``length`` — consecutive activities absent without excuse;
        - ``first``, ``last`` — dates of the run's first and last activity.

    Examples
    --------
    >>> a = pd.DataFrame({"group_id": "G1", "member_id": "m1", "kind": "group_meeting",
    ...                   "date": pd.date_range("2019-01-10", periods=5, freq="MS"),
    ...                   "status": ["absent", "absent", "excused", "absent", "present"]})
    >>> absence_runs(a)[["length"]].to_numpy().ravel().tolist()
    [2, 1]
    """
    a = _checked(attendance)
    a = a[a["kind"].isin(list(kinds))].reset_index(drop=True)
    absent = (a["status"] == "absent").to_numpy()
    new_member = (a[["group_id", "member_id"]].ne(a[["group_id", "member_id"]].shift())).any(axis=1)
    # a new run id at every row that is not absent, and at every member's first row
    run = np.cumsum(~absent | new_member.to_numpy())
    runs = a[absent].assign(run=run[absent]).groupby("run", sort=True).agg(
        group_id=("group_id", "first"), member_id=("member_id", "first"),
        length=("date", "size"), first=("date", "min"), last=("date", "max"))
    runs["length"] = runs["length"].astype(np.int64)
    return runs.reset_index(drop=True)[["group_id", "member_id", "length", "first", "last"]]


def _period_counts(a: pd.DataFrame, lo: int, hi: int, kinds: Sequence[str]) -> pd.DataFrame:
    """Per member: ``n_expected``, ``n_present``, ``n_excused``, ``n_absent`` at ``kinds`` in [lo, hi]."""
    inside = a[(a["mi"] >= lo) & (a["mi"] <= hi) & a["kind"].isin(list(kinds))]
    tab = pd.crosstab([inside["group_id"], inside["member_id"]], inside["status"])
    tab = tab.reindex(columns=list(STATUSES), fill_value=0).add_prefix("n_")
    tab["n_expected"] = tab.sum(axis=1)
    return tab


def attendance_rules(spec: dict | None) -> dict[str, int]:
    """The two attendance rules of an org-life spec (its ``attendance`` block), defaults filled in.

    Returns
    -------
    dict
        ``absent_streak`` and ``no_life_months`` as ints.

    Examples
    --------
    >>> attendance_rules({"attendance": {"no_life_months": 4}})
    {'absent_streak': 3, 'no_life_months': 4}
    """
    rules = (spec or {}).get("attendance") or {}
    return {"absent_streak": int(rules.get("absent_streak", ABSENT_STREAK)),
            "no_life_months": int(rules.get("no_life_months", NO_LIFE_MONTHS))}


def member_attendance_summary(attendance: pd.DataFrame, *, start: Any, end: Any,
                              streak: int = ABSENT_STREAK, no_life_months: int = NO_LIFE_MONTHS,
                              kinds: Sequence[str] = ("group_meeting",)) -> pd.DataFrame:
    """Per member of the register: attendance in a period, absence streaks, no group life.

    Parameters
    ----------
    attendance : pandas.DataFrame
        The member_attendance table (``group_id``, ``member_id``, ``date``,
        ``kind``, ``status``; ``seq`` optional).
    start, end : month-like
        First and last month of the period (inclusive).
    streak : int, default 3
        Consecutive unexcused absences from ``kinds`` that flag a member.
    no_life_months : int, default 6
        Calendar months (ending with ``end``) without being present at any activity.
    kinds : sequence of str
        Kinds whose rows count as the meetings of the streak rule.

    Returns
    -------
    pandas.DataFrame
        One row per (group_id, member_id) with a row in the register up to
        ``end``, sorted by both:

        - ``n_expected``, ``n_present``, ``n_excused``, ``n_absent`` — rows of
          ``kinds`` in the period by status;
        - ``longest_streak`` — longest run of consecutive unexcused absences
          (``kinds``) that ends inside the period (it may start before it);
          ``streak_first``, ``streak_last`` — its first and last date;
        - ``last_present`` — last date present at any activity up to ``end``;
        - ``absent_streak`` — ``longest_streak >= streak``;
        - ``no_life`` — expected at any activity in the ``no_life_months``
          months ending with ``end`` and present at none.

    Raises
    ------
    DataError
        Missing columns, unknown statuses, missing dates.
    ParameterError
        ``streak`` or ``no_life_months`` below 1, ``end`` before ``start``.

    Notes
    -----
    Rows after ``end`` are ignored, so the summary of a past period never
    depends on later records. A run is counted over the member's own rows:
    a meeting the member was not expected at (no row) neither breaks nor
    extends it.
    """
    if int(streak) < 1 or int(no_life_months) < 1:
        raise ParameterError(f"streak={streak!r} and no_life_months={no_life_months!r} must be >= 1")
    lo, hi = (int(x) for x in month_index([start, end], "period"))
    if hi < lo:
        raise ParameterError(f"end {end!r} is before start {start!r}")
    a = _checked(attendance)
    a = a[a["mi"] <= hi].reset_index(drop=True)
    keys = ["group_id", "member_id"]
    out = a[keys].drop_duplicates().set_index(keys)
    out = out.join(_period_counts(a, lo, hi, kinds)).fillna(0).astype(np.int64)
    runs = absence_runs(a, kinds=kinds)
    runs = runs[month_index(runs["last"], "runs") >= lo] if len(runs) else runs
    best = runs.sort_values(["length", "last"], ascending=[False, True], kind="stable")
    best = best.drop_duplicates(keys).set_index(keys)
    out["longest_streak"] = best["length"].reindex(out.index).fillna(0).astype(np.int64)
    out["streak_first"] = best["first"].reindex(out.index)
    out["streak_last"] = best["last"].reindex(out.index)
    present = a[a["status"] == "present"]
    out["last_present"] = present.groupby(keys)["date"].max().reindex(out.index)
    recent = a[a["mi"] > hi - int(no_life_months)]
    expected = recent.groupby(keys).size().reindex(out.index).fillna(0) > 0
    was_present = (recent["status"] == "present").groupby([recent[k] for k in keys]).any()
    out["absent_streak"] = out["longest_streak"] >= int(streak)
    out["no_life"] = expected & ~was_present.reindex(out.index).fillna(False).astype(bool)
    out = out.reset_index().sort_values(keys, ignore_index=True)
    for c in ("streak_first", "streak_last", "last_present"):
        out[c] = pd.to_datetime(out[c])
    return out


def months_since(dates: pd.Series, end: Any) -> pd.Series:
    """Calendar months from each date's month to ``end``'s month (NaN where missing)."""
    hi = int(month_index([end], "end")[0])
    d = pd.to_datetime(dates)
    out = pd.Series(np.nan, index=d.index)
    ok = d.notna()
    if ok.any():
        out[ok] = hi - month_index(d[ok], "dates")
    return out

