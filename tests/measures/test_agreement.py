"""Agreement statistics against Krippendorff (2011) and scikit-learn."""

import numpy as np
import pandas as pd
import pytest
from grouplab.errors import ParameterError
from grouplab.measures.agreement import (
    LEVELS,
    agreement_verdict,
    alpha_resamples,
    bootstrap_ci,
    code_agreement,
    cohen_kappa,
    kappa_resamples,
    krippendorff_alpha,
    machine_agreement,
)
from sklearn.metrics import cohen_kappa_score, f1_score, precision_score, recall_score

NAN = float("nan")
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: 4 observers × 12 units
REL_C = [[1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
         [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN]]


@pytest.mark.parametrize("level, published", [("nominal", 0.743), ("ordinal", 0.815),
                                              ("interval", 0.849), ("ratio", 0.797)])
def test_alpha_reproduces_krippendorff_2011_section_c(level, published):
    assert round(krippendorff_alpha(REL_C, level), 3) == published


def test_alpha_binary_two_observers_section_a():
    # Krippendorff (2011), section A: 2 observers, 10 units, binary data: alpha = 0.095
    rel = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
    assert round(krippendorff_alpha(rel), 3) == 0.095


def test_alpha_accepts_frames_strings_and_none():
    frame = pd.DataFrame(REL_C).map(lambda v: None if v != v else f"c{int(v)}")
    assert round(krippendorff_alpha(frame), 3) == 0.743
    assert np.isnan(krippendorff_alpha([[1, 1], [1, 1]]))  # one value only: undefined
    with pytest.raises(ParameterError):
        krippendorff_alpha(REL_C, level="bogus")
    with pytest.raises(ParameterError):
        krippendorff_alpha([["a", "b"], ["a", "b"]], level="interval")


def test_kappa_matches_scikit_learn():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 2, 200)
    b = np.where(rng.random(200) < 0.8, a, 1 - a)
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    c = rng.integers(0, 3, 50)
    d = rng.integers(0, 3, 50)
    assert cohen_kappa(c, d) == pytest.approx(cohen_kappa_score(c, d), abs=1e-12)


def test_kappa_of_a_coder_column_with_a_blank_counts_1_and_1_0_as_one_code():
    """A blank makes pandas read a coder's column as floats (1.0): kappa is that of the coded units."""
    rng = np.random.default_rng(4)
    a = rng.integers(0, 2, 60)
    b = np.where(rng.random(60) < 0.8, a, 1 - a)
    frame = pd.DataFrame({"A": list(a) + [1], "B": list(b) + [None]})  # B becomes float64 with NaN
    assert frame["B"].dtype == float
    expected = cohen_kappa_score(a, b)
    assert cohen_kappa(frame["A"], frame["B"]) == pytest.approx(expected, abs=1e-12)
    table = code_agreement({"x": frame.astype(object)}, n_boot=50)
    assert table.loc[0, "kappa"] == pytest.approx(expected, abs=1e-12)
    same = cohen_kappa_score([1, 0, 1], [1, 0, 0])
    assert cohen_kappa([True, False, True], [1.0, 0.0, 0.0]) == pytest.approx(same)


def test_bootstrap_ci_brackets_estimate_and_is_seeded():
    rng = np.random.default_rng(1)
    a = rng.integers(0, 2, 300)
    b = np.where(rng.random(300) < 0.85, a, 1 - a)
    mat = np.vstack([a, b]).astype(float)
    est = krippendorff_alpha(mat)
    lo, hi = bootstrap_ci(krippendorff_alpha, mat, n_boot=300, seed=7)
    assert lo < est < hi and hi - lo < 0.3
    assert (lo, hi) == bootstrap_ci(krippendorff_alpha, mat, n_boot=300, seed=7)


def test_code_agreement_table_and_verdicts():
    rng = np.random.default_rng(2)
    a = rng.integers(0, 2, 120).astype(float)
    b = np.where(rng.random(120) < 0.95, a, 1 - a)
    b[:5] = np.nan
    out = code_agreement({"x": pd.DataFrame({"c1": a, "c2": b})}, n_boot=200)
    row = out.iloc[0]
    assert row["units"] == 115
    assert row["kappa"] == pytest.approx(cohen_kappa_score(a[5:], b[5:]))
    assert row["alpha"] == pytest.approx(krippendorff_alpha(np.vstack([a, b])))
    assert agreement_verdict(0.800) == "rely" and agreement_verdict(0.667) == "tentative"
    assert agreement_verdict(0.66) == "revise" and agreement_verdict(NAN) == "undefined"


def test_machine_agreement_matches_scikit_learn():
    rng = np.random.default_rng(4)
    t = rng.random(100) < 0.4
    m = np.where(rng.random(100) < 0.85, t, ~t)
    out = machine_agreement(pd.DataFrame({"k": t}), pd.DataFrame({"k": m}), ["k"]).iloc[0]
    assert out["precision"] == pytest.approx(precision_score(t, m))
    assert out["recall"] == pytest.approx(recall_score(t, m))
    assert out["f1"] == pytest.approx(f1_score(t, m))
    assert out["kappa"] == pytest.approx(cohen_kappa_score(t, m))


@pytest.mark.parametrize("level", LEVELS)
def test_vectorised_resamples_equal_the_alpha_of_each_resample(level):
    # identity of the whole sample: the published Krippendorff (2011) values again
    ident = np.arange(12)[None, :]
    published = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}[level]
    assert round(float(alpha_resamples(REL_C, ident, level)[0]), 3) == published
    rng = np.random.default_rng(5)
    idx = rng.integers(0, 12, (400, 12))
    one_by_one = np.array([krippendorff_alpha(np.asarray(REL_C, dtype=float)[:, i], level) for i in idx])
    np.testing.assert_allclose(alpha_resamples(REL_C, idx, level), one_by_one, rtol=0, atol=1e-12)
    assert np.isnan(alpha_resamples(REL_C, np.full((1, 12), 6), level)[0])  # one value only: undefined


def test_vectorised_kappa_equals_cohen_kappa_of_each_resample():
    rng = np.random.default_rng(6)
    a = rng.integers(0, 3, 40).astype(float)
    b = np.where(rng.random(40) < 0.7, a, rng.integers(0, 3, 40)).astype(float)
    b[:4] = np.nan
    idx = rng.integers(0, 40, (300, 40))
    one_by_one = np.array([cohen_kappa(a[i], b[i]) for i in idx])
    np.testing.assert_allclose(kappa_resamples(a, b, idx), one_by_one, rtol=0, atol=1e-12)


def test_code_agreement_intervals_are_those_of_the_one_by_one_bootstrap():
    rng = np.random.default_rng(2)
    a = rng.integers(0, 2, 80).astype(float)
    b = np.where(rng.random(80) < 0.85, a, 1 - a)
    b[:3] = np.nan
    row = code_agreement({"x": pd.DataFrame({"c1": a, "c2": b})}, n_boot=300, seed=9).iloc[0]
    mat = np.vstack([a, b])
    lo, hi = bootstrap_ci(krippendorff_alpha, mat, n_boot=300, seed=9)
    assert (row["alpha_lo"], row["alpha_hi"]) == pytest.approx((lo, hi), abs=1e-12)
    lo, hi = bootstrap_ci(lambda m: cohen_kappa(m[0], m[1]), mat, n_boot=300, seed=9)
    assert (row["kappa_lo"], row["kappa_hi"]) == pytest.approx((lo, hi), abs=1e-12)
