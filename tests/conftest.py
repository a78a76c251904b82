"""Shared test data: small simulated surveys written as real files."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cbec_core.instrument import CONSTRUCTS


def simulate_survey(n: int, seed: int, *, noise: float = 0.6, interaction: float = 0.2) -> pd.DataFrame:
    """A survey from a known latent moderated-mediation model, discretised to 1–5, with controls."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    w = 0.4 * x + rng.standard_normal(n) * 0.9
    z = 0.3 * w + rng.standard_normal(n) * 0.95
    m = 0.5 * x + 0.3 * w + interaction * x * w + rng.standard_normal(n) * 0.7
    y = 0.1 * x + 0.5 * m + 0.2 * z + interaction * m * z + 0.1 * w + 0.1 * w * z + rng.standard_normal(n) * 0.7
    latent = {"AIGC": x, "DC": m, "IO": w, "LSC": z, "HQD": y}
    data = {}
    for construct in CONSTRUCTS:
        f = latent[construct.code] / latent[construct.code].std()
        for item in construct.items:
            data[item] = np.clip(np.round(3.4 + 0.8 * f + rng.standard_normal(n) * noise), 1, 5).astype(int)
    frame = pd.DataFrame(data)
    frame.insert(0, "firm_id", [f"F{i:05d}" for i in range(n)])
    frame["firm_size"] = rng.integers(5, 2000, n)
    frame["firm_age"] = rng.integers(0, 30, n)
    frame["region"] = rng.choice(["east", "central", "west"], n, p=[0.6, 0.25, 0.15])
    frame["business_model"] = rng.choice(["B2B", "B2C"], n, p=[0.65, 0.35])
    frame["pilot_zone"] = (rng.random(n) < 0.6).astype(int)
    return frame


@pytest.fixture(scope="session")
def survey() -> pd.DataFrame:
    return simulate_survey(312, seed=3)


@pytest.fixture(scope="session")
def fitted(survey):
    from cbec_core.model import fit
    return fit(survey, bootstrap=1000, seed=7)


@pytest.fixture(scope="session")
def survey_csv(tmp_path_factory, survey):
    path = tmp_path_factory.mktemp("data") / "survey.csv"
    survey.to_csv(path, index=False)
    return path
