"""What the workshop pages share: short-TTL cached queries, the join link and its QR code, the cohort charts and exports.

Chart and export builders take data and return data (no Streamlit), so the page and the HTML report draw
the very same charts. Figures come only from `cbec_core.cohort`, which enforces the 5-firm rule.
"""
from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import urlencode, urlsplit, urlunsplit

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import qrcode
import streamlit as st
from qrcode.image.svg import SvgPathImage

from cbec_core.cohort import CohortSummary, cohort_summary, expected_line, published_cohort, shared_rows
from cbec_core.instrument import CONSTRUCT_CODES
from cbec_core.model import FittedModel
from cbec_core.reference import SYNTHETIC_LABEL
from db.assessments import workshop_history
from db.files import xlsx_bytes
from db.workshops import WorkshopInfo, close_workshop, find_workshop

from .charts import LAYOUT, PALETTE
from .i18n import construct_name, t
from .state import load_fit

JOIN_PATH = "workshop_join"  # the join page's url_path in app/dashboard.py
LIVE_REFRESH_S = 10  # the live view's fragment reruns this often; the queries below are cached for 5 s
CACHE_TTL_S = 5


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def cohort_records(workshop_id: int) -> pd.DataFrame:
    """A workshop's assessments in saving order (its history), shared by every session for CACHE_TTL_S seconds."""
    return workshop_history(workshop_id)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def workshop_by_code(code: str) -> WorkshopInfo:
    """A workshop's name and times by join code, shared by every session for CACHE_TTL_S seconds."""
    return find_workshop(code)


def close_now(workshop_id: int) -> None:
    """Close a workshop and forget its cached times, so every live view shows it closed at its next refresh."""
    close_workshop(workshop_id)
    workshop_by_code.clear()


def join_link(code: str, page_url: str | None) -> str:
    """The join page's address with the code; absolute when the current page's URL is known, else relative."""
    query = urlencode({"code": code})
    if page_url:
        parts = urlsplit(page_url)
        if parts.scheme and parts.netloc:
            base = parts.path.rsplit("/", 1)[0] if "/" in parts.path else ""
            return urlunsplit((parts.scheme, parts.netloc, f"{base}/{JOIN_PATH}", query, ""))
    return f"{JOIN_PATH}?{query}"


def current_url() -> str | None:
    """The browser's URL of this page (st.context.url), or None when Streamlit cannot tell."""
    try:
        return getattr(st.context, "url", None) or None
    except Exception:  # noqa: BLE001 - no browser context (tests, bare runs)
        return None


def qr_svg(text: str, size_px: int = 240) -> str:
    """A QR code of `text` as an SVG document (qrcode's pure-Python SVG factory: no Pillow, no PyPNG)."""
    image = qrcode.make(text, image_factory=SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'width="[^"]*" height="[^"]*"', f'width="{size_px}" height="{size_px}"', svg, count=1)
    # a white background, so the code scans on a dark theme too
    return re.sub(r"(<svg[^>]*>)", r'\1<rect width="100%" height="100%" fill="#ffffff"/>', svg, count=1)


# ---- charts -------------------------------------------------------------------------------------

def _axis_name(code: str, lang: str) -> str:
    """A construct's name for a category axis, over two lines when long, so five fit side by side unrotated."""
    name = construct_name(code, lang)
    return name.replace(" ", "<br>", 1) if len(name) > 12 else name


def distributions_chart(summary: CohortSummary, lang: str) -> tuple[go.Figure, str]:
    """The cohort's construct scores: boxes from its quartiles and 10th/90th percentiles from 10 firms (never a
    firm's own minimum or maximum), else each construct's mean with its 95% CI."""
    fig = go.Figure()
    names = [_axis_name(code, lang) for code in CONSTRUCT_CODES]
    d = summary.distributions
    if summary.ordered:
        for code, name in zip(CONSTRUCT_CODES, names):
            fig.add_trace(go.Box(name=name, x=[name], q1=[d[code]["q1"]], median=[d[code]["median"]], q3=[d[code]["q3"]],
                                 lowerfence=[d[code]["p10"]], upperfence=[d[code]["p90"]], mean=[d[code]["mean"]],
                                 marker_color=PALETTE["you"], showlegend=False))
    else:
        mean = np.array([d[c]["mean"] for c in CONSTRUCT_CODES])
        fig.add_trace(go.Scatter(x=names, y=mean, mode="markers", name=t("ws_dist_mean", lang),
                                 marker=dict(symbol="diamond", size=12, color=PALETTE["you"]),
                                 error_y=dict(type="data", symmetric=False,
                                              array=[d[c]["ci_hi"] - d[c]["mean"] for c in CONSTRUCT_CODES],
                                              arrayminus=[d[c]["mean"] - d[c]["ci_lo"] for c in CONSTRUCT_CODES])))
    fig.update_layout(title=t("ws_dist_title", lang), yaxis=dict(range=[1, 5], title="1–5"), xaxis=dict(tickangle=0),
                      **{**LAYOUT, "height": 340})
    stat = "median" if summary.ordered else "mean"
    return fig, t("ws_dist_reading" if summary.ordered else "ws_dist_reading_mean", lang,
                  aigc=d["AIGC"][stat], hqd=d["HQD"][stat])


def plane_chart(summary: CohortSummary, fitted: FittedModel, lang: str) -> tuple[go.Figure, str]:
    """The cohort's firms as anonymous dots on AIGC × HQD, with the model's expected line."""
    line = expected_line(fitted)
    points = summary.points
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=line["AIGC"], y=line["HQD_expected"], mode="lines", name=t("ws_expected_line", lang),
                             line=dict(color=PALETTE["median"], width=3), hoverinfo="skip"))
    stacked = points.value_counts(["AIGC", "HQD"]).rename("firms").reset_index()  # firms on the same spot: one bigger dot
    fig.add_trace(go.Scatter(x=stacked["AIGC"], y=stacked["HQD"], mode="markers", name=t("ws_firms", lang),
                             marker=dict(size=9 + 5 * np.sqrt(stacked["firms"]), color=PALETTE["you"], opacity=0.7),
                             hoverinfo="skip"))
    fig.update_layout(title=t("ws_plane_title", lang), xaxis=dict(range=[0.9, 5.1], title=construct_name("AIGC", lang)),
                      yaxis=dict(range=[0.9, 5.1], title=construct_name("HQD", lang)), **LAYOUT)
    on_line = np.interp(points["AIGC"].to_numpy(), line["AIGC"].to_numpy(), line["HQD_expected"].to_numpy())
    above = int((points["HQD"].to_numpy() > on_line).sum())
    return fig, t("ws_plane_reading", lang, above=above, n=summary.n)


def lever_chart(summary: CohortSummary, lang: str) -> tuple[go.Figure, str]:
    """How many firms have each antecedent as their priority lever; the most common highlighted."""
    codes = list(summary.lever_counts)
    colors = ["#d62728" if c == summary.top_lever else PALETTE["you"] for c in codes]
    fig = go.Figure(go.Bar(x=[construct_name(c, lang) for c in codes], y=[summary.lever_counts[c] for c in codes],
                           marker_color=colors, hoverinfo="skip"))
    fig.update_layout(title=t("ws_lever_title", lang), yaxis=dict(title=t("ws_firms", lang)), **{**LAYOUT, "height": 300})
    if summary.top_lever is None:
        return fig, t("ws_lever_none", lang)
    return fig, t("ws_lever_reading", lang, lever=construct_name(summary.top_lever, lang),
                  count=summary.lever_counts[summary.top_lever], n=summary.n, share=summary.top_lever_share)


def benchmark_compare_chart(summary: CohortSummary, lang: str) -> tuple[go.Figure, str]:
    """Cohort median beside the benchmark median (with its interquartile range) per construct."""
    b = summary.benchmark
    names = [_axis_name(c, lang) for c in b["construct"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=names, y=b["benchmark_median"], name=t("ws_bench_benchmark", lang), marker_color=PALETTE["median"],
                         error_y=dict(type="data", symmetric=False, array=b["benchmark_q3"] - b["benchmark_median"],
                                      arrayminus=b["benchmark_median"] - b["benchmark_q1"])))
    fig.add_trace(go.Bar(x=names, y=b["cohort_value"], name=t("ws_bench_cohort" if summary.ordered else "ws_bench_cohort_mean", lang),
                         marker_color=PALETTE["you"]))
    fig.update_layout(title=t("ws_bench_title", lang), barmode="group", yaxis=dict(range=[1, 5], title="1–5"),
                      xaxis=dict(tickangle=0), **LAYOUT)
    above = int((b["cohort_value"] > b["benchmark_median"]).sum())
    return fig, t("ws_bench_reading", lang, above=above)


def cohort_charts(summary: CohortSummary, fitted: FittedModel, lang: str) -> dict[str, tuple[go.Figure, str]]:
    """Every cohort chart in page order (empty for a suppressed cohort; the firms' dots from 10 firms only)."""
    if summary.suppressed:
        return {}
    charts = {"distributions": distributions_chart(summary, lang)}
    if summary.ordered:
        charts["plane"] = plane_chart(summary, fitted, lang)
    return charts | {"lever": lever_chart(summary, lang), "benchmark": benchmark_compare_chart(summary, lang)}


def summarise(records: pd.DataFrame, fitted: FittedModel) -> CohortSummary:
    """The cohort's published figures (its last step of 5 new firms, `cbec_core.cohort.published_cohort`)
    against the whole benchmark population."""
    return cohort_summary(published_cohort(records), fitted.distributions["all"]["scores"])


def live_cohort(workshop_id: int, fit_id: int, lang: str) -> tuple[CohortSummary, dict[str, tuple[go.Figure, str]]]:
    """The cohort's summary and charts against fit `fit_id`: the records come from the 5-second cache, and the
    charts are built once per distinct cohort and shared by every live view, so more viewers cost nothing more."""
    records = cohort_records(workshop_id)
    return _cohort_view(int(pd.util.hash_pandas_object(records, index=False).sum()), fit_id, lang, records)


@st.cache_resource(max_entries=64, show_spinner=False)
def _cohort_view(records_hash: int, fit_id: int, lang: str, _records: pd.DataFrame
                 ) -> tuple[CohortSummary, dict[str, tuple[go.Figure, str]]]:
    """The summary and charts of one cohort (identified by `records_hash`); shared read-only by every session."""
    fitted = load_fit(fit_id)
    summary = summarise(_records, fitted)
    return summary, cohort_charts(summary, fitted, lang)


# ---- exports ------------------------------------------------------------------------------------

def benchmark_label(fitted: FittedModel, lang: str) -> str:
    """What the benchmark is, for exports: the synthetic cohort always named as such."""
    if fitted.synthetic:
        return SYNTHETIC_LABEL[lang]
    return t("benchmark_real", lang, label=fitted.label or "—", n=fitted.n_used, date=fitted.settings.get("fitted_at", ""))


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
    """The cohort's figures as one self-contained HTML page (plotly.js inline once); the count only if suppressed."""
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
    config = {"displaylogo": False, "responsive": True}
    for i, (key, (figure, reading)) in enumerate(cohort_charts(summary, fitted, lang).items()):
        div = figure.to_html(full_html=False, include_plotlyjs=(i == 0), config=config, div_id=f"chart-{key}")
        parts.append(f"<figure>{div}<figcaption>{e(reading)}</figcaption></figure>")
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")
