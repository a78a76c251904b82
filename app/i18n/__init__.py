"""Every label the dashboard shows, in English and Simplified Chinese.

`t(key, lang, **values)` looks a label up and fills its {placeholders}; a missing key fails loudly in
tests (test_i18n checks both languages are complete), never silently on a page. The labels of the
zone, workshop and model-lab pages live in their own modules (app/i18n_*.py) and are merged here.
"""
from __future__ import annotations

from cbec_core.instrument import CONSTRUCT_BY_CODE, CONTROL_LABELS, HQD_DIMENSIONS, REGION_LABELS

from .access import STRINGS_ACCESS
from .lab import STRINGS_LAB
from .versions import STRINGS_VERSIONS
from .workshop import STRINGS_WORKSHOP
from .zones import STRINGS_ZONES

LANGS = {"en": "English", "zh": "简体中文"}

_DASHBOARD: dict[str, tuple[str, str]] = {
    "app_title": ("AIGC benchmark for cross-border e-commerce", "跨境电商 AIGC 对标诊断"),
    "language": ("Language", "语言"),
    "store_unavailable": (
        "The database cannot be reached just now, so nothing was read or saved. Please try again in a moment "
        "(reload the page); if this persists, tell the organiser.",
        "暂时无法连接数据库，本次没有读取或保存任何内容。请稍后重试（刷新页面）；如问题持续，请联系组织者。"),
    "nav_assess": ("Self-assessment", "企业自评"),
    "nav_history": ("Return with a firm key", "凭企业码查看历史"),
    "nav_about": ("About the model", "关于模型"),
    "synthetic_banner": (
        "Benchmark: SYNTHETIC reference cohort — 312 generated firms calibrated to Tian (2025), not real firms. "
        "Load real survey data in the model lab to benchmark against real peers.",
        "对标基准：合成参考样本——依据 Tian (2025) 生成的 312 家虚拟企业，并非真实企业。可在模型实验室导入真实调查数据，与真实同行对标。"),
    "benchmark_real": ("Benchmark: {label} (n = {n}, fitted {date}).", "对标基准：{label}（n = {n}，拟合于 {date}）。"),
    "assess_intro": (
        "Answer each statement for your firm (1 = strongly disagree … 5 = strongly agree). It takes about five minutes; "
        "nothing is stored unless you choose to save.",
        "请根据贵企业的实际情况回答每一项（1 = 非常不同意 … 5 = 非常同意）。约需五分钟；除非您选择保存，否则不会存储任何内容。"),
    "mode": ("Questionnaire", "问卷形式"),
    "mode_full": ("Full questionnaire (19 items)", "完整问卷（19 题）"),
    "mode_quick": ("Quick mode (enter five scores)", "快速模式（直接输入五项得分）"),
    "controls": ("About your firm", "企业基本信息"),
    "province_optional": ("Province (optional)", "省份（选填）"),
    "zone_optional": ("Pilot-zone city (optional)", "综试区城市（选填）"),
    "zone_search": ("Type to search (Chinese or English)", "输入中文或英文名称搜索"),
    "not_answered": ("— choose —", "— 请选择 —"),
    "likert_1": ("1 strongly disagree", "1 非常不同意"),
    "likert_5": ("5 strongly agree", "5 非常同意"),
    "quick_score": ("{construct} score (1–5)", "{construct}得分（1–5）"),
    "submit": ("See my results", "查看结果"),
    "fix_errors": ("Please fix the answers marked below, then submit again.", "请修改下方标出的答案后重新提交。"),
    "missing_item": ("Please answer this item.", "请回答此题。"),
    "missing_control": ("Please fill in this field.", "请填写此项。"),
    "yes": ("Yes", "是"),
    "no": ("No", "否"),
    # results
    "results": ("Your results", "诊断结果"),
    "peer_segment": ("Compare with peers by", "按以下维度对比同行"),
    "segment_all": ("all firms in the benchmark", "基准中的全部企业"),
    "segment_region": ("region", "地区"),
    "segment_business_model": ("business model", "商业模式"),
    "segment_pilot_zone": ("pilot zone", "综试区"),
    "segment_size_band": ("size band", "规模档"),
    "chart_benchmark_title": ("The benchmark at a glance ({n} firms)", "基准概览（{n} 家企业）"),
    "chart_benchmark_reading": ("The median benchmark firm scores {aigc:.2f} on AIGC adoption and {hqd:.2f} on high-quality development (1–5); answer below to see where you stand.",
                                "基准中位企业的 AIGC 采纳得分为 {aigc:.2f}，高质量发展得分为 {hqd:.2f}（1–5 分）；请在下方作答，查看贵企业所处位置。"),
    "segment_fallback": ("The peer segment {segment} has fewer than 5 firms in the benchmark, so you are compared with all firms.",
                         "基准中同行细分 {segment} 的企业少于 5 家，因此与全部企业进行对比。"),
    "chart_scores_title": ("Construct scores (0–100) and percentile rank", "各构念得分（0–100）与百分位"),
    "chart_scores_reading": ("Your strongest area is {best} (percentile {best_pct:.0f}); your weakest is {worst} (percentile {worst_pct:.0f}).",
                             "您最强的方面是{best}（百分位 {best_pct:.0f}），最弱的方面是{worst}（百分位 {worst_pct:.0f}）。"),
    "chart_radar_title": ("You against your peers' median and top quartile", "与同行中位数及前 25% 的对比"),
    "chart_radar_reading": ("You are at or above the peer median on {above} of 5 constructs and in the top quartile on {top}.",
                            "在 5 个构念中，您有 {above} 个达到或高于同行中位数，{top} 个进入前 25%。"),
    "you": ("Your firm", "贵企业"),
    "peer_median": ("Peer median", "同行中位数"),
    "peer_top": ("Peer top quartile", "同行前 25%"),
    "percentile": ("Percentile", "百分位"),
    "score_100": ("Score (0–100)", "得分（0–100）"),
    "chart_expected_title": ("Expected vs actual high-quality development", "高质量发展：预期值与实际值"),
    "expected": ("Expected (model)", "预期值（模型）"),
    "actual": ("Actual (your answers)", "实际值（您的回答）"),
    "pi": ("95% prediction interval", "95% 预测区间"),
    "chart_expected_reading_over": ("Your HQD is {gap:+.2f} points above what firms with your AIGC, openness and supply-chain learning typically reach — inside the usual range." ,
                                    "您的高质量发展比具有相同 AIGC、制度开放和供应链学习水平的企业的典型水平高 {gap:+.2f} 分，仍在常见范围内。"),
    "chart_expected_reading_under": ("Your HQD is {gap:+.2f} points below what firms like yours typically reach — inside the usual range; conversion of AIGC into results has room to improve.",
                                     "您的高质量发展比同类企业的典型水平低 {gap:+.2f} 分，仍在常见范围内；AIGC 转化为成果仍有提升空间。"),
    "chart_expected_reading_outside_over": ("Your HQD is {gap:+.2f} points above expectation and outside the 95% range: you convert AIGC into results unusually well.",
                                            "您的高质量发展高出预期 {gap:+.2f} 分，超出 95% 预测区间：AIGC 转化效果非常突出。"),
    "chart_expected_reading_outside_under": ("Your HQD is {gap:+.2f} points below expectation and outside the 95% range: something other than AIGC holds results back — check the levers below.",
                                             "您的高质量发展低于预期 {gap:+.2f} 分，超出 95% 预测区间：AIGC 之外的因素在拖累成果——请查看下方的改进杠杆。"),
    "chart_theta_title": ("Your return on AIGC across openness and supply-chain learning", "不同制度开放与供应链学习水平下的 AIGC 回报"),
    "chart_theta_reading": ("Each extra point of AIGC adoption raises your HQD by {theta:.3f} through dynamic capabilities (95% CI {lo:.3f} to {hi:.3f}); the surface shows how this return grows with openness and supply-chain learning.",
                            "AIGC 采纳每提高 1 分，通过动态能力使您的高质量发展提高 {theta:.3f}（95% 置信区间 {lo:.3f} 至 {hi:.3f}）；曲面显示该回报如何随制度开放和供应链学习而变化。"),
    "theta_axis": ("HQD gain per AIGC point", "每分 AIGC 带来的高质量发展增量"),
    "chart_ipma_title": ("Importance–performance map", "重要性—绩效矩阵"),
    "importance_axis": ("Importance: HQD gain per point", "重要性：每提高 1 分带来的高质量发展增量"),
    "chart_ipma_reading": ("Priority lever: {lever} — raising it to the benchmark's top quartile ({target:.2f}) is expected to add {gain:.2f} to your HQD, more than any other lever.",
                           "优先杠杆：{lever}——将其提升至基准前 25% 水平（{target:.2f}）预计可使高质量发展提高 {gain:.2f}，高于其他任何杠杆。"),
    "chart_ipma_reading_none": ("You are at or above the benchmark's top quartile on every lever; keep these strengths and look at the HQD sub-scores.",
                                "您在所有杠杆上均达到或超过基准前 25% 水平；请保持优势，并关注高质量发展的细分得分。"),
    "whatif_title": ("What if…", "情景模拟"),
    "whatif_intro": ("Move the sliders to see the expected DC and HQD change.", "拖动滑块，查看动态能力和高质量发展的预期变化。"),
    "whatif_result": ("Expected DC {dc:.2f}, expected HQD {hqd:.2f} ({change:+.2f} against now).", "预期动态能力 {dc:.2f}，预期高质量发展 {hqd:.2f}（较当前 {change:+.2f}）。"),
    "recommendations": ("What to do next", "下一步行动建议"),
    "source": ("Source", "来源"),
    "save_title": ("Save and return later", "保存并稍后查看"),
    "save_consent": ("I agree that my anonymised answers may be added to the collected benchmark pool.",
                     "我同意将我的匿名回答纳入基准数据池。"),
    "save_key_optional": ("Firm key from an earlier assessment (optional)", "此前评估的企业码（选填）"),
    "save_button": ("Save this assessment", "保存本次评估"),
    "saved": ("Saved. Your firm key is **{key}** — write it down: it is the only way to see this firm's history.",
              "已保存。您的企业码是 **{key}**——请记下：这是查看本企业历史记录的唯一方式。"),
    "download_html": ("Download report (HTML)", "下载报告（HTML）"),
    "download_pdf": ("Download report (PDF)", "下载报告（PDF）"),
    "history_fit": ("Benchmark fit", "对标模型"),
    "history_mixed_fits": (
        "These assessments were scored against different benchmark fits ({fits}): each keeps the fit it was scored "
        "with, so the gap to expected HQD compares like with like only within one fit.",
        "这些评估分别依据不同的对标模型（{fits}）计分：每次评估保留其计分时的模型，因此与预期高质量发展的差距只在同一模型内可比。"),
    "history_intro": ("Enter your firm key to see your earlier assessments and how they changed.", "输入企业码，查看历次评估及其变化。"),
    "firm_key": ("Firm key", "企业码"),
    "show_history": ("Show history", "查看历史"),
    "unknown_key": ("No assessment has the key {key}. Check the spelling (8 letters and digits) or save a new assessment.",
                    "没有与企业码 {key} 对应的评估。请检查拼写（8 位字母和数字），或保存一次新的评估。"),
    "bad_key": ("{key} is not a firm key: a key has 8 letters and digits, e.g. K7M2-Q9XD.", "{key} 不是有效的企业码：企业码由 8 位字母和数字组成，例如 K7M2-Q9XD。"),
    "history_chart_title": ("Your scores over time", "历次得分变化"),
    "history_reading": ("Since your first assessment, HQD moved {hqd_change:+.2f} and your biggest change was {construct} ({change:+.2f}).",
                        "自首次评估以来，高质量发展变化 {hqd_change:+.2f}，变化最大的是{construct}（{change:+.2f}）。"),
    "history_one": ("One assessment so far: save another after your next intervention to see the change.", "目前只有一次评估：下一次改进后再保存一次，即可看到变化。"),
    "about_text": (
        "Firms are scored against a moderated-mediation model: AIGC adoption builds dynamic capabilities, which drive high-quality development; "
        "institutional openness strengthens the first link and a learning-oriented supply chain the second (Tian 2025, ICEB'25).",
        "企业依据一个有调节的中介模型进行评分：AIGC 采纳提升动态能力，动态能力推动高质量发展；制度开放强化第一条路径，学习型供应链强化第二条路径（Tian 2025，ICEB'25）。"),
    "level_low": ("low", "较低"),
    "level_mid": ("middle", "中等"),
    "level_high": ("high", "较高"),
    # the downloadable reports
    "report_title": ("AIGC benchmark report", "AIGC 对标诊断报告"),
    "report_generated": ("Report date: {date}", "报告日期：{date}"),
    "report_not_given": ("not given", "未填写"),
    "report_peers": ("Peers compared with: {segment}", "对比同行：{segment}"),
    "report_standing": ("Where you stand", "您的位置"),
    "report_construct": ("Construct", "构念"),
    "report_score_5": ("Score (1–5)", "得分（1–5）"),
    "report_pct_all": ("Percentile, all firms", "百分位（全部企业）"),
    "report_pct_segment": ("Percentile, {segment}", "百分位（{segment}）"),
    "report_expected_dc": ("Expected dynamic capabilities (1–5)", "预期动态能力（1–5）"),
    "report_expected_hqd": ("Expected HQD (1–5)", "预期高质量发展（1–5）"),
    "report_actual_hqd": ("Actual HQD (1–5)", "实际高质量发展（1–5）"),
    "report_gap": ("Gap (actual − expected)", "差距（实际 - 预期）"),
    "report_theta_title": ("Your return on AIGC (θ)", "您的 AIGC 回报（θ）"),
    "report_theta_line": ("θ = {theta:.3f}: HQD gained per extra point of AIGC adoption through dynamic capabilities, at your openness and supply-chain learning (95% CI {lo:.3f} to {hi:.3f}).", "θ = {theta:.3f}：在贵企业的制度开放与供应链学习水平下，AIGC 采纳每提高 1 分经由动态能力带来的高质量发展增量（95% 置信区间 {lo:.3f} 至 {hi:.3f}）。"),
    "report_theta_line_no_ci": ("θ = {theta:.3f}: HQD gained per extra point of AIGC adoption through dynamic capabilities, at your openness and supply-chain learning (no confidence interval: the model was fitted without bootstrap).", "θ = {theta:.3f}：在贵企业的制度开放与供应链学习水平下，AIGC 采纳每提高 1 分经由动态能力带来的高质量发展增量（无置信区间：模型拟合时未做自助抽样）。"),
    "report_levers_title": ("Importance and levers", "重要性与改进杠杆"),
    "report_lever": ("Lever", "杠杆"),
    "report_importance": ("Importance (HQD per point)", "重要性（每分的高质量发展增量）"),
    "report_current": ("Your score (1–5)", "您的得分（1–5）"),
    "report_target": ("Target: top quartile (1–5)", "目标：前 25%（1–5）"),
    "report_gain": ("Expected HQD gain at target", "达到目标的预期高质量发展增量"),
    "report_priority": ("Priority lever: {lever}", "优先杠杆：{lever}"),
    "report_priority_mark": ("priority", "优先"),
    "report_charts": ("Charts", "图表"),
    "report_no_recs": ("No recommendation applies to these answers.", "这些回答没有对应的行动建议。"),
    "report_page": ("Page {n}", "第 {n} 页"),
    "report_footer": ("AIGC benchmark for cross-border e-commerce · model after Tian (2025)", "跨境电商 AIGC 对标诊断 · 模型依据 Tian (2025)"),
}


def _merged(*tables: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """One label table from several; a key defined twice is a bug, so it fails at import."""
    merged: dict[str, tuple[str, str]] = {}
    for table in tables:
        clash = merged.keys() & table.keys()
        if clash:
            raise KeyError(f"labels defined twice: {sorted(clash)}")
        merged |= table
    return merged


STRINGS = _merged(_DASHBOARD, STRINGS_ZONES, STRINGS_WORKSHOP, STRINGS_LAB, STRINGS_VERSIONS, STRINGS_ACCESS)


def t(key: str, lang: str = "en", /, **values) -> str:
    """The label `key` in `lang` ("en" or "zh"), with {placeholders} filled from `values`."""
    en, zh = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def construct_name(code: str, lang: str) -> str:
    """A construct's or HQD dimension's display name."""
    if code in CONSTRUCT_BY_CODE:
        return CONSTRUCT_BY_CODE[code].name(lang)
    return next(d.name(lang) for d in HQD_DIMENSIONS if d.code == code)


def control_label(column: str, lang: str) -> str:
    en, zh = CONTROL_LABELS[column]
    return zh if lang == "zh" else en


def region_label(region: str, lang: str) -> str:
    en, zh = REGION_LABELS[region]
    return zh if lang == "zh" else en
