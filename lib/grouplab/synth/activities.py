"""The activities table: organisational-life records of every power Party group."""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.synth.power import FLAGS, expit, month_start, n_months
from grouplab.synth.truth import TRUTH

KINDS = ["group_meeting", "theme_day", "party_lecture", "leader_training", "demonstration_day",
         "mass_contact", "work_report", "half_year_summary", "inspection"]

COLUMNS = ["group_id", "date", "kind", "seq", "attendees", "expected", "duration_h", *FLAGS]


def _frame(g, t, day, kind, attendees=None, expected=None, duration=None, flags=None):
    n = len(g)
    none_i = np.full(n, -1, dtype=np.int64)
    out = {
        "g": np.asarray(g, dtype=np.int64),
        "date": month_start(np.asarray(t, dtype=np.int64)) + np.asarray(day, dtype=np.int64),
        "kind": np.full(n, kind, dtype=object),
        "attendees": none_i if attendees is None else np.asarray(attendees, dtype=np.int64),
        "expected": none_i if expected is None else np.asarray(expected, dtype=np.int64),
        "duration_h": (np.full(n, np.nan) if duration is None
                       else np.asarray(duration, dtype=float)),
    }
    for j, f in enumerate(FLAGS):
        out[f] = none_i if flags is None else np.asarray(flags[:, j], dtype=np.int64)
    return pd.DataFrame(out)


def _attend(rng, members, u, g):
    at = TRUTH["meetings"]["attendance_logit"]
    p = expit(at["intercept"] + at["engagement_coef"] * u[g])
    return rng.binomial(members[g], p)


def build_activities(rng: np.random.Generator, groups: pd.DataFrame, sim: dict,
                     trainings: pd.DataFrame, adopt: np.ndarray) -> pd.DataFrame:
    """All activity rows, sorted, with ``seq`` numbering same-day same-kind events."""
    G, M = len(groups), n_months()
    u = groups["engagement"].to_numpy()
    members = groups["members"].to_numpy()
    parts = []
    # group meetings (regular + feedback extras)
    mt = sim["meetings"]
    g, t = mt["g"].to_numpy(), mt["t"].to_numpy()
    day = np.where(mt["extra"].to_numpy(), rng.integers(0, 28, len(g)), rng.integers(4, 25, len(g)))
    parts.append(_frame(g, t, day, "group_meeting", _attend(rng, members, u, g), members[g],
                        rng.choice([1.0, 1.5, 2.0, 2.5], size=len(g)),
                        mt[FLAGS].to_numpy().astype(np.int64)))
    # leader trainings
    g, t = trainings["g"].to_numpy(), trainings["t"].to_numpy()
    parts.append(_frame(g, t, rng.integers(0, 28, len(g)), "leader_training",
                        np.ones(len(g)), np.ones(len(g)), trainings["duration_h"].to_numpy()))
    # monthly Bernoulli activities
    gg, tt = np.meshgrid(np.arange(G), np.arange(M), indexing="ij")
    gg, tt = gg.ravel(), tt.ravel()
    for kind, p0 in TRUTH["other_activities_per_month"].items():
        p = expit(np.log(p0 / (1 - p0)) + 1.0 * u[gg])
        keep = rng.random(len(gg)) < p
        g, t = gg[keep], tt[keep]
        n = len(g)
        if kind == "work_report":
            parts.append(_frame(g, t, rng.integers(23, 27, n), kind))
        elif kind == "mass_contact":
            parts.append(_frame(g, t, rng.integers(0, 28, n), kind,
                                duration=rng.choice([1.0, 2.0, 3.0], size=n)))
        else:
            parts.append(_frame(g, t, rng.integers(0, 28, n), kind, _attend(rng, members, u, g),
                                members[g], rng.choice([1.5, 2.0, 3.0], size=n)))
    # half-year summaries (June, December) and quarterly inspections
    moy = tt % 12 + 1
    keep = np.isin(moy, [6, 12]) & (rng.random(len(gg)) < expit(2.2 + 2.0 * u[gg]))
    g, t = gg[keep], tt[keep]
    parts.append(_frame(g, t, rng.integers(19, 27, len(g)), "half_year_summary",
                        _attend(rng, members, u, g), members[g], np.full(len(g), 2.0)))
    keep = np.isin(moy, [3, 6, 9, 12]) & (rng.random(len(gg)) < 0.9)
    g, t = gg[keep], tt[keep]
    parts.append(_frame(g, t, rng.integers(0, 28, len(g)), "inspection",
                        duration=np.full(len(g), 1.0)))
    # demonstration days: one per quarter in quarters that start on/after adoption
    q_g, q_q = np.meshgrid(np.arange(G), np.arange(M // 3), indexing="ij")
    q_g, q_q = q_g.ravel(), q_q.ravel()
    keep = 3 * q_q >= adopt[q_g]
    g = q_g[keep]
    t = 3 * q_q[keep] + rng.integers(0, 3, keep.sum())
    parts.append(_frame(g, t, rng.integers(0, 28, len(g)), "demonstration_day",
                        _attend(rng, members, u, g), members[g],
                        rng.choice([2.0, 3.0, 4.0], size=len(g))))

    act = pd.concat(parts, ignore_index=True)
    act["_k"] = act["kind"].map({k: i for i, k in enumerate(KINDS)})
    act = act.sort_values(["g", "date", "_k"], kind="stable", ignore_index=True)
    act["seq"] = act.groupby(["g", "date", "_k"]).cumcount() + 1
    act["group_id"] = groups["group_id"].to_numpy()[act["g"].to_numpy()]
    act["date"] = act["date"].to_numpy().astype("datetime64[D]").astype(str)
    for c in ["attendees", "expected", *FLAGS]:
        act[c] = act[c].astype("Int64").mask(act[c] < 0)
    return act[COLUMNS]
