"""Construct scores (MODEL.md §2): item means, HQD sub-scores and the 0–100 performance scale."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .instrument import CONSTRUCTS, HQD_DIMENSIONS, ITEM_COLUMNS, LIKERT_MAX, LIKERT_MIN

SCORE_COLUMNS: tuple[str, ...] = tuple(c.code for c in CONSTRUCTS) + tuple(d.code for d in HQD_DIMENSIONS)


_POSITION = {column: i for i, column in enumerate(ITEM_COLUMNS)}
_GROUPS = [(c.code, [_POSITION[i] for i in c.items]) for c in CONSTRUCTS] + \
          [(d.code, [_POSITION[i] for i in d.items]) for d in HQD_DIMENSIONS]


def construct_scores(items: pd.DataFrame) -> pd.DataFrame:
    """Mean of each construct's items and of each HQD dimension's two items, one row per firm."""
    x = items[list(ITEM_COLUMNS)].to_numpy(dtype=float)
    return pd.DataFrame({code: x[:, cols].mean(axis=1) for code, cols in _GROUPS}, index=items.index)


def performance(score: float | np.ndarray) -> float | np.ndarray:
    """A 1–5 score on the 0–100 performance scale: (score − 1) / 4 × 100."""
    return (np.asarray(score, dtype=float) - LIKERT_MIN) / (LIKERT_MAX - LIKERT_MIN) * 100.0
