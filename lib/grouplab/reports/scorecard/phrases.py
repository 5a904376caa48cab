"""Wording of the scorecard report: every label, title and sentence, once in Chinese and once in English.

Each entry is ``{"zh": …, "en": …}`` and each language's text is in that
language only (ids, numbers and names from the data are inserted as values).
"""

from __future__ import annotations

__all__ = ["PHRASES"]

PHRASES = {
    "group": {"zh": "党小组", "en": "Group"},
    "group_id": {"zh": "党小组编号", "en": "Group ID"},
    "H1": {"zh": "上半年得分", "en": "First-half total"},
    "H2": {"zh": "下半年得分", "en": "Second-half total"},
    "H1_grade": {"zh": "上半年等级", "en": "First-half grade"},
    "H2_grade": {"zh": "下半年等级", "en": "Second-half grade"},
    "mean": {"zh": "全年平均", "en": "Year mean"},
    "year_grade": {"zh": "年度等级", "en": "Year grade"},
    "period": {"zh": "考评期", "en": "Period"},
    "year": {"zh": "年度", "en": "Year"},
    "total": {"zh": "总分", "en": "Total"},
    "grade": {"zh": "等级", "en": "Grade"},
    "pct": {"zh": "得分率（%）", "en": "Score (% of maximum)"},
    "aspect": {"zh": "考评方面", "en": "Aspect"},
    "sheet_grades": {"zh": "考评等级", "en": "Grades"},
    "sheet_rect": {"zh": "限期整改", "en": "Rectification"},
    "sheet_lead": {"zh": "党小组长调整提示", "en": "Leader review"},
    "ov_groups": {"zh": "党小组数", "en": "Groups"},
    "ov_mean": {"zh": "{year} 年平均总分", "en": "Mean total {year}"},
    "ov_grade": {"zh": "{grade}（小组次）", "en": "{grade} (group half-years)"},
    # all five codebook kinds, found hazards and violations included: said in the header
    "ov_events": {"zh": "{year} 年安全记录数（事故、故障、违章、隐患、未遂合计）",
                  "en": "Safety records {year} (accidents, failures, violations, hazards, near misses)"},
    "ov_rate": {"zh": "{year} 年安全记录率（五类合计，每百万工时）",
                "en": "Safety records per million person-hours {year} (all five kinds)"},
    "trend_title": {"zh": "{unit}各党小组考评总分趋势", "en": "Evaluation totals of {unit}'s groups"},
    "aspect_title": {"zh": "{unit} {year} 年各方面得分率", "en": "{unit} {year}: score by aspect (% of max)"},
    "summary": {
        "zh": "{unit}共有 {n} 个党小组参加 {year} 年考评：上半年平均 {h1:.1f} 分，下半年平均 {h2:.1f} 分；"
              "{n_exc} 个小组次获评优秀，{n_low} 个小组次处于基本合格及以下。"
              "得分率最低的方面是{weak}（{weak_pct:.0f}%）。",
        "en": "{n} groups of {unit} were evaluated in {year}: mean total {h1:.1f} in the first half and "
              "{h2:.1f} in the second; {n_exc} group half-years were rated excellent and {n_low} basic pass "
              "or below. The weakest aspect was {weak} ({weak_pct:.0f}% of its maximum).",
    },
    "advanced": {"zh": "{year} 年度先进党小组：{name}（两次考评平均 {mean:.2f} 分{tie}）。",
                 "en": "Advanced group of {year}: {name} (mean of the two evaluations {mean:.2f}{tie})."},
    "advanced_tie": {"zh": "，与其他小组同分，按下半年得分确定",
                     "en": "; tied, decided by the second-half total"},
    "no_advanced": {"zh": "{year} 年没有小组完成两次考评，不评选年度先进党小组。",
                    "en": "No group completed both evaluations of {year}: no advanced group."},
    "rect": {"zh": "{n} 个小组次处于基本合格及以下，党支部应帮助查找原因、限期整改：{names}。",
             "en": "{n} group half-years were at basic pass or below and need a rectification plan: "
                   "{names}."},
    "no_rect": {"zh": "{year} 年没有需要整改的党小组。", "en": "No group needed rectification in {year}."},
    "lead": {"zh": "{names} 连续两年年度等级在基本合格及以下，应考虑更换党小组长人选。",
             "en": "{names}: yearly grade at basic pass or below two years running — "
                   "review the group leader."},
    "no_lead": {"zh": "没有党小组连续两年处于基本合格及以下。",
                "en": "No group was at basic pass or below two years running."},
    "half": {"zh": {"H1": "上半年", "H2": "下半年"}, "en": {"H1": "first half", "H2": "second half"}},
}
