"""The latent structural model (MODEL.md §4, H1–H2): total effect, mediation, indirect effect and its CIs."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .instrument import CONSTRUCT_BY_CODE
from .sem import Estimate, FitFailure, FitIndices, SemFit, fit_sem, std_covariance

PATHS: tuple[str, ...] = ("DC~AIGC", "DC~IO", "HQD~DC", "HQD~AIGC", "HQD~LSC")
MC_DRAWS = 20_000


def _measure(*codes: str) -> list[str]:
    return [f"{c} =~ {' + '.join(CONSTRUCT_BY_CODE[c].items)}" for c in codes]


def total_effect_description() -> str:
    """H1: HQD regressed on AIGC, with the two constructs' measurement models."""
    return "\n".join(_measure("AIGC", "HQD") + ["HQD ~ AIGC"])


def mediation_description() -> str:
    """H2: DC ~ AIGC + IO; HQD ~ DC + AIGC + LSC, exogenous latents correlated (as lavaan's sem() does)."""
    return "\n".join(_measure("AIGC", "DC", "IO", "LSC", "HQD") + [
        "DC ~ AIGC + IO",
        "HQD ~ DC + AIGC + LSC",
        "AIGC ~~ IO", "AIGC ~~ LSC", "IO ~~ LSC",
    ])


@dataclass
class Indirect:
    """AIGC → DC → HQD: the product of the two paths, unstandardised and standardised, with CIs."""

    est: float
    std: float
    mc_lo: float
    mc_hi: float
    std_mc_lo: float
    std_mc_hi: float
    boot_lo: float | None = None
    boot_hi: float | None = None
    boot_b: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Structural:
    fit: FitIndices
    total_fit: FitIndices
    paths: dict[str, dict]
    total: dict[str, dict]
    indirect: Indirect
    share_mediated: float
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"fit": self.fit.as_dict(), "total_fit": self.total_fit.as_dict(), "paths": self.paths,
                "total": self.total, "indirect": self.indirect.as_dict(), "share_mediated": self.share_mediated}

    @classmethod
    def from_dict(cls, d: dict) -> "Structural":
        strip = lambda f: FitIndices(**{k: v for k, v in f.items() if k != "chi2_df"})  # noqa: E731
        return cls(fit=strip(d["fit"]), total_fit=strip(d["total_fit"]), paths=d["paths"], total=d["total"],
                   indirect=Indirect(**d["indirect"]), share_mediated=d["share_mediated"])


def _path(sem: SemFit, key: str) -> Estimate:
    lhs, rhs = key.split("~")
    return sem.get(lhs, "~", rhs)


def monte_carlo_ci(sem: SemFit, draws: int = MC_DRAWS, seed: int = 1, level: float = 0.95) -> tuple[float, float, float, float]:
    """Preacher & Selig (2012) Monte Carlo CI of a·b, unstandardised and standardised, as semTools' monteCarloCI.

    The unstandardised product draws (a, b) from their joint asymptotic normal distribution; the
    standardised one draws the standardised paths themselves from theirs (delta-method covariance
    of the std.all estimates, monteCarloCI(standardized = TRUE)), so every draw is a standardised
    product — not the unstandardised draws rescaled by one fixed ratio.
    """
    ia, ib = sem.free_index("DC", "AIGC"), sem.free_index("HQD", "DC")
    a, b = _path(sem, "DC~AIGC"), _path(sem, "HQD~DC")
    rng = np.random.default_rng(seed)
    ab = rng.multivariate_normal([a.est, b.est], sem.param_cov[np.ix_([ia, ib], [ia, ib])], size=draws)
    std_cov = std_covariance(sem, [("DC", "~", "AIGC"), ("HQD", "~", "DC")])
    std_ab = rng.multivariate_normal([a.std, b.std], std_cov, size=draws)
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(ab[:, 0] * ab[:, 1], [tail, 100 - tail])
    slo, shi = np.percentile(std_ab[:, 0] * std_ab[:, 1], [tail, 100 - tail])
    return float(lo), float(hi), float(slo), float(shi)


def fit_structural(items: pd.DataFrame, *, bootstrap: int = 0, seed: int = 1, estimator: str = "ML",
                   progress: Callable[[int, int], None] | None = None) -> Structural:
    """Fit the total-effect and mediation SEMs (ML, or MLR's robust SEs and fit); optionally bootstrap the indirect effect."""
    total = fit_sem(total_effect_description(), items, estimator)
    med = fit_sem(mediation_description(), items, estimator)
    a, b, c = _path(med, "DC~AIGC"), _path(med, "HQD~DC"), _path(med, "HQD~AIGC")
    lo, hi, slo, shi = monte_carlo_ci(med, seed=seed)
    indirect = Indirect(est=a.est * b.est, std=a.std * b.std, mc_lo=lo, mc_hi=hi, std_mc_lo=slo, std_mc_hi=shi)
    if bootstrap:
        indirect.boot_lo, indirect.boot_hi = bootstrap_indirect(items, bootstrap, seed, progress)
        indirect.boot_b = bootstrap
    total_std = c.std + indirect.std
    return Structural(
        fit=med.fit, total_fit=total.fit,
        paths={k: _path(med, k).as_dict() for k in PATHS},
        total={"HQD~AIGC": _path(total, "HQD~AIGC").as_dict()},
        indirect=indirect,
        share_mediated=indirect.std / total_std if total_std else float("nan"),
        warnings=total.warnings + med.warnings,
    )


def bootstrap_indirect(items: pd.DataFrame, resamples: int, seed: int,
                       progress: Callable[[int, int], None] | None = None) -> tuple[float, float]:
    """Percentile CI of the standardised latent indirect effect by re-fitting the SEM per resample."""
    rng = np.random.default_rng(seed)
    n = len(items)
    values = []
    desc = mediation_description()
    for r in range(resamples):
        sample = items.iloc[rng.integers(0, n, n)].reset_index(drop=True)
        try:
            sem = fit_sem(desc, sample)
            values.append(_path(sem, "DC~AIGC").std * _path(sem, "HQD~DC").std)
        except (FitFailure, np.linalg.LinAlgError, ValueError):  # a degenerate resample is dropped, as lavaan does
            pass
        if progress:
            progress(r + 1, resamples)
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)
