"""The model versions page under AppTest on a real SQLite store: list, compare, activate with its confirmation, the pool."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import db
from app.i18n import t
from app.ui.clock import local_time
from cbec_core.instrument import ITEM_COLUMNS
from cbec_core.pool import POOL_THRESHOLD
from cbec_core.reference import SYNTHETIC_LABEL
from cbec_core.scoring import score_firm
from tests.db.store_helpers import answers_of
from tests.actors import ADMIN, RESEARCHER

DASHBOARD = str(Path(__file__).resolve().parents[2] / "app" / "dashboard.py")
FIRM = {**{c: 4 for c in ITEM_COLUMNS}, "AIGC1": 5, "IO2": 2, "LSC3": 3}
CONTROLS = {"firm_size": 120, "firm_age": 6, "region": "east", "business_model": "B2C", "pilot_zone": 1}


def _open(page: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    at.session_state["lang"] = lang
    at.session_state["actor"] = RESEARCHER  # signed in: model versions is a researcher's page
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def _save(survey, rows: range, fit_id: int, consent: bool = False) -> None:
    model = db.get_fit(fit_id)
    for i in rows:
        answers = answers_of(survey.iloc[i])
        db.save_assessment(answers, score_firm(answers, model), fit_id, consent=consent)


def _second_fit(survey, fitted) -> int:
    dataset = db.import_frame(survey, "held-out survey", actor=ADMIN).dataset
    return db.store_fit(dataset.id, fitted, actor=ADMIN)


def _texts(elements) -> str:
    return " ".join(e.value for e in elements)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lists_and_compares_the_fits(lang, survey, fitted):
    seeded = db.ensure_ready()
    second = _second_fit(survey, fitted)
    at = _open("app_pages/versions.py", lang)
    assert at.title[0].value == t("nav_versions", lang)
    listed = at.dataframe[0].value
    assert listed[t("ver_col_id", lang)].tolist() == [second, seeded]
    assert listed[t("ver_col_note", lang)].tolist() == ["", SYNTHETIC_LABEL[lang]]
    assert listed[t("ver_col_active", lang)].tolist() == [False, True]
    assert SYNTHETIC_LABEL[lang] in _texts(at.warning)

    assert (at.selectbox(key="cmp_a").value, at.selectbox(key="cmp_b").value) == (seeded, second)
    compared = at.dataframe[1].value
    assert len(compared) == 23 and t("cmp_indirect", lang) in compared[t("cmp_col_figure", lang)].tolist()
    assert len(at.get("plotly_chart")) == 1
    assert f"#{seeded}" in _texts(at.caption) and f"#{second}" in _texts(at.caption)

    at.selectbox(key="cmp_b").set_value(seeded).run()
    assert t("cmp_same", lang) in _texts(at.info)


def test_activation_names_the_counts_and_the_assess_page_follows(survey, fitted):
    seeded = db.ensure_ready()
    _save(survey, range(1), seeded)
    second = _second_fit(survey, fitted)
    _save(survey, range(1, 3), seeded)
    at = _open("app_pages/versions.py")
    assert at.selectbox(key="act_pick").value == second

    at.button(key="act_button").click().run()
    since = local_time(db.activation_impact(second).active_since, "en")  # when the seeded fit became the benchmark
    assert t("act_confirm", "en", id=second, active=seeded, since=since, on_active=3, on_chosen=0, others=0) in _texts(at.warning)
    at.button(key="act_cancel").click().run()
    assert db.active_fit_id() == seeded and "act_confirm" not in [b.key for b in at.button]

    at.button(key="act_button").click().run()
    at.button(key="act_confirm").click().run()
    assert not at.exception, at.exception
    assert t("act_done", "en", id=second) in _texts(at.success)
    assert db.active_fit_id() == second
    assert [int(db.assessments_against(f)) for f in (seeded, second)] == [3, 0]  # stored assessments keep their fit

    at.switch_page("app_pages/assess.py").run()  # same session, no 30 s wait: the page scores against the new fit
    assert t("synthetic_banner", "en") not in _texts(at.warning)
    assert t("benchmark_real", "en", label=fitted.label or "—", n=fitted.n_used, date=fitted.settings["fitted_at"]) in _texts(at.caption)
    for column, value in FIRM.items():
        at.radio(key=f"q_{column}").set_value(value)
    at.number_input(key="c_firm_size").set_value(CONTROLS["firm_size"])
    at.number_input(key="c_firm_age").set_value(CONTROLS["firm_age"])
    at.selectbox(key="c_region").set_value(CONTROLS["region"])
    at.radio(key="c_business_model").set_value(CONTROLS["business_model"])
    at.radio(key="c_pilot_zone").set_value(CONTROLS["pilot_zone"])
    at.button[0].click().run()
    expected = score_firm({**FIRM, **CONTROLS}, fitted)
    assert f"{expected.theta:.3f}" in _texts(at.caption)
    at.checkbox(key="save_consent").check()
    at.button(key="FormSubmitter:save-Save this assessment").click().run()
    history = db.assessment_history(at.session_state["saved_key"])
    assert history["model_fit_id"].tolist() == [second]


def test_pool_below_the_threshold_says_how_many_more(survey):
    seeded = db.ensure_ready()
    _save(survey, range(3), seeded, consent=True)
    _save(survey, range(3, 5), seeded, consent=False)
    at = _open("app_pages/versions.py", "zh")
    assert t("pool_needed", "zh", more=POOL_THRESHOLD - 3) in _texts(at.info)
    assert "pool_fit" not in [b.key for b in at.button]


def test_pool_at_the_threshold_is_fitted_and_listed(survey):
    seeded = db.ensure_ready()
    _save(survey, range(POOL_THRESHOLD), seeded, consent=True)
    at = _open("app_pages/versions.py")
    assert t("pool_ready", "en", n=POOL_THRESHOLD) in _texts(at.success)
    at.button(key="pool_fit").click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    fits = db.list_fits()
    collected = fits[fits["provenance"] == "collected"]
    assert len(collected) == 1 and collected["n_used"].item() == POOL_THRESHOLD and not collected["active"].item()
    new_id = int(collected["id"].item())
    assert t("pool_done", "en", name=collected["dataset"].item(), id=new_id) in _texts(at.success)
    assert at.dataframe[0].value[t("ver_col_id", "en")].tolist()[0] == new_id  # the rerun lists it at the top
    at.button(key="pool_fit").click().run()  # nothing new in the pool: refused, nothing stored
    assert "has not changed" in _texts(at.error) and len(db.list_fits()) == 2


def test_a_firm_history_spans_two_benchmarks(survey, fitted):
    """A firm that re-assesses after a switch keeps both rows, each scored against its own fit."""
    seeded = db.ensure_ready()
    first = answers_of(survey.iloc[0])
    key = db.save_assessment(first, score_firm(first, db.get_fit(seeded)), seeded)
    second = _second_fit(survey, fitted)
    db.activate(second, actor=ADMIN)
    again = answers_of(survey.iloc[1])
    db.save_assessment(again, score_firm(again, fitted), second, firm_key=key)
    at = _open("app_pages/history.py")
    at.text_input(key="history_key").set_value(key)
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert at.dataframe[0].value[t("history_fit", "en")].tolist() == [seeded, second]
    assert at.info[0].value == t("history_mixed_fits", "en", fits=f"#{seeded}, #{second}")
    assert db.assessment_history(key)["model_fit_id"].tolist() == [seeded, second]


def test_a_fit_is_renamed_an_unused_one_deleted_and_a_kept_one_says_why(survey, fitted):
    seeded = db.ensure_ready()
    second = _second_fit(survey, fitted)
    at = _open("app_pages/versions.py")
    listed = at.dataframe[0].value
    assert "None" not in listed.astype(str).to_numpy().ravel().tolist()  # an empty cell prints "—" or nothing
    assert listed[t("activated_by", "en")].tolist()[0] == "—" and listed["CFI"].tolist()[0] == f"{fitted.structural.fit.cfi:.3f}"

    at.selectbox(key="ver_manage_pick").set_value(second).run()
    at.text_input(key=f"ver_label_{second}").set_value("held-out, first look")
    next(b for b in at.button if b.label == t("ver_rename", "en")).click()
    at.run()
    assert t("ver_renamed", "en", id=second, label="held-out, first look") in _texts(at.success)
    assert db.list_fits().set_index("id").loc[second, "label"] == "held-out, first look"

    assert at.button(key="ver_delete").disabled  # behind its confirmation
    at.checkbox(key=f"ver_delete_ok_{second}").check().run()
    at.button(key="ver_delete").click().run()
    assert not at.exception, at.exception
    assert t("ver_deleted", "en", id=second) in _texts(at.success)
    assert db.list_fits()["id"].tolist() == [seeded]

    at.selectbox(key="ver_manage_pick").set_value(seeded).run()  # the benchmark: no delete, and why
    assert "ver_delete" not in [b.key for b in at.button]
    assert t("store_fit_was_active", "en", fit_id=seeded) in _texts(at.info)
    _save(survey, range(2), seeded)
    at.run()
    assert t("store_fit_scored", "en", fit_id=seeded, n=2) in _texts(at.info)  # assessments scored with it say more
