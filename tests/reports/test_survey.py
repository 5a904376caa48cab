"""Survey report tables: suppression rules, hand-checked shares/means, labels, privacy."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from figures import missing_glyph_warnings  # noqa: E402  (tests/reports/figures.py)
from grouplab import ParameterError  # noqa: E402
from grouplab.reports import survey as sr  # noqa: E402
from grouplab.reports.common.plots import use_theme  # noqa: E402

SPEC = {
    "range": [1, 5],
    "scales": {"S": {"zh": "示例量表", "en": "Example scale", "items": ["S1", "S2"], "reverse": ["S2"]}},
    "items": {"S1": {"zh": "题一", "en": "Item one"}, "S2": {"zh": "题二", "en": "Item two"}},
    "choices": {"C1": {"zh": "选择题", "en": "Choice question", "key_option": 1,
                       "options": {1: {"zh": "甲", "en": "Alpha"}, 2: {"zh": "乙", "en": "Beta"},
                                   3: {"zh": "丙", "en": "Gamma"}}}},
}
X_A = [4, 3, 5, 4, 4, 4, 3, 5, 4, 4]          # unit A scale scores (S2 = 6 - S1, reverse keyed)


def _ctx(lang="en", k=5):
    x = np.array(X_A + [2, 2, 2])
    responses = pd.DataFrame({
        "unit_id": ["A"] * 10 + ["B"] * 3,
        "group_id": ["G1"] * 6 + ["G2"] * 4 + ["G9"] * 3,
        "S1": x.astype(float), "S2": (6 - x).astype(float),
        "C1": [1] * 6 + [2] * 3 + [3] + [1, 1, 1],
    })
    groups = pd.DataFrame({"group_id": ["G1", "G2"], "name": ["<b>一组</b>", "二组"], "members": [8, 5]})
    return sr.SurveyContext(responses=responses, groups=groups, spec=SPEC, unit_id="A",
                            unit_name="Unit A", wave=2019, lang=lang, k=k)


# ----------------------------------------------------------------- suppression
def test_one_small_cell_gets_a_complement():
    # total 43 is published: hiding only the 3 would reveal it as 43 - 12 - 8 - 20
    assert sr.suppression(pd.Series([12, 3, 8, 20])).tolist() == ["", "small", "complement", ""]


def test_two_small_cells_need_no_complement():
    assert sr.suppression(pd.Series([12, 3, 2, 20])).tolist() == ["", "small", "small", ""]


def test_complement_prefers_a_positive_cell_and_zero_is_not_small():
    assert sr.suppression(pd.Series([0, 3, 9, 20])).tolist() == ["", "small", "complement", ""]
    assert sr.suppression(pd.Series([0, 10, 9])).tolist() == ["", "", ""]


def test_complement_skips_zero_cells():
    assert sr.suppression(pd.Series([3, 0, 0, 0, 0, 0, 7])).tolist() == \
        ["small", "", "", "", "", "", "complement"]


def test_a_total_below_k_hides_every_cell():
    assert sr.suppression(pd.Series([2, 1, 0])).tolist() == ["small"] * 3


def test_suppression_is_applied_within_each_margin():
    counts = pd.Series([6, 3, 9, 2, 2, 9])
    within = pd.Series(["a", "a", "a", "b", "b", "b"])
    # group b hides 2 + 2 = 4 < k: the total would leave each in 1..3, so a complement joins (#14)
    assert sr.suppression(counts, within=within).tolist() == \
        ["complement", "small", "", "small", "small", "complement"]


# ----------------------------------------------------------------- tables
def test_response_counts_hide_a_small_group_and_its_complement():
    t = sr.response_counts(_ctx())
    assert t["group_id"].tolist() == ["G1", "G2", None]
    assert t["respondents"].tolist() == [6, 4, 10]
    assert t["hidden"].tolist() == ["complement", "small", ""]
    shown = sr.format_counts(t, _ctx())
    assert shown["Respondents"].tolist() == ["hidden", "hidden", "10"]
    assert shown["Response rate (%)"].tolist() == ["hidden", "hidden", "76.9"]      # 10 / 13


def test_choice_shares_match_wilson_by_hand():
    t = sr.choice_table(_ctx())
    assert t["count"].tolist() == [6, 3, 1] and t["n"].tolist() == [10] * 3
    # unit B (3 answers, all option 1) is hidden in its own report; the company count 9 minus
    # A's 6 would reveal B's 3, so A's 6 is hidden too (protection across unit reports)
    assert t["hidden"].tolist() == ["complement", "small", "small"]
    # R: prop.test(6, 10, correct = FALSE)$conf.int -> 0.3127 0.8318 (Wilson score interval)
    assert t.loc[0, ["share", "ci_low", "ci_high"]].astype(float).round(4).tolist() == [0.6, 0.3127, 0.8318]
    assert t["company_count"].tolist() == [9, 3, 1] and t["company_n"].tolist() == [13] * 3
    assert t["key"].tolist() == [True, False, False]


def test_hidden_shares_are_not_displayed():
    ctx = _ctx()
    shown = sr.format_choices(sr.choice_table(ctx), ctx)
    assert shown["Unit: share (%)"].tolist() == ["hidden", "hidden", "hidden"]
    assert shown["Unit: 95% CI"].tolist() == ["hidden", "hidden", "hidden"]
    ctx3 = _ctx(k=3)  # with k = 3 only the 1 and its complement (the 3) are hidden
    shown = sr.format_choices(sr.choice_table(ctx3), ctx3)
    assert shown["Unit: share (%)"].tolist() == ["60.0", "hidden", "hidden"]
    assert shown["Option"].tolist() == ["1 Alpha", "2 Beta", "3 Gamma"]


def test_scale_means_and_t_interval_by_hand():
    t = sr.scale_table(_ctx())
    row = t.iloc[0]
    # R: t.test(c(4, 3, 5, 4, 4, 4, 3, 5, 4, 4))$conf.int -> 3.523 4.477
    assert (row["n"], round(row["mean"], 3), round(row["ci_low"], 3), round(row["ci_high"], 3)) == \
        (10, 4.0, 3.523, 4.477)
    assert row["company_n"] == 13 and round(row["company_mean"], 3) == round(46 / 13, 3)
    assert row["company_in_ci"]                                      # 3.538 lies in [3.523, 4.477]
    # unit B's 3 answers are hidden; with the company's n = 13 and mean 46/13 in every report,
    # A's mean 4.0 over 10 would give B's away: (46 - 40) / 3 = 2.0 (hand). So A hides it too.
    assert row["hidden"] == "complement"


def test_scale_means_of_a_small_unit_are_hidden():
    t = sr.scale_table(_ctx(k=11))
    assert t["hidden"].tolist() == ["small"]
    shown = sr.format_scales(t, _ctx(k=11))
    assert shown["Unit: mean"].tolist() == ["hidden"]
    assert "4.00" not in sr.interpret_scales(t, _ctx(k=11))


def test_reliability_table_has_scale_and_item_rows():
    t = sr.reliability_table(_ctx())
    assert t["item"].tolist() == [None, "S1", "S2"]
    assert t["reversed"].tolist() == [False, False, True]
    # S2 = 6 - S1 exactly: after reverse keying the two items are identical -> alpha 1
    assert round(t.loc[0, "alpha"], 6) == 1.0 and round(t.loc[1, "citc"], 6) == 1.0


def test_labels_follow_lang():
    for lang, header in (("zh", "答卷人数"), ("en", "Respondents")):
        ctx = _ctx(lang)
        assert header in sr.format_counts(sr.response_counts(ctx), ctx).columns
        assert sr.format_scales(sr.scale_table(ctx), ctx).iloc[0, 0] == ("示例量表" if lang == "zh"
                                                                          else "Example scale")


def test_sentences_never_quote_hidden_counts():
    ctx = _ctx()
    text = sr.interpret_counts(sr.response_counts(ctx), ctx)
    assert "10 members" in text and " 4 " not in text and " 6 " not in text
    assert "Alpha" not in sr.interpret_choices(sr.choice_table(ctx), ctx)  # its share is hidden
    ctx3 = _ctx(k=3)
    assert "Alpha" in sr.interpret_choices(sr.choice_table(ctx3), ctx3)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_figures_render_without_missing_glyphs(tmp_path, lang):
    use_theme()
    ctx = _ctx(lang)
    figs = [sr.plot_choices(sr.choice_table(ctx), ctx), sr.plot_scales(sr.scale_table(ctx), ctx)]
    assert not missing_glyph_warnings(figs, tmp_path)


# ----------------------------------------------------------------- prepare (demo data)
def test_prepare_drops_identifiers(demo):
    ctx = sr.prepare(demo, unit_id="WA02", wave="2018", lang="zh")
    assert (ctx.unit_id, ctx.wave) == ("WA02", 2018)
    assert set(ctx.responses.columns) >= {"unit_id", "group_id", "A1", "C4"}
    assert not {"respondent_id", "submitted", "duration_s", "source"} & set(ctx.responses.columns)


def test_unknown_unit_lists_the_valid_ones(demo):
    with pytest.raises(ParameterError, match="unit_id='WA99'.*valid: WA01, WA02, .*WA10"):
        sr.prepare(demo, unit_id="WA99", wave=2019)


@pytest.mark.parametrize("kw, match", [({"wave": 2001}, "years with data: 2017, 2018, 2019"),
                                       ({"lang": "fr"}, "choose one of: zh, en")])
def test_bad_wave_or_lang(demo, kw, match):
    with pytest.raises(ParameterError, match=match):
        sr.prepare(demo, **{"unit_id": "WA01", "wave": 2019, **kw})


def test_no_hidden_cell_can_be_recovered_by_differencing_unit_reports(demo):
    # Every unit's report shows its item totals and the company count of each option, so in the
    # unit × option table of a wave no row (unit, item) and no column (item, option) may hide
    # exactly one cell.
    units = sorted(demo["survey"]["unit_id"].unique())
    tables = {u: sr.choice_table(sr.prepare(demo, unit_id=u, wave=2019, lang="zh")) for u in units}
    t = pd.concat([tab.assign(unit=u) for u, tab in tables.items()], ignore_index=True)
    t["is_hidden"] = t["hidden"] != ""
    rows = t.groupby(["unit", "item"])["is_hidden"].sum()
    cols = t.groupby(["item", "option"])["is_hidden"].sum()
    assert (rows != 1).all() and (cols != 1).all()
    assert ((t["count"] > 0) & (t["count"] < 5) & ~t["is_hidden"]).sum() == 0
    assert t["is_hidden"].any()


# ----------------------------------------------------------------- sections follow the spec
def test_sections_follow_the_spec():
    ctx = _ctx()
    assert sr.sections(ctx) == ["counts", "choices", "scales", "reliability"]
    no_choices = sr.SurveyContext(**{**ctx.__dict__, "spec": {**SPEC, "choices": {}}})
    assert sr.sections(no_choices) == ["counts", "scales", "reliability"]
    no_scales = sr.SurveyContext(**{**ctx.__dict__, "spec": {**SPEC, "scales": {}}})
    assert sr.sections(no_scales) == ["counts", "choices"]
    assert sr.heading("choices", _ctx(lang="zh")).data.startswith("## 选择题")


def test_multi_select_choice_by_hand():
    # unit A: 10 respondents, 7 tick option 1, 4 tick option 2 (hand counts of the columns below)
    ctx = _ctx()
    resp = ctx.responses.assign(M_1=[1] * 7 + [0] * 3 + [1, 1, 0], M_2=[1, 1, 1, 1] + [0] * 6 + [0, 1, 1])
    spec = {**SPEC, "choices": {"M": {"zh": "多选", "en": "Multi", "multiple": True,
                                      "options": {1: "甲", 2: "乙"}}}}
    ctx = sr.SurveyContext(**{**ctx.__dict__, "responses": resp, "spec": spec})
    assert "choices" in sr.sections(ctx)
    t = sr.choice_table(ctx)
    assert t["count"].tolist() == [7, 4] and t["n"].tolist() == [10, 10]
    assert t["company_count"].tolist() == [9, 6] and t["company_n"].tolist() == [13, 13]
    # a drafted spec writes options as plain labels: they reach the display table
    assert sr.format_choices(t, ctx).iloc[0, 1] == "1 甲"


def test_attributes_section_reports_respondents_by_attribute():
    ctx = _ctx()
    resp = ctx.responses.assign(G=[1] * 6 + [2] * 4 + [1, 2, 2])
    spec = {**SPEC, "attributes": {"G": {"kind": "gender", "zh": "性别", "type": "single",
                                         "options": {1: "男", 2: "女"}},
                                   "U": {"kind": "unit", "zh": "单位", "options": {1: "甲"}}}}
    ctx = sr.SurveyContext(**{**ctx.__dict__, "responses": resp, "spec": spec})
    assert sr.sections(ctx) == ["counts", "attributes", "choices", "scales", "reliability"]
    actx = sr.attribute_context(ctx)
    assert list(actx.spec["choices"]) == ["G"]          # the unit question is not an attribute row
    t = sr.choice_table(actx)
    # unit A: 6 男 and 4 女 of 10; company: 7 and 6 of 13 (hand counts of the column above)
    assert t["count"].tolist() == [6, 4] and t["company_count"].tolist() == [7, 6]
