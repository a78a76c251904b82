"""Size of the HTML reports, and proof that they draw their charts offline in a real browser.

Usage: python bench/report_size.py [--no-browser]
Builds a firm's report (English and Chinese) and a workshop cohort's report from the synthetic reference cohort, prints
each file's size in bytes beside the same report with the whole plotly.min.js inlined (the baseline), then opens each
file in headless chromium with every network request blocked and checks that each chart drew an SVG. Issue 14's bar:
well under the 4.9 MB a report weighed with the whole plotly.min.js inlined (now ~0.66 MB: the partial bundle of
app/report/plotly_bundle, packed), charts drawn offline.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "e2e")]
from browsing import ARGS, CHROMIUM, charts_drawn_offline  # noqa: E402
from plotly.offline import get_plotlyjs  # noqa: E402

from app.charts.firm import results_charts  # noqa: E402
from app.report.html import html_report  # noqa: E402
from app.report.plotly_js import packed_plotlyjs  # noqa: E402
from app.report.workshop import cohort_html  # noqa: E402
from cbec_core.cohort import cohort_summary  # noqa: E402
from cbec_core.instrument import ITEM_COLUMNS  # noqa: E402
from cbec_core.model import fit  # noqa: E402
from cbec_core.reference import reference_cohort  # noqa: E402
from cbec_core.scoring import score_firm, score_firms  # noqa: E402


def reports() -> dict[str, bytes]:
    """The reports to weigh: a firm's in both languages and a cohort of 12 firms' in English."""
    survey = reference_cohort(312)
    fitted = fit(survey, bootstrap=100, seed=11)
    answers = {k: int(v) for k, v in survey.iloc[7][list(ITEM_COLUMNS)].items()} | {"firm_size": 120, "region": "east"}
    score = score_firm(answers, fitted)
    out = {f"firm-{lang}.html": html_report(score, fitted, answers, results_charts(score, fitted, lang), lang)
           for lang in ("en", "zh")}
    cohort = score_firms(survey.iloc[:12], fitted).assign(firm_key=[f"K{i:07d}" for i in range(12)])
    out["workshop-en.html"] = cohort_html("Bench", cohort_summary(cohort, fitted.distributions["all"]["scores"]), fitted, "en")
    return out


def drawn_charts(paths: list[Path]) -> list[tuple[int, int]]:
    """(chart divs, charts with an SVG drawn) of each file opened in chromium with the network blocked."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            return [(len(ids), len(drawn)) for _, ids, drawn in (charts_drawn_offline(browser, path) for path in paths)]
        finally:
            browser.close()


def main() -> None:
    """Print each report's size (and its charts drawn offline); exit non-zero if a chart did not draw."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="print the sizes only")
    args = parser.parse_args()
    failed = False
    whole = get_plotlyjs().encode("utf-8")  # the baseline: what each report inlined before the partial bundle
    with tempfile.TemporaryDirectory() as tmp:
        files = reports()
        paths = [Path(tmp) / name for name in files]
        for path, data in zip(paths, files.values()):
            path.write_bytes(data)
        drawn = drawn_charts(paths) if not args.no_browser else [None] * len(paths)
        for path, counts in zip(paths, drawn):
            size = path.stat().st_size
            before = size - len(packed_plotlyjs()) + len(whole)  # the same report with the whole plotly.min.js inlined
            line = f"{path.name:18s} {size:>10,d} bytes   (whole plotly.min.js inlined instead: {before:,d} bytes)"
            if counts is not None:
                failed |= counts[0] == 0 or counts[1] != counts[0]
                line += f"   charts drawn offline: {counts[1]}/{counts[0]}"
            print(line)
    if failed:
        raise SystemExit("a report did not draw every chart offline")


if __name__ == "__main__":
    main()
