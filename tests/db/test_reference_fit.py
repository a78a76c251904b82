"""The reference fit shipped as package data is exactly what fitting the synthetic cohort gives, and seeding uses it."""
from __future__ import annotations

import json

import db.seed as seed
from cbec_core.reference import reference_cohort


def test_the_shipped_reference_fit_is_the_cohorts_fit_byte_for_byte():
    regenerated = seed.reference_fit_json(seed.fit_reference(reference_cohort()))
    assert regenerated.encode("utf-8") == seed.REFERENCE_FIT.read_bytes(), \
        "db/reference_fit.json is stale: rewrite it with `python -m db.seed` and commit it"


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
