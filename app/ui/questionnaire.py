"""The bilingual questionnaire form: full (19 items) or quick (five scores), plus the firm's controls.

Answers are validated when the form is submitted (in the button's callback, before the page reruns),
so each message appears right under the field it is about. Once valid answers are in, the form folds
into an "Edit your answers" expander and the results below it are scrolled into view (`JUMP`).
"""
from __future__ import annotations

import streamlit as st

from cbec_core.instrument import BUSINESS_MODELS, CONSTRUCTS, ITEM_BY_COLUMN, LIKERT_MAX, LIKERT_MIN, REGIONS
from cbec_core.pilot_zones import zone_by_name, zone_names
from cbec_core.reference import PROVINCE_REGION
from cbec_core.scoring import CONTROL_KEYS

from ..i18n import N_, construct_name, control_label, place_name, region_label, t

ERRORS = "questionnaire_errors"
ANSWERS = "assessment"
JUMP = "jump_to_results"  # how many valid submissions this session made; the results scroll into view after each


def _field_error(column: str) -> None:
    message = st.session_state.get(ERRORS, {}).get(column)
    if message:
        st.error(message, icon=":material/error:")


def collect(state, quick: bool) -> dict:
    """The answers as `cbec_core.scoring` takes them, read from the widgets' state."""
    if quick:
        answers = {c.code: state.get(f"s_{c.code}") for c in CONSTRUCTS}
    else:
        answers = {col: state.get(f"q_{col}") for col in ITEM_BY_COLUMN}
    answers |= {k: state.get(f"c_{k}") for k in (*CONTROL_KEYS, "province", "zone")}
    return answers


RANGES = {"firm_size": (N_("firm_size_range"), 1, True), "firm_age": (N_("firm_age_range"), 0, False)}
"""Number fields checked here rather than by the widget's min_value, whose range tooltip Streamlit words in English."""


def _out_of_range(key: str, value: float) -> str | None:
    """The label key of the message for a number outside its field's range, or None when it is fine."""
    if key in {c.code for c in CONSTRUCTS}:
        return None if LIKERT_MIN <= value <= LIKERT_MAX else N_("score_range")
    if key in RANGES:
        label, low, whole = RANGES[key]
        return None if value >= low and (not whole or value == int(value)) else label
    return None


def validate(answers: dict, lang: str) -> dict[str, str]:
    """A message per field that needs fixing (empty when the answers can be scored)."""
    errors = {}
    for key, value in answers.items():
        if value is None and key in ITEM_BY_COLUMN:
            errors[key] = t("missing_item", lang)
        elif value is None and (key in CONTROL_KEYS or key in {c.code for c in CONSTRUCTS}):
            errors[key] = t("missing_control", lang)
        elif isinstance(value, (int, float)) and (problem := _out_of_range(key, value)):
            errors[key] = t(problem, lang)
    province, region = answers.get("province"), answers.get("region")
    if province and region and PROVINCE_REGION.get(province) not in (None, region):
        errors["province"] = t("province_region_mismatch", lang, province=place_name(province, lang),
                               region=region_label(PROVINCE_REGION[province], lang))
    return errors


def item_label(column: str, lang: str) -> str:
    """An item's label: its column code for English readers (as in the paper), its number for Chinese ones."""
    text = ITEM_BY_COLUMN[column].text(lang)
    if lang == "zh":
        return f"**{list(ITEM_BY_COLUMN).index(column) + 1}.** {text}"
    return f"**{column}** · {text}"


def _submit(quick: bool, lang: str) -> None:
    answers = collect(st.session_state, quick)
    errors = validate(answers, lang)
    st.session_state[ERRORS] = errors
    if not errors:
        st.session_state[ANSWERS] = {k: v for k, v in answers.items() if v not in (None, "")}
        st.session_state[JUMP] = st.session_state.get(JUMP, 0) + 1
        for key in ("saved_key", *(k for k in st.session_state if str(k).startswith("whatif_"))):
            st.session_state.pop(key, None)  # new answers: a new key to save, the what-if starts from them


def questionnaire_form(lang: str) -> None:
    """Render the form (folded once answered); a valid submission lands in st.session_state['assessment']."""
    answered = ANSWERS in st.session_state and not st.session_state.get(ERRORS)
    with st.expander(t("edit_answers", lang), icon=":material/edit:") if answered else st.container():
        _form(lang)


def _form(lang: str) -> None:
    """The intro, the mode switch and the form itself."""
    st.write(t("assess_intro", lang))
    quick = st.radio(t("mode", lang), ["full", "quick"], horizontal=True, key="mode",
                     format_func=lambda m: (t("mode_full", lang) if m == "full" else t("mode_quick", lang))) == "quick"
    if st.session_state.get(ERRORS):
        st.error(t("fix_errors", lang))
    with st.form("questionnaire", border=True, enter_to_submit=False):
        if quick:
            for c in CONSTRUCTS:
                st.number_input(t("quick_score", lang, construct=c.name(lang)), step=0.25, value=None, key=f"s_{c.code}")
                _field_error(c.code)
        else:
            for c in CONSTRUCTS:
                st.subheader(construct_name(c.code, lang))
                st.caption(t("likert_anchors", lang))  # once per block: captions under options pushed "5" onto a new line
                for col in c.items:
                    st.radio(item_label(col, lang), [1, 2, 3, 4, 5], index=None, horizontal=True, key=f"q_{col}")
                    _field_error(col)
        st.subheader(t("controls", lang))
        left, right = st.columns(2)
        with left:
            st.number_input(control_label("firm_size", lang), step=1, value=None, key="c_firm_size")
            _field_error("firm_size")
            st.selectbox(control_label("region", lang), REGIONS, index=None, format_func=lambda r: region_label(r, lang),
                         key="c_region", placeholder=t("not_answered", lang))
            _field_error("region")
            st.radio(control_label("pilot_zone", lang), [1, 0], index=None, horizontal=True, key="c_pilot_zone",
                     format_func=lambda v: (t("yes", lang) if v else t("no", lang)))
            _field_error("pilot_zone")
        with right:
            st.number_input(control_label("firm_age", lang), step=1, value=None, key="c_firm_age")
            _field_error("firm_age")
            st.radio(control_label("business_model", lang), BUSINESS_MODELS, index=None, horizontal=True, key="c_business_model")
            _field_error("business_model")
            st.selectbox(t("province_optional", lang), sorted(PROVINCE_REGION), index=None, key="c_province",
                         format_func=lambda p: place_name(p, lang), placeholder=t("not_answered", lang))
            _field_error("province")
            st.selectbox(t("zone_optional", lang), zone_names(), index=None, key="c_zone",  # type to search, either language
                         format_func=lambda z: zone_by_name(z).label(lang), placeholder=t("zone_search", lang))
        st.form_submit_button(t("submit", lang), type="primary", on_click=_submit, args=(quick, lang))
