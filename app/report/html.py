"""A firm's results as one self-contained HTML page: plotly.js packed inline once (plotly_js), so the file opens offline."""
from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date

import plotly.graph_objects as go

from cbec_core.instrument import ANTECEDENTS
from cbec_core.model import FittedModel
from cbec_core.reference import SYNTHETIC_LABEL
from cbec_core.scoring import FirmScore

from ..i18n import t
from .content import (answers_section, benchmark_line, control_rows, expected_rows, lever_table, priority_line,
                      recommendation_items, score_table, segment_label, theta_line, whatif_section)
from .plotly_js import chart_html, loader_html

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC","Hiragino Sans GB",
"Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif;color:#1d2630;max-width:980px;margin:0 auto;padding:24px;line-height:1.5}
h1{font-size:1.7em;margin:0 0 4px}h2{font-size:1.25em;margin:28px 0 8px;border-bottom:2px solid #e3e8ee;padding-bottom:4px}
.meta{color:#5b6670;margin:0 0 12px}
.key{font-size:1.1em;background:#eefaf0;border-left:4px solid #2ca02c;padding:8px 12px;margin:12px 0}
.warn{background:#fff4ce;border-left:4px solid #e0a800;padding:6px 12px}
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
                *, when: date | None = None, firm_key: str | None = None, saved_at: str | None = None,
                whatif: Mapping[str, float] | None = None) -> bytes:
    """The results as one self-contained UTF-8 HTML page (plotly.js packed inline once; no network access when opened).

    `firm_key` once saved, `saved_at` (the assessment's local time, for a report rebuilt from history) and `whatif`
    (the moved levers, `content.moved_levers`) add their lines and section when given.
    """
    when = when or date.today()
    title = t("report_title", lang)
    parts = [
        "<!DOCTYPE html>",
        f"<html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{_e(title)}</h1><p class=\"meta\">{_e(t('report_generated', lang, date=when.isoformat()))}</p>",
    ]
    if saved_at:
        parts.append(f"<p class=\"meta\">{_e(t('report_saved_at', lang, when=saved_at))}</p>")
    if firm_key:
        parts.append(f"<p class=\"key\">{_e(t('report_firm_key', lang, key=firm_key))}</p>")
    if fitted.synthetic:
        parts.append(_synthetic_html(lang))
    else:
        parts.append(f"<p class=\"benchmark\">{_e(benchmark_line(fitted, lang))}</p>")
    parts.append(f"<p>{_e(t('report_peers', lang, segment=segment_label(score.segment, lang)))}</p>")
    if score.segment_note:
        parts.append(f"<p class=\"meta\">{_e(score.segment_note)}</p>")
    parts.append("</header><main>")

    parts.append(f"<section><h2>{_e(t('controls', lang))}</h2>{_kv_table(control_rows(answers, lang))}</section>")
    mode, header, rows = answers_section(answers, lang)
    parts.append(f"<section id=\"answers\"><h2>{_e(t('report_answers_title', lang))}</h2><p>{_e(mode)}</p>"
                 f"{_grid_table(header, rows)}</section>")
    header, rows = score_table(score, lang)
    parts.append(f"<section><h2>{_e(t('report_standing', lang))}</h2>{_grid_table(header, rows)}</section>")
    parts.append(f"<section><h2>{_e(t('chart_expected_title', lang))}</h2>{_kv_table(expected_rows(score, lang))}</section>")
    parts.append(f"<section><h2>{_e(t('report_theta_title', lang))}</h2><p>{_e(theta_line(score, lang))}</p></section>")
    header, rows = lever_table(score, lang)
    prio = ANTECEDENTS.index(score.priority_lever) if score.priority_lever in ANTECEDENTS else None
    parts.append(f"<section><h2>{_e(t('report_levers_title', lang))}</h2>{_grid_table(header, rows, prio)}"
                 f"<p><strong>{_e(priority_line(score, lang))}</strong></p></section>")
    scenario = whatif_section(score, fitted, whatif or {}, lang)
    if scenario:
        header, rows, warning = scenario
        note = f"<p class=\"warn\">{_e(warning)}</p>" if warning else ""
        parts.append(f"<section id=\"whatif\"><h2>{_e(t('whatif_title', lang))}</h2><p>{_e(t('report_whatif_intro', lang))}</p>"
                     f"{_grid_table(header, rows)}{note}</section>")

    parts.append(f"<section><h2>{_e(t('report_charts', lang))}</h2>")
    for key, (figure, reading) in charts.items():
        div = chart_html(figure, f"chart-{key}")
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
    parts.append(f"<footer>{foot}</footer>{loader_html(t('report_charts_need_browser', lang))}</body></html>")
    return "\n".join(parts).encode("utf-8")
