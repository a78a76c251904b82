"""The Dockerfile, read statically (no Docker engine runs here): it installs as the README does, runs as a
non-root user, keeps the store on a volume, exposes Streamlit's port and checks its health without curl."""
from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from db.engine import DATA_DIR_ENV

ROOT = Path(__file__).resolve().parents[1]
PORT = "8501"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def _all(kind: str) -> list[str]:
    return [args for instruction, args in _instructions() if instruction == kind]


def _exec_form(args: str) -> list[str]:
    assert args.startswith("["), f"use the exec form (JSON array), not a shell string: {args}"
    return json.loads(args)


def _env() -> dict[str, str]:
    return dict(token.split("=", 1) for args in _all("ENV") for token in shlex.split(args))


def _makefile() -> str:
    return (ROOT / "Makefile").read_text()


def test_base_image_is_python_311_slim():
    instructions = _instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    required = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert required == ">=3.11"


def test_it_installs_the_project_as_the_readme_does():
    runs = " && ".join(_all("RUN"))
    assert "make setup" in runs, "install with the README's own command"
    assert re.search(r"^setup:", _makefile(), re.M), "the Makefile has a setup target"
    assert "pip install" not in runs, "no second way of installing: the Makefile's setup is the one"
    assert "make run" in (ROOT / "README.md").read_text() and "$(BIN)/cbec serve" in _makefile()
    assert "apt-get install -y --no-install-recommends make fonts-noto-cjk" in runs and "rm -rf /var/lib/apt/lists/*" in runs
    copies = _all("COPY")
    assert copies == [". /app"] and _all("WORKDIR") == ["/app"]


def test_the_command_is_the_makefiles_run_with_the_port_and_every_interface():
    command = _exec_form(_all("CMD")[-1])
    bin_dir = re.search(r"^BIN := (.+)$", _makefile(), re.M).group(1).replace("$(VENV)", re.search(r"^VENV := (.+)$", _makefile(), re.M).group(1))
    assert command[0] == f"/app/{bin_dir}/cbec" and command[1] == "serve"
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["cbec"] == "app.cli:main"
    options = dict(zip(command[2::2], command[3::2]))
    assert options == {"--address": "0.0.0.0", "--port": PORT}
    help_text = CliRunner().invoke(cli, ["serve", "--help"], env={"COLUMNS": "200"}).output
    assert "--address" in help_text and "--port" in help_text


def test_it_runs_as_a_non_root_user_created_in_the_image():
    instructions = _instructions()
    users = _all("USER")
    assert users and users[-1] not in ("root", "0", "0:0")
    user = users[-1].split(":")[0]
    assert any("useradd" in args and args.rstrip().endswith(f" {user}") for args in _all("RUN"))
    last_user = max(i for i, (kind, _) in enumerate(instructions) if kind == "USER")
    last_run = max(i for i, (kind, _) in enumerate(instructions) if kind == "RUN")
    assert last_run < last_user, "nothing runs as root after switching user"


def test_the_store_is_on_a_volume_the_user_owns():
    data = _env()[DATA_DIR_ENV]
    assert _exec_form(_all("VOLUME")[-1]) == [data]
    runs = " ".join(_all("RUN"))
    user = _all("USER")[-1]
    assert f"mkdir -p {data}" in runs and f"chown {user}:{user} {data}" in runs
    assert "DATABASE_URL" not in _env(), "SQLite is the default; DATABASE_URL is set at `docker run`"


def test_the_port_is_exposed_and_health_is_checked_with_python():
    assert _all("EXPOSE") == [PORT]
    (health,) = _all("HEALTHCHECK")
    options, _, command = health.partition("CMD ")
    argv = _exec_form(command.strip())
    assert argv[:2] == ["/app/.venv/bin/python", "-c"]
    assert f"http://127.0.0.1:{PORT}/_stcore/health" in argv[2]
    compile(argv[2], "<healthcheck>", "exec")  # the check is valid Python
    assert not any("curl" in args or "wget" in args for args in (*_all("RUN"), health))  # not in the slim image
    assert re.search(r"--start-period=\d+s", options) and re.search(r"--timeout=\d+s", options)


@pytest.mark.parametrize("kept_out", [".venv/", "data/", "*.sqlite", "*.sqlite-*", ".git/"])
def test_local_environments_and_data_stay_out_of_the_image(kept_out):
    ignored = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    assert kept_out in ignored
    for needed in ("pyproject.toml", "Makefile", "README.md", "app/", "db/", "cbec_core/"):
        assert needed not in ignored  # what `make setup` installs from
