"""Comparing groups of firms (pilot zones, provinces, regions, pilot vs non-pilot): pure statistics.

Everything here returns aggregates only, and what may be published is decided here so that no caller can
forget it: `publication` computes one pattern over every grouping and the total together
(`cbec_core.disclosure`: fewer than MIN_FIRMS firms never, and no group recoverable by subtraction);
`pool_publication` does the same for the collected pool in steps of 5 new firms (`cbec_core.steps`).
A hidden group comes back with `suppressed=True`, its `reason` ("too_few" / "protects") and `note`, and
no count, mean, quartile or effect; quartiles and percentiles need MIN_ORDER (10) firms. `suppress`
re-applies the rules to any table (the export calls it again before writing).

- `group_statistics(source, by)`: firms per group, construct-score means with 95% CIs, quartiles, percentiles.
- `complete_rows(frame)`: the firms the comparison may use (a data set's rows with a missing or
  out-of-range item are left out listwise, MODEL.md §2) and how many were left out.
- `group_effects(source, by, fitted)`: each group's conditional indirect effect of AIGC with a 95% CI —
  the moderated-mediation model refitted on the group with a bootstrap when it has at least
  MIN_REFIT firms and its design is of full rank (`method="refit"`, θ at the group's own means,
  i.e. θ(0, 0) after centring on the group), else the benchmark model evaluated at the group's
  mean IO and LSC with the CI from the benchmark's bootstrap draws (`method="benchmark"`).
- `published_report(pub, by, source)`: what `cbec zones --json` prints.
- `export_frame(table, by, synthetic, lang)`: the table as exported (rules re-applied, synthetic labelled).
- `subgroup_rows(subgroups)`: the paper's Figure 3 (pilot vs non-pilot θ(0, 0) and their difference).
- `policy_what_if(frame, fitted, delta_io)`: the expected change in a group's mean DC and HQD when
  its firms' institutional openness rises by Δ.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

from .bootstrap import percentile_ci
from .instrument import CONSTRUCT_CODES, ITEM_COLUMNS
from .model import DEFAULT_RESAMPLES, DEFAULT_SEED, FittedModel
from .invariance import measurement_invariance
from .moderation import MIN_SUBGROUP, fit_moderation, prepare, subgroup_comparison, theta
from .reference import SYNTHETIC_LABEL
from .disclosure import MIN_ORDER, PROTECTS, TOO_FEW, Pattern, protect
from .scores import construct_scores
from .scoring import MIN_SEGMENT
from .steps import stepped_pattern
from .survey import validate_survey

MIN_FIRMS = MIN_SEGMENT  # 5: a smaller group is never shown or exported
MIN_REFIT = 30  # a group with at least this many firms gets its own model fit
SUPPRESSED_NOTE = f"fewer than {MIN_FIRMS} firms"
GROUPINGS: tuple[str, ...] = ("zone", "province", "region", "pilot_zone")
WHAT_IF_DRAWS = 4000


def _has_scores(frame: pd.DataFrame) -> bool:
    """Whether the frame carries every firm's construct scores (assessments do; data sets have items only)."""
    return all(c in frame.columns for c in CONSTRUCT_CODES) and not frame[list(CONSTRUCT_CODES)].isna().any().any()


def scores_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The five construct scores of each firm (the frame's own score columns if it has them, else from the items)."""
    if _has_scores(frame):
        return frame[list(CONSTRUCT_CODES)].astype(float)
    return construct_scores(frame[list(ITEM_COLUMNS)])[list(CONSTRUCT_CODES)]


def complete_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The firms a comparison may use and how many rows were left out.

    Assessments carry complete construct scores and are used as they are; a data set's rows are
    validated as for fitting, so a row with a missing or out-of-range item is left out (listwise).
    """
    if _has_scores(frame):
        return frame.reset_index(drop=True), 0
    survey = validate_survey(frame)
    return survey.data, survey.n_excluded


def group_labels(frame: pd.DataFrame, by: str) -> pd.Series:
    """Each firm's group under `by` as text; firms with no value (blank, None) get NaN and are left out."""
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by '{by}'; use one of {', '.join(GROUPINGS)}")
    if by not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=object)
    values = frame[by]
    if by == "pilot_zone":
        numeric = pd.to_numeric(values, errors="coerce")
        return numeric.map(lambda v: np.nan if pd.isna(v) else str(int(v)))
    text = values.astype(object).map(lambda v: np.nan if v is None or pd.isna(v) or not str(v).strip() else str(v).strip())
    return text


STAT_COLUMNS: tuple[str, ...] = tuple(f"{c}_{s}" for c in CONSTRUCT_CODES
                                      for s in ("mean", "ci_lo", "ci_hi", "q1", "median", "q3", "p10", "p90"))
ORDER_STATS: tuple[str, ...] = ("q1", "median", "q3", "p10", "p90")
EFFECT_COLUMNS: tuple[str, ...] = ("theta", "lo", "hi", "mean_IO", "mean_LSC")
TOTAL = ("total", "")
NOTES = {TOO_FEW: SUPPRESSED_NOTE, PROTECTS: "hidden to protect another group"}


@dataclass(frozen=True)
class Publication:
    """What a page over one source may publish: its units (firm rows), every cell of every grouping and the
    total as unit positions, and the pattern `cbec_core.disclosure.protect` allows over all of them together."""

    frame: pd.DataFrame
    cells: Mapping[tuple[str, str], np.ndarray]
    pattern: Pattern

    def members(self, by: str, group: str) -> pd.DataFrame:
        """The rows of one cell (for the what-if of a shown group)."""
        return self.frame.iloc[self.cells.get((by, group), np.arange(0))]


def page_cells(frame: pd.DataFrame) -> dict[tuple[str, str], np.ndarray]:
    """Every cell the zone page and `cbec zones` can publish: the total and each group of each grouping."""
    cells: dict[tuple[str, str], np.ndarray] = {TOTAL: np.arange(len(frame))}
    for by in GROUPINGS:
        labels = group_labels(frame, by).reset_index(drop=True)
        for group, idx in labels.groupby(labels, dropna=True).groups.items():
            cells[(by, str(group))] = np.asarray(idx, dtype=np.int64)
    return cells


def publication(frame: pd.DataFrame, cells: Mapping[tuple[str, str], np.ndarray] | None = None, *,
                fixed: Mapping | None = None, start_hidden=()) -> Publication:
    """The publishable pattern over every grouping at once (so that no grouping can be subtracted from another).

    `cells` default to `page_cells(frame)`; the collected pool passes its stepped cells (`cbec_core.steps`)
    with the previous view's cells as `fixed`.
    """
    frame = frame.reset_index(drop=True)
    cells = dict(page_cells(frame) if cells is None else cells)
    return Publication(frame, cells, protect(cells, len(frame), fixed=fixed, start_hidden=start_hidden))


def pool_publication(history: pd.DataFrame) -> Publication:
    """The collected pool's publication: every cell as it stood at its last step of STEP new firms
    (`cbec_core.steps`), protected together with the view before the newest save."""
    history = history.reset_index(drop=True)
    cells, pattern = stepped_pattern(history, page_cells)
    return Publication(history, cells, pattern)


def _as_publication(source: pd.DataFrame | Publication) -> Publication:
    return source if isinstance(source, Publication) else publication(source)


def suppress(table: pd.DataFrame) -> pd.DataFrame:
    """Blank every figure of a hidden group: one of fewer than MIN_FIRMS firms, or one already flagged
    `suppressed` (complementary suppression); its `note` says why. Order statistics (quartiles,
    percentiles) are blanked for groups of fewer than MIN_ORDER firms.

    Idempotent; applied by every function here and again by the export.
    """
    out = table.copy()
    counts = pd.to_numeric(out["n_firms"], errors="coerce")
    small = out["n_firms"].isna() | (counts < MIN_FIRMS)
    flagged = out["suppressed"].astype(bool) if "suppressed" in out.columns else pd.Series(False, index=out.index)
    reason = out["reason"] if "reason" in out.columns else pd.Series("", index=out.index)
    reason = reason.fillna("").astype(object).where(~flagged | (reason.fillna("") != ""), PROTECTS)
    reason = reason.where(~small, TOO_FEW).where(small | flagged, "")
    hide = (small | flagged).to_numpy()
    out["suppressed"] = hide
    out["reason"] = reason.to_numpy()
    out["n_firms"] = counts.astype("Int64").mask(hide)
    figures = [c for c in out.columns if c not in ("group", "n_firms", "suppressed", "note", "method", "reason")]
    for column in figures:
        out[column] = out[column].astype(object).where(~hide, None) if out[column].dtype == object else out[column].mask(hide)
    unordered = (counts < MIN_ORDER).to_numpy() | hide
    for column in (c for c in out.columns if c.rsplit("_", 1)[-1] in ORDER_STATS):
        out[column] = out[column].mask(unordered)
    if "method" in out.columns:
        out["method"] = out["method"].astype(object).where(~hide, None)
    out["note"] = [NOTES.get(r, "") for r in out["reason"]]
    return out


def _groups(pub: Publication, by: str) -> list[tuple[str, pd.DataFrame, str | None]]:
    """(group, its firms' scores, hiding reason or None) for every group of `by`."""
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by '{by}'; use one of {', '.join(GROUPINGS)}")
    scores = scores_frame(pub.frame)
    return [(group, scores.iloc[idx], pub.pattern.hidden.get((grouping, group)))
            for (grouping, group), idx in pub.cells.items() if grouping == by]


def _table(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns)
    table = table.sort_values(["n_firms", "group"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return _order(suppress(table))


def group_statistics(source: pd.DataFrame | Publication, by: str) -> pd.DataFrame:
    """Per group: n_firms, suppressed, reason, note, and per construct its mean, quartiles and 10th/90th percentiles.

    Groups are sorted by size (largest first); firms without a value for `by` are left out. A group is hidden
    as the page's pattern says (`publication`); quartiles and percentiles only from MIN_ORDER firms. The
    10th/90th percentiles (not min/max) are the whiskers.
    """
    rows = []
    for group, part, reason in _groups(_as_publication(source), by):
        row = {"group": group, "n_firms": len(part), "suppressed": reason is not None, "reason": reason or ""}
        for c in CONSTRUCT_CODES:
            v = part[c].to_numpy(dtype=float)
            q = np.percentile(v, [25, 50, 75, 10, 90])
            lo, hi = mean_ci(v)
            row |= {f"{c}_mean": float(v.mean()), f"{c}_ci_lo": lo, f"{c}_ci_hi": hi, f"{c}_q1": q[0],
                    f"{c}_median": q[1], f"{c}_q3": q[2], f"{c}_p10": q[3], f"{c}_p90": q[4]}
        rows.append(row)
    return _table(rows, ["group", "n_firms", "suppressed", "reason", *STAT_COLUMNS])


def mean_ci(values: np.ndarray) -> tuple[float, float]:
    """The t-based 95% CI of a mean (from the sum of squares: linear in squared scores, so the same
    suppression pattern protects it as it protects the means)."""
    n = len(values)
    if n < 2:
        return np.nan, np.nan
    half = float(student_t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n))
    return float(values.mean()) - half, float(values.mean()) + half


def total_statistics(source: pd.DataFrame | Publication) -> dict:
    """The total cell: {"n", "means"} (None for both when the pattern hides it)."""
    pub = _as_publication(source)
    if not pub.pattern.is_shown(TOTAL):
        return {"n": None, "means": None}
    scores = scores_frame(pub.frame).iloc[pub.cells[TOTAL]]
    return {"n": len(scores), "means": {c: float(scores[c].mean()) for c in CONSTRUCT_CODES}}


def _order(table: pd.DataFrame) -> pd.DataFrame:
    first = ["group", "n_firms", "suppressed", "reason", "note"]
    return table[first + [c for c in table.columns if c not in first]]


def benchmark_theta(fitted: FittedModel, io: float, lsc: float) -> tuple[float, float | None, float | None]:
    """The benchmark model's θ at raw IO and LSC, with the percentile CI of its bootstrap draws."""
    w, z = io - fitted.means["W"], lsc - fitted.means["Z"]
    med, out = fitted.mediator, fitted.outcome
    value = float(theta(med["A"], med["A:W"], out["M"], out["M:Z"], w, z))
    d = fitted.draws
    if len(d) == 0:
        return value, None, None
    lo, hi = percentile_ci(theta(d[:, 0], d[:, 1], d[:, 2], d[:, 3], w, z))
    return value, float(lo), float(hi)


def refit_theta(scores: pd.DataFrame, resamples: int, seed: int) -> tuple[float, float | None, float | None] | None:
    """θ at the group's own mean IO and LSC from the model refitted on the group alone (no controls; a
    group often has one region or pilot status, so the controls would be constant), bootstrap CI.

    None when the group's design is rank-deficient (for example every firm gave the same IO answers):
    its model cannot be estimated, so the caller falls back to the benchmark.
    """
    md = prepare(scores, None, ())
    for x in (md.mediator_x(), md.outcome_x()):
        if np.linalg.matrix_rank(x) < x.shape[1]:
            return None
    result = fit_moderation(md, resamples, seed)
    value = float(theta(result.mediator["A"], result.mediator["A:W"], result.outcome["M"], result.outcome["M:Z"], 0.0, 0.0))
    if len(result.draws) == 0:
        return value, None, None
    d = result.draws
    lo, hi = percentile_ci(theta(d[:, 0], d[:, 1], d[:, 2], d[:, 3], 0.0, 0.0))
    return value, float(lo), float(hi)


def group_effects(source: pd.DataFrame | Publication, by: str, fitted: FittedModel, *, min_refit: int = MIN_REFIT,
                  resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Per group: n_firms, suppressed, reason, note, method ("refit" or "benchmark"), theta, lo, hi, mean_IO, mean_LSC.

    θ is the conditional indirect effect of AIGC on HQD through DC (HQD points per point of AIGC).
    A group of at least `min_refit` firms is refitted with `resamples` bootstrap resamples; a smaller
    one is read off the benchmark model at its mean IO and LSC. Hidden groups are never fitted.
    """
    rows = []
    for group, part, reason in _groups(_as_publication(source), by):
        n = len(part)
        row = {"group": group, "n_firms": n, "suppressed": reason is not None, "reason": reason or "", "method": None,
               "theta": np.nan, "lo": np.nan, "hi": np.nan,
               "mean_IO": float(part["IO"].mean()), "mean_LSC": float(part["LSC"].mean())}
        if reason is None and n >= MIN_FIRMS:
            refit = refit_theta(part, resamples, seed) if n >= min_refit else None
            if refit is not None:
                (value, lo, hi), row["method"] = refit, "refit"
            else:
                (value, lo, hi), row["method"] = benchmark_theta(fitted, row["mean_IO"], row["mean_LSC"]), "benchmark"
            row |= {"theta": value, "lo": np.nan if lo is None else lo, "hi": np.nan if hi is None else hi}
        rows.append(row)
    return _table(rows, ["group", "n_firms", "suppressed", "reason", "method", *EFFECT_COLUMNS])


def comparison_table(source: pd.DataFrame | Publication, by: str, fitted: FittedModel, **effect_options) -> pd.DataFrame:
    """The aggregate table the page shows and exports: n, mean of each construct, and θ with its CI and method."""
    pub = _as_publication(source)
    return merge_table(group_statistics(pub, by), group_effects(pub, by, fitted, **effect_options))


def merge_table(stats: pd.DataFrame, effects: pd.DataFrame) -> pd.DataFrame:
    """`comparison_table` from already computed `group_statistics` and `group_effects` (the 5-firm rule re-applied)."""
    means = stats[["group", "n_firms", "suppressed", "reason", "note", *(f"{c}_mean" for c in CONSTRUCT_CODES)]]
    merged = means.merge(effects[["group", "method", "theta", "lo", "hi"]], on="group", how="left")
    return _order(suppress(merged))


def export_frame(table: pd.DataFrame, *, by: str, synthetic: bool, lang: str = "en") -> pd.DataFrame:
    """The aggregate table as the CSV/XLSX export holds it: the 5-firm rule re-applied, the group column
    named for the grouping, and for the synthetic cohort a first `provenance` column with SYNTHETIC_LABEL."""
    out = suppress(table).rename(columns={"group": by})
    if synthetic:
        out.insert(0, "provenance", SYNTHETIC_LABEL[lang])
    return out


REASON_TEXT = {TOO_FEW: "too few firms", PROTECTS: "protects another group"}
GROUP_LABELS = {"region": {"east": "East", "central": "Central", "west": "West"},
                "pilot_zone": {"1": "In a pilot zone", "0": "Not in a pilot zone"}}


def group_label(group: str, by: str) -> str:
    """A group's readable English name (region codes and pilot flags as words; places as they are)."""
    return GROUP_LABELS.get(by, {}).get(group, group)


def published_report(pub: Publication, by: str, source: str) -> dict:
    """What the zone page publishes for one grouping, as `cbec zones --json` prints it.

    `groups` in page order (largest first); `n`, `means` None for a hidden group, `quartiles`
    ({construct: [q1, median, q3]}) None below MIN_ORDER firms, `reason` why a group is hidden.
    """
    stats = group_statistics(pub, by)
    groups = []
    for _, row in stats.iterrows():
        shown = not row["suppressed"]
        n = int(row["n_firms"]) if shown else None
        groups.append({
            "group": row["group"], "label": group_label(row["group"], by), "shown": shown, "n": n,
            "means": {c: float(row[f"{c}_mean"]) for c in CONSTRUCT_CODES} if shown else None,
            "quartiles": ({c: [float(row[f"{c}_{q}"]) for q in ("q1", "median", "q3")] for c in CONSTRUCT_CODES}
                          if shown and n >= MIN_ORDER else None),
            "reason": None if shown else REASON_TEXT[row["reason"]],
        })
    return {"source": source, "by": by, "min_firms": MIN_FIRMS, "total": total_statistics(pub), "groups": groups}


# ---- the paper's subgroup analysis (Figure 3) --------------------------------------------------------

def subgroup_rows(subgroups: dict) -> pd.DataFrame | None:
    """Figure 3's rows — pilot, non_pilot, difference — with n, effect, lo, hi; None when not available."""
    if not subgroups or not subgroups.get("available"):
        return None
    rows = [{"row": label, "n_firms": subgroups[label]["n"], "effect": subgroups[label]["theta00"],
             "lo": subgroups[label]["lo"], "hi": subgroups[label]["hi"]} for label in ("pilot", "non_pilot")]
    d = subgroups["difference"]
    rows.append({"row": "difference", "n_firms": None, "effect": d["effect"], "lo": d["lo"], "hi": d["hi"]})
    return pd.DataFrame(rows)


def subgroups_of(frame: pd.DataFrame, resamples: int, seed: int) -> dict:
    """The pilot vs non-pilot comparison (moderation.subgroup_comparison, no controls) on any frame;
    firms without a pilot flag are left out. Each group needs MIN_SUBGROUP (30) firms, so the 5-firm
    rule always holds; when it is not available, `reason` names no group size (a size under 5 would
    itself be a figure of a small group). `invariance` says at which level the items measure alike in both groups."""
    flags = pd.to_numeric(frame["pilot_zone"], errors="coerce") if "pilot_zone" in frame.columns else None
    if flags is None or flags.isna().all():
        return {"available": False, "reason": "no_flag"}
    keep = flags.notna().to_numpy()
    data = pd.DataFrame({"pilot_zone": flags[keep].astype(int).to_numpy()})
    if min((data["pilot_zone"] == 1).sum(), (data["pilot_zone"] == 0).sum()) < MIN_SUBGROUP:
        return {"available": False, "reason": "too_few"}
    scores = scores_frame(frame.loc[keep]).reset_index(drop=True)
    items = frame.loc[keep, list(ITEM_COLUMNS)].astype(float).assign(pilot_zone=data["pilot_zone"].to_numpy())
    return subgroup_comparison(scores, data, (), resamples, seed) | {"invariance": measurement_invariance(items, "pilot_zone")}


# ---- policy what-if ------------------------------------------------------------------------------------

def policy_what_if(frame: pd.DataFrame, fitted: FittedModel, delta_io: float, *, draws: int = WHAT_IF_DRAWS,
                   seed: int = DEFAULT_SEED) -> dict:
    """Expected change in the mean DC and HQD of a group's firms when each firm's IO rises by `delta_io`.

    The change is the benchmark model's: per firm ΔDC = Δ·(a2 + a3·A_c) and
    ΔHQD = ΔDC·(b1 + b3·Z_c) + Δ·(b4 + b5·Z_c) (centred A, Z; controls cancel), averaged over the firms —
    exactly mean(expected(IO + Δ)) − mean(expected(IO)) of `cbec_core.scoring.expected`. Linear in Δ;
    IO is not capped at 5 (`io_after` says where the mean lands).

    Uncertainty: the stored bootstrap draws hold only a1, a3, b1, b3, c′ — not a2, b4, b5 — so the
    95% interval comes from a normal approximation to the coefficients: `draws` vectors from each
    regression's OLS estimate and covariance (mediator and outcome drawn independently, seeded).
    A group of fewer than MIN_FIRMS firms returns only {"n_firms": None, "suppressed": True, "note": …}.
    """
    scores = scores_frame(frame)
    n = len(scores)
    if n < MIN_FIRMS:
        return {"n_firms": None, "suppressed": True, "note": SUPPRESSED_NOTE}
    a_c = scores["AIGC"].to_numpy(dtype=float) - fitted.means["A"]
    z_c = scores["LSC"].to_numpy(dtype=float) - fitted.means["Z"]
    mean_a, mean_z, mean_az = a_c.mean(), z_c.mean(), (a_c * z_c).mean()
    med, out = fitted.mediator, fitted.outcome
    rng = np.random.default_rng(seed)
    mcoef = np.vstack([med.coef, rng.multivariate_normal(med.coef, med.cov, size=draws, method="eigh")])
    ocoef = np.vstack([out.coef, rng.multivariate_normal(out.coef, out.cov, size=draws, method="eigh")])
    mi, oi = med.terms.index, out.terms.index
    a2, a3 = mcoef[:, mi("W")], mcoef[:, mi("A:W")]
    b1, b3, b4, b5 = ocoef[:, oi("M")], ocoef[:, oi("M:Z")], ocoef[:, oi("W")], ocoef[:, oi("W:Z")]
    d_dc = delta_io * (a2 + a3 * mean_a)
    d_hqd = delta_io * (a2 * b1 + a2 * b3 * mean_z + a3 * b1 * mean_a + a3 * b3 * mean_az + b4 + b5 * mean_z)
    (dc_lo, hqd_lo), (dc_hi, hqd_hi) = percentile_ci(np.column_stack([d_dc[1:], d_hqd[1:]]))
    mean_io = float(scores["IO"].mean())
    return {"n_firms": n, "suppressed": False, "note": "", "delta_io": float(delta_io),
            "io_before": mean_io, "io_after": mean_io + float(delta_io),
            "dc_change": float(d_dc[0]), "dc_lo": float(dc_lo), "dc_hi": float(dc_hi),
            "hqd_change": float(d_hqd[0]), "hqd_lo": float(hqd_lo), "hqd_hi": float(hqd_hi),
            "uncertainty": "normal approximation from the OLS covariance"}
