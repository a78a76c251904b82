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
from tests.actors import ADMIN, FACILITATOR, VISITOR

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


def _counts(at: AppTest, lang: str = "en") -> tuple[str, str, str]:
    """The live view's joined, saved and still-answering counts, by their labels."""
    values = {m.label: m.value for m in at.metric}
    return tuple(values[t(key, lang)] for key in ("ws_joined_count", "ws_saved_count", "ws_answering_count"))


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
    from app.ui.room_link import join_link
    from app.ui.workshop import qr_svg
    assert join_link("ABC234", None) == "workshop_join?code=ABC234"
    assert join_link("ABC234", "https://bench.example.org/workshop_admin") == "https://bench.example.org/workshop_join?code=ABC234"
    assert join_link("ABC234", "http://h:8501/cbec/workshop_admin?x=1") == "http://h:8501/cbec/workshop_join?code=ABC234"
    assert join_link("ABC234", "https://b.org/workshop_admin", "zh") == "https://b.org/workshop_join?code=ABC234&lang=zh"
    # a configured public address wins over the browser's, path included
    assert join_link("ABC234", "http://127.0.0.1:8501/workshop_admin", "en", "https://b.org/cbec") == \
        "https://b.org/cbec/workshop_join?code=ABC234&lang=en"
    svg = qr_svg("https://bench.example.org/workshop_join?code=ABC234")
    assert svg.startswith("<svg") and 'width="240"' in svg and "<path" in svg


def test_public_url_is_checked_and_loopback_links_are_recognised(monkeypatch):
    import subprocess
    import sys

    from app.ui.room_link import PUBLIC_URL_ENV, check_public_url, loopback_host, public_url
    assert check_public_url(" http://192.168.1.20:8501/ ") == "http://192.168.1.20:8501"
    assert check_public_url("https://bench.example.org/cbec") == "https://bench.example.org/cbec"
    for bad in ("192.168.1.20:8501", "ftp://h", "http://", "http://h:99999", "https://h/?x=1", "bench.example.org"):
        with pytest.raises(ValueError, match=PUBLIC_URL_ENV):
            check_public_url(bad)
    monkeypatch.delenv(PUBLIC_URL_ENV, raising=False)
    assert public_url() is None
    monkeypatch.setenv(PUBLIC_URL_ENV, "http://10.0.0.5:8501/")
    assert public_url() == "http://10.0.0.5:8501"
    for link, host in (("http://127.0.0.1:8501/workshop_join?code=A", "127.0.0.1"), ("http://localhost/x", "localhost"),
                       ("http://[::1]:8501/x", "::1"), ("http://0.0.0.0:8501/x", "0.0.0.0"), ("http://127.8.0.1/x", "127.8.0.1"),
                       ("http://app.localhost/x", "app.localhost"), ("http://192.168.1.20:8501/x", None),
                       ("https://bench.example.org/x", None), ("workshop_join?code=A", None)):
        assert loopback_host(link) == host, link
    refused = subprocess.run([sys.executable, "-m", "app.cli", "serve", "--public-url", "192.168.1.20:8501"],
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "CBEC_PUBLIC_URL must be the address participants open" in refused.stderr


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
    assert not at.error and _counts(at) == ("0", "0", "0")


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
    assert _counts(at) == ("4", "4", "0")
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
    assert _counts(at) == ("5", "5", "0") and not at.info
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
    assert _counts(at, "zh") == ("30", "30", "0")
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


def _join_screen(at: AppTest, code: str) -> tuple[str, list[str]]:
    """The join screen on a page: the code shown as a metric, the code blocks (the link), and a QR image; returns
    the link and every code block's text."""
    assert code in [m.value for m in at.metric]
    shown = [c.value for c in at.code]
    link = next(c for c in shown if f"workshop_join?code={code}" in c)
    assert len(at.get("image")) == 1  # the QR code
    return link, shown


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_join_screen_comes_back_after_a_reload_without_the_secret(page, lang):
    import db
    at = page("workshop_admin", lang)
    at.text_input(key="ws_name").set_value("Hangzhou training day")
    at = _press(at, t("ws_create", lang))
    created = at.session_state["ws_created"]
    code, secret = created["code"], created["secret"]
    assert at.query_params["show"] == code  # in the address: a reload keeps the join screen
    closed = db.create_workshop("Yesterday", actor=ADMIN).workshop
    db.close_workshop(closed.id, actor=ADMIN)

    reloaded = page("workshop_admin", lang)  # a new session, as after a reload: nothing kept but the address
    reloaded.query_params["show"] = code
    reloaded.run()
    link, shown = _join_screen(reloaded, code)
    assert link.endswith(f"workshop_join?code={code}&lang={lang}")
    assert secret not in "\n".join(shown) + _texts(reloaded)  # the secret was shown once; only its hash is kept
    assert not any(t("ws_secret_warning", lang) in w.value for w in reloaded.warning)

    fresh = _press(reloaded, t("ws_back_to_list", lang))  # the list of open workshops, under the form
    assert "show" not in fresh.query_params and not fresh.get("image")
    buttons = [b.label for b in fresh.button if (b.key or "").startswith("ws_show_")]
    assert buttons == [t("ws_show_join_screen", lang)]  # the closed workshop is not listed
    assert any(code in m.value and "Hangzhou training day" in m.value for m in fresh.markdown)
    fresh.button(key=f"ws_show_{code}").click()
    fresh.run()
    _join_screen(fresh, code)
    assert secret not in _texts(fresh)

    gone = page("workshop_admin", lang)
    gone.query_params["show"] = closed.join_code
    gone.run()
    assert [w.value for w in gone.warning] == [t("ws_show_gone", lang, code=closed.join_code)] and not gone.get("image")


def test_the_open_workshops_need_the_role_in_the_store(page):
    import db
    from app.ui.access import roles_for
    code = db.create_workshop("Guarded", actor=ADMIN).workshop.join_code
    at = page("workshop_admin")
    at.session_state["actor"] = VISITOR  # the router would show the sign-in; the store refuses on its own too
    at.query_params["show"] = code
    at.run()
    assert [e.value for e in at.error] == [t("permission_denied", "en", roles=roles_for("watch_workshop", "en"))]
    assert not at.button and not at.get("image") and code not in _texts(at)


def test_the_link_uses_the_public_address_and_warns_on_a_loopback_one(page, monkeypatch):
    import db
    code = db.create_workshop("Room 3", actor=ADMIN).workshop.join_code
    monkeypatch.setenv("CBEC_PUBLIC_URL", "http://192.168.1.20:8501/")
    at = page("workshop_admin", "zh", code=None)
    at.query_params["show"] = code
    at.run()
    link, _ = _join_screen(at, code)
    assert link == f"http://192.168.1.20:8501/workshop_join?code={code}&lang=zh" and not at.warning
    monkeypatch.setenv("CBEC_PUBLIC_URL", "http://localhost:8501")
    at.run()
    assert [w.value for w in at.warning] == [t("ws_loopback_warning", "zh", host="localhost", name="CBEC_PUBLIC_URL",
                                               example="http://192.168.1.20:8501")]
    monkeypatch.setenv("CBEC_PUBLIC_URL", "bench.example.org")
    at.run()
    assert [e.value for e in at.error] == [t("ws_public_url_bad", "zh", name="CBEC_PUBLIC_URL", value="bench.example.org",
                                             example="http://192.168.1.20:8501")]
    assert _join_screen(at, code)[0] == f"workshop_join?code={code}&lang=zh"  # AppTest has no browser address


def test_the_live_view_counts_who_joined_and_has_not_saved_and_shows_the_join_screen(page):
    import db
    created = db.create_workshop("Counting", actor=ADMIN)
    workshop, code = created.workshop, created.workshop.join_code
    participant = page("workshop_join", code=code)  # entering the code counts this browser session once
    participant.run()
    db.record_join(workshop.id, "another browser")
    db.record_join(workshop.id, "a third browser")
    participant = _fill(participant, "en")
    participant.checkbox(key="save_consent").check()
    key = _press(participant, t("save_button", "en")).session_state["saved_key"]
    at = _live(page, code, created.secret)
    assert _counts(at) == ("3", "1", "2")
    assert t("ws_progress_note", "en", joined=3, saved=1, answering=2) in _texts(at)
    assert key not in _texts(at)  # counts only: no firm named
    link, _ = _join_screen(at, code)  # in the expander "Show join screen"
    assert link == f"workshop_join?code={code}&lang=en"
    assert created.secret not in _texts(at)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_late_participant_keeps_the_results_and_saves_outside_the_workshop(page, lang):
    import db
    workshop = db.create_workshop("Closing early", actor=ADMIN).workshop
    at = _fill(page("workshop_join", lang, code=workshop.join_code), lang)
    assert at.header[0].value == t("results", lang)
    at.checkbox(key="save_consent").check()
    at.checkbox(key="save_share_row").check()
    db.close_workshop(workshop.id, actor=ADMIN)  # the facilitator closes while the results are on screen
    at = _press(at, t("save_button", lang))
    assert not at.exception, at.exception
    assert at.header[0].value == t("results", lang) and at.get("plotly_chart")  # the results stay
    assert len(at.get("download_button")) == 2  # and so does the report
    assert [w.value for w in at.warning if w.value != t("synthetic_banner", lang)] == \
        [t("ws_closed_keep_results", lang, name=workshop.name), t("save_workshop_closed", lang)]
    assert "saved_key" not in at.session_state and not at.error
    assert not [c for c in at.checkbox if c.key == "save_share_row"]  # nothing to share outside the workshop
    at = _press(at, t("save_outside_button", lang))
    key = at.session_state["saved_key"]
    assert any(key in s.value for s in at.success) and t("save_outside_done", lang) in _texts(at)
    assert db.workshop_assessments(workshop.id).empty  # the store's refusal stands: not in the workshop
    history = db.assessment_history(key)
    assert len(history) == 1 and history["workshop_id"].isna().all() and bool(history["consent"].iloc[0])
    assert not history["share_row"].any()


def test_a_participant_who_saved_before_the_closing_is_not_told_otherwise(page):
    import db
    workshop = db.create_workshop("Saved in time", actor=ADMIN).workshop
    at = _fill(page("workshop_join", code=workshop.join_code), "en")
    key = _press(at, t("save_button", "en")).session_state["saved_key"]
    db.close_workshop(workshop.id, actor=ADMIN)
    at.run()
    assert any(key in s.value for s in at.success) and t("save_outside_done", "en") not in _texts(at)
    assert list(db.workshop_assessments(workshop.id)["firm_key"]) == [key]
