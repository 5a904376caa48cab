"""High-dimensional fixed-effects models through pyfixest (Poisson and linear).

Why pyfixest: it absorbs any number of fixed effects by alternating
projections instead of building dummy columns (a 348,000-row group + month
Poisson model fits in well under a second and in little memory), takes an
exposure offset, clusters by any column (one- and two-way CRV1) and follows
R fixest's small-sample conventions, so results can be checked against fixest
and Stata's ``ppmlhdfe``. It is maintained and tested against fixest. Its
Rust demeaning backend is used: no numba compilation on first call (which
takes 15–35 s on a busy machine).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from grouplab.data.problems import problem
from grouplab.errors import DataError
from grouplab.models.design import cluster_columns

__all__ = ["HdfeFit", "fit_hdfe", "jackknife"]


@dataclass(frozen=True)
class HdfeFit:
    """Coefficients and covariance of one fixed-effects fit (predictor terms only).

    Attributes
    ----------
    names : list of str
        Predictor terms, in the order of ``params``.
    params, cov : numpy.ndarray
        Coefficients (log-rate for Poisson) and their cluster-robust covariance.
    n : int
        Rows used (after dropping fixed-effect levels without any event).
    n_clusters : int
        Number of clusters (the smaller one for two-way clustering).
    cluster : str
        The cluster column(s), e.g. ``"work_area_id"``.
    df_t : float
        Degrees of freedom of the t reference (G − 1), the fixest convention
        for clustered inference.
    dropped : int
        Rows dropped because their fixed-effect level has no event (Poisson).
    extra : dict
        Poisson: ``alpha_nb`` — the NB2 overdispersion α of Var(y) = μ + αμ²
        estimated from the fit by the Cameron–Trivedi (1990) auxiliary
        regression α̂ = Σ[(y − μ)² − y] / Σμ² (0 = Poisson variance).
    """

    names: list[str]
    params: np.ndarray
    cov: np.ndarray
    n: int
    n_clusters: int
    cluster: str
    df_t: float
    dropped: int = 0
    extra: dict = field(default_factory=dict)

    def se(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov))

    def index(self, name: str) -> int:
        return self.names.index(name)

    def reclustered(self, cluster: str | Sequence[str]) -> HdfeFit:
        """The same fit with the covariance of another cluster level given in ``also=``."""
        key = "+".join(cluster_columns(cluster))
        if key == self.cluster:
            return self
        cov, g = self.extra["reclustered"][key]
        return replace(self, cov=cov, n_clusters=g, cluster=key, df_t=float(g - 1))


def _formula(outcome: str, terms: Sequence[str], absorb: Sequence[str]) -> str:
    rhs = " + ".join(terms)
    return f"{outcome} ~ {rhs}" + (f" | {' + '.join(absorb)}" if absorb else "")


def fit_hdfe(data: pd.DataFrame, outcome: str, terms: Sequence[str], absorb: Sequence[str], *,
             cluster: str | Sequence[str], offset: np.ndarray | None = None,
             model: str = "poisson", required: Sequence[str] | None = None,
             also: Sequence[str] = ()) -> HdfeFit:
    """Fit ``outcome ~ terms | absorb`` by pyfixest with CRV1 clustering.

    Parameters
    ----------
    data : pandas.DataFrame
        Complete rows only (the caller drops missing values first).
    outcome : str
        Count (Poisson) or continuous (linear) outcome column.
    terms : list of str
        Predictor columns (plain names; build dummies before calling).
    absorb : list of str
        Fixed-effect columns.
    cluster : str or list of str
        One column, or two for two-way clustering.
    offset : numpy.ndarray, optional
        log(exposure) for Poisson.
    model : {"poisson", "linear"}
    required : list of str, optional
        Terms that must be estimable (default: all ``terms``); others (e.g.
        nuisance event-time dummies) may be dropped by the engine as collinear.
    also : list of str
        Further cluster specifications (``"col"`` or ``"a+b"``) whose CRV1
        covariance is computed from the same fit (no refit); read them with
        :meth:`HdfeFit.reclustered`.

    Returns
    -------
    HdfeFit

    Raises
    ------
    DataError
        Outcome zero everywhere, or a predictor collinear with the fixed effects.

    Notes
    -----
    Poisson: rows of a fixed-effect level without any event are dropped before
    the fit (their effect is −∞; pyfixest's "fe" separation check, done here with
    integer codes because pandas' crosstab costs seconds at 350,000 rows).
    Fixed-effect and cluster columns are passed as integer codes.
    """
    import pyfixest as pf

    cl = cluster_columns(cluster)
    more = [cluster_columns(a) for a in also]
    d = _engine_frame(data, outcome, terms, absorb, [*cl, *(c for a in more for c in a)], offset)
    if model == "poisson" and float(d[outcome].sum()) == 0:
        raise DataError([problem("outcome_all_zero_panel", "panel", outcome=outcome)])
    n_all = len(d)
    if model == "poisson":
        d = d[~_separated(d, outcome, absorb)]
    # one BLAS thread: the engine's products are tall and thin (rows × a few dozen terms), where
    # threads gain nothing, and OpenBLAS's spinning threads cost 2-3x CPU on a shared machine
    with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
        warnings.simplefilter("ignore")  # pyfixest's notes on dropped singletons/separation
        fml, vcov = _formula(outcome, terms, absorb), {"CRV1": "+".join(cl)}
        if model == "poisson":
            fit = pf.fepois(fml, data=d, vcov=vcov, offset="_gl_off", demeaner_backend="rust",
                            separation_check=[], store_data=bool(more), copy_data=False)
        else:
            fit = pf.feols(fml, data=d, vcov=vcov, demeaner_backend="rust",
                           store_data=bool(more), copy_data=False)
        names = list(fit.coef().index)
        missing = [t for t in (terms if required is None else required) if t not in names]
        if missing:
            raise DataError([problem("collinear_with_fe", "panel", names=", ".join(missing))])
        first = _cov(fit, cl)
        other = {"+".join(a): _cov(fit.vcov({"CRV1": "+".join(a)}), a) for a in more}
    extra = {"alpha_nb": _alpha_nb(fit)} if model == "poisson" else {}
    if other:
        extra["reclustered"] = other
    n = int(fit._N)
    return HdfeFit(names, fit.coef().to_numpy(dtype=float), first[0], n, first[1],
                   "+".join(cl), float(first[1] - 1), n_all - n, extra)


def _engine_frame(data: pd.DataFrame, outcome: str, terms: Sequence[str], absorb: Sequence[str],
                  clusters: Sequence[str], offset: np.ndarray | None) -> pd.DataFrame:
    """The columns the engine needs, fixed effects and clusters as integer codes."""
    d = pd.DataFrame({c: data[c].to_numpy() for c in dict.fromkeys([outcome, *terms])},
                     index=pd.RangeIndex(len(data)))
    for c in dict.fromkeys([*absorb, *clusters]):
        d[c] = pd.factorize(data[c])[0]
    d["_gl_off"] = 0.0 if offset is None else np.asarray(offset, dtype=float)
    return d


def _separated(d: pd.DataFrame, outcome: str, absorb: Sequence[str]) -> np.ndarray:
    """Rows in a level of any fixed effect whose outcome is 0 throughout (one pass, as pyfixest)."""
    pos = d[outcome].to_numpy() > 0
    out = np.zeros(len(d), dtype=bool)
    for c in absorb:
        codes = d[c].to_numpy()
        out |= np.bincount(codes, weights=pos)[codes] == 0
    return out


def _cov(fit, cl: Sequence[str]) -> tuple[np.ndarray, int]:
    """The fit's covariance and its (smallest) number of clusters."""
    g = getattr(fit, "_G", None)
    return np.asarray(fit._vcov, dtype=float), int(min(int(g[i]) for i in range(len(cl))))


def _alpha_nb(fit) -> float:
    """NB2 α from the Poisson fit: regress ((y − μ)² − y)/μ on μ without intercept."""
    mu = np.ravel(fit._Y_hat_response).astype(float)
    y = np.ravel(fit._u_hat_response).astype(float) + mu
    return float(np.sum((y - mu) ** 2 - y) / np.sum(mu ** 2))


def jackknife(fit: HdfeFit, data: pd.DataFrame, outcome: str, terms: Sequence[str],
              absorb: Sequence[str], *, cluster: Sequence[str], required: Sequence[str] | None,
              offset: np.ndarray | None = None) -> HdfeFit:
    """``fit`` with the leave-one-cluster-out jackknife covariance (CV3) instead of CRV1.

    Parameters
    ----------
    fit : HdfeFit
        The full-sample fit of ``outcome ~ terms | absorb`` on ``data``.
    data, outcome, terms, absorb, offset
        As passed to :func:`fit_hdfe` for ``fit``.
    cluster : list of str
        One cluster column (the first is used).
    required : list of str, optional
        As :func:`fit_hdfe`.

    Returns
    -------
    HdfeFit
        ``fit`` with ``cov`` = (G − 1)/G · Σ_g (β̂₍g₎ − β̄)(β̂₍g₎ − β̄)′ over the G refits
        without cluster g and ``extra["vcov"] = "CV3"``; ``fit`` unchanged (CRV1) when a
        refit cannot estimate every term of ``fit``.

    Notes
    -----
    With few clusters CRV1 is biased downward and its tests over-reject; the
    jackknife is not biased downward and, referred to t(G − 1), keeps much closer
    to nominal size (MacKinnon, Nielsen & Webb 2023). It costs G refits.

    References
    ----------
    MacKinnon, J. G., Nielsen, M. Ø., & Webb, M. D. (2023). Cluster-robust inference:
    a guide to empirical practice. *J Econometrics*, 232, 272–299.
    """
    codes = pd.factorize(data[cluster_columns(cluster)[0]])[0]
    off = None if offset is None else np.asarray(offset, dtype=float)
    betas = []
    for g in range(codes.max() + 1):
        keep = codes != g
        try:
            f = fit_hdfe(data[keep], outcome, terms, absorb, cluster=cluster, required=required,
                         offset=None if off is None else off[keep])
        except DataError:
            return fit
        if not set(fit.names) <= set(f.names):
            return fit
        betas.append(f.params[[f.index(n) for n in fit.names]])
    D = np.asarray(betas) - np.mean(betas, axis=0)
    G = len(D)
    return replace(fit, cov=(G - 1) / G * D.T @ D, extra={**fit.extra, "vcov": "CV3"})
