"""Two `cbec serve` replicas on ONE PostgreSQL database, driven over Streamlit's websocket protocol (no browser).

Both start together on an empty schema (first-run migration and seeding under the advisory lock), share
`server.cookieSecret` and CBEC_SECRET_KEY through the environment as docs/deployment.md asks of a load balancer's
replicas, and then: a firm saved on one is found by its key on the other; a workshop's participants spread over
both and either replica's live view counts the whole cohort; a fit activated on one replica's versions page is
the benchmark on the other within app.state.ACTIVE_FIT_TTL_S.
"""
from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.proto.Alert_pb2 import Alert

import db
from app.i18n import t
from app.ui.state import ACTIVE_FIT_TTL_S
from bench.room_flows import (RESEARCHER, add_accounts, joined_count, open_questionnaire, quick_mode, save, sign_in,
                              sign_in_live, submit_answers)
from bench.room_load import free_port, wait_healthy
from bench.streamlit_client import Session

ROOT = Path(__file__).resolve().parents[2]
SHARED = {"STREAMLIT_SERVER_COOKIE_SECRET": "replica-test-cookie-secret", "CBEC_SECRET_KEY": "replica-test-signing-key"}


@pytest.fixture(scope="module")
def pg_store(postgres, tmp_path_factory):
    """One empty PostgreSQL schema for the module's replicas, configured through DATABASE_URL like the `store` fixture."""
    engine, prefix = postgres
    schema = f"{prefix}_replicas"
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    with pytest.MonkeyPatch.context() as patch:
        url = engine.url.render_as_string(hide_password=False)
        patch.setenv("DATABASE_URL", f"{url}?options=-csearch_path%3D{schema}")
        patch.setenv("CBEC_DATA_DIR", str(tmp_path_factory.mktemp("unused")))
        yield db.database_url()
        db.dispose_engine()
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(scope="module")
def replicas(pg_store, tmp_path_factory):
    """Two servers started at the same moment on the same empty PostgreSQL schema; yields their base URLs."""
    tmp_path = tmp_path_factory.mktemp("replicas")
    procs, urls = [], []
    for i in range(2):
        port = free_port()
        env = {**os.environ, **SHARED}
        with open(tmp_path / f"replica-{i}.log", "wb") as log:  # the child keeps its own handle
            procs.append(subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env=env,
                                          cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for i, (proc, url) in enumerate(zip(procs, urls)):
            try:
                wait_healthy(proc, url)
            except RuntimeError as exc:
                pytest.fail(f"replica {i}: {exc}\n{(tmp_path / f'replica-{i}.log').read_text()[-3000:]}")
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=20)


async def assess_and_save(url: str, page: str, query: str, seed: int) -> str:
    """One participant's whole visit on one replica; the firm key shown."""
    async with Session(url, page=page, query=query) as s:
        await open_questionnaire(s)
        await quick_mode(s)
        await submit_answers(s, random.Random(seed))
        return (await save(s))[1]


async def history_on(url: str, key: str):
    """The history page of a replica after entering a firm key."""
    async with Session(url, page="history") as s:
        await s.open()
        s.set("history_key", key)
        s.press(t("show_history", "en"))
        return await s.rerun()


async def live_on(url: str, code: str, secret: str):
    """One live-view refresh on a replica, after signing in."""
    async with Session(url, page="workshop_live") as s:
        fragment, _ = await sign_in_live(s, code, secret)
        return await s.rerun(fragment_id=fragment)


async def banner_on(url: str) -> list[str]:
    """The warnings the self-assessment page shows first (the synthetic benchmark's banner among them)."""
    async with Session(url, page="assess") as s:
        return (await s.open()).alerts(Alert.WARNING)


def test_firm_saved_on_one_replica_returns_with_its_key_on_the_other(replicas):
    first, second = replicas
    key = asyncio.run(assess_and_save(first, "assess", "", seed=1))
    run = asyncio.run(history_on(second, key))
    assert run.alerts(Alert.ERROR) == []
    assert len(run.of("plotly_chart")) == 1
    assert len(db.assessment_history(key)) == 1


def test_workshop_spread_over_both_replicas_is_one_cohort_on_either_live_view(replicas):
    add_accounts()
    created = db.create_workshop("Two replicas", actor=db.Actor.operator())
    code, secret = created.workshop.join_code, created.secret

    async def room():
        return await asyncio.gather(*(assess_and_save(replicas[i % 2], "workshop_join", f"code={code}", seed=i)
                                      for i in range(6)))

    keys = asyncio.run(room())
    assert len(set(keys)) == 6
    assert len(db.workshop_assessments(created.workshop.id)) == 6
    for url in replicas:
        run = asyncio.run(live_on(url, code, secret))
        assert joined_count(run) == 6
        assert len(run.of("plotly_chart")) == 3  # 5–9 firms: distributions, lever, benchmark; the firms' plane from 10


def test_activation_on_one_replica_reaches_the_other_within_the_documented_delay(replicas, survey, fitted):
    first, second = replicas
    synthetic = t("synthetic_banner", "en")
    assert synthetic in asyncio.run(banner_on(second))  # the seeded synthetic benchmark, now in the second's cache
    operator = db.Actor.operator()
    new_fit = db.store_fit(db.import_frame(survey, "replica survey", actor=operator).dataset.id, fitted, actor=operator)
    add_accounts()

    async def activate_on_first():
        async with Session(first, page="versions") as s:
            await s.open()
            await sign_in(s, RESEARCHER)  # activation is a researcher's: the page shows the sign-in first
            s.press(t("act_button", "en"))  # the pick defaults to the first inactive fit: the new one
            await s.rerun()
            s.press(t("act_confirm_button", "en", id=new_fit))
            return await s.rerun()

    run = asyncio.run(activate_on_first())
    activated = time.monotonic()
    assert t("act_done", "en", id=new_fit) in run.alerts(Alert.SUCCESS)
    assert db.active_fit_id() == new_fit
    assert synthetic not in asyncio.run(banner_on(first))  # the replica that activated sees it at once
    while synthetic in asyncio.run(banner_on(second)):
        assert time.monotonic() - activated < ACTIVE_FIT_TTL_S + 3, "the other replica still shows the old benchmark"
        time.sleep(0.25)
