"""The benchmark population's score distributions, by segment, for exact percentile ranks.

Construct scores are means of a few 5-point items, so they take few distinct values: storing the
count of firms at each value per segment keeps percentiles exact while the model stays small.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .instrument import size_band
from .scores import SCORE_COLUMNS

SEGMENT_DIMENSIONS: tuple[str, ...] = ("region", "business_model", "pilot_zone", "size_band")
ALL = "all"


def segment_key(dimension: str, value: object) -> str:
    """Key of one peer segment, e.g. 'region=east', 'pilot_zone=1', 'size_band=50-200'."""
    return f"{dimension}={value}"


def segment_labels(data: pd.DataFrame) -> pd.DataFrame:
    """Each firm's value on every segment dimension present in the data."""
    out = pd.DataFrame(index=data.index)
    for dim in ("region", "business_model"):
        if dim in data.columns:
            out[dim] = data[dim]
    if "pilot_zone" in data.columns:
        out["pilot_zone"] = data["pilot_zone"].map(lambda v: None if pd.isna(v) else str(int(v)))
    if "firm_size" in data.columns:
        out["size_band"] = data["firm_size"].map(lambda v: None if pd.isna(v) else size_band(v))
    return out


def _counts(values: np.ndarray) -> dict:
    uniq, counts = np.unique(np.round(values, 10), return_counts=True)
    return {"values": uniq.tolist(), "counts": counts.astype(int).tolist()}


def score_distributions(scores: pd.DataFrame, data: pd.DataFrame) -> dict:
    """Counts of firms at each score value, overall and per segment value."""
    out = {ALL: {"n": len(scores), "scores": {c: _counts(scores[c].to_numpy()) for c in SCORE_COLUMNS}}}
    labels = segment_labels(data)
    for dim in labels.columns:
        for value in sorted(v for v in labels[dim].dropna().unique()):
            mask = (labels[dim] == value).to_numpy()
            out[segment_key(dim, value)] = {
                "n": int(mask.sum()),
                "scores": {c: _counts(scores[c].to_numpy()[mask]) for c in SCORE_COLUMNS},
            }
    return out


def quantile(dist: dict, q: float) -> float:
    """Quantile of a count distribution (linear interpolation, numpy's default)."""
    expanded = np.repeat(np.asarray(dist["values"], dtype=float), np.asarray(dist["counts"], dtype=int))
    return float(np.quantile(expanded, q))
