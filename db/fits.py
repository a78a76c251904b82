"""Fitted models in the store and which one is the active benchmark.

A fit row is written once and never changed. Which fit is the benchmark is kept apart, in the
append-only `activations` table (the newest row wins): activating another fit adds a row, so old
fit rows stay byte-for-byte as they were, the history says which benchmark was active when, and
two concurrent activations cannot overwrite each other. Every assessment keeps the id of the fit
it was scored against, so re-activation never changes a stored result.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cbec_core.model import FittedModel

from .access import Actor, require
from .audit import record
from .engine import StoreError, database_url, reading, writing
from .schema import Activation, Assessment, Dataset, ModelFit

FIT_FIGURES: tuple[str, ...] = ("chi2", "df", "cfi", "tli", "rmsea", "srmr")
LISTED: tuple[str, ...] = ("id", "dataset_id", "label", "spec_version", "synthetic", "n_used", "n_excluded",
                           *FIT_FIGURES, "bootstrap", "seed", "controls", "created_at")


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def add_fit(session: Session, dataset_id: int, model: FittedModel) -> int:
    """Insert a fitted model of a data set in the caller's transaction; returns the new fit's id."""
    if session.get(Dataset, dataset_id) is None:
        raise StoreError(f"no data set with id {dataset_id}", "unknown_dataset_id", dataset_id=dataset_id)
    figures: Mapping[str, float] = model.structural.fit.as_dict()
    row = ModelFit(
        dataset_id=dataset_id, label=model.label, spec_version=model.spec_version, fingerprint=model.fingerprint,
        synthetic=model.synthetic, n_used=model.n_used, n_excluded=model.n_excluded,
        chi2=_finite(figures["chi2"]), df=int(figures["df"]), cfi=_finite(figures["cfi"]), tli=_finite(figures["tli"]),
        rmsea=_finite(figures["rmsea"]), srmr=_finite(figures["srmr"]),
        bootstrap=int(model.settings["bootstrap"]), seed=int(model.settings["seed"]),
        controls=bool(model.settings["controls"]), model_json=model.to_json(),
    )
    session.add(row)
    session.flush()
    return row.id


def store_fit(dataset_id: int, model: FittedModel, *, actor: Actor, url: str | None = None) -> int:
    """Store a fitted model of a data set (its JSON and the figures a listing shows); returns the new fit's id."""
    require(actor, "fit", f"dataset {dataset_id}", url=url)
    with writing(url) as session:
        fit_id = add_fit(session, dataset_id, model)
        record(session, actor, "fit", f"fit {fit_id}", detail={"dataset_id": dataset_id, "n": model.n_used,
                                                              "bootstrap": int(model.settings["bootstrap"])})
        return fit_id


def list_fits(*, url: str | None = None) -> pd.DataFrame:
    """Every fit, newest first: its figures (with χ²/df), its data set's name and provenance, whether it is the active
    benchmark, and who last activated it (None: never, or seeded by the program as "system")."""
    with reading(url) as session:
        active = current_activation(session)
        rows = session.execute(select(*(getattr(ModelFit, c) for c in LISTED), Dataset.name, Dataset.provenance)
                               .join(Dataset, Dataset.id == ModelFit.dataset_id).order_by(ModelFit.id.desc())).all()
        # who made each fit the benchmark, the last time it was (oldest first, so the newest activation wins)
        activated_by = dict(session.execute(select(Activation.model_fit_id, Activation.activated_by).order_by(Activation.id)).all())
    frame = pd.DataFrame(rows, columns=[*LISTED, "dataset", "provenance"])
    frame.insert(frame.columns.get_loc("df") + 1, "chi2_df",
                 pd.to_numeric(frame["chi2"], errors="coerce") / frame["df"].where(frame["df"] > 0))
    frame["active"] = frame["id"] == (active.model_fit_id if active else None)
    frame["activated_by"] = frame["id"].map(activated_by)
    return frame


_cache: dict[tuple[str, int], FittedModel] = {}
_cache_lock = threading.Lock()


def get_fit(fit_id: int, *, url: str | None = None) -> FittedModel:
    """A stored fit as a FittedModel, parsed once per process (fits never change). Treat it as read-only."""
    key = (database_url(url), fit_id)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    with reading(url) as session:
        text = session.scalar(select(ModelFit.model_json).where(ModelFit.id == fit_id))
    if text is None:
        raise StoreError(f"no model fit with id {fit_id}", "unknown_fit", fit_id=fit_id)
    model = FittedModel.from_json(text)
    with _cache_lock:
        return _cache.setdefault(key, model)


def current_activation(session: Session) -> Activation | None:
    """The newest activation row (its fit is the active benchmark), or None."""
    return session.scalar(select(Activation).order_by(Activation.id.desc()).limit(1))


def active_fit_id(*, url: str | None = None) -> int | None:
    """The active benchmark's fit id, without loading the model (cheap enough to poll)."""
    with reading(url) as session:
        active = current_activation(session)
    return None if active is None else active.model_fit_id


def active_fit(*, url: str | None = None) -> tuple[int, FittedModel] | None:
    """The active benchmark as (fit id, model), or None before any fit was activated."""
    with reading(url) as session:
        active = current_activation(session)
    return None if active is None else (active.model_fit_id, get_fit(active.model_fit_id, url=url))


def _under(session: Session, active: Activation | None) -> int:
    if active is None:
        return 0
    return session.scalar(select(func.count()).select_from(Assessment).where(
        Assessment.model_fit_id == active.model_fit_id, Assessment.created_at >= active.activated_at))


def assessments_under_active_fit(*, url: str | None = None) -> int:
    """Assessments scored against the active fit since it was activated: the ones a switch would leave on an older fit."""
    with reading(url) as session:
        return _under(session, current_activation(session))


def assessments_against(fit_id: int, *, url: str | None = None) -> int:
    """How many stored assessments were scored against a fit (they keep it whatever is activated later)."""
    with reading(url) as session:
        return session.scalar(select(func.count()).select_from(Assessment).where(Assessment.model_fit_id == fit_id))


@dataclass(frozen=True)
class ActivationImpact:
    """What activating `fit_id` would do, for the confirmation: nothing to stored assessments, everything to new ones.

    `on_active` assessments were scored against the current benchmark `active_id`; `since_created` were saved
    (against other fits) after `fit_id` was fitted. Both keep the fit they were scored with.
    """

    fit_id: int
    active_id: int | None
    on_active: int
    since_created: int

    @property
    def already_active(self) -> bool:
        return self.fit_id == self.active_id


def activation_impact(fit_id: int, *, url: str | None = None) -> ActivationImpact:
    """The counts the activation confirmation names (see ActivationImpact); StoreError for an unknown fit."""
    with reading(url) as session:
        fit_row = session.get(ModelFit, fit_id)
        if fit_row is None:
            raise StoreError(f"no model fit with id {fit_id}", "unknown_fit", fit_id=fit_id)
        active = current_activation(session)
        active_id = None if active is None else active.model_fit_id
        count = select(func.count()).select_from(Assessment)
        on_active = 0 if active_id is None else session.scalar(count.where(Assessment.model_fit_id == active_id))
        since = session.scalar(count.where(Assessment.created_at >= fit_row.created_at, Assessment.model_fit_id != fit_id))
    return ActivationImpact(fit_id, active_id, int(on_active), int(since))


def add_activation(session: Session, fit_id: int, by: str | None = None) -> int:
    """Make a fit the active benchmark in the caller's transaction; returns what `activate` returns."""
    if session.get(ModelFit, fit_id) is None:
        raise StoreError(f"no model fit with id {fit_id}", "unknown_fit", fit_id=fit_id)
    active = current_activation(session)
    if active is not None and active.model_fit_id == fit_id:
        return 0
    affected = _under(session, active)
    session.add(Activation(model_fit_id=fit_id, activated_by=by))
    return affected


def activate(fit_id: int, *, actor: Actor, url: str | None = None) -> int:
    """Make a fit the active benchmark for assessments from now on; returns `assessments_under_active_fit` as it stood.

    Stored assessments keep their fit. Activating the fit that is already active changes nothing and returns 0.
    PermissionDenied unless the actor may activate; the activation is audited and names who made it.
    """
    require(actor, "activate", f"fit {fit_id}", url=url)
    with writing(url) as session:
        affected = add_activation(session, fit_id, actor.name)
        record(session, actor, "activate", f"fit {fit_id}", detail={"assessments_left_as_they_were": affected})
        return affected
