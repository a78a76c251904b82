"""A workshop cohort's charts: score distributions, the AIGC × HQD plane, priority levers, cohort vs benchmark.

Builders take data and return (figure, reading) (no Streamlit), so the live view and the HTML export draw the
very same charts. Figures come only from `cbec_core.cohort`, which enforces the 5-firm rule.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cbec_core.cohort import CohortSummary, expected_line
from cbec_core.instrument import CONSTRUCT_CODES
from cbec_core.model import FittedModel

from ..i18n import construct_name, t
from .firm import LAYOUT, PALETTE


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