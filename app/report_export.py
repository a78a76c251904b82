"""A firm's results as a downloadable report: a self-contained HTML page and a PDF, in English or Chinese.

Both carry the same content as the results page — benchmark line (the synthetic cohort always labelled),
the firm's controls, scores and percentiles, expected vs actual HQD, θ, levers, every chart with its
one-line reading, and the recommendations with their sources. Pure functions: no Streamlit.

The HTML embeds plotly.js inline once, so the file opens offline and loads nothing from the network.
The PDF draws its charts natively with reportlab.graphics; the readings under them come from the
`app.charts` builders, so the sentences are the page's own. Chinese uses the Adobe CID font
STSong-Light, which PDF viewers supply themselves (no font file is embedded or needed).
"""
from __future__ import annotations

import html
import io
import math
from datetime import date

import numpy as np
import plotly.graph_objects as go
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cbec_core.instrument import ANTECEDENTS, CONSTRUCT_CODES, REGION_LABELS
from cbec_core.model import FittedModel
from cbec_core.moderation import theta as theta_fn
from cbec_core.population import ALL
from cbec_core.recommendations import recommend
from cbec_core.reference import SYNTHETIC_LABEL
from cbec_core.scores import performance
from cbec_core.scoring import FirmScore

from .charts import PALETTE, expected_chart, ipma_chart, peer_levels, radar_chart, scores_chart, theta_surface_chart
from .i18n import STRINGS, construct_name, control_label, t

CONTROL_ORDER = ("firm_size", "firm_age", "region", "business_model", "pilot_zone", "province", "zone")
CJK_FONT = "STSong-Light"
LATIN, LATIN_BOLD = "Helvetica", "Helvetica-Bold"
BOLD_STYLES = {"title", "h2", "h3", "cellhead", "bannerhead"}



def readings(score: FirmScore, fitted: FittedModel, lang: str) -> dict[str, str]:
    """Each results chart's one-line reading, from the very builders the page and the HTML report use."""
    return {
        "scores": scores_chart(score, lang)[1],
        "radar": radar_chart(score, fitted, lang)[1],
        "expected": expected_chart(score, lang)[1],
        "theta": theta_surface_chart(score, fitted, lang)[1],
        "ipma": ipma_chart(score, lang)[1],
    }


# ---- content shared by both formats --------------------------------------------------------------

def segment_label(segment: str, lang: str) -> str:
    """A peer segment key ('region=east', 'pilot_zone=1', 'all') in words."""
    if segment == ALL:
        return t("segment_all", lang)
    dim, _, value = segment.partition("=")
    if dim == "region":
        value = _pick(REGION_LABELS.get(value), lang, value)
    elif dim == "pilot_zone":
        value = t("yes" if value == "1" else "no", lang)
    elif dim == "size_band":
        value = f"{value} ({control_label('firm_size', lang)})" if lang != "zh" else f"{value}（{control_label('firm_size', lang)}）"
    name = t(f"segment_{dim}", lang) if f"segment_{dim}" in STRINGS else dim
    return f"{name}: {value}" if lang != "zh" else f"{name}：{value}"


def _pick(pair, lang: str, default: str) -> str:
    if not pair:
        return default
    return pair[1] if lang == "zh" else pair[0]


def control_rows(answers: dict, lang: str) -> list[tuple[str, str]]:
    """The firm's controls as (label, value) in words; an unanswered control says so."""
    rows = []
    for key in CONTROL_ORDER:
        value = answers.get(key)
        if key in ("province", "zone") and (value is None or str(value).strip() == ""):
            continue  # optional fields are listed only when given
        if value is None or (isinstance(value, str) and not value.strip()):
            text = t("report_not_given", lang)
        elif key == "region":
            text = _pick(REGION_LABELS.get(str(value)), lang, str(value))
        elif key == "pilot_zone":
            try:
                text = t("yes" if int(value) == 1 else "no", lang)
            except (TypeError, ValueError):
                text = str(value)
        elif key in ("firm_size", "firm_age"):
            try:
                number = float(value)
                text = f"{number:.0f}" if number == int(number) else f"{number:g}"
            except (TypeError, ValueError):
                text = str(value)
        else:
            text = str(value)
        rows.append((control_label(key, lang), text))
    return rows


def score_table(score: FirmScore, lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows: construct, score 1–5, 0–100, percentile among all firms (and in the peer segment)."""
    header = [t("report_construct", lang), t("report_score_5", lang), t("score_100", lang), t("report_pct_all", lang)]
    seg = score.segment_percentiles
    if seg:
        header.append(t("report_pct_segment", lang, segment=segment_label(score.segment, lang)))
    rows = []
    for code in score.scores:
        row = [construct_name(code, lang), f"{score.scores[code]:.2f}", f"{score.performance[code]:.0f}",
               f"{score.percentiles[code]:.0f}"]
        if seg:
            row.append(f"{seg[code]:.0f}")
        rows.append(row)
    return header, rows


def expected_rows(score: FirmScore, lang: str) -> list[tuple[str, str]]:
    lo, hi = score.hqd_pi
    return [
        (t("report_expected_dc", lang), f"{score.dc_expected:.2f}"),
        (t("report_expected_hqd", lang), f"{score.hqd_expected:.2f}"),
        (t("pi", lang), f"{lo:.2f} – {hi:.2f}"),
        (t("report_actual_hqd", lang), f"{score.scores['HQD']:.2f}"),
        (t("report_gap", lang), f"{score.hqd_gap:+.2f}"),
    ]


def theta_line(score: FirmScore, lang: str) -> str:
    if score.theta_ci is None:
        return t("report_theta_line_no_ci", lang, theta=score.theta)
    lo, hi = score.theta_ci
    return t("report_theta_line", lang, theta=score.theta, lo=lo, hi=hi)


def lever_table(score: FirmScore, lang: str) -> tuple[list[str], list[list[str]]]:
    header = [t("report_lever", lang), t("report_importance", lang), t("report_current", lang), t("report_target", lang), t("report_gain", lang)]
    rows = []
    for code in ANTECEDENTS:
        name = construct_name(code, lang)
        if code == score.priority_lever:
            name += f" ({t('report_priority_mark', lang)})" if lang != "zh" else f"（{t('report_priority_mark', lang)}）"
        rows.append([name, f"{score.importance[code]:.3f}", f"{score.scores[code]:.2f}", f"{score.lever_targets[code]:.2f}",
                     f"{score.lever_gains[code]:+.3f}"])
    return header, rows


def priority_line(score: FirmScore, lang: str) -> str:
    if score.priority_lever is None:
        return t("chart_ipma_reading_none", lang)
    return t("report_priority", lang, lever=construct_name(score.priority_lever, lang))


def benchmark_line(fitted: FittedModel, lang: str) -> str:
    return t("benchmark_real", lang, label=fitted.label or "—", n=fitted.n_used, date=fitted.settings.get("fitted_at", "") or "—")


def recommendation_items(score: FirmScore, answers: dict, lang: str) -> list[tuple[str, str, str]]:
    """(heading, action, source line) per recommendation."""
    out = []
    for rec in recommend(score, answers):
        heading = f"{construct_name(rec.construct, lang)} · {rec.title(lang)}"
        out.append((heading, rec.action(lang), f"{t('source', lang)}: {rec.source}"))
    return out


# ---- HTML ----------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC","Hiragino Sans GB",
"Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif;color:#1d2630;max-width:980px;margin:0 auto;padding:24px;line-height:1.5}
h1{font-size:1.7em;margin:0 0 4px}h2{font-size:1.25em;margin:28px 0 8px;border-bottom:2px solid #e3e8ee;padding-bottom:4px}
.meta{color:#5b6670;margin:0 0 12px}
.synthetic{background:#fff4ce;border:2px solid #e0a800;color:#5c4300;padding:12px 16px;border-radius:6px;margin:12px 0}
.synthetic strong{display:block;font-size:1.1em}
.benchmark{background:#eef4fb;border-left:4px solid #1f77b4;padding:8px 12px;margin:12px 0}
table{border-collapse:collapse;margin:8px 0;width:100%}th,td{border:1px solid #d5dbe1;padding:5px 8px;text-align:left}
th{background:#f2f5f8}td.num{text-align:right;font-variant-numeric:tabular-nums}tr.priority td{font-weight:600;background:#fdecec}
table.kv{width:auto}table.kv th{font-weight:normal;color:#3d4852}
.chart{margin:18px 0;page-break-inside:avoid;break-inside:avoid}.reading{margin:4px 0 0;color:#30404f;font-style:italic}
.rec{border:1px solid #d5dbe1;border-radius:6px;padding:10px 14px;margin:10px 0;page-break-inside:avoid}
.rec h3{margin:0 0 6px;font-size:1.05em}.rec .source{color:#5b6670;font-size:.9em;margin:6px 0 0}
footer{margin-top:32px;color:#5b6670;font-size:.85em;border-top:1px solid #e3e8ee;padding-top:8px}
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _kv_table(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th scope=\"row\">{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f"<table class=\"kv\">{body}</table>"


def _grid_table(header: list[str], rows: list[list[str]], priority_row: int | None = None) -> str:
    head = "".join(f"<th scope=\"col\">{_e(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cells = f"<td>{_e(row[0])}</td>" + "".join(f"<td class=\"num\">{_e(v)}</td>" for v in row[1:])
        cls = " class=\"priority\"" if i == priority_row else ""
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _synthetic_html(lang: str) -> str:
    return (f"<div class=\"synthetic\" role=\"alert\"><strong>⚠ {_e(SYNTHETIC_LABEL[lang])}</strong>"
            f"{_e(t('synthetic_banner', lang))}</div>")


def html_report(score: FirmScore, fitted: FittedModel, answers: dict, charts: dict[str, tuple[go.Figure, str]], lang: str,
                *, when: date | None = None) -> bytes:
    """The results as one self-contained UTF-8 HTML page (plotly.js inline once; no network access when opened)."""
    when = when or date.today()
    title = t("report_title", lang)
    parts = [
        "<!DOCTYPE html>",
        f"<html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{_e(title)}</h1><p class=\"meta\">{_e(t('report_generated', lang, date=when.isoformat()))}</p>",
    ]
    if fitted.synthetic:
        parts.append(_synthetic_html(lang))
    else:
        parts.append(f"<p class=\"benchmark\">{_e(benchmark_line(fitted, lang))}</p>")
    parts.append(f"<p>{_e(t('report_peers', lang, segment=segment_label(score.segment, lang)))}</p>")
    if score.segment_note:
        parts.append(f"<p class=\"meta\">{_e(score.segment_note)}</p>")
    parts.append("</header><main>")

    parts.append(f"<section><h2>{_e(t('controls', lang))}</h2>{_kv_table(control_rows(answers, lang))}</section>")
    header, rows = score_table(score, lang)
    parts.append(f"<section><h2>{_e(t('report_standing', lang))}</h2>{_grid_table(header, rows)}</section>")
    parts.append(f"<section><h2>{_e(t('chart_expected_title', lang))}</h2>{_kv_table(expected_rows(score, lang))}</section>")
    parts.append(f"<section><h2>{_e(t('report_theta_title', lang))}</h2><p>{_e(theta_line(score, lang))}</p></section>")
    header, rows = lever_table(score, lang)
    prio = ANTECEDENTS.index(score.priority_lever) if score.priority_lever in ANTECEDENTS else None
    parts.append(f"<section><h2>{_e(t('report_levers_title', lang))}</h2>{_grid_table(header, rows, prio)}"
                 f"<p><strong>{_e(priority_line(score, lang))}</strong></p></section>")

    parts.append(f"<section><h2>{_e(t('report_charts', lang))}</h2>")
    config = {"displaylogo": False, "responsive": True}
    for i, (key, (figure, reading)) in enumerate(charts.items()):
        div = figure.to_html(full_html=False, include_plotlyjs=(i == 0), config=config, div_id=f"chart-{_e(key)}")
        parts.append(f"<figure class=\"chart\" id=\"figure-{_e(key)}\">{div}<figcaption class=\"reading\">{_e(reading)}</figcaption></figure>")
    parts.append("</section>")

    recs = recommendation_items(score, answers, lang)
    parts.append(f"<section><h2>{_e(t('recommendations', lang))}</h2>")
    if not recs:
        parts.append(f"<p>{_e(t('report_no_recs', lang))}</p>")
    for heading, action, source in recs:
        parts.append(f"<article class=\"rec\"><h3>{_e(heading)}</h3><p>{_e(action)}</p><p class=\"source\">{_e(source)}</p></article>")
    parts.append("</section></main>")

    foot = _e(t("report_footer", lang))
    if fitted.synthetic:
        foot += f" · <strong>{_e(SYNTHETIC_LABEL[lang])}</strong>"
    parts.append(f"<footer>{foot}</footer></body></html>")
    return "\n".join(parts).encode("utf-8")


# ---- PDF -----------------------------------------------------------------------------------------

def _fonts(lang: str) -> tuple[str, str]:
    """(regular, bold) font names; Chinese uses the CID font STSong-Light (no font file needed)."""
    if lang == "zh":
        if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
        return CJK_FONT, CJK_FONT
    return "Helvetica", "Helvetica-Bold"


def _hex(color: str) -> colors.Color:
    return colors.HexColor(color)


YOU, MEDIAN, TOP, RED = _hex(PALETTE["you"]), _hex(PALETTE["median"]), _hex(PALETTE["top"]), _hex("#d62728")
GRID, INK, MUTED = _hex("#d5dbe1"), _hex("#1d2630"), _hex("#5b6670")
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


def _runs(text: str, font: str, latin_font: str = LATIN) -> list[tuple[str, str]]:
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


def _text(x, y, text, font, size=8, anchor="start", color=INK):
    """A String, or a Group of Strings when a Chinese label mixes in Latin runs."""
    runs = _runs(text, font)
    if len(runs) == 1:
        return String(x, y, text, fontName=runs[0][0], fontSize=size, textAnchor=anchor, fillColor=color)
    widths = [pdfmetrics.stringWidth(chunk, f, size) for f, chunk in runs]
    start = x - {"start": 0, "middle": sum(widths) / 2, "end": sum(widths)}[anchor]
    group = Group()
    for (f, chunk), w in zip(runs, widths):
        group.add(String(start, y, chunk, fontName=f, fontSize=size, textAnchor="start", fillColor=color))
        start += w
    return group


def _rotated(x, y, text, font, size, angle) -> Group:
    g = Group(_text(0, 0, text, font, size, "end"))
    a = math.radians(angle)
    g.transform = (math.cos(a), math.sin(a), -math.sin(a), math.cos(a), x, y)
    return g


def _scores_drawing(score: FirmScore, lang: str, font: str) -> Drawing:
    codes = list(score.scores)
    pct = score.segment_percentiles or score.percentiles
    d = Drawing(WIDTH, 215)
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


def _radar_drawing(score: FirmScore, fitted: FittedModel, lang: str, font: str) -> Drawing:
    median, top = peer_levels(fitted, score.segment)
    d = Drawing(WIDTH, 240)
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


def _expected_drawing(score: FirmScore, lang: str, font: str) -> Drawing:
    d = Drawing(WIDTH, 120)
    x0, x1 = 150, WIDTH - 20
    y_exp, y_act, y_axis = 82, 45, 22

    def sx(v):
        return x0 + (x1 - x0) * (min(5.0, max(1.0, v)) - 1) / 4

    lo, hi = score.hqd_pi
    d.add(Rect(sx(lo), y_axis + 6, sx(hi) - sx(lo), y_exp - y_axis + 8, fillColor=_hex("#dbe8f4"), strokeColor=None))
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


def _theta_drawing(score: FirmScore, fitted: FittedModel, lang: str, font: str) -> Drawing:
    """θ(IO, LSC) seen from above as a heat map, the firm's own point marked (the page shows it as a surface)."""
    steps = 17
    grid = np.linspace(1, 5, steps)
    w, z = np.meshgrid(grid - fitted.means["W"], grid - fitted.means["Z"], indexing="xy")
    med, out = fitted.mediator, fitted.outcome
    surface = theta_fn(med["A"], med["A:W"], out["M"], out["M:Z"], w, z)  # rows: LSC, columns: IO
    lo, hi = float(surface.min()), float(surface.max())
    span = hi - lo if hi > lo else 1.0
    d = Drawing(WIDTH, 230)
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
    lw = sum(pdfmetrics.stringWidth(chunk, f, 7.5) for f, chunk in _runs(label, font))
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


def _ipma_drawing(score: FirmScore, lang: str, font: str) -> Drawing:
    codes = list(ANTECEDENTS)
    imp = [score.importance[c] for c in codes]
    lo, hi = min(0.0, min(imp)), max(imp)
    hi = lo + 1.0 if hi <= lo else hi + 0.15 * (hi - lo)
    d = Drawing(WIDTH, 230)
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
        half = sum(pdfmetrics.stringWidth(chunk, f, 8) for f, chunk in _runs(name, font)) / 2
        ly = y + 9
        while any(x - half < bx1 and x + half > bx0 and ly < by1 and ly + 9 > by0 for bx0, by0, bx1, by1 in placed):
            ly += 10
        placed.append((x - half, ly, x + half, ly + 9))
        d.add(_text(x, ly, name, font, 8, "middle"))
    return d


def _styles(lang: str) -> dict[str, ParagraphStyle]:
    regular, bold = _fonts(lang)
    wrap = "CJK" if lang == "zh" else None
    base = dict(fontName=regular, fontSize=9.5, leading=13.5, alignment=TA_LEFT, wordWrap=wrap, textColor=INK)
    return {
        "title": ParagraphStyle("title", **{**base, "fontName": bold, "fontSize": 18, "leading": 23, "spaceAfter": 2}),
        "h2": ParagraphStyle("h2", **{**base, "fontName": bold, "fontSize": 12.5, "leading": 16, "spaceBefore": 10, "spaceAfter": 5}),
        "h3": ParagraphStyle("h3", **{**base, "fontName": bold, "fontSize": 10.5, "leading": 14, "spaceBefore": 6, "spaceAfter": 2}),
        "body": ParagraphStyle("body", **base),
        "meta": ParagraphStyle("meta", **{**base, "textColor": MUTED, "fontSize": 8.5, "leading": 12}),
        "cell": ParagraphStyle("cell", **{**base, "fontSize": 8.5, "leading": 11}),
        "cellhead": ParagraphStyle("cellhead", **{**base, "fontName": bold, "fontSize": 8.5, "leading": 11}),
        "reading": ParagraphStyle("reading", **{**base, "fontSize": 9, "leading": 12.5, "textColor": _hex("#30404f"),
                                                "leftIndent": 6, "spaceAfter": 8}),
        "banner": ParagraphStyle("banner", **{**base, "textColor": _hex("#5c4300"), "fontSize": 9, "leading": 12.5}),
        "bannerhead": ParagraphStyle("bannerhead", **{**base, "fontName": bold, "textColor": _hex("#5c4300"), "fontSize": 11,
                                                      "leading": 14}),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped for reportlab's markup); Chinese gets its Latin runs in Helvetica."""
    latin = LATIN_BOLD if style.name in BOLD_STYLES else LATIN
    markup = "".join(html.escape(chunk, quote=False) if f == CJK_FONT or style.fontName != CJK_FONT
                     else f'<font name="{f}">{html.escape(chunk, quote=False)}</font>'
                     for f, chunk in _runs(str(text), style.fontName, latin))
    return Paragraph(markup, style)


def _pdf_grid(header: list[str], rows: list[list[str]], st: dict, widths: list[float], highlight: int | None = None) -> Table:
    data = [[_p(h, st["cellhead"]) for h in header]] + [[_p(v, st["cell"]) for v in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), _hex("#f2f5f8")),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    if highlight is not None:
        style.append(("BACKGROUND", (0, highlight + 1), (-1, highlight + 1), _hex("#fdecec")))
    table.setStyle(TableStyle(style))
    return table


def _pdf_kv(rows: list[tuple[str, str]], st: dict, widths=(200, 200)) -> Table:
    table = Table([[_p(k, st["cell"]), _p(v, st["cell"])] for k, v in rows], colWidths=list(widths), hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (0, -1), _hex("#f7f9fb")),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return table


def _banner(lang: str, st: dict, width: float) -> Table:
    table = Table([[[_p(SYNTHETIC_LABEL[lang], st["bannerhead"]),
                     _p(t("synthetic_banner", lang), st["banner"])]]], colWidths=[width])
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), _hex("#fff4ce")), ("BOX", (0, 0), (-1, -1), 1.5, _hex("#e0a800")),
                               ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                               ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return table


def pdf_report(score: FirmScore, fitted: FittedModel, answers: dict, lang: str, *, when: date | None = None) -> bytes:
    """The results as an A4 PDF with natively drawn charts; Chinese text in STSong-Light."""
    when = when or date.today()
    st = _styles(lang)
    regular, _ = _fonts(lang)
    margin = 18 * mm
    width = A4[0] - 2 * margin
    buffer = io.BytesIO()
    title = t("report_title", lang)
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin + 8,
                            title=title, author="cbec-benchmark", subject=SYNTHETIC_LABEL[lang] if fitted.synthetic else title,
                            lang="zh-CN" if lang == "zh" else "en")
    def draw(canvas, x, y, text, color, right=False):
        runs = _runs(text, regular)
        if right:
            x -= sum(pdfmetrics.stringWidth(chunk, f, 7.5) for f, chunk in runs)
        canvas.setFillColor(color)
        for f, chunk in runs:
            canvas.setFont(f, 7.5)
            canvas.drawString(x, y, chunk)
            x += pdfmetrics.stringWidth(chunk, f, 7.5)

    def on_page(canvas, document):
        canvas.saveState()
        draw(canvas, margin, margin - 8, t("report_footer", lang), MUTED)
        draw(canvas, A4[0] - margin, margin - 8, t("report_page", lang, n=document.page), MUTED, right=True)
        if fitted.synthetic:
            draw(canvas, margin, margin + 1, SYNTHETIC_LABEL[lang], _hex("#a06a00"))
        canvas.restoreState()

    story: list = [_p(title, st["title"]), _p(t("report_generated", lang, date=when.isoformat()), st["meta"]), Spacer(1, 6)]
    story.append(_banner(lang, st, width) if fitted.synthetic else _p(benchmark_line(fitted, lang), st["body"]))
    story.append(Spacer(1, 4))
    story.append(_p(t("report_peers", lang, segment=segment_label(score.segment, lang)), st["body"]))
    if score.segment_note:
        story.append(_p(score.segment_note, st["meta"]))

    story += [_p(t("controls", lang), st["h2"]), _pdf_kv(control_rows(answers, lang), st, (200, 220))]
    header, rows = score_table(score, lang)
    first = 150
    story += [_p(t("report_standing", lang), st["h2"]),
              _pdf_grid(header, rows, st, [first] + [(width - first) / (len(header) - 1)] * (len(header) - 1))]
    story += [_p(t("chart_expected_title", lang), st["h2"]), _pdf_kv(expected_rows(score, lang), st, (220, 120))]
    story += [_p(t("report_theta_title", lang), st["h2"]), _p(theta_line(score, lang), st["body"])]
    header, rows = lever_table(score, lang)
    prio = ANTECEDENTS.index(score.priority_lever) if score.priority_lever in ANTECEDENTS else None
    story += [_p(t("report_levers_title", lang), st["h2"]),
              _pdf_grid(header, rows, st, [150] + [(width - 150) / 4] * 4, prio), Spacer(1, 4),
              _p(priority_line(score, lang), st["h3"])]

    text = readings(score, fitted, lang)
    drawings = {
        "scores": (t("chart_scores_title", lang), _scores_drawing(score, lang, regular)),
        "radar": (t("chart_radar_title", lang), _radar_drawing(score, fitted, lang, regular)),
        "expected": (t("chart_expected_title", lang), _expected_drawing(score, lang, regular)),
        "theta": (t("chart_theta_title", lang), _theta_drawing(score, fitted, lang, regular)),
        "ipma": (t("chart_ipma_title", lang), _ipma_drawing(score, lang, regular)),
    }
    story.append(_p(t("report_charts", lang), st["h2"]))
    if fitted.synthetic:
        story.append(_p(SYNTHETIC_LABEL[lang], st["meta"]))
    for key, (chart_title, drawing) in drawings.items():
        story.append(KeepTogether([_p(chart_title, st["h3"]), drawing, _p(text[key], st["reading"])]))

    story.append(_p(t("recommendations", lang), st["h2"]))
    recs = recommendation_items(score, answers, lang)
    if not recs:
        story.append(_p(t("report_no_recs", lang), st["body"]))
    for heading, action, source in recs:
        story.append(KeepTogether([_p(heading, st["h3"]), _p(action, st["body"]), _p(source, st["meta"]), Spacer(1, 4)]))

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
