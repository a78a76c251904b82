"""Plain-text summaries of a fit, a firm's score and the replication, laid out as lavaan/PROCESS users read them."""
from __future__ import annotations

import pandas as pd

from .instrument import CONSTRUCT_CODES
from .measurement import THRESHOLDS, passes
from .model import FittedModel
from .tables import (
    estimator_table,
    pls_mediation_table,
    pls_paths_table,
    pls_reliability_table,
)

SYNTHETIC_NOTE = "SYNTHETIC benchmark: the reference cohort is generated to match Tian (2025), not real firms."


def _num(v, digits: int = 3) -> str:
    return "—" if v is None or v != v else f"{v:.{digits}f}"


def _signed(v) -> str:
    return "—" if v is None or v != v else f"{v:+.3f}"


def _p(v) -> str:
    return "—" if v is None or v != v else ("<.001" if v < 0.001 else f"{v:.3f}")


def _mark(name: str, value) -> str:
    if value is None:
        return ""
    op, bound = THRESHOLDS[name]
    return f"{op} {bound:g} {'pass' if passes(name, value) else 'FAIL'}"


def _fit_lines(title: str, fit: dict) -> list[str]:
    lines = [title]
    lines.append(f"  chi2 = {fit['chi2']:.3f}, df = {fit['df']}, p = {_p(fit['p'])}")
    for key, label in (("chi2_df", "chi2/df"), ("cfi", "CFI"), ("tli", "TLI"), ("rmsea", "RMSEA"), ("srmr", "SRMR")):
        lines.append(f"  {label:<8}{_num(fit[key]):>8}   {_mark(key, fit[key])}")
    if fit.get("chi2_scaled") is not None:
        lines.append(f"  MLR: scaled chi2 = {fit['chi2_scaled']:.3f} (Yuan–Bentler, scaling factor {fit['scaling_factor']:.3f})")
        for key, label in (("cfi", "CFI rob."), ("tli", "TLI rob."), ("rmsea", "RMSEA r.")):
            lines.append(f"  {label:<8}{_num(fit[key + '_robust']):>8}   {_mark(key, fit[key + '_robust'])}")
    return lines


INVARIANCE_READING = {
    "scalar": "loadings and intercepts are equal across the groups: latent means and theta can be compared",
    "metric": "loadings are equal, intercepts are not: compare relationships (theta), not means",
    "configural": "the two groups may read the items differently; compare theta with caution",
    "none": "the factor structure does not hold in both groups; compare theta with caution",
}


def _estimator(d: dict) -> str:
    return "MLR: ML estimates, robust SEs and fit" if d.get("estimator") == "MLR" else "ML"


def _group_label(group: str, label: str) -> str:
    return {"0": "non-pilot", "1": "pilot"}.get(label, label) if group == "pilot_zone" else label


def invariance_lines(inv: dict) -> list[str]:
    """The configural → metric → scalar table with the steps, verdict and latent mean differences."""
    lines = [f"Measurement invariance across {inv['group']} (multi-group CFA, ML; lavaan group.equal)"]
    if not inv.get("available"):
        return lines + [f"  not tested: {inv.get('reason')}"]
    names = [_group_label(inv["group"], lv["label"]) for lv in inv["levels"]]
    levels = " vs ".join(f"{name} (n={lv['n']})" for name, lv in zip(names, inv["levels"]))
    lines.append(f"  groups: {levels}")
    lines.append(f"  {'model':<12}{'chi2':>10}{'df':>6}{'CFI':>8}{'RMSEA':>8}{'SRMR':>8}   {'d chi2':>8}{'d df':>6}{'p':>8}{'d CFI':>8}{'d RMSEA':>9}")
    steps = {st["to"]: st for st in inv["steps"]}
    for level, m in inv["models"].items():
        row = f"  {level:<12}{_num(m['chi2']):>10}{m['df']:>6}{_num(m['cfi']):>8}{_num(m['rmsea']):>8}{_num(m['srmr']):>8}"
        if level in steps:
            st = steps[level]
            row += (f"   {_num(st['delta_chi2']):>8}{st['delta_df']:>6}{_p(st['p']):>8}{_signed(st['delta_cfi']):>8}"
                    f"{_signed(st['delta_rmsea']):>9}  {'holds' if st['holds'] else 'FAILS'}")
        lines.append(row + ("" if m["converged"] else "   (did not converge)"))
    lines.append("  rule: a step fails if dCFI <= -.010 with dRMSEA >= .015 (Chen 2007), or the chi2 difference test has p < .05")
    lines.append(f"  verdict: {inv['verdict']} invariance — {INVARIANCE_READING[inv['verdict']]}")
    if inv.get("latent_means"):
        means = ", ".join(f"{c} {v['est']:+.3f} (p {_p(v['p'])})" for c, v in inv["latent_means"].items())
        lines.append(f"  latent mean differences ({names[1]} minus {names[0]}, scalar model): {means}")
    return lines


def fit_summary(model: FittedModel) -> str:
    """The whole fit on one screen: sample, Table 1, SEM paths, regressions, θ grid, indices, subgroups."""
    d = model.to_dict()
    mm = d["moderated_mediation"]
    lines = []
    if model.synthetic:
        lines += [SYNTHETIC_NOTE, ""]
    for w in d.get("warnings", []):
        lines.append(f"WARNING — {w}. Do not interpret this fit; check the items named.")
    lines.append(f"Sample: {d['n_used']} firms used, {d['n_excluded']} excluded listwise. "
                 f"Bootstrap: {d['settings']['bootstrap']} resamples, seed {d['settings']['seed']}"
                 f"{', with controls' if d['settings']['controls'] else ''}.")
    lines += ["", f"Measurement model (CFA, {_estimator(d)})"]
    lines.append(f"  {'construct':<10}{'alpha':>8}{'CR':>8}{'AVE':>8}   " + "".join(f"{c:>7}" for c in CONSTRUCT_CODES))
    fl = d["measurement"]["latent_corr"]
    for i, c in enumerate(CONSTRUCT_CODES):
        m = d["measurement"]
        row = "".join(f"{(m['ave'][c] ** 0.5 if j == i else fl[c][o]):>7.2f}" for j, o in enumerate(CONSTRUCT_CODES[: i + 1]))
        flag = "" if passes("alpha", m["alpha"][c]) and passes("cr", m["cr"][c]) and passes("ave", m["ave"][c]) else "  below threshold"
        lines.append(f"  {c:<10}{m['alpha'][c]:>8.3f}{m['cr'][c]:>8.3f}{m['ave'][c]:>8.3f}   {row}{flag}")
    lines.append("  (diagonal: sqrt(AVE); below: latent correlations — Fornell–Larcker)")
    lines += _fit_lines("  fit:", d["measurement"]["fit"])
    lines += [""] + invariance_lines(d["invariance"])
    s = d["structural"]
    lines += ["", f"Structural model (SEM, {_estimator(d)}; standardised paths)"]
    t = s["total"]["HQD~AIGC"]
    lines.append(f"  H1 total  HQD ~ AIGC   beta = {t['std']:.3f}  SE = {_num(t['std_se'])}  p = {_p(t['std_p'])}")
    for key, p in s["paths"].items():
        lines.append(f"  {key:<20} beta = {p['std']:.3f}  SE = {_num(p['std_se'])}  p = {_p(p['std_p'])}   (b = {p['est']:.3f}, SE {p['se']:.3f})")
    ind = s["indirect"]
    lines.append(f"  H2 indirect AIGC->DC->HQD  beta = {ind['std']:.3f}  Monte Carlo 95% CI [{ind['std_mc_lo']:.3f}, {ind['std_mc_hi']:.3f}]"
                 + (f"  bootstrap CI [{ind['boot_lo']:.3f}, {ind['boot_hi']:.3f}]" if ind.get("boot_lo") is not None else ""))
    lines.append(f"  share mediated (indirect / total): {_num(s['share_mediated'])}")
    lines += _fit_lines("  fit:", s["fit"])
    lines += ["", "Moderated mediation (OLS on mean-centred construct scores; PROCESS Model 21)"]
    for label, key in (("mediator  DC", "mediator_table"), ("outcome   HQD", "outcome_table")):
        lines.append(f"  {label}")
        for r in mm[key]:
            lines.append(f"    {r['term']:<20}{r['est']:>9.4f}  SE {r['se']:.4f}  t {r['t']:>7.3f}  p {_p(r['p']):>6}  beta {r['std']:>6.3f}")
    lines.append("  hierarchical steps: R2 / delta R2 / F-change (p)")
    for model_name in ("mediator", "outcome"):
        for st in mm["steps"][model_name]:
            lines.append(f"    {model_name:<9}{st['label']:<22}{st['r2']:>7.3f}{st['delta_r2']:>8.3f}"
                         f"  F({st['df1']}, {st['df2']}) = {_num(st['f_change'], 2)}  p {_p(st['p'])}")
    lines.append("  conditional indirect effect theta(w, z) of AIGC on HQD through DC (w = IO, z = LSC, centred)")
    for r in mm["conditional_indirect_grid"]["sd"]:
        lines.append(f"    IO {r['w_label']:>6}  LSC {r['z_label']:>6}   {r['effect']:>7.4f}   95% CI [{_num(r['lo'], 4)}, {_num(r['hi'], 4)}]")
    i = mm["index_mmm"]
    lines.append(f"  index of moderated moderated mediation a3*b3 = {i['effect']:.4f}  95% CI [{_num(i['lo'], 4)}, {_num(i['hi'], 4)}]")
    for path, key in (("a (AIGC->DC) at IO", "a"), ("b (DC->HQD) at LSC", "b")):
        jn = mm["johnson_neyman"][key]
        bounds = ", ".join(f"{b:.3f}{'' if inside else ' (outside data)'}" for b, inside in zip(jn["boundaries"], jn["in_range"])) or "none"
        lines.append(f"  Johnson–Neyman, {path}: {bounds}")
    sg = d["subgroups"]
    if sg.get("available"):
        lines.append(f"  subgroups theta(0,0): pilot {sg['pilot']['theta00']:.4f} (n={sg['pilot']['n']}), "
                     f"non-pilot {sg['non_pilot']['theta00']:.4f} (n={sg['non_pilot']['n']}), difference "
                     f"{sg['difference']['effect']:.4f} 95% CI [{_num(sg['difference']['lo'], 4)}, {_num(sg['difference']['hi'], 4)}]")
        inv = d["invariance"]
        if inv.get("group") == "pilot_zone":
            lines.append(f"  measurement invariance pilot vs non-pilot: {inv['verdict'] or 'not tested'}"
                         + ("" if inv.get("verdict") in ("scalar", "metric") else
                            " — WARNING: the two groups may read the items differently; compare theta with caution"))
    else:
        lines.append(f"  subgroups: not available ({sg.get('reason')})")
    lines += robustness_lines(model)
    lines.append(f"\nBootstrap took {d['timings'].get('bootstrap_s', 0):.3f} s.")
    return "\n".join(lines)


def _yes(flag) -> str:
    return "—" if flag is None or flag is pd.NA else ("yes" if flag else "no")


def _verdict(flag) -> str:
    return "—" if flag is None or flag is pd.NA else ("pass" if flag else "FAIL")


def robustness_lines(model: FittedModel) -> list[str]:
    """PLS-SEM beside CB-SEM and ML beside MLR, each figure with its threshold and a reading; invariance by reference."""
    lines = ["", "Robustness"]
    paths = pls_paths_table(model)
    if paths is None:
        lines.append("  PLS-SEM: not part of this fit (stored before PLS-SEM was added); refit to see it.")
    else:
        pls = model.pls
        lines.append(f"  PLS-SEM (Mode A, path weighting, standardised indicators; {pls.iterations} iterations"
                     f"{'' if pls.converged else ', DID NOT CONVERGE in 300 — do not read these figures'})"
                     f" beside CB-SEM ({model.estimator}), standardised; PLS CIs: "
                     + (f"percentile bootstrap, {pls.bootstrap['resamples']} resamples" if pls.bootstrap["resamples"] else "none (fit without bootstrap)"))
        lines.append(f"    {'path':<12}{'CB-SEM':>8}{'p':>7}{'PLS':>8}   {'95% CI':<18}{'CI excl. 0':>11}{'agree':>7}{'f2':>8}  size "
                     "(f2: .02 small, .15 medium, .35 large)")
        for r in paths.frame.itertuples():
            ci = f"[{_num(r.boot_lo)}, {_num(r.boot_hi)}]" if r.boot_lo == r.boot_lo else "—"
            lines.append(f"    {r.path:<12}{r.cb_beta:>8.3f}{_p(r.cb_p):>7}{r.pls_beta:>8.3f}   {ci:<18}{_yes(r.significant):>11}"
                         f"{_yes(r.agree):>7}{r.f2:>8.3f}  {r.f2_size}")
        for r in pls_mediation_table(model).frame.itertuples():
            ci = f"[{_num(r.boot_lo)}, {_num(r.boot_hi)}]" if r.boot_lo == r.boot_lo else "—"
            lines.append(f"    {r.effect:<22} CB-SEM {r.cb_sem:.3f}  PLS {r.pls:.3f} {ci}  ({r.threshold}"
                         f"{'' if r.significant is pd.NA else ': ' + _yes(r.significant)}){' -> ' + r.reading if r.reading else ''}")
        agree = int(paths.frame["agree"].fillna(False).sum())
        lines.append(f"    reading: the two methods agree on {agree} of 5 paths; DC mediates {pls.share_mediated:.0%} of AIGC's total "
                     f"effect in PLS-SEM and {model.structural.share_mediated:.0%} in CB-SEM.")
        rel = pls_reliability_table(model).frame
        lines.append("    PLS rho_c (>= .70) / AVE (>= .50) / R2: " + "; ".join(
            f"{r.construct} {r.rhoc:.3f}{'' if r.rhoc_pass else ' FAIL'} / {r.pls_ave:.3f}{'' if r.ave_pass else ' FAIL'}"
            + (f" / {r.r2:.3f}" if r.r2 == r.r2 else "") for r in rel.itertuples()))
    lines.append(_invariance_reference(model.invariance))
    est = estimator_table(model)
    if est is None:
        lines.append("  Estimator: ML (the paper's). Fit with --estimator MLR for robust SEs and the scaled chi2 beside ML's.")
    else:
        lines.append("  ML beside MLR (structural model)")
        for r in est.frame.itertuples():
            marks = f"  ML {_verdict(r.ml_pass)} / MLR {_verdict(r.mlr_pass)}" if r.threshold else ""
            lines.append(f"    {r.index:<7}ML {_num(r.ml)}  MLR {_num(r.mlr)}  {r.threshold}{marks}".rstrip())
        lines.append("    reading: MLR keeps ML's estimates; read its robust SEs and scaled chi2 when answers are skewed.")
    return lines


def _invariance_reference(inv: dict) -> str:
    """One line pointing to the invariance table above the structural model (invariance_lines), not a second copy of it."""
    if not inv:
        return "  Measurement invariance: not part of this fit."
    where = f"see 'Measurement invariance across {inv['group']}' above"
    if not inv.get("available"):
        return f"  Measurement invariance across {inv['group']}: not tested ({where})."
    return f"  Measurement invariance across {inv['group']}: {inv['verdict']} invariance ({where})."


def firm_summary(score) -> str:
    """One firm's standing, expected performance, return on AIGC and priority lever."""
    lines = [SYNTHETIC_NOTE, ""] if score.synthetic_benchmark else []
    lines.append(f"{'construct':<10}{'score':>7}{'0-100':>7}{'pct':>7}" + (f"{'peer pct':>10}" if score.segment_percentiles else ""))
    for c, v in score.scores.items():
        seg = f"{score.segment_percentiles[c]:>10.0f}" if score.segment_percentiles else ""
        lines.append(f"{c:<10}{v:>7.2f}{score.performance[c]:>7.0f}{score.percentiles[c]:>7.0f}{seg}")
    if score.segment_note:
        lines.append(score.segment_note)
    lo, hi = score.hqd_pi
    lines.append(f"\nExpected HQD {score.hqd_expected:.2f} (95% prediction interval {lo:.2f}–{hi:.2f}); "
                 f"actual minus expected {score.hqd_gap:+.2f}.")
    ci = f" (95% CI {score.theta_ci[0]:.3f}–{score.theta_ci[1]:.3f})" if score.theta_ci else ""
    lines.append(f"HQD gain per point of AIGC through dynamic capabilities, at your openness and supply-chain learning: {score.theta:.3f}{ci}.")
    lever = score.priority_lever or "none — you are at or above the top quartile on every lever"
    lines.append(f"Priority lever: {lever}.")
    for k, g in score.lever_gains.items():
        lines.append(f"  {k:<5} importance {score.importance[k]:.3f} per point; raising to {score.lever_targets[k]:.2f} gains {g:.3f} HQD")
    return "\n".join(lines)


def replication_text(rep) -> str:
    """The replication report as text: the comparison table, then the paper's inconsistencies in plain words."""
    lines = [f"REPLICATION REPORT — {rep.label}", "",
             f"{'figure':<58}{'paper':>8}{'cohort':>9}{'diff':>8}  note"]
    for r in rep.table.itertuples():
        lines.append(f"{r.figure[:57]:<58}{r.paper:>8.2f}{r.recovered:>9.3f}{r.difference:>+8.3f}  {r.note}")
    lines += ["", "Where the paper's figures cannot all hold at once"]
    for i, inc in enumerate(rep.inconsistencies, 1):
        lines += [f"{i}. {inc.text('title')}", f"   figures: {inc.text('figures')}", f"   why: {inc.text('explanation')}",
                  f"   the cohort keeps: {inc.text('cohort_keeps')}"]
    return "\n".join(lines)


def zones_text(result: dict) -> str:
    """`cbec zones` as a readable table: each group's n and mean HQD, or why it is hidden."""
    total = result["total"]
    lines = [f"{result['source']} by {result['by']} (groups of fewer than {result['min_firms']} firms are never shown)",
             f"  total: n = {total['n']}, mean HQD {_num(total['means']['HQD'], 2)}" if total["n"] is not None
             else "  total: hidden"]
    for g in result["groups"]:
        if g["shown"]:
            median = f", median HQD {_num(g['quartiles']['HQD'][1], 2)}" if g["quartiles"] else ""
            lines.append(f"  {g['label']}: n = {g['n']}, mean HQD {_num(g['means']['HQD'], 2)}{median}")
        else:
            lines.append(f"  {g['label']}: hidden ({g['reason']})")
    return "\n".join(lines)
