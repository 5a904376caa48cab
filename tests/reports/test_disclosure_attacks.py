"""Attacks on small-cell protection across tables and reports (issue 14, item 7).

Each test plays a reader who holds every number the reports publish for one wave of the
demo survey and derives the feasible values of each hidden cell — by exhaustive
enumeration of the integer tables that match, or as a linear programme
(``scipy.optimize.linprog``, HiGHS). A hidden cell is protected when its feasible range
is wide: it reaches ``k`` or more, or spans at least ``k`` (Hundepool et al. 2012,
*Statistical Disclosure Control*, ch. 4, protection intervals). The pairs attacked:

- every unit's survey report (04) with every other's: unit × option counts, each
  unit's item totals and the company count of each option (printed in every report);
- the same for the respondent attributes (who answered, by unit);
- 06's option × attribute crosstab with its χ², margins and every unit's report of
  both the options and the attribute (the three-way unit × option × level table);
- the batch overview's response rate with the report's response counts.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest
from grouplab.reports import survey as sr
from grouplab.reports import survey_study as study
from scipy import stats
from scipy.optimize import linprog

K = 5
WAVE = 2019


def _wide(lo: float, hi: float, k: int = K) -> bool:
    return hi >= k or hi - lo >= k


@pytest.fixture(scope="module")
def unit_reports(demo):
    """Every unit's published choice and attribute tables (04), by unit."""
    out = {}
    for unit in sr.entity_ids(demo):
        ctx = sr.prepare(demo, unit_id=unit, wave=WAVE, k=K)
        out[unit] = {"choices": sr.choice_table(ctx), "counts": sr.response_counts(ctx),
                     "attributes": sr.choice_table(sr.attribute_context(ctx))}
    return out


# --------------------------------------------------------------------------- LP helper
class _LP:
    """Equalities over named non-negative variables; bounds of a sum of variables."""

    def __init__(self):
        self.index: dict = {}
        self.rows: list[tuple[dict, float]] = []

    def var(self, key) -> int:
        return self.index.setdefault(key, len(self.index))

    def equal(self, keys, value: float) -> None:
        row: dict = {}
        for key in keys:
            j = self.var(key)
            row[j] = row.get(j, 0) + 1
        self.rows.append((row, float(value)))

    def bounds(self, keys) -> tuple[float, float]:
        n = len(self.index)
        A = np.zeros((len(self.rows), n))
        for i, (row, _) in enumerate(self.rows):
            for j, a in row.items():
                A[i, j] = a
        b = np.array([v for _, v in self.rows])
        c = np.zeros(n)
        for key in keys:
            c[self.index[key]] += 1
        out = []
        for sign in (1, -1):
            r = linprog(sign * c, A_eq=A, b_eq=b, bounds=(0, None), method="highs")
            assert r.status == 0, r.message  # the published numbers are consistent
            out.append(sign * r.fun)
        return out[0], out[1]


# --------------------------------------------------------------------------- 04 × 04
@pytest.mark.parametrize("table", ["choices", "attributes"])
def test_no_unit_cell_is_narrowed_by_the_other_units_reports(unit_reports, table):
    # what every report prints: the unit's shown cells, its item totals (n) and the company
    # count of each option; the hidden cells of all units are the unknowns
    lp, hidden = _LP(), []
    published = {u: r[table] for u, r in unit_reports.items()}
    company = next(iter(published.values())).set_index(["item", "option"])["company_count"]
    col: dict = {}
    for unit, t in published.items():
        for item, g in t.groupby("item", sort=False):
            keys = [(unit, item, o) for o in g["option"]]
            shown = g["hidden"] == ""
            lp.equal([k for k, s in zip(keys, shown) if not s], g["n"].iloc[0] - g.loc[shown, "count"].sum())
            for key, s, cnt in zip(keys, shown, g["count"]):
                col.setdefault((item, key[2]), []).append(key if not s else int(cnt))
                if not s:
                    hidden.append((key, int(cnt)))
    for (item, option), parts in col.items():
        lp.equal([p for p in parts if isinstance(p, tuple)],
                 company[(item, option)] - sum(p for p in parts if not isinstance(p, tuple)))
    assert hidden, "the demo has hidden cells to attack"
    narrow = []
    for key, true in hidden:
        lo, hi = lp.bounds([key])
        assert lo - 1e-6 <= true <= hi + 1e-6
        if not _wide(lo, hi):
            narrow.append((key, true, round(lo, 2), round(hi, 2)))
    assert not narrow, f"hidden cells pinned by differencing the reports: {narrow}"


def test_the_overview_rate_is_the_reports_total_row(demo, unit_reports):
    # the overview publishes what the report's total row shows, under the same rule: no new cell
    ov = sr.overview(demo, period=WAVE, lang="en").iloc[:, 0]
    for unit, r in unit_reports.items():
        total = r["counts"].iloc[-1]
        expected = np.nan if total["hidden"] else round(100 * float(total["rate"]), 1)
        assert (np.isnan(ov[unit]) and np.isnan(expected)) or ov[unit] == expected


# --------------------------------------------------------------------------- 06: χ² and margins
def _published_crosstab(ctx, table, by):
    """What 06 prints for attribute ``by``: per item with a hidden cell the cells, which are hidden,
    and the χ² text of its table (as displayed, with ‡/† marks)."""
    shown = study.format_crosstab(table, ctx, by)
    chi2_col = next(c for c in shown.columns if str(c).startswith("χ²"))
    texts = shown.loc[shown.iloc[:, 0] != "", chi2_col].tolist()  # first row of each item
    out = []
    for (item, g), text in zip(table[table["by"] == by].groupby("item", sort=False), texts):
        hid = g.pivot(index="option", columns="level", values="hidden") != ""
        if g["multiple"].iloc[0] or not hid.to_numpy().any():
            continue
        cells = g.pivot(index="option", columns="level", values="count").astype(int)
        out.append({"item": item, "cells": cells.to_numpy(), "hidden": hid.to_numpy(), "chi2": text,
                    "kind": g.iloc[0].get("test_table", "full")})
    return out


def _completions(cells: np.ndarray, hidden: np.ndarray):
    """Every non-negative integer table equal to ``cells`` on shown cells and in both margins."""
    rows, cols = cells.sum(axis=1), cells.sum(axis=0)
    pos = [tuple(p) for p in np.argwhere(hidden)]
    row_left = rows - np.where(hidden, 0, cells).sum(axis=1)
    col_left = cols - np.where(hidden, 0, cells).sum(axis=0)
    last_in_row = {}
    for p in pos:
        last_in_row[p[0]] = p
    x = np.where(hidden, 0, cells).copy()

    def dfs(i):
        if i == len(pos):
            if not col_left.any():
                yield x.copy()
            return
        r, c = pos[i]
        values = ([row_left[r]] if last_in_row[r] == (r, c) else range(min(row_left[r], col_left[c]) + 1))
        for v in values:
            if v > col_left[c]:
                continue
            x[r, c] = v
            row_left[r] -= v
            col_left[c] -= v
            yield from dfs(i + 1)
            row_left[r] += v
            col_left[c] += v
        x[r, c] = 0

    yield from dfs(0)


def _chi2(table: np.ndarray) -> float:
    t = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    return float(stats.chi2_contingency(t, correction=False)[0])


def _merge(table: np.ndarray, hidden: np.ndarray, kind: str) -> np.ndarray:
    """The table with the rows (options) or columns (levels) that hold a hidden cell summed into one."""
    axis = 1 if kind == "merged_options" else 0
    holds = hidden.any(axis=axis)
    t = table if axis == 1 else table.T
    merged = np.vstack([t[~holds], t[holds].sum(axis=0, keepdims=True)])
    return merged if axis == 1 else merged.T


@pytest.mark.parametrize("by", ["D1", "D2", "D3"])
def test_crosstab_statistics_do_not_pin_hidden_cells(demo, by):
    # before: 06 printed the χ² of the full table; for C2 × D2 (hidden 2 × 2 block with one
    # free cell) the χ² to two decimals and the totals leave the small cell a single value.
    ctx = study.prepare(demo, wave=WAVE, lang="en", k=K)
    table = study.crosstab_table(ctx)
    for pub in _published_crosstab(ctx, table, by):
        text = str(pub["chi2"])
        value = float(text.rstrip("†‡")) if re.match(r"^\d", text) else None
        merged = text.rstrip("†").endswith("‡")
        candidates = []
        for cand in _completions(pub["cells"], pub["hidden"]):
            if value is not None:
                stat = _chi2(_merge(cand, pub["hidden"], pub["kind"]) if merged else cand)
                if abs(round(stat, 2) - value) > 1e-9:
                    continue
            candidates.append(cand)
        assert candidates, f"{pub['item']} × {by}: the true table must be among the candidates"
        vals = np.array(candidates)
        for r, c in np.argwhere(pub["hidden"]):
            lo, hi = vals[:, r, c].min(), vals[:, r, c].max()
            assert _wide(lo, hi), (f"{pub['item']} × {by}: hidden cell (option row {r}, level {c}) "
                                   f"pinned to {lo}..{hi} by the published statistic")


# --------------------------------------------------------------------------- 06 × 04: three-way table
def test_crosstab_cells_are_not_narrowed_by_the_unit_reports(demo, unit_reports):
    # every item × level crosstab of 06 that hides a cell (crosstabs without one have nothing
    # to attack; at least one must hide, or the test would pass vacuously)
    ctx = study.prepare(demo, wave=WAVE, lang="en", k=K)
    table = study.crosstab_table(ctx)
    attacked = 0
    for item, by in itertools.product(["C1", "C2", "C3", "C4"], ["D1", "D2", "D3"]):
        ct = table[(table["item"] == item) & (table["by"] == by)]
        if (ct["hidden"] != "").any():
            _attack_crosstab(ct, unit_reports, item, by)
            attacked += 1
    assert attacked >= 1


def _attack_crosstab(ct, unit_reports, item, by):
    # unknowns: respondents of unit u with option o (or no answer, "-") and level l (or "-");
    # published: each unit's shown option and level cells with their totals, the unit's
    # respondents, the company counts, and 06's shown cells with both margins
    options, levels = list(ct["option"].drop_duplicates()), list(ct["level"].drop_duplicates())
    with_none = (options + ["-"], levels + ["-"])
    lp = _LP()
    for unit, r in unit_reports.items():
        every = [(unit, o, lv) for o in with_none[0] for lv in with_none[1]]
        lp.equal(every, r["counts"].iloc[-1]["respondents"])
        for t, axis, own in ((r["choices"], 1, item), (r["attributes"], 2, by)):
            g = t[t["item"] == own]
            answered = [k for k in every if k[axis] != "-"]
            lp.equal(answered, g["n"].iloc[0])
            for code, cnt, hid in zip(g["option"], g["count"], g["hidden"]):
                if not hid:
                    code = float(code) if axis == 2 else code
                    lp.equal([k for k in every if k[axis] == code], cnt)
    for _, row in ct.iterrows():
        keys = [(u, row["option"], row["level"]) for u in unit_reports]
        if not row["hidden"]:
            lp.equal(keys, row["count"])
    for lv in levels:  # column totals of 06
        lp.equal([(u, o, lv) for u in unit_reports for o in options],
                 ct.loc[ct["level"] == lv, "n"].iloc[0])
    for o in options:  # row totals of 06 (taken as published, the stronger attacker)
        lp.equal([(u, o, lv) for u in unit_reports for lv in levels],
                 ct.loc[ct["option"] == o, "count"].sum())
    narrow = []
    for _, row in ct[ct["hidden"] != ""].iterrows():
        lo, hi = lp.bounds([(u, row["option"], row["level"]) for u in unit_reports])
        assert lo - 1e-6 <= row["count"] <= hi + 1e-6
        if not _wide(lo, hi):
            narrow.append((row["option"], row["level"], int(row["count"]), round(lo, 2), round(hi, 2)))
    assert not narrow, f"{item} × {by}: 06 cells narrowed by the unit reports: {narrow}"


# --------------------------------------------------------------------------- 04 scale means × 04
def test_a_hidden_unit_mean_is_not_the_company_mean_minus_the_others():
    # three units (10, 3 and 8 answers, scale 1..5) and k = 5: B's mean is hidden. Every report
    # prints the company's n and mean; before, A's and C's reports printed theirs, so B's mean
    # was exact: (N·M − n_A·m_A − n_C·m_C) / n_B = (81 − 40 − 37) / 3 = 4/3 (hand).
    x = {"A": [4, 3, 5, 4, 4, 4, 3, 5, 4, 4], "B": [1, 2, 1], "C": [5, 5, 4, 5, 4, 5, 5, 4]}
    units = [u for u, v in x.items() for _ in v]
    vals = np.array([v for vs in x.values() for v in vs], dtype=float)
    spec = {"range": [1, 5], "scales": {"S": {"zh": "量表", "en": "Scale", "items": ["S1"]}}}
    responses = pd.DataFrame({"unit_id": units, "group_id": None, "S1": vals})
    published = {}
    for unit in x:
        ctx = sr.SurveyContext(responses=responses, groups=pd.DataFrame(
            {"group_id": [], "name": [], "members": []}), spec=spec, unit_id=unit, unit_name=unit,
            wave=WAVE, lang="en", k=K)
        published[unit] = sr.scale_table(ctx).iloc[0]
    N, M = published["A"]["company_n"], published["A"]["company_mean"]
    shown = {u: r for u, r in published.items() if not r["hidden"]}
    hidden = [u for u, r in published.items() if r["hidden"]]
    assert "B" in hidden
    n_h = N - sum(r["n"] for r in shown.values())
    s_h = N * M - sum(r["n"] * r["mean"] for r in shown.values())
    # the reader knows the hidden units' total n and sum; B's n (3) even given, its mean lies in
    lo_b = max(1.0 * 3, s_h - 5.0 * (n_h - 3)) / 3
    hi_b = min(5.0 * 3, s_h - 1.0 * (n_h - 3)) / 3
    assert hi_b - lo_b >= 1.0, f"B's mean pinned to {lo_b:.2f}..{hi_b:.2f}"


# --------------------------------------------------------------------------- 04: the company line
def test_a_small_company_count_is_not_printed_in_every_report():
    # 22 answers in two units; option 3 chosen by 2 people in the whole company. Before, every
    # report printed the company share of option 3 with the company n (2 of 22): a small cell.
    # Now the company line is protected like a unit's: the two 3s are hidden, and with the
    # company n printed a second company cell joins them, so option 3 may hold 0 .. 9.
    c1 = [1] * 6 + [2] * 4 + [3] * 1 + [1] * 5 + [2] * 5 + [3] * 1
    spec = {"range": [1, 5], "scales": {},
            "choices": {"C1": {"zh": "题", "en": "Q", "options": {1: "甲", 2: "乙", 3: "丙"}}}}
    responses = pd.DataFrame({"unit_id": ["A"] * 11 + ["B"] * 11, "group_id": None,
                              "C1": np.array(c1, dtype=float)})
    ctx = sr.SurveyContext(responses=responses, groups=pd.DataFrame(
        {"group_id": [], "name": [], "members": []}), spec=spec, unit_id="A", unit_name="A",
        wave=WAVE, lang="en", k=K)
    t = sr.choice_table(ctx)
    shown = sr.format_choices(t, ctx)
    company = shown[next(c for c in shown.columns if "ompany" in str(c) and "%" in str(c))].tolist()
    # what a reader learns of the company count of option 3: total minus the shown company cells
    n = int(t["company_n"].iloc[0])
    known = [round(float(v) * n / 100) for v in company if v != "hidden"]
    hidden = [i for i, v in enumerate(company) if v == "hidden"]
    rest = n - sum(known)                       # the hidden company cells together
    lo, hi = (rest, rest) if len(hidden) == 1 else (0, rest)
    assert 2 in hidden and _wide(lo, hi), f"company count of option 3 (2) printed or pinned: {company}"


# --------------------------------------------------------------------------- 06: group means and tests
def _number(text: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", str(text).split("=")[-1]))


def test_a_hidden_group_mean_is_not_solved_from_the_t_test(demo):
    # the demo's 2019 wave with only 3 women left (the others recoded as men). Before, 06 hid
    # the women's mean ± SD (n) but printed the men's, Welch's t and Cohen's d: two equations
    # in the women's mean and SD (t = Δ / √(s1²/n1 + s2²/n2), d = Δ / s_pooled), so a grid
    # search over their SD in 0..2 and mean in 1..5 finds every (mean, SD) that prints the same.
    import dataclasses

    ctx = study.prepare(demo, wave=WAVE, lang="en", k=K)
    scores = ctx.scores.copy()
    women = scores.index[scores["D1"] == 2]
    scores.loc[women[3:], "D1"] = 1.0
    ctx = dataclasses.replace(ctx, scores=scores)
    shown = study.format_differences(study.difference_table(ctx), ctx, "D1").iloc[0]
    men, women_cell = shown.iloc[1], shown.iloc[2]
    assert women_cell == "hidden"
    if men == "hidden" or shown.iloc[4] == "withheld":
        return  # nothing to solve from: the men are hidden too and the test is withheld
    m1, s1, n1 = (float(v) for v in re.match(r"([\d.]+)±([\d.]+) \((\d+)\)", men).groups())
    t, d, n2 = _number(shown.iloc[4]), _number(shown.iloc[6]), 3
    m2, s2 = np.meshgrid(np.linspace(1, 5, 801), np.linspace(0.01, 2, 400))
    t_of = (m1 - m2) / np.sqrt(s1**2 / n1 + s2**2 / n2)
    d_of = (m1 - m2) / np.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2))
    fits = (np.abs(t_of - t) <= 0.005 + 0.01) & (np.abs(d_of - d) <= 0.0005 + 0.002)
    assert fits.any()
    lo, hi = m2[fits].min(), m2[fits].max()
    assert hi - lo >= 1.0, f"the 3 women's mean is pinned to {lo:.2f}..{hi:.2f}"
