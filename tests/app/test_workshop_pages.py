"""The workshop pages under AppTest on a real SQLite store: facilitator, participant, live view and export.

Each page is reached through a one-page `st.navigation` wrapper, as the dashboard's router runs it.
"""
from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from app.i18n import t
from app.report.plotly_js import packed_plotlyjs
from cbec_core.instrument import ITEM_COLUMNS
from cbec_core.reference import SYNTHETIC_LABEL
from cbec_core.scoring import score_firm
from tests.actors import ADMIN, FACILITATOR

VIEWS = Path(__file__).resolve().parents[2] / "app" / "app_pages"
FIRM = {**{c: 4 for c in ITEM_COLUMNS}, "AIGC1": 5, "IO2": 2, "LSC3": 3}
CONTROLS = {"firm_size": 120, "firm_age": 6, "region": "east", "business_model": "B2C", "pilot_zone": 1}
WRAPPER = "import streamlit as st\nst.navigation([st.Page({path!r})]).run()\n"


@pytest.fixture(autouse=True)
def ready(store):
    """The store migrated and seeded before the page opens, as the dashboard's router does."""
    import db
    db.ensure_ready()


@pytest.fixture
def page(tmp_path):
    """page(view, lang, code=None): an AppTest of one view, run once."""
    def open_page(view: str, lang: str = "en", code: str | None = None) -> AppTest:
        script = tmp_path / f"run_{view}.py"
        script.write_text(WRAPPER.format(path=str(VIEWS / f"{view}.py")))
        at = AppTest.from_file(str(script), default_timeout=60)
        at.session_state["lang"] = lang
        at.session_state["actor"] = FACILITATOR  # the facilitator's pages need the role; participants' pages ignore it
        if code is not None:
            at.query_params["code"] = code
        at.run()
        assert not at.exception, at.exception
        return at
    return open_page


def _benchmark():
    from db.fits import active_fit_id, get_fit
    fit_id = active_fit_id()
    return fit_id, get_fit(fit_id)


def _participants(workshop_id: int, n: int, *, threads: int = 1) -> list[str]:
    """n firms saved into a workshop through the repository API (concurrently with threads > 1)."""
    import db
    fit_id, fitted = _benchmark()
    answers = [{**{c: 1 + (i + j) % 5 for j, c in enumerate(ITEM_COLUMNS)}, **CONTROLS, "firm_size": 10 + i} for i in range(n)]
    scored = [(a, score_firm(a, fitted)) for a in answers]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda pair: db.save_assessment(pair[0], pair[1], fit_id, workshop_id=workshop_id), scored))


def _press(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def _fill(at: AppTest, lang: str) -> AppTest:
    for column, value in FIRM.items():
        at.radio(key=f"q_{column}").set_value(value)
    for key in ("firm_size", "firm_age"):
        at.number_input(key=f"c_{key}").set_value(CONTROLS[key])
    at.selectbox(key="c_region").set_value(CONTROLS["region"])
    for key in ("business_model", "pilot_zone"):
        at.radio(key=f"c_{key}").set_value(CONTROLS[key])
    return _press(at, t("submit", lang))


def _texts(at: AppTest) -> str:
    kinds = ("markdown", "caption", "success", "info", "error", "warning", "code", "metric", "text")
    return "\n".join(str(getattr(e, "value", "")) for kind in kinds for e in at.get(kind))


def _live(page, code: str, secret: str, lang: str = "en") -> AppTest:
    at = page("workshop_live", lang)
    at.text_input(key="ws_live_code").set_value(code)
    at.text_input(key="ws_live_secret").set_value(secret)
    return _press(at, t("ws_open_live", lang))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_facilitator_creates_a_workshop_and_sees_the_secret_once(page, lang):
    import db
    at = page("workshop_admin", lang)
    at.text_input(key="ws_name").set_value("Hangzhou training day")
    at = _press(at, t("ws_create", lang))
    assert not at.exception, at.exception
    created = at.session_state["ws_created"]
    code, secret = created["code"], created["secret"]
    assert at.metric[0].value == code
    shown = [c.value for c in at.code]
    assert secret in shown and any(f"workshop_join?code={code}" in c for c in shown)
    assert any(t("ws_secret_warning", lang) in w.value for w in at.warning)
    assert len(at.get("image")) == 1  # the QR code
    assert db.verify_secret(code, secret) and db.find_workshop(code).closes_at is not None
    at = _press(at, t("ws_secret_done", lang))
    assert secret not in _texts(at) and "secret" not in at.session_state["ws_created"]
    assert at.metric[0].value == code


def test_join_link_and_qr_code():
    from app.ui.workshop import join_link, qr_svg
    assert join_link("ABC234", None) == "workshop_join?code=ABC234"
    assert join_link("ABC234", "https://bench.example.org/workshop_admin") == "https://bench.example.org/workshop_join?code=ABC234"
    assert join_link("ABC234", "http://h:8501/cbec/workshop_admin?x=1") == "http://h:8501/cbec/workshop_join?code=ABC234"
    assert join_link("ABC234", "https://b.org/workshop_admin", "zh") == "https://b.org/workshop_join?code=ABC234&lang=zh"
    svg = qr_svg("https://bench.example.org/workshop_join?code=ABC234")
    assert svg.startswith("<svg") and 'width="240"' in svg and "<path" in svg


def test_wrong_secret_is_refused(page):
    import db
    created = db.create_workshop("Ningbo", actor=ADMIN)
    code = created.workshop.join_code
    wrong = created.secret[:-1] + ("2" if created.secret[-1] != "2" else "3")
    for secret in (wrong, "", "not a secret"):
        at = _live(page, code, secret)
        assert [e.value for e in at.error] == [t("ws_wrong_secret", "en")]
        assert "ws_live" not in at.session_state and not at.metric and not at.get("download_button")
    at = _live(page, "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY", created.secret)
    assert at.error and "ws_live" not in at.session_state
    at = _live(page, code.lower(), created.secret.lower())
    assert not at.error and at.metric[0].value == "0"


def test_closed_expired_and_unknown_workshops_refuse_entries(page):
    from datetime import timedelta

    import db
    from db.schema import utcnow
    closed = db.create_workshop("Yiwu", actor=ADMIN).workshop
    db.close_workshop(closed.id, actor=ADMIN)
    expired = db.create_workshop("Last week", opens_at=utcnow() - timedelta(days=8),
                                 closes_at=utcnow() - timedelta(days=7), actor=ADMIN).workshop
    for workshop in (closed, expired):
        at = page("workshop_join", code=workshop.join_code)
        assert [e.value for e in at.error] == [t("ws_closed", "en", name=workshop.name)]
        assert "ws_joined" not in at.session_state and not [r for r in at.radio if (r.key or "").startswith("q_")]
    at = page("workshop_join", "zh", code="ZZZZZZ" if closed.join_code != "ZZZZZZ" else "YYYYYY")
    assert "ws_joined" not in at.session_state and at.error[0].value.startswith("没有与加入码")


def test_a_workshop_closing_while_a_participant_answers_stops_the_entry(page):
    import db
    workshop = db.create_workshop("Closing soon", actor=ADMIN).workshop
    at = page("workshop_join", code=workshop.join_code)
    assert at.session_state["ws_joined"]["id"] == workshop.id
    db.close_workshop(workshop.id, actor=ADMIN)
    at.run()
    assert [e.value for e in at.error] == [t("ws_closed", "en", name=workshop.name)]
    assert "ws_joined" not in at.session_state


def test_a_participant_sees_only_their_own_results(page):
    import db
    workshop = db.create_workshop("Shenzhen", actor=ADMIN).workshop
    alice = _fill(page("workshop_join", code=workshop.join_code), "en")
    assert not alice.exception, alice.exception
    assert alice.header[0].value == t("results", "en")
    assert any(i.value == t("ws_save_reminder", "en") for i in alice.info)  # not in the workshop until saved
    alice.checkbox(key="save_consent").check()
    alice = _press(alice, t("save_button", "en"))
    alice_key = alice.session_state["saved_key"]
    assert alice_key and any(alice_key in s.value for s in alice.success)
    assert not any(i.value == t("ws_save_reminder", "en") for i in alice.info)
    saved = db.workshop_assessments(workshop.id)
    assert list(saved["firm_key"]) == [alice_key]

    bob = page("workshop_join")  # typed, not from the link
    bob.text_input(key="ws_code").set_value(workshop.join_code.lower())
    bob = _press(bob, t("ws_join_button", "en"))
    assert bob.session_state["ws_joined"]["id"] == workshop.id
    assert not bob.header and not bob.get("plotly_chart") and "assessment" not in bob.session_state
    assert alice_key not in _texts(bob)
    bob = _fill(bob, "en")
    assert bob.header[0].value == t("results", "en") and alice_key not in _texts(bob)
    assert "saved_key" not in bob.session_state  # Bob's page holds nothing of Alice's


def test_five_firm_rule_on_the_live_view_and_the_export(page):
    import db
    from app.report.workshop import cohort_html, cohort_xlsx
    from app.ui.workshop import summarise
    created = db.create_workshop("Small group", actor=ADMIN)
    workshop, code = created.workshop, created.workshop.join_code
    _participants(workshop.id, 4)
    at = _live(page, code, created.secret)
    assert at.metric[0].value == "4"
    assert any(t("ws_too_few", "en", min=5) in i.value for i in at.info)
    assert not at.get("plotly_chart") and not at.get("download_button")
    _prepare(at)
    assert not at.get("download_button") and sum(t("ws_too_few", "en", min=5) in i.value for i in at.info) == 2
    records = db.workshop_history(workshop.id)
    assert cohort_xlsx(records, "Small group", _benchmark()[1], "en") is None
    _, fitted = _benchmark()
    report = cohort_html("Small group", summarise(records, fitted), fitted, "en").decode()
    assert "plotly" not in report.lower() and t("ws_too_few", "en", min=5) in report

    _participants(workshop.id, 1)
    import streamlit as st
    st.cache_data.clear()  # the live view's queries are cached for 5 s
    at.run()
    assert at.metric[0].value == "5" and not at.info
    assert t("ws_step_note", "en", n=5) in _texts(at)
    assert len(at.get("plotly_chart")) == 3 and not at.get("download_button")  # no firms' dots under 10; exports wait
    _prepare(at)
    assert len(at.get("download_button")) == 2 and t("ws_exports_ready", "en", n=5) in _texts(at)


def _prepare(at: AppTest) -> None:
    """Press the live view's Prepare-the-exports button."""
    at.button(key="ws_prepare").click()
    at.run()
    assert not at.exception, at.exception


def test_thirty_concurrent_participants_reach_the_live_view_and_the_export(page):
    import db
    from app.report.workshop import cohort_html, cohort_xlsx
    from app.ui.workshop import summarise
    created = db.create_workshop("National programme, cohort 1", actor=ADMIN)
    workshop, code = created.workshop, created.workshop.join_code
    keys = _participants(workshop.id, 30, threads=10)
    assert len(set(keys)) == 30
    at = _live(page, code, created.secret, "zh")
    assert not at.exception, at.exception
    assert at.metric[0].value == "30"
    assert len(at.get("plotly_chart")) == 4
    _prepare(at)
    assert len(at.get("download_button")) == 2
    assert not any(key in _texts(at) for key in keys)

    records = db.workshop_history(workshop.id)
    _, fitted = _benchmark()
    book = openpyxl.load_workbook(io.BytesIO(cohort_xlsx(records, workshop.name, fitted, "zh")), read_only=True)
    summary_sheet = t("ws_summary_sheet", "zh")
    assert book.sheetnames == [summary_sheet, t("ws_about_sheet", "zh")]  # nobody shared a row: aggregates only
    about = {str(v) for row in book[t("ws_about_sheet", "zh")].iter_rows(values_only=True) for v in row}
    assert SYNTHETIC_LABEL["zh"] in about and workshop.name in about
    rows = list(book[summary_sheet].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 5 and header[:2] == (t("ws_col_construct", "zh"), t("ws_col_n", "zh"))  # one row per construct
    assert all(row[1] == 30 for row in body)
    cells = {str(v) for row in body for v in row}
    assert not cells & set(keys)
    report = cohort_html(workshop.name, summarise(records, fitted), fitted, "zh").decode()
    assert report.count("<figure>") == 4 and not any(key in report for key in keys)
    assert report.count(packed_plotlyjs()) == 1  # packed inline, once: nothing fetched when the report opens
    rest = report.replace(packed_plotlyjs(), "")
    assert "http://" not in rest and "https://" not in rest and SYNTHETIC_LABEL["zh"] in rest


def test_closing_from_the_live_view(page):
    import db
    created = db.create_workshop("Wrap-up", actor=ADMIN)
    at = _live(page, created.workshop.join_code, created.secret)
    at.button(key="ws_close").click()
    at.run()
    assert not at.exception, at.exception
    assert not db.find_workshop(created.workshop.join_code).is_open()
    assert any(t("ws_closed_now", "en") in s.value for s in at.success)
    assert any(c.value.startswith("Closed since") for c in at.caption)


def test_cohort_charts_put_each_construct_apart_and_count_every_firm():
    import db
    from app.charts.workshop import cohort_charts
    from app.ui.workshop import summarise
    workshop = db.create_workshop("Charts", actor=ADMIN).workshop
    _participants(workshop.id, 12)
    _, fitted = _benchmark()
    summary = summarise(db.workshop_history(workshop.id), fitted)
    charts = cohort_charts(summary, fitted, "en")
    boxes = charts["distributions"][0].data
    assert len({tuple(box.x) for box in boxes}) == 5  # five boxes side by side, not stacked on one spot
    line, dots = charts["plane"][0].data
    firms = ((np.asarray(dots.marker.size) - 9) / 5) ** 2  # one dot per spot, sized by the firms on it
    assert round(float(firms.sum())) == summary.n == 10  # 12 joined: published as at the 10th
    assert not cohort_charts(summarise(db.workshop_history(db.create_workshop("Empty", actor=ADMIN).workshop.id), fitted),
                             fitted, "en")  # under five firms: no chart at all
