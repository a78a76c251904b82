"""Labels of the zone-comparison page, in the (en, zh) format of app.i18n.STRINGS (merged into it there)."""
from __future__ import annotations

STRINGS_ZONES: dict[str, tuple[str, str]] = {
    "nav_zones": ("Zone comparison", "综试区对比"),
    "zones_intro": (
        "Compare groups of firms — pilot zones, provinces, regions, pilot vs non-pilot — on aggregates only. "
        "A group of fewer than 5 firms is never shown or exported.",
        "按综试区、省份、地区或是否位于综试区比较企业群体，仅显示汇总结果。少于 5 家企业的群体不会显示或导出。"),
    "zones_source": ("Data", "数据来源"),
    "zones_source_assessments": ("Collected self-assessments (consenting firms)", "已收集的企业自评（已同意共享）"),
    "zones_source_dataset": ("Data set: {name}", "数据集：{name}"),
    "zones_by": ("Group by", "分组方式"),
    "zones_by_zone": ("Pilot zone", "综试区"),
    "zones_by_province": ("Province", "省份"),
    "zones_by_region": ("Region", "地区"),
    "zones_by_pilot_zone": ("In a pilot zone or not", "是否位于综试区"),
    "zones_pilot_1": ("pilot zone", "综试区内"),
    "zones_pilot_0": ("not in a pilot zone", "综试区外"),
    "zones_synthetic": (
        "These are SYNTHETIC firms generated to match Tian (2025) — not real firms. Use the comparison to see how the page works.",
        "这些是依据 Tian (2025) 生成的合成企业，并非真实企业。可用于了解本页面的功能。"),
    "zones_empty": ("No firm in this data has a value for this grouping.", "此数据中没有企业具有该分组的取值。"),
    "zones_none_shown": ("Every group has fewer than 5 firms, so none is shown.", "所有群体均少于 5 家企业，因此均不显示。"),
    "zones_fewer": ("fewer than 5 firms", "少于 5 家企业"),
    "zones_table": ("Groups", "群体一览"),
    "zones_computing": ("Comparing the groups…", "正在比较各群体……"),
    "zones_col_group": ("Group", "群体"),
    "zones_col_n": ("Firms", "企业数"),
    "zones_col_mean": ("{construct} (mean)", "{construct}（均值）"),
    "zones_col_theta": ("AIGC effect via DC (θ)", "AIGC 经动态能力的效应（θ）"),
    "zones_col_ci": ("95% CI", "95% 置信区间"),
    "zones_col_method": ("How θ was estimated", "θ 的估计方式"),
    "zones_method_refit": ("model refitted on the group", "在该群体上重新拟合模型"),
    "zones_method_benchmark": ("benchmark model at the group's mean IO and LSC", "基准模型在该群体平均 IO 与 LSC 处的取值"),
    "zones_method_note": (
        "θ is the HQD gain per point of AIGC through dynamic capabilities. A group of {k} or more firms gets its own model fit "
        "(bootstrap CI); a smaller one is read off the benchmark model at its mean openness and supply-chain learning.",
        "θ 表示 AIGC 每提高 1 分、经由动态能力带来的高质量发展提升。企业数不少于 {k} 的群体单独拟合模型（自助法置信区间）；"
        "较小的群体则取基准模型在其平均制度开放度与供应链学习水平处的值。"),
    "zones_export": ("Download the table (CSV)", "下载表格（CSV）"),
    "zones_export_xlsx": ("Download the table (XLSX)", "下载表格（XLSX）"),
    "zones_excluded": ("{n} rows with a missing or out-of-range answer are left out (as in fitting).",
                       "{n} 行存在缺失或超出范围的回答，已排除（与模型拟合一致）。"),
    "zones_construct": ("Construct", "构念"),
    "chart_zone_box_title": ("{construct} by group (box: quartiles, whiskers: 10th–90th percentile, from 10 firms; "
                             "diamond: mean and 95% CI)",
                             "各群体的{construct}（箱体：四分位，须线：第 10–90 百分位，仅限不少于 10 家企业；菱形：均值及 95% 置信区间）"),
    "chart_zone_theta_title": ("AIGC's indirect effect on HQD by group (95% CI; filled: refitted, hollow: benchmark model)",
                               "各群体 AIGC 对高质量发展的间接效应（95% 置信区间；实心：重新拟合，空心：基准模型）"),
    "chart_zone_theta_reading": (
        "AIGC pays off most through dynamic capabilities in {top} (θ = {top_theta:.3f}) and least in {bottom} (θ = {bottom_theta:.3f}); "
        "{significant} of {shown} groups have a CI above zero.",
        "AIGC 经动态能力的回报在{top}最高（θ = {top_theta:.3f}），在{bottom}最低（θ = {bottom_theta:.3f}）；"
        "{shown} 个群体中有 {significant} 个的置信区间高于零。"),
    "theta_axis_zone": ("θ (HQD points per AIGC point)", "θ（AIGC 每分带来的高质量发展分）"),
    "zones_subgroup": ("Subgroup analysis: pilot vs non-pilot (the paper's Figure 3)", "子样本分析：综试区内外对比（论文图 3）"),
    "zones_subgroup_too_few": (
        "The subgroup analysis is not available: it needs at least {k} firms both in and outside pilot zones, and this data has fewer.",
        "无法进行子样本分析：综试区内外各需至少 {k} 家企业，而此数据不足。"),
    "zones_subgroup_no_flag": ("The subgroup analysis is not available: no firm in this data says whether it is in a pilot zone.",
                               "无法进行子样本分析：此数据中没有企业注明是否位于综试区。"),
    "chart_fig3_title": ("Mediation effect of AIGC via DC: pilot vs non-pilot", "AIGC 经动态能力的中介效应：综试区内外对比"),
    "fig3_pilot": ("Pilot zone (n = {n})", "综试区内（n = {n}）"),
    "fig3_non_pilot": ("Non-pilot (n = {n})", "综试区外（n = {n}）"),
    "fig3_difference": ("Difference", "差值"),
    "fig3_axis": ("Indirect effect θ(0, 0)", "间接效应 θ(0, 0)"),
    "chart_fig3_reading": (
        "The mediation effect is {pilot:.3f} in pilot zones and {non_pilot:.3f} outside them; the difference {diff:.3f} "
        "(95% CI {lo:.3f} to {hi:.3f}) {verdict}.",
        "综试区内的中介效应为 {pilot:.3f}，综试区外为 {non_pilot:.3f}；差值 {diff:.3f}（95% 置信区间 {lo:.3f} 至 {hi:.3f}）{verdict}。"),
    "fig3_significant": ("is significant: its CI excludes zero", "显著：置信区间不包含零"),
    "fig3_not_significant": ("is not significant: its CI includes zero", "不显著：置信区间包含零"),
    "zones_what_if": ("Policy what-if: raise a group's institutional openness", "政策模拟：提高某群体的制度开放度"),
    "zones_what_if_group": ("Group", "群体"),
    "zones_what_if_delta": ("Raise mean institutional openness (IO) by", "将平均制度开放度（IO）提高"),
    "zones_what_if_note": (
        "From the benchmark model; the interval uses a normal approximation to its coefficients' uncertainty.",
        "依据基准模型；区间基于对其系数不确定性的正态近似。"),
    "zones_what_if_capped": ("The group's mean IO would reach {io:.2f}, beyond the 1–5 scale; read the result as an extrapolation.",
                             "该群体平均 IO 将达到 {io:.2f}，超出 1–5 量表范围；结果仅为外推。"),
    "zones_what_if_none": ("No group has 5 or more firms.", "没有企业数不少于 5 家的群体。"),
    "chart_what_if_title": ("{group}: expected change if IO rises by {delta:.1f}", "{group}：IO 提高 {delta:.1f} 时的预期变化"),
    "what_if_dc": ("Dynamic capabilities (DC)", "动态能力（DC）"),
    "what_if_hqd": ("High-quality development (HQD)", "高质量发展（HQD）"),
    "what_if_axis": ("Expected change (1–5 scale)", "预期变化（1–5 量表）"),
    "chart_what_if_reading": (
        "Raising {group}'s mean openness from {before:.2f} to {after:.2f} is expected to change its firms' DC by {dc:+.3f} "
        "(95% CI {dc_lo:+.3f} to {dc_hi:+.3f}) and HQD by {hqd:+.3f} (95% CI {hqd_lo:+.3f} to {hqd_hi:+.3f}) on average.",
        "将{group}的平均开放度从 {before:.2f} 提高到 {after:.2f}，预计其企业的动态能力平均变化 {dc:+.3f}"
        "（95% 置信区间 {dc_lo:+.3f} 至 {dc_hi:+.3f}），高质量发展平均变化 {hqd:+.3f}（95% 置信区间 {hqd_lo:+.3f} 至 {hqd_hi:+.3f}）。"),
    "zones_protects": ("hidden to protect another group", "为保护其他群体而隐藏"),
    "zones_region_east": ("East", "东部"),
    "zones_region_central": ("Central", "中部"),
    "zones_region_west": ("West", "西部"),
    "zones_col_note": ("Note", "说明"),
    "zones_col_provenance": ("Provenance", "数据性质"),
    "zones_col_ci_lo": ("95% CI lower", "95% 置信区间下限"),
    "zones_col_ci_hi": ("95% CI upper", "95% 置信区间上限"),
    "zones_col_median": ("{construct} (median)", "{construct}（中位数）"),
    "zones_col_q1": ("{construct} (lower quartile)", "{construct}（下四分位数）"),
    "zones_col_q3": ("{construct} (upper quartile)", "{construct}（上四分位数）"),
    "zones_privacy_note": (
        "Groups are hidden together across every grouping, so that no group of fewer than 5 firms can be worked out by "
        "subtracting one shown group from another; medians and quartiles are shown from 10 firms, smaller groups get "
        "their mean with a 95% CI.",
        "各分组方式共同决定隐藏哪些群体，使任何少于 5 家企业的群体都无法通过显示群体相减推算出来；"
        "中位数与四分位数仅对不少于 10 家企业的群体显示，较小的群体显示均值及其 95% 置信区间。"),
    "zones_step_note": ("Collected self-assessments: a group's figures update after every 5 new firms.",
                        "已收集的企业自评：每新增 5 家企业，群体数据才更新一次。"),
    "chart_zone_mean_trace": ("mean and 95% CI (5–9 firms)", "均值及 95% 置信区间（5–9 家企业）"),
    "chart_zone_reading_mean": ("Mean {construct} is highest in {top} ({top_value:.2f}) and lowest in {bottom} ({bottom_value:.2f}).",
                                "{construct}均值最高的是{top}（{top_value:.2f}），最低的是{bottom}（{bottom_value:.2f}）。"),
    "chart_zone_reading_tie": ("Mean {construct} is {value:.2f} in every shown group.",
                               "各显示群体的{construct}均值均为 {value:.2f}。"),
    "chart_zone_reading_one_mean": ("Only {group} is shown: mean {construct} {value:.2f}.",
                                    "仅显示{group}：{construct}均值为 {value:.2f}。"),
    "chart_zone_theta_reading_tie": ("θ is {value:.3f} in every shown group; {significant} of {shown} groups have a CI above zero.",
                                     "各显示群体的 θ 均为 {value:.3f}；{shown} 个群体中有 {significant} 个的置信区间高于零。"),
}
