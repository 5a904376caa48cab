"""Oil-production area OA1: 3 stations, 41 wells, 10 标杆 indicators, 2010-01 .. 2011-12.

Area value of an indicator for a year (the seed's figures are reproduced exactly):
the mean (``aggregate: mean``) or the sum (``aggregate: sum``) of ALL monthly values
of the indicator in that year at its level (every well-month for well indicators,
every station-month for station indicators).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.synth.truth import TRUTH

# id: (zh, en, unit, direction, level, aggregate, decimals)
_CATALOGUE = {
    "oil_per_capita": ("人均产油量", "Oil produced per employee", "t/人", "higher", "station",
                       "mean", 1),
    "safety_hazards": ("安全检查隐患问题数", "Hazards found in safety inspections", "个", "lower",
                       "station", "sum", 0),
    "balance_rate": ("抽油机平衡度达标率", "Pumping units within balance standard", "%", "higher",
                     "station", "mean", 2),
    "maintenance_jobs": ("油井维护作业频次", "Well maintenance jobs", "次", "lower", "well",
                         "sum", 0),
    "pump_check_period": ("油井平均检泵周期", "Mean pump check interval", "天", "higher", "well",
                          "mean", 0),
    "shut_in_loss": ("临时停产井年累计影响产量", "Output lost to temporarily shut-in wells", "t",
                     "lower", "well", "sum", 1),
    "equipment_integrity": ("设备完好率", "Equipment in good order", "%", "higher", "station",
                            "mean", 2),
    "system_efficiency": ("抽油井系统效率", "Pumping-well system efficiency", "%", "higher", "well",
                          "mean", 2),
    "pump_efficiency": ("泵效", "Pump efficiency", "%", "higher", "well", "mean", 2),
    "power_use": ("耗电量", "Electricity used", "kW·h", "lower", "well", "sum", 0),
}


def catalogue() -> dict:
    """Indicator catalogue (written to data/rubrics/oil_benchmark_indicators.yml).

    Returns
    -------
    dict
        The catalogue spec: ``indicators`` (id, zh/en names, unit, level, direction,
        aggregation, decimals).
    """
    inds = []
    for iid, (zh, en, unit, direction, level, agg, dec) in _CATALOGUE.items():
        inds.append({"id": iid, "zh": zh, "en": en, "unit": unit, "direction": direction,
                     "level": level, "aggregate": agg, "decimals": dec})
    return {
        "id": "oil_benchmark_indicators",
        "zh": "采油作业区“标杆”管理指标（示例）",
        "en": "Oil-production area benchmark indicators (demo)",
        "area_aggregation": TRUTH["oil"]["aggregation"],
        "indicators": inds,
    }


def _match(x: np.ndarray, total: float, dec: int, rng: np.random.Generator,
           lo: float, hi: float, *, positive_only: bool = False) -> np.ndarray:
    """Round ``x`` to ``dec`` decimals, nudged so the rounded values sum EXACTLY to ``total``."""
    scale = 10**dec
    if positive_only:
        x = x * total / x.sum()
    else:
        x = x + (total - x.sum()) / len(x)
    xi = np.clip(np.round(x * scale), lo * scale, hi * scale).astype(np.int64)
    diff = int(round(total * scale)) - int(xi.sum())
    while diff != 0:
        step = 1 if diff > 0 else -1
        ok = (xi + step >= lo * scale) & (xi + step <= hi * scale)
        if positive_only:
            ok &= xi > 0
        cand = np.flatnonzero(ok)
        pick = rng.choice(cand, size=min(abs(diff), len(cand)), replace=False)
        xi[pick] += step
        diff -= step * len(pick)
    return xi / scale


def _fix_years(rng, year: np.ndarray, iid: str, arr: np.ndarray, lo, hi, positive_only=False) -> np.ndarray:
    """Nudge each year's values so the year's total or mean hits the published target exactly."""
    targets = TRUTH["oil"]["targets"]
    dec = _CATALOGUE[iid][6]
    arr = arr.copy()
    for y in (2010, 2011):
        cols = year == y
        block = arr[:, cols]
        tgt = targets[iid][str(y)] * (1 if _CATALOGUE[iid][5] == "sum" else block.size)
        arr[:, cols] = _match(block.ravel(), tgt, dec, rng, lo, hi,
                              positive_only=positive_only).reshape(block.shape)
    return arr


def _station_indicators(rng, year, st_eff, y11, ramp, M) -> dict[str, np.ndarray]:
    """[station, month] values of the four station-level indicators."""
    S = len(st_eff)
    out = {"oil_per_capita": np.round(42.0 + 1.5 * st_eff[:, None] + 3.0 * y11 + 1.5 * ramp
                                      + rng.normal(0, 1.2, (S, M)), 1)}
    out["safety_hazards"] = rng.poisson(np.exp(np.log(6.0) - 0.4 * y11 - 0.1 * st_eff[:, None]
                                               + 0 * ramp), (S, M)).astype(float)
    out["balance_rate"] = _fix_years(rng, year, "balance_rate", 85 + 1.5 * st_eff[:, None] + 6.5 * y11
                                     + 1.5 * ramp + rng.normal(0, 2.0, (S, M)), 60, 100)
    out["equipment_integrity"] = _fix_years(rng, year, "equipment_integrity",
                                            93 + 0.8 * st_eff[:, None] + 4.5 * y11 + 0.8 * ramp
                                            + rng.normal(0, 0.6, (S, M)), 80, 100)
    return out


def _well_indicators(rng, year, w_eff, y11, ramp, M) -> dict[str, np.ndarray]:
    """[well, month] values of the six well-level indicators."""
    W = len(w_eff)
    out = {"maintenance_jobs": rng.poisson(0.12 * np.exp(-0.4 * y11 - 0.2 * w_eff[:, None]),
                                           (W, M)).astype(float)}
    out["pump_check_period"] = np.round(420 + 30 * w_eff[:, None] + 40 * y11 + 20 * ramp
                                        + rng.normal(0, 8, (W, M)))
    events = rng.random((W, M)) < np.where(y11 > 0, 0.06, 0.11)
    loss = np.where(events, rng.lognormal(np.log(15.0), 0.6, (W, M)), 0.0)
    out["shut_in_loss"] = _fix_years(rng, year, "shut_in_loss", loss, 0, 1000, positive_only=True)
    out["system_efficiency"] = _fix_years(rng, year, "system_efficiency",
                                          32 + 3.0 * w_eff[:, None] + 3.0 * y11 + 1.0 * ramp
                                          + rng.normal(0, 1.5, (W, M)), 10, 60)
    out["pump_efficiency"] = _fix_years(rng, year, "pump_efficiency",
                                        43 + 5.0 * w_eff[:, None] + 6.0 * y11 + 2.0 * ramp
                                        + rng.normal(0, 3.0, (W, M)), 15, 90)
    out["power_use"] = np.round(12000 * np.exp(0.1 * w_eff[:, None] - 0.05 * y11
                                               + rng.normal(0, 0.06, (W, M))))
    return out


def build_indicators(rng: np.random.Generator, units: pd.DataFrame) -> pd.DataFrame:
    """Long table entity_id, month, indicator_id, value, _dec (decimals of the catalogue).

    Returns
    -------
    pandas.DataFrame
        Columns ``entity_id``, ``month``, ``indicator_id``, ``value``, ``_dec`` (decimals used
        when writing).
    """
    w = TRUTH["indicator_window"]
    months = np.arange(np.datetime64(w["start"], "M"), np.datetime64(w["end"], "M") + 1)
    year = months.astype("datetime64[Y]").astype(int) + 1970
    wells = units.loc[units["level"] == "well", ["unit_id", "parent_id"]]
    stations = units.loc[units["level"] == "station", "unit_id"].to_numpy()
    well_st = np.searchsorted(stations, wells["parent_id"].to_numpy())
    st_eff = rng.normal(0.0, 1.0, len(stations))
    w_eff = rng.normal(0.0, 1.0, len(wells)) + 0.5 * st_eff[well_st]
    M = len(months)
    y11 = (year == 2011).astype(float)
    ramp = np.where(year == 2011, (np.arange(M) - 12 + 1) / 12.0, 0.0)
    out = {**_station_indicators(rng, year, st_eff, y11, ramp, M),
           **_well_indicators(rng, year, w_eff, y11, ramp, M)}
    ids = {"station": stations, "well": wells["unit_id"].to_numpy()}
    parts = []
    for iid, arr in out.items():
        ent = ids[_CATALOGUE[iid][4]]
        parts.append(pd.DataFrame({
            "entity_id": np.repeat(ent, M),
            "month": np.tile(months.astype(str), len(ent)),
            "indicator_id": iid,
            "value": arr.ravel(),
            "_dec": _CATALOGUE[iid][6],
        }))
    return pd.concat(parts, ignore_index=True)
