"""PLS-SEM bootstrap speed: the batched bootstrap beside a loop of single PLS fits, same data, same run.

Usage: python bench/pls_bootstrap_speed.py [--resamples 5000] [--loop 500] [--n 312]
The loop is what a port of seminr's bootstrap does: resample the rows, refit the PLS model — here
the same algorithm on one resample at a time (its correlation matrix, then the weight iteration,
paths and effects), so only the batching differs. It runs `--loop` resamples and the time
per resample is scaled to `--resamples` for the comparison; both figures are printed.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest import simulate_survey  # noqa: E402

from cbec_core.pls import ITEMS, _effects, _estimate, bootstrap_draws, item_correlations  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resamples", type=int, default=5000)
    ap.add_argument("--loop", type=int, default=500)
    ap.add_argument("--n", type=int, default=312)
    args = ap.parse_args()
    items = simulate_survey(args.n, seed=3)[list(ITEMS)].astype(float)

    start = time.perf_counter()
    bootstrap_draws(items, args.resamples, seed=1)
    batched = time.perf_counter() - start

    rng = np.random.default_rng(1)
    start = time.perf_counter()
    for _ in range(args.loop):
        _effects(_estimate(item_correlations(items.iloc[rng.integers(0, args.n, args.n)])[None]).paths)
    per_fit = (time.perf_counter() - start) / args.loop

    print(f"n = {args.n}: batched PLS bootstrap, {args.resamples} resamples: {batched:.2f} s")
    print(f"loop of single PLS fits: {per_fit * 1e3:.2f} ms per resample ({args.loop} run) "
          f"-> {per_fit * args.resamples:.1f} s for {args.resamples}; batched is {per_fit * args.resamples / batched:.0f}x faster")


if __name__ == "__main__":
    main()
