"""Half-yearly evaluations on the default rubric (12 items, maxima sum to 100)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.synth.power import FLAGS, n_months
from grouplab.synth.truth import TRUTH

# Item maxima of data/rubrics/party_group_evaluation.yml (tests check they agree).
RUBRIC_MAX = {"I01": 8, "I02": 7, "I03": 10, "I04": 8, "I05": 7, "I06": 8, "I07": 7,
              "I08": 8, "I09": 7, "I10": 10, "I11": 10, "I12": 10}


def periods() -> list[str]:
    """Half-year periods of the study window: 2015H1 .. 2019H2."""
    y0 = int(TRUTH["study_window"]["start"][:4])
    return [f"{y0 + p // 2}H{p % 2 + 1}" for p in range(n_months() // 6)]


def period_drivers(groups: pd.DataFrame, sim: dict, adopt: np.ndarray) -> dict:
    """Per group and half-year: adopted share, trained share, flags per meeting, accidents."""
    G, M = len(groups), n_months()
    P = M // 6
    t = np.arange(M)
    adopted = (t[None, :] >= adopt[:, None]).reshape(G, P, 6).mean(axis=2)
    trained = sim["trained"].reshape(G, P, 6).mean(axis=2)
    acc = sim["counts"]["responsibility_accident"].reshape(G, P, 6).sum(axis=2)
    mt = sim["meetings"]
    n_fl = mt[FLAGS].sum(axis=1).to_numpy()
    tot = np.zeros((G, P))
    cnt = np.zeros((G, P))
    np.add.at(tot, (mt["g"].to_numpy(), mt["t"].to_numpy() // 6), n_fl)
    np.add.at(cnt, (mt["g"].to_numpy(), mt["t"].to_numpy() // 6), 1)
    flags = np.where(cnt > 0, tot / np.maximum(cnt, 1), 3.0)
    return {"adopted": adopted, "trained": trained, "accidents": acc, "flags": flags}


def build_evaluations(rng: np.random.Generator, groups: pd.DataFrame, sim: dict,
                      adopt: np.ndarray) -> pd.DataFrame:
    """Long table: group_id, period, item_id, score (multiples of 0.5, <= item max).

    Notes
    -----
    T = mean + b_u*u_g - b_a*a_k + b_post*adopted + b_train*trained + b_flag*(flags-1) + e,
    item score = round_half(clip(max_i * (T/100 + e_i), 0, max_i)); I10 = max(0, 10 - 4*acc);
    I12 is scaled by 0.7 before posts exist in the group's area.
    """
    ev = TRUTH["evaluation"]
    d = period_drivers(groups, sim, adopt)
    G, P = d["adopted"].shape
    u = groups["engagement"].to_numpy()[:, None]
    a = groups["area_effect"].to_numpy()[:, None]
    total = (ev["total_mean"] + ev["engagement_coef"] * u - ev["area_coef"] * a
             + ev["post_points"] * d["adopted"] + ev["trained_points"] * d["trained"]
             + ev["flag_points"] * (d["flags"] - 1.0)
             + rng.normal(0.0, ev["total_noise_sd"], size=(G, P)))
    ids = list(RUBRIC_MAX)
    mx = np.array([RUBRIC_MAX[i] for i in ids], dtype=float)
    frac = total[:, :, None] / 100.0 + rng.normal(0.0, ev["item_noise_sd"], size=(G, P, len(ids)))
    j12 = ids.index("I12")
    frac[:, :, j12] *= np.where(d["adopted"] > 0, 1.0, 0.7)
    score = np.clip(mx * frac, 0.0, mx)
    j10 = ids.index("I10")
    score[:, :, j10] = np.maximum(0.0, mx[j10] + ev["accident_points_i10"] * d["accidents"])
    step = ev["rounding"]
    score = np.clip(np.floor(score / step + 0.5) * step, 0.0, mx)
    per = periods()
    return pd.DataFrame({
        "group_id": np.repeat(groups["group_id"].to_numpy(), P * len(ids)),
        "period": np.tile(np.repeat(per, len(ids)), G),
        "item_id": np.tile(ids, G * P),
        "score": score.ravel(),
    })
