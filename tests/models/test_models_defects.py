"""Regression tests of the smaller defects of issue #14; each failed before its fix.

Numbers are hand calculations named in comments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from grouplab.errors import DataError, ParameterError
from grouplab.measures.benchmark import benchmarks, change
from grouplab.measures.survey.aggregation import aggregation
from grouplab.models import cox_model, mediation, rate_model
from grouplab.models.mediation import bootstrap_verdict, quantile_mcse
from grouplab.reports.common.disclosure import protect_table, suppression

CAT = {"indicators": [{"id": "loss", "unit": "t", "direction": "lower"}]}


# ----------------------------------------------------------------- disclosure
@pytest.mark.parametrize("cells", [[1, 1, 50], [4, 4, 50]])
def test_hidden_small_cells_cannot_be_recovered_from_the_total(cells):
    # before: only the two small cells were hidden; total - 50 = 2 (or 8) pins each one
    # down (1 and 1; 4 and 4). Now a cell of at least k is hidden with them.
    s = suppression(pd.Series(cells))
    assert s.tolist() == ["small", "small", "complement"]
    hidden = [c for c, st in zip(cells, s) if st]
    assert sum(hidden) >= 5          # with 50 hidden too, each small one can be anything 1..4


def test_two_small_cells_keeping_their_full_range_need_no_complement():
    # [3, 2] hidden, total - shown = 5: a in 1..4 and b = 5 - a in 1..4, nothing pinned
    assert suppression(pd.Series([12, 3, 2, 20])).tolist() == ["", "small", "small", ""]


def test_two_way_protection_needs_a_large_hidden_cell_in_every_line():
    # unit A hides 1 and 1 (sum 2) -> a column pass must not leave them as the only hidden cells
    t = pd.DataFrame({"unit": ["A"] * 3 + ["B"] * 3, "option": [1, 2, 3] * 2,
                      "count": [1, 1, 50, 20, 30, 40]})
    st = protect_table(t, row_keys=["unit"], col_keys=["option"])
    for key in ("unit", "option"):
        for _, idx in t.groupby(key).groups.items():
            line = st.loc[idx]
            if (line != "").any():       # [1, 1] alone would pin both cells: a complement joins
                assert (line == "complement").any() and (line != "").sum() >= 2


# ----------------------------------------------------------------- aggregation
def test_aggregation_with_identical_answers_is_not_a_zero_division():
    spec = {"name": "s", "range": [1, 5], "scales": {"A": {"items": ["q1", "q2"]}}}
    df = pd.DataFrame({"group_id": ["g1"] * 3 + ["g2"] * 3, "q1": 5, "q2": 5})
    a = aggregation(df, spec).iloc[0]
    # no variance at all: ICC = 0/0 is undefined; rwg = 1 (observed variance 0, hand)
    assert np.isnan(a["icc1"]) and np.isnan(a["icc2"]) and np.isnan(a["p"])
    assert a["rwg_j"] == pytest.approx(1.0)


# ----------------------------------------------------------------- benchmark
def test_a_missing_month_does_not_erase_the_station_benchmark():
    # S1 loss 5, (no value), 6 (lower is better): best before March = 5, gap = 5 - 6 = -1
    v = pd.DataFrame({"entity_id": "S1", "month": ["2011-01", "2011-02", "2011-03"],
                      "indicator_id": "loss", "value": [5.0, np.nan, 6.0]})
    b = benchmarks(v, CAT).set_index("month")
    assert b.loc[pd.Timestamp("2011-03-01"), "station_benchmark"] == 5.0
    assert b.loc[pd.Timestamp("2011-03-01"), "gap_station"] == -1.0


def test_change_without_data_in_the_later_year_is_unknown_not_false():
    v = pd.DataFrame({"entity_id": ["S1", "S1", "S2"], "month": ["2010-06", "2011-06", "2010-06"],
                      "indicator_id": "loss", "value": [10.0, 8.0, 7.0]})
    units = pd.DataFrame({"unit_id": ["S1", "S2"], "parent_id": ["A", "A"],
                          "level": ["station", "station"]})
    c = change(v, CAT, before=2010, after=2011, units=units, by="station").set_index("station_id")
    assert bool(c.loc["S1", "improved"]) is True                 # 10 -> 8, lower is better
    assert c.loc["S2", "improved"] is pd.NA and c.loc["S2", "n_after"] == 0


# ----------------------------------------------------------------- models
def test_cox_counts_subjects_by_the_subject_column_not_the_first_column():
    # 6 subjects followed for 1-3 months; the first column 'start' has only 3 distinct values
    rows = [(0, 1, 0, "A", 1.0), (1, 2, 1, "A", 1.0), (0, 1, 1, "B", 0.0), (0, 1, 0, "C", 1.0),
            (1, 2, 0, "C", 1.0), (2, 3, 1, "C", 1.0), (0, 1, 0, "D", 0.0), (1, 2, 1, "D", 0.0),
            (0, 1, 0, "E", 1.0), (1, 2, 0, "E", 1.0), (0, 1, 0, "F", 0.0), (1, 2, 0, "F", 0.0),
            (2, 3, 0, "F", 0.0)]
    cp = pd.DataFrame(rows, columns=["start", "stop", "event", "g", "x"])
    r = cox_model(cp, ["x"], subject="g")
    assert r.attrs["n_subjects"] == 6 and r.attrs["n_events"] == 4


def test_all_zero_outcome_is_a_data_error_not_a_statsmodels_traceback():
    df = pd.DataFrame({"y": [0, 0, 0, 0], "x": [0, 1, 0, 1], "h": 1.0})
    with pytest.raises(DataError, match="zero in every row"):
        rate_model(df, "y ~ x", exposure="h")


def test_mediation_with_two_treated_of_twelve_is_a_data_error():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": [1, 1] + [0] * 10, "m": rng.normal(size=12), "y": rng.normal(size=12)})
    with pytest.raises(DataError, match="bootstrap"):
        mediation(df, x="x", m="m", y="y")
    with pytest.raises(ParameterError, match="n_boot"):
        mediation(df, x="x", m="m", y="y", n_boot=200)


def test_quantile_mcse_matches_the_asymptotic_formula():
    # sqrt(q(1-q)/B) / phi(z_q) for standard normal draws, q = 0.025, B = 20000:
    # sqrt(0.025*0.975/20000) / 0.05845 = 0.01889 (hand calculation)
    d = np.random.default_rng(1).normal(size=20000)
    assert quantile_mcse(d, 0.025) == pytest.approx(0.01889, rel=0.15)


@pytest.mark.parametrize("lo, hi, verdict", [(0.01, 0.4, "inconclusive"), (0.2, 0.4, "supported"),
                                             (-0.2, 0.3, "not supported"),
                                             (-0.005, 0.3, "inconclusive")])
def test_mediation_verdict_is_inconclusive_within_two_mc_se_of_zero(lo, hi, verdict):
    assert bootstrap_verdict(lo, hi, 0.01, 0.01) == verdict
