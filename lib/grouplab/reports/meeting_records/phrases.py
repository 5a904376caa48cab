"""Wording of the meeting-records report (08): every label, title and sentence in Chinese and in English."""

from __future__ import annotations

__all__ = ["PHRASES"]


PHRASES = {
    "group": {"zh": "党小组", "en": "Group"},
    "quarter": {"zh": "季度", "en": "Quarter"},
    "records": {"zh": "记录数", "en": "Records"},
    "coded": {"zh": "已编码", "en": "Coded"},
    "code": {"zh": "编码", "en": "Code"},
    "share": {"zh": "{code}（%）", "en": "{code} (%)"},
    "start": {"zh": "起始月", "en": "From"},
    "end": {"zh": "结束月", "en": "To"},
    "months": {"zh": "连续月数", "en": "Months running"},
    "date": {"zh": "日期", "en": "Date"},
    "rule": {"zh": "依据规则", "en": "Deciding rule"},
    "code_problem": {"zh": "编码（问题）", "en": "Code (problem)"},
    "decision": {"zh": "判定", "en": "Decision"},
    "absent": {"zh": "无此问题", "en": "absent"},
    "evidence": {"zh": "判定为“无此问题”的依据句（已隐去人名）",
                 "en": "Sentence showing the problem absent (names masked)"},
    "as_written": {"zh": "党小组（原文）", "en": "Group (as written)"},
    "closest": {"zh": "名册中最接近的名称", "en": "Closest roster names"},
    "snippet": {"zh": "记录开头（已隐去人名）", "en": "Start of the record (names masked)"},
    "alpha": {"zh": "α（编码员间）", "en": "Alpha (coders)"},
    "alpha_ci": {"zh": "α 95% 区间", "en": "Alpha 95% CI"},
    "kappa": {"zh": "κ（前两位编码员）", "en": "Kappa (first two coders)"},
    "verdict": {"zh": "结论", "en": "Verdict"},
    "machine_kappa": {"zh": "机器 κ（对裁决）", "en": "Machine kappa (vs adjudicated)"},
    "f1": {"zh": "机器 F1", "en": "Machine F1"},
    "quotes_zh_only": {"zh": "",
                       "en": "The evidence sentences are quoted in Chinese, as written: the zh report "
                             "shows them; this table gives the rule that decided each (every row is a "
                             "record coded 'absent')."},
    "verdicts": {"zh": {"rely": "可依赖", "tentative": "仅作初步结论", "revise": "需修订编码表",
                        "undefined": "无法计算"},
                 "en": {"rely": "rely", "tentative": "tentative only", "revise": "revise the codebook",
                        "undefined": "undefined"}},
    "sheet_shares": {"zh": "各季度编码比例", "en": "Shares by quarter"},
    "sheet_runs": {"zh": "连续只学文件", "en": "Study-only runs"},
    "sheet_quotes": {"zh": "证据句", "en": "Evidence quotes"},
    "sheet_agreement": {"zh": "编码一致性", "en": "Agreement"},
    "sheet_unplaced": {"zh": "未对应党小组的记录", "en": "Records without a group"},
    "unplaced": {"zh": "另有 {n} 份 {year} 年的会议记录写的党小组名称在名册中找不到，未计入本报告的任何数字"
                       "（见“未对应党小组的记录”）；请在会议记录中改正名称后重新运行。",
                 "en": "{n} more records of {year} name a group that is not in the roster and are counted "
                       "nowhere in this report (see 'Records without a group'); correct the name in the "
                       "minutes and run the report again."},
    "no_unplaced": {"zh": "所有会议记录都对应到了名册中的党小组。",
                    "en": "Every meeting record was placed in a group of the roster."},
    "plot_title": {"zh": "{unit} {year} 年各季度会议记录编码比例",
                   "en": "{unit} {year}: share of records by code"},
    "plot_y": {"zh": "记录占比（%）", "en": "Share of records (%)"},
    "summary": {
        "zh": "{unit} {year} 年共有 {n} 份会议记录（{n_groups} 个党小组），其中 {n_coded} 份可编码。"
              "按记录所写：{praise:.0f}% 没有点名具体不足，{form:.0f}% 没有议具体工作，"
              "{chat:.0f}% 没有把具体问题落到措施上。",
        "en": "{unit} has {n} meeting records for {year} ({n_groups} groups), {n_coded} of them codable. "
              "As written, {praise:.0f}% name no concrete shortcoming, {form:.0f}% put no concrete work "
              "matter on the agenda and {chat:.0f}% tie no concrete problem to a measure.",
    },
    "no_records": {"zh": "{unit} {year} 年没有可编码的会议记录。",
                   "en": "{unit} has no codable records for {year}."},
    "runs": {"zh": "{n} 个党小组的记录连续 3 个月及以上只有学文件、没有议具体工作：{names}。",
             "en": "{n} groups' records were document study only for 3 or more months running: {names}."},
    "no_runs": {"zh": "没有党小组的记录连续 3 个月只有学文件。",
                "en": "No group's records were document study only for 3 months running."},
    "agreement": {"zh": "人工编码样本 {n} 份（{file}）：{lines}。机器编码的比较对象："
                        "两名编码员一致处取其共同编码，不一致处取裁决。{missing}",
                  "en": "Hand-coded sample of {n} records ({file}): {lines}. The machine is scored against "
                        "the coders' common code where they agree and the adjudication where they did "
                        "not.{missing}"},
    "missing_adjudications": {"zh": "尚有 {n} 处分歧未裁决，暂不计入机器编码的比较。",
                              "en": " {n} disagreements have no adjudication yet and are left out of the "
                                    "machine's score."},
    "agreement_line": {"zh": "{code} α = {alpha:.2f}（{verdict}）",
                       "en": "{code} alpha = {alpha:.2f} ({verdict})"},
    "no_agreement": {"zh": "尚无人工编码样本：编码一致性无法报告。用 {command} 抽样，"
                           "把填好的主工作簿（{file}）和各编码员的文件放在数据集文件夹中"
                           "（与 {manifest} 同一层），再运行本报告。",
                     "en": "No hand-coded sample yet: agreement cannot be reported. Draw one with {command}, "
                           "then put the filled master workbook ({file}) and the coders' files beside "
                           "{manifest} in the dataset folder and run this report again."},
}
