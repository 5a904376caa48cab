"""Confirmatory factor analysis (验证性因子分析) with reliability and validity, and Harman's test.

Estimation is :mod:`semopy` (maximum likelihood; it reproduces lavaan's
estimates on the Holzinger–Swineford model). The fit statistics are
computed here from semopy's implied covariance Σ̂ and the sample covariance
S (divisor N) with lavaan's formulas, so that χ², CFI, TLI, RMSEA (with its
90 % interval), SRMR, AIC and BIC read as ``lavaan::fitMeasures`` prints them.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError
from grouplab.measures.survey.analysis.inputs import WHERE, check_choice, check_not_singular, numeric
from grouplab.measures.survey.scales import as_spec, keyed_items

__all__ = ["cfa", "CFAResult", "harman_test", "FIT_COLUMNS"]

FIT_COLUMNS = ["n_obs", "chi2", "df", "p", "chi2_df", "cfi", "tli", "rmsea", "rmsea_low", "rmsea_high",
               "srmr", "aic", "bic", "n_params", "converged", "reason"]


@dataclass(frozen=True)
class CFAResult:
    """Result of :func:`cfa`.

    Attributes
    ----------
    fit : DataFrame
        One row, columns :data:`FIT_COLUMNS`: ``n_obs``, ``chi2``, ``df``,
        ``p``, ``chi2_df``, ``cfi``, ``tli``, ``rmsea``, ``rmsea_low`` and
        ``rmsea_high`` (90 % CI), ``srmr`` (Bentler), ``aic``, ``bic``,
        ``n_params``, ``converged`` and ``reason`` (why the solution is doubtful).
    loadings : DataFrame
        One row per item: ``factor``, ``item``, ``estimate`` (unstandardised;
        the first item of each factor is fixed at 1), ``se``, ``z``, ``p``
        (NaN for the fixed marker), ``std`` (standardised loading, lavaan's
        ``std.all``).
    reliability : DataFrame
        One row per factor: ``factor``, ``n_items``, ``cr`` (composite
        reliability), ``ave`` (average variance extracted), ``sqrt_ave``.
    htmt : DataFrame
        One row per pair of factors: ``factor1``, ``factor2``, ``htmt``,
        ``r`` (the latent correlation).
    """

    fit: pd.DataFrame
    loadings: pd.DataFrame
    reliability: pd.DataFrame
    htmt: pd.DataFrame


def _model(spec: Mapping[str, Any], responses: pd.DataFrame) -> tuple[dict[str, list[str]], np.ndarray]:
    """Factor → items and the keyed item matrix (questionnaire spec, or a plain {factor: items})."""
    if "scales" in spec:
        spec = as_spec(spec)
        X, items, cols = keyed_items(responses, spec)
        return {f: [items[i] for i in c] for f, c in cols.items()}, X
    model = {str(f): [str(i) for i in its] for f, its in spec.items()}
    items = [i for its in model.values() for i in its]
    return model, numeric(responses, items, what="item")


def _check(model: dict[str, list[str]], X: np.ndarray) -> np.ndarray:
    short = [f for f, its in model.items() if len(its) < 2]
    if not model or short:
        raise ParameterError("each factor needs at least two items" + (f" ({', '.join(short)})" if short
                                                                       else ""))
    X = X[~np.isnan(X).any(axis=1)]
    items = [i for its in model.values() for i in its]
    if len(X) < len(items) + 2:
        raise DataError([problem("too_few_rows_cfa", WHERE, n=len(X), k=len(items))])
    flat = [i for i, s in zip(items, X.std(axis=0)) if not s > 0]
    if flat:
        raise DataError([problem("constant_item", WHERE, None, i) for i in flat])
    check_not_singular(np.corrcoef(X, rowvar=False), items, method="a maximum-likelihood CFA")
    return X


def _rmsea_ci(chi2: float, df: float, n: int) -> tuple[float, float]:
    """90 % CI of RMSEA from the noncentral χ² (Browne & Cudeck 1993; lavaan's search)."""
    def bound(target):
        f = lambda lam: stats.ncx2.cdf(chi2, df, lam) - target  # noqa: E731
        if f(0.0) < 0:
            return 0.0
        hi = max(chi2, 1.0)
        while f(hi) > 0:
            hi *= 2
        return optimize.brentq(f, 0.0, hi)

    return tuple(float(np.sqrt(bound(t) / (n * df))) for t in (0.95, 0.05))


def _fit_stats(S: np.ndarray, Sigma: np.ndarray, n: int, k: int) -> dict[str, float]:
    p = len(S)
    _, ld_sigma = np.linalg.slogdet(Sigma)
    _, ld_s = np.linalg.slogdet(S)
    chi2 = n * (ld_sigma + np.trace(S @ np.linalg.inv(Sigma)) - ld_s - p)
    df = p * (p + 1) / 2 - k
    chi2_0 = n * (np.sum(np.log(np.diag(S))) - ld_s)
    df0 = p * (p - 1) / 2
    cfi = 1 - max(chi2 - df, 0) / max(chi2 - df, chi2_0 - df0, 0)
    tli = ((chi2_0 / df0) - (chi2 / df)) / ((chi2_0 / df0) - 1)
    rmsea = np.sqrt(max(chi2 - df, 0) / (df * n))
    d = np.sqrt(np.diag(S))
    res = (S - Sigma) / np.outer(d, d)
    srmr = float(np.sqrt(np.mean(res[np.tril_indices(p)] ** 2)))
    loglik = -n / 2 * (p * np.log(2 * np.pi) + ld_sigma + np.trace(S @ np.linalg.inv(Sigma)))
    lo, hi = _rmsea_ci(chi2, df, n) if df > 0 else (np.nan, np.nan)
    return {"n_obs": n, "chi2": chi2, "df": df, "p": float(stats.chi2.sf(chi2, df)) if df > 0 else np.nan,
            "chi2_df": chi2 / df if df > 0 else np.nan, "cfi": cfi, "tli": tli, "rmsea": rmsea,
            "rmsea_low": lo, "rmsea_high": hi, "srmr": srmr, "aic": -2 * loglik + 2 * k,
            "bic": -2 * loglik + k * np.log(n), "n_params": k}


class _NoGraphvizNotice(logging.Filter):
    """Drop semopy's import-time "No graphviz package found" record (graphviz only draws its path
    diagrams, which grouplab never uses). semopy logs it on the root logger, which pyfixest sets to
    INFO at import, so without this it lands in every survey-study report."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("No graphviz package found")


_QUIET = _NoGraphvizNotice()


def _semopy_fit(model: dict[str, list[str]], X: np.ndarray, estimator: str):
    logging.getLogger().addFilter(_QUIET)  # same object: added once
    import semopy

    items = [i for its in model.values() for i in its]
    data = pd.DataFrame(X, columns=items)
    desc = "\n".join(f"{f} =~ {' + '.join(its)}" for f, its in model.items())
    m = semopy.Model(desc)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # tight tolerance: semopy's default SLSQP stop leaves loadings ~0.002 from lavaan's optimum
        res = m.fit(data, obj="MLW", solver="SLSQP", options={"ftol": 1e-12, "maxiter": 1000})
    return m, res, items


def _loadings(m, model, Sigma, items) -> pd.DataFrame:
    ins = m.inspect()
    lam = ins[ins["op"] == "~"]
    var = ins[(ins["op"] == "~~") & (ins["lval"] == ins["rval"])].set_index("lval")["Estimate"]
    rows = []
    for f, its in model.items():
        for i in its:
            r = lam[(lam["lval"] == i) & (lam["rval"] == f)].iloc[0]
            num = lambda v: pd.to_numeric(v, errors="coerce")  # noqa: E731  '-' for fixed
            est = float(r["Estimate"])
            rows.append({"factor": f, "item": i, "estimate": est, "se": num(r["Std. Err"]),
                         "z": num(r["z-value"]), "p": num(r["p-value"]),
                         "std": est * np.sqrt(float(var[f])) / np.sqrt(Sigma[items.index(i),
                                                                                items.index(i)])})
    return pd.DataFrame(rows)


def _validity(loadings: pd.DataFrame, R: np.ndarray, items: list[str], m) -> tuple[pd.DataFrame,
                                                                                    pd.DataFrame]:
    rel = []
    for f, g in loadings.groupby("factor", sort=False):
        lam = g["std"].to_numpy()
        cr = lam.sum() ** 2 / (lam.sum() ** 2 + np.sum(1 - lam**2))
        ave = float(np.mean(lam**2))
        rel.append({"factor": f, "n_items": len(lam), "cr": cr, "ave": ave, "sqrt_ave": np.sqrt(ave)})
    ins = m.inspect()
    cov = ins[ins["op"] == "~~"].set_index(["lval", "rval"])["Estimate"]
    factors = list(dict.fromkeys(loadings["factor"]))
    idx = {f: [items.index(i) for i in loadings.loc[loadings["factor"] == f, "item"]] for f in factors}
    A = np.abs(R)

    def mono(f):
        sub = A[np.ix_(idx[f], idx[f])]
        return sub[np.triu_indices(len(sub), 1)].mean()

    pairs = []
    for a in range(len(factors)):
        for b in range(a + 1, len(factors)):
            fa, fb = factors[a], factors[b]
            het = A[np.ix_(idx[fa], idx[fb])].mean()
            c = cov.get((fa, fb), cov.get((fb, fa), np.nan))
            r = float(c) / np.sqrt(float(cov[(fa, fa)]) * float(cov[(fb, fb)]))
            pairs.append({"factor1": fa, "factor2": fb, "htmt": het / np.sqrt(mono(fa) * mono(fb)), "r": r})
    return pd.DataFrame(rel), pd.DataFrame(pairs, columns=["factor1", "factor2", "htmt", "r"])


def cfa(responses: pd.DataFrame, spec: Mapping[str, Any], *, estimator: str = "ML") -> CFAResult:
    """Confirmatory factor analysis of a measurement model, with CR, AVE and HTMT.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent with the items (numbers). Rows with any missing
        item are left out (listwise).
    spec : mapping
        A questionnaire spec (its ``scales`` become the factors; reverse-keyed
        items are recoded ``lo + hi − x`` first) or a plain mapping
        ``{factor: [items]}`` of already keyed items.
    estimator : {"ML"}
        Maximum likelihood (normal theory), as lavaan's default.

    Returns
    -------
    CFAResult
        ``fit`` (one row: χ², df, p, χ²/df, CFI, TLI, RMSEA with 90 % CI,
        SRMR, AIC, BIC, converged, reason), ``loadings`` (factor, item,
        estimate, se, z, p, std), ``reliability`` (factor, n_items, cr, ave,
        sqrt_ave), ``htmt`` (factor1, factor2, htmt, r).

    Raises
    ------
    DataError
        A missing, non-numeric or constant item, or too few complete rows.
    ParameterError
        A factor with fewer than two items, or an unknown estimator.

    Notes
    -----
    Each factor is identified by fixing its first loading to 1; factors
    correlate freely. With S the sample covariance (divisor N) and Σ̂ the
    implied one: χ² = N (log|Σ̂| + tr(SΣ̂⁻¹) − log|S| − p); the baseline
    model is diag(S); CFI = 1 − max(χ² − df, 0)/max(χ² − df, χ²₀ − df₀, 0);
    TLI = (χ²₀/df₀ − χ²/df)/(χ²₀/df₀ − 1); RMSEA = √(max(χ² − df, 0)/(df N));
    SRMR = √(mean over i ≤ j of ((s_ij − σ̂_ij)/√(s_ii s_jj))²); AIC/BIC from
    the normal log-likelihood with the free parameters of the covariance
    model. CR = (Σλ)²/((Σλ)² + Σ(1 − λ²)) and AVE = mean λ² of standardised
    loadings (Fornell & Larcker 1981); HTMT = mean ``|r|`` between the items of
    two factors / √(product of the mean ``|r|`` within each) (Henseler et al.
    2015; semTools ``htmt``). The χ² test assumes multivariate normal,
    continuous items; 5-point answers only approximate that. Fit says the
    model is consistent with the covariances, not that it is the true one.
    """
    check_choice(estimator, ("ML",), name="estimator")
    model, X = _model(spec, responses)
    X = _check(model, X)
    m, res, items = _semopy_fit(model, X, estimator)
    n = len(X)
    S = np.cov(X, rowvar=False, ddof=0)
    Sigma = m.calc_sigma()[0]
    k = int(len(m.param_vals))
    fit = _fit_stats(S, Sigma, n, k)
    loadings = _loadings(m, model, Sigma, items)
    reasons = []
    if not getattr(res, "success", True):
        reasons.append("the optimiser did not converge")
    if (np.abs(loadings["std"]) > 1).any():
        reasons.append("a standardised loading above 1 (Heywood case): the solution is improper")
    fit.update(converged=not reasons or reasons[0] != "the optimiser did not converge",
               reason="; ".join(reasons))
    rel, htmt = _validity(loadings, np.corrcoef(X, rowvar=False), items, m)
    return CFAResult(pd.DataFrame([fit])[FIT_COLUMNS], loadings, rel, htmt)


def harman_test(responses: pd.DataFrame, items: Sequence[str] | Mapping[str, Sequence[str]], *,
                threshold: float = 0.4) -> pd.DataFrame:
    """Harman's single-factor test of common-method variance, with a one-factor CFA comparison.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent with the items (keyed; rows with a missing item
        are left out).
    items : sequence of str, or mapping {factor: items}
        The items; given as a mapping, the one-factor CFA is compared with
        this multi-factor model.
    threshold : float, default 0.4
        Share of variance of the first factor above which common-method
        variance is flagged (40 % as SPSSAU and most Chinese journals; some
        authors use 50 %).

    Returns
    -------
    DataFrame
        One row: ``n_obs``, ``n_items``, ``first_eigenvalue`` (largest
        eigenvalue of the item correlation matrix), ``first_share`` (it / number
        of items: the variance share of the first unrotated principal
        component), ``threshold``, ``flag`` (first_share > threshold);
        ``one_chi2``, ``one_df``, ``one_cfi``, ``one_rmsea`` (one-factor CFA);
        ``model_chi2``, ``model_df``, ``model_cfi``, ``model_rmsea``,
        ``delta_chi2``, ``delta_df``, ``delta_p`` (χ² difference test of the
        nested models; NaN without a mapping).

    Notes
    -----
    Podsakoff et al. (2003) explain why this test is weak: a first factor
    under the threshold does not show that method variance is absent. The
    χ² difference assumes ML estimation of nested models on the same rows.
    """
    model = ({str(f): list(v) for f, v in items.items()} if isinstance(items, Mapping) else None)
    flat = [i for v in model.values() for i in v] if model else list(items)
    if not 0 < float(threshold) < 1:
        raise ParameterError(f"threshold={threshold!r}: a share between 0 and 1")
    X = _check({"common": flat}, numeric(responses, flat, what="item"))
    ev = np.sort(np.linalg.eigvalsh(np.corrcoef(X, rowvar=False)))[::-1]
    data = pd.DataFrame(X, columns=flat)
    one = cfa(data, {"common": flat}).fit.iloc[0]
    out = {"n_obs": len(X), "n_items": len(flat), "first_eigenvalue": ev[0], "first_share": ev[0] / len(flat),
           "threshold": float(threshold), "flag": bool(ev[0] / len(flat) > threshold),
           "one_chi2": one["chi2"], "one_df": one["df"], "one_cfi": one["cfi"], "one_rmsea": one["rmsea"]}
    full = cfa(data, model).fit.iloc[0] if model and len(model) > 1 else None
    for c in ("chi2", "df", "cfi", "rmsea"):
        out[f"model_{c}"] = full[c] if full is not None else np.nan
    out["delta_chi2"] = out["one_chi2"] - out["model_chi2"]
    out["delta_df"] = out["one_df"] - out["model_df"]
    out["delta_p"] = (float(stats.chi2.sf(out["delta_chi2"], out["delta_df"]))
                      if full is not None else np.nan)
    return pd.DataFrame([out])
