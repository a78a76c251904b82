"""What the workshop pages share: short-TTL cached queries, the join screen (code, link, QR code), the live cohort view.

The cohort's charts are in app/charts/workshop.py and its exports in app/report/workshop.py. Figures come
only from `cbec_core.cohort`, which enforces the 5-firm rule.
"""
from __future__ import annotations

import os
import re

import pandas as pd
import plotly.graph_objects as go
import qrcode
import streamlit as st
from qrcode.image.svg import SvgPathImage

from cbec_core.cohort import CohortSummary, cohort_summary, published_cohort
from cbec_core.model import FittedModel
from db.access import Actor
from db.assessments import workshop_history
from db.schema import utcnow
from db.workshops import WorkshopInfo, WorkshopProgress, close_workshop, find_workshop, workshop_progress

from ..charts.workshop import cohort_charts
from ..i18n import t
from .clock import local_time
from .room_link import EXAMPLE, PUBLIC_URL_ENV, join_link, loopback_host, public_url
from .state import load_fit

LIVE_REFRESH_S = 10  # the live view's fragment reruns this often; the queries below are cached for 5 s
CACHE_TTL_S = 5


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def cohort_records(workshop_id: int) -> pd.DataFrame:
    """A workshop's assessments in saving order (its history), shared by every session for CACHE_TTL_S seconds."""
    return workshop_history(workshop_id)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def workshop_by_code(code: str) -> WorkshopInfo:
    """A workshop's name and times by join code, shared by every session for CACHE_TTL_S seconds."""
    return find_workshop(code)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def room_progress(workshop_id: int) -> WorkshopProgress:
    """How many joined and how many saved (counts only), shared by every session for CACHE_TTL_S seconds."""
    return workshop_progress(workshop_id)


def close_now(workshop_id: int, actor: Actor) -> None:
    """Close a workshop and forget its cached times, so every live view shows it closed at its next refresh."""
    close_workshop(workshop_id, actor=actor)
    workshop_by_code.clear()


def current_url() -> str | None:
    """The browser's URL of this page (st.context.url), or None when Streamlit cannot tell."""
    try:
        return getattr(st.context, "url", None) or None
    except Exception:  # noqa: BLE001 - no browser context (tests, bare runs)
        return None


def qr_svg(text: str, size_px: int = 240) -> str:
    """A QR code of `text` as an SVG document (qrcode's pure-Python SVG factory: no Pillow, no PyPNG)."""
    image = qrcode.make(text, image_factory=SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'width="[^"]*" height="[^"]*"', f'width="{size_px}" height="{size_px}"', svg, count=1)
    # a white background, so the code scans on a dark theme too
    return re.sub(r"(<svg[^>]*>)", r'\1<rect width="100%" height="100%" fill="#ffffff"/>', svg, count=1)


def workshop_status(workshop: WorkshopInfo, lang: str) -> str:
    """Whether a workshop takes entries, and until or since when, in the reader's time."""
    if workshop.opens_at > utcnow():
        return t("ws_status_later", lang, opens=local_time(workshop.opens_at, lang))
    if workshop.is_open():
        return (t("ws_status_open", lang, closes=local_time(workshop.closes_at, lang)) if workshop.closes_at
                else t("ws_status_open_forever", lang))
    return t("ws_status_closed", lang, closes=local_time(workshop.closes_at, lang))


def join_screen(workshop: WorkshopInfo, lang: str) -> None:
    """The join code, link and QR code for the room's screen, the link under the configured public address
    (else this browser's); a warning, saying what to do, when the link points at this computer only."""
    try:
        public = public_url()
    except ValueError:
        public = None
        st.error(t("ws_public_url_bad", lang, name=PUBLIC_URL_ENV, value=os.environ.get(PUBLIC_URL_ENV, ""),
                   example=EXAMPLE))
    link = join_link(workshop.join_code, current_url(), lang, public)
    left, right = st.columns([3, 2])
    with left:
        st.metric(t("ws_join_code", lang), workshop.join_code)
        st.markdown(f"**{t('ws_join_link', lang)}**")
        st.code(link, language=None)
        host = loopback_host(link)
        if host:
            st.warning(t("ws_loopback_warning", lang, host=host, name=PUBLIC_URL_ENV, example=EXAMPLE), icon=":material/wifi_off:")
    with right:
        st.image(qr_svg(link), caption=t("ws_qr_caption", lang), width=240)


def summarise(records: pd.DataFrame, fitted: FittedModel) -> CohortSummary:
    """The cohort's published figures (its last step of 5 new firms, `cbec_core.cohort.published_cohort`)
    against the whole benchmark population."""
    return cohort_summary(published_cohort(records), fitted.distributions["all"]["scores"])


def live_cohort(workshop_id: int, fit_id: int, lang: str) -> tuple[CohortSummary, dict[str, tuple[go.Figure, str]]]:
    """The cohort's summary and charts against fit `fit_id`: the records come from the 5-second cache, and the
    charts are built once per distinct cohort and shared by every live view, so more viewers cost nothing more."""
    records = cohort_records(workshop_id)
    return _cohort_view(int(pd.util.hash_pandas_object(records, index=False).sum()), fit_id, lang, records)


@st.cache_resource(max_entries=64, show_spinner=False)
def _cohort_view(records_hash: int, fit_id: int, lang: str, _records: pd.DataFrame
                 ) -> tuple[CohortSummary, dict[str, tuple[go.Figure, str]]]:
    """The summary and charts of one cohort (identified by `records_hash`); shared read-only by every session."""
    fitted = load_fit(fit_id)
    summary = summarise(_records, fitted)
    return summary, cohort_charts(summary, fitted, lang)
