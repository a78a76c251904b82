"""The results charts drawn natively for the PDF with reportlab.graphics (same data as the page's plotly charts)."""
from __future__ import annotations

import math

import numpy as np
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics

from cbec_core.instrument import ANTECEDENTS, CONSTRUCT_CODES
from cbec_core.model import FittedModel
from cbec_core.moderation import theta as theta_fn
from cbec_core.scores import performance
from cbec_core.scoring import FirmScore

from ..charts.firm import peer_levels
from ..i18n import construct_name, t
from .pdf_text import GRID, INK, MEDIAN, MUTED, RED, TOP, WIDTH, YOU, hex_color

def _text(x, y, text, font, size=8, anchor="start", color=INK) -> String:
    return String(x, y, text, fontName=font, fontSize=size, textAnchor=anchor, fillColor=color)


def _rotated(x, y, text, font, size, angle) -> Group:
    g = Group(_text(0, 0, text, font, size, "end"))
    a = math.radians(angle)
    g.transform = (math.cos(a), math.sin(a), -math.sin(a), math.cos(a), x, y)
    return g


def scores_drawing(score: FirmScore, lang: str, font: str) -> Drawing:
    codes = list(score.scores)
    pct = score.segment_percentiles or score.percentiles
    d = Drawing(WIDTH, 215, initialFontName=font)
    x0, y0, w, h = 40, 60, WIDTH - 50, 140
    for v in (0, 25, 50, 75, 100):
        y = y0 + h * v / 100
        d.add(Line(x0, y, x0 + w, y, strokeColor=GRID, strokeWidth=0.5))
        d.add(_text(x0 - 4, y - 3, str(v), font, 7, "end", MUTED))
    step = w / len(codes)
    bar = step * 0.6
    for i, code in enumerate(codes):
        cx = x0 + step * (i + 0.5)
        height = h * max(0.0, min(100.0, score.performance[code])) / 100
        d.add(Rect(cx - bar / 2, y0, bar, height, fillColor=YOU, strokeColor=None))
        d.add(_text(cx, y0 + height + 3, f"P{pct[code]:.0f}", font, 7.5, "middle"))
        d.add(_text(cx, y0 + height / 2 - 3, f"{score.performance[code]:.0f}", font, 7, "middle", colors.white)
              if height > 14 else _text(cx, y0 + height + 12, f"{score.performance[code]:.0f}", font, 7, "middle", MUTED))
        d.add(_rotated(cx + 3, y0 - 6, construct_name(code, lang), font, 7.5, 30))
    d.add(Line(x0, y0, x0 + w, y0, strokeColor=INK, strokeWidth=0.8))
    d.add(_rotated(10, y0 + h / 2 + 30, t("score_100", lang), font, 7.5, 90))
    return d


def radar_drawing(score: FirmScore, fitted: FittedModel, lang: str, font: str) -> Drawing:
    median, top = peer_levels(fitted, score.segment)
    d = Drawing(WIDTH, 240, initialFontName=font)
    cx, cy, r = 170, 118, 88
    n = len(CONSTRUCT_CODES)
    angles = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]

    def point(i, value):  # value on 0–100
        return cx + r * value / 100 * math.cos(angles[i]), cy + r * value / 100 * math.sin(angles[i])

    for ring in (25, 50, 75, 100):
        pts = [c for i in range(n) for c in point(i, ring)]
        d.add(Polygon(pts, fillColor=None, strokeColor=GRID, strokeWidth=0.5))
        if ring < 100:
            d.add(_text(cx + 3, cy + r * ring / 100 + 1, str(ring), font, 6, "start", MUTED))
    for i, code in enumerate(CONSTRUCT_CODES):
        x, y = point(i, 100)
        d.add(Line(cx, cy, x, y, strokeColor=GRID, strokeWidth=0.5))
        lx, ly = point(i, 114)
        anchor = "middle" if abs(lx - cx) < 5 else ("start" if lx > cx else "end")
        d.add(_text(lx, ly - 3, construct_name(code, lang), font, 8, anchor))
    series = ((t("peer_top", lang), top, TOP, None), (t("peer_median", lang), median, MEDIAN, None),
              (t("you", lang), score.scores, YOU, colors.Color(YOU.red, YOU.green, YOU.blue, alpha=0.25)))
    for k, (name, values, color, fill) in enumerate(series):
        pts = [c for i, code in enumerate(CONSTRUCT_CODES) for c in point(i, float(performance(values[code])))]
        d.add(Polygon(pts, fillColor=fill, strokeColor=color, strokeWidth=1.6 if fill else 1.2))
        ly = 170 - 16 * k
        d.add(Line(330, ly + 3, 350, ly + 3, strokeColor=color, strokeWidth=2))
        d.add(_text(355, ly, name, font, 8))
    return d


def expected_drawing(score: FirmScore, lang: str, font: str) -> Drawing:
    d = Drawing(WIDTH, 120, initialFontName=font)
    x0, x1 = 150, WIDTH - 20
    y_exp, y_act, y_axis = 82, 45, 22

    def sx(v):
        return x0 + (x1 - x0) * (min(5.0, max(1.0, v)) - 1) / 4

    lo, hi = score.hqd_pi
    d.add(Rect(sx(lo), y_axis + 6, sx(hi) - sx(lo), y_exp - y_axis + 8, fillColor=hex_color("#dbe8f4"), strokeColor=None))
    for v in (1, 2, 3, 4, 5):
        d.add(Line(sx(v), y_axis, sx(v), y_exp + 14, strokeColor=GRID, strokeWidth=0.5))
        d.add(_text(sx(v), y_axis - 10, str(v), font, 7, "middle", MUTED))
    d.add(Line(x0, y_axis, x1, y_axis, strokeColor=INK, strokeWidth=0.8))
    d.add(_text((x0 + x1) / 2, 0, "HQD (1–5)", font, 7.5, "middle", MUTED))
    # expected, with the 95% prediction interval as an error bar
    d.add(Line(sx(lo), y_exp, sx(hi), y_exp, strokeColor=MEDIAN, strokeWidth=1.5))
    for v in (lo, hi):
        d.add(Line(sx(v), y_exp - 5, sx(v), y_exp + 5, strokeColor=MEDIAN, strokeWidth=1.5))
    d.add(Circle(sx(score.hqd_expected), y_exp, 5, fillColor=MEDIAN, strokeColor=None))
    d.add(_text(sx(score.hqd_expected), y_exp + 9, f"{score.hqd_expected:.2f}  [{lo:.2f}, {hi:.2f}]", font, 7, "middle"))
    actual = score.scores["HQD"]
    x = sx(actual)
    d.add(Polygon([x, y_act + 7, x + 6, y_act, x, y_act - 7, x - 6, y_act], fillColor=YOU, strokeColor=None))
    d.add(_text(x, y_act + 10, f"{actual:.2f} ({score.hqd_gap:+.2f})", font, 7, "middle"))
    d.add(_text(x0 - 8, y_exp - 3, t("expected", lang), font, 8, "end"))
    d.add(_text(x0 - 8, y_exp - 13, t("pi", lang), font, 6.5, "end", MUTED))
    d.add(_text(x0 - 8, y_act - 3, t("actual", lang), font, 8, "end"))
    return d


def _blues(u: float) -> colors.Color:
    """Light to dark blue for u in [0, 1]."""
    a, b = (0.94, 0.96, 1.0), (0.03, 0.19, 0.42)
    return colors.Color(*(p + (q - p) * u for p, q in zip(a, b)))


def theta_drawing(score: FirmScore, fitted: FittedModel, lang: str, font: str) -> Drawing:
    """θ(IO, LSC) seen from above as a heat map, the firm's own point marked (the page shows it as a surface)."""
    steps = 17
    grid = np.linspace(1, 5, steps)
    w, z = np.meshgrid(grid - fitted.means["W"], grid - fitted.means["Z"], indexing="xy")
    med, out = fitted.mediator, fitted.outcome
    surface = theta_fn(med["A"], med["A:W"], out["M"], out["M:Z"], w, z)  # rows: LSC, columns: IO
    lo, hi = float(surface.min()), float(surface.max())
    span = hi - lo if hi > lo else 1.0
    d = Drawing(WIDTH, 230, initialFontName=font)
    x0, y0, size = 150, 40, 170
    cell = size / steps
    for j in range(steps):
        for i in range(steps):
            d.add(Rect(x0 + i * cell, y0 + j * cell, cell + 0.3, cell + 0.3, fillColor=_blues((surface[j, i] - lo) / span),
                       strokeColor=None))
    d.add(Rect(x0, y0, size, size, fillColor=None, strokeColor=INK, strokeWidth=0.6))
    for v in (1, 2, 3, 4, 5):
        p = (v - 1) / 4 * (size - cell) + cell / 2
        d.add(_text(x0 + p, y0 - 10, str(v), font, 7, "middle", MUTED))
        d.add(_text(x0 - 4, y0 + p - 3, str(v), font, 7, "end", MUTED))
    d.add(_text(x0 + size / 2, y0 - 24, construct_name("IO", lang), font, 8, "middle"))
    d.add(_rotated(x0 - 22, y0 + size / 2 + 40, construct_name("LSC", lang), font, 8, 90))
    fx = x0 + (score.scores["IO"] - 1) / 4 * (size - cell) + cell / 2
    fy = y0 + (score.scores["LSC"] - 1) / 4 * (size - cell) + cell / 2
    d.add(Circle(fx, fy, 5, fillColor=RED, strokeColor=colors.white, strokeWidth=1))
    label = f"{t('you', lang)}: θ = {score.theta:.3f}"
    right = fx < x0 + size / 2
    lw = pdfmetrics.stringWidth(label, font, 7.5)
    lx = fx + 8 if right else fx - 8 - lw
    d.add(Rect(lx - 2, fy - 5, lw + 4, 11, fillColor=colors.Color(1, 1, 1, alpha=0.85), strokeColor=None))
    d.add(_text(lx, fy - 3, label, font, 7.5))
    # colour bar
    bx = x0 + size + 24
    for k in range(20):
        d.add(Rect(bx, y0 + k * size / 20, 12, size / 20 + 0.3, fillColor=_blues(k / 19), strokeColor=None))
    d.add(_text(bx + 16, y0, f"{lo:.3f}", font, 7, "start", MUTED))
    d.add(_text(bx + 16, y0 + size - 7, f"{hi:.3f}", font, 7, "start", MUTED))
    d.add(_text(bx + 16, y0 + size / 2, "θ", font, 9))
    d.add(_text(bx, y0 + size + 8, t("theta_axis", lang), font, 7, "start", MUTED))
    return d


def _ticks(lo: float, hi: float) -> list[float]:
    raw = (hi - lo) / 4
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.ceil(lo / step) * step
    return [start + k * step for k in range(int((hi - start) / step + 1e-9) + 1)]


def ipma_drawing(score: FirmScore, lang: str, font: str) -> Drawing:
    codes = list(ANTECEDENTS)
    imp = [score.importance[c] for c in codes]
    lo, hi = min(0.0, min(imp)), max(imp)
    hi = lo + 1.0 if hi <= lo else hi + 0.15 * (hi - lo)
    d = Drawing(WIDTH, 230, initialFontName=font)
    x0, y0, w, h = 50, 40, WIDTH - 70, 170

    def sx(v):
        return x0 + w * (v - lo) / (hi - lo)

    def sy(v):
        return y0 + h * max(0.0, min(105.0, v)) / 105

    for v in (0, 25, 50, 75, 100):
        d.add(Line(x0, sy(v), x0 + w, sy(v), strokeColor=GRID, strokeWidth=0.5))
        d.add(_text(x0 - 4, sy(v) - 3, str(v), font, 7, "end", MUTED))
    for v in _ticks(lo, hi):
        d.add(Line(sx(v), y0, sx(v), y0 + h, strokeColor=GRID, strokeWidth=0.5))
        d.add(_text(sx(v), y0 - 10, f"{v:.2f}", font, 7, "middle", MUTED))
    d.add(PolyLine([x0, y0 + h, x0, y0, x0 + w, y0], strokeColor=INK, strokeWidth=0.8))
    d.add(_text(x0 + w / 2, y0 - 24, t("importance_axis", lang), font, 8, "middle"))
    d.add(_rotated(12, y0 + h / 2 + 30, t("score_100", lang), font, 8, 90))
    placed: list[tuple[float, float, float, float]] = []  # label boxes, so coinciding points' labels stack
    for code in sorted(codes, key=lambda c: (score.performance[c], score.importance[c])):
        x, y = sx(score.importance[code]), sy(score.performance[code])
        d.add(Circle(x, y, 6, fillColor=RED if code == score.priority_lever else YOU, strokeColor=None))
        name = construct_name(code, lang)
        half = pdfmetrics.stringWidth(name, font, 8) / 2
        ly = y + 9
        while any(x - half < bx1 and x + half > bx0 and ly < by1 and ly + 9 > by0 for bx0, by0, bx1, by1 in placed):
            ly += 10
        placed.append((x - half, ly, x + half, ly + 9))
        d.add(_text(x, ly, name, font, 8, "middle"))
    return d
