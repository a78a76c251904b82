"""Time from submitting the questionnaire to the rendered results, measured in a real browser.

Usage: python bench/browser_results.py [--runs 5] [--shots DIR]
Starts `cbec serve` on a fresh data directory, fills the questionnaire in headless chromium and
prints the median seconds from the submit click to the first chart and to all five charts, beside
a baseline measured in the same run: the time the empty questionnaire page takes to load. The bar
(issue 4): results within 1.5 s of submit.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from browsing import ANSWERS, ARGS, CHROMIUM, fill_controls, free_port, radio  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

from app.i18n import t  # noqa: E402


def start_server(port: int, data: str):
    import os
    import subprocess
    import urllib.request
    env = {**os.environ, "CBEC_DATA_DIR": data}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(180):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the dashboard did not start")


def one_run(browser, url: str, shots: Path | None, run: int) -> tuple[float, float, float, float]:
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    t0 = time.perf_counter()
    page.goto(url, wait_until="networkidle")
    page.locator('div[data-testid="stRadio"]').filter(has_text="HQD6").first.wait_for()
    load = time.perf_counter() - t0
    for column, value in ANSWERS.items():
        radio(page, column, value)
    fill_controls(page, "en")
    start = time.perf_counter()
    page.get_by_role("button", name=t("submit", "en")).click()
    page.get_by_role("heading", name=t("results", "en")).wait_for()
    heading = time.perf_counter() - start
    charts = page.locator('div[data-testid="stPlotlyChart"]')
    charts.first.wait_for(state="visible")
    first = time.perf_counter() - start
    page.wait_for_function("document.querySelectorAll('div[data-testid=\"stPlotlyChart\"] .main-svg, "
                           "div[data-testid=\"stPlotlyChart\"] canvas').length >= 5")
    every = time.perf_counter() - start
    if shots:
        for i in range(4):
            page.screenshot(path=str(shots / f"results_{run}_{i}.png"))
            page.mouse.wheel(0, 950)
            page.wait_for_timeout(500)
    page.close()
    return load, heading, first, every


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--shots", type=Path)
    args = ap.parse_args()
    port = free_port()
    proc = start_server(port, tempfile.mkdtemp(prefix="cbec-bench-"))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            runs = [one_run(browser, f"http://127.0.0.1:{port}", args.shots if i == 0 else None, i) for i in range(args.runs)]
            browser.close()
    finally:
        proc.terminate()
    load, heading, first, every = (statistics.median(r[i] for r in runs) for i in range(4))
    print(f"runs: {args.runs} (median)")
    print(f"baseline: empty questionnaire page load : {load:6.2f} s")
    print(f"submit -> results heading shown         : {heading:6.2f} s")
    print(f"submit -> first results chart           : {first:6.2f} s   (target <= 1.5 s)")
    print(f"submit -> all five charts drawn         : {every:6.2f} s")


if __name__ == "__main__":
    main()
