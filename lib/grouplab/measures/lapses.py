"""Lapses of the five systems (三会一课 and the rest): met, lapsed since when, or lapsed and resolved.

Works on :func:`grouplab.measures.activity.activity_panel`, whose ``ok_<kind>`` columns say per group
and month whether each requirement's trailing window was met (missing when the window reaches before
the log). A **rule** is a system of the spec (met in a month when every requirement of its kinds is
met, Kleene logic: a known failure wins over a missing month) or a requirement that no system covers
(by default the quarterly demonstration day).

**No record is not a lapse.** A kind with no record anywhere in the data (no row of that kind for
any group, or no activities table at all: :func:`recorded_kinds`) has no source: its requirement
is unknown in every month, so a rule resting only on such kinds is ``"unknown"`` (无法判断), never
``"lapsed"``, and never enters a follow-up list. A group without a record of a kind that *other*
groups record is judged as usual (that is a lapse). Kleene logic still applies inside a system: a
known failure of a recorded kind makes the system lapse even when another of its kinds is unknown.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import pandas as pd

from grouplab.errors import require_columns

__all__ = ["STATUS_COLUMNS", "rules_of", "lapse_status", "rule_status", "recorded_kinds", "unrecorded"]

#: Columns of :func:`rule_status`.
STATUS_COLUMNS = ["group_id", "rule", "is_system", "months_judged", "months_met", "status", "since",
                  "since_censored", "months_lapsed", "not_recorded"]


def recorded_kinds(activities: pd.DataFrame | None) -> frozenset[str]:
    """Activity kinds with at least one record in ``activities`` (any group, any date).

    ``None`` (no activities table) records nothing. These are the kinds the data can judge: a kind
    outside the set has no source, so its requirement is unknown, not lapsed.

    Examples
    --------
    >>> sorted(recorded_kinds(pd.DataFrame({"kind": ["group_meeting", "work_report", None]})))
    ['group_meeting', 'work_report']
    >>> recorded_kinds(None)
    frozenset()
    """
    if activities is None or "kind" not in activities:
        return frozenset()
    return frozenset(str(k) for k in activities["kind"].dropna().unique())


def unrecorded(kinds: Sequence[str], recorded: Collection[str] | None) -> tuple[str, ...]:
    """The ``kinds`` without any record (all of them judged when ``recorded`` is None).

    Examples
    --------
    >>> unrecorded(("work_report", "half_year_summary"), {"half_year_summary"})
    ('work_report',)
    """
    return () if recorded is None else tuple(k for k in kinds if k not in recorded)


def rules_of(systems: Mapping[str, Sequence[str]],
             requirements: Mapping[str, object]) -> list[tuple[str, tuple[str, ...], bool]]:
    """(rule, kinds, is_system): the systems, then requirements no system covers.

    Examples
    --------
    >>> rules_of({"three_meetings": ["branch_meeting", "group_meeting"]},  # doctest: +NORMALIZE_WHITESPACE
    ...          {"branch_meeting": (1, 1), "group_meeting": (1, 1), "demonstration_day": (1, 3)})
    [('three_meetings', ('branch_meeting', 'group_meeting'), True),
     ('demonstration_day', ('demonstration_day',), False)]
    """
    covered = {k for kinds in systems.values() for k in kinds}
    out = [(name, tuple(kinds), True) for name, kinds in systems.items()]
    return out + [(k, (k,), False) for k in requirements if k not in covered]


def _open_run(met: pd.Series) -> tuple[int, bool]:
    """Length of the run of known non-compliant months ending at the last month, and whether
    the month before it is unknown (or before the log), so the lapse may be older."""
    n = 0
    values = list(met.to_numpy(dtype=object))
    for v in reversed(values):
        if v is pd.NA or v is None or bool(v):
            break
        n += 1
    before = values[-n - 1] if n < len(values) else pd.NA
    return n, before is pd.NA or before is None


def lapse_status(met: pd.Series, first: pd.Timestamp) -> dict:
    """Status of one group and rule from its monthly ``met`` (nullable bool indexed by month).

    Months before ``first`` are history: they date an open lapse but are not judged.

    Returns
    -------
    dict
        ``months_judged``, ``months_met``, ``status``, ``since``, ``since_censored``,
        ``months_lapsed`` (see :func:`rule_status`).

    Examples
    --------
    Met in January, unknown in February, not met in March and April (hand count:
    an open lapse of two months since March; February unknown, so it may be older):

    >>> met = pd.Series([True, pd.NA, False, False], dtype="boolean",
    ...                 index=pd.date_range("2019-01-01", periods=4, freq="MS"))
    >>> s = lapse_status(met, pd.Timestamp("2019-01-01"))
    >>> s["status"], f"{s['since']:%Y-%m}", s["months_lapsed"], s["since_censored"], s["months_judged"]
    ('lapsed', '2019-03', 2, True, 3)
    """
    inside = met[met.index >= first].dropna().astype(bool)
    row = {"months_judged": len(inside), "months_met": int(inside.sum()), "since": pd.NaT,
           "since_censored": False, "months_lapsed": 0}
    last = met.iloc[-1] if len(met) else pd.NA
    if not len(inside):
        return row | {"status": "unknown"}
    if inside.all():
        return row | {"status": "met"}
    if last is not pd.NA and not bool(last):
        n, censored = _open_run(met)
        return row | {"status": "lapsed", "since": met.index[-n], "months_lapsed": n,
                      "since_censored": censored}
    lapsed = inside[~inside]
    return row | {"status": "resolved", "since": lapsed.index[0], "months_lapsed": len(lapsed)}


def rule_status(panel: pd.DataFrame, systems: Mapping[str, Sequence[str]],
                requirements: Mapping[str, object], *, first: pd.Timestamp,
                recorded: Collection[str] | None = None) -> pd.DataFrame:
    """For each group of ``panel`` and rule: met from ``first`` on, lapsed (since when) or resolved.

    Parameters
    ----------
    panel : pandas.DataFrame
        :func:`~grouplab.measures.activity.activity_panel` rows (``group_id``, ``month``,
        ``ok_<kind>``) up to the period's last month; earlier months date open lapses.
    systems, requirements : mapping
        As :func:`~grouplab.measures.activity.settings_from_spec` returns them.
    first : pandas.Timestamp
        First month of the period judged.
    recorded : collection of str, optional
        Kinds the data records at all (:func:`recorded_kinds` of the activities table). A kind
        outside it is unknown in every month (no source), so a rule resting only on such kinds is
        ``"unknown"``, not ``"lapsed"``. Default None: every kind is judged as the panel says.

    Returns
    -------
    pandas.DataFrame
        One row per (group, rule), groups sorted, rules in spec order (:data:`STATUS_COLUMNS`):

        - ``group_id``, ``rule`` (system name or activity kind), ``is_system``;
        - ``months_judged`` — months of the period with a known status;
          ``months_met`` — of them, met;
        - ``status`` — ``"met"`` (every judged month), ``"lapsed"`` (not met
          in the period's last month), ``"resolved"`` (lapsed in the period,
          met at its end) or ``"unknown"`` (no judged month);
        - ``since`` — first month of the open lapse (it may precede the period)
          or, when resolved, of the period's first lapse;
        - ``since_censored`` — the month before ``since`` is unknown (before the
          log), so the lapse may be older;
        - ``months_lapsed`` — months of the open lapse, or lapsed months in the
          period when resolved;
        - ``not_recorded`` — the rule's kinds without any record in the data (comma-separated,
          ``""`` when all are recorded): why a rule is unknown.
    """
    rules = rules_of(systems, requirements)
    require_columns(panel, ["group_id", "month", *{f"ok_{k}" for _, kinds, _ in rules for k in kinds}],
                    "panel")
    rows = []
    for g, sub in panel.groupby("group_id", sort=True):
        sub = sub.set_index("month").sort_index()
        for rule, kinds, is_system in rules:
            missing = unrecorded(kinds, recorded)
            oks = [pd.Series(pd.NA, index=sub.index, dtype="boolean") if k in missing
                   else sub[f"ok_{k}"] for k in kinds]  # no source: unknown every month
            met = oks[0].copy()
            for ok in oks[1:]:
                met = met & ok  # Kleene logic: False wins over missing
            rows.append({"group_id": g, "rule": rule, "is_system": is_system,
                         **lapse_status(met, first), "not_recorded": ",".join(missing)})
    out = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    out["since"] = pd.to_datetime(out["since"])
    return out
