"""`fit` a survey to a `FittedModel`: everything the dashboard needs to read and to score against.

A FittedModel is plain data: it serialises to JSON and back without loss (it is stored in the
database), and scoring a firm never needs the survey again.
"""
from __future__ import annotations

import hashlib
import json
import math
import time
from datetime import datetime, timezone
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED
from .instrument import CONTROL_COLUMNS, ITEM_COLUMNS, OPTIONAL_COLUMNS
from .invariance import measurement_invariance, unavailable
from .measurement import Measurement, fit_measurement
from .moderation import CONTROL_TERMS, OLSFit, fit_moderation, prepare, subgroup_comparison
from .pls import PLSFit, fit_pls
from .population import score_distributions
from .scores import construct_scores
from .structural import Structural, fit_structural
from .survey import Survey, validate_survey

SPEC_VERSION = "1.0"

Progress = Callable[[str, int, int], None]


def fingerprint(data: pd.DataFrame) -> str:
    """SHA-256 of the data's item and control values in row order: same data, same fingerprint."""
    columns = [c for c in (*ITEM_COLUMNS, *CONTROL_COLUMNS) if c in data.columns]
    text = data[columns].to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode()).hexdigest()


def _clean(obj):
    """JSON-safe copy: numpy scalars to Python, non-finite floats to None."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        v = float(obj)
        return v if math.isfinite(v) else None
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.ndarray):
        return _clean(obj.tolist())
    return obj


@dataclass
class FittedModel:
    """A fitted benchmark model: settings, sample, measurement, SEM, moderated mediation and distributions."""

    spec_version: str
    fingerprint: str
    n_used: int
    n_excluded: int
    excluded: list[dict]
    settings: dict
    measurement: Measurement
    structural: Structural
    moderated_mediation: dict
    mediator: OLSFit
    outcome: OLSFit
    draws: np.ndarray  # bootstrap draws of a1, a3, b1, b3, c'
    subgroups: dict
    distributions: dict
    control_means: dict[str, float]
    timings: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    synthetic: bool = False
    label: str = ""
    estimator: str = "ML"
    invariance: dict = field(default_factory=dict)  # pilot vs non-pilot measurement invariance (invariance.py)
    pls: PLSFit | None = None  # None only in fits stored before PLS-SEM was part of a fit

    # -- the sample's centring constants, used to score firms
    @property
    def means(self) -> dict[str, float]:
        return self.moderated_mediation["means"]

    @property
    def sds(self) -> dict[str, float]:
        return self.moderated_mediation["sds"]

    def to_dict(self) -> dict:
        return _clean({
            "spec_version": self.spec_version, "fingerprint": self.fingerprint, "label": self.label,
            "synthetic": self.synthetic, "estimator": self.estimator, "invariance": self.invariance,
            "n_used": self.n_used, "n_excluded": self.n_excluded,
            "excluded": self.excluded, "settings": self.settings,
            "measurement": self.measurement.as_dict(), "structural": self.structural.as_dict(),
            "moderated_mediation": self.moderated_mediation,
            "regressions": {"mediator": self.mediator.as_dict(), "outcome": self.outcome.as_dict()},
            "bootstrap_draws": {"columns": ["a1", "a3", "b1", "b3", "c_prime"], "values": self.draws.tolist()},
            "subgroups": self.subgroups, "distributions": self.distributions,
            "control_means": self.control_means, "timings": self.timings, "warnings": self.warnings,
            **({"pls": self.pls.as_dict()} if self.pls else {}),
        })

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_dict(cls, d: dict) -> "FittedModel":
        if d.get("spec_version") != SPEC_VERSION:
            raise ValueError(f"model spec version {d.get('spec_version')!r} is not {SPEC_VERSION!r}; refit the model with this version")
        draws = np.array(d["bootstrap_draws"]["values"], dtype=float).reshape(-1, 5)
        return cls(
            spec_version=d["spec_version"], fingerprint=d["fingerprint"], n_used=d["n_used"],
            n_excluded=d["n_excluded"], excluded=d["excluded"], settings=d["settings"],
            measurement=Measurement.from_dict(d["measurement"]), structural=Structural.from_dict(d["structural"]),
            moderated_mediation=d["moderated_mediation"],
            mediator=OLSFit.from_dict(d["regressions"]["mediator"]), outcome=OLSFit.from_dict(d["regressions"]["outcome"]),
            draws=draws, subgroups=d["subgroups"], distributions=d["distributions"],
            control_means=d["control_means"], timings=d.get("timings", {}), warnings=d.get("warnings", []),
            synthetic=d.get("synthetic", False), label=d.get("label", ""), estimator=d.get("estimator", "ML"),
            invariance=d.get("invariance") or unavailable("pilot_zone", "this model was fitted before invariance was tested; refit it"),
            pls=PLSFit.from_dict(d["pls"]) if d.get("pls") else None,
        )

    @classmethod
    def from_json(cls, text: str) -> "FittedModel":
        return cls.from_dict(json.loads(text))


def fit(data: pd.DataFrame | Survey, *, bootstrap: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
        controls: bool = False, sem_bootstrap: int = 0, estimator: str = "ML", invariance_group: str = "pilot_zone",
        progress: Progress | None = None, synthetic: bool = False, label: str = "") -> FittedModel:
    """Fit the whole benchmark model (MODEL.md §3–5) to a survey.

    `data` is a raw table (validated here; rows with a missing or out-of-range item are excluded
    listwise and reported) or an already validated Survey. `estimator` is "ML" (the paper's) or "MLR"
    (same estimates, robust SEs and fit). Measurement invariance is tested across `invariance_group`.
    `progress(stage, done, total)` is called as each stage advances.
    """
    survey = data if isinstance(data, Survey) else validate_survey(data, controls=controls)
    frame = survey.data
    notify = progress or (lambda stage, done, total: None)
    timings: dict[str, float] = {}

    def timed(stage: str, fn):
        notify(stage, 0, 1)
        start = time.perf_counter()
        value = fn()
        timings[f"{stage}_s"] = time.perf_counter() - start
        notify(stage, 1, 1)
        return value

    items = frame[list(ITEM_COLUMNS)].astype(float)
    measurement, cfa = timed("measurement", lambda: fit_measurement(items, estimator))
    invariance = timed("invariance", lambda: measurement_invariance(frame, invariance_group))
    structural = timed("structural", lambda: fit_structural(
        items, bootstrap=sem_bootstrap, seed=seed, estimator=estimator,
        progress=(lambda d, t: notify("sem_bootstrap", d, t)) if sem_bootstrap else None))
    pls = timed("pls", lambda: fit_pls(items, bootstrap=bootstrap, seed=seed,
                                       progress=lambda d, t: notify("pls_bootstrap", d, t)))

    scores = construct_scores(frame)
    terms = CONTROL_TERMS if controls else ()
    md = prepare(scores, frame, terms)
    result = fit_moderation(md, bootstrap, seed, progress=lambda d, t: notify("bootstrap", d, t))
    timings["bootstrap_s"] = result.summary["bootstrap"]["seconds"]
    subgroups = timed("subgroups", lambda: subgroup_comparison(scores, frame, terms, bootstrap, seed))

    control_means = {}
    if controls:
        cm = md.controls.mean(axis=0)
        control_means = {t: float(v) for t, v in zip(terms, cm)}

    return FittedModel(
        spec_version=SPEC_VERSION, fingerprint=fingerprint(frame), n_used=survey.n_used,
        n_excluded=survey.n_excluded, excluded=[p.as_dict() for p in survey.excluded],
        settings={"bootstrap": bootstrap, "seed": seed, "controls": controls, "sem_bootstrap": sem_bootstrap,
                  "estimator": estimator, "invariance_group": invariance_group,
                  "fitted_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                  "control_terms": list(terms), "optional_columns": [c for c in OPTIONAL_COLUMNS if c in frame.columns]},
        measurement=measurement, structural=structural, moderated_mediation=_clean(result.summary),
        mediator=result.mediator, outcome=result.outcome, draws=result.draws, subgroups=_clean(subgroups),
        distributions=score_distributions(scores, frame), control_means=control_means,
        timings=timings, synthetic=synthetic, label=label, estimator=estimator, invariance=_clean(invariance), pls=pls,
        warnings=[f"measurement model: {w}" for w in cfa.warnings] + [f"structural model: {w}" for w in structural.warnings]
        + [f"PLS-SEM: {w}" for w in pls.warnings],
    )
