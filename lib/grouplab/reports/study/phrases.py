"""zh/en wording of the study report (notebook 03): labels, table headers and sentences."""

from __future__ import annotations

__all__ = ["PHRASES", "MEASURES", "LAGGED", "ASSIGNED_AT"]

#: Measures of the study, in display order.
MEASURES = ("area_adopted", "trained_prev_12m", "quality_deficit", "n_meetings")
#: Measures that enter the lagged model as their mean over the previous months.
LAGGED = ("quality_deficit", "n_meetings")
#: Level at which each measure varies (is assigned): the cluster of its standard errors.
ASSIGNED_AT = {"area_adopted": "unit_id", "trained_prev_12m": "group_id",
               "quality_deficit": "group_id", "n_meetings": "group_id"}

PHRASES: dict[str, dict[str, str]] = {
    # measures and models
    "area_adopted": {"zh": "所在工区已设党员示范岗", "en": "Area has demonstration posts"},
    "trained_prev_12m": {"zh": "党小组长近 12 个月受过培训", "en": "Leader trained in previous 12 months"},
    "quality_deficit": {"zh": "每次党小组会的“三多三少”问题数", "en": "Meeting-quality flags per meeting"},
    "n_meetings": {"zh": "党小组会次数", "en": "Group meetings held"},
    "naive": {"zh": "朴素模型（同月，无固定效应）", "en": "Naive (same month, no fixed effects)"},
    "fe": {"zh": "固定效应（同月）", "en": "Fixed effects (same month)"},
    "fe_lag": {"zh": "固定效应 + 滞后 {k} 个月", "en": "Fixed effects + {k}-month lag"},
    "unit_id": {"zh": "工区", "en": "work area"},
    "group_id": {"zh": "党小组", "en": "group"},
    # table headers
    "model": {"zh": "模型", "en": "Model"},
    "measure": {"zh": "措施", "en": "Measure"},
    "cluster": {"zh": "聚类层级（个数）", "en": "Clustered by (number)"},
    "irr": {"zh": "发生率比 IRR", "en": "IRR"},
    "ci": {"zh": "95% 置信区间", "en": "95% CI"},
    "p": {"zh": "p 值", "en": "p"},
    "p_bh": {"zh": "BH 法校正 p 值", "en": "BH-adjusted p"},
    "truth": {"zh": "真实值（示例数据）", "en": "True value (demo)"},
    "year": {"zh": "年度", "en": "Year"},
    "events": {"zh": "事件数", "en": "Events"},
    "hours": {"zh": "工时（万）", "en": "Person-hours (10k)"},
    "rate": {"zh": "每百万工时", "en": "Per million hours"},
    "groups": {"zh": "党小组数", "en": "Groups"},
    "adopted": {"zh": "已设示范岗的小组月占比（%）", "en": "Group-months with posts (%)"},
    "event_time": {"zh": "距设岗月数（季度起点）", "en": "Months from adoption (quarter start)"},
    "term": {"zh": "期", "en": "Period"},
    "n_treated": {"zh": "设岗小组数", "en": "Treated groups"},
    "lead": {"zh": "设岗前第 {k} 季", "en": "{k} quarter(s) before"},
    "lag": {"zh": "设岗后第 {k} 季", "en": "Quarter {k} after"},
    "ref": {"zh": "（参照期）", "en": " (reference)"},
    "estimator": {"zh": "估计方法", "en": "Estimator"},
    "twfe_static": {"zh": "朴素双向固定效应（单一设岗后虚拟变量）",
                    "en": "Naive two-way FE (one post dummy)"},
    "twfe": {"zh": "朴素动态双向固定效应", "en": "Naive dynamic two-way FE"},
    "stacked": {"zh": "堆叠事件研究", "en": "Stacked event study"},
    "sun_abraham": {"zh": "交互加权估计（按设岗批次）", "en": "Sun–Abraham interaction-weighted"},
    "pretrend_p": {"zh": "设岗前联合检验 p", "en": "Pre-trend test p"},
    "mde": {"zh": "可检出的线性前趋势（每季，80% 把握）",
            "en": "Detectable linear pre-trend per quarter (80% power)"},
    "method": {"zh": "推断方法", "en": "Inference"},
    "analytic": {"zh": "聚类稳健标准误（按工区，t 临界值，自由度 G−1）",
                 "en": "Cluster-robust SE by work area (t, G−1 df)"},
    "ri": {"zh": "随机化推断（在工区间置换设岗时间 {n} 次；置换统计量为堆叠事件研究的设岗后平均效应）",
           "en": "Randomisation inference (adoption dates permuted across areas, {n} draws; "
                 "statistic: the stacked event study's average post effect)"},
    "wild": {"zh": "野聚类自助法（六点分布权重，线性模型，{n} 次）",
             "en": "Wild cluster bootstrap (Webb weights, linear model, {n} reps)"},
    "estimate_col": {"zh": "估计值", "en": "Estimate"},
    "scale": {"zh": "量表", "en": "Scale"},
    "icc1": {"zh": "组内相关 ICC(1)", "en": "ICC(1)"},
    "icc2": {"zh": "组均值信度 ICC(2)", "en": "ICC(2)"},
    "rwg": {"zh": "组内一致性 rwg(j) 均值", "en": "Mean rwg(j)"},
    "n_groups": {"zh": "小组数", "en": "Groups"},
    "level": {"zh": "分组", "en": "Level"},
    "time": {"zh": "月", "en": "Month"},
    "n_risk": {"zh": "风险集人数", "en": "At risk"},
    "hr": {"zh": "风险比 HR", "en": "HR"},
    # Excel sheets (≤ 31 characters, none of []:*?/\\)
    "sheet_descriptives": {"zh": "描述统计", "en": "Descriptives"},
    "sheet_models": {"zh": "发生率模型", "en": "Rate models"},
    "sheet_event_study": {"zh": "事件研究", "en": "Event study"},
    "sheet_estimators": {"zh": "估计方法对照", "en": "Estimators"},
    "sheet_inference": {"zh": "推断方法对照", "en": "Inference"},
    "sheet_cox": {"zh": "比例风险模型", "en": "Proportional hazards"},
    "sheet_climate": {"zh": "调查氛围", "en": "Survey climate"},
    # figures
    "months": {"zh": "自第 13 个月起的观察月数", "en": "Months of follow-up from month 13"},
    "survival": {"zh": "未发生责任事故的比例", "en": "Share without a responsibility accident"},
    "km_title": {"zh": "至首次责任事故的时间（按第一年会议质量分组）",
                 "en": "Time to first responsibility accident, by first-year meeting quality"},
    "km_good": {"zh": "第一年会议质量较好（问题数 ≤ 中位数）",
                "en": "Better first-year meetings (flags ≤ median)"},
    "km_poor": {"zh": "第一年会议质量较差（问题数 > 中位数）",
                "en": "Poorer first-year meetings (flags > median)"},
    "effects_title": {"zh": "各措施对{outcome}的发生率比（对数轴）",
                      "en": "IRR of each measure on {outcome} (log axis)"},
    "es_title": {"zh": "党员示范岗的事件研究：{outcome}",
                 "en": "Event study of demonstration posts: {outcome}"},
    "pooled": {"zh": "设岗后平均效应 95% CI（相对同一参照季）",
               "en": "Average post effect, 95% CI (same reference quarter)"},
    "ri_title": {"zh": "置换设岗时间后的平均效应分布",
                 "en": "Average post effect under permuted adoption dates"},
    "observed": {"zh": "实际估计", "en": "Observed"},
    "log_irr": {"zh": "对数发生率比", "en": "log IRR"},
    "count": {"zh": "次数", "en": "Draws"},
    # sentences
    "reading": {
        "zh": "固定效应加滞后模型中，设立党员示范岗的小组月{outcome}发生率为未设岗时的 {irr:.2f} 倍"
              "（95% CI {lo:.2f}–{hi:.2f}，按工区聚类，{g} 个工区）；朴素模型给出的是 {naive:.2f}。"
              "这是关联，不是因果效应的证明。{truth}",
        "en": "In the fixed-effects model with lags, group-months with demonstration posts had {irr:.2f} ti"
              "mes "
              "the {outcome} rate of those without (95% CI {lo:.2f}–{hi:.2f}, clustered by work area, {g} a"
              "reas); "
              "the naive model says {naive:.2f}. This is an association, not proof of an effect. {truth}",
    },
    "truth_note": {"zh": "示例数据的真实值为 {t:.2f}。", "en": "The demo's true value is {t:.2f}."},
    "few_clusters": {
        "zh": "注意：示范岗按工区设立，只有 {g} 个工区（聚类数少于 {min}），按工区聚类的标准误仍偏小、"
              "p 值偏乐观；下面以随机化推断为主要依据。",
        "en": "Note: posts are set by work area and there are only {g} areas (fewer than {min} clusters); "
              "cluster-robust SEs are still too small and their p-values too optimistic, so randomisation "
              "inference below is the lead result.",
    },
    "es_reading": {
        "zh": "以设岗前一季度为参照，堆叠事件研究中设岗后各季的平均发生率比为 {irr:.2f}"
              "（95% CI {lo:.2f}–{hi:.2f}；随机化推断 p = {ri:.3f}）。",
        "en": "Against the quarter before adoption, the stacked event study's average post-adoption rate ra"
              "tio "
              "is {irr:.2f} (95% CI {lo:.2f}–{hi:.2f}; randomisation-inference p = {ri:.3f}).",
    },
    "pretrend_large": {
        "zh": "设岗前各季联合检验 p = {p:.3f}；该检验只能以 80% 的把握发现每季至少 {mde:.0%} 的线性前趋势，"
              "更小的前趋势它看不出来，所以 p 大并不能证明没有前趋势。",
        "en": "The joint test of the leads gives p = {p:.3f}; it would detect, with 80% power, only a linear "
              "pre-trend of at least {mde:.0%} per quarter, so a large p cannot show that there is no pre-t"
              "rend.",
    },
    "pretrend_small": {
        "zh": "设岗前各季联合检验 p = {p:.3f}：设岗前各季与参照季已有差异，平行趋势假设存疑"
              "（工区很少时该检验本身也偏于拒绝：在本例结构的模拟中，"
              "无前趋势时约 18% 的情形 p < 0.05，需结合图形判断）。",
        "en": "The joint test of the leads gives p = {p:.3f}: the quarters before adoption already differ f"
              "rom the "
              "reference, so parallel trends are in doubt (with few work areas this test also rejects too o"
              "ften: in simulations of this layout without any pre-trend, p < 0.05 in about 18% of runs; "
              "read it with the figure).",
    },
    "bh_note": {
        "zh": "同一结果的 {m} 个 p 值（3 个模型 × 4 项措施）作为一个检验族做了 BH 法（控制错误发现率）校正，"
              "校正后 p ≤ 0.05 的有 {r} 个。",
        "en": "The {m} p-values for this outcome (3 models × 4 measures) form one family, adjusted by "
              "Benjamini–Hochberg; {r} stay at or below 0.05 after adjustment.",
    },
    "km_reading": {
        "zh": "生存分析只纳入第 12 个月末仍未发生责任事故的 {n} 个小组，分组依据是它们第一年（随访开始前）"
              "的会议质量，不使用之后的信息；曲线为描述，未调整任何因素。",
        "en": "The survival analysis follows the {n} groups still without a responsibility accident at the "
              "end of "
              "month 12, split by their first-year meeting quality (measured before follow-up, no look-ahea"
              "d); "
              "the curves describe and adjust for nothing.",
    },
    "climate_reading": {
        "zh": "小组层面的调查量表（年度均值）与下一年{outcome}发生率：{scale} 每高 1 分，下一年发生率为 "
              "{irr:.2f} 倍"
              "（95% CI {lo:.2f}–{hi:.2f}，按小组聚类）。这是群体层面的关联；聚合的依据见 ICC 和 rwg。",
        "en": "Group-level survey scales (yearly means) and the next year's {outcome} rate: one point highe"
              "r on "
              "{scale} goes with {irr:.2f} times the rate (95% CI {lo:.2f}–{hi:.2f}, clustered by group). "
              "This is an association at group level; ICC and rwg justify the aggregation.",
    },
}
