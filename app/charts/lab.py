"""Plotly builders for the model lab: the fit drawn as a researcher reads it. Each returns (figure, one-line reading).

They take a FittedModel (and the tables of `cbec_core.tables`) and never touch Streamlit.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from scipy import stats

from cbec_core import zones
from cbec_core.model import FittedModel
from cbec_core.tables import (
    PATH_NAMES,
    Z95,
    indirect_draws,
    level_name,
    pls_mediation_table,
    pls_paths_table,
    significance_regions,
    stars,
)

from .firm import LAYOUT, PALETTE, theta_contour
from ..i18n import construct_name, t, table_words

from .zones import figure3_chart

# Where each construct's box sits in the path diagram (x, y on a 0–1 canvas).
POSITIONS = {"AIGC": (0.08, 0.35), "IO": (0.08, 0.85), "DC": (0.5, 0.85), "LSC": (0.92, 0.85), "HQD": (0.92, 0.35)}
SEM_ARROWS = (("AIGC", "DC", "DC~AIGC"), ("IO", "DC", "DC~IO"), ("DC", "HQD", "HQD~DC"),
              ("AIGC", "HQD", "HQD~AIGC"), ("LSC", "HQD", "HQD~LSC"))


def _coef_label(std: float, p: float | None) -> str:
    return f"β = {std:.2f}{stars(p) if p is not None and np.isfinite(p) else ''}"


def path_diagram(model: FittedModel, lang: str) -> tuple[go.Figure, str]:
    """The latent mediation model as boxes and arrows, each arrow labelled with its standardised path and stars."""
    s = model.structural
    fig = go.Figure()
    for src, dst, key in SEM_ARROWS:
        (x0, y0), (x1, y1) = POSITIONS[src], POSITIONS[dst]
        p = s.paths[key]
        significant = p["std_p"] is not None and p["std_p"] < 0.05
        gap = 82 if y0 == y1 else 30 if x0 == x1 else 40  # pixels between a box's centre and the arrow's ends
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                           arrowhead=3, arrowsize=1.2, arrowwidth=2.5 if significant else 1.2, standoff=gap, startstandoff=gap,
                           arrowcolor=PALETTE["you"] if significant else PALETTE["median"], text="")
        fig.add_annotation(x=(x0 + x1) / 2, y=(y0 + y1) / 2 + 0.04, text=_coef_label(p["std"], p["std_p"]), showarrow=False,
                           font=dict(size=13), bgcolor="white")
    for code, (x, y) in POSITIONS.items():
        fig.add_annotation(x=x, y=y, text=f"<b>{code}</b><br>{construct_name(code, lang)}", showarrow=False,
                           bordercolor="#333", borderwidth=1.5, borderpad=8, bgcolor="#f4f7fb", font=dict(size=12))
    ind = s.indirect
    fig.add_annotation(x=0.5, y=0.05, showarrow=False, font=dict(size=12),
                       text=t("lab_path_indirect", lang, std=ind.std, lo=ind.std_mc_lo, hi=ind.std_mc_hi))
    fig.update_xaxes(visible=False, range=[-0.05, 1.05])
    fig.update_yaxes(visible=False, range=[-0.05, 1.05])
    fig.update_layout(title=t("lab_chart_path_title", lang), plot_bgcolor="white", showlegend=False,
                      **{**LAYOUT, "height": 460})
    fit = s.fit
    return fig, t("lab_chart_path_reading", lang, a=s.paths["DC~AIGC"]["std"], b=s.paths["HQD~DC"]["std"],
                  c=s.paths["HQD~AIGC"]["std"], ind=ind.std, cfi=fit.cfi, rmsea=fit.rmsea, srmr=fit.srmr)


def _path_parts(model: FittedModel, path: str) -> tuple[float, float, float, float, float, int, str, str]:
    """(b0, b1, var b0, cov, var b1, residual df, focal code, moderator code) of the a- or b-path's simple slope."""
    fit, focal, interaction = (model.mediator, "A", "A:W") if path == "a" else (model.outcome, "M", "M:Z")
    i, j = fit.terms.index(focal), fit.terms.index(interaction)
    moderator = PATH_NAMES[path][1]
    return (fit[focal], fit[interaction], fit.cov[i, i], fit.cov[i, j], fit.cov[j, j], fit.df_resid,
            "AIGC" if path == "a" else "DC", moderator)


def simple_slopes_chart(model: FittedModel, path: str, lang: str) -> tuple[go.Figure, str]:
    """Predicted DC over AIGC at IO −1 SD / mean / +1 SD (path 'a'), or HQD over DC at LSC levels (path 'b'), on the 1–5 scale."""
    mm = model.moderated_mediation
    focal_role, mod_role = ("A", "W") if path == "a" else ("M", "Z")
    fit = model.mediator if path == "a" else model.outcome
    focal_code, mod_code = ("AIGC", "IO") if path == "a" else ("DC", "LSC")
    sd_x = mm["sds"][focal_role]
    x = np.linspace(-sd_x * 1.5, sd_x * 1.5, 2)
    base = fit["(Intercept)"] + sum(fit[term] * mean for term, mean in model.control_means.items())  # controls at their means
    fig = go.Figure()
    readings = []
    for s, color in zip(mm["simple_slopes"][path], ("#9aa5b1", "#1f77b4", "#08306b")):
        w = s["at"]
        if path == "a":  # M (centred) = iM + a1·A + a2·W + a3·A·W; shown on DC's 1–5 scale
            y = base + fit["A"] * x + fit["W"] * w + fit["A:W"] * x * w + mm["means"]["M"]
        else:  # Y = iY + b1·M + b2·Z + b3·M·Z (A, W at their means)
            y = base + fit["M"] * x + fit["Z"] * w + fit["M:Z"] * x * w
        level = t("lab_level", lang, moderator=mod_code, level=level_name(s["label"], table_words(lang)), value=w + mm["means"][mod_role])
        fig.add_trace(go.Scatter(x=x + mm["means"][focal_role], y=y, mode="lines", line=dict(color=color, width=3),
                                 name=f"{level}: {s['slope']:.3f}{stars(s['p'])}"))
        readings.append(s["slope"])
    fig.update_layout(title=t("lab_chart_slopes_title", lang, focal=focal_code, moderator=mod_code,
                              outcome="DC" if path == "a" else "HQD"),
                      xaxis_title=construct_name(focal_code, lang) + " (1–5)",
                      yaxis_title=construct_name("DC" if path == "a" else "HQD", lang) + " (1–5)", **LAYOUT)
    return fig, t("lab_chart_slopes_reading", lang, focal=focal_code, moderator=mod_code, low=readings[0],
                  mid=readings[1], high=readings[2])


def johnson_neyman_chart(model: FittedModel, path: str, lang: str) -> tuple[go.Figure, str]:
    """The simple slope across the moderator's observed range with its 95% CI; the region of significance shaded."""
    mm = model.moderated_mediation
    jn = mm["johnson_neyman"][path]
    b0, b1, v0, c01, v1, df, focal, moderator = _path_parts(model, path)
    mean = mm["means"][PATH_NAMES[path][2]]
    lo, hi = jn["range"]
    m = np.linspace(lo, hi, 121)
    slope = b0 + b1 * m
    se = np.sqrt(v0 + 2 * m * c01 + m * m * v1)
    crit = stats.t.ppf(0.975, df)
    regions = significance_regions(jn) if jn["boundaries"] else ([(lo, hi)] if mm["simple_slopes"][path][1]["p"] < 0.05 else [])
    fig = go.Figure()
    for a, b in regions:
        fig.add_vrect(x0=a + mean, x1=b + mean, fillcolor="rgba(44,160,44,0.15)", line_width=0, layer="below")
    x = m + mean
    fig.add_trace(go.Scatter(x=np.concatenate([x, x[::-1]]), y=np.concatenate([slope + crit * se, (slope - crit * se)[::-1]]),
                             fill="toself", fillcolor=PALETTE["band"], line=dict(width=0), name=t("lab_ci95", lang),
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=slope, mode="lines", line=dict(color=PALETTE["you"], width=3),
                             name=t("lab_slope_of", lang, focal=focal), hovertemplate="%{x:.2f}: %{y:.3f}<extra></extra>"))
    fig.add_hline(y=0, line_color="#333", line_width=1)
    for r, inside in zip(jn["boundaries"], jn["in_range"]):
        if inside:
            fig.add_vline(x=r + mean, line_dash="dash", line_color="#2ca02c",
                          annotation_text=f"{moderator} = {r + mean:.2f}", annotation_position="top")
    fig.update_layout(title=t("lab_chart_jn_title", lang, focal=focal, moderator=moderator),
                      xaxis_title=construct_name(moderator, lang) + " (1–5)", yaxis_title=t("lab_slope_of", lang, focal=focal),
                      **LAYOUT)
    if not regions:
        return fig, t("lab_chart_jn_reading_none", lang, focal=focal, moderator=moderator)
    where = "; ".join(f"{a + mean:.2f}–{b + mean:.2f}" for a, b in regions)
    share = sum(b - a for a, b in regions) / (hi - lo) if hi > lo else 1.0
    return fig, t("lab_chart_jn_reading", lang, focal=focal, moderator=moderator, where=where, share=100 * share)


def theta_surface(model: FittedModel, lang: str) -> tuple[go.Figure, str]:
    """θ(w, z) over IO × LSC on the 1–5 scale as a contour map, the ±1 SD grid marked."""
    means, sds = model.means, model.sds
    fig, surface = theta_contour(model, "θ")
    ticks = [-1, 0, 1]
    fig.add_trace(go.Scatter(x=[means["W"] + a * sds["W"] for a in ticks for _ in ticks],
                             y=[means["Z"] + b * sds["Z"] for _ in ticks for b in ticks], mode="markers",
                             marker=dict(size=8, color="#d62728", symbol="x"), name=t("lab_grid_points", lang)))
    fig.update_layout(title=t("lab_chart_surface_title", lang), xaxis_title=construct_name("IO", lang) + " (1–5)",
                      yaxis_title=construct_name("LSC", lang) + " (1–5)", **{**LAYOUT, "height": 460})
    grid_sd = model.moderated_mediation["conditional_indirect_grid"]["sd"]
    return fig, t("lab_chart_surface_reading", lang, low=grid_sd[0]["effect"], high=grid_sd[-1]["effect"],
                  lowest=float(surface.min()), highest=float(surface.max()))


def bootstrap_chart(model: FittedModel, lang: str) -> tuple[go.Figure, str]:
    """Histogram of the bootstrap draws of the indirect effect θ(0, 0) (from the fit's stored draws), CI and estimate marked."""
    draws = indirect_draws(model)
    row = next(r for r in model.moderated_mediation["conditional_indirect_grid"]["sd"] if r["w"] == 0 and r["z"] == 0)
    fig = go.Figure(go.Histogram(x=draws, nbinsx=60, marker_color=PALETTE["you"], opacity=0.75, name=t("lab_draws", lang)))
    fig.add_vline(x=row["effect"], line_color="#d62728", line_width=2.5,
                  annotation_text=f"θ = {row['effect']:.3f}", annotation_position="top right")
    if row["lo"] is not None:
        for bound in (row["lo"], row["hi"]):
            fig.add_vline(x=bound, line_dash="dash", line_color="#333")
    fig.add_vline(x=0, line_color=PALETTE["median"])
    fig.update_layout(title=t("lab_chart_boot_title", lang, b=len(draws)), xaxis_title=t("lab_boot_axis", lang),
                      yaxis_title=t("lab_count", lang), showlegend=False, **LAYOUT)
    if not len(draws):
        return fig, t("lab_chart_boot_reading_none", lang)
    return fig, t("lab_chart_boot_reading", lang, theta=row["effect"], lo=row["lo"], hi=row["hi"],
                  share=100 * float(np.mean(draws > 0)), b=len(draws))


def subgroup_chart(model: FittedModel, lang: str) -> tuple[go.Figure, str] | None:
    """The pilot vs non-pilot comparison (the paper's Figure 3, drawn as the zone page draws it); None if unavailable."""
    rows = zones.subgroup_rows(model.subgroups)
    return None if rows is None else figure3_chart(rows, lang)


def pls_chart(model: FittedModel, lang: str) -> tuple[go.Figure, str] | None:
    """The five standardised paths, CB-SEM (Wald CI) beside PLS-SEM (bootstrap CI); None for a fit without PLS."""
    words = table_words(lang)
    paths, mediation = pls_paths_table(model, words), pls_mediation_table(model, words)
    if paths is None:
        return None
    cb = model.structural.paths
    labels = list(paths.frame["path"])
    cb_beta = [cb[k]["std"] for k in cb]
    cb_half = [Z95 * cb[k]["std_se"] for k in cb]
    pls = paths.frame
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=cb_beta, y=labels, mode="markers", name=t("lab_series_cb", lang), marker=dict(size=10, color=PALETTE["median"]),
                             error_x=dict(type="data", array=cb_half, color=PALETTE["median"])))
    fig.add_trace(go.Scatter(x=pls["pls_beta"], y=labels, mode="markers", name=t("lab_series_pls", lang),
                             marker=dict(size=10, color=PALETTE["you"], symbol="diamond"),
                             error_x=dict(type="data", symmetric=False, array=pls["boot_hi"] - pls["pls_beta"],
                                          arrayminus=pls["pls_beta"] - pls["boot_lo"], color=PALETTE["you"])))
    fig.add_vline(x=0, line=dict(color="#333", width=1))
    fig.update_layout(title=t("lab_chart_pls_title", lang), xaxis_title="β", **LAYOUT)
    share = mediation.frame.iloc[-1]
    return fig, t("lab_chart_pls_reading", lang, agree=int(pls["agree"].fillna(False).sum()), pls=share["pls"],
                  cb=share["cb_sem"], reading=share["reading"])
