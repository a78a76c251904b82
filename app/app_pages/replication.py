"""Replication of Tian (2025): the paper's Tables 1 and 2 beside what the pipeline recovers from the SYNTHETIC
reference cohort, and the places where the paper's own figures contradict each other, in plain words."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app.ui.fit_progress import fit_progress
from app.i18n import N_, t
from app.ui.state import lang
from app.charts.versions import replication_chart
from cbec_core.reference import SYNTHETIC_LABEL
from cbec_core.replication import Replication, calibration_notes, replicate
from db.files import csv_bytes

TABLES = ((N_("rep_table1"), "Table 1"), (N_("rep_table2"), "Table 2"))
COLUMNS = ("figure", "where", "paper", "recovered", "difference", "note")


@st.cache_resource(show_spinner=False)
def report(_progress) -> Replication:
    """The replication report, computed once per process (about two seconds: the cohort is fitted)."""
    return replicate(progress=_progress)


def paper_table(rep: Replication, prefix: str | None, lang: str) -> pd.DataFrame:
    """The rows of one of the paper's tables (by where they are printed), or of the text when `prefix` is None,
    with their figure, place and note in `lang`."""
    where = rep.table["where"]
    chosen = where.str.startswith(prefix) if prefix else ~where.str.startswith(tuple(p for _, p in TABLES))
    return rep.table_in(lang)[chosen][list(COLUMNS)].reset_index(drop=True)


def show_table(rows: pd.DataFrame, title_key: str, slug: str, lang: str) -> None:
    st.subheader(t(title_key, lang))
    shown = rows.rename(columns={c: t(f"rep_col_{c}", lang) for c in COLUMNS})
    st.dataframe(shown.round({t("rep_col_recovered", lang): 3, t("rep_col_difference", lang): 3}), hide_index=True, width="stretch")
    export = shown.assign(**{t("rep_col_provenance", lang): SYNTHETIC_LABEL[lang]})  # the table as shown, labelled
    st.download_button(t("rep_download", lang), csv_bytes(export),
                       file_name=f"replication_{slug}.csv", mime="text/csv", key=f"rep_download_{slug}")
    if slug != "other":
        figure, reading = replication_chart(rows, t(title_key, lang), lang)
        st.plotly_chart(figure, width="stretch", key=f"rep_chart_{slug}")
        st.caption(reading)


L = lang()
st.title(t("nav_replication", L))
st.warning(SYNTHETIC_LABEL[L], icon=":material/science:")
st.write(t("rep_intro", L))
slot = st.empty()
with slot.container():
    rep = report(fit_progress(N_("rep_running"), L))
slot.empty()
for (title_key, prefix), slug in zip(TABLES, ("table1", "table2")):
    show_table(paper_table(rep, prefix, L), title_key, slug, L)
show_table(paper_table(rep, None, L), N_("rep_other"), "other", L)

st.subheader(t("rep_inconsistencies", L, n=len(rep.inconsistencies)))
st.write(t("rep_inconsistencies_intro", L))
for number, case in enumerate(rep.inconsistencies, 1):
    with st.expander(f"{number}. {case.text('title', L)}", expanded=number <= 2):
        st.markdown(f"**{t('rep_figures', L)}:** {case.text('figures', L)}")
        st.markdown(f"**{t('rep_why', L)}:** {case.text('explanation', L)}")
        st.markdown(f"**{t('rep_keeps', L)}:** {case.text('cohort_keeps', L)}")
with st.expander(t("rep_calibration", L)):
    for note in calibration_notes(L):
        st.markdown(f"- {note}")
