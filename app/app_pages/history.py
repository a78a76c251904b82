"""Return with a firm key: the firm's earlier assessments and how they changed."""
from __future__ import annotations

import streamlit as st

from app.charts.firm import history_chart
from app.i18n import t
from app.ui.tables import history_table
from app.ui.state import lang
from db.assessments import assessment_history
from app.ui.access import session_key
from db.engine import StoreError
from db.throttle import Throttled

L = lang()
st.title(t("nav_history", L))
st.write(t("history_intro", L))
with st.form("history", enter_to_submit=False):
    key = st.text_input(t("firm_key", L), max_chars=12, key="history_key")
    shown = st.form_submit_button(t("show_history", L))
if shown and key.strip():
    try:
        history = assessment_history(key.strip(), session_key=session_key())
    except Throttled as exc:
        st.error(t("store_throttled", L, seconds=exc.seconds))
    except (StoreError, ValueError):
        st.error(t("bad_key", L, key=key.strip()))
    else:
        if history.empty:
            st.error(t("unknown_key", L, key=key.strip()))
        else:
            figure, reading = history_chart(history, L)
            st.plotly_chart(figure, width="stretch")
            st.caption(reading)
            st.dataframe(history_table(history, L), hide_index=True, width="stretch",
                         column_config={t("history_fit", L): st.column_config.NumberColumn(format="#%d")})
            fits = sorted(history["model_fit_id"].unique())
            if len(fits) > 1:
                st.info(t("history_mixed_fits", L, fits=", ".join(f"#{f}" for f in fits)))
