"""Measurement invariance across two groups (MODEL.md §3a): configural, metric and scalar multi-group CFA.

semopy's multigroup only fits each group on its own, so the constrained models are estimated
here: the five-factor CFA with a mean structure in every group, stacked into one multi-group
normal likelihood exactly as lavaan's `cfa(model, data, group =, group.equal =)` does — marker
variables (first loading 1), ML with biased (÷ n_g) covariances, the discrepancy weighted by
n_g / N, and in the scalar model the latent means of the second group free. Fitted by Fisher
scoring with the analytic gradient and expected information, which also give the latent means'
standard errors. Fit indices follow lavaan 0.6: baseline = independence model in each group,
CFI bounded in [0, 1], RMSEA × √G, SRMR (Bentler, with mean residuals) averaged with weights n_g / N.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

from .bootstrap import single_threaded_blas
from .instrument import CONSTRUCTS

LEVELS = ("configural", "metric", "scalar")
EQUAL = {"configural": (), "metric": ("loadings",), "scalar": ("loadings", "intercepts")}
GROUPINGS = ("pilot_zone", "business_model", "region")
MIN_GROUP = 30
# Chen (2007): a step fails when CFI drops by .010 or more together with RMSEA rising by .015 or more;
# it also fails when the likelihood-ratio (Δχ²) test rejects at ALPHA.
DELTA_CFI, DELTA_RMSEA, ALPHA = -0.010, 0.015, 0.05
# The configural model itself must fit acceptably (the CFA's own thresholds, MODEL.md §3).
CONFIGURAL_CFI, CONFIGURAL_RMSEA = 0.90, 0.08
MAX_ITER = 500
GRAD_TOL = 1e-9


@dataclass(frozen=True)
class _Layout:
    """Which entry of the parameter vector fills which matrix cell in each group."""

    n_free: int
    lam: list[dict[tuple[int, int], int]]   # per group: (item, factor) -> index (markers absent, fixed at 1)
    theta: list[np.ndarray]                 # per group: index of each residual variance
    phi: list[dict[tuple[int, int], int]]   # per group: (f, h) with f >= h -> index
    nu: list[np.ndarray]                    # per group: index of each intercept
    alpha: list[np.ndarray | None]          # per group: index of each latent mean (None: fixed at 0)


@lru_cache(maxsize=1)
def _structure() -> tuple[list[str], np.ndarray, list[int]]:
    """Item order, the item → factor map and the marker item of each factor."""
    items = [i for c in CONSTRUCTS for i in c.items]
    factor_of = np.array([f for f, c in enumerate(CONSTRUCTS) for _ in c.items])
    markers = [items.index(c.items[0]) for c in CONSTRUCTS]
    return items, factor_of, markers


@lru_cache(maxsize=8)
def _layout(level: str, groups: int) -> _Layout:
    items, factor_of, markers = _structure()
    p, k = len(items), len(CONSTRUCTS)
    counter = iter(range(10**6))
    shared_lam = {(j, int(factor_of[j])): next(counter) for j in range(p) if j not in markers} if "loadings" in EQUAL[level] else None
    shared_nu = np.array([next(counter) for _ in range(p)]) if "intercepts" in EQUAL[level] else None
    lam, theta, phi, nu, alpha = [], [], [], [], []
    for g in range(groups):
        lam.append(shared_lam if shared_lam is not None else {(j, int(factor_of[j])): next(counter) for j in range(p) if j not in markers})
        theta.append(np.array([next(counter) for _ in range(p)]))
        phi.append({(f, h): next(counter) for f in range(k) for h in range(f + 1)})
        nu.append(shared_nu if shared_nu is not None else np.array([next(counter) for _ in range(p)]))
        alpha.append(np.array([next(counter) for _ in range(k)]) if shared_nu is not None and g > 0 else None)
    return _Layout(next(counter), lam, theta, phi, nu, alpha)


def _matrices(x: np.ndarray, lay: _Layout, g: int):
    """Λ, Φ, Θ (diagonal as a vector), ν, α of group g."""
    items, factor_of, markers = _structure()
    p, k = len(items), len(CONSTRUCTS)
    lam = np.zeros((p, k))
    for f, j in enumerate(markers):
        lam[j, f] = 1.0
    for (j, f), i in lay.lam[g].items():
        lam[j, f] = x[i]
    phi = np.zeros((k, k))
    for (f, h), i in lay.phi[g].items():
        phi[f, h] = phi[h, f] = x[i]
    alpha = x[lay.alpha[g]] if lay.alpha[g] is not None else np.zeros(k)
    return lam, phi, x[lay.theta[g]], x[lay.nu[g]], alpha


def _implied(x: np.ndarray, lay: _Layout, g: int) -> tuple[np.ndarray, np.ndarray]:
    lam, phi, theta, nu, alpha = _matrices(x, lay, g)
    return lam @ phi @ lam.T + np.diag(theta), nu + lam @ alpha


def _jacobian(x: np.ndarray, lay: _Layout, g: int) -> tuple[np.ndarray, np.ndarray]:
    """∂vec(Σ_g)/∂x (p² × q) and ∂μ_g/∂x (p × q), analytic."""
    lam, phi, _, _, alpha = _matrices(x, lay, g)
    p, k = lam.shape
    d_sigma = np.zeros((p, p, lay.n_free))
    d_mu = np.zeros((p, lay.n_free))
    lp = lam @ phi  # p × k
    for (j, f), i in lay.lam[g].items():
        d_sigma[j, :, i] += lp[:, f]
        d_sigma[:, j, i] += lp[:, f]
        d_mu[j, i] += alpha[f]
    for (f, h), i in lay.phi[g].items():
        outer = np.outer(lam[:, f], lam[:, h])
        d_sigma[:, :, i] += outer if f == h else outer + outer.T
    for j, i in enumerate(lay.theta[g]):
        d_sigma[j, j, i] += 1.0
    for j, i in enumerate(lay.nu[g]):
        d_mu[j, i] += 1.0
    if lay.alpha[g] is not None:
        for f, i in enumerate(lay.alpha[g]):
            d_mu[:, i] += lam[:, f]
    return d_sigma.reshape(p * p, lay.n_free), d_mu


@dataclass(frozen=True)
class _Group:
    label: str
    n: int
    mean: np.ndarray
    cov: np.ndarray  # biased (÷ n)


def _discrepancy(x: np.ndarray, lay: _Layout, groups: list[_Group]) -> float:
    """Σ_g (n_g/N)·F_ML,g with the mean structure; χ² = N × this at the minimum. +inf if some Σ_g is not PD."""
    total = sum(gr.n for gr in groups)
    value = 0.0
    for g, gr in enumerate(groups):
        sigma, mu = _implied(x, lay, g)
        sign, logdet = np.linalg.slogdet(sigma)
        if sign <= 0:
            return float("inf")
        inv = np.linalg.inv(sigma)
        d = gr.mean - mu
        p = len(mu)
        value += gr.n / total * (logdet + np.trace(gr.cov @ inv) - np.linalg.slogdet(gr.cov)[1] - p + d @ inv @ d)
    return float(value)


def _gradient_and_information(x: np.ndarray, lay: _Layout, groups: list[_Group]) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of the discrepancy and its expected Hessian (2 × lavaan's expected information per case)."""
    total = sum(gr.n for gr in groups)
    grad = np.zeros(lay.n_free)
    info = np.zeros((lay.n_free, lay.n_free))
    for g, gr in enumerate(groups):
        sigma, mu = _implied(x, lay, g)
        inv = np.linalg.inv(sigma)
        d = gr.mean - mu
        w_sigma = inv - inv @ (gr.cov + np.outer(d, d)) @ inv
        d_sigma, d_mu = _jacobian(x, lay, g)
        wg = gr.n / total
        grad += wg * (d_sigma.T @ w_sigma.ravel() - 2 * d_mu.T @ (inv @ d))
        p, q = len(mu), lay.n_free
        m = inv @ d_sigma.T.reshape(q, p, p)  # Σ⁻¹ ∂Σ/∂x_a for every a; info_ab = tr(Σ⁻¹Σ_a Σ⁻¹Σ_b)
        info += wg * (m.reshape(q, -1) @ m.transpose(0, 2, 1).reshape(q, -1).T + 2 * d_mu.T @ inv @ d_mu)
    return grad, info


def _start(lay: _Layout, groups: list[_Group]) -> np.ndarray:
    """Moment-based start values per group (ratios of item covariances), averaged where parameters are shared."""
    items, factor_of, markers = _structure()
    x = np.zeros(lay.n_free)
    counts = np.zeros(lay.n_free)
    k = len(CONSTRUCTS)
    for g, gr in enumerate(groups):
        s = gr.cov
        lam = np.zeros(len(items))
        for f, m in enumerate(markers):
            block = [j for j in range(len(items)) if factor_of[j] == f]
            for j in block:
                others = [o for o in block if o not in (j, m)]
                ratios = [s[j, o] / s[m, o] for o in others if abs(s[m, o]) > 1e-3]
                lam[j] = 1.0 if j == m or not ratios else float(np.clip(np.mean(ratios), -3.0, 3.0))
        phi = np.zeros((k, k))
        for f in range(k):
            for h in range(f + 1):
                pairs = [s[a, b] / (lam[a] * lam[b]) for a in range(len(items)) for b in range(len(items))
                         if factor_of[a] == f and factor_of[b] == h and a != b]
                phi[f, h] = phi[h, f] = np.mean(pairs)
        vals, vecs = np.linalg.eigh(phi)
        phi = vecs @ np.diag(np.clip(vals, 0.05 * vals.max(), None)) @ vecs.T
        theta = np.maximum(np.diag(s) - lam**2 * phi[factor_of, factor_of], 0.1 * np.diag(s))
        values = [(lay.lam[g][(j, int(factor_of[j]))], lam[j]) for j in range(len(items)) if j not in markers]
        values += [(i, theta[j]) for j, i in enumerate(lay.theta[g])]
        values += [(i, phi[f, h]) for (f, h), i in lay.phi[g].items()]
        values += [(i, gr.mean[j]) for j, i in enumerate(lay.nu[g])]
        for i, v in values:
            x[i] += v
            counts[i] += 1
    return x / np.maximum(counts, 1)


@dataclass
class GroupFit:
    """One multi-group CFA: lavaan's fit indices, convergence, and the estimates needed downstream."""

    level: str
    chi2: float
    df: int
    cfi: float
    tli: float
    rmsea: float
    srmr: float
    converged: bool
    x: np.ndarray
    vcov: np.ndarray

    def as_dict(self) -> dict:
        """The figures of a converged fit; a fit that did not converge keeps only its df (no figure to misread)."""
        if not self.converged:
            return {"chi2": None, "df": self.df, "p": None, "cfi": None, "tli": None, "rmsea": None, "srmr": None,
                    "converged": False}
        return {"chi2": self.chi2, "df": self.df, "p": float(stats.chi2.sf(self.chi2, self.df)),
                "cfi": self.cfi, "tli": self.tli, "rmsea": self.rmsea, "srmr": self.srmr, "converged": True}


def fit_indices(chi2: float, df: int, base_chi2: float, base_df: int, n: int, groups: int) -> dict[str, float]:
    """lavaan's CFI (bounded in [0, 1]), TLI (unbounded, as lavaan), RMSEA (÷ N, × √G)."""
    t1 = max(chi2 - df, 0.0)
    t2 = max(chi2 - df, base_chi2 - base_df, 0.0)
    cfi = 1.0 if t2 == 0 else 1.0 - t1 / t2
    tli_den = (base_chi2 - base_df) * df
    tli = 1.0 - (chi2 - df) * base_df / tli_den if df > 0 and tli_den != 0 else 1.0
    rmsea = float(np.sqrt(max(chi2 / n / df - 1.0 / n, 0.0)) * np.sqrt(groups)) if df > 0 else 0.0
    return {"cfi": float(cfi), "tli": float(tli), "rmsea": rmsea}


def _srmr(x: np.ndarray, lay: _Layout, groups: list[_Group]) -> float:
    """lavaan's "srmr" (srmr_bentler with the mean structure), averaged over groups with weights n_g / N."""
    total = sum(gr.n for gr in groups)
    out = 0.0
    for g, gr in enumerate(groups):
        sigma, mu = _implied(x, lay, g)
        sd = np.sqrt(np.diag(gr.cov))
        resid = (gr.cov - sigma) / np.outer(sd, sd)
        rows, cols = np.tril_indices_from(resid)
        mean_resid = (gr.mean - mu) / sd
        stats_ = np.concatenate([resid[rows, cols], mean_resid])
        out += gr.n / total * np.sqrt(np.mean(stats_**2))
    return float(out)


def _optimise(x: np.ndarray, lay: _Layout, groups: list[_Group]) -> tuple[np.ndarray, float, np.ndarray, bool]:
    """Fisher scoring with step halving: (estimates, discrepancy, expected information, converged)."""
    f = _discrepancy(x, lay, groups)
    info = np.eye(lay.n_free)
    if not np.isfinite(f):
        return x, f, info, False
    for _ in range(MAX_ITER):
        grad, info = _gradient_and_information(x, lay, groups)
        if np.max(np.abs(grad)) < GRAD_TOL:
            return x, f, info, True
        try:
            step = np.linalg.solve(info, grad)
        except np.linalg.LinAlgError:
            return x, f, info, False
        t = 1.0
        while t > 1e-8:
            candidate = x - t * step
            fc = _discrepancy(candidate, lay, groups)
            if fc <= f + 1e-14:
                break
            t /= 2
        else:  # no further decrease possible: converged if at the optimum to rounding
            return x, f, info, bool(np.max(np.abs(grad)) < 1e-6)
        x, f = candidate, fc
    return x, f, info, False


def _simple_start(lay: _Layout, groups: list[_Group]) -> np.ndarray:
    """lavaan-like "simple" start values: loadings 1, half of each item's variance to the factor, factors uncorrelated."""
    _, factor_of, _ = _structure()
    x = np.zeros(lay.n_free)
    for g, gr in enumerate(groups):
        var = np.diag(gr.cov)
        x[list(lay.lam[g].values())] = 1.0
        x[lay.theta[g]] = 0.5 * var
        for (f, h), i in lay.phi[g].items():
            x[i] = 0.5 * var[factor_of == f].min() if f == h else 0.0
        x[lay.nu[g]] = gr.mean
    return x


def _fit_level(level: str, groups: list[_Group], start: np.ndarray | None = None) -> GroupFit:
    """ML fit from `start` (a nested fit's estimates), else moment start values, else lavaan's simple ones."""
    lay = _layout(level, len(groups))
    starts = ([start] if start is not None else []) + [_start(lay, groups), _simple_start(lay, groups)]
    for x0 in starts:
        x, f, info, converged = _optimise(x0, lay, groups)
        if converged:
            break
    total = sum(gr.n for gr in groups)
    p = len(groups[0].mean)
    df = len(groups) * (p * (p + 1) // 2 + p) - lay.n_free
    chi2 = total * f
    base = sum(gr.n * (np.sum(np.log(np.diag(gr.cov))) - np.linalg.slogdet(gr.cov)[1]) for gr in groups)
    base_df = len(groups) * p * (p - 1) // 2
    idx = fit_indices(chi2, df, base, base_df, total, len(groups))
    try:
        vcov = np.linalg.inv(info / 2) / total
    except np.linalg.LinAlgError:
        vcov = np.full_like(info, np.nan)
    return GroupFit(level, float(chi2), int(df), idx["cfi"], idx["tli"], idx["rmsea"], _srmr(x, lay, groups),
                    converged, x, vcov)


def _nested_start(previous: GroupFit, level: str, groups: list[_Group]) -> np.ndarray:
    """Start values for a constrained model: the freer fit's estimates, averaged over groups where now shared."""
    old, new = _layout(previous.level, len(groups)), _layout(level, len(groups))
    x = np.zeros(new.n_free)
    counts = np.zeros(new.n_free)
    for g in range(len(groups)):
        pairs = [(new.lam[g][key], old.lam[g][key]) for key in new.lam[g]]
        pairs += list(zip(new.theta[g], old.theta[g])) + list(zip(new.nu[g], old.nu[g]))
        pairs += [(new.phi[g][key], old.phi[g][key]) for key in new.phi[g]]
        for i_new, i_old in pairs:
            x[i_new] += previous.x[i_old]
            counts[i_new] += 1
    return x / np.maximum(counts, 1)


def _step(freer: GroupFit, stricter: GroupFit) -> dict:
    d_df = stricter.df - freer.df
    if not (freer.converged and stricter.converged):
        return {"from": freer.level, "to": stricter.level, "delta_chi2": None, "delta_df": d_df, "p": None,
                "delta_cfi": None, "delta_rmsea": None, "chen_fail": None, "lrt_fail": None, "holds": False}
    d_chi2 = stricter.chi2 - freer.chi2
    p = float(stats.chi2.sf(d_chi2, d_df)) if d_df > 0 else float("nan")
    d_cfi, d_rmsea = stricter.cfi - freer.cfi, stricter.rmsea - freer.rmsea
    chen_fail = d_cfi <= DELTA_CFI and d_rmsea >= DELTA_RMSEA
    return {"from": freer.level, "to": stricter.level, "delta_chi2": d_chi2, "delta_df": d_df, "p": p,
            "delta_cfi": d_cfi, "delta_rmsea": d_rmsea, "chen_fail": bool(chen_fail), "lrt_fail": bool(p < ALPHA),
            "holds": bool(not chen_fail and not p < ALPHA)}


def verdict(models: dict[str, GroupFit], steps: list[dict]) -> str:
    """The strictest level that holds: configural needs a converged, acceptably fitting model; each step its test."""
    conf = models["configural"]
    if not conf.converged or conf.cfi < CONFIGURAL_CFI or conf.rmsea > CONFIGURAL_RMSEA:
        return "none"
    level = "configural"
    for st in steps:
        if not st["holds"]:
            break
        level = st["to"]
    return level


def _groups(items: pd.DataFrame, labels: pd.Series, order: list[str]) -> list[_Group]:
    out = []
    for value in order:
        sub = items[labels.astype(str) == value].to_numpy(dtype=float)
        out.append(_Group(value, len(sub), sub.mean(axis=0), np.cov(sub, rowvar=False, ddof=0)))
    return out


def _label(value) -> str:
    """A group's label as text: 1.0 and 1 are both "1" (a pilot flag read as float where some are blank)."""
    if isinstance(value, (int, float, np.integer, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _level_order(values: pd.Series) -> list[str]:
    """Reference group first: non-pilot (0) before pilot (1); otherwise sorted labels."""
    return sorted(values.astype(str).unique())


def _latent_means(fit: GroupFit) -> dict:
    """Scalar model: second group's latent means (first group fixed at 0) with SEs and lavaan's std.all."""
    lay = _layout("scalar", 2)
    idx = lay.alpha[1]
    _, phi, *_ = _matrices(fit.x, lay, 1)
    out = {}
    for f, c in enumerate(CONSTRUCTS):
        est = float(fit.x[idx[f]])
        se = float(np.sqrt(fit.vcov[idx[f], idx[f]]))
        out[c.code] = {"est": est, "se": se, "z": est / se, "p": float(2 * stats.norm.sf(abs(est / se))),
                       "std": est / float(np.sqrt(phi[f, f]))}
    return out


def invariance_level(inv: dict, group: str = "pilot_zone") -> str:
    """What a comparison across `group` may rest on: the verdict, or "untested" when it was not run for that group."""
    if not inv or inv.get("group") != group or not inv.get("available"):
        return "untested"
    return inv["verdict"]


def comparable(level: str) -> bool:
    """At least metric invariance: a relationship such as θ may be compared across the groups."""
    return level in ("scalar", "metric")


def unavailable(group: str, reason: str) -> dict:
    """The invariance block when it was not run: why, and no figures."""
    return {"group": group, "available": False, "reason": reason, "models": {}, "steps": [], "verdict": None, "latent_means": {}}


def measurement_invariance(data: pd.DataFrame, group: str = "pilot_zone") -> dict:
    """Configural → metric → scalar invariance of the five-factor CFA across the two levels of `group`."""
    items_order, *_ = _structure()
    if group not in data.columns:
        return unavailable(group, f"the data have no column {group!r}, so the groups cannot be compared")
    keep = data[group].notna() & (data[group].astype(str).str.strip() != "")
    data = data[keep]
    labels = data[group].map(_label)
    order = _level_order(labels)
    if len(order) != 2:
        return unavailable(group, f"{group} has {len(order)} level(s) ({', '.join(order)}); invariance is tested between exactly two groups")
    counts = {v: int((labels.astype(str) == v).sum()) for v in order}
    small = [f"{v} (n = {n})" for v, n in counts.items() if n < MIN_GROUP]
    if small:
        return unavailable(group, f"group {' and '.join(small)} has fewer than {MIN_GROUP} firms; a multi-group CFA needs at least {MIN_GROUP} per group")
    groups = _groups(data[items_order], labels, order)
    singular = [gr.label for gr in groups if np.linalg.eigvalsh(gr.cov).min() <= 1e-10]
    if singular:
        return unavailable(group, f"the items' covariance matrix in group {', '.join(singular)} is singular (an item is constant or a combination of others)")

    models: dict[str, GroupFit] = {}
    previous = None
    with single_threaded_blas():
        for level in LEVELS:
            start = _nested_start(previous, level, groups) if previous is not None and previous.converged else None
            models[level] = previous = _fit_level(level, groups, start)
    steps = [_step(models[a], models[b]) for a, b in zip(LEVELS, LEVELS[1:])]
    result = {
        "group": group, "available": True, "reason": None,
        "levels": [{"label": gr.label, "n": gr.n} for gr in groups],
        "models": {k: v.as_dict() for k, v in models.items()},
        "steps": steps, "verdict": verdict(models, steps),
        "latent_means": _latent_means(models["scalar"]) if models["scalar"].converged else {},
    }
    failed = [k for k, v in models.items() if not v.converged]
    if failed:
        result["reason"] = f"the {', '.join(failed)} model(s) did not converge; their figures are not reliable"
    return result
