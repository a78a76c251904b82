"""Live-view load: N open live views refreshing at the same moment, with the page's caches and without them.

Each live view's refresh reads the workshop's cohort, summarises it and draws four charts. Without the
caches every view does all three; with `app.ui.workshop.live_cohort` (records cached 5 s per workshop, the
summary and charts built once per distinct cohort) the views of a replica share one query and one set of
charts. Printed: database statements and wall time per refresh burst, uncached (the baseline) beside cached,
same run, same store (a fresh SQLite file, 60 participants).

    .venv/bin/python bench/workshop_live.py [--views 10 50 200] [--firms 60]
"""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from db.access import SYSTEM

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--firms", type=int, default=60)
    args = parser.parse_args()
    os.environ.pop("DATABASE_URL", None)
    os.environ["CBEC_DATA_DIR"] = tempfile.mkdtemp(prefix="cbec-bench-")
    logging.disable(logging.WARNING)  # Streamlit's "no runtime" warnings: st.cache_data works without one

    import streamlit as st
    from sqlalchemy import event

    import db
    from app.charts.workshop import cohort_charts
    from app.ui.workshop import CACHE_TTL_S, live_cohort, summarise
    from cbec_core.instrument import ITEM_COLUMNS
    from cbec_core.scoring import score_firm
    from db.assessments import workshop_assessments
    from db.engine import get_engine

    db.ensure_ready()
    fit_id = db.active_fit_id()
    fitted = db.get_fit(fit_id)
    workshop = db.create_workshop("Benchmark workshop", actor=SYSTEM).workshop
    for i in range(args.firms):
        answers = {**{c: 1 + (i + j) % 5 for j, c in enumerate(ITEM_COLUMNS)}, "firm_size": 20 + i, "firm_age": 5,
                   "region": "east", "business_model": "B2C", "pilot_zone": 1}
        db.save_assessment(answers, score_firm(answers, fitted), fit_id, workshop_id=workshop.id)

    statements = [0]

    @event.listens_for(get_engine(), "before_cursor_execute")
    def _count(*_args) -> None:
        statements[0] += 1

    def uncached(_view: int):
        """One live view's refresh without the cache: query, summarise, draw."""
        summary = summarise(workshop_assessments(workshop.id), fitted)
        return summary, cohort_charts(summary, fitted, "en")

    def cached(_view: int):
        """One live view's refresh as the page does it (app.ui.workshop.live_cohort)."""
        return live_cohort(workshop.id, fit_id, "en")

    def burst(views: int, refresh) -> tuple[int, float]:
        """`views` live views refreshing at once (one thread each); statements run and seconds taken."""
        statements[0] = 0
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=min(views, 32)) as pool:
            results = list(pool.map(refresh, range(views)))
        assert all(summary.n == args.firms and len(charts) == 4 for summary, charts in results)
        return statements[0], time.perf_counter() - start

    print(f"{args.firms} firms in the workshop; cache TTL {CACHE_TTL_S} s; one refresh burst per row")
    print(f"{'live views':>10} | {'uncached: statements':>20} {'seconds':>8} | {'cached: statements':>18} {'seconds':>8} | speed-up")
    for views in args.views:
        base_n, base_s = burst(views, uncached)
        st.cache_data.clear()
        st.cache_resource.clear()
        cached_n, cached_s = burst(views, cached)
        print(f"{views:>10} | {base_n:>20} {base_s:>8.3f} | {cached_n:>18} {cached_s:>8.3f} | {base_s / cached_s:>6.1f}×")
    db.dispose_engine()
    shutil.rmtree(os.environ["CBEC_DATA_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
