"""cbec_core.disclosure and cbec_core.steps: complementary suppression that survives subtraction, and stepped pools."""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from cbec_core import zones
from cbec_core.disclosure import MIN_FIRMS, PROTECTS, TOO_FEW, protect, violations
from cbec_core.reference import reference_cohort
from cbec_core.scores import construct_scores
from cbec_core.steps import STEP, stepped_cells, stepped_pattern


def _issue_layout() -> dict:
    """The issue's attack: 7 firms all east; Zhejiang 6 (all pilot, zone Hangzhou), Jiangsu 1 (not pilot)."""
    return {("total", ""): range(7), ("region", "east"): range(7), ("province", "Zhejiang"): range(6),
            ("province", "Jiangsu"): [6], ("pilot_zone", "1"): range(6), ("pilot_zone", "0"): [6],
            ("zone", "Hangzhou"): range(6)}


def _shown(cells: dict, keys) -> dict:
    return {k: cells[k] for k in keys}


def _in_row_space(rows: list, n: int, units) -> bool:
    """Independent check by rank: is the indicator of `units` a combination of the rows' indicators?"""
    if not rows:
        return False
    matrix = np.zeros((len(rows), n))
    for i, members in enumerate(rows):
        matrix[i, list(members)] = 1
    target = np.zeros(n)
    target[list(units)] = 1
    return np.linalg.matrix_rank(np.vstack([matrix, target])) == np.linalg.matrix_rank(matrix)


def test_the_per_grouping_rule_can_be_subtracted_around():
    cells = _issue_layout()
    per_grouping = [k for k, m in cells.items() if len(m) >= MIN_FIRMS]
    found = violations(_shown(cells, per_grouping), 7)
    assert (6,) in [v.units for v in found]  # 7 × east − 6 × Zhejiang is the Jiangsu firm


def test_protect_closes_the_issue_attack_and_says_why():
    cells = _issue_layout()
    pattern = protect(cells, 7)
    assert violations(_shown(cells, pattern.shown), 7, hidden=_shown(cells, pattern.hidden)) == []
    assert pattern.hidden[("province", "Jiangsu")] == TOO_FEW and pattern.hidden[("pilot_zone", "0")] == TOO_FEW
    assert pattern.hidden[("province", "Zhejiang")] == PROTECTS and pattern.hidden[("pilot_zone", "1")] == PROTECTS
    assert ("total", "") in pattern.shown  # the whole is still shown: 7 firms, nothing under 5 follows from it


def test_violations_finds_hidden_cells_and_differences():
    cells = {"a": range(10), "b": range(4), "c": range(4, 10), "d": range(6)}
    # a − c = b (4 firms): hidden b is recoverable, and so is the 4-firm difference
    found = violations(_shown(cells, ["a", "c"]), 10, hidden=_shown(cells, ["b"]))
    assert {v.cell for v in found} == {None, "b"}
    # d − b' where b' = firms 0..3: with a, c, d shown, d − (a − c) = firms 4, 5
    assert (4, 5) in [v.units for v in violations(_shown(cells, ["a", "c", "d"]), 10)]


@pytest.mark.parametrize("seed", range(12))
def test_protected_patterns_pass_an_independent_brute_force_check(seed):
    """Random nested layouts (regions ⊃ provinces ⊃ zones, a pilot flag) of 14–24 firms: after `protect`, no set
    of 1–4 firms and no hidden cell is in the row space — checked by rank over every such set, not by atoms."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(14, 25))
    province = rng.integers(0, 5, n)
    region = province // 2
    pilot = rng.random(n) < 0.6
    zone = np.where(pilot, province * 2 + rng.integers(0, 2, n), -1)
    cells = {("total", ""): np.arange(n)}
    for name, values in (("region", region), ("province", province), ("zone", zone), ("pilot_zone", pilot.astype(int))):
        for v in np.unique(values):
            if not (name == "zone" and v == -1):
                cells[(name, str(v))] = np.flatnonzero(values == v)
    pattern = protect(cells, n)
    rows = [cells[k] for k in pattern.shown]
    for size in range(1, MIN_FIRMS):
        for units in combinations(range(n), size):
            assert not _in_row_space(rows, n, units), (seed, units)
    for key in pattern.hidden:
        assert not _in_row_space(rows, n, cells[key]), (seed, key)
    assert violations(_shown(cells, pattern.shown), n, hidden=_shown(cells, pattern.hidden)) == []


@pytest.fixture(scope="module")
def cohort():
    frame, _ = zones.complete_rows(reference_cohort())
    return frame


def test_the_reference_cohort_keeps_most_groups(cohort):
    pub = zones.publication(cohort)
    naive = [k for k, m in pub.cells.items() if len(m) >= MIN_FIRMS]
    kept = sum(k in pub.pattern.shown for k in naive)
    assert kept >= len(naive) / 2
    hidden = {k: pub.cells[k] for k in pub.pattern.hidden}
    assert violations(_shown(pub.cells, pub.pattern.shown), len(cohort), hidden=hidden) == []


def _adversarial(cohort: pd.DataFrame) -> pd.DataFrame:
    """The reference cohort with places laid out against a per-grouping rule: a province one firm larger than
    its only zone, a region one firm larger than its province, pilot flags that leave one firm out."""
    frame = cohort.copy()
    frame.loc[:, ["region", "province", "zone"]] = frame[["region", "province", "zone"]].astype(object)
    frame.loc[0:5, ["region", "province", "zone", "pilot_zone"]] = ["west", "Qinghai", "Xining", 1]
    frame.loc[6, ["region", "province", "zone", "pilot_zone"]] = ["west", "Qinghai", None, 0]
    frame.loc[7:12, ["region", "province", "zone", "pilot_zone"]] = ["central", "Shanxi", "Taiyuan", 1]
    frame.loc[13, ["region", "province", "zone", "pilot_zone"]] = ["central", "Shanxi", "Datong", 1]
    return frame


def test_an_adversarial_layout_is_protected_across_all_four_groupings(cohort):
    frame = _adversarial(cohort)
    pub = zones.publication(frame)
    shown = _shown(pub.cells, pub.pattern.shown)
    assert violations(shown, len(frame), hidden={k: pub.cells[k] for k in pub.pattern.hidden}) == []
    assert not {("province", "Qinghai"), ("zone", "Xining")} <= pub.pattern.shown  # they differ by one firm
    naive = [k for k, m in pub.cells.items() if len(m) >= MIN_FIRMS]
    assert sum(k in pub.pattern.shown for k in naive) >= len(naive) / 2


# ---- stepped pools -------------------------------------------------------------------------------

def _pool(n: int, seed: int = 5) -> pd.DataFrame:
    frame = reference_cohort().sample(n, random_state=seed).reset_index(drop=True)
    history = pd.concat([frame, construct_scores(frame)], axis=1)
    history.insert(0, "firm", np.arange(n))
    history.insert(1, "counted", True)
    return history


def test_a_cell_changes_only_after_five_new_firms():
    history = _pool(23)
    total = [len(stepped_cells(history.iloc[:k], zones.page_cells)[("total", "")]) for k in range(1, 24)]
    assert total == [k if k < STEP else STEP * (k // STEP) for k in range(1, 24)]


def test_consecutive_pool_views_reveal_no_single_firm():
    """Firms saved one by one: the published cells of every two consecutive views together let no set of fewer
    than five firms be recomputed."""
    history = _pool(40)
    previous: dict = {}
    for k in range(1, len(history) + 1):
        cells, pattern = stepped_pattern(history.iloc[:k], zones.page_cells)
        now = {("now", key): cells[key] for key in pattern.shown}
        assert violations(now | previous, k) == [], k
        previous = {("then", key): cells[key] for key in pattern.shown}
