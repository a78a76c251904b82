"""The collected pool: complete, consented self-assessments that can be fitted as a benchmark of the tool's own users.

A firm counts once (its newest assessment) and only when it answered all 19 items (quick mode gives
construct scores, not items, and the measurement model needs the items).
"""
from __future__ import annotations

from typing import Final

POOL_THRESHOLD: Final[int] = 100
"""Complete consented assessments needed before the dashboard offers to fit a model on them."""


def still_needed(n_complete: int, threshold: int = POOL_THRESHOLD) -> int:
    """How many more complete consented assessments the pool needs before it can be fitted (0 when ready)."""
    return max(0, threshold - n_complete)


def pool_label(n: int, date: str) -> str:
    """The label of a fit of the collected pool (shown in the version list and the benchmark banner)."""
    return f"Collected pool of {n} consenting firms ({date})"
