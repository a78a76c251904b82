"""Chart builders: each construct gets its own box, and each chart comes with a reading."""
from __future__ import annotations

import pytest

from app.charts.firm import benchmark_chart
from app.i18n import construct_name
from cbec_core.instrument import CONSTRUCT_CODES
from cbec_core.model import fit


@pytest.mark.parametrize("lang", ("en", "zh"))
def test_benchmark_boxes_sit_side_by_side(survey, lang):
    fitted = fit(survey, bootstrap=50, seed=1)
    fig, reading = benchmark_chart(fitted, lang)
    positions = [box.x[0] for box in fig.data]
    assert positions == [construct_name(c, lang) for c in CONSTRUCT_CODES]
    assert len(set(positions)) == len(CONSTRUCT_CODES)
    assert reading.strip()
