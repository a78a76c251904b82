"""Size of the HTML reports, and proof that they draw their charts offline in a real browser.

Usage: python bench/report_size.py [--no-browser]
Builds a firm's report (English and Chinese) and a workshop cohort's report from the synthetic reference cohort, prints
each file's size in bytes, then opens each file in headless chromium with every network request blocked and
checks that each chart drew an SVG. Issue 14's bar: well under the 4.9 MB a report weighed with plotly.js
inlined, and charts drawn with no network.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "e2e")]
from browsing import ARGS, CHROMIUM  # noqa: E402

from app.charts.firm import results_charts  # noqa: E402
from app.report.html import html_report  # noqa: E402
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


def drawn_charts(path: Path) -> tuple[int, int]:
    """(chart divs, charts with an SVG drawn) in the file opened in chromium with the network blocked."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.route("http://**/*", lambda route: route.abort())
            page.route("https://**/*", lambda route: route.abort())
            page.goto(path.as_uri())
            page.wait_for_function("document.body.dataset.charts !== undefined", timeout=30_000)
            return (page.locator("div.plotly-graph-div").count(),
                    page.locator("div.plotly-graph-div svg.main-svg").evaluate_all(
                        "els => new Set(els.map(e => e.closest('div.plotly-graph-div').id)).size"))
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="print the sizes only")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in reports().items():
            path = Path(tmp) / name
            path.write_bytes(data)
            line = f"{name:18s} {len(data):>10,d} bytes"
            if not args.no_browser:
                charts, drawn = drawn_charts(path)
                failed |= charts == 0 or drawn != charts
                line += f"   charts drawn offline: {drawn}/{charts}"
            print(line)
    if failed:
        raise SystemExit("a report did not draw every chart offline")


if __name__ == "__main__":
    main()
