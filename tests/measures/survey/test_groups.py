"""compare_groups against R output on R's own datasets (tests/fixtures/survey_analysis/SOURCES.md).

References, quoted where used:
- R ``?t.test`` / ``?wilcox.test`` examples on ``sleep`` (R 4.x printouts).
- ``anova(lm(weight ~ group, PlantGrowth))``, ``oneway.test``, ``TukeyHSD(aov(...))``,
  ``kruskal.test`` and ``car::leveneTest`` on ``PlantGrowth`` as printed in STHDA's
  "One-Way ANOVA Test in R" (sthda.com) and R's ``?PlantGrowth``.
- jamovi's own test of ``jmv::anovaOneW`` on ``ToothGrowth`` (len ~ dose; Welch F, Levene,
  Games–Howell), jamovi/jmv ``tests/testthat/testanovaonew.R``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from grouplab.errors import DataError, ParameterError
from grouplab.measures.survey.analysis import compare_groups

DATA = Path(__file__).parents[2] / "fixtures" / "survey_analysis"


@pytest.fixture(scope="module")
def sleep():
    return pd.read_csv(DATA / "sleep.csv")


@pytest.fixture(scope="module")
def plants():
    return pd.read_csv(DATA / "PlantGrowth.csv")


@pytest.fixture(scope="module")
def teeth():
    return pd.read_csv(DATA / "ToothGrowth.csv", dtype={"dose": str})


def _test(t, name):
    return t[(t["kind"] == "test") & (t["test"] == name)].iloc[0]


def test_welch_and_student_t_match_r_on_sleep(sleep):
    t = compare_groups(sleep, "extra", "group")
    # t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776, p-value = 0.07939,
    # 95 percent CI -3.3654832 0.2054832; means 0.75 and 2.33
    w = _test(t, "welch_t")
    assert w["chosen"]
    assert round(w["statistic"], 4) == -1.8608 and round(w["df1"], 3) == 17.776
    assert round(w["p"], 5) == 0.07939
    assert round(w["ci_low"], 5) == -3.36548 and round(w["ci_high"], 5) == 0.20548
    # t.test(..., var.equal = TRUE): t = -1.8608, df = 18, p-value = 0.07919, CI -3.363874 0.203874
    s = _test(t, "student_t")
    assert not s["chosen"] and s["df1"] == 18 and round(s["p"], 5) == 0.07919
    assert round(s["ci_low"], 5) == -3.36387
    # Cohen's d by hand: SDs 1.789010 and 2.002249 -> pooled sqrt((3.200556+4.009000)/2) = 1.898625;
    # d = (0.75 - 2.33)/1.898625 = -0.83217
    assert round(w["effect_size"], 4) == -0.8322
    # wilcox.test(extra ~ group, data = sleep): W = 25.5, p-value = 0.06933 (normal approx., ties)
    u = _test(t, "mann_whitney")
    assert u["statistic"] == 25.5 and round(u["p"], 5) == 0.06933
    groups = t[t["kind"] == "group"]
    assert groups["mean1"].round(2).tolist() == [0.75, 2.33]


def test_student_requested(sleep):
    t = compare_groups(sleep, "extra", "group", equal_var=True)
    assert _test(t, "student_t")["chosen"] and not _test(t, "welch_t")["chosen"]


def test_anova_welch_tukey_kruskal_match_r_on_plantgrowth(plants):
    t = compare_groups(plants, "weight", "group", equal_var=True)
    # anova(lm(weight ~ group, PlantGrowth)): F = 4.8461 on 2 and 27, Pr(>F) = 0.01591;
    # Sum Sq group 3.7663, residuals 10.4921
    a = _test(t, "anova")
    assert round(a["statistic"], 4) == 4.8461 and (a["df1"], a["df2"]) == (2, 27)
    assert round(a["p"], 5) == 0.01591
    # eta^2 by hand = 3.7663/(3.7663+10.4921) = 0.2641;
    # omega^2 = (3.7663 - 2*0.38860)/(14.2584 + 0.38860) = 0.2041
    assert round(a["effect_size"], 4) == 0.2641
    assert round(_test(t, "welch_anova")["effect_size"], 4) == 0.2041
    # oneway.test(weight ~ group, PlantGrowth): F = 5.181, num df = 2, denom df = 17.128, p = 0.01739
    w = _test(t, "welch_anova")
    assert round(w["statistic"], 3) == 5.181 and round(w["df2"], 3) == 17.128
    assert round(w["p"], 5) == 0.01739
    # kruskal.test(weight ~ group, PlantGrowth): chi-squared = 7.9882, df = 2, p-value = 0.01842
    k = _test(t, "kruskal")
    assert round(k["statistic"], 4) == 7.9882 and round(k["p"], 5) == 0.01842
    # TukeyHSD(aov(weight ~ group, PlantGrowth)):
    #   trt1-ctrl -0.371 -1.0622161 0.3202161 0.3908711
    #   trt2-ctrl  0.494 -0.1972161 1.1852161 0.1979960
    #   trt2-trt1  0.865  0.1737839 1.5562161 0.0120064
    pairs = t[t["kind"] == "pair"]
    assert (pairs["test"] == "tukey").all()
    assert pairs["estimate"].round(3).tolist() == [-0.371, 0.494, 0.865]
    assert pairs["ci_low"].round(4).tolist() == [-1.0622, -0.1972, 0.1738]
    assert pairs["ci_high"].round(4).tolist() == [0.3202, 1.1852, 1.5562]
    assert pairs["p"].round(4).tolist() == [0.3909, 0.1980, 0.0120]


def test_levene_brown_forsythe_matches_car_on_plantgrowth(plants):
    # car::leveneTest(weight ~ group, PlantGrowth) (center = median): F = 1.1192 on 2, 27, p = 0.3412
    t = compare_groups(plants, "weight", "group", levene_center="median")
    lev = _test(t, "levene")
    assert round(lev["statistic"], 4) == 1.1192 and round(lev["p"], 4) == 0.3412


def test_welch_anova_levene_games_howell_match_jamovi_on_toothgrowth(teeth):
    t = compare_groups(teeth, "len", "dose", posthoc="games_howell")
    # jmv::anovaOneW(len ~ dose): F[fisher] 67.416, F[welch] 68.401, df2[welch] 37.743,
    # p[welch] 2.8124e-13; Levene F = 0.73276 on 2, 57, p = 0.48505
    assert round(_test(t, "anova")["statistic"], 3) == 67.416
    w = _test(t, "welch_anova")
    assert round(w["statistic"], 3) == 68.401 and round(w["df2"], 3) == 37.743
    assert w["p"] == pytest.approx(2.8124e-13, rel=1e-4)
    lev = _test(t, "levene")
    # (jamovi's test compares with testthat's relative tolerance 1e-5)
    assert lev["statistic"] == pytest.approx(0.73276, rel=1e-5)
    assert lev["p"] == pytest.approx(0.48505, rel=1e-5)
    # Games-Howell: t(0.5 vs 1) = -6.4766 (ours is mean2 - mean1, so +), df(1 vs 2) = 37.101,
    # p(1 vs 2) = 5.5686e-05, mean difference 0.5 - 2 = -15.495
    pairs = t[t["kind"] == "pair"].set_index(["group1", "group2"])
    assert round(pairs.loc[("0.5", "1"), "statistic"], 4) == 6.4766
    assert round(pairs.loc[("1", "2"), "df1"], 3) == 37.101
    assert pairs.loc[("1", "2"), "p"] == pytest.approx(5.5686e-05, rel=1e-3)
    assert round(pairs.loc[("0.5", "2"), "estimate"], 3) == 15.495


def test_levene_chooses_posthoc(teeth):
    # Levene p = 0.485 >= .05 -> classic ANOVA chosen, Tukey pairs
    t = compare_groups(teeth, "len", "dose")
    assert _test(t, "anova")["chosen"] and not _test(t, "welch_anova")["chosen"]
    assert (t.loc[t["kind"] == "pair", "test"] == "tukey").all()


def test_bh_across_outcomes(plants):
    df = plants.assign(noise=np.tile([1.0, 2.0, 3.0], 10) + np.arange(30) * 0.01)
    t = compare_groups(df, ["weight", "noise"], "group", equal_var=True)
    chosen = t[(t["kind"] == "test") & t["chosen"]].set_index("outcome")
    p = chosen["p"].to_numpy()
    # BH by hand for m = 2: larger p stays; smaller p becomes min(2 p_small, p_large)
    lo, hi = sorted(p)
    expect = {lo: min(2 * lo, hi), hi: hi}
    assert chosen["p_bh"].tolist() == pytest.approx([expect[v] for v in p])
    assert t.loc[t["kind"] == "pair", "p_bh"].isna().all()


def test_bad_groups_give_a_reason_not_a_traceback():
    df = pd.DataFrame({"y": [1.0, 2, 3, 4, 5], "g": ["a", "a", "a", "a", "b"]})
    t = compare_groups(df, "y", "g")
    assert "fewer than two respondents: b" in t.loc[t["kind"] == "test", "reason"].iloc[0]
    flat = pd.DataFrame({"y": [3.0] * 6, "g": list("aabbcc")})
    assert "constant" in compare_groups(flat, "y", "g")["reason"].iloc[-1]


def test_bad_input_errors():
    df = pd.DataFrame({"y": [1, "x", 3, 4], "g": list("aabb")})
    with pytest.raises(DataError) as e:
        compare_groups(df, "y", "g")
    p = e.value.problems[0]
    assert (p.column, p.row, p.value) == ("y", 3, "x")
    with pytest.raises(DataError):
        compare_groups(df, "y", "missing")
    with pytest.raises(ParameterError):
        compare_groups(df.assign(y=1.0), "y", "g", posthoc="scheffe")


def test_groups_given_as_labels_or_a_categorical_are_in_category_order_else_sorted():
    # means by hand: 低 (1, 5, 8) -> 14/3, 中 (3, 6) -> 4.5, 高 (4, 7) -> 5.5
    y = [1.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
    by = pd.Categorical(["低", "中", "高", "低", "中", "高", "低"], categories=["高", "中", "低"])
    t = compare_groups(pd.DataFrame({"y": y, "by": by}), "y", "by")
    g = t[t["kind"] == "group"]
    assert g["group1"].tolist() == ["高", "中", "低"]
    assert g["mean1"].tolist() == pytest.approx([5.5, 4.5, 14 / 3])
    text = compare_groups(pd.DataFrame({"y": y, "by": list(by.astype(str))}), "y", "by")
    assert text.loc[text["kind"] == "group", "group1"].tolist() == sorted(["低", "中", "高"])
    mixed = compare_groups(pd.DataFrame({"y": y, "by": [1, "b", 1, "b", 2, 2, 1]}), "y", "by")
    assert mixed.loc[mixed["kind"] == "group", "group1"].tolist() == [1, 2, "b"]  # by text: '1' < '2' < 'b'
