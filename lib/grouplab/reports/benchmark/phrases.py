"""zh/en wording of the benchmarking report, and English names of the catalogue's units."""

from __future__ import annotations

__all__ = ["PHRASES", "UNITS_EN"]

#: zh/en phrases of the benchmarking report.
PHRASES: dict[str, dict[str, str]] = {
    "indicator": {"zh": "指标", "en": "Indicator"},
    "unit": {"zh": "单位", "en": "Unit"},
    "better": {"zh": "方向", "en": "Better when"},
    "higher": {"zh": "越高越好", "en": "higher"},
    "lower": {"zh": "越低越好", "en": "lower"},
    "months": {"zh": "月数", "en": "Months"},
    "value": {"zh": "本站月均值", "en": "Station: monthly mean"},
    "station_benchmark": {"zh": "站标（月均）", "en": "Station benchmark (monthly mean)"},
    "area_benchmark": {"zh": "区标（月均）", "en": "Area benchmark (monthly mean)"},
    "gap_station": {"zh": "与站标差距", "en": "Gap to station benchmark"},
    "gap_area": {"zh": "与区标差距", "en": "Gap to area benchmark"},
    "months_best": {"zh": "达到区标的月数", "en": "Months at area benchmark"},
    "months_record": {"zh": "刷新站标的月数", "en": "Months beating station benchmark"},
    "area_before": {"zh": "作业区 {y}年", "en": "Area {y}"},
    "area_after": {"zh": "作业区 {y}年", "en": "Area {y}"},
    "area_change": {"zh": "作业区变化", "en": "Area change"},
    "area_improved": {"zh": "作业区是否改善", "en": "Area improved"},
    "station_before": {"zh": "本站 {y}年", "en": "Station {y}"},
    "station_after": {"zh": "本站 {y}年", "en": "Station {y}"},
    "station_change": {"zh": "本站变化", "en": "Station change"},
    "station_improved": {"zh": "本站是否改善", "en": "Station improved"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "gaps_title": {"zh": "{station}（{year}年）：与站标、区标的平均差距",
                   "en": "{station} ({year}): mean gap to the station and area benchmarks"},
    "gaps_axis": {"zh": "差距占标杆的百分比（正值 = 优于标杆）",
                  "en": "Gap as % of the benchmark (positive = better than the benchmark)"},
    "series_station": {"zh": "与站标", "en": "vs station benchmark"},
    "series_area": {"zh": "与区标", "en": "vs area benchmark"},
    "rank_title": {"zh": "{station}（{year}年）：各指标月度排名（1 = 最好，共 {n} 个站）",
                   "en": "{station} ({year}): monthly rank per indicator (1 = best of {n} stations)"},
    "month": {"zh": "月份", "en": "Month"},
    "month_label": {"zh": "{m}月", "en": "{abbr}"},
    "mean_rank": {"zh": "平均名次", "en": "Mean rank"},
    "notes": {
        "zh": "注：站标 = 本站此前最好的月度值；区标 = 本作业区各站当月最好的值。"
              "差距为“优于标杆”方向的差值（单位同指标，% 指标为百分点），"
              "取全年各月平均；百分比差距 = 平均差距 ÷ 平均标杆。",
        "en": "Note: station benchmark = the station's best earlier monthly value; area benchmark = the "
              "best value of the month among the stations of its work area. Gaps are signed so that "
              "positive means better than the benchmark (in the indicator's unit, points for % "
              "indicators), averaged over the year's months; % gap = mean gap ÷ mean benchmark."},
    "ind_sentence": {
        "zh": "{year}年{station}有 {n_best} 个指标在半数以上月份达到区标，{n_record} 个指标至少一次刷新站标；"
              "与区标相对差距最大的是“{worst}”（月均差 {worst_abs} {unit}，为区标的 {worst_gap}%）。",
        "en": "In {year}, {station} was at the area benchmark in at least half of the months on {n_best} "
              "of {n} indicators and beat its own benchmark at least once on {n_record}; its largest "
              "relative gap to the area benchmark is on “{worst}” (mean gap {worst_abs} {unit}, "
              "{worst_gap}% of the benchmark)."},
    "ind_all_best": {"zh": "{year}年{station}在所有指标上都保持区标水平。",
                     "en": "In {year}, {station} held the area benchmark on every indicator."},
    "rank_sentence": {
        "zh": "{year}年{station}在 {n_cells} 个“指标×月份”中有 {n_first} 个排名第一；平均名次最好的是“{best}”"
              "（{best_rank}），最差的是“{worst}”（{worst_rank}）。",
        "en": "In {year}, {station} ranked first in {n_first} of {n_cells} indicator-months; its best "
              "mean rank is on “{best}” ({best_rank}) and its worst on “{worst}” ({worst_rank})."},
    "change_sentence": {
        "zh": "与{before}年相比，作业区 {n_area} 个指标改善、本站 {n_station} 个指标改善（共 {n} 个）；"
              "{highlights}。",
        "en": "Compared with {before}, the area improved on {n_area} and the station on {n_station} of "
              "{n} indicators; {highlights}."},
    "change_none": {"zh": "{before}年没有数据，无法比较变化。",
                    "en": "There are no data for {before}, so no change can be shown."},
    "highlight_pct": {"zh": "“{name}”由 {a}% 变为 {b}%（{d:+.1f} 个百分点）",
                      "en": "“{name}” went from {a}% to {b}% ({d:+.1f} points)"},
    "highlight": {"zh": "“{name}”由 {a} {unit} 变为 {b} {unit}",
                  "en": "“{name}” went from {a} {unit} to {b} {unit}"},
    "join": {"zh": "，", "en": "; "},
    "sheet_indicators": {"zh": "标杆指标", "en": "Indicators"},
    "sheet_ranking": {"zh": "月度排名", "en": "Monthly ranking"},
    "sheet_change": {"zh": "同比变化", "en": "Change on previous year"},
}

#: English names of the catalogue's Chinese units.
UNITS_EN = {"t/人": "t/person", "个": "count", "次": "jobs", "天": "days", "人": "persons"}
