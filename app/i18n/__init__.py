"""Every label the dashboard shows, in Simplified Chinese and English, from the gettext catalogs in app/locale/.

`t(key, lang, **values)` looks a label up in the session's language and fills its {placeholders}. The msgid
is the key (e.g. "nav_assess"); en/LC_MESSAGES/messages.po gives the English text, zh/… the Chinese. An
unknown key raises KeyError, so a typo fails in tests, never silently on a page. docs/i18n.md says how to add one.

The language is per session, never process-wide: there is one translations object per language, loaded once
per process and shared read-only by every session (`st.cache_resource`); no `gettext.install()`.
"""
from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import streamlit as st
from babel.support import NullTranslations, Translations

from cbec_core.instrument import CONSTRUCT_BY_CODE, CONTROL_LABELS, HQD_DIMENSIONS, REGION_LABELS
from cbec_core.tables import WORDS

LANGS = {"zh": "简体中文", "en": "English"}
"""The languages offered, Chinese first (the people this product serves read Chinese first)."""
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


def N_(key: str) -> str:
    """Mark a key for `pybabel extract` where it is built or stored before `t()` sees it; returns it unchanged."""
    return key


@st.cache_resource(show_spinner=False)
def translations(lang: str) -> Translations:
    """The compiled catalog of `lang` ("en" or "zh"), read once per process; every session shares it read-only."""
    found = Translations.load(str(LOCALE_DIR), [lang], DOMAIN)
    if type(found) is NullTranslations:
        raise FileNotFoundError(f"no compiled catalog {LOCALE_DIR}/{lang}/LC_MESSAGES/{DOMAIN}.mo: run `make i18n`")
    return found


def has(key: str) -> bool:
    """Whether `key` is a label (for labels looked up by a built key that may not exist, e.g. a column name)."""
    return translations("en").gettext(key) != key


def t(key: str, lang: str = "en", /, **values) -> str:
    """The label `key` in `lang` ("en" or "zh"), with {placeholders} filled from `values`."""
    text = translations("zh" if lang == "zh" else "en").gettext(key)
    if text == key:
        raise KeyError(f"no label {key!r} in app/locale/{lang}: add it to both .po files (docs/i18n.md)")
    return text.format(**values) if values else text


def error_text(exc: Exception, lang: str) -> str:
    """A store error in the visitor's language: its code and values through the catalog (`store_{code}`);
    an error without a code keeps its own text."""
    code = getattr(exc, "code", None)
    return t(f"store_{code}", lang, **exc.values) if code else str(exc)


def problem_text(problem, lang: str) -> str:
    """A survey Problem's message in `lang`: in Chinese its code and values through the catalog (`problem_{code}`, the
    fix as `problem_fix_{fix}`); in English, or without a code, its own message (the very text the CLI prints)."""
    if not problem.code or lang != "zh":
        return problem.message
    values = dict(problem.values)
    if "fix" in values:
        values["fix"] = t(f"problem_fix_{values['fix']}", lang)
    return t(f"problem_{problem.code}", lang, **values)


def source_text(source: str, lang: str) -> str:
    """A recommendation's source, "Author (year), Section", with the section named in `lang` (`src_…` labels)."""
    author, sep, section = source.partition("), ")
    if not sep:
        return source
    key = "src_" + re.sub(r"[^a-z0-9]+", "_", section.lower()).strip("_")[:60].rstrip("_")
    return f"{author}){'，' if lang == 'zh' else ', '}{t(key, lang)}"


def construct_name(code: str, lang: str) -> str:
    """A construct's or HQD dimension's display name."""
    if code in CONSTRUCT_BY_CODE:
        return CONSTRUCT_BY_CODE[code].name(lang)
    return next(d.name(lang) for d in HQD_DIMENSIONS if d.code == code)


@cache
def _places() -> dict[str, str]:
    """English → Chinese names of the provinces and pilot-zone cities (app/locale/places.csv)."""
    with (LOCALE_DIR / "places.csv").open(encoding="utf-8") as fh:
        return {row["en"]: row["zh"] for row in csv.DictReader(fh)}


def place_name(name: str, lang: str) -> str:
    """A province's or pilot-zone city's name in `lang`; a name the list does not hold stays as typed."""
    return _places().get(name, name) if lang == "zh" else name


def control_label(column: str, lang: str) -> str:
    en, zh = CONTROL_LABELS[column]
    return zh if lang == "zh" else en


def region_label(region: str, lang: str) -> str:
    en, zh = REGION_LABELS[region]
    return zh if lang == "zh" else en


def table_words(lang: str) -> dict[str, str]:
    """The words inside the lab's tables (the keys of cbec_core.tables.WORDS) in `lang`."""
    return {word: t(f"lab_word_{word}", lang) for word in WORDS}
