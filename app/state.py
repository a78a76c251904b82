"""What the pages share per process and per session: the store, the active benchmark, the language.

The fitted model is loaded once per process and shared by all sessions (`st.cache_resource`); which
fit is active is re-read at most every ACTIVE_FIT_TTL_S seconds (one indexed query per process), so a fit
activated on one replica reaches every page of every replica within that delay without a query per rerun.
"""
from __future__ import annotations

import gc

import streamlit as st

from cbec_core.model import FittedModel
from db.fits import active_fit_id, get_fit
from db.seed import ensure_ready

from .i18n import LANGS, t


@st.cache_resource(show_spinner=False)
def store_ready() -> int:
    """Migrate and seed the store once per process, then freeze the start-up heap; the id of the active fit at start.

    Streamlit runs a full garbage collection after every script run (`runner.postScriptGC`). Over the ~300,000
    objects of the imported libraries that took 0.1–0.5 s of CPU per rerun, holding the GIL, so a room of
    participants queued behind it (bench/room_load.py). `gc.freeze()` moves the objects alive now — the modules
    the pages render with, the active model — to a generation the collector skips; what sessions create is
    still collected after every run.
    """
    fit_id = ensure_ready()
    import app.results  # noqa: F401 — the pages' heavy imports (plotly, reportlab), loaded before the freeze
    import app.workshop  # noqa: F401
    load_fit(fit_id)
    gc.collect()
    gc.freeze()
    return fit_id


ACTIVE_FIT_TTL_S = 5  # the documented delay before another replica's activation shows (docs/deployment.md)


@st.cache_data(ttl=ACTIVE_FIT_TTL_S, show_spinner=False)
def current_fit_id() -> int:
    """The active benchmark's fit id (re-read at most every ACTIVE_FIT_TTL_S seconds)."""
    store_ready()
    return active_fit_id()


@st.cache_resource(show_spinner=False, max_entries=8)
def load_fit(fit_id: int) -> FittedModel:
    """A fitted model by id, parsed from the store once per process."""
    return get_fit(fit_id)


def benchmark() -> tuple[int, FittedModel]:
    """The active benchmark (fit id, model)."""
    fit_id = current_fit_id()
    return fit_id, load_fit(fit_id)


def lang() -> str:
    """The session's language, chosen in the sidebar ('en' or 'zh')."""
    return st.session_state.get("lang", "en")


def language_picker() -> None:
    st.sidebar.radio(t("language", lang()), list(LANGS), format_func=LANGS.get, key="lang", horizontal=True)


def benchmark_banner(fitted: FittedModel) -> None:
    """Say which benchmark firms are scored against; the synthetic cohort is always labelled as such."""
    if fitted.synthetic:
        st.warning(t("synthetic_banner", lang()), icon=":material/science:")
    else:
        st.caption(t("benchmark_real", lang(), label=fitted.label or "—", n=fitted.n_used, date=fitted.settings.get("fitted_at", "")))
