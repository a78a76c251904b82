"""File rules without a database: formula cells, guarded CSV/XLSX writing, error reports."""
from __future__ import annotations

import pandas as pd
import pytest

from cbec_core.survey import Problem
from db import StoreError, error_report, error_report_csv
from db.files import formula_mask, write_table

FORMULAS = ["=1+1", "=SUM(A1)", "@SUM(A1)", "+A1", "-2+3+cmd|' /C calc'!A0", "\t=cmd", " =x"]
DATA = ["-3", "+2.5", "-1e3", " -4 ", "-", "", "abc", "浙江", "REF-001"]


def test_formulas_are_told_from_signed_numbers():
    values = pd.Series([*FORMULAS, *DATA, None, float("nan"), -3, 4.5], dtype=object)
    assert formula_mask(values).tolist() == [True] * len(FORMULAS) + [False] * (len(DATA) + 4)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_written_tables_neutralise_formulas_and_keep_numbers(tmp_path, suffix):
    frame = pd.DataFrame({"text": FORMULAS[:4] + ["-3"], "number": [-1, 2, -3, 4, -5]})
    path = write_table(frame, tmp_path / f"t{suffix}")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype={"text": str}) if suffix == ".csv" else pd.read_excel(path, dtype={"text": str})
    assert back["text"].tolist() == ["'" + f for f in FORMULAS[:4]] + ["-3"]
    assert back["number"].tolist() == [-1, 2, -3, 4, -5]


def test_only_csv_and_xlsx_are_written(tmp_path):
    with pytest.raises(StoreError, match="use .csv or .xlsx") as refused:
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.json")
    assert (refused.value.code, refused.value.values) == ("bad_table_suffix", {"name": "t.json", "suffix": ".json"})


def test_error_report_keeps_every_problem_and_guards_quoted_cells():
    problems = [Problem(None, "DC3", "column is missing"), Problem(7, "zone", "=cmd looks like a formula")]
    report = error_report(problems)
    assert report["row"].tolist()[1] == 7 and pd.isna(report["row"].iat[0])
    assert b"'=cmd looks like a formula" in error_report_csv(problems)
