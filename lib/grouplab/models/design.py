"""Shared design helpers of the study models: columns, exposure, clusters, months, tidy output.

Public so every model module uses one definition (no module reaches into
another's private names). :func:`month_number` is the models' single month
numbering; it can be redirected to ``grouplab.data.periods`` once that exists.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from grouplab.data.periods import month_index
from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError

__all__ = ["TIDY_COLUMNS", "FEW_CLUSTERS", "StatisticalWarning", "formula_columns",
           "check_formula", "exposure_values", "cluster_codes", "cluster_columns",
           "warn_few_clusters", "month_number", "tidy_arrays", "check_alpha", "check_family",
           "ratio_interval"]

#: Columns of every tidy coefficient table of :mod:`grouplab.models`.
TIDY_COLUMNS = ["term", "estimate", "se", "irr", "ci_low", "ci_high", "p"]

#: Below this many clusters, cluster-robust SEs with normal/t critical values
#: over-reject (Cameron & Miller 2015 put "few" anywhere below 20–50).
FEW_CLUSTERS = 40

_NOT_COLUMNS = {"np", "True", "False", "None", "C", "I", "Q"}
_STRING = re.compile(r"""(['"])(?:\\.|(?!\1).)*\1""")
_NAME = re.compile(r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)(?![\w.])")


class StatisticalWarning(UserWarning):
    """A caveat about an estimate (few clusters, low power) that does not stop the computation."""


def check_alpha(alpha: Any) -> float:
    """``alpha`` as a float in (0, 1), else :class:`ParameterError`."""
    if not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise ParameterError(f"alpha must be in (0, 1), got {alpha!r}")
    return float(alpha)


def check_family(family: Any, allowed: Sequence[str] = ("poisson", "negbin")) -> str:
    """``family`` if it is one of ``allowed``, else :class:`ParameterError`."""
    if family not in allowed:
        raise ParameterError(f"family must be one of {tuple(allowed)}, got {family!r}")
    return str(family)


def formula_columns(formula: str) -> list[str]:
    """Names in ``formula`` that must be data columns (functions and keywords skipped)."""
    text = _STRING.sub("''", formula)
    out = []
    for m in _NAME.finditer(text):
        rest = text[m.end():].lstrip()
        if rest.startswith("(") or (rest.startswith("=") and not rest.startswith("==")):
            continue  # a function call or a keyword argument
        name = m.group(1)
        if name not in _NOT_COLUMNS and name not in out:
            out.append(name)
    return out


def check_formula(data: Any, formula: Any) -> list[str]:
    """Columns ``formula`` needs; ParameterError for a bad formula, DataError for missing columns."""
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    if not isinstance(formula, str) or "~" not in formula:
        raise ParameterError(f"formula must be a string like 'y ~ x', got {formula!r}")
    cols = formula_columns(formula)
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise DataError([problem("formula_columns_missing", "data", formula=formula, names=", ".join(missing),
                                 available=", ".join(map(str, data.columns[:40])))])
    return cols


def exposure_values(data: pd.DataFrame, exposure: Any) -> np.ndarray:
    """Exposure as floats (NaN kept): a column name or one value per row."""
    if isinstance(exposure, str):
        if exposure not in data.columns:
            raise DataError([problem("exposure_column_missing", "data", name=exposure)])
        return pd.to_numeric(data[exposure], errors="coerce").to_numpy(dtype=float,
                                                                       na_value=np.nan)
    e = np.asarray(exposure, dtype=float)
    if e.shape != (len(data),):
        raise ParameterError(f"exposure has {e.size} values for {len(data)} rows")
    return e


def cluster_columns(cluster: str | Sequence[str] | None) -> list[str]:
    """``"area"`` → ``["area"]``; ``"area+month"`` or ``["area", "month"]`` → two-way."""
    if cluster is None:
        return []
    if isinstance(cluster, str):
        return [c.strip() for c in cluster.split("+") if c.strip()]
    return list(cluster)


def cluster_codes(data: pd.DataFrame, cluster: str) -> np.ndarray:
    """Integer codes of a cluster column (−1 for missing); DataError if fewer than 2 clusters."""
    if cluster not in data.columns:
        raise DataError([problem("cluster_column_missing", "data", name=cluster)])
    codes, uni = pd.factorize(data[cluster], use_na_sentinel=True)
    if len(uni) < 2:
        raise DataError([problem("too_few_clusters", "data", name=cluster, n=len(uni))])
    return codes


def warn_few_clusters(n_clusters: int, cluster: str, *, stacklevel: int = 3) -> bool:
    """Issue a :class:`StatisticalWarning` when ``n_clusters`` < :data:`FEW_CLUSTERS`; True if so."""
    if n_clusters >= FEW_CLUSTERS:
        return False
    warnings.warn(f"only {n_clusters} clusters of {cluster!r}: cluster-robust standard errors "
                  f"with normal critical values reject a true null too often below "
                  f"~{FEW_CLUSTERS}; read the randomisation-inference or wild-bootstrap "
                  "p-value instead", StatisticalWarning, stacklevel=stacklevel)
    return True


def month_number(s: pd.Series) -> np.ndarray:
    """Months since year 0 (``year·12 + month − 1``) as floats, NaN where missing.

    The month numbering of :func:`grouplab.data.periods.month_index`; differences are whole months.

    Returns
    -------
    numpy.ndarray
        float64 month numbers.

    Examples
    --------
    >>> month_number(pd.Series(["2019-01-01", "2019-03-15", None])).tolist()
    [24228.0, 24230.0, nan]
    """
    return month_index(s, "months", allow_missing=True)


def ratio_interval(estimate: Any, se: Any, z: Any) -> tuple[Any, Any, Any]:
    """A ratio and its Wald interval from a log-scale estimate: ``exp(b)``, ``exp(b ∓ z·se)``.

    The one rule behind every IRR and hazard ratio of :mod:`grouplab.models`;
    scalars in, scalars out, arrays in, arrays out (an overflow gives inf).

    Returns
    -------
    tuple
        ``(ratio, ci_low, ci_high)``.

    Examples
    --------
    >>> [round(float(v), 4) for v in ratio_interval(0.0, 0.5, 1.959964)]
    [1.0, 0.3753, 2.6644]
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(estimate), np.exp(estimate - z * se), np.exp(estimate + z * se)


def tidy_arrays(names: Sequence[str], est: Any, se: Any, *, alpha: float,
                df: float | None = None) -> pd.DataFrame:
    """Tidy table (:data:`TIDY_COLUMNS`) from log-rate coefficients and SEs.

    Returns
    -------
    pandas.DataFrame
        ``term``, ``estimate``, ``se``, ``irr`` (= exp(estimate)), ``ci_low``,
        ``ci_high`` (Wald interval of the IRR; t with ``df`` degrees of freedom
        when given, else normal), ``p`` (two-sided).
    """
    est = np.asarray(est, dtype=float)
    se = np.asarray(se, dtype=float)
    dist = stats.norm if df is None else stats.t(df)
    z = dist.ppf(1 - alpha / 2)
    irr, lo, hi = ratio_interval(est, se, z)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return pd.DataFrame({"term": pd.Series(list(names), dtype=object), "estimate": est,
                             "se": se, "irr": irr, "ci_low": lo, "ci_high": hi,
                             "p": 2 * dist.sf(np.abs(est / se))})
