"""A workshop cohort's figures: the construct distributions, the AIGC × HQD plane, the common lever, the benchmark.

Pure (numpy and pandas; no Streamlit, no store). The 5-firm rule is enforced here: a cohort of fewer
than MIN_COHORT firms gives its count and nothing else, so no page or export can show more by mistake.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .instrument import ANTECEDENTS, CONSTRUCT_CODES, ITEM_COLUMNS
from .model import FittedModel
from .population import quantile
from .scores import SCORE_COLUMNS
from .scoring import MIN_SEGMENT, expected

MIN_COHORT = MIN_SEGMENT  # 5: the same rule as peer segments
QUARTILES = (("min", 0.0), ("q1", 0.25), ("median", 0.5), ("q3", 0.75), ("max", 1.0))
ANONYMOUS_COLUMNS: tuple[str, ...] = (
    *ITEM_COLUMNS, *SCORE_COLUMNS, "size_band", "region", "business_model", "pilot_zone",
    "hqd_expected", "hqd_gap", "theta", "priority_lever",
)
"""What leaves the workshop in an export: answers, scores and coarse controls. Never the firm key, the row id,
the time, the exact firm size or age, the province or the free-text zone."""


@dataclass(frozen=True)
class CohortSummary:
    """A cohort's figures; when `suppressed` (fewer than MIN_COHORT firms) only `n` is filled in."""

    n: int
    suppressed: bool
    distributions: dict[str, dict[str, float]] = field(default_factory=dict)  # construct → min q1 median q3 max mean
    points: pd.DataFrame | None = None  # AIGC, HQD per firm, in score order (no join order, no key)
    lever_counts: dict[str, int] = field(default_factory=dict)
    top_lever: str | None = None
    top_lever_share: float | None = None
    benchmark: pd.DataFrame | None = None  # construct, cohort_median, benchmark_median, benchmark_q1, benchmark_q3, share_above


def _newest_per_firm(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per firm key (its newest); rows without a key each count as a firm."""
    if "firm_key" not in frame.columns or frame.empty:
        return frame
    order = [c for c in ("created_at", "id") if c in frame.columns]
    ordered = frame.sort_values(order) if order else frame
    keyed = ordered[ordered["firm_key"].notna()].drop_duplicates("firm_key", keep="last")
    return pd.concat([keyed, ordered[ordered["firm_key"].isna()]])


def cohort_summary(frame: pd.DataFrame, benchmark: Mapping[str, Mapping] | None = None) -> CohortSummary:
    """Summarise a cohort's assessments (columns as `db.assessments.RECORD_COLUMNS`; at least the construct scores).

    `benchmark` is a benchmark segment's score distributions (`fitted.distributions["all"]["scores"]`); without
    it there is no benchmark comparison. Fewer than MIN_COHORT firms: the count only.
    """
    frame = _newest_per_firm(frame)
    n = len(frame)
    if n < MIN_COHORT:
        return CohortSummary(n=n, suppressed=True)
    scores = frame[list(CONSTRUCT_CODES)].astype(float)
    distributions = {}
    for code in CONSTRUCT_CODES:
        values = scores[code].dropna().to_numpy()
        distributions[code] = {k: float(np.quantile(values, q)) for k, q in QUARTILES} | {"mean": float(values.mean())}
    points = scores[["AIGC", "HQD"]].sort_values(["AIGC", "HQD"]).reset_index(drop=True)
    levers = frame["priority_lever"].dropna() if "priority_lever" in frame.columns else pd.Series(dtype=object)
    counts = {code: int((levers == code).sum()) for code in ANTECEDENTS if (levers == code).any()}
    top = max(counts, key=lambda c: (counts[c], -ANTECEDENTS.index(c))) if counts else None  # ties: model order
    comparison = None
    if benchmark:
        rows = []
        for code in CONSTRUCT_CODES:
            dist = benchmark[code]
            bench_median = quantile(dist, 0.5)
            rows.append({"construct": code, "cohort_median": distributions[code]["median"],
                         "benchmark_median": bench_median, "benchmark_q1": quantile(dist, 0.25),
                         "benchmark_q3": quantile(dist, 0.75),
                         "share_above": float((scores[code] > bench_median).mean())})
        comparison = pd.DataFrame(rows)
    return CohortSummary(n=n, suppressed=False, distributions=distributions, points=points, lever_counts=counts,
                         top_lever=top, top_lever_share=(counts[top] / n) if top else None, benchmark=comparison)


def anonymised(frame: pd.DataFrame, *, seed: int | None = None) -> pd.DataFrame | None:
    """The cohort's assessments for export, one row per firm, stripped to ANONYMOUS_COLUMNS and shuffled.

    None for a cohort of fewer than MIN_COHORT firms (nothing may leave it). Rows are numbered 1…n after
    shuffling, so the order says nothing about who joined when.
    """
    frame = _newest_per_firm(frame)
    if len(frame) < MIN_COHORT:
        return None
    out = frame.reindex(columns=list(ANONYMOUS_COLUMNS)).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    out.insert(0, "participant", np.arange(1, len(out) + 1))
    return out


def expected_line(fitted: FittedModel, points: int = 41) -> pd.DataFrame:
    """The model's expected HQD along AIGC 1–5, at the benchmark's mean IO and LSC (and mean controls)."""
    grid = np.linspace(1.0, 5.0, points)
    w = np.full_like(grid, fitted.means["W"])
    z = np.full_like(grid, fitted.means["Z"])
    _, hqd = expected(fitted, grid, w, z)
    return pd.DataFrame({"AIGC": grid, "HQD_expected": hqd})
