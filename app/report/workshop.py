"""A workshop cohort's exports: anonymised XLSX and a self-contained HTML page; nothing under the 5-firm rule."""
from __future__ import annotations

import html
from datetime import date

import pandas as pd

from cbec_core.cohort import CohortSummary, shared_rows
from cbec_core.instrument import CONSTRUCT_CODES
from cbec_core.model import FittedModel
from cbec_core.reference import SYNTHETIC_LABEL
from db.files import xlsx_bytes

from ..charts.workshop import cohort_charts
from ..i18n import construct_name, t
from ..ui.workshop import summarise
from .content import benchmark_line
from .plotly_js import chart_html, loader_html


def benchmark_label(fitted: FittedModel, lang: str) -> str:
    """What the benchmark is, for exports: the synthetic cohort always named as such."""
    if fitted.synthetic:
        return SYNTHETIC_LABEL[lang]
    return benchmark_line(fitted, lang)


def summary_table(summary: CohortSummary, lang: str) -> pd.DataFrame:
    """The cohort's published figures per construct, labelled and rounded: n, mean with 95% CI, and from 10 firms
    the 10th percentile, quartiles and 90th percentile."""
    stats = ["mean", "ci_lo", "ci_hi"] + (["p10", "q1", "median", "q3", "p90"] if summary.ordered else [])
    rows = [{t("ws_col_construct", lang): construct_name(code, lang), t("ws_col_n", lang): summary.n,
             **{t(f"ws_col_{s}", lang): round(summary.distributions[code][s], 2) for s in stats}} for code in CONSTRUCT_CODES]
    return pd.DataFrame(rows)


def cohort_xlsx(records: pd.DataFrame, name: str, fitted: FittedModel, lang: str) -> bytes | None:
    """The workshop's export: the cohort's published figures (sheet 'cohort'), the rows participants chose to share,
    k-anonymous (sheet 'shared rows', when there are any), and what they are (sheet 'about').

    None under the 5-firm rule: nothing leaves a cohort of fewer than five firms.
    """
    summary = summarise(records, fitted)
    if summary.suppressed:
        return None
    shared = shared_rows(records)
    about = pd.DataFrame({"": [t("ws_about_workshop", lang), t("ws_about_firms", lang), t("ws_about_benchmark", lang), ""],
                          " ": [name, summary.n, benchmark_label(fitted, lang), t("ws_about_rows", lang)]})
    sheets = {t("ws_summary_sheet", lang): summary_table(summary, lang)}
    if not shared.empty:
        sheets[t("ws_shared_sheet", lang)] = shared
    return xlsx_bytes(sheets | {t("ws_about_sheet", lang): about})


_CSS = ("body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#1b1f24}"
        ".synthetic{background:#fff4ce;border:1px solid #e0b800;padding:.6em 1em;margin:1em 0}"
        "figcaption{color:#444;margin:.3em 0 1.5em}.meta{color:#666}")


def cohort_html(name: str, summary: CohortSummary, fitted: FittedModel, lang: str, *, when: date | None = None) -> bytes:
    """The cohort's figures as one self-contained HTML page (plotly.js packed inline once); the count only if suppressed."""
    when = when or date.today()
    e = html.escape
    title = t("ws_report_title", lang, name=name)
    parts = ["<!DOCTYPE html>", f"<html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head><meta charset=\"utf-8\">",
             f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{e(title)}</h1><p class=\"meta\">{e(t('ws_report_generated', lang, date=when.isoformat(), n=summary.n))}</p>"]
    if fitted.synthetic:
        parts.append(f"<div class=\"synthetic\"><strong>⚠ {e(SYNTHETIC_LABEL[lang])}</strong> {e(t('synthetic_banner', lang))}</div>")
    if summary.suppressed:
        parts.append(f"<p>{e(t('ws_too_few', lang, min=5))}</p>")
    charts = cohort_charts(summary, fitted, lang)
    for key, (figure, reading) in charts.items():
        parts.append(f"<figure>{chart_html(figure, f'chart-{key}')}<figcaption>{e(reading)}</figcaption></figure>")
    if charts:
        parts.append(loader_html(t("report_charts_need_browser", lang)))
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")
