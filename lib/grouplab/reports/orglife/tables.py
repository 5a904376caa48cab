"""Numeric tables of an organisational-life report (never rounded).

Every table is computed from the :class:`~grouplab.reports.orglife.context.OrgLifeContext`;
counts of members carry a ``hidden`` column from
:func:`grouplab.reports.common.disclosure.suppression` (the one suppression
implementation). Meetings, systems, trainings and posts are records of groups,
not of persons, and are shown in full.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.data.periods import month_index, month_timestamps
from grouplab.errors import ParameterError
from grouplab.measures.activity import FLAGS, flag_matrix, rated_meetings
from grouplab.measures.attendance import attendance_rules, member_attendance_summary, months_since
from grouplab.measures.lapses import rule_status, rules_of, unrecorded
from grouplab.reports.common.disclosure import suppression
from grouplab.reports.orglife.context import OrgLifeContext

__all__ = ["meeting_grid_table", "quality_table", "repeat_flags_table", "systems_table",
           "training_table", "leader_sessions_table", "demo_days_table", "posts_table",
           "attendance_table", "member_table", "followup_table"]


def _meetings(ctx: OrgLifeContext, groups: pd.Series | None = None) -> pd.DataFrame:
    """Group meetings in the period (of ``groups``, default the unit's) with flags and ``rated``."""
    a = ctx.activities
    ids = ctx.groups["group_id"] if groups is None else groups
    m = a[(a["kind"] == "group_meeting") & a["group_id"].isin(ids)
          & (a["date"] >= ctx.first) & (a["date"] <= ctx.last_day)]
    m = m.sort_values(["group_id", "date"] + (["seq"] if "seq" in m else []), kind="stable")
    fl = flag_matrix(m)
    out = pd.DataFrame({"group_id": m["group_id"].astype(object).to_numpy(),
                        "date": m["date"].to_numpy(),
                        "month": month_timestamps(month_index(m["date"], "activities"))})
    rated = rated_meetings(fl)
    out["rated"] = rated
    for j, f in enumerate(FLAGS):
        out[f] = rated & (fl[:, j] == 1)
    return out


def meeting_grid_table(ctx: OrgLifeContext) -> pd.DataFrame:
    """Group × month grid of meetings held against the rule, attendance and 三多三少 flags.

    Returns
    -------
    pandas.DataFrame
        One row per (group of the unit, month of the period), sorted by both:

        - ``group_id``, ``name``, ``month``;
        - ``held`` — group meetings held; ``required`` — meetings the rule asks
          per month (``count / months`` of the ``group_meeting`` requirement);
        - ``ok`` — the requirement met in the month (nullable boolean, missing
          when its window reaches before the log);
        - ``attendance_rate`` — Σ attendees / Σ expected of the month's meetings;
        - ``n_rated`` — rated meetings (all three flags recorded);
        - ``n_<flag>`` — rated meetings showing each flag (``praise_over_criticism``,
          ``form_over_substance``, ``chat_over_solving``).
    """
    p = ctx.unit_panel
    count, months = ctx.requirements.get("group_meeting", (np.nan, 1))
    out = pd.DataFrame({"group_id": p["group_id"], "month": p["month"],
                        "held": p["n_group_meeting"].astype(np.int64),
                        "required": float(count) / float(months),
                        "ok": p["ok_group_meeting"] if "ok_group_meeting" in p
                        else pd.array([pd.NA] * len(p), dtype="boolean"),
                        "attendance_rate": p["attendance_rate"],
                        "n_rated": p["n_rated_meetings"].astype(np.int64)})
    m = _meetings(ctx)
    flags = m.groupby(["group_id", "month"])[list(FLAGS)].sum().add_prefix("n_")
    out = out.merge(flags.reset_index(), on=["group_id", "month"], how="left")
    for f in FLAGS:
        out[f"n_{f}"] = out[f"n_{f}"].fillna(0).astype(np.int64)
    out.insert(1, "name", out["group_id"].map(dict(zip(ctx.groups["group_id"], ctx.groups["name"]))))
    return out.sort_values(["group_id", "month"], ignore_index=True)


def quality_table(ctx: OrgLifeContext) -> pd.DataFrame:
    """The 三多三少 quality index of the unit and of the company, month by month.

    Returns
    -------
    pandas.DataFrame
        One row per month from 12 months before the period's start (or the log's
        first month) to its end:

        - ``month``; ``in_period`` — the month belongs to the period;
        - ``unit_rated``, ``unit_clean``, ``unit_quality`` — rated meetings of
          the unit's groups, those showing no flag, and their share;
        - ``company_rated``, ``company_clean``, ``company_quality`` — the same
          over every group of the dataset.

    Notes
    -----
    Pooled shares (Σ clean / Σ rated), not means of group shares, so a group
    with more meetings weighs more. Descriptive: no test of the difference.
    """
    p = ctx.panel
    start = max(ctx.log_start, ctx.first - pd.DateOffset(months=12))
    p = p[(p["month"] >= start) & (p["month"] <= ctx.last)]
    clean = (p["meeting_quality"] * p["n_rated_meetings"]).round().fillna(0)
    d = pd.DataFrame({"month": p["month"], "unit": p["group_id"].isin(ctx.groups["group_id"]),
                      "rated": p["n_rated_meetings"], "clean": clean})
    rows = []
    for month, g in d.groupby("month", sort=True):
        u = g[g["unit"]]
        row = {"month": month, "in_period": bool(month >= ctx.first)}
        for prefix, part in (("unit_", u), ("company_", g)):
            r, c = int(part["rated"].sum()), int(part["clean"].sum())
            row.update({f"{prefix}rated": r, f"{prefix}clean": c,
                        f"{prefix}quality": c / r if r else np.nan})
        rows.append(row)
    return pd.DataFrame(rows, columns=["month", "in_period", "unit_rated", "unit_clean",
                                       "unit_quality", "company_rated", "company_clean",
                                       "company_quality"])


def _longest_run(values: np.ndarray) -> int:
    best = cur = 0
    for v in values:
        cur = cur + 1 if v else 0
        best = max(best, cur)
    return best


def repeat_flags_table(ctx: OrgLifeContext) -> pd.DataFrame:
    """Per group and flag: how often the period's rated meetings showed it, and in a row.

    Returns
    -------
    pandas.DataFrame
        One row per (group of the unit with a rated meeting, flag):

        - ``group_id``, ``flag``;
        - ``n_rated`` — rated meetings of the group in the period;
        - ``n_flagged`` — of them, showing the flag;
        - ``longest_run`` — most consecutive rated meetings showing it;
        - ``repeated`` — ``longest_run >= repeat_flag_run`` of the spec (default 2).
    """
    need = int(ctx.spec.get("repeat_flag_run", 2))
    m = _meetings(ctx)
    m = m[m["rated"]]
    rows = [{"group_id": g, "flag": f, "n_rated": len(sub), "n_flagged": int(sub[f].sum()),
             "longest_run": _longest_run(sub[f].to_numpy())}
            for g, sub in m.groupby("group_id", sort=True) for f in FLAGS]
    out = pd.DataFrame(rows, columns=["group_id", "flag", "n_rated", "n_flagged", "longest_run"])
    out["repeated"] = out["longest_run"] >= need
    return out


def systems_table(ctx: OrgLifeContext) -> pd.DataFrame:
    """For each group and rule: met in the period, lapsed (since when) or lapsed and resolved.

    A system is met in a month when every requirement of its kinds is met
    (trailing windows, see :func:`grouplab.measures.activity.activity_panel`);
    requirements that no system covers (by default the quarterly
    demonstration day) follow the five systems as rules of their own.

    Returns
    -------
    pandas.DataFrame
        :func:`grouplab.measures.lapses.rule_status` of the unit's groups over the period: one row
        per (group, rule), columns ``group_id``, ``rule``, ``is_system``, ``months_judged``,
        ``months_met``, ``status``, ``since``, ``since_censored``, ``months_lapsed``,
        ``not_recorded``. A rule whose kinds have no record anywhere in the dataset is
        ``"unknown"`` (no source), not lapsed.
    """
    p = ctx.panel[ctx.panel["group_id"].isin(ctx.groups["group_id"])]
    return rule_status(p, ctx.systems, ctx.requirements, first=ctx.first, recorded=ctx.recorded)


def _in_period(ctx: OrgLifeContext, kind: str) -> pd.DataFrame:
    a = ctx.activities
    return a[(a["kind"] == kind) & a["group_id"].isin(ctx.groups["group_id"])
             & (a["date"] >= ctx.first) & (a["date"] <= ctx.last_day)]


def training_table(ctx: OrgLifeContext) -> pd.DataFrame:
    """Leader training of each group of the unit at the end of the period.

    Returns
    -------
    pandas.DataFrame
        One row per group of the unit, sorted:

        - ``group_id``, ``leader_id``;
        - ``last_training`` — date of the last leader training up to the period's end (NaT: none
          in the log); ``months_since`` — calendar months from it to the period's last month;
        - ``trained_12m`` — trained in the 12 months ending with the period (nullable:
          missing when that window reaches before the log, or when the dataset records no
          leader training at all: no source, so not overdue but unknown);
        - ``overdue`` — not ``trained_12m`` (nullable);
        - ``hours`` — training hours in the period.
    """
    a = ctx.activities
    tr = a[(a["kind"] == "leader_training") & a["group_id"].isin(ctx.groups["group_id"])]
    last = tr.groupby("group_id")["date"].max()
    end = ctx.panel[(ctx.panel["month"] == ctx.last)].set_index("group_id")
    trained = _in_period(ctx, "leader_training")
    dur = trained["duration_h"] if "duration_h" in trained else pd.Series(0.0, index=trained.index)
    hours = dur.groupby(trained["group_id"]).sum()
    g = ctx.groups.set_index("group_id")
    out = pd.DataFrame({"group_id": g.index,
                        "leader_id": g["leader_id"].to_numpy() if "leader_id" in g else None,
                        "last_training": last.reindex(g.index).to_numpy()})
    out["months_since"] = months_since(out["last_training"], ctx.last).to_numpy()
    out["trained_12m"] = end["trained_12m"].reindex(g.index).to_numpy()
    out["trained_12m"] = out["trained_12m"].astype("boolean")
    if unrecorded(("leader_training",), ctx.recorded):
        out["trained_12m"] = pd.array([pd.NA] * len(out), dtype="boolean")
    out["overdue"] = ~out["trained_12m"]
    out["hours"] = hours.reindex(g.index).fillna(0.0).to_numpy()
    out["last_training"] = pd.to_datetime(out["last_training"])
    return out


def _by_quarter(ctx: OrgLifeContext, kind: str, *, count: str, held: str, dates: bool) -> pd.DataFrame:
    """Activities of ``kind`` per calendar quarter of the period: ``count`` (distinct ``dates``, or
    rows), ``held`` (groups with one) and ``groups`` (groups of the unit)."""
    d = _in_period(ctx, kind)
    q = d["date"].dt.to_period("Q")
    rows = []
    for per in pd.period_range(ctx.first, ctx.last, freq="Q"):
        in_q = d[q == per]
        rows.append({"quarter": str(per), count: int(in_q["date"].nunique() if dates else len(in_q)),
                     held: int(in_q["group_id"].nunique()), "groups": len(ctx.groups)})
    return pd.DataFrame(rows, columns=["quarter", count, held, "groups"])


def leader_sessions_table(ctx: OrgLifeContext) -> pd.DataFrame:
    """Group-leader trainings held for the unit, per calendar quarter of the period.

    Returns
    -------
    pandas.DataFrame
        One row per quarter overlapping the period:

        - ``quarter`` (str, ``2019Q1``);
        - ``sessions`` — distinct dates on which leaders of the unit's groups had a
          leader training (one session per date: the log records each leader's
          attendance, not the branch's meeting itself);
        - ``groups_trained`` — groups whose leader attended one; ``groups`` — groups of the unit.
    """
    return _by_quarter(ctx, "leader_training", count="sessions", held="groups_trained", dates=True)


def demo_days_table(ctx: OrgLifeContext) -> pd.DataFrame:
    """Demonstration days (党员示范日) of the unit's groups per calendar quarter of the period.

    Returns
    -------
    pandas.DataFrame
        One row per quarter overlapping the period (days counted inside the period only):

        - ``quarter`` (str); ``days`` — demonstration days held;
        - ``groups_held`` — groups holding at least one; ``groups`` — groups of the unit.
    """
    return _by_quarter(ctx, "demonstration_day", count="days", held="groups_held", dates=False)


def posts_table(ctx: OrgLifeContext) -> pd.DataFrame:
    """Demonstration posts of the unit's groups by type: active, started and ended.

    Returns
    -------
    pandas.DataFrame
        One row per post type of the spec (spec order):

        - ``post_type``;
        - ``active`` — posts in place on the period's last day;
        - ``started``, ``ended`` — posts set up / ended within the period.
    """
    types = list(ctx.spec.get("post_types") or {})
    if ctx.posts is None:
        return pd.DataFrame({"post_type": types, "active": 0, "started": 0, "ended": 0})
    p = ctx.posts
    lo, hi = ctx.first, ctx.last_day
    end = pd.to_datetime(p["end"])
    rows = []
    for t in types:
        mine = p["post_type"] == t
        rows.append({"post_type": t,
                     "active": int((mine & (p["start"] <= hi) & (end.isna() | (end >= hi))).sum()),
                     "started": int((mine & p["start"].between(lo, hi)).sum()),
                     "ended": int((mine & end.between(lo, hi)).sum())})
    return pd.DataFrame(rows, columns=["post_type", "active", "started", "ended"])


def _summary(ctx: OrgLifeContext) -> pd.DataFrame | None:
    if ctx.attendance is None:
        return None
    rules = attendance_rules(ctx.spec)
    return member_attendance_summary(ctx.attendance, start=ctx.first, end=ctx.last,
                                     streak=rules["absent_streak"],
                                     no_life_months=rules["no_life_months"])


ATTENDANCE_RULES = ("absent_streak", "no_life")


def attendance_table(ctx: OrgLifeContext) -> pd.DataFrame:
    """Members per group on the attendance list, suppressed below ``k``.

    Returns
    -------
    pandas.DataFrame
        Empty without a member_attendance table. Otherwise, per rule
        (``absent_streak``: absent without excuse from ``attendance.absent_streak``
        consecutive meetings; ``no_life``: no group life in ``attendance.no_life_months``
        months) one row per group of the unit, then a total row:

        - ``rule``; ``group_id`` (``None`` on the total row); ``row`` (``"group"`` / ``"total"``);
        - ``members`` — members of the group in the register up to the period's end;
        - ``count`` — of them, on the list;
        - ``hidden`` — ``""``, ``"small"`` or ``"complement"``
          (:func:`grouplab.reports.common.disclosure.suppression` over the groups of a rule,
          whose total is published; the total row is hidden when below ``k``; nothing is
          hidden when the total is 0).
    """
    cols = ["rule", "group_id", "row", "members", "count", "hidden"]
    s = _summary(ctx)
    if s is None:
        return pd.DataFrame(columns=cols)
    members = s.groupby("group_id").size()
    parts = []
    for rule in ATTENDANCE_RULES:
        counts = s.groupby("group_id")[rule].sum()
        t = pd.DataFrame({"rule": rule, "group_id": list(ctx.groups["group_id"]), "row": "group"})
        t["members"] = members.reindex(t["group_id"]).fillna(0).astype(np.int64).to_numpy()
        t["count"] = counts.reindex(t["group_id"]).fillna(0).astype(np.int64).to_numpy()
        # a published total of 0 already says every cell is 0: nothing left to protect
        t["hidden"] = suppression(t["count"], k=ctx.k) if t["count"].sum() else ""
        total = int(t["count"].sum())
        parts += [t, pd.DataFrame([{"rule": rule, "group_id": None, "row": "total",
                                    "members": int(t["members"].sum()), "count": total,
                                    "hidden": "small" if 0 < total < ctx.k else ""}])]
    out = pd.concat(parts, ignore_index=True)[cols]
    out["group_id"] = out["group_id"].astype(object).where(out["group_id"].notna(), None)
    return out


def member_table(ctx: OrgLifeContext) -> pd.DataFrame:
    """The members on the attendance list, one row each (only when ``member_names`` allows).

    Returns
    -------
    pandas.DataFrame
        Sorted by group and member: ``group_id``, ``member_id``, ``longest_streak``,
        ``streak_first``, ``streak_last``, ``last_present``, ``absent_streak``, ``no_life``
        (see :func:`grouplab.measures.attendance.member_attendance_summary`).

    Raises
    ------
    ParameterError
        ``member_names`` is False (the default shows counts per group only).
    """
    if not ctx.member_names:
        raise ParameterError("member_names=False: member identifiers are not shown; set "
                             "member_names=True where your rules allow it")
    cols = ["group_id", "member_id", "longest_streak", "streak_first", "streak_last",
            "last_present", "absent_streak", "no_life"]
    s = _summary(ctx)
    if s is None:
        return pd.DataFrame(columns=cols)
    return s.loc[s["absent_streak"] | s["no_life"], cols].reset_index(drop=True)


def followup_table(ctx: OrgLifeContext) -> pd.DataFrame:
    """The follow-up list (督办清单): every lapse of the period, most urgent first.

    Returns
    -------
    pandas.DataFrame
        One row per (group, rule) with status ``lapsed`` or ``resolved`` in
        :func:`systems_table`, sorted by urgency — open lapses first, then the
        oldest ``since``, then group and rule (spec order):

        - ``rank`` (1 = most urgent); ``group_id``, ``name``;
        - ``rule``, ``is_system``; ``open`` — still lapsed at the period's end;
        - ``since``, ``since_censored``, ``months_lapsed`` — as in :func:`systems_table`.
    """
    t = systems_table(ctx)
    order = {r: i for i, (r, _, _) in enumerate(rules_of(ctx.systems, ctx.requirements))}
    t = t[t["status"].isin(["lapsed", "resolved"])].copy()
    t["open"] = t["status"] == "lapsed"
    t["_r"] = t["rule"].map(order)
    t = t.sort_values(["open", "since", "group_id", "_r"], ascending=[False, True, True, True],
                      kind="stable", ignore_index=True)
    t.insert(0, "rank", np.arange(1, len(t) + 1))
    t.insert(2, "name", t["group_id"].map(dict(zip(ctx.groups["group_id"], ctx.groups["name"]))))
    return t[["rank", "group_id", "name", "rule", "is_system", "open", "since", "since_censored",
              "months_lapsed"]]
