"""The floor for bench/start_time.py: a bare Streamlit page of the self-assessment's shape, with no store and no model.

Wide layout, a language radio in the sidebar, a title and banner, one plotly box chart of five boxes
with a caption, then a form of five blocks (a heading and the 1–5 anchors once) of 19 five-option radios, the controls and a submit button.
"""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
st.sidebar.radio("Language", ["English", "简体中文"], horizontal=True, key="lang")
st.title("Self-assessment")
st.warning("Benchmark: a bare page of the same shape, for timing.")
figure = go.Figure([go.Box(name=c, x=[c], q1=[2.5], median=[3.2], q3=[3.9], lowerfence=[1], upperfence=[5]) for c in
                    ("AIGC", "DC", "IO", "LSC", "HQD")])
figure.update_layout(height=300, yaxis=dict(range=[1, 5]))
st.plotly_chart(figure, width="stretch")
st.caption("The benchmark population's construct scores.")
st.radio("Mode", ["full", "quick"], horizontal=True)
with st.form("questionnaire"):
    for construct, k in (("AIGC", 4), ("DC", 3), ("IO", 3), ("LSC", 3), ("HQD", 6)):
        st.subheader(construct)
        st.caption("1 = strongly disagree … 5 = strongly agree")
        for i in range(1, k + 1):
            st.radio(f"**{construct}{i}** · a statement about the firm", [1, 2, 3, 4, 5], index=None, horizontal=True)
    left, right = st.columns(2)
    with left:
        st.number_input("Employees", min_value=1, value=None)
        st.selectbox("Region", ["east", "central", "west"], index=None)
        st.radio("Pilot zone", ["yes", "no"], index=None, horizontal=True)
    with right:
        st.number_input("Firm age", min_value=0, value=None)
        st.radio("Business model", ["B2B", "B2C"], index=None, horizontal=True)
        st.text_input("Zone (optional)")
    st.form_submit_button("Submit", type="primary")
