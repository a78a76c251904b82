"""The key that signs the sign-in cookie, and signing itself (HMAC-SHA256).

The key is `CBEC_SECRET_KEY` when set — every replica behind one load balancer must share it — else a
random key kept in the data directory (`secret_key`, mode 600), made on first use.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import cache

from db.engine import data_dir

COOKIE = "cbec_session"
KEY_ENV = "CBEC_SECRET_KEY"


@cache
def secret_key() -> bytes:
    """The signing key (from the environment, else the data directory's key file)."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode()
    path = data_dir() / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()


def _mac(value: str) -> str:
    return hmac.new(secret_key(), value.encode(), hashlib.sha256).hexdigest()


def sign(value: str) -> str:
    """`value.mac`: the cookie's content."""
    return f"{value}.{_mac(value)}"


def unsign(signed: str | None) -> str | None:
    """The value of a signed cookie, or None when it is missing or its signature does not match."""
    if not signed or "." not in signed:
        return None
    value, mac = signed.rsplit(".", 1)
    return value if hmac.compare_digest(mac, _mac(value)) else None
