"""Tests of grouplab.measures.evaluation: every rule pinned by a hand-computed case.

Reference for the bands: data/rubrics/party_group_evaluation.yml and issue 3 —
优秀 [95, 100], 合格 [80, 95), 基本合格 [60, 80), 不合格 [0, 60).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from grouplab.data.specs import load_rubric
from grouplab.errors import DataError, ParameterError
from grouplab.measures.evaluation import (
    annual_review,
    grade,
    grade_labels,
    leader_review,
    rectification,
    score,
)
from grouplab.paths import rubrics_dir


@pytest.fixture(scope="module")
def rubric():
    return load_rubric(rubrics_dir() / "party_group_evaluation.yml")


def _items(rubric, group="G1", period="2019H1", scores=None):
    """Long rows of one group-period; full marks unless ``scores`` overrides item scores."""
    s = {it["id"]: float(it["max"]) for it in rubric["items"]}
    s.update(scores or {})
    return pd.DataFrame({"group_id": group, "period": period, "item_id": list(s),
                         "score": list(s.values())})


# ----------------------------------------------------------------- grade
@pytest.mark.parametrize(("total", "expected"), [
    (100.0, "excellent"),
    (95.0, "excellent"),     # closed lower end of 优秀
    (94.99, "pass"),         # just under 95 → 合格
    (80.0, "pass"),          # closed lower end of 合格
    (79.5, "basic_pass"),    # seed "60–79" is [60, 80): 79.5 → 基本合格
    (60.0, "basic_pass"),
    (59.9, "fail"),
    (0.0, "fail"),
])
def test_grade_boundaries(total, expected):
    assert grade([total]).tolist() == [expected]


def test_grade_missing_and_out_of_range():
    # NaN, negative and above-100 totals have no grade (above 100 = an item over its max)
    assert grade([np.nan, -1.0, 100.5]).isna().all()


def test_grade_absorbs_float_summation_error():
    # 0.1 * 950 summed in floats is 94.99999999999… ; it is 95 → 优秀
    total = sum([0.1] * 950)
    assert total < 95.0
    assert grade([total]).tolist() == ["excellent"]


def test_grade_is_ordered_categorical_with_series_index():
    s = pd.Series([96.0, 50.0], index=["a", "b"])
    g = grade(s)
    assert list(g.index) == ["a", "b"]
    assert g.cat.ordered and list(g.cat.categories) == ["fail", "basic_pass", "pass", "excellent"]
    assert (g > "basic_pass").tolist() == [True, False]  # ordered comparisons work


def test_grade_labels_zh_en():
    g = grade([95.0, 80.0, 79.5, 10.0])
    assert grade_labels(g).tolist() == ["优秀", "合格", "基本合格", "不合格"]
    assert grade_labels(g, lang="en").tolist() == ["Excellent", "Pass", "Basic pass", "Fail"]


def test_grade_custom_bands_and_bad_bands():
    bands = [{"grade": "good", "min": 50}, {"grade": "bad", "min": 0}]
    assert grade([50.0, 49.9], bands=bands).tolist() == ["good", "bad"]
    with pytest.raises(DataError, match="descending"):
        grade([1.0], bands=[{"grade": "a", "min": 0}, {"grade": "b", "min": 50}])


# ----------------------------------------------------------------- score
def test_score_full_marks_and_subtotals(rubric):
    out = score(_items(rubric), rubric)
    row = out.iloc[0]
    # hand sums of the rubric maxima: ideology 8+7, organisation 10+8+7, conduct 8+7,
    # institutions 8+7, central_task 10+10+10
    assert row["total"] == 100.0
    assert (row["aspect_ideology"], row["aspect_organisation"], row["aspect_conduct"],
            row["aspect_institutions"], row["aspect_central_task"]) == (15, 25, 15, 15, 30)
    assert row["grade"] == "excellent" and row["n_items"] == 12
    assert row["missing_items"] == 0 and not row["over_max"]


def test_score_boundary_totals(rubric):
    # 100 − 5 = 95.0 → 优秀;  100 − 20.5 = 79.5 → 基本合格
    ev = pd.concat([_items(rubric, "G1", scores={"I03": 5.0}),
                    _items(rubric, "G2", scores={"I03": 0.0, "I11": 0.0, "I12": 9.5})])
    out = score(ev, rubric)
    assert out["total"].tolist() == [95.0, 79.5]
    assert out["grade"].tolist() == ["excellent", "basic_pass"]


def test_score_item_above_max_is_flagged(rubric):
    ev = _items(rubric, scores={"I01": 9.0})  # I01 max is 8
    out = score(ev, rubric)
    assert bool(out["over_max"].iloc[0])
    assert out["total"].iloc[0] == 101.0
    assert pd.isna(out["grade"].iloc[0])  # a total above 100 gets no grade


def test_score_missing_items_count_zero(rubric):
    ev = _items(rubric)
    ev = ev[~ev["item_id"].isin(["I02", "I07"])]  # 7 + 7 points not recorded
    out = score(ev, rubric)
    assert out[["total", "n_items", "missing_items"]].iloc[0].tolist() == [86.0, 10, 2]


def test_score_exclude_aspects_rescales(rubric):
    # central_task (30 points) dropped: 60 of the remaining 70 points → 60/70*100
    ev = _items(rubric, scores={"I01": 0.0, "I03": 0.0})  # −18 outside central_task
    out = score(ev, rubric, exclude_aspects=["central_task"])
    row = out.iloc[0]
    assert row["possible"] == 70.0 and row["raw_total"] == 52.0
    assert row["total"] == pytest.approx(52.0 / 70.0 * 100)
    assert "aspect_central_task" not in out.columns
    assert row["n_items"] == 9 and row["missing_items"] == 0


def test_score_exclude_outcome_linked_item(rubric):
    # dropping I10 (outcome_linked) from a group that lost all of it: 90/90 → 100
    ev = _items(rubric, scores={"I10": 0.0})
    assert score(ev, rubric)["total"].iloc[0] == 90.0
    out = score(ev, rubric, exclude_items=["I10"])
    assert out["total"].iloc[0] == 100.0 and out["aspect_central_task"].iloc[0] == 20.0


def test_score_sorted_keys_and_input_untouched(rubric):
    ev = pd.concat([_items(rubric, "G2", "2019H2"), _items(rubric, "G1", "2019H2"),
                    _items(rubric, "G1", "2019H1")], ignore_index=True)
    before = ev.copy()
    out = score(ev, rubric)
    pd.testing.assert_frame_equal(ev, before)
    assert list(zip(out["group_id"], out["period"])) == [
        ("G1", "2019H1"), ("G1", "2019H2"), ("G2", "2019H2")]


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.drop(columns="score"), "missing column"),
    (lambda d: d.assign(item_id=d["item_id"].replace("I01", "X99")), "not in the rubric"),
    (lambda d: pd.concat([d, d.head(1)]), "repeated"),
    (lambda d: d.assign(group_id=[None] + ["G1"] * 11), "without group_id"),
])
def test_score_bad_input(rubric, change, message):
    with pytest.raises(DataError, match=message):
        score(change(_items(rubric)), rubric)


def test_score_bad_exclusions(rubric):
    with pytest.raises(ParameterError, match="unknown"):
        score(_items(rubric), rubric, exclude_aspects=["nope"])
    with pytest.raises(ParameterError, match="nothing left"):
        score(_items(rubric), rubric, exclude_aspects=list(rubric["aspects"]))


# ----------------------------------------------------------------- annual review
def _scored(rows):
    return pd.DataFrame(rows, columns=["group_id", "period", "total"])


GROUPS = pd.DataFrame({"group_id": ["A", "B", "C", "D"], "unit_id": ["U1", "U1", "U1", "U2"]})


def test_advanced_group_highest_mean():
    s = _scored([("A", "2019H1", 90), ("A", "2019H2", 94),    # mean 92
                 ("B", "2019H1", 96), ("B", "2019H2", 90)])   # mean 93 → advanced
    out = annual_review(s, GROUPS)
    assert out[["unit_id", "year", "advanced_group", "advanced_mean", "tied"]].iloc[0].tolist() \
        == ["U1", 2019, "B", 93.0, False]


def test_advanced_group_tie_rule():
    # A and B both mean 91; B has the higher H2 → B. C equal to A on mean and H2 → smaller id A
    s = _scored([("A", "2019H1", 90), ("A", "2019H2", 92),
                 ("B", "2019H1", 89), ("B", "2019H2", 93)])
    out = annual_review(s, GROUPS)
    assert out["advanced_group"].iloc[0] == "B" and bool(out["tied"].iloc[0])
    s2 = _scored([("C", "2019H1", 90), ("C", "2019H2", 92),
                  ("A", "2019H1", 90), ("A", "2019H2", 92)])
    assert annual_review(s2, GROUPS)["advanced_group"].iloc[0] == "A"


def test_unit_with_one_half_year_only_has_no_advanced_group():
    # U2's only group D has 2019H1 only; U1's B has both halves in 2019
    s = _scored([("D", "2019H1", 99), ("B", "2019H1", 80), ("B", "2019H2", 82),
                 ("A", "2019H2", 100)])
    out = annual_review(s, GROUPS).set_index("unit_id")
    assert pd.isna(out.loc["U2", "advanced_group"]) and out.loc["U2", "n_complete"] == 0
    # A (one half-year, 100) cannot beat B (complete, mean 81)
    assert out.loc["U1", "advanced_group"] == "B"
    assert out.loc["U1", ["n_groups", "n_complete"]].tolist() == [2, 1]


def test_rectification_list():
    s = _scored([("A", "2019H1", 80.0), ("A", "2019H2", 79.5), ("B", "2019H1", 59.9),
                 ("C", "2019H1", 60.0), ("C", "2019H2", 95.0)])
    out = rectification(s)
    assert list(zip(out["group_id"], out["period"])) == [("A", "2019H2"), ("B", "2019H1"),
                                                         ("C", "2019H1")]
    assert out["grade"].astype(str).tolist() == ["basic_pass", "fail", "basic_pass"]
    assert annual_review(s, GROUPS)["n_rectification"].iloc[0] == 3


def test_leader_review_two_consecutive_years():
    # A: 2017 mean 85 (合格), 2018 mean 75 (低), 2019 mean 79.75 (低) → review in 2019 only
    # B: 2017 low, 2018 not evaluated, 2019 low → not consecutive, no review
    s = _scored([("A", "2017H1", 85), ("A", "2017H2", 85), ("A", "2018H1", 70),
                 ("A", "2018H2", 80), ("A", "2019H1", 79.5), ("A", "2019H2", 80),
                 ("B", "2017H1", 50), ("B", "2017H2", 50), ("B", "2019H1", 50),
                 ("B", "2019H2", 50)])
    out = leader_review(s).set_index(["group_id", "year"])
    assert out.loc[("A", 2019), "mean"] == 79.75
    assert out["review"].to_dict() == {("A", 2017): False, ("A", 2018): False,
                                       ("A", 2019): True, ("B", 2017): False,
                                       ("B", 2019): False}
    ar = annual_review(s, GROUPS).set_index("year")
    assert ar.loc[2019, "n_leader_review"] == 1


def test_yearly_grade_is_grade_of_mean():
    # H1 78 (基本合格) and H2 84 (合格): mean 81 → 合格, so not low
    out = leader_review(_scored([("A", "2019H1", 78), ("A", "2019H2", 84)]))
    assert out["grade"].iloc[0] == "pass" and not out["low"].iloc[0]


def test_annual_review_bad_input():
    with pytest.raises(DataError, match="not in groups"):
        annual_review(_scored([("Z", "2019H1", 90)]), GROUPS)
    with pytest.raises(DataError, match="2019H1"):
        annual_review(_scored([("A", "2019-1", 90)]), GROUPS)
    with pytest.raises(DataError, match="missing column"):
        annual_review(_scored([("A", "2019H1", 90)]), GROUPS.drop(columns="unit_id"))
