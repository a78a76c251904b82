"""A firm's history chart: each construct's score across its assessments, with its one-line reading."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from cbec_core.instrument import CONSTRUCT_CODES

from ..i18n import construct_name, t
from .firm import LAYOUT

MAX_TICKS = 6  # more assessment dates than this on the axis crowd a phone screen: label every k-th


def history_chart(history: pd.DataFrame, when: list[str], lang: str) -> tuple[go.Figure, str]:
    """Each construct's score across a firm's assessments (rows oldest first), one point per assessment.

    The x axis places assessments in order, labelled with `when` (their local date and time, as the table shows
    them): one assessment is one point under one date tick, never an axis of milliseconds around it.
    """
    n = len(history)
    positions = list(range(n))
    fig = go.Figure([go.Scatter(x=positions, y=history[c].astype(float).round(2), mode="lines+markers", name=construct_name(c, lang),
                                customdata=when, hovertemplate="%{customdata}<br>%{fullData.name}: %{y:.2f}<extra></extra>")
                     for c in CONSTRUCT_CODES])
    step = max(1, math.ceil(n / MAX_TICKS))
    ticks = sorted(set(positions[::step]) | {n - 1})
    fig.update_layout(title=t("history_chart_title", lang), yaxis=dict(range=[1, 5], title="1–5"),
                      xaxis=dict(range=[-0.5, n - 0.5], tickvals=ticks, ticktext=[when[i] for i in ticks],
                                 showgrid=False, zeroline=False), **LAYOUT)
    if n < 2:
        return fig, t("history_one", lang)
    first, last = history.iloc[0], history.iloc[-1]
    changes = {c: float(last[c] - first[c]) for c in CONSTRUCT_CODES}
    biggest = max(changes, key=lambda c: abs(changes[c]))
    return fig, t("history_reading", lang, hqd_change=changes["HQD"], construct=construct_name(biggest, lang), change=changes[biggest])
