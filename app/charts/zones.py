"""Plotly builders for the zone-comparison page. Each returns (figure, one-line reading).

They take the aggregate tables of `cbec_core.zones` (never firm rows) and draw only groups that are
not suppressed, so a chart can never show a group of fewer than 5 firms.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .firm import LAYOUT, PALETTE
from ..i18n import construct_name, place_name, region_label, t
from cbec_core.instrument import REGION_LABELS
from cbec_core.reference import SYNTHETIC_LABEL


def group_name(group: str, by: str, lang: str) -> str:
    """A group's display name: pilot flags 1/0 and regions in words, provinces and cities in `lang`."""
    if by == "pilot_zone" and str(group) in ("0", "1"):
        return t(f"zones_pilot_{group}", lang)
    if by == "region" and str(group) in REGION_LABELS:
        return region_label(str(group), lang)
    return place_name(str(group), lang)


def extremes(values: pd.Series) -> tuple[str, str] | None:
    """(highest, lowest) group of a series indexed by group, or None when every group has the same value
    (so a tie never names one group both best and worst)."""
    if values.max() - values.min() < 1e-9:
        return None
    return values.idxmax(), values.idxmin()


def mark_synthetic(fig: go.Figure, lang: str) -> go.Figure:
    """Put SYNTHETIC_LABEL under the chart's title, so a saved image of a synthetic chart still says so."""
    title = fig.layout.title.text or ""
    fig.update_layout(title_text=f"{title}<br><sup>⚠ {SYNTHETIC_LABEL[lang]}</sup>", margin_t=70)
    return fig


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    return table.loc[~table["suppressed"].astype(bool)]


def box_chart(stats: pd.DataFrame, construct: str, by: str, lang: str) -> tuple[go.Figure, str]:
    """Each shown group's distribution of a construct at its own labelled position: a box from its quartiles and
    10th/90th percentiles when it has at least MIN_ORDER firms, else its mean with a 95% CI (no order statistic)."""
    shown = _shown(stats)
    name = construct_name(construct, lang)
    ordered = shown[f"{construct}_median"].notna()
    fig = go.Figure()
    for _, row in shown[ordered].iterrows():
        label = group_name(row["group"], by, lang)
        fig.add_trace(go.Box(name=label, x=[label], q1=[row[f"{construct}_q1"]], median=[row[f"{construct}_median"]],
                             q3=[row[f"{construct}_q3"]], lowerfence=[row[f"{construct}_p10"]],
                             upperfence=[row[f"{construct}_p90"]], mean=[row[f"{construct}_mean"]],
                             marker_color=PALETTE["you"], showlegend=False))
    small = shown[~ordered]
    if not small.empty:
        mean = small[f"{construct}_mean"].astype(float).to_numpy()
        fig.add_trace(go.Scatter(
            x=[group_name(g, by, lang) for g in small["group"]], y=mean, mode="markers", name=t("chart_zone_mean_trace", lang),
            marker=dict(symbol="diamond", size=11, color=PALETTE["median"]),
            error_y=dict(type="data", symmetric=False, array=np.nan_to_num(small[f"{construct}_ci_hi"].astype(float) - mean).tolist(),
                         arrayminus=np.nan_to_num(mean - small[f"{construct}_ci_lo"].astype(float)).tolist()),
            hovertemplate="%{x}: %{y:.2f}<extra></extra>"))
    fig.update_layout(title=t("chart_zone_box_title", lang, construct=name), yaxis=dict(range=[1, 5], title="1–5"),
                      xaxis=dict(type="category", categoryorder="array",
                                 categoryarray=[group_name(g, by, lang) for g in shown["group"]]), **LAYOUT)
    if shown.empty:
        return fig, t("zones_none_shown", lang)
    means = shown.set_index("group")[f"{construct}_mean"].astype(float)
    if len(means) == 1:
        return fig, t("chart_zone_reading_one_mean", lang, group=group_name(means.index[0], by, lang), construct=name,
                      value=means.iloc[0])
    pair = extremes(means)
    if pair is None:
        return fig, t("chart_zone_reading_tie", lang, construct=name, value=means.iloc[0])
    top, bottom = pair
    return fig, t("chart_zone_reading_mean", lang, construct=name, top=group_name(top, by, lang), top_value=means[top],
                  bottom=group_name(bottom, by, lang), bottom_value=means[bottom])


def theta_chart(effects: pd.DataFrame, by: str, lang: str) -> tuple[go.Figure, str]:
    """θ per group with its 95% CI; hollow markers are groups read off the benchmark model, filled ones refitted."""
    shown = _shown(effects).dropna(subset=["theta"])
    names = [group_name(g, by, lang) for g in shown["group"]]
    value = shown["theta"].astype(float).to_numpy()
    lo = shown["lo"].astype(float).to_numpy()
    hi = shown["hi"].astype(float).to_numpy()
    refit = (shown["method"] == "refit").to_numpy()
    fig = go.Figure(go.Scatter(
        x=value, y=names, mode="markers",
        marker=dict(size=12, color=PALETTE["you"], symbol=np.where(refit, "circle", "circle-open").tolist()),
        error_x=dict(type="data", symmetric=False, array=np.nan_to_num(hi - value).tolist(),
                     arrayminus=np.nan_to_num(value - lo).tolist()),
        customdata=[t(f"zones_method_{m}", lang) for m in shown["method"]],
        hovertemplate="%{y}: θ = %{x:.3f} (%{customdata})<extra></extra>", showlegend=False))
    fig.add_vline(x=0, line_dash="dot", line_color=PALETTE["median"])
    fig.update_layout(title=t("chart_zone_theta_title", lang), xaxis_title=t("theta_axis_zone", lang),
                      yaxis=dict(autorange="reversed"), **{**LAYOUT, "height": max(300, 60 + 32 * len(names))})
    if shown.empty:
        return fig, t("zones_none_shown", lang)
    s = shown.set_index("group")["theta"].astype(float)
    pair = extremes(s)
    if pair is None:
        return fig, t("chart_zone_theta_reading_tie", lang, value=s.iloc[0], significant=int(np.sum(lo > 0)), shown=len(s))
    top, bottom = pair
    return fig, t("chart_zone_theta_reading", lang, top=group_name(top, by, lang), top_theta=s[top],
                  bottom=group_name(bottom, by, lang), bottom_theta=s[bottom],
                  significant=int(np.sum(lo > 0)), shown=len(s))


def figure3_chart(rows: pd.DataFrame, lang: str) -> tuple[go.Figure, str]:
    """The paper's Figure 3: bars of the pilot and non-pilot mediation effects and their difference, with 95% CIs."""
    by_row = rows.set_index("row")
    labels = [t("fig3_pilot", lang, n=int(by_row.loc["pilot", "n_firms"])),
              t("fig3_non_pilot", lang, n=int(by_row.loc["non_pilot", "n_firms"])), t("fig3_difference", lang)]
    order = ["pilot", "non_pilot", "difference"]
    effect = by_row.loc[order, "effect"].astype(float).to_numpy()
    lo = by_row.loc[order, "lo"].astype(float).to_numpy()
    hi = by_row.loc[order, "hi"].astype(float).to_numpy()
    fig = go.Figure(go.Bar(
        x=labels, y=effect, marker_color=[PALETTE["you"], PALETTE["median"], PALETTE["top"]],
        error_y=dict(type="data", symmetric=False, array=np.nan_to_num(hi - effect).tolist(),
                     arrayminus=np.nan_to_num(effect - lo).tolist()),
        text=[f"{v:.3f}" for v in effect], textposition="outside",
        hovertemplate="%{x}: %{y:.3f}<extra></extra>"))
    fig.add_hline(y=0, line_color=PALETTE["median"])
    fig.update_layout(title=t("chart_fig3_title", lang), yaxis_title=t("fig3_axis", lang), **LAYOUT)
    significant = not (np.isnan(lo[2]) or lo[2] <= 0 <= hi[2])
    return fig, t("chart_fig3_reading", lang, pilot=effect[0], non_pilot=effect[1], diff=effect[2], lo=lo[2], hi=hi[2],
                  verdict=t("fig3_significant", lang) if significant else t("fig3_not_significant", lang))


def what_if_chart(result: dict, group: str, by: str, lang: str) -> tuple[go.Figure, str]:
    """Bars of the expected mean change in DC and HQD, with 95% intervals."""
    name = group_name(group, by, lang)
    value = np.array([result["dc_change"], result["hqd_change"]])
    lo = np.array([result["dc_lo"], result["hqd_lo"]])
    hi = np.array([result["dc_hi"], result["hqd_hi"]])
    fig = go.Figure(go.Bar(
        x=[t("what_if_dc", lang), t("what_if_hqd", lang)], y=value, marker_color=[PALETTE["you"], PALETTE["top"]],
        error_y=dict(type="data", symmetric=False, array=(hi - value).tolist(), arrayminus=(value - lo).tolist()),
        text=[f"{v:+.3f}" for v in value], textposition="outside", hovertemplate="%{x}: %{y:+.3f}<extra></extra>"))
    fig.add_hline(y=0, line_color=PALETTE["median"])
    fig.update_layout(title=t("chart_what_if_title", lang, group=name, delta=result["delta_io"]),
                      yaxis_title=t("what_if_axis", lang), **{**LAYOUT, "height": 320})
    return fig, t("chart_what_if_reading", lang, group=name, before=result["io_before"], after=result["io_after"],
                  dc=value[0], dc_lo=lo[0], dc_hi=hi[0], hqd=value[1], hqd_lo=lo[1], hqd_hi=hi[1])
