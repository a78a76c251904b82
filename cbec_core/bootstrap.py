"""Vectorised case-resampling bootstrap of OLS coefficients (MODEL.md §5).

Each resample is a vector of counts (how often each row was drawn). A resample's OLS solution is
(X'CX)⁻¹X'Cy, so all resamples of a block need one matrix product — counts @ the row-wise
products of the columns — instead of a Python loop over model fits; every resample's small
normal equations are then solved together by a Cholesky factorisation written over the batch.

Where the time goes (n = 312, B = 5,000; `python bench/bootstrap_speed.py` prints each stage): drawing
1.56 M row indices, counting them, the counts × products product and the solve. Row indices come
from SFC64 as 16-bit integers (a third of PCG64's 64-bit draws' time); the solve works on whole
columns of 5,000 sums (a few hundred vector operations instead of 10,000 tiny LAPACK calls).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import ThreadpoolController

DEFAULT_RESAMPLES = 5000  # MODEL.md §5: B = 5,000 percentile bootstrap, PROCESS's default
DEFAULT_SEED = 20250821
# Resamples per chunk (at most): each chunk has its own child seed, so results do not depend on scheduling.
CHUNK_RESAMPLES = 625
# Rows × resamples counted by one chunk: small enough for the counts to stay in a core's cache
# (312 rows: chunks of 64 resamples count 3x faster than chunks of 625), and memory
# stays near WORKERS × 16 bytes × this, whatever n is.
BLOCK_CELLS = 20_000
# Resamples handed to a thread at once (whole chunks): enough work to amortise the hand-over.
TASK_RESAMPLES = 500
WORKERS = min(4, os.cpu_count() or 1)


_BLAS = ThreadpoolController()  # scanning the loaded libraries once; limiting is then cheap


def single_threaded_blas():
    """BLAS on one thread: the matrices here are small, and BLAS's own threads only contend with ours."""
    return _BLAS.limit(limits=1, user_api="blas")


def generator(seed: np.random.SeedSequence | int) -> np.random.Generator:
    """The bootstrap's random generator: SFC64, the fastest of numpy's bit generators, seeded as given."""
    return np.random.Generator(np.random.SFC64(seed))


def resample_counts(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """`size` case resamples of n rows as a (size, n) float matrix of draw counts."""
    idx = rng.integers(0, n, size=(size, n), dtype=np.uint16 if n <= 1 << 16 else np.int64)
    flat = (idx + (np.arange(size, dtype=np.int64) * n)[:, None]).ravel()
    return np.bincount(flat, minlength=size * n).reshape(size, n).astype(float)


def chunk_plan(n: int, resamples: int, seed: int) -> list[tuple[int, np.random.SeedSequence]]:
    """How the resamples are cut into chunks, each with its own child seed (same n and seed, same plan)."""
    chunk = max(1, min(CHUNK_RESAMPLES, BLOCK_CELLS // max(n, 1)))
    sizes = [chunk] * (resamples // chunk) + ([resamples % chunk] if resamples % chunk else [])
    return list(zip(sizes, np.random.SeedSequence(seed).spawn(len(sizes))))


def all_counts(n: int, resamples: int, seed: int) -> np.ndarray:
    """Every resample's counts, in order — what bootstrap_ols draws, for tests and small data."""
    return np.vstack([resample_counts(generator(s), n, size) for size, s in chunk_plan(n, resamples, seed)])


def bootstrap_ols(data: np.ndarray, models: Sequence[tuple[Sequence[int], int]], resamples: int, seed: int,
                  progress: Callable[[int, int], None] | None = None) -> list[np.ndarray]:
    """Coefficient draws of several OLS models fitted on the same resampled rows.

    `data` holds every column any model uses (n rows); each model is (predictor column indices,
    response column index). The models see the same firms in a resample, and each distinct
    cross-product column is summed once for all of them. Chunks run on parallel threads, each
    with single-threaded BLAS (numpy's generator and BLAS release the GIL). Returns one (resamples, p) array per
    model; a resample whose X'CX is singular gets NaN coefficients, dropped by `percentile_ci`.
    """
    n = len(data)
    pairs = sorted({tuple(sorted((i, j))) for x, y in models for i in x for j in (*x, y)})
    position = {pair: k for k, pair in enumerate(pairs)}
    products = data[:, [i for i, _ in pairs]] * data[:, [j for _, j in pairs]]
    plan = chunk_plan(n, resamples, seed)

    def task_sums(steps: list[tuple[int, np.random.SeedSequence]]) -> np.ndarray:
        return np.vstack([resample_counts(generator(child), n, size) @ products for size, child in steps])

    per_task = max(1, TASK_RESAMPLES // plan[0][0]) if plan else 1
    tasks = [plan[k:k + per_task] for k in range(0, len(plan), per_task)]
    sums = np.empty((len(pairs), resamples))  # one row per cross-product: the solve reads whole rows
    done = 0
    with single_threaded_blas(), ThreadPoolExecutor(WORKERS) as pool:
        for block in pool.map(task_sums, tasks):
            sums[:, done:done + len(block)] = block.T
            done += len(block)
            if progress:
                progress(done, resamples)

    def cell(i: int, j: int) -> np.ndarray:
        return sums[position[tuple(sorted((i, j)))]]

    return [cholesky_solve([[cell(i, j) for j in x] for i in x], [cell(i, y) for i in x]) for x, y in models]


def cholesky_solve(a: list[list[np.ndarray]], b: list[np.ndarray], tolerance: float = 1e-10) -> np.ndarray:
    """Solve a batch of small symmetric positive-definite systems A x = b given element by element.

    a[i][j] and b[i] are arrays over the batch; returns (batch, p). A system whose pivot falls below
    `tolerance` × its diagonal (a predictor collinear with earlier ones in that resample) gets NaN.
    """
    p = len(b)
    low = [[np.empty(0)] * p for _ in range(p)]
    singular = np.zeros(len(b[0]), dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        for j in range(p):
            pivot = a[j][j] - sum(low[j][k] * low[j][k] for k in range(j))
            singular |= ~(pivot > tolerance * a[j][j])
            low[j][j] = np.sqrt(pivot)
            for i in range(j + 1, p):
                low[i][j] = (a[i][j] - sum(low[i][k] * low[j][k] for k in range(j))) / low[j][j]
        z: list[np.ndarray] = []
        for i in range(p):
            z.append((b[i] - sum(low[i][k] * z[k] for k in range(i))) / low[i][i])
        x: list[np.ndarray] = [np.empty(0)] * p
        for i in reversed(range(p)):
            x[i] = (z[i] - sum(low[k][i] * x[k] for k in range(i + 1, p))) / low[i][i]
    solution = np.column_stack(x)
    solution[singular] = np.nan
    return solution


def percentile_ci(draws: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval along the first axis, ignoring resamples that failed (NaN)."""
    tail = (1 - level) / 2 * 100
    lo, hi = np.nanpercentile(draws, [tail, 100 - tail], axis=0)
    return lo, hi
