"""What the pages share per process and per session: the store, the active benchmark, the language.

The fitted model is loaded once per process and shared by all sessions (`st.cache_resource`); which
fit is active is re-read at most every ACTIVE_FIT_TTL_S seconds (one indexed query per process), so a fit
activated on one replica reaches every page of every replica within that delay without a query per rerun.
"""
from __future__ import annotations

import gc

import plotly.graph_objects as go
import streamlit as st

from cbec_core.model import FittedModel
from db.fits import active_fit_id, get_fit
from db.seed import ensure_ready

from ..charts.firm import benchmark_chart, results_charts
from ..i18n import LANGS, t
from ..report.content import benchmark_line


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
    import app.report.html  # noqa: F401 — the pages' heavy imports (plotly, reportlab), loaded before the freeze
    import app.report.pdf  # noqa: F401
    import app.ui.results  # noqa: F401
    import app.ui.workshop  # noqa: F401
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


@st.cache_resource(show_spinner=False, max_entries=16)
def benchmark_figure(fit_id: int, lang: str) -> tuple[go.Figure, str]:
    """A fit's benchmark chart and its reading, built once per fit and language for every session."""
    return benchmark_chart(load_fit(fit_id), lang)


def warm_up() -> None:
    """Before the first visitor: load the active fit, build its benchmark chart, draw one set of results charts.

    `cbec serve` runs this beside Streamlit's start-up; plotly builds its validators on a figure's
    first use (a second or more), so the first visitor's results would otherwise pay for it.
    """
    from cbec_core.scoring import score_firm

    fit_id = store_ready()
    fitted = load_fit(fit_id)
    for code in LANGS:
        benchmark_figure(fit_id, code)
    typical = {c: 3.0 for c in ("AIGC", "DC", "IO", "LSC", "HQD")} | {"firm_size": 100, "firm_age": 5, "region": "east",
                                                                       "business_model": "B2C", "pilot_zone": 1}
    results_charts(score_firm(typical, fitted), fitted, "en")


def benchmark() -> tuple[int, FittedModel]:
    """The active benchmark (fit id, model)."""
    fit_id = current_fit_id()
    return fit_id, load_fit(fit_id)


def browser_lang(asked: str | None, locale: str | None) -> str:
    """The language a new session opens in: `?lang=zh|en` if given, else the browser's (any zh* locale is Chinese)."""
    if asked in LANGS:
        return asked
    return "zh" if (locale or "").lower().startswith("zh") else "en"


def lang() -> str:
    """The session's language ('zh' or 'en'): chosen once from the address and the browser, then kept."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = browser_lang(st.query_params.get("lang"), getattr(st.context, "locale", None))
    return st.session_state["lang"]


def _keep_in_url() -> None:
    st.query_params["lang"] = st.session_state["lang"]


def language_picker() -> None:
    """The sidebar switch; a choice is kept for the session and written to the address, so a copied link keeps it."""
    lang()
    names = LANGS if lang() == "en" else {"zh": "简体中文", "en": "英文"}  # a Chinese sidebar names English in Chinese
    st.sidebar.radio(t("language", lang()), list(LANGS), format_func=names.get, key="lang", horizontal=True,
                     on_change=_keep_in_url)


def benchmark_banner(fitted: FittedModel) -> None:
    """Say which benchmark firms are scored against; the synthetic cohort is always labelled as such."""
    if fitted.synthetic:
        st.warning(t("synthetic_banner", lang()), icon=":material/science:")
    else:
        st.caption(benchmark_line(fitted, lang()))
