"""Plotly chart builders for a firm's results. Each returns the figure and its one-line reading.

Builders take data (a FirmScore, a FittedModel) and return data (a Figure and a sentence); they never
touch Streamlit, so the report export draws the very same charts.
"""
from __future__ import annotations

import textwrap

import numpy as np
import plotly.graph_objects as go
from babel import Locale

from cbec_core.instrument import ANTECEDENTS, CONSTRUCT_CODES
from cbec_core.model import FittedModel
from cbec_core.moderation import theta
from cbec_core.population import quantile
from cbec_core.scores import performance
from cbec_core.scoring import FirmScore

from ..i18n import N_, construct_name, t

PALETTE = {"you": "#1f77b4", "part": "#8fbbe0", "median": "#9aa5b1", "top": "#2ca02c", "band": "rgba(31,119,180,0.15)"}
LAYOUT = dict(margin=dict(l=40, r=20, t=50, b=40), height=380, font=dict(size=13), legend=dict(orientation="h", y=-0.15))
TITLE_WIDTH = 44  # characters of a title line (Latin; half as many Chinese), so a title fits a 390 px phone
LABEL_WIDTH = 13  # characters of a point or axis label line (Latin; half as many Chinese)
ORDINALS = {"one": N_("pct_ordinal_one"), "two": N_("pct_ordinal_two"), "few": N_("pct_ordinal_few"),
            "other": N_("pct_ordinal_other")}


def wrap(text: str, lang: str, width: int) -> str:
    """Text broken into lines of at most `width` characters (half as many in Chinese) with <br>, at spaces where it can."""
    return "<br>".join(textwrap.wrap(text, width // 2 if lang == "zh" else width, break_on_hyphens=True)) or text


def titled(title: str, lang: str, **layout) -> dict:
    """Layout with a title wrapped to fit a phone (and the top margin its lines need), over LAYOUT and `layout`."""
    text = wrap(title, lang, TITLE_WIDTH)
    margin = {**LAYOUT["margin"], "t": 50 + 20 * text.count("<br>")}
    return {**LAYOUT, **layout, "title": dict(text=text, font=dict(size=15)), "margin": {**margin, **layout.get("margin", {})}}


def ordinal(n: float, lang: str) -> str:
    """A percentile rank in words as the language writes its ordinals: 55th, 21st / 第 55."""
    whole = int(round(n))
    return t(ORDINALS[Locale.parse(lang).ordinal_form(whole)], lang, n=whole)


def scores_chart(score: FirmScore, lang: str) -> tuple[go.Figure, str]:
    """Bars of the 0–100 performance per construct, then HQD's sub-dimensions set apart, labelled with the percentile rank."""
    pct = score.segment_percentiles or score.percentiles
    main = [c for c in CONSTRUCT_CODES if c in score.scores]
    parts = [c for c in score.scores if c not in main]
    fig = go.Figure()
    for codes, color in ((main, PALETTE["you"]), (parts, PALETTE["part"])):  # HQD's parts lighter, after a divider
        fig.add_trace(go.Bar(
            x=[construct_name(c, lang) for c in codes], y=[score.performance[c] for c in codes],
            text=[ordinal(pct[c], lang) for c in codes], textposition="outside", marker_color=color, showlegend=False,
            customdata=[t("pct_hover", lang, rank=ordinal(pct[c], lang)) for c in codes],
            hovertemplate="%{x}: %{y:.0f}/100, %{customdata}<extra></extra>"))
    if parts:
        fig.add_vline(x=len(main) - 0.5, line_dash="dot", line_color=PALETTE["median"])
        fig.add_annotation(x=len(main) + (len(parts) - 1) / 2, y=117, text=wrap(t("chart_scores_parts", lang), lang, 22),
                           showarrow=False, font=dict(size=11, color="#4a6a8a"), xref="x", yref="y")
    axis = dict(title=t("score_100", lang), range=[0, 125], tickvals=[0, 20, 40, 60, 80, 100])  # headroom for the note
    fig.update_layout(**titled(t("chart_scores_title", lang), lang, yaxis=axis, bargap=0.25))
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
    labels = [wrap(construct_name(c, lang), lang, LABEL_WIDTH) for c in CONSTRUCT_CODES]
    fig = go.Figure()
    for name, values, color in ((t("peer_top", lang), top, PALETTE["top"]), (t("peer_median", lang), median, PALETTE["median"]),
                                (t("you", lang), score.scores, PALETTE["you"])):
        r = [float(performance(values[c])) for c in CONSTRUCT_CODES]
        fig.add_trace(go.Scatterpolar(r=r + r[:1], theta=labels + labels[:1], name=name, line_color=color,
                                      fill="toself" if name == t("you", lang) else None, opacity=0.8))
    # first axis on top, a narrower circle: the labels beside it stay inside a 390 px wide chart
    fig.update_layout(**titled(t("chart_radar_title", lang), lang, polar=dict(
        domain=dict(x=[0.2, 0.8]), radialaxis=dict(range=[0, 100], tickfont=dict(size=10)),
        angularaxis=dict(rotation=90, direction="clockwise", tickfont=dict(size=11)))))
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
                             name=t("expected_with_pi", lang)))
    fig.add_trace(go.Scatter(x=[actual], y=[t("actual", lang)], mode="markers", marker=dict(size=16, color=PALETTE["you"], symbol="diamond"),
                             name=t("actual", lang)))
    fig.update_layout(**titled(t("chart_expected_title", lang), lang, height=280,
                               xaxis=dict(range=[1, 5], title=t("axis_scale", lang, name=construct_name("HQD", lang))),
                               legend=dict(orientation="h", y=-0.45)))
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
    fig.update_layout(**titled(t("chart_theta_title", lang), lang, height=440, xaxis_title=construct_name("IO", lang),
                               yaxis_title=construct_name("LSC", lang)))
    lo, hi = score.theta_ci or (float("nan"), float("nan"))
    return fig, t("chart_theta_reading", lang, theta=score.theta, lo=lo, hi=hi)


PLACES = ("top center", "bottom center", "middle right", "middle left", "top right", "top left", "bottom right", "bottom left")
PHONE_PLOT = (290.0, 250.0)  # px of a chart's plot area on a 390 px phone: the tightest screen the labels must fit


def _box(place: str, px: float, py: float, size: tuple[float, float], gap: float = 11.0) -> tuple[float, float, float, float]:
    """The pixel box (left, bottom, right, top; y up) of a label of `size` placed at `place` beside a point."""
    w, h = size
    vertical, _, horizontal = place.partition(" ")
    left = {"center": px - w / 2, "right": px + gap, "left": px - gap - w}[horizontal]
    bottom = {"top": py + gap, "bottom": py - gap - h, "middle": py - h / 2}[vertical]
    return left, bottom, left + w, bottom + h


def _overlap(a: tuple, b: tuple) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def label_places(xy: list[tuple[float, float]], labels: list[str], x_range: tuple[float, float],
                 y_range: tuple[float, float], lang: str) -> list[str]:
    """A text position per point so that the labels overlap neither each other, the points, nor the chart's edges.

    Greedy on a phone-sized plot area: each label takes the first place (in PLACES order) with the least
    overlap; sizes are estimated from the characters (a Chinese character twice a Latin one's width).
    """
    width, height = PHONE_PLOT
    px = [((x - x_range[0]) / (x_range[1] - x_range[0]) * width, (y - y_range[0]) / (y_range[1] - y_range[0]) * height)
          for x, y in xy]
    taken = [(x - 9, y - 9, x + 9, y + 9) for x, y in px]  # the markers
    frame = (0.0, 0.0, width, height)
    places = []
    for (x, y), label in zip(px, labels):
        lines = label.split("<br>")
        size = (max(sum(13.0 if ord(ch) > 0x2E80 else 7.0 for ch in line) for line in lines), 16.0 * len(lines))
        cost = {}
        for place in PLACES:
            box = _box(place, x, y, size)
            outside = size[0] * size[1] - _overlap(box, frame)
            cost[place] = 3 * outside + sum(_overlap(box, other) for other in taken)
        best = min(PLACES, key=lambda place: cost[place])  # min keeps PLACES order among equal costs
        taken.append(_box(best, x, y, size))
        places.append(best)
    return places


def ipma_chart(score: FirmScore, lang: str) -> tuple[go.Figure, str]:
    """Importance (HQD gain per point) against performance (0–100) of the four antecedents.

    The importance axis is padded and each label placed where it overlaps no other label, point or
    edge (`label_places`), so no label runs off the chart or over another on a phone.
    """
    codes = list(ANTECEDENTS)
    x = [score.importance[c] for c in codes]
    y = [score.performance[c] for c in codes]
    pad = max(max(x) - min(x), 0.05) * 0.3
    x_range, y_range = (min(x) - pad, max(x) + pad), (0.0, 110.0)
    labels = [wrap(construct_name(c, lang), lang, LABEL_WIDTH) for c in codes]
    colors = ["#d62728" if c == score.priority_lever else PALETTE["you"] for c in codes]
    fig = go.Figure(go.Scatter(
        x=x, y=y, mode="markers+text", cliponaxis=False, text=labels,
        textposition=label_places(list(zip(x, y)), labels, x_range, y_range, lang), marker=dict(size=16, color=colors)))
    fig.update_layout(**titled(t("chart_ipma_title", lang), lang,
                               xaxis=dict(title=t("importance_axis", lang), range=list(x_range)),
                               yaxis=dict(title=t("score_100", lang), range=list(y_range))))
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
    fig.update_layout(**titled(t("chart_benchmark_title", lang, n=fitted.n_used), lang, height=300,
                               yaxis=dict(range=[1, 5], title="1–5")))
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
