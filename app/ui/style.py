"""The dashboard's few global style rules, injected once per run by app/dashboard.py for every page.

- Radio options are tap targets of at least 44 × 44 px (WCAG 2.5.5, Apple's and Google's guideline),
  and a 1–5 row fits on one line of a 390 px phone.
- A heading scrolled to (the results after "See my results") stops below Streamlit's top bar.
- On a narrow screen plotly's mode bar is hidden: it covered the charts' titles, and its zoom and pan
  buttons add nothing a touch user can use there (the fullscreen button stays).
- The file uploader's own words are English ("Upload", "50MB per file • CSV, XLSX") whatever the page's
  language: its button shows the catalog's word instead, and the page says the limit under it (`upload_limit`).
"""
from __future__ import annotations

import json

import streamlit as st

from ..i18n import t

TAP_PX = 44  # the smallest tap target, each way
NARROW_PX = 640  # screens at most this wide get the phone rules

CSS = f"""<style>
div[data-testid="stRadioGroup"] {{ gap: 0 0.5rem; }}
div[data-testid="stRadioGroup"] label[data-testid="stRadioOption"] {{
  min-height: {TAP_PX}px; min-width: {TAP_PX}px; align-items: center; margin: 0; padding: 0 0.25rem; box-sizing: border-box;
}}
.stHeading [id] {{ scroll-margin-top: 4.5rem; }}
@media (max-width: {NARROW_PX}px) {{
  .js-plotly-plot .modebar-container {{ display: none !important; }}
}}
</style>"""

UPLOADER_CSS = """<style>
div[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
section[data-testid="stFileUploaderDropzone"] button {{ font-size: 0; }}
section[data-testid="stFileUploaderDropzone"] button::after {{ content: {label}; font-size: 0.875rem; }}
</style>"""


def inject_style(lang: str) -> None:
    """Add the global style rules, with the uploader's words in the page's language, to the page (one invisible element)."""
    st.html(CSS + UPLOADER_CSS.format(label=json.dumps(t("upload_button", lang), ensure_ascii=False)))
