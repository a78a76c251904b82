"""Fonts and colours of the PDF: Chinese in Noto Sans CJK SC, embedded (reportlab subsets it per document), English in Helvetica.

The font file (app/report/fonts, SIL Open Font License) installs with the package, so a reader without any Asian
font pack still sees characters, not boxes; it covers Latin letters and digits too, so a mixed line needs one font.
"""
from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..charts.firm import PALETTE

CJK_FONT = "NotoSansSC"
CJK_FONT_FILE = Path(__file__).with_name("fonts") / "NotoSansSC-Regular.ttf"


def fonts(lang: str) -> tuple[str, str]:
    """(regular, bold) font names; Chinese uses the embedded Noto Sans CJK SC for both."""
    if lang == "zh":
        if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(CJK_FONT, str(CJK_FONT_FILE)))
        return CJK_FONT, CJK_FONT
    return "Helvetica", "Helvetica-Bold"


def hex_color(color: str) -> colors.Color:
    return colors.HexColor(color)


YOU, MEDIAN, TOP, RED = hex_color(PALETTE["you"]), hex_color(PALETTE["median"]), hex_color(PALETTE["top"]), hex_color("#d62728")
GRID, INK, MUTED = hex_color("#d5dbe1"), hex_color("#1d2630"), hex_color("#5b6670")
WIDTH = 480  # drawing width in points (A4 frame is ~490 pt wide at 18 mm margins)
