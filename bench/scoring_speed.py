"""Scoring speed: one firm with score_firm, and many firms with score_firms beside a loop of score_firm.

Usage: python bench/scoring_speed.py [--firms 20000]
The bar (issue 2): well under 10 ms for one firm once the model is loaded.
"""
from __future__ import annotations

import argparse
import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest import simulate_survey  # noqa: E402

from cbec_core.instrument import ITEM_COLUMNS  # noqa: E402
from cbec_core.model import FittedModel, fit  # noqa: E402
from cbec_core.scoring import score_firm, score_firms  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--firms", type=int, default=20_000)
    args = ap.parse_args()
    model = FittedModel.from_json(fit(simulate_survey(312, seed=1), bootstrap=5000).to_json())
    firms = simulate_survey(args.firms, seed=2)
    answers = [{**{k: int(v) for k, v in row[list(ITEM_COLUMNS)].items()},
                "firm_size": int(row["firm_size"]), "firm_age": int(row["firm_age"]), "region": row["region"],
                "business_model": row["business_model"], "pilot_zone": int(row["pilot_zone"])}
               for _, row in firms.head(500).iterrows()]
    t = time.perf_counter()
    FittedModel.from_json(model.to_json())
    load = time.perf_counter() - t
    one = min(timeit.repeat(lambda: score_firm(answers[0], model), number=200, repeat=5)) / 200
    t = time.perf_counter()
    for a in answers:
        score_firm(a, model)
    loop = (time.perf_counter() - t) / len(answers)
    t = time.perf_counter()
    score_firms(firms, model)
    batch = (time.perf_counter() - t) / len(firms)
    print(f"model load from JSON              : {load * 1000:8.2f} ms (once per process)")
    print(f"score_firm, one firm              : {one * 1000:8.3f} ms   (target: well under 10 ms)")
    print(f"loop of score_firm, per firm      : {loop * 1000:8.3f} ms   (baseline, 500 firms)")
    print(f"score_firms batch, per firm       : {batch * 1e6:8.2f} µs   ({args.firms} firms; {loop / batch:.0f}x the loop)")


if __name__ == "__main__":
    main()
