"""Publishing a growing pool in steps: a cell's figures change only after STEP new firms have entered it.

Pure (numpy and pandas). A view of a pool that changes with every save differs from the previous view by
one firm's answers; here each cell (the workshop cohort, a zone, a region, …) is shown as it stood at its
last *step*: the moment the number of distinct firms that ever entered it reached a multiple of STEP.
Between two steps its figures stay as they were, so consecutive views differ by at least STEP firms
per changed cell. Stateless: every step is recomputed from the stored history (each assessment row, in
saving order), so every viewer and every restart sees the same view.

`history` columns: `firm` (any id; the same firm's rows share it), `counted` (whether the row may count:
consent for the collected pool, always for a workshop) plus whatever `cells_of` reads. Rows are in saving
order. Units are the history's row positions: a re-saved firm's older row is a different unit.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping

import numpy as np
import pandas as pd

from .disclosure import MIN_FIRMS, Pattern, protect

STEP = MIN_FIRMS  # 5: "updates after every 5 new firms"

CellsOf = Callable[[pd.DataFrame], Mapping[Hashable, np.ndarray]]
"""The cells of a set of rows: key → positions within that frame."""


def _state(history: pd.DataFrame, upto: int) -> np.ndarray:
    """Positions of the rows that count at row `upto`: each firm's newest row so far, if that row counts."""
    head = history.iloc[: upto + 1]
    newest = head.reset_index(drop=True).groupby("firm", sort=False).tail(1)
    return newest.index[newest["counted"].to_numpy(dtype=bool)].to_numpy(dtype=np.int64)


def step_points(history: pd.DataFrame, cells_of: CellsOf) -> dict[Hashable, int]:
    """For every cell, the history position of its last step (or the last row when fewer than STEP firms ever
    entered it: such a cell has fewer than STEP firms and is hidden anyway). `cells_of` must place a row by
    that row's own values (a zone, a region), which the groupings of the zone page and a workshop do."""
    entered: dict[Hashable, set] = {}
    points: dict[Hashable, int] = {}
    firms = history["firm"].to_numpy()
    counted = history["counted"].to_numpy(dtype=bool)
    keys_of: list[list[Hashable]] = [[] for _ in range(len(history))]
    for key, rows in cells_of(history).items():  # a row's cells depend on that row alone
        for row in rows:
            keys_of[row].append(key)
    for i in range(len(history)):
        if not counted[i]:
            continue
        for key in keys_of[i]:
            seen = entered.setdefault(key, set())
            if firms[i] not in seen:
                seen.add(firms[i])
                if len(seen) % STEP == 0:
                    points[key] = i
    last = len(history) - 1
    return {key: points.get(key, last) if len(seen) >= STEP else last for key, seen in entered.items()}


def stepped_cells(history: pd.DataFrame, cells_of: CellsOf) -> dict[Hashable, np.ndarray]:
    """Every cell as it stood at its last step, as history row positions."""
    history = history.reset_index(drop=True)
    points = step_points(history, cells_of)
    by_point: dict[int, list[Hashable]] = {}
    for key, point in points.items():
        by_point.setdefault(point, []).append(key)
    cells: dict[Hashable, np.ndarray] = {}
    for point, keys in by_point.items():
        rows = _state(history, point)
        current = cells_of(history.iloc[rows])
        for key in keys:
            if key in current:
                cells[key] = rows[current[key]]
    return cells


def stepped_pattern(history: pd.DataFrame, cells_of: CellsOf) -> tuple[dict[Hashable, np.ndarray], Pattern]:
    """The stepped cells of the pool now and the pattern that may be published, safe together with the
    view before the newest row (`protect` with that view's cells as known and hiding only what it would add).

    Two consecutive views together let no set of fewer than MIN_FIRMS rows be recomputed: the earlier one
    showed a subset of its own unconstrained pattern, and this one is protected against that whole pattern.
    """
    history = history.reset_index(drop=True)
    cells = stepped_cells(history, cells_of)
    n = len(history)
    if n <= 1:
        return cells, protect(cells, n)
    before = stepped_cells(history.iloc[:-1], cells_of)
    earlier = protect(before, n - 1)
    alone = protect(cells, n)
    fixed = {key: before[key] for key in earlier.shown}
    return cells, protect(cells, n, fixed=fixed, start_hidden=alone.hidden)
