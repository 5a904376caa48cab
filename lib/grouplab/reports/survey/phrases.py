"""zh/en wording of the survey report: table headers, figure labels and sentences."""

from __future__ import annotations

__all__ = ["PHRASES"]

#: zh/en phrases of the survey report (keys are looked up with :func:`grouplab.reports.common.labels.phrase`).
PHRASES: dict[str, dict[str, str]] = {
    "h_counts": {"zh": "## 答卷情况\n\n各党小组答卷人数及答卷率（答卷人数 ÷ 党员人数）。",
                 "en": "## Who answered\n\nRespondents per Party group of the unit; the response "
                       "rate is respondents ÷ members."},
    "h_attributes": {"zh": "## 答卷人构成\n\n本单位答卷人按性别、年龄段等属性的分布，与全公司对照。",
                     "en": "## Who the respondents are\n\nThe unit's respondents by attribute "
                           "(gender, age band …), next to the company."},
    "h_choices": {"zh": "## 选择题\n\n本单位各选项占比及威尔逊法 95% 置信区间，与全公司对照。",
                  "en": "## Choice questions\n\nShare of the unit's answers choosing each option, "
                        "with Wilson 95 % intervals, next to the company."},
    "h_scales": {"zh": "## 量表得分\n\n各量表均值（反向题已转换），本单位与全公司对照，95% 置信区间。"
                       "均值描述本单位答卷者，不说明差异的原因。",
                 "en": "## Scale scores\n\nMean of the answered items after reverse keying, unit vs "
                       "company, with t-based 95 % intervals. Means describe the unit's "
                       "respondents; a difference says nothing about its cause."},
    "h_reliability": {"zh": "## 信度\n\n本单位答卷中各量表的 α、ω 系数，以及各题的校正项总相关（CITC）"
                            "和删除该题后的 α。",
                      "en": "## Reliability\n\nCronbach's α and McDonald's ω of each scale in the "
                            "unit's answers, with each item's corrected item–total correlation "
                            "(CITC) and α if the item is deleted."},
    "hidden": {"zh": "已隐去", "en": "hidden"},
    # Excel sheets (≤ 31 characters, none of []:*?/\\)
    "sheet_responses": {"zh": "答卷情况", "en": "Responses"},
    "sheet_attributes": {"zh": "答卷人构成", "en": "Respondents"},
    "sheet_choices": {"zh": "选择题", "en": "Choice questions"},
    "sheet_scales": {"zh": "量表得分", "en": "Scale scores"},
    "sheet_reliability": {"zh": "信度", "en": "Reliability"},
    "total": {"zh": "合计", "en": "Total"},
    "no_group": {"zh": "未填党小组", "en": "Group not given"},
    "respondents": {"zh": "答卷人数", "en": "Respondents"},
    "rate": {"zh": "答卷率（%）", "en": "Response rate (%)"},
    "ov_rate": {"zh": "{wave} 年问卷答卷率（%）", "en": "Survey response rate {wave} (%)"},
    "item": {"zh": "题目", "en": "Question"},
    "option": {"zh": "选项", "en": "Option"},
    "n_answered": {"zh": "本单位作答人数", "en": "Unit: answered"},
    "share": {"zh": "本单位占比（%）", "en": "Unit: share (%)"},
    "ci": {"zh": "本单位 95% 置信区间", "en": "Unit: 95% CI"},
    "company_share": {"zh": "全公司占比（%）", "en": "Company: share (%)"},
    "company_ci": {"zh": "全公司 95% 置信区间", "en": "Company: 95% CI"},
    "scale": {"zh": "量表", "en": "Scale"},
    "n_unit": {"zh": "本单位人数", "en": "Unit: n"},
    "mean_unit": {"zh": "本单位均值", "en": "Unit: mean"},
    "ci_unit": {"zh": "本单位 95% 置信区间", "en": "Unit: 95% CI"},
    "n_company": {"zh": "全公司人数", "en": "Company: n"},
    "mean_company": {"zh": "全公司均值", "en": "Company: mean"},
    "ci_company": {"zh": "全公司 95% 置信区间", "en": "Company: 95% CI"},
    "diff": {"zh": "差值（本单位−全公司）", "en": "Difference (unit − company)"},
    "n": {"zh": "人数", "en": "n"},
    "alpha": {"zh": "α 系数", "en": "Alpha"},
    "omega": {"zh": "ω 系数", "en": "Omega"},
    "citc": {"zh": "校正项总相关（CITC）", "en": "Corrected item–total r (CITC)"},
    "alpha_if_deleted": {"zh": "删除该题后的 α", "en": "Alpha if item deleted"},
    "reversed": {"zh": "（反向计分）", "en": " (reverse-keyed)"},
    "whole_scale": {"zh": "（整个量表）", "en": "(whole scale)"},
    "unit_series": {"zh": "{unit}", "en": "{unit}"},
    "company_series": {"zh": "全公司", "en": "Company"},
    "choices_title": {"zh": "{unit}（{wave}年）：各题关键选项占比及 95% 置信区间",
                      "en": "{unit} ({wave}): share choosing the key option, with 95% CI"},
    "share_axis": {"zh": "选择该选项的比例（%）", "en": "Share choosing the option (%)"},
    "scales_title": {"zh": "{unit}（{wave}年）：量表均值及 95% 置信区间",
                     "en": "{unit} ({wave}): scale means with 95% CI"},
    "mean_axis": {"zh": "均值（{lo}–{hi} 分，越高越好）", "en": "Mean ({lo}–{hi}, higher is better)"},
    "hidden_note": {"zh": "已隐去（不足 {k} 人或可由合计推算）",
                    "en": "hidden (under {k} answers, or would reveal such a cell)"},
    "footnote": {"zh": "注：不足 {k} 人的格子，以及可由合计推算出这些格子的格子，均已隐去（标为“已隐去”）。",
                 "en": "Note: cells with fewer than {k} respondents, and cells from which a total would "
                       "reveal them, are hidden (marked 'hidden')."},
    "counts_sentence": {
        "zh": "{wave}年{unit}共有 {n} 人答卷（全公司 {n_company} 人）；{n_groups} 个党小组中有 {n_hidden} "
              "个的人数因不足 {k} 人或可被推算而隐去。",
        "en": "{n} members of {unit} answered in {wave} (company: {n_company}); the counts of {n_hidden} "
              "of {n_groups} groups are hidden because they are below {k} or could be worked out "
              "from the total."},
    "counts_small": {
        "zh": "{wave}年{unit}答卷人数不足 {k} 人，"
              "本报告不显示该单位的任何答卷结果（全公司 {n_company} 人）。",
        "en": "Fewer than {k} members of {unit} answered in {wave}: no results of the unit are shown "
              "(company: {n_company})."},
    "choices_sentence": {
        "zh": "与全公司差别最大的是“{item}”：本单位 {share}% 选择“{option}”，全公司为 {company}%"
              "（两者 95% 置信区间{overlap}）。",
        "en": "The largest difference from the company is on “{item}”: {share}% of the unit chose "
              "“{option}” against {company}% company-wide (the 95% CIs {overlap})."},
    "overlap": {"zh": "有重叠，差异可能只是抽样误差",
                "en": "overlap, so the difference may be sampling noise"},
    "no_overlap": {"zh": "不重叠", "en": "do not overlap"},
    "choices_none": {"zh": "本单位各题的关键选项占比均已隐去或无人作答。",
                     "en": "The unit's key-option shares are all hidden or unanswered."},
    "scales_sentence": {
        "zh": "本单位得分最高的是“{best}”（{best_mean}），最低的是“{worst}”（{worst_mean}）；"
              "{n_shown} 个可显示的量表中有 {n_above} 个高于全公司均值，"
              "其中 {n_outside} 个的全公司均值落在本单位 95% 置信区间之外。",
        "en": "The unit scores highest on “{best}” ({best_mean}) and lowest on “{worst}” ({worst_mean}); "
              "it is above the company mean on {n_above} of {n_shown} shown scales, and the company mean "
              "lies outside the unit's 95% CI for {n_outside} of them."},
    "scales_none": {"zh": "本单位没有可显示的量表均值。", "en": "No scale mean of the unit can be shown."},
    "rel_sentence": {
        "zh": "本单位答卷中，α 系数在 {lo}（“{lo_scale}”）到 {hi}（“{hi_scale}”）之间，"
              "{n_ok} 个量表达到 0.70。",
        "en": "In the unit's answers, alpha ranges from {lo} (“{lo_scale}”) to {hi} (“{hi_scale}”); "
              "{n_ok} of {n_shown} scales reach 0.70."},
    "rel_none": {"zh": "本单位答卷人数太少，不计算信度。",
                 "en": "Too few answers in the unit to compute reliability."},
}
