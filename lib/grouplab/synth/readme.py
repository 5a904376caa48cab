"""README.md of the demo dataset, written from TRUTH (so text and data never disagree)."""

from __future__ import annotations

import yaml

from grouplab.synth.truth import TRUTH

_FILES = [
    ("units.csv", "units", "CSV, UTF-8"),
    ("groups.csv", "groups", "CSV, UTF-8"),
    ("activities.csv", "activities", "CSV, UTF-8; flags 1/0, empty = not applicable"),
    ("posts.csv", "posts", "CSV, UTF-8; empty `end` = post still in place"),
    ("member_attendance.csv", "member_attendance", "CSV, UTF-8; one row per member and group meeting"),
    ("evaluations.xlsx", "evaluations", "Excel, sheet 考评明细, Chinese headers, long format"),
    ("incidents.csv", "incidents", "CSV, **GB18030**, Chinese headers and labels, 是/否"),
    ("exposure.csv", "exposure", "CSV, UTF-8"),
    ("indicators.csv", "indicators", "CSV, UTF-8; decimals per catalogue"),
    ("survey_2017.xlsx", "survey", "问卷星 按序号 export, sheet Sheet1"),
    ("survey_2018.xlsx", "survey", "问卷星 按文本 export, sheet Sheet1"),
    ("survey_2019.xlsx", "survey", "问卷星 按序号 export, sheet Sheet1"),
]


def _irr(d: dict) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in d.items())


def _drift_text(drift) -> str:
    """The member-attendance section: the rule and the planted drift episodes."""
    a = TRUTH["attendance"]
    rows = "\n".join(f"| {r.group_id} | {r.member_id} | {r.first_month} | {r.rise_month} |"
                     for r in drift.itertuples(index=False)) if drift is not None else ""
    return f"""**Member attendance** (member_attendance.csv). Every member of a power group has one row
per group meeting; exactly `attendees` of activities.csv are present. The other members are
drawn at random, each excused with probability {a["excused_share"]} (else absent without excuse),
so a member can also miss three meetings in a row by chance. **Planted truth — a few members
drift away before some groups' incidents rise:** for each group, the month t at which
violations + responsibility accidents in months t…t+{a["rise_window"] - 1} exceed the
{a["rise_window"]}-month average of the previous {a["baseline_months"]} months the most (by at
least {a["rise_min"]}); in up to {a["drift_groups"]} such groups (largest excess first, and only
where all of the ≥ {a["min_meetings"]} meetings of months t−{a["drift_months"]}…t−1 have someone
missing) one non-leader member is absent without excuse from every group meeting of those
{a["drift_months"]} months, then returns. The incidents were simulated without reference to
attendance: the drift *precedes* the rise by construction — an association for the
organisational-life report (07) to find, not a cause.

| group | member | drift from | incidents rise in |
|---|---|---|---|
{rows}
"""


def readme_text(seed: int, counts: dict[str, int], drift=None) -> str:
    """The README of the demo dataset for ``seed`` with the given row counts and drift episodes."""
    T = TRUTH
    e, sv, ev, fb = T["effects"], T["survey"], T["evaluation"], T["feedback"]
    mt = T["meetings"]
    adoption = "\n".join(f"| {k} | {v or 'never'} |" for k, v in T["adoption"].items())
    files = "\n".join(
        f"| `{f}` | {t} | {fmt} | {counts[f.rsplit('.', 1)[0]]} |" for f, t, fmt in _FILES)
    base = ", ".join(f"{k} {v}" for k, v in T["baseline_rate_per_1000h"].items())
    eng = ", ".join(f"{k} {v:+.1f}" for k, v in T["engagement_coef"].items())
    summer = ", ".join(f"{k} {v}" for k, v in T["summer_irr"].items())
    oil_t = "\n".join(
        f"| {k} | {v['2010']} | {v['2011']} | {v['report_decimals']} |"
        for k, v in T["oil"]["targets"].items())
    effects = "\n".join(
        f"| {label} | {d.get('violation', 1.0):.2f} | {d.get('responsibility_accident', 1.0):.2f} "
        f"| {d.get('hidden_hazard', 1.0):.2f} |"
        for label, d in [
            ("demonstration posts in place, P", e["post_irr"]),
            ("leader trained in past 12 months, R", e["training_irr"]),
            ("per 三多三少 flag per meeting in month t−1, D", e["flag_irr"]),
            ("number of group meetings", {"violation": e["meeting_count_irr"],
                                          "responsibility_accident": e["meeting_count_irr"]}),
        ])
    t_eq = (f"T_gp = {ev['total_mean']} + {ev['engagement_coef']}·u_g − {ev['area_coef']}·a_k"
            f" + {ev['post_points']}·P̄_gp + {ev['trained_points']}·R̄_gp"
            f" − {abs(ev['flag_points'])}·(D̄_gp − 1) + N(0, {ev['total_noise_sd']}²)")
    s_eq = (f"score_gpi = round_to_{ev['rounding']}( clip( max_i · (T_gp/100"
            f" + N(0, {ev['item_noise_sd']}²)), 0, max_i ) )")
    i10 = (f"I10 (no responsibility accident) = max(0, 10 − {abs(ev['accident_points_i10'])}"
           "·accidents in the half-year)")
    rho = sv["person_general_corr"]
    theta = (f"θ_rs = κ_s·u_g/{T['engagement_sd']} + δ_s·P_g(wave) + √{rho}·G_r"
             f" + √(1−{rho})·ε_rs      G_r, ε_rs ~ N(0,1)")
    shares = ", ".join(f"{k} {100 * v:.1f} %" for k, v in sv["key_shares"].items())
    truth_yaml = yaml.safe_dump(T, allow_unicode=True, sort_keys=False, width=100)
    return f"""\
# 示例数据，非真实数据 — synthetic demo data, NOT real data

> **示例数据，非真实数据。** Every unit, group, person, incident, score, answer and
> indicator in this folder is invented by `grouplab.synth` from the data-generating
> process below. Names such as 线路运行一班党小组 or 采油一站 are generic; IP addresses
> are `0.0.0.0(示例)`. Do not cite these numbers as findings about any organisation.

The dataset mirrors the seed practice of the kit: a power-supply company with
{T["structure"]["n_work_areas"]} work areas and their Party groups (monthly records
{T["study_window"]["start"]} … {T["study_window"]["end"]}), half-yearly evaluations on
the default rubric, staggered adoption of demonstration posts (党员示范岗), yearly member
surveys {sv["waves"][0]}–{sv["waves"][-1]}, and one oil-production area with 3 stations
and 41 wells under 10 标杆 indicators ({T["indicator_window"]["start"]} …
{T["indicator_window"]["end"]}). Because the truth is known, notebooks can put an
estimate next to it and tests can check that the models recover it.

## Regenerate

```
python -m grouplab.synth data/demo            # seed {T["seed"]} (the committed files)
python -m grouplab.synth OUT_DIR --seed N     # another draw of the same process
```

or, in Python, `grouplab.synth.make_demo(seed={T["seed"]}, out_dir="data/demo")`.
These files were generated with seed **{seed}**. The output is deterministic: CSV,
YAML and this README are byte-identical across runs; the .xlsx files carry fixed
document dates and zip timestamps. `make_demo` also writes
`../rubrics/member_survey.yml` and `../rubrics/oil_benchmark_indicators.yml`.
`tests/synth/test_synth.py` regenerates everything and compares it with the committed files.

## Files

`dataset.yml` is the manifest (which file holds which table, encodings, sheets, and the
rubric / questionnaire / catalogue that apply). Dates are ISO (`2019-05-13`), months
`2019-05`, booleans `1`/`0` (`是`/`否` in incidents.csv), categories are codebook codes
(Chinese labels in incidents.csv).

| file | table | format | rows |
|---|---|---|---|
{files}

Survey files: columns 序号, 提交答卷时间 (`2019/5/13 10:23:45`), 所用时间 (`235秒`), 来源,
来源详情, 来自IP, then `1、您所在的单位` (work area; `unit` in the questionnaire spec maps the
answer to unit_id), `2、您所在党小组的编号`, one 矩阵量表 question per scale (按序号: one column
`n(<statement>)` per item, codes 1–5; 按文本: `n、<stem>—<statement>` then `n、<statement>`,
labels 非常不同意…非常同意) and one column `n、<question>` per single-choice item. Special codes
in 按序号 files: **−3 = not shown** (the 示范引领 items M1–M4 are shown only to members whose
work area had adopted demonstration posts by the survey date), **−2 = skipped** (each item cell
independently with probability {sv["skip_rate"]}); the 按文本 file writes `(跳过)` for both.

## Data-generating process

Notation: group g in work area k, month t; `u_g ~ N(0, {T["engagement_sd"]}²)` is the
UNOBSERVED engagement of the group; `a_k ~ N(0, {T["area_sd"]}²)` the area risk level;
`expit` the logistic function. {T["burn_in_months"]} burn-in months before
{T["study_window"]["start"]} are simulated and dropped.

**Structure.** Company C01; work areas WA01–WA10 with
{T["structure"]["groups_per_area"][0]}–{T["structure"]["groups_per_area"][1]} groups each
(uniform); members per group uniform on {T["structure"]["members_per_group"]}; the
leader is the group's first member (member ids M0001…). Oil area OA1 with stations
S1–S3 and wells W01–W41 ({T["structure"]["stations"]}).

**Exposure.** `H_gt = members_g × {T["hours_per_member_month"]:.0f} × exp(N(0,
{T["hours_log_sd"]}²))`, rounded to 0.1 h (exposure.csv, person_hours).

**Group meetings.** Regular meeting held in month t with probability
`expit({mt["held_logit"]["intercept"]} + {mt["held_logit"]["engagement_coef"]}·u_g)`.
Feedback loop: if month t had ≥ {fb["trigger_accidents"]} responsibility accident or
≥ {fb["trigger_violations"]} violations, {fb["extra_meetings_per_month"]} extra group
meeting is held in each of months t+1, t+2, t+3 (months {fb["lags"]} after the trigger).
Each meeting raises each 三多三少 flag f with probability
`expit(c_f − {abs(mt["flag_logit"]["engagement_coef"])}·u_g)`, c = {mt["flag_logit"]["intercept"]}.
Attendance `~ Binomial(members, expit({mt["attendance_logit"]["intercept"]} +
{mt["attendance_logit"]["engagement_coef"]}·u_g))`.
`D_gt` = mean number of flags per group meeting in month t (**3 if no meeting was held**).

**Leader training.** From {T["training"]["first_year"]}, each year a group's leader attends a
leader_training with probability `expit({T["training"]["yearly_logit"]["intercept"]} +
{T["training"]["yearly_logit"]["from_2017"]}·[year ≥ 2017] +
{T["training"]["yearly_logit"]["engagement_coef"]}·u_g)`, in a month uniform on
{T["training"]["months"]} (3 = March). `R_gt` = 1 if that happened in months t−12 … t−1.

**Demonstration posts (staggered adoption).** All groups of a work area set
{T["posts_per_group"][0]}–{T["posts_per_group"][1]} posts in the adoption month (posts.csv start
= a day in that month; {T["post_end_share"]:.0%} of posts end and are handed to another
member the next day). `P_gt` = 1 from the adoption month on. Demonstration days: one per
quarter for quarters starting on/after adoption.

| work area | adoption month |
|---|---|
{adoption}

**Incidents.** For each category c, `N_gtc ~ Poisson(λ_gtc)` and one row per incident
(date uniform on days 1–28 of the month):

```
log λ_gtc = log(H_gt / 1000) + log b_c + β_c·u_g + a_k·[c ≠ hidden_hazard]
            + log(S_c)·[month ∈ {T["summer_months"]}]          # 迎峰度夏 summer peak
            + log(IRR_post,c)·P_gt + log(IRR_train,c)·R_gt + log(IRR_flag,c)·D_g,t−1
```

- baseline b_c per 1,000 person-hours: {base}
- engagement β_c: {eng} (better groups FIND MORE hidden hazards)
- summer S_c: {summer}

**TRUE effects of the measures** (incidence-rate ratios):

| measure | violation | responsibility accident | hidden hazard |
|---|---|---|---|
{effects}

The post effect is constant from the adoption month on (no dynamics, no anticipation).
Equipment failures and near misses have no measure effects. Per meeting-quality point
(3 − flags) the violation IRR is 1/{e["flag_irr"]["violation"]:.2f} =
{1 / e["flag_irr"]["violation"]:.3f}.

What an analysis should find: `u_g` raises meeting quality, attendance, training and
evaluation scores and lowers violations and accidents, so pooled (naive) regressions
overstate the benefit of the measures — group fixed effects remove it. The feedback
loop makes the number of meetings follow incidents, so an un-lagged regression of
violations on meetings is biased although the meeting count has no effect (IRR 1).

{_drift_text(drift)}
**Half-yearly evaluations** (periods {ev["periods"][0]} … {ev["periods"][1]}, items I01–I12 of
`../rubrics/party_group_evaluation.yml`):

```
{t_eq}
{s_eq}
{i10}
I12 (demonstration posts) uses 0.7·T_gp/100 before posts exist in the area
```

(P̄, R̄ = shares of the half-year's months with posts / a trained leader; D̄ = mean flags
per meeting, 3 without meetings). Totals are mostly 合格, with 优秀, 基本合格 and a few
不合格; several groups stay below 80 two years running.

**Member surveys** (fielded from {sv["fielded"]} of each wave for {sv["field_days"]} days; each
member answers with probability {sv["response_rate"]}). For respondent r in group g and
scale s with items j = 1..4:

```
{theta}
y*_rj = λ_j·θ_rs + √(1−λ_j²)·e_rj,   answer = 1 + #{{τ_k < y*_rj}},  reverse items: 6 − answer
```

κ = {sv["engagement_loading"]}; δ = {sv["post_shift"]}; λ = {sv["item_loading"]};
τ = {sv["thresholds"]}. The 4th item of every scale is reverse-keyed. Single-choice items
C1–C4 (seed essay 4): exactly round(p·n) of the valid answers of every wave pick the key
option 1, p = {shares}; the other answers pick options 2–5 with probabilities
0.35/0.30/0.20/0.15.

**Oil area** (indicators.csv; catalogue `../rubrics/oil_benchmark_indicators.yml`).
Station and well effects, a level shift in 2011 (benchmarking starts) and a ramp within
2011. Definition: {T["oil"]["aggregation"]}. After drawing, values are nudged by one
unit of the last stored decimal so that these area figures hold EXACTLY (seed essay 5):

| indicator | 2010 | 2011 | reported decimals |
|---|---|---|---|
{oil_t}

(balance rate 85 % → 92.3 %, +7.3 points; shut-in loss 976 t → 399 t; equipment
integrity +4.9 points; system efficiency 32.6 % → 35.8 %; pump efficiency 43.9 % → 50.9 %.)

## All true parameters (`grouplab.synth.TRUTH`)

```yaml
{truth_yaml}```
"""
