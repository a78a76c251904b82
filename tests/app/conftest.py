"""Every page test runs on a fresh SQLite store in its own data directory."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    """A fresh store per test; Streamlit's caches live per process, so they are cleared with it."""
    import streamlit as st

    import db
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CBEC_DATA_DIR", str(tmp_path / "data"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    db.dispose_engine()
