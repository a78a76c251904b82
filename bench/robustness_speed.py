"""What the robustness checks add to a fit: measurement invariance (three multi-group CFAs) and MLR.

Usage: python bench/robustness_speed.py [--n 312] [--repeat 3]
Prints, measured in the same run on the same simulated survey: the single-group CFA (the baseline a
fit always pays), the three invariance models, and the structural SEM under ML and under MLR. The
bar (issue 13): invariance costs no more than the CFA it extends, times three models.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from conftest import simulate_survey  # noqa: E402

from cbec_core.instrument import ITEM_COLUMNS  # noqa: E402
from cbec_core.invariance import measurement_invariance  # noqa: E402
from cbec_core.measurement import measurement_description  # noqa: E402
from cbec_core.sem import fit_sem  # noqa: E402
from cbec_core.structural import mediation_description  # noqa: E402


def best_of(repeat: int, fn) -> float:
    """The fastest of `repeat` runs, in seconds (the least disturbed by the other processes on the machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=312)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    frame = simulate_survey(args.n, seed=7)
    items = frame[list(ITEM_COLUMNS)].astype(float)
    cfa = best_of(args.repeat, lambda: fit_sem(measurement_description(), items))
    inv = best_of(args.repeat, lambda: measurement_invariance(frame, "pilot_zone"))
    ml = best_of(args.repeat, lambda: fit_sem(mediation_description(), items, "ML"))
    mlr = best_of(args.repeat, lambda: fit_sem(mediation_description(), items, "MLR"))
    print(f"n = {args.n}, best of {args.repeat}")
    print(f"  single-group CFA (baseline)          {cfa:7.3f} s")
    print(f"  invariance, 3 multi-group CFAs       {inv:7.3f} s   ({inv / cfa:.2f}x the CFA; bar: 3x)")
    print(f"  structural SEM, ML (baseline)        {ml:7.3f} s")
    print(f"  structural SEM, MLR                  {mlr:7.3f} s   (+{mlr - ml:.3f} s for the sandwich and scaled test)")


if __name__ == "__main__":
    main()
