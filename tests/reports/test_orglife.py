"""The organisational-life report's tables against hand-counted values on a small fixture.

Fixture (a dataset folder written below; log 2018-01 … 2019-03, report period 2019Q1):

- unit U1: groups G1 (6 members, leader L1) and G2 (5 members, leader L2); unit U2: G3 (4 members).
- Every group: a group meeting and a work report every month, contact with the masses and an
  inspection in the last month of every quarter, half-year summaries in June and December.
- G1 skips its February 2019 meeting; its leader was trained on 2018-02-10 only (so from
  2019-02 the 12-month window holds no training: an untrained leader). Its January and March
  2019 meetings show "more praise than criticism" (a flag repeated in consecutive meetings).
- G2 files no work report in February and March 2019 (a lapsed report); its leader was trained
  2018-09-05; it holds demonstration days in January, April, July and October 2018 only (so the
  quarterly rule lapses from January 2019); its January 2019 meeting shows "more chat".
  Member M21 is absent without excuse from the December 2018 – March 2019 meetings (four in a
  row); M22 is excused from every meeting October 2018 – March 2019 (no group life for six months).
- G1 holds a demonstration day in February, May, August and November 2018 and February 2019.
- G3 is clean throughout (trained 2018-06-01): it is the rest of the company.
"""

from __future__ import annotations

import pandas as pd
import pytest
from grouplab.data.dataset import load_dataset
from grouplab.errors import ParameterError
from grouplab.reports import orglife

MONTHS = pd.period_range("2018-01", "2019-03", freq="M")
MEMBERS = {"G1": [f"M1{i}" for i in range(6)], "G2": [f"M2{i}" for i in range(5)],
           "G3": [f"M3{i}" for i in range(4)]}


def _day(p, d):
    return f"{p.year}-{p.month:02d}-{d:02d}"


def _g2_status(member, p):
    if member == "M21" and p >= pd.Period("2018-12", "M"):
        return "absent"
    if member == "M22" and p >= pd.Period("2018-10", "M"):
        return "excused"
    return "present"


def _status(g, member, p):
    if g == "G2":
        return _g2_status(member, p)
    if g == "G1" and member == "M11" and p == pd.Period("2019-01", "M"):
        return "excused"
    return "present"


def _activities():
    rows, reg = [], []
    flags = {("G1", "2019-01"): (1, 0, 0), ("G1", "2019-03"): (1, 0, 0), ("G2", "2019-01"): (0, 0, 1)}
    for g in MEMBERS:
        for p in MONTHS:
            if not (g == "G1" and str(p) == "2019-02"):
                status = [_status(g, m, p) for m in MEMBERS[g]]
                rows.append((g, _day(p, 10), "group_meeting", status.count("present"),
                             len(MEMBERS[g]), *flags.get((g, str(p)), (0, 0, 0))))
                if p >= pd.Period("2018-10", "M") and g != "G3":
                    reg += [(g, _day(p, 10), "group_meeting", 1, m, s)
                            for m, s in zip(MEMBERS[g], status)]
            if not (g == "G2" and str(p) in ("2019-02", "2019-03")):
                rows.append((g, _day(p, 25), "work_report", None, None, None, None, None))
            if p.month % 3 == 0:
                rows.append((g, _day(p, 15), "mass_contact", None, None, None, None, None))
                rows.append((g, _day(p, 16), "inspection", None, None, None, None, None))
            if p.month in (6, 12):
                rows.append((g, _day(p, 20), "half_year_summary", None, None, None, None, None))
    trainings = [("G1", "2018-02-10"), ("G2", "2018-09-05"), ("G3", "2018-06-01")]
    rows += [(g, d, "leader_training", 1, 1, None, None, None) for g, d in trainings]
    demo = ["2018-02-12", "2018-05-12", "2018-08-12", "2018-11-12", "2019-02-12"]
    rows += [("G1", d, "demonstration_day", 6, 6, None, None, None) for d in demo]
    rows += [("G2", f"2018-{m:02d}-12", "demonstration_day", 5, 5, None, None, None)
             for m in (1, 4, 7, 10)]
    rows += [("G3", _day(p, 12), "demonstration_day", 4, 4, None, None, None)
             for p in MONTHS if p.month % 3 == 1]
    act = pd.DataFrame(rows, columns=["group_id", "date", "kind", "attendees", "expected",
                                      "praise_over_criticism", "form_over_substance",
                                      "chat_over_solving"])
    act.insert(3, "seq", 1)
    for c in ("attendees", "expected", "praise_over_criticism", "form_over_substance",
              "chat_over_solving"):
        act[c] = act[c].astype("Int64")
    att = pd.DataFrame(reg, columns=["group_id", "date", "kind", "seq", "member_id", "status"])
    return act, att


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("orglife")
    pd.DataFrame({"unit_id": ["C01", "U1", "U2"], "name": ["公司", "一工区", "二工区"],
                  "parent_id": [None, "C01", "C01"], "level": ["company", "work_area", "work_area"],
                  "sector": "power"}).to_csv(d / "units.csv", index=False)
    pd.DataFrame({"group_id": ["G1", "G2", "G3"], "unit_id": ["U1", "U1", "U2"],
                  "name": ["一班党小组", "二班党小组", "三班党小组"], "members": [6, 5, 4],
                  "leader_id": ["M10", "M20", "M30"]}).to_csv(d / "groups.csv", index=False)
    act, att = _activities()
    act.to_csv(d / "activities.csv", index=False)
    att.to_csv(d / "member_attendance.csv", index=False)
    pd.DataFrame({"group_id": ["G1", "G2", "G2"], "member_id": ["M12", "M23", "M24"],
                  "post_type": ["safety_guard", "zero_violation", "zero_violation"],
                  "start": ["2018-05-01", "2018-05-01", "2019-02-16"],
                  "end": [None, "2019-02-15", None]}).to_csv(d / "posts.csv", index=False)
    (d / "dataset.yml").write_text(
        'name: fixture\nstudy_window: {start: "2018-01", end: "2019-12"}\ntables:\n'
        "  units: units.csv\n  groups: groups.csv\n  activities: activities.csv\n"
        "  posts: posts.csv\n  member_attendance: member_attendance.csv\n", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def ctx(folder):
    return orglife.prepare(folder, unit_id="U1", period="2019Q1", lang="en", k=1,
                           member_names=True)


def test_meeting_grid_hand_counted(ctx):
    t = orglife.meeting_grid_table(ctx).set_index(["group_id", "month"])
    jan, feb, mar = (pd.Timestamp(f"2019-0{m}-01") for m in (1, 2, 3))
    assert len(t) == 2 * 3  # two groups of U1 × three months
    assert t.loc[("G1", feb), "held"] == 0 and not bool(t.loc[("G1", feb), "ok"])
    assert t["required"].eq(1.0).all()
    # G1 January: M11 excused → 5 of 6; G2 from December: M21 absent, M22 excused → 3 of 5
    assert t.loc[("G1", jan), "attendance_rate"] == pytest.approx(5 / 6)
    assert t.loc[("G2", mar), "attendance_rate"] == pytest.approx(3 / 5)
    assert t.loc[("G1", jan), "n_praise_over_criticism"] == 1
    assert t.loc[("G2", jan), "n_chat_over_solving"] == 1
    assert t.loc[("G2", feb), ["n_praise_over_criticism", "n_form_over_substance",
                               "n_chat_over_solving"]].sum() == 0
    grid = orglife.format_meeting_grid(orglife.meeting_grid_table(ctx), ctx)
    assert list(grid.columns) == ["Group ID", "Group name", "2019-01", "2019-02", "2019-03"]
    assert grid.iloc[0].tolist()[2:] == ["1/1 · 83% · P", "0/1 · none", "1/1 · 100% · P"]


def test_quality_against_company_and_repeated_flags(ctx):
    q = orglife.quality_table(ctx).set_index("month")
    # the table starts 12 months before the period (January 2018, the log's first month)
    assert q.index.min() == pd.Timestamp("2018-01-01") and q["in_period"].sum() == 3
    jan, feb, mar = (pd.Timestamp(f"2019-0{m}-01") for m in (1, 2, 3))
    # January: G1 and G2 both flagged → unit 0/2; company adds G3's clean meeting → 1/3
    assert q.loc[jan, ["unit_rated", "unit_clean", "company_rated", "company_clean"]].tolist() == [2, 0, 3, 1]
    assert q.loc[feb, "unit_quality"] == 1.0 and q.loc[feb, "company_quality"] == 1.0
    assert q.loc[mar, "unit_quality"] == 0.5 and q.loc[mar, "company_quality"] == pytest.approx(2 / 3)
    r = orglife.repeat_flags_table(ctx).set_index(["group_id", "flag"])
    # G1's two rated meetings (Jan, Mar; February skipped) both show praise: a run of 2
    g1 = r.loc[("G1", "praise_over_criticism")]
    assert g1[["n_rated", "n_flagged", "longest_run"]].tolist() == [2, 2, 2]
    assert r["repeated"].sum() == 1
    text = orglife.interpret_quality(orglife.quality_table(ctx), orglife.repeat_flags_table(ctx), ctx)
    # unit: 2 clean of 5 rated (40%); company: 2 + 3 clean of 5 + 3 rated (62.5% → 62)
    assert "2 showed none" in text and "(40%; company 62%)" in text and "; 1 group showed" in text


def test_systems_and_follow_up_list(ctx):
    s = orglife.systems_table(ctx).set_index(["group_id", "rule"])
    assert s.loc[("G1", "training"), "status"] == "lapsed"
    assert s.loc[("G1", "training"), "since"] == pd.Timestamp("2019-02-01")
    assert s.loc[("G1", "meeting"), ["status", "months_lapsed", "months_met"]].tolist() == ["resolved", 1, 2]
    assert s.loc[("G2", "report"), ["status", "months_lapsed"]].tolist() == ["lapsed", 2]
    assert s.loc[("G2", "demonstration_day"), "since"] == pd.Timestamp("2019-01-01")
    assert not s.loc[("G2", "demonstration_day"), "is_system"]
    assert (s.loc["G2"].drop(index=["report", "demonstration_day"])["status"] == "met").all()
    f = orglife.followup_table(ctx)
    # open lapses by age, then the resolved one
    assert list(zip(f["group_id"], f["rule"], f["open"])) == [
        ("G2", "demonstration_day", True), ("G1", "training", True), ("G2", "report", True),
        ("G1", "meeting", False)]
    assert f["rank"].tolist() == [1, 2, 3, 4]
    assert orglife.interpret_followup(f, ctx) == ("The follow-up list has 4 items, 3 still open, "
                                                  "the oldest since Jan 2019.")
    one = orglife.interpret_followup(f.iloc[:1], ctx)
    assert one.startswith("The follow-up list has 1 item, 1 still open")


def test_training_demo_days_and_posts(ctx):
    t = orglife.training_table(ctx).set_index("group_id")
    assert t.loc["G1", "last_training"] == pd.Timestamp("2018-02-10")
    assert t.loc["G1", "months_since"] == 13 and bool(t.loc["G1", "overdue"])
    assert t.loc["G2", "months_since"] == 6 and not bool(t.loc["G2", "overdue"])
    assert orglife.leader_sessions_table(ctx)["sessions"].tolist() == [0]
    d = orglife.demo_days_table(ctx)
    assert d[["quarter", "days", "groups_held", "groups"]].values.tolist() == [["2019Q1", 1, 1, 2]]
    p = orglife.posts_table(ctx).set_index("post_type")
    assert p.loc["safety_guard"].tolist() == [1, 0, 0]
    assert p.loc["zero_violation"].tolist() == [1, 1, 1]  # M23 ended, M24 started
    assert p.drop(index=["safety_guard", "zero_violation"]).sum().sum() == 0


def test_member_attendance_counts_and_names(ctx, folder):
    a = orglife.attendance_table(ctx)
    g = a[a["row"] == "group"].set_index(["rule", "group_id"])
    assert g.loc[("absent_streak", "G2"), ["members", "count"]].tolist() == [5, 1]
    assert g.loc[("no_life", "G2"), "count"] == 1 and g.loc[("absent_streak", "G1"), "count"] == 0
    assert (a["hidden"] == "").all()  # k = 1: nothing to hide
    m = orglife.member_table(ctx).set_index("member_id")
    assert m.loc["M21", "longest_streak"] == 4 and bool(m.loc["M21", "absent_streak"])
    assert m.loc["M21", "streak_first"] == pd.Timestamp("2018-12-10")
    assert bool(m.loc["M22", "no_life"]) and pd.isna(m.loc["M22", "last_present"])  # never present
    # default k = 5 and no names: G2's single members are small cells, the total too
    c5 = orglife.prepare(folder, unit_id="U1", period="2019Q1", lang="zh")
    a5 = orglife.attendance_table(c5)
    assert set(a5.loc[a5["rule"] == "absent_streak", "hidden"]) == {"small"}
    shown = orglife.format_attendance(a5, c5)
    assert (shown.iloc[:, 3:] == "<5").all().all()
    assert "少于 5" in orglife.interpret_attendance(a5, c5)
    with pytest.raises(ParameterError, match="member_names"):
        orglife.member_table(c5)
    # 2018Q4: M21's run has only begun (December) → no streak anywhere, a published total of 0
    # hides nothing; M22 (excused since October, never present in the register) has no life
    q4 = orglife.attendance_table(orglife.prepare(folder, unit_id="U1", period="2018Q4", lang="en"))
    streak = q4[q4["rule"] == "absent_streak"]
    assert streak["count"].tolist() == [0, 0, 0] and (streak["hidden"] == "").all()
    assert q4.loc[q4["rule"] == "no_life", "count"].tolist() == [0, 1, 1]


def test_sentences_follow_lang(folder):
    zh = orglife.prepare(folder, unit_id="U1", period="2019Q1", lang="zh")
    en = orglife.prepare(folder, unit_id="U1", period="2019Q1", lang="en")
    grid_zh, grid_en = orglife.meeting_grid_table(zh), orglife.meeting_grid_table(en)
    # 2 groups × 3 months required, 5 held; one group-month without a meeting, in February
    assert orglife.interpret_meetings(grid_en, en) == (
        "In 2019 Q1, the 2 groups of U1 一工区 held 5 group meetings against 6 required; "
        "1 group-month(s) had no meeting, most in Feb 2019 (1).")
    assert orglife.interpret_meetings(grid_zh, zh).startswith("2019年第1季度，U1 一工区 的 2 个党小组")
    assert "党小组长" in orglife.format_training(orglife.training_table(zh), zh).columns


def test_parameters_are_checked(folder):
    with pytest.raises(ParameterError, match="period"):
        orglife.prepare(folder, unit_id="U1", period="2019-Q5", lang="en")
    with pytest.raises(ParameterError, match="no activities"):
        orglife.prepare(folder, unit_id="U1", period="2021", lang="en")
    with pytest.raises(ParameterError, match="unit_id"):
        orglife.prepare(folder, unit_id="U9", period="2019", lang="en")
    with pytest.raises(ParameterError, match="lang"):
        orglife.prepare(folder, unit_id="U1", period="2019", lang="fr")
    assert [f"{t:%Y-%m}" for t in orglife.parse_period(2019)[:2]] == ["2019-01", "2019-12"]
    assert [f"{t:%Y-%m}" for t in orglife.parse_period("2019-05")[:2]] == ["2019-05", "2019-05"]


# ------------------------------------------------------------------ a branch's own folder
# A roster with leaders' names (党小组长) and no units table (the reader makes up the company root
# C0 "公司"), a log with group meetings and contact with the masses only — no work reports, half-year
# summaries, inspections, leader training or demonstration days, no posts register. 2024:
# - G1 (运行工区): a clean meeting every month, contact with the masses in Mar/Jun/Sep/Dec.
# - G2 (运行工区): clean meetings January–October only; no contact with the masses at all
#   (while G1 has some: a lapse, not "no data").
# - G3 (检修工区, only with ``other_unit``): a meeting every month, each "more praise than criticism".
def _branch_folder(d, other_unit: bool):
    groups = [("G1", "运行工区", "一班党小组", 6, "王建国"), ("G2", "运行工区", "二班党小组", 5, "李明辉")]
    groups += [("G3", "检修工区", "检修班党小组", 7, "赵志强")] if other_unit else []
    pd.DataFrame(groups, columns=["group_id", "工区", "name", "members", "党小组长"]).to_csv(
        d / "groups.csv", index=False)
    rows = [(g, f"2024-{m:02d}-10", "group_meeting", int(g == "G3"), 0, 0)
            for g, *_ in groups for m in range(1, 13) if not (g == "G2" and m > 10)]
    rows += [("G1", f"2024-{m:02d}-15", "mass_contact", None, None, None) for m in (3, 6, 9, 12)]
    pd.DataFrame(rows, columns=["group_id", "date", "kind", "praise_over_criticism",
                                "form_over_substance", "chat_over_solving"]).to_csv(
        d / "activities.csv", index=False)
    (d / "dataset.yml").write_text("name: branch\ntables:\n  groups: groups.csv\n"
                                   "  activities: activities.csv\n", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def branch(tmp_path_factory):
    return _branch_folder(tmp_path_factory.mktemp("branch"), other_unit=True)


def _branch_ctx(branch, lang="zh", **kw):
    ds = load_dataset(branch, cache=False)
    unit = ds.tables["units"].set_index("name").loc["运行工区", "unit_id"]
    return orglife.prepare(ds, unit_id=unit, period="2024", lang=lang, **kw)


def test_no_records_of_a_kind_is_unknown_not_lapsed(branch):
    ctx = _branch_ctx(branch)
    s = orglife.systems_table(ctx).set_index(["group_id", "rule"])
    # kinds the data never record: unknown for every group, with the reason
    for rule in ("training", "report", "inspection", "demonstration_day"):
        assert (s.xs(rule, level="rule")["status"] == "unknown").all(), rule
    assert s.loc[("G1", "report"), "not_recorded"] == "work_report,half_year_summary"
    # G2 has no contact with the masses while G1 has: lapsed from March (Jan–Feb before the
    # 3-month window fits in the log, so "or earlier"), ten months
    assert s.loc[("G1", "mass_contact"), "status"] == "met"
    assert s.loc[("G2", "mass_contact"), ["status", "since", "since_censored", "months_lapsed"]].tolist() \
        == ["lapsed", pd.Timestamp("2024-03-01"), True, 10]
    assert s.loc[("G2", "meeting"), ["status", "since", "months_lapsed"]].tolist() == \
        ["lapsed", pd.Timestamp("2024-11-01"), 2]
    f = orglife.followup_table(ctx)
    assert list(zip(f["group_id"], f["rule"])) == [("G2", "mass_contact"), ("G2", "meeting")]
    text = orglife.interpret_systems(orglife.systems_table(ctx), ctx)
    assert "仍未落实的有 2 项" in text
    assert "无法判断的制度/要求：党小组长培训制度、工作汇报制度、检查讲评制度、党员示范日" in text
    assert "没有这类活动的记录" in text
    t = orglife.training_table(ctx)
    assert t["overdue"].isna().all()
    assert orglife.interpret_training(t, orglife.leader_sessions_table(ctx), ctx) == \
        "党小组长培训无法判断：数据中没有党小组长培训记录（2 个党小组均不详）。"
    assert set(orglife.format_training(t, ctx)["最近一次培训"]) == {"数据中无此类记录"}
    demo = orglife.interpret_demo(orglife.demo_days_table(ctx), orglife.posts_table(ctx), ctx)
    assert demo == ("党员示范日无法判断：数据中没有党员示范日记录。"
                    "本数据集没有党员示范岗登记表，示范岗情况不详。")


def test_leader_names_are_masked_unless_member_names(branch, folder):
    zh = _branch_ctx(branch)
    shown = orglife.format_training(orglife.training_table(zh), zh)
    assert shown["党小组长"].tolist() == ["〔姓名〕", "〔姓名〕"]
    named = _branch_ctx(branch, member_names=True)
    assert orglife.format_training(orglife.training_table(named), named)["党小组长"].tolist() == \
        ["王建国", "李明辉"]
    # leader ids that are the dataset's member ids (the first fixture: M10, M20 in the attendance
    # register) are ids, shown as they are
    default = orglife.prepare(folder, unit_id="U1", period="2019Q1", lang="en")
    assert orglife.format_training(orglife.training_table(default), default)["Leader"].tolist() == \
        ["M10", "M20"]
    # codes (employee numbers) are ids too; names in any script are masked
    assert [orglife.leader_text(v, zh) for v in ("20230015", "A-17", "Wang Jianguo", "王建国", None)] \
        == ["20230015", "A-17", "〔姓名〕", "〔姓名〕", ""]


def test_made_up_root_is_not_the_company(branch, tmp_path):
    zh, en = _branch_ctx(branch), _branch_ctx(branch, lang="en")
    assert not zh.real_company
    q, r = orglife.quality_table(zh), orglife.repeat_flags_table(zh)
    # unit: 22 clean meetings of 22 rated; all groups in the data: 22 + 0 clean of 22 + 12 (64.7% → 65)
    text = orglife.interpret_quality(q, r, zh)
    assert "（100%），数据中全部党小组为 65%；" in text and "全公司" not in text
    assert "(100%; all groups in the data 65%)" in orglife.interpret_quality(
        orglife.quality_table(en), orglife.repeat_flags_table(en), en)
    # one unit is all the data: nothing to compare with
    alone = _branch_folder(tmp_path, other_unit=False)
    a = _branch_ctx(alone)
    text = orglife.interpret_quality(orglife.quality_table(a), orglife.repeat_flags_table(a), a)
    assert "（100%）；" in text and "全公司" not in text and "全部党小组" not in text
