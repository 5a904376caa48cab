"""zh/en wording of the organisational-life report (headers, labels, sentences)."""

from __future__ import annotations

__all__ = ["PHRASES", "FLAG_SHORT"]

#: One-character marks of the 三多三少 flags in the meeting grid, with their legend.
FLAG_SHORT = {
    "praise_over_criticism": {"zh": "扬", "en": "P"},
    "form_over_substance": {"zh": "形", "en": "F"},
    "chat_over_solving": {"zh": "谈", "en": "C"},
}

PHRASES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ headers
    "group": {"zh": "党小组", "en": "Group"},
    "group_id": {"zh": "党小组编号", "en": "Group ID"},
    "name": {"zh": "党小组名称", "en": "Group name"},
    "month": {"zh": "月份", "en": "Month"},
    "quarter": {"zh": "季度", "en": "Quarter"},
    "held": {"zh": "召开/应开", "en": "Held/required"},
    "attendance": {"zh": "出席率（%）", "en": "Attendance (%)"},
    "flags": {"zh": "三多三少", "en": "Flags"},
    "rule": {"zh": "制度/要求", "en": "System / rule"},
    "requirement": {"zh": "要求", "en": "Requirement"},
    "status": {"zh": "状态", "en": "Status"},
    "months_met": {"zh": "达标月数", "en": "Months met"},
    "since": {"zh": "起始月份", "en": "Since"},
    "months_lapsed": {"zh": "持续月数", "en": "Months"},
    "leader_id": {"zh": "党小组长", "en": "Leader"},
    "last_training": {"zh": "最近一次培训", "en": "Last training"},
    "months_since": {"zh": "距今月数", "en": "Months since"},
    "overdue": {"zh": "是否超期", "en": "Overdue"},
    "hours": {"zh": "本期学时", "en": "Hours in period"},
    "sessions": {"zh": "培训场次", "en": "Sessions"},
    "groups_trained": {"zh": "参训党小组", "en": "Groups trained"},
    "groups": {"zh": "党小组数", "en": "Groups"},
    "days": {"zh": "示范日次数", "en": "Demonstration days"},
    "groups_held": {"zh": "开展的党小组", "en": "Groups holding one"},
    "post_type": {"zh": "示范岗类型", "en": "Post type"},
    "active": {"zh": "期末在岗", "en": "Active at end"},
    "started": {"zh": "本期设岗", "en": "Started"},
    "ended": {"zh": "本期撤岗", "en": "Ended"},
    "members": {"zh": "登记党员", "en": "Members in register"},
    "absent_streak": {"zh": "连续{n}次以上无故缺席", "en": "Absent without excuse {n}+ meetings in a row"},
    "no_life": {"zh": "{n}个月未参加组织生活", "en": "No group life for {n} months"},
    "member_id": {"zh": "党员编号", "en": "Member ID"},
    "longest_streak": {"zh": "最长连续缺席", "en": "Longest absence run"},
    "streak_span": {"zh": "缺席起止", "en": "Run from–to"},
    "last_present": {"zh": "最近一次参加", "en": "Last present"},
    "rank": {"zh": "序号", "en": "No."},
    "state": {"zh": "办理状态", "en": "State"},
    "flag": {"zh": "问题", "en": "Flag"},
    "n_rated": {"zh": "评定的会议", "en": "Rated meetings"},
    "n_flagged": {"zh": "出现次数", "en": "Times seen"},
    "longest_run": {"zh": "最多连续", "en": "Most in a row"},
    "unit_quality": {"zh": "本单位", "en": "Unit"},
    "company_quality": {"zh": "全公司", "en": "Company"},
    "quality_axis": {"zh": "无三多三少问题的会议占比（%）", "en": "Meetings without any flag (%)"},
    "all_quality": {"zh": "数据中全部党小组", "en": "All groups in the data"},
    "quality_title": {"zh": "会议质量指数：{unit} 与全公司",
                      "en": "Meeting quality: {unit} against the company"},
    "quality_title_all": {"zh": "会议质量指数：{unit} 与数据中全部党小组",
                          "en": "Meeting quality: {unit} against all groups in the data"},
    "quality_title_alone": {"zh": "会议质量指数：{unit}", "en": "Meeting quality: {unit}"},
    "cmp_company": {"zh": "，全公司为 {x}%", "en": "; company {x}%"},
    "cmp_all": {"zh": "，数据中全部党小组为 {x}%", "en": "; all groups in the data {x}%"},
    "period_band": {"zh": "报告期", "en": "Report period"},
    # ------------------------------------------------------------ values
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "unknown": {"zh": "不详", "en": "unknown"},
    "never": {"zh": "无记录", "en": "none recorded"},
    "not_recorded": {"zh": "数据中无此类记录", "en": "not recorded in the data"},
    "name_masked": {"zh": "〔姓名〕", "en": "[name]"},
    "hidden": {"zh": "<{k}", "en": "<{k}"},
    "total": {"zh": "合计", "en": "Total"},
    "st_met": {"zh": "达标", "en": "met"},
    "st_lapsed": {"zh": "未落实", "en": "lapsed"},
    "st_resolved": {"zh": "曾未落实，已恢复", "en": "lapsed, since resolved"},
    "st_unknown": {"zh": "无法判断", "en": "unknown"},
    "open": {"zh": "待整改", "en": "open"},
    "closed": {"zh": "已整改", "en": "resolved"},
    "or_earlier": {"zh": "{m} 或更早", "en": "{m} or earlier"},
    "no_meeting": {"zh": "未开", "en": "none"},
    # Excel sheets (≤ 31 characters, none of []:*?/\\)
    "sheet_meeting_grid": {"zh": "党小组会", "en": "Group meetings"},
    "sheet_followup": {"zh": "督办清单", "en": "Follow-up list"},
    "sheet_repeat_flags": {"zh": "三多三少重复", "en": "Repeated flags"},
    "sheet_systems": {"zh": "五项制度", "en": "Five systems"},
    "sheet_training": {"zh": "组长培训", "en": "Leader training"},
    "sheet_sessions": {"zh": "培训场次", "en": "Training sessions"},
    "sheet_demo_days": {"zh": "党员示范日", "en": "Demonstration days"},
    "sheet_posts": {"zh": "示范岗", "en": "Demonstration posts"},
    "sheet_attendance": {"zh": "组织生活参加", "en": "Attendance list"},
    "sheet_members": {"zh": "党员名单", "en": "Members listed"},
    "legend": {"zh": "格内：召开/应开 · 出席率 · 三多三少（扬 = 表扬多批评少，形 = 形式多内容少，谈 = 闲"
                     "谈多解决问题少）",
               "en": "Cell: held/required · attendance · flags (P = more praise than criticism, "
                     "F = more show than substance, C = more chat than solving)"},
    "hidden_note": {"zh": "少于 {k} 人的格子不显示（含为保护它而隐去的格子）。",
                    "en": "Cells of fewer than {k} members are not shown (nor cells hidden to protec"
                    "t them)."},
    "no_register": {"zh": "本数据集没有党员参加组织生活记录（member_attendance），本节从略。",
                    "en": "This dataset has no member attendance register (member_attendance); secti"
                    "on skipped."},
    "names_off": {"zh": "按默认设置只显示各党小组人数；如规定允许，可打开参数 member_names（显示党员编号）。",
                  "en": "By default only counts per group are shown; set member_names=True where you"
                  "r rules allow "
                        "member identifiers."},
    "none_listed": {"zh": "（无）", "en": "(none)"},
    # ------------------------------------------------------------ sentences
    "s_meetings": {
        "zh": "{period}，{unit} 的 {n_groups} 个党小组应开党小组会 {required} 次，实开 {held} 次；"
              "{n_missed} 个“党小组·月”未开会，{worst}。",
        "en": "In {period}, the {groups_en} of {unit} held {meetings_en} against {required} "
              "required; {n_missed} group-month(s) had no meeting, {worst}."},
    "s_worst": {"zh": "最多的是 {month}（{n} 个）", "en": "most in {month} ({n})"},
    "s_worst_none": {"zh": "没有缺会的月份", "en": "no month missed one"},
    "s_quality": {
        "zh": "本期 {unit} 评定的 {rated} 次党小组会中 {clean} 次没有三多三少问题（{share}%）{compare}；"
              "月度变化最大的是 {month}（{delta} 个百分点）；{n_rep} 个党小组有连续出现的同一问题。",
        "en": "Of {unit}'s {rated} rated group meetings in the period, {clean} showed none of the flags "
              "({share}%{compare}); the largest monthly change was in {month} ({delta} points); "
              "{groups_rep} showed the same flag in consecutive meetings."},
    "s_quality_none": {"zh": "本期 {unit} 没有评定的党小组会。",
                       "en": "{unit} has no rated group meeting in the period."},
    "s_systems": {
        "zh": "期末 {n_ok} 个党小组（共 {n_groups} 个）五项制度全部达标；仍未落实的有 {n_open} 项，"
              "最多的是“{rule}”（{n_rule} 个党小组）。",
        "en": "At the end of the period {n_ok} of {n_groups} groups met all five systems; {lapses_open} "
              "still open, most often “{rule}” ({groups_rule})."},
    "s_systems_ok": {"zh": "期末 {n_ok} 个党小组（共 {n_groups} 个）五项制度全部达标，没有未落实的制度。",
                     "en": "At the end of the period {n_ok} of {n_groups} groups met all five systems; "
                           "no lapse is open."},
    "s_unknown_rules": {
        "zh": "无法判断的制度/要求：{rules}——数据中没有这类活动的记录（缺少相应的表或活动类型），"
              "不等于未落实，也不列入督办清单。",
        "en": "Not judged: {rules} — the data hold no record of these activities (no such table or "
              "activity kind); this is not a lapse, and they are not on the follow-up list."},
    "s_training": {
        "zh": "{n_overdue} 个党小组的组长近 12 个月没有参加培训（共 {n_groups} 个，{n_unknown} 个无法判断）；"
              "本期举办党小组长培训 {sessions} 场。",
        "en": "{n_overdue} of {n_groups} group leaders had no training in the last 12 months ({n_unknown} "
              "unknown); {sessions_en} of leader training held in the period."},
    "s_training_unknown": {
        "zh": "党小组长培训无法判断：数据中没有党小组长培训记录（{n_groups} 个党小组均不详）。",
        "en": "Leader training cannot be judged: the data hold no leader-training record "
              "(unknown for all {n_groups} groups)."},
    "s_demo": {
        "zh": "本期开展党员示范日 {days} 次（{groups_held} 个党小组，共 {n_groups} 个）；期末在岗示范岗 "
              "{active} 个，本期新设 {started} 个、撤销 {ended} 个。",
        "en": "{days_en} held in the period ({groups_held} of {n_groups} groups); "
              "{active} posts were active at the end, {started} started and {ended} ended in the period."},
    "s_demo_days": {
        "zh": "本期开展党员示范日 {days} 次（{groups_held} 个党小组，共 {n_groups} 个）。",
        "en": "{days_en} held in the period ({groups_held} of {n_groups} groups)."},
    "s_demo_days_unknown": {
        "zh": "党员示范日无法判断：数据中没有党员示范日记录。",
        "en": "Demonstration days cannot be judged: the data hold no demonstration-day record."},
    "s_demo_posts": {
        "zh": "期末在岗示范岗 {active} 个，本期新设 {started} 个、撤销 {ended} 个。",
        "en": "{active} posts were active at the end, {started} started and {ended} ended in the period."},
    "s_demo_posts_unknown": {
        "zh": "本数据集没有党员示范岗登记表，示范岗情况不详。",
        "en": "This dataset has no register of demonstration posts (posts): posts are not known."},
    "s_attendance": {
        "zh": "本单位连续 {streak} 次以上无故缺席党小组会的党员：{n_streak} 人；{months} 个月未参加组织生"
              "活的党员：{n_life} 人。",
        "en": "Members absent without excuse from {streak}+ consecutive meetings: {n_streak}; member"
        "s without "
              "group life for {months} months: {n_life}."},
    "s_followup": {
        "zh": "督办清单共 {n} 项，其中 {n_open} 项仍待整改，最早的自 {since} 起。",
        "en": "The follow-up list has {items_en}, {n_open} still open, the oldest since {since}."},
    "s_followup_none": {"zh": "本期没有需要督办的事项。", "en": "Nothing to follow up in this period."},
    "fewer_than": {"zh": "少于 {k}", "en": "fewer than {k}"},
}
