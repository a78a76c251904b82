"""Tables shown on pages, with their headers and category values in the visitor's language."""
from __future__ import annotations

import pandas as pd

from cbec_core.instrument import CONSTRUCT_CODES

from ..i18n import construct_name, t
from .clock import local_time


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A firm's assessments, newest last: local date and time, fit, the five scores, HQD gap and priority lever."""
    return pd.DataFrame({
        t("history_col_when", lang): [local_time(when, lang) for when in history["created_at"]],
        t("history_fit", lang): history["model_fit_id"],
        **{construct_name(code, lang): history[code] for code in CONSTRUCT_CODES},
        t("report_gap", lang): history["hqd_gap"],
        t("history_col_lever", lang): [construct_name(c, lang) if isinstance(c, str) and c else "—"
                                       for c in history["priority_lever"]],
    })
