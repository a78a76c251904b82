"""Model versions: every fit with its figures, renaming or deleting a fit, two fits side by side, switching the
benchmark, and the collected pool.

Activation affects assessments made from then on only: every stored assessment keeps the fit it was
scored with, and the confirmation counts them by fit. A fit an assessment was scored with, or that is or
was the benchmark, cannot be deleted: the page says so instead of offering it.
"""
from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import streamlit as st

from app.ui.fit_progress import fit_progress
from app.i18n import N_, error_text, t
from app.ui.state import current_fit_id, lang, load_fit, store_ready
from app.charts.versions import compare_chart, figure_label
from cbec_core.compare import compare_fits
from cbec_core.model import fit
from cbec_core.pool import POOL_THRESHOLD, pool_label, still_needed
from cbec_core.reference import SYNTHETIC_LABEL
from cbec_core.sem import FitFailure
from app.ui.access import current_actor, refusal
from app.ui.manage import confirmed_delete, rename_form
from app.ui.clock import local_time
from app.ui.tables import MISSING, shown
from db.access import PermissionDenied
from db.engine import StoreError
from db.files import csv_bytes
from db.fits import activate, activation_impact, delete_fit, fit_use, kept_error, list_fits, rename_fit
from db.pool import pool_count, pool_frame, store_collected

PENDING, DONE, POOL_DONE = "versions_pending", "versions_activated", "versions_pool_fitted"
MANAGED = "versions_managed"


def fits_table(fits: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The list of fits as the page shows and exports it: provenance in words, the synthetic ones labelled."""
    table = pd.DataFrame({
        t("ver_col_id", lang): fits["id"], t("ver_col_label", lang): fits["label"].replace("", None),
        t("ver_col_dataset", lang): fits["dataset"],
        t("ver_col_provenance", lang): [t(f"prov_{p}", lang) for p in fits["provenance"]],
        t("ver_col_created", lang): [local_time(when, lang) for when in fits["created_at"]],
        t("ver_col_n", lang): fits["n_used"], t("ver_col_excluded", lang): fits["n_excluded"],
        "χ²/df": fits["chi2_df"], "CFI": fits["cfi"], "TLI": fits["tli"], "RMSEA": fits["rmsea"], "SRMR": fits["srmr"],
        t("ver_col_active", lang): fits["active"],
        t("activated_by", lang): fits["activated_by"],
        t("ver_col_note", lang): np.where(fits["synthetic"], SYNTHETIC_LABEL[lang], ""),
    })
    return shown(table, {"χ²/df": 2, "CFI": 3, "TLI": 3, "RMSEA": 3, "SRMR": 3})


def comparison_table(comparison: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A `compare_fits` table with display names and intervals as text."""
    def interval(lo, hi) -> str:
        return MISSING if pd.isna(lo) or pd.isna(hi) else f"[{lo:.3f}, {hi:.3f}]"

    values = (t("cmp_col_a", lang), t("cmp_col_b", lang), t("cmp_col_diff", lang))
    return shown(pd.DataFrame({
        t("cmp_col_group", lang): [t(f"cmp_group_{g}", lang) for g in comparison["group"]],
        t("cmp_col_figure", lang): [figure_label(k, lang) for k in comparison["key"]],
        values[0]: comparison["value_a"], values[1]: comparison["value_b"], values[2]: comparison["difference"],
        t("cmp_col_ci_a", lang): [interval(lo, hi) for lo, hi in zip(comparison["lo_a"], comparison["hi_a"])],
        t("cmp_col_ci_b", lang): [interval(lo, hi) for lo, hi in zip(comparison["lo_b"], comparison["hi_b"])],
        t("cmp_col_notable", lang): comparison["notable"],
    }), dict.fromkeys(values, 3))


def fit_option(fits: pd.DataFrame, lang: str):
    """How a fit is named in the pickers: its id, label, n and whether it is active."""
    rows = fits.set_index("id")

    def name(fit_id: int) -> str:
        row = rows.loc[fit_id]
        return t("fit_option", lang, id=fit_id, label=row["label"] or row["dataset"], n=row["n_used"],
                 active=t("fit_option_active", lang) if row["active"] else "")
    return name


def compare_section(fits: pd.DataFrame, lang: str) -> None:
    st.subheader(t("cmp_title", lang))
    ids = fits["id"].tolist()
    active = fits.loc[fits["active"], "id"].tolist()
    left, right = st.columns(2)
    first = left.selectbox(t("cmp_fit_a", lang), ids, index=ids.index(active[0]) if active else 1,
                           format_func=fit_option(fits, lang), key="cmp_a")
    second = right.selectbox(t("cmp_fit_b", lang), ids, index=0 if ids[0] != first else 1,
                             format_func=fit_option(fits, lang), key="cmp_b")
    if first == second:
        st.info(t("cmp_same", lang))
        return
    comparison = compare_fits(load_fit(first), load_fit(second))
    st.caption(t("cmp_help", lang))
    table = comparison_table(comparison, lang)
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(t("cmp_download", lang), csv_bytes(table),
                       file_name=f"compare_fit{first}_fit{second}.csv", mime="text/csv", key="cmp_download")
    figure, reading = compare_chart(comparison, first, second, lang)
    st.plotly_chart(figure, width="stretch", key="chart_compare")
    st.caption(reading)


def activate_section(fits: pd.DataFrame, lang: str) -> None:
    st.subheader(t("act_title", lang))
    if DONE in st.session_state:
        st.success(t("act_done", lang, id=st.session_state.pop(DONE)))
    ids = fits["id"].tolist()
    inactive = fits.loc[~fits["active"], "id"].tolist()
    chosen = st.selectbox(t("act_pick", lang), ids, index=ids.index(inactive[0]) if inactive else 0,
                          format_func=fit_option(fits, lang), key="act_pick")
    if st.button(t("act_button", lang), key="act_button"):
        st.session_state[PENDING] = chosen
    pending = st.session_state.get(PENDING)
    if pending is None:
        return
    impact = activation_impact(pending)
    if impact.already_active:
        st.info(t("act_already", lang, id=pending))
        del st.session_state[PENDING]
        return
    st.warning(t("act_confirm", lang, id=pending, active=impact.active_id, since=local_time(impact.active_since, lang),
                 on_active=impact.on_active,
                 on_chosen=impact.on_chosen, others=impact.others), icon=":material/swap_horiz:")
    if bool(fits.set_index("id").loc[pending, "synthetic"]):
        st.caption(t("act_synthetic", lang, id=pending, label=SYNTHETIC_LABEL[lang]))
    yes, no = st.columns(2)
    if yes.button(t("act_confirm_button", lang, id=pending), type="primary", key="act_confirm"):
        try:
            activate(pending, actor=current_actor())
        except StoreError as exc:
            st.error(refusal(exc, lang))
            return
        current_fit_id.clear()  # this process's pages see the new benchmark now, not after ACTIVE_FIT_TTL_S
        st.session_state[DONE] = st.session_state.pop(PENDING)
        st.rerun()
    if no.button(t("act_cancel", lang), key="act_cancel"):
        del st.session_state[PENDING]
        st.rerun()


def manage_section(fits: pd.DataFrame, lang: str) -> None:
    """Rename a fit, or delete one nothing depends on behind a confirmation; a kept fit says why it must stay."""
    st.subheader(t("ver_manage_title", lang))
    if MANAGED in st.session_state:
        st.success(st.session_state.pop(MANAGED))
    chosen = st.selectbox(t("ver_manage_pick", lang), fits["id"].tolist(), format_func=fit_option(fits, lang),
                          key="ver_manage_pick")
    label = fits.set_index("id").loc[chosen, "label"] or ""
    stored = rename_form("ver_rename", t("ver_new_label", lang), label, f"ver_label_{chosen}", t("ver_rename", lang),
                         lambda new: rename_fit(chosen, new, actor=current_actor()), lang)
    if stored is not None:
        st.session_state[MANAGED] = t("ver_renamed", lang, id=chosen, label=stored)
        st.rerun()
    use = fit_use(chosen)
    if use.kept:
        st.info(refusal(kept_error(use), lang), icon=":material/lock:")
        return
    if confirmed_delete(t("ver_delete_confirm", lang, id=chosen), f"ver_delete_ok_{chosen}", t("ver_delete", lang, id=chosen),
                        "ver_delete", lambda: delete_fit(chosen, actor=current_actor()), lang):
        load_fit.clear()  # a later fit may get the deleted one's id (SQLite): nothing parsed under it may stay
        st.session_state[MANAGED] = t("ver_deleted", lang, id=chosen)
        st.rerun()


def pool_section(lang: str) -> None:
    st.subheader(t("pool_title", lang))
    st.write(t("pool_intro", lang, threshold=POOL_THRESHOLD))
    if POOL_DONE in st.session_state:
        name, fit_id = st.session_state.pop(POOL_DONE)
        st.success(t("pool_done", lang, name=name, id=fit_id))
    n = pool_count()
    st.progress(min(1.0, n / POOL_THRESHOLD), text=t("pool_progress", lang, n=n, threshold=POOL_THRESHOLD))
    more = still_needed(n)
    if more:
        st.info(t("pool_needed", lang, more=more))
        return
    st.success(t("pool_ready", lang, n=n))
    if not st.button(t("pool_fit", lang), type="primary", key="pool_fit"):
        return
    now = datetime.now(UTC)
    try:
        frame = pool_frame()
        model = fit(frame, progress=fit_progress(N_("pool_fitting"), lang), label=pool_label(len(frame), now.strftime("%Y-%m-%d")))
        info, fit_id = store_collected(frame, model, f"Collected pool {now:%Y-%m-%d %H:%M:%S} UTC (n = {len(frame)})",
                                       actor=current_actor())
    except PermissionDenied as exc:
        st.error(refusal(exc, lang))
        return
    except (ValueError, StoreError, FitFailure, np.linalg.LinAlgError) as exc:
        st.error(t("pool_failed", lang, error=error_text(exc, lang)))
        return
    st.session_state[POOL_DONE] = (info.name, fit_id)
    st.rerun()  # the list of fits above now holds the new one


L = lang()
store_ready()
st.title(t("nav_versions", L))
st.write(t("ver_intro", L))
fits = list_fits()
st.subheader(t("ver_list", L))
listed = fits_table(fits, L)
st.dataframe(listed, hide_index=True, width="stretch")
st.download_button(t("ver_download_list", L), csv_bytes(listed), file_name="model_fits.csv",
                   mime="text/csv", key="ver_download")
if fits["synthetic"].any():
    st.warning(t("ver_synthetic_note", L, label=SYNTHETIC_LABEL[L]), icon=":material/science:")
if len(fits) < 2:
    st.info(t("ver_one_fit", L))
else:
    compare_section(fits, L)
    activate_section(fits, L)
manage_section(fits, L)
pool_section(L)
