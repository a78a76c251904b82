"""The model lab under AppTest, through the real dashboard on a real SQLite store in a fresh data directory:
a broken upload is reported whole and stores nothing; a good one is stored, fitted, read, and activated;
a degenerate data set fails with a readable reason; the page shows the figures `cbec fit --json` gives."""
from __future__ import annotations

from pathlib import Path

import re

import pandas as pd
import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import StopException
from streamlit.testing.v1 import AppTest

from app.i18n import has, t, table_words
from app.ui.state import load_fit
from app.ui.tables import lab_headers
from cbec_core import tables
from cbec_core.instrument import CONSTRUCT_CODES, ITEM_COLUMNS
from cbec_core.survey import SurveyError
from tests.conftest import simulate_survey
from tests.test_tables import cli_model
from tests.actors import ADMIN, RESEARCHER


DASHBOARD = str(Path(__file__).resolve().parents[2] / "app" / "dashboard.py")
RESAMPLES, SEED = 300, 17


def _open(lang: str = "en") -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.session_state["lang"] = lang
    at.session_state["actor"] = RESEARCHER  # signed in: the lab is a researcher's page
    at.run()
    at.switch_page("app_pages/lab.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _upload(at: AppTest, name: str, frame: pd.DataFrame) -> AppTest:
    at.file_uploader(key="lab_upload").set_value((name, frame.to_csv(index=False).encode(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return at


def _store(at: AppTest, name: str) -> AppTest:
    at.text_input(key="lab_name").set_value(name)
    next(b for b in at.button if b.label == t("lab_store", at.session_state["lang"])).click()
    at.run()
    assert not at.exception, at.exception
    return at


def _fit(at: AppTest, dataset: str, *, controls: bool = False) -> AppTest:
    at.selectbox(key="lab_dataset").set_value(dataset)
    at.number_input(key="lab_resamples").set_value(RESAMPLES)
    at.number_input(key="lab_seed").set_value(SEED)
    at.checkbox(key="lab_with_controls").set_value(controls)
    at.button(key="lab_fit").click()
    at.run()
    assert not at.exception, at.exception
    return at


def _datasets() -> list[str]:
    import db
    return list(db.list_datasets()["name"])


def test_broken_file_shows_every_problem_and_stores_nothing():
    from db.datasets import parse_survey
    at = _open()
    before = _datasets()
    bad = simulate_survey(40, seed=2).astype({"AIGC1": object, "region": object})
    bad.loc[[3, 7, 9], "AIGC1"] = "often"  # text in an item column
    bad.loc[5, "region"] = "north"  # an unknown category
    bad.loc[11, "firm_id"] = "=HYPERLINK(\"x\")"  # a spreadsheet formula
    _upload(at, "broken.csv", bad)
    with pytest.raises(SurveyError) as refused:  # what the store's import says of the same table
        parse_survey(bad)
    problems = refused.value.problems
    assert len(problems) == 5
    assert at.error[0].value == t("lab_refused", "en", file="broken.csv", n=5)
    shown = at.table[0].value  # the problems table (wrapping text): row, column, value, message
    assert list(shown.columns) == [t("lab_col_row", "en"), t("lab_col_column", "en"), t("lab_report_value", "en"),
                                   t("lab_col_message", "en")]
    assert list(shown.iloc[:, 0]) == [p.row for p in problems] and list(shown.iloc[:, 3]) == [p.message for p in problems]
    assert list(shown.iloc[:, 2]) == ["often", "north", "often", "often", "=HYPERLINK(\"x\")"]
    assert not [b for b in at.button if b.label == t("lab_store", "en")]  # no way to store it
    assert _datasets() == before


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_blank_a_9_and_text_are_named_in_one_pass_in_the_page_language(lang):
    at = _open(lang)
    before = _datasets()
    bad = simulate_survey(40, seed=3).astype(object)
    bad.loc[1, "DC2"] = None  # a blank answer
    bad.loc[4, "HQD4"] = 9  # a 9 on a 1–5 item
    bad.loc[7, "firm_age"] = "ten"  # text in a number column
    _upload(at, "three.csv", bad)
    assert at.error[0].value == t("lab_refused", lang, file="three.csv", n=3)
    shown = at.table[0].value
    assert list(shown.iloc[:, 0]) == [3, 6, 9] and list(shown.iloc[:, 1]) == ["DC2", "HQD4", "firm_age"]
    assert list(shown.iloc[:, 2]) == ["", "9", "ten"]
    text = ("'ten' is not a number; enter the firm's age in years" if lang == "en"  # the CLI's words
            else t("problem_not_a_number", lang, value="ten", fix=t("problem_fix_firm_age", lang)))
    assert list(shown.iloc[:, 3]) == [t("problem_cell_missing", lang), t("problem_cell_outside", lang, value="9"), text]
    assert _datasets() == before


def test_fit_twice_names_the_stored_fit_and_stores_one():
    import db
    at = _fit(_store(_upload(_open(), "twice.csv", simulate_survey(200, seed=12)), "twice"), "twice")
    first = at.session_state["lab_fit_id"]
    fits_before = len(db.list_fits())
    at.session_state["lab_fit_id"] = None  # the reader moved on; the second Fit brings the stored one back
    _fit(at, "twice")
    assert len(db.list_fits()) == fits_before
    assert [w.value for w in at.warning if w.value == t("lab_fit_exists", "en", id=first)]
    assert at.session_state["lab_fit_id"] == first
    assert at.selectbox(key=f"lab_read_{first}").value == first
    at.number_input(key="lab_seed").set_value(SEED + 1)  # another seed is another fit
    at.button(key="lab_fit").click()
    at.run()
    assert len(db.list_fits()) == fits_before + 1 and at.session_state["lab_fit_id"] != first


def test_a_data_set_is_renamed_and_deleted_behind_a_confirmation_unless_its_fit_must_stay():
    import db
    at = _store(_upload(_open(), "wave.csv", simulate_survey(60, seed=6)), "wave")
    at.selectbox(key="lab_dataset").set_value("wave").run()
    at.text_input(key="lab_rename_wave").set_value("wave 1")
    next(b for b in at.button if b.label == t("lab_rename", "en")).click()
    at.run()
    assert not at.exception, at.exception
    assert t("lab_renamed", "en", old="wave", new="wave 1") in [s.value for s in at.success]
    assert at.selectbox(key="lab_dataset").value == "wave 1" and "wave" not in _datasets()
    assert at.button(key="lab_delete_dataset").disabled
    at.checkbox(key="lab_delete_ok_wave 1").check().run()
    at.button(key="lab_delete_dataset").click().run()
    assert t("lab_deleted", "en", name="wave 1", n=0) in [s.value for s in at.success]
    assert "wave 1" not in _datasets()
    reference = db.REFERENCE_NAME  # its fit is the benchmark: the page says why it stays, and offers no delete
    at.selectbox(key="lab_dataset").set_value(reference).run()
    assert "lab_delete_dataset" not in [b.key for b in at.button]
    assert any(i.value.startswith(t("lab_dataset_kept", "en", name=reference, reason="")) for i in at.info)


def test_good_file_is_stored_fitted_and_read_with_the_figures_of_cbec_fit_json(tmp_path):
    import db
    survey = simulate_survey(260, seed=21)
    survey.loc[4, "DC2"] = 9  # out of range: stored, excluded from the fit
    at = _upload(_open(), "held-out.csv", survey)
    assert at.success[0].value == t("lab_valid", "en", file="held-out.csv", rows=260, used=259, excluded=1)
    _store(at, "held-out")
    assert "held-out" in _datasets()
    fits_before = len(db.list_fits())
    _fit(at, "held-out", controls=True)
    assert len(db.list_fits()) == fits_before + 1
    assert any(s.value.startswith("Fitted and stored as fit #") for s in at.success)
    assert at.selectbox(key=f"lab_read_{at.session_state['lab_fit_id']}").value == at.session_state["lab_fit_id"]
    assert "259 firms used, 1 excluded listwise" in at.markdown[1].value

    path = tmp_path / "held-out.csv"
    survey.to_csv(path, index=False)
    theirs = tables.all_tables(cli_model(path, tmp_path, "--bootstrap", str(RESAMPLES), "--seed", str(SEED), "--controls"))
    # the upload's bad cells (a table), then every table of the fit and the fit's excluded rows (data frames)
    assert at.table[0].value.iloc[:, :3].values.tolist() == [[6, "DC2", "9"]]
    frames = [d.value for d in at.dataframe]
    assert len(frames) == len(theirs) + 1
    assert list(frames[-1].iloc[:, 0]) == ["6"]  # spreadsheet row of the out-of-range answer
    frames = frames[:-1]
    for frame, (key, table) in zip(frames, theirs.items()):
        # printed as the publication table prints them (p as "< .001" or 3 decimals, "—" for an empty cell): two
        # processes, two SEM optimisations agree to ~1e-8 relative, far below any printed digit
        assert frame.equals(tables.publication_frame(table, lab_headers(table.frame.columns, "en"))), key
    printed = pd.concat([f.astype(str) for f in frames], ignore_index=True).to_numpy().ravel().tolist()
    assert "None" not in printed and "nan" not in printed and "<NA>" not in printed
    assert len(at.get("plotly_chart")) == 9  # with the robustness tab's CB-SEM beside PLS-SEM chart
    assert len([c for c in at.caption if c.value]) >= 8 + len(theirs)


def test_activation_behind_a_confirmation():
    import db
    at = _store(_upload(_open(), "pilot.csv", simulate_survey(200, seed=5)), "pilot")
    _fit(at, "pilot")
    fit_id = at.session_state["lab_fit_id"]
    button = at.button(key=f"lab_activate_{fit_id}")
    assert button.disabled
    at.checkbox(key=f"lab_confirm_{fit_id}").check()
    at.run()
    at.button(key=f"lab_activate_{fit_id}").click()
    at.run()
    assert not at.exception, at.exception
    assert db.active_fit_id() == fit_id
    assert any(s.value == t("lab_activated", "en", id=fit_id, n=0) for s in at.success)
    from app.ui.state import current_fit_id
    assert current_fit_id() == fit_id  # the cached benchmark id was refreshed at once


@pytest.mark.parametrize(("rows", "reason"), [
    (40, "have the same answer in every row"),  # constant answers: singular covariance
    (8, "only 8 usable rows for 19 items"),  # fewer firms than the model needs
])
def test_degenerate_data_fails_with_a_readable_reason(rows, reason):
    import db
    constant = pd.DataFrame({c: [3] * rows for c in ITEM_COLUMNS})
    if rows == 8:
        constant = simulate_survey(rows, seed=1)
    at = _store(_upload(_open("zh"), "flat.csv", constant), "flat")
    fits_before = len(db.list_fits())
    _fit(at, "flat")
    assert len(at.error) == 1 and reason in at.error[0].value
    assert t("lab_advice_fit", "zh") in at.error[0].value
    assert len(db.list_fits()) == fits_before


def test_controls_on_a_file_without_them_say_what_to_do():
    frame = simulate_survey(120, seed=8)[list(ITEM_COLUMNS)]
    at = _store(_upload(_open(), "items-only.csv", frame), "items-only")
    _fit(at, "items-only", controls=True)
    assert "column firm_size: missing control" in at.error[0].value and "fit without controls" in at.error[0].value
    assert t("lab_advice_data", "en") in at.error[0].value
    _fit(at, "items-only")  # without controls the same file fits; the pilot comparison says why it is missing
    assert not at.error
    assert t("lab_no_subgroups", "en", reason="no pilot_zone column (or blanks in it)") in [i.value for i in at.info]
    assert len(at.get("plotly_chart")) == 8  # every chart but the subgroup one


def test_a_cancelled_fit_stores_nothing(tmp_path):
    """Cancel reruns the script, which raises Streamlit's StopException at the fit's next progress step."""
    import db
    url = f"sqlite:///{tmp_path / 'cancel.sqlite'}"
    db.ensure_ready(url)
    db.import_frame(simulate_survey(150, seed=4), "to-cancel", url=url, actor=ADMIN)
    before = len(db.list_fits(url=url))

    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "bootstrap" and done > 0:
            raise StopException()

    with pytest.raises(StopException):
        db.fit_dataset("to-cancel", bootstrap=2000, progress=interrupt, url=url, actor=ADMIN)
    assert len(db.list_fits(url=url)) == before


def test_every_table_column_and_title_has_both_languages(fitted):
    assert table_words("en") == tables.WORDS  # the English page prints what `cbec fit` researchers read
    assert set(table_words("zh")) == set(tables.WORDS)
    page = tables.publication_html(tables.indices_table(fitted, table_words("zh")), t("lab_table_indices", "zh"),
                                   t("lab_note_indices", "zh"), number=2, words=table_words("zh"))
    assert "表 2" in page and "<em>注：</em>" in page and "以 IO 为调节变量的条件有调节中介" in page and "Table" not in page
    for table in [*tables.all_tables(fitted).values(), tables.excluded_table(fitted)]:
        assert has(f"lab_table_{table.key}") and has(f"lab_note_{table.key}")
        unlabelled = [c for c in table.frame.columns
                      if not has(f"lab_col_{c}") and c not in tables.NOTATION and c not in CONSTRUCT_CODES]
        assert not unlabelled, (table.key, unlabelled)


NOTATION_WORDS = {"AVE", "CR", "HTMT", "CFI", "TLI", "RMSEA", "SRMR", "SE", "SD", "CI", "df", "df1", "df2", "F", "R", "p", "r",
                  "t", "n", "a", "b", "c", "a1", "a3", "b1", "b3",  # statistical notation (R of R², a of H2 (a), a1 …)
                  "H1", "H2", "Wald", "B2C",  # hypothesis numbers, a proper name (Wald interval), a business model
                  "CB", "SEM", "PLS", "CFA", "VAF", "ML", "MLR", "f"}  # method names (CB-SEM, PLS-SEM, estimators, VAF), f²
"""What a 简体中文 table may print in Latin letters besides construct and item codes."""
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def english_words(frame: pd.DataFrame, skip: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """Latin-letter words of a shown table that are not notation, by where they appear (a column's cells, or the labels)."""
    allowed = NOTATION_WORDS | set(CONSTRUCT_CODES) | set(ITEM_COLUMNS)
    cells = {"labels": [*frame.index, *frame.columns]} | {str(c): list(frame[c]) for c in frame.columns if c not in skip}
    found = {where: {w for v in values if isinstance(v, str) for w in LATIN_WORD.findall(v)} - allowed
             for where, values in cells.items()}
    return {where: words for where, words in found.items() if words}


def test_no_table_of_the_chinese_page_prints_english_words():
    survey = simulate_survey(220, seed=33)
    survey.loc[6, "HQD3"] = 7  # an excluded row, so both excluded-row tables are on the page
    at = _fit(_store(_upload(_open("zh"), "zh.csv", survey), "zh"), "zh", controls=True)
    frames = [t_.value for t_ in at.table] + [d.value for d in at.dataframe]
    stored = load_fit(at.session_state["lab_fit_id"])
    assert len(frames) == 1 + len(tables.all_tables(stored)) + 1  # upload's excluded rows, every table (subgroups, PLS too), excluded
    assert {"pls_paths", "pls_mediation"} <= set(tables.all_tables(stored))
    # The validation messages come from cbec_core.survey in English (no message codes yet): the one column left out.
    leaks = {i: words for i, frame in enumerate(frames) if (words := english_words(frame, (t("lab_col_message", "zh"),)))}
    assert not leaks, leaks
    en = _open("en")  # the scan does find words: the same page in English prints them
    assert any(english_words(d.value) for d in en.dataframe)


def test_mlr_reaches_the_stored_fit_and_the_subgroups_say_the_invariance_level():
    import db
    from cbec_core.invariance import invariance_level
    at = _store(_upload(_open("zh"), "robust.csv", simulate_survey(220, seed=8)), "robust")
    at.radio(key="lab_estimator").set_value("MLR")
    _fit(at, "robust")
    fitted = db.get_fit(at.session_state["lab_fit_id"])
    assert fitted.estimator == "MLR" and fitted.settings["estimator"] == "MLR"
    assert fitted.structural.fit.chi2_scaled is not None and fitted.structural.fit.cfi_robust <= 1.0
    level = invariance_level(fitted.invariance)
    assert level in ("scalar", "metric", "configural", "none")
    notes = [m.value for m in (*at.info, *at.warning)]
    assert t(f"inv_note_{level}", "zh") in notes
    subgroup_frame = next(d.value for d in at.dataframe if t("lab_col_invariance", "zh") in d.value.columns)
    assert set(subgroup_frame[t("lab_col_invariance", "zh")]) == {table_words("zh")[f"invariance_{level}"]}
