"""Study report (notebook 03): truth beside estimates on the demo, parameters, papermill runs.

Truth: data/demo/truth.yml, written by grouplab.synth from TRUTH (violations: posts 0.80,
training 0.90, flags 1.10, meetings 1.00).
"""

import shutil

import papermill as pm
import pytest
from grouplab import ParameterError
from grouplab.paths import demo_dir, notebooks_dir
from grouplab.reports import study as s


@pytest.fixture(scope="module")
def models():
    ctx = s.prepare("demo", outcome="violation", lag_months=1, lang="en", ri_draws=19)
    return ctx, s.model_table(ctx)


def test_lagged_fixed_effects_cover_the_truth_and_naive_misses(models):
    _, table = models
    t = table.set_index(["model", "measure"])
    for m in ("area_adopted", "trained_prev_12m", "quality_deficit", "n_meetings"):
        row = t.loc[("fe_lag", m)]
        assert row["ci_low"] <= row["truth"] <= row["ci_high"], m
    # confounding and the feedback loop push the naive model away in the documented direction
    assert t.loc[("naive", "quality_deficit"), "ci_low"] > 1.10
    assert t.loc[("naive", "n_meetings"), "ci_low"] > 1.0
    assert t.loc[("naive", "trained_prev_12m"), "ci_high"] < 0.90


def test_each_measure_is_clustered_where_it_is_assigned_and_bh_is_shown(models):
    _, table = models
    by = table.drop_duplicates("measure").set_index("measure")
    assert by.loc["area_adopted", "cluster"] == "unit_id" and by.loc["area_adopted", "n_clusters"] == 10
    assert by.loc["trained_prev_12m", "cluster"] == "group_id"
    assert (table["p_bh"] >= table["p"]).all() and len(table) == 12


def test_ri_permutes_the_pooled_effect_the_report_shows(models):
    # the sentence puts the RI p beside the stacked pooled effect: the statistic must be that
    # estimate (observed = the event table's pooled log IRR) and the label must say so
    ctx, _ = models
    es, ri = s.event_table(ctx), s.ri_table(ctx)
    assert ri.observed == es.pooled["estimate"] and ri.statistic == "stacked_pooled"
    assert ri.n_perm == 19 and ri.n_units == 10
    table = s.format_inference(s.post_inference_table(ctx, es, ri, reps=99), ctx)
    assert "statistic: the stacked event study's average post effect" in table.iloc[1, 0]


def test_sentences_and_labels(models):
    ctx, table = models
    assert "true value is 0.80" in s.interpret_models(table, ctx)
    assert "only 10 areas" in s.interpret_clusters(table, ctx)
    labels = s.format_models(table, ctx)
    assert "Fixed effects + 1-month lag" in labels["Model"].tolist()
    assert "BH-adjusted p" in labels.columns


def test_zh_event_table_has_no_raw_column_names():
    ctx = s.prepare("demo", outcome="violation", lag_months=1, lang="zh", ri_draws=19)
    es = s.event_table(ctx)
    shown = s.format_event(es, ctx)
    assert not {"event_time", "term", "estimate", "irr", "p"} & set(shown.columns)
    assert shown.iloc[3, 0].endswith("（参照期）")
    # one reference: the pooled effect is the mean of the post points the table shows
    post = es.table[es.table["event_time"] >= 0]
    assert es.pooled["estimate"] == pytest.approx(post["estimate"].mean())


def test_truth_is_shown_only_when_the_folder_ships_truth_yml(tmp_path):
    shutil.copytree(demo_dir(), tmp_path / "demo")
    shutil.copytree(demo_dir().parent / "rubrics", tmp_path / "rubrics")
    (tmp_path / "demo" / "truth.yml").unlink()
    ctx = s.prepare(str(tmp_path / "demo"), outcome="violation", lag_months=1, lang="en")
    assert ctx.truth is None and ctx.true_irr("area_adopted") is None


@pytest.mark.parametrize("kw, message", [({"outcome": "fire"}, "choose one of"),
                                         ({"lag_months": 0}, "lag_months"),
                                         ({"lang": "de"}, "zh, en"),
                                         ({"ri_draws": 5}, "ri_draws")])
def test_bad_parameters(kw, message):
    args = {"outcome": "violation", "lag_months": 1, "lang": "zh", **kw}
    with pytest.raises(ParameterError, match=message):
        s.prepare("demo", **args)


def test_entity_is_the_outcome():
    assert s.ENTITY == "outcome"


@pytest.mark.parametrize("params", [{"outcome": "hidden_hazard", "lag_months": 3, "lang": "en"},
                                    {"outcome": "responsibility_accident", "lag_months": 2, "lang": "zh"}])
@pytest.mark.slow
def test_notebook_runs_with_other_parameters(tmp_path, params):
    out = tmp_path / "03.ipynb"
    pm.execute_notebook(str(notebooks_dir() / "03_measures_and_outcomes.ipynb"), str(out),
                        parameters={**params, "ri_draws": 19}, kernel_name="grouplab",
                        progress_bar=False)
    text = out.read_text(encoding="utf-8")
    assert '"ename"' not in text
    assert ("Fixed effects + " in text) == (params["lang"] == "en")
