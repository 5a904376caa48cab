"""Differences between groups (差异分析): t-tests, ANOVA, post-hoc comparisons, rank tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from grouplab.errors import ParameterError
from grouplab.measures.survey.analysis import groupstats as gs
from grouplab.measures.survey.analysis.inputs import check_choice, levels_of, need_columns, numeric

__all__ = ["compare_groups", "GROUP_COLUMNS"]

GROUP_COLUMNS = ["outcome", "by", "kind", "test", "group1", "group2", "n1", "n2", "mean1", "mean2",
                 "sd1", "sd2", "estimate", "ci_low", "ci_high", "statistic", "df1", "df2", "p", "p_bh",
                 "effect", "effect_size", "effect_low", "effect_high", "chosen", "reason"]


def _group_rows(levels, n, mean, var) -> list[dict]:
    """Descriptive rows: n, mean, SD and the t-based 95 % CI of each group mean."""
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.975, n - 1) * np.sqrt(var / n)
    return [{"kind": "group", "group1": lv, "n1": n[i], "mean1": mean[i], "sd1": np.sqrt(var[i]),
             "ci_low": mean[i] - half[i], "ci_high": mean[i] + half[i]} for i, lv in enumerate(levels)]


def _one_outcome(y, g, levels, *, equal_var, posthoc, center) -> list[dict]:
    """Rows of one outcome: group descriptives, omnibus tests, post-hoc pairs."""
    k = len(levels)
    n, mean, var = gs.moments(y, g, k)
    rows = _group_rows(levels, n, mean, var)
    reason = ""
    if k < 2:
        reason = "fewer than two groups with answers"
    elif (n < 2).any():
        reason = "a group has fewer than two respondents: " + ", ".join(
            str(levels[i]) for i in np.flatnonzero(n < 2))
    elif not (var > 0).any() and np.ptp(mean) == 0:
        reason = "the outcome is constant: nothing to compare"
    if reason:
        return rows + [{"kind": "test", "test": "", "reason": reason}]
    lev = gs.levene(y, g, k, n, mean, center=center)
    tests = [{**lev, "chosen": False}]
    if k == 2:
        d, lo, hi = gs.cohens_d(n, mean, var)
        for ev in (False, True):
            t = gs.two_sample(n, mean, var, equal_var=ev)
            tests.append({**t, "group1": levels[0], "group2": levels[1], "n1": n[0], "n2": n[1],
                          "mean1": mean[0], "mean2": mean[1], "effect": "cohens_d",
                          "effect_size": d, "effect_low": lo, "effect_high": hi,
                          "chosen": ev == equal_var})
    else:
        a = gs.anova(n, mean, var)
        w = gs.welch_anova(n, mean, var) if (var > 0).all() else {"test": "welch_anova", "p": np.nan,
                                                                   "reason": "a group has zero variance"}
        equal = lev["p"] >= 0.05 if equal_var is None else bool(equal_var)
        tests.append({**{c: a[c] for c in ("test", "statistic", "df1", "df2", "p", "effect",
                                          "effect_size")}, "chosen": equal,
                      "effect_low": np.nan, "effect_high": np.nan})
        tests.append({**w, "effect": "omega_sq", "effect_size": a["omega_sq"], "chosen": not equal})
        method = posthoc if posthoc != "auto" else ("tukey" if equal else "games_howell")
        if method != "none":
            tests += [{**p, "kind": "pair", "chosen": True} for p in
                      gs.pairs(n, mean, var, levels, method=method, msw=a["msw"])]
    tests.append({**gs.rank_test(y, g, k), "chosen": False})
    return rows + [{"kind": "test", **t} if "kind" not in t else t for t in tests]


def compare_groups(responses: pd.DataFrame, outcome: str | Sequence[str], by: str, *,
                   equal_var: bool | None = None, posthoc: str = "auto",
                   levene_center: str = "mean") -> pd.DataFrame:
    """Compare the mean of one or more outcomes between the groups of an attribute.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent: the outcome columns (scale scores or items,
        numbers) and the grouping column. Not modified.
    outcome : str or sequence of str
        Outcome column(s); several outcomes form one family for the
        Benjamini–Hochberg adjustment.
    by : str
        Grouping column (e.g. ``D1`` post type). Missing values are left out.
    equal_var : bool, optional
        Two groups: False (default) → Welch's t is the chosen test, True →
        Student's t. Three or more: None (default) lets Levene's test choose
        (p ≥ .05 → classic ANOVA + Tukey HSD, else Welch's ANOVA +
        Games–Howell); True/False force the choice.
    posthoc : {"auto", "tukey", "games_howell", "none"}
        Pairwise comparisons after a three-or-more-group test.
    levene_center : {"mean", "median"}
        Levene's test about the group means (SPSS, SPSSAU, jamovi) or medians
        (Brown–Forsythe; R ``car::leveneTest`` default).

    Returns
    -------
    DataFrame
        Long table, columns always :data:`GROUP_COLUMNS`, rows by ``kind``:

        - ``"group"``: one per group — ``group1`` (the level), ``n1``,
          ``mean1``, ``sd1``, ``ci_low``/``ci_high`` (t-based 95 % CI of the mean);
        - ``"test"``: ``test`` is ``levene``; ``welch_t`` and ``student_t``
          (two groups: ``estimate`` = mean1 − mean2 with 95 % ``ci_low`` /
          ``ci_high``, ``effect`` ``cohens_d`` with ``effect_low`` /
          ``effect_high``) and ``mann_whitney`` (U of group1); or ``anova``
          (``effect`` ``eta_sq``), ``welch_anova`` (``effect`` ``omega_sq``,
          from the classic ANOVA table) and ``kruskal`` (H); ``statistic``,
          ``df1``, ``df2``, ``p``;
        - ``"pair"``: ``tukey`` or ``games_howell`` comparisons, ``estimate``
          = mean2 − mean1 with simultaneous 95 % ``ci_low``/``ci_high``,
          ``statistic`` = t, ``df1``, ``p`` adjusted for all pairs;
        - ``chosen``: the test to report (and the post-hoc pairs);
        - ``p_bh``: on the chosen test rows, BH-adjusted p across the outcomes;
        - ``reason``: why an outcome has no tests (a group with fewer than two
          respondents, a constant outcome), else empty.

    Raises
    ------
    DataError
        A column is missing or holds text.
    ParameterError
        An unknown option.

    Notes
    -----
    Welch t: t = (m1 − m2)/√(s1²/n1 + s2²/n2), Welch–Satterthwaite df.
    Cohen's d = (m1 − m2)/s_pooled, SE = √((n1+n2)/(n1 n2) + d²/(2(n1+n2))).
    η² = SS_between/SS_total; ω² = (SS_between − (k−1)MS_within)/(SS_total + MS_within).
    Tukey–Kramer: ``q = |m_i − m_j| / √(MS_within/2 · (1/n_i + 1/n_j))``, studentized range
    with N − k df; Games–Howell uses each pair's own variances and Welch df.
    These compare respondents of different groups in one cross-section: a
    difference is an association with the attribute, not an effect of it.
    Respondents are assumed independent (answers of members of one Party
    group are not; see ``grouplab.measures.survey.aggregation`` for ICC).

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1., 2, 3, 4, 5, 6], "g": list("aaabbb")})
    >>> t = compare_groups(df, "y", "g")
    >>> row = t[t["chosen"] & (t["kind"] == "test")].iloc[0]
    >>> row["test"], round(float(row["statistic"]), 3), round(float(row["effect_size"]), 3)
    ('welch_t', -3.674, -3.0)
    """
    outcomes = [outcome] if isinstance(outcome, str) else list(outcome)
    if not outcomes:
        raise ParameterError("outcome: name at least one outcome column")
    check_choice(posthoc, ("auto", "tukey", "games_howell", "none"), name="posthoc")
    check_choice(levene_center, ("mean", "median"), name="levene_center")
    if equal_var not in (None, True, False):
        raise ParameterError(f"equal_var={equal_var!r}: use None, True or False")
    need_columns(responses, [by], what="grouping")
    Y = numeric(responses, outcomes, what="outcome")
    codes, levels = levels_of(responses[by])  # category order for a categorical, else sorted
    frames = []
    for j, name in enumerate(outcomes):
        ok = (codes >= 0) & ~np.isnan(Y[:, j])
        present = np.flatnonzero(np.bincount(codes[ok], minlength=len(levels)))
        lut = np.zeros(len(levels), dtype=np.int64)
        lut[present] = np.arange(len(present))
        g = lut[codes[ok]]
        rows = _one_outcome(Y[ok, j], g, levels[present],
                            equal_var=(False if equal_var is None else equal_var)
                            if len(present) == 2 else equal_var,
                            posthoc=posthoc, center=levene_center)
        frames.append(pd.DataFrame(rows).assign(outcome=name, by=by))
    out = pd.concat(frames, ignore_index=True).reindex(columns=GROUP_COLUMNS)
    for col, default in (("chosen", False), ("reason", ""), ("test", ""), ("effect", "")):
        out[col] = [default if v is None or (isinstance(v, float) and np.isnan(v)) else v
                    for v in out[col]]
    out["chosen"] = out["chosen"].astype(bool)
    fam = (out["kind"] == "test") & out["chosen"] & out["p"].notna()
    if fam.any():
        out.loc[fam, "p_bh"] = stats.false_discovery_control(out.loc[fam, "p"].to_numpy(float))
    return out
