"""Moderated mediation on construct scores (MODEL.md §5, H3–H5; PROCESS Model 21).

    mediator:  M = iM + a1·A + a2·W + a3·A·W              (+ controls)
    outcome:   Y = iY + c'·A + b1·M + b2·Z + b3·M·Z + b4·W + b5·W·Z   (+ controls)

A, M, W, Z are centred on the fitting sample; Y is not. Every function of the coefficients is
computed by one vectorised formula, used both for the point estimate and for the bootstrap draws.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special  # t and F tails; scipy.stats takes a second to import

from .bootstrap import bootstrap_ols, percentile_ci

MEDIATOR_TERMS: tuple[str, ...] = ("(Intercept)", "A", "W", "A:W")
OUTCOME_TERMS: tuple[str, ...] = ("(Intercept)", "A", "M", "Z", "M:Z", "W", "W:Z")
CONTROL_TERMS: tuple[str, ...] = ("firm_size", "firm_age", "region_central", "region_west", "business_model_B2C", "pilot_zone")
ROLES = {"A": "AIGC", "M": "DC", "W": "IO", "Z": "LSC", "Y": "HQD"}
MEDIATOR_STEPS: tuple[tuple[str, ...], ...] = ((), ("A", "W"), ("A:W",))
OUTCOME_STEPS: tuple[tuple[str, ...], ...] = ((), ("A", "M", "W", "Z"), ("M:Z",), ("W:Z",))
GRID_LABELS = ("-1 SD", "mean", "+1 SD")
PCT_LABELS = ("16th", "50th", "84th")
MIN_SUBGROUP = 30


def control_matrix(data: pd.DataFrame, terms: tuple[str, ...] = CONTROL_TERMS) -> np.ndarray:
    """Controls as numbers: raw size, age and pilot flag; dummies for central/west (east is the reference) and B2C."""
    columns = {
        "firm_size": data["firm_size"].to_numpy(dtype=float),
        "firm_age": data["firm_age"].to_numpy(dtype=float),
        "region_central": (data["region"] == "central").to_numpy(dtype=float),
        "region_west": (data["region"] == "west").to_numpy(dtype=float),
        "business_model_B2C": (data["business_model"] == "B2C").to_numpy(dtype=float),
        "pilot_zone": data["pilot_zone"].to_numpy(dtype=float),
    }
    return np.column_stack([columns[t] for t in terms])


def term_columns(c: dict[str, np.ndarray], terms: tuple[str, ...]) -> np.ndarray:
    """Design columns for named terms from centred A, M, W, Z (an intercept is a column of ones)."""
    n = len(c["A"])
    build = {
        "(Intercept)": lambda: np.ones(n), "A": lambda: c["A"], "M": lambda: c["M"], "W": lambda: c["W"],
        "Z": lambda: c["Z"], "A:W": lambda: c["A"] * c["W"], "M:Z": lambda: c["M"] * c["Z"], "W:Z": lambda: c["W"] * c["Z"],
    }
    return np.column_stack([build[t]() for t in terms])


@dataclass
class OLSFit:
    """A reported OLS fit: coefficients by term, their covariance, residual variance and df."""

    terms: tuple[str, ...]
    coef: np.ndarray
    cov: np.ndarray
    sigma2: float
    df_resid: int
    r2: float
    std: np.ndarray  # SPSS-style standardised β: b · sd(x) / sd(y)

    def __getitem__(self, term: str) -> float:
        return float(self.coef[self.terms.index(term)])

    def table(self) -> list[dict]:
        se = np.sqrt(np.diag(self.cov))
        t = self.coef / se
        p = 2 * special.stdtr(self.df_resid, -np.abs(t))
        crit = special.stdtrit(self.df_resid, 0.975)
        return [{"term": term, "est": float(b), "se": float(s), "t": float(tt), "p": float(pp),
                 "lo": float(b - crit * s), "hi": float(b + crit * s), "std": float(beta)}
                for term, b, s, tt, pp, beta in zip(self.terms, self.coef, se, t, p, self.std)]

    def as_dict(self) -> dict:
        return {"terms": list(self.terms), "coef": self.coef.tolist(), "cov": self.cov.tolist(),
                "sigma2": self.sigma2, "df_resid": self.df_resid, "r2": self.r2, "std": self.std.tolist()}

    @classmethod
    def from_dict(cls, d: dict) -> "OLSFit":
        return cls(terms=tuple(d["terms"]), coef=np.array(d["coef"]), cov=np.array(d["cov"]),
                   sigma2=d["sigma2"], df_resid=d["df_resid"], r2=d["r2"], std=np.array(d["std"]))


def ols(x: np.ndarray, y: np.ndarray, terms: tuple[str, ...]) -> OLSFit:
    """OLS with statsmodels (the reported fit)."""
    import statsmodels.api as sm  # here: a second and more to import, and only fitting needs it

    res = sm.OLS(y, x).fit()
    sd_x = x.std(axis=0, ddof=1)
    return OLSFit(terms=terms, coef=np.asarray(res.params), cov=np.asarray(res.cov_params()),
                  sigma2=float(res.mse_resid), df_resid=int(round(res.df_resid)),
                  r2=float(res.rsquared) if x.shape[1] > 1 else 0.0, std=np.asarray(res.params) * sd_x / y.std(ddof=1))


def hierarchical_steps(c: dict[str, np.ndarray], y: np.ndarray, steps: tuple[tuple[str, ...], ...],
                       controls: np.ndarray | None, control_terms: tuple[str, ...]) -> list[dict]:
    """R², ΔR², F-change and its p for each step; step 1 is the controls (or the intercept alone)."""
    out = []
    terms: tuple[str, ...] = ("(Intercept)",)
    prev_r2, prev_k = 0.0, 1
    for i, added in enumerate(steps):
        terms = terms + added
        x = term_columns(c, terms)
        if controls is not None:
            x = np.column_stack([x, controls])
        k = x.shape[1]
        r2 = ols(x, y, terms + control_terms if controls is not None else terms).r2 if k > 1 else 0.0
        df1, df2 = k - prev_k, len(y) - k
        if df1 > 0:
            f = ((r2 - prev_r2) / df1) / ((1 - r2) / df2)
            p = float(special.fdtrc(df1, df2, f))
        else:
            f, p = float("nan"), float("nan")
        label = ("controls" if controls is not None else "intercept only") if i == 0 else "+ " + ", ".join(added)
        out.append({"step": i + 1, "label": label, "terms": list(added) if i else list(control_terms if controls is not None else ()),
                    "r2": r2, "delta_r2": r2 - prev_r2, "f_change": f, "df1": df1, "df2": df2, "p": p})
        prev_r2, prev_k = r2, k
    return out


def theta(a1, a3, b1, b3, w, z):
    """Conditional indirect effect θ(w, z) = (a1 + a3·w)(b1 + b3·z); broadcasts over draws and grids."""
    return (a1 + a3 * w) * (b1 + b3 * z)


def slope_test(b0: float, b1: float, var0: float, cov01: float, var1: float, at: float, df: int) -> dict:
    """Simple slope b0 + b1·at with its SE, t and p (t with the model's residual df)."""
    slope = b0 + b1 * at
    se = float(np.sqrt(var0 + 2 * at * cov01 + at * at * var1))
    t = slope / se
    return {"at": float(at), "slope": float(slope), "se": se, "t": float(t), "p": float(2 * special.stdtr(df, -abs(t)))}


def johnson_neyman(b0: float, b1: float, var0: float, cov01: float, var1: float, df: int,
                   observed: tuple[float, float]) -> dict:
    """Moderator values where the slope's 95% CI just touches zero, and whether they lie in the data's range.

    Solves (b0 + b1·m)² = t²·(var0 + 2m·cov01 + m²·var1) for m.
    """
    t2 = special.stdtrit(df, 0.975) ** 2
    qa, qb, qc = b1 * b1 - t2 * var1, 2 * (b0 * b1 - t2 * cov01), b0 * b0 - t2 * var0
    disc = qb * qb - 4 * qa * qc
    if abs(qa) < 1e-15 or disc < 0:
        roots: list[float] = []
    else:
        r = np.sqrt(disc)
        roots = sorted([(-qb - r) / (2 * qa), (-qb + r) / (2 * qa)])
    lo, hi = observed
    return {"boundaries": [float(r) for r in roots],
            "in_range": [bool(lo <= r <= hi) for r in roots],
            "significant_between": bool(qa < 0),  # qa<0: significant between the roots, else outside them
            "range": [float(lo), float(hi)]}


@dataclass
class ModerationData:
    """Centred scores of one fitting sample with the design matrices of both models."""

    centred: dict[str, np.ndarray]
    y: np.ndarray
    means: dict[str, float]
    sds: dict[str, float]
    controls: np.ndarray | None
    control_terms: tuple[str, ...]

    def bootstrap_columns(self) -> tuple[np.ndarray, list[tuple[list[int], int]]]:
        """One matrix of every column both models use, and each model's (predictors, response) indices."""
        names = ("(Intercept)", "A", "W", "A:W", "M", "Z", "M:Z", "W:Z")
        block = [term_columns(self.centred, names), self.y[:, None]]
        if self.controls is not None:
            block.append(self.controls)
        data = np.column_stack(block)
        ctrl = list(range(len(names) + 1, data.shape[1]))
        at = {t: i for i, t in enumerate(names)}
        mediator = ([at[t] for t in MEDIATOR_TERMS] + ctrl, at["M"])
        outcome = ([at[t] for t in OUTCOME_TERMS] + ctrl, len(names))
        return data, [mediator, outcome]

    def mediator_x(self) -> np.ndarray:
        x = term_columns(self.centred, MEDIATOR_TERMS)
        return x if self.controls is None else np.column_stack([x, self.controls])

    def outcome_x(self) -> np.ndarray:
        x = term_columns(self.centred, OUTCOME_TERMS)
        return x if self.controls is None else np.column_stack([x, self.controls])


def prepare(scores: pd.DataFrame, data: pd.DataFrame | None, control_terms: tuple[str, ...]) -> ModerationData:
    """Centre A, M, W, Z on this sample and build the controls block."""
    raw = {role: scores[code].to_numpy(dtype=float) for role, code in ROLES.items()}
    means = {r: float(v.mean()) for r, v in raw.items()}
    sds = {r: float(v.std(ddof=1)) for r, v in raw.items()}
    centred = {r: raw[r] - means[r] for r in ("A", "M", "W", "Z")}
    controls = control_matrix(data, control_terms) if control_terms else None
    return ModerationData(centred=centred, y=raw["Y"], means=means, sds=sds, controls=controls, control_terms=control_terms)


def _grid(md: ModerationData) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    sd = (np.array([-md.sds["W"], 0.0, md.sds["W"]]), np.array([-md.sds["Z"], 0.0, md.sds["Z"]]))
    pct = tuple(np.percentile(md.centred[r], [16, 50, 84], method="weibull") for r in ("W", "Z"))
    return {"sd": sd, "percentile": pct}


def _coef_draws(draws: np.ndarray, terms: tuple[str, ...], *names: str) -> list[np.ndarray]:
    return [draws[:, terms.index(n)] for n in names]


@dataclass
class ModerationResult:
    """The reported regressions plus every derived figure, and the bootstrap draws of a1, a3, b1, b3, c'."""

    mediator: OLSFit
    outcome: OLSFit
    summary: dict
    draws: np.ndarray  # (B, 5): a1, a3, b1, b3, c'


def fit_moderation(md: ModerationData, resamples: int, seed: int,
                   progress: Callable[[int, int], None] | None = None) -> ModerationResult:
    """Fit both regressions, bootstrap them together, and derive θ, indices, slopes and J–N regions."""
    mterms = MEDIATOR_TERMS + md.control_terms
    oterms = OUTCOME_TERMS + md.control_terms
    xm, xo = md.mediator_x(), md.outcome_x()
    med, out = ols(xm, md.centred["M"], mterms), ols(xo, md.y, oterms)
    a1, a2, a3 = med["A"], med["W"], med["A:W"]
    b1, b3, c_ = out["M"], out["M:Z"], out["A"]

    started = time.perf_counter()
    if resamples > 0:
        data, models = md.bootstrap_columns()
        mdraw, odraw = bootstrap_ols(data, models, resamples, seed, progress)
        draws = np.column_stack(_coef_draws(mdraw, mterms, "A", "A:W") + _coef_draws(odraw, oterms, "M", "M:Z", "A"))
    else:
        mdraw = odraw = None
        draws = np.empty((0, 5))
    boot_seconds = time.perf_counter() - started
    da1, da3, db1, db3 = (draws[:, i] for i in range(4))

    def with_ci(value: float, boot: np.ndarray) -> dict:
        if len(boot) == 0:
            return {"effect": float(value), "lo": None, "hi": None}
        lo, hi = percentile_ci(boot)
        return {"effect": float(value), "lo": float(lo), "hi": float(hi)}

    grids = _grid(md)
    conditional = {}
    for name, (ws, zs) in grids.items():
        labels = GRID_LABELS if name == "sd" else PCT_LABELS
        conditional[name] = [
            {"w": float(w), "z": float(z), "w_label": wl, "z_label": zl,
             **with_ci(theta(a1, a3, b1, b3, w, z), theta(da1, da3, db1, db3, w, z))}
            for w, wl in zip(ws, labels) for z, zl in zip(zs, labels)
        ]
    indices = {}
    for name, (ws, zs) in grids.items():
        labels = GRID_LABELS if name == "sd" else PCT_LABELS
        indices[name] = {
            "by_W_at_z": [{"z": float(z), "z_label": zl, **with_ci(a3 * (b1 + b3 * z), da3 * (db1 + db3 * z))} for z, zl in zip(zs, labels)],
            "by_Z_at_w": [{"w": float(w), "w_label": wl, **with_ci((a1 + a3 * w) * b3, (da1 + da3 * w) * db3)} for w, wl in zip(ws, labels)],
        }

    ia, ia3 = mterms.index("A"), mterms.index("A:W")
    ib, ib3 = oterms.index("M"), oterms.index("M:Z")
    vm, vo = med.cov, out.cov
    sd_w, sd_z = grids["sd"]
    slopes = {
        "a": [{**slope_test(a1, a3, vm[ia, ia], vm[ia, ia3], vm[ia3, ia3], w, med.df_resid), "label": lab,
               **_ci_pair(with_ci(0, da1 + da3 * w))} for w, lab in zip(sd_w, GRID_LABELS)],
        "b": [{**slope_test(b1, b3, vo[ib, ib], vo[ib, ib3], vo[ib3, ib3], z, out.df_resid), "label": lab,
               **_ci_pair(with_ci(0, db1 + db3 * z))} for z, lab in zip(sd_z, GRID_LABELS)],
    }
    jn = {
        "a": johnson_neyman(a1, a3, vm[ia, ia], vm[ia, ia3], vm[ia3, ia3], med.df_resid,
                            (float(md.centred["W"].min()), float(md.centred["W"].max()))),
        "b": johnson_neyman(b1, b3, vo[ib, ib], vo[ib, ib3], vo[ib3, ib3], out.df_resid,
                            (float(md.centred["Z"].min()), float(md.centred["Z"].max()))),
    }
    coef_ci = {}
    if mdraw is not None:
        for label, fit, d in (("mediator", med, mdraw), ("outcome", out, odraw)):
            lo, hi = percentile_ci(d)
            coef_ci[label] = {t: [float(l), float(h)] for t, l, h in zip(fit.terms, lo, hi)}

    summary = {
        "mediator": {t: float(v) for t, v in zip(med.terms, med.coef)},
        "outcome": {t: float(v) for t, v in zip(out.terms, out.coef)},
        "mediator_table": med.table(),
        "outcome_table": out.table(),
        "coef_boot_ci": coef_ci,
        "r2": {"mediator": med.r2, "outcome": out.r2},
        "steps": {
            "mediator": hierarchical_steps(md.centred, md.centred["M"], MEDIATOR_STEPS, md.controls, md.control_terms),
            "outcome": hierarchical_steps(md.centred, md.y, OUTCOME_STEPS, md.controls, md.control_terms),
        },
        "means": md.means, "sds": md.sds,
        "conditional_indirect": [{k: r[k] for k in ("w", "z", "effect", "lo", "hi")} for r in conditional["sd"]],
        "conditional_indirect_grid": conditional,
        "index_mmm": with_ci(a3 * b3, da3 * db3),
        "indices_cmm": indices,
        "direct_effect": with_ci(c_, draws[:, 4]),
        "simple_slopes": slopes,
        "johnson_neyman": jn,
        "a2": a2,
        "bootstrap": {"resamples": int(resamples), "seed": int(seed), "seconds": boot_seconds,
                      "failed": int(np.isnan(draws).any(axis=1).sum()), "centring": "once, on the full fitting sample"},
    }
    return ModerationResult(mediator=med, outcome=out, summary=summary, draws=draws)


def _ci_pair(d: dict) -> dict:
    return {"boot_lo": d["lo"], "boot_hi": d["hi"]}


def subgroup_comparison(scores: pd.DataFrame, data: pd.DataFrame, control_terms: tuple[str, ...],
                        resamples: int, seed: int) -> dict:
    """The model fitted separately for pilot-zone firms and the others, and the difference of their θ(0, 0).

    Each group is centred on its own means; the bootstrap resamples within each group (stratified).
    """
    if "pilot_zone" not in data.columns or data["pilot_zone"].isna().any():
        return {"available": False, "reason": "no pilot_zone column (or blanks in it)"}
    terms = tuple(t for t in control_terms if t != "pilot_zone")
    groups = {}
    theta_draws = {}
    for label, flag, offset in (("pilot", 1, 1), ("non_pilot", 0, 2)):
        mask = (data["pilot_zone"] == flag).to_numpy()
        n = int(mask.sum())
        if n < MIN_SUBGROUP:
            return {"available": False, "reason": f"the {label.replace('_', '-')} group has {n} firms; at least {MIN_SUBGROUP} are needed"}
        md = prepare(scores.loc[mask], data.loc[mask], terms)
        res = fit_moderation(md, resamples, seed + offset)
        a1, a3, b1, b3 = res.mediator["A"], res.mediator["A:W"], res.outcome["M"], res.outcome["M:Z"]
        draws = theta(res.draws[:, 0], res.draws[:, 1], res.draws[:, 2], res.draws[:, 3], 0.0, 0.0)
        theta_draws[label] = draws
        lo, hi = percentile_ci(draws) if len(draws) else (None, None)
        groups[label] = {"n": n, "a1": a1, "a3": a3, "b1": b1, "b3": b3, "theta00": a1 * b1,
                         "lo": _f(lo), "hi": _f(hi), "r2_mediator": res.mediator.r2, "r2_outcome": res.outcome.r2}
    diff = groups["pilot"]["theta00"] - groups["non_pilot"]["theta00"]
    if resamples:
        lo, hi = percentile_ci(theta_draws["pilot"] - theta_draws["non_pilot"])
    else:
        lo = hi = None
    return {"available": True, **groups, "difference": {"effect": diff, "lo": _f(lo), "hi": _f(hi)}}


def _f(x) -> float | None:
    return None if x is None else float(x)
