"""PLS-SEM of the mediation model (paper's robustness check) with seminr's and SmartPLS's defaults.

Five reflective constructs (Mode A), the structural model DC ~ AIGC + IO; HQD ~ DC + AIGC + LSC,
Lohmöller's path weighting scheme, indicators standardised (sd with n − 1), weights started at 1,
stop when the summed absolute change of the outer weights is below 1e-7, at most 300 iterations.

With standardised indicators every step of the algorithm depends on the data only through the
items' correlation matrix S: construct scores Y = XW have correlations W'SW, Mode A weights are
cov(X, inner proxy) = S·W·E, loadings are S·W. So one fit is a few 19×19 matrix products, and a
bootstrap needs only each resample's correlation matrix (one count-matrix product for all
resamples) and then runs the algorithm on all resamples at once as batched matrix products.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .bootstrap import chunk_plan, generator, percentile_ci, resample_counts, single_threaded_blas
from .instrument import CONSTRUCTS
from .measurement import average_variance_extracted, composite_reliability, htmt
from .structural import PATHS

MAX_ITERATIONS = 300
TOLERANCE = 1e-7
CODES: tuple[str, ...] = tuple(c.code for c in CONSTRUCTS)
ITEMS: tuple[str, ...] = tuple(i for c in CONSTRUCTS for i in c.items)

Model = tuple[tuple[str, tuple[str, ...]], ...]
"""A structural model as (endogenous construct, its predictors) pairs."""


def model_of(paths: tuple[str, ...]) -> Model:
    """("DC~AIGC", "DC~IO", …) as ((DC, (AIGC, IO)), …), endogenous constructs in order of appearance."""
    out: dict[str, list[str]] = {}
    for key in paths:
        lhs, rhs = key.split("~")
        out.setdefault(lhs, []).append(rhs)
    return tuple((k, tuple(v)) for k, v in out.items())


MODEL: Model = model_of(PATHS)


@dataclass(frozen=True)
class _Spec:
    """Index form of a model: the constructs it uses, their item blocks and the regressions."""

    codes: tuple[str, ...]
    mask: np.ndarray  # (items, constructs) 1 where an item measures a construct
    adjacency: np.ndarray  # (k, k) 1 at [source, target]
    regressions: tuple[tuple[int, tuple[int, ...]], ...]


def _spec(model: Model) -> _Spec:
    used = {c for y, xs in model for c in (y, *xs)}
    codes = tuple(c for c in CODES if c in used)
    at = {c: k for k, c in enumerate(codes)}
    mask = np.array([[1.0 if i in c.items else 0.0 for c in CONSTRUCTS if c.code in used] for i in ITEMS])
    adjacency = np.zeros((len(codes), len(codes)))
    for y, xs in model:
        for x in xs:
            adjacency[at[x], at[y]] = 1.0
    return _Spec(codes, mask, adjacency, tuple((at[y], tuple(at[x] for x in xs)) for y, xs in model))


def _standardise(w: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Scale each column of the weights so its construct score has unit variance (var = w'Sw)."""
    var = (w * (s @ w)).sum(axis=1)
    return w / np.sqrt(var)[:, None, :]


def _regressions(c: np.ndarray, spec: _Spec) -> list[tuple[int, tuple[int, ...], np.ndarray]]:
    """OLS β of each endogenous construct on its predictors from score correlations c (batched)."""
    out = []
    for y, xs in spec.regressions:
        xs_ = list(xs)
        beta = np.linalg.solve(c[:, xs_][:, :, xs_], c[:, xs_, y][..., None])[..., 0]
        out.append((y, xs, beta))
    return out


def _iterate(s: np.ndarray, spec: _Spec, max_iterations: int, tolerance: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The PLS weight iteration on a batch of correlation matrices s (B, p, p), as seminr's simplePLS.

    Returns the standardised outer weights (B, p, k), the weight updates each needed and whether
    each converged (summed |Δw| < tolerance within max_iterations + 1 updates, seminr's loop 0:maxIt).
    Resamples with a non-finite correlation (an item without variance) stop at once, unconverged.
    """
    b = len(s)
    w = np.broadcast_to(spec.mask, (b, *spec.mask.shape)).copy()
    active = np.isfinite(s).all(axis=(1, 2))
    updates = np.zeros(b, dtype=int)
    converged = np.zeros(b, dtype=bool)
    outgoing = spec.adjacency.T  # proxy of a source: its targets weighted by their correlation
    for step in range(max_iterations + 1):
        if not active.any():
            break
        sa, old = s[active], w[active]
        ws = _standardise(old, sa)
        sw = sa @ ws
        c = ws.transpose(0, 2, 1) @ sw
        inner = c * outgoing
        for y, xs, beta in _regressions(c, spec):
            inner[:, list(xs), y] = beta
        new = _standardise((sw @ inner) * spec.mask, sa)
        diff = np.abs(new - old).sum(axis=(1, 2))
        w[active] = new
        updates[active] = step + 1
        done = diff < tolerance
        idx = np.flatnonzero(active)
        converged[idx[done]] = True
        active[idx[done | ~np.isfinite(diff)]] = False
    return w, updates, converged


@dataclass(frozen=True)
class _Estimates:
    """One batch of PLS fits: paths (B, len(PATHS)), R² per endogenous, loadings and weights (B, p)."""

    paths: np.ndarray
    r2: np.ndarray
    loadings: np.ndarray
    weights: np.ndarray
    updates: np.ndarray
    converged: np.ndarray


def _estimate(s: np.ndarray, model: Model = MODEL, max_iterations: int = MAX_ITERATIONS,
              tolerance: float = TOLERANCE) -> _Estimates:
    """Fit the PLS model to each correlation matrix of a batch."""
    spec = _spec(model)
    w, updates, converged = _iterate(s, spec, max_iterations, tolerance)
    sw = s @ w
    c = w.transpose(0, 2, 1) @ sw
    keys = [f"{spec.codes[y]}~{spec.codes[x]}" for y, xs in spec.regressions for x in xs]
    paths = np.full((len(s), len(keys)), np.nan)
    r2 = np.full((len(s), len(spec.regressions)), np.nan)
    col = 0
    for j, (y, xs, beta) in enumerate(_regressions(c, spec)):
        paths[:, col:col + len(xs)] = beta
        r2[:, j] = np.einsum("bi,bi->b", beta, c[:, list(xs), y])
        col += len(xs)
    loadings = (sw * spec.mask).sum(axis=2)
    return _Estimates(paths, r2, loadings, (w * spec.mask).sum(axis=2), updates, converged)


def _effects(paths: np.ndarray) -> np.ndarray:
    """Indirect (DC~AIGC × HQD~DC), total (+ HQD~AIGC) and share mediated for each row of path estimates."""
    at = {k: i for i, k in enumerate(PATHS)}
    indirect = paths[:, at["DC~AIGC"]] * paths[:, at["HQD~DC"]]
    total = indirect + paths[:, at["HQD~AIGC"]]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.column_stack([indirect, total, indirect / total])


def item_correlations(items: pd.DataFrame) -> np.ndarray:
    """The items' correlation matrix in instrument order (sd with n − 1 cancels: seminr's scaling)."""
    return np.corrcoef(items[list(ITEMS)].to_numpy(float), rowvar=False)


def bootstrap_draws(items: pd.DataFrame, resamples: int, seed: int,
                    progress: Callable[[int, int], None] | None = None) -> tuple[np.ndarray, int]:
    """Case-resampling draws of the five paths, indirect, total and share mediated (resamples, 8).

    Each chunk of resamples (same plan and child seeds as the OLS bootstrap) gets its correlation
    matrices from two count-matrix products and is fitted in one batch. A resample where an item
    has no variance or the iteration does not converge is NaN (dropped from the percentiles);
    the second value returned counts them.
    """
    x = items[list(ITEMS)].to_numpy(float)
    n, p = x.shape
    x = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    cross = (x[:, :, None] * x[:, None, :]).reshape(n, p * p)
    out = np.empty((resamples, len(PATHS) + 3))
    done = failed = 0
    with single_threaded_blas():
        for size, child in chunk_plan(n, resamples, seed):
            counts = resample_counts(generator(child), n, size)
            mean = counts @ x / n
            cov = (counts @ cross).reshape(size, p, p) / n - mean[:, :, None] * mean[:, None, :]
            with np.errstate(divide="ignore", invalid="ignore"):
                sd = np.sqrt(np.einsum("bii->bi", cov))
                est = _estimate(cov / sd[:, :, None] / sd[:, None, :])
            paths = np.where(est.converged[:, None], est.paths, np.nan)
            failed += int((~est.converged).sum())
            out[done:done + size] = np.column_stack([paths, _effects(paths)])
            done += size
            if progress:
                progress(done, resamples)
    return out, failed


def f_squared(s: np.ndarray, r2: dict[str, float]) -> dict[str, float]:
    """Cohen's f² of each path as seminr/SmartPLS: (R²incl − R²excl)/(1 − R²incl), the model re-estimated without it."""
    out = {}
    for key in PATHS:
        y = key.split("~")[0]
        reduced = tuple(k for k in PATHS if k != key)
        fit = _estimate(s[None], model_of(reduced))
        ys = [t for t, _ in model_of(reduced)]
        without = float(fit.r2[0, ys.index(y)]) if y in ys else 0.0
        out[key] = (r2[y] - without) / (1 - r2[y])
    return out


@dataclass
class PLSFit:
    """A PLS-SEM fit: outer model, paths with bootstrap percentile CIs, R², f², reliability, HTMT, mediation."""

    paths: dict[str, dict]
    loadings: dict[str, float]
    weights: dict[str, float]
    r2: dict[str, float]
    f2: dict[str, float]
    htmt: dict[str, dict[str, float | None]]
    rhoc: dict[str, float]
    ave: dict[str, float]
    indirect: dict
    total: dict
    share_mediated: float
    share_mediated_ci: dict
    iterations: int
    converged: bool
    bootstrap: dict
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, d: dict) -> "PLSFit":
        return cls(**d)


def _interval(est: float, draws: np.ndarray | None) -> dict:
    if draws is None:
        return {"est": est, "lo": None, "hi": None, "boot_se": None}
    lo, hi = percentile_ci(draws)
    return {"est": est, "lo": float(lo), "hi": float(hi), "boot_se": float(np.nanstd(draws, ddof=1))}


def fit_pls(items: pd.DataFrame, *, bootstrap: int = 0, seed: int = 1, max_iterations: int = MAX_ITERATIONS,
            progress: Callable[[int, int], None] | None = None) -> PLSFit:
    """Fit the PLS-SEM (module docstring) to complete 1–5 item data; `bootstrap` resamples for percentile CIs."""
    s = item_correlations(items)
    est = _estimate(s[None], max_iterations=max_iterations)
    paths = est.paths[0]
    r2 = {y: float(v) for (y, _), v in zip(MODEL, est.r2[0])}
    loadings = {i: float(v) for i, v in zip(ITEMS, est.loadings[0])}
    warnings = [] if est.converged[0] else [f"PLS did not converge in {max_iterations} iterations; its figures are not reliable"]
    start = time.perf_counter()
    draws, failed = bootstrap_draws(items, bootstrap, seed, progress) if bootstrap else (None, 0)
    if failed:
        warnings.append(f"PLS bootstrap: {failed} of {bootstrap} resamples failed (no item variance or no convergence) and were dropped")
    column = (lambda j: draws[:, j]) if draws is not None else (lambda j: None)
    effects = _effects(paths[None])[0]
    block = {c.code: np.array([loadings[i] for i in c.items]) for c in CONSTRUCTS}
    share = _interval(float(effects[2]), column(len(PATHS) + 2))
    return PLSFit(
        paths={k: _interval(float(v), column(j)) for j, (k, v) in enumerate(zip(PATHS, paths))},
        loadings=loadings, weights={i: float(v) for i, v in zip(ITEMS, est.weights[0])}, r2=r2,
        f2=f_squared(s, r2),
        htmt={a: {b: (None if a == b else float(v)) for b, v in row.items()}
              for a, row in htmt(items[list(ITEMS)].astype(float)).to_dict(orient="index").items()},
        rhoc={c: composite_reliability(v) for c, v in block.items()},
        ave={c: average_variance_extracted(v) for c, v in block.items()},
        indirect=_interval(float(effects[0]), column(len(PATHS))),
        total=_interval(float(effects[1]), column(len(PATHS) + 1)),
        share_mediated=share["est"], share_mediated_ci={"lo": share["lo"], "hi": share["hi"]},
        iterations=int(est.updates[0]), converged=bool(est.converged[0]),
        bootstrap={"resamples": bootstrap, "seed": seed, "failed": failed, "seconds": time.perf_counter() - start},
        warnings=warnings,
    )
