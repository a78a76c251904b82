"""Tables shown on pages, with their headers and category values in the visitor's language."""
from __future__ import annotations

import pandas as pd

from cbec_core.instrument import CONSTRUCT_CODES
from db.assessments import record_answers

from ..i18n import N_, construct_name, t
from ..report.content import is_quick
from .clock import local_time


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A firm's assessments, oldest first: local date and time, quick or full mode, the priority lever in words, the
    five scores and the HQD gap (2 decimals), and the fit it was scored against."""
    return pd.DataFrame({
        t("history_col_when", lang): [local_time(when, lang) for when in history["created_at"]],
        t("history_col_mode", lang): [t(N_("history_mode_quick") if is_quick(record_answers(row)) else N_("history_mode_full"), lang)
                                      for _, row in history.iterrows()],
        t("history_col_lever", lang): [construct_name(c, lang) if isinstance(c, str) and c else "—"
                                       for c in history["priority_lever"]],
        **{construct_name(code, lang): history[code].astype(float).round(2) for code in CONSTRUCT_CODES},
        t("report_gap", lang): history["hqd_gap"].astype(float).round(2),
        t("history_fit", lang): history["model_fit_id"],
    })
