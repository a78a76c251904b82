"""Zone comparison for policymakers: groups of firms side by side, the pilot vs non-pilot subgroup analysis, a policy what-if.

Only aggregates leave `cbec_core.zones`, which decides what may be published over every grouping at once
(`cbec_core.disclosure`: fewer than 5 firms never, and no group recoverable by subtraction); the collected
self-assessments are published in steps of 5 new firms (`cbec_core.steps`). No single firm's answers are shown. Every computation here takes well under a second on the 312-firm cohort (see docs/zones.md),
so a spinner, not a progress bar, covers it.
"""
from __future__ import annotations


import pandas as pd
import streamlit as st

from app.i18n import N_, construct_name, t
from app.ui.state import benchmark, benchmark_banner, lang
from app.charts.zones import (
    box_chart,
    figure3_chart,
    group_name,
    mark_synthetic,
    theta_chart,
    what_if_chart,
)
from app.report.zone_tables import display_table, export_files
from cbec_core import zones
from cbec_core.instrument import CONSTRUCT_CODES
from cbec_core.invariance import comparable, invariance_level
from cbec_core.model import DEFAULT_RESAMPLES, DEFAULT_SEED, fingerprint
from cbec_core.moderation import MIN_SUBGROUP
from cbec_core.scoring import beyond_scale
from db.assessments import pool_history
from db.datasets import dataset_frame, list_datasets

ASSESSMENTS = ""  # the collected assessments: no data set can be named "" (names are stripped, non-empty)
EXPORT_KEY = "zones_export"  # the bytes the download buttons offer ({"csv", "xlsx"}), for the page's tests


@st.cache_data(ttl=30, show_spinner=False)
def load_source(source: str) -> tuple[pd.DataFrame, zones.Publication, bool, int]:
    """(the source as stored, what may be published of it, synthetic?, rows left out): a stored data set, or
    the collected assessments in steps of 5 new firms."""
    if source == ASSESSMENTS:
        raw = pool_history()
        return raw, zones.pool_publication(raw), False, 0
    raw = dataset_frame(source)
    used, excluded = zones.complete_rows(raw)
    return raw, zones.publication(used), bool(raw.attrs.get("synthetic")), excluded


@st.cache_data(ttl=30, show_spinner=False)
def comparison(source: str, by: str, fit_id: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(aggregate table, per-group statistics, per-group θ) — all already suppressed by cbec_core.zones."""
    _, pub, _, _ = load_source(source)
    _, fitted = benchmark()
    stats = zones.group_statistics(pub, by)
    effects = zones.group_effects(pub, by, fitted)
    return zones.merge_table(stats, effects), stats, effects


@st.cache_data(ttl=30, show_spinner=False)
def subgroups(source: str, fit_id: int) -> dict:
    """Figure 3's comparison: the benchmark's own when the source is its fitting data, else fitted on the source."""
    raw, pub, _, _ = load_source(source)
    _, fitted = benchmark()
    if source != ASSESSMENTS and fingerprint(raw) == fitted.fingerprint and invariance_level(fitted.invariance) != "untested":
        return fitted.subgroups | {"invariance": fitted.invariance}
    return zones.subgroups_of(pub.members(*zones.TOTAL), DEFAULT_RESAMPLES, DEFAULT_SEED)


def show(chart: tuple, key: str, synthetic: bool) -> None:
    """A chart (labelled synthetic if its data or benchmark is) with its one-line reading under it."""
    figure, reading_ = chart
    st.plotly_chart(mark_synthetic(figure, L) if synthetic else figure, width="stretch", key=key)
    st.caption(reading_)


L = lang()
fit_id, fitted = benchmark()
st.title(t("nav_zones", L))
benchmark_banner(fitted)
st.write(t("zones_intro", L))

names = list(list_datasets()["name"])
options = [*names, ASSESSMENTS]
left, right = st.columns(2)
source = left.selectbox(t("zones_source", L), options, key="zones_source",
                        format_func=lambda o: t("zones_source_assessments", L) if o == ASSESSMENTS else t("zones_source_dataset", L, name=o))
by = right.radio(t("zones_by", L), list(zones.GROUPINGS), key="zones_by", horizontal=True,
                 format_func=lambda g: t(f"zones_by_{g}", L))

_, publication, synthetic, excluded = load_source(source)
if synthetic:
    st.warning(t("zones_synthetic", L), icon=":material/science:")
if excluded:
    st.caption(t("zones_excluded", L, n=excluded))

with st.spinner(t("zones_computing", L)):  # well under a second on the 312-firm cohort; no progress bar needed
    table, stats, effects = comparison(source, by, fit_id)
st.header(t("zones_table", L))
if table.empty:
    st.session_state.pop(EXPORT_KEY, None)  # nothing to export: no button, and no stale file of another source
    st.info(t("zones_empty", L))
else:
    st.dataframe(display_table(table, by, L), hide_index=True, width="stretch", key="zones_table_view")
    st.caption(t("zones_method_note", L, k=zones.MIN_REFIT))
    st.caption(t("zones_privacy_note", L))
    if source == ASSESSMENTS:
        st.caption(t("zones_step_note", L))
    files = st.session_state[EXPORT_KEY] = export_files(table, by, synthetic, L)
    csv_col, xlsx_col = st.columns(2)
    csv_col.download_button(t("zones_export", L), files["csv"], file_name=f"zone_comparison_{by}.csv", mime="text/csv",
                            key="zones_export_csv")
    xlsx_col.download_button(t("zones_export_xlsx", L), files["xlsx"], file_name=f"zone_comparison_{by}.xlsx",
                             mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             key="zones_export_xlsx")
    if table["suppressed"].all():
        st.info(t("zones_none_shown", L))
    else:
        construct = st.selectbox(t("zones_construct", L), list(CONSTRUCT_CODES), index=CONSTRUCT_CODES.index("HQD"),
                                 key="zones_construct", format_func=lambda c: construct_name(c, L))
        show(box_chart(stats, construct, by, L), "zones_chart_box", synthetic)
        show(theta_chart(effects, by, L), "zones_chart_theta", synthetic or fitted.synthetic)

st.header(t("zones_subgroup", L))
with st.spinner(t("zones_computing", L)):
    sub = subgroups(source, fit_id)
rows = zones.subgroup_rows(sub)
if rows is None:  # the reason is ours, never moderation's text (which names a group's size, possibly under 5)
    reason = N_("zones_subgroup_no_flag") if sub.get("reason") == "no_flag" else N_("zones_subgroup_too_few")
    st.info(t(reason, L, k=MIN_SUBGROUP))
else:
    show(figure3_chart(rows, L), "zones_chart_fig3", synthetic)
    level = invariance_level(sub["invariance"])
    (st.info if comparable(level) else st.warning)(t(f"inv_note_{level}", L))

st.header(t("zones_what_if", L))
shown = [g for g, s in zip(table["group"], table["suppressed"]) if not s] if not table.empty else []
if not shown:
    st.info(t("zones_what_if_none", L))
else:
    left, right = st.columns(2)
    group = left.selectbox(t("zones_what_if_group", L), shown, key="zones_what_if_group",
                           format_func=lambda g: group_name(g, by, L))
    delta = right.slider(t("zones_what_if_delta", L), 0.0, 1.0, 0.5, 0.1, key="zones_delta")
    result = zones.policy_what_if(publication.members(by, group), fitted, delta)
    if not result["suppressed"]:
        if beyond_scale(result["io_after"]):  # the results page's what-if warns by the same rule
            st.warning(t("zones_what_if_capped", L, io=result["io_after"]))
        show(what_if_chart(result, group, by, L), "zones_chart_what_if", synthetic or fitted.synthetic)
        st.caption(t("zones_what_if_note", L))
