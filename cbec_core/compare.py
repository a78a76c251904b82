"""Two fitted models side by side: which paths and effects moved, by how much, and whether the move is beyond noise.

A path or effect "moved notably" when the two fits' 95% intervals do not overlap (latent paths: estimate
± 1.96 delta-method SE; the indirect effect: its Monte Carlo interval; regression coefficients and the
effects built from them: their bootstrap percentile interval, or the t interval of a fit without a
bootstrap). Non-overlap is a conservative sign of a real difference — overlapping intervals do not prove
the fits agree. A fit index "moved notably" when it crosses its threshold (MODEL.md §3) between the fits.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from .model import FittedModel

Z95 = 1.959963984540054
COLUMNS: tuple[str, ...] = ("group", "key", "value_a", "value_b", "difference", "lo_a", "hi_a", "lo_b", "hi_b",
                            "overlap", "notable")
LATENT_PATHS: tuple[tuple[str, str], ...] = (
    ("a", "DC~AIGC"), ("a_io", "DC~IO"), ("b", "HQD~DC"), ("c_prime", "HQD~AIGC"), ("b_lsc", "HQD~LSC"))
REGRESSION_TERMS: tuple[tuple[str, str, str], ...] = (
    ("a1", "mediator", "A"), ("a3", "mediator", "A:W"), ("b1", "outcome", "M"), ("b3", "outcome", "M:Z"),
    ("b5", "outcome", "W:Z"), ("c_prime_reg", "outcome", "A"))
FIT_THRESHOLDS: dict[str, Callable[[float], bool]] = {
    "chi2_df": lambda v: v < 3, "cfi": lambda v: v > 0.90, "tli": lambda v: v > 0.90,
    "rmsea": lambda v: v < 0.08, "srmr": lambda v: v < 0.08,
}
"""Each fit index's acceptance rule (MODEL.md §3)."""


def _latent(model: FittedModel) -> dict[str, tuple[float, float | None, float | None]]:
    """Standardised latent paths, the indirect and the H1 total effect, each with its 95% interval."""
    s = model.structural
    out = {}
    for key, path in LATENT_PATHS:
        p = s.paths[path]
        out[key] = (p["std"], p["std"] - Z95 * p["std_se"], p["std"] + Z95 * p["std_se"])
    out["indirect"] = (s.indirect.std, s.indirect.std_mc_lo, s.indirect.std_mc_hi)
    total = s.total["HQD~AIGC"]
    out["total"] = (total["std"], total["std"] - Z95 * total["std_se"], total["std"] + Z95 * total["std_se"])
    return out


def _regression(model: FittedModel) -> dict[str, tuple[float, float | None, float | None]]:
    """Regression coefficients, θ at the moderators' means and the index of moderated moderated mediation."""
    mm = model.moderated_mediation
    boot = mm.get("coef_boot_ci") or {}
    out = {}
    for key, which, term in REGRESSION_TERMS:
        table = {row["term"]: row for row in mm[f"{which}_table"]}
        lo, hi = boot.get(which, {}).get(term) or (table[term]["lo"], table[term]["hi"])
        out[key] = (table[term]["est"], lo, hi)
    at_mean = next(r for r in mm["conditional_indirect"] if r["w"] == 0 and r["z"] == 0)
    out["theta_mean"] = (at_mean["effect"], at_mean["lo"], at_mean["hi"])
    out["index_mmm"] = (mm["index_mmm"]["effect"], mm["index_mmm"]["lo"], mm["index_mmm"]["hi"])
    return out


def _fit_figures(model: FittedModel) -> dict[str, float]:
    f = model.structural.fit
    return {"chi2_df": f.chi2_df, "cfi": f.cfi, "tli": f.tli, "rmsea": f.rmsea, "srmr": f.srmr,
            "r2_mediator": model.mediator.r2, "r2_outcome": model.outcome.r2, "n": float(model.n_used)}


def _interval_row(group: str, key: str, a: tuple, b: tuple) -> dict:
    (va, la, ha), (vb, lb, hb) = a, b
    known = None not in (la, ha, lb, hb)
    overlap = bool(la <= hb and lb <= ha) if known else None
    return {"group": group, "key": key, "value_a": va, "value_b": vb, "difference": vb - va,
            "lo_a": la, "hi_a": ha, "lo_b": lb, "hi_b": hb, "overlap": overlap, "notable": overlap is False}


def compare_fits(a: FittedModel, b: FittedModel) -> pd.DataFrame:
    """A tidy table (COLUMNS) of every path, effect and fit figure of fit `a` beside fit `b`; difference is b − a."""
    rows = []
    for group, figures in (("latent", _latent), ("regression", _regression)):
        fa, fb = figures(a), figures(b)
        rows += [_interval_row(group, key, fa[key], fb[key]) for key in fa]
    ga, gb = _fit_figures(a), _fit_figures(b)
    for key in ga:
        rule = FIT_THRESHOLDS.get(key)
        crossed = rule is not None and bool(rule(ga[key])) != bool(rule(gb[key]))
        rows.append({"group": "fit", "key": key, "value_a": ga[key], "value_b": gb[key], "difference": gb[key] - ga[key],
                     "lo_a": None, "hi_a": None, "lo_b": None, "hi_b": None, "overlap": None, "notable": crossed})
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["overlap"] = frame["overlap"].astype("boolean")
    frame["notable"] = frame["notable"].astype(bool)
    return frame


@dataclass(frozen=True)
class Reading:
    """The one-line reading of a comparison: what moved notably, and the largest move among paths and effects."""

    moved: tuple[str, ...]
    largest: str
    largest_difference: float
    compared: int


def reading(comparison: pd.DataFrame) -> Reading:
    """Summarise a `compare_fits` table for its caption."""
    effects = comparison[comparison["group"] != "fit"]
    biggest = effects.loc[effects["difference"].abs().idxmax()] if len(effects) else None
    return Reading(moved=tuple(comparison.loc[comparison["notable"], "key"]),
                   largest="" if biggest is None else str(biggest["key"]),
                   largest_difference=float("nan") if biggest is None else float(biggest["difference"]),
                   compared=len(comparison))

