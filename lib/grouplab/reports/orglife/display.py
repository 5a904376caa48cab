"""Display tables, figures and one-sentence readings of an organisational-life report.

Every function takes a numeric table from :mod:`.tables` and the context; labels
come from the spec (systems, requirements, post types), the codebook (activity
kinds) and :data:`~grouplab.reports.orglife.phrases.PHRASES`. Hidden cells are
shown as ``<k`` and sentences never quote them.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.codebook import codebook
from grouplab.data.periods import parse_period
from grouplab.measures.attendance import attendance_rules
from grouplab.measures.lapses import unrecorded
from grouplab.reports.common.flags import flag_source_sentence
from grouplab.reports.common.labels import count_en, phrase, sheet_namer, spec_label
from grouplab.reports.orglife.context import OrgLifeContext
from grouplab.reports.orglife.phrases import FLAG_SHORT, PHRASES

__all__ = [
    "sheet_name",
    "period_label", "month_label", "rule_label", "requirement_text",
    "format_meeting_grid", "format_repeat_flags", "format_systems", "format_training",
    "format_sessions", "format_demo_days", "format_posts", "format_attendance", "format_members",
    "format_followup", "plot_quality",
    "interpret_meetings", "interpret_quality", "interpret_systems", "interpret_training",
    "interpret_demo", "interpret_attendance", "interpret_followup", "leader_text",
    "unknown_rules_sentence",
]

sheet_name = sheet_namer(PHRASES)


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _p(key: str, ctx: OrgLifeContext, **values: Any) -> str:
    return phrase(PHRASES, key, ctx.lang, **values)


def month_label(month: Any, lang: str) -> str:
    """``2019年3月`` / ``Mar 2019``."""
    t = pd.Timestamp(month)
    return f"{t.year}年{t.month}月" if lang == "zh" else f"{_MONTHS_EN[t.month - 1]} {t.year}"


def period_label(ctx: OrgLifeContext) -> str:
    """The period in words: ``2019年`` / ``2019``, ``2019年第2季度`` / ``2019 Q2``, a month."""
    first, _, kind = parse_period(ctx.period)
    if kind == "month":
        return month_label(first, ctx.lang)
    if kind == "quarter":
        q = (first.month - 1) // 3 + 1
        return f"{first.year}年第{q}季度" if ctx.lang == "zh" else f"{first.year} Q{q}"
    return f"{first.year}年" if ctx.lang == "zh" else str(first.year)


def rule_label(rule: str, ctx: OrgLifeContext) -> str:
    """Name of a system (from the spec) or of an activity kind (from the codebook)."""
    entry = (ctx.spec.get("systems") or {}).get(rule)
    if entry:
        return spec_label(entry, ctx.lang, rule)
    kind = codebook()["activities"].columns["kind"].allowed or {}
    if ctx.lang == "zh":
        return kind.get(rule, rule)
    return rule.replace("_", " ").capitalize()


def requirement_text(rule: str, ctx: OrgLifeContext) -> str:
    """The requirement(s) of a rule in words, from the spec."""
    entry = (ctx.spec.get("systems") or {}).get(rule)
    kinds = entry.get("kinds", ()) if isinstance(entry, dict) else (rule,)
    reqs = ctx.spec.get("requirements") or {}
    sep = "；" if ctx.lang == "zh" else "; "
    return sep.join(spec_label(reqs.get(k), ctx.lang, k) for k in kinds)


def _pct(x: Any) -> str:
    return "" if x is None or pd.isna(x) else f"{100 * float(x):.0f}"


def _date(x: Any) -> str:
    return "" if x is None or pd.isna(x) else f"{pd.Timestamp(x):%Y-%m-%d}"


def _month_text(x: Any) -> str:
    return "" if x is None or pd.isna(x) else f"{pd.Timestamp(x):%Y-%m}"


def _yes(x: Any, ctx: OrgLifeContext) -> str:
    return _p("unknown", ctx) if x is None or x is pd.NA else _p("yes" if bool(x) else "no", ctx)


def _group_name(ctx: OrgLifeContext) -> dict:
    return dict(zip(ctx.groups["group_id"], ctx.groups["name"]))


# --------------------------------------------------------------------- tables
def format_meeting_grid(table: pd.DataFrame, ctx: OrgLifeContext) -> pd.DataFrame:
    """The group × month ledger: one row per group, one column per month of the period.

    Returns
    -------
    pandas.DataFrame
        Columns: group ID, group name, then one per month (``YYYY-MM``) holding
        text ``held/required · attendance% · flags`` (flags as one mark per
        meeting showing it, see the legend phrase).
    """
    def cell(r) -> str:
        req = f"{r.required:g}" if np.isfinite(r.required) else ""
        parts = [f"{r.held}/{req}"]
        if r.held:
            parts.append(f"{_pct(r.attendance_rate)}%" if pd.notna(r.attendance_rate) else "")
            marks = "".join(FLAG_SHORT[f][ctx.lang] * int(getattr(r, f"n_{f}")) for f in FLAG_SHORT)
            parts.append(marks)
        else:
            parts.append(_p("no_meeting", ctx))
        return " · ".join(p for p in parts if p)

    t = table.assign(text=[cell(r) for r in table.itertuples(index=False)],
                     col=table["month"].dt.strftime("%Y-%m"))
    wide = t.pivot(index="group_id", columns="col", values="text")
    wide = wide.reindex(columns=sorted(wide.columns)).reset_index()
    wide.insert(1, "name", wide["group_id"].map(_group_name(ctx)))
    wide.columns.name = None
    return wide.rename(columns={"group_id": _p("group_id", ctx), "name": _p("name", ctx)})


def format_repeat_flags(table: pd.DataFrame, ctx: OrgLifeContext) -> pd.DataFrame:
    """Groups whose meetings repeat the same flag (only those rows).

    Returns
    -------
    pandas.DataFrame
        Columns: group ID, group name, flag, rated meetings, times seen, most in a row.
    """
    flags = codebook()["activities"].columns
    t = table[table["repeated"]]
    names = _group_name(ctx)
    rows = [{_p("group_id", ctx): r.group_id, _p("name", ctx): names.get(r.group_id, ""),
             _p("flag", ctx): flags[r.flag].label(ctx.lang), _p("n_rated", ctx): str(r.n_rated),
             _p("n_flagged", ctx): str(r.n_flagged), _p("longest_run", ctx): str(r.longest_run)}
            for r in t.itertuples(index=False)]
    keys = ["group_id", "name", "flag", "n_rated", "n_flagged", "longest_run"]
    return pd.DataFrame(rows, columns=[_p(k, ctx) for k in keys])


def _since(r, ctx: OrgLifeContext) -> str:
    m = _month_text(r.since)
    return _p("or_earlier", ctx, m=m) if m and bool(r.since_censored) else m


def format_systems(table: pd.DataFrame, ctx: OrgLifeContext) -> pd.DataFrame:
    """The five systems (and other rules) per group, with the requirement stated.

    Returns
    -------
    pandas.DataFrame
        Columns: group ID, group name, system / rule, requirement, status, months met (of
        judged), since, months — all text.
    """
    names = {"met": "st_met", "lapsed": "st_lapsed", "resolved": "st_resolved",
             "unknown": "st_unknown"}
    groups = _group_name(ctx)
    rows = [{_p("group_id", ctx): r.group_id, _p("name", ctx): groups.get(r.group_id, ""),
             _p("rule", ctx): rule_label(r.rule, ctx),
             _p("requirement", ctx): requirement_text(r.rule, ctx),
             _p("status", ctx): _p(names[r.status], ctx),
             _p("months_met", ctx): f"{r.months_met}/{r.months_judged}",
             _p("since", ctx): _since(r, ctx),
             _p("months_lapsed", ctx): str(r.months_lapsed) if r.months_lapsed else ""}
            for r in table.itertuples(index=False)]
    keys = ["group_id", "name", "rule", "requirement", "status", "months_met", "since", "months_lapsed"]
    return pd.DataFrame(rows, columns=[_p(k, ctx) for k in keys])


#: A code, not a name: ASCII letters, digits and ``_-./`` with at least one digit (M0001, 20230015).
_ID = re.compile(r"[A-Za-z0-9_./-]*[0-9][A-Za-z0-9_./-]*")


def leader_text(leader: Any, ctx: OrgLifeContext) -> str:
    """A group leader as the report may show them: an id of the dataset's members, or a code (ASCII
    letters and digits with a digit, such as an employee number), as is; anything else (a name from
    a roster's 党小组长 column) masked unless ``member_names``.

    Examples
    --------
    A roster's 党小组长 column holds names, not ids: ``leader_text("王建国", ctx)`` is ``〔姓名〕``
    by default, ``王建国`` with ``member_names=True``; a member id such as ``M0001`` is shown.
    """
    if leader is None or leader is pd.NA or (isinstance(leader, float) and np.isnan(leader)):
        return ""
    text = str(leader)
    if ctx.member_names or text in ctx.member_ids or _ID.fullmatch(text):
        return text
    return _p("name_masked", ctx)


def format_training(table: pd.DataFrame, ctx: OrgLifeContext) -> pd.DataFrame:
    """Leader training per group. Columns: group ID, group name, leader (names masked unless
    ``member_names``, see :func:`leader_text`), last training (``not recorded`` when the dataset
    holds no leader training at all), months since, overdue, hours in period — all text."""
    names = _group_name(ctx)
    none = _p("not_recorded" if unrecorded(("leader_training",), ctx.recorded) else "never", ctx)
    rows = [{_p("group_id", ctx): r.group_id, _p("name", ctx): names.get(r.group_id, ""),
             _p("leader_id", ctx): leader_text(r.leader_id, ctx),
             _p("last_training", ctx): _date(r.last_training) or none,
             _p("months_since", ctx): "" if pd.isna(r.months_since) else str(int(r.months_since)),
             _p("overdue", ctx): _yes(r.overdue, ctx), _p("hours", ctx): f"{r.hours:g}"}
            for r in table.itertuples(index=False)]
    keys = ["group_id", "name", "leader_id", "last_training", "months_since", "overdue", "hours"]
    return pd.DataFrame(rows, columns=[_p(k, ctx) for k in keys])


def _labelled(table: pd.DataFrame, ctx: OrgLifeContext, keys: list[str]) -> pd.DataFrame:
    return table[keys].astype(str).rename(columns={k: _p(k, ctx) for k in keys})


def format_sessions(table: pd.DataFrame, ctx: OrgLifeContext) -> pd.DataFrame:
    """Leader trainings per quarter. Columns: quarter, sessions, groups trained, groups."""
    return _labelled(table, ctx, ["quarter", "sessions", "groups_trained", "groups"])


def format_demo_days(table: pd.DataFrame, ctx: OrgLifeContext) -> pd.DataFrame:
    """Demonstration days per quarter. Columns: quarter, days, groups holding one, groups."""
    return _labelled(table, ctx, ["quarter", "days", "groups_held", "groups"])


def format_posts(table: pd.DataFrame, ctx: OrgLifeContext) -> pd.DataFrame:
    """Posts by type (labels from the spec). Columns: post type, active at end, started, ended."""
    types = ctx.spec.get("post_types") or {}
    t = table.assign(post_type=[spec_label(types.get(p), ctx.lang, p) for p in table["post_type"]])
    return _labelled(t, ctx, ["post_type", "active", "started", "ended"])


def format_attendance(table: pd.DataFrame, ctx: OrgLifeContext) -> pd.DataFrame:
    """Members on the attendance list per group; hidden cells as ``<k``.

    Returns
    -------
    pandas.DataFrame
        Columns: group ID, group name, members in register, one column per rule — all text.
    """
    rules = attendance_rules(ctx.spec)
    head = {"absent_streak": _p("absent_streak", ctx, n=rules["absent_streak"]),
            "no_life": _p("no_life", ctx, n=rules["no_life_months"])}
    names = _group_name(ctx)
    mark = _p("hidden", ctx, k=ctx.k)
    rows: dict[Any, dict] = {}
    for r in table.itertuples(index=False):
        key = r.group_id if r.row == "group" else "__total"
        row = rows.setdefault(key, {
            _p("group_id", ctx): r.group_id or _p("total", ctx),
            _p("name", ctx): names.get(r.group_id, "") if r.row == "group" else "",
            _p("members", ctx): str(r.members)})
        row[head[r.rule]] = mark if r.hidden else str(r.count)
    cols = [_p("group_id", ctx), _p("name", ctx), _p("members", ctx), *head.values()]
    return pd.DataFrame(list(rows.values()), columns=cols)


def format_members(table: pd.DataFrame, ctx: OrgLifeContext) -> pd.DataFrame:
    """Members on the list (only built when ``member_names`` allows). Columns: group ID,
    member ID, longest absence run, run from–to, last present — all text."""
    rows = [{_p("group_id", ctx): r.group_id, _p("member_id", ctx): r.member_id,
             _p("longest_streak", ctx): str(r.longest_streak) if r.longest_streak else "",
             _p("streak_span", ctx): f"{_date(r.streak_first)} – {_date(r.streak_last)}"
             if pd.notna(r.streak_first) else "",
             _p("last_present", ctx): _date(r.last_present) or _p("never", ctx)}
            for r in table.itertuples(index=False)]
    keys = ["group_id", "member_id", "longest_streak", "streak_span", "last_present"]
    return pd.DataFrame(rows, columns=[_p(k, ctx) for k in keys])


def format_followup(table: pd.DataFrame, ctx: OrgLifeContext) -> pd.DataFrame:
    """The follow-up list (督办清单) as a branch files it.

    Returns
    -------
    pandas.DataFrame
        Columns: no., group ID, group name, system / rule, requirement, since,
        months, state — all text, most urgent first.
    """
    rows = [{_p("rank", ctx): str(r.rank), _p("group_id", ctx): r.group_id,
             _p("name", ctx): r.name, _p("rule", ctx): rule_label(r.rule, ctx),
             _p("requirement", ctx): requirement_text(r.rule, ctx),
             _p("since", ctx): _since(r, ctx), _p("months_lapsed", ctx): str(r.months_lapsed),
             _p("state", ctx): _p("open" if r.open else "closed", ctx)}
            for r in table.itertuples(index=False)]
    keys = ["rank", "group_id", "name", "rule", "requirement", "since", "months_lapsed", "state"]
    return pd.DataFrame(rows, columns=[_p(k, ctx) for k in keys])


# --------------------------------------------------------------------- figure
def _other(table: pd.DataFrame, ctx: OrgLifeContext) -> str | None:
    """What the unit is compared with: ``company_quality`` (a company the data name),
    ``all_quality`` (all groups in the data, under a root the roster reader made up) or None
    (the data hold no rated meeting beyond the unit's: nothing to compare with)."""
    if (table["company_rated"] == table["unit_rated"]).all():
        return None
    return "company_quality" if ctx.real_company else "all_quality"


def plot_quality(table: pd.DataFrame, ctx: OrgLifeContext):
    """Quality index of the unit and of the company by month; the period shaded.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.6))
    x = table["month"]
    other = _other(table, ctx)
    ax.plot(x, 100 * table["unit_quality"], marker="o", label=_p("unit_quality", ctx) + f" {ctx.unit_id}")
    if other:
        ax.plot(x, 100 * table["company_quality"], marker="s", color="0.5", linestyle="--",
                label=_p(other, ctx))
    inside = table.loc[table["in_period"], "month"]
    if len(inside):
        ax.axvspan(inside.min() - pd.Timedelta(days=15), inside.max() + pd.Timedelta(days=15),
                   color="C1", alpha=0.12, label=_p("period_band", ctx))
    ax.set_ylim(0, 105)
    ax.set_ylabel(_p("quality_axis", ctx))
    ax.set_xlabel(_p("month", ctx))
    title = {"company_quality": "quality_title", "all_quality": "quality_title_all"}
    ax.set_title(_p(title.get(other, "quality_title_alone"), ctx, unit=ctx.label))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------- sentences
def interpret_meetings(table: pd.DataFrame, ctx: OrgLifeContext) -> str:
    """Meetings held against required, group-months without one and the worst month."""
    missed = table[table["held"] == 0]
    per = missed.groupby("month").size()
    worst = (_p("s_worst", ctx, month=month_label(per.idxmax(), ctx.lang), n=int(per.max()))
             if len(per) else _p("s_worst_none", ctx))
    required = table["required"].sum()
    return _p("s_meetings", ctx, period=period_label(ctx), unit=ctx.label,
              n_groups=table["group_id"].nunique(), required=f"{required:g}",
              groups_en=count_en(table["group_id"].nunique(), "group"),
              held=int(table["held"].sum()), meetings_en=count_en(int(table["held"].sum()), "group meeting"),
              n_missed=len(missed), worst=worst)


def interpret_quality(table: pd.DataFrame, repeats: pd.DataFrame, ctx: OrgLifeContext) -> str:
    """Pooled quality of the period against the company, the largest monthly change and
    the groups repeating a flag (descriptive shares, no test)."""
    t = table[table["in_period"]]
    rated, clean = int(t["unit_rated"].sum()), int(t["unit_clean"].sum())
    if not rated:
        return _with_source(_p("s_quality_none", ctx, unit=ctx.label), ctx)
    c_rated, c_clean = int(t["company_rated"].sum()), int(t["company_clean"].sum())
    diff = table["unit_quality"].diff()
    diff = diff[table["in_period"].to_numpy()].dropna()
    if len(diff):
        at = diff.abs().idxmax()
        month, delta = month_label(table.loc[at, "month"], ctx.lang), f"{100 * diff[at]:+.0f}"
    else:
        month, delta = "—", "0"
    other = _other(table, ctx)
    compare = (_p("cmp_company" if other == "company_quality" else "cmp_all", ctx,
                  x=_pct(c_clean / c_rated)) if other and c_rated else "")
    n_rep = int(repeats.loc[repeats["repeated"], "group_id"].nunique())
    text = _p("s_quality", ctx, unit=ctx.label, rated=rated, clean=clean,
              share=_pct(clean / rated), compare=compare, month=month, delta=delta,
              n_rep=n_rep, groups_rep=count_en(n_rep, "group"))
    return _with_source(text, ctx)


def _with_source(text: str, ctx: OrgLifeContext) -> str:
    """``text`` and, when dataset.yml sets meeting_flags:, where the flags came from."""
    note = flag_source_sentence(ctx.flag_source, ctx.flag_counts, ctx.lang)
    return f"{text}{'' if ctx.lang == 'zh' else ' '}{note}" if note else text


def interpret_systems(table: pd.DataFrame, ctx: OrgLifeContext) -> str:
    """Groups meeting all five systems at the end, open lapses and the most frequent one."""
    sys_rows = table[table["is_system"]]
    n_groups = sys_rows["group_id"].nunique()
    end_ok = sys_rows.groupby("group_id")["status"].apply(lambda s: s.isin(["met", "resolved"]).all())
    open_ = table[table["status"] == "lapsed"]
    if not len(open_):
        text = _p("s_systems_ok", ctx, n_ok=int(end_ok.sum()), n_groups=n_groups)
    else:
        top = open_["rule"].value_counts()
        text = _p("s_systems", ctx, n_ok=int(end_ok.sum()), n_groups=n_groups, n_open=len(open_),
                  lapses_open=count_en(len(open_), "lapse is", "lapses are"),
                  rule=rule_label(top.index[0], ctx), n_rule=int(top.iloc[0]),
                  groups_rule=count_en(int(top.iloc[0]), "group"))
    return text + unknown_rules_sentence(table, ctx)


def unknown_rules_sentence(table: pd.DataFrame, ctx: OrgLifeContext) -> str:
    """Which systems / rules could not be judged because the data record none of their activities
    (``""`` when every rule has a source); a leading space in English."""
    rules = list(dict.fromkeys(table.loc[(table["status"] == "unknown") & (table["not_recorded"] != ""),
                                         "rule"]))
    if not rules:
        return ""
    sep = "、" if ctx.lang == "zh" else ", "
    text = _p("s_unknown_rules", ctx, rules=sep.join(rule_label(r, ctx) for r in rules))
    return text if ctx.lang == "zh" else " " + text


def interpret_training(table: pd.DataFrame, sessions: pd.DataFrame, ctx: OrgLifeContext) -> str:
    """Overdue leaders and training sessions held in the period."""
    if unrecorded(("leader_training",), ctx.recorded):
        return _p("s_training_unknown", ctx, n_groups=len(table))
    od = table["overdue"]
    n = int(sessions["sessions"].sum())
    return _p("s_training", ctx, n_overdue=int(od.fillna(False).sum()), n_groups=len(table),
              n_unknown=int(od.isna().sum()), sessions=n, sessions_en=count_en(n, "session"))


def interpret_demo(days: pd.DataFrame, posts: pd.DataFrame, ctx: OrgLifeContext) -> str:
    """Demonstration days held and posts active, started and ended."""
    d = ctx.activities
    held = d[(d["kind"] == "demonstration_day") & d["group_id"].isin(ctx.groups["group_id"])
             & (d["date"] >= ctx.first) & (d["date"] <= ctx.last_day)]
    n = int(days["days"].sum())
    values = dict(days=n, days_en=count_en(n, "demonstration day"), groups_held=held["group_id"].nunique(),
                  n_groups=len(ctx.groups), active=int(posts["active"].sum()),
                  started=int(posts["started"].sum()), ended=int(posts["ended"].sum()))
    no_days = bool(unrecorded(("demonstration_day",), ctx.recorded))
    if not no_days and ctx.posts is not None:
        return _p("s_demo", ctx, **values)
    parts = [_p("s_demo_days_unknown" if no_days else "s_demo_days", ctx, **values),
             _p("s_demo_posts" if ctx.posts is not None else "s_demo_posts_unknown", ctx, **values)]
    return ("" if ctx.lang == "zh" else " ").join(parts)


def interpret_attendance(table: pd.DataFrame, ctx: OrgLifeContext) -> str:
    """Members on the list in the unit (totals; ``fewer than k`` when hidden)."""
    if not len(table):
        return _p("no_register", ctx)
    rules = attendance_rules(ctx.spec)
    tot = table[table["row"] == "total"].set_index("rule")
    shown = {r: (_p("fewer_than", ctx, k=ctx.k) if tot.loc[r, "hidden"] else str(tot.loc[r, "count"]))
             for r in tot.index}
    return _p("s_attendance", ctx, streak=rules["absent_streak"], n_streak=shown["absent_streak"],
              months=rules["no_life_months"], n_life=shown["no_life"])


def interpret_followup(table: pd.DataFrame, ctx: OrgLifeContext) -> str:
    """Items on the follow-up list, how many are open and the oldest open one."""
    if not len(table):
        return _p("s_followup_none", ctx)
    open_ = table[table["open"]]
    since = month_label(open_["since"].min(), ctx.lang) if len(open_) else "—"
    return _p("s_followup", ctx, n=len(table), items_en=count_en(len(table), "item"), n_open=len(open_),
              since=since)
