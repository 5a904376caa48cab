"""Results of models shown with their fit: one line read from ``attrs`` above the table.

A model returns a :class:`ResultTable`, a DataFrame whose display (in Jupyter and as ``repr``) starts
with the method, n, the clusters and the level of inference stored in its ``attrs``; any operation on
it returns an ordinary DataFrame (``attrs`` kept), so selections and copies print as pandas prints
them. Text is in :func:`grouplab.data.display.display_lang` and HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.display import CSS, choose_lang

__all__ = ["ResultTable", "result_table", "result_header", "event_study_lines", "randomization_summary",
           "result_html", "METHODS"]

#: the function that made a result -> its method in words (``{...}`` fields from ``attrs``)
METHODS = {
    "rate_model": {"zh": "{family} 率模型 {formula}", "en": "{family} rate model {formula}"},
    "fe_rate_model": {"zh": "固定效应 {family} 率模型 {formula}",
                      "en": "fixed-effects {family} rate model {formula}"},
    "fe_compare": {"zh": "{outcome}：混合模型与固定效应模型对照",
                   "en": "{outcome}: pooled vs fixed-effects model"},
    "its": {"zh": "间断时间序列（分段回归，断点 {interruption}）",
            "en": "interrupted time series (segmented regression, break {interruption})"},
    "cox": {"zh": "Cox 比例风险模型（结：{ties}）", "en": "Cox proportional hazards ({ties} ties)"},
    "mediation": {"zh": "中介分析", "en": "mediation analysis"},
    "moderation": {"zh": "调节分析（中心化交互项）", "en": "moderation analysis (centred interaction)"},
    "bh": {"zh": "多重检验校正（Benjamini–Hochberg）",
           "en": "multiple-testing adjustment (Benjamini–Hochberg)"},
    "event_study": {"zh": "事件研究（{method}，参照期 {ref}）",
                    "en": "event study ({method}, reference bin {ref})"},
    "randomization": {"zh": "随机化推断（在 {assign} 之间置换采纳日期，统计量 {statistic}）",
                      "en": "randomisation inference (adoption dates permuted across {assign}, "
                            "statistic {statistic})"},
}
_T = {
    "zh": {"n": "n = {n}", "cluster": "推断层级：{c}（{g} 个聚类，聚类稳健标准误）",
           "few": "聚类过少，标准误偏小", "model": "推断：模型标准误，各行视为独立",
           "pearson": "推断：Pearson 离散度调整的模型标准误，各行视为独立",
           "hac": "推断：Newey–West HAC 标准误（滞后 {l}），单一时间序列",
           "boot": "推断：对行的百分位 bootstrap（{b} 次）", "ols": "推断：OLS 标准误，各行视为独立",
           "cox": "{s} 个对象、{e} 个事件；推断：模型标准误，各对象视为独立", "tests": "{m} 个检验",
           "pooled": "采纳后合并效应 IRR {irr:.3f}（CI {lo:.3f}–{hi:.3f}），p = {p:.3g}",
           "pretrend": "前趋势检验 p = {p:.3g}（可检出的最小线性趋势：每期 IRR {mde:.3f}）",
           "ri": "推断层级：{a}（{u} 个单位）；{k} 次置换，双侧 p = {p:.3g}（含观测分配，Phipson–Smyth）",
           "ri_obs": "观测统计量 {obs:.4g}；置换分布中 |统计量| ≥ |观测值| 的有 {hits} 次",
           "ri_rows": ["观测值", "置换分布 2.5%", "置换分布中位数", "置换分布 97.5%", "p（双侧）"],
           "ri_col": "值"},
    "en": {"n": "n = {n}", "cluster": "inference at the level of {c} ({g} clusters, cluster-robust SEs)",
           "few": "few clusters: SEs too small",
           "model": "inference: model-based SEs, rows taken as independent",
           "pearson": "inference: Pearson-scaled model SEs, rows taken as independent",
           "hac": "inference: Newey–West HAC SEs (lags {l}), one time series",
           "boot": "inference: percentile bootstrap over rows ({b} draws)",
           "ols": "inference: OLS SEs, rows taken as independent",
           "cox": "{s} subjects, {e} events; inference: model-based SEs, subjects taken as independent",
           "tests": "{m} tests",
           "pooled": "pooled post-adoption IRR {irr:.3f} (CI {lo:.3f}–{hi:.3f}), p = {p:.3g}",
           "pretrend": "pre-trend test p = {p:.3g} "
                       "(smallest linear trend it detects: IRR {mde:.3f} per bin)",
           "ri": "inference at the level of {a} ({u} units); {k} permutations, two-sided p = {p:.3g} "
                 "(observed assignment counted, Phipson–Smyth)",
           "ri_obs": "observed statistic {obs:.4g}; {hits} permutations with |statistic| ≥ |observed|",
           "ri_rows": ["observed", "permutation 2.5%", "permutation median", "permutation 97.5%",
                       "p (two-sided)"],
           "ri_col": "value"},
}


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _inference(a: Mapping[str, Any], function: str, t: Mapping[str, str]) -> list[str]:
    """The level of inference (and its caveat) of a fit, from its attrs."""
    if a.get("n_clusters") is not None and a.get("cluster") is not None:
        few = [t["few"]] if a.get("few_clusters") else []
        return [t["cluster"].format(c=a["cluster"], g=a["n_clusters"]), *few]
    simple = {"its": ("hac", {"l": a.get("maxlags", "?")}),
              "mediation": ("boot", {"b": a.get("n_boot", "?")}),
              "moderation": ("ols", {}), "bh": ("tests", {"m": a.get("m", "?")}),
              "cox": ("cox", {"s": a.get("n_subjects", "?"), "e": a.get("n_events", "?")})}
    if function in simple:
        key, values = simple[function]
        return [t[key].format(**values)]
    if a.get("cov_type") == "nonrobust":
        return [t["pearson" if a.get("scale") == "pearson" else "model"]]
    return []


def result_header(attrs: Mapping[str, Any], lang: str | None = None) -> str:
    """One line describing a fit from a result's ``attrs``: method, n, clusters, level of inference.

    Parameters
    ----------
    attrs : Mapping
        The result's ``attrs`` (``function`` names the function that made it, see :func:`result_table`).
    lang : {"zh", "en"}, optional
        Default :func:`grouplab.data.display.display_lang`.

    Returns
    -------
    str
        Plain text (escape it for HTML), e.g. ``poisson rate model n ~ x · n = 9 · inference: …``.

    Examples
    --------
    >>> result_header({"function": "rate_model", "family": "poisson", "formula": "y ~ x", "n": 9,
    ...                "cov_type": "cluster", "cluster": "group_id", "n_clusters": 50}, "en")
    'poisson rate model y ~ x · n = 9 · inference at the level of group_id (50 clusters, cluster-robust SEs)'
    """
    lang = choose_lang(None, lang)
    t, function = _T[lang], str(attrs.get("function", ""))
    plain = {k: v for k, v in attrs.items() if isinstance(v, (str, int, float, bool))}
    a = {"family": "", "formula": "", **plain}
    parts = []
    if function in METHODS:
        try:
            parts.append(" ".join(METHODS[function][lang].format(**a).split()))
        except (KeyError, IndexError, ValueError):
            parts.append(function)
    n = a.get("n", a.get("n_fe", a.get("n_rows")))
    if n is not None:
        parts.append(t["n"].format(n=n))
    return " · ".join(parts + _inference(a, function, t))


def result_html(lines: list[str], frame: pd.DataFrame) -> str:
    """``lines`` (escaped, the first in bold) above ``frame`` as pandas shows it in Jupyter.

    Returns
    -------
    str
        HTML.
    """
    head = "".join(f'<p class="head">{"<b>" if i == 0 else ""}{_e(x)}{"</b>" if i == 0 else ""}</p>'
                   for i, x in enumerate(lines))
    return f'{CSS}<div class="grouplab-display">{head}{pd.DataFrame(frame)._repr_html_()}</div>'


class ResultTable(pd.DataFrame):
    """A model's tidy result: a DataFrame shown with a header line read from its ``attrs``.

    Everything a DataFrame does works; any operation (selection, ``round``, ``copy``, ``concat``)
    returns a plain :class:`pandas.DataFrame` (``attrs`` kept), so only the result as returned shows
    the header.
    """

    @property
    def _constructor(self):
        return pd.DataFrame

    def header(self, lang: str | None = None) -> str:
        """The header line (:func:`result_header`) in ``lang``."""
        return result_header(self.attrs, lang)

    def _repr_html_(self) -> str:
        return result_html([self.header()], self)

    def __repr__(self) -> str:
        return f"{self.header()}\n{pd.DataFrame(self)!r}"


def result_table(frame: pd.DataFrame, function: str) -> ResultTable:
    """``frame`` (with its ``attrs``) as a :class:`ResultTable` made by ``function`` (a :data:`METHODS` key).

    Returns
    -------
    ResultTable
        The same columns and rows; ``attrs["function"] = function`` added.
    """
    out = ResultTable(frame)
    out.attrs = {**frame.attrs, "function": function}
    return out


def event_study_lines(info: Mapping, pooled: Mapping, pretrend: Mapping,
                      lang: str | None = None) -> list[str]:
    """Header, pooled effect and pre-trend lines of an event study (plain text, in ``lang``).

    Returns
    -------
    list of str
        Three lines; a missing figure reads ``nan``.
    """
    lang = choose_lang(None, lang)
    t = _T[lang]
    nan = float("nan")
    return [result_header({**info, "function": "event_study"}, lang),
            t["pooled"].format(irr=pooled.get("irr", nan), lo=pooled.get("ci_low", nan),
                               hi=pooled.get("ci_high", nan), p=pooled.get("p", nan)),
            t["pretrend"].format(p=pretrend.get("p", nan), mde=pretrend.get("mde_irr_per_bin", nan))]


def randomization_summary(observed: float, draws: Any, p: float, *, assign: str, n_units: int,
                          statistic: str, lang: str | None = None) -> tuple[list[str], pd.DataFrame]:
    """Header lines and a small table of a randomisation-inference result, in ``lang``.

    Returns
    -------
    (list of str, pandas.DataFrame)
        Three lines (method, level of inference with the p-value, the observed statistic) and a
        one-column table (``value``): observed, the permutation distribution's 2.5 %, 50 % and
        97.5 % points, and p.

    Examples
    --------
    >>> lines, table = randomization_summary(0.5, [0.1, -0.6, 0.2], 0.5, assign="unit_id", n_units=4,
    ...                                      statistic="static_post", lang="en")
    >>> lines[1].split(";")[0]
    'inference at the level of unit_id (4 units)'
    """
    lang = choose_lang(None, lang)
    t = _T[lang]
    d = np.asarray(draws, dtype=float)
    lines = [result_header({"function": "randomization", "assign": assign, "statistic": statistic}, lang),
             t["ri"].format(a=assign, u=n_units, k=len(d), p=p),
             t["ri_obs"].format(obs=observed, hits=int(np.sum(np.abs(d) >= abs(observed) - 1e-12)))]
    q = np.quantile(d, [0.025, 0.5, 0.975]) if len(d) else [float("nan")] * 3
    table = pd.DataFrame({t["ri_col"]: [observed, *q, p]}, index=t["ri_rows"])
    return lines, table
