"""Dates, times and numbers in the visitor's language and time zone; the store keeps UTC.

The time zone is the browser's (`st.context.timezone`); without one, Chinese visitors get Asia/Shanghai
(the people this product serves) and English visitors UTC.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st
from babel.dates import format_datetime, format_skeleton
from babel.numbers import format_decimal

LOCALES = {"zh": "zh_Hans_CN", "en": "en"}
DEFAULT_ZONE = {"zh": "Asia/Shanghai", "en": "UTC"}


def user_zone(lang: str) -> tzinfo:
    """The browser's time zone, else the language's default."""
    name = getattr(st.context, "timezone", None)
    try:
        return ZoneInfo(name or DEFAULT_ZONE.get(lang, "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE.get(lang, "UTC"))


def local_time(when, lang: str) -> str:
    """A stored (UTC) moment as the visitor reads it: '2026年12月2日 18:05' / 'Dec 2, 2026 18:05'."""
    if when is None or pd.isna(when):
        return "—"
    moment = pd.Timestamp(when)
    moment = (moment.tz_localize(UTC) if moment.tzinfo is None else moment).tz_convert(user_zone(lang)).to_pydatetime()
    locale = LOCALES.get(lang, "en")
    return f"{format_skeleton('yMMMd', moment, locale=locale)} {format_datetime(moment, 'HH:mm', locale=locale)}"


def to_utc(day: date, clock: time, lang: str) -> datetime:
    """A date and time the visitor typed in their own time zone, as the UTC moment the store keeps."""
    return datetime.combine(day, clock, tzinfo=user_zone(lang)).astimezone(UTC)


def number(value: float, lang: str, digits: int = 2) -> str:
    """A number with `digits` decimals, grouped as the language writes it."""
    return format_decimal(value, format=f"#,##0.{'0' * digits}" if digits else "#,##0", locale=LOCALES.get(lang, "en"))
