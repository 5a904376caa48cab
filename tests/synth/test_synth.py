"""Tests of grouplab.synth: the committed demo dataset is reproducible and its truth holds.

References: the seed practice essays (../shared/seed, essay 4 survey shares
34.6 / 31.2 / 29.5 / 35.6 %, essay 5 benchmarking figures) and hand calculations
with pandas below (Cronbach's alpha = k/(k-1) * (1 - sum item var / var of total)).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from grouplab.synth import TRUTH, make_demo
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"
RUBRICS = ROOT / "data" / "rubrics"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    return make_demo(seed=TRUTH["seed"], out_dir=out / "demo")


def _committed(path: Path) -> Path:
    return (RUBRICS if path.parent.name == "rubrics" else DEMO) / path.name


def _sheets(path: Path) -> dict:
    wb = load_workbook(path)
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    finally:
        wb.close()


def test_regenerated_files_equal_committed(fresh):
    assert set(fresh) >= {"units", "groups", "activities", "posts", "evaluations", "incidents",
                          "exposure", "indicators", "survey_2017", "survey_2018", "survey_2019",
                          "dataset", "readme", "questionnaire", "catalogue"}
    for path in fresh.values():
        ref = _committed(path)
        assert ref.exists(), f"{ref} missing: run python -m grouplab.synth data/demo"
        if path.suffix == ".xlsx":
            assert _sheets(path) == _sheets(ref), path.name
        else:
            assert path.read_bytes() == ref.read_bytes(), path.name
    assert not [p for p in fresh["units"].parent.iterdir() if p.name.startswith(".synth-")]


def test_manifest_and_readme():
    man = yaml.safe_load((DEMO / "dataset.yml").read_text("utf-8"))
    assert man["synthetic"] is True
    assert man["tables"]["evaluations"] == {"file": "evaluations.xlsx", "sheet": "考评明细"}
    assert man["tables"]["incidents"]["encoding"] == "gb18030"
    for spec in (man["rubric"], man["questionnaire"], man["catalogue"]):
        assert (DEMO / spec).resolve().exists()
    for t in man["tables"].values():
        files = t["files"].values() if isinstance(t, dict) and "files" in t else [
            t["file"] if isinstance(t, dict) else t]
        for f in files:
            assert (DEMO / f).exists()
    readme = (DEMO / "README.md").read_text("utf-8")
    assert "示例数据，非真实数据" in readme and "synthetic" in readme
    assert "python -m grouplab.synth data/demo" in readme and str(TRUTH["seed"]) in readme


def test_units_groups_posts_follow_truth():
    units = pd.read_csv(DEMO / "units.csv", keep_default_na=False)
    groups = pd.read_csv(DEMO / "groups.csv")
    assert units["unit_id"].is_unique
    assert (units["level"] == "well").sum() == 41 and (units["level"] == "station").sum() == 3
    wells = units[units["level"] == "well"]
    assert set(wells["parent_id"]) == {"S1", "S2", "S3"}
    assert groups["members"].between(3, 12).all()
    assert groups.groupby("unit_id").size().between(4, 7).all()
    assert groups["unit_id"].nunique() == 10
    posts = pd.read_csv(DEMO / "posts.csv")
    first = (posts.merge(groups[["group_id", "unit_id"]], on="group_id")
             .groupby("unit_id")["start"].min().str[:7].to_dict())
    expected = {k: v for k, v in TRUTH["adoption"].items() if v is not None}
    assert first == expected
    # every group of an adopting area has a post from its adoption month on
    adopting = groups[groups["unit_id"].isin(list(expected))]
    assert set(adopting["group_id"]) == set(posts["group_id"])


def test_activities_and_exposure():
    act = pd.read_csv(DEMO / "activities.csv")
    assert not act.duplicated(["group_id", "date", "kind", "seq"]).any()
    meet = act["kind"] == "group_meeting"
    flags = ["praise_over_criticism", "form_over_substance", "chat_over_solving"]
    assert act.loc[meet, flags].notna().all().all()
    assert act.loc[~meet, flags].isna().all().all()
    assert (act.loc[meet, "attendees"] <= act.loc[meet, "expected"]).all()
    assert act["date"].between("2015-01-01", "2019-12-31").all()
    groups = pd.read_csv(DEMO / "groups.csv")
    demo_day = act[act["kind"] == "demonstration_day"].merge(groups, on="group_id")
    adopt = demo_day["unit_id"].map(TRUTH["adoption"])
    assert adopt.notna().all() and (demo_day["date"].str[:7] >= adopt).all()
    exp = pd.read_csv(DEMO / "exposure.csv").merge(groups, on="group_id")
    assert len(exp) == len(groups) * 60
    ratio = exp["person_hours"] / (exp["members"] * TRUTH["hours_per_member_month"])
    assert ratio.between(0.8, 1.25).all()


def test_incidents_gb18030_and_summer_peak():
    inc = pd.read_csv(DEMO / "incidents.csv", encoding="gb18030")
    assert list(inc.columns) == ["事件编号", "党小组编号", "日期", "类别", "严重程度", "是否责任"]
    assert set(inc["类别"]) == {"责任事故", "设备故障", "违章", "隐患", "未遂事件"}
    assert set(inc["严重程度"]) <= {"轻微", "一般", "较大", "重大"}
    assert set(inc["是否责任"]) == {"是", "否"}
    acc = inc[inc["类别"] == "责任事故"].groupby("党小组编号").size()
    assert acc.max() <= 10 and len(acc) < 58  # rare: incident-free groups exist
    viol = inc[inc["类别"] == "违章"]
    summer = viol["日期"].str[5:7].isin(["07", "08"]).mean()
    assert summer > 2 / 12 * 1.2  # summer peak (true factor 1.5)


def test_evaluations_on_rubric():
    rubric = yaml.safe_load((RUBRICS / "party_group_evaluation.yml").read_text("utf-8"))
    maxima = {i["id"]: i["max"] for i in rubric["items"]}
    rows = _sheets(DEMO / "evaluations.xlsx")["考评明细"]
    assert rows[0] == ["党小组编号", "考评期", "考评项目编号", "考评得分"]
    ev = pd.DataFrame(rows[1:], columns=["group_id", "period", "item_id", "score"])
    assert set(ev["item_id"]) == set(maxima)
    assert (ev["score"] <= ev["item_id"].map(maxima)).all() and (ev["score"] >= 0).all()
    assert (ev["score"] * 2 == np.round(ev["score"] * 2)).all()
    total = ev.groupby(["group_id", "period"])["score"].sum()
    grade = pd.cut(total, [0, 60, 80, 95, 100.01], right=False,
                   labels=["fail", "basic_pass", "pass", "excellent"])
    counts = grade.value_counts()
    assert (counts > 0).all() and counts.idxmax() == "pass"
    low = (total < 80).rename("low").reset_index()
    low["year"] = low["period"].str[:4]
    yearly = low.groupby(["group_id", "year"])["low"].all().unstack()
    two_running = (yearly.iloc[:, 1:].to_numpy() & yearly.iloc[:, :-1].to_numpy()).any(axis=1)
    assert two_running.sum() >= 2


def test_oil_figures_reproduce_seed():
    # area value of a year = mean (rates) or sum of all monthly values at the indicator's level
    cat = yaml.safe_load((RUBRICS / "oil_benchmark_indicators.yml").read_text("utf-8"))
    assert len(cat["indicators"]) == 10
    agg = {i["id"]: i["aggregate"] for i in cat["indicators"]}
    ind = pd.read_csv(DEMO / "indicators.csv")
    ind["year"] = ind["month"].str[:4]
    assert ind["month"].min() == "2010-01" and ind["month"].max() == "2011-12"
    area = {(iid, y): getattr(g["value"], agg[iid])()
            for (iid, y), g in ind.groupby(["indicator_id", "year"])}
    assert round(area["balance_rate", "2010"], 1) == 85.0
    assert round(area["balance_rate", "2011"], 1) == 92.3
    assert round(area["shut_in_loss", "2010"]) == 976 and round(area["shut_in_loss", "2011"]) == 399
    change = area["equipment_integrity", "2011"] - area["equipment_integrity", "2010"]
    assert round(change, 1) == 4.9
    assert round(area["system_efficiency", "2010"], 1) == 32.6
    assert round(area["system_efficiency", "2011"], 1) == 35.8
    assert round(area["pump_efficiency", "2010"], 1) == 43.9
    assert round(area["pump_efficiency", "2011"], 1) == 50.9
    rates = ind[ind["indicator_id"].isin(["balance_rate", "equipment_integrity"])]
    assert rates["value"].between(0, 100).all()


def _wave(year: int, spec: dict) -> pd.DataFrame:
    """One wave read the way a user's export is: platform reader, then the spec's map."""
    from grouplab.data.surveys.assemble import apply_spec
    from grouplab.data.surveys.platforms import read_export
    from grouplab.synth.survey import TEXT_WAVES

    head = _sheets(DEMO / f"survey_{year}.xlsx")["Sheet1"][0]
    assert head[:6] == ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
    assert head[6:8] == ["1、您所在的单位", "2、您所在党小组的编号"]
    raw = read_export(DEMO / f"survey_{year}.xlsx")
    # the Likert items are 矩阵量表 questions; one wave is a 按文本 export
    assert raw.attrs["export"]["questions"]["Q3"]["type"] == "matrix"
    assert raw.attrs["export"]["form"] == ("text" if year in TEXT_WAVES else "numeric")
    df, _, problems = apply_spec(raw, spec, file=f"survey_{year}.xlsx")
    assert problems == [] and df["unit_id"].str.match(r"^WA\d\d$").all()
    df["提交答卷时间"] = [f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}:{t.second:02d}"
                     for t in df["submitted"]]
    return df


def test_survey_waves_shares_and_reliability():
    spec = yaml.safe_load((RUBRICS / "member_survey.yml").read_text("utf-8"))
    n_members = pd.read_csv(DEMO / "groups.csv")["members"].sum()
    for year in TRUTH["survey"]["waves"]:
        df = _wave(year, spec)
        assert 0.7 < len(df) / n_members < 0.9
        stamp = rf"^{year}/\d{{1,2}}/\d{{1,2}} \d{{1,2}}:\d\d:\d\d$"
        assert df["提交答卷时间"].str.match(stamp).all()
        for cid, choice in spec["choices"].items():
            answered = df[cid].dropna()
            share = 100 * (answered == choice["key_option"]).mean()
            assert abs(share - 100 * TRUTH["survey"]["key_shares"][cid]) <= 2.0, (year, cid)
        for sid, scale in spec["scales"].items():
            items = df[scale["items"]].astype(float)
            assert (items.isin([1, 2, 3, 4, 5]) | items.isna()).all().all()
            items = items.where(items > 0).dropna()
            for r in scale["reverse"]:
                items[r] = 6 - items[r]
            k = items.shape[1]
            alpha = k / (k - 1) * (1 - items.var().sum() / items.sum(axis=1).var())
            assert 0.7 <= alpha <= 0.9, (year, sid, alpha)


def test_specs_match_generator():
    from grouplab.synth.scores import RUBRIC_MAX

    rubric = yaml.safe_load((RUBRICS / "party_group_evaluation.yml").read_text("utf-8"))
    assert RUBRIC_MAX == {i["id"]: i["max"] for i in rubric["items"]}
    spec = yaml.safe_load((RUBRICS / "member_survey.yml").read_text("utf-8"))
    assert spec["range"] == [1, 5] and len(spec["items"]) == 20 and len(spec["choices"]) == 4
    listed = [i for s in spec["scales"].values() for i in s["items"]]
    assert sorted(listed) == sorted(spec["items"])
    attrs = [a for a, v in spec["attributes"].items() if v.get("kind") != "unit"]
    assert list(spec["columns"].values())[2:] == [*spec["items"], *spec["choices"], *attrs]
