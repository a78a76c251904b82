"""Model lab fit speed: the 312-firm cohort × 5,000 resamples through the page's own function, beside the bare engine.

Usage: python bench/lab_fit.py [--resamples 5000] [--repeats 3]
Prints, per repeat, `db.lab.fit_dataset` (what the lab page calls: read the stored data set, validate,
fit, store the fit's JSON in one transaction) beside `cbec_core.model.fit` on the same frame, measured
in the same run on a fresh SQLite store, and the best of each. The browser figure (click → fit stored
and shown) is printed by tests/e2e/test_lab_browser.py (run it with -s). The bar (issue 6) is < 3 s.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from cbec_core.model import DEFAULT_SEED, fit
from cbec_core.reference import reference_cohort
from db.access import SYSTEM


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resamples", type=int, default=5000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    import db
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        db.ensure_ready(url)  # also warms the engine (imports, first semopy fit)
        cohort = reference_cohort(seed=2026).drop(columns=["firm_id"])  # held out, stored as an uploaded survey
        db.import_frame(cohort, "bench cohort", url=url, actor=SYSTEM)
        frame = db.dataset_frame("bench cohort", url=url)
        page, bare = [], []
        for repeat in range(args.repeats):
            seed = DEFAULT_SEED + repeat  # the store refuses a second identical fit: each repeat is a new one
            start = time.perf_counter()
            fit(frame, bootstrap=args.resamples, seed=seed)
            bare.append(time.perf_counter() - start)
            start = time.perf_counter()
            db.fit_dataset("bench cohort", bootstrap=args.resamples, seed=seed, url=url, actor=SYSTEM)
            page.append(time.perf_counter() - start)
            print(f"bare cbec_core.model.fit {bare[-1]:.2f} s   page's db.lab.fit_dataset (fit + store) {page[-1]:.2f} s")
    print(f"best of {args.repeats}, {len(cohort)} firms x {args.resamples} resamples: "
          f"bare fit {min(bare):.2f} s, lab fit and store {min(page):.2f} s (overhead {min(page) - min(bare):+.2f} s)")


if __name__ == "__main__":
    main()
