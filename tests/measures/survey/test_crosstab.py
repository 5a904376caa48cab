"""crosstab against R's documented examples and hand calculations.

References, quoted where used:
- R ``?chisq.test`` example: ``M <- as.table(rbind(c(762, 327, 468), c(484, 239, 477)))``
  (gender × party, Agresti 2007 p. 39): X-squared = 30.07, df = 2, p-value = 2.954e-07.
- R ``?fisher.test`` TeaTasting example ``matrix(c(3, 1, 1, 3), 2)``; the two-sided p is
  worked out by hand below.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from grouplab.errors import DataError, ParameterError
from grouplab.measures.survey.analysis import crosstab
from grouplab.measures.survey.analysis.crosstab import CROSSTAB_COLUMNS


def _expand(counts: dict[tuple, int], item="C1", by="D1") -> pd.DataFrame:
    rows = [(o, lv) for (o, lv), n in counts.items() for _ in range(n)]
    return pd.DataFrame(rows, columns=[item, by])


def test_pearson_chi2_matches_r_chisq_test_example():
    # party 1 Democrat, 2 Independent, 3 Republican; gender F / M
    counts = {(1, "F"): 762, (2, "F"): 327, (3, "F"): 468, (1, "M"): 484, (2, "M"): 239, (3, "M"): 477}
    t = crosstab(_expand(counts), "C1", "D1")
    assert list(t.columns) == CROSSTAB_COLUMNS
    r = t.iloc[0]
    # chisq.test(M): X-squared = 30.07, df = 2, p-value = 2.954e-07
    assert r["test"] == "pearson_chi2" and round(r["statistic"], 2) == 30.07 and r["df"] == 2
    assert r["p"] == pytest.approx(2.954e-07, rel=1e-3)
    # Cramer's V by hand: sqrt(30.0701 / (2757 * (2 - 1))) = 0.10444
    assert round(r["cramers_v"], 4) == 0.1044
    assert not r["warning"] and r["low_expected"] == 0
    # column share by hand: 762 of the 1557 women chose option 1 = 0.48940;
    # row share: 762 of the 1246 choosing option 1 are women = 0.61156
    cell = t[(t["option"] == 1) & (t["level"] == "F")].iloc[0]
    assert (cell["count"], cell["n"]) == (762, 1557)
    assert round(cell["share"], 5) == 0.48940 and round(cell["row_share"], 5) == 0.61156


def test_fisher_for_small_2x2_matches_hand_calculation():
    # TeaTasting: guess milk/tea x truth milk/tea = [[3, 1], [1, 3]]; margins all 4, N = 8.
    # P(a) = C(4,a) C(4,4-a) / C(8,4): a=0..4 -> 1, 16, 36, 16, 1 (/70). Two-sided p sums the
    # tables no more likely than the observed one (a=3, 16/70): (1+16+16+1)/70 = 0.48571
    # (R: fisher.test(TeaTasting) two-sided p-value = 0.4857)
    t = crosstab(_expand({(1, "milk"): 3, (2, "milk"): 1, (1, "tea"): 1, (2, "tea"): 3}), "C1", "D1")
    r = t.iloc[0]
    assert r["test"] == "fisher_exact" and round(r["p"], 5) == 0.48571
    assert not r["warning"]


def test_sparse_table_warns():
    counts = {(1, "a"): 10, (2, "a"): 1, (3, "a"): 1, (1, "b"): 10, (2, "b"): 2, (3, "b"): 0}
    r = crosstab(_expand(counts), "C1", "D1").iloc[0]
    # every expected count of options 2 and 3 is below 5: 4 of 6 cells
    assert r["low_expected"] == pytest.approx(4 / 6) and r["warning"]


def test_multiple_response_per_option_tests_match_hand_calculation():
    rng = np.random.default_rng(1)
    lv = np.repeat(["a", "b"], 50)
    q1 = np.r_[np.ones(30), np.zeros(20), np.ones(20), np.zeros(30)]
    q2 = rng.integers(0, 2, 100).astype(float)
    df = pd.DataFrame({"D1": lv, "Q6_1": q1, "Q6_2": q2})
    spec = {"choices": {"Q6": {"options": {1: "x", 2: "y"}, "multiple": True}}}
    t = crosstab(df, "Q6", "D1", spec=spec)
    o1 = t[t["option"] == 1]
    # shares of respondents: 30/50 and 20/50
    assert o1["share"].tolist() == [0.6, 0.4] and o1["n"].tolist() == [50, 50]
    # 2x2 [[30, 20], [20, 30]] by hand: chi2 = N (ad - bc)^2 / (r1 r2 c1 c2)
    #   = 100 (900 - 400)^2 / 50^4 = 4.0; p = P(chi2_1 > 4) = 0.0455
    assert o1["multiple"].all() and o1["statistic"].iloc[0] == pytest.approx(4.0)
    assert round(o1["p"].iloc[0], 4) == 0.0455
    assert t.groupby("option")["test"].nunique().eq(1).all()


def test_spec_options_include_unchosen_and_missing_attribute_left_out():
    df = pd.DataFrame({"C1": [1, 1, 2, 2, 1, np.nan], "D1": ["a", "b", "a", "b", None, "a"]})
    spec = {"choices": {"C1": {"options": {1: "x", 2: "y", 3: "z"}}}}
    t = crosstab(df, "C1", "D1", spec=spec)
    assert sorted(t["option"].unique()) == [1, 2, 3]
    assert t["n"].unique().tolist() == [2]
    assert (t.loc[t["option"] == 3, "count"] == 0).all()


def test_no_test_possible_gives_reason():
    t = crosstab(pd.DataFrame({"C1": [1, 1, 1], "D1": list("abc")}), "C1", "D1")
    assert t["test"].iloc[0] == "" and "no test" in t["reason"].iloc[0]


def test_bad_input():
    with pytest.raises(DataError) as e:
        crosstab(pd.DataFrame({"C1": [1, "abc"], "D1": ["a", "b"]}), "C1", "D1")
    assert e.value.problems[0].value == "abc" and e.value.problems[0].row == 3
    with pytest.raises(DataError):
        crosstab(pd.DataFrame({"C1": [1]}), "C1", "D1")
    with pytest.raises(DataError):
        crosstab(pd.DataFrame({"D1": [1]}), "C9", "D1")
    with pytest.raises(ParameterError):
        crosstab(pd.DataFrame({"C1": [1]}), "C1", "C1")


def test_labels_and_categoricals_are_crossed_as_pandas_crosstab_does():
    # reference: pandas.crosstab for the counts, scipy's chi2_contingency for the test (no correction)
    from scipy.stats import chi2_contingency

    post = pd.Categorical(["高", "低", "中", "高", "低", "中", "高", "低"],
                          categories=["低", "中", "高", "无"])
    answers = ["同意", "不同意", "同意", "同意", "不同意", "同意", "不同意", "同意"]
    df = pd.DataFrame({"C1": answers, "D1": post})
    t = crosstab(df, "C1", "D1")
    ref = pd.crosstab(df["C1"], df["D1"])  # options sorted (text), levels in category order
    assert t["option"].tolist() == ["不同意"] * 3 + ["同意"] * 3
    assert t["level"].tolist() == ["低", "中", "高"] * 2  # the unused category 无 has no respondent
    assert t["count"].tolist() == ref[["低", "中", "高"]].to_numpy().ravel().tolist()
    chi2, p, dof, _ = chi2_contingency(ref[["低", "中", "高"]].to_numpy(), correction=False)
    assert t["statistic"].iloc[0] == pytest.approx(chi2) and t["p"].iloc[0] == pytest.approx(p)
    # an item kept as a categorical lists every category, chosen or not, in its order
    df["C2"] = pd.Categorical(df["C1"], categories=["同意", "不同意", "说不清"])
    t2 = crosstab(df, "C2", "D1")
    assert list(dict.fromkeys(t2["option"])) == ["同意", "不同意", "说不清"]
    assert t2.loc[t2["option"] == "说不清", "count"].tolist() == [0, 0, 0]
    # codes still work, and the same answers as codes give the same counts
    codes = df.assign(C1=df["C1"].map({"不同意": 1, "同意": 2}))
    assert crosstab(codes, "C1", "D1")["count"].tolist() == t["count"].tolist()
