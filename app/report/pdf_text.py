"""Fonts and text runs for the PDF: Chinese in the CID font STSong-Light, Latin runs in the standard fonts."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from ..charts.firm import PALETTE

CJK_FONT = "STSong-Light"
LATIN, LATIN_BOLD = "Helvetica", "Helvetica-Bold"
BOLD_STYLES = {"title", "h2", "h3", "cellhead", "bannerhead"}


def fonts(lang: str) -> tuple[str, str]:
    """(regular, bold) font names; Chinese uses the CID font STSong-Light (no font file needed)."""
    if lang == "zh":
        if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
        return CJK_FONT, CJK_FONT
    return "Helvetica", "Helvetica-Bold"


def hex_color(color: str) -> colors.Color:
    return colors.HexColor(color)


YOU, MEDIAN, TOP, RED = hex_color(PALETTE["you"]), hex_color(PALETTE["median"]), hex_color(PALETTE["top"]), hex_color("#d62728")
GRID, INK, MUTED = hex_color("#d5dbe1"), hex_color("#1d2630"), hex_color("#5b6670")
WIDTH = 480  # drawing width in points (A4 frame is ~490 pt wide at 18 mm margins)


SYMBOLS = set("θ−≥≤±×")  # not in WinAnsi, but drawn by reportlab's Symbol-font fallback for the standard fonts


def _latin(ch: str) -> bool:
    if ch in SYMBOLS:
        return True
    try:
        ch.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def text_runs(text: str, font: str, latin_font: str = LATIN) -> list[tuple[str, str]]:
    """Chinese text as (font, chunk) runs: Latin letters, digits and punctuation in a standard font, the rest in the CJK font.

    Every viewer has the standard fonts; a viewer substituting STSong-Light with a CJK-only font would otherwise
    drop the digits and English words of a mixed sentence.
    """
    if font != CJK_FONT:
        return [(font, text)]
    runs: list[tuple[str, str]] = []
    for ch in text:
        f = latin_font if _latin(ch) else CJK_FONT
        if runs and runs[-1][0] == f:
            runs[-1] = (f, runs[-1][1] + ch)
        else:
            runs.append((f, ch))
    return runs
