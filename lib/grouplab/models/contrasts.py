"""Contrasts of fitted event-time coefficients: bins, the pooled post effect, the pre-trend test.

Each takes weight vectors over an :class:`~grouplab.models.hdfe.HdfeFit`'s
coefficients (one per event-time bin) and the fit's clustered covariance;
tests refer to t(G − 1) with G clusters.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import optimize, stats

from grouplab.data.problems import problem
from grouplab.errors import DataError
from grouplab.models.design import ratio_interval
from grouplab.models.hdfe import HdfeFit

__all__ = ["wald", "t_reference", "pooled_effect", "pretrend_test"]


def wald(w: np.ndarray, fit: HdfeFit) -> tuple[float, float]:
    """Estimate w′β and its standard error √(w′Vw)."""
    return float(w @ fit.params), float(np.sqrt(w @ fit.cov @ w))


def t_reference(fit: HdfeFit, alpha: float) -> tuple[float, Any]:
    """Critical value and reference: t(G − 1) for clustered SEs (fixest, Stata; Cameron & Miller 2015)."""
    ref = stats.t(fit.df_t) if np.isfinite(fit.df_t) and fit.df_t >= 1 else stats.norm()
    return float(ref.ppf(1 - alpha / 2)), ref


def pooled_effect(W: dict[int, np.ndarray], fit: HdfeFit, *, alpha: float) -> dict:
    """Average of the post-bin coefficients (bins ≥ 0) against the reference, with its CI.

    Returns
    -------
    dict
        ``estimate`` (log-rate), ``se`` (delta method, w′Vw, covariances of the
        bins included), ``irr``, ``ci_low``, ``ci_high``, ``p`` (t with G − 1
        degrees of freedom, G clusters), ``bins`` (number averaged), ``df``
        (G − 1).
    """
    post = [k for k in W if k >= 0]
    if not post:
        raise DataError([problem("no_post_bins", "panel")])
    w = sum(W[k] for k in post) / len(post)
    b, s = wald(w, fit)
    z, ref = t_reference(fit, alpha)
    irr, lo, hi = (float(v) for v in ratio_interval(b, s, z))
    return {"estimate": b, "se": s, "irr": irr, "ci_low": lo,
            "ci_high": hi, "p": float(2 * ref.sf(abs(b / s))),
            "bins": len(post), "df": fit.df_t}


def pretrend_test(W: dict[int, np.ndarray], fit: HdfeFit, ref: int, *, alpha: float = 0.05,
                  power: float = 0.8) -> dict:
    """Joint Wald test that every lead is 0, and the linear pre-trend it could detect.

    Returns
    -------
    dict
        ``chi2`` (Wald statistic), ``df`` (number of leads q), ``df_denom``
        (G − 1), ``p`` (from F = χ²/q on (q, G − 1) degrees of freedom, the
        few-cluster reference fixest uses) and ``mde_slope``: the slope δ
        (log-rate per bin) of a linear pre-trend, leads = δ·(k − ref), that the
        test rejects with probability ``power`` — found from the noncentral F
        with noncentrality δ²·v′V⁻¹v (v = k − ref); ``mde_irr_per_bin`` =
        exp(δ); ``power`` (the target). A small p says the leads are not all
        0; a large p says nothing unless ``mde_slope`` is small (Roth 2022).
    """
    leads = sorted(k for k in W if k < 0)
    if not leads:
        return {"chi2": np.nan, "df": 0, "df_denom": fit.df_t, "p": np.nan,
                "mde_slope": np.nan, "mde_irr_per_bin": np.nan, "power": power}
    R = np.vstack([W[k] for k in leads])
    b = R @ fit.params
    V = R @ fit.cov @ R.T
    chi2 = float(b @ np.linalg.solve(V, b))
    q, d2 = len(leads), max(fit.df_t, 1.0)
    crit = stats.f.ppf(1 - alpha, q, d2)
    lam = optimize.brentq(lambda nc: stats.ncf.sf(crit, q, d2, nc) - power, 1e-6, 1e5)
    v = np.array(leads, dtype=float) - ref
    delta = float(np.sqrt(lam / (v @ np.linalg.solve(V, v))))
    return {"chi2": chi2, "df": q, "df_denom": d2, "p": float(stats.f.sf(chi2 / q, q, d2)),
            "mde_slope": delta, "mde_irr_per_bin": float(np.exp(delta)), "power": power}
