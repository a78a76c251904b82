"""Start-up: how soon `cbec serve` answers its health check and shows its first page, beside a bare Streamlit page.

Usage: python bench/start_time.py [--runs 3]
Each run starts, one after another on this machine: the floor (bench/floor_app.py, a bare Streamlit
page of the self-assessment's shape, no store, no model), `cbec serve` on a fresh data directory
(migrate and seed), and `cbec serve` again on that now existing store. For each it prints the median
seconds from launch to /_stcore/health answering "ok", and from opening the page in headless
Chromium to the questionnaire's last item and the benchmark chart being visible. Targets (issue 15):
health on an existing store <= 3 s, the first page <= 1.5x the floor's. It also times, in their own
processes, seeding a fresh store (`db.ensure_ready()`, imports included) and `cbec reference`.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "e2e")]
from browsing import ARGS, CHROMIUM, free_port  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

STREAMLIT_FLAGS = ["--server.headless", "true", "--browser.gatherUsageStats", "false", "--global.developmentMode", "false"]


def environment(data: str) -> dict[str, str]:
    env = {**os.environ, "CBEC_DATA_DIR": data}
    env.pop("DATABASE_URL", None)
    return env


def wait_for_health(port: int, proc: subprocess.Popen, start: float) -> float:
    """Seconds from `start` until the health endpoint answers ok (polled every 20 ms)."""
    while time.perf_counter() - start < 120:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read() == b"ok":
                return time.perf_counter() - start
        except OSError:
            time.sleep(0.02)
    raise SystemExit("no health answer within 120 s")


def first_page(browser, port: int) -> float:
    """Seconds from opening the page (a new browser context: nothing cached) until the last item and the chart show."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
    page.locator('div[data-testid="stRadio"]').filter(has_text="HQD6").first.wait_for(timeout=120_000)
    page.locator('div[data-testid="stPlotlyChart"]').first.wait_for(state="visible", timeout=120_000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def one_start(browser, command: list[str], data: str) -> tuple[float, float]:
    """Launch a server, time its health and its first page, stop it."""
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen([*command, "--server.port" if "streamlit" in command else "--port", str(port)], cwd=ROOT,
                            env=environment(data), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        health = wait_for_health(port, proc, start)
        return health, first_page(browser, port)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def timed_process(code: list[str], data: str) -> tuple[float, float]:
    """Wall seconds of a process, and the CPU seconds it used (what it would take on an idle machine, near enough)."""
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(code, cwd=ROOT, env=environment(data), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    floor = [sys.executable, "-m", "streamlit", "run", str(ROOT / "bench" / "floor_app.py"), *STREAMLIT_FLAGS]
    serve = [sys.executable, "-m", "app.cli", "serve"]
    results: dict[str, list[tuple[float, float]]] = {"floor (bare Streamlit page)": [], "cbec serve, fresh store": [],
                                                     "cbec serve, existing store": []}
    seeding, reference = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        first_page_of = list(results)
        one_start(browser, floor, tempfile.mkdtemp(prefix="cbec-start-"))  # untimed: the browser's own first start
        for _ in range(args.runs):
            data = tempfile.mkdtemp(prefix="cbec-start-")
            results[first_page_of[0]].append(one_start(browser, floor, data))
            results[first_page_of[1]].append(one_start(browser, serve, data))
            results[first_page_of[2]].append(one_start(browser, serve, data))
            seeding.append(timed_process([sys.executable, "-c", "import db; db.ensure_ready()"], tempfile.mkdtemp(prefix="cbec-seed-")))
            reference.append(timed_process([sys.executable, "-m", "app.cli", "reference", f"{data}/ref.csv"], data))
        browser.close()
    floor_page = statistics.median(r[1] for r in results[first_page_of[0]])
    print(f"runs: {args.runs} (medians), {os.cpu_count()} cores, load average at the end {os.getloadavg()[0]:.1f}")
    print(f"{'':30s} {'launch -> health':>17s} {'first page':>11s} {'page / floor':>13s}")
    for name, runs in results.items():
        health, page = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        print(f"{name:30s} {health:15.2f} s {page:9.2f} s {page / floor_page:12.2f}x")
    print("targets: health on an existing store <= 3 s; first page <= 1.5x the floor")
    for name, runs in (("seeding a fresh store (process: imports, migrate, fit, store)", seeding),
                       ("cbec reference OUT.csv (process)", reference)):
        print(f"{name:62s}: {statistics.median(r[0] for r in runs):5.2f} s wall, {statistics.median(r[1] for r in runs):5.2f} s CPU")
    print("target: seeding a fresh store <= 5 s")


if __name__ == "__main__":
    main()
