"""Results of models in Jupyter (issue 27): the header line read from attrs, escaped, zh and en.

The rate model is the documented example of :func:`grouplab.models.rate_model` (9 rows, irr of x
2.773 = (7+8+9+10+12+15)/60 over (2+3+6)/30, a hand calculation of the two rates).
"""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from grouplab.data.results import ResultTable, result_header
from grouplab.models import event_study, interrupted_time_series, rate_model
from grouplab.models.design import StatisticalWarning

HOSTILE = "<script>alert(1)</script>"
DATA = pd.DataFrame({"n": [2, 3, 6, 7, 8, 9, 10, 12, 15], "hours": [10.0] * 9,
                     "x": [0, 0, 0, 1, 1, 1, 1, 1, 1], HOSTILE: [1, 1, 2, 2, 3, 3, 4, 4, 5]})


@pytest.fixture(autouse=True)
def _no_display_lang(monkeypatch):
    monkeypatch.delenv("GROUPLAB_LANG", raising=False)


def test_rate_model_header_names_n_method_and_inference():
    t = rate_model(DATA, "n ~ x", exposure="hours")
    assert isinstance(t, ResultTable)
    assert t.header("en") == ("poisson rate model n ~ x · n = 9 · "
                              "inference: model-based SEs, rows taken as independent")
    assert t.header("zh") == "poisson 率模型 n ~ x · n = 9 · 推断：模型标准误，各行视为独立"
    assert round(float(t.loc[1, "irr"]), 3) == 2.773  # (54/60) / (11/30)
    assert repr(t).splitlines()[0] == t.header("zh")


def test_clustered_header_escapes_a_hostile_cluster_name(monkeypatch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)  # 5 clusters: the warning the header repeats
        t = rate_model(DATA, "n ~ x", exposure="hours", cluster=HOSTILE)
    monkeypatch.setenv("GROUPLAB_LANG", "en")
    page = t._repr_html_()
    assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "(5 clusters, cluster-robust SEs)" in page and "few clusters: SEs too small" in page
    monkeypatch.setenv("GROUPLAB_LANG", "zh")
    assert "5 个聚类，聚类稳健标准误" in t._repr_html_() and "聚类过少" in t._repr_html_()


def test_operations_return_plain_frames_with_attrs():
    t = rate_model(DATA, "n ~ x", exposure="hours")
    for out in (t[["term", "irr"]], t.round(3), t.copy(), pd.concat([t, t]), t[t["p"] < 1]):
        assert type(out) is pd.DataFrame and out.attrs["n"] == 9
        assert "rate model" not in repr(out) and "率模型" not in repr(out)
    back = pickle.loads(pickle.dumps(t))
    assert isinstance(back, ResultTable) and back.attrs == t.attrs
    pd.testing.assert_frame_equal(t, pd.DataFrame(t))


def test_its_header_states_hac_inference():
    months = pd.date_range("2018-01-01", periods=24, freq="MS")
    y = np.r_[np.linspace(10, 12, 12), np.linspace(8, 9, 12)] + np.tile([0.3, -0.3], 12)
    t = interrupted_time_series(pd.DataFrame({"month": months, "value": y}), interruption="2019-01")
    assert "n = 24" in t.header("en") and "Newey–West HAC" in t.header("en")
    assert "间断时间序列" in t.header("zh")


def test_event_study_html_has_header_pooled_and_pretrend():
    rng = np.random.default_rng(1)  # the event_study docstring's panel: 40 groups, 20 adopting
    g = np.repeat(np.arange(40), 36)
    t = np.tile(np.arange(36), 40)
    start = np.where(np.arange(40) < 20, 12 + 6 * (np.arange(40) % 2), np.nan)[g]
    m0 = pd.Period("2017-01", "M")
    df = pd.DataFrame({"group_id": g, "y": rng.poisson(5 * np.where(t >= start, 0.8, 1.0)), "h": 1.0,
                       "month": [(m0 + int(k)).to_timestamp() for k in t],
                       "adopt": [pd.NaT if np.isnan(s) else (m0 + int(s)).to_timestamp() for s in start]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        es = event_study(df, "y", cohort="adopt", exposure="h", window=(-6, 6))
    en = es.__class__._repr_html_(es)
    assert "event study (stacked, reference bin -1)" not in en  # default language is zh
    assert "事件研究（stacked，参照期 -1）" in en and "40 个聚类" in en
    irr = es.pooled["irr"]
    assert f"IRR {irr:.3f}" in en and "前趋势检验" in en
    assert repr(es).splitlines()[1].startswith(f"采纳后合并效应 IRR {irr:.3f}")


def test_header_of_unknown_attrs_is_empty_not_an_error():
    assert result_header({}, "en") == ""
    assert result_header({"function": "rate_model", "n": 3}, "en") == "rate model · n = 3"


def test_randomization_result_shows_level_permutations_and_p(monkeypatch):
    from grouplab.models.inference import RandomizationResult

    r = RandomizationResult(0.5, np.array([0.1, -0.6, 0.2, 0.7]), 0.6, 4, "unit_id", 5, "static_post")
    lines, table = r.summary("en")
    assert lines[0] == ("randomisation inference (adoption dates permuted across unit_id, "
                        "statistic static_post)")
    assert "unit_id (5 units); 4 permutations, two-sided p = 0.6" in lines[1]
    assert "2 permutations with |statistic| ≥ |observed|" in lines[2]  # |-0.6|, |0.7| ≥ 0.5 by hand
    # 2.5 % point by linear interpolation of (-0.6, 0.1, 0.2, 0.7): -0.6 + 0.075 × 0.7 = -0.5475
    assert table["value"].tolist() == pytest.approx([0.5, -0.5475, 0.15, 0.6625, 0.6])
    monkeypatch.setenv("GROUPLAB_LANG", "zh")
    html = r._repr_html_()
    assert "<b>随机化推断" in html and "置换分布中位数" in html and "permutation median" not in html
