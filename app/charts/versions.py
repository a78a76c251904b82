"""Plotly charts of the versions and replication pages. Each returns the figure and its one-line reading."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cbec_core.compare import reading

from .firm import LAYOUT, PALETTE
from ..i18n import t

CLOSE = 0.05
"""A recovered figure within this of the published one counts as recovered (the paper prints two decimals)."""


def figure_label(key: str, lang: str) -> str:
    """A compared figure's display name (keys of `cbec_core.compare.compare_fits`)."""
    return t(f"cmp_{key}", lang)


def compare_chart(comparison: pd.DataFrame, fit_a: int, fit_b: int, lang: str) -> tuple[go.Figure, str]:
    """Each path and effect of two fits as a point with its 95% interval, fit A above fit B."""
    effects = comparison[comparison["group"] != "fit"].iloc[::-1]
    labels = [figure_label(k, lang) for k in effects["key"]]
    fig = go.Figure()
    for side, fit_id, color, offset in (("a", fit_a, PALETTE["median"], 0.18), ("b", fit_b, PALETTE["you"], -0.18)):
        values = effects[f"value_{side}"].to_numpy(dtype=float)
        lo = effects[f"lo_{side}"].to_numpy(dtype=float)
        hi = effects[f"hi_{side}"].to_numpy(dtype=float)
        fig.add_trace(go.Scatter(
            x=values, y=[i + offset for i in range(len(labels))], mode="markers", name=f"#{fit_id}",
            marker=dict(size=9, color=color), error_x=dict(type="data", symmetric=False, array=hi - values, arrayminus=values - lo),
            text=labels, hovertemplate="%{text}: %{x:.3f}<extra>#" + str(fit_id) + "</extra>"))
    fig.add_vline(x=0, line_color="#cccccc")
    fig.update_layout(title=t("cmp_chart_title", lang, a=fit_a, b=fit_b),
                      yaxis=dict(tickvals=list(range(len(labels))), ticktext=labels),
                      **{**LAYOUT, "height": 120 + 32 * len(labels), "margin": dict(l=280, r=20, t=50, b=40)})
    summary = reading(comparison)
    figure = figure_label(summary.largest, lang) if summary.largest else "—"
    if summary.moved:
        sep = "、" if lang == "zh" else ", "
        text = t("cmp_reading_moved", lang, a=fit_a, b=fit_b, figures=sep.join(figure_label(k, lang) for k in summary.moved),
                 figure=figure, diff=summary.largest_difference)
    else:
        text = t("cmp_reading_none", lang, a=fit_a, b=fit_b, k=len(effects), figure=figure, diff=summary.largest_difference)
    return fig, text


def replication_chart(table: pd.DataFrame, title: str, lang: str) -> tuple[go.Figure, str]:
    """Published (x) against recovered (y) figures of one table, with the line of perfect agreement."""
    lo = float(min(table["paper"].min(), table["recovered"].min()))
    hi = float(max(table["paper"].max(), table["recovered"].max()))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", line=dict(color="#cccccc", dash="dot"), showlegend=False,
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=table["paper"], y=table["recovered"], mode="markers", marker=dict(size=9, color=PALETTE["you"]),
                             text=table["figure"], showlegend=False,
                             hovertemplate="%{text}<br>" + t("rep_col_paper", lang) + " %{x:.2f} · "
                             + t("rep_col_recovered", lang) + " %{y:.3f}<extra></extra>"))
    fig.update_layout(title=t("rep_chart_title", lang, table=title), xaxis=dict(title=t("rep_col_paper", lang)),
                      yaxis=dict(title=t("rep_col_recovered", lang)), **LAYOUT)
    gap = table["difference"].abs()
    worst = table.loc[gap.idxmax()]
    return fig, t("rep_chart_reading", lang, close=int((gap <= CLOSE).sum()), k=len(table), tol=CLOSE,
                  figure=worst["figure"], paper=worst["paper"], recovered=worst["recovered"])
