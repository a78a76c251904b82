"""Times as a reader expects them: in their own time zone (the browser's, else Asia/Shanghai for Chinese, UTC for English)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st


def user_zone(L: str) -> ZoneInfo:
    """The browser's time zone when Streamlit knows it, else the language's default."""
    try:
        name = st.context.timezone
    except Exception:  # noqa: BLE001 - outside a served session
        name = None
    try:
        return ZoneInfo(name if isinstance(name, str) and name else ("Asia/Shanghai" if L == "zh" else "UTC"))
    except ZoneInfoNotFoundError:
        return ZoneInfo("UTC")


def local_time(at: datetime | None, L: str) -> str:
    """A stored UTC time in the reader's zone, to the minute, with the zone's abbreviation."""
    if at is None:
        return ""
    local = at.astimezone(user_zone(L))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
