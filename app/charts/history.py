"""A firm's history chart: each construct's score across its assessments, with its one-line reading."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cbec_core.instrument import CONSTRUCT_CODES

from ..i18n import construct_name, t
from .firm import LAYOUT

MAX_TICKS = 3  # dates on the axis: three fit a phone's width level (first, middle and last when there are more)


def history_chart(history: pd.DataFrame, when: list[str], lang: str) -> tuple[go.Figure, str]:
    """Each construct's score across a firm's assessments (rows oldest first), one point per assessment.

    The x axis places assessments in order, labelled with `when` (their local date and time, as the table shows
    them; the date above the time): one assessment is one point under one date tick, never an axis of milliseconds
    around it. Hovering a point names its time.
    """
    n = len(history)
    positions = list(range(n))
    fig = go.Figure([go.Scatter(x=positions, y=history[c].astype(float).round(2), mode="lines+markers", name=construct_name(c, lang),
                                customdata=when, hovertemplate="%{customdata}<br>%{fullData.name}: %{y:.2f}<extra></extra>")
                     for c in CONSTRUCT_CODES])
    pad = 0.5 + 0.15 * (n - 1)  # room beside the first and last points for their date labels on a phone
    ticks = positions if n <= MAX_TICKS else sorted({round(i * (n - 1) / (MAX_TICKS - 1)) for i in range(MAX_TICKS)})
    fig.update_layout(title=t("history_chart_title", lang), yaxis=dict(range=[1, 5], title="1–5"),
                      xaxis=dict(range=[-pad, n - 1 + pad], tickvals=ticks, tickangle=0, showgrid=False, zeroline=False,
                                 ticktext=["<br>".join(when[i].rsplit(" ", 1)) for i in ticks]),
                      **{**LAYOUT, "legend": {**LAYOUT["legend"], "y": -0.25}})
    if n < 2:
        return fig, t("history_one", lang)
    first, last = history.iloc[0], history.iloc[-1]
    changes = {c: float(last[c] - first[c]) for c in CONSTRUCT_CODES}
    biggest = max(changes, key=lambda c: abs(changes[c]))
    return fig, t("history_reading", lang, hqd_change=changes["HQD"], construct=construct_name(biggest, lang), change=changes[biggest])
