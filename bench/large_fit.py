"""A 100,000-firm data set fitted end to end (CFA, SEM, regressions, bootstrap 1,000, subgroups).

Usage: python bench/large_fit.py [--n 100000] [--resamples 1000]
Prints wall time per stage and the process's peak resident memory; the bar (issue 2) is < 60 s and < 2 GB.
The baseline printed beside it is the same fit on the paper's n = 312 in this run.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest import simulate_survey  # noqa: E402

from cbec_core.model import fit  # noqa: E402
from cbec_core.survey import load_survey  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_fit(path: Path, resamples: int) -> tuple[float, float, dict]:
    t = time.perf_counter()
    survey = load_survey(path)
    read = time.perf_counter() - t
    model = fit(survey, bootstrap=resamples, seed=1)
    return read, time.perf_counter() - t, model.timings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--resamples", type=int, default=1000)
    ap.add_argument("--dir", default="/tmp")
    args = ap.parse_args()
    small, large = Path(args.dir) / "bench_312.csv", Path(args.dir) / f"bench_{args.n}.csv"
    simulate_survey(312, seed=2).to_csv(small, index=False)
    simulate_survey(args.n, seed=2).to_csv(large, index=False)
    base_rss = peak_rss_mb()

    read_s, total_s, timings = timed_fit(small, args.resamples)
    print(f"baseline n = 312      : total {total_s:6.2f} s (read+validate {read_s:.2f} s)")
    read_l, total_l, timings_l = timed_fit(large, args.resamples)
    stages = ", ".join(f"{k[:-2]} {v:.2f} s" for k, v in timings_l.items())
    print(f"n = {args.n:<7}        : total {total_l:6.2f} s (read+validate {read_l:.2f} s; {stages})   (target < 60 s)")
    print(f"peak resident memory  : {peak_rss_mb():7.0f} MB (after data generation: {base_rss:.0f} MB)   (target < 2048 MB)")


if __name__ == "__main__":
    main()
