"""Tables shown on pages, with their headers and category values in the visitor's language."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import streamlit as st

from cbec_core.instrument import CONSTRUCT_CODES
from cbec_core.tables import NOTATION

from ..i18n import N_, construct_name, has, t
from .clock import local_time


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A firm's assessments, oldest first: local date and time, quick or full mode, the priority lever in words, the
    five scores and the HQD gap (2 decimals), and the fit it was scored against."""
    return pd.DataFrame({
        t("history_col_when", lang): [local_time(when, lang) for when in history["created_at"]],
        t("history_col_mode", lang): [t(N_("history_mode_quick") if quick else N_("history_mode_full"), lang)
                                      for quick in history["quick"]],
        t("history_col_lever", lang): [construct_name(c, lang) if isinstance(c, str) and c else "—"
                                       for c in history["priority_lever"]],
        **{construct_name(code, lang): history[code].astype(float).round(2) for code in CONSTRUCT_CODES},
        t("report_gap", lang): history["hqd_gap"].astype(float).round(2),
        t("history_fit", lang): history["model_fit_id"],
    })


def lab_headers(columns: Iterable[str], lang: str) -> dict[str, str]:
    """Display names of a lab table's columns: a label, else statistical notation, else the name (a construct code)."""
    return {c: t(f"lab_col_{c}", lang) if has(f"lab_col_{c}") else NOTATION.get(c, c) for c in columns}


MISSING = "—"
"""What an empty cell prints (st.dataframe would print "None")."""


def shown(frame: pd.DataFrame, decimals: Mapping[str, int] | None = None) -> pd.DataFrame:
    """A table as a page prints it: the `decimals` columns as numbers to that many places, and every missing cell,
    in any column but a yes/no one, as "—"."""
    decimals = decimals or {}
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if column in decimals:
            out[column] = [MISSING if pd.isna(v) else f"{float(v):.{decimals[column]}f}" for v in values]
        elif pd.api.types.is_bool_dtype(values):
            continue
        elif values.isna().any():
            out[column] = [MISSING if pd.isna(v) else v for v in values.astype(object)]
    return out


def right_aligned(columns) -> dict[str, st.column_config.Column]:
    """Column settings printing the given (text) columns right-aligned, as numbers are."""
    return {c: st.column_config.TextColumn(alignment="right") for c in columns}
