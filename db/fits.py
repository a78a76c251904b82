"""Fitted models in the store and which one is the active benchmark.

A fit's figures and model are written once and never changed (only its label can be renamed). Which fit
is the benchmark is kept apart, in the append-only `activations` table (the newest row wins): activating
another fit adds a row, so old fit rows stay as they were, the history says which benchmark was active
when, and two concurrent activations cannot overwrite each other. Every assessment keeps the id of the
fit it was scored against, so re-activation never changes a stored result.

A fit can be deleted only if nothing depends on it: no assessment was scored with it and it never was
the benchmark (the activation history names it). An identical fit (same data, spec version and settings)
is not stored twice: `fit_dataset` names the one there is instead (docs/store.md).
"""
from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cbec_core.model import SPEC_VERSION, FittedModel

from .access import Actor, require
from .audit import log_event, record
from .engine import StoreError, database_url, reading, writing
from .schema import Activation, Assessment, Dataset, ModelFit

FIT_FIGURES: tuple[str, ...] = ("chi2", "df", "cfi", "tli", "rmsea", "srmr")
SETTINGS_COMPARED: dict[str, object] = {"bootstrap": None, "seed": None, "controls": None, "estimator": "ML",
                                        "sem_bootstrap": 0, "invariance_group": "pilot_zone"}
"""The settings two fits of the same data must share to be identical, with the value a fit stored before the
setting existed had."""
LABEL_MAX = 200
LISTED: tuple[str, ...] = ("id", "dataset_id", "label", "spec_version", "synthetic", "n_used", "n_excluded",
                           *FIT_FIGURES, "bootstrap", "seed", "controls", "created_at")


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def fit_row(session: Session, fit_id: int) -> ModelFit:
    """A stored fit's row in the caller's transaction; StoreError ("unknown_fit") when there is none."""
    row = session.get(ModelFit, fit_id)
    if row is None:
        raise StoreError(f"no model fit with id {fit_id}", "unknown_fit", fit_id=fit_id)
    return row


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


def _settings(settings: Mapping) -> tuple:
    return tuple(settings.get(k, default) for k, default in SETTINGS_COMPARED.items())


def _identical(session: Session, dataset_id: int, settings: Mapping) -> int | None:
    """The oldest stored fit of data identical to the data set's (same fingerprint), this spec version and these settings."""
    data = select(Dataset.fingerprint).where(Dataset.id == dataset_id).scalar_subquery()
    candidates = session.execute(
        select(ModelFit.id, ModelFit.model_json).join(Dataset, Dataset.id == ModelFit.dataset_id)
        .where(Dataset.fingerprint == data, ModelFit.spec_version == SPEC_VERSION,
               ModelFit.bootstrap == int(settings["bootstrap"]), ModelFit.seed == int(settings["seed"]),
               ModelFit.controls == bool(settings["controls"])).order_by(ModelFit.id)).all()
    wanted = _settings(settings)
    return next((fit_id for fit_id, text in candidates if _settings(json.loads(text)["settings"]) == wanted), None)


def identical_fit(dataset_id: int, settings: Mapping, *, url: str | None = None) -> int | None:
    """The id of a stored fit identical to fitting the data set with `settings` (SETTINGS_COMPARED), or None."""
    with reading(url) as session:
        return _identical(session, dataset_id, settings)


def fit_exists(fit_id: int) -> StoreError:
    """The refusal to store a fit identical to fit `fit_id`."""
    return StoreError(f"an identical fit is already stored as fit #{fit_id} (same data, specification and settings); "
                      "nothing was stored — read that one, or change the resamples or seed for a new fit",
                      "fit_exists", fit_id=fit_id)


def store_fit(dataset_id: int, model: FittedModel, *, actor: Actor, url: str | None = None,
              unique: bool = False) -> int:
    """Store a fitted model of a data set (its JSON and the figures a listing shows); returns the new fit's id.

    With `unique`, a fit identical to a stored one (`identical_fit`) is refused with StoreError code
    "fit_exists" naming it, checked in the storing transaction, so two Fit clicks cannot store two.
    """
    require(actor, "fit", f"dataset {dataset_id}", url=url)
    with writing(url, serialise=unique) as session:
        if unique and (same := _identical(session, dataset_id, model.settings)) is not None:
            raise fit_exists(same)
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

    Stored assessments are counted by the fit they were scored with: `on_active` with the current benchmark
    `active_id` (the benchmark since `active_since`), `on_chosen` with `fit_id` itself (while it was the benchmark
    before, or in a workshop), `others` with any other fit. Every one of them keeps its fit and scores.
    """

    fit_id: int
    active_id: int | None
    active_since: datetime | None
    on_active: int
    on_chosen: int
    others: int

    @property
    def already_active(self) -> bool:
        return self.fit_id == self.active_id


def activation_impact(fit_id: int, *, url: str | None = None) -> ActivationImpact:
    """The counts the activation confirmation names (see ActivationImpact); StoreError for an unknown fit."""
    with reading(url) as session:
        fit_row(session, fit_id)
        active = current_activation(session)
        active_id = None if active is None else active.model_fit_id
        since = None
        if active is not None:  # the start of the active fit's current spell as the benchmark
            before = session.scalar(select(func.max(Activation.id)).where(Activation.model_fit_id != active_id))
            since = session.scalar(select(func.min(Activation.activated_at)).where(
                Activation.model_fit_id == active_id, Activation.id > (before or 0)))
        by_fit = dict(session.execute(select(Assessment.model_fit_id, func.count()).group_by(Assessment.model_fit_id)).all())
    on_active = int(by_fit.get(active_id, 0)) if active_id is not None else 0
    on_chosen = int(by_fit.get(fit_id, 0))
    others = sum(int(n) for f, n in by_fit.items() if f not in (fit_id, active_id))
    return ActivationImpact(fit_id, active_id, since, on_active, on_chosen, others)


def add_activation(session: Session, fit_id: int, by: str | None = None) -> int:
    """Make a fit the active benchmark in the caller's transaction; returns what `activate` returns."""
    fit_row(session, fit_id)
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


# ---- renaming and deleting ---------------------------------------------------------------------

@dataclass(frozen=True)
class FitUse:
    """What keeps a fit: assessments scored with it, and activations naming it (it is or was the benchmark)."""

    fit_id: int
    assessments: int
    activations: int

    @property
    def kept(self) -> bool:
        return bool(self.assessments or self.activations)


def fit_uses(session: Session, fit_ids: Iterable[int]) -> dict[int, FitUse]:
    """FitUse of each fit id, in the caller's transaction."""
    ids = list(fit_ids)
    if not ids:
        return {}
    scored = dict(session.execute(select(Assessment.model_fit_id, func.count()).where(Assessment.model_fit_id.in_(ids))
                                  .group_by(Assessment.model_fit_id)).all())
    active = dict(session.execute(select(Activation.model_fit_id, func.count()).where(Activation.model_fit_id.in_(ids))
                                  .group_by(Activation.model_fit_id)).all())
    return {i: FitUse(i, int(scored.get(i, 0)), int(active.get(i, 0))) for i in ids}


def fit_use(fit_id: int, *, url: str | None = None) -> FitUse:
    """What keeps a fit (see FitUse), for the page to say before anyone asks to delete it; StoreError if unknown."""
    with reading(url) as session:
        fit_row(session, fit_id)
        return fit_uses(session, [fit_id])[fit_id]


def kept_error(use: FitUse) -> StoreError:
    """Why a fit must stay: assessments keep their scores against it, or the benchmark history names it."""
    if use.assessments:
        return StoreError(f"fit #{use.fit_id} must stay: {use.assessments} assessment(s) were scored with it and keep it, "
                          "so their results can be read and reproduced; rename it instead", "fit_scored",
                          fit_id=use.fit_id, n=use.assessments)
    return StoreError(f"fit #{use.fit_id} must stay: it is or was the active benchmark, and the benchmark history names it; "
                      "rename it instead", "fit_was_active", fit_id=use.fit_id)


def check_label(label: str) -> str:
    """A fit label trimmed; StoreError unless it has 1 to LABEL_MAX characters."""
    label = label.strip()
    if not label or len(label) > LABEL_MAX:
        raise StoreError(f"a fit label needs 1 to {LABEL_MAX} characters", "fit_label_length", low=1, high=LABEL_MAX)
    return label


def rename_fit(fit_id: int, label: str, *, actor: Actor, url: str | None = None) -> str:
    """Give a fit a new label (its figures and model stay as fitted); returns the label stored. Audited."""
    label = check_label(label)
    require(actor, "rename_fit", f"fit {fit_id}", url=url)
    with writing(url) as session:
        row = fit_row(session, fit_id)
        old, row.label = row.label, label
        record(session, actor, "rename_fit", f"fit {fit_id}", detail={"from": old, "to": label})
    return label


def forget(fit_ids: Iterable[int], url: str | None) -> None:
    """Drop deleted fits from this process's cache of parsed fits."""
    with _cache_lock:
        for fit_id in fit_ids:
            _cache.pop((database_url(url), fit_id), None)


def delete_fit(fit_id: int, *, actor: Actor, url: str | None = None) -> None:
    """Delete a fit nothing depends on; StoreError ("fit_scored", "fit_was_active") saying why a kept one must stay.

    The refusal is audited too, so the log says who tried.
    """
    require(actor, "delete_fit", f"fit {fit_id}", url=url)
    try:
        with writing(url, serialise=True) as session:
            row = fit_row(session, fit_id)
            use = fit_uses(session, [fit_id])[fit_id]
            if use.kept:
                raise kept_error(use)
            record(session, actor, "delete_fit", f"fit {fit_id}", detail={"label": row.label, "dataset_id": row.dataset_id})
            session.delete(row)
    except StoreError as exc:
        if exc.code in ("fit_scored", "fit_was_active"):
            log_event(actor, "delete_fit", f"fit {fit_id}", outcome="refused", detail=str(exc), url=url)
        raise
    forget([fit_id], url)
