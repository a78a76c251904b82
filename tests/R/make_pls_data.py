"""Write the two extra survey CSVs the PLS-SEM fixtures are computed on (tests/R/README.md, "PLS-SEM").

- reference_cohort.csv: the synthetic reference cohort (the replication report's PLS row);
- skewed.csv: 150 firms whose answers pile up at 4–5 (about 79%), the kind of data MLR is for,
  with a smaller sample than the parity surveys.
Deterministic: fixed seeds, no timestamps.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from cbec_core.instrument import ITEM_COLUMNS  # noqa: E402
from cbec_core.reference import reference_cohort  # noqa: E402
from conftest import simulate_survey  # noqa: E402

OUT = ROOT / "tests/fixtures/pls"


def skewed(n: int = 150, seed: int = 41):
    """A simulated survey shifted up by 0.8 of a point, so most answers are 4 or 5."""
    frame = simulate_survey(n, seed=seed, noise=0.8)
    frame[list(ITEM_COLUMNS)] = np.clip(np.round(frame[list(ITEM_COLUMNS)] + 0.8), 1, 5).astype(int)
    return frame


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    reference_cohort().to_csv(OUT / "reference_cohort.csv", index=False)
    data = skewed()
    data.to_csv(OUT / "skewed.csv", index=False)
    share = float((data[list(ITEM_COLUMNS)] >= 4).to_numpy().mean())
    print(f"skewed.csv: {len(data)} firms, {share:.0%} of answers at 4-5")
