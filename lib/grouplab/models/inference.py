"""Few-cluster inference for area-assigned measures: randomisation inference and wild bootstrap.

Demonstration posts are adopted by work area — ten areas in the demo, eight
adopters in four timing pairs. Cluster-robust SEs with normal critical
values reject a true null far too often with so few clusters (Cameron &
Miller 2015). Two remedies, reported beside the analytic interval:

- :func:`ri_adoption` — randomisation inference: the areas' adoption dates
  are permuted across areas, the estimate recomputed, and the observed
  estimate compared with that distribution (Fisher's sharp null of no
  effect in any area; exact whatever the number of clusters, if the timing
  could as well have fallen to any area).
- :func:`wild_bootstrap` — wild cluster bootstrap-t with Webb's six-point
  weights (Webb 2023) of a linear fixed-effects model, through the
  ``wildboottest`` package that pyfixest calls (restricted, WCR).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.problems import problem
from grouplab.data.results import randomization_summary, result_html
from grouplab.errors import DataError, ParameterError
from grouplab.models.design import cluster_codes, exposure_values, month_number
from grouplab.models.hdfe import fit_hdfe

__all__ = ["RandomizationResult", "ri_adoption", "ri_post_effect", "wild_bootstrap",
           "permute_adoption"]


@dataclass(frozen=True)
class RandomizationResult:
    """Observed estimate, its permutation distribution and the two-sided RI p-value.

    Attributes
    ----------
    observed : float
        The statistic on the real adoption dates.
    draws : numpy.ndarray
        The statistic under each permutation of dates across assignment units.
    p : float
        ``(1 + #{|draw| ≥ |observed|}) / (1 + n_perm)`` — valid (never below the
        exact p) for sampled permutations (Phipson & Smyth 2010).
    n_perm : int
    assign : str
        Column at whose level dates were permuted (e.g. ``unit_id``, the work area).
    n_units : int
        Number of assignment units.
    statistic : str
        What was permuted: ``"custom"`` (:func:`ri_adoption`) or
        ``"static_post"`` (:func:`ri_post_effect`).
    """

    observed: float
    draws: np.ndarray
    p: float
    n_perm: int
    assign: str
    n_units: int
    statistic: str = "custom"

    def summary(self, lang: str | None = None) -> tuple[list[str], pd.DataFrame]:
        """Header lines and table shown in Jupyter (:func:`grouplab.data.results.randomization_summary`)."""
        return randomization_summary(self.observed, self.draws, self.p, assign=self.assign,
                                     n_units=self.n_units, statistic=self.statistic, lang=lang)

    def _repr_html_(self) -> str:
        return result_html(*self.summary())

    def __repr__(self) -> str:
        lines, table = self.summary()
        return "\n".join([*lines, repr(table)])


def permute_adoption(panel: pd.DataFrame, *, assign: str, cohort: str,
                     rng: np.random.Generator) -> pd.Series:
    """The ``cohort`` column after shuffling the units' adoption dates across units.

    Every unit of ``assign`` keeps one date (or none); the multiset of dates is
    unchanged, so the number of adopters and the timing pairs are kept.
    """
    unit = panel.groupby(assign, sort=True)[cohort].first()
    shuffled = pd.Series(rng.permutation(unit.to_numpy()), index=unit.index)
    return panel[assign].map(shuffled)


def _check_ri(panel: pd.DataFrame, n_perm: Any, columns, assign: str, cohort: str) -> None:
    """The checks both RI functions make: enough permutations, the columns, one date per unit."""
    if not isinstance(n_perm, (int, np.integer)) or n_perm < 19:
        raise ParameterError(f"n_perm must be an integer ≥ 19, got {n_perm!r}")
    for c in columns:
        if c not in panel.columns:
            raise DataError([problem("column_not_in_panel", "panel", name=c)])
    if panel.groupby(assign)[cohort].nunique(dropna=False).max() > 1:
        raise DataError([problem("cohort_varies_within", "panel", cohort=cohort, assign=assign)])


def _adopted(cohort_month: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Adopted by this month (bool): a date, and the month on or after it."""
    return ~np.isnan(cohort_month) & (month >= np.nan_to_num(cohort_month, nan=np.inf))


def _ri_p(draws: np.ndarray, observed: float) -> float:
    """Two-sided RI p-value counting the observed assignment (Phipson & Smyth 2010)."""
    return (1 + int(np.sum(np.abs(draws) >= abs(observed) - 1e-12))) / (1 + len(draws))


def ri_adoption(panel: pd.DataFrame, statistic: Callable[[pd.DataFrame], float], *,
                assign: str = "unit_id", cohort: str = "adoption_month",
                time: str = "month", indicator: str | None = "area_adopted",
                n_perm: int = 199, seed: int = 0) -> RandomizationResult:
    """Randomisation inference over the assignment units' adoption dates.

    Parameters
    ----------
    panel : pandas.DataFrame
        Group × month panel with ``assign``, ``cohort`` and ``time`` columns.
    statistic : callable
        ``statistic(panel) -> float``, e.g. the pooled log-IRR of
        :func:`grouplab.models.event_study` on the panel it is given.
    assign : str
        Column of the unit that adopts (dates move between these units).
    cohort : str
        Adoption month column (missing = never).
    time : str
        Month column (to rebuild ``indicator``).
    indicator : str, optional
        A 0/1 "adopted by this month" column recomputed from the permuted
        dates (``area_adopted``); None to leave it alone.
    n_perm : int
        Number of random permutations (≥ 19).
    seed : int
        Seed of the permutations.

    Returns
    -------
    RandomizationResult

    Raises
    ------
    ParameterError
        ``n_perm`` < 19 or ``statistic`` not callable.
    DataError
        Missing columns or a date that varies within a unit.

    Notes
    -----
    The sharp null says posts changed no group's rate; under it every
    permutation of the dates across areas was as likely as the observed one,
    so the observed estimate is compared with the estimates they give. The
    p-value answers "is the observed estimate unusual among the timings the
    areas could have had" and assumes exchangeable timing across areas.
    """
    if not callable(statistic):
        raise ParameterError("statistic must be a function of the panel returning a number")
    _check_ri(panel, n_perm, (assign, cohort, time), assign, cohort)
    rng = np.random.default_rng(seed)
    obs = float(statistic(panel))
    draws = np.empty(n_perm)
    t = month_number(panel[time])
    for i in range(n_perm):
        new = {cohort: permute_adoption(panel, assign=assign, cohort=cohort, rng=rng)}
        if indicator is not None:
            new[indicator] = _adopted(month_number(new[cohort]), t).astype(int)
        draws[i] = statistic(panel.assign(**new))   # copy-on-write: other columns shared
    return RandomizationResult(obs, draws, _ri_p(draws, obs), int(n_perm), assign,
                               int(panel[assign].nunique()))


def ri_post_effect(panel: pd.DataFrame, outcome: str, *, assign: str = "unit_id",
                   cohort: str = "adoption_month", exposure: Any = "person_hours",
                   group: str = "group_id", time: str = "month", controls: Sequence[str] = (),
                   n_perm: int = 199, seed: int = 0) -> RandomizationResult:
    """Randomisation inference with the static post effect as the statistic (fast at scale).

    The statistic is the log-IRR of "adopted by this month" in a Poisson model
    with group and month fixed effects, ``controls`` and a log-exposure offset
    (the static two-way FE regression); the design is built once and only the
    adoption column is rebuilt for each permutation of the units' dates (drawn
    exactly as :func:`ri_adoption` draws them with the same seed).

    Parameters
    ----------
    panel : pandas.DataFrame
        Group × month panel with the ``assign`` and ``cohort`` columns.
    outcome : str
        Count column of the Poisson model.
    assign, cohort, exposure, group, time : str
        As :func:`ri_adoption` and :func:`grouplab.models.event_study`.
    controls : list of str
        Time-varying covariates of the model.
    n_perm, seed : int
        Permutations (≥ 19) and their seed.

    Returns
    -------
    RandomizationResult
        ``statistic`` = ``"static_post"``; ``observed`` and ``draws`` are log IRRs.

    Notes
    -----
    Under the sharp null (posts changed no group's rate) any statistic gives an
    exact test; the static estimate is chosen for speed (one fixed-effects fit
    per draw, no event-time design) and is the statistic whose size
    ``bench/placebo.py`` measures. With staggered timing it weighs the cohorts'
    effects unevenly (Goodman-Bacon 2021), which changes its power, not its size.
    """
    _check_ri(panel, n_perm, dict.fromkeys((outcome, assign, cohort, group, time, *controls)), assign, cohort)
    units = panel.groupby(assign, sort=True)[cohort].first()
    dates = month_number(units)
    e = exposure_values(panel, exposure)
    d = pd.DataFrame({c: panel[c].to_numpy() for c in dict.fromkeys([outcome, *controls])})
    d["_g"], d["_t"] = pd.factorize(panel[group])[0], month_number(panel[time])
    d["_u"] = units.index.get_indexer(panel[assign])
    d["_off"] = np.log(e)
    d = d[np.isfinite(d["_off"]).to_numpy() & d.notna().all(axis=1).to_numpy()]
    t, u = d["_t"].to_numpy(), d["_u"].to_numpy()

    def stat(c: np.ndarray) -> float:
        d["_post"] = _adopted(c[u], t).astype(float)
        fit = fit_hdfe(d, outcome, ["_post", *controls], ["_g", "_t"], cluster="_u",
                       offset=d["_off"].to_numpy())
        return float(fit.params[fit.index("_post")])

    rng = np.random.default_rng(seed)
    obs = stat(dates)
    draws = np.array([stat(rng.permutation(dates)) for _ in range(n_perm)])
    return RandomizationResult(obs, draws, _ri_p(draws, obs), int(n_perm), assign, len(units),
                               "static_post")


def wild_bootstrap(panel: pd.DataFrame, outcome: str, term: str, *, exposure: Any = "person_hours",
                   group: str = "group_id", time: str = "month", cluster: str = "unit_id",
                   reps: int = 9999, seed: int = 0) -> dict:
    """Wild cluster bootstrap-t (Webb weights) of a linear FE model of the rate.

    Parameters
    ----------
    panel : pandas.DataFrame
        Group × month panel.
    outcome : str
        Count column; the model's outcome is its rate per million hours.
    term : str
        0/1 or numeric predictor to test (e.g. ``area_adopted``).
    exposure, group, time : str
        Exposure, group and month columns (group and month effects absorbed).
    cluster : str
        Cluster column (the level of assignment).
    reps : int
        Bootstrap replications.
    seed : int
        Seed.

    Returns
    -------
    dict
        ``estimate`` (change in events per million hours), ``t`` (CRV1
        t-statistic), ``p`` (wild-bootstrap p-value, two-sided, null imposed),
        ``p_analytic`` (CRV1 with t(G−1)), ``n_clusters``, ``reps``, ``weights``.

    Notes
    -----
    A linear model of the rate, unweighted: a different (additive) scale from
    the Poisson IRR; the two answer the same "is there any effect" question.
    Webb's six-point weights give more distinct bootstrap samples than
    Rademacher's two points when G is small (2^10 = 1,024 for ten areas).

    References
    ----------
    Webb, M. D. (2023). Reworking wild bootstrap-based inference for clustered
    errors. *Canadian Journal of Economics*, 56, 839–858.
    Roodman, D., MacKinnon, J. G., Nielsen, M. Ø., & Webb, M. D. (2019). Fast
    and wild. *Stata Journal*, 19, 4–60.
    """
    import pyfixest as pf

    for c in (outcome, term, group, time, cluster):
        if c not in panel.columns:
            raise DataError([problem("column_not_in_panel", "panel", name=c)])
    if not isinstance(reps, (int, np.integer)) or reps < 99:
        raise ParameterError(f"reps must be an integer ≥ 99, got {reps!r}")
    e = exposure_values(panel, exposure)
    d = panel[[outcome, term, group, time, cluster]].copy()
    d["_rate"] = d[outcome] / e * 1e6
    d["_t"] = month_number(d[time])
    d = d.replace([np.inf, -np.inf], np.nan).dropna()
    n_cl = int(cluster_codes(d, cluster).max() + 1)
    # wildboottest's numba kernels need numeric cluster ids (pandas 3 string columns fail)
    for c in dict.fromkeys((cluster, group)):
        d[c] = pd.factorize(d[c])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.feols(f"_rate ~ {term} | {group} + _t", data=d, vcov={"CRV1": cluster})
        if d.groupby(group)[cluster].nunique().max() == 1:
            p = _wcr_nested(d, "_rate", term, group, "_t", cluster, int(reps), int(seed))
        else:
            p = float(fit.wildboottest(param=term, reps=int(reps), cluster=cluster,
                                       weights_type="webb", seed=int(seed))["Pr(>|t|)"])
    return {"estimate": float(fit.coef()[term]), "t": float(fit.tstat()[term]),
            "p": p, "p_analytic": float(fit.pvalue()[term]),
            "n_clusters": n_cl, "reps": int(reps), "weights": "webb"}


def _wcr_nested(d: pd.DataFrame, y: str, term: str, group: str, time: str, cluster: str,
                reps: int, seed: int) -> float:
    """WCR bootstrap p-value (Webb) with the group effects projected out.

    The groups are nested in the clusters, so demeaning by group commutes with
    the cluster-constant bootstrap weights: regressing the group-demeaned
    outcome on the group-demeaned term and month dummies gives the same
    bootstrap t-statistics as the full dummy design up to one common factor,
    hence the same p-value (Roodman et al. 2019, §3.4) — without a rows × groups
    dummy matrix (69,600 × 1,220 at 20 × the demo).
    """
    from wildboottest.wildboottest import WildboottestCL

    g = pd.factorize(d[group])[0]
    t = pd.factorize(d[time], sort=True)[0]
    X = np.zeros((len(d), t.max() + 1))
    X[np.arange(len(d)), t] = 1.0
    X = np.column_stack([d[term].to_numpy(dtype=float), X[:, 1:]])
    Y = d[y].to_numpy(dtype=float)
    n = np.bincount(g)
    X = X - (np.stack([np.bincount(g, weights=c) for c in X.T], axis=1) / n[:, None])[g]
    Y = Y - (np.bincount(g, weights=Y) / n)[g]
    R = np.zeros(X.shape[1])
    R[0] = 1.0
    boot = WildboottestCL(X=X, Y=Y, cluster=d[cluster].to_numpy(), R=R, B=reps, seed=seed,
                          parallel=False)
    boot.get_scores(bootstrap_type="11", impose_null=True, adj=True, cluster_adj=True)
    boot.get_weights(weights_type="webb")
    boot.get_numer()
    boot.get_denom()
    boot.get_tboot()
    boot.get_vcov()
    boot.get_tstat()
    boot.get_pvalue(pval_type="two-tailed")
    return float(np.asarray(boot.pvalue))
