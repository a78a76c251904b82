"""Chart builders: each construct gets its own box, each chart comes with a reading, and the firm's charts read on a phone."""
from __future__ import annotations

import pytest

from app.charts.firm import (
    LABEL_WIDTH,
    PHONE_PLOT,
    TITLE_WIDTH,
    _box,
    _overlap,
    benchmark_chart,
    label_places,
    ordinal,
    results_charts,
    wrap,
)
from app.i18n import construct_name, t
from cbec_core.instrument import CONSTRUCT_CODES, HQD_DIMENSIONS, ITEM_COLUMNS
from cbec_core.model import fit
from cbec_core.scoring import score_firm


@pytest.mark.parametrize("lang", ("en", "zh"))
def test_benchmark_boxes_sit_side_by_side(survey, lang):
    fitted = fit(survey, bootstrap=50, seed=1)
    fig, reading = benchmark_chart(fitted, lang)
    positions = [box.x[0] for box in fig.data]
    assert positions == [construct_name(c, lang) for c in CONSTRUCT_CODES]
    assert len(set(positions)) == len(CONSTRUCT_CODES)
    assert reading.strip()


@pytest.mark.parametrize(("n", "en"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                       (13, "13th"), (21, "21st"), (22, "22nd"), (55, "55th"), (100, "100th")])
def test_percentile_ranks_read_as_ordinals(n, en):
    assert ordinal(n, "en") == en
    assert ordinal(n + 0.4, "zh") == f"第 {n}"


def test_ipma_labels_overlap_nothing_and_stay_inside_even_when_points_crowd():
    xy = [(0.20, 60.0), (0.24, 66.0), (0.28, 56.0), (0.45, 99.0)]  # three points ~30 px apart on a phone
    labels = [wrap(construct_name(c, "en"), "en", LABEL_WIDTH) for c in ("AIGC", "DC", "IO", "LSC")]
    places = label_places(xy, labels, (0.1, 0.5), (0.0, 110.0), "en")
    width, height = PHONE_PLOT
    points = [((x - 0.1) / 0.4 * width, y / 110.0 * height) for x, y in xy]
    sizes = [(max(len(line) for line in label.split("<br>")) * 7.0, 16.0 * (label.count("<br>") + 1)) for label in labels]
    boxes = [_box(place, px, py, size) for place, (px, py), size in zip(places, points, sizes)]
    for i, box in enumerate(boxes):
        assert 0 <= box[0] and box[2] <= width and 0 <= box[1] and box[3] <= height, (places[i], box)
        assert all(_overlap(box, other) == 0 for other in boxes[i + 1:]), places
        assert all(_overlap(box, (px - 9, py - 9, px + 9, py + 9)) == 0 for px, py in points), places


@pytest.mark.parametrize("lang", ("en", "zh"))
def test_results_charts_say_what_they_show(fitted, lang):
    score = score_firm({**{c: 4 for c in ITEM_COLUMNS}, "AIGC1": 5, "IO2": 2}, fitted)
    charts = results_charts(score, fitted, lang)
    scores = charts["scores"][0]
    constructs, parts = scores.data
    assert list(constructs.x) == [construct_name(c, lang) for c in CONSTRUCT_CODES]
    assert list(parts.x) == [construct_name(d.code, lang) for d in HQD_DIMENSIONS]
    assert parts.marker.color != constructs.marker.color and scores.layout.shapes  # set apart: colour and a divider
    assert list(constructs.text) == [ordinal(score.percentiles[c], lang) for c in CONSTRUCT_CODES]
    assert not any(text.startswith("P") for text in (*constructs.text, *parts.text))
    expected = charts["expected"][0]
    assert [trace.name for trace in expected.data] == [t("expected_with_pi", lang), t("actual", lang)]
    for figure, reading in charts.values():
        assert reading.strip()
        assert all(len(line) <= (TITLE_WIDTH // 2 if lang == "zh" else TITLE_WIDTH) for line in figure.layout.title.text.split("<br>"))
    ipma = charts["ipma"][0].data[0]
    lo, hi = charts["ipma"][0].layout.xaxis.range
    assert all(lo < x < hi for x in ipma.x) and ipma.cliponaxis is False
