"""First run: bring the schema up to date and, while no benchmark is active, seed the synthetic reference cohort.

Seeding stores the cohort (provenance synthetic-reference), its fit (`cbec_core.model.fit`,
synthetic=True, 5,000 bootstrap resamples) and the activation in one serialised transaction, so
processes starting together seed once: the fit is computed outside the lock (it takes well under
a second), and whoever takes the lock second finds a benchmark active and stores nothing.
"""
from __future__ import annotations

import threading

from sqlalchemy import select

from cbec_core.model import DEFAULT_RESAMPLES, fit
from cbec_core.reference import reference_cohort

from .datasets import add_dataset, parse_survey
from .engine import reading, writing
from .fits import add_activation, add_fit, current_activation
from .migrate import upgrade
from .schema import SYNTHETIC, Dataset

REFERENCE_NAME = "Synthetic reference cohort (Tian 2025 calibration)"
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
    model = fit(cohort, bootstrap=DEFAULT_RESAMPLES, synthetic=True, label=REFERENCE_NAME)
    with writing(url, serialise=True) as session:
        active = current_activation(session)
        if active is not None:  # another process seeded while this one was fitting
            return active.model_fit_id
        dataset_id = session.scalar(select(Dataset.id).where(Dataset.name == REFERENCE_NAME))
        if dataset_id is None:
            rows, _ = parse_survey(cohort)
            dataset_id = add_dataset(session, REFERENCE_NAME, SYNTHETIC, rows).id
        fit_id = add_fit(session, dataset_id, model)
        add_activation(session, fit_id)
        return fit_id
