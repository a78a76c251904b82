"""Concrete next-quarter actions for a firm's self-assessment result, in English and Simplified Chinese.

`RECOMMENDATIONS` is a small, fixed catalogue. Each entry belongs to one construct, applies to one or
more performance bands of that construct (0–100 scale, MODEL.md §6: "low" < 40, "mid" 40–70,
"high" > 70) and may be limited to a firm size, business model or pilot-zone status. Every entry
names the paper (author, year, section) its facts come from; `SOURCES` holds the full references.
The wording is the project's own: figures are quoted from the papers, sentences are not.

`recommend(score, controls)` picks the entries that fit a scored firm and orders them: the priority
lever's construct first, the other antecedents by descending lever gain, then HQD.
Pure Python: no I/O, no UI, no database.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .instrument import (
    ANTECEDENTS,
    BUSINESS_MODELS,
    CONSTRUCT_CODES,
    HQD_DIMENSIONS,
    ITEM_COLUMNS,
)

BANDS: tuple[str, ...] = ("low", "mid", "high")
LOW_BELOW = 40.0    # performance < 40 is "low"
HIGH_ABOVE = 70.0   # performance > 70 is "high"; 40–70 inclusive is "mid"
SME_BELOW = 200     # fewer than 200 employees is an SME, 200 or more is "large"
SIZES: tuple[str, ...] = ("sme", "large")
GAIN_EPS = 1e-12    # the same threshold scoring uses for "a lever with a gain"
DIMENSION_CODES: tuple[str, ...] = tuple(d.code for d in HQD_DIMENSIONS)


def band_of(performance: float) -> str:
    """The band of a 0–100 performance value: 'low' below 40, 'high' above 70, else 'mid'."""
    if performance < LOW_BELOW:
        return "low"
    if performance > HIGH_ABOVE:
        return "high"
    return "mid"


# Short key -> full reference, from each seed paper's own title and author lines. Two of the papers
# carry no publication year in their text, so they are cited "n.d." rather than with a guessed year.
SOURCES: dict[str, str] = {
    "tian2025": (
        "Tian, K. (2025). AIGC adoption and cross-border e-commerce growth: Synergistic roles of institutional "
        "openness and learning supply chains. In E. Y. Li et al. (Eds.), Proceedings of The International "
        "Conference on Electronic Business, Volume 25 (pp. 51–61). ICEB'25, Hanoi, Vietnam."),
    "zhao_jamsran": (
        "Zhao, C., & Jamsran, G. (n.d.). AI technology in global cross-border e-commerce: applications and "
        "impacts. Hunan Institute of Traffic Engineering; Global Leadership University, Ulaanbaatar."),
    "wen_wu": (
        "Wen, H., & Wu, T. (n.d.). The tech-driven era: Deep integration of artificial intelligence and "
        "cross-border e-commerce. College of Foreign Language and Trade, Guangzhou Vocational and Technical "
        "University of Science and Technology."),
    "xiang2025": (
        "Xiang, B. (2025). Research on business model innovation of cross-border e-commerce. Proceedings of "
        "ICFTBA 2025 Symposium: Financial Framework's Role in Economics and Management of Human-Centered "
        "Development. https://doi.org/10.54254/2754-1169/2025.GL26950"),
    "xi2023": (
        "Xi, X., Tarofder, A. K., & Wei, M. (2023). Research on dynamic mechanism of cross-border e-commerce "
        "ecosystem evolution. Business, Management and Economics Engineering, 21(1), 249–271."),
}


@dataclass(frozen=True, kw_only=True)
class Recommendation:
    """One concrete action: what to do next quarter, who does it, what to measure — in both languages.

    `band` lists the bands of the construct's performance the action suits. The filters `size`
    ("sme"/"large"), `business_model` ("B2B"/"B2C") and `pilot_zone` (0/1) are None when the action
    suits every firm; a filtered action reaches only firms known to match. `item` is the instrument
    item the action works on (a firm's weaker items come first); `dimension` is the HQD sub-score
    (HQD_fin, HQD_inn, HQD_sus) whose band decides whether an HQD action applies.
    """

    code: str
    construct: str
    band: tuple[str, ...]
    size: str | None = None
    business_model: str | None = None
    pilot_zone: int | None = None
    title_en: str
    title_zh: str
    action_en: str
    action_zh: str
    source: str
    source_key: str
    item: str | None = None
    dimension: str | None = None

    def title(self, lang: str = "en") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def action(self, lang: str = "en") -> str:
        return self.action_zh if lang == "zh" else self.action_en

    @property
    def filters(self) -> dict[str, str | int]:
        """The applicability filters that are set, e.g. {'size': 'sme'}."""
        values = {"size": self.size, "business_model": self.business_model, "pilot_zone": self.pilot_zone}
        return {k: v for k, v in values.items() if v is not None}

    def applies_to(self, profile: FirmProfile) -> bool:
        """True if every filter that is set matches the firm (an unknown firm value never matches a filter)."""
        return all(getattr(profile, key) == value for key, value in self.filters.items())


@dataclass(frozen=True)
class FirmProfile:
    """What the filters and the ordering need to know about a firm, read from its answers."""

    size: str | None = None
    business_model: str | None = None
    pilot_zone: int | None = None
    answers: tuple[tuple[str, float], ...] = ()

    def answer(self, item: str) -> float | None:
        return dict(self.answers).get(item)


def _zero_one(value) -> int | None:
    """0 or 1 from an int, bool, float or string such as "1"; anything else is unknown (None)."""
    if isinstance(value, str):
        value = value.strip()
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number in (0.0, 1.0) else None


def firm_profile(controls: Mapping | None) -> FirmProfile:
    """Size class, business model, pilot-zone status and item answers from a firm's answers dict.

    Values that are missing or invalid are left unknown (None) rather than guessed.
    """
    if not controls:
        return FirmProfile()
    size = None
    try:
        employees = float(controls.get("firm_size"))
        if math.isfinite(employees) and employees >= 1:
            size = "sme" if employees < SME_BELOW else "large"
    except (TypeError, ValueError):
        pass
    model = controls.get("business_model")
    model = str(model).strip().upper() if model is not None else None
    model = model if model in BUSINESS_MODELS else None
    pilot = _zero_one(controls.get("pilot_zone"))
    answers = []
    for item in ITEM_COLUMNS:
        try:
            value = float(controls.get(item))
        except (TypeError, ValueError):
            continue
        if 1 <= value <= 5:
            answers.append((item, value))
    return FirmProfile(size, model, pilot, tuple(answers))


def _r(code, construct, band, title_en, title_zh, action_en, action_zh, source, source_key, **extra) -> Recommendation:
    return Recommendation(code=code, construct=construct, band=tuple(band), title_en=title_en, title_zh=title_zh,
                          action_en=action_en, action_zh=action_zh, source=source, source_key=source_key, **extra)


LOW_MID, MID_HIGH, ALL_BANDS = ("low", "mid"), ("mid", "high"), BANDS

RECOMMENDATIONS: tuple[Recommendation, ...] = (
    # ---- AIGC adoption (X) -------------------------------------------------------------------------
    _r("AIGC-CS-01", "AIGC", LOW_MID,
       "Let a multilingual chatbot take routine inquiries",
       "用多语种智能客服承接常规咨询",
       "Next quarter, have the customer-service lead and one operations specialist put a multilingual AI "
       "chatbot on order-status, shipping and returns questions in your two largest markets, with a one-click "
       "hand-off to a human agent for complaints and disputes. Track each week the share of inquiries closed "
       "without a person (the benchmark item asks whether it exceeds 30%), first-response time and post-chat "
       "satisfaction. Zhao and Jamsran describe such language-processing assistants as answering around the "
       "clock in many languages while leaving the complex cases to human agents.",
       "下季度由客服负责人牵头、一名运营专员配合，在两个最大的目标市场上线多语种 AI 客服，先承接订单查询、物流和"
       "退换货等常规问题，投诉和纠纷一键转人工。每周跟踪无需人工即可关闭的咨询占比（本诊断以 30% 为参照）、首次"
       "响应时间和会话满意度。Zhao 与 Jamsran 指出，此类自然语言助手能够以多种语言全天候应答，把复杂问题留给人工"
       "客服处理。",
       "Zhao & Jamsran (n.d.), §3.3 Enhanced customer service and experience", "zhao_jamsran", item="AIGC2"),
    _r("AIGC-PS-01", "AIGC", LOW_MID,
       "Pilot AI best-seller prediction in one category",
       "在一个品类试点 AI 爆款预测",
       "Pick one category and, next quarter, let the product manager run an AI model on search trends, "
       "competitor listings and your own sales history to shortlist new items, launching the top picks beside "
       "items chosen the usual way. Compare 60-day sell-through and the share of new listings that reach your "
       "best-seller threshold in the two groups. In Tian's sample of 312 firms, 78% already used AI for product "
       "selection, so a firm without it is behind most of its peers.",
       "下季度选定一个品类，由商品经理用 AI 模型综合搜索趋势、竞品上架信息和自有销售数据筛选新品，并与按原有方式"
       "选出的商品同期上架。对比两组商品的 60 天动销率，以及达到爆款标准的新品占比。Tian（2025）调查的 312 家企业"
       "中有 78% 已使用 AI 选品，尚未使用的企业已落后于多数同行。",
       "Tian (2025), Data Collection and Analysis: sample demographics", "tian2025", item="AIGC1"),
    _r("AIGC-CT-01", "AIGC", LOW_MID,
       "Generate localised listings with a native-speaker check",
       "AI 生成本地化商品页面，母语人员审校",
       "Next quarter, have the listing team use an AIGC tool to draft product titles, descriptions and images "
       "for each target language and culture, and have a native speaker (staff or freelance) review every draft before it goes "
       "live. Measure listings produced per person-day, the conversion rate of localised against untranslated "
       "listings, and the share of drafts the reviewer had to correct. Zhao and Jamsran point out that AIGC can "
       "tailor copy and visual assets to each language and cultural context, which is where local relevance is "
       "won.",
       "下季度由上架团队使用 AIGC 工具，针对每个目标语种和文化生成商品标题、描述和图片，上线前由母语人员（内部员工或外包）"
       "逐条审校。衡量人均每日产出的商品页面数量、本地化页面与未翻译页面的转化率差异，以及需要审校修改的稿件比例。"
       "Zhao 与 Jamsran 指出，AIGC 能够针对不同语言和文化语境定制文案与视觉素材，这正是提升本地相关性的关键。",
       "Zhao & Jamsran (n.d.), §3.2 Hyper-personalized marketing and customer engagement", "zhao_jamsran",
       item="AIGC3"),
    _r("AIGC-SME-01", "AIGC", LOW_MID,
       "SME starter kit: AI descriptions and a chatbot for one new market",
       "中小企业入门组合：面向一个新市场的 AI 商品描述与智能客服",
       "On a small budget, start from off-the-shelf tools: next quarter the owner or e-commerce manager picks one "
       "new language market, generates descriptions for the 20 best sellers with an AI translation and writing "
       "tool, and adds a multilingual chatbot to the store. Compare orders and export revenue from that market "
       "month by month with the quarter before. Tian (2025) reports a medium-sized firm whose AI-translated "
       "descriptions opened European and Southeast Asian markets and lifted export revenue by 28% within six "
       "months (a case from Wu, 2025).",
       "预算有限时，可从现成工具起步：下季度由企业负责人或电商经理选定一个新语种市场，用 AI 翻译与写作工具为 20 款"
       "畅销品生成商品描述，并在店铺接入多语种智能客服。按月将该市场的订单量和出口收入与上一季度对比。Tian（2025）"
       "援引的案例显示，一家中型企业借助 AI 翻译生成的多语种描述打开了欧洲和东南亚市场，六个月内出口收入增长 28%"
       "（案例出自 Wu, 2025）。",
       "Tian (2025), Practical Implications: for SMEs", "tian2025", size="sme", item="AIGC3"),
    _r("AIGC-DF-01", "AIGC", LOW_MID,
       "Forecast inventory demand with AI",
       "用 AI 预测库存需求",
       "Next quarter, have the supply-chain planner run an AI demand forecast for the top SKUs in each warehouse "
       "(a pre-trained forecasting service is enough for a small catalogue) alongside the current method, and "
       "place reorders with whichever was more accurate the month before. Measure forecast error, stockout rate "
       "and holding cost per SKU. Tian (2025) cites a Zhejiang pilot-zone firm whose AI forecasting cut "
       "stockouts by 25% and inventory costs by 18% (Li et al., 2025).",
       "下季度由供应链计划员对各仓库的重点 SKU 运行 AI 需求预测（商品数量不多时，使用预训练的预测服务即可），与现行"
       "方法并行，并按上月更准确的一方下达补货单。衡量预测误差、缺货率和单个 SKU 的库存持有成本。Tian（2025）援引"
       "浙江综试区一家企业的案例：借助 AI 需求预测，其缺货减少 25%，库存成本下降 18%（Li et al., 2025）。",
       "Tian (2025), Literature Review: AIGC technology adoption", "tian2025", item="AIGC4"),
    _r("AIGC-LRG-01", "AIGC", MID_HIGH,
       "Build a customised recommendation engine on your own data",
       "基于自有数据打造定制化推荐引擎",
       "At your data volume a tailored model beats generic tools: next quarter the data-science team and the "
       "marketing lead train an AIGC recommendation model on browsing and purchase histories by country and "
       "A/B-test it against the current recommendations on one site. Measure conversion rate and average order "
       "value in the test and control groups. Tian (2025) reports that a leading platform raised conversion by "
       "22% and average order value by 15% this way (Zhang et al., 2025).",
       "数据体量充足时，定制模型优于通用工具：下季度由数据科学团队和营销负责人基于各国用户的浏览与购买记录训练 AIGC "
       "推荐模型，并在一个站点与现有推荐方案进行 A/B 测试。衡量测试组与对照组的转化率和客单价。Tian（2025）指出，"
       "一家头部平台以此方式使转化率提升 22%，客单价提升 15%（Zhang et al., 2025）。",
       "Tian (2025), Practical Implications: for large enterprises", "tian2025", size="large"),
    _r("AIGC-B2B-01", "AIGC", MID_HIGH,
       "Speed up quotations and contracts for business buyers with AI",
       "用 AI 加快面向企业买家的报价与合同流程",
       "Next quarter, let the sales-operations manager use AI to match buyer inquiries to suitable products and "
       "to draft quotations and standard contracts from approved templates, keeping legal review for non-standard "
       "clauses. Measure inquiry-to-quote time, quote-to-order conversion and processing cost per deal. Tian "
       "(2025) reports a B2B electronics platform that processed transactions 30% faster at 20% lower operating "
       "cost after adopting AI contract management (Wu, 2025).",
       "下季度由销售运营经理利用 AI 将买家询盘匹配到合适的产品，并基于已审定的模板起草报价单和标准合同，非标条款仍交"
       "法务审核。衡量从询盘到报价的时长、报价到成单的转化率以及单笔交易的处理成本。Tian（2025）提到，一家电子产品 "
       "B2B 平台引入 AI 合同管理工具后，交易处理速度提高 30%，运营成本降低 20%（Wu, 2025）。",
       "Tian (2025), Practical Implications: for B2B and B2C firms", "tian2025", business_model="B2B"),
    _r("AIGC-B2C-01", "AIGC", MID_HIGH,
       "Run AI-generated social content and personalised campaigns",
       "开展 AI 生成的社交媒体内容与个性化营销",
       "Next quarter, have the overseas marketing specialist produce short videos, posts and e-mail variants with "
       "AIGC for one market's main social platform, and send personalised offers to repeat buyers grouped by "
       "purchase history. Compare interaction rate, repeat-purchase rate and cost per new customer with the "
       "previous quarter. Tian (2025) reports a B2C fashion seller whose AI-generated marketing content raised "
       "customer interaction by 35% and brand recognition by 25% within three months (Song & Zhang, 2024).",
       "下季度由海外营销专员借助 AIGC，为一个市场的主要社交平台制作短视频、帖子和多版本营销邮件，并按购买记录对老客户"
       "分群推送个性化优惠。与上一季度对比互动率、复购率和获客成本。Tian（2025）指出，一家 B2C 时尚企业使用 AI 生成的"
       "营销内容后，三个月内客户互动率提升 35%，品牌认知度提升 25%（Song & Zhang, 2024）。",
       "Tian (2025), Practical Implications: for B2B and B2C firms", "tian2025", business_model="B2C",
       item="AIGC3"),
    _r("AIGC-GOV-01", "AIGC", MID_HIGH,
       "Put AI governance in place: privacy, bias and fraud checks",
       "建立 AI 治理：隐私、偏见与欺诈防控",
       "As AI reaches more customers, the head of operations should name an owner for AI risk next quarter, who "
       "lists every AI tool with the personal data it uses, checks that use against GDPR, CCPA and each target "
       "market's rules, and tests pricing and ad-targeting outputs for unfair differences between customer "
       "groups. Switch on anomaly detection for payments if you take card orders, and track chargebacks, privacy "
       "complaints and the number of tools that have passed review. Zhao and Jamsran count data privacy, "
       "algorithmic bias and regulatory compliance among the chief challenges of AI in cross-border trade, and "
       "describe anomaly detection as the main AI defence against payment fraud.",
       "随着 AI 触达的客户越来越多，运营负责人应在下季度指定 AI 风险责任人，由其梳理每一个 AI 工具及其使用的个人数据，"
       "对照 GDPR、CCPA 及各目标市场的规定逐项核查，并检查定价和广告投放结果是否对不同客户群体存在不公平差异。若接受"
       "银行卡付款，应开启支付异常检测，并跟踪拒付率、隐私投诉数量以及已通过审查的工具数量。Zhao 与 Jamsran 将数据"
       "隐私、算法偏见和监管合规列为 AI 应用于跨境贸易的主要挑战，并指出异常检测是 AI 防范支付欺诈的主要手段。",
       "Zhao & Jamsran (n.d.), §3.4 Risk management and fraud prevention; §5 Challenges and ethical considerations",
       "zhao_jamsran"),
    _r("AIGC-IP-01", "AIGC", MID_HIGH,
       "Screen AI-generated content for IP and platform-rule breaches",
       "对 AI 生成内容开展知识产权与平台规则筛查",
       "Generated images and copy can borrow protected marks or designs, so next quarter the listing team lead "
       "should add an IP and platform-rule check to the publishing workflow: a trademark search on brand terms, "
       "a reverse image search on generated visuals and a review against each platform's seller rules. Count "
       "listings blocked or taken down, infringement notices received and the time each check adds. Xi et al. "
       "(2023) describe AliExpress's automated IP screening, which catches 96% of infringing links at the moment "
       "they are published, backed by forced take-downs and credit penalties for sellers.",
       "AI 生成的图片和文案可能借用受保护的商标或设计，因此下季度应由上架团队负责人在发布流程中加入知识产权与平台规则"
       "检查：品牌词做商标检索，生成的图片做以图搜图，并对照各平台的卖家规则逐项审核。统计被拦截或下架的商品数、收到的"
       "侵权通知数以及每项检查增加的耗时。Xi 等（2023）介绍，速卖通的自动化知识产权筛查能在商品发布的同时识别出 96% "
       "的侵权链接，并辅以强制下架和信用处罚等措施。",
       "Xi, Tarofder & Wei (2023), §4.3.2 Rules mechanism (AliExpress)", "xi2023"),
    # ---- Dynamic capabilities (M) -----------------------------------------------------------------
    _r("DC-LIT-01", "DC", LOW_MID,
       "Run a cross-functional AI literacy programme",
       "开展跨职能 AI 素养培训",
       "Next quarter, HR and the digital lead run a short programme, built on your own data, in which "
       "supply-chain, pricing and customer-service staff learn to read the AI outputs they receive, for example "
       "what a demand forecast's range means and when to override it. Measure attendance, before-and-after quiz "
       "results and the share of AI forecasts and suggestions the teams act on. Tian (2025) puts cross-functional "
       "AI literacy first among the two priorities for firms, pointing to SHEIN's AI-supported fast-fashion "
       "logistics.",
       "下季度由人力资源部与数字化负责人组织一期短训，结合企业自己的数据，教会供应链、定价和客服人员解读所收到的 AI "
       "输出，例如需求预测区间的含义以及何时应当人工修正。衡量出勤率、培训前后的测验成绩，以及各团队实际采纳的 AI "
       "预测与建议所占比例。Tian（2025）把跨职能 AI 素养培训列为企业两项优先举措中的第一项，并以 SHEIN 借助 AI "
       "支撑快时尚物流为例。",
       "Tian (2025), Practical Implications: for firms", "tian2025", item="DC3"),
    _r("DC-ANA-01", "DC", LOW_MID,
       "Hold a weekly AI market-trend review",
       "建立每周 AI 市场趋势研判例会",
       "From next quarter, the head of operations chairs a 30-minute weekly meeting in which the data analyst "
       "presents AI-generated trend signals (search terms, social-media mentions, competitor price moves), and "
       "every signal leaves the room with an owner and a decision: act, watch or drop. Measure the time from "
       "signal to decision and the share of decisions that led to a listing, price or stock change. Tian (2025) "
       "finds that AIGC raises performance through dynamic capabilities, beginning with the ability to sense "
       "market shifts such as changes in demand.",
       "从下季度起，由运营负责人主持每周 30 分钟的例会，数据分析师汇报 AI 生成的趋势信号（搜索词、社交媒体讨论、竞品"
       "价格变动），每条信号都要明确责任人，并作出“行动、观察或放弃”的决定。衡量从发现信号到作出决定的时长，以及最终"
       "促成上架、调价或备货调整的决定所占比例。Tian（2025）发现，AIGC 通过动态能力提升企业绩效，而这一过程始于"
       "对需求变化等市场动向的感知。",
       "Tian (2025), Discussion: Key Findings", "tian2025", item="DC1"),
    _r("DC-PRICE-01", "DC", LOW_MID,
       "Give pricing a 24-hour AI loop with guardrails",
       "建立带约束条件的 24 小时 AI 调价机制",
       "Next quarter, the pricing owner sets the rules under which AI price suggestions for the top 50 SKUs go "
       "live within 24 hours: a margin floor, a maximum daily change, and automatic recalculation when exchange "
       "rates move beyond a set band. Measure the time from suggestion to live price, and the gross margin and "
       "sales volume of repriced SKUs against a comparable group left unchanged. Zhao and Jamsran describe "
       "pricing engines that respond to competitors, demand, exchange rates and local purchasing power; such an "
       "engine is only worth having if the prices it suggests go live quickly.",
       "下季度由定价负责人制定规则，使前 50 个 SKU 的 AI 调价建议在 24 小时内生效：设定毛利底线和单日最大调幅，并在"
       "汇率波动超出设定区间时自动重新计算。衡量从建议到新价上线的时长，并将调价 SKU 的毛利率和销量与未调价的可比商品"
       "组进行对比。Zhao 与 Jamsran 介绍的动态定价引擎会根据竞品价格、需求、汇率和当地购买力调整价格；只有调价建议能够迅速"
       "生效，这类引擎才有价值。",
       "Zhao & Jamsran (n.d.), §3.1 Intelligent operations and supply chain optimization", "zhao_jamsran",
       item="DC2"),
    _r("DC-WF-01", "DC", MID_HIGH,
       "Embed AIGC steps in your core workflows",
       "将 AIGC 环节嵌入核心业务流程",
       "Next quarter, each process owner (listing, pricing, replenishment, customer service) maps the process "
       "and writes the AI step into its standard operating procedure, so that the tool is used by default rather "
       "than only by enthusiasts. Measure the share of tasks in each process that pass through an AI step and "
       "the order-fulfilment cycle time. Tian (2025) cites a firm that reconfigured its supply-chain processes "
       "with AIGC and cut order fulfilment from 7 days to 3 (Teece, 2018).",
       "下季度由各流程负责人（上架、定价、补货、客服）梳理本流程，并把 AI 环节写入标准作业程序，使工具成为默认做法，"
       "而不只是少数积极员工的个人习惯。衡量各流程中经过 AI 环节的任务占比以及订单履约周期。Tian（2025）援引的案例中，"
       "一家企业借助 AIGC 重构供应链流程，订单履约时间从 7 天缩短到 3 天（Teece, 2018）。",
       "Tian (2025), Theoretical Foundations: dynamic capability theory", "tian2025", item="DC3"),
    _r("DC-ROLE-01", "DC", LOW_MID,
       "Rewrite job profiles for AI-era roles",
       "按 AI 时代要求更新岗位能力标准",
       "Next quarter, HR and the department heads update the profiles of the six core roles (operations, overseas "
       "marketing, data analysis, customer service, visual design and logistics) with the AI tools each should "
       "master, such as AI pricing and inventory tools, ad monitoring, automated BI dashboards, AI design "
       "assistants and automated customs clearance. Measure the share of staff assessed against the new profiles "
       "and the number trained or hired to close each gap. Wen and Wu show that every cross-border e-commerce "
       "role now needs digital literacy and AI tools on top of language and cross-cultural skills.",
       "下季度由人力资源部与各部门负责人更新六类核心岗位（运营、海外营销、数据分析、客服、视觉设计和物流）的能力标准，"
       "写明各岗位应掌握的 AI 工具，例如 AI 定价与库存工具、广告监测、自动化 BI 看板、AI 设计助手和自动化通关系统。"
       "衡量按新标准完成评估的员工比例，以及为弥补各项差距而培训或招聘的人数。Wen 与 Wu 指出，跨境电商的各个岗位如今"
       "都需要在外语和跨文化沟通能力之外，具备数字素养并掌握 AI 工具。",
       "Wen & Wu (n.d.), §3.1 Changes of ability requirements for practitioners", "wen_wu"),
    _r("DC-SME-01", "DC", LOW_MID,
       "Acquire digital capabilities asset-light through SaaS",
       "借助 SaaS 以轻资产方式获取数字化能力",
       "Rather than building systems, the owner and one operations lead should choose, next quarter, a SaaS "
       "suite or industrial-internet platform that bundles listing, pricing, inventory and analytics with AI "
       "features, and move one business line onto it. Measure the monthly software cost against the hours saved, "
       "and the number of decisions now backed by dashboard data. Xiang (2025) recommends this asset-light route "
       "for small and medium-sized firms.",
       "与其自建系统，不如由企业负责人和一名运营骨干在下季度选定一套集成上架、定价、库存和数据分析功能并带有 AI 能力的 "
       "SaaS 工具或工业互联网平台，先把一条业务线迁移上去。衡量每月软件费用与节省工时的对比，以及有看板数据支撑的决策"
       "数量。Xiang（2025）正是建议中小企业走这条轻资产路径。",
       "Xiang (2025), §3 Conclusion (recommendations)", "xiang2025", size="sme"),
    _r("DC-BMI-01", "DC", MID_HIGH,
       "Test a small-order, quick-response model",
       "试行小单快反模式",
       "Next quarter, the product and sourcing leads run one product line on a test-and-reorder basis: small "
       "first batches of AI-selected designs, then quick reorders of only what sells, with a supplier willing to "
       "accept short runs. Measure the design-to-shelf cycle, first-batch sell-through and markdown losses against "
       "the line's previous season. Xiang (2025) describes data-driven modern models that shortened design cycles "
       "from 30 days to 7 and tripled inventory turnover through a flexible supplier network.",
       "下季度由产品与采购负责人选一条产品线试行“小批量测款、按销量快速返单”：AI 选出的款式首单少量生产，只对畅销款"
       "快速返单，并与愿意接受小批量生产的供应商合作。衡量从设计到上架的周期、首批货品的动销率，以及与该产品线上一季"
       "相比的降价损失。Xiang（2025）介绍，数据驱动的新型模式依托柔性供应商网络，把设计周期从 30 天缩短到 7 天，库存"
       "周转率提高到原来的三倍。",
       "Xiang (2025), §1 Introduction (the modern model)", "xiang2025"),
    # ---- Institutional openness (W) ---------------------------------------------------------------
    _r("IO-PZ-01", "IO", LOW_MID,
       "Claim every pilot-zone measure you are entitled to",
       "用足综试区各项政策",
       "Next quarter, the finance manager and the customs or compliance officer meet the pilot zone's service "
       "centre, list the tax incentives, customs-clearance simplifications and data-flow facilitation measures "
       "your firm qualifies for, and apply for those not yet used. Measure tax and clearance cost per order and "
       "average clearance time before and after. Tian (2025) describes a Guangdong pilot-zone firm for which tax "
       "relief and simpler customs procedures both lowered costs and raised efficiency (Lendle et al., 2016).",
       "下季度由财务经理与关务或合规专员对接综试区服务中心，逐项梳理企业可以享受的税收优惠、通关便利和跨境数据流动便利"
       "措施，并对尚未申请的项目提出申请。衡量政策落实前后每单的税费与通关成本以及平均通关时长。Tian（2025）介绍，"
       "广东综试区一家企业借助税收减免和简化的通关手续，既降低了成本，又提高了运营效率（Lendle et al., 2016）。",
       "Tian (2025), Literature Review: institutional openness", "tian2025", pilot_zone=1, item="IO1"),
    _r("IO-PZ-02", "IO", MID_HIGH,
       "Run your next AIGC project on pilot-zone infrastructure",
       "依托综试区基础设施推进下一个 AIGC 项目",
       "Next quarter, the digital lead applies for the zone's cloud-computing resources, sandbox arrangements or "
       "infrastructure subsidies for the next AIGC project, such as an AI customer-service system. Measure the "
       "project's cost against a commercial-cloud quote and the time from kick-off to live use. In Tian's results, "
       "one more point of AIGC adoption raised dynamic capabilities by 0.23 in pilot-zone firms against 0.12 "
       "elsewhere.",
       "下季度由数字化负责人为下一个 AIGC 项目（例如 AI 客服系统）申请综试区的云计算资源、监管沙盒安排或基础设施补贴。"
       "衡量项目成本（与商业云报价对比）以及从立项到投入使用的时长。Tian（2025）的结果显示，AIGC 采纳每提高 1 分，"
       "综试区企业的动态能力提升 0.23，而非综试区企业仅为 0.12。",
       "Tian (2025), Hypothesis Testing: moderated mediation analysis (H3)", "tian2025", pilot_zone=1, item="IO3"),
    _r("IO-NPZ-01", "IO", ALL_BANDS,
       "Reach pilot-zone benefits from outside a zone",
       "不在综试区，也能对接综试区资源",
       "Next quarter, the general manager asks the local commerce bureau and the nearest comprehensive pilot "
       "zone's service centre which of its measures (clearance channels, bonded or overseas warehouses, public "
       "cloud services) are open to firms registered elsewhere, and costs the options of exporting through a zone "
       "operator or opening a branch there. Compare landed cost and clearance time per order on the zone route "
       "with your current route. Tian (2025) found the AIGC-to-performance effect through dynamic capabilities "
       "nearly twice as strong inside pilot zones (0.38 against 0.21), a gap worth closing.",
       "下季度由总经理向当地商务主管部门和最近的跨境电商综试区服务中心咨询：其通关渠道、保税仓或海外仓、公共云服务等"
       "措施中，哪些向区外注册的企业开放；同时测算通过区内服务商出口或在区内设立分支机构的成本。对比经综试区路径与现有"
       "路径的每单到岸成本和通关时长。Tian（2025）的分组分析显示，综试区内企业经由动态能力传导的 AIGC 绩效效应接近区外"
       "企业的两倍（0.38 对 0.21），这一差距值得争取。",
       "Tian (2025), Robustness and Post Hoc Analyses: subgroup analysis", "tian2025", pilot_zone=0),
    _r("IO-DATA-01", "IO", ALL_BANDS,
       "Map and secure your cross-border data flows",
       "梳理并规范跨境数据流动",
       "Next quarter, the compliance officer and the IT lead draw up an inventory of the customer and sales data "
       "each AI service sends abroad or receives, and on what legal basis, and prefer AI platforms on official "
       "trusted lists where such lists exist. Measure the share of AI tools with a documented data-flow "
       "assessment and the number of data incidents or blocked transfers. Tian (2025) asks policymakers for "
       "whitelists of trusted AI platforms to lower compliance risk, and firms with documented data flows are "
       "ready to use such facilitation as soon as it arrives.",
       "下季度由合规专员和 IT 负责人建立清单，逐一列明每项 AI 服务向境外发送或从境外接收哪些客户与销售数据、依据何种"
       "合规路径，并在有官方可信名单时优先选用名单内的 AI 平台。衡量已完成数据出境评估并形成文档的 AI 工具占比，以及"
       "数据安全事件或传输受阻的次数。Tian（2025）建议政策制定者为可信 AI 平台建立白名单以降低合规风险，数据流向清晰的"
       "企业能在此类便利措施出台时率先受益。",
       "Tian (2025), Practical Implications: for policymakers", "tian2025", item="IO2"),
    _r("IO-HIGH-01", "IO", ("high",),
       "Help shape policy and spread across hubs",
       "参与政策共建，布局多枢纽",
       "With policy already working for you, the general manager should next quarter take one concrete proposal, "
       "for example on cross-border data flows or green trade, to the pilot zone or the industry association, and "
       "join any sandbox trial on offer. Also weigh whether a second hub in another zone or market would reduce "
       "dependence on a single policy regime, and track proposals adopted, pilots joined and the share of revenue "
       "tied to one hub. Xiang (2025) notes that leading firms in the modern model take part in policy design and "
       "use a multi-hub layout to spread risk.",
       "政策红利已经惠及企业时，总经理应在下季度向综试区或行业协会提交一项具体建议（例如关于跨境数据流动或绿色贸易），"
       "并积极参与可申请的沙盒试点。同时评估在另一个综试区或市场设立第二个枢纽能否降低对单一政策环境的依赖，并跟踪被"
       "采纳的建议数、参与的试点数以及依赖单一枢纽的收入占比。Xiang（2025）指出，新型模式下的领先企业会深度参与政策"
       "设计，并通过多枢纽布局分散风险。",
       "Xiang (2025), §1 Introduction (the modern model)", "xiang2025"),
    # ---- Learning-oriented supply chain (Z) -------------------------------------------------------
    _r("LSC-KS-01", "LSC", LOW_MID,
       "Start weekly knowledge-sharing sessions with key suppliers",
       "与核心供应商建立每周知识分享会",
       "Next quarter, the sourcing manager invites the three largest suppliers to a weekly online session with "
       "your AIGC or data team to share sell-through, return reasons and AI demand forecasts and to agree actions "
       "on the spot. Measure sessions held, actions closed and inventory turnover of the products concerned. Tian "
       "(2025) cites a firm whose weekly sessions of this kind raised inventory turnover by 15% (Grant, 1996).",
       "下季度由采购经理邀请三家最大的供应商与企业的 AIGC 或数据团队每周召开线上会议，共享动销数据、退货原因和 AI 需求"
       "预测，并当场商定改进措施。衡量会议召开次数、措施落实数量以及相关产品的库存周转率。Tian（2025）援引的案例中，"
       "一家企业通过每周与供应商开展此类知识分享，库存周转率提高了 15%（Grant, 1996）。",
       "Tian (2025), Literature Review: learning-oriented supply chains", "tian2025", item="LSC1"),
    _r("LSC-LOG-01", "LSC", LOW_MID,
       "Make logistics adaptive with AI routing and fallback capacity",
       "以 AI 路线优化和备用运力提升物流适应性",
       "Next quarter, the logistics specialist introduces AI route and carrier optimisation on the main shipping "
       "lanes and agrees a fallback carrier and an overseas-warehouse option for the largest market, so that a "
       "disruption or a demand spike can be absorbed within days. Measure delivery time, cost per parcel, on-time "
       "rate and the time to recover from the next disruption. Zhao and Jamsran describe route-optimisation "
       "algorithms that find the cheapest and fastest shipping paths and warehouse automation that speeds up "
       "order processing.",
       "下季度由物流专员在主要运输线路上引入 AI 路线与承运商优化，并为最大市场约定备用承运商和海外仓方案，使突发中断或"
       "需求激增能在数日内得到消化。衡量配送时效、单件运费、准时率以及下一次中断后的恢复时间。Zhao 与 Jamsran 介绍，"
       "路线优化算法能够找到成本最低、速度最快的运输路径，仓储自动化则能加快订单处理。",
       "Zhao & Jamsran (n.d.), §3.1 Intelligent operations and supply chain optimization", "zhao_jamsran",
       item="LSC3"),
    _r("LSC-GAME-01", "LSC", MID_HIGH,
       "Reward supplier knowledge sharing with a points scheme",
       "以积分机制激励供应商分享知识",
       "Next quarter, the sourcing manager launches a gamified scheme in which suppliers earn points for useful "
       "market information, forecast corrections and improvement ideas, with a quarterly ranking tied to order "
       "priority or faster payment, and a shared ledger (a blockchain, if you already run one) keeps the record "
       "tamper-proof. Measure contributions per supplier, ideas implemented and the change in forecast accuracy. "
       "Tian (2025) recommends blockchain-based gamified incentives for knowledge sharing, citing Alibaba's "
       "supplier collaboration trials.",
       "下季度由采购经理推出游戏化激励机制：供应商提供有价值的市场信息、修正预测或提出改进建议即可获得积分，季度排名与"
       "订单优先级或更快回款挂钩，并用共享账本（已有区块链系统的可直接使用）保证记录不可篡改。衡量每家供应商的贡献次数、"
       "被采纳的建议数以及预测准确率的变化。Tian（2025）建议借助基于区块链的游戏化机制激励知识共享，并以阿里巴巴的"
       "供应商协同试点为例。",
       "Tian (2025), Practical Implications: for firms", "tian2025", item="LSC1"),
    _r("LSC-CI-01", "LSC", MID_HIGH,
       "Co-develop a product with suppliers under a profit-sharing agreement",
       "在收益共享协议下与供应商协同开发新品",
       "Next quarter, the product lead and one or two strategic suppliers run a joint development sprint on a "
       "product your AI trend data points to, under a written agreement on how its profit is split. Measure time "
       "to launch, the product's margin and the number of design improvements that came from the suppliers. Xi et "
       "al. (2023) report that profit-sharing contracts markedly increase knowledge transfer in collaborative "
       "supply-chain innovation (Han, 2020).",
       "下季度由产品负责人与一至两家战略供应商，围绕 AI 趋势数据所指向的产品开展联合开发冲刺，并以书面协议约定该产品的"
       "利润分成。衡量上市周期、该产品的毛利率以及源自供应商的设计改进数量。Xi 等（2023）指出，收益共享合同能够显著"
       "促进供应链协同创新中的知识转移（Han, 2020）。",
       "Xi, Tarofder & Wei (2023), §3.1 Profit distribution mechanism", "xi2023", item="LSC2"),
    _r("LSC-LRG-01", "LSC", MID_HIGH,
       "Assess supplier risk with AI",
       "用 AI 评估供应商风险",
       "Next quarter, the supply-chain risk manager feeds supplier delivery records, financial signals and news "
       "into an AI risk-scoring model, reviews the 20 riskiest suppliers with their category managers and lines "
       "up alternatives. Measure disruptions per quarter, time to switch to an alternative supplier and on-time "
       "delivery. Tian (2025) reports a global cross-border firm whose AI supplier-risk system cut supply-chain "
       "disruptions by 25% and raised operational efficiency by 10% (Li et al., 2025).",
       "下季度由供应链风险经理将供应商交付记录、财务信号和相关新闻导入 AI 风险评分模型，与品类经理逐一复核风险最高的 "
       "20 家供应商，并提前准备替代方案。衡量每季度的供应中断次数、切换至替代供应商所需的时间以及准时交付率。Tian"
       "（2025）提到，一家全球跨境电商巨头引入 AI 供应商风险评估系统后，供应链中断减少 25%，整体运营效率提高 10%"
       "（Li et al., 2025）。",
       "Tian (2025), Practical Implications: for large enterprises", "tian2025", size="large"),
    _r("LSC-ECO-01", "LSC", LOW_MID,
       "Join a platform ecosystem's merchant-growth programme",
       "加入平台生态的商家成长计划",
       "Next quarter, the e-commerce manager enrols in a platform's merchant-growth or new-brand programme and "
       "uses it to sign longer-term agreements with the platform's logistics, payment and overseas-warehouse "
       "partners in place of one-off deals. Measure the traffic and exposure the programme brings, logistics and "
       "payment cost per order, and delivery disputes. Xi et al. (2023) show how AliExpress grew its ecosystem by "
       "coaching new brand merchants, and how long-term contracts between members lower transaction costs and "
       "risk.",
       "下季度由电商经理报名参加平台的商家成长或新品牌扶持计划，并借此与平台的物流、支付和海外仓合作伙伴签订长期协议，"
       "取代零散的一次性合作。衡量计划带来的流量与曝光、每单物流和支付成本以及配送纠纷数量。Xi 等（2023）阐述了速卖通"
       "如何通过辅导新品牌商家壮大生态，以及成员之间的长期契约如何降低交易成本和风险。",
       "Xi, Tarofder & Wei (2023), §3.1 Contract mechanism; §4.3.2 Collaborative mechanism (AliExpress)", "xi2023"),
    _r("LSC-CPFR-01", "LSC", ("high",),
       "Move to joint forecasting and replenishment",
       "推行与合作伙伴的协同预测与补货",
       "With learning routines in place, the planning director should agree next quarter a shared forecast and "
       "replenishment plan with the top suppliers and logistics partners: one forecast, one set of targets and a "
       "monthly joint decision meeting. Measure forecast accuracy along the chain, supplier fill rate and days of "
       "inventory held at each tier. Xi et al. (2023) observe that mature ecosystems move from decentralised to "
       "collaborative decision-making, including collaborative demand forecasting.",
       "学习机制已经运转起来后，计划总监应在下季度与核心供应商和物流伙伴约定共同的预测与补货计划：同一套预测、同一组"
       "目标，每月召开一次联合决策会议。衡量全链条的预测准确率、供应商订单满足率以及各环节的库存天数。Xi 等（2023）"
       "观察到，成熟的跨境电商生态会从分散决策走向协同决策，其中包括协同需求预测。",
       "Xi, Tarofder & Wei (2023), §3.1 Collaborative mechanism", "xi2023", item="LSC2"),
    # ---- High-quality development (Y), by sub-dimension ----------------------------------------------
    _r("HQD-FIN-01", "HQD", LOW_MID,
       "Repair margins market by market",
       "逐个市场修复利润率",
       "Next quarter, the finance manager builds a profit view per market and per top SKU that includes platform "
       "fees, logistics, returns and advertising, and the category managers use AI selection and pricing insights "
       "to reprice, renegotiate or delist the loss-makers. Measure contribution margin per market and export "
       "revenue growth quarter on quarter. Tian (2025) cites a firm that grew export revenue by 30% in one year "
       "after AIGC improved its product selection and pricing (Zhang et al., 2025).",
       "下季度由财务经理按市场和重点 SKU 建立包含平台佣金、物流、退货和广告费用的利润视图，品类经理据此结合 AI 选品与"
       "定价分析，对亏损商品调价、重新议价或下架。衡量各市场的边际贡献率以及出口收入的环比增长。Tian（2025）援引的"
       "案例中，一家企业借助 AIGC 优化选品和定价后，一年内出口收入增长 30%（Zhang et al., 2025）。",
       "Tian (2025), Literature Review: high-quality development", "tian2025", dimension="HQD_fin", item="HQD2"),
    _r("HQD-FIN-02", "HQD", ("high",),
       "Enter one focused new market",
       "集中资源开拓一个新市场",
       "With healthy margins, the export manager should pick one new market for a focused entry next quarter "
       "rather than spreading thin, backed by localised listings, a local logistics option and easy returns. "
       "After two quarters, measure revenue from the new market, its contribution margin and the cost of "
       "acquiring a customer there. Xi et al. (2023) describe how AliExpress, in its early years, concentrated on "
       "a few focus markets (Russia, Spain and Brazil) with dedicated logistics, overseas warehouses and easy "
       "returns instead of expanding everywhere.",
       "在利润率较为健康时，出口经理应在下季度选定一个新市场集中突破，而不是四面出击，并配套本地化商品页面、本地物流方案"
       "和便捷的退货服务。两个季度后，衡量该市场的收入、边际贡献率和获客成本。Xi 等（2023）介绍，速卖通早期并未盲目"
       "扩张，而是集中开拓俄罗斯、西班牙和巴西等重点市场，并配套专线物流、海外仓和便捷的退换货服务。",
       "Xi, Tarofder & Wei (2023), §4.3.2 Collaborative mechanism (AliExpress)", "xi2023", dimension="HQD_fin",
       item="HQD1"),
    _r("HQD-INN-01", "HQD", LOW_MID,
       "Set up an AI-assisted new-product pipeline",
       "建立 AI 辅助的新品开发管线",
       "Next quarter, the product lead runs a monthly AI-assisted concept round, in which generated designs are "
       "screened against trend and review data, commits to a set number of launches and records any novel "
       "feature worth protecting. Measure new products launched, their share of revenue after 90 days and the "
       "number of invention disclosures. Tian (2025) cites a firm whose AI-generated design concepts led to "
       "several well-received launches and multiple patent filings (Song & Zhang, 2024).",
       "下季度由产品负责人每月组织一轮 AI 辅助的概念设计，用趋势和评论数据筛选 AI 生成的设计方案，承诺一定数量的新品"
       "上市，并记录值得保护的新颖特征。衡量新品上市数量、上市 90 天后的收入占比以及技术交底书数量。Tian（2025）援引的"
       "案例中，一家企业利用 AI 生成的设计概念推出了多款获得市场认可的新品，并提交了多项专利申请（Song & Zhang, 2024）。",
       "Tian (2025), Literature Review: high-quality development", "tian2025", dimension="HQD_inn", item="HQD3"),
    _r("HQD-INN-02", "HQD", MID_HIGH,
       "Protect and fund innovation",
       "保护创新成果，保障研发投入",
       "Next quarter, the R&D or product director sets a technology and R&D budget as a share of revenue and a "
       "filing plan: an IP agent reviews recent designs and AI-enabled processes for patents, design rights or "
       "software copyrights at home and in key markets. Measure filings submitted, technology and R&D spending as "
       "a share of revenue, and revenue from protected products. Xiang (2025) reports that firms investing more "
       "than 5% in technology kept reaping innovation dividends.",
       "下季度由研发或产品总监按收入比例确定技术与研发预算，并制定知识产权申请计划：由知识产权代理机构梳理近期的设计和 "
       "AI 赋能的流程，在国内及重点市场申请专利、外观设计或软件著作权。衡量已提交的申请数量、技术与研发投入占收入的"
       "比例以及受保护产品带来的收入。Xiang（2025）指出，技术投入超过 5% 的企业能够持续享有创新红利。",
       "Xiang (2025), Abstract (findings)", "xiang2025", dimension="HQD_inn", item="HQD4"),
    _r("HQD-SUS-01", "HQD", LOW_MID,
       "Switch top products to eco-friendly packaging",
       "重点商品改用环保包装",
       "Next quarter, the packaging or operations lead moves the 20 highest-volume SKUs to recyclable, right-sized "
       "packaging and, where the warehouse system allows, lets AI choose the carton size for each order. Measure "
       "the share of shipments in eco-friendly packaging, packaging cost per order and the damage rate. Tian "
       "(2025) counts green packaging and a lower carbon footprint as the sustainability side of high-quality "
       "development, citing a firm that cut carbon emissions by 15% with AI-optimised routes and packaging "
       "(Wu, 2025).",
       "下季度由包装或运营负责人将出货量最大的 20 个 SKU 改用可回收、尺寸合适的包装，仓储系统支持时由 AI 为每个订单选择"
       "箱型。衡量环保包装的出货占比、每单包装成本和破损率。Tian（2025）将绿色包装和降低碳足迹视为高质量发展的可持续"
       "维度，并援引一家企业借助 AI 优化物流路线和包装方案、使碳排放减少 15% 的案例（Wu, 2025）。",
       "Tian (2025), Literature Review: high-quality development", "tian2025", dimension="HQD_sus", item="HQD5"),
    _r("HQD-SUS-02", "HQD", ALL_BANDS,
       "Measure and cut shipping carbon",
       "核算并降低物流碳排放",
       "Next quarter, the logistics specialist and finance set a carbon baseline for outbound shipping from "
       "carrier data, then tackle the largest sources by consolidating loads, moving suitable volume from air to "
       "sea or rail and optimising routes. Measure kilograms of CO2 per order against the baseline and the cost "
       "change that came with it. Xiang (2025) reviews studies finding that the supply-chain changes "
       "brought by cross-border e-commerce suit green policies and carbon-emission requirements, and calls for "
       "institutional support for green trade.",
       "下季度由物流专员会同财务部门，依据承运商数据建立出口物流的碳排放基线，再针对最大的排放源采取合并装载、将合适的"
       "货量由空运转为海运或铁路、优化运输路线等措施。衡量每单二氧化碳排放量（千克）相对基线的变化以及随之发生的成本"
       "变化。Xiang（2025）综述的研究表明，跨境电商带来的供应链变革契合绿色政策和碳排放要求；该文还呼吁为绿色"
       "贸易提供制度支持。",
       "Xiang (2025), §2.2 Specific models of commodity trading and supply chain; §3 Conclusion", "xiang2025",
       dimension="HQD_sus", item="HQD6"),
)

RECOMMENDATION_BY_CODE: dict[str, Recommendation] = {r.code: r for r in RECOMMENDATIONS}
_INDEX: dict[str, int] = {r.code: i for i, r in enumerate(RECOMMENDATIONS)}


# ---- selection ------------------------------------------------------------------------------------

def _get(score, name: str, default=None):
    """A field of a FirmScore, or of its `as_dict()` form."""
    if isinstance(score, Mapping):
        return score.get(name, default)
    return getattr(score, name, default)


def _finite(value) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return 0.0
    return value if math.isfinite(value) else 0.0


def construct_order(priority: str | None, gains: Mapping[str, float], performance: Mapping[str, float]) -> list[str]:
    """Display order of constructs: the priority lever, the other antecedents by descending gain, then HQD.

    Ties (equal gains, e.g. all zero) go to the weaker performance first, then the instrument's order.
    """
    def key(code: str):
        return (code != priority, -_finite(gains.get(code)), _finite(performance.get(code, 0.0)), ANTECEDENTS.index(code))
    return sorted(ANTECEDENTS, key=key) + ["HQD"]


def _band_value(rec: Recommendation, performance: Mapping[str, float]) -> float | None:
    """The performance that decides whether `rec` applies: its HQD sub-score if given and known, else its construct's."""
    if rec.dimension is not None and performance.get(rec.dimension) is not None:
        return float(performance[rec.dimension])
    value = performance.get(rec.construct)
    return None if value is None else float(value)


def _weakness(rec: Recommendation, profile: FirmProfile, performance: Mapping[str, float]) -> float:
    """How weak the firm is on what `rec` works on, on 0–100: its item answer, else its sub-score, else its construct."""
    answer = profile.answer(rec.item) if rec.item else None
    if answer is not None:
        return (answer - 1.0) / 4.0 * 100.0
    value = _band_value(rec, performance)
    return 50.0 if value is None else value


def candidates(score, controls: Mapping | None = None) -> dict[str, list[Recommendation]]:
    """Every entry that fits the firm, per construct, best first.

    An entry fits when its construct's (or HQD sub-score's) band is one of its bands and its filters match
    the firm. Within a construct, entries on the firm's weaker items come first, then entries tailored to
    the firm (more filters), then catalogue order.
    """
    performance = _get(score, "performance") or {}
    profile = firm_profile(controls)
    out: dict[str, list[Recommendation]] = {code: [] for code in CONSTRUCT_CODES}
    for rec in RECOMMENDATIONS:
        value = _band_value(rec, performance)
        if value is None or not math.isfinite(value) or band_of(value) not in rec.band or not rec.applies_to(profile):
            continue
        out[rec.construct].append(rec)
    for recs in out.values():
        recs.sort(key=lambda r: (_weakness(r, profile, performance), -len(r.filters), _INDEX[r.code]))
    return out


def recommend(score, controls: Mapping | None = None, limit: int = 5) -> list[Recommendation]:
    """Up to `limit` actions for a scored firm, in display order.

    `score` is a FirmScore (or its `as_dict()`); `controls` is the firm's answers dict — its controls
    (firm_size, business_model, pilot_zone) and, if present, its item answers. Missing controls are
    unknown: entries limited to a size, business model or pilot-zone status are then left out.

    Selection: first one action for each lever (antecedent) with a positive expected gain, in display
    order; then the remaining slots breadth-first (first entries, then second entries, …) over the
    display order, leaving out levers whose gain is negative (raising them alone is expected to lower
    HQD at the firm's values); those come last, only if slots remain. The result is sorted by display
    order — the priority lever's construct, the other antecedents by descending gain, then HQD — and
    within a construct by the candidate order. Deterministic: same inputs, same list.
    """
    if limit <= 0:
        return []
    performance = _get(score, "performance") or {}
    gains = _get(score, "lever_gains") or {}
    order = construct_order(_get(score, "priority_lever"), gains, performance)
    rank = {code: i for i, code in enumerate(order)}
    pool = candidates(score, controls)
    positive = [c for c in order if c in ANTECEDENTS and _finite(gains.get(c)) > GAIN_EPS]
    negative = [c for c in order if c in ANTECEDENTS and _finite(gains.get(c)) < -GAIN_EPS]
    chosen: list[Recommendation] = []

    def take(rec: Recommendation) -> None:
        if len(chosen) < limit and rec not in chosen:
            chosen.append(rec)

    for code in positive:
        if pool[code]:
            take(pool[code][0])
    for group in ([c for c in order if c not in negative], negative):
        depth = max((len(pool[c]) for c in group), default=0)
        for k in range(depth):
            for code in group:
                if k < len(pool[code]):
                    take(pool[code][k])
    position = {id(r): (rank[r.construct], pool[r.construct].index(r)) for r in chosen}
    return sorted(chosen, key=lambda r: position[id(r)])


# ---- documentation --------------------------------------------------------------------------------

def catalogue_markdown() -> str:
    """The catalogue as a Markdown table (docs/recommendations.md holds this exact text)."""
    lines = ["| code | construct | band | filters | title (English) | source |", "|---|---|---|---|---|---|"]
    for r in RECOMMENDATIONS:
        filters = ", ".join(f"{k}={v}" for k, v in r.filters.items()) or "—"
        construct = r.construct + (f" ({r.dimension})" if r.dimension else "")
        lines.append(f"| {r.code} | {construct} | {', '.join(r.band)} | {filters} | {r.title_en} | {r.source} |")
    return "\n".join(lines) + "\n"
