"""A firm's results as an A4 PDF, in English or Chinese, with the same content as the results page and the HTML report.

The charts are drawn natively with reportlab.graphics (pdf_charts); the readings under them come from the
`app.charts` builders, so the sentences are the page's own. Chinese text is set in Noto Sans CJK SC, embedded
(pdf_text), so it shows on a reader without any Asian font pack.
"""
from __future__ import annotations

import html
import io
from collections.abc import Mapping
from datetime import date

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cbec_core.instrument import ANTECEDENTS
from cbec_core.model import FittedModel
from cbec_core.reference import SYNTHETIC_LABEL
from cbec_core.scoring import FirmScore

from ..i18n import t
from .content import (answers_section, benchmark_line, control_rows, expected_rows, lever_table, priority_line, readings,
                      recommendation_items, score_table, segment_label, theta_line, whatif_section)
from .pdf_charts import expected_drawing, ipma_drawing, radar_drawing, scores_drawing, theta_drawing
from .pdf_text import GRID, INK, MUTED, fonts, hex_color


def _styles(lang: str) -> dict[str, ParagraphStyle]:
    regular, bold = fonts(lang)
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
        "reading": ParagraphStyle("reading", **{**base, "fontSize": 9, "leading": 12.5, "textColor": hex_color("#30404f"),
                                                "leftIndent": 6, "spaceAfter": 8}),
        "banner": ParagraphStyle("banner", **{**base, "textColor": hex_color("#5c4300"), "fontSize": 9, "leading": 12.5}),
        "bannerhead": ParagraphStyle("bannerhead", **{**base, "fontName": bold, "textColor": hex_color("#5c4300"), "fontSize": 11,
                                                      "leading": 14}),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped for reportlab's markup)."""
    return Paragraph(html.escape(str(text), quote=False), style)


def _pdf_grid(header: list[str], rows: list[list[str]], st: dict, widths: list[float], highlight: int | None = None) -> Table:
    data = [[_p(h, st["cellhead"]) for h in header]] + [[_p(v, st["cell"]) for v in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [("FONTNAME", (0, 0), (-1, -1), st["cell"].fontName), ("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), hex_color("#f2f5f8")),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    if highlight is not None:
        style.append(("BACKGROUND", (0, highlight + 1), (-1, highlight + 1), hex_color("#fdecec")))
    table.setStyle(TableStyle(style))
    return table


def _pdf_kv(rows: list[tuple[str, str]], st: dict, widths=(200, 200)) -> Table:
    table = Table([[_p(k, st["cell"]), _p(v, st["cell"])] for k, v in rows], colWidths=list(widths), hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st["cell"].fontName), ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                               ("BACKGROUND", (0, 0), (0, -1), hex_color("#f7f9fb")),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return table


def _banner(lang: str, st: dict, width: float) -> Table:
    table = Table([[[_p(SYNTHETIC_LABEL[lang], st["bannerhead"]),
                     _p(t("synthetic_banner", lang), st["banner"])]]], colWidths=[width])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st["banner"].fontName),
                               ("BACKGROUND", (0, 0), (-1, -1), hex_color("#fff4ce")), ("BOX", (0, 0), (-1, -1), 1.5, hex_color("#e0a800")),
                               ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                               ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return table


def pdf_report(score: FirmScore, fitted: FittedModel, answers: dict, lang: str, *, when: date | None = None,
               firm_key: str | None = None, saved_at: str | None = None, whatif: Mapping[str, float] | None = None) -> bytes:
    """The results as an A4 PDF with natively drawn charts; Chinese text in the embedded Noto Sans CJK SC.

    `firm_key`, `saved_at` and `whatif` as in `html.html_report`."""
    when = when or date.today()
    st = _styles(lang)
    regular, _ = fonts(lang)
    margin = 18 * mm
    width = A4[0] - 2 * margin
    buffer = io.BytesIO()
    title = t("report_title", lang)
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin + 8,
                            title=title, author="cbec-benchmark", subject=SYNTHETIC_LABEL[lang] if fitted.synthetic else title,
                            lang="zh-CN" if lang == "zh" else "en",
                            initialFontName=regular)  # so a Chinese PDF names no font it does not embed
    def draw(canvas, x, y, text, color, right=False):
        canvas.setFillColor(color)
        canvas.setFont(regular, 7.5)
        (canvas.drawRightString if right else canvas.drawString)(x, y, text)

    def on_page(canvas, document):
        canvas.saveState()
        draw(canvas, margin, margin - 8, t("report_footer", lang), MUTED)
        draw(canvas, A4[0] - margin, margin - 8, t("report_page", lang, n=document.page), MUTED, right=True)
        if fitted.synthetic:
            draw(canvas, margin, margin + 1, SYNTHETIC_LABEL[lang], hex_color("#a06a00"))
        canvas.restoreState()

    story: list = [_p(title, st["title"]), _p(t("report_generated", lang, date=when.isoformat()), st["meta"])]
    if saved_at:
        story.append(_p(t("report_saved_at", lang, when=saved_at), st["meta"]))
    if firm_key:
        story.append(_p(t("report_firm_key", lang, key=firm_key), st["h3"]))
    story.append(Spacer(1, 6))
    story.append(_banner(lang, st, width) if fitted.synthetic else _p(benchmark_line(fitted, lang), st["body"]))
    story.append(Spacer(1, 4))
    story.append(_p(t("report_peers", lang, segment=segment_label(score.segment, lang)), st["body"]))
    if score.segment_note:
        story.append(_p(score.segment_note, st["meta"]))

    story += [_p(t("controls", lang), st["h2"]), _pdf_kv(control_rows(answers, lang), st, (200, 220))]
    mode, header, rows = answers_section(answers, lang)
    story += [_p(t("report_answers_title", lang), st["h2"]), _p(mode, st["body"]), Spacer(1, 3),
              _pdf_grid(header, rows, st, [width - 70, 70])]
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
    scenario = whatif_section(score, fitted, whatif or {}, lang)
    if scenario:
        header, rows, warning = scenario
        story += [_p(t("whatif_title", lang), st["h2"]), _p(t("report_whatif_intro", lang), st["body"]), Spacer(1, 3),
                  _pdf_grid(header, rows, st, [width - 200, 90, 110])]
        if warning:
            story.append(_p(warning, st["h3"]))

    text = readings(score, fitted, lang)
    drawings = {
        "scores": (t("chart_scores_title", lang), scores_drawing(score, lang, regular)),
        "radar": (t("chart_radar_title", lang), radar_drawing(score, fitted, lang, regular)),
        "expected": (t("chart_expected_title", lang), expected_drawing(score, lang, regular)),
        "theta": (t("chart_theta_title", lang), theta_drawing(score, fitted, lang, regular)),
        "ipma": (t("chart_ipma_title", lang), ipma_drawing(score, lang, regular)),
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
