"""zh/en wording of the survey study: table headers, notes and interpretations."""

from __future__ import annotations

__all__ = ["PHRASES"]

#: zh/en phrases (looked up with :func:`grouplab.reports.common.labels.phrase`).
PHRASES: dict[str, dict[str, str]] = {
    "hidden": {"zh": "已隐去", "en": "hidden"},
    # Excel sheets (≤ 31 characters, none of []:*?/\\); {by} is an attribute id such as D1
    "sheet_crosstab": {"zh": "交叉分析 {by}", "en": "Crosstab {by}"},
    "sheet_differences": {"zh": "差异分析 {by}", "en": "Differences {by}"},
    "sheet_efa": {"zh": "探索性因子分析", "en": "EFA"},
    "sheet_cfa_fit": {"zh": "验证性因子分析拟合", "en": "CFA fit"},
    "sheet_cfa_loadings": {"zh": "验证性因子分析载荷", "en": "CFA loadings"},
    "sheet_validity": {"zh": "信度与效度", "en": "Reliability and validity"},
    "sheet_correlations": {"zh": "相关分析", "en": "Correlations"},
    "sheet_harman": {"zh": "共同方法偏差", "en": "Common-method bias"},
    "sheet_regression": {"zh": "回归分析", "en": "Regression"},
    # labels of the fit tables
    "chi2_df": {"zh": "χ²（自由度）", "en": "χ²(df)"},
    "chi2_ratio": {"zh": "χ²/自由度", "en": "χ²/df"},
    "fisher_short": {"zh": "费希尔精确检验", "en": "Fisher"},
    "means_title": {"zh": "不同{by}党员的量表均值及 95% 置信区间（{wave}年）",
                    "en": "Scale means by {by} with 95% CI ({wave})"},
    "mean_axis": {"zh": "均值（{lo}–{hi} 分）", "en": "Mean ({lo}–{hi})"},
    "scree_title": {"zh": "碎石图与平行分析", "en": "Scree plot and parallel analysis"},
    "component": {"zh": "成分序号", "en": "Component"},
    "eigenvalue": {"zh": "特征根", "en": "Eigenvalue"},
    "observed": {"zh": "实际数据", "en": "Observed"},
    "random": {"zh": "随机数据（第 95 百分位）", "en": "Random data (95th percentile)"},
    "item": {"zh": "题目", "en": "Question"},
    "option": {"zh": "选项", "en": "Option"},
    "scale": {"zh": "量表", "en": "Scale"},
    "factor": {"zh": "因子", "en": "Factor"},
    "term": {"zh": "变量", "en": "Term"},
    "const": {"zh": "常数", "en": "Constant"},
    "mean": {"zh": "均值", "en": "Mean"},
    "sd": {"zh": "标准差", "en": "SD"},
    "p": {"zh": "p 值", "en": "p"},
    "chi2": {"zh": "χ²", "en": "χ²"},
    "cramers_v": {"zh": "克莱姆 V", "en": "Cramér's V"},
    "statistic_t": {"zh": "t 值", "en": "t"},
    "statistic_f": {"zh": "F 值", "en": "F"},
    "effect": {"zh": "效应量", "en": "Effect size"},
    "posthoc": {"zh": "事后比较（p<0.05）", "en": "Post hoc (p < .05)"},
    "test_used": {"zh": "检验", "en": "Test"},
    "welch_t": {"zh": "韦尔奇 t 检验", "en": "Welch's t-test"},
    "student_t": {"zh": "独立样本 t 检验", "en": "Student's t-test"},
    "anova": {"zh": "单因素方差分析", "en": "One-way ANOVA"},
    "welch_anova": {"zh": "韦尔奇方差分析", "en": "Welch's ANOVA"},
    "tukey": {"zh": "图基 HSD 法", "en": "Tukey HSD"},
    "games_howell": {"zh": "盖姆斯–豪厄尔法", "en": "Games–Howell"},
    "cohens_d": {"zh": "科恩 d", "en": "Cohen's d"},
    "eta_sq": {"zh": "η²", "en": "η²"},
    "omega_sq": {"zh": "ω²", "en": "ω²"},
    "fisher": {"zh": "（费希尔精确检验）", "en": " (Fisher's exact)"},
    "sparse": {"zh": "†", "en": "†"},
    "crosstab_note": {"zh": "注：单元格为人数（列百分比）；不足 {k} 人及可由合计推算出的格子已隐去。"
                            "‡ 表中有隐去的格子：检验在把含隐去格子的选项（或组）合并为一项后进行，"
                            "合并后的各格都可由公布的数字算出（全表的 χ² 与合计一起可推算出隐去的格子）。"
                            "† 超过 20% 的期望频数小于 5，χ² 近似可能不准。",
                      "en": "Note: cells are counts (column %); cells under {k} respondents and cells "
                            "from which a total would reveal them are hidden. ‡ the table has hidden "
                            "cells: the test is of the table with the options (or groups) holding them "
                            "merged into one, whose cells all follow from the published numbers (the "
                            "full table's χ² with the totals would reveal hidden cells). † more than 20% "
                            "of expected counts are below 5: the χ² approximation may be poor."},
    "merged": {"zh": "‡", "en": "‡"},
    "withheld": {"zh": "不公布", "en": "withheld"},
    "group_note": {"zh": "注：单元格为均值±标准差（人数）；不足 {k} 人的组及可由其他组推算出它的组"
                         "不显示均值，‡ 表示检验把这些组合并为一组进行。p 值未校正，BH 校正见正文。",
                   "en": "Note: cells are mean ± SD (n); groups under {k} respondents, and groups from "
                         "which the others would reveal them, are not shown; ‡ the test compares them "
                         "merged into one group. p-values unadjusted; BH-adjusted values in the text."},
    "crosstab_caption": {"zh": "表：{by}与各选择题的交叉分析（{wave}年）",
                         "en": "Table: choice questions by {by} ({wave})"},
    "diff_caption": {"zh": "表：不同{by}党员的量表得分差异（{wave}年）",
                     "en": "Table: scale scores by {by} ({wave})"},
    "corr_caption": {"zh": "表：量表得分的均值、标准差与相关系数",
                     "en": "Table: means, SDs and correlations"},
    "corr_note": {"zh": "注：对角线为 AVE 的平方根（AVE 平方根准则，检验区分效度）。",
                  "en": "Note: the diagonal holds the square root of AVE (Fornell–Larcker)."},
    "efa_caption": {"zh": "表：探索性因子分析（最小残差法，直接斜交旋转）",
                    "en": "Table: exploratory factor analysis (minres, oblimin)"},
    "efa_note": {"zh": "注：绝对值小于 0.40 的载荷不显示。", "en": "Note: loadings below 0.40 are blank."},
    "h2": {"zh": "共同度", "en": "Communality"},
    "eigen": {"zh": "平方载荷和", "en": "SS loadings"},
    "var_pct": {"zh": "方差解释率（%）", "en": "Variance explained (%)"},
    "cum_pct": {"zh": "累积方差解释率（%）", "en": "Cumulative (%)"},
    "cfa_caption": {"zh": "表：验证性因子分析模型拟合指标", "en": "Table: CFA model fit"},
    "index": {"zh": "指标", "en": "Index"},
    "value": {"zh": "值", "en": "Value"},
    "criterion": {"zh": "常用标准", "en": "Usual criterion"},
    "loadings_caption": {"zh": "表：验证性因子分析因子载荷", "en": "Table: CFA loadings"},
    "estimate": {"zh": "非标准化载荷", "en": "Unstandardised"},
    "se": {"zh": "标准误", "en": "SE"},
    "z": {"zh": "z 值", "en": "z"},
    "std": {"zh": "标准化载荷", "en": "Standardised"},
    "validity_caption": {"zh": "表：组合信度与聚合、区分效度",
                       "en": "Table: composite reliability and validity"},
    "max_htmt": {"zh": "最大 HTMT", "en": "Largest HTMT"},
    "harman_caption": {"zh": "表：哈曼单因子检验", "en": "Table: Harman's single-factor test"},
    "first_share": {"zh": "第一个未旋转因子解释的方差（%）",
                  "en": "Variance of the first unrotated factor (%)"},
    "one_factor": {"zh": "单因子模型", "en": "One-factor model"},
    "model": {"zh": "{m} 因子模型", "en": "{m}-factor model"},
    "delta": {"zh": "Δχ²（Δ自由度），p", "en": "Δχ² (Δdf), p"},
    "reg_caption": {"zh": "表：{y}对其他量表的线性回归",
                  "en": "Table: linear regression of {y} on the other scales"},
    "b": {"zh": "B", "en": "B"},
    "beta": {"zh": "β（标准化）", "en": "β (standardised)"},
    "vif": {"zh": "VIF", "en": "VIF"},
    "reg_note": {"zh": "注：n={n}，R²={r2}，调整 R²={adj}，F({df1},{df2})={f}，{p}。",
                 "en": "Note: n = {n}, R² = {r2}, adjusted R² = {adj}, F({df1}, {df2}) = {f}, {p}."},
    "crosstab_sentence": {
        "zh": "按{by}分组，{n_items} 道选择题中有 {n_sig} 道的选项分布与{by}有统计学关联"
              "（p<0.05，未做多重比较校正）{best}。这是同一时点的关联，不说明{by}导致了选择的不同。",
        "en": "By {by}, the answers to {n_sig} of {n_items} choice questions are associated with {by} "
              "(p < .05, not adjusted for the number of questions){best}. This is an association at one "
              "point in time; it does not show that {by} causes the different choices."},
    "crosstab_withheld": {"zh": "另有 {n} 道题的表中有隐去的格子且无法合并检验，其检验不公布。",
                          "en": " For {n} more questions the table has hidden cells that no merge can "
                                "cover, so their tests are withheld."},
    "crosstab_best": {"zh": "，最强的是“{item}”（{test}={stat}，{p}，克莱姆 V={v}）",
                      "en": "; the strongest is “{item}” ({test} = {stat}, {p}, Cramér's V = {v})"},
    "diff_sentence": {
        "zh": "不同{by}的党员在 {n_sig}/{n} 个量表上得分差异显著（BH 校正后 p<0.05）{best}。"
              "差异是横截面的组间关联，可能来自其他与{by}相关的因素，不能解释为{by}的作用。",
        "en": "Members of different {by} differ on {n_sig} of {n} scales (BH-adjusted p < .05){best}. "
              "These are cross-sectional differences between groups; they may come from other factors "
              "related to {by} and are not an effect of {by}."},
    "diff_withheld": {"zh": "另有 {n} 个量表因只剩一个可公布的组，其检验不公布。",
                      "en": " For {n} more scales only one group could be shown, so their tests are "
                            "withheld."},
    "diff_best": {"zh": "，差异最大的是“{scale}”（{test}，{stat_name}={stat}，{p}，{effect}={es}）",
                  "en": "; the largest is on “{scale}” ({test}, {stat_name} = {stat}, {p},"
                        " {effect} = {es})"},
    "corr_sentence": {
        "zh": "各量表得分两两相关，r 在 {lo} 到 {hi} 之间（均 p<0.05 的有 {n_sig}/{n} 对）；{fl}"
              "相关只说明共同变化，不说明因果方向。",
        "en": "The scale scores correlate between r = {lo} and {hi} ({n_sig} of {n} pairs p < .05); {fl}"
              "Correlation shows that the scores vary together, not which causes which."},
    "fl_ok": {"zh": "每个量表的 AVE 平方根都大于它与其他量表的相关，区分效度得到支持。",
              "en": "every scale's √AVE exceeds its correlations with the others, supporting discriminant "
                    "validity. "},
    "fl_bad": {"zh": "有 {n} 个量表的 AVE 平方根不大于它与其他量表的最大相关，区分效度存疑。",
               "en": "for {n} scales √AVE does not exceed their largest correlation: discriminant validity "
                     "is doubtful. "},
    "efa_sentence": {
        "zh": "平行分析建议保留 {pa} 个因子（特征根大于 1 的有 {eig} 个）。按问卷的 {m} 个量表提取后，"
              "{n_clean}/{m} 个量表的题目全部在同一个因子上载荷最高，{m} 个因子累计解释 {cum}% 的方差。"
              "探索性因子分析只描述本样本题目间的相关结构。",
        "en": "Parallel analysis suggests {pa} factors ({eig} eigenvalues above 1). Extracting the "
              "questionnaire's {m} scales, the items of {n_clean} of {m} scales all load highest on one "
              "factor, and the {m} factors explain {cum}% of the variance together. An EFA describes the "
              "correlations among the items in this sample only."},
    "cfa_sentence": {
        "zh": "验证性因子分析（极大似然，n={n}）：χ²({df})={chi2}，χ²/自由度={ratio}，CFI={cfi}，TLI={tli}，"
              "RMSEA={rmsea}（90% CI {lo}–{hi}），SRMR={srmr}。组合信度 CR 在 {cr_lo} 到 {cr_hi} 之间，"
              "AVE 在 {ave_lo} 到 {ave_hi} 之间。拟合良好只说明模型与数据相容，不证明它是唯一正确的模型；"
              "χ² 检验假定题目近似连续且多元正态，5 级评分只是近似。",
        "en": "CFA (maximum likelihood, n = {n}): χ²({df}) = {chi2}, χ²/df = {ratio}, CFI = {cfi}, "
              "TLI = {tli}, RMSEA = {rmsea} (90% CI {lo}–{hi}), SRMR = {srmr}. Composite reliability ranges "
              "{cr_lo}–{cr_hi} and AVE {ave_lo}–{ave_hi}. Good fit shows the model is consistent with the "
              "data, not that it is the only right one; the χ² test assumes continuous, multivariate "
              "normal items, which 5-point answers only approximate."},
    "cfa_reason": {"zh": "注意：{reason}。", "en": "Caution: {reason}."},
    "harman_sentence": {
        "zh": "哈曼单因子检验：第一个未旋转因子解释 {share}% 的方差（{verdict}标准 {thr}%）；"
              "单因子模型的拟合（CFI={one_cfi}）明显差于 {m} 因子模型（Δχ²({ddf})={dchi2}，{p}）。"
              "该检验较弱：未超标不能证明不存在共同方法偏差。",
        "en": "Harman's test: the first unrotated factor explains {share}% of the variance ({verdict} "
              "the {thr}% threshold); the one-factor model fits worse (CFI = {one_cfi}) than the {m}-factor "
              "model (Δχ²({ddf}) = {dchi2}, {p}). The test is weak: passing it does not show that "
              "common-method variance is absent."},
    "below": {"zh": "低于", "en": "below"},
    "above": {"zh": "高于", "en": "above"},
    "reg_sentence": {
        "zh": "以“{y}”为因变量的线性回归（n={n}）中，其他量表共解释 {r2}% 的方差"
              "（F({df1},{df2})={f}，{p}）；"
              "标准化系数最大的是“{best}”（β={beta}，{bp}），最大 VIF 为 {vif}。"
              "这是横截面数据上的条件关联，不说明提高某个量表得分会改变“{y}”。",
        "en": "In the linear regression of “{y}” (n = {n}), the other scales explain {r2}% of its variance "
              "(F({df1}, {df2}) = {f}, {p}); the largest standardised coefficient is “{best}” "
              "(β = {beta}, {bp}); the largest VIF is {vif}. These are conditional associations in "
              "cross-sectional data; they do not show that raising one score would change “{y}”."},
}
