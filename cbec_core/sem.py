"""A thin layer over semopy that reports what lavaan reports (MODEL.md §8).

semopy fits the model (ML); this module adds what it lacks or gets differently from lavaan:
RMSEA with N, SRMR, CFI bounded in [0, 1], the standardised solution with delta-method standard
errors, the asymptotic covariance of the free parameters, and with `estimator="MLR"` lavaan's
robust standard errors, scaled χ² and robust indices (cbec_core/robust.py).
"""
from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import special

from .bootstrap import single_threaded_blas
from .robust import robust_fit

ESTIMATORS = ("ML", "MLR")

if TYPE_CHECKING:
    import semopy


class FitFailure(RuntimeError):
    """The SEM could not be estimated; the message says why in words a researcher can act on."""


def bounded_cfi(cfi: float) -> float:
    """CFI as lavaan reports it: never above 1 (semopy lets it exceed 1 when χ² < df) nor below 0."""
    return float(min(max(cfi, 0.0), 1.0))


@dataclass(frozen=True)
class FitIndices:
    chi2: float
    df: int
    p: float
    cfi: float
    tli: float
    rmsea: float
    srmr: float
    # MLR only (None under ML): Yuan–Bentler scaled χ², its scaling factor and the robust indices
    chi2_scaled: float | None = None
    scaling_factor: float | None = None
    cfi_robust: float | None = None
    tli_robust: float | None = None
    rmsea_robust: float | None = None

    def __post_init__(self) -> None:
        # CFI in [0, 1] wherever indices come from, fits stored before the bound included (lavaan never reports 1.004)
        if self.cfi is not None and np.isfinite(self.cfi):
            object.__setattr__(self, "cfi", bounded_cfi(self.cfi))

    @property
    def chi2_df(self) -> float:
        return self.chi2 / self.df if self.df else float("nan")

    def as_dict(self) -> dict:
        out = {"chi2": self.chi2, "df": self.df, "chi2_df": self.chi2_df, "p": self.p,
               "cfi": self.cfi, "tli": self.tli, "rmsea": self.rmsea, "srmr": self.srmr}
        if self.chi2_scaled is not None:
            out |= {"chi2_scaled": self.chi2_scaled, "scaling_factor": self.scaling_factor,
                    "cfi_robust": self.cfi_robust, "tli_robust": self.tli_robust, "rmsea_robust": self.rmsea_robust}
        return out


@dataclass(frozen=True)
class Estimate:
    """One parameter: unstandardised estimate, SE, p, and its std.all value with delta-method SE and p."""

    lhs: str
    op: str
    rhs: str
    est: float
    se: float
    p: float
    std: float
    std_se: float
    std_p: float

    def as_dict(self) -> dict:
        return {"est": self.est, "se": self.se, "p": self.p,
                "std": self.std, "std_se": self.std_se, "std_p": self.std_p}


@dataclass
class SemFit:
    """A fitted semopy model with lavaan-style fit indices and standardised estimates."""

    model: semopy.Model
    n: int
    fit: FitIndices
    estimates: list[Estimate]
    param_cov: np.ndarray  # asymptotic covariance of the free parameters (semopy's order)
    warnings: list[str]  # signs of an improper solution (Heywood cases, correlations beyond ±1)

    def get(self, lhs: str, op: str, rhs: str) -> Estimate:
        for e in self.estimates:
            if (e.lhs, e.op, e.rhs) == (lhs, op, rhs) or (op == "~~" and (e.lhs, e.op, e.rhs) == (rhs, op, lhs)):
                return e
        raise KeyError(f"{lhs} {op} {rhs}")

    def free_index(self, lhs: str, rhs: str) -> int:
        """Position of the free regression parameter lhs ~ rhs in the parameter vector (and param_cov)."""
        i, j = self.model.names_beta[0].index(lhs), self.model.names_beta[1].index(rhs)
        active = [p for p in self.model.parameters.values() if p.active]
        for k, param in enumerate(active):
            if any(loc.matrix is self.model.mx_beta and tuple(loc.indices) == (i, j) for loc in param.locations):
                return k
        raise KeyError(f"{lhs} ~ {rhs} is not a free parameter")


def _lavaan_rmsea(chi2: float, df: int, n: int) -> float:
    """RMSEA as lavaan computes it (divides by N, not N − 1)."""
    if df <= 0:
        return float("nan")
    return float(np.sqrt(max(chi2 - df, 0.0) / (df * n)))


def srmr(sample_cov: np.ndarray, implied_cov: np.ndarray) -> float:
    """Bentler's SRMR: RMS of (s_ij − σ_ij)/√(s_ii s_jj) over the lower triangle including the diagonal."""
    sd = np.sqrt(np.diag(sample_cov))
    resid = (sample_cov - implied_cov) / np.outer(sd, sd)
    rows, cols = np.tril_indices_from(resid)
    return float(np.sqrt(np.mean(resid[rows, cols] ** 2)))


def _standardised(model: semopy.Model) -> dict[tuple[str, str, str], float]:
    """std.all of every loading, regression and (co)variance at the model's current parameter values."""
    beta, lamb, psi, theta = (np.asarray(m) for m in model.matrices[:4])
    c = np.linalg.inv(np.eye(beta.shape[0]) - beta)
    inner_cov = c @ psi @ c.T
    sigma = lamb @ inner_cov @ lamb.T + theta
    inner = list(model.names_beta[0])
    observed = list(model.names_lambda[0])
    sd_inner = np.sqrt(np.clip(np.diag(inner_cov), 1e-300, None))
    sd_obs = np.sqrt(np.clip(np.diag(sigma), 1e-300, None))
    out: dict[tuple[str, str, str], float] = {}
    for i, obs in enumerate(observed):
        for j, lat in enumerate(model.names_lambda[1]):
            if lamb[i, j] != 0 and lat in model.vars["latent"]:
                out[(lat, "=~", obs)] = lamb[i, j] * sd_inner[j] / sd_obs[i]
    for i, lhs in enumerate(inner):
        for j, rhs in enumerate(inner):
            if beta[i, j] != 0:
                out[(lhs, "~", rhs)] = beta[i, j] * sd_inner[j] / sd_inner[i]
    for i, lhs in enumerate(inner):
        for j, rhs in enumerate(inner[: i + 1]):
            out[(lhs, "~~", rhs)] = psi[i, j] / (sd_inner[i] * sd_inner[j])
    return out


def _std_values(model: semopy.Model, keys: list[tuple[str, str, str]], params: np.ndarray) -> np.ndarray:
    saved = model.param_vals.copy()
    model.update_matrices(params)
    try:
        std = _standardised(model)
        return np.array([std[k] for k in keys])
    finally:
        model.update_matrices(saved)


def _std_jacobian(model: semopy.Model, keys: list[tuple[str, str, str]]) -> np.ndarray:
    """∂ std.all / ∂ free parameters (central differences of the standardisation map)."""
    x = model.param_vals.astype(float)
    jac = np.empty((len(keys), len(x)))
    for k in range(len(x)):
        h = 1e-6 * max(1.0, abs(x[k]))
        up, dn = x.copy(), x.copy()
        up[k] += h
        dn[k] -= h
        jac[:, k] = (_std_values(model, keys, up) - _std_values(model, keys, dn)) / (2 * h)
    return jac


def _delta_se(model: semopy.Model, keys: list[tuple[str, str, str]], cov: np.ndarray) -> np.ndarray:
    """Delta-method SEs of std.all values."""
    jac = _std_jacobian(model, keys)
    var = np.einsum("ij,jk,ik->i", jac, cov, jac)
    return np.sqrt(np.clip(var, 0.0, None))


def std_covariance(sem: "SemFit", keys: list[tuple[str, str, str]]) -> np.ndarray:
    """Delta-method covariance of std.all values (lavaan's vcov.std.all), under the fit's ML or MLR covariance."""
    jac = _std_jacobian(sem.model, keys)
    return jac @ sem.param_cov @ jac.T


def _two_sided_p(z: np.ndarray) -> np.ndarray:
    return 2.0 * special.ndtr(-np.abs(z))


def fit_sem(description: str, data: pd.DataFrame, estimator: str = "ML") -> SemFit:
    """Fit a lavaan-syntax model by ML with semopy; raise FitFailure with a readable reason if it cannot be estimated.

    With estimator="MLR" the point estimates are the same; SEs, p-values and the fit gain lavaan's MLR figures.
    """
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator {estimator!r} is not one of {', '.join(ESTIMATORS)}")
    n = len(data)
    observed = sorted({tok for line in description.splitlines() if "=~" in line
                       for tok in line.split("=~")[1].replace("+", " ").split()})
    sub = data[observed].astype(float)
    if n < len(observed) + 2:
        raise FitFailure(f"only {n} usable rows for {len(observed)} items; the model needs more firms than items (at least {len(observed) + 2})")
    constant = [c for c in observed if sub[c].std(ddof=1) == 0]
    if constant:
        raise FitFailure(f"item(s) {', '.join(constant)} have the same answer in every row; the covariance matrix is singular, so the SEM cannot be fitted")
    sample_cov = np.cov(sub.to_numpy(), rowvar=False, ddof=0)
    if np.linalg.eigvalsh(sample_cov).min() <= 1e-10:
        raise FitFailure("the items' sample covariance matrix is not positive definite (some items are exact combinations of others, or there are too few firms); the SEM cannot be fitted")

    import semopy  # here, not at module level: scoring and the dashboard's first page never need it (seconds to import)

    model = semopy.Model(description)
    logging.getLogger("semopy").setLevel(logging.ERROR)
    with warnings.catch_warnings(), single_threaded_blas():
        warnings.simplefilter("ignore")
        # semopy's default tolerance stops ~1e-3 short of lavaan's optimum on loadings; tighten it
        result = model.fit(sub, options={"ftol": 1e-12, "maxiter": 10_000})
        if not getattr(result, "success", True) and not np.isfinite(result.fun):
            raise FitFailure(f"the SEM optimiser did not converge ({result.message}); check for near-constant items")
        chi2, chi2_p = semopy.stats.calc_chi2(model)
        df = int(semopy.stats.calc_dof(model))
        stats_row = semopy.calc_stats(model).T["Value"]
        param_cov = model.calc_fim(inverse=True)[1]

        implied = model.calc_sigma()[0]
        order = list(model.vars["observed"])
        cov_ordered = np.cov(sub[order].to_numpy(), rowvar=False, ddof=0)
        robust = {}
        if estimator == "MLR":
            theta = model.param_vals.copy()

            def sigma_at(x: np.ndarray) -> np.ndarray:
                model.update_matrices(x)
                return model.calc_sigma()[0]

            def sigma_grad_at(x: np.ndarray) -> np.ndarray:
                model.update_matrices(x)
                _, (m, c) = model.calc_sigma()
                return np.stack([np.broadcast_to(g, m.shape[:1] * 2) for g in model.calc_sigma_grad(m, c)]).astype(float)

            rob = robust_fit(sigma_at, sigma_grad_at, theta, sub[order].to_numpy(), float(chi2), df)
            model.update_matrices(theta)
            param_cov = rob.vcov
            robust = {"chi2_scaled": rob.chi2_scaled, "scaling_factor": rob.scaling,
                      "cfi_robust": rob.cfi_robust, "tli_robust": rob.tli_robust, "rmsea_robust": rob.rmsea_robust}
        indices = FitIndices(
            chi2=float(chi2), df=df, p=float(chi2_p),
            cfi=float(stats_row["CFI"]), tli=float(stats_row["TLI"]),
            rmsea=_lavaan_rmsea(float(chi2), df, n), srmr=srmr(cov_ordered, implied), **robust,
        )
        estimates = _estimates(model, param_cov)
    return SemFit(model=model, n=n, fit=indices, estimates=estimates, param_cov=param_cov,
                  warnings=improper_solution(model, estimates))


def improper_solution(model: semopy.Model, estimates: list[Estimate]) -> list[str]:
    """Readable warnings when the ML solution is inadmissible, so nobody reads it as a result.

    semopy bounds variances at zero where lavaan would let them go negative, so a variance at
    (or below) zero is the Heywood case here.
    """
    out = []
    for e in estimates:
        if e.op == "~~" and e.lhs == e.rhs and e.est <= 1e-8:
            out.append(f"the variance of {e.lhs} is {e.est:.3f}, at or below zero: an improper (Heywood) solution")
        elif e.op == "~~" and e.lhs != e.rhs and abs(e.std) > 1:
            out.append(f"the latent correlation {e.lhs}–{e.rhs} is {e.std:.2f}, beyond ±1: an improper solution")
    theta = np.diag(np.asarray(model.mx_theta))
    for name, value in zip(model.names_theta[0], theta):
        if value <= 1e-8:
            out.append(f"the residual variance of item {name} is {value:.3f}, at or below zero (standardised loading 1): "
                       "an improper (Heywood) solution")
    return out


def _estimates(model: semopy.Model, param_cov: np.ndarray) -> list[Estimate]:
    from semopy.inspector import inspect_list  # semopy is imported only where a model is fitted
    table = inspect_list(model, index_names=True)
    active = [k for k, prm in model.parameters.items() if prm.active]
    std = _standardised(model)
    keys: list[tuple[str, str, str]] = []
    rows = []
    for name, r in table.iterrows():
        if r["op"] == "~" and r["rval"] in model.vars["latent"] and r["lval"] in model.names_lambda[0] and r["lval"] not in model.vars["latent"]:
            key = (r["rval"], "=~", r["lval"])
        elif r["op"] == "~~":
            key = (r["lval"], "~~", r["rval"]) if (r["lval"], "~~", r["rval"]) in std else (r["rval"], "~~", r["lval"])
        else:
            key = (r["lval"], r["op"], r["rval"])
        if key not in std:
            continue  # observed residual variances: not needed downstream
        keys.append(key)
        rows.append((name, r))
    std_se = _delta_se(model, keys, param_cov)
    out = []
    for key, (name, r), se_std in zip(keys, rows, std_se):
        fixed = name not in active
        se = float("nan") if fixed else float(np.sqrt(param_cov[active.index(name), active.index(name)]))
        est = float(r["Estimate"])
        p = float("nan") if fixed else float(_two_sided_p(est / se))
        s = float(std[key])
        s_se = float("nan") if fixed and se_std == 0 else float(se_std)
        s_p = float(_two_sided_p(s / s_se)) if s_se and np.isfinite(s_se) and s_se > 0 else float("nan")
        out.append(Estimate(key[0], key[1], key[2], est, se, p, s, s_se, s_p))
    return out
