# The dashboard in one container, installed exactly as the README does (`make setup`: .venv, pip install -e '.[dev]'),
# run as a non-root user, with the SQLite store on a volume. See README "Deployment" and docs/deployment.md.
#   docker build -t cbec-benchmark .
#   docker run -d -p 8501:8501 -v cbec-data:/data --name cbec cbec-benchmark
# PostgreSQL instead of SQLite: add -e DATABASE_URL=postgresql://user:password@host:5432/cbec
# The first administrator (self-assessment needs no account; the lab, versions and workshops do):
#   docker exec -it cbec /app/.venv/bin/cbec users add NAME --role admin
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CBEC_DATA_DIR=/data \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none

# make is what the README's commands run (no compiler: every dependency ships wheels); fonts-noto-cjk gives a browser
# on this machine (screenshots, e2e tests) Chinese glyphs. The Chinese PDF embeds its own font (app/report/fonts).
RUN apt-get update \
    && apt-get install -y --no-install-recommends make fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 cbec \
    && useradd --system --uid 10001 --gid cbec --create-home --home-dir /home/cbec cbec

WORKDIR /app
COPY . /app
RUN make setup \
    && mkdir -p /data \
    && chown cbec:cbec /data

USER cbec
VOLUME ["/data"]
EXPOSE 8501

# Streamlit's own health endpoint, asked with the venv's Python (the slim image has no curl)
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/app/.venv/bin/python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() == b'ok' else 1)"]

# `make run` without the setup step: migrations and first-run seeding, then Streamlit on every interface
CMD ["/app/.venv/bin/cbec", "serve", "--address", "0.0.0.0", "--port", "8501"]
