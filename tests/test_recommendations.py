"""Recommendations: a complete bilingual catalogue with sources, and a deterministic selection for a scored firm."""
from __future__ import annotations

import itertools
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from cbec_core.instrument import ANTECEDENTS, CONSTRUCT_CODES, ITEM_COLUMNS
from cbec_core.recommendations import (
    BANDS,
    DIMENSION_CODES,
    RECOMMENDATIONS,
    SIZES,
    SOURCES,
    band_of,
    catalogue_markdown,
    firm_profile,
    recommend,
)
from tests.conftest import simulate_survey

CJK = re.compile(r"[\u4e00-\u9fff]")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def model():
    from cbec_core.model import fit
    return fit(simulate_survey(312, seed=3), bootstrap=200)


def fake_score(perf: dict[str, float], gains: dict[str, float] | None = None, priority: str | None = None):
    """A stand-in FirmScore with just what recommend() reads."""
    gains = gains or {c: 0.0 for c in ANTECEDENTS}
    if priority is None:
        best = max(ANTECEDENTS, key=lambda c: gains[c])
        priority = best if gains[best] > 1e-12 else None
    return SimpleNamespace(performance=perf, lever_gains=gains, priority_lever=priority)


BAND_VALUES = {"low": 20.0, "mid": 55.0, "high": 85.0}


def all_band_scores():
    """Every combination of bands over the five constructs (HQD sub-scores following HQD)."""
    for combo in itertools.product(BANDS, repeat=len(CONSTRUCT_CODES)):
        perf = {c: BAND_VALUES[b] for c, b in zip(CONSTRUCT_CODES, combo)}
        perf.update({d: perf["HQD"] for d in DIMENSION_CODES})
        yield perf


# ---- the catalogue ----------------------------------------------------------------------------------

def test_catalogue_size_and_unique_codes():
    codes = [r.code for r in RECOMMENDATIONS]
    assert 25 <= len(codes) <= 35
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize("rec", RECOMMENDATIONS, ids=lambda r: r.code)
def test_entry_is_complete_and_bilingual(rec):
    assert rec.construct in CONSTRUCT_CODES
    assert rec.band and set(rec.band) <= set(BANDS) and len(set(rec.band)) == len(rec.band)
    assert rec.size in (None, *SIZES)
    assert rec.business_model in (None, "B2B", "B2C")
    assert rec.pilot_zone in (None, 0, 1)
    assert rec.item is None or rec.item in ITEM_COLUMNS
    assert rec.dimension is None or (rec.construct == "HQD" and rec.dimension in DIMENSION_CODES)
    assert rec.source_key in SOURCES and rec.source.strip()
    for text in (rec.title_en, rec.action_en):
        assert text.strip() and not CJK.search(text)
    for text in (rec.title_zh, rec.action_zh):
        assert text.strip() and CJK.search(text)
    # 2–3 sentences each: what to do and who, what to measure, (the evidence).
    assert 2 <= len(re.findall(r"(?<!\bal)[.!?](?=\s|$)", rec.action_en)) <= 3, rec.action_en
    assert 2 <= rec.action_zh.count("。") <= 3, rec.action_zh
    assert rec.title("en") == rec.title_en and rec.title("zh") == rec.title_zh
    assert rec.action("en") == rec.action_en and rec.action("zh") == rec.action_zh


def test_source_strings_name_the_paper_of_their_key():
    surname = {"tian2025": "Tian (2025)", "zhao_jamsran": "Zhao & Jamsran (n.d.)", "wen_wu": "Wen & Wu (n.d.)",
               "xiang2025": "Xiang (2025)", "xi2023": "Xi, Tarofder & Wei (2023)"}
    assert set(surname) == set(SOURCES)
    for rec in RECOMMENDATIONS:
        assert rec.source.startswith(surname[rec.source_key] + ", "), rec.code
    assert {r.source_key for r in RECOMMENDATIONS} == set(SOURCES)  # every seed is used


def test_every_construct_and_band_has_an_unfiltered_entry():
    """A firm whose controls are unknown still gets an action for every construct in every band."""
    for construct, band in itertools.product(CONSTRUCT_CODES, BANDS):
        assert any(r.construct == construct and band in r.band and not r.filters for r in RECOMMENDATIONS), (construct, band)
    for dim, band in itertools.product(DIMENSION_CODES, BANDS):
        assert any(r.dimension == dim and band in r.band and not r.filters for r in RECOMMENDATIONS), (dim, band)


def test_brief_topics_are_covered():
    by_code = {r.code for r in RECOMMENDATIONS}
    assert {"AIGC-CS-01", "AIGC-CT-01", "AIGC-PS-01", "AIGC-DF-01", "AIGC-GOV-01", "DC-LIT-01", "DC-PRICE-01",
            "DC-ANA-01", "DC-WF-01", "DC-ROLE-01", "IO-PZ-01", "IO-NPZ-01", "LSC-KS-01", "LSC-GAME-01",
            "LSC-LOG-01", "HQD-SUS-01", "HQD-SUS-02"} <= by_code
    filters = [r.filters for r in RECOMMENDATIONS]
    for key, value in (("size", "sme"), ("size", "large"), ("business_model", "B2B"), ("business_model", "B2C"),
                       ("pilot_zone", 0), ("pilot_zone", 1)):
        assert any(f.get(key) == value for f in filters), (key, value)


def test_bands():
    assert [band_of(v) for v in (0, 39.99, 40, 55, 70, 70.01, 100)] == ["low", "low", "mid", "mid", "mid", "high", "high"]


def test_docs_table_matches_the_catalogue():
    doc = (ROOT / "docs" / "recommendations.md").read_text(encoding="utf-8")
    assert catalogue_markdown() in doc


# ---- a fitted model -----------------------------------------------------------------------------------

def test_low_firm_gets_its_priority_lever_first(model):
    from cbec_core.scoring import score_firm
    answers = {k: 2 for k in ITEM_COLUMNS}
    answers.update(firm_size=120, firm_age=6, region="east", business_model="B2C", pilot_zone=1)
    score = score_firm(answers, model)
    assert score.priority_lever in ANTECEDENTS
    recs = recommend(score, answers)
    assert 1 <= len(recs) <= 5
    assert recs[0].construct == score.priority_lever
    assert all("low" in rec.band for rec in recs)  # every construct and sub-score is low
    positive = {c for c, g in score.lever_gains.items() if g > 1e-12}
    assert positive <= {r.construct for r in recs}
    # the same answers as a stored dict score, and again: the same list
    assert recommend(score.as_dict(), answers) == recs == recommend(score, answers)


def test_firm_without_controls_still_gets_recommendations(model):
    from cbec_core.scoring import score_firm
    score = score_firm({k: 2 for k in ITEM_COLUMNS}, model)
    recs = recommend(score)
    assert recs and recs[0].construct == score.priority_lever
    assert all(not r.filters for r in recs)


def test_weakest_item_comes_first_within_a_construct(model):
    from cbec_core.scoring import score_firm
    answers = {k: 2 for k in ITEM_COLUMNS}
    answers["AIGC1"], answers["AIGC2"] = 3, 1  # customer service is the weakest AIGC item
    score = score_firm(answers, model)
    aigc = [r for r in recommend(score, answers, limit=20) if r.construct == "AIGC"]
    assert aigc[0].item == "AIGC2"


# ---- selection rules ------------------------------------------------------------------------------------

def test_ordering_priority_then_gain_then_hqd():
    gains = {"AIGC": 0.10, "DC": 0.05, "IO": 0.30, "LSC": 0.20}
    perf = {c: 30.0 for c in CONSTRUCT_CODES} | {d: 30.0 for d in DIMENSION_CODES}
    recs = recommend(fake_score(perf, gains), limit=35)
    seen = list(dict.fromkeys(r.construct for r in recs))
    assert seen == ["IO", "LSC", "AIGC", "DC", "HQD"]


def test_at_least_one_per_positive_lever_and_the_limit():
    gains = {"AIGC": 0.4, "DC": 0.3, "IO": 0.2, "LSC": 0.1}
    perf = {c: 30.0 for c in CONSTRUCT_CODES} | {d: 30.0 for d in DIMENSION_CODES}
    total = len(recommend(fake_score(perf, gains), limit=100))
    for limit in range(12):
        recs = recommend(fake_score(perf, gains), limit=limit)
        assert len(recs) == min(limit, total)
        constructs = [r.construct for r in recs]
        if limit <= 4:  # one per lever, in gain order, before any lever gets a second
            assert constructs == list(ANTECEDENTS)[:limit]
        else:
            assert set(ANTECEDENTS) <= set(constructs) and constructs == sorted(constructs, key=[*ANTECEDENTS, "HQD"].index)
    assert recommend(fake_score(perf, gains), limit=0) == []


def test_levers_with_negative_gain_come_last():
    gains = {"AIGC": 0.3, "DC": 0.2, "IO": -0.01, "LSC": -0.4}
    perf = {c: 25.0 for c in CONSTRUCT_CODES} | {d: 25.0 for d in DIMENSION_CODES}
    score = fake_score(perf, gains)
    everything = recommend(score, limit=100)
    n_first = sum(r.construct in ("AIGC", "DC", "HQD") for r in everything)
    assert {r.construct for r in recommend(score, limit=n_first)} == {"AIGC", "DC", "HQD"}
    extra = {r.construct for r in recommend(score, limit=n_first + 1)} - {"AIGC", "DC", "HQD"}
    assert extra == {"IO"}  # the less negative lever first
    assert {"IO", "LSC"} <= {r.construct for r in everything}
    # display order still follows the gains: IO and LSC sit between the positive levers and HQD
    assert list(dict.fromkeys(r.construct for r in everything)) == ["AIGC", "DC", "IO", "LSC", "HQD"]


def test_band_decides_the_entries():
    perf = {c: 85.0 for c in CONSTRUCT_CODES} | {d: 85.0 for d in DIMENSION_CODES}
    for rec in recommend(fake_score(perf), limit=100):
        assert "high" in rec.band
    perf["HQD_sus"] = 10.0  # HQD is high overall, sustainability low: sustainability actions for the low band
    hqd = [r for r in recommend(fake_score(perf), limit=100) if r.construct == "HQD"]
    assert any(r.code == "HQD-SUS-01" for r in hqd)
    assert all(("low" if r.dimension == "HQD_sus" else "high") in r.band for r in hqd)


FIRMS = {
    "b2c_sme_pilot": {"firm_size": 50, "business_model": "B2C", "pilot_zone": 1},
    "b2b_sme_nonpilot": {"firm_size": 199, "business_model": "B2B", "pilot_zone": 0},
    "b2c_large_nonpilot": {"firm_size": 200, "business_model": "B2C", "pilot_zone": 0},
    "b2b_large_pilot": {"firm_size": 5000, "business_model": "B2B", "pilot_zone": 1},
}


@pytest.mark.parametrize("name", FIRMS)
def test_filters_never_let_a_mismatched_entry_through(name):
    controls = FIRMS[name]
    size = "sme" if controls["firm_size"] < 200 else "large"
    reached = set()
    for perf in all_band_scores():
        for rec in recommend(fake_score(perf), controls, limit=100):
            reached.add(rec.code)
            assert rec.business_model in (None, controls["business_model"]), (name, rec.code)
            assert rec.size in (None, size), (name, rec.code)
            assert rec.pilot_zone in (None, controls["pilot_zone"]), (name, rec.code)
    # and the entries meant for this firm do reach it
    meant = {r.code for r in RECOMMENDATIONS if r.applies_to(firm_profile(controls))}
    assert reached == meant


def test_b2b_entry_reaches_b2b_but_never_b2c():
    perf = {c: 55.0 for c in CONSTRUCT_CODES} | {d: 55.0 for d in DIMENSION_CODES}
    b2b = {r.code for r in RECOMMENDATIONS if r.business_model == "B2B"}
    assert b2b
    to_b2b = {r.code for r in recommend(fake_score(perf), {"business_model": "B2B"}, limit=100)}
    to_b2c = {r.code for r in recommend(fake_score(perf), {"business_model": "B2C"}, limit=100)}
    assert b2b <= to_b2b and not (b2b & to_b2c)


def test_size_follows_firm_size():
    assert firm_profile({"firm_size": 1}).size == "sme"
    assert firm_profile({"firm_size": 199}).size == "sme"
    assert firm_profile({"firm_size": 200}).size == "large"
    assert firm_profile({"firm_size": "1500"}).size == "large"
    assert firm_profile({"firm_size": None}).size is None
    assert firm_profile({"firm_size": "many"}).size is None
    perf = {c: 30.0 for c in CONSTRUCT_CODES} | {d: 30.0 for d in DIMENSION_CODES}
    sme = {r.code for r in recommend(fake_score(perf), {"firm_size": 80}, limit=100)}
    large = {r.code for r in recommend(fake_score(perf), {"firm_size": 800}, limit=100)}
    assert "AIGC-SME-01" in sme and "AIGC-SME-01" not in large
    perf = {c: 85.0 for c in CONSTRUCT_CODES} | {d: 85.0 for d in DIMENSION_CODES}
    assert "AIGC-LRG-01" in {r.code for r in recommend(fake_score(perf), {"firm_size": 800}, limit=100)}
    assert "AIGC-LRG-01" not in {r.code for r in recommend(fake_score(perf), {"firm_size": 80}, limit=100)}


def test_control_values_are_read_leniently():
    p = firm_profile({"business_model": " b2b ", "pilot_zone": "1", "AIGC1": "4", "AIGC2": 9})
    assert (p.business_model, p.pilot_zone) == ("B2B", 1)
    assert p.answer("AIGC1") == 4.0 and p.answer("AIGC2") is None
    assert firm_profile({"pilot_zone": True}).pilot_zone == 1
    assert firm_profile({"pilot_zone": 2}).pilot_zone is None
    assert firm_profile({"business_model": "C2C"}).business_model is None
    assert firm_profile(None) == firm_profile({})


def test_deterministic_whatever_the_dict_order():
    gains = {"AIGC": 0.2, "DC": 0.2, "IO": 0.1, "LSC": 0.0}
    perf = {"AIGC": 30.0, "DC": 30.0, "IO": 55.0, "LSC": 80.0, "HQD": 45.0, "HQD_fin": 45.0, "HQD_inn": 60.0, "HQD_sus": 20.0}
    controls = {"firm_size": 80, "business_model": "B2C", "pilot_zone": 0}
    first = recommend(fake_score(perf, gains, "AIGC"), controls)
    for _ in range(3):
        shuffled_gains = dict(reversed(list(gains.items())))
        shuffled_perf = dict(reversed(list(perf.items())))
        shuffled_controls = dict(reversed(list(controls.items())))
        assert recommend(fake_score(shuffled_perf, shuffled_gains, "AIGC"), shuffled_controls) == first
    assert first[0].construct == "AIGC"
    # equal gains: the weaker performance goes first, then the instrument's order
    assert [r.construct for r in recommend(fake_score(perf, {c: 0.0 for c in ANTECEDENTS}), limit=4)] == \
        ["AIGC", "DC", "IO", "LSC"]
