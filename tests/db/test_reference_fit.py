"""The reference fit shipped as package data is what fitting the synthetic cohort gives, and seeding uses it.

The fit is compared field by field, every number to a relative 1e-7: the file keeps 10 significant digits and
the optimisers' last digits move from run to run, so a byte comparison would fail on a digit at a rounding edge.
"""
from __future__ import annotations

import json
import math

import db.seed as seed
from cbec_core.reference import reference_cohort


def _differences(ours, shipped, where: str = "") -> list[str]:
    """Where two JSON trees differ: another key, type or text, or a number off by more than a relative 1e-7."""
    if isinstance(ours, dict) and isinstance(shipped, dict):
        if ours.keys() != shipped.keys():
            return [f"{where}: keys {sorted(ours.keys() ^ shipped.keys())}"]
        return [d for k in ours for d in _differences(ours[k], shipped[k], f"{where}.{k}")]
    if isinstance(ours, list) and isinstance(shipped, list):
        if len(ours) != len(shipped):
            return [f"{where}: {len(ours)} items, shipped {len(shipped)}"]
        return [d for i, (a, b) in enumerate(zip(ours, shipped)) for d in _differences(a, b, f"{where}[{i}]")]
    if isinstance(ours, (int, float)) and isinstance(shipped, (int, float)) and not isinstance(ours, bool):
        return [] if math.isclose(ours, shipped, rel_tol=1e-7, abs_tol=1e-10) else [f"{where}: {ours} vs {shipped}"]
    return [] if ours == shipped else [f"{where}: {ours!r} vs {shipped!r}"]


def test_the_shipped_reference_fit_is_the_cohorts_fit():
    regenerated = json.loads(seed.reference_fit_json(seed.fit_reference(reference_cohort())))
    shipped = json.loads(seed.REFERENCE_FIT.read_text(encoding="utf-8"))
    assert _differences(regenerated, shipped) == [], "db/reference_fit.json is stale: rewrite it with `python -m db.seed`"


def test_seeding_stores_the_shipped_fit(store):
    fit_id = seed.ensure_ready()
    stored = db_fit_json(fit_id)
    assert stored["fingerprint"] == json.loads(seed.REFERENCE_FIT.read_text(encoding="utf-8"))["fingerprint"]
    assert stored["timings"] == {} and stored["synthetic"] and stored["label"] == seed.REFERENCE_NAME


def test_a_shipped_fit_of_other_data_is_not_used(tmp_path, monkeypatch):
    shipped = json.loads(seed.REFERENCE_FIT.read_text(encoding="utf-8"))
    shipped["fingerprint"] = "0" * 64  # as if the cohort's generator had changed since the file was written
    stale = tmp_path / "reference_fit.json"
    stale.write_text(json.dumps(shipped), encoding="utf-8")
    monkeypatch.setattr(seed, "REFERENCE_FIT", stale)
    cohort = reference_cohort()
    model = seed.shipped_reference_fit(cohort)
    assert model.fingerprint != "0" * 64 and model.timings  # fitted here, not read from the file


def db_fit_json(fit_id: int) -> dict:
    from db.fits import get_fit
    return get_fit(fit_id).to_dict()
