"""The bilingual survey instrument (MODEL.md §1) as data: constructs, items, dimensions, controls.

Everything that names a column lives here, so the rest of the package never spells an item name.
"""
from __future__ import annotations

from dataclasses import dataclass

LIKERT_MIN, LIKERT_MAX = 1, 5
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Item:
    """One 5-point Likert item: its column name, construct and wording in both languages."""

    column: str
    construct: str
    facet_en: str
    facet_zh: str
    text_en: str
    text_zh: str

    def text(self, lang: str = "en") -> str:
        return self.text_zh if lang == "zh" else self.text_en


@dataclass(frozen=True)
class Construct:
    """A latent construct with its role in the moderated-mediation model."""

    code: str
    role: str  # X, M, W, Z, Y
    name_en: str
    name_zh: str
    items: tuple[str, ...]

    def name(self, lang: str = "en") -> str:
        return self.name_zh if lang == "zh" else self.name_en


ITEMS: tuple[Item, ...] = (
    Item("AIGC1", "AIGC", "product selection", "选品",
         "We use AI to predict best-selling products.",
         "我们使用人工智能预测畅销产品。"),
    Item("AIGC2", "AIGC", "customer service", "客户服务",
         "AI chatbots handle over 30% of our customer inquiries.",
         "人工智能聊天机器人处理了我们 30% 以上的客户咨询。"),
    Item("AIGC3", "AIGC", "content generation", "内容生成",
         "AI creates our multilingual product descriptions.",
         "人工智能为我们生成多语种商品描述。"),
    Item("AIGC4", "AIGC", "supply-chain optimisation", "供应链优化",
         "AI forecasts our inventory demand.",
         "人工智能为我们预测库存需求。"),
    Item("DC1", "DC", "data analytics", "数据分析",
         "We rapidly analyse market trends using AI-generated insights.",
         "我们借助人工智能生成的洞察快速分析市场趋势。"),
    Item("DC2", "DC", "operational agility", "运营敏捷性",
         "We adjust pricing within 24 hours based on AI recommendations.",
         "我们根据人工智能的建议在 24 小时内调整定价。"),
    Item("DC3", "DC", "technology integration", "技术整合",
         "AIGC tools are fully embedded in our workflows.",
         "AIGC 工具已全面嵌入我们的工作流程。"),
    Item("IO1", "IO", "tax incentives", "税收优惠",
         "We benefit from tax incentives for cross-border e-commerce.",
         "我们享受到跨境电商相关的税收优惠。"),
    Item("IO2", "IO", "data-flow facilitation", "数据跨境流动便利",
         "Cross-border data-flow rules make it easy for us to use AI services.",
         "跨境数据流动规则便于我们使用人工智能服务。"),
    Item("IO3", "IO", "pilot-zone infrastructure", "综试区基础设施",
         "We can use the infrastructure of a cross-border e-commerce pilot zone.",
         "我们能够使用跨境电商综合试验区的基础设施。"),
    Item("LSC1", "LSC", "knowledge sharing", "知识共享",
         "We share knowledge with our suppliers frequently.",
         "我们与供应商频繁地共享知识。"),
    Item("LSC2", "LSC", "collaborative innovation", "协同创新",
         "We innovate jointly with our suppliers.",
         "我们与供应商开展协同创新。"),
    Item("LSC3", "LSC", "adaptive logistics", "适应性物流",
         "Our logistics adapts quickly to market changes.",
         "我们的物流能够快速适应市场变化。"),
    Item("HQD1", "HQD", "export growth", "出口增长",
         "Our export revenue has grown strongly over the past year.",
         "过去一年我们的出口收入增长强劲。"),
    Item("HQD2", "HQD", "profit margin", "利润率",
         "Our profit margin is high compared with our peers.",
         "与同行相比，我们的利润率较高。"),
    Item("HQD3", "HQD", "new products", "新产品",
         "We launch new products frequently.",
         "我们经常推出新产品。"),
    Item("HQD4", "HQD", "patents", "专利",
         "We file patents for our innovations.",
         "我们为自己的创新申请专利。"),
    Item("HQD5", "HQD", "eco-friendly packaging", "环保包装",
         "A large share of our packaging is eco-friendly.",
         "我们的包装中环保包装占比较高。"),
    Item("HQD6", "HQD", "carbon reduction", "碳减排",
         "We run carbon-reduction initiatives.",
         "我们开展了碳减排行动。"),
)

ITEM_BY_COLUMN: dict[str, Item] = {it.column: it for it in ITEMS}
ITEM_COLUMNS: tuple[str, ...] = tuple(it.column for it in ITEMS)


def _items_of(code: str) -> tuple[str, ...]:
    return tuple(it.column for it in ITEMS if it.construct == code)


CONSTRUCTS: tuple[Construct, ...] = (
    Construct("AIGC", "X", "AIGC adoption", "AIGC 采纳", _items_of("AIGC")),
    Construct("DC", "M", "Dynamic capabilities", "动态能力", _items_of("DC")),
    Construct("IO", "W", "Institutional openness", "制度开放", _items_of("IO")),
    Construct("LSC", "Z", "Learning-oriented supply chain", "学习型供应链", _items_of("LSC")),
    Construct("HQD", "Y", "High-quality development", "高质量发展", _items_of("HQD")),
)
CONSTRUCT_BY_CODE: dict[str, Construct] = {c.code: c for c in CONSTRUCTS}
CONSTRUCT_CODES: tuple[str, ...] = tuple(c.code for c in CONSTRUCTS)
ANTECEDENTS: tuple[str, ...] = ("AIGC", "DC", "IO", "LSC")


@dataclass(frozen=True)
class Dimension:
    """An HQD sub-score: the mean of two HQD items."""

    code: str
    name_en: str
    name_zh: str
    items: tuple[str, str]

    def name(self, lang: str = "en") -> str:
        return self.name_zh if lang == "zh" else self.name_en


HQD_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("HQD_fin", "Financial", "财务绩效", ("HQD1", "HQD2")),
    Dimension("HQD_inn", "Innovation", "创新", ("HQD3", "HQD4")),
    Dimension("HQD_sus", "Sustainability", "可持续性", ("HQD5", "HQD6")),
)

# Controls (MODEL.md §1). Categories are the exact strings a file must hold.
REGIONS: tuple[str, ...] = ("east", "central", "west")
BUSINESS_MODELS: tuple[str, ...] = ("B2B", "B2C")
CONTROL_COLUMNS: tuple[str, ...] = ("firm_size", "firm_age", "region", "business_model", "pilot_zone")
OPTIONAL_COLUMNS: tuple[str, ...] = ("firm_id", "province", "zone")

CONTROL_LABELS: dict[str, tuple[str, str]] = {
    "firm_size": ("Employees", "员工人数"),
    "firm_age": ("Years since founding", "成立年限"),
    "region": ("Region", "地区"),
    "business_model": ("Business model", "商业模式"),
    "pilot_zone": ("In a cross-border e-commerce pilot zone", "位于跨境电商综合试验区"),
    "province": ("Province", "省份"),
    "zone": ("Pilot-zone city", "综试区城市"),
}
REGION_LABELS: dict[str, tuple[str, str]] = {
    "east": ("East", "东部"), "central": ("Central", "中部"), "west": ("West", "西部"),
}

# Size bands for peer segments (employees); 50–200 is the paper's modal band.
SIZE_BANDS: tuple[tuple[str, int, float], ...] = (
    ("<50", 1, 49),
    ("50-200", 50, 200),
    ("201-1000", 201, 1000),
    (">1000", 1001, float("inf")),
)


def size_band(employees: float) -> str:
    """The size band label of a head count."""
    for label, lo, hi in SIZE_BANDS:
        if lo <= employees <= hi:
            return label
    return SIZE_BANDS[0][0]
