"""The error boundary: an uncaught error shows a short, translated message with an incident number, never a traceback.

The traceback goes to the server log under the same number, so an administrator can find it.
"""
from __future__ import annotations

import logging
import secrets

import streamlit as st

from app.i18n import t
from app.ui.state import lang
from db.engine import StoreUnavailable

log = logging.getLogger("cbec.incident")


def show_incident(exc: BaseException) -> bool:
    """Log the error with a fresh incident number and tell the user that number; True: Streamlit shows nothing more.

    A database outage says so (try again in a minute) rather than "something went wrong".
    """
    incident = secrets.token_hex(4).upper()
    log.error("incident %s: %s", incident, exc, exc_info=exc)
    if isinstance(exc, StoreUnavailable):
        st.error(f"{t('store_unavailable', lang())} ({incident})", icon=":material/cloud_off:")
    else:
        st.error(t("incident", lang(), incident=incident), icon=":material/error:")
    return True
