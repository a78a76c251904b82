"""Survey validation: every structural problem is an error naming row and column; bad answers exclude rows."""
from __future__ import annotations

import pandas as pd
import pytest

from cbec_core.survey import SurveyError, load_survey, validate_survey


def test_clean_survey_keeps_every_row(survey):
    s = validate_survey(survey)
    assert (s.n_used, s.n_excluded) == (312, 0)
    assert s.data["AIGC1"].dtype == "int64"


def test_missing_and_out_of_range_items_exclude_rows_with_reasons(survey):
    bad = survey.astype(object).copy()
    bad.loc[4, "AIGC2"] = 7
    bad.loc[9, "HQD6"] = ""
    bad.loc[11, "DC1"] = 2.5
    s = validate_survey(bad)
    assert (s.n_used, s.n_excluded) == (309, 3)
    assert [str(p) for p in s.excluded] == [
        "row 6, column AIGC2: 7 is outside the 1–5 scale; row excluded from fitting",
        "row 11, column HQD6: missing answer; row excluded from fitting",
        "row 13, column DC1: 2.5 is outside the 1–5 scale; row excluded from fitting",
    ]


def test_missing_column_is_named(survey):
    with pytest.raises(SurveyError) as exc:
        validate_survey(survey.drop(columns=["LSC2"]))
    assert str(exc.value) == "column LSC2: column is missing; add it to the header (names are case-sensitive)"


def test_text_in_number_column_lists_every_bad_cell(survey):
    bad = survey.astype(object).copy()
    bad.loc[0, "IO1"] = "agree"
    bad.loc[3, "firm_size"] = "many"
    with pytest.raises(SurveyError) as exc:
        validate_survey(bad)
    assert str(exc.value) == (
        "row 2, column IO1: 'agree' is not a number; enter a whole number from 1 to 5\n"
        "row 5, column firm_size: 'many' is not a number; enter the number of employees"
    )
    assert [(p.row, p.column) for p in exc.value.problems] == [(2, "IO1"), (5, "firm_size")]


def test_unknown_category_and_invalid_control(survey):
    bad = survey.astype(object).copy()
    bad.loc[1, "region"] = "north"
    bad.loc[2, "pilot_zone"] = 2
    with pytest.raises(SurveyError) as exc:
        validate_survey(bad)
    assert str(exc.value) == (
        "row 3, column region: 'north' is not one of east / central / west; use one of those values\n"
        "row 4, column pilot_zone: 2 is not valid; enter 1 for a pilot-zone firm, 0 otherwise"
    )


def test_controls_required_only_with_controls(survey):
    validate_survey(survey.drop(columns=["firm_age"]))
    with pytest.raises(SurveyError, match="column firm_age: column is missing"):
        validate_survey(survey.drop(columns=["firm_age"]), controls=True)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(SurveyError) as exc:
        load_survey(path)
    assert str(exc.value) == "file empty.csv is empty; export the survey with a header row and one row per firm"


def test_header_only_file(tmp_path, survey):
    path = tmp_path / "header.csv"
    path.write_text(",".join(survey.columns) + "\n")
    with pytest.raises(SurveyError, match="the file has a header but no rows"):
        load_survey(path)


def test_non_utf8_csv(tmp_path, survey):
    path = tmp_path / "gbk.csv"
    survey.assign(province="浙江").to_csv(path, index=False, encoding="gbk")
    with pytest.raises(SurveyError, match="is not UTF-8 text; save it as 'CSV UTF-8'"):
        load_survey(path)


def test_xlsx_round_trip_and_two_sheets(tmp_path, survey):
    one = tmp_path / "one.xlsx"
    survey.to_excel(one, index=False)
    assert load_survey(one).n_used == 312
    two = tmp_path / "two.xlsx"
    with pd.ExcelWriter(two) as writer:
        survey.to_excel(writer, sheet_name="survey", index=False)
        survey.head().to_excel(writer, sheet_name="notes", index=False)
    with pytest.raises(SurveyError, match=r"two.xlsx has 2 sheets \(survey, notes\); keep only the survey sheet"):
        load_survey(two)


def test_excel_bom_csv_is_read(tmp_path, survey):
    path = tmp_path / "bom.csv"
    survey.to_csv(path, index=False, encoding="utf-8-sig")
    assert load_survey(path).n_used == 312


def test_fractional_age_is_kept(survey):
    frame = survey.astype({"firm_age": float}).copy()
    frame.loc[0, "firm_age"] = 2.5
    assert validate_survey(frame).data.loc[0, "firm_age"] == 2.5


def test_zone_spellings_become_one_zone_and_unknown_ones_are_named_row_by_row(survey):
    from cbec_core.pilot_zones import canonical_zone, pilot_zones
    from cbec_core.survey import unknown_zones
    frame = survey.head(8).astype(object)
    frame["zone"] = ["杭州", "hangzhou", " Hangzhou ", "杭州市", None, "Atlantis", "Taizhou", "宁波"]
    problems = unknown_zones(frame)
    assert [(p.row, p.column) for p in problems] == [(7, "zone"), (8, "zone")]  # spreadsheet rows
    assert "'Atlantis' is not a known cross-border e-commerce pilot zone" in str(problems[0])
    zones_ = [None if v is None or v != v else v for v in validate_survey(frame).data["zone"]]
    assert zones_ == ["Hangzhou"] * 4 + [None, "Atlantis", "Taizhou", "Ningbo"]  # unknown ones kept as typed
    zones = pilot_zones()
    assert len(zones) == 165 and sum(not z.verified for z in zones) == 16 and all(z.source for z in zones)
    assert all(canonical_zone(z.zone_cn) == z.zone_en == canonical_zone(z.zone_en.lower()) for z in zones)


def _three_problems(survey: pd.DataFrame) -> pd.DataFrame:
    """A file with a blank answer, a 9 on a 1–5 item and text in a number column, in three different rows."""
    bad = survey.astype(object).copy()
    bad.loc[2, "DC2"] = ""
    bad.loc[5, "HQD4"] = 9
    bad.loc[8, "firm_age"] = "ten"
    return bad


def test_a_file_with_three_kinds_of_problem_is_reported_in_one_pass(tmp_path, survey):
    path = tmp_path / "three.csv"
    _three_problems(survey).to_csv(path, index=False)
    with pytest.raises(SurveyError) as exc:
        load_survey(path)
    assert [(p.row, p.column, p.code, p.values.get("value")) for p in exc.value.problems] == [
        (4, "DC2", "cell_missing", ""), (7, "HQD4", "cell_outside", "9"), (10, "firm_age", "not_a_number", "ten")]
    assert str(exc.value).splitlines() == [
        "row 4, column DC2: missing answer; enter a whole number from 1 to 5, or the row is excluded from fitting",
        "row 7, column HQD4: 9 is outside the 1–5 scale; enter a whole number from 1 to 5, or the row is excluded from fitting",
        "row 10, column firm_age: 'ten' is not a number; enter the firm's age in years",
    ]


def test_every_bad_cell_of_a_usable_file_is_named_not_only_the_first_of_its_row(survey):
    bad = survey.astype(object).copy()
    bad.loc[0, "AIGC1"], bad.loc[0, "AIGC3"], bad.loc[0, "HQD2"] = 0, "", 6
    s = validate_survey(bad)
    assert [(p.row, p.column) for p in s.excluded] == [(2, "AIGC1")]  # the fit excludes the row once
    assert [(p.row, p.column, p.code) for p in s.cells] == [(2, "AIGC1", "cell_outside"), (2, "AIGC3", "cell_missing"),
                                                            (2, "HQD2", "cell_outside")]


def test_a_text_cell_is_not_also_reported_as_a_blank_answer(survey):
    bad = survey.astype(object).copy()
    bad.loc[0, "IO2"] = "agree"
    with pytest.raises(SurveyError) as exc:
        validate_survey(bad, controls=True)
    assert [(p.row, p.column, p.code) for p in exc.value.problems] == [(2, "IO2", "not_a_number")]
