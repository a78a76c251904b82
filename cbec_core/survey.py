"""Reading and validating a survey data set (MODEL.md §1–2) at the edge, with messages a person can act on.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first firm is row 2.
Structural problems (a missing column, text in a number column, an empty file) raise
`SurveyError`; a row with a missing or out-of-range item is excluded listwise and reported.
A refused file is reported in one pass: the SurveyError lists the structural problems together with
every blank or out-of-range answer (`Survey.cells`), so fixing the first kind never reveals a second.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .instrument import (
    BUSINESS_MODELS,
    CONTROL_COLUMNS,
    ITEM_COLUMNS,
    LIKERT_MAX,
    LIKERT_MIN,
    REGIONS,
)
from .pilot_zones import canonical_zone

FIRST_DATA_ROW = 2  # spreadsheet row of the first firm (the header is row 1)
MAX_LISTED = 20  # problems spelled out in one message before "and N more"


@dataclass(frozen=True)
class Problem:
    """One bad cell (or a whole-file problem when row and column are None).

    `message` is the English text (the CLI prints it); `code` and `values` say the same for an interface that
    words it itself (the dashboard renders `problem_{code}` from its catalog with `values`).
    """

    row: int | None
    column: str | None
    message: str
    code: str = ""
    values: dict = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return (", ".join(where) + ": " if where else "") + self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class SurveyError(ValueError):
    """The data cannot be used as it is; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [str(p) for p in problems[:MAX_LISTED]]
        if len(problems) > MAX_LISTED:
            lines.append(f"… and {len(problems) - MAX_LISTED} more problems")
        super().__init__("\n".join(lines))


@dataclass
class Survey:
    """A validated data set: the usable rows (clean dtypes), the rows excluded with their first reason, and every
    unusable cell (each blank or out-of-range answer, so a report can name them all)."""

    data: pd.DataFrame
    excluded: list[Problem] = field(default_factory=list)
    n_rows: int = 0
    cells: list[Problem] = field(default_factory=list)

    @property
    def n_used(self) -> int:
        return len(self.data)

    @property
    def n_excluded(self) -> int:
        return self.n_rows - len(self.data)


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or a one-sheet XLSX as strings-or-numbers, raising SurveyError with a fix if it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise SurveyError([Problem(None, None, f"file {path} does not exist; check the path", "file_missing", {"file": str(path)})])
    if path.stat().st_size == 0:
        raise SurveyError([Problem(None, None, f"file {path.name} is empty; export the survey with a header row and one row per firm",
                                    "file_empty", {"file": path.name})])
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            sheets = pd.read_excel(path, sheet_name=None, dtype=object)
            if len(sheets) != 1:
                raise SurveyError([Problem(None, None, f"{path.name} has {len(sheets)} sheets ({', '.join(sheets)}); keep only the survey sheet",
                                              "file_sheets", {"file": path.name, "n": len(sheets), "sheets": ", ".join(sheets)})])
            frame = next(iter(sheets.values()))
        elif suffix in (".csv", ".txt"):
            frame = pd.read_csv(path, dtype=object, keep_default_na=False, encoding="utf-8-sig")
        else:
            raise SurveyError([Problem(None, None, f"{path.name}: unsupported file type '{suffix}'; use .csv or .xlsx", "file_type",
                                    {"file": path.name, "suffix": suffix})])
    except UnicodeDecodeError:
        raise SurveyError([Problem(None, None, f"{path.name} is not UTF-8 text; save it as 'CSV UTF-8' and try again", "file_encoding",
                                    {"file": path.name})]) from None
    except pd.errors.EmptyDataError:
        raise SurveyError([Problem(None, None, f"file {path.name} is empty; export the survey with a header row and one row per firm",
                                    "file_empty", {"file": path.name})]) from None
    except (pd.errors.ParserError, ValueError, OSError) as exc:
        if isinstance(exc, SurveyError):
            raise
        raise SurveyError([Problem(None, None, f"{path.name} could not be read ({exc}); check that it is a valid CSV or XLSX file",
                                    "file_unreadable", {"file": path.name, "error": str(exc)})]) from None
    return frame


_NA_TEXT = ("", "na", "n/a", "nan", "null", "none", "-", ".")


def _blank(series: pd.Series) -> np.ndarray:
    """Cells that hold no answer: empty, NaN/None, or a conventional missing-value marker."""
    text = series.astype(str).str.strip().str.lower()
    return (series.isna() | text.isin(_NA_TEXT)).to_numpy()


def _numeric_column(frame: pd.DataFrame, column: str, problems: list[Problem], hint: str) -> np.ndarray:
    """A column as floats (NaN for blanks); text that is not a number is a problem naming its row."""
    series = frame[column]
    blank = _blank(series)
    numbers = pd.to_numeric(series.where(~blank), errors="coerce").to_numpy(dtype=float)
    for i in np.flatnonzero(~blank & np.isnan(numbers)):
        problems.append(Problem(int(i) + FIRST_DATA_ROW, column, f"'{series.iat[i]}' is not a number; {hint}", "not_a_number",
                                {"value": str(series.iat[i]), "fix": "item" if column in ITEM_COLUMNS else column}))
    return numbers


def _category_column(frame: pd.DataFrame, column: str, allowed: tuple[str, ...], problems: list[Problem]) -> np.ndarray:
    """A categorical column normalised to its canonical spelling; unknown values are problems."""
    series = frame[column]
    blank = _blank(series)
    lookup = {a.lower(): a for a in allowed}
    canonical = series.astype(str).str.strip().str.lower().map(lookup)
    for i in np.flatnonzero(~blank & canonical.isna().to_numpy()):
        problems.append(Problem(int(i) + FIRST_DATA_ROW, column, f"'{series.iat[i]}' is not one of {' / '.join(allowed)}; use one of those values",
                                "not_allowed", {"value": str(series.iat[i]), "allowed": " / ".join(allowed)}))
    return np.where(blank | canonical.isna().to_numpy(), None, canonical.to_numpy(dtype=object))


def zone_problem(row: int | None, value: object) -> Problem:
    """The message for a zone the pilot-zone list does not know."""
    return Problem(row, "zone", f"'{value}' is not a known cross-border e-commerce pilot zone (or names two of them); "
                                "use its name from the pilot-zone list, e.g. Hangzhou or 杭州, or leave it blank",
                   "unknown_zone", {"value": str(value)})


def _zone_column(series: pd.Series) -> np.ndarray:
    """Pilot zones by their canonical English name (杭州, hangzhou and Hangzhou are one zone); a zone the list does
    not know is kept as typed (trimmed) and reported by `unknown_zones`."""
    blank = _blank(series)
    return np.array([None if b else canonical_zone(v) or str(v).strip() for v, b in zip(series, blank)], dtype=object)


def unknown_zones(frame: pd.DataFrame) -> list[Problem]:
    """One Problem per row whose zone the pilot-zone list does not know (kept as typed on import, so a file
    is never refused for it, but said row by row so that it can be fixed)."""
    if "zone" not in frame.columns:
        return []
    series = frame["zone"]
    blank = _blank(series)
    return [zone_problem(int(i) + FIRST_DATA_ROW, series.iat[i])
            for i in np.flatnonzero(~blank & np.array([canonical_zone(v) is None for v in series]))]


def validate_survey(frame: pd.DataFrame, *, controls: bool = False) -> Survey:
    """Check a raw survey table; raise SurveyError listing every structural problem, else return the usable rows.

    Items that are blank or not a whole number 1–5 exclude their row (MODEL.md §2). With `controls`,
    a row with a blank control is excluded too. Text in a number column, an unknown category or a
    missing column is an error: it is a wrong file, not a missing answer.
    """
    if frame is None or frame.shape[1] == 0:
        raise SurveyError([Problem(None, None, "the file has no columns; it needs a header row with the item columns AIGC1 … HQD6", "no_columns")])
    frame = frame.rename(columns=lambda c: str(c).strip())
    missing = [c for c in ITEM_COLUMNS if c not in frame.columns]
    if controls:
        missing += [c for c in CONTROL_COLUMNS if c not in frame.columns]
    if missing:
        raise SurveyError([Problem(None, c, "column is missing; add it to the header (names are case-sensitive)", "column_missing") for c in missing])
    if len(frame) == 0:
        raise SurveyError([Problem(None, None, "the file has a header but no rows; add one row per firm", "no_rows")])

    problems: list[Problem] = []
    clean = pd.DataFrame(index=range(len(frame)))
    for column in ITEM_COLUMNS:
        clean[column] = _numeric_column(frame, column, problems, f"enter a whole number from {LIKERT_MIN} to {LIKERT_MAX}")
    if "firm_size" in frame.columns:
        clean["firm_size"] = _numeric_column(frame, "firm_size", problems, "enter the number of employees")
    if "firm_age" in frame.columns:
        clean["firm_age"] = _numeric_column(frame, "firm_age", problems, "enter the firm's age in years")
    if "pilot_zone" in frame.columns:
        clean["pilot_zone"] = _numeric_column(frame, "pilot_zone", problems, "enter 1 for a pilot-zone firm, 0 otherwise")
    if "region" in frame.columns:
        clean["region"] = _category_column(frame, "region", REGIONS, problems)
    if "business_model" in frame.columns:
        clean["business_model"] = _category_column(frame, "business_model", BUSINESS_MODELS, problems)
    for column in ("firm_id", "province"):
        if column in frame.columns:
            clean[column] = np.where(_blank(frame[column]), None, frame[column].astype(str).str.strip().to_numpy(dtype=object))
    if "zone" in frame.columns:
        clean["zone"] = _zone_column(frame["zone"])

    problems += _control_range_problems(clean)
    not_numbers = {(p.row, p.column) for p in problems}
    cells = [p for p in unusable_cells(clean, controls) if (p.row, p.column) not in not_numbers]
    if problems:  # one pass: the blank and out-of-range answers are named with the problems that refuse the file
        order = {c: i for i, c in enumerate(frame.columns)}
        raise SurveyError(sorted(problems + cells, key=lambda p: (p.row, order.get(p.column, len(order)))))

    excluded = _listwise_exclusions(clean, controls)
    keep = np.ones(len(clean), dtype=bool)
    keep[[p.row - FIRST_DATA_ROW for p in excluded]] = False
    data = clean.loc[keep].reset_index(drop=True)
    data = data.astype({c: "int64" for c in ITEM_COLUMNS})
    for column in ("firm_size", "firm_age", "pilot_zone"):  # whole numbers only: an age of 2.5 stays 2.5
        if column in data.columns and not data[column].isna().any() and (data[column] == data[column].round()).all():
            data[column] = data[column].astype("int64")
    data.attrs["source_rows"] = [i + FIRST_DATA_ROW for i in np.flatnonzero(keep)]
    return Survey(data=data, excluded=excluded, n_rows=len(clean), cells=cells)


def _control_range_problems(clean: pd.DataFrame) -> list[Problem]:
    problems: list[Problem] = []
    rules = {
        "firm_size": (lambda v: (v >= 1) & (v == np.floor(v)), "employees must be a whole number of at least 1"),
        "firm_age": (lambda v: v >= 0, "age must be 0 or more years"),
        "pilot_zone": (lambda v: (v == 0) | (v == 1), "enter 1 for a pilot-zone firm, 0 otherwise"),
    }
    for column, (ok, fix) in rules.items():
        if column in clean.columns:
            values = clean[column].to_numpy(dtype=float)
            for i in np.flatnonzero(~np.isnan(values) & ~ok(values)):
                problems.append(Problem(int(i) + FIRST_DATA_ROW, column, f"{values[i]:g} is not valid; {fix}", "bad_control",
                                        {"value": f"{values[i]:g}", "fix": column}))
    return sorted(problems, key=lambda p: p.row)


def _bad_items(clean: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The item answers as floats, and which are blank and which are not a whole number on the 1–5 scale."""
    items = clean[list(ITEM_COLUMNS)].to_numpy(dtype=float)
    missing = np.isnan(items)
    invalid = ~missing & ((items != np.floor(items)) | (items < LIKERT_MIN) | (items > LIKERT_MAX))
    return items, missing, invalid


def unusable_cells(clean: pd.DataFrame, controls: bool = False) -> list[Problem]:
    """Every blank or out-of-range answer (and, with `controls`, every blank control), row by row, each with what to do.

    A row with any of them is excluded from fitting; `_listwise_exclusions` names one per row, this names them all.
    """
    items, missing, invalid = _bad_items(clean)
    columns = list(ITEM_COLUMNS)
    flags = [missing, invalid]
    if controls:
        columns += list(CONTROL_COLUMNS)
        blank = np.column_stack([clean[c].isna().to_numpy() for c in CONTROL_COLUMNS])
        flags = [np.hstack([missing, blank]), np.hstack([invalid, np.zeros_like(blank)])]
    cells = []
    for i, j in zip(*np.nonzero(flags[0] | flags[1])):
        row, column = int(i) + FIRST_DATA_ROW, columns[j]
        if column not in ITEM_COLUMNS:
            cells.append(Problem(row, column, "missing control; fill it in, or the row is excluded from fitting with controls",
                                 "cell_control_missing", {"value": ""}))
        elif flags[0][i, j]:
            cells.append(Problem(row, column, f"missing answer; enter a whole number from {LIKERT_MIN} to {LIKERT_MAX}, "
                                              "or the row is excluded from fitting", "cell_missing", {"value": ""}))
        else:
            value = f"{items[i, j]:g}"
            cells.append(Problem(row, column, f"{value} is outside the {LIKERT_MIN}–{LIKERT_MAX} scale; enter a whole number "
                                              f"from {LIKERT_MIN} to {LIKERT_MAX}, or the row is excluded from fitting",
                                 "cell_outside", {"value": value}))
    return cells


def _listwise_exclusions(clean: pd.DataFrame, controls: bool) -> list[Problem]:
    """One Problem per excluded row, naming its first offending cell, so the report says why."""
    items, missing, invalid = _bad_items(clean)
    bad = missing | invalid
    control_missing = np.zeros((len(clean), 0), dtype=bool)
    if controls:
        control_missing = np.column_stack([clean[c].isna().to_numpy() for c in CONTROL_COLUMNS])
    excluded = []
    for i in np.flatnonzero(bad.any(axis=1) | control_missing.any(axis=1)):
        row = int(i) + FIRST_DATA_ROW
        if bad[i].any():
            j = int(np.argmax(bad[i]))
            message = ("missing answer; row excluded from fitting" if missing[i, j]
                       else f"{items[i, j]:g} is outside the 1–5 scale; row excluded from fitting")
            excluded.append(Problem(row, ITEM_COLUMNS[j], message, "excluded_missing" if missing[i, j] else "excluded_outside",
                                    {} if missing[i, j] else {"value": f"{items[i, j]:g}"}))
        else:
            excluded.append(Problem(row, CONTROL_COLUMNS[int(np.argmax(control_missing[i]))], "missing control; row excluded from fitting",
                                    "excluded_control"))
    return excluded


def load_survey(path: str | Path, *, controls: bool = False) -> Survey:
    """Read and validate a survey file in one step."""
    return validate_survey(read_table(path), controls=controls)
