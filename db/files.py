"""File rules at the store's edge: the upload size limit, spreadsheet-formula cells, guarded CSV/XLSX writing, error reports.

A cell "looks like a formula" when, after leading whitespace, it starts with `=`, or starts with
`+`, `-` or `@` and is not a plain number. So `-3`, `+2.5` and `-1e3` are data, a lone `-` is the
usual missing-value mark, and `=SUM(A1)`, `@SUM(A1)`, `+A1` and `-2+3+cmd|' /C calc'!A0` are
formulas (spreadsheets would run them). Imports reject such cells; exports prefix them with a
single quote, the spreadsheet convention for "this is text" — the same test both ways, so anything
an import accepts is exported unchanged.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from cbec_core.survey import FIRST_DATA_ROW, Problem, SurveyError

from .engine import StoreError

MAX_FILE_MB = 50
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
TABLE_SUFFIXES = (".csv", ".xlsx")
XLSX_MAX_ROWS = 1_048_576  # a sheet's rows, the header included


def check_file_size(path: Path) -> None:
    """Refuse a file over the limit before reading a byte of it."""
    if path.exists() and (size := path.stat().st_size) > MAX_FILE_BYTES:
        megabytes = f"{size / 1024**2:.1f}"
        raise SurveyError([Problem(None, None, f"{path.name} is {megabytes} MB; the limit is {MAX_FILE_MB} MB — "
                                               "split the file or remove columns the survey does not use",
                                   "file_too_big", {"file": path.name, "size": megabytes, "limit": MAX_FILE_MB})])


_RISKY_START = r"^\s*[=+\-@]"


def formula_mask(values: pd.Series) -> np.ndarray:
    """Which cells look like spreadsheet formulas (see the module docstring); blanks and numbers never do."""
    text = values.astype(object).where(values.notna(), "").astype(str)
    mask = np.array(text.str.contains(_RISKY_START, regex=True), dtype=bool)
    candidates = np.flatnonzero(mask)  # cells starting with = + - @: a formula, or a signed number?
    if len(candidates):
        cells = text.iloc[candidates].str.strip()
        formula = cells.str.startswith("=") | ((cells.str.len() > 1) & pd.to_numeric(cells, errors="coerce").isna())
        mask[candidates] = np.array(formula, dtype=bool)
    return mask


def formula_problems(frame: pd.DataFrame, columns: Iterable[str]) -> list[Problem]:
    """One Problem per formula-like cell of the given columns, in spreadsheet rows."""
    problems = []
    for column in columns:
        if column in frame.columns:
            for i in np.flatnonzero(formula_mask(frame[column])):
                value = str(frame[column].iat[i])
                problems.append(Problem(int(i) + FIRST_DATA_ROW, column,
                                        f"'{value}' looks like a spreadsheet formula; enter the value itself",
                                        "formula", {"value": value}))
    return problems


def guard_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose formula-like text cells start with a single quote, so a spreadsheet shows them as text."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            mask = formula_mask(out[column])
            if mask.any():
                out[column] = out[column].astype(object)
                out.loc[mask, column] = "'" + out.loc[mask, column].astype(str)
    return out


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    """Write a frame as CSV (UTF-8 with BOM, so spreadsheets read Chinese text) or one-sheet XLSX, formulas guarded.

    Times keep their UTC offset in CSV; XLSX cannot hold one, so they are written as UTC.
    """
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise StoreError(f"{path.name}: cannot write '{suffix}' files; use .csv or .xlsx", "bad_table_suffix", name=path.name,
                         suffix=suffix)
    safe = guard_formulas(frame)
    if suffix == ".csv":
        safe.to_csv(path, index=False, encoding="utf-8-sig")
        return path
    if len(safe) >= XLSX_MAX_ROWS:
        raise StoreError(f"{len(safe)} rows do not fit in one XLSX sheet ({XLSX_MAX_ROWS - 1} at most); export to .csv",
                         "xlsx_too_long", rows=len(safe), most=XLSX_MAX_ROWS - 1)
    for column in safe.columns:  # XLSX has no time zones: times are written as UTC
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_convert("UTC").dt.tz_localize(None)
    safe.to_excel(path, index=False, engine="openpyxl")
    return path


REPORT_COLUMNS = ("row", "column", "value", "message")


def error_report(problems: Iterable[Problem]) -> pd.DataFrame:
    """Every problem of a file as a table: row (spreadsheet numbering), column, the cell's value as read, and the message
    (what is wrong and what to do); a blank cell's value is empty."""
    rows = [{**p.as_dict(), "value": str(p.values.get("value", ""))} for p in problems]
    frame = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    return frame.astype({"row": "Int64"})


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as a CSV download: formula-like text guarded, UTF-8 with BOM so spreadsheets read Chinese."""
    return guard_formulas(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """Tables as an XLSX download, one sheet each (in order), formula-like text guarded."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            guard_formulas(frame).to_excel(writer, index=False, sheet_name=name)
    return buffer.getvalue()


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """Files (name -> content) as one ZIP download, in order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def error_report_csv(problems: Iterable[Problem]) -> bytes:
    """The error report as CSV bytes (formula-guarded: messages quote the offending cells)."""
    return csv_bytes(error_report(problems))
