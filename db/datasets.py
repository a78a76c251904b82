"""Survey data sets in the store: import (all rows or none), listing, reading back as a survey frame, export.

Import rules (docs/store.md):
- a file over 50 MB is refused before it is read; a non-UTF-8 CSV, an XLSX with more than one
  sheet, a missing column or text in a number column are refused by `cbec_core.survey`;
- formula-like cells are refused (`db.files`), and so are item answers the store cannot keep as a
  small whole number (2.5, 99999): the store holds Likert answers as SmallInteger;
- every problem of the file is reported at once (SurveyError.problems → `error_report`), and the
  database is left exactly as it was;
- otherwise every row is stored, in file order, including rows the fit will exclude listwise
  (a blank or out-of-range answer): the fit reports them, the store keeps the file as it was.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cbec_core.instrument import CONTROL_COLUMNS, ITEM_COLUMNS
from cbec_core.model import fingerprint
from cbec_core.reference import is_synthetic
from cbec_core.survey import (
    FIRST_DATA_ROW,
    Problem,
    Survey,
    SurveyError,
    read_table,
    unknown_zones,
    validate_survey,
)

from .access import Actor, require
from .audit import record
from .engine import StoreError, reading, writing
from .files import check_file_size, formula_problems, write_table
from .schema import PROVENANCES, SYNTHETIC, Dataset, SurveyResponse

SURVEY_COLUMNS: tuple[str, ...] = ("firm_id", *ITEM_COLUMNS, *CONTROL_COLUMNS, "province", "zone")
"""A stored data set's columns, in the order of the reference cohort and of every export."""
TEXT_COLUMNS: tuple[str, ...] = ("firm_id", "region", "business_model", "province", "zone")
NUMBER_COLUMNS: tuple[str, ...] = (*ITEM_COLUMNS, "firm_size", "firm_age", "pilot_zone")
SMALLINT_MAX = 32767
INT_MAX = 2**31 - 1


@dataclass(frozen=True)
class DatasetInfo:
    """One stored data set, without its rows."""

    id: int
    name: str
    provenance: str
    row_count: int
    fingerprint: str
    created_at: datetime

    @property
    def synthetic(self) -> bool:
        return self.provenance == SYNTHETIC


@dataclass(frozen=True)
class ImportResult:
    """A stored data set, the rows a fit will exclude listwise (stored all the same) with their reasons, and the
    rows whose zone is not in the pilot-zone list (kept as typed)."""

    dataset: DatasetInfo
    excluded: tuple[Problem, ...]
    unknown_zones: tuple[Problem, ...] = ()


def _info(row: Dataset) -> DatasetInfo:
    return DatasetInfo(row.id, row.name, row.provenance, row.row_count, row.fingerprint, row.created_at)


# ---- reading a file or frame into the stored layout ---------------------------------------------

def _storage_problems(raw: pd.DataFrame) -> list[Problem]:
    """Numbers the columns cannot hold: items that are not whole or beyond SmallInteger, head counts beyond Integer."""
    problems = []
    limits = {**{c: (SMALLINT_MAX, "answers are stored as whole numbers; enter a whole number from 1 to 5")
                 for c in ITEM_COLUMNS},
              "firm_size": (INT_MAX, "enter the number of employees")}
    for column, (limit, fix) in limits.items():
        if column in raw.columns:
            values = pd.to_numeric(raw[column], errors="coerce").to_numpy(dtype=float)
            bad = ~np.isnan(values) & ((values != np.floor(values)) | (np.abs(values) > limit))
            for i in np.flatnonzero(bad):
                problems.append(Problem(int(i) + FIRST_DATA_ROW, column, f"{values[i]:g} cannot be stored; {fix}"))
    return problems


def _whole_or_float(values: pd.Series) -> pd.Series:
    """Ages as whole numbers when every one is whole (as most files give them), else as decimals."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    whole = numbers.dropna()
    return numbers.astype("Int64") if (whole == np.floor(whole)).all() else numbers


def _survey_frame(columns: dict[str, list | pd.Series]) -> pd.DataFrame:
    """The stored layout with fixed dtypes, built the same way on import and on read-back (so fingerprints agree)."""
    n = len(next(iter(columns.values()))) if columns else 0
    frame = pd.DataFrame(index=range(n))
    for column in SURVEY_COLUMNS:
        values = np.array(columns.get(column, [None] * n), dtype=object)  # positional, never index-aligned
        values[pd.isna(values)] = None
        series = pd.Series(values, dtype=object)
        if column in TEXT_COLUMNS:
            frame[column] = series
        elif column == "firm_age":
            frame[column] = _whole_or_float(series)
        else:
            frame[column] = pd.to_numeric(series, errors="coerce").astype("Int64")
    return frame


def parse_survey(raw: pd.DataFrame) -> tuple[pd.DataFrame, tuple[Problem, ...]]:
    """A raw survey table as the rows to store (all of them, in order) and the rows the fit will exclude.

    Raises SurveyError listing every problem of the table (cbec_core's validation, formula cells,
    unstorable numbers), a cell flagged as a formula once rather than twice.
    """
    raw = raw.rename(columns=lambda c: str(c).strip()).reset_index(drop=True)
    problems = formula_problems(raw, SURVEY_COLUMNS)
    formula_cells = {(p.row, p.column) for p in problems}
    try:
        survey = validate_survey(raw)
    except SurveyError as exc:
        problems += [p for p in exc.problems if (p.row, p.column) not in formula_cells]
        survey = None
    problems += [p for p in _storage_problems(raw) if (p.row, p.column) not in formula_cells]
    if problems:
        raise SurveyError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    # validated above: every number cell is a number or a blank, so it parses as survey.py parses it
    columns = {c: pd.to_numeric(raw[c], errors="coerce") for c in NUMBER_COLUMNS if c in raw.columns}
    columns |= _clean_text(raw, survey)
    return _survey_frame(columns), tuple(survey.excluded)


def _clean_text(raw: pd.DataFrame, survey: Survey) -> dict[str, pd.Series]:
    """Every row's text and category columns as validate_survey cleans them (trimmed, canonical spelling), in file order.

    validate_survey returns the usable rows only; the excluded rows (already validated) are cleaned
    by validating just those rows again with their items masked.
    """
    excluded = [p.row - FIRST_DATA_ROW for p in survey.excluded]
    kept = np.setdiff1d(np.arange(len(raw)), excluded)
    parts = [survey.data.set_axis(kept)]
    if excluded:
        masked = raw.iloc[excluded].reset_index(drop=True).assign(**{c: 1 for c in ITEM_COLUMNS})
        parts.append(validate_survey(masked).data.set_axis(excluded))
    every_row = pd.concat(parts).sort_index()
    return {c: every_row[c] for c in TEXT_COLUMNS if c in every_row.columns}


def _python_column(series: pd.Series) -> list:
    """A column as Python values with None for missing (what a DB driver binds)."""
    values = series.tolist()
    missing = series.isna().to_numpy()
    return [None if m else v for v, m in zip(values, missing)] if missing.any() else values


def _response_rows(dataset_id: int, frame: pd.DataFrame) -> list[dict]:
    keys = ["dataset_id", "row_number", *SURVEY_COLUMNS]
    columns = [[dataset_id] * len(frame), list(range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame))),
               *(_python_column(frame[c]) for c in SURVEY_COLUMNS)]
    return [dict(zip(keys, values)) for values in zip(*columns)]


def add_dataset(session: Session, name: str, provenance: str, rows: pd.DataFrame) -> DatasetInfo:
    """Insert a data set and all its rows (a `parse_survey` frame) in the caller's transaction: one bulk insert."""
    dataset = Dataset(name=name, provenance=provenance, row_count=len(rows), fingerprint=fingerprint(rows))
    session.add(dataset)
    session.flush()
    session.execute(insert(SurveyResponse.__table__), _response_rows(dataset.id, rows))
    return _info(dataset)


# ---- the repository API ------------------------------------------------------------------------

def import_frame(frame: pd.DataFrame, name: str, provenance: str = "uploaded", *, actor: Actor,
                 url: str | None = None) -> ImportResult:
    """Store a survey table as a new data set named `name`, every row or none (one transaction, one bulk insert).

    The synthetic reference cohort (recognised by `cbec_core.reference.is_synthetic` or a
    `provenance` column saying so) is always stored as synthetic-reference, whatever `provenance` says.
    Raises SurveyError (every problem of the table) or StoreError (a bad name, a name in use); PermissionDenied
    unless the actor may upload.
    """
    name = name.strip()
    if not name or len(name) > 200:
        raise StoreError("a data set needs a name of 1 to 200 characters", "dataset_name_length", low=1, high=200)
    if provenance not in PROVENANCES:
        raise StoreError(f"provenance '{provenance}' is not one of {', '.join(PROVENANCES)}", "bad_provenance",
                         provenance=provenance, allowed=", ".join(PROVENANCES))
    if is_synthetic(frame) or ("provenance" in frame.columns and (frame["provenance"] == SYNTHETIC).all()):
        provenance = SYNTHETIC
    rows, excluded = parse_survey(frame)
    require(actor, "upload", name, url=url)
    with writing(url, serialise=True) as session:  # serialised: no other import can take the name after the check
        if session.scalar(select(Dataset.id).where(Dataset.name == name)) is not None:
            raise StoreError(f"a data set named '{name}' already exists; choose another name", "dataset_name_taken", name=name)
        info = add_dataset(session, name, provenance, rows)
        record(session, actor, "upload", name, detail={"rows": len(rows), "provenance": provenance})
    return ImportResult(info, excluded, tuple(unknown_zones(frame)))


def import_file(path: str | Path, name: str, provenance: str = "uploaded", *, actor: Actor,
                url: str | None = None) -> ImportResult:
    """Validate a CSV or XLSX survey file whole, then store it as `import_frame` does; SurveyError if it cannot be used."""
    path = Path(path)
    check_file_size(path)
    return import_frame(read_table(path), name, provenance, actor=actor, url=url)


def list_datasets(*, url: str | None = None) -> pd.DataFrame:
    """Every data set (id, name, provenance, row_count, fingerprint, created_at), oldest first."""
    columns = ["id", "name", "provenance", "row_count", "fingerprint", "created_at"]
    with reading(url) as session:
        rows = session.execute(select(*(getattr(Dataset, c) for c in columns)).order_by(Dataset.id)).all()
    return pd.DataFrame(rows, columns=columns)


def get_dataset(name: str, *, url: str | None = None) -> DatasetInfo:
    """The data set called `name`; StoreError naming the ones there are if none is."""
    with reading(url) as session:
        row = session.scalar(select(Dataset).where(Dataset.name == name))
        if row is None:
            names = session.scalars(select(Dataset.name).order_by(Dataset.id)).all()
            raise StoreError(f"no data set named '{name}'; the store holds: {', '.join(names) or 'none'}",
                             "unknown_dataset", name=name, names=", ".join(names) or "—")
        return _info(row)


def dataset_frame(name: str, *, url: str | None = None) -> pd.DataFrame:
    """A stored data set as a survey frame (columns SURVEY_COLUMNS, file order), ready for `cbec_core.model.fit`.

    attrs carry `dataset`, `provenance` and `synthetic` (so `is_synthetic` recognises the reference cohort).
    """
    info = get_dataset(name, url=url)
    with reading(url) as session:
        rows = session.execute(select(*(getattr(SurveyResponse, c) for c in SURVEY_COLUMNS))
                               .where(SurveyResponse.dataset_id == info.id).order_by(SurveyResponse.row_number)).all()
    if len(rows) != info.row_count:
        raise StoreError(f"data set '{name}' should hold {info.row_count} rows but holds {len(rows)}", "dataset_rows_missing",
                         name=name, expected=info.row_count, found=len(rows))
    frame = _survey_frame({c: [r[i] for r in rows] for i, c in enumerate(SURVEY_COLUMNS)})
    frame.attrs.update(dataset=info.name, provenance=info.provenance, synthetic=info.synthetic)
    return frame


def export_dataset(name: str, path: str | Path, *, url: str | None = None) -> int:
    """Write a data set to CSV or XLSX (by suffix); a synthetic one carries a `provenance` column. Returns the row count."""
    frame = dataset_frame(name, url=url)
    if frame.attrs["synthetic"]:
        frame = frame.assign(provenance=SYNTHETIC)
    write_table(frame, Path(path))
    return len(frame)
