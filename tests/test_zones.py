"""cbec_core.zones: the 5-firm rule, how each group's θ is estimated, the policy what-if, Figure 3."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cbec_core import zones
from cbec_core.moderation import theta
from cbec_core.reference import SYNTHETIC_LABEL
from cbec_core.scores import construct_scores
from cbec_core.scoring import MIN_SEGMENT, expected


@pytest.fixture(scope="module")
def zoned(survey):
    """The test survey with zones of 40, 12, 5, 4 and 1 firms; the rest have no zone."""
    frame = survey.copy()
    sizes = {"Alpha": 40, "Beta": 12, "Gamma": 5, "Delta": 4, "Epsilon": 1}
    labels = [name for name, n in sizes.items() for _ in range(n)]
    frame["zone"] = labels + [""] * (len(frame) - len(labels))
    frame["province"] = None
    return frame


def _row(table: pd.DataFrame, group: str) -> pd.Series:
    return table.set_index("group").loc[group]


def test_min_firms_is_the_scoring_segment_minimum():
    assert zones.MIN_FIRMS == MIN_SEGMENT == 5
    assert zones.SUPPRESSED_NOTE == "fewer than 5 firms"


@pytest.mark.parametrize("builder", ["statistics", "effects", "table"])
def test_groups_under_five_firms_are_suppressed(zoned, fitted, builder):
    table = {"statistics": lambda: zones.group_statistics(zoned, "zone"),
             "effects": lambda: zones.group_effects(zoned, "zone", fitted, resamples=200),
             "table": lambda: zones.comparison_table(zoned, "zone", fitted, resamples=200)}[builder]()
    assert set(table["group"]) == {"Alpha", "Beta", "Gamma", "Delta", "Epsilon"}  # blank zones are left out
    figures = [c for c in table.columns if c not in ("group", "n_firms", "suppressed", "reason", "note", "method")]
    for group in ("Delta", "Epsilon"):
        row = _row(table, group)
        assert row["suppressed"] and row["note"] == "fewer than 5 firms"
        assert pd.isna(row["n_firms"]) and all(pd.isna(row[c]) for c in figures)
        if "method" in table.columns:
            assert row["method"] is None
    for group, n in (("Alpha", 40), ("Beta", 12), ("Gamma", 5)):
        row = _row(table, group)
        assert not row["suppressed"] and row["note"] == "" and row["n_firms"] == n
        ordered = n >= zones.MIN_ORDER  # quartiles and percentiles only from 10 firms
        assert all(pd.notna(row[c]) == (ordered or not c.endswith(zones.ORDER_STATS)) for c in figures
                   if not c.endswith(("lo", "hi")))


def test_statistics_are_the_groups_own(zoned):
    stats = zones.group_statistics(zoned, "zone")
    scores = construct_scores(zoned)
    beta = scores.loc[(zoned["zone"] == "Beta").to_numpy()]
    row = _row(stats, "Beta")
    for c in ("AIGC", "HQD"):
        assert row[f"{c}_mean"] == pytest.approx(beta[c].mean())
        assert row[f"{c}_median"] == pytest.approx(beta[c].median())
        assert row[f"{c}_q1"] == pytest.approx(np.percentile(beta[c], 25))


def test_suppress_is_idempotent_and_catches_any_small_row():
    table = pd.DataFrame({"group": ["a", "b"], "n_firms": [3, 9], "HQD_mean": [4.5, 3.0], "method": ["benchmark", "refit"]})
    once = zones.suppress(table)
    assert zones.suppress(once).equals(once)
    assert once.loc[0, "note"] == "fewer than 5 firms" and pd.isna(once.loc[0, "HQD_mean"]) and once.loc[0, "method"] is None
    assert once.loc[1, "HQD_mean"] == 3.0 and once.loc[1, "n_firms"] == 9


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_export_reapplies_the_rule_and_labels_synthetic(zoned, fitted, lang):
    table = zones.comparison_table(zoned, "zone", fitted, resamples=200)
    tampered = table.copy()
    tampered["suppressed"] = False  # even a table whose flags were lost is suppressed again by its counts
    tampered["n_firms"] = tampered["n_firms"].fillna(2)
    tampered["HQD_mean"] = tampered["HQD_mean"].fillna(4.9)
    out = zones.export_frame(tampered, by="zone", synthetic=True, lang=lang)
    assert list(out.columns[:2]) == ["provenance", "zone"]
    assert (out["provenance"] == SYNTHETIC_LABEL[lang]).all()
    small = out[out["zone"].isin(["Delta", "Epsilon"])]
    assert len(small) == 2 and (small["note"] == "fewer than 5 firms").all()
    assert small[["n_firms", "HQD_mean", "theta", "lo", "hi", "method"]].isna().all().all()
    real = zones.export_frame(table, by="zone", synthetic=False)
    assert "provenance" not in real.columns and real.equals(zones.suppress(table).rename(columns={"group": "zone"}))


def test_complete_rows_leave_out_incomplete_answers_listwise(survey):
    frame = survey.copy().astype({"DC2": object, "HQD4": object})
    frame.loc[3, "DC2"] = None
    frame.loc[7, "HQD4"] = 6  # outside the 1–5 scale
    used, excluded = zones.complete_rows(frame)
    assert excluded == 2 and len(used) == len(frame) - 2
    assert zones.group_statistics(used, "region")["n_firms"].sum() == len(frame) - 2
    scored = pd.concat([survey, construct_scores(survey)], axis=1)  # assessments carry their scores
    assert zones.complete_rows(scored)[1] == 0


def test_a_group_whose_model_cannot_be_estimated_falls_back_to_the_benchmark(survey, fitted):
    """Forty firms with identical IO answers: the group's own moderation model is rank-deficient."""
    frame = survey.iloc[:40].copy()
    frame[["IO1", "IO2", "IO3"]] = 4
    frame["zone"] = "Same"
    row = _row(zones.group_effects(frame, "zone", fitted, resamples=100), "Same")
    assert row["method"] == "benchmark"
    assert row["theta"] == pytest.approx(zones.benchmark_theta(fitted, 4.0, row["mean_LSC"])[0])


def test_subgroups_of_names_no_group_size(survey):
    few = survey.copy()
    few["pilot_zone"] = [1] * (len(few) - 3) + [0] * 3
    assert zones.subgroups_of(few, 50, 1) == {"available": False, "reason": "too_few"}
    assert zones.subgroups_of(survey.drop(columns="pilot_zone"), 50, 1) == {"available": False, "reason": "no_flag"}


def test_refit_for_large_groups_benchmark_for_small(zoned, fitted):
    effects = zones.group_effects(zoned, "zone", fitted, resamples=300, seed=11)
    assert _row(effects, "Alpha")["method"] == "refit"
    assert _row(effects, "Beta")["method"] == "benchmark" and _row(effects, "Gamma")["method"] == "benchmark"
    # the threshold is a parameter: with min_refit above 40 every group uses the benchmark
    assert set(zones.group_effects(zoned, "zone", fitted, min_refit=41)["method"].dropna()) == {"benchmark"}


def test_benchmark_theta_is_the_model_at_the_group_means(zoned, fitted):
    effects = zones.group_effects(zoned, "zone", fitted)
    row = _row(effects, "Beta")
    scores = construct_scores(zoned).loc[(zoned["zone"] == "Beta").to_numpy()]
    w, z = scores["IO"].mean() - fitted.means["W"], scores["LSC"].mean() - fitted.means["Z"]
    med, out = fitted.mediator, fitted.outcome
    assert row["theta"] == pytest.approx(theta(med["A"], med["A:W"], out["M"], out["M:Z"], w, z))
    d = fitted.draws
    lo, hi = np.percentile(theta(d[:, 0], d[:, 1], d[:, 2], d[:, 3], w, z), [2.5, 97.5])
    assert (row["lo"], row["hi"]) == pytest.approx((lo, hi))


def test_refit_theta_matches_the_subgroup_fit(survey, fitted):
    """Grouping by pilot flag refits each group exactly as the model's subgroup analysis does (same θ(0,0))."""
    effects = zones.group_effects(survey, "pilot_zone", fitted, resamples=0)
    for flag, label in (("1", "pilot"), ("0", "non_pilot")):
        row = _row(effects, flag)
        assert row["method"] == "refit" and row["n_firms"] == fitted.subgroups[label]["n"]
        assert row["theta"] == pytest.approx(fitted.subgroups[label]["theta00"])


@pytest.mark.parametrize("delta", [0.0, 0.3, 1.0, -0.5])
def test_what_if_equals_the_change_in_expected_values(zoned, fitted, delta):
    group = zoned[zoned["zone"] == "Alpha"]
    result = zones.policy_what_if(group, fitted, delta)
    s = construct_scores(group)
    a, w, z = (s[c].to_numpy() for c in ("AIGC", "IO", "LSC"))
    m0, y0 = expected(fitted, a, w, z)
    m1, y1 = expected(fitted, a, w + delta, z)
    assert result["dc_change"] == pytest.approx(np.mean(m1 - m0), abs=1e-12)
    assert result["hqd_change"] == pytest.approx(np.mean(y1 - y0), abs=1e-12)
    assert result["n_firms"] == 40 and result["io_after"] == pytest.approx(w.mean() + delta)
    if delta:
        assert result["dc_lo"] < result["dc_change"] < result["dc_hi"]
        assert result["hqd_lo"] < result["hqd_change"] < result["hqd_hi"]
    else:
        assert result["dc_lo"] == result["dc_hi"] == 0


def test_what_if_is_linear_and_reproducible(zoned, fitted):
    group = zoned[zoned["zone"] == "Beta"]
    one, two = zones.policy_what_if(group, fitted, 0.2), zones.policy_what_if(group, fitted, 0.4)
    assert two["hqd_change"] == pytest.approx(2 * one["hqd_change"])
    assert two["hqd_hi"] == pytest.approx(2 * one["hqd_hi"])  # same seed, same draws
    assert zones.policy_what_if(group, fitted, 0.2) == one


def test_what_if_refuses_a_group_under_five_firms(zoned, fitted):
    result = zones.policy_what_if(zoned[zoned["zone"] == "Delta"], fitted, 0.5)
    assert result == {"n_firms": None, "suppressed": True, "note": "fewer than 5 firms"}


def test_figure3_rows_are_the_fitted_subgroups(fitted):
    rows = zones.subgroup_rows(fitted.subgroups).set_index("row")
    sub = fitted.subgroups
    for label in ("pilot", "non_pilot"):
        assert rows.loc[label, "effect"] == sub[label]["theta00"]
        assert (rows.loc[label, "lo"], rows.loc[label, "hi"]) == (sub[label]["lo"], sub[label]["hi"])
        assert rows.loc[label, "n_firms"] == sub[label]["n"]
    assert rows.loc["difference", "effect"] == pytest.approx(sub["pilot"]["theta00"] - sub["non_pilot"]["theta00"])
    assert (rows.loc["difference", "lo"], rows.loc["difference", "hi"]) == (sub["difference"]["lo"], sub["difference"]["hi"])
    assert zones.subgroup_rows({"available": False, "reason": "x"}) is None


def test_subgroups_of_a_frame_reproduce_the_model(survey, fitted):
    """On the fitting data, with the fit's resamples and seed, the page's subgroup analysis is the model's."""
    again = zones.subgroups_of(survey, fitted.settings["bootstrap"], fitted.settings["seed"])
    assert again["difference"]["effect"] == pytest.approx(fitted.subgroups["difference"]["effect"])
    assert again["difference"]["lo"] == pytest.approx(fitted.subgroups["difference"]["lo"])
    assert again["pilot"]["hi"] == pytest.approx(fitted.subgroups["pilot"]["hi"])


def test_figure3_chart_shows_the_subgroup_numbers(fitted):
    from app.charts.zones import figure3_chart
    rows = zones.subgroup_rows(fitted.subgroups)
    figure, reading = figure3_chart(rows, "en")
    bar = figure.data[0]
    sub = fitted.subgroups
    assert list(bar.y) == pytest.approx([sub["pilot"]["theta00"], sub["non_pilot"]["theta00"], sub["difference"]["effect"]])
    assert f"{sub['difference']['effect']:.3f}" in reading


def test_charts_draw_no_suppressed_group(zoned, fitted):
    from app.charts.zones import box_chart, theta_chart
    stats = zones.group_statistics(zoned, "zone")
    figure, _ = box_chart(stats, "HQD", "zone", "zh")
    boxes = [trace for trace in figure.data if trace.type == "box"]
    assert [(b.name, tuple(b.x)) for b in boxes] == [("Alpha", ("Alpha",)), ("Beta", ("Beta",))]  # 10+ firms, own x
    means = [trace for trace in figure.data if trace.type == "scatter"]
    assert [tuple(m.x) for m in means] == [("Gamma",)]  # 5–9 firms: mean and CI, no quartiles
    figure, reading = theta_chart(zones.group_effects(zoned, "zone", fitted, resamples=200), "zone", "en")
    assert set(figure.data[0].y) == {"Alpha", "Beta", "Gamma"} and "Delta" not in reading


def test_a_tie_never_names_one_group_best_and_worst():
    from app.charts.zones import box_chart
    stats = pd.DataFrame({"group": ["a", "b"], "n_firms": [12, 12], "suppressed": [False, False], "reason": ["", ""],
                          **{f"{c}_{s}": [3.0, 3.0] for c in ("AIGC", "DC", "IO", "LSC", "HQD")
                             for s in ("mean", "ci_lo", "ci_hi", "q1", "median", "q3", "p10", "p90")}})
    _, reading = box_chart(stats, "HQD", "zone", "en")
    assert "highest" not in reading and "3.00 in every shown group" in reading
