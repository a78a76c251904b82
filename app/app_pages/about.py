"""About the model: what the benchmark is, in plain words, and which benchmark is active."""
from __future__ import annotations

import streamlit as st

from app.i18n import t
from app.ui.state import benchmark, benchmark_banner, lang

L = lang()
_, fitted = benchmark()
st.title(t("nav_about", L))
benchmark_banner(fitted)
st.write(t("about_text", L))
st.caption(t("about_privacy", L))
