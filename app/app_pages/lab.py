"""Model lab: upload a survey, read its validation report, store it (rename or delete a data set), fit it with a
progress bar, read the fit as lavaan/PROCESS output (every table as CSV and as a publication table, or all of them
in one XLSX or ZIP), and make it the benchmark.

A fit is stored only once it has finished (db.lab.fit_dataset): Cancel stops the script at the next
progress step, before anything is written. Fitting again with the same settings names the fit already stored.
"""
from __future__ import annotations

import time
from collections.abc import Iterable

import numpy as np
import pandas as pd
import streamlit as st

from app.ui.fit_progress import fit_progress
from app.i18n import N_, has, problem_text, t, table_words
from app.charts.lab import (
    bootstrap_chart,
    johnson_neyman_chart,
    path_diagram,
    pls_chart,
    simple_slopes_chart,
    subgroup_chart,
    theta_surface,
)
from app.ui.state import current_fit_id, lang, load_fit
from cbec_core.invariance import comparable, invariance_level
from cbec_core.model import DEFAULT_RESAMPLES, DEFAULT_SEED, FittedModel
from cbec_core.reference import SYNTHETIC_LABEL
from cbec_core.sem import ESTIMATORS, FitFailure
from cbec_core.survey import Problem, SurveyError
from cbec_core.tables import (
    SECTIONS,
    STAR_NOTE,
    LabTable,
    all_tables,
    excluded_table,
    publication_frame,
    publication_html,
)
from app.ui.access import current_actor, refusal
from app.ui.manage import confirmed_delete, rename_form
from app.ui.tables import lab_headers as headers
from app.ui.tables import right_aligned, shown
from db.datasets import dataset_fits, delete_dataset, import_frame, list_datasets, rename_dataset
from db.engine import StoreError
from db.files import csv_bytes, error_report, xlsx_bytes, zip_bytes
from db.fits import activate, fit_use, kept_error, list_fits
from db.lab import check_upload, fit_dataset

JOB, FITTED, OUTCOME, CHECK = "lab_job", "lab_fit_id", "lab_outcome", "lab_check"
NEXT_DATASET, DATASET_DONE = "lab_dataset_next", "lab_dataset_done"
REPORT_SHOWN = 50  # problems listed on the page; the CSV report holds every one
TABS = ("measurement", "sem", "moderation", "mediation", "subgroups", "robustness", "excluded")


def tidy(table: LabTable, fitted: FittedModel) -> pd.DataFrame:
    """A table as its CSV holds it: English machine column names, full precision, whatever the page language; a
    synthetic fit's rows say so."""
    return table.frame.assign(source=SYNTHETIC_LABEL["en"]) if fitted.synthetic else table.frame


def tidy_tables(fitted: FittedModel) -> dict[str, pd.DataFrame]:
    """Every table of the fit (the excluded rows last, if any), tidy."""
    tables = dict(all_tables(fitted))
    if fitted.excluded:
        tables["excluded"] = excluded_table(fitted)
    return {key: tidy(table, fitted) for key, table in tables.items()}


def all_tables_xlsx(fitted: FittedModel) -> bytes:
    """Every tidy table of the fit in one XLSX workbook, a sheet per table named by its key."""
    return xlsx_bytes(tidy_tables(fitted))


def all_tables_zip(fitted: FittedModel) -> bytes:
    """Every tidy table of the fit as a CSV file (named by its key) in one ZIP."""
    return zip_bytes({f"{key}.csv": csv_bytes(frame) for key, frame in tidy_tables(fitted).items()})


def show_table(table: LabTable, fitted: FittedModel, number: int, lang: str) -> None:
    """A table (its words in `lang`) with its title, printed as its publication table is (one rule for every figure:
    p as '< .001' or three decimals, an empty cell as '—'), its note, and both downloads."""
    title, note = t(f"lab_table_{table.key}", lang), t(f"lab_note_{table.key}", lang)
    if fitted.synthetic:
        note = f"{note} {t('lab_synthetic', lang, label=SYNTHETIC_LABEL[lang])}"
    st.subheader(title)
    names = headers(table.frame.columns, lang)
    numbers = [names[c] for c in table.frame.columns if table.formats.get(c, "b") not in ("text", "bool")]
    st.dataframe(publication_frame(table, names), hide_index=True, width="stretch", column_config=right_aligned(numbers),
                 key=f"lab_df_{table.key}")
    st.caption(f"{note} {STAR_NOTE}" if table.stars else note)
    left, right, _ = st.columns([1, 2, 3])
    left.download_button(t("lab_csv", lang), lambda: csv_bytes(tidy(table, fitted)), file_name=f"{table.key}.csv", mime="text/csv",
                         key=f"lab_csv_{table.key}", icon=":material/download:", on_click="ignore")
    right.download_button(t("lab_publication", lang),
                          lambda: publication_html(table, title, note, number=number, headers=names,
                                                   words=table_words(lang)).encode("utf-8"),
                          file_name=f"{table.key}.html", mime="text/html", key=f"lab_html_{table.key}",
                          icon=":material/article:", on_click="ignore")


def show_chart(chart: tuple, key: str) -> None:
    figure, reading = chart
    st.plotly_chart(figure, width="stretch", key=f"lab_chart_{key}")
    st.caption(reading)


def checked(file_id: str, name: str, content: bytes):
    """The validation report of an uploaded file, computed once per upload (reruns reuse it)."""
    cached = st.session_state.get(CHECK)
    if cached is None or cached[0] != file_id:
        cached = st.session_state[CHECK] = (file_id, check_upload(name, content))
    return cached[1]


def report_frame(problems: Iterable[Problem], lang: str) -> pd.DataFrame:
    """The validation report (row, column, value, message: the problem and its fix) with its messages in `lang`."""
    problems = list(problems)
    return error_report(problems).assign(message=[problem_text(p, lang) for p in problems])


def problems_frame(problems: Iterable[Problem], lang: str) -> pd.DataFrame:
    """The validation report as the page shows it, its column names in `lang` too (the CSV keeps db.files' names)."""
    report = report_frame(problems, lang)
    return shown(report).rename(columns=headers(report.columns, lang) | {"value": t("lab_report_value", lang)})


def show_report(problems: tuple[Problem, ...], lang: str) -> None:
    """The report as a table whose long messages wrap (on a phone too); past REPORT_SHOWN rows, the CSV has the rest."""
    st.table(problems_frame(problems[:REPORT_SHOWN], lang), hide_index=True, border="horizontal")
    if len(problems) > REPORT_SHOWN:
        st.caption(t("lab_report_more", lang, shown=REPORT_SHOWN, n=len(problems)))


def upload_section(lang: str) -> None:
    st.header(t("lab_upload_title", lang))
    uploaded = st.file_uploader(t("lab_upload", lang), type=["csv", "xlsx"], key="lab_upload")
    st.caption(t("upload_limit", lang, mb=st.get_option("server.maxUploadSize")))  # the uploader's own note is English
    if uploaded is None:
        return
    check = checked(uploaded.file_id, uploaded.name, uploaded.getvalue())
    if not check.ok:
        st.error(t("lab_refused", lang, file=check.filename, n=len(check.problems)), icon=":material/error:")
        show_report(check.problems, lang)
        st.download_button(t("lab_report_download", lang), csv_bytes(report_frame(check.problems, lang)),
                           file_name=f"{check.filename}.errors.csv", mime="text/csv", key="lab_problems_csv",
                           on_click="ignore")
        return
    st.success(t("lab_valid", lang, file=check.filename, rows=check.rows, used=check.rows - len(check.excluded),
                 excluded=len(check.excluded)), icon=":material/check_circle:")
    if check.cells:  # every blank or out-of-range answer, not only the first of each excluded row
        show_report(check.cells, lang)
    with st.form("lab_store", enter_to_submit=False):
        name = st.text_input(t("lab_dataset_name", lang), value=check.filename.rsplit(".", 1)[0], max_chars=200,
                             key="lab_name")
        if st.form_submit_button(t("lab_store", lang)):
            try:
                result = import_frame(check.table, name, actor=current_actor())
            except (StoreError, SurveyError) as exc:
                st.error(refusal(exc, lang))
            else:
                st.session_state["lab_dataset"] = result.dataset.name  # the fit section below offers it first
                st.success(t("lab_stored", lang, rows=result.dataset.row_count, name=result.dataset.name))


def start_fit() -> None:
    """The Fit button's callback: the job is the settings as the widgets hold them at the click."""
    state = st.session_state
    state[JOB] = {"dataset": state["lab_dataset"], "bootstrap": int(state["lab_resamples"]), "seed": int(state["lab_seed"]),
                  "controls": bool(state["lab_with_controls"]), "estimator": state["lab_estimator"]}
    state.pop(OUTCOME, None)


def fit_section(lang: str) -> None:
    st.header(t("lab_fit_title", lang))
    names = list(list_datasets()["name"])
    if NEXT_DATASET in st.session_state:  # a renamed data set stays selected under its new name
        st.session_state["lab_dataset"] = st.session_state.pop(NEXT_DATASET)
    if st.session_state.get("lab_dataset") not in names:
        st.session_state["lab_dataset"] = names[-1]
    if DATASET_DONE in st.session_state:
        st.success(st.session_state.pop(DATASET_DONE))
    dataset = st.selectbox(t("lab_dataset", lang), names, key="lab_dataset")
    manage_dataset(dataset, lang)
    a, b, c = st.columns([1, 1, 2])
    a.number_input(t("lab_resamples", lang), 0, 20_000, DEFAULT_RESAMPLES, 500, key="lab_resamples")
    b.number_input(t("lab_seed", lang), 0, 2**31 - 1, DEFAULT_SEED, 1, key="lab_seed")
    c.checkbox(t("lab_controls", lang), key="lab_with_controls")
    st.radio(t("lab_estimator", lang), ESTIMATORS, key="lab_estimator", horizontal=True,
             format_func=lambda e: t(f"lab_estimator_{e}", lang))
    st.button(t("lab_fit", lang), type="primary", key="lab_fit", on_click=start_fit)
    job = st.session_state.get(JOB)
    if job is not None:
        if st.button(t("lab_cancel", lang), key="lab_cancel"):  # a click reruns the script, which stops the fit
            del st.session_state[JOB]
            st.session_state[OUTCOME] = ("info", t("lab_cancelled", lang))
        else:
            run_fit(job, lang)
    if OUTCOME in st.session_state:
        kind, message = st.session_state[OUTCOME]
        getattr(st, kind)(message)


def manage_dataset(name: str, lang: str) -> None:
    """Rename the chosen data set, or delete it (with its fits) behind a confirmation, unless one of its fits must stay."""
    with st.expander(t("lab_manage_dataset", lang, name=name), icon=":material/edit:"):
        renamed = rename_form("lab_rename_dataset", t("lab_new_name", lang), name, f"lab_rename_{name}",
                              t("lab_rename", lang), lambda new: rename_dataset(name, new, actor=current_actor()).name, lang)
        if renamed is not None:
            st.session_state[NEXT_DATASET] = renamed
            st.session_state[DATASET_DONE] = t("lab_renamed", lang, old=name, new=renamed)
            st.rerun()
        fits = dataset_fits(name)
        kept = [use for use in map(fit_use, fits) if use.kept]
        if kept:
            st.info(t("lab_dataset_kept", lang, name=name, reason=refusal(kept_error(kept[0]), lang)), icon=":material/lock:")
            return
        listed = ", ".join(f"#{i}" for i in fits) or "—"
        if confirmed_delete(t("lab_delete_confirm", lang, name=name, n=len(fits), fits=listed), f"lab_delete_ok_{name}",
                            t("lab_delete", lang, name=name), "lab_delete_dataset",
                            lambda: delete_dataset(name, actor=current_actor()), lang):
            st.session_state.pop(FITTED, None)
            load_fit.clear()  # a later fit may get a deleted one's id (SQLite): nothing parsed under it may stay
            fit_reading.clear()
            st.session_state[DATASET_DONE] = t("lab_deleted", lang, name=name, n=len(fits))
            st.rerun()


def run_fit(job: dict, lang: str) -> None:
    """Fit with a progress bar; store only a finished fit; a failure becomes a readable message.

    A click on Cancel (or any widget) reruns the script, which interrupts the fit at its next progress
    step with Streamlit's own exception: the job then stays pending, so the rerun sees Cancel clicked.
    """
    progress = fit_progress(N_("lab_fitting"), lang)
    started = time.perf_counter()
    try:
        fit_id, _ = fit_dataset(job["dataset"], bootstrap=job["bootstrap"], seed=job["seed"],
                            controls=job["controls"], estimator=job["estimator"], progress=progress,
                            actor=current_actor())
    except FitFailure as exc:
        st.session_state[OUTCOME] = ("error", t("lab_fit_failed", lang, reason=exc, advice=t("lab_advice_fit", lang)))
    except StoreError as exc:
        if exc.code == "fit_exists":
            st.session_state[FITTED] = exc.values["fit_id"]  # the reading below shows the one already stored
            st.session_state[OUTCOME] = ("warning", t("lab_fit_exists", lang, id=exc.values["fit_id"]))
        else:
            st.session_state[OUTCOME] = ("error", t("lab_fit_failed", lang, reason=refusal(exc, lang),
                                                     advice=t("lab_advice_data", lang)))
    except SurveyError as exc:
        st.session_state[OUTCOME] = ("error", t("lab_fit_failed", lang, reason="; ".join(problem_text(p, lang) for p in exc.problems),
                                                 advice=t("lab_advice_data", lang)))
    except (np.linalg.LinAlgError, ValueError, FloatingPointError) as exc:
        st.session_state[OUTCOME] = ("error", t("lab_fit_failed", lang, reason=exc, advice=t("lab_advice_fit", lang)))
    else:
        st.session_state[FITTED] = fit_id
        st.session_state[OUTCOME] = ("success", t("lab_fitted", lang, id=fit_id, seconds=time.perf_counter() - started))
    del st.session_state[JOB]


def fit_picker(fits: pd.DataFrame, lang: str) -> int:
    ids = fits["id"].tolist()
    rows = fits.set_index("id")
    chosen = st.session_state.get(FITTED)
    active = fits.loc[fits["active"], "id"].tolist()
    default = chosen if chosen in ids else (active[0] if active else ids[0])
    return st.selectbox(t("lab_fit_to_read", lang), ids, index=ids.index(default), key=f"lab_read_{default}",
                        format_func=lambda i: t("lab_fit_option", lang, id=i, label=rows.loc[i, "label"] or rows.loc[i, "dataset"],
                                                n=rows.loc[i, "n_used"],
                                                active=t("lab_fit_active", lang) if rows.loc[i, "active"] else ""))


@st.cache_resource(max_entries=8, show_spinner=False)
def fit_reading(fit_id: int, lang: str) -> tuple[dict[str, LabTable], dict[str, tuple | None]]:
    """A stored fit's tables and charts in one language; fits are immutable, so each is built once per process
    rather than on every rerun of the page."""
    fitted = load_fit(fit_id)
    charts = {"path": path_diagram(fitted, lang), "surface": theta_surface(fitted, lang),
              "bootstrap": bootstrap_chart(fitted, lang), "subgroups": subgroup_chart(fitted, lang),
              "pls": pls_chart(fitted, lang)}
    for path in ("a", "b"):
        charts[f"slopes_{path}"] = simple_slopes_chart(fitted, path, lang)
        charts[f"jn_{path}"] = johnson_neyman_chart(fitted, path, lang)
    return all_tables(fitted, table_words(lang)), charts


def read_section(lang: str) -> tuple[int, FittedModel]:
    st.header(t("lab_read_title", lang))
    fit_id = fit_picker(list_fits(), lang)
    fitted = load_fit(fit_id)  # parsed once per process (about 20 ms), shared with fit_reading
    if fitted.synthetic:
        st.warning(t("lab_synthetic", lang, label=SYNTHETIC_LABEL[lang]), icon=":material/science:")
    s = fitted.settings
    st.write(t("lab_sample", lang, n=fitted.n_used, excluded=fitted.n_excluded, b=s["bootstrap"], seed=s["seed"],
               controls=t("lab_with_controls", lang) if s["controls"] else ""))
    for warning in fitted.warnings:
        st.warning(t("lab_warning", lang, text=warning))
    tables, charts = fit_reading(fit_id, lang)
    download_all(fit_id, fitted, len(tables) + bool(fitted.excluded), lang)
    numbers = {key: i for i, key in enumerate(tables, 1)}
    tabs = dict(zip(TABS, st.tabs([t(f"lab_tab_{k}", lang) for k in TABS])))
    for section, keys in SECTIONS.items():
        with tabs[section]:
            if section == "sem":
                show_chart(charts["path"], "path")
            if section == "subgroups" and "subgroups" not in tables:
                st.info(t("lab_no_subgroups", lang, reason=fitted.subgroups.get("reason", "—")))
            if section == "subgroups" and "subgroups" in tables:
                level = invariance_level(fitted.invariance)
                (st.info if comparable(level) else st.warning)(t(f"inv_note_{level}", lang))
            if section == "robustness":
                robustness_notes(fitted, charts["pls"], lang)
            for key in keys:
                if key in tables:
                    show_table(tables[key], fitted, numbers[key], lang)
            if section == "moderation":
                for path in ("a", "b"):
                    show_chart(charts[f"slopes_{path}"], f"slopes_{path}")
                    show_chart(charts[f"jn_{path}"], f"jn_{path}")
            if section == "mediation":
                show_chart(charts["surface"], "surface")
                show_chart(charts["bootstrap"], "bootstrap")
            if section == "subgroups" and charts["subgroups"] is not None:
                show_chart(charts["subgroups"], "subgroups")
    with tabs["excluded"]:
        if fitted.excluded:
            show_table(excluded_table(fitted), fitted, len(tables) + 1, lang)
        else:
            st.info(t("lab_no_excluded", lang))
    return fit_id, fitted


def download_all(fit_id: int, fitted: FittedModel, n: int, lang: str) -> None:
    """Every table of the fit in one download: an XLSX with a sheet per table, or a ZIP with a CSV per table."""
    left, right = st.columns(2)
    left.download_button(t("lab_all_xlsx", lang), lambda: all_tables_xlsx(fitted), file_name=f"fit{fit_id}_tables.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="lab_all_xlsx",
                         icon=":material/table_view:", on_click="ignore", width="stretch")
    right.download_button(t("lab_all_zip", lang), lambda: all_tables_zip(fitted), file_name=f"fit{fit_id}_tables.zip",
                          mime="application/zip", key="lab_all_zip", icon=":material/folder_zip:", on_click="ignore",
                          width="stretch")
    st.caption(t("lab_all_note", lang, n=n))


def robustness_notes(fitted: FittedModel, pls_chart_: tuple | None, lang: str) -> None:
    """What the robustness tab says above its tables: the PLS chart, the invariance verdict, the estimator used."""
    st.write(t("lab_robustness_intro", lang))
    if pls_chart_ is None:
        st.info(t("lab_no_pls", lang))
    else:
        if not fitted.pls.converged:
            st.warning(t("lab_pls_unconverged", lang))
        show_chart(pls_chart_, "pls")
    inv = fitted.invariance
    group = t(f"lab_group_{inv['group']}", lang) if inv and has(f"lab_group_{inv['group']}") else (inv or {}).get("group")
    if not inv:
        st.info(t("lab_no_invariance", lang))
    elif not inv.get("available"):
        st.info(t("lab_invariance_not_run", lang, group=group, reason=inv.get("reason")))
    elif inv["verdict"] in ("none", "configural"):
        st.warning(t(f"lab_invariance_{'none' if inv['verdict'] == 'none' else 'warn'}", lang, group=group))
    else:
        st.success(t("lab_invariance_verdict", lang, group=group, level=table_words(lang)[f"invariance_{inv['verdict']}"]))
    if inv and inv.get("available") and inv.get("reason"):
        st.warning(t("lab_invariance_note", lang, reason=inv["reason"]))
    if fitted.structural.fit.as_dict().get("chi2_scaled") is None:
        st.caption(t("lab_estimator_ml", lang))


@st.fragment
def activate_section(fit_id: int, lang: str) -> None:
    """Confirm, then activate; only this part of the page reruns as the box is ticked."""
    st.header(t("lab_activate_title", lang))
    if current_fit_id() == fit_id:
        st.success(t("lab_is_active", lang, id=fit_id))
    else:
        confirmed = st.checkbox(t("lab_activate_confirm", lang, id=fit_id), key=f"lab_confirm_{fit_id}")
        if st.button(t("lab_activate", lang, id=fit_id), disabled=not confirmed, key=f"lab_activate_{fit_id}"):
            try:
                kept = activate(fit_id, actor=current_actor())
            except StoreError as exc:
                st.error(refusal(exc, lang))
                return
            current_fit_id.clear()  # every page reads the new benchmark at once, not after ACTIVE_FIT_TTL_S
            st.success(t("lab_activated", lang, id=fit_id, n=kept))
    st.page_link("app_pages/versions.py", label=t("lab_versions_link", lang), icon=":material/history:")


L = lang()
st.title(t("nav_lab", L))
st.write(t("lab_intro", L))
upload_section(L)
fit_section(L)
read_id, _ = read_section(L)
activate_section(read_id, L)
