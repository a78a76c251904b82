"""First run: bring the schema up to date and, while no benchmark is active, seed the synthetic reference cohort.

Seeding stores the cohort (provenance synthetic-reference), its fit (synthetic=True, 5,000 bootstrap
resamples) and the activation in one serialised transaction, so processes starting together seed
once: whoever takes the lock second finds a benchmark active and stores nothing.

The fit is not recomputed at every first start: it ships as package data, `db/reference_fit.json`,
exactly what `cbec_core.model.fit` gives for the cohort less what differs from run to run (timings,
the time of fitting) — so seeding needs neither semopy nor statsmodels, which take seconds to
import. `tests/db/test_reference_fit.py` refits the cohort and compares the file byte for byte;
after a change to the cohort or the model, rewrite it with `python -m db.seed`. Should the file not
match the cohort (its fingerprint), seeding fits the cohort instead.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from cbec_core.model import DEFAULT_RESAMPLES, FittedModel, fingerprint, fit
from cbec_core.reference import reference_cohort

from .datasets import add_dataset, parse_survey
from .engine import reading, writing
from .fits import add_activation, add_fit, current_activation
from .migrate import upgrade
from .schema import SYNTHETIC, Dataset

REFERENCE_NAME = "Synthetic reference cohort (Tian 2025 calibration)"
REFERENCE_FIT = Path(__file__).with_name("reference_fit.json")
SIGNIFICANT = 10
_one_at_a_time = threading.Lock()  # the server's warm-up and its first page: one seeds, the other waits and finds it done


def ensure_ready(url: str | None = None) -> int:
    """Make the store usable: migrate it, and seed and activate the reference benchmark if none is active.

    Safe to call at every start and from several processes and threads at once. Returns the active fit's id.
    """
    with _one_at_a_time:
        return _ensure_ready(url)


def _ensure_ready(url: str | None) -> int:
    upgrade(url)
    with reading(url) as session:
        active = current_activation(session)
    if active is not None:
        return active.model_fit_id
    cohort = reference_cohort()
    model = shipped_reference_fit(cohort)
    with writing(url, serialise=True) as session:
        active = current_activation(session)
        if active is not None:  # another process seeded while this one was fitting
            return active.model_fit_id
        dataset_id = session.scalar(select(Dataset.id).where(Dataset.name == REFERENCE_NAME))
        if dataset_id is None:
            rows, _ = parse_survey(cohort)
            dataset_id = add_dataset(session, REFERENCE_NAME, SYNTHETIC, rows).id
        fit_id = add_fit(session, dataset_id, model)
        add_activation(session, fit_id, "system")
        return fit_id


def fit_reference(cohort: pd.DataFrame) -> FittedModel:
    """The reference cohort's benchmark fit, computed (seconds, and semopy and statsmodels imported)."""
    return fit(cohort, bootstrap=DEFAULT_RESAMPLES, synthetic=True, label=REFERENCE_NAME)


def reference_fit_json(model: FittedModel) -> str:
    """A reference fit as shipped: its JSON without the timings and the time of fitting, which differ by run,
    and with every number to SIGNIFICANT digits (the SEM's optimum varies in the 14th digit from run to run)."""
    data = model.to_dict()
    data["timings"] = {}
    data["settings"].pop("fitted_at", None)
    data["moderated_mediation"]["bootstrap"].pop("seconds", None)
    if data.get("pls"):
        data["pls"].get("bootstrap", {}).pop("seconds", None)
    return json.dumps(_rounded(data), ensure_ascii=False, allow_nan=False) + "\n"


def _rounded(value):
    if isinstance(value, float):
        return float(f"{value:.{SIGNIFICANT}g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def shipped_reference_fit(cohort: pd.DataFrame) -> FittedModel:
    """The shipped fit of the reference cohort, or a fresh fit if the shipped one is not of this cohort."""
    model = FittedModel.from_json(REFERENCE_FIT.read_text(encoding="utf-8"))
    return model if model.fingerprint == fingerprint(cohort) else fit_reference(cohort)


if __name__ == "__main__":  # python -m db.seed: rewrite the shipped reference fit
    REFERENCE_FIT.write_text(reference_fit_json(fit_reference(reference_cohort())), encoding="utf-8")
    print(f"wrote {REFERENCE_FIT}")
