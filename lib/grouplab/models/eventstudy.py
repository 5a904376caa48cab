"""Staggered adoption: stacked event study (valid with heterogeneous effects) vs naive TWFE."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from grouplab.errors import DataError
from grouplab.models._glm import fit_lean
from grouplab.models.rates import _cluster_codes, _exposure

__all__ = ["event_study", "did_compare"]

_ES_COLUMNS = ["event_time", "term", "estimate", "se", "irr", "ci_low", "ci_high", "p",
               "n_treated"]


def _month_number(s: pd.Series) -> np.ndarray:
    d = pd.to_datetime(s)
    return (d.dt.year * 12 + d.dt.month - 1).to_numpy(dtype=float, na_value=np.nan)


def _prepare(panel: pd.DataFrame, outcome: str, cohort: str, group: str, time: str,
             exposure: Any, controls: Sequence[str]) -> pd.DataFrame:
    for c in (outcome, cohort, group, time, *controls):
        if c not in panel.columns:
            raise DataError(f"column {c!r} not in the panel", file="panel",
                            hint="Build the panel with grouplab.measures.panel.study_panel "
                                 "(adoption_month is the cohort of demonstration posts).")
    e = _exposure(panel, exposure)
    df = panel[[group, time, outcome, *controls]].copy()
    df["_exp"] = e
    df["_t"] = _month_number(panel[time])
    df["_c"] = _month_number(panel[cohort])
    df = df.dropna(subset=[outcome, "_exp", "_t", *controls])
    if ((df["_exp"] <= 0) | ~np.isfinite(df["_exp"])).any():
        raise DataError("zero, negative or infinite exposure in the panel", file="exposure",
                        hint="A rate needs positive exposure: drop those rows or fix the hours.")
    if df.groupby(group)["_c"].nunique(dropna=False).max() > 1:
        raise DataError(f"{cohort!r} varies within a group", file="panel",
                        hint="The cohort is the group's first treated month: one value per group.")
    if df["_c"].notna().sum() == 0:
        raise DataError("no group is ever treated", file="panel",
                        hint=f"{cohort!r} is missing everywhere.")
    return df


def _stack(df: pd.DataFrame, group: str, lo: int, hi: int) -> pd.DataFrame:
    parts = []
    for k, c in enumerate(np.sort(df["_c"].dropna().unique())):
        treated = df["_c"] == c
        clean = df["_c"].isna() | (df["_c"] > c + hi)
        sub = df[(treated | clean)].copy()
        sub["_e"] = sub["_t"] - c
        sub = sub[(sub["_e"] >= lo) & (sub["_e"] <= hi)]
        if not (sub["_c"] == c).any() or not (sub["_c"] != c).any():
            continue  # a cohort without clean controls in its window cannot be used
        sub["_treated"] = (sub["_c"] == c).astype(float)
        sub["_stack"] = k
        parts.append(sub)
    if not parts:
        raise DataError("no cohort has clean (never or not-yet treated) controls in its window",
                        file="panel", hint="Shorten window= or add never-treated groups.")
    st = pd.concat(parts, ignore_index=True)
    st["_gs"] = st[group].astype(str) + "|" + st["_stack"].astype(str)
    st["_ts"] = st["_t"].astype(int).astype(str).str.zfill(6) + "|" + st["_stack"].astype(str)
    # one shared baseline month level per sub-experiment (its group effects carry the level)
    first = st.groupby("_stack")["_t"].transform("min") == st["_t"]
    st.loc[first, "_ts"] = "!base"
    return st


def _dummies(df: pd.DataFrame, times: Sequence[int], lo: int, hi: int, binned: bool) -> list[str]:
    names = []
    e = df["_e"].to_numpy()
    tr = df["_treated"].to_numpy()
    for k in times:
        name = f"_e{'m' if k < 0 else 'p'}{abs(k)}"
        if binned and k == lo:
            df[name] = tr * (e <= lo)
        elif binned and k == hi:
            df[name] = tr * (e >= hi)
        else:
            df[name] = tr * (e == k)
        names.append(name)
    return names


def _fit(df, outcome, terms, absorb, group, family):
    codes = _cluster_codes(df, group)
    return fit_lean(df, outcome, terms, absorb, exposure=df["_exp"].to_numpy(),
                    cluster=codes, family=family)


def event_study(panel: pd.DataFrame, outcome: str, *, cohort: str = "adoption_month",
                exposure: Any = "person_hours", group: str = "group_id", time: str = "month",
                window: tuple[int, int] = (-12, 12), ref: int = -1, method: str = "stacked",
                bin: int = 1, controls: Sequence[str] = (), family: str = "poisson",
                alpha: float = 0.05) -> pd.DataFrame:
    """Event study of a staggered adoption: effects by month relative to adoption.

    Parameters
    ----------
    panel : pandas.DataFrame
        Group × month panel (:func:`grouplab.measures.panel.study_panel`).
    outcome : str
        Count column, e.g. ``"n_violation"``.
    cohort : str
        First treated month of the group (missing = never treated), e.g.
        ``adoption_month`` (the month the group's work area set its posts).
    exposure, group, time : str
        Exposure, group and month columns.
    window : (int, int)
        First lead and last lag in months, e.g. ``(-12, 12)``.
    ref : int
        Reference event time (coefficient fixed at 0), default −1 (with
        ``bin`` > 1: the bin holding month ``ref``).
    bin : int
        Width of the event-time bins in months (1 = monthly; 3 = quarters:
        −3…−1, 0…2, …). Wider bins give steadier coefficients and a steadier
        reference; ``window`` is widened to whole bins.
    method : {"stacked", "twfe"}
        ``"stacked"``: one sub-experiment per cohort with clean controls,
        stacked, with sub-experiment × group and sub-experiment × month fixed
        effects (valid with heterogeneous effects). ``"twfe"``: the naive
        dynamic two-way FE regression on the whole panel, end points binned.
    controls : list of str
        Time-varying covariates added to the model.
    family : {"poisson", "negbin"}
        Count family.
    alpha : float
        1 − confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per event time in ``window`` (the reference row included, with
        estimate 0 and missing SE), sorted:

        - ``event_time`` — months since adoption (negative = leads); with
          ``bin`` > 1 the first month of the bin.
        - ``term`` — ``lead<k>`` / ``lag<k>`` (``lag0`` = adoption month or
          bin; k counts bins).
        - ``estimate``, ``se`` — log-rate coefficient vs the reference month
          and its group-clustered SE.
        - ``irr``, ``ci_low``, ``ci_high`` — rate ratio and its interval.
        - ``p`` — Wald p-value.
        - ``n_treated`` — treated groups observed at that event time.

        ``attrs`` (plain values): ``method``, ``n``, ``n_clusters``,
        ``cohorts`` (used), ``pretrend_chi2``, ``pretrend_df``, ``pretrend_p``
        (joint Wald test that all leads are 0), and the pooled post-adoption
        effect ``att_estimate``, ``att_se``, ``att_irr``, ``att_ci_low``,
        ``att_ci_high``, ``att_p`` (one ``post`` dummy in the same design).

    Raises
    ------
    DataError
        Missing columns, a cohort varying within a group, nobody treated, no
        clean controls, bad window/method.

    Notes
    -----
    With staggered timing, a two-way FE regression uses already-treated groups
    as controls for later ones; when effects change over time or differ by
    cohort this gives "forbidden comparisons" and weights that can even be
    negative (Goodman-Bacon 2021; Sun & Abraham 2021). The stacked design
    (Cengiz et al. 2019) avoids them: for each adoption cohort it keeps the
    cohort and the groups not treated before the end of the window, aligns
    them on event time and estimates within each sub-experiment. The
    coefficients are then a variance-weighted average of cohort-specific
    effects, each identified by parallel trends against clean controls only.
    Leads test no anticipation / parallel pre-trends; they do not prove them.
    Assumptions: no anticipation beyond the leads, parallel trends in the
    log rate, treatment is absorbing (stays on). Treatment assigned to a
    whole area with few areas means few independent draws: read the CIs
    with that in mind.

    References
    ----------
    Cengiz, D., Dube, A., Lindner, A., & Zipperer, B. (2019). The effect of
    minimum wages on low-wage jobs. *QJE*, 134, 1405–1454.
    Sun, L., & Abraham, S. (2021). Estimating dynamic treatment effects in
    event studies with heterogeneous treatment effects. *J Econometrics*, 225, 175–199.
    Wing, C., Freedman, S. M., & Hollingsworth, A. (2024). Stacked
    difference-in-differences. NBER Working Paper 32054.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> g = np.repeat(np.arange(40), 36); t = np.tile(np.arange(36), 40)
    >>> start = np.where(np.arange(40) < 20, 12 + 6 * (np.arange(40) % 2), np.nan)[g]
    >>> y = rng.poisson(5 * np.where(t >= start, 0.8, 1.0))
    >>> df = pd.DataFrame({"group_id": g, "month": pd.Timestamp("2017-01-01")
    ...                    + pd.to_timedelta(t * 31, "D"), "y": y, "h": 1.0})
    >>> df["month"] = df["month"].dt.to_period("M").dt.to_timestamp()
    >>> df["adopt"] = pd.Timestamp("2017-01-01") + pd.to_timedelta(start * 31, "D")
    >>> df["adopt"] = df["adopt"].dt.to_period("M").dt.to_timestamp()
    >>> es = event_study(df, "y", cohort="adopt", exposure="h", window=(-6, 6))
    >>> es[["event_time", "term"]].iloc[[0, 6, 12]].to_numpy().tolist()
    [[-6, 'lead6'], [0, 'lag0'], [6, 'lag6']]
    >>> bool(es.attrs["att_ci_low"] < 0.8 < es.attrs["att_ci_high"])
    True
    """
    if not isinstance(bin, (int, np.integer)) or bin < 1:
        raise DataError(f"bin must be a positive number of months, got {bin!r}", file="bin")
    lo, hi = (int(window[0]), int(window[1]))
    if not lo <= ref < 0 <= hi or lo == ref:
        raise DataError(f"window {window} must satisfy lead < ref={ref} < 0 <= lag",
                        file="window", hint="e.g. window=(-12, 12), ref=-1.")
    if method not in ("stacked", "twfe"):
        raise DataError(f"method must be 'stacked' or 'twfe', got {method!r}", file="method")
    lo, hi = (lo // bin) * bin, (hi // bin) * bin + bin - 1   # whole bins
    ctrl = list(controls)
    df = _prepare(panel, outcome, cohort, group, time, exposure, ctrl)
    if method == "stacked":
        data = _stack(df, group, lo, hi)
        absorb = ["_gs", "_ts"]
        binned = False
    else:
        data = df.copy()
        data["_e"] = data["_t"] - data["_c"]
        data["_treated"] = data["_c"].notna().astype(float)
        data["_e"] = data["_e"].fillna(-10_000)
        absorb = [group, "_t"]
        binned = True
    data["_e"] = np.floor(data["_e"] / bin)  # bin index (months when bin == 1)
    blo, bhi, bref = lo // bin, hi // bin, ref // bin
    times = [k for k in range(blo, bhi + 1) if k != bref]
    names = _dummies(data, times, blo, bhi, binned)
    fit = _fit(data, outcome, names + ctrl, absorb, group, family)
    se = np.sqrt(np.diag(fit.cov))
    z = stats.norm.ppf(1 - alpha / 2)
    idx = {n: i for i, n in enumerate(fit.names)}
    rows = []
    tr = data["_treated"] == 1
    for k in range(blo, bhi + 1):
        n_tr = int(data.loc[tr & (data["_e"] == k), group].nunique())
        term = f"lead{-k}" if k < 0 else f"lag{k}"
        if k == bref:
            rows.append((k * bin, term, 0.0, np.nan, 1.0, np.nan, np.nan, np.nan, n_tr))
            continue
        i = idx[names[times.index(k)]]
        b, s = fit.params[i], se[i]
        rows.append((k * bin, term, b, s, np.exp(b), np.exp(b - z * s), np.exp(b + z * s),
                     2 * stats.norm.sf(abs(b / s)), n_tr))
    out = pd.DataFrame(rows, columns=_ES_COLUMNS)
    out["term"] = out["term"].astype(object)
    lead_i = [idx[names[times.index(k)]] for k in times if k < 0]
    b = fit.params[lead_i]
    V = fit.cov[np.ix_(lead_i, lead_i)]
    chi2 = float(b @ np.linalg.solve(V, b))
    # pooled post effect in the same design
    data["_post"] = data["_treated"] * (data["_e"] >= 0)
    fit2 = _fit(data, outcome, ["_post", *ctrl], absorb, group, family)
    b2, s2 = float(fit2.params[0]), float(np.sqrt(fit2.cov[0, 0]))
    out.attrs.update({
        "method": method, "bin": int(bin), "outcome": outcome, "n": fit.n, "n_clusters": fit.n_clusters,
        "cohorts": [str(pd.Timestamp(year=int(c // 12), month=int(c % 12) + 1, day=1).date())[:7]
                    for c in np.sort(df["_c"].dropna().unique())],
        "pretrend_chi2": chi2, "pretrend_df": len(lead_i),
        "pretrend_p": float(stats.chi2.sf(chi2, len(lead_i))),
        "att_estimate": b2, "att_se": s2, "att_irr": float(np.exp(b2)),
        "att_ci_low": float(np.exp(b2 - z * s2)), "att_ci_high": float(np.exp(b2 + z * s2)),
        "att_p": float(2 * stats.norm.sf(abs(b2 / s2))), "family": family})
    return out


def did_compare(panel: pd.DataFrame, outcome: str, *, cohort: str = "adoption_month",
                exposure: Any = "person_hours", group: str = "group_id", time: str = "month",
                window: tuple[int, int] = (-12, 12), controls: Sequence[str] = (),
                family: str = "poisson", alpha: float = 0.05) -> pd.DataFrame:
    """Pooled post-adoption effect: naive static TWFE beside the stacked estimator.

    Parameters
    ----------
    panel, outcome, cohort, exposure, group, time, window, controls, family, alpha
        As :func:`event_study`.

    Returns
    -------
    pandas.DataFrame
        Two rows, ``model`` = ``"twfe"`` (static two-way FE on the whole panel,
        treatment = month ≥ cohort) and ``"stacked"`` (post dummy in the
        stacked design, event window ``window``), with ``term`` (``post``),
        ``estimate``, ``se``, ``irr``, ``ci_low``, ``ci_high``, ``p``.

    Notes
    -----
    When the effect is the same for every cohort and constant over time (as
    in the demo's data-generating process) both estimate it; when it grows
    over time or differs by cohort the static TWFE is a weighted average with
    possibly negative weights (Goodman-Bacon 2021) and can be far off, the
    stacked estimate stays an average of clean comparisons within the window.

    References
    ----------
    Goodman-Bacon, A. (2021). Difference-in-differences with variation in
    treatment timing. *J Econometrics*, 225, 254–277.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> g = np.repeat(np.arange(30), 24); t = np.tile(np.arange(24), 30)
    >>> start = np.where(np.arange(30) < 20, 8, np.nan)[g]
    >>> df = pd.DataFrame({"group_id": g, "t": t, "h": 1.0,
    ...                    "y": rng.poisson(4 * np.where(t >= start, 0.7, 1.0))})
    >>> df["month"] = pd.Timestamp("2018-01-01") + pd.to_timedelta(df["t"] * 31, "D")
    >>> df["adopt"] = pd.Timestamp("2018-01-01") + pd.to_timedelta(start * 31, "D")
    >>> d = did_compare(df, "y", cohort="adopt", exposure="h", window=(-6, 6))
    >>> d["model"].tolist()
    ['twfe', 'stacked']
    """
    ctrl = list(controls)
    df = _prepare(panel, outcome, cohort, group, time, exposure, ctrl)
    z = stats.norm.ppf(1 - alpha / 2)
    df["_post"] = ((df["_t"] >= df["_c"]) & df["_c"].notna()).astype(float)
    fit = _fit(df, outcome, ["_post", *ctrl], [group, "_t"], group, family)
    b, s = float(fit.params[0]), float(np.sqrt(fit.cov[0, 0]))
    es = event_study(panel, outcome, cohort=cohort, exposure=exposure, group=group, time=time,
                     window=window, controls=ctrl, family=family, alpha=alpha)
    a = es.attrs
    rows = [("twfe", b, s), ("stacked", a["att_estimate"], a["att_se"])]
    out = pd.DataFrame({"model": [r[0] for r in rows], "term": "post",
                        "estimate": [r[1] for r in rows], "se": [r[2] for r in rows]})
    out["irr"] = np.exp(out["estimate"])
    out["ci_low"] = np.exp(out["estimate"] - z * out["se"])
    out["ci_high"] = np.exp(out["estimate"] + z * out["se"])
    out["p"] = 2 * stats.norm.sf(np.abs(out["estimate"] / out["se"]))
    out["model"] = out["model"].astype(object)
    out["term"] = out["term"].astype(object)
    out.attrs.update({"outcome": outcome, "n_twfe": fit.n, "n_stacked": a["n"]})
    return out
