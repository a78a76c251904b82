"""The measurement model (MODEL.md §3, paper Table 1): CFA, reliability and discriminant validity."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .instrument import CONSTRUCTS
from .sem import FitIndices, SemFit, fit_sem

THRESHOLDS = {
    "alpha": (">=", 0.70), "cr": (">=", 0.70), "ave": (">=", 0.50), "htmt": ("<", 0.85),
    "chi2_df": ("<", 3.0), "cfi": (">", 0.90), "tli": (">", 0.90), "rmsea": ("<", 0.08), "srmr": ("<", 0.08),
}


def passes(name: str, value: float) -> bool:
    """Whether a figure meets its conventional threshold (THRESHOLDS)."""
    op, bound = THRESHOLDS[name]
    return {">=": value >= bound, ">": value > bound, "<": value < bound}[op]


def measurement_description() -> str:
    """lavaan/semopy syntax of the five correlated factors."""
    return "\n".join(f"{c.code} =~ {' + '.join(c.items)}" for c in CONSTRUCTS)


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's α from the items' sample covariance (n − 1)."""
    cov = np.cov(items, rowvar=False, ddof=1)
    k = cov.shape[0]
    return float(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))


def composite_reliability(loadings: np.ndarray) -> float:
    """CR = (Σλ)² / ((Σλ)² + Σ(1 − λ²)) from standardised loadings."""
    s = loadings.sum() ** 2
    return float(s / (s + (1 - loadings**2).sum()))


def average_variance_extracted(loadings: np.ndarray) -> float:
    """AVE = mean(λ²) from standardised loadings."""
    return float(np.mean(loadings**2))


def htmt(items: pd.DataFrame) -> pd.DataFrame:
    """Heterotrait–monotrait ratios (Henseler et al. 2015; semTools' default: absolute item correlations)."""
    corr = items.corr().abs()
    codes = [c.code for c in CONSTRUCTS]
    out = pd.DataFrame(np.nan, index=codes, columns=codes)

    def mono(c) -> float:
        block = corr.loc[list(c.items), list(c.items)].to_numpy()
        return block[np.triu_indices_from(block, 1)].mean()

    for i, ci in enumerate(CONSTRUCTS):
        for cj in CONSTRUCTS[:i]:
            hetero = corr.loc[list(ci.items), list(cj.items)].to_numpy().mean()
            out.loc[ci.code, cj.code] = out.loc[cj.code, ci.code] = hetero / np.sqrt(mono(ci) * mono(cj))
    return out


@dataclass
class Measurement:
    """Table 1 of the paper: per-construct reliability and validity, latent correlations and CFA fit."""

    fit: FitIndices
    loadings: dict[str, float]
    alpha: dict[str, float]
    cr: dict[str, float]
    ave: dict[str, float]
    latent_corr: pd.DataFrame
    htmt: pd.DataFrame

    def fornell_larcker(self) -> pd.DataFrame:
        """√AVE on the diagonal, latent correlations below it (the paper's Table 1 layout)."""
        table = self.latent_corr.copy()
        codes = list(table.index)
        for i, a in enumerate(codes):
            table.loc[a, a] = np.sqrt(self.ave[a])
            for b in codes[i + 1:]:
                table.loc[a, b] = np.nan
        return table

    def discriminant_ok(self) -> dict[str, bool]:
        """Fornell–Larcker criterion per construct: √AVE exceeds every correlation with another construct."""
        out = {}
        for a in self.latent_corr.index:
            others = self.latent_corr.loc[a].drop(a).abs()
            out[a] = bool(np.sqrt(self.ave[a]) > others.max())
        return out

    def as_dict(self) -> dict:
        return {
            "fit": self.fit.as_dict(),
            "loadings": self.loadings, "alpha": self.alpha, "cr": self.cr, "ave": self.ave,
            "latent_corr": _nested(self.latent_corr), "htmt": _nested(self.htmt),
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Measurement":
        return cls(fit=FitIndices(**{k: v for k, v in d["fit"].items() if k != "chi2_df"}),
                   loadings=d["loadings"], alpha=d["alpha"], cr=d["cr"], ave=d["ave"],
                   latent_corr=pd.DataFrame(d["latent_corr"]), htmt=pd.DataFrame(d["htmt"]))


def _nested(frame: pd.DataFrame) -> dict:
    return {r: {c: (None if pd.isna(v) else float(v)) for c, v in frame.loc[r].items()} for r in frame.index}


def fit_measurement(items: pd.DataFrame, estimator: str = "ML") -> tuple[Measurement, SemFit]:
    """Fit the five-factor CFA by ML (MLR: robust SEs and fit) and compute Table 1's figures from it."""
    sem = fit_sem(measurement_description(), items, estimator)
    loadings = {e.rhs: e.std for e in sem.estimates if e.op == "=~"}
    codes = [c.code for c in CONSTRUCTS]
    corr = pd.DataFrame(np.eye(len(codes)), index=codes, columns=codes)
    for e in sem.estimates:
        if e.op == "~~" and e.lhs in codes and e.rhs in codes and e.lhs != e.rhs:
            corr.loc[e.lhs, e.rhs] = corr.loc[e.rhs, e.lhs] = e.std
    lam = {c.code: np.array([loadings[i] for i in c.items]) for c in CONSTRUCTS}
    measurement = Measurement(
        fit=sem.fit,
        loadings=loadings,
        alpha={c.code: cronbach_alpha(items[list(c.items)].to_numpy(dtype=float)) for c in CONSTRUCTS},
        cr={k: composite_reliability(v) for k, v in lam.items()},
        ave={k: average_variance_extracted(v) for k, v in lam.items()},
        latent_corr=corr,
        htmt=htmt(items[[i for c in CONSTRUCTS for i in c.items]].astype(float)),
    )
    return measurement, sem
