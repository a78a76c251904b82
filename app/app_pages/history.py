"""Return with a firm key: the firm's earlier assessments and how they changed, their reports again, and deleting them."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app.charts.firm import results_charts
from app.charts.history import history_chart
from app.i18n import N_, error_text, t
from app.report.html import html_report
from app.report.pdf import pdf_report
from app.ui.access import current_actor, session_key
from app.ui.clock import local_time
from app.ui.state import lang
from app.ui.tables import history_table
from cbec_core.scoring import FirmScore
from db.assessments import assessment_history, delete_firm_data, rescore
from db.codes import normalise_code
from db.engine import StoreError
from db.fits import get_fit
from db.schema import FIRM_KEY_LENGTH
from db.throttle import Throttled

SHOWN = "history_shown"  # the firm key whose history is on screen, kept while the visitor uses it
DELETED = "history_deleted"  # the message of a deletion just done, shown once

L = lang()


def lookup(key: str) -> pd.DataFrame | None:
    """The firm's history, or None with the reason shown (bad, unknown or throttled key)."""
    try:
        history = assessment_history(key, session_key=session_key())
    except Throttled as exc:
        st.error(t("store_throttled", L, seconds=exc.seconds))
        return None
    except (StoreError, ValueError):
        st.error(t("bad_key", L, key=key))
        return None
    if history.empty:
        st.error(t("unknown_key", L, key=key))
        return None
    return history


def rescored(row: pd.Series) -> tuple[FirmScore, dict] | None:
    """`db.assessments.rescore` of an earlier assessment (score and answers, or None), once per session."""
    memo = st.session_state.setdefault("history_rescored", {})
    if row["id"] not in memo:
        memo[row["id"]] = rescore(row)
    return memo[row["id"]]


def report_panel(history: pd.DataFrame, when: list[str]) -> None:
    """Pick an earlier assessment and download its report, rebuilt from what was stored."""
    st.subheader(t("history_report_title", L))
    st.caption(t("history_report_intro", L))
    modes = [t(N_("history_mode_quick") if quick else N_("history_mode_full"), L) for quick in history["quick"]]
    position = st.selectbox(t("history_report_pick", L), list(range(len(history)))[::-1], key="history_pick",
                            format_func=lambda i: f"{when[i]} · {modes[i]}")
    row = history.iloc[position]
    found = rescored(row)
    if found is None:
        st.error(t("history_report_mismatch", L, fit=int(row["model_fit_id"])))
        return
    score, answers = found
    fitted, key, saved_at = get_fit(int(row["model_fit_id"])), str(row["firm_key"]), when[position]
    stamp = pd.Timestamp(row["created_at"]).strftime("%Y%m%d")
    left, right = st.columns(2)
    with left:
        st.download_button(t("download_html", L), key="history_dl_html", mime="text/html",
                           file_name=f"cbec-benchmark-report-{stamp}.html",
                           data=lambda: html_report(score, fitted, answers, results_charts(score, fitted, L), L,
                                                    firm_key=key, saved_at=saved_at))
    with right:
        st.download_button(t("download_pdf", L), key="history_dl_pdf", mime="application/pdf",
                           file_name=f"cbec-benchmark-report-{stamp}.pdf",
                           data=lambda: pdf_report(score, fitted, answers, L, firm_key=key, saved_at=saved_at))


def delete_panel(key: str, count: int) -> None:
    """Delete every assessment of the firm shown, once the key is typed again and the box ticked."""
    st.subheader(t("history_delete_title", L))
    st.write(t("history_delete_intro", L, n=count))
    with st.form("delete", enter_to_submit=False):
        typed = st.text_input(t("history_delete_confirm_key", L), max_chars=12, key="delete_key")
        sure = st.checkbox(t("history_delete_confirm_box", L), key="delete_sure")
        pressed = st.form_submit_button(t("history_delete_button", L), type="primary")
    if not pressed:
        return
    try:
        same = normalise_code(typed, FIRM_KEY_LENGTH, "firm key") == key
    except StoreError:
        same = False
    if not same:
        st.error(t("history_delete_mismatch", L, typed=typed.strip() or "—", key=key))
    elif not sure:
        st.error(t("history_delete_tick", L))
    else:
        try:
            deleted = delete_firm_data(key, actor=current_actor(), session_key=session_key())
        except Throttled as exc:
            st.error(t("store_throttled", L, seconds=exc.seconds))
        except StoreError as exc:
            st.error(error_text(exc, L))
        else:
            st.session_state.pop(SHOWN, None)
            st.session_state[DELETED] = t("history_deleted", L, n=deleted, key=key)
            st.rerun()


st.title(t("nav_history", L))
st.write(t("history_intro", L))
with st.form("history", enter_to_submit=False):
    typed_key = st.text_input(t("firm_key", L), max_chars=12, key="history_key")
    shown = st.form_submit_button(t("show_history", L))
if DELETED in st.session_state:
    st.success(st.session_state.pop(DELETED))
history = None
if shown and typed_key.strip():
    st.session_state.pop(SHOWN, None)
    history = lookup(typed_key.strip())
    if history is not None:
        st.session_state[SHOWN] = str(history["firm_key"].iloc[0])
elif SHOWN in st.session_state:
    history = lookup(st.session_state[SHOWN])
if history is not None:
    when = [local_time(moment, L) for moment in history["created_at"]]
    figure, reading = history_chart(history, when, L)
    st.plotly_chart(figure, width="stretch")
    st.caption(reading)
    table = history_table(history, L)
    scores = {column: st.column_config.NumberColumn(format="%.2f") for column in table.columns[3:-1]}  # scores, gap
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={t("history_fit", L): st.column_config.NumberColumn(format="#%d"), **scores})
    fits = sorted(history["model_fit_id"].unique())
    if len(fits) > 1:
        st.info(t("history_mixed_fits", L, fits=", ".join(f"#{f}" for f in fits)))
    report_panel(history, when)
    delete_panel(str(history["firm_key"].iloc[0]), len(history))
