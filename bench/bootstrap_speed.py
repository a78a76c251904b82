"""Bootstrap speed: the vectorised bootstrap beside a plain statsmodels loop, both at 5,000 resamples, same data.

Usage: python bench/bootstrap_speed.py [--resamples 5000] [--n 312]
Prints the vectorised time beside two loops measured in the same run: the plain loop a researcher
writes (resample a DataFrame, statsmodels formulas) and the fastest loop over statsmodels (design
matrices built once, sm.OLS on indexed arrays). The bar (issue 2) is at least 100x over the loop.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout's cbec_core, not an installed one
from conftest import simulate_survey  # noqa: E402

from cbec_core import bootstrap  # noqa: E402
from cbec_core.bootstrap import bootstrap_ols  # noqa: E402
from cbec_core.moderation import prepare  # noqa: E402
from cbec_core.scores import construct_scores  # noqa: E402


def formula_loop(frame: pd.DataFrame, resamples: int, seed: int) -> np.ndarray:
    """The plain loop a researcher writes: resample the rows of a DataFrame, refit both models with statsmodels formulas."""
    rng = np.random.default_rng(seed)
    n = len(frame)
    out = []
    for _ in range(resamples):
        d = frame.iloc[rng.integers(0, n, n)]
        med = smf.ols("M ~ A * W", d).fit().params
        res = smf.ols("Y ~ A + M * Z + W * Z", d).fit().params
        out.append((med["A"] + med["A:W"] * 0) * res["M"])
    return np.array(out)


def array_loop(xm, m, xo, y, resamples: int, seed: int) -> np.ndarray:
    """The fastest loop over statsmodels: design matrices built once, sm.OLS on indexed arrays per resample."""
    rng = np.random.default_rng(seed)
    n = len(y)
    out = np.empty((resamples, xm.shape[1] + xo.shape[1]))
    for b in range(resamples):
        idx = rng.integers(0, n, n)
        out[b] = np.concatenate([sm.OLS(m[idx], xm[idx]).fit().params, sm.OLS(y[idx], xo[idx]).fit().params])
    return out


def median_ms(step, reps: int = 7) -> float:
    """Median wall time of `step()` in milliseconds."""
    runs = []
    for _ in range(reps):
        t = time.perf_counter()
        step()
        runs.append(time.perf_counter() - t)
    return float(np.median(runs)) * 1000


def stage_times(data: np.ndarray, models, resamples: int) -> dict[str, float]:
    """Each stage of the vectorised bootstrap alone, on one thread, over all resamples (ms)."""
    n = len(data)
    plan = bootstrap.chunk_plan(n, resamples, 0)
    dtype = np.uint16 if n <= 1 << 16 else np.int64
    pairs = sorted({tuple(sorted((i, j))) for x, y in models for i in x for j in (*x, y)})
    products = data[:, [i for i, _ in pairs]] * data[:, [j for _, j in pairs]]
    draws = [bootstrap.generator(s).integers(0, n, size=(size, n), dtype=dtype) for size, s in plan]
    counts = [bootstrap.resample_counts(bootstrap.generator(s), n, size) for size, s in plan]
    sums = np.vstack([c @ products for c in counts]).T.copy()
    position = {pair: k for k, pair in enumerate(pairs)}
    cell = lambda i, j: sums[position[tuple(sorted((i, j)))]]  # noqa: E731
    systems = [([[cell(i, j) for j in x] for i in x], [cell(i, y) for i in x]) for x, y in models]
    with bootstrap.single_threaded_blas():
        return {
            "draw row indices (SFC64, 16-bit)": median_ms(lambda: [bootstrap.generator(s).integers(0, n, size=(size, n), dtype=dtype)
                                                                   for size, s in plan]),
            "count them (bincount)": median_ms(lambda: [np.bincount((d + (np.arange(len(d)) * n)[:, None]).ravel(),
                                                                    minlength=d.size).astype(float) for d in draws]),
            f"counts @ products ({len(pairs)} columns)": median_ms(lambda: [c @ products for c in counts]),
            "batched Cholesky solve": median_ms(lambda: [bootstrap.cholesky_solve(a, b) for a, b in systems]),
        }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resamples", type=int, default=5000)
    ap.add_argument("--n", type=int, default=312)
    ap.add_argument("--no-formula", action="store_true", help="skip the minute-long formula loop")
    args = ap.parse_args()
    survey = simulate_survey(args.n, seed=1)
    md = prepare(construct_scores(survey), survey, ())
    xm, xo = md.mediator_x(), md.outcome_x()

    data, models = md.bootstrap_columns()
    bootstrap_ols(data, models, 50, 0)  # warm-up (BLAS threads, allocations)
    runs, cpu_runs = [], []
    for rep in range(9):
        t, c = time.perf_counter(), time.process_time()
        draws = bootstrap_ols(data, models, args.resamples, seed=rep)
        runs.append(time.perf_counter() - t)
        cpu_runs.append(time.process_time() - c)
    vec, vec_cpu = float(np.median(runs)), float(np.median(cpu_runs))

    t, c = time.perf_counter(), time.process_time()
    base = array_loop(xm, md.centred["M"], xo, md.y, args.resamples, seed=0)
    loop, loop_cpu = time.perf_counter() - t, time.process_time() - c
    frame = pd.DataFrame({"A": md.centred["A"], "M": md.centred["M"], "W": md.centred["W"], "Z": md.centred["Z"], "Y": md.y})
    t = time.perf_counter()
    if not args.no_formula:
        formula_loop(frame, args.resamples, seed=0)
    plain = time.perf_counter() - t

    # both estimate the same sampling distribution: compare the bootstrap SEs of a3 and b3
    se_vec = draws[1].std(axis=0)
    se_loop = base[:, xm.shape[1]:].std(axis=0)
    print(f"n = {args.n}, resamples = {args.resamples}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"vectorised bootstrap (median of 9): {vec * 1000:8.1f} ms")
    if not args.no_formula:
        print(f"plain statsmodels formula loop   : {plain * 1000:8.1f} ms   speed-up {plain / vec:6.0f}x")
    print(f"array-level statsmodels loop     : {loop * 1000:8.1f} ms   speed-up {loop / vec:6.0f}x   (target >= 100x)")
    print(f"  the same in CPU time (both threads counted; steadier on a busy machine): "
          f"{vec_cpu * 1000:.1f} ms vs {loop_cpu * 1000:.1f} ms, {loop_cpu / vec_cpu:.0f}x")
    stages = stage_times(data, models, args.resamples)
    print(f"where the vectorised time goes, one thread (workers in use: {bootstrap.WORKERS}):")
    for name, ms in stages.items():
        print(f"  {name:34s}: {ms:8.1f} ms")
    print(f"  {'sum of stages':34s}: {sum(stages.values()):8.1f} ms  -> array loop / sum {loop * 1000 / sum(stages.values()):5.0f}x")
    print(f"outcome-model bootstrap SEs, vectorised vs loop: {np.round(se_vec, 4).tolist()} vs {np.round(se_loop, 4).tolist()}")


if __name__ == "__main__":
    main()
