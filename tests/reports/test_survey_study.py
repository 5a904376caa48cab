"""The survey-study report (reports/survey_study, notebook 06) on the demo data.

Numbers are checked against the demo's documented truth (``grouplab.synth.TRUTH["survey"]``:
five scales of four items; team leaders (D2 = 2) selected on a high θ_leader; members of over
15 years (D3 = 3) more likely to have chosen C1's key option) — directions and significance,
not values, since the demo is one random draw.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from grouplab.errors import ParameterError
from grouplab.reports import survey_study as study
from grouplab.reports.common.threeline import threeline_html, write_threeline_xlsx

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def ctx(demo):
    return study.prepare(demo, wave=2019, attributes=["D1", "D2", "D3"], lang="en")


def test_parameters_are_checked(demo):
    with pytest.raises(ParameterError, match="D9"):
        study.prepare(demo, wave=2019, attributes=["D9"])
    with pytest.raises(ParameterError):
        study.prepare(demo, wave=2019, lang="fr")
    with pytest.raises(ParameterError):
        study.prepare(demo, wave=1999)
    assert study.prepare(demo, wave="2019", attributes="D2, D3").attributes == ("D2", "D3")
    assert study.ENTITY == "wave"


def test_efa_recovers_the_five_scales(ctx):
    res = study.efa_result(ctx)
    scale_of = {i: s for s, v in ctx.spec["scales"].items() for i in v["items"]}
    prim = res.loadings.assign(scale=res.loadings["item"].map(scale_of)).groupby("scale")["primary"]
    assert (prim.nunique() == 1).all() and prim.first().nunique() == 5


def test_group_differences_follow_the_truth(ctx):
    d = study.difference_table(ctx)
    lead = d[(d["by"] == "D2") & (d["outcome"] == "leader")]
    means = lead[lead["kind"] == "group"].set_index("group1")["mean1"]
    assert means[2.0] > means[1.0]                       # team leaders higher on the leader scale
    chosen = lead[(lead["kind"] == "test") & lead["chosen"]].iloc[0]
    assert chosen["p_bh"] < 0.05


def test_crosstab_follows_the_truth_and_hides_small_cells(ctx):
    x = study.crosstab_table(ctx)
    c1 = x[(x["item"] == "C1") & (x["by"] == "D3")]
    assert c1["p"].iloc[0] < 0.05
    key = c1[c1["option"] == 1].set_index("level")["share"]
    assert key[3.0] > key[1.0]
    small = x[(x["count"] > 0) & (x["count"] < ctx.k)]
    assert (small["hidden"] == "small").all()
    shown = study.format_crosstab(x, ctx, "D1")
    assert "hidden" in shown.to_numpy().ravel() or small[small["by"] == "D1"].empty


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_and_readings_follow_lang(demo, lang):
    ctx = study.prepare(demo, wave=2019, attributes=["D2"], lang=lang)
    x = study.crosstab_table(ctx)
    d = study.difference_table(ctx)
    r = study.regression_table(ctx)
    texts = [study.interpret_crosstab(x, ctx, "D2"), study.interpret_differences(d, ctx, "D2"),
             study.interpret_regression(r, ctx)]
    headers = [*study.format_differences(d, ctx, "D2").columns, *study.format_regression(r, ctx).columns]
    for t in texts:
        assert "nan" not in t and "None" not in t
    if lang == "en":
        assert not any(CJK.search(t) for t in [*texts, *headers])
        assert "not" in texts[1] and "Team leader" in headers
    else:
        assert all(CJK.search(t) for t in texts) and "班组长" in headers


def test_threeline_html_and_xlsx(tmp_path):
    from openpyxl import load_workbook

    t = pd.DataFrame({"量表": ["A", "<b>"], "均值": ["3.10", ""]})
    html = threeline_html(t, caption="表 1", note="注")
    assert "&lt;b&gt;" in html and html.count("2px solid") == 2
    path = write_threeline_xlsx(tmp_path / "t.xlsx", {"s": t}, captions={"s": "表 1"})
    ws = load_workbook(path)["s"]
    assert ws["A1"].value == "表 1" and ws["A2"].border.top.style == "medium"
    assert ws["A2"].border.bottom.style == "thin" and ws["A4"].border.bottom.style == "medium"
