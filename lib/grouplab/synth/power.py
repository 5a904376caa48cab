"""Monthly simulation of the power work areas: meetings, exposure, incidents.

The months are simulated in order because of the feedback loop: a responsibility
accident or a violation spike in month t adds group meetings in t+1..t+3, and the
meeting quality of month t-1 acts on the incident rates of month t.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.synth.truth import TRUTH

CATEGORIES = ["violation", "hidden_hazard", "responsibility_accident",
              "equipment_failure", "near_miss"]
FLAGS = ["praise_over_criticism", "form_over_substance", "chat_over_solving"]


def expit(x: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + exp(-x)).

    Returns
    -------
    numpy.ndarray
        Probabilities, same shape as ``x``.
    """
    return 1.0 / (1.0 + np.exp(-x))


def n_months() -> int:
    """Number of study months (2015-01 .. 2019-12 = 60).

    Returns
    -------
    int
        Months in the study window.
    """
    w = TRUTH["study_window"]
    return int((np.datetime64(w["end"], "M") - np.datetime64(w["start"], "M")).astype(int)) + 1


def month_start(idx: np.ndarray) -> np.ndarray:
    """First day (datetime64[D]) of study month index ``idx`` (0 = 2015-01).

    Returns
    -------
    numpy.ndarray
        ``datetime64[D]`` first days of the months.
    """
    return (np.datetime64(TRUTH["study_window"]["start"], "M") + idx).astype("datetime64[D]")


def draw_trainings(rng: np.random.Generator, groups: pd.DataFrame) -> pd.DataFrame:
    """Leader trainings: at most one per group and year, month in Mar..Nov.

    Returns
    -------
    pandas.DataFrame
        Columns ``g`` (group position), ``t`` (study month index), ``duration_h``.
    """
    tr = TRUTH["training"]
    u = groups["engagement"].to_numpy()
    years = np.arange(tr["first_year"], tr["first_year"] + n_months() // 12)
    lg = tr["yearly_logit"]
    rows = []
    for y in years:
        p = expit(lg["intercept"] + lg["from_2017"] * (y >= 2017) + lg["engagement_coef"] * u)
        took = rng.random(len(u)) < p
        month = rng.integers(tr["months"][0], tr["months"][1] + 1, size=len(u))
        dur = rng.choice(tr["duration_h"], size=len(u))
        for g in np.flatnonzero(took):
            rows.append((g, (y - tr["first_year"]) * 12 + month[g] - 1, dur[g]))
    return pd.DataFrame(rows, columns=["g", "t", "duration_h"])


def _meeting_probabilities(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Monthly probability that a group holds its meeting, and of each 三多三少 flag per meeting."""
    mt = TRUTH["meetings"]
    p_held = expit(mt["held_logit"]["intercept"] + mt["held_logit"]["engagement_coef"] * u)
    p_flag = np.column_stack([
        expit(mt["flag_logit"]["intercept"][f] + mt["flag_logit"]["engagement_coef"] * u)
        for f in FLAGS
    ])
    return p_held, p_flag


def _log_baselines(u: np.ndarray, area: np.ndarray) -> dict[str, np.ndarray]:
    """Group-constant part of each category's log rate per 1,000 hours."""
    base = {}
    for c in CATEGORIES:
        b = np.log(TRUTH["baseline_rate_per_1000h"][c]) + TRUTH["engagement_coef"][c] * u
        if c in TRUTH["area_effect_applies"]:
            b = b + area
        base[c] = b
    return base


def _trained_months(trainings: pd.DataFrame, G: int, M: int) -> np.ndarray:
    """[group, month] True in the 12 months after a leader training."""
    trained = np.full((G, M), False)
    for row in trainings.itertuples(index=False):
        trained[row.g, row.t + 1: row.t + 13] = True
    return trained


def _month_counts(rng, base, hours_s, month_of_year, adopted, trained, deficit_prev) -> dict:
    """Poisson incident counts of one month for every category (draws in CATEGORIES order)."""
    eff = TRUTH["effects"]
    out = {}
    for c in CATEGORIES:
        log_rate = base[c] + np.log(hours_s / 1000.0)
        if month_of_year in TRUTH["summer_months"]:
            log_rate = log_rate + np.log(TRUTH["summer_irr"][c])
        log_rate = log_rate + np.log(eff["post_irr"].get(c, 1.0)) * adopted
        log_rate = log_rate + np.log(eff["training_irr"].get(c, 1.0)) * trained
        log_rate = log_rate + np.log(eff["flag_irr"].get(c, 1.0)) * deficit_prev
        out[c] = rng.poisson(np.exp(log_rate))
    return out


def _meetings_of_month(rng, p_held, p_flag, trigger, s) -> tuple:
    """Meetings held in month ``s`` (regular + extra after an incident trigger), their flags and deficit."""
    fb = TRUTH["feedback"]
    G = len(p_held)
    held = rng.random(G) < p_held
    extra = np.zeros(G, dtype=np.int64)
    if s >= 1:
        extra = trigger[:, max(0, s - max(fb["lags"])): s].any(axis=1).astype(np.int64)
        extra *= fb["extra_meetings_per_month"]
    n_m = held.astype(np.int64) + extra
    flags = rng.random((G, 2, 3)) < p_flag[:, None, :]
    slot_used = np.arange(2)[None, :] < n_m[:, None]
    n_flags = (flags.sum(axis=2) * slot_used).sum(axis=1)
    deficit = np.where(n_m > 0, n_flags / np.maximum(n_m, 1), 3.0)
    return held, n_m, flags, deficit


def simulate(rng: np.random.Generator, groups: pd.DataFrame, adopt: np.ndarray,
             trainings: pd.DataFrame) -> dict:
    """Simulate meetings and incident counts month by month.

    Returns a dict of arrays indexed [group, month] over the study months, plus
    ``meetings`` (one row per group meeting) and ``exposure`` (person-hours).
    The rates of month s use the meeting deficit of month s-1.

    Returns
    -------
    dict
        ``counts`` (category -> [group, month] int array), ``hours``, ``n_meetings``,
        ``trigger``, ``trained`` ([group, month] arrays) and ``meetings`` (DataFrame: ``g``, ``t``,
        ``extra``, one bool column per flag).
    """
    T = TRUTH
    G, M, B = len(groups), n_months(), T["burn_in_months"]
    u = groups["engagement"].to_numpy()
    p_held, p_flag = _meeting_probabilities(u)
    base = _log_baselines(u, groups["area_effect"].to_numpy())
    trained_month = _trained_months(trainings, G, M)
    hours = np.round(groups["members"].to_numpy()[:, None] * T["hours_per_member_month"]
                     * np.exp(rng.normal(0.0, T["hours_log_sd"], size=(G, M + B))), 1)
    counts = {c: np.zeros((G, M + B), dtype=np.int64) for c in CATEGORIES}
    trigger = np.zeros((G, M + B), dtype=bool)
    n_meet = np.zeros((G, M + B), dtype=np.int64)
    deficit_prev, meeting_rows = np.full(G, 1.0), []
    for s in range(M + B):
        t = s - B  # study month index (negative in the burn-in)
        held, n_m, flags, deficit = _meetings_of_month(rng, p_held, p_flag, trigger, s)
        n_meet[:, s] = n_m
        trained = trained_month[:, t] if t >= 0 else np.zeros(G, dtype=bool)
        month = _month_counts(rng, base, hours[:, s], (s - B) % 12 + 1, t >= adopt, trained, deficit_prev)
        for c in CATEGORIES:
            counts[c][:, s] = month[c]
        trigger[:, s] = ((counts["violation"][:, s] >= T["feedback"]["trigger_violations"])
                         | (counts["responsibility_accident"][:, s] >= T["feedback"]["trigger_accidents"]))
        deficit_prev = deficit
        if t >= 0:
            meeting_rows += [(g, t, k >= int(held[g]), *flags[g, k])
                             for g in np.flatnonzero(n_m) for k in range(n_m[g])]
    return {
        "counts": {c: v[:, B:] for c, v in counts.items()},
        "hours": hours[:, B:],
        "n_meetings": n_meet[:, B:],
        "trigger": trigger[:, B:],
        "trained": trained_month,
        "meetings": pd.DataFrame(meeting_rows, columns=["g", "t", "extra", *FLAGS]),
    }


def build_exposure(groups: pd.DataFrame, sim: dict) -> pd.DataFrame:
    """Person-hours per group-month.

    Returns
    -------
    pandas.DataFrame
        Columns ``group_id``, ``month`` (YYYY-MM-01), ``person_hours``.
    """
    G, M = sim["hours"].shape
    return pd.DataFrame({
        "group_id": np.repeat(groups["group_id"].to_numpy(), M),
        "month": np.tile(month_start(np.arange(M)), G).astype("datetime64[M]").astype(str),
        "person_hours": sim["hours"].ravel(),
    })


_SEVERITY = {  # probabilities of minor, general, serious, major
    "violation": [0.70, 0.28, 0.02, 0.0],
    "hidden_hazard": [0.55, 0.38, 0.07, 0.0],
    "responsibility_accident": [0.0, 0.70, 0.25, 0.05],
    "equipment_failure": [0.45, 0.45, 0.09, 0.01],
    "near_miss": [0.60, 0.40, 0.0, 0.0],
}
_RESPONSIBLE = {"violation": 1.0, "hidden_hazard": 0.0, "responsibility_accident": 1.0,
                "equipment_failure": 0.15, "near_miss": 0.30}
SEVERITIES = ["minor", "general", "serious", "major"]


def build_incidents(rng: np.random.Generator, groups: pd.DataFrame, sim: dict) -> pd.DataFrame:
    """One row per incident with a random date inside its month.

    Returns
    -------
    pandas.DataFrame
        One row per incident in the codebook's ``incidents`` columns.
    """
    gids = groups["group_id"].to_numpy()
    parts = []
    for c in CATEGORIES:
        cnt = sim["counts"][c]
        g_idx, t_idx = np.nonzero(cnt)
        reps = cnt[g_idx, t_idx]
        g_all, t_all = np.repeat(g_idx, reps), np.repeat(t_idx, reps)
        n = len(g_all)
        parts.append(pd.DataFrame({
            "group_id": gids[g_all],
            "date": (month_start(t_all) + rng.integers(0, 28, size=n)).astype(str),
            "category": c,
            "severity": np.array(SEVERITIES)[rng.choice(4, size=n, p=_SEVERITY[c])],
            "responsible": (rng.random(n) < _RESPONSIBLE[c]).astype(np.int64),
        }))
    inc = pd.concat(parts, ignore_index=True)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    inc["_c"] = inc["category"].map(order)
    inc = inc.sort_values(["date", "group_id", "_c"], kind="stable", ignore_index=True)
    inc.insert(0, "incident_id", [f"E{i + 1:05d}" for i in range(len(inc))])
    return inc.drop(columns="_c")
