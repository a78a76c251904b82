"""A firm's results: standing, expected performance, its own return on AIGC, the priority lever,
what-if, recommendations, saving and reports. Reused by the workshop pages."""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cbec_core.instrument import ANTECEDENTS, size_band
from cbec_core.model import FittedModel
from cbec_core.population import ALL, SEGMENT_DIMENSIONS, segment_key
from cbec_core.recommendations import recommend
from cbec_core.scoring import FirmScore, score_firm, what_if
from db.assessments import save_assessment
from db.engine import StoreError, StoreUnavailable

from ..charts.firm import results_charts
from ..i18n import construct_name, error_text, source_text, t
from .clock import number
from .questionnaire import JUMP
from ..report.content import moved_levers, peer_line, segment_label
from ..report.html import html_report
from ..report.pdf import pdf_report

RESULTS_MEMO = "results_memo"  # (answers, fit, segment, language) -> the score and charts drawn for them
SAVE_ERROR = "save_error"  # why the last save was refused, shown once under the button
WORKSHOP_CLOSED = "save_workshop_closed"  # the workshop that closed before this participant's save: saved outside it
RESULTS_ANCHOR = "results"  # the results heading's id, scrolled to after each valid submission


def firm_segment(answers: dict, dimension: str) -> str:
    """The benchmark segment key of the firm on one dimension ('all' for the whole benchmark)."""
    if dimension == ALL:
        return ALL
    value = size_band(answers["firm_size"]) if dimension == "size_band" else answers.get(dimension)
    return segment_key(dimension, value)


def render_results(answers: dict, fit_id: int, fitted: FittedModel, lang: str, *, workshop_id: int | None = None) -> FirmScore:
    """Draw the whole results section for validated answers and return the score shown."""
    st.header(t("results", lang), anchor=RESULTS_ANCHOR)
    jump_to_results()
    dimension = st.selectbox(t("peer_segment", lang), (ALL, *SEGMENT_DIMENSIONS), key="peer_dimension",
                             format_func=lambda d: t("segment_all" if d == ALL else f"segment_{d}", lang))
    requested = firm_segment(answers, dimension)
    score, charts = scored(answers, fit_id, fitted, requested, lang)
    if score.segment != requested:  # unknown or fewer than 5 firms: compared with the whole benchmark
        st.info(t("segment_fallback", lang, segment=segment_label(requested, lang)))
    st.markdown(peer_line(score, fitted, lang))
    for key, (figure, reading) in charts.items():
        st.plotly_chart(figure, width="stretch", key=f"chart_{key}")
        st.caption(reading)
        if key == "ipma":
            what_if_panel(score, fitted, lang)
    st.subheader(t("recommendations", lang))
    for rec in recommend(score, answers):
        with st.container(border=True):
            st.markdown(f"**{construct_name(rec.construct, lang)} · {rec.title(lang)}**")
            st.write(rec.action(lang))
            st.caption(f"{t('source', lang)}{'：' if lang == 'zh' else ': '}{source_text(rec.source, lang)}")
    save_panel(answers, score, fit_id, lang, workshop_id)
    report_downloads(score, fitted, answers, charts, lang)
    return score


def jump_to_results() -> None:
    """Once after each valid submission, scroll the page to the results heading (the form sits above it).

    The script runs in the page itself (no iframe, nothing fetched); the submission count makes each
    jump's element new, so the browser runs it again after the next submission.
    """
    jump = st.session_state.pop(JUMP, None)
    if jump is None:
        return
    st.html(f"""<script>/* jump {jump} */
(() => {{
  let tries = 0;
  const go = () => {{
    const heading = document.getElementById("{RESULTS_ANCHOR}");
    if (!heading) {{ if (tries++ < 100) setTimeout(go, 50); return; }}
    heading.scrollIntoView({{block: "start"}});
    setTimeout(() => heading.scrollIntoView({{block: "start"}}), 400);  // again once the folded form has settled
  }};
  go();
}})();
</script>""", unsafe_allow_javascript=True)


def what_if_scenario(score: FirmScore) -> dict[str, float]:
    """The what-if sliders moved off the firm's own scores, {construct code: value}; empty before any move."""
    return moved_levers(score, slider_values(st.session_state))


def slider_values(state) -> dict[str, float | None]:
    """The what-if sliders' values in a session's state, None for a slider not drawn yet."""
    return {code: state[f"whatif_{code}"] if f"whatif_{code}" in state else None for code in ANTECEDENTS}


@st.fragment
def what_if_panel(score: FirmScore, fitted: FittedModel, lang: str) -> None:
    """Sliders for AIGC, IO, LSC and DC; only this panel reruns as they move.

    No change is shown before a slider moves; an expected value beyond the 1–5 scale is shown at the
    scale's end with a warning that the model extrapolates (`cbec_core.scoring.beyond_scale`).
    """
    st.subheader(t("whatif_title", lang))
    st.caption(t("whatif_intro", lang))
    cols = st.columns(4)
    for col, code in zip(cols, ANTECEDENTS):
        with col:
            st.slider(construct_name(code, lang), 1.0, 5.0, float(score.scores[code]), 0.05, key=f"whatif_{code}")
    scenario = what_if_scenario(score)
    result = what_if(fitted, score, **scenario)
    if result["extrapolated"]:
        st.warning(t("whatif_capped", lang), icon=":material/warning:")
    st.metric(construct_name("HQD", lang), number(result["HQD_expected"], lang),
              f"{result['HQD_change']:+.2f}" if scenario else None)
    st.caption(t("whatif_result", lang, dc=result["DC_expected"], hqd=result["HQD_expected"], change=result["HQD_change"])
               if scenario else t("whatif_unmoved", lang, dc=result["DC_expected"], hqd=result["HQD_expected"]))


def scored(answers: dict, fit_id: int, fitted: FittedModel, segment: str, lang: str) -> tuple[FirmScore, dict]:
    """The firm's score and results charts, computed once per answers, benchmark, segment and language in a session.

    The page's other reruns (pressing Save, a download) draw the same figures: recomputing them on each one
    was about a third of the server's CPU per participant in bench/room_load.py.
    """
    key = (tuple(sorted(answers.items())), fit_id, segment, lang)
    memo = st.session_state.get(RESULTS_MEMO)
    if memo is None or memo[0] != key:
        score = score_firm(answers, fitted, segment=segment)
        memo = (key, score, results_charts(score, fitted, lang))
        st.session_state[RESULTS_MEMO] = memo
    return memo[1], memo[2]


def _save(answers: dict, score: FirmScore, fit_id: int, workshop_id: int | None, lang: str) -> None:
    """The save button's callback: store before the page reruns, so that one run shows the key (no second run).

    A workshop that closed before the save refuses it in the store; the panel then offers to save outside it.
    """
    state = st.session_state
    try:
        state["saved_key"] = save_assessment(answers, score, fit_id, firm_key=state.get("save_key", "").strip() or None,
                                             workshop_id=workshop_id, consent=bool(state.get("save_consent")),
                                             share_row=workshop_id is not None and bool(state.get("save_share_row")))
    except StoreUnavailable:
        state[SAVE_ERROR] = t("store_unavailable", lang)
    except StoreError as exc:
        if exc.code == "workshop_closed" and workshop_id is not None:
            state[WORKSHOP_CLOSED] = workshop_id
        else:
            state[SAVE_ERROR] = error_text(exc, lang)
    except ValueError as exc:  # SurveyError says what to do
        state[SAVE_ERROR] = error_text(exc, lang)


def save_panel(answers: dict, score: FirmScore, fit_id: int, lang: str, workshop_id: int | None) -> None:
    """Save with consent; show the firm key once saved. Once the workshop has closed, say so and save outside it."""
    st.subheader(t("save_title", lang))
    late = workshop_id is not None and st.session_state.get(WORKSHOP_CLOSED) == workshop_id
    if st.session_state.get("saved_key"):
        st.success(t("saved", lang, key=st.session_state["saved_key"]))
        if late:
            st.caption(t("save_outside_done", lang))
        return
    if late:
        st.warning(t("save_workshop_closed", lang), icon=":material/event_busy:")
    with st.form("save", enter_to_submit=False):
        st.checkbox(t("save_consent", lang), key="save_consent")
        if workshop_id is not None and not late:
            st.checkbox(t("ws_share_row", lang), key="save_share_row")
        st.text_input(t("save_key_optional", lang), key="save_key", max_chars=12)
        st.form_submit_button(t("save_outside_button" if late else "save_button", lang), type="primary" if late else "secondary",
                              on_click=_save, args=(answers, score, fit_id, None if late else workshop_id, lang))
        if SAVE_ERROR in st.session_state:
            st.error(st.session_state.pop(SAVE_ERROR))


def report_downloads(score: FirmScore, fitted: FittedModel, answers: dict, charts: dict, lang: str) -> None:
    """HTML and PDF report buttons; each file is built when clicked, with the firm key and what-if levers as they are then.

    A download runs outside the script (no script context, so `st.session_state` there would be a blank stand-in):
    the callables read this session's own state object, so a key saved or a slider moved in the what-if fragment
    after this run still reaches the report.
    """
    state = get_script_run_ctx().session_state

    def extras() -> dict:
        return {"firm_key": state["saved_key"] if "saved_key" in state else None,
                "whatif": moved_levers(score, slider_values(state))}

    left, right = st.columns(2)
    with left:
        st.download_button(t("download_html", lang), lambda: html_report(score, fitted, answers, charts, lang, **extras()),
                           file_name="cbec-benchmark-report.html", mime="text/html", key="dl_html")
    with right:
        st.download_button(t("download_pdf", lang), lambda: pdf_report(score, fitted, answers, lang, **extras()),
                           file_name="cbec-benchmark-report.pdf", mime="application/pdf", key="dl_pdf")
