"""Tests of measures.survey.scales and measures.survey.reliability against outside references.

References (quoted where used):
- bruceR 0.8.5 manual, ``Alpha(psych::bfi, "E", 1:5, rev=c("E1","E2"))`` (psych::alpha/omega).
- bruceR 0.8.5 manual, ``HLM_ICC_rWG(lme4::sleepstudy, "Subject", "Reaction")``.
- Newcombe (1998), Stat Med 17:857-872, Table I, Wilson score intervals.
- Hand calculations written out in the comments.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from grouplab.errors import DataError, ParameterError
from grouplab.measures.survey.aggregation import aggregation
from grouplab.measures.survey.reliability import item_statistics, reliability, validity
from grouplab.measures.survey.scales import choice_shares, score_scales, wilson_interval

REF = Path(__file__).parents[2] / "fixtures" / "reference"
E_SPEC = {"range": [1, 6], "scales": {"E": {"items": ["E1", "E2", "E3", "E4", "E5"],
                                           "reverse": ["E1", "E2"]}}}


@pytest.fixture(scope="module")
def bfi():
    return pd.read_csv(REF / "bfi_extraversion.csv")


# --------------------------------------------------------------------------- bfi vs psych
def test_alpha_omega_match_psych_on_bfi_extraversion(bfi):
    # bruceR::Alpha(psych::bfi, "E", 1:5, rev=c("E1","E2")) prints
    #   Valid Cases: 2713 (96.9%)   Cronbach's α = 0.761   McDonald's ω = 0.763
    r = reliability(bfi, E_SPEC, missing="listwise").iloc[0]
    assert r["n"] == 2713 and r["n_items"] == 5
    assert round(r["alpha"], 3) == 0.761
    assert round(r["omega"], 3) == 0.763


def test_item_statistics_match_psych_on_bfi_extraversion(bfi):
    # bruceR::Alpha(... rev=c("E1","E2")), "Item Statistics (Cronbach's α If Item Deleted)":
    #            Mean    S.D. Item-Rest Cor. Cronbach's α
    # E1 (rev)  4.028 (1.632)          0.513        0.725
    # E2 (rev)  3.856 (1.607)          0.606        0.688
    # E3        4.000 (1.352)          0.501        0.728
    # E4        4.421 (1.461)          0.578        0.701
    # E5        4.418 (1.337)          0.455        0.742
    expected = pd.DataFrame({
        "mean": [4.028, 3.856, 4.000, 4.421, 4.418],
        "sd": [1.632, 1.607, 1.352, 1.461, 1.337],
        "citc": [0.513, 0.606, 0.501, 0.578, 0.455],
        "alpha_if_deleted": [0.725, 0.688, 0.728, 0.701, 0.742],
    })
    t = item_statistics(bfi, E_SPEC, missing="listwise")
    assert t["item"].tolist() == ["E1", "E2", "E3", "E4", "E5"]
    assert t["reversed"].tolist() == [True, True, False, False, False]
    pd.testing.assert_frame_equal(t[expected.columns].round(3), expected)


def test_pairwise_alpha_equals_covariance_formula(bfi):
    # psych::alpha default (use="pairwise"): alpha from cov(x, use="pairwise"), which
    # pandas DataFrame.cov computes the same way (pairwise-complete means).
    x = bfi[["E1", "E2", "E3", "E4", "E5"]].astype(float)
    x[["E1", "E2"]] = 7 - x[["E1", "E2"]]
    C = x.cov().to_numpy()
    k = 5
    expected = k / (k - 1) * (1 - np.trace(C) / C.sum())
    r = reliability(bfi, E_SPEC).iloc[0]
    assert r["alpha"] == pytest.approx(expected, abs=1e-12)
    R = x.corr().to_numpy()   # differs from cov2cor only through pairwise SDs
    assert r["alpha_std"] == pytest.approx(k / (k - 1) * (1 - k / R.sum()), abs=2e-3)
    assert r["n"] == int(x.notna().any(axis=1).sum())


def test_reverse_keying_is_applied_before_alpha(bfi):
    raw = reliability(bfi, {"range": [1, 6], "scales": {"E": {"items": ["E1", "E2", "E3", "E4",
                                                                      "E5"]}}},
                      missing="listwise").iloc[0]
    # bruceR::Alpha(psych::bfi, "E", 1:5) without reversing: Cronbach's α = -0.624
    assert round(raw["alpha"], 3) == -0.624


# --------------------------------------------------------------------------- score_scales
SPEC = {"range": [1, 5], "scales": {"A": {"items": ["A1", "A2", "A3", "A4"], "reverse": ["A4"]},
                                     "B": {"items": ["B1", "B2"]}}}


def test_score_scales_reverse_keying_and_min_answered():
    df = pd.DataFrame({"respondent_id": ["r1", "r2", "r3"], "group_id": ["g", "g", "h"],
                       "A1": [5, 4, 1], "A2": [5, None, None], "A3": [4, None, None],
                       "A4": [1, 2, None], "B1": [3, None, 2], "B2": [4, None, 2]})
    before = df.copy()
    s = score_scales(df, SPEC)
    # r1: A = (5 + 5 + 4 + (1+5-1)) / 4 = 4.75 ; r2: A = (4 + (6-2)) / 2 = 4.0 (2 of 4 = 0.5)
    # r3: only 1 of 4 A items -> NaN ; B of r2: nothing answered -> NaN
    assert s.columns.tolist() == ["respondent_id", "group_id", "A", "B"]
    assert s["A"].tolist()[:2] == [4.75, 4.0] and np.isnan(s["A"].iloc[2])
    assert s["B"].iloc[0] == 3.5 and np.isnan(s["B"].iloc[1]) and s["B"].iloc[2] == 2.0
    assert np.isnan(score_scales(df, SPEC, min_answered=1.0)["A"].iloc[1])
    pd.testing.assert_frame_equal(df, before)           # input not mutated


def test_score_scales_accepts_nullable_dtypes():
    df = pd.DataFrame({"A1": [5, pd.NA], "A2": [4, 3], "A3": [4, 3], "A4": [2, 2],
                       "B1": [1, 1], "B2": [1, 2]}).astype("Float64")
    assert score_scales(df, SPEC)["A"].tolist() == [4.25, 10 / 3]


def test_out_of_range_and_missing_items_raise():
    df = pd.DataFrame({"A1": [5, -2], "A2": [4, 3], "A3": [4, 3], "A4": [2, 2],
                       "B1": [1, 1], "B2": [1, 2]})
    with pytest.raises(DataError, match="outside the scale range"):
        score_scales(df, SPEC)
    with pytest.raises(DataError, match="B2"):
        reliability(df.drop(columns="B2").clip(lower=1), SPEC)
    with pytest.raises(ParameterError, match="pairwise"):
        reliability(df.clip(lower=1), SPEC, missing="all")


# --------------------------------------------------------------------------- choices
def test_wilson_matches_newcombe_1998():
    # Newcombe (1998) Table I, method 3 (score interval): 81/263 -> 0.2553-0.3662,
    # 15/148 -> 0.0624-0.1605, 0/20 -> 0.0000-0.1611, 1/29 -> 0.0061-0.1718
    lo, hi = wilson_interval([81, 15, 0, 1], [263, 148, 20, 29])
    np.testing.assert_allclose(np.round(lo, 4), [0.2553, 0.0624, 0.0, 0.0061])
    np.testing.assert_allclose(np.round(hi, 4), [0.3662, 0.1605, 0.1611, 0.1718])


def test_choice_shares_single_choice_by_group():
    df = pd.DataFrame({"unit_id": ["u1"] * 6 + ["u2"] * 3,
                       "C1": [1, 1, 2, 1, None, 3, 2, 2, 2]})
    spec = {"choices": {"C1": {"options": {1: "a", 2: "b", 3: "c"}}}}
    t = choice_shares(df, "C1", by="unit_id", spec=spec, k=3)
    assert t.columns.tolist() == ["unit_id", "item", "option", "label", "count", "n",
                                  "denominator", "share", "ci_low", "ci_high", "suppress"]
    assert t["label"].tolist()[:3] == ["a", "b", "c"]
    u1 = t[t["unit_id"] == "u1"]
    assert u1["count"].tolist() == [3, 1, 1] and (u1["n"] == 5).all()
    assert u1["share"].tolist() == [0.6, 0.2, 0.2]
    # small-cell rule with k=3: u1 counts 1 and 1 flagged; u2 has n=3 (not < 3), count 0 ok
    assert u1["suppress"].tolist() == [False, True, True]
    u2 = t[t["unit_id"] == "u2"]
    assert u2["count"].tolist() == [0, 3, 0] and not u2["suppress"].any()
    lo, hi = wilson_interval(3, 5)
    assert u1["ci_low"].iloc[0] == pytest.approx(float(lo))


def test_choice_shares_multiple_response_denominators():
    # 4 respondents, one skipped the question (all NaN); 5 ticks in total.
    df = pd.DataFrame({"Q6_1": [1, 1, 0, np.nan], "Q6_2": [1, 0, 1, np.nan],
                       "Q6_3": [0, 0, 1, np.nan]})
    by_resp = choice_shares(df, "Q6")
    assert by_resp["option"].tolist() == [1, 2, 3]
    assert by_resp["count"].tolist() == [2, 2, 1]
    assert (by_resp["n"] == 3).all() and (by_resp["denominator"] == "respondents").all()
    assert by_resp["share"].sum() == pytest.approx(5 / 3)       # > 1: respondents tick several
    by_ticks = choice_shares(df, "Q6", base="responses")
    assert (by_ticks["n"] == 5).all() and (by_ticks["denominator"] == "responses").all()
    assert by_ticks["share"].sum() == pytest.approx(1.0)


def test_choice_shares_multi_select_identified_by_label_across_waves():
    # wave 1 ticked 运动 and 阅读, wave 2 阅读 only; text-export columns are named by label, and a
    # file that lists its options in another order must not shift them (hand counts below)
    w1 = pd.DataFrame({"wave": [1, 1, 1], "Q6_运动": [1, 1, 0], "Q6_阅读": [0, 1, 1]})
    w2 = pd.DataFrame({"wave": [2, 2], "Q6_阅读": [1, 1], "Q6_运动": [0, 0]})
    t = choice_shares(pd.concat([w1, w2], ignore_index=True), "Q6", by="wave")
    got = {(r.wave, r.label): (r.count, r.n) for r in t.itertuples()}
    assert got == {(1, "运动"): (2, 3), (1, "阅读"): (2, 3), (2, "运动"): (0, 2), (2, "阅读"): (2, 2)}
    # with spec codes (as load_dataset writes Q6_<code> after matching labels) labels come along
    df = pd.DataFrame({"Q6_1": [1, 0], "Q6_2": [1, 1]})
    spec = {"choices": {"Q6": {"multiple": True, "options": {1: {"zh": "运动"}, 2: "阅读"}}}}
    t = choice_shares(df, "Q6", spec=spec)
    assert t[["option", "label", "count"]].values.tolist() == [[1, "运动", 1], [2, "阅读", 2]]


# --------------------------------------------------------------------------- aggregation
def test_icc_matches_published_sleepstudy():
    # bruceR::HLM_ICC_rWG(lme4::sleepstudy, group="Subject", icc.var="Reaction"):
    #   ICC(1) = 0.395, ICC(2) = 0.867   (18 groups of 10)
    s = pd.read_csv(REF / "sleepstudy.csv")
    spec = {"range": [0, 1000], "scales": {"reaction": {"items": ["Reaction"]}}}
    a = aggregation(s, spec, group="Subject").iloc[0]
    assert a["n_groups"] == 18 and a["n"] == 180
    assert round(a["icc1"], 3) == 0.395
    assert round(a["icc2"], 3) == 0.867


def test_rwg_j_hand_calculation():
    # Group a, 2 items on a 1-5 scale (A = 5, sigma_EU^2 = (25-1)/12 = 2):
    #   A1 = 4,5,4 (var 1/3); A2 = 3,4,5 (var 1); mean var 2/3; ratio 1/3
    #   rwg(2) = 2(1 - 1/3) / (2(1 - 1/3) + 1/3) = (4/3) / (5/3) = 0.8
    # Group b: A1 = 2,1,2 (1/3), A2 = 1,2,2 (1/3): ratio 1/6 -> (5/3)/(11/6) = 10/11
    # Group c: 1 member -> left out. Group d: 1,5 / 5,1: mean var 8 > 2 -> rwg = 0
    # ICC by one-way ANOVA on scale means a: 3.5,4.5,4.5  b: 1.5,1.5,2
    #   (d: 3, 3): MSB, MSW by hand below.
    df = pd.DataFrame({"group_id": list("aaabbbcdd"),
                       "A1": [4, 5, 4, 2, 1, 2, 3, 1, 5], "A2": [3, 4, 5, 1, 2, 2, 3, 5, 1]})
    spec = {"range": [1, 5], "scales": {"A": {"items": ["A1", "A2"]}}}
    a = aggregation(df, spec).iloc[0]
    assert a["rwg_j"] == pytest.approx((0.8 + 10 / 11 + 0.0) / 3)
    assert a["n_groups"] == 3 and a["n"] == 8
    y = {"a": [3.5, 4.5, 4.5], "b": [1.5, 1.5, 2.0], "d": [3.0, 3.0]}
    allv = np.concatenate(list(y.values()))
    ssb = sum(len(v) * (np.mean(v) - allv.mean()) ** 2 for v in y.values())
    ssw = sum(((np.array(v) - np.mean(v)) ** 2).sum() for v in y.values())
    msb, msw, kbar = ssb / 2, ssw / 5, 8 / 3
    assert a["icc1"] == pytest.approx((msb - msw) / (msb + (kbar - 1) * msw))
    assert a["icc2"] == pytest.approx((msb - msw) / msb)


# --------------------------------------------------------------------------- validity
def test_kmo_bartlett_equicorrelation_hand_calculation():
    # p items with all correlations r: R^-1 gives partial correlations
    # a = r / (1 + (p - 2) r), so KMO = MSA_i = r^2 / (r^2 + a^2).
    # Bartlett: |R| = (1 - r)^(p-1) (1 + (p-1) r).
    rng = np.random.default_rng(1)
    p, r, n = 4, 0.5, 400
    R = np.full((p, p), r) + (1 - r) * np.eye(p)
    Z = rng.standard_normal((n, p))
    Z = (Z - Z.mean(0)) @ np.linalg.inv(np.linalg.cholesky(np.cov(Z.T)).T)   # exact identity cov
    X = Z @ np.linalg.cholesky(R).T                                            # exact corr R
    df = pd.DataFrame(X, columns=[f"A{i}" for i in range(1, p + 1)])
    assert np.allclose(np.corrcoef(df.to_numpy().T), R, atol=1e-12)
    spec = {"range": [-100, 100], "scales": {"A": {"items": list(df.columns)}}}
    v = validity(df, spec)
    head = v[(v["scope"] == "A") & v["item"].isna()].iloc[0]
    a = r / (1 + (p - 2) * r)
    assert head["kmo"] == pytest.approx(r**2 / (r**2 + a**2))
    chi2 = -(n - 1 - (2 * p + 5) / 6) * np.log((1 - r) ** (p - 1) * (1 + (p - 1) * r))
    assert head["chi2"] == pytest.approx(chi2) and head["df"] == 6 and head["n"] == n
    items = v[(v["scope"] == "A") & v["item"].notna()]
    assert np.allclose(items["kmo"], r**2 / (r**2 + a**2))


# --------------------------------------------------------------------------- demo
def test_demo_survey_runs_end_to_end():
    import grouplab

    d = grouplab.load_demo()
    s, q = d["survey"], d.questionnaire
    rel = reliability(s, q)
    assert rel["scale"].tolist() == list(q["scales"])
    assert (rel["alpha"] > 0.6).all() and (rel["omega"] >= rel["alpha"] - 0.01).all()
    assert len(item_statistics(s, q)) == sum(len(v["items"]) for v in q["scales"].values())
    agg = aggregation(s, q)
    assert ((agg["icc1"] > 0) & (agg["icc2"] < 1)).all()
    c1 = choice_shares(s, "C1", by="wave", spec=q)
    assert set(c1["wave"]) == {2017, 2018, 2019}
