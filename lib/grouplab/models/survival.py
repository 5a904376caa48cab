"""Time to first event per group: counting-process Cox model and Kaplan–Meier tables."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight

from grouplab.data.problems import problem
from grouplab.data.results import result_table
from grouplab.errors import DataError, ParameterError
from grouplab.models.design import check_alpha, month_number, ratio_interval

__all__ = ["counting_process", "cox_model", "first_event_times", "km_table", "at_risk"]


def _check(panel: pd.DataFrame, cols: Sequence[str]) -> None:
    miss = [c for c in cols if c not in panel.columns]
    if miss:
        raise DataError([problem("columns_not_in_study_panel", "panel", names=", ".join(miss))])


def counting_process(panel: pd.DataFrame, *, event: str = "n_responsibility_accident",
                     covariates: Sequence[str] = (), group: str = "group_id",
                     time: str = "month") -> pd.DataFrame:
    """Counting-process (start, stop] rows up to each group's first event.

    Parameters
    ----------
    panel : pandas.DataFrame
        Group × month panel; ``event`` counts events in the month.
    event : str
        Count column whose first positive month ends the group's follow-up.
    covariates : list of str
        Time-varying covariates, taken from the same month (lag them first
        with :func:`grouplab.measures.panel.lag_columns` if they could follow the event).
    group, time : str
        Group and month columns.

    Returns
    -------
    pandas.DataFrame
        One row per group-month at risk: ``group``, ``start``, ``stop``
        (months since the panel's first month; the row covers (start, stop]),
        ``event`` (1 in the month of the first event), and the covariates.
        Months with missing covariates are left out (the group re-enters
        later: delayed entry); nothing after the first event is kept.

    Notes
    -----
    Time is measured in whole months from the first month of the panel, so
    every group shares one clock (calendar time). An event in month t ends
    the interval (t, t+1].

    Examples
    --------
    >>> p = pd.DataFrame({"group_id": ["A"] * 3 + ["B"] * 3,
    ...                   "month": pd.to_datetime(["2019-01-01", "2019-02-01", "2019-03-01"] * 2),
    ...                   "n": [0, 1, 0, 0, 0, 0], "x": [1, 1, 1, 0, 0, 0]})
    >>> counting_process(p, event="n", covariates=["x"]).to_numpy().tolist()
    [['A', 0, 1, 0, 1.0], ['A', 1, 2, 1, 1.0], ['B', 0, 1, 0, 0.0], ['B', 1, 2, 0, 0.0], ['B', 2, 3, 0, 0.0]]
    """
    cov = list(covariates)
    _check(panel, [event, group, time, *cov])
    mi = month_number(panel[time])
    if np.isnan(mi).any():
        raise DataError([problem("panel_missing_time", "panel", n=int(np.isnan(mi).sum()), time=time)])
    mi = mi.astype(np.int64)
    d = pd.DataFrame({group: panel[group].to_numpy(), "start": mi - mi.min(),
                      "_y": pd.to_numeric(panel[event], errors="coerce").to_numpy()})
    for c in cov:
        d[c] = pd.to_numeric(panel[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    d = d.sort_values([group, "start"], kind="stable")
    hit = (d["_y"] > 0).astype(int)
    before = hit.groupby(d[group]).cumsum() - hit  # events before this month
    d = d[(before == 0) & d["_y"].notna()]
    d = d.dropna(subset=cov)
    d["stop"] = d["start"] + 1
    d["event"] = (d["_y"] > 0).astype(np.int64)
    d["start"] = d["start"].astype(np.int64)
    d["stop"] = d["stop"].astype(np.int64)
    return d[[group, "start", "stop", "event", *cov]].reset_index(drop=True)


def cox_model(cp: pd.DataFrame, covariates: Sequence[str], *, ties: str = "efron",
              subject: str = "group_id", alpha: float = 0.05) -> pd.DataFrame:
    """Cox proportional-hazards model on counting-process data (statsmodels PHReg).

    Parameters
    ----------
    cp : pandas.DataFrame
        Output of :func:`counting_process` (``start``, ``stop``, ``event``).
    covariates : list of str
        Columns of ``cp`` to use.
    ties : {"efron", "breslow"}
        Handling of tied event times (monthly data have many).
    subject : str
        Column identifying the subject (group) of each row, for ``n_subjects``.
    alpha : float
        1 − confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per covariate: ``term``, ``estimate`` (log hazard ratio),
        ``se``, ``hr`` (hazard ratio), ``ci_low``, ``ci_high`` (HR interval),
        ``p``. ``attrs``: ``n_rows``, ``n_subjects``, ``n_events``, ``ties``.

    Raises
    ------
    DataError
        Missing columns, no events, bad ``ties``.

    Notes
    -----
    h(t | x(t)) = h0(t)·exp(x(t)β), with the covariates' value in each
    interval (delayed entry via ``start``; a row is at risk for start < t ≤
    stop, so splitting a subject's follow-up leaves the estimate unchanged). The HR compares hazards of first
    events at the same calendar month; it assumes proportional hazards and
    no unobserved frailty correlated with the covariates (a stable group
    trait that drives both measure and outcome biases it, as in any pooled
    model).

    References
    ----------
    Therneau, T. M., & Grambsch, P. M. (2000). *Modeling Survival Data:
    Extending the Cox Model*, ch. 3 (counting-process form).

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> x = np.repeat([0, 1], 100)
    >>> rows = []
    >>> for i, xi in enumerate(x):
    ...     for t in range(24):
    ...         ev = rng.random() < 0.05 * (0.5 if xi else 1.0)
    ...         rows.append((i, t, t + 1, int(ev), xi))
    ...         if ev:
    ...             break
    >>> cp = pd.DataFrame(rows, columns=["g", "start", "stop", "event", "x"])
    >>> r = cox_model(cp, ["x"], subject="g")
    >>> bool(r["ci_low"].iloc[0] < 0.5 < r["ci_high"].iloc[0])
    True
    """
    cov = list(covariates)
    _check(cp, ["start", "stop", "event", subject, *cov])
    if ties not in ("efron", "breslow"):
        raise ParameterError(f"ties must be 'efron' or 'breslow', got {ties!r}")
    alpha = check_alpha(alpha)
    if cp["event"].sum() == 0:
        raise DataError([problem("no_events_cox", "cp")])
    exog = cp[cov].to_numpy(dtype=float)
    start = cp["start"].to_numpy(dtype=float)
    stop = cp["stop"].to_numpy(dtype=float)
    if (stop <= start).any():
        raise DataError([problem("start_not_before_stop", "cp")])
    # PHReg keeps a row in the risk set at a failure time equal to its entry time
    # (R's convention for left truncation); in counting-process form the row
    # (start, stop] is at risk only AFTER start, so nudge entries just above start.
    times = np.unique(np.concatenate([start, stop]))
    eps = 1e-6 * (np.diff(times).min() if len(times) > 1 else 1.0)
    mod = PHReg(stop, exog, status=cp["event"].to_numpy(), entry=start + eps, ties=ties)
    res = mod.fit()
    b, se = np.asarray(res.params), np.asarray(res.bse)
    hr, lo, hi = ratio_interval(b, se, stats.norm.ppf(1 - alpha / 2))
    out = pd.DataFrame({"term": pd.Series(cov, dtype=object), "estimate": b, "se": se,
                        "hr": hr, "ci_low": lo, "ci_high": hi,
                        "p": 2 * stats.norm.sf(np.abs(b / se))})
    out.attrs.update({"n_rows": int(len(cp)), "n_subjects": int(cp[subject].nunique()),
                      "n_events": int(cp["event"].sum()), "ties": ties})
    return result_table(out, "cox")


def first_event_times(panel: pd.DataFrame, *, event: str = "n_responsibility_accident",
                      by: str | None = None, landmark: int = 0, group: str = "group_id",
                      time: str = "month") -> pd.DataFrame:
    """Entry and time to each group's first event (or censoring), with late entry kept.

    Parameters
    ----------
    panel : pandas.DataFrame
        Group × month panel.
    event : str
        Count column.
    by : str, optional
        A column labelling the group for KM curves. Its value must be known
        when follow-up starts: it is taken from the group's last month BEFORE
        ``landmark`` (with ``landmark=0``: the group's first month), never from
        months that follow — no look-ahead.
    landmark : int
        Months (from the panel's first month) before follow-up starts; groups
        with an event before it are left out (they were not at risk at the
        landmark). Use it with a ``by`` measured over the pre-landmark months.
    group, time : str
        Group and month columns.

    Returns
    -------
    pandas.DataFrame
        One row per group at risk at its entry: ``group``, ``entry`` (months
        from the panel's first month to the start of follow-up: the later of
        its first month and ``landmark``), ``time`` (to the end of the event
        month or of the last month observed), ``event`` (1/0), and ``by``.

    Examples
    --------
    >>> p = pd.DataFrame({"group_id": ["A", "A", "B", "B", "C"],
    ...                   "month": pd.to_datetime(["2019-01-01", "2019-02-01"] * 2 + ["2019-02-01"]),
    ...                   "n": [0, 2, 0, 0, 1]})
    >>> first_event_times(p, event="n").to_numpy().tolist()
    [['A', 0, 2, 1], ['B', 0, 2, 0], ['C', 1, 2, 1]]
    """
    if not isinstance(landmark, (int, np.integer)) or landmark < 0:
        raise ParameterError(f"landmark must be a whole number of months ≥ 0, got {landmark!r}")
    cp = counting_process(panel, event=event, group=group, time=time)
    cp = cp[cp["start"] >= landmark]
    g = cp.groupby(group, sort=True)
    out = pd.DataFrame({"entry": g["start"].min(), "time": g["stop"].max(),
                        "event": g["event"].max()}).reset_index()
    # a group whose first event came before the landmark is not at risk at it
    pre = counting_process(panel, event=event, group=group, time=time)
    hit_before = pre.loc[(pre["stop"] <= landmark) & (pre["event"] == 1), group]
    out = out[~out[group].isin(hit_before)].reset_index(drop=True)
    if by is not None:
        _check(panel, [by])
        mi = month_number(panel[time])
        rel = mi - np.nanmin(mi)
        base = panel.loc[rel < max(landmark, 1), [group, by]].assign(_r=rel[rel < max(landmark, 1)])
        last = base.sort_values("_r").groupby(group, sort=True)[by].last()
        out[by] = out[group].map(last)
    return out[[group, "entry", "time", "event", *([by] if by else [])]]


def _loglog_ci(s: np.ndarray, se: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Log–log interval S^exp(±z·se/(S·log S)) (R survfit conf.type = "log-log")."""
    with np.errstate(divide="ignore", invalid="ignore"):
        k = z * se / (s * np.log(s))
        lo = np.where((s > 0) & (s < 1), s ** np.exp(-k), np.nan)
        hi = np.where((s > 0) & (s < 1), s ** np.exp(k), np.nan)
    return np.minimum(lo, hi), np.maximum(lo, hi)


def _km_one(sub: pd.DataFrame, time: str, event: str, entry: str | None,
            z: float) -> pd.DataFrame:
    t = sub[time].to_numpy(dtype=float)
    ev = pd.to_numeric(sub[event]).to_numpy(dtype=float)
    ent = None if entry is None else sub[entry].to_numpy(dtype=float)
    sf = SurvfuncRight(t, ev, entry=ent)
    keep = np.asarray(sf.n_events) > 0
    s = np.asarray(sf.surv_prob)[keep]
    se = np.asarray(sf.surv_prob_se)[keep]
    lo, hi = _loglog_ci(s, se, z)
    out = pd.DataFrame({"time": np.asarray(sf.surv_times)[keep],
                        "n_risk": np.asarray(sf.n_risk)[keep].astype(np.int64),
                        "n_events": np.asarray(sf.n_events)[keep].astype(np.int64),
                        "survival": s, "se": se, "ci_low": lo, "ci_high": hi})
    end = float(t.max())
    if len(out) == 0 or out["time"].iloc[-1] < end:   # carry the curve to the end of follow-up
        e0 = np.full_like(t, -np.inf) if ent is None else ent
        prev = out.iloc[-1] if len(out) else None
        row = {"time": end, "n_risk": int(np.sum((e0 < end) & (t >= end))), "n_events": 0,
               "survival": 1.0 if prev is None else prev["survival"],
               "se": 0.0 if prev is None else prev["se"],
               "ci_low": np.nan if prev is None else prev["ci_low"],
               "ci_high": np.nan if prev is None else prev["ci_high"]}
        out = pd.concat([out, pd.DataFrame([row])], ignore_index=True)
    return out


def km_table(data: pd.DataFrame, *, time: str = "time", event: str = "event",
             entry: str | None = None, by: str | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Kaplan–Meier survival curves with late entry, log–log CIs, to the end of follow-up.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per subject (e.g. :func:`first_event_times`).
    time, event : str
        Follow-up time and event indicator (1 = event, 0 = censored).
    entry : str, optional
        Entry time (left truncation): a subject is at risk only for
        entry < t ≤ time. Without it a group that entered late is counted at
        risk from 0, which biases survival upward.
    by : str, optional
        Column defining the curves (measured before follow-up starts).
    alpha : float
        1 − confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per (level, distinct event time), plus a last row at the end
        of follow-up (``n_events`` 0) when it comes after the last event:

        - ``level`` — value of ``by`` (``"all"`` without ``by``).
        - ``time``; ``n_risk``, ``n_events`` at that time.
        - ``survival`` — KM estimate S(t) (share still without an event).
        - ``se`` — Greenwood standard error.
        - ``ci_low``, ``ci_high`` — log–log interval (R ``survfit``
          ``conf.type = "log-log"``), inside [0, 1].

    Raises
    ------
    DataError
        Missing columns, event values other than 0/1, entry not before time.

    Notes
    -----
    S(t) = Π_{t_i ≤ t} (1 − d_i / n_i), n_i counting subjects with entry <
    t_i ≤ time. Censoring and entry must be unrelated to the risk of the
    event. The curves describe; they do not adjust for anything.

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). *JASA*, 53, 457–481.
    Klein, J. P., & Moeschberger, M. L. (2003). *Survival Analysis* (2nd ed.), §4.2, §4.6.

    Examples
    --------
    >>> d = pd.DataFrame({"time": [1, 2, 2, 3, 4], "event": [1, 1, 0, 1, 0]})
    >>> km_table(d)[["time", "n_risk", "n_events", "survival"]].round(3)
       time  n_risk  n_events  survival
    0     1       5         1       0.8
    1     2       4         1       0.6
    2     3       2         1       0.3
    3     4       1         0       0.3
    """
    _check(data, [time, event] + ([by] if by else []) + ([entry] if entry else []))
    ev = pd.to_numeric(data[event], errors="coerce")
    if not ev.isin([0, 1]).all():
        raise DataError([problem("event_not_0_1", "data", event=event)])
    if entry is not None and (data[entry] >= data[time]).any():
        raise DataError([problem("entry_not_before_time", "data", entry=entry, time=time)])
    z = stats.norm.ppf(1 - check_alpha(alpha) / 2)
    levels = [("all", data)] if by is None else list(data.groupby(by, sort=True))
    out = pd.concat([_km_one(sub, time, event, entry, z).assign(level=lev)
                     for lev, sub in levels], ignore_index=True)
    out = out[["level", "time", "n_risk", "n_events", "survival", "se", "ci_low", "ci_high"]]
    if np.all(np.mod(out["time"], 1) == 0):
        out["time"] = out["time"].astype(np.int64)
    return out


def at_risk(data: pd.DataFrame, times, *, time: str = "time", entry: str | None = None,
            by: str | None = None) -> pd.DataFrame:
    """Numbers at risk at chosen times (the table printed under a KM plot).

    Returns
    -------
    pandas.DataFrame
        One row per level and time: ``level``, ``time``, ``n_risk`` (subjects
        under observation at that time: entry ≤ t ≤ their own time).
    """
    _check(data, [time] + ([by] if by else []) + ([entry] if entry else []))
    levels = [("all", data)] if by is None else list(data.groupby(by, sort=True))
    rows = []
    for lev, sub in levels:
        t = sub[time].to_numpy(dtype=float)
        e = np.zeros_like(t) if entry is None else sub[entry].to_numpy(dtype=float)
        for x in times:
            rows.append((lev, x, int(np.sum((e <= x) & (t >= x)))))
    return pd.DataFrame(rows, columns=["level", "time", "n_risk"])
