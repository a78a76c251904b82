"""Robust ML ("MLR", as lavaan 0.6's `estimator = "MLR"`) for a fitted single-group covariance model.

Point estimates stay ML's. What changes:
- standard errors: the Huber–White sandwich A⁻¹ B A⁻¹ / N, with A the observed information
  (Hessian of the ML discrepancy) and B the first-order information, i.e. the mean outer product of
  the cases' scores at the model-implied Σ̂ (lavaan: information = "observed", h1 "structured");
- the test: Yuan–Bentler's scaled χ² in lavaan's "yuan.bentler.mplus" form, χ²/c with
  c = (tr(Γ A₁) − tr(A⁻¹B)) / df, Γ the fourth-moment matrix of the items and A₁ the saturated
  model's information at S (so tr(Γ A₁) = ½(mean dᵢ² − p), dᵢ the Mahalanobis distance of case i);
- robust CFI / TLI / RMSEA (Brosseau-Liard & Savalei 2014; Savalei 2018), from the unscaled χ² and
  the scaling factors of the model and of the independence baseline, as lavaan's `cfi.robust`.
Without a mean structure, as lavaan fits MLR on complete data.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SigmaFn = Callable[[np.ndarray], np.ndarray]  # parameters -> model-implied Σ (p × p)
GradFn = Callable[[np.ndarray], np.ndarray]   # parameters -> ∂Σ/∂x_k for every k (q × p × p)


@dataclass(frozen=True)
class RobustFit:
    vcov: np.ndarray       # sandwich covariance of the free parameters
    scaling: float         # Yuan–Bentler scaling factor c
    chi2_scaled: float
    cfi_robust: float
    tli_robust: float
    rmsea_robust: float


def _second_derivatives(grad_fn: GradFn, x: np.ndarray) -> np.ndarray:
    """∂²Σ/∂x_k∂x_l (q × q × p × p) by central differences of the analytic ∂Σ/∂x."""
    h = 1e-5 * np.maximum(1.0, np.abs(x))
    e = np.eye(len(x)) * h
    second = np.stack([(grad_fn(x + e[k]) - grad_fn(x - e[k])) / (2 * h[k]) for k in range(len(x))])
    return (second + second.transpose(1, 0, 2, 3)) / 2


def _cfi(chi2: float, df: int, base: float, base_df: int, c: float, c_base: float) -> float:
    t1 = max(chi2 - c * df, 0.0)
    t2 = max(chi2 - c * df, base - c_base * base_df, 0.0)
    return 1.0 if t2 == 0 else 1.0 - t1 / t2


def robust_fit(sigma_fn: SigmaFn, grad_fn: GradFn, x: np.ndarray, data: np.ndarray, chi2: float, df: int) -> RobustFit:
    """MLR's sandwich covariance, scaled χ² and robust indices at the ML estimate `x` (data: n × p, Σ's order)."""
    n, p = data.shape
    resid = data - data.mean(axis=0)
    s = resid.T @ resid / n
    sigma = sigma_fn(x)
    inv = np.linalg.inv(sigma)
    first, second = grad_fn(x), _second_derivatives(grad_fn, x)

    # observed information per case: ½ Hessian of F = log|Σ| + tr(SΣ⁻¹)
    w = inv - inv @ s @ inv
    m = inv @ first                      # Σ⁻¹ Σ_k
    ms = m @ (inv @ s)                   # Σ⁻¹Σ_k Σ⁻¹S
    q = len(x)
    flat_m = m.reshape(q, -1)
    tr_mm = flat_m @ m.transpose(0, 2, 1).reshape(q, -1).T           # tr(Σ⁻¹Σ_k Σ⁻¹Σ_l)
    tr_mms = ms.reshape(q, -1) @ m.transpose(0, 2, 1).reshape(q, -1).T  # tr(Σ⁻¹Σ_k Σ⁻¹SΣ⁻¹ Σ_l)
    tr_w2 = np.einsum("ij,klji->kl", w, second)
    hessian = -tr_mm + 2 * tr_mms + tr_w2
    a = 0.5 * (hessian + hessian.T) / 2

    # first-order information: mean outer product of case scores ½(uᵢ'Σ_k uᵢ − tr(Σ⁻¹Σ_k)), uᵢ = Σ⁻¹eᵢ
    u = resid @ inv
    scores = 0.5 * (np.einsum("ip,kpr,ir->ik", u, first, u) - np.trace(m, axis1=1, axis2=2))
    b = scores.T @ scores / n

    a_inv = np.linalg.inv(a)
    vcov = a_inv @ b @ a_inv / n

    d = np.einsum("ip,pr,ir->i", resid, np.linalg.inv(s), resid)
    trace_h1 = 0.5 * (np.mean(d**2) - p)
    c = (trace_h1 - float(np.sum(b * a_inv.T))) / df
    # independence baseline: Σ = diag(S); its observed information is ½ diag(1/s²), its scores ½(e²/s² − 1/s)
    var = np.diag(s)
    base = n * (np.sum(np.log(var)) - np.linalg.slogdet(s)[1])
    base_df = p * (p - 1) // 2
    trace_h0_base = 0.5 * np.sum(np.mean((resid**2 / var - 1) ** 2, axis=0))
    c_base = (trace_h1 - trace_h0_base) / base_df

    tli_den = (base - c_base * base_df) * df
    tli = 1.0 - (chi2 - c * df) * base_df / tli_den if tli_den != 0 else 1.0
    rmsea = float(np.sqrt(max(chi2 / n / df - c / n, 0.0)))
    return RobustFit(vcov=vcov, scaling=float(c), chi2_scaled=float(chi2 / c),
                     cfi_robust=float(_cfi(chi2, df, base, base_df, c, c_base)), tli_robust=float(tli),
                     rmsea_robust=rmsea)
