"""Firms saved one by one into the collected pool and into a workshop: no two consecutive views reveal a firm,
and every workshop export is aggregate or k-anonymous (SQLite and PostgreSQL)."""
from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
from store_helpers import answers_of, save

import db
from tests.actors import ADMIN
from app.i18n import t
from app.report.workshop import cohort_xlsx
from cbec_core import zones
from cbec_core.cohort import QUASI_IDENTIFIERS, k_anonymity, published_cohort
from cbec_core.disclosure import violations

PLACES = [("east", "Zhejiang", "Hangzhou", 1), ("east", "Zhejiang", None, 0), ("east", "Jiangsu", "Suzhou", 1),
          ("central", "Henan", "Zhengzhou", 1), ("west", "Sichuan", None, 0)]


def _published(cells: dict, shown, tag: str) -> dict:
    return {(tag, key): cells[key] for key in shown}


def test_the_pool_saved_one_by_one_never_shows_one_firm_by_difference(fit_id, fitted, survey):
    """After each save the zone page's cells (every grouping, stepped) together with the previous view's cells
    leave no set of fewer than 5 assessments recoverable; the figures move only in steps of 5 firms."""
    rng = np.random.default_rng(3)
    previous: dict = {}
    last_total = None
    for i in range(24):
        region, province, zone, pilot = PLACES[int(rng.integers(len(PLACES)))]
        save(answers_of(survey.iloc[i], region=region, province=province, zone=zone, pilot_zone=pilot), fitted, fit_id,
             consent=i % 7 != 3)
        pub = zones.pool_publication(db.pool_history())
        now = _published(pub.cells, pub.pattern.shown, "now")
        assert violations(now | previous, len(pub.frame)) == [], i
        previous = _published(pub.cells, pub.pattern.shown, "then")
        total = zones.total_statistics(pub)
        if total["n"] is not None:
            assert total["n"] % 5 == 0
            if last_total is not None and total["n"] != last_total["n"]:
                assert total["n"] - last_total["n"] >= 5
            last_total = total


def test_a_workshop_saved_one_by_one_changes_in_steps_and_exports_k_anonymous_rows(fit_id, fitted, survey):
    workshop = db.create_workshop("One by one", actor=ADMIN).workshop
    rng = np.random.default_rng(4)
    views: list[pd.DataFrame] = []
    for i in range(23):
        region, province, zone, pilot = PLACES[int(rng.integers(len(PLACES)))]
        save(answers_of(survey.iloc[i], region=region, province=province, zone=zone, pilot_zone=pilot), fitted, fit_id,
             workshop_id=workshop.id, share_row=bool(rng.random() < 0.7))
        history = db.workshop_history(workshop.id)
        view = published_cohort(history)
        views.append(view)
        if len(views) > 1 and len(views[-2]) >= 5:
            cells = {"then": np.arange(len(views[-2])), "now": np.arange(len(view))}  # prefixes of the same history
            assert violations(cells, len(history)) == [], i
            assert len(view) == len(views[-2]) or len(view) - len(views[-2]) >= 5
        book = cohort_xlsx(history, workshop.name, fitted, "en")
        if len(view) < 5:
            assert book is None
            continue
        sheets = pd.read_excel(io.BytesIO(book), sheet_name=None)
        assert set(sheets) <= {t("ws_summary_sheet", "en"), t("ws_shared_sheet", "en"), t("ws_about_sheet", "en")}
        assert len(sheets[t("ws_summary_sheet", "en")]) == 5  # one row per construct, never per firm
        shared = sheets.get(t("ws_shared_sheet", "en"))
        if shared is not None:
            assert k_anonymity(shared, QUASI_IDENTIFIERS) >= 5, i
            assert len(shared) <= int(history["share_row"].sum())
    wb = openpyxl.load_workbook(io.BytesIO(book), read_only=True)
    assert t("ws_shared_sheet", "en") in wb.sheetnames  # with 23 firms, most sharing: some rows do leave
