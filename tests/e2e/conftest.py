"""Fixtures of the browser tests: the dashboard started as the README starts it, and Debian's chromium."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browsing import ARGS, CHROMIUM, free_port
from playwright.sync_api import sync_playwright


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """The served dashboard's data directory (its SQLite store), for tests that also use the repository API."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def server(data_dir):
    """The dashboard started the way the README starts it, on an empty store; yields its base URL."""
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run `apt-get install chromium` (make test does this)", pytrace=False)
    port = free_port()
    env = {**os.environ, "CBEC_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"the dashboard did not start: {proc.stdout.read().decode()[-2000:]}")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


PASSWORDS = {"admin": "admin password 1", "researcher": "researcher password 1", "facilitator": "facilitator password 1"}


@pytest.fixture(scope="module")
def accounts(server, data_dir) -> dict[str, tuple[str, str]]:
    """One account per role in the served store, made as the operator would (`cbec users add`): role -> (name, password)."""
    import db
    url = f"sqlite:///{Path(data_dir) / 'cbec.sqlite'}"
    made = {role: (f"e2e-{role}", password) for role, password in PASSWORDS.items()}
    for role, (name, password) in made.items():
        db.add_account(name, role, password, actor=db.Actor.operator(), url=url)
    db.dispose_engine(url)
    return made


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
