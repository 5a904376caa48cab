"""Staggered adoption: stacked, Sun–Abraham and naive TWFE event studies with one reference period.

Every method returns an :class:`EventStudy`: the coefficient table (one row
per event-time bin, the reference bin fixed at 0), the pooled post-adoption
effect — the average of the post coefficients relative to the same reference,
so points, pooled estimate and plot describe one contrast — and a pre-trend
test that states its power.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.problems import problem
from grouplab.data.results import event_study_lines, result_html
from grouplab.errors import DataError, ParameterError
from grouplab.models.contrasts import pooled_effect, pretrend_test, t_reference, wald
from grouplab.models.design import (
    FEW_CLUSTERS,
    check_alpha,
    check_family,
    cluster_codes,
    cluster_columns,
    exposure_values,
    month_number,
    ratio_interval,
    warn_few_clusters,
)
from grouplab.models.hdfe import HdfeFit, fit_hdfe, jackknife

__all__ = ["EventStudy", "event_study", "did_compare", "pooled_effect", "pretrend_test",
           "ES_COLUMNS", "METHODS"]

ES_COLUMNS = ["event_time", "term", "estimate", "se", "irr", "ci_low", "ci_high", "p",
              "n_treated"]
METHODS = ("stacked", "sun_abraham", "twfe")


@dataclass(frozen=True)
class EventStudy:
    """Result of :func:`event_study`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per event-time bin (:data:`ES_COLUMNS`): ``event_time``
        (months since adoption, bin start), ``term`` (``lead<k>``/``lag<k>``),
        ``estimate``/``se`` (log-rate vs the reference bin), ``irr``,
        ``ci_low``, ``ci_high``, ``p`` (t with G − 1 degrees of freedom, G
        clusters), ``n_treated`` (treated groups seen in the bin). The
        reference row has estimate 0 and missing SE.
    pooled : dict
        Average of the post coefficients (bins ≥ 0) against the same reference:
        ``estimate``, ``se``, ``irr``, ``ci_low``, ``ci_high``, ``p``, ``bins``,
        ``df`` (see :func:`pooled_effect`).
    pretrend : dict
        Joint Wald test of the leads (``chi2``, ``df``, ``df_denom``, ``p``) and its power:
        ``mde_slope`` — the smallest linear pre-trend (log-rate change per bin)
        the test detects with probability ``power`` — and ``mde_irr_per_bin``
        = exp(mde_slope).
    info : dict
        ``method``, ``outcome``, ``bin``, ``ref``, ``n``, ``cluster``,
        ``n_clusters``, ``few_clusters``, ``cohorts``, ``family``, ``vcov``
        (``"CRV1"`` or ``"CV3"``, the covariance used).
    """

    table: pd.DataFrame
    pooled: dict
    pretrend: dict
    info: dict

    def _repr_html_(self) -> str:
        return result_html(event_study_lines(self.info, self.pooled, self.pretrend), self.table)

    def __repr__(self) -> str:
        return "\n".join([*event_study_lines(self.info, self.pooled, self.pretrend), repr(self.table)])


def _prepare(panel: pd.DataFrame, outcome: str, cohort: str, group: str, time: str,
             exposure: Any, controls: Sequence[str], cl: Sequence[str]) -> pd.DataFrame:
    """Complete rows with ``_exp``, ``_t`` (month number), ``_c`` (cohort month, NaN = never)."""
    for c in dict.fromkeys((outcome, cohort, group, time, *controls, *cl)):
        if c not in panel.columns:
            raise DataError([problem("column_not_in_event_panel", "panel", name=c)])
    keep = list(dict.fromkeys([group, outcome, *controls, *cl]))
    df = panel[keep].copy()
    df["_exp"] = exposure_values(panel, exposure)
    df["_t"] = month_number(panel[time])
    df["_c"] = month_number(panel[cohort])
    df = df.dropna(subset=[outcome, "_exp", "_t", *controls, *cl])
    if ((df["_exp"] <= 0) | ~np.isfinite(df["_exp"])).any():
        raise DataError([problem("bad_exposure_panel", "panel")])
    if df.groupby(group)["_c"].nunique(dropna=False).max() > 1:
        raise DataError([problem("cohort_varies", "panel", cohort=cohort)])
    if df["_c"].notna().sum() == 0:
        raise DataError([problem("never_treated", "panel", cohort=cohort)])
    return df


def _stack(df: pd.DataFrame, group: str, lo: int, hi: int) -> pd.DataFrame:
    """One sub-experiment per cohort with clean (never / not-yet-in-window) controls."""
    parts = []
    for k, c in enumerate(np.sort(df["_c"].dropna().unique())):
        clean = df["_c"].isna() | (df["_c"] > c + hi)
        sub = df[(df["_c"] == c) | clean].copy()
        sub["_e"] = sub["_t"] - c
        sub = sub[(sub["_e"] >= lo) & (sub["_e"] <= hi)]
        if not (sub["_c"] == c).any() or not (sub["_c"] != c).any():
            continue  # a cohort without clean controls in its window cannot be used
        sub["_treated"] = (sub["_c"] == c).astype(float)
        sub["_stack"] = k
        parts.append(sub)
    if not parts:
        raise DataError([problem("no_clean_controls", "panel")])
    st = pd.concat(parts, ignore_index=True)
    n_stack = int(st["_stack"].max()) + 1          # integer ids: string keys cost seconds at scale
    st["_gs"] = pd.factorize(st[group])[0].astype(np.int64) * n_stack + st["_stack"]
    st["_ts"] = (st["_t"] - st["_t"].min()).astype(np.int64) * n_stack + st["_stack"]
    return st


def _bin_index(df: pd.DataFrame, bin: int, blo: int, bhi: int, clip: bool) -> pd.Series:
    """Event-time bin of each row (``clip``: end bins take everything beyond)."""
    e = np.floor(df["_e"] / bin)
    return e.clip(blo, bhi) if clip else e


def _dummies(df: pd.DataFrame, bins: Sequence[int], by_cohort: bool) -> dict[str, tuple]:
    """Add treated × bin (× cohort) dummy columns; returns name -> (bin, cohort or None)."""
    tr = df["_treated"].to_numpy() == 1
    e = df["_bin"].to_numpy()
    names: dict[str, tuple] = {}
    cohorts = np.sort(df.loc[tr, "_c"].unique()) if by_cohort else [None]
    for c in cohorts:
        cmask = tr if c is None else tr & (df["_c"].to_numpy() == c)
        for k in bins:
            name = f"_d{'m' if k < 0 else 'p'}{abs(k)}" + ("" if c is None else f"_c{int(c)}")
            col = (cmask & (e == k)).astype(float)
            if col.any():
                df[name] = col
                names[name] = (k, c)
    return names


def _bin_weights(fit: HdfeFit, names: dict[str, tuple], df: pd.DataFrame,
                 bins: Sequence[int]) -> dict[int, np.ndarray]:
    """Weights turning the fitted dummies into one coefficient per bin.

    One dummy per bin: weight 1. Cohort × bin dummies (Sun–Abraham): each
    cohort's share of the treated rows in that bin (interaction weighting).
    """
    W = {}
    for k in bins:
        w = np.zeros(len(fit.names))
        cols = [n for n, (b, _) in names.items() if b == k and n in fit.names]
        if not cols:
            continue
        share = np.array([df[n].sum() for n in cols], dtype=float)
        for n, s in zip(cols, share / share.sum()):
            w[fit.index(n)] = s
        W[k] = w
    return W


def _use_cv3(vcov: str, cl: Sequence[str], fit: HdfeFit) -> bool:
    if vcov not in ("auto", "CRV1", "CV3"):
        raise ParameterError(f"vcov must be 'auto', 'CRV1' or 'CV3', got {vcov!r}")
    return vcov == "CV3" or (vcov == "auto" and len(cl) == 1 and fit.n_clusters < FEW_CLUSTERS)


def _table(W: dict[int, np.ndarray], fit: HdfeFit, df: pd.DataFrame, bins: Sequence[int],
           bref: int, bin: int, group: str, alpha: float) -> pd.DataFrame:
    z, ref = t_reference(fit, alpha)
    tr = df["_treated"] == 1
    rows = []
    for k in bins:
        n_tr = int(df.loc[tr & (df["_bin"] == k), group].nunique())
        term = f"lead{-k}" if k < 0 else f"lag{k}"
        if k == bref or k not in W:
            b, s = (0.0, np.nan) if k == bref else (np.nan, np.nan)
        else:
            b, s = wald(W[k], fit)
        rows.append((k * bin, term, b, s, *ratio_interval(b, s, z),
                     2 * ref.sf(abs(b / s)) if s > 0 else np.nan, n_tr))
    out = pd.DataFrame(rows, columns=ES_COLUMNS)
    out["term"] = out["term"].astype(object)
    return out


def _check_args(window: Any, ref: Any, bin: Any, method: Any) -> tuple[int, int]:
    if not isinstance(bin, (int, np.integer)) or bin < 1:
        raise ParameterError(f"bin must be a positive number of months, got {bin!r}")
    lo, hi = int(window[0]), int(window[1])
    if not lo <= ref < 0 <= hi or lo == ref:
        raise ParameterError(f"window {window} must satisfy lead < ref={ref} < 0 <= lag "
                             "(e.g. window=(-12, 12), ref=-1)")
    if method not in METHODS:
        raise ParameterError(f"method must be one of {METHODS}, got {method!r}")
    return (lo // bin) * bin, (hi // bin) * bin + bin - 1   # whole bins


def _design(df: pd.DataFrame, method: str, group: str, lo: int, hi: int) -> tuple[pd.DataFrame,
                                                                                   list[str]]:
    if method == "stacked":
        return _stack(df, group, lo, hi), ["_gs", "_ts"]
    data = df.copy()
    if method == "sun_abraham" and data["_c"].notna().all():
        # no never-treated groups: the last cohort serves as control, up to its adoption
        last = data["_c"].max()
        data = data[data["_t"] < last].copy()
        data.loc[data["_c"] == last, "_c"] = np.nan
    data["_treated"] = data["_c"].notna().astype(float)
    data["_e"] = (data["_t"] - data["_c"]).fillna(-10_000)
    return data, [group, "_t"]


def _fit_sun_abraham(data: pd.DataFrame, outcome: str, names: dict[str, tuple],
                     ctrl: list[str], absorb: list[str], cl: list[str], bins: Sequence[int],
                     ) -> tuple[dict[str, tuple], list[str], HdfeFit]:
    """Sun–Abraham fit: cohort × bin dummies in the window, every cohort free outside it.

    Periods outside the window must not contaminate it. A cohort's rows outside
    the window get their own cohort × calendar-month effect: the month effect
    of those rows is ``(cohort, month)`` instead of ``month`` (``_tm``, absorbed),
    so only never-treated rows and rows inside the window identify the common
    month effects — a finer saturation than one dummy per cohort × bin, with two
    fixed effects instead of a dense 350,000 × 50 dummy design. Should the
    demeaning not converge, the cells become cohort × bin dummies (the dense
    design). Returns the dummies, the absorbed effects and the fit.
    """
    off = np.log(data["_exp"].to_numpy())
    out = (data["_treated"].to_numpy() == 1) & ~np.isin(data["_bin"].to_numpy(), list(bins))
    t = data["_t"].to_numpy()
    data["_tm"] = pd.factorize(np.where(out, t + 1e6 * (np.nan_to_num(data["_c"]) + 1), t))[0]
    try:
        return names, [absorb[0], "_tm"], fit_hdfe(data, outcome, [*names, *ctrl],
                                                   [absorb[0], "_tm"], cluster=cl,
                                                   required=ctrl, offset=off)
    except ValueError as exc:             # pyfixest: "Demeaning failed after … iterations"
        if isinstance(exc, DataError) or "emean" not in str(exc):
            raise
    every = sorted(set(data.loc[data["_treated"] == 1, "_bin"].astype(int)) | set(bins))
    names = {**names, **_dummies(data, [k for k in every if k not in bins], by_cohort=True)}
    return names, absorb, fit_hdfe(data, outcome, [*names, *ctrl], absorb, cluster=cl,
                                   required=ctrl, offset=off)


def event_study(panel: pd.DataFrame, outcome: str, *, cohort: str = "adoption_month",
                exposure: Any = "person_hours", group: str = "group_id", time: str = "month",
                window: tuple[int, int] = (-12, 12), ref: int = -1, method: str = "stacked",
                bin: int = 1, controls: Sequence[str] = (), cluster: str | Sequence[str] | None = None,
                family: str = "poisson", alpha: float = 0.05, power: float = 0.8,
                vcov: str = "CRV1") -> EventStudy:
    """Event study of a staggered adoption: effects by time relative to adoption.

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
        Reference event time, default −1 (with ``bin`` > 1: the bin holding it).
        The same reference serves points, the pooled effect and the plot.
    method : {"stacked", "sun_abraham", "twfe"}
        ``"stacked"``: one sub-experiment per cohort with clean controls,
        stacked, with sub-experiment × group and × month effects (Cengiz et al.
        2019). ``"sun_abraham"``: cohort × bin interactions on the whole panel,
        never-treated groups as controls (or, without any, the last cohort
        before its adoption), averaged with each cohort's share of
        the bin (interaction-weighted, Sun & Abraham 2021); a cohort's months
        outside the window get their own cohort × month effects (absorbed). ``"twfe"``: the naive
        dynamic two-way FE regression (end bins take everything beyond).
    bin : int
        Width of the event-time bins in months (3 = quarters).
    controls : list of str
        Time-varying covariates added to the model.
    cluster : str or list of str, optional
        Cluster column(s) (default ``group``); cluster where adoption is
        assigned (the work area for demonstration posts).
    family : {"poisson"}
        Poisson (fixed-effects, pyfixest ``fepois``).
    alpha : float
        1 − confidence level.
    power : float
        Power at which the pre-trend test's detectable slope is reported.
    vcov : {"CRV1", "CV3", "auto"}
        ``"CRV1"`` (cluster-robust, fixest's small-sample factor), ``"CV3"``
        (leave-one-cluster-out jackknife, G refits; conservative) or ``"auto"``
        (CV3 when one-way with < FEW_CLUSTERS clusters). Tests use t(G − 1):
        on the demo's 10 areas (``bench/coverage.py``, 200 draws) CRV1
        understates the pooled effect's spread by ~20 %, so normal critical
        values covered 0.86–0.89 and t(9) covers 0.92–0.94; CV3 overstates it.

    Returns
    -------
    EventStudy
        ``table`` (:data:`ES_COLUMNS`), ``pooled``, ``pretrend``, ``info``
        (see :class:`EventStudy`).

    Raises
    ------
    ParameterError
        Bad window, ref, bin, method, family or alpha.
    DataError
        Missing columns, a cohort varying within a group, nobody treated, no
        clean controls.

    Notes
    -----
    With staggered timing a two-way FE regression uses already-treated groups
    as controls for later ones; when effects change over time or differ by
    cohort this gives "forbidden comparisons" and weights that can be negative
    (Goodman-Bacon 2021; Sun & Abraham 2021). The stacked and the Sun–Abraham
    designs compare each cohort with clean controls only. Assumptions: no
    anticipation beyond the leads, parallel trends in the log rate, treatment
    absorbing. Inference is to the population of clusters; with adoption
    assigned to few work areas read :func:`grouplab.models.inference.ri_adoption`.
    Leads that are "not significant" prove nothing: ``pretrend["mde_slope"]``
    says how large a linear pre-trend would have had to be to be detected.

    References
    ----------
    Cengiz, D., Dube, A., Lindner, A., & Zipperer, B. (2019). *QJE*, 134, 1405–1454.
    Sun, L., & Abraham, S. (2021). *J Econometrics*, 225, 175–199.
    Roth, J. (2022). Pretest with caution. *AER: Insights*, 4, 305–322.
    MacKinnon, J. G., Nielsen, M. Ø., & Webb, M. D. (2023). Cluster-robust
    inference: a guide to empirical practice. *J Econometrics*, 232, 272–299.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> g = np.repeat(np.arange(40), 36); t = np.tile(np.arange(36), 40)
    >>> start = np.where(np.arange(40) < 20, 12 + 6 * (np.arange(40) % 2), np.nan)[g]
    >>> y = rng.poisson(5 * np.where(t >= start, 0.8, 1.0))
    >>> m0 = pd.Period("2017-01", "M")
    >>> df = pd.DataFrame({"group_id": g, "y": y, "h": 1.0,
    ...                    "month": [(m0 + int(k)).to_timestamp() for k in t],
    ...                    "adopt": [pd.NaT if np.isnan(s) else (m0 + int(s)).to_timestamp()
    ...                              for s in start]})
    >>> import warnings; warnings.simplefilter("ignore")   # 40 clusters: just below the warning line
    >>> es = event_study(df, "y", cohort="adopt", exposure="h", window=(-6, 6))
    >>> es.table[["event_time", "term"]].iloc[[0, 6, 12]].to_numpy().tolist()
    [[-6, 'lead6'], [0, 'lag0'], [6, 'lag6']]
    >>> bool(es.pooled["ci_low"] < 0.8 < es.pooled["ci_high"])
    True
    """
    lo, hi = _check_args(window, ref, bin, method)
    check_family(family, ("poisson",))
    alpha = check_alpha(alpha)
    ctrl = list(controls)
    cl = cluster_columns(cluster or group)
    df = _prepare(panel, outcome, cohort, group, time, exposure, ctrl, cl)
    for c in cl:
        cluster_codes(df, c)
    data, absorb = _design(df, method, group, lo, hi)
    blo, bhi, bref = lo // bin, hi // bin, ref // bin
    data["_bin"] = _bin_index(data, bin, blo, bhi, clip=method == "twfe")
    bins = [k for k in range(blo, bhi + 1)]
    names = _dummies(data, [k for k in bins if k != bref], by_cohort=method == "sun_abraham")
    if method == "sun_abraham":
        names, absorb, fit = _fit_sun_abraham(data, outcome, names, ctrl, absorb, cl, bins)
    else:
        fit = fit_hdfe(data, outcome, [*names, *ctrl], absorb, cluster=cl, required=ctrl,
                       offset=np.log(data["_exp"].to_numpy()))  # a dummy without events may drop
    if _use_cv3(vcov, cl, fit):
        fit = jackknife(fit, data, outcome, [*names, *ctrl], absorb, cluster=cl, required=ctrl,
                        offset=np.log(data["_exp"].to_numpy()))
    W = _bin_weights(fit, names, data, [k for k in bins if k != bref])
    cohorts = [str(pd.Period(year=int(c // 12), month=int(c % 12) + 1, freq="M"))
               for c in np.sort(df["_c"].dropna().unique())]
    info = {"method": method, "outcome": outcome, "bin": int(bin), "ref": int(ref), "n": fit.n,
            "cluster": fit.cluster, "n_clusters": fit.n_clusters, "cohorts": cohorts,
            "few_clusters": warn_few_clusters(fit.n_clusters, fit.cluster), "family": family,
            "vcov": fit.extra.get("vcov", "CRV1")}
    return EventStudy(_table(W, fit, data, bins, bref, bin, group, alpha),
                      pooled_effect(W, fit, alpha=alpha),
                      pretrend_test(W, fit, bref, alpha=alpha, power=power), info)


def _static_twfe(panel: pd.DataFrame, outcome: str, *, cohort: str, exposure: Any, group: str,
                 time: str, controls: Sequence[str], cluster: Any, alpha: float,
                 vcov: str) -> dict:
    """The naive static TWFE: one post dummy, group + month effects, whole panel."""
    cl = cluster_columns(cluster or group)
    df = _prepare(panel, outcome, cohort, group, time, exposure, list(controls), cl)
    df["_post"] = ((df["_t"] >= df["_c"]) & df["_c"].notna()).astype(float)
    off = np.log(df["_exp"].to_numpy())
    fit = fit_hdfe(df, outcome, ["_post", *controls], [group, "_t"], cluster=cl, offset=off)
    if _use_cv3(vcov, cl, fit):
        fit = jackknife(fit, df, outcome, ["_post", *controls], [group, "_t"], cluster=cl,
                        required=None, offset=off)
    b, s = float(fit.params[0]), float(fit.se()[0])
    z, ref = t_reference(fit, alpha)
    irr, lo, hi = ratio_interval(b, s, z)
    return {"model": "twfe_static", "term": "post", "estimate": b, "se": s, "irr": irr,
            "ci_low": lo, "ci_high": hi,
            "p": float(2 * ref.sf(abs(b / s))), "pretrend_p": np.nan, "mde_slope": np.nan}


def did_compare(panel: pd.DataFrame, outcome: str, *, cohort: str = "adoption_month",
                exposure: Any = "person_hours", group: str = "group_id", time: str = "month",
                window: tuple[int, int] = (-12, 12), bin: int = 1, ref: int = -1,
                controls: Sequence[str] = (), cluster: str | Sequence[str] | None = None,
                family: str = "poisson", alpha: float = 0.05, vcov: str = "CRV1",
                fitted: Sequence[EventStudy] = ()) -> pd.DataFrame:
    """Pooled post-adoption effect by naive TWFE (static, dynamic), stacked and Sun–Abraham.

    Parameters
    ----------
    panel, outcome, cohort, exposure, group, time, window, bin, ref, controls, cluster, family, alpha, vcov
        As :func:`event_study`.
    fitted : list of EventStudy
        Event studies already fitted with these same arguments (e.g. the stacked
        one a report shows): reused instead of refitted, matched by ``info["method"]``.

    Returns
    -------
    pandas.DataFrame
        Four rows, ``model`` = ``"twfe_static"`` (one post dummy, group +
        month effects: the regression most often run), then ``"twfe"``,
        ``"stacked"``, ``"sun_abraham"`` (each: average of its post-bin
        coefficients against the same reference bin; see :func:`event_study`),
        with ``term`` (``post``), ``estimate``, ``se``,
        ``irr``, ``ci_low``, ``ci_high``, ``p``, ``pretrend_p`` and
        ``mde_slope`` (see :func:`pretrend_test`; missing for ``twfe_static``).

    Notes
    -----
    When the effect is the same for every cohort and constant over time all
    three estimate it; when it grows over time or differs by cohort the TWFE
    is a weighted average with possibly negative weights (Goodman-Bacon 2021)
    and can be far off, the others stay averages of clean comparisons.

    References
    ----------
    Goodman-Bacon, A. (2021). *J Econometrics*, 225, 254–277.
    """
    rows = [_static_twfe(panel, outcome, cohort=cohort, exposure=exposure, group=group, time=time,
                         controls=controls, cluster=cluster, alpha=check_alpha(alpha),
                         vcov=vcov)]
    done = {es.info["method"]: es for es in fitted}
    for method in ("twfe", "stacked", "sun_abraham"):
        es = done.get(method) or event_study(
            panel, outcome, cohort=cohort, exposure=exposure, group=group, time=time,
            window=window, ref=ref, bin=bin, method=method, controls=controls, cluster=cluster,
            family=family, alpha=alpha, vcov=vcov)
        p = es.pooled
        rows.append({"model": method, "term": "post", "estimate": p["estimate"], "se": p["se"],
                     "irr": p["irr"], "ci_low": p["ci_low"], "ci_high": p["ci_high"],
                     "p": p["p"], "pretrend_p": es.pretrend["p"],
                     "mde_slope": es.pretrend["mde_slope"]})
    out = pd.DataFrame(rows)
    for c in ("model", "term"):
        out[c] = out[c].astype(object)
    return out
