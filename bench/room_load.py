"""A workshop room at once: N participants join, answer quick mode, see results and save, while K live views refresh.

Every participant is a Streamlit session spoken to over its own websocket (bench/streamlit_client.py), not a
browser, so the load generator costs the 2-core machine little. The same room runs twice in one bench, one server
after the other on the same arrivals: the dashboard (`cbec serve` on a fresh SQLite store, a workshop created
through the repository API) and the floor, a bare Streamlit app of the same shape (bench/room_floor.py). Printed
for each: p50/p95/p99 of page-ready (socket opened → questionnaire drawn), submit → results (the results header and
five charts drawn) and save (the saved message drawn); errors; lost saves (rows stored after minus before, against
saves confirmed on the page); what the live views last counted; the server's RSS and CPU over time; and, after the
room leaves, how long until the disconnected sessions are dropped (`server.disconnectedSessionTTL`, set to --ttl)
and the RSS then. `--browsers B` first checks the client against B real Chromium sessions beside B protocol
sessions on the dashboard (same saves, timings side by side).

    .venv/bin/python bench/room_load.py [--participants 60] [--live 3] [--arrive 30] [--think 2] [--ttl 15]
                                        [--browsers 3] [--rooms 2]
                                        [--only dashboard|floor]

Loopback only; every loop is bounded; the servers it starts are stopped at the end.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
logging.disable(logging.WARNING)  # Streamlit's "no runtime" notices when app modules are imported here

from app.i18n import construct_name, control_label, region_label, t  # noqa: E402
from app.ui.workshop import LIVE_REFRESH_S  # noqa: E402
from bench.room_flows import (  # noqa: E402
    add_accounts, joined_count, open_questionnaire, quick_mode, save, sign_in_live, submit_answers)
from bench.streamlit_client import Session  # noqa: E402

L = "en"
STEPS = ("page_ready", "submit_results", "save")
SERVE_FLAGS = ["--server.headless", "true", "--browser.gatherUsageStats", "false", "--global.developmentMode", "false",
               "--server.fileWatcherType", "none"]  # as `cbec serve` starts Streamlit


@dataclass
class Room:
    """What one room's run collected."""

    times: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    refresh: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    confirmed: int = 0  # saves the page confirmed
    live_counts: list[int] = field(default_factory=list)  # the count each live view showed last
    samples: list[tuple[float, float, float]] = field(default_factory=list)  # (seconds, RSS MB, CPU %)


@dataclass
class Server:
    """A started server: its process, URL, how to count its stored saves, the join code and secret."""

    name: str
    proc: subprocess.Popen
    url: str
    count_saves: object
    code: str
    secret: str


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(proc: subprocess.Popen, url: str, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{url} did not answer health within {limit} s")


def start_app(work: Path, ttl: int) -> Server:
    """`cbec serve` on a fresh SQLite store holding one open workshop."""
    env = {**os.environ, "CBEC_DATA_DIR": str(work / "app"), "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(ttl)}
    env.pop("DATABASE_URL", None)
    os.environ.update(CBEC_DATA_DIR=env["CBEC_DATA_DIR"])
    os.environ.pop("DATABASE_URL", None)
    import db
    db.ensure_ready()
    add_accounts()
    created = db.create_workshop("Room load", actor=db.Actor.operator())
    workshop_id = created.workshop.id
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(proc, url)
    return Server("dashboard", proc, url, lambda: len(db.workshop_assessments(workshop_id)),
                  created.workshop.join_code, created.secret)


def start_floor(work: Path, ttl: int) -> Server:
    """The bare app of the same shape (bench/room_floor.py) with its own SQLite file."""
    path = work / "floor.sqlite"
    env = {**os.environ, "FLOOR_DB": str(path), "FLOOR_CODE": "FLOOR1", "FLOOR_SECRET": "FLOOR-SECRET",
           "FLOOR_REFRESH_S": str(LIVE_REFRESH_S),
           "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(ttl), "PYTHONPATH": str(ROOT)}
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "bench" / "room_floor.py"),
                             "--server.port", str(port), "--server.address", "127.0.0.1", *SERVE_FLAGS],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(proc, url)

    def count() -> int:
        if not path.exists():
            return 0
        with sqlite3.connect(path) as connection:
            return connection.execute("SELECT COUNT(*) FROM saves").fetchone()[0]

    return Server("floor", proc, url, count, "FLOOR1", "FLOOR-SECRET")


def stop(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


async def think(rng: random.Random, mean: float) -> None:
    await asyncio.sleep(rng.uniform(0.5 * mean, 1.5 * mean))


async def participant(url: str, code: str, rng: random.Random, think_s: float, room: Room) -> None:
    """Join by the link's code, switch to quick mode, answer, see results, save with consent."""
    try:
        async with Session(url, page="workshop_join", query=f"code={code}") as s:
            start = time.perf_counter()
            await open_questionnaire(s)
            room.times["page_ready"].append(time.perf_counter() - start)
            await think(rng, think_s)
            await quick_mode(s)
            await think(rng, think_s)
            room.times["submit_results"].append((await submit_answers(s, rng)).seconds)
            await think(rng, think_s)
            room.times["save"].append((await save(s))[0].seconds)
            room.confirmed += 1
    except Exception as exc:  # noqa: BLE001 — every failure counts, none stops the room
        room.errors.append(f"participant: {type(exc).__name__}: {exc}"[:300])


async def live_view(url: str, code: str, secret: str, done: asyncio.Event, room: Room) -> None:
    """The facilitator's live view: sign in, then rerun the panel fragment at its run_every until the room is done."""
    try:
        async with Session(url, page="workshop_live") as s:
            fragment, interval = await sign_in_live(s, code, secret)
            count = 0
            while not done.is_set():
                try:
                    await asyncio.wait_for(done.wait(), interval)
                except asyncio.TimeoutError:
                    run = await s.rerun(fragment_id=fragment)
                    room.refresh.append(run.seconds)
                    count = joined_count(run) or count
            room.live_counts.append(count)
    except Exception as exc:  # noqa: BLE001 — counted as an error of the room
        room.errors.append(f"live view: {type(exc).__name__}: {exc}"[:300])


async def monitor(pid: int, room: Room, stop_at: asyncio.Event, start: float) -> None:
    """RSS and CPU of the server process once a second (bounded by the event)."""
    process = psutil.Process(pid)
    process.cpu_percent()
    while not stop_at.is_set():
        await asyncio.sleep(1)
        room.samples.append((time.perf_counter() - start, process.memory_info().rss / 2**20, process.cpu_percent()))


async def run_room(server: Server, args) -> tuple[Room, dict]:
    """Warm the server with one participant, then the room; then watch it empty for the TTL and a margin."""
    warm = Room()
    await participant(server.url, server.code, random.Random(0), 0.1, warm)
    if warm.errors:
        raise RuntimeError(f"{server.name}: the warm-up participant failed: {warm.errors[0]}")
    before = server.count_saves()
    room, done, sampling, start = Room(), asyncio.Event(), asyncio.Event(), time.perf_counter()
    rss_start = psutil.Process(server.proc.pid).memory_info().rss / 2**20
    me, served = psutil.Process(), psutil.Process(server.proc.pid)
    cpu_start, served_start = sum(me.cpu_times()[:2]), sum(served.cpu_times()[:2])
    watcher = asyncio.create_task(monitor(server.proc.pid, room, sampling, start))
    viewers = [asyncio.create_task(live_view(server.url, server.code, server.secret, done, room)) for _ in range(args.live)]
    rng = random.Random(args.seed)

    async def arrive(i: int) -> None:
        await asyncio.sleep(args.arrive * i / max(args.participants - 1, 1))
        await participant(server.url, server.code, random.Random(rng.random() + i), args.think, room)

    await asyncio.gather(*(arrive(i) for i in range(args.participants)))
    await asyncio.sleep(LIVE_SETTLE_S)  # one more refresh round so the live views show every save
    done.set()
    await asyncio.gather(*viewers)
    left_at = time.perf_counter() - start
    client_cpu = 100 * (sum(me.cpu_times()[:2]) - cpu_start) / left_at
    server_cpu_s = sum(served.cpu_times()[:2]) - served_start
    rss_peak = max(s[1] for s in room.samples)
    await asyncio.sleep(args.ttl + 3 * TTL_MARGIN_S)
    # Streamlit keeps disconnected sessions in a TTLCache that expires entries only when it is next written:
    # one new visitor (connect, disconnect) is what lets the expired sessions go.
    async with Session(server.url, page="workshop_join") as probe:
        await probe.open()
    await asyncio.sleep(3)
    sampling.set()
    await watcher
    after = server.count_saves()
    memory = {"start": rss_start, "peak": rss_peak, "left_at": left_at,
              "end": room.samples[-1][1], "saved": after - before,
              "client_cpu": client_cpu, "server_cpu_s": server_cpu_s}
    return room, memory


LIVE_SETTLE_S = 12  # a little over the live view's 10 s refresh
TTL_MARGIN_S = 10  # Streamlit drops expired sessions on its own schedule; watch a while after the TTL


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(results: dict[str, tuple[Room, dict]], args) -> None:
    """The figures of both servers side by side, then each server's RSS/CPU series."""
    print(f"\n{args.participants} participants arriving over {args.arrive} s (think ~{args.think} s per step), "
          f"{args.live} live views, disconnectedSessionTTL {args.ttl} s")
    names = list(results)
    print(f"{'figure':<34}" + "".join(f"{n:>16}" for n in names) + ("         ratio" if len(names) == 2 else ""))

    def row(label: str, values: list[float], fmt: str = "{:>16.3f}") -> None:
        ratio = f"{values[0] / values[1]:>13.2f}×" if len(values) == 2 and values[1] else ""
        print(f"{label:<34}" + "".join(fmt.format(v) for v in values) + ratio)

    for step in STEPS:
        for q in (0.5, 0.95, 0.99):
            row(f"{step} p{round(q * 100)} (s)", [pct(results[n][0].times[step], q) for n in names])
    row("live refresh p95 (s)", [pct(results[n][0].refresh, 0.95) for n in names])
    row("errors", [len(results[n][0].errors) for n in names], "{:>16.0f}")
    row("saves confirmed on the page", [results[n][0].confirmed for n in names], "{:>16.0f}")
    row("rows stored (after - before)", [results[n][1]["saved"] for n in names], "{:>16.0f}")
    row("lost saves", [results[n][0].confirmed - results[n][1]["saved"] for n in names], "{:>16.0f}")
    row("live views' last count (min)", [min(results[n][0].live_counts, default=0) for n in names], "{:>16.0f}")
    row("RSS at start (MB)", [results[n][1]["start"] for n in names], "{:>16.1f}")
    row("RSS peak (MB)", [results[n][1]["peak"] for n in names], "{:>16.1f}")
    row("growth per 50 sessions (MB)", [(results[n][1]["peak"] - results[n][1]["start"]) * 50 / args.participants
                                        for n in names], "{:>16.1f}")
    row(f"RSS {args.ttl + 3 * TTL_MARGIN_S} s after it left + 1 visit (MB)", [results[n][1]["end"] for n in names], "{:>16.1f}")
    for again in range(2, args.rooms + 1):
        row(f"  … after room {again} left (MB)", [results[n][1][f"end_{again}"] for n in names], "{:>16.1f}")
    row("CPU mean while the room ran (%)", [statistics.fmean(c for s, _, c in results[n][0].samples
                                                             if s <= results[n][1]["left_at"]) for n in names], "{:>16.0f}")
    row("server CPU s per participant", [results[n][1]["server_cpu_s"] / args.participants for n in names])
    row("load generator's CPU (%)", [results[n][1]["client_cpu"] for n in names], "{:>16.0f}")
    print(f"machine: {psutil.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end (others share it)")
    for name in names:
        room, memory = results[name]
        print(f"\n{name}: seconds / RSS MB / CPU % every 5 s (room left at {memory['left_at']:.0f} s)")
        print("  " + "  ".join(f"{s:.0f}s {r:.0f}MB {c:.0f}%" for s, r, c in room.samples[::5]))
        for error in room.errors[:5]:
            print(f"  error: {error}")


async def browser_check(server: Server, n: int) -> None:
    """B real Chromium sessions beside B protocol sessions on the same server: the same saves, timings side by side.

    A browser's times include drawing: page-ready waits for the questionnaire on screen, submit → results for the
    results header on screen (and, separately, the fifth chart drawn by plotly.js); the protocol's end when the
    server's run has sent its last message.
    """
    from playwright.async_api import async_playwright

    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    from browsing import ARGS, CHROMIUM

    browser_room, protocol_room, drawn = Room(), Room(), []
    await participant(server.url, server.code, random.Random(0), 0.1, Room())  # warm, as run_room does
    before = server.count_saves()

    async def one_browser(browser, i: int) -> None:
        page = await browser.new_page()
        try:
            start = time.perf_counter()
            await page.goto(f"{server.url}/workshop_join?code={server.code}")
            mode = page.locator('div[data-testid="stRadio"]').filter(has_text=t("mode", L)).first
            await mode.wait_for(timeout=60_000)
            browser_room.times["page_ready"].append(time.perf_counter() - start)
            await mode.get_by_text(t("mode_quick", L)).click()
            for code in ("AIGC", "DC", "IO", "LSC", "HQD"):
                await page.get_by_label(t("quick_score", L, construct=construct_name(code, L))).fill(str(2 + i % 3))
            await page.get_by_label(control_label("firm_size", L)).fill("120")
            await page.get_by_label(control_label("firm_age", L)).fill("6")
            box = page.locator('div[data-testid="stSelectbox"]').filter(has_text=control_label("region", L)).first
            await box.click()
            await page.keyboard.type(region_label("east", L))
            await page.keyboard.press("Enter")
            for label, option in ((control_label("business_model", L), "B2C"), (control_label("pilot_zone", L), t("yes", L))):
                group = page.locator('div[data-testid="stRadio"]').filter(has_text=label).first
                await group.locator('label[data-testid="stRadioOption"]').filter(has_text=option).first.click()
            start = time.perf_counter()
            await page.get_by_role("button", name=t("submit", L)).click()
            await page.get_by_role("heading", name=t("results", L)).wait_for(timeout=60_000)
            browser_room.times["submit_results"].append(time.perf_counter() - start)
            await page.locator('div[data-testid="stPlotlyChart"]').nth(4).wait_for(timeout=60_000)
            drawn.append(time.perf_counter() - start)
            await page.get_by_text(t("save_consent", L)).click()
            start = time.perf_counter()
            await page.get_by_role("button", name=t("save_button", L)).click()
            await page.locator('div[data-testid="stAlertContentSuccess"]').first.wait_for(timeout=60_000)
            browser_room.times["save"].append(time.perf_counter() - start)
            browser_room.confirmed += 1
        except Exception as exc:  # noqa: BLE001 — counted
            browser_room.errors.append(f"browser: {type(exc).__name__}: {exc}"[:300])
        finally:
            await page.close()

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        await asyncio.gather(*(one_browser(browser, i) for i in range(n)),
                             *(participant(server.url, server.code, random.Random(i), 0.5, protocol_room) for i in range(n)))
        await browser.close()
    stored = server.count_saves() - before
    print(f"\nclient check: {n} Chromium sessions beside {n} protocol sessions at once on the dashboard")
    print(f"{'':<22}{'Chromium':>12}{'protocol':>12}")
    for step in STEPS:
        print(f"{step + ' p50 (s)':<22}{pct(browser_room.times[step], 0.5):>12.3f}{pct(protocol_room.times[step], 0.5):>12.3f}")
    print(f"{'5 charts drawn p50 (s)':<22}{pct(drawn, 0.5):>12.3f}{'—':>12}  (plotly.js drawing in the browser)")
    print(f"{'saves confirmed':<22}{browser_room.confirmed:>12}{protocol_room.confirmed:>12}")
    print(f"{'errors':<22}{len(browser_room.errors):>12}{len(protocol_room.errors):>12}")
    print(f"rows stored: {stored} (expected {browser_room.confirmed + protocol_room.confirmed})")
    for error in (browser_room.errors + protocol_room.errors)[:5]:
        print(f"  error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--live", type=int, default=3, help="live views refreshing")
    parser.add_argument("--arrive", type=float, default=30, help="seconds over which participants arrive")
    parser.add_argument("--think", type=float, default=2, help="mean seconds a participant takes per step")
    parser.add_argument("--ttl", type=int, default=15, help="server.disconnectedSessionTTL for both servers")
    parser.add_argument("--browsers", type=int, default=0, help="first check the client against this many Chromium sessions")
    parser.add_argument("--only", choices=["dashboard", "floor"], help="run one server only")
    parser.add_argument("--rooms", type=int, default=1, help="play the room this many times on each server (memory reuse)")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cbec-room-"))
    results: dict[str, tuple[Room, dict]] = {}
    try:
        for name, start in (("dashboard", start_app), ("floor", start_floor)):
            if args.only not in (None, name):
                continue
            server = start(work, args.ttl)
            try:
                if args.browsers and name == "dashboard":
                    asyncio.run(browser_check(server, args.browsers))
                results[name] = asyncio.run(run_room(server, args))
                for again in range(2, args.rooms + 1):  # the same room again: is the memory reused, or does it grow?
                    _, memory = asyncio.run(run_room(server, args))
                    results[name][1][f"end_{again}"] = memory["end"]
            finally:
                stop(server)
        report(results, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
