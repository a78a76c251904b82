"""A fitted model as the tables a researcher reads in lavaan or PROCESS output, and their publication-style rendering.

Every table is a tidy DataFrame of numbers taken from a `FittedModel` (nothing is recomputed that the
fit already holds), with each reliability, validity and fit figure beside its conventional threshold
and a pass/fail mark. Thresholds (MODEL.md §3; `measurement.THRESHOLDS`) and their sources:
- standardised loading ≥ .70, composite reliability ≥ .70: Hair, Hult, Ringle & Sarstedt (2017),
  *A Primer on PLS-SEM*, 2nd ed., ch. 4; Fornell & Larcker (1981), JMR 18(1);
- Cronbach's α ≥ .70: Nunnally (1978), *Psychometric Theory*, 2nd ed.;
- AVE ≥ .50 and √AVE above every latent correlation: Fornell & Larcker (1981), JMR 18(1), 39–50;
- HTMT < .85: Henseler, Ringle & Sarstedt (2015), JAMS 43(1), 115–135 (Kline's conservative cut-off);
- χ²/df < 3: Kline (2016), *Principles and Practice of SEM*, 4th ed. (after Carmines & McIver 1981);
- CFI, TLI > .90 (acceptable; ≥ .95 good), RMSEA < .08, SRMR < .08: Hu & Bentler (1999), SEM 6(1), 1–55;
  Browne & Cudeck (1993) for RMSEA.
Every word a table prints in a cell (a model's name, a moderator level, a region of significance…) comes
from `WORDS`, English by default; a caller passes the same keys in another language (the dashboard passes
its 简体中文 labels), so this module stays language-neutral and the numbers never change with the language.
The publication style follows APA 7 (§6.36, §7.14): two or three decimals, no leading zero for
figures that cannot exceed 1 (correlations, α, loadings, β, R², p), exact p to three decimals
(p < .001 below that), significance stars explained in a note under the table.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .instrument import CONSTRUCT_CODES, CONSTRUCTS
from .invariance import LEVELS, invariance_level
from .measurement import THRESHOLDS, passes
from .model import FittedModel
from .moderation import GRID_LABELS, PCT_LABELS, theta

LOADING_THRESHOLD = (">=", 0.70)
GOOD_FIT = {"cfi": (">=", 0.95), "tli": (">=", 0.95), "rmsea": ("<=", 0.06), "srmr": ("<=", 0.08)}  # Hu & Bentler (1999)
FIT_INDICES = (("chi2", "χ²"), ("df", "df"), ("p", "p"), ("chi2_df", "χ²/df"), ("cfi", "CFI"), ("tli", "TLI"),
               ("rmsea", "RMSEA"), ("srmr", "SRMR"))
TERM_LABELS = {"A": "AIGC", "M": "DC", "W": "IO", "Z": "LSC",
               "A:W": "AIGC × IO", "M:Z": "DC × LSC", "W:Z": "IO × LSC"}
HYPOTHESES = {"DC~AIGC": "H2 (a)", "HQD~DC": "H2 (b)", "HQD~AIGC": "H2 (c′)", "DC~IO": "", "HQD~LSC": ""}
FIT_FORMATS = {"χ²": "f2", "df": "int", "p": "p", "χ²/df": "f2", "CFI": "r", "TLI": "r", "RMSEA": "r", "SRMR": "r"}
NOTATION = {"alpha": "α", "cr": "CR", "ave": "AVE", "htmt": "HTMT", "b": "b", "se": "SE", "beta": "β", "beta_se": "SE(β)",
            "p": "p", "t": "t", "r2": "R²", "delta_r2": "ΔR²", "df1": "df1", "df2": "df2", "theta": "θ", "n": "n",
            "a1": "a1", "a3": "a3", "b1": "b1", "b3": "b3", "theta00": "θ(0, 0)"}
"""Column headers that are statistical notation, printed alike in every language (APA italics aside)."""
SYMBOLS = {">=": "≥", ">": ">", "<": "<", "<=": "≤"}
Z95 = float(stats.norm.ppf(0.975))
WORDS: dict[str, str] = {
    "total_effect": "total effect", "mediation": "mediation", "wald": "Wald",
    "monte_carlo": "Monte Carlo (20,000 draws)",
    "mediator_model": "mediator (DC)", "outcome_model": "outcome (HQD)",
    "intercept_only": "intercept only", "controls": "controls", "intercept": "Intercept",
    "term_firm_size": "firm_size", "term_firm_age": "firm_age", "term_region_central": "region_central",
    "term_region_west": "region_west", "term_business_model_B2C": "business_model_B2C", "term_pilot_zone": "pilot_zone",
    "level_sd_low": "-1 SD", "level_mean": "mean", "level_sd_high": "+1 SD",
    "level_p16": "16th", "level_p50": "50th", "level_p84": "84th",
    "region": "{moderator} {lo:.2f} to {hi:.2f}", "nowhere": "nowhere in the data",
    "index_mmm": "moderated moderated mediation (a3·b3)", "index_cmm_io": "conditional moderated mediation by IO",
    "index_cmm_lsc": "conditional moderated mediation by LSC",
    "pilot": "pilot zone", "non_pilot": "non-pilot", "difference": "difference (pilot − non-pilot)",
    "invariance_scalar": "scalar (loadings and intercepts equal)", "invariance_metric": "metric (loadings equal)",
    "invariance_configural": "configural only: compare θ with caution",
    "invariance_none": "not even configural: compare θ with caution", "invariance_untested": "not tested: compare θ with caution",
    "table": "Table {number}", "note": "Note.",
    "indirect": "indirect (a × b)", "direct": "direct (c′)", "total": "total (a × b + c′)", "share_mediated": "share mediated",
    "ci_excludes_0": "95% CI excludes 0", "vaf_rule": "> .80 full, .20–.80 partial (VAF)",
    "full_mediation": "full mediation", "partial_mediation": "partial mediation", "no_mediation": "no mediation",
    "f2_rule": ".02 small, .15 medium, .35 large", "f2_none": "negligible", "f2_small": "small", "f2_medium": "medium",
    "f2_large": "large", "configural": "configural",
    "invariance_rule": "Δχ² p ≥ .05, and not ΔCFI ≤ −.010 with ΔRMSEA ≥ .015",
}
"""Every word the tables print in a cell or around a publication table, by key; `{placeholders}` are filled here."""
LEVEL_KEYS = dict(zip(GRID_LABELS + PCT_LABELS, ("sd_low", "mean", "sd_high", "p16", "p50", "p84")))


@dataclass(frozen=True)
class LabTable:
    """One table of the fit: tidy numbers, how each column is printed, and which column carries the stars."""

    key: str
    frame: pd.DataFrame
    formats: dict[str, str]  # column -> b (3 dp), r (3 dp, no leading zero), f2 (2 dp), p, int, bool, text
    stars: dict[str, str] = field(default_factory=dict)  # estimate column -> its p column


def threshold_text(op: str, bound: float) -> str:
    """'≥ .70', '< .85', '< 3' — the APA way: no leading zero for a bound below 1."""
    return f"{SYMBOLS[op]} {_r(bound, 2) if abs(bound) < 1 else f'{bound:g}'}"


def _meets(op: str, bound: float, value) -> bool | None:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    return {">=": value >= bound, ">": value > bound, "<": value < bound, "<=": value <= bound}[op]


def level_name(label: str, words: dict[str, str] = WORDS) -> str:
    """A moderator level ('-1 SD', 'mean', '16th'…) in the caller's words."""
    return words[f"level_{LEVEL_KEYS[label]}"]


def _term(term: str, words: dict[str, str]) -> str:
    """A regression term: construct notation (AIGC × IO), the intercept, or a control in the caller's words."""
    if term == "(Intercept)":
        return words["intercept"]
    return TERM_LABELS.get(term) or words.get(f"term_{term}", term)


# ---- measurement model ------------------------------------------------------------------------------

def loadings_table(model: FittedModel) -> LabTable:
    """Standardised CFA loadings, each beside the ≥ .70 threshold."""
    op, bound = LOADING_THRESHOLD
    rows = [{"construct": c.code, "item": item, "loading": model.measurement.loadings[item],
             "threshold": threshold_text(op, bound), "pass": _meets(op, bound, model.measurement.loadings[item])}
            for c in CONSTRUCTS for item in c.items]
    return LabTable("loadings", pd.DataFrame(rows), {"construct": "text", "item": "text", "loading": "r",
                                                     "threshold": "text", "pass": "bool"})


def reliability_table(model: FittedModel) -> LabTable:
    """Cronbach's α, CR and AVE per construct, each followed by its threshold and pass/fail."""
    m = model.measurement
    rows = []
    for code in CONSTRUCT_CODES:
        row = {"construct": code}
        for name, values in (("alpha", m.alpha), ("cr", m.cr), ("ave", m.ave)):
            row[name] = values[code]
            row[f"{name}_threshold"] = threshold_text(*THRESHOLDS[name])
            row[f"{name}_pass"] = passes(name, values[code])
        rows.append(row)
    formats = {"construct": "text"} | {c: k for n in ("alpha", "cr", "ave")
                                       for c, k in ((n, "r"), (f"{n}_threshold", "text"), (f"{n}_pass", "bool"))}
    return LabTable("reliability", pd.DataFrame(rows), formats)


def fornell_larcker_table(model: FittedModel) -> LabTable:
    """√AVE on the diagonal, latent correlations below, and whether √AVE exceeds every correlation of the construct."""
    table = model.measurement.fornell_larcker().loc[list(CONSTRUCT_CODES), list(CONSTRUCT_CODES)]
    ok = model.measurement.discriminant_ok()
    frame = table.reset_index(names="construct")
    frame["criterion"] = "√AVE > |r|"
    frame["pass"] = [ok[c] for c in frame["construct"]]
    return LabTable("fornell_larcker", frame, {"construct": "text", **{c: "r" for c in CONSTRUCT_CODES},
                                               "criterion": "text", "pass": "bool"})


def htmt_table(model: FittedModel) -> LabTable:
    """Every pair's heterotrait–monotrait ratio beside the < .85 threshold."""
    h = model.measurement.htmt
    op, bound = THRESHOLDS["htmt"]
    rows = [{"construct_1": a, "construct_2": b, "htmt": float(h.loc[a, b]), "threshold": threshold_text(op, bound),
             "pass": passes("htmt", float(h.loc[a, b]))}
            for i, a in enumerate(CONSTRUCT_CODES) for b in CONSTRUCT_CODES[:i]]
    return LabTable("htmt", pd.DataFrame(rows), {"construct_1": "text", "construct_2": "text", "htmt": "b",
                                                 "threshold": "text", "pass": "bool"})


def fit_table(fit: dict, key: str) -> LabTable:
    """χ², df, p, χ²/df, CFI, TLI, RMSEA, SRMR with the acceptable threshold (pass/fail) and Hu & Bentler's 'good' cut-off."""
    rows = []
    for name, label in FIT_INDICES:
        value = fit[name]
        limit = THRESHOLDS.get(name)
        good = GOOD_FIT.get(name)
        rows.append({"index": label, "value": value,
                     "threshold": threshold_text(*limit) if limit else "",
                     "pass": passes(name, value) if limit and value is not None else None,
                     "good": threshold_text(*good) if good else "",
                     "good_pass": _meets(*good, value) if good else None})
    frame = pd.DataFrame(rows).astype({"pass": "boolean", "good_pass": "boolean"})
    return LabTable(key, frame, {"index": "text", "value": "fit", "threshold": "text", "pass": "bool",
                                 "good": "text", "good_pass": "bool"})


# ---- structural model -------------------------------------------------------------------------------

def sem_paths_table(model: FittedModel, words: dict[str, str] = WORDS) -> LabTable:
    """H1's total effect, the mediation model's paths and the indirect effect: b, SE, β with its SE, p and 95% CI."""
    s = model.structural
    rows = []

    def add(hypothesis: str, path: str, p: dict, model_name: str) -> None:
        rows.append({"hypothesis": hypothesis, "path": path.replace("~", " ← "), "model": model_name,
                     "b": p["est"], "se": p["se"], "beta": p["std"], "beta_se": p["std_se"], "p": p["std_p"],
                     "ci_lo": p["std"] - Z95 * p["std_se"], "ci_hi": p["std"] + Z95 * p["std_se"], "ci": words["wald"]})

    add("H1", "HQD~AIGC", s.total["HQD~AIGC"], words["total_effect"])
    for key, p in s.paths.items():
        add(HYPOTHESES.get(key, ""), key, p, words["mediation"])
    ind = s.indirect
    rows.append({"hypothesis": "H2 (a × b)", "path": "AIGC → DC → HQD", "model": words["mediation"], "b": ind.est,
                 "se": np.nan, "beta": ind.std, "beta_se": np.nan, "p": np.nan, "ci_lo": ind.std_mc_lo,
                 "ci_hi": ind.std_mc_hi, "ci": words["monte_carlo"]})
    return LabTable("sem_paths", pd.DataFrame(rows),
                    {"hypothesis": "text", "path": "text", "model": "text", "b": "b", "se": "b", "beta": "r",
                     "beta_se": "r", "p": "p", "ci_lo": "r", "ci_hi": "r", "ci": "text"}, stars={"beta": "p"})


# ---- robustness: PLS-SEM beside CB-SEM, measurement invariance, ML beside MLR -----------------------
# f² after Cohen (1988); share mediated (VAF) after Hair, Hult, Ringle & Sarstedt (2017), ch. 7;
# invariance steps after Chen (2007), SEM 14(3), 464–504, with the Δχ² likelihood-ratio test.
F2_SIZES = ((0.35, "f2_large"), (0.15, "f2_medium"), (0.02, "f2_small"))
VAF_FULL, VAF_PARTIAL = 0.80, 0.20
MODEL_WORDS = {"configural": "configural", "metric": "invariance_metric", "scalar": "invariance_scalar"}
"""The word naming each multi-group CFA (the metric and scalar ones as the subgroup table's verdict words)."""
ROBUST_INDICES = (("chi2", "chi2_scaled", "χ²"), ("cfi", "cfi_robust", "CFI"), ("tli", "tli_robust", "TLI"),
                  ("rmsea", "rmsea_robust", "RMSEA"))


def f2_size(f2: float, words: dict[str, str] = WORDS) -> str:
    """Cohen's (1988) name for an f² effect size."""
    return next((words[key] for bound, key in F2_SIZES if f2 >= bound), words["f2_none"])


def mediation_type(share: float, indirect_significant: bool | None, words: dict[str, str] = WORDS) -> str:
    """Hair et al.'s (2017) reading of the share mediated (VAF): none unless the indirect effect's CI excludes 0."""
    if indirect_significant is False:
        return words["no_mediation"]
    key = "full_mediation" if share > VAF_FULL else "partial_mediation" if share >= VAF_PARTIAL else "no_mediation"
    return words[key]


def pls_paths_table(model: FittedModel, words: dict[str, str] = WORDS) -> LabTable | None:
    """Each structural path: the CB-SEM β and p beside the PLS β with its bootstrap CI, f² and whether the two agree."""
    if model.pls is None:
        return None
    rows = []
    for key, cb in model.structural.paths.items():
        pls = model.pls.paths[key]
        significant = _excludes_zero(pls["lo"], pls["hi"])
        f2 = model.pls.f2[key]
        rows.append({"hypothesis": HYPOTHESES.get(key, ""), "path": key.replace("~", " ← "), "cb_beta": cb["std"],
                     "cb_p": cb["std_p"], "pls_beta": pls["est"], "boot_lo": _nan(pls["lo"]), "boot_hi": _nan(pls["hi"]),
                     "threshold": words["ci_excludes_0"], "significant": significant,
                     "agree": None if significant is None or cb["std_p"] is None
                     else bool(np.sign(cb["std"]) == np.sign(pls["est"]) and (cb["std_p"] < 0.05) == significant),
                     "f2": f2, "f2_rule": words["f2_rule"], "f2_size": f2_size(f2, words)})
    frame = pd.DataFrame(rows).astype({"significant": "boolean", "agree": "boolean"})
    return LabTable("pls_paths", frame, {"hypothesis": "text", "path": "text", "cb_beta": "r", "cb_p": "p", "pls_beta": "r",
                                         "boot_lo": "r", "boot_hi": "r", "threshold": "text", "significant": "bool",
                                         "agree": "bool", "f2": "b", "f2_rule": "text", "f2_size": "text"},
                    stars={"cb_beta": "cb_p"})


def pls_mediation_table(model: FittedModel, words: dict[str, str] = WORDS) -> LabTable | None:
    """Indirect, direct and total effect and the share mediated: CB-SEM beside PLS with bootstrap CIs and a reading."""
    if model.pls is None:
        return None
    s, pls = model.structural, model.pls
    direct = pls.paths["HQD~AIGC"]
    indirect_significant = _excludes_zero(pls.indirect["lo"], pls.indirect["hi"])
    effects = (("indirect", s.indirect.std, pls.indirect), ("direct", s.paths["HQD~AIGC"]["std"], direct),
               ("total", s.indirect.std + s.paths["HQD~AIGC"]["std"], pls.total))
    rows = [{"effect": words[name], "cb_sem": cb, "pls": d["est"], "boot_lo": _nan(d["lo"]), "boot_hi": _nan(d["hi"]),
             "threshold": words["ci_excludes_0"], "significant": _excludes_zero(d["lo"], d["hi"]), "reading": ""}
            for name, cb, d in effects]
    ci = pls.share_mediated_ci
    rows.append({"effect": words["share_mediated"], "cb_sem": s.share_mediated, "pls": pls.share_mediated,
                 "boot_lo": _nan(ci["lo"]), "boot_hi": _nan(ci["hi"]), "threshold": words["vaf_rule"], "significant": None,
                 "reading": mediation_type(pls.share_mediated, indirect_significant, words)})
    frame = pd.DataFrame(rows).astype({"significant": "boolean"})
    return LabTable("pls_mediation", frame, {"effect": "text", "cb_sem": "r", "pls": "r", "boot_lo": "r", "boot_hi": "r",
                                             "threshold": "text", "significant": "bool", "reading": "text"})


def pls_reliability_table(model: FittedModel) -> LabTable | None:
    """Per construct: PLS ρc and AVE beside the CFA's CR and AVE, each with its threshold, and PLS R²."""
    if model.pls is None:
        return None
    m, pls = model.measurement, model.pls
    rows = [{"construct": c, "rhoc": pls.rhoc[c], "cb_cr": m.cr[c], "rhoc_threshold": threshold_text(*THRESHOLDS["cr"]),
             "rhoc_pass": passes("cr", pls.rhoc[c]), "pls_ave": pls.ave[c], "cb_ave": m.ave[c],
             "ave_threshold": threshold_text(*THRESHOLDS["ave"]), "ave_pass": passes("ave", pls.ave[c]),
             "r2": pls.r2.get(c, np.nan)} for c in CONSTRUCT_CODES]
    return LabTable("pls_reliability", pd.DataFrame(rows),
                    {"construct": "text", "rhoc": "r", "cb_cr": "r", "rhoc_threshold": "text", "rhoc_pass": "bool",
                     "pls_ave": "r", "cb_ave": "r", "ave_threshold": "text", "ave_pass": "bool", "r2": "r"})


def pls_loadings_table(model: FittedModel) -> LabTable | None:
    """Each item's PLS loading (threshold ≥ .70) and weight beside its standardised CFA loading."""
    if model.pls is None:
        return None
    op, bound = LOADING_THRESHOLD
    rows = [{"construct": c.code, "item": item, "pls_loading": model.pls.loadings[item], "cb_loading": model.measurement.loadings[item],
             "weight": model.pls.weights[item], "threshold": threshold_text(op, bound),
             "pass": _meets(op, bound, model.pls.loadings[item])} for c in CONSTRUCTS for item in c.items]
    return LabTable("pls_loadings", pd.DataFrame(rows), {"construct": "text", "item": "text", "pls_loading": "r",
                                                         "cb_loading": "r", "weight": "r", "threshold": "text", "pass": "bool"})


def invariance_table(model: FittedModel, words: dict[str, str] = WORDS) -> LabTable | None:
    """Configural, metric and scalar multi-group CFA (cbec_core.invariance): fit of each, and each step's Δχ², ΔCFI,
    ΔRMSEA, which test it fails and whether it holds; a model that did not converge has no figures, only its df."""
    inv = model.invariance
    if not inv or not inv.get("available"):
        return None
    steps = {st["to"]: st for st in inv["steps"]}
    rows = []
    for level in LEVELS:
        fit, st = inv["models"][level], steps.get(level, {})
        rows.append({"model": words[MODEL_WORDS[level]], "converged": fit["converged"], "chi2": _nan(fit["chi2"]),
                     "df": fit["df"], "cfi": _nan(fit["cfi"]), "rmsea": _nan(fit["rmsea"]), "srmr": _nan(fit["srmr"]),
                     "delta_chi2": _nan(st.get("delta_chi2")), "delta_df": st.get("delta_df"), "delta_p": _nan(st.get("p")),
                     "delta_cfi": _nan(st.get("delta_cfi")), "delta_rmsea": _nan(st.get("delta_rmsea")),
                     "threshold": words["invariance_rule"] if st else "", "lrt_fail": st.get("lrt_fail"),
                     "chen_fail": st.get("chen_fail"), "holds": st.get("holds")})
    frame = pd.DataFrame(rows).astype({"converged": "boolean", "delta_df": "Int64", "lrt_fail": "boolean",
                                       "chen_fail": "boolean", "holds": "boolean"})
    return LabTable("invariance", frame, {"model": "text", "converged": "bool", "chi2": "f2", "df": "int", "cfi": "r",
                                          "rmsea": "r", "srmr": "r", "delta_chi2": "f2", "delta_df": "int", "delta_p": "p",
                                          "delta_cfi": "r", "delta_rmsea": "r", "threshold": "text", "lrt_fail": "bool",
                                          "chen_fail": "bool", "holds": "bool"})


def latent_means_table(model: FittedModel) -> LabTable | None:
    """Under scalar invariance: each construct's latent mean in the second group minus the first, with SE, p and in SD units."""
    inv = model.invariance
    if not inv or not inv.get("available") or not inv.get("latent_means"):
        return None
    rows = [{"construct": c, "mean_diff": v["est"], "se": v["se"], "p": v["p"], "std_diff": v["std"]}
            for c, v in inv["latent_means"].items()]
    return LabTable("latent_means", pd.DataFrame(rows), {"construct": "text", "mean_diff": "b", "se": "b", "p": "p",
                                                         "std_diff": "b"}, stars={"mean_diff": "p"})


def estimator_table(model: FittedModel) -> LabTable | None:
    """The structural model's χ², CFI, TLI and RMSEA under ML beside MLR's scaled and robust ones; None under ML alone."""
    fit = model.structural.fit.as_dict()
    if fit.get("chi2_scaled") is None:
        return None
    rows = []
    for ml, mlr, label in ROBUST_INDICES:
        limit = THRESHOLDS.get(ml)
        rows.append({"index": label, "ml": fit[ml], "mlr": fit[mlr], "threshold": threshold_text(*limit) if limit else "",
                     "ml_pass": _meets(*limit, fit[ml]) if limit else None,
                     "mlr_pass": _meets(*limit, fit[mlr]) if limit else None})
    frame = pd.DataFrame(rows).astype({"ml_pass": "boolean", "mlr_pass": "boolean"})
    return LabTable("estimators", frame, {"index": "text", "ml": "fit", "mlr": "fit", "threshold": "text",
                                          "ml_pass": "bool", "mlr_pass": "bool"})


# ---- moderated mediation ----------------------------------------------------------------------------

def regression_table(model: FittedModel, which: str, words: dict[str, str] = WORDS) -> LabTable:
    """The mediator (DC) or outcome (HQD) regression: b, SE, t, p, 95% CI, percentile bootstrap CI, standardised β."""
    mm = model.moderated_mediation
    boot = mm.get("coef_boot_ci", {}).get(which, {})
    rows = []
    for r in mm[f"{which}_table"]:
        lo, hi = boot.get(r["term"], (None, None))
        rows.append({"term": _term(r["term"], words), "b": r["est"], "se": r["se"], "t": r["t"],
                     "p": r["p"], "ci_lo": r["lo"], "ci_hi": r["hi"], "boot_lo": _nan(lo), "boot_hi": _nan(hi),
                     "beta": np.nan if r["term"] == "(Intercept)" else r["std"]})
    return LabTable(f"{which}_regression", pd.DataFrame(rows),
                    {"term": "text", "b": "b", "se": "b", "t": "f2", "p": "p", "ci_lo": "b", "ci_hi": "b",
                     "boot_lo": "b", "boot_hi": "b", "beta": "r"}, stars={"b": "p"})


def hierarchical_table(model: FittedModel, words: dict[str, str] = WORDS) -> LabTable:
    """Hierarchical steps of both regressions: R², ΔR², F-change (df1, df2) and its p."""
    rows = []
    for name in ("mediator", "outcome"):
        for st in model.moderated_mediation["steps"][name]:
            if st["step"] == 1:  # the controls, or the intercept alone
                added = words["controls"] if st["terms"] else words["intercept_only"]
            else:
                added = ", ".join(_term(t, words) for t in st["terms"])
            rows.append({"model": words[f"{name}_model"], "step": st["step"], "added": added,
                         "r2": st["r2"], "delta_r2": st["delta_r2"], "f_change": _nan(st["f_change"]),
                         "df1": st["df1"], "df2": st["df2"], "p": _nan(st["p"])})
    return LabTable("hierarchical", pd.DataFrame(rows),
                    {"model": "text", "step": "int", "added": "text", "r2": "r", "delta_r2": "r", "f_change": "f2",
                     "df1": "int", "df2": "int", "p": "p"}, stars={"delta_r2": "p"})


PATH_NAMES = {"a": ("AIGC → DC", "IO", "W"), "b": ("DC → HQD", "LSC", "Z")}


def simple_slopes_table(model: FittedModel, words: dict[str, str] = WORDS) -> LabTable:
    """Simple slopes of the a-path at IO and the b-path at LSC (−1 SD, mean, +1 SD): slope, SE, t, p and bootstrap CI."""
    mm = model.moderated_mediation
    rows = []
    for path, (label, moderator, role) in PATH_NAMES.items():
        for s in mm["simple_slopes"][path]:
            rows.append({"path": label, "moderator": moderator, "level": level_name(s["label"], words), "at": s["at"],
                         "at_raw": s["at"] + mm["means"][role], "slope": s["slope"], "se": s["se"], "t": s["t"], "p": s["p"],
                         "boot_lo": _nan(s["boot_lo"]), "boot_hi": _nan(s["boot_hi"])})
    return LabTable("simple_slopes", pd.DataFrame(rows),
                    {"path": "text", "moderator": "text", "level": "text", "at": "b", "at_raw": "f2", "slope": "b",
                     "se": "b", "t": "f2", "p": "p", "boot_lo": "b", "boot_hi": "b"}, stars={"slope": "p"})


def significance_regions(jn: dict) -> list[tuple[float, float]]:
    """Intervals of the (centred) moderator, clipped to the observed range, where the slope's 95% CI excludes zero."""
    lo, hi = jn["range"]
    roots = jn["boundaries"]
    if not roots:
        return []  # either significant everywhere or nowhere: decided by the caller from the slope at the mean
    r1, r2 = roots
    spans = [(r1, r2)] if jn["significant_between"] else [(-np.inf, r1), (r2, np.inf)]
    return [(max(a, lo), min(b, hi)) for a, b in spans if min(b, hi) > max(a, lo)]


def johnson_neyman_table(model: FittedModel, words: dict[str, str] = WORDS) -> LabTable:
    """Johnson–Neyman boundaries of both moderated paths (centred and on the 1–5 scale) and the region of significance."""
    mm = model.moderated_mediation
    rows = []
    for path, (label, moderator, role) in PATH_NAMES.items():
        jn = mm["johnson_neyman"][path]
        mean = mm["means"][role]
        regions = significance_regions(jn)
        if not jn["boundaries"]:
            mid = mm["simple_slopes"][path][1]
            regions = [tuple(jn["range"])] if mid["p"] < 0.05 else []
        text = "; ".join(words["region"].format(moderator=moderator, lo=a + mean, hi=b + mean) for a, b in regions) \
            or words["nowhere"]
        for k, (b, inside) in enumerate(zip(jn["boundaries"] or [np.nan], jn["in_range"] or [False])):
            rows.append({"path": label, "moderator": moderator, "boundary": k + 1 if jn["boundaries"] else None,
                         "value": b, "value_raw": b + mean, "in_data": bool(inside),
                         "significant_for": text})
    frame = pd.DataFrame(rows).astype({"boundary": "Int64"})
    return LabTable("johnson_neyman", frame, {"path": "text", "moderator": "text", "boundary": "int", "value": "b",
                                              "value_raw": "f2", "in_data": "bool", "significant_for": "text"})


def conditional_indirect_table(model: FittedModel, grid: str, words: dict[str, str] = WORDS) -> LabTable:
    """θ(w, z) on the ±1 SD grid ('sd') or the 16th/50th/84th percentiles ('percentile') with bootstrap 95% CIs."""
    mm = model.moderated_mediation
    rows = [{"io_level": level_name(r["w_label"], words), "w": r["w"], "io": r["w"] + mm["means"]["W"],
             "lsc_level": level_name(r["z_label"], words), "z": r["z"], "lsc": r["z"] + mm["means"]["Z"],
             "theta": r["effect"], "boot_lo": _nan(r["lo"]), "boot_hi": _nan(r["hi"]),
             "significant": _excludes_zero(r["lo"], r["hi"])}
            for r in mm["conditional_indirect_grid"][grid]]
    frame = pd.DataFrame(rows).astype({"significant": "boolean"})
    return LabTable(f"conditional_indirect_{grid}", frame,
                    {"io_level": "text", "w": "b", "io": "f2", "lsc_level": "text", "z": "b", "lsc": "f2",
                     "theta": "b", "boot_lo": "b", "boot_hi": "b", "significant": "bool"})


def indices_table(model: FittedModel, words: dict[str, str] = WORDS) -> LabTable:
    """PROCESS Model 21's indices: moderated moderated mediation, and conditional moderated mediation by IO and by LSC."""
    mm = model.moderated_mediation
    i = mm["index_mmm"]
    rows = [{"index": words["index_mmm"], "at_level": "", "effect": i["effect"],
             "boot_lo": _nan(i["lo"]), "boot_hi": _nan(i["hi"]), "significant": _excludes_zero(i["lo"], i["hi"])}]
    for index, by, moderator, label in (("index_cmm_io", "by_W_at_z", "LSC", "z_label"),
                                        ("index_cmm_lsc", "by_Z_at_w", "IO", "w_label")):
        for r in mm["indices_cmm"]["sd"][by]:
            rows.append({"index": words[index],
                         "at_level": f"{moderator} {level_name(r[label], words)}",
                         "effect": r["effect"], "boot_lo": _nan(r["lo"]), "boot_hi": _nan(r["hi"]),
                         "significant": _excludes_zero(r["lo"], r["hi"])})
    frame = pd.DataFrame(rows).astype({"significant": "boolean"})
    return LabTable("indices", frame, {"index": "text", "at_level": "text", "effect": "b", "boot_lo": "b", "boot_hi": "b",
                                       "significant": "bool"})


def subgroup_table(model: FittedModel, words: dict[str, str] = WORDS) -> LabTable | None:
    """Pilot vs non-pilot: each group's paths, θ(0, 0) with its bootstrap CI, R², and the difference; None if unavailable."""
    sg = model.subgroups
    if not sg.get("available"):
        return None
    rows = [{"group": words[key], "n": sg[key]["n"], "a1": sg[key]["a1"], "a3": sg[key]["a3"], "b1": sg[key]["b1"],
             "b3": sg[key]["b3"], "theta00": sg[key]["theta00"], "boot_lo": _nan(sg[key]["lo"]),
             "boot_hi": _nan(sg[key]["hi"]), "r2_mediator": sg[key]["r2_mediator"], "r2_outcome": sg[key]["r2_outcome"]}
            for key in ("pilot", "non_pilot")]
    d = sg["difference"]
    rows.append({"group": words["difference"], "n": None, "a1": np.nan, "a3": np.nan, "b1": np.nan,
                 "b3": np.nan, "theta00": d["effect"], "boot_lo": _nan(d["lo"]), "boot_hi": _nan(d["hi"]),
                 "r2_mediator": np.nan, "r2_outcome": np.nan})
    frame = pd.DataFrame(rows).astype({"n": "Int64"})
    frame["invariance"] = words[f"invariance_{invariance_level(model.invariance)}"]  # travels with every export
    return LabTable("subgroups", frame, {"group": "text", "n": "int", **{c: "b" for c in ("a1", "a3", "b1", "b3", "theta00",
                                                                                      "boot_lo", "boot_hi")},
                                         "r2_mediator": "r", "r2_outcome": "r", "invariance": "text"})


def excluded_table(model: FittedModel) -> LabTable:
    """The rows excluded listwise from the fit, each with the cell and the reason."""
    frame = pd.DataFrame(model.excluded, columns=["row", "column", "message"]).astype({"row": "Int64"})
    return LabTable("excluded", frame, {"row": "int", "column": "text", "message": "text"})


def indirect_draws(model: FittedModel, w: float = 0.0, z: float = 0.0) -> np.ndarray:
    """Bootstrap draws of θ(w, z) from the fit's stored draws of a1, a3, b1, b3 (failed resamples dropped)."""
    d = model.draws
    values = theta(d[:, 0], d[:, 1], d[:, 2], d[:, 3], w, z)
    return values[np.isfinite(values)]


SECTIONS: dict[str, tuple[str, ...]] = {
    "measurement": ("loadings", "reliability", "fornell_larcker", "htmt", "cfa_fit"),
    "sem": ("sem_paths", "sem_fit"),
    "moderation": ("hierarchical", "mediator_regression", "outcome_regression", "simple_slopes", "johnson_neyman"),
    "mediation": ("conditional_indirect_sd", "conditional_indirect_percentile", "indices"),
    "subgroups": ("subgroups",),
    "robustness": ("pls_paths", "pls_mediation", "pls_reliability", "pls_loadings", "invariance", "latent_means", "estimators"),
}


def all_tables(model: FittedModel, words: dict[str, str] = WORDS) -> dict[str, LabTable]:
    """Every table of the fit by key, in page order (SECTIONS), its cells in `words`; the subgroup table only when the fit has one."""
    tables = [loadings_table(model), reliability_table(model), fornell_larcker_table(model), htmt_table(model),
              fit_table(model.measurement.fit.as_dict(), "cfa_fit"), sem_paths_table(model, words),
              fit_table(model.structural.fit.as_dict(), "sem_fit"), hierarchical_table(model, words),
              regression_table(model, "mediator", words), regression_table(model, "outcome", words),
              simple_slopes_table(model, words), johnson_neyman_table(model, words),
              conditional_indirect_table(model, "sd", words), conditional_indirect_table(model, "percentile", words),
              indices_table(model, words), subgroup_table(model, words), pls_paths_table(model, words),
              pls_mediation_table(model, words), pls_reliability_table(model), pls_loadings_table(model),
              invariance_table(model, words), latent_means_table(model), estimator_table(model)]
    return {table.key: table for table in tables if table is not None}


# ---- publication style ------------------------------------------------------------------------------

def _nan(v) -> float:
    return np.nan if v is None else float(v)


def _excludes_zero(lo, hi) -> bool | None:
    return None if lo is None or hi is None else bool(lo > 0 or hi < 0)


def _r(v: float, digits: int = 3) -> str:
    """A figure that cannot exceed 1, without its leading zero ('.468', '−.021')."""
    text = f"{v:.{digits}f}"
    return text.replace("0.", ".", 1).replace("-", "−")


def p_text(p: float) -> str:
    """p to three decimals without a leading zero, '< .001' below that (APA 7 §6.36)."""
    return "< .001" if p < 0.001 else _r(p)


def stars(p: float) -> str:
    """* p < .05, ** p < .01, *** p < .001."""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


def _cell(value, kind: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and not np.isfinite(value)):
        return "—" if kind != "text" else ""
    if kind == "text":
        return str(value)
    if kind == "bool":
        return "✓" if bool(value) else "✗"
    if kind == "int":
        return f"{int(value):d}"
    if kind == "p":
        return p_text(float(value))
    if kind == "r":
        return _r(float(value))
    if kind == "f2":
        return f"{float(value):.2f}".replace("-", "−")
    return f"{float(value):.3f}".replace("-", "−")


def publication_frame(table: LabTable, headers: dict[str, str] | None = None) -> pd.DataFrame:
    """The table as printed strings: APA decimals, no leading zero where a figure cannot exceed 1, stars on estimates."""
    headers = headers or {}
    out = pd.DataFrame(index=table.frame.index)
    for column in table.frame.columns:
        kind = table.formats.get(column, "b")
        if kind == "fit":  # a fit table's value column: each index printed its own way
            text = [_cell(v, FIT_FORMATS[i]) for v, i in zip(table.frame[column], table.frame["index"])]
        else:
            text = [_cell(v, kind) for v in table.frame[column]]
        if column in table.stars:
            ps = table.frame[table.stars[column]]
            text = [s + (stars(float(p)) if pd.notna(p) else "") for s, p in zip(text, ps)]
        out[headers.get(column, column)] = text
    return out.reset_index(drop=True)


STAR_NOTE = "* p < .05. ** p < .01. *** p < .001."


def publication_html(table: LabTable, title: str, note: str, *, number: int = 1, headers: dict[str, str] | None = None,
                     words: dict[str, str] = WORDS) -> str:
    """A self-contained APA-style HTML table: number in bold, title in italics, horizontal rules only, a note below."""
    frame = publication_frame(table, headers)
    note = note + (" " + STAR_NOTE if table.stars else "")
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False))
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: "Times New Roman", "Songti SC", serif; font-size: 12pt; margin: 2em; }}
table {{ border-collapse: collapse; border-top: 2px solid #000; border-bottom: 2px solid #000; }}
th {{ border-bottom: 1px solid #000; padding: 4px 10px; text-align: center; font-weight: normal; }}
td {{ padding: 3px 10px; text-align: center; }} td:first-child, th:first-child {{ text-align: left; }}
.number {{ font-weight: bold; margin-bottom: .2em; }} .title {{ font-style: italic; margin-bottom: .6em; }}
.note {{ font-size: 10pt; margin-top: .4em; max-width: 60em; }}
</style></head><body>
<div class="number">{html.escape(words["table"].format(number=number))}</div><div class="title">{html.escape(title)}</div>
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
<div class="note"><em>{html.escape(words["note"])}</em> {html.escape(note)}</div>
</body></html>
"""
