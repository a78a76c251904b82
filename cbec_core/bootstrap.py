"""Vectorised case-resampling bootstrap of OLS coefficients (MODEL.md §5).

Each resample is a vector of counts (how often each row was drawn). A resample's OLS solution is
(X'CX)⁻¹X'Cy, so all resamples of a block need one matrix product — counts @ the row-wise
products of the columns — and one batched solve, instead of a Python loop over model fits.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import ThreadpoolController

# Resamples per chunk (at most): each chunk has its own child seed, so results do not depend on scheduling.
CHUNK_RESAMPLES = 625
# Rows × resamples counted by one chunk: small enough for the counts to stay in a core's cache
# (a chunk of 625 resamples × 312 rows counts 20x slower than five chunks of 125), and memory
# stays near WORKERS × 16 bytes × this, whatever n is.
BLOCK_CELLS = 40_000
WORKERS = min(4, os.cpu_count() or 1)


_BLAS = ThreadpoolController()  # scanning the loaded libraries once; limiting is then cheap


def single_threaded_blas():
    """BLAS on one thread: the matrices here are small, and BLAS's own threads only contend with ours."""
    return _BLAS.limit(limits=1, user_api="blas")


def resample_counts(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """`size` case resamples of n rows as a (size, n) float matrix of draw counts."""
    idx = rng.integers(0, n, size=(size, n))
    flat = (idx + (np.arange(size, dtype=np.int64) * n)[:, None]).ravel()
    return np.bincount(flat, minlength=size * n).reshape(size, n).astype(float)


def chunk_plan(n: int, resamples: int, seed: int) -> list[tuple[int, np.random.SeedSequence]]:
    """How the resamples are cut into chunks, each with its own child seed (same n and seed, same plan)."""
    chunk = max(1, min(CHUNK_RESAMPLES, BLOCK_CELLS // max(n, 1)))
    sizes = [chunk] * (resamples // chunk) + ([resamples % chunk] if resamples % chunk else [])
    return list(zip(sizes, np.random.SeedSequence(seed).spawn(len(sizes))))


def all_counts(n: int, resamples: int, seed: int) -> np.ndarray:
    """Every resample's counts, in order — what bootstrap_ols draws, for tests and small data."""
    return np.vstack([resample_counts(np.random.default_rng(s), n, size) for size, s in chunk_plan(n, resamples, seed)])


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
    gathers = [(np.array([[position[tuple(sorted((i, j)))] for j in x] for i in x]),
                np.array([position[tuple(sorted((i, y)))] for i in x])) for x, y in models]

    def chunk_draws(step: tuple[int, np.random.SeedSequence]) -> list[np.ndarray]:
        size, child = step
        sums = resample_counts(np.random.default_rng(child), n, size) @ products
        return [_batched_solve(sums[:, xtx_at], sums[:, xty_at]) for xtx_at, xty_at in gathers]

    out = [np.empty((resamples, len(x))) for x, _ in models]
    done = 0
    with single_threaded_blas(), ThreadPoolExecutor(WORKERS) as pool:
        for blocks in pool.map(chunk_draws, plan):
            size = len(blocks[0])
            for draws, block in zip(out, blocks):
                draws[done:done + size] = block
            done += size
            if progress:
                progress(done, resamples)
    return out


def _batched_solve(xtx: np.ndarray, xty: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(xtx, xty[..., None])[..., 0]
    except np.linalg.LinAlgError:
        result = np.full(xty.shape, np.nan)
        for i in range(len(xtx)):
            try:
                result[i] = np.linalg.solve(xtx[i], xty[i])
            except np.linalg.LinAlgError:
                pass
        return result


def percentile_ci(draws: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval along the first axis, ignoring resamples that failed (NaN)."""
    tail = (1 - level) / 2 * 100
    lo, hi = np.nanpercentile(draws, [tail, 100 - tail], axis=0)
    return lo, hi
