"""Rename and delete controls shared by the lab (data sets) and the versions page (fits): the store checks the
role and the rules (db.datasets, db.fits); a refusal is shown in the page's language where the control is."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from db.engine import StoreError

from .access import refusal


def rename_form(form: str, field_label: str, value: str, field_key: str, button: str,
                rename: Callable[[str], str], lang: str) -> str | None:
    """A one-field rename form; the stored name once the store took the new one, else None (a refusal is shown)."""
    with st.form(form, enter_to_submit=False, border=False):
        new_name = st.text_input(field_label, value=value, max_chars=200, key=field_key)
        if st.form_submit_button(button):
            try:
                return rename(new_name)
            except StoreError as exc:
                st.error(refusal(exc, lang))
    return None


def confirmed_delete(confirm: str, confirm_key: str, button: str, button_key: str,
                     delete: Callable[[], object], lang: str) -> bool:
    """A delete button enabled only once its confirmation is ticked; True once the store has deleted."""
    confirmed = st.checkbox(confirm, key=confirm_key)
    if st.button(button, disabled=not confirmed, type="primary", key=button_key):
        try:
            delete()
            return True
        except StoreError as exc:
            st.error(refusal(exc, lang))
    return False
