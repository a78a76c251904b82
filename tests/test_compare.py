"""Comparing two fits: the table holds each fit's own figures, differences and interval overlaps, and the reading."""
from __future__ import annotations

import numpy as np
import pytest

from cbec_core.compare import COLUMNS, compare_fits, reading
from cbec_core.model import fit


@pytest.fixture(scope="module")
def weak(survey):
    """A fit where AIGC barely moves DC: the a-paths and the indirect effect must move notably against `fitted`."""
    data = survey.copy()
    rng = np.random.default_rng(11)
    for item in ("DC1", "DC2", "DC3"):
        data[item] = rng.integers(1, 6, len(data))
    return fit(data, bootstrap=1000, seed=7)


def test_a_fit_compared_with_itself_moves_nothing(fitted):
    table = compare_fits(fitted, fitted)
    assert list(table.columns) == list(COLUMNS)
    assert (table["difference"] == 0).all() and not table["notable"].any()
    assert table.loc[table["group"] != "fit", "overlap"].all()
    assert reading(table).moved == ()


def test_figures_come_from_each_fit(fitted, weak):
    table = compare_fits(fitted, weak).set_index("key")
    s = fitted.structural
    assert table.loc["a", "value_a"] == pytest.approx(s.paths["DC~AIGC"]["std"])
    assert table.loc["a", "lo_a"] == pytest.approx(s.paths["DC~AIGC"]["std"] - 1.96 * s.paths["DC~AIGC"]["std_se"], abs=1e-4)
    assert table.loc["indirect", "value_b"] == pytest.approx(weak.structural.indirect.std)
    assert (table.loc["indirect", "lo_b"], table.loc["indirect", "hi_b"]) == pytest.approx(
        (weak.structural.indirect.std_mc_lo, weak.structural.indirect.std_mc_hi))
    assert table.loc["a3", "value_a"] == pytest.approx(fitted.mediator["A:W"])
    assert [table.loc["a3", "lo_a"], table.loc["a3", "hi_a"]] == pytest.approx(fitted.moderated_mediation["coef_boot_ci"]["mediator"]["A:W"])
    assert table.loc["b3", "value_b"] == pytest.approx(weak.outcome["M:Z"])
    assert table.loc["index_mmm", "value_a"] == pytest.approx(fitted.mediator["A:W"] * fitted.outcome["M:Z"])
    assert table.loc["theta_mean", "value_a"] == pytest.approx(fitted.mediator["A"] * fitted.outcome["M"])
    assert table.loc["cfi", "value_b"] == pytest.approx(weak.structural.fit.cfi)
    assert table.loc["n", "value_a"] == fitted.n_used
    assert (table["difference"] == table["value_b"] - table["value_a"]).all()


def test_a_real_change_is_flagged_and_read(fitted, weak):
    table = compare_fits(fitted, weak)
    moved = set(table.loc[table["notable"], "key"])
    assert {"a", "a1", "indirect"} <= moved
    for _, row in table[table["group"] != "fit"].iterrows():  # notable exactly when the intervals are disjoint
        assert row["notable"] == (row["hi_a"] < row["lo_b"] or row["hi_b"] < row["lo_a"])
    summary = reading(table)
    assert set(summary.moved) == moved and summary.compared == len(table)
    effects = table[table["group"] != "fit"]
    assert summary.largest == effects.loc[effects["difference"].abs().idxmax(), "key"]


def test_fit_indices_are_notable_when_they_cross_their_threshold(fitted, survey):
    misfit = survey.copy()  # three items answer another construct's question: the five-factor model fits badly
    rng = np.random.default_rng(1)
    for item, other in (("DC3", "HQD1"), ("HQD2", "AIGC1"), ("IO1", "LSC1")):
        misfit[item] = np.clip(survey[other] + rng.integers(-1, 2, len(survey)), 1, 5)
    bad = fit(misfit, bootstrap=0)
    table = compare_fits(fitted, bad).set_index("key")
    assert table.loc[["chi2_df", "cfi", "tli", "rmsea", "srmr"], "notable"].all()
    assert table.loc["cfi", "value_a"] > 0.90 > table.loc["cfi", "value_b"]
    assert not table.loc[["r2_mediator", "r2_outcome", "n"], "notable"].any()
    assert table.loc["a3", "lo_b"] == pytest.approx(next(r["lo"] for r in bad.moderated_mediation["mediator_table"] if r["term"] == "A:W"))
