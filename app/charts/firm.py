"""Plotly chart builders for a firm's results. Each returns the figure and its one-line reading.

Builders take data (a FirmScore, a FittedModel) and return data (a Figure and a sentence); they never
touch Streamlit, so the report export draws the very same charts.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cbec_core.instrument import ANTECEDENTS, CONSTRUCT_CODES
from cbec_core.model import FittedModel
from cbec_core.moderation import theta
from cbec_core.population import quantile
from cbec_core.scores import performance
from cbec_core.scoring import FirmScore

from ..i18n import N_, construct_name, t

PALETTE = {"you": "#1f77b4", "median": "#9aa5b1", "top": "#2ca02c", "band": "rgba(31,119,180,0.15)"}
LAYOUT = dict(margin=dict(l=40, r=20, t=50, b=40), height=380, font=dict(size=13), legend=dict(orientation="h", y=-0.15))


def scores_chart(score: FirmScore, lang: str) -> tuple[go.Figure, str]:
    """Bars of the 0–100 performance per construct and HQD sub-score, labelled with the percentile rank."""
    codes = list(score.scores)
    pct = score.segment_percentiles or score.percentiles
    fig = go.Figure(go.Bar(
        x=[construct_name(c, lang) for c in codes], y=[score.performance[c] for c in codes],
        text=[f"P{pct[c]:.0f}" for c in codes], textposition="outside", marker_color=PALETTE["you"],
        hovertemplate="%{x}: %{y:.0f}/100, " + t("percentile", lang) + " %{text}<extra></extra>"))
    fig.update_layout(title=t("chart_scores_title", lang), yaxis=dict(title=t("score_100", lang), range=[0, 110]), **LAYOUT)
    main = [c for c in CONSTRUCT_CODES if c in pct]
    best, worst = max(main, key=pct.get), min(main, key=pct.get)
    return fig, t("chart_scores_reading", lang, best=construct_name(best, lang), best_pct=pct[best],
                  worst=construct_name(worst, lang), worst_pct=pct[worst])


def peer_levels(fitted: FittedModel, segment: str) -> tuple[dict[str, float], dict[str, float]]:
    """Median and top-quartile score (1–5) of each construct in a benchmark segment."""
    dist = fitted.distributions[segment]["scores"]
    return ({c: quantile(dist[c], 0.5) for c in CONSTRUCT_CODES}, {c: quantile(dist[c], 0.75) for c in CONSTRUCT_CODES})


def radar_chart(score: FirmScore, fitted: FittedModel, lang: str) -> tuple[go.Figure, str]:
    """The firm against its peer segment's median and top quartile, on the 0–100 scale."""
    median, top = peer_levels(fitted, score.segment)
    labels = [construct_name(c, lang) for c in CONSTRUCT_CODES]
    fig = go.Figure()
    for name, values, color in ((t("peer_top", lang), top, PALETTE["top"]), (t("peer_median", lang), median, PALETTE["median"]),
                                (t("you", lang), score.scores, PALETTE["you"])):
        r = [float(performance(values[c])) for c in CONSTRUCT_CODES]
        fig.add_trace(go.Scatterpolar(r=r + r[:1], theta=labels + labels[:1], name=name, line_color=color,
                                      fill="toself" if name == t("you", lang) else None, opacity=0.8))
    fig.update_layout(title=t("chart_radar_title", lang), polar=dict(radialaxis=dict(range=[0, 100])), **LAYOUT)
    above = sum(score.scores[c] >= median[c] for c in CONSTRUCT_CODES)
    in_top = sum(score.scores[c] >= top[c] for c in CONSTRUCT_CODES)
    return fig, t("chart_radar_reading", lang, above=above, top=in_top)


def expected_chart(score: FirmScore, lang: str) -> tuple[go.Figure, str]:
    """Expected HQD with its 95% prediction interval beside the firm's actual HQD."""
    lo, hi = score.hqd_pi
    actual = score.scores["HQD"]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[score.hqd_expected], y=[t("expected", lang)], mode="markers", marker=dict(size=14, color=PALETTE["median"]),
                             error_x=dict(type="data", symmetric=False, array=[hi - score.hqd_expected], arrayminus=[score.hqd_expected - lo]),
                             name=t("pi", lang)))
    fig.add_trace(go.Scatter(x=[actual], y=[t("actual", lang)], mode="markers", marker=dict(size=16, color=PALETTE["you"], symbol="diamond"),
                             name=t("actual", lang)))
    fig.update_layout(title=t("chart_expected_title", lang), xaxis=dict(range=[1, 5], title=t("axis_scale", lang, name=construct_name("HQD", lang))), **{**LAYOUT, "height": 260})
    inside = lo <= actual <= hi
    if inside:
        key = N_("chart_expected_reading_over") if score.hqd_gap >= 0 else N_("chart_expected_reading_under")
    else:
        key = N_("chart_expected_reading_outside_over") if score.hqd_gap >= 0 else N_("chart_expected_reading_outside_under")
    return fig, t(key, lang, gap=score.hqd_gap)


def theta_contour(fitted: FittedModel, axis_title: str) -> tuple[go.Figure, np.ndarray]:
    """θ(w, z) over IO × LSC on the 1–5 scale as a contour map (and the surface's values), for both θ charts.

    A contour map reads more exactly than a 3D surface and draws without WebGL.
    """
    grid = np.linspace(1, 5, 41)
    w, z = np.meshgrid(grid - fitted.means["W"], grid - fitted.means["Z"], indexing="xy")
    med, out = fitted.mediator, fitted.outcome
    surface = theta(med["A"], med["A:W"], out["M"], out["M:Z"], w, z)
    fig = go.Figure(go.Contour(x=grid, y=grid, z=surface, colorscale="Blues", contours=dict(showlabels=True),
                               colorbar=dict(title=axis_title, title_side="right"),
                               hovertemplate="IO %{x:.2f}, LSC %{y:.2f}: θ = %{z:.3f}<extra></extra>"))
    return fig, surface


def theta_surface_chart(score: FirmScore, fitted: FittedModel, lang: str) -> tuple[go.Figure, str]:
    """The surface θ(w, z) over IO × LSC with the firm's own point marked."""
    fig, _ = theta_contour(fitted, t("theta_axis", lang))
    fig.add_trace(go.Scatter(x=[score.scores["IO"]], y=[score.scores["LSC"]], mode="markers+text", text=[t("you", lang)],
                             textposition="top center", marker=dict(size=14, color="#d62728", symbol="x"), name=t("you", lang)))
    fig.update_layout(title=t("chart_theta_title", lang), xaxis_title=construct_name("IO", lang),
                      yaxis_title=construct_name("LSC", lang), **{**LAYOUT, "height": 440})
    lo, hi = score.theta_ci or (float("nan"), float("nan"))
    return fig, t("chart_theta_reading", lang, theta=score.theta, lo=lo, hi=hi)


def ipma_chart(score: FirmScore, lang: str) -> tuple[go.Figure, str]:
    """Importance (HQD gain per point) against performance (0–100) of the four antecedents."""
    codes = list(ANTECEDENTS)
    colors = ["#d62728" if c == score.priority_lever else PALETTE["you"] for c in codes]
    fig = go.Figure(go.Scatter(
        x=[score.importance[c] for c in codes], y=[score.performance[c] for c in codes], mode="markers+text",
        text=[construct_name(c, lang) for c in codes], textposition="top center", marker=dict(size=16, color=colors)))
    fig.update_layout(title=t("chart_ipma_title", lang), xaxis_title=t("importance_axis", lang),
                      yaxis=dict(title=t("score_100", lang), range=[0, 105]), **LAYOUT)
    if score.priority_lever is None:
        return fig, t("chart_ipma_reading_none", lang)
    lever = score.priority_lever
    return fig, t("chart_ipma_reading", lang, lever=construct_name(lever, lang), target=score.lever_targets[lever],
                  gain=score.lever_gains[lever])


def benchmark_chart(fitted: FittedModel, lang: str) -> tuple[go.Figure, str]:
    """The benchmark population's construct scores as box plots (quartiles from the stored counts)."""
    dist = fitted.distributions["all"]["scores"]
    fig = go.Figure()
    for c in CONSTRUCT_CODES:
        q = {k: quantile(dist[c], p) for k, p in (("q1", 0.25), ("median", 0.5), ("q3", 0.75), ("lo", 0.0), ("hi", 1.0))}
        name = construct_name(c, lang)  # x=[name]: precomputed boxes otherwise all stack at x = 0
        fig.add_trace(go.Box(name=name, x=[name], q1=[q["q1"]], median=[q["median"]], q3=[q["q3"]],
                             lowerfence=[q["lo"]], upperfence=[q["hi"]], marker_color=PALETTE["median"], showlegend=False))
    fig.update_layout(title=t("chart_benchmark_title", lang, n=fitted.n_used), yaxis=dict(range=[1, 5], title="1–5"),
                      **{**LAYOUT, "height": 300})
    med = {c: quantile(dist[c], 0.5) for c in CONSTRUCT_CODES}
    return fig, t("chart_benchmark_reading", lang, aigc=med["AIGC"], hqd=med["HQD"], n=fitted.n_used)


def results_charts(score: FirmScore, fitted: FittedModel, lang: str) -> dict[str, tuple[go.Figure, str]]:
    """Every results chart in page order, for the page and for the reports."""
    return {
        "scores": scores_chart(score, lang),
        "radar": radar_chart(score, fitted, lang),
        "expected": expected_chart(score, lang),
        "theta": theta_surface_chart(score, fitted, lang),
        "ipma": ipma_chart(score, lang),
    }
