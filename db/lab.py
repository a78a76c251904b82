"""The model lab's two steps on the store: check an uploaded survey without storing it, and fit a data set then store the fit.

Both leave the store as it was when they fail: a check never writes, and a fit is stored in one
transaction only after the whole fit has finished (a cancelled or failed fit stores nothing).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cbec_core.model import DEFAULT_RESAMPLES, DEFAULT_SEED, FittedModel, Progress, fit
from cbec_core.survey import Problem, SurveyError, read_table, validate_survey

from .access import Actor, require
from .datasets import dataset_frame, get_dataset, read_survey
from .files import check_file_size
from .fits import fit_exists, identical_fit, store_fit


@dataclass(frozen=True)
class UploadCheck:
    """The validation report of an uploaded file: every problem that refuses it, or the rows a fit will exclude."""

    filename: str
    rows: int
    problems: tuple[Problem, ...]  # empty when the file can be stored; else every problem, blank answers included
    excluded: tuple[Problem, ...]  # one per row the fit will exclude
    table: pd.DataFrame | None  # the file as read (None when it could not be read)
    cells: tuple[Problem, ...] = ()  # every blank or out-of-range answer of a file that can be stored

    @property
    def ok(self) -> bool:
        return not self.problems


def check_upload(filename: str, content: bytes) -> UploadCheck:
    """Read and validate an uploaded CSV/XLSX as `import_file` would, reporting every problem; stores nothing."""
    name = Path(filename).name
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            check_file_size(path)
            table = read_table(path)
        except SurveyError as exc:
            return UploadCheck(name, 0, tuple(exc.problems), (), None)
    try:
        _, survey = read_survey(table)
    except SurveyError as exc:
        return UploadCheck(name, len(table), tuple(exc.problems), (), table)
    return UploadCheck(name, len(table), (), tuple(survey.excluded), table, tuple(survey.cells))


def fit_dataset(name: str, *, bootstrap: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED, controls: bool = False,
                estimator: str = "ML", progress: Progress | None = None, actor: Actor,
                url: str | None = None) -> tuple[int, FittedModel]:
    """Fit a stored data set as `cbec fit --dataset NAME` does and store the fit; returns (fit id, model).

    Raises SurveyError (e.g. controls asked for but blank in every row) or FitFailure (the model cannot be
    estimated) with a readable reason; nothing is stored unless the fit completes. An exception raised by
    `progress` (the page's Cancel) stops the fit, up to the moment just before the store, with nothing stored.
    A fit identical to a stored one (same data, spec version and settings) is refused with StoreError code
    "fit_exists" naming it: before fitting (no minutes spent on it) and again in the storing transaction.
    """
    require(actor, "fit", name, url=url)
    dataset_id = get_dataset(name, url=url).id
    wanted = {"bootstrap": bootstrap, "seed": seed, "controls": controls, "estimator": estimator}
    if (same := identical_fit(dataset_id, wanted, url=url)) is not None:
        raise fit_exists(same)
    frame = dataset_frame(name, url=url)
    survey = validate_survey(frame, controls=controls)
    if survey.n_used == 0:
        raise SurveyError([Problem(None, None, f"every row of data set '{name}' was excluded (first reason — {survey.excluded[0]}); "
                                               "fill in the missing answers, or fit without controls if they are the blanks")])
    model = fit(survey, bootstrap=bootstrap, seed=seed, controls=controls, estimator=estimator, progress=progress,
                synthetic=bool(frame.attrs["synthetic"]), label=name)
    if progress:  # the last stage reported done once more, right before storing: a caller's last chance to stop
        progress("subgroups", 1, 1)
    return store_fit(dataset_id, model, actor=actor, url=url, unique=True), model
