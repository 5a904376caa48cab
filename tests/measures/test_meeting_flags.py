"""Coded flags beside recorded flags (demo: the minutes were written from the recorded flags)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from grouplab.data.dataset import load_dataset, read_table
from grouplab.data.minutes import link_minutes
from grouplab.data.minutes.workbook import minutes_source
from grouplab.errors import DataError, ParameterError
from grouplab.measures.activity import FLAGS, activity_panel
from grouplab.measures.meeting_flags import (
    apply_flag_source,
    coded_activity_flags,
    compare_flags,
    dataset_activities,
    flag_source_counts,
)
from grouplab.measures.minutes import code_minutes
from grouplab.measures.panel import study_panel
from grouplab.reports import orglife
from grouplab.reports.common.flags import flag_source_sentence

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


@pytest.fixture(scope="module")
def demo():
    minutes, _ = minutes_source(DEMO)
    acts = read_table(DEMO / "activities.csv", "activities")
    linked, _ = link_minutes(minutes, acts)
    return acts, coded_activity_flags(linked, code_minutes(minutes))


def test_coded_flags_equal_recorded_on_demo(demo):
    acts, coded = demo
    cmp = compare_flags(acts, coded).set_index("flag")
    # 3837 records, 3 unmatched, 2 % placeholders not coded: the rest have both sources
    assert (cmp["n"] > 3600).all() and (cmp["kappa"] == 1.0).all() and (cmp["agreement"] == 1.0).all()
    assert (cmp["recorded_only"] == acts["praise_over_criticism"].notna().sum() - cmp["n"]).all()
    coded_acts = apply_flag_source(acts, coded, "coded")
    both = coded_acts["flag_source"].eq("coded").fillna(False).to_numpy()
    for f in FLAGS:
        np.testing.assert_array_equal(coded_acts.loc[both, f].to_numpy(),
                                      acts.loc[both, f].to_numpy(dtype=float))
    assert coded_acts.loc[~both, list(FLAGS)].isna().all().all()


def test_recorded_else_coded_fills_gaps_and_panel_uses_it(demo):
    acts, coded = demo
    gappy = acts.copy()
    idx = gappy.index[gappy["praise_over_criticism"].notna()][:50]
    gappy.loc[idx, list(FLAGS)] = np.nan
    filled = apply_flag_source(gappy, coded, "recorded_else_coded")
    coded_rows = filled["flag_source"].eq("coded").fillna(False)
    assert set(filled.index[coded_rows]) <= set(idx) and coded_rows.sum() >= 45
    np.testing.assert_array_equal(filled.loc[coded_rows, list(FLAGS)].to_numpy(),
                                  acts.loc[coded_rows, list(FLAGS)].to_numpy(dtype=float))
    expected = acts.copy()  # the log with only the gaps the minutes could not fill (placeholders)
    expected.loc[[i for i in idx if not coded_rows[i]], list(FLAGS)] = np.nan
    p_exp, p_fill = activity_panel(expected), activity_panel(filled)
    assert len(p_exp) == len(p_fill)
    np.testing.assert_allclose(p_exp["flags_per_meeting"].astype(float),
                               p_fill["flags_per_meeting"].astype(float), equal_nan=True)


def test_bad_source():
    with pytest.raises(ParameterError):
        apply_flag_source(pd.DataFrame({"group_id": [], "date": [], "kind": [], "seq": []}), None, "coded")
    with pytest.raises(ParameterError):
        apply_flag_source(pd.DataFrame(), None, "bogus")

# ----------------------------------------------------------------------------- dataset.yml meeting_flags:
# dataset.yml ``meeting_flags:`` on a five-meeting fixture, against a hand calculation.
#
# Fixture (written below): unit U1, groups G1 and G2, January–February 2019, five group meetings:
#
# =====  ==========  ================  =======================  ======================
# group  date        recorded flags    minutes                  coded flags
# =====  ==========  ================  =======================  ======================
# G1     2019-01-10  0 0 0             document study only      1 1 1 (T111)
# G1     2019-01-24  1 0 0             a named shortcoming,      0 0 0 (T000)
#                                      a task with its owner
# G2     2019-01-15  (blank)           document study only,     1 1 1 (T111)
#                                      group named by its name
# G2     2019-02-12  0 0 0             none                     —
# G1     2019-02-14  (blank)           none                     —
# =====  ==========  ================  =======================  ======================
#
# Hand calculation of the study panel (``meeting_quality`` = rated meetings without a flag / rated
# meetings; ``flags_per_meeting`` = flags / rated meetings; NaN without a rated meeting):
#
# =================  ===============  ===============  ===============  ===============
# source             G1 2019-01       G1 2019-02       G2 2019-01       G2 2019-02
# =================  ===============  ===============  ===============  ===============
# recorded           1/2 = .5, 1/2    NaN              NaN              1/1 = 1, 0
# coded              1/2 = .5, 3/2    NaN              0/1 = 0, 3       NaN
# recorded_else_…    1/2 = .5, 1/2    NaN              0/1 = 0, 3       1/1 = 1, 0
# =================  ===============  ===============  ===============  ===============
#
# Meetings per source (group meetings): recorded 3 / coded 0 / none 2; coded 0 / 3 / 2;
# recorded_else_coded 3 / 1 / 1.

T111 = "组长带领大家通读了《中国共产党章程》。"  # document study only: all three flags
T000 = ("大家观看了党史专题片。阀门有锈蚀一事，责任人为刘飞，限期补填齐全。会议讨论了台区线损治理工作的分工。"
        "曹波芳坦言本人对操作票管理不熟悉，操作票执行不严格。")  # shortcoming, task, owner: no flag

ACTIVITIES = ("group_id,date,kind,seq,attendees,expected,praise_over_criticism,form_over_substance,"
              "chat_over_solving\n") + """G1,2019-01-10,group_meeting,1,5,5,0,0,0
G1,2019-01-24,group_meeting,1,5,5,1,0,0
G2,2019-01-15,group_meeting,1,4,4,,,
G2,2019-02-12,group_meeting,1,4,4,0,0,0
G1,2019-02-14,group_meeting,1,5,5,,,
"""
TABLES = {
    "units": "unit_id,name,parent_id,level,sector\nC1,公司,,company,power\nU1,一工区,C1,work_area,power\n",
    "groups": "group_id,unit_id,name,members,leader_id\nG1,U1,一班党小组,5,L1\nG2,U1,二班党小组,4,L2\n",
    "activities": ACTIVITIES,
    "exposure": "group_id,month,person_hours\nG1,2019-01,100\nG1,2019-02,100\nG2,2019-01,80\nG2,2019-02,80\n",
    "incidents": "incident_id,group_id,date,category,severity\nE1,G1,2019-01-20,violation,minor\n",
    "posts": "group_id,member_id,post_type,start,end\nG1,L1,line_guard,2019-02-01,\n",
}
MINUTES = pd.DataFrame({"记录编号": ["R1", "R2", "R3"], "党小组编号": ["G1", "G1", ""],
                        "党小组名称": ["", "", "二班党小组"],
                        "会议日期": ["2019-01-10", "2019-01-24", "2019-01-15"],
                        "会议类型": ["党小组会"] * 3, "会议内容": [T111, T000, T111]})
CELLS = [("G1", "2019-01"), ("G1", "2019-02"), ("G2", "2019-01"), ("G2", "2019-02")]
EXPECTED = {  # (meeting_quality, flags_per_meeting) per cell of CELLS: the table of the docstring
    "recorded": [(.5, .5), (np.nan, np.nan), (np.nan, np.nan), (1.0, 0.0)],
    "coded": [(.5, 1.5), (np.nan, np.nan), (0.0, 3.0), (np.nan, np.nan)],
    "recorded_else_coded": [(.5, .5), (np.nan, np.nan), (0.0, 3.0), (1.0, 0.0)],
}
COUNTS = {"recorded": [3, 0, 2], "coded": [0, 3, 2], "recorded_else_coded": [3, 1, 1]}


@pytest.fixture
def folder(make_dataset):
    def make(source=None, minutes=True):
        manifest = {"name": "flags", "tables": {t: f"{t}.csv" for t in TABLES}}
        if source is not None:
            manifest["meeting_flags"] = source
        files = {**TABLES, "minutes": MINUTES} if minutes else dict(TABLES)
        root = make_dataset(files, manifest)
        if minutes:  # beside dataset.yml, not under tables: (as the demo keeps them)
            assert (root / "minutes.csv").is_file()
        return root
    return make


def test_the_fixture_texts_code_as_the_table_says():
    coded = code_minutes(pd.DataFrame({"text": [T111, T000]}))
    flags = ["praise_over_criticism", "form_over_substance", "chat_over_solving"]
    assert coded[flags].astype(bool).to_numpy().tolist() == [[True] * 3, [False] * 3]


@pytest.mark.parametrize("source", ["recorded", "coded", "recorded_else_coded"])
def test_the_option_changes_the_study_panel_as_calculated_by_hand(folder, source):
    ds = load_dataset(folder(source), cache=False)
    panel = study_panel(ds).set_index(["group_id", "month"])
    for (g, m), (quality, fpm) in zip(CELLS, EXPECTED[source]):
        row = panel.loc[(g, pd.Timestamp(f"{m}-01"))]
        np.testing.assert_allclose([row["meeting_quality"], row["flags_per_meeting"]], [quality, fpm],
                                   equal_nan=True, err_msg=f"{source} {g} {m}")
    counts = flag_source_counts(dataset_activities(ds))
    assert counts["meetings"].tolist() == COUNTS[source]
    assert study_panel(ds, meeting_flags="recorded").equals(study_panel(load_dataset(folder(), cache=False)))


def test_without_the_key_nothing_changes_and_nothing_is_said(folder):
    ds = load_dataset(folder(), cache=False)
    assert ds.manifest.get("meeting_flags") is None
    assert study_panel(ds).equals(study_panel(ds, meeting_flags="recorded"))
    ctx = orglife.prepare(ds, unit_id="U1", period="2019-01", lang="zh")
    assert ctx.flag_source is None
    assert "标记来源" not in orglife.interpret_quality(orglife.quality_table(ctx),
                                                       orglife.repeat_flags_table(ctx), ctx)


def test_the_org_life_report_says_the_source_and_the_meetings_per_source(folder):
    ds = load_dataset(folder("recorded_else_coded"), cache=False)
    ctx = orglife.prepare(ds, unit_id="U1", period="2019-01", lang="zh")
    # January 2019: G1's two meetings (recorded), G2's (coded from its minutes)
    assert ctx.flag_counts["meetings"].tolist() == [2, 1, 0]
    quality = orglife.quality_table(ctx)
    jan = quality.set_index("month").loc[pd.Timestamp("2019-01-01")]
    assert (jan["unit_rated"], jan["unit_clean"]) == (3, 1)  # G1: one clean of two; G2: flagged
    text = orglife.interpret_quality(quality, orglife.repeat_flags_table(ctx), ctx)
    assert text.endswith("“三多三少”标记来源：台账勾选（2 次党小组会），会议记录文本自动编码（1 次党小组会）"
                         "（dataset.yml：meeting_flags: recorded_else_coded）。")
    ctx_en = orglife.prepare(ds, unit_id="U1", period="2019-01", lang="en")
    assert ("Source of the 三多三少 flags: ticked in the activity log (2 group meetings); coded "
            "automatically from the text of the minutes (1 group meeting)") in orglife.interpret_quality(
        quality, orglife.repeat_flags_table(ctx_en), ctx_en)


def test_the_sentence_counts_meetings_without_flags():
    counts = pd.DataFrame({"flag_source": ["recorded", "coded", "none"], "meetings": [0, 3, 2]})
    assert flag_source_sentence("coded", counts, "en") == (
        "Source of the 三多三少 flags: coded automatically from the text of the minutes (3 group meetings); "
        "no flags, not rated (2 group meetings) (dataset.yml: meeting_flags: coded).")


def test_an_unknown_source_is_a_problem_naming_dataset_yml_and_the_key(folder):
    with pytest.raises(DataError) as err:
        load_dataset(folder("minutes"), cache=False)
    (p,) = [p for p in err.value.problems if p.code == "unknown_meeting_flags"]
    assert (p.file, p.column, p.value) == ("dataset.yml", "meeting_flags", "minutes")
    assert "recorded_else_coded" in p.hint


@pytest.mark.parametrize("source", ["coded", "recorded_else_coded"])
def test_coding_without_minutes_is_a_problem(folder, source):
    with pytest.raises(DataError) as err:
        load_dataset(folder(source, minutes=False), cache=False)
    (p,) = err.value.problems
    assert (p.code, p.file, p.column, p.value) == ("meeting_flags_without_minutes", "dataset.yml",
                                                   "meeting_flags", source)
    assert "minutes.csv" in p.hint


def test_a_mapping_of_tables_without_minutes_cannot_be_coded(folder):
    ds = load_dataset(folder(), cache=False)
    with pytest.raises(DataError, match="needs meeting minutes"):
        study_panel(dict(ds.tables), meeting_flags="coded")


def test_minutes_beside_dataset_yml_are_checked_on_load_when_they_are_coded(folder):
    root = folder("coded")
    bad = MINUTES.copy()
    bad.loc[1, "会议日期"] = "下周三"
    bad.to_csv(root / "minutes.csv", index=False)
    with pytest.raises(DataError) as err:
        load_dataset(root, cache=False)
    assert [(p.file, p.row, p.column, p.value) for p in err.value.problems] == [
        ("minutes.csv", 3, "会议日期", "下周三")]
    (root / "dataset.yml").write_text("name: flags\ntables: {units: units.csv}\n", encoding="utf-8")
    load_dataset(root, cache=False)  # recorded flags: the minutes are not read on load
