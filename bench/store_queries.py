"""Store speed: the dashboard's peer queries over 1,000,000 assessments, and a 100,000-row CSV import.

Usage: python bench/store_queries.py [--url URL] [--assessments 1000000] [--import-rows 100000]
Without --url the store is a fresh SQLite file in a temporary directory (the default backend).

Targets (issue 3): each dashboard query < 200 ms on SQLite; the import < 10 s. Baselines measured
in the same run: the same queries once their covering indexes are dropped, and a naive import
that adds one ORM object per row and commits each (2,000 rows, extrapolated).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the root too, or tests/db would shadow the db package
from conftest import simulate_survey

import db
from cbec_core.instrument import ITEM_COLUMNS, size_band
from cbec_core.model import fit
from cbec_core.reference import reference_cohort
from cbec_core.scores import SCORE_COLUMNS
from cbec_core.scoring import score_firms
from db.datasets import _response_rows, parse_survey
from db.engine import get_engine, writing
from db.schema import Assessment, SurveyResponse, utcnow
from db.access import SYSTEM

CHUNK = 50_000
REPEATS = 7
NAIVE_ROWS = 2_000
COUNTED_INDEXES = ("ix_assessments_segment", "ix_assessments_province", "ix_assessments_zone")
PEER = {"region": "east", "business_model": "B2B", "pilot_zone": 1, "size_band": "50-200"}
SCORES = {"AIGC": 3.5, "DC": 3.0, "IO": 3.6666666666666665, "LSC": 3.3333333333333335, "HQD": 3.5}


def _assessment_columns(n: int, fit_id: int, fitted, seed: int) -> dict[str, list]:
    """The columns of n scored assessments from ~0.7·n firms (some with a history), places drawn from the reference cohort."""
    rng = np.random.default_rng(seed)
    firms = simulate_survey(n, seed=seed)
    places = reference_cohort().sample(n, replace=True, random_state=seed).reset_index(drop=True)
    firms[["region", "pilot_zone"]] = places[["region", "pilot_zone"]].to_numpy()
    scored = score_firms(firms, fitted)
    firm = rng.integers(0, int(0.7 * n), n)
    latest = np.zeros(n, dtype=bool)
    latest[n - 1 - np.unique(firm[::-1], return_index=True)[1]] = True
    keys = np.char.add("K", np.char.zfill(firm.astype(str), 7))
    now = utcnow()
    columns = {
        **{c: firms[c].tolist() for c in ITEM_COLUMNS}, **{c: scored[c].tolist() for c in SCORE_COLUMNS},
        "firm_size": firms["firm_size"].tolist(), "firm_age": firms["firm_age"].astype(float).tolist(),
        "region": firms["region"].tolist(), "business_model": firms["business_model"].tolist(),
        "pilot_zone": firms["pilot_zone"].astype(int).tolist(), "size_band": [size_band(s) for s in firms["firm_size"]],
        "province": places["province"].tolist(), "zone": [z or None for z in places["zone"]],
        "hqd_expected": scored["HQD_expected"].tolist(), "hqd_gap": scored["HQD_gap"].tolist(),
        "theta": scored["theta"].tolist(), "priority_lever": scored["priority_lever"].tolist(),
        "firm_key": keys.tolist(), "latest": latest.tolist(), "consent": (rng.random(n) < 0.85).tolist(),
    }
    return columns | {"model_fit_id": [fit_id] * n, "segment": ["all"] * n, "created_at": [now] * n}


def _median_ms(run: Callable[[], object]) -> float:
    run()  # warm the cache, as a running dashboard would be
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _queries(url: str) -> dict[str, Callable[[], object]]:
    return {
        "segment percentiles, full peer segment": lambda: db.segment_percentiles(SCORES, PEER, url=url),
        "segment percentiles, region only": lambda: db.segment_percentiles(SCORES, {"region": "east"}, url=url),
        "zone comparison by zone": lambda: db.zone_comparison("zone", url=url),
        "zone comparison by province": lambda: db.zone_comparison("province", url=url),
        "zone comparison by region": lambda: db.zone_comparison("region", url=url),
    }


def _naive_import_seconds(url: str, frame, dataset_id: int) -> float:
    """The same rows as the bulk import builds, inserted as one ORM object and one commit each, for NAIVE_ROWS rows."""
    rows, _ = parse_survey(frame)
    records = _response_rows(dataset_id, rows)
    start = time.perf_counter()
    for record in records[:NAIVE_ROWS]:
        with writing(url) as session:
            session.add(SurveyResponse(**record))
    return time.perf_counter() - start


def run(args: argparse.Namespace, workdir: Path) -> None:
    """Build the store, time the queries with and without their indexes, then time the imports."""
    url = args.url or f"sqlite:///{workdir / 'bench.sqlite'}"
    db.upgrade(url)
    survey = simulate_survey(312, seed=1)
    dataset = db.import_frame(survey, f"bench {time.time_ns()}", url=url, actor=SYSTEM).dataset
    fitted = fit(survey, bootstrap=200)
    fit_id = db.store_fit(dataset.id, fitted, url=url, actor=SYSTEM)
    print(f"store: {db.display_url(url)}")

    start = time.perf_counter()
    columns = _assessment_columns(args.assessments, fit_id, fitted, seed=2)
    made = time.perf_counter() - start
    start = time.perf_counter()
    with writing(url) as session:  # Core executemany in chunks of CHUNK rows, one transaction
        for i in range(0, args.assessments, CHUNK):
            chunk = zip(*(values[i:i + CHUNK] for values in columns.values()))
            session.execute(Assessment.__table__.insert(), [dict(zip(columns, row)) for row in chunk])
    print(f"{args.assessments:,} assessments: generated and scored in {made:.1f} s, bulk-inserted in {time.perf_counter() - start:.1f} s")
    del columns
    engine = get_engine(url)
    if engine.dialect.name == "postgresql":  # what autovacuum does after a bulk load: statistics, visibility map
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE assessments")

    indexed = {name: _median_ms(run) for name, run in _queries(url).items()}
    with engine.begin() as connection:
        for index in Assessment.__table__.indexes:
            if index.name in COUNTED_INDEXES:
                index.drop(connection)
    plain = {name: _median_ms(run) for name, run in _queries(url).items()}
    print(f"\ndashboard queries (median of {REPEATS}; target < 200 ms)      indexed   without the covering indexes")
    for name, fast in indexed.items():
        print(f"  {name:<44}{fast:8.1f} ms  {plain[name]:8.1f} ms  ({plain[name] / fast:.0f}x)")

    big = workdir / "import.csv"
    simulate_survey(args.import_rows, seed=3).to_csv(big, index=False)
    start = time.perf_counter()
    db.import_file(big, f"import {time.time_ns()}", url=url, actor=SYSTEM)
    bulk = time.perf_counter() - start
    naive_set = db.import_frame(survey.head(1), f"naive {time.time_ns()}", url=url, actor=SYSTEM).dataset.id
    with writing(url) as session:  # an empty data set to insert into
        session.execute(SurveyResponse.__table__.delete().where(SurveyResponse.dataset_id == naive_set))
    naive = _naive_import_seconds(url, simulate_survey(NAIVE_ROWS, seed=4), naive_set)
    per_row = naive / NAIVE_ROWS
    print(f"\nCSV import of {args.import_rows:,} rows (validate + one bulk insert): {bulk:6.2f} s   (target < 10 s)")
    print(f"naive per-row ORM insert, one commit each  : {per_row * 1000:6.2f} ms/row, "
          f"{per_row * args.import_rows:6.1f} s extrapolated from {NAIVE_ROWS:,} rows ({per_row * args.import_rows / bulk:.0f}x)")
    db.dispose_engine(url)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", help="database URL (default: a fresh SQLite file in a temporary directory)")
    ap.add_argument("--assessments", type=int, default=1_000_000)
    ap.add_argument("--import-rows", type=int, default=100_000)
    args = ap.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cbec-bench-"))
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
