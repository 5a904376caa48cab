"""The member_attendance table: who was present, excused or absent at each group meeting.

The register agrees with activities.csv: at every group meeting exactly
``attendees`` members are present. A few members drift away before some
groups' incidents rise (TRUTH["attendance"]): the drift is placed where the
simulated incidents rise, so it *precedes* the rise by construction; the
incidents were simulated without any reference to attendance, so the link is
an association planted for the report to find, not a cause.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.synth.truth import TRUTH

COLUMNS = ["group_id", "date", "kind", "seq", "member_id", "status"]


def _rises(sim: dict) -> np.ndarray:
    """Per group: the month whose 3-month violations + accidents exceed the previous six months'
    3-month average the most (−1 when no month rises by ``rise_min``)."""
    a = TRUTH["attendance"]
    v = sim["counts"]["violation"] + sim["counts"]["responsibility_accident"]
    G, M = v.shape
    cs = np.concatenate([np.zeros((G, 1)), v.cumsum(axis=1)], axis=1)
    w, lb = a["rise_window"], a["baseline_months"]
    t = np.arange(lb, M - w + 1)
    score = (cs[:, t + w] - cs[:, t]) - (cs[:, t] - cs[:, t - lb]) * w / lb
    best = score.argmax(axis=1)
    ok = score[np.arange(G), best] >= a["rise_min"]
    return np.where(ok, t[best], -1), score[np.arange(G), best]


def _drifters(rng: np.random.Generator, meetings: pd.DataFrame, groups: pd.DataFrame,
              members: pd.DataFrame, sim: dict) -> dict[int, tuple[str, int, int]]:
    """Group -> (member, first month, rise month) of the planted drift episodes."""
    a = TRUTH["attendance"]
    rise, score = _rises(sim)
    slack = (meetings["expected"] - meetings["attendees"]).to_numpy()
    feasible = []
    for g in np.argsort(-score, kind="stable"):
        t = rise[g]
        if t < a["drift_months"]:
            continue
        win = (meetings["g"] == g).to_numpy() & (meetings["t"] >= t - a["drift_months"]).to_numpy() \
            & (meetings["t"] < t).to_numpy()
        # a drifter can only be absent where the meeting's record has someone missing
        if win.sum() >= a["min_meetings"] and (slack[win] > 0).all():
            feasible.append(g)
        if len(feasible) == a["drift_groups"]:
            break
    out = {}
    for g in sorted(feasible):
        gid = groups["group_id"].iloc[g]
        pool = members.loc[(members["group_id"] == gid) & ~members["is_leader"], "member_id"]
        out[int(g)] = (str(rng.choice(pool.to_numpy())), int(rise[g] - a["drift_months"]),
                       int(rise[g]))
    return out


def build_attendance(rng: np.random.Generator, groups: pd.DataFrame, members: pd.DataFrame,
                     activities: pd.DataFrame, sim: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every member's status at every group meeting, and the drift episodes (the truth).

    Returns
    -------
    attendance : DataFrame
        ``COLUMNS``; status ``present`` / ``excused`` / ``absent``.
    drift : DataFrame
        ``group_id``, ``member_id``, ``first_month``, ``rise_month`` (YYYY-MM).
    """
    a = TRUTH["attendance"]
    start = np.datetime64(TRUTH["study_window"]["start"], "M")
    m = activities[activities["kind"] == "group_meeting"].reset_index(drop=True)
    gi = {gid: i for i, gid in enumerate(groups["group_id"])}
    m = m.assign(g=m["group_id"].map(gi),
                 t=(np.asarray(m["date"], dtype="datetime64[D]").astype("datetime64[M]")
                    - start).astype(int))
    drift = _drifters(rng, m, groups, members, sim)
    roster = members.groupby("group_id")["member_id"].apply(list)
    rows = []
    for r in m.itertuples(index=False):
        ids = roster[r.group_id]
        n_out = int(r.expected) - int(r.attendees)
        forced = [d[0] for g, d in drift.items() if g == r.g and d[1] <= r.t < d[2]]
        others = [i for i in ids if i not in forced]
        out = forced + list(rng.choice(others, size=n_out - len(forced), replace=False))
        excused = rng.random(len(out)) < a["excused_share"]
        status = dict.fromkeys(ids, "present")
        status.update({i: ("excused" if e else "absent") for i, e in zip(out, excused)})
        status.update(dict.fromkeys(forced, "absent"))
        rows += [(r.group_id, r.date, "group_meeting", r.seq, i, status[i]) for i in ids]
    att = pd.DataFrame(rows, columns=COLUMNS)
    truth = pd.DataFrame([(groups["group_id"].iloc[g], mid, str(start + f), str(start + t))
                          for g, (mid, f, t) in drift.items()],
                         columns=["group_id", "member_id", "first_month", "rise_month"])
    return att, truth
