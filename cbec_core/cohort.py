"""A workshop cohort's figures: the construct distributions, the AIGC × HQD plane, the common lever, the benchmark.

Pure (numpy and pandas; no Streamlit, no store). The disclosure rules are enforced here, so no page or export
can show more by mistake: a cohort of fewer than MIN_COHORT firms gives its count and nothing else; order
statistics and the firms' dots need MIN_ORDER firms; the live view publishes the cohort in steps of 5 new
firms (`published_cohort`); firm-level rows leave only for participants who chose to share them, k-anonymous
on the quasi-identifiers (`shared_rows`).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .instrument import ANTECEDENTS, CONSTRUCT_CODES, ITEM_COLUMNS
from .model import FittedModel
from .disclosure import MIN_ORDER
from .population import quantile
from .scores import SCORE_COLUMNS
from .scoring import MIN_SEGMENT, expected
from .steps import stepped_cells
from .zones import mean_ci

MIN_COHORT = MIN_SEGMENT  # 5: the same rule as peer segments
PERCENTILES = (("p10", 0.10), ("q1", 0.25), ("median", 0.5), ("q3", 0.75), ("p90", 0.90))
"""Order statistics, from MIN_ORDER firms only; whiskers at the 10th/90th percentile, never a firm's min or max."""
QUASI_IDENTIFIERS: tuple[str, ...] = ("size_band", "business_model", "pilot_zone", "region", "zone")
"""What could single a firm out in a shared row; each combination is shared by at least K_ANONYMITY rows."""
K_ANONYMITY = MIN_SEGMENT
SHARED_COLUMNS: tuple[str, ...] = (*QUASI_IDENTIFIERS, *ITEM_COLUMNS, *SCORE_COLUMNS, "hqd_expected", "hqd_gap",
                                   "theta", "priority_lever")
"""What a shared row holds: answers, scores and coarsened controls. Never the firm key, row id, time, exact
size or age, province or free text."""
WITHHELD = "*"  # a quasi-identifier generalised away in a shared row


@dataclass(frozen=True)
class CohortSummary:
    """A cohort's figures; when `suppressed` (fewer than MIN_COHORT firms) only `n` is filled in."""

    n: int
    suppressed: bool
    distributions: dict[str, dict[str, float]] = field(default_factory=dict)  # construct → mean, ci_lo, ci_hi (+ PERCENTILES from 10)
    points: pd.DataFrame | None = None  # AIGC, HQD per firm in score order, from MIN_ORDER firms only
    lever_counts: dict[str, int] = field(default_factory=dict)
    top_lever: str | None = None
    top_lever_share: float | None = None
    benchmark: pd.DataFrame | None = None  # construct, cohort_value (median from 10 firms, else mean), benchmark_median, _q1, _q3, share_above

    @property
    def ordered(self) -> bool:
        """Whether order statistics (quartiles, the firms' dots) may be shown: MIN_ORDER firms or more."""
        return not self.suppressed and self.n >= MIN_ORDER


def _newest_per_firm(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per firm key (its newest); rows without a key each count as a firm."""
    if "firm_key" not in frame.columns or frame.empty:
        return frame
    order = [c for c in ("created_at", "id") if c in frame.columns]
    ordered = frame.sort_values(order) if order else frame
    keyed = ordered[ordered["firm_key"].notna()].drop_duplicates("firm_key", keep="last")
    return pd.concat([keyed, ordered[ordered["firm_key"].isna()]])


def _whole(frame: pd.DataFrame) -> dict:
    return {("total", ""): np.arange(len(frame))}


def published_cohort(history: pd.DataFrame) -> pd.DataFrame:
    """The cohort as the live view publishes it: each firm's row as it stood at the cohort's last step of
    STEP new firms (`cbec_core.steps`), so two consecutive views differ by at least 5 firms."""
    if history.empty:
        return history
    rows = stepped_cells(history.reset_index(drop=True), _whole).get(("total", ""), np.arange(0))
    return history.reset_index(drop=True).iloc[rows].reset_index(drop=True)


def cohort_summary(frame: pd.DataFrame, benchmark: Mapping[str, Mapping] | None = None) -> CohortSummary:
    """Summarise a cohort's assessments (columns as `db.assessments.RECORD_COLUMNS`; at least the construct scores).

    `benchmark` is a benchmark segment's score distributions (`fitted.distributions["all"]["scores"]`); without
    it there is no benchmark comparison. Fewer than MIN_COHORT firms: the count only. Fewer than MIN_ORDER:
    means with their 95% CI, no percentile and no dots.
    """
    frame = _newest_per_firm(frame)
    n = len(frame)
    if n < MIN_COHORT:
        return CohortSummary(n=n, suppressed=True)
    ordered = n >= MIN_ORDER
    scores = frame[list(CONSTRUCT_CODES)].astype(float)
    distributions = {}
    for code in CONSTRUCT_CODES:
        values = scores[code].dropna().to_numpy()
        lo, hi = mean_ci(values)
        distributions[code] = {"mean": float(values.mean()), "ci_lo": lo, "ci_hi": hi}
        if ordered:
            distributions[code] |= {k: float(np.quantile(values, q)) for k, q in PERCENTILES}
    points = scores[["AIGC", "HQD"]].sort_values(["AIGC", "HQD"]).reset_index(drop=True) if ordered else None
    levers = frame["priority_lever"].dropna() if "priority_lever" in frame.columns else pd.Series(dtype=object)
    counts = {code: int((levers == code).sum()) for code in ANTECEDENTS if (levers == code).any()}
    top = max(counts, key=lambda c: (counts[c], -ANTECEDENTS.index(c))) if counts else None  # ties: model order
    comparison = None
    if benchmark:
        rows = []
        for code in CONSTRUCT_CODES:
            dist = benchmark[code]
            bench_median = quantile(dist, 0.5)
            rows.append({"construct": code, "cohort_value": distributions[code]["median" if ordered else "mean"],
                         "benchmark_median": bench_median, "benchmark_q1": quantile(dist, 0.25),
                         "benchmark_q3": quantile(dist, 0.75),
                         "share_above": float((scores[code] > bench_median).mean())})
        comparison = pd.DataFrame(rows)
    return CohortSummary(n=n, suppressed=False, distributions=distributions, points=points, lever_counts=counts,
                         top_lever=top, top_lever_share=(counts[top] / n) if top else None, benchmark=comparison)


def k_anonymity(frame: pd.DataFrame, columns: tuple[str, ...] = QUASI_IDENTIFIERS) -> int:
    """The size of the smallest group of rows sharing one combination of `columns` (0 for no rows)."""
    present = [c for c in columns if c in frame.columns]
    if frame.empty:
        return 0
    if not present:
        return len(frame)
    return int(frame[present].astype(str).value_counts(dropna=False).min())


def shared_rows(frame: pd.DataFrame, *, k: int = K_ANONYMITY, seed: int | None = None) -> pd.DataFrame:
    """The rows of participants who ticked "share my row with the facilitator", k-anonymous on QUASI_IDENTIFIERS.

    Each firm once (its newest row). Rows whose combination is rarer than `k` have their quasi-identifiers
    generalised to WITHHELD one at a time (zone first, then region, pilot flag, business model, size band);
    rows still in a class of fewer than `k` after all are withheld. Shuffled and numbered 1…n, so the order says
    nothing about who joined when. Empty when fewer than `k` rows can be shown.
    """
    frame = _newest_per_firm(frame)
    if "share_row" in frame.columns:
        frame = frame[frame["share_row"].fillna(False).astype(bool)]
    out = frame.reindex(columns=list(SHARED_COLUMNS)).astype({c: object for c in QUASI_IDENTIFIERS})
    out[list(QUASI_IDENTIFIERS)] = out[list(QUASI_IDENTIFIERS)].map(lambda v: WITHHELD if pd.isna(v) else str(v))
    for column in reversed(QUASI_IDENTIFIERS):  # zone goes first
        sizes = out.groupby(list(QUASI_IDENTIFIERS), dropna=False)[column].transform("size")
        if (sizes >= k).all():
            break
        out.loc[(sizes < k).to_numpy(), column] = WITHHELD
    sizes = out.groupby(list(QUASI_IDENTIFIERS), dropna=False)["zone"].transform("size") if len(out) else pd.Series(dtype=int)
    out = out[(sizes >= k).to_numpy()]
    out = out.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    out.insert(0, "participant", np.arange(1, len(out) + 1))
    return out


def expected_line(fitted: FittedModel, points: int = 41) -> pd.DataFrame:
    """The model's expected HQD along AIGC 1–5, at the benchmark's mean IO and LSC (and mean controls)."""
    grid = np.linspace(1.0, 5.0, points)
    w = np.full_like(grid, fitted.means["W"])
    z = np.full_like(grid, fitted.means["Z"])
    _, hqd = expected(fitted, grid, w, z)
    return pd.DataFrame({"AIGC": grid, "HQD_expected": hqd})
