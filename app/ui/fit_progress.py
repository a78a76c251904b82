"""A Streamlit progress bar fed by `cbec_core.model.fit`'s progress(stage, done, total) callback."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ..i18n import t

STAGE_SPANS: dict[str, tuple[float, float]] = {
    "measurement": (0.0, 0.1), "invariance": (0.1, 0.15), "structural": (0.15, 0.35), "sem_bootstrap": (0.35, 0.35),
    "pls": (0.35, 0.35), "pls_bootstrap": (0.35, 0.45), "bootstrap": (0.45, 0.85), "subgroups": (0.85, 1.0),
}
"""Where each stage of a fit sits on the bar (the moderation bootstrap is the long one)."""


def fit_progress(text_key: str, lang: str) -> Callable[[str, int, int], None]:
    """A new progress bar and the callback that moves it; `text_key` is a label with a {stage} placeholder."""
    bar = st.progress(0.0, text=t(text_key, lang, stage=t("ver_stage_measurement", lang)))

    def update(stage: str, done: int, total: int) -> None:
        start, end = STAGE_SPANS.get(stage, (0.0, 1.0))
        share = start + (end - start) * (done / total if total else 1.0)
        bar.progress(min(1.0, share), text=t(text_key, lang, stage=t(f"ver_stage_{stage}", lang)))

    return update
