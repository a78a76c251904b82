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
from sqlalchemy import delete, insert, select
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
from .audit import log_event, record
from .engine import StoreError, reading, writing
from .files import check_file_size, formula_problems, write_table
from .fits import fit_uses, forget
from .schema import PROVENANCES, SYNTHETIC, Dataset, ModelFit, SurveyResponse

SURVEY_COLUMNS: tuple[str, ...] = ("firm_id", *ITEM_COLUMNS, *CONTROL_COLUMNS, "province", "zone")
"""A stored data set's columns, in the order of the reference cohort and of every export."""
TEXT_COLUMNS: tuple[str, ...] = ("firm_id", "region", "business_model", "province", "zone")
NUMBER_COLUMNS: tuple[str, ...] = (*ITEM_COLUMNS, "firm_size", "firm_age", "pilot_zone")
SMALLINT_MAX = 32767
INT_MAX = 2**31 - 1
NAME_MAX = 200


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
                problems.append(Problem(int(i) + FIRST_DATA_ROW, column, f"{values[i]:g} cannot be stored; {fix}",
                                        "not_storable", {"value": f"{values[i]:g}",
                                                         "fix": "stored_item" if column in ITEM_COLUMNS else column}))
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


def _one_per_cell(problems: list[Problem], columns: pd.Index) -> list[Problem]:
    """Each cell named once (the first problem found of it wins), in reading order: row by row, columns as in the file."""
    seen: set[tuple[int, str]] = set()
    kept = []
    for p in problems:
        if p.row is not None and p.column is not None:
            if (p.row, p.column) in seen:
                continue
            seen.add((p.row, p.column))
        kept.append(p)
    order = {c: i for i, c in enumerate(columns)}
    return sorted(kept, key=lambda p: (p.row or 0, order.get(p.column, len(order))))


def read_survey(raw: pd.DataFrame) -> tuple[pd.DataFrame, Survey]:
    """A raw survey table as the rows to store (all of them, in order) and its validated Survey (exclusions, bad cells).

    Raises SurveyError listing every problem of the table in one pass: formula cells, unstorable numbers,
    cbec_core's validation, and every blank or out-of-range answer beside them; a cell is named once (a
    formula before the text it also is, an unstorable 2.5 before the out-of-range answer it also is).
    """
    raw = raw.rename(columns=lambda c: str(c).strip()).reset_index(drop=True)
    problems = formula_problems(raw, SURVEY_COLUMNS) + _storage_problems(raw)
    try:
        survey = validate_survey(raw)
    except SurveyError as exc:
        raise SurveyError(_one_per_cell(problems + exc.problems, raw.columns)) from None
    if problems:
        raise SurveyError(_one_per_cell(problems + survey.cells, raw.columns))
    # validated above: every number cell is a number or a blank, so it parses as survey.py parses it
    columns = {c: pd.to_numeric(raw[c], errors="coerce") for c in NUMBER_COLUMNS if c in raw.columns}
    columns |= _clean_text(raw, survey)
    return _survey_frame(columns), survey


def parse_survey(raw: pd.DataFrame) -> tuple[pd.DataFrame, tuple[Problem, ...]]:
    """A raw survey table as the rows to store and the rows the fit will exclude (one per row); see `read_survey`."""
    rows, survey = read_survey(raw)
    return rows, tuple(survey.excluded)


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

def check_name(name: str) -> str:
    """A data set name trimmed; StoreError unless it has 1 to NAME_MAX characters."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise StoreError(f"a data set needs a name of 1 to {NAME_MAX} characters", "dataset_name_length", low=1, high=NAME_MAX)
    return name


def _named(session: Session, name: str) -> Dataset:
    """The data set row called `name`; StoreError naming the ones there are if none is."""
    row = session.scalar(select(Dataset).where(Dataset.name == name))
    if row is None:
        names = session.scalars(select(Dataset.name).order_by(Dataset.id)).all()
        raise StoreError(f"no data set named '{name}'; the store holds: {', '.join(names) or 'none'}",
                         "unknown_dataset", name=name, names=", ".join(names) or "—")
    return row

def import_frame(frame: pd.DataFrame, name: str, provenance: str = "uploaded", *, actor: Actor,
                 url: str | None = None) -> ImportResult:
    """Store a survey table as a new data set named `name`, every row or none (one transaction, one bulk insert).

    The synthetic reference cohort (recognised by `cbec_core.reference.is_synthetic` or a
    `provenance` column saying so) is always stored as synthetic-reference, whatever `provenance` says.
    Raises SurveyError (every problem of the table) or StoreError (a bad name, a name in use); PermissionDenied
    unless the actor may upload.
    """
    name = check_name(name)
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
        return _info(_named(session, name))


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


def rename_dataset(name: str, new_name: str, *, actor: Actor, url: str | None = None) -> DatasetInfo:
    """Rename a data set (its rows and fits stay; fits keep their own labels); StoreError if the new name is taken."""
    new_name = check_name(new_name)
    require(actor, "rename_dataset", name, url=url)
    with writing(url, serialise=True) as session:
        row = _named(session, name)
        if new_name != name and session.scalar(select(Dataset.id).where(Dataset.name == new_name)) is not None:
            raise StoreError(f"a data set named '{new_name}' already exists; choose another name", "dataset_name_taken",
                             name=new_name)
        row.name = new_name
        record(session, actor, "rename_dataset", name, detail={"from": name, "to": new_name})
        return _info(row)


def dataset_fits(name: str, *, url: str | None = None) -> list[int]:
    """The ids of a data set's fits, oldest first (what deleting it would delete with it)."""
    with reading(url) as session:
        row = _named(session, name)
        return list(session.scalars(select(ModelFit.id).where(ModelFit.dataset_id == row.id).order_by(ModelFit.id)))


def delete_dataset(name: str, *, actor: Actor, url: str | None = None) -> tuple[int, ...]:
    """Delete a data set with its rows and its fits, unless one of its fits must stay (an assessment was scored with it,
    or it is or was the benchmark): then StoreError "dataset_kept" naming them, and nothing is deleted.

    Returns the ids of the fits deleted with it. Audited, the refusal too.
    """
    require(actor, "delete_dataset", name, url=url)
    try:
        with writing(url, serialise=True) as session:
            row = _named(session, name)
            fit_ids = list(session.scalars(select(ModelFit.id).where(ModelFit.dataset_id == row.id).order_by(ModelFit.id)))
            kept = [u.fit_id for u in fit_uses(session, fit_ids).values() if u.kept]
            if kept:
                listed = ", ".join(f"#{i}" for i in kept)
                raise StoreError(f"data set '{name}' must stay: its fit(s) {listed} were used for assessments or as the "
                                 "benchmark, and they must stay; rename it instead", "dataset_kept", name=name, fits=listed)
            session.execute(delete(ModelFit).where(ModelFit.dataset_id == row.id))
            session.execute(delete(SurveyResponse).where(SurveyResponse.dataset_id == row.id))
            record(session, actor, "delete_dataset", name, detail={"rows": row.row_count, "fits": fit_ids})
            session.delete(row)
    except StoreError as exc:
        if exc.code == "dataset_kept":
            log_event(actor, "delete_dataset", name, outcome="refused", detail=str(exc), url=url)
        raise
    forget(fit_ids, url)
    return tuple(fit_ids)
