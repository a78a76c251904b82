"""Self-assessment: answer the questionnaire, see where the firm stands and what to do next."""
from __future__ import annotations

import streamlit as st

from app.i18n import t
from app.ui.questionnaire import ANSWERS, questionnaire_form
from app.ui.results import render_results
from app.ui.state import benchmark, benchmark_banner, benchmark_figure, lang

L = lang()
fit_id, fitted = benchmark()

st.title(t("nav_assess", L))
benchmark_banner(fitted)
if ANSWERS not in st.session_state:
    figure, reading = benchmark_figure(fit_id, L)
    st.plotly_chart(figure, width="stretch", key="chart_benchmark")
    st.caption(reading)
questionnaire_form(L)
if ANSWERS in st.session_state:
    render_results(st.session_state[ANSWERS], fit_id, fitted, L)
